//! PLACEMENT_OPTIONS as sent, read by a serde visitor without a hash map: its members in
//! order, strings borrowed from the text where they have no escapes.

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

/// PLACEMENT_OPTIONS as sent: an object (PHP's empty array `[]` is an empty one), or
/// something else. Read without a hash map, and with its strings borrowed from the text
/// where they have no escapes: it holds a handful of ids, looked up by name a few times.
pub(crate) enum RawOptions<'a> {
    Object(Members<'a>),
    NotAnObject,
}

/// The members of an object, in order; a repeated name keeps its first place and its last
/// value, as `serde_json::Map` does.
pub(crate) struct Members<'a>(pub(crate) Vec<(Cow<'a, str>, Member<'a>)>);

/// A member's value: a string (what ids are), or any other JSON.
pub(crate) enum Member<'a> {
    Str(Cow<'a, str>),
    Other(Value),
}

impl Member<'_> {
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Member::Str(s) => Value::String(s.to_string()),
            Member::Other(v) => v.clone(),
        }
    }

    pub(crate) fn into_value(self) -> Value {
        match self {
            Member::Str(s) => Value::String(s.into_owned()),
            Member::Other(v) => v,
        }
    }

    /// The id in a string of digits (as Bitrix24 sends ids) or a JSON whole number, or
    /// why there is none.
    pub(crate) fn id(&self) -> Result<u64, String> {
        match self {
            Member::Other(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or_default()),
            Member::Str(s) if !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()) => s
                .parse()
                .map_err(|_| "an id must be a string of digits".to_owned()),
            other => Err(format!(
                "an id must be a string of digits or a whole number, found {}",
                other.to_value()
            )),
        }
    }
}

impl<'a> Members<'a> {
    pub(crate) fn get(&self, key: &str) -> Option<&Member<'a>> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_map(self) -> Map<String, Value> {
        self.0
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_value()))
            .collect()
    }
}

/// A string borrowed from the text when it can be.
struct Text<'a>(Cow<'a, str>);

impl<'de> serde_core::Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> serde_core::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(s)))
    }
}

impl<'de> serde_core::Deserialize<'de> for Member<'de> {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_core::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        use serde_core::de::{MapAccess, SeqAccess, Visitor};
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Member<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: serde_core::de::Error>(self, s: &'de str) -> Result<Member<'de>, E> {
                TextVisitor.visit_borrowed_str(s).map(|Text(s)| Member::Str(s))
            }
            fn visit_str<E: serde_core::de::Error>(self, s: &str) -> Result<Member<'de>, E> {
                TextVisitor.visit_str(s).map(|Text(s)| Member::Str(s))
            }
            fn visit_string<E: serde_core::de::Error>(self, s: String) -> Result<Member<'de>, E> {
                TextVisitor.visit_string(s).map(|Text(s)| Member::Str(s))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::from(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::from(n)))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::from(n)))
            }
            fn visit_unit<E>(self) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::Null))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member<'de>, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(Member::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Member<'de>, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(seq)).map(Member::Other)
            }
        }
        use serde_core::Deserialize;
        d.deserialize_any(Any)
    }
}

impl<'de> serde_core::Deserialize<'de> for RawOptions<'de> {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_core::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Raw;
        impl<'de> Visitor<'de> for Raw {
            type Value = RawOptions<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawOptions<'de>, A::Error> {
                let mut members: Vec<(Cow<'de, str>, Member<'de>)> = Vec::new();
                while let Some((Text(key), value)) = map.next_entry::<Text<'de>, Member<'de>>()? {
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(member) => member.1 = value,
                        None => members.push((key, value)),
                    }
                }
                Ok(RawOptions::Object(Members(members)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawOptions<'de>, A::Error> {
                let mut empty = true;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    empty = false;
                }
                // PHP encodes an empty array as []
                Ok(if empty {
                    RawOptions::Object(Members(Vec::new()))
                } else {
                    RawOptions::NotAnObject
                })
            }
            fn visit_bool<E>(self, _: bool) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_i64<E>(self, _: i64) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_u64<E>(self, _: u64) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_f64<E>(self, _: f64) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_str<E>(self, _: &str) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_unit<E>(self) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
        }
        d.deserialize_any(Raw)
    }
}
