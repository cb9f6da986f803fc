//! A portal's fields of one CRM object, as `crm.deal.fields` (and lead, contact, company,
//! quote) or `crm.item.fields` describe them.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use crate::names;
use crate::types::FieldType;

/// An option of an `enumeration` field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumItem {
    pub id: String,
    pub value: String,
}

/// One field's description.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Its name in the schema's spelling (`TITLE`, `title`, `UF_CRM_...`, `ufCrm_...`).
    pub name: String,
    pub r#type: FieldType,
    pub is_required: bool,
    pub is_read_only: bool,
    /// Set only when the object is added (a deal's funnel).
    pub is_immutable: bool,
    pub is_multiple: bool,
    /// A user field.
    pub is_dynamic: bool,
    pub title: String,
    /// `crm.item.fields` gives the `UPPER_CASE` name beside the camelCase one.
    pub upper_name: Option<String>,
    /// The dictionary of a `crm_status` field (`DEAL_STAGE`).
    pub status_type: Option<String>,
    /// The options of an `enumeration`.
    pub items: Vec<EnumItem>,
}

/// How a schema spells its names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameForm {
    /// `TITLE`, `UF_CRM_...`: the classic methods, and `crm.item.*` with `useOriginalUfNames=Y`.
    Upper,
    /// `title`, `ufCrm_...`: `crm.item.*`.
    Camel,
}

/// The fields of one CRM object, in the portal's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub form: NameForm,
    pub fields: IndexMap<String, Field>,
}

/// Why a description could not be read: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// JSON pointer in the answer.
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

fn flag(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "Y" | "1" | "true"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

impl Field {
    /// Reads one description (`{"type": ..., "isRequired": ..., ...}`) at `pointer`.
    pub fn from_description(name: &str, d: &Value, pointer: &str) -> Result<Field, ReadError> {
        let Some(o) = d.as_object() else {
            return Err(ReadError {
                pointer: pointer.to_owned(),
                message: "a field description is an object".into(),
            });
        };
        let Some(ty) = o.get("type").and_then(Value::as_str) else {
            return Err(ReadError {
                pointer: format!("{pointer}/type"),
                message: "a field description needs its `type`".into(),
            });
        };
        let items = match o.get("items") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| {
                    Some(EnumItem {
                        id: text(i.get("ID"))?,
                        value: text(i.get("VALUE")).unwrap_or_default(),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(Field {
            name: name.to_owned(),
            r#type: FieldType::parse(ty),
            is_required: flag(o.get("isRequired")),
            is_read_only: flag(o.get("isReadOnly")),
            is_immutable: flag(o.get("isImmutable")),
            is_multiple: flag(o.get("isMultiple")),
            is_dynamic: flag(o.get("isDynamic")),
            title: text(o.get("title")).unwrap_or_else(|| name.to_owned()),
            upper_name: text(o.get("upperName")),
            status_type: text(o.get("statusType")),
            items,
        })
    }

    /// The description as the `*.fields` methods give it.
    pub fn to_description(&self) -> Value {
        let mut d = json!({
            "type": self.r#type.as_str(),
            "isRequired": self.is_required,
            "isReadOnly": self.is_read_only,
            "isImmutable": self.is_immutable,
            "isMultiple": self.is_multiple,
            "isDynamic": self.is_dynamic,
            "title": self.title,
        });
        if let Some(u) = &self.upper_name {
            d["upperName"] = json!(u);
        }
        if let Some(s) = &self.status_type {
            d["statusType"] = json!(s);
        }
        if !self.items.is_empty() {
            d["items"] = Value::Array(
                self.items
                    .iter()
                    .map(|i| json!({"ID": i.id, "VALUE": i.value}))
                    .collect(),
            );
        }
        d
    }
}

impl Schema {
    /// Reads the `result` of `crm.deal.fields` (a map of name to description), or of
    /// `crm.item.fields` (`{"fields": {...}}`). A type this crate does not know is kept
    /// ([`FieldType::Other`]) and said once in the log.
    pub fn from_result(result: &Value) -> Result<Schema, ReadError> {
        let (map, base) = match result.get("fields") {
            Some(Value::Object(m)) => (m, "/fields"),
            _ => match result {
                Value::Object(m) => (m, ""),
                _ => {
                    return Err(ReadError {
                        pointer: String::new(),
                        message: "the fields are an object of name to description".into(),
                    })
                }
            },
        };
        let mut fields = IndexMap::new();
        for (name, d) in map {
            let pointer = format!("{base}/{}", name.replace('~', "~0").replace('/', "~1"));
            let field = Field::from_description(name, d, &pointer)?;
            if let FieldType::Other(t) = &field.r#type {
                warn_unknown_type(t, name);
            }
            fields.insert(name.clone(), field);
        }
        let camel = fields
            .keys()
            .any(|k| k.starts_with(|c: char| c.is_ascii_lowercase()));
        Ok(Schema {
            form: if camel { NameForm::Camel } else { NameForm::Upper },
            fields,
        })
    }

    /// The schema as the `*.fields` method gives it (`crm.item.fields` nests it in `fields`).
    pub fn to_result(&self) -> Value {
        let map: Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, f)| (k.clone(), f.to_description()))
            .collect();
        match self.form {
            NameForm::Upper => Value::Object(map),
            NameForm::Camel => json!({ "fields": map }),
        }
    }

    /// The field `name`, in this schema's spelling or, for a user field, in the other one
    /// (or by its `upperName`).
    pub fn field(&self, name: &str) -> Option<&Field> {
        if let Some(f) = self.fields.get(name) {
            return Some(f);
        }
        if let Some(f) = self
            .fields
            .values()
            .find(|f| f.upper_name.as_deref() == Some(name))
        {
            return Some(f);
        }
        let other = names::other_spelling(name)?;
        self.fields.get(&other)
    }

    /// Fields whose names are close to `name`, for a "did you mean".
    pub fn closest(&self, name: &str) -> Option<&str> {
        let norm = |s: &str| s.to_ascii_lowercase().replace('_', "");
        let n = norm(name);
        self.fields
            .keys()
            .map(|k| (strsim::damerau_levenshtein(&n, &norm(k)), k.as_str()))
            .filter(|(d, k)| *d <= 1 + (k.len().max(name.len()) / 4).min(3))
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k)
    }
}

/// Says once per type, in the log, that a field's type is not known here.
fn warn_unknown_type(ty: &str, field: &str) {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static SAID: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let said = SAID.get_or_init(Default::default);
    let first = said.lock().map(|mut s| s.insert(ty.to_owned())).unwrap_or(false);
    if first {
        tracing::warn!(
            r#type = ty,
            field,
            "a field type this project does not know: its values are kept untyped and not checked"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_are_read_and_written_back() {
        let classic = json!({
            "ID": {"type": "integer", "isRequired": false, "isReadOnly": true, "isImmutable": false, "isMultiple": false, "isDynamic": false, "title": "ID"},
            "UF_CRM_1687188367": {"type": "enumeration", "isRequired": false, "isReadOnly": false, "isImmutable": false, "isMultiple": false, "isDynamic": true, "title": "UF_CRM_1687188367",
                "items": [{"ID": "81", "VALUE": "Gold"}]}
        });
        let s = Schema::from_result(&classic).unwrap();
        assert_eq!(s.form, NameForm::Upper);
        assert!(s.fields["ID"].is_read_only);
        assert_eq!(s.fields["UF_CRM_1687188367"].items[0].id, "81");
        // a user field by its other spelling
        assert_eq!(s.field("ufCrm_1687188367").unwrap().name, "UF_CRM_1687188367");
        assert_eq!(Schema::from_result(&s.to_result()).unwrap(), s);
        let item = json!({"fields": {"title": {"type": "string", "upperName": "TITLE"}, "ufCrm44_1721812760630": {"type": "rest_7_app", "upperName": "UF_CRM_44_1721812760630", "isDynamic": true}}});
        let s = Schema::from_result(&item).unwrap();
        assert_eq!(s.form, NameForm::Camel);
        assert_eq!(
            s.field("UF_CRM_44_1721812760630").unwrap().name,
            "ufCrm44_1721812760630"
        );
        assert_eq!(s.field("TITLE").unwrap().name, "title");
        assert_eq!(
            s.fields["ufCrm44_1721812760630"].r#type,
            FieldType::Other("rest_7_app".into())
        );
        assert_eq!(s.closest("titel"), Some("title"));
        let err = Schema::from_result(&json!({"fields": {"a": {"title": "x"}}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/fields/a/type: a field description needs its `type`"
        );
    }
}
