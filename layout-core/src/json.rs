//! Reading a LayoutDto from JSON written anywhere (PHP, JS, by hand): first the rule
//! table over the raw JSON, so that every problem is reported with its pointer, then the
//! conversion into the typed model.
//!
//! JSON text is read with a parser that notices a key written twice in one object:
//! `JSON.parse` in the browser, like serde_json, silently keeps the last one, so a block
//! with a repeated id would vanish without a word.

use std::cell::RefCell;
use std::fmt;

use serde_core::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::check::check_root;
use crate::pointer::Ptr;
use crate::violation::{Rule, Violation, Violations};

/// Why a JSON text is not a valid layout.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON at all (serde_json's line and column).
    #[error("not valid JSON: {0}")]
    Syntax(#[from] serde_json::Error),
    /// JSON, but it breaks rules of the layout.
    #[error("{0}")]
    Invalid(#[from] Violations),
}

/// Every rule `value` breaks as a LayoutDto.
pub fn check_value(value: &Value) -> Result<(), Violations> {
    check_value_as(value, crate::schema::ROOT)
}

/// Every rule `value` breaks as a document whose root object is `root` (a widget's
/// LayoutDto, a timeline LayoutDto, a RestAppLayoutDto).
pub fn check_value_as(value: &Value, root: &'static crate::schema::StructSpec) -> Result<(), Violations> {
    let report = check_root(value, root);
    if report.violations.is_empty() {
        Ok(())
    } else {
        Err(Violations(report.violations))
    }
}

/// Parses JSON text into a value (key order kept), and lists every key that appears twice
/// in one object, by JSON pointer. The value keeps the last occurrence, as `JSON.parse`.
pub fn parse_json(text: &str) -> Result<(Value, Vec<Violation>), serde_json::Error> {
    let duplicates = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed {
        ptr: &Ptr::Root,
        duplicates: &duplicates,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok((value, duplicates.into_inner()))
}

/// Checks JSON text as a LayoutDto: syntax errors, keys written twice, and every rule.
pub fn check_json(text: &str) -> Result<Value, ReadError> {
    check_json_as(text, crate::schema::ROOT)
}

/// [`check_json`] for a document whose root object is `root`.
pub fn check_json_as(text: &str, root: &'static crate::schema::StructSpec) -> Result<Value, ReadError> {
    let (value, mut violations) = parse_json(text)?;
    if let Err(Violations(more)) = check_value_as(&value, root) {
        violations.extend(more);
    }
    if violations.is_empty() {
        Ok(value)
    } else {
        violations.sort_by_key(|v| document_order(&value, &v.pointer));
        Err(ReadError::Invalid(Violations(violations)))
    }
}

/// Checks JSON text as [`check_json`] does, and places each violation in the text (line
/// and column). The text is indexed only when there is a violation to place.
pub fn check_json_located(text: &str) -> Result<Value, (ReadError, Vec<Option<crate::position::Position>>)> {
    check_json_located_as(text, crate::schema::ROOT)
}

/// [`check_json_located`] for a document whose root object is `root`.
pub fn check_json_located_as(
    text: &str,
    root: &'static crate::schema::StructSpec,
) -> Result<Value, (ReadError, Vec<Option<crate::position::Position>>)> {
    check_json_as(text, root).map_err(|e| {
        let places = match &e {
            ReadError::Invalid(violations) => {
                let map = crate::position::SourceMap::new(text);
                violations.iter().map(|v| map.locate(v)).collect()
            }
            ReadError::Syntax(_) => Vec::new(),
        };
        (e, places)
    })
}

/// A sort key that keeps pointers in the order their values appear in the document.
fn document_order(root: &Value, pointer: &str) -> Vec<usize> {
    let mut key = Vec::new();
    let mut node = Some(root);
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = node.and_then(|n| match n {
            Value::Object(m) => m.iter().position(|(k, _)| *k == token).zip(m.get(&token)),
            _ => None,
        });
        match next {
            Some((i, v)) => {
                key.push(i);
                node = Some(v);
            }
            None => {
                key.push(usize::MAX);
                node = None;
            }
        }
    }
    key
}

struct Seed<'a> {
    ptr: &'a Ptr<'a>,
    duplicates: &'a RefCell<Vec<Violation>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let index = out.len().to_string();
            let ptr = self.ptr.key(&index);
            match seq.next_element_seed(Seed {
                ptr: &ptr,
                duplicates: self.duplicates,
            })? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = {
                let ptr = self.ptr.key(&key);
                map.next_value_seed(Seed {
                    ptr: &ptr,
                    duplicates: self.duplicates,
                })?
            };
            if out.contains_key(&key) {
                self.duplicates.borrow_mut().push(
                    Violation::new(
                        self.ptr.key(&key).render(),
                        Rule::DuplicateKey,
                        format!("key `{key}` appears twice in one object"),
                    )
                    .with_help("JSON.parse keeps only the last one: rename or remove the other"),
                );
                out.shift_remove(&key);
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::LayoutDto;

    #[test]
    fn duplicate_keys_are_reported_with_their_pointer() {
        let text = r#"{"blocks":{"a":{"type":"text","properties":{"value":"1"}},
                        "a":{"type":"text","properties":{"value":"2","value":"3"}}}}"#;
        let ReadError::Invalid(v) = LayoutDto::from_json(text).unwrap_err() else {
            panic!()
        };
        let pointers: Vec<_> = v.iter().map(|v| (v.pointer.as_str(), v.rule)).collect();
        assert_eq!(
            pointers,
            [
                ("/blocks/a", Rule::DuplicateKey),
                ("/blocks/a/properties/value", Rule::DuplicateKey)
            ]
        );
    }

    #[test]
    fn syntax_errors_keep_line_and_column() {
        let ReadError::Syntax(e) = LayoutDto::from_json("{\n  \"blocks\": {,}\n}").unwrap_err() else {
            panic!()
        };
        assert_eq!(e.line(), 2);
    }

    #[test]
    fn trailing_garbage_is_a_syntax_error() {
        assert!(matches!(LayoutDto::from_json("{} x"), Err(ReadError::Syntax(_))));
    }
}
