//! The timeline's field types: textWithTranslation, and the booleans the docs also
//! write as strings.

use indexmap::IndexMap;
use serde_json::Value;

use crate::check::Shape;
use crate::pointer::Ptr;
use crate::schema::Kind;
use crate::typed::{entry, AsNode, Typed};
use crate::violation::{Rule, Violation};
use crate::wire::{deserialize_via_wire, wrong_type, FromWire};
use crate::write::{write_str, WriteJson};

/// textWithTranslation: a plain text, or the text per language
/// (`{"de": "Speichern", "en": "Save"}`). Bitrix24 shows the user's language, else
/// English, else the first entry ([`Translated::resolve`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Translated {
    Plain(String),
    Languages(IndexMap<String, String>),
}

impl Default for Translated {
    fn default() -> Self {
        Translated::Plain(String::new())
    }
}

impl Translated {
    /// The text a user of `language` sees: that language, else `en`, else the first.
    pub fn resolve(&self, language: &str) -> &str {
        match self {
            Translated::Plain(s) => s,
            Translated::Languages(map) => map
                .get(language)
                .or_else(|| map.get("en"))
                .or_else(|| map.values().next())
                .map_or("", String::as_str),
        }
    }

    /// The same text in several languages.
    pub fn languages<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        Translated::Languages(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl From<&str> for Translated {
    fn from(s: &str) -> Self {
        Translated::Plain(s.to_owned())
    }
}

impl From<String> for Translated {
    fn from(s: String) -> Self {
        Translated::Plain(s)
    }
}

impl From<IndexMap<String, String>> for Translated {
    fn from(map: IndexMap<String, String>) -> Self {
        Translated::Languages(map)
    }
}

impl FromWire for Translated {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        match value {
            Value::String(s) => Ok(Translated::Plain(s.clone())),
            Value::Object(_) => IndexMap::<String, String>::from_wire(value, ptr).map(Translated::Languages),
            other => Err(wrong_type(
                ptr,
                "a string, or an object of language code to text",
                other,
            )),
        }
    }
}

impl serde_core::Serialize for Translated {
    fn serialize<S: serde_core::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Translated::Plain(text) => s.serialize_str(text),
            Translated::Languages(map) => serde_core::Serialize::serialize(map, s),
        }
    }
}

deserialize_via_wire!(Translated);

impl WriteJson for Translated {
    fn write_json(&self, out: &mut String) {
        match self {
            Translated::Plain(s) => write_str(s, out),
            Translated::Languages(map) => map.write_json(out),
        }
    }
}

impl AsNode for Translated {
    fn as_shape(&self) -> Shape<'_, Typed> {
        match self {
            Translated::Plain(s) => Shape::Str(s),
            Translated::Languages(map) => Shape::Object(map.iter().map(|(k, v)| entry(k, v)).collect()),
        }
    }
}

impl crate::fast::FastValue for Translated {
    fn fast_value(&self, kind: &Kind) -> bool {
        matches!(kind, Kind::Text)
            && match self {
                Translated::Plain(_) => true,
                Translated::Languages(map) => {
                    !map.is_empty() && map.keys().all(|k| super::is_language_code(k))
                }
            }
    }
}

/// A boolean of the timeline. Bitrix24 also reads the strings `"true"` and `"false"`,
/// which the docs' own examples write (`"showPostponeItem": "false"`); such a value
/// is kept as it was written, so that a layout prints back byte for byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag {
    pub value: bool,
    /// Written as a string.
    pub quoted: bool,
}

impl From<bool> for Flag {
    fn from(value: bool) -> Self {
        Flag { value, quoted: false }
    }
}

impl FromWire for Flag {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        match value {
            Value::Bool(b) => Ok(Flag::from(*b)),
            Value::String(s) if s == "true" || s == "false" => Ok(Flag {
                value: s == "true",
                quoted: true,
            }),
            Value::String(s) => Err(Violation::new(
                ptr.render(),
                Rule::WrongType,
                format!("expected a boolean, found the string \"{s}\""),
            )),
            other => Err(wrong_type(ptr, "a boolean", other)),
        }
    }
}

impl serde_core::Serialize for Flag {
    fn serialize<S: serde_core::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.quoted, self.value) {
            (false, v) => s.serialize_bool(v),
            (true, true) => s.serialize_str("true"),
            (true, false) => s.serialize_str("false"),
        }
    }
}

deserialize_via_wire!(Flag);

impl WriteJson for Flag {
    fn write_json(&self, out: &mut String) {
        out.push_str(match (self.quoted, self.value) {
            (false, true) => "true",
            (false, false) => "false",
            (true, true) => "\"true\"",
            (true, false) => "\"false\"",
        });
    }
}

impl AsNode for Flag {
    fn as_shape(&self) -> Shape<'_, Typed> {
        match (self.quoted, self.value) {
            (false, v) => Shape::Bool(v),
            (true, true) => Shape::Str("true"),
            (true, false) => Shape::Str("false"),
        }
    }
}

impl crate::fast::FastValue for Flag {
    fn fast_value(&self, kind: &Kind) -> bool {
        matches!(kind, Kind::Flag)
    }
}
