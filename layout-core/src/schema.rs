//! The rule table: which blocks, actions and properties exist, what each property holds,
//! what is required, what may nest where and how many times.
//!
//! This is the only place the rules live. `validate()` interprets the table at run time,
//! and the `layout!` macro interprets the very same table at compile time (through
//! [`check`](crate::check)). The per-object field lists come from the `wire_struct!`
//! declarations of the model, so the Rust types and the table cannot disagree.

use crate::violation::{Rule, Violation};

/// What a property holds, and so what the checker enforces for it.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A string, with an extra rule on its content.
    Str(StrRule),
    Bool,
    /// A non-negative whole number (pixels).
    UInt,
    /// One of a fixed list of strings.
    Enum(&'static EnumSpec),
    /// Any JSON value (openRestApp's `value`).
    Any,
    /// A nested object with its own fields (a button, slider parameters).
    Object(&'static StructSpec),
    /// An ActionDto: an object with a `type` naming one of [`ACTIONS`].
    Action,
    /// Exactly one content block (withTitle's `block`).
    Block(&'static Nest),
    /// An ordered map of block id to content block.
    Blocks(&'static Nest),
    /// An ordered map of option code to label, with at least one option.
    Values,
}

/// A rule on the content of a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrRule {
    Any,
    /// A redirect target: not empty, and not a `javascript:`, `data:` or `vbscript:` URI.
    Uri,
    /// An image address: `http://` or `https://` only (Bitrix24 drops anything else).
    HttpUrl,
}

/// One property of an object.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

/// A rule between two properties of one object.
#[derive(Clone, Copy, Debug)]
pub enum Cross {
    /// `field` is only valid when `flag` is `true` (titleWidth needs inline).
    NeedsTrue { field: &'static str, flag: &'static str },
    /// `field` must be a key of the map `map` (selectedValue of values).
    KeyOf { field: &'static str, map: &'static str },
    /// `a` and `b` cannot both be set (width and leftBoundary).
    Exclusive { a: &'static str, b: &'static str },
}

/// An object of the wire format: a block's properties, an action, a button, the layout.
#[derive(Clone, Copy, Debug)]
pub struct StructSpec {
    /// The block or action type, or the DTO name for other objects.
    pub name: &'static str,
    /// The Rust type of the model that holds it.
    pub rust: &'static str,
    pub fields: &'static [Field],
    pub cross: &'static [Cross],
}

impl StructSpec {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_names(&self) -> impl Iterator<Item = &'static str> {
        self.fields.iter().map(|f| f.name)
    }

    /// The violation for a key `key` this object does not have.
    pub fn unknown_field(&self, ptr: &str, key: &str) -> Violation {
        let what = self.what();
        let v = Violation::new(
            ptr,
            Rule::UnknownProperty,
            format!("unknown property `{key}` of {what}"),
        );
        if self.name == "redirect" && key == "uri" {
            return Violation {
                rule: Rule::RedirectUri,
                ..v
            }
            .with_help(
                "Bitrix24 reads only `value`: write the address as `value`; with `uri` the link does nothing",
            );
        }
        v.with_help(did_you_mean(key, self.field_names()).unwrap_or_else(|| {
            let has = format!("{what} has: {}", list(self.field_names()));
            // a block written beside `blocks` rather than inside it
            match self.fields.iter().find(|f| matches!(f.kind, Kind::Blocks(_))) {
                Some(f) => format!(
                    "{has}; if `{key}` is a block, put it inside `{}: {{ ... }}`",
                    f.name
                ),
                None => has,
            }
        }))
    }

    /// How messages name this object: "`text` block", "`redirect` action", "ButtonDto".
    pub fn what(&self) -> String {
        let a = if self.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        if BLOCKS.iter().any(|b| b.name == self.name) {
            format!("{a} `{}` block", self.name)
        } else if ACTIONS.iter().any(|x| x.name == self.name) {
            format!("{a} `{}` action", self.name)
        } else {
            self.name.to_owned()
        }
    }
}

/// An enumeration of the wire format.
#[derive(Clone, Copy, Debug)]
pub struct EnumSpec {
    /// What the values are (e.g. "text size"), for messages.
    pub name: &'static str,
    /// The Rust enum of the model.
    pub rust: &'static str,
    pub values: &'static [&'static str],
}

impl EnumSpec {
    pub fn contains(&self, value: &str) -> bool {
        self.values.contains(&value)
    }

    /// The violation for `value`, which is not one of `values`.
    pub fn violation(&self, ptr: &str, value: &str) -> Violation {
        let allowed = format!("allowed {}s: {}", self.name, list(self.values.iter().copied()));
        let help = match did_you_mean(value, self.values.iter().copied()) {
            Some(dym) => format!("{dym}; {allowed}"),
            None => allowed,
        };
        Violation::new(
            ptr,
            Rule::InvalidValue,
            format!("`{value}` is not a {}", self.name),
        )
        .with_help(help)
    }
}

/// Where blocks may nest: which types a container takes, and how many.
#[derive(Clone, Copy, Debug)]
pub struct Nest {
    /// The container, for messages ("section", "LayoutDto", ...).
    pub parent: &'static str,
    pub allowed: &'static [&'static str],
    pub min: usize,
    pub max: Option<usize>,
    /// Why a type is refused here when the docs alone would not say.
    pub note: Option<&'static str>,
}

impl Nest {
    pub fn allows(&self, block_type: &str) -> bool {
        self.allowed.contains(&block_type)
    }
}

const ALL_BLOCKS: &[&str] = &[
    "text",
    "link",
    "withTitle",
    "lineOfBlocks",
    "dropdownMenu",
    "input",
    "textarea",
    "select",
    "list",
    "section",
];

/// The top level of a LayoutDto: any block, at least one.
pub const TOP_LEVEL: Nest = Nest {
    parent: "LayoutDto",
    allowed: ALL_BLOCKS,
    min: 1,
    max: None,
    note: None,
};

/// A section: 1 to 20 blocks of any type but section.
pub const SECTION: Nest = Nest {
    parent: "section",
    allowed: &[
        "text",
        "link",
        "withTitle",
        "lineOfBlocks",
        "dropdownMenu",
        "input",
        "textarea",
        "select",
        "list",
    ],
    min: 1,
    max: Some(20),
    note: Some("Bitrix24 drops a section nested in a section"),
};

/// A list: at least one text, link or lineOfBlocks.
pub const LIST: Nest = Nest {
    parent: "list",
    allowed: &["text", "link", "lineOfBlocks"],
    min: 1,
    max: None,
    note: None,
};

/// A lineOfBlocks: at least one text or link.
pub const LINE_OF_BLOCKS: Nest = Nest {
    parent: "lineOfBlocks",
    allowed: &["text", "link"],
    min: 1,
    max: None,
    note: None,
};

/// withTitle's `block`: exactly one text, link or lineOfBlocks.
pub const WITH_TITLE: Nest = Nest {
    parent: "withTitle",
    allowed: &["text", "link", "lineOfBlocks"],
    min: 1,
    max: Some(1),
    note: None,
};

/// Every block type, with the spec of its `properties`.
pub const BLOCKS: &[&StructSpec] = &[
    &crate::blocks::Text::SPEC,
    &crate::blocks::Link::SPEC,
    &crate::blocks::WithTitle::SPEC,
    &crate::blocks::LineOfBlocks::SPEC,
    &crate::blocks::DropdownMenu::SPEC,
    &crate::blocks::Input::SPEC,
    &crate::blocks::Textarea::SPEC,
    &crate::blocks::Select::SPEC,
    &crate::blocks::List::SPEC,
    &crate::blocks::Section::SPEC,
];

/// Every action type, with the spec of its fields besides `type`.
pub const ACTIONS: &[&StructSpec] = &[
    &crate::action::Redirect::SPEC,
    &crate::action::LayoutEvent::SPEC,
    &crate::action::OpenRestApp::SPEC,
];

/// The keys of a ContentBlockDto besides `type`.
pub const BLOCK_KEYS: &[&str] = &["type", "visible", "properties"];

pub fn block_spec(name: &str) -> Option<&'static StructSpec> {
    BLOCKS.iter().copied().find(|b| b.name == name)
}

pub fn action_spec(name: &str) -> Option<&'static StructSpec> {
    ACTIONS.iter().copied().find(|a| a.name == name)
}

/// The schemes a redirect may not use: each runs code or smuggles content.
pub const DANGEROUS_SCHEMES: &[&str] = &["javascript:", "data:", "vbscript:"];

/// The dangerous scheme `uri` starts with, read the way a browser reads it: leading
/// spaces and control characters skipped, tabs and newlines anywhere ignored, any case.
pub fn dangerous_scheme(uri: &str) -> Option<&'static str> {
    let cleaned: String = uri
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    DANGEROUS_SCHEMES.iter().copied().find(|s| cleaned.starts_with(s))
}

/// Whether `src` is an absolute http(s) URL, as Bitrix24 requires of `imageSrc`.
pub fn is_http_url(src: &str) -> bool {
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    (lower.starts_with("http://") && src.len() > 7) || (lower.starts_with("https://") && src.len() > 8)
}

/// "did you mean `x`?" for the candidate closest to `got`, if one is close enough.
pub fn did_you_mean<'a>(got: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let norm = |s: &str| s.to_lowercase().replace(['-', '_', ' '], "");
    let got_n = norm(got);
    candidates
        .into_iter()
        .map(|c| {
            let c_n = norm(c);
            let d = if c_n == got_n {
                0
            } else {
                strsim::damerau_levenshtein(&got_n, &c_n) + 1
            };
            (d, c)
        })
        .filter(|&(d, c)| d <= 1 + (c.len().max(got.len()) / 3).min(3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// `a, b, c` for messages.
pub fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_schemes_as_a_browser_reads_them() {
        assert_eq!(dangerous_scheme("javascript:alert(1)"), Some("javascript:"));
        assert_eq!(dangerous_scheme("  JavaScript:alert(1)"), Some("javascript:"));
        assert_eq!(dangerous_scheme("java\tscript:alert(1)"), Some("javascript:"));
        assert_eq!(dangerous_scheme("\u{1}data:text/html,x"), Some("data:"));
        assert_eq!(dangerous_scheme("VBScript:x"), Some("vbscript:"));
        assert_eq!(dangerous_scheme("/crm/deal/details/1/"), None);
        assert_eq!(dangerous_scheme("https://example.com/?q=javascript:"), None);
    }

    #[test]
    fn http_urls() {
        assert!(is_http_url("https://helpdesk.bitrix24.com/examples/section.png"));
        assert!(is_http_url("HTTP://x"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("//cdn.example.com/a.png"));
        assert!(!is_http_url("/upload/a.png"));
        assert!(!is_http_url("data:image/png;base64,AAAA"));
        assert!(!is_http_url("ftp://x"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("bolt", ["bold", "size"]).unwrap(),
            "did you mean `bold`?"
        );
        assert_eq!(
            did_you_mean("base-90", ["base_70", "base_90"]).unwrap(),
            "did you mean `base_90`?"
        );
        assert_eq!(
            did_you_mean("ImageSrc", ["imageSrc", "type"]).unwrap(),
            "did you mean `imageSrc`?"
        );
        assert_eq!(
            did_you_mean("lineofblocks", ALL_BLOCKS.iter().copied()).unwrap(),
            "did you mean `lineOfBlocks`?"
        );
        assert_eq!(did_you_mean("zzzzzz", ["bold", "size"]), None);
    }
}
