//! The three documents of the table, for tools that take any of them: a widget's
//! built-in interface, a configurable activity, a content-block set. Which one a JSON
//! text is can be told from its top-level keys, except for a plain `blocks` map, which
//! both a widget and a content-block set are.

use serde_json::Value;

use crate::schema::StructSpec;
use crate::violation::Violations;

/// A document of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// The built-in interface of a `CRM_XXX_DETAIL_ACTIVITY` widget ([`crate::LayoutDto`]).
    Widget,
    /// A configurable activity of the timeline ([`crate::timeline::LayoutDto`]).
    Activity,
    /// A set of content blocks for a timeline record ([`crate::timeline::RestAppLayoutDto`]).
    Blocks,
}

/// Why the kind of a document cannot be told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ambiguous {
    /// What points to the timeline, each with its JSON pointer.
    pub signs: Vec<String>,
}

impl std::fmt::Display for Ambiguous {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a plain `blocks` map is a widget layout or a timeline content-block set, and this one has timeline parts ({}); say which with --kind widget or --kind blocks",
            self.signs.join(", ")
        )
    }
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Widget, DocKind::Activity, DocKind::Blocks];

    /// The root object of the document in the table.
    pub fn root(self) -> &'static StructSpec {
        match self {
            DocKind::Widget => crate::schema::ROOT,
            DocKind::Activity => &crate::timeline::LayoutDto::SPEC,
            DocKind::Blocks => &crate::timeline::RestAppLayoutDto::SPEC,
        }
    }

    /// `widget`, `activity`, `blocks`.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Widget => "widget",
            DocKind::Activity => "activity",
            DocKind::Blocks => "blocks",
        }
    }

    /// The kind of `value`, from its top-level keys: `icon`, `header`, `body` or
    /// `footer` make an activity; `primaryButton` or `secondaryButton` a widget; a plain
    /// `blocks` map is a widget unless something in it belongs to the timeline, and then
    /// it cannot be told.
    pub fn detect(value: &Value) -> Result<DocKind, Ambiguous> {
        let Some(top) = value.as_object() else {
            return Ok(DocKind::Widget);
        };
        if ["icon", "header", "body", "footer"]
            .iter()
            .any(|k| top.contains_key(*k))
        {
            return Ok(DocKind::Activity);
        }
        if ["primaryButton", "secondaryButton"]
            .iter()
            .any(|k| top.contains_key(*k))
        {
            return Ok(DocKind::Widget);
        }
        let mut signs = Vec::new();
        timeline_signs(value, false, &mut String::new(), &mut signs);
        if signs.is_empty() {
            Ok(DocKind::Widget)
        } else {
            Err(Ambiguous { signs })
        }
    }

    /// The JSON Schema of the document.
    pub fn json_schema(self) -> Value {
        match self {
            DocKind::Widget => crate::json_schema::layout_schema(),
            DocKind::Activity => crate::json_schema::activity_schema(),
            DocKind::Blocks => crate::json_schema::blocks_schema(),
        }
    }

    /// Reads a checked `value` into the typed model and prints it back: on one line as
    /// the portal takes it, or indented. Key order is kept.
    pub fn format(self, value: &Value, compact: bool) -> Result<String, Violations> {
        fn print<T: serde_core::Serialize + crate::write::WriteJson>(typed: T, compact: bool) -> String {
            if compact {
                let mut out = String::new();
                typed.write_json(&mut out);
                out
            } else {
                crate::write::pretty(&typed)
            }
        }
        Ok(match self {
            DocKind::Widget => print(crate::LayoutDto::from_value(value)?, compact),
            DocKind::Activity => print(crate::timeline::LayoutDto::from_value(value)?, compact),
            DocKind::Blocks => print(crate::timeline::RestAppLayoutDto::from_value(value)?, compact),
        })
    }
}

impl std::str::FromStr for DocKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| format!("unknown kind `{s}`: widget, activity or blocks"))
    }
}

/// The parts of `value` only the timeline has: its block types, its restEvent, its keys.
fn timeline_signs(value: &Value, in_properties: bool, ptr: &mut String, signs: &mut Vec<String>) {
    const TIMELINE_ONLY_KEYS: &[&str] = &["scope", "hideIfReadonly", "actionParams"];
    match value {
        Value::Object(map) => {
            if let Some(Value::String(ty)) = map.get("type") {
                let only_timeline = crate::schema::Lang::Timeline.block_type(ty).is_some()
                    && crate::schema::Lang::Widget.block_type(ty).is_none();
                if only_timeline || ty == "restEvent" {
                    signs.push(format!("`{ty}` at {ptr}/type"));
                }
            }
            for (k, v) in map {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&k.replace('~', "~0").replace('/', "~1"));
                if TIMELINE_ONLY_KEYS.contains(&k.as_str()) {
                    signs.push(format!("`{k}` at {ptr}"));
                } else if in_properties && matches!(k.as_str(), "value" | "text" | "title") && v.is_object() {
                    signs.push(format!("a text with translations at {ptr}"));
                } else {
                    timeline_signs(v, k == "properties", ptr, signs);
                }
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = ptr.len();
                ptr.push_str(&format!("/{i}"));
                timeline_signs(v, false, ptr, signs);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_kind_is_told_from_the_top_level_keys_or_not_at_all() {
        let text = json!({"type": "text", "properties": {"value": "x"}});
        assert_eq!(
            DocKind::detect(&json!({"icon": {}, "body": {}})),
            Ok(DocKind::Activity)
        );
        assert_eq!(DocKind::detect(&json!({"footer": {}})), Ok(DocKind::Activity));
        assert_eq!(
            DocKind::detect(&json!({"blocks": {"t": text}})),
            Ok(DocKind::Widget)
        );
        // a block keyed `text` or `title` is no translation
        let line = json!({"type": "lineOfBlocks", "properties": {"blocks": {"text": text, "title": text}}});
        assert_eq!(
            DocKind::detect(&json!({"blocks": {"l": line}})),
            Ok(DocKind::Widget)
        );
        assert_eq!(
            DocKind::detect(&json!({"blocks": {"d": {"type": "deadline"}}, "primaryButton": {"title": "x"}})),
            Ok(DocKind::Widget)
        );
        let err = DocKind::detect(&json!({"blocks": {"t": text, "d": {"type": "deadline"}}})).unwrap_err();
        assert_eq!(err.signs, ["`deadline` at /blocks/d/type"]);
        assert!(err.to_string().contains("--kind widget or --kind blocks"));
        let err = DocKind::detect(
            &json!({"blocks": {"t": {"type": "text", "properties": {"value": {"en": "x"}, "scope": "web"}}}}),
        )
        .unwrap_err();
        assert_eq!(
            err.signs,
            [
                "a text with translations at /blocks/t/properties/value",
                "`scope` at /blocks/t/properties/scope"
            ]
        );
        assert_eq!("activity".parse::<DocKind>(), Ok(DocKind::Activity));
        assert!("timeline".parse::<DocKind>().is_err());
    }
}
