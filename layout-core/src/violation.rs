//! What a broken rule looks like: where (a JSON pointer), which rule, what is wrong and
//! what is allowed instead.

use serde_core::ser::{Serialize, SerializeMap, Serializer};

/// The rules of the table, each with a stable code (used by `b24 check --format
/// json` and by tools that match on errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A value of the wrong JSON type (a string where a boolean goes, ...).
    WrongType,
    /// A required key or property is absent.
    MissingRequired,
    /// A property, key or button the object does not have.
    UnknownProperty,
    /// A `type` that is no block type.
    UnknownBlockType,
    /// A `type` that is no action type.
    UnknownActionType,
    /// A value outside an enumeration (size, color, ...).
    InvalidValue,
    /// A block type that may not stand where it stands (an `input` in a `lineOfBlocks`).
    BlockNotAllowed,
    /// Fewer blocks than the container needs.
    TooFewBlocks,
    /// More blocks than the container takes.
    TooManyBlocks,
    /// The same key twice in one object.
    DuplicateKey,
    /// `values` of a select or dropdownMenu without any option.
    EmptyValues,
    /// `selectedValue` that is not a key of `values`.
    SelectedValueNotInValues,
    /// `titleWidth` without `inline: true`.
    TitleWidthWithoutInline,
    /// Two properties that cannot be used together (`width` and `leftBoundary`).
    ExclusiveProperties,
    /// An empty string where a value is needed (a redirect to nowhere).
    EmptyValue,
    /// A redirect to a `javascript:`, `data:` or `vbscript:` URI.
    DangerousUri,
    /// An image source that is not an `http://` or `https://` URL.
    ImageSrcScheme,
    /// A redirect written with `uri`, which Bitrix24 does not read.
    RedirectUri,
    /// A timeline redirect written with `value`: the timeline reads `uri`.
    RedirectValue,
    /// More tags, buttons or items than the object takes (the timeline's `TOO_MANY_ITEMS`).
    TooManyItems,
    /// A key of `blocks`, `tags`, `buttons` or `items` with characters other than Latin
    /// letters, digits, `-` and `_` (the timeline's `KEY_CONTAIN_WRONG_SYMBOLS`).
    KeyWrongSymbols,
    /// A text with translations that has none.
    EmptyTranslation,
    /// A translation keyed by something that is no language code (the timeline's `WRONG_LANG`).
    WrongLanguage,
}

impl Rule {
    /// The stable code of the rule, as in the JSON output.
    pub fn code(self) -> &'static str {
        match self {
            Rule::WrongType => "wrong-type",
            Rule::MissingRequired => "missing-required",
            Rule::UnknownProperty => "unknown-property",
            Rule::UnknownBlockType => "unknown-block-type",
            Rule::UnknownActionType => "unknown-action-type",
            Rule::InvalidValue => "invalid-value",
            Rule::BlockNotAllowed => "block-not-allowed",
            Rule::TooFewBlocks => "too-few-blocks",
            Rule::TooManyBlocks => "too-many-blocks",
            Rule::DuplicateKey => "duplicate-key",
            Rule::EmptyValues => "empty-values",
            Rule::SelectedValueNotInValues => "selected-value-not-in-values",
            Rule::TitleWidthWithoutInline => "title-width-without-inline",
            Rule::ExclusiveProperties => "exclusive-properties",
            Rule::EmptyValue => "empty-value",
            Rule::DangerousUri => "dangerous-uri",
            Rule::ImageSrcScheme => "image-src-scheme",
            Rule::RedirectUri => "redirect-uri",
            Rule::RedirectValue => "redirect-value",
            Rule::TooManyItems => "too-many-items",
            Rule::KeyWrongSymbols => "key-wrong-symbols",
            Rule::EmptyTranslation => "empty-translation",
            Rule::WrongLanguage => "wrong-language",
        }
    }
}

/// Serialized as its [`code`](Rule::code).
impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One broken rule.
///
/// `L` is where the violation is in the *source*: `()` for JSON (the pointer says it
/// all), a span for the `layout!` macro, which points at the token to blame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation<L = ()> {
    /// JSON pointer of the value at fault (or of the place where a missing one belongs).
    pub pointer: String,
    /// The rule broken.
    pub rule: Rule,
    /// What is wrong, naming the value or key.
    pub message: String,
    /// What is allowed instead, or a "did you mean".
    pub help: Option<String>,
    pub loc: L,
}

/// `{"pointer", "rule", "message", "help"?}`: the location in the source is not part of it.
impl<L> Serialize for Violation<L> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3 + usize::from(self.help.is_some())))?;
        map.serialize_entry("pointer", &self.pointer)?;
        map.serialize_entry("rule", &self.rule)?;
        map.serialize_entry("message", &self.message)?;
        if let Some(help) = &self.help {
            map.serialize_entry("help", help)?;
        }
        map.end()
    }
}

impl Violation {
    pub fn new(pointer: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        Violation::at(pointer, rule, message, ())
    }
}

impl<L> Violation<L> {
    pub fn at(pointer: impl Into<String>, rule: Rule, message: impl Into<String>, loc: L) -> Self {
        Violation {
            pointer: pointer.into(),
            rule,
            message: message.into(),
            help: None,
            loc,
        }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same violation located by `loc` instead.
    pub fn relocate<M>(self, loc: M) -> Violation<M> {
        Violation {
            pointer: self.pointer,
            rule: self.rule,
            message: self.message,
            help: self.help,
            loc,
        }
    }
}

impl<L> std::fmt::Display for Violation<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {} [{}]", self.message, self.rule)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violation {}

/// Every violation of one layout, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

/// A list of the violations.
impl Serialize for Violations {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Violations {
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl std::fmt::Display for Violations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.len();
        write!(f, "the layout breaks {n} rule{}", if n == 1 { "" } else { "s" })?;
        for v in &self.0 {
            write!(f, "\n{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}
