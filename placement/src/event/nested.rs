//! PHP's nested form keys, as Bitrix24 sends an event's `data`: `data[FIELDS][ID]=662`
//! is `{"FIELDS": {"ID": "662"}}`, `data[IDS][]=1&data[IDS][]=2` is `{"IDS": ["1", "2"]}`.
//! Read into JSON in the order the keys came, and written back the same way.

use serde_json::{Map, Value};

/// How deep a key may nest (`data[a][b][c]...`): deeper is refused, not followed.
pub const MAX_DEPTH: usize = 8;

/// The parts of a nested key after its root: `[FIELDS][ID]` is `["FIELDS", "ID"]`, `[]`
/// an empty part (append). `None` when the brackets do not close.
pub(crate) fn key_path(rest: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut rest = rest;
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let end = inner.find(']')?;
        if inner[..end].contains('[') {
            return None;
        }
        parts.push(&inner[..end]);
        rest = &inner[end + 1..];
    }
    Some(parts)
}

/// Puts `value` at `path` in `into`; a key that is both a value and a group (`a=1&a[b]=2`)
/// is refused with a message.
pub(crate) fn insert(into: &mut Map<String, Value>, path: &[&str], value: String) -> Result<(), String> {
    if path.len() > MAX_DEPTH {
        return Err(format!("nests deeper than {MAX_DEPTH} levels"));
    }
    let Some((first, rest)) = path.split_first() else {
        return Err("an empty key".into());
    };
    if first.is_empty() {
        return Err("`[]` is not allowed at the top".into());
    }
    insert_at(
        into.entry((*first).to_owned()).or_insert(Value::Null),
        rest,
        value,
    )
}

fn insert_at(slot: &mut Value, path: &[&str], value: String) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return match slot {
            Value::Null => {
                *slot = Value::String(value);
                Ok(())
            }
            _ => Err("is given twice, or both as a value and as a group".into()),
        };
    };
    if first.is_empty() {
        // `[]`: the next item of a list
        if slot.is_null() {
            *slot = Value::Array(Vec::new());
        }
        let Value::Array(items) = slot else {
            return Err("mixes `[]` with named keys, or with a value".into());
        };
        items.push(Value::Null);
        let last = items.last_mut().ok_or("no item")?;
        return insert_at(last, rest, value);
    }
    if slot.is_null() {
        *slot = Value::Object(Map::new());
    }
    let Value::Object(map) = slot else {
        return Err("mixes named keys with `[]`, or with a value".into());
    };
    insert_at(map.entry((*first).to_owned()).or_insert(Value::Null), rest, value)
}

/// Writes `value` under `prefix` as PHP's nested keys: objects as `[key]`, lists as
/// `[]`, scalars as their text (`true` as `1`, `null` as empty).
pub(crate) fn write(form: &mut form_urlencoded::Serializer<'_, String>, prefix: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                write(form, &format!("{prefix}[{k}]"), v);
            }
        }
        Value::Array(items) => {
            for v in items {
                write(form, &format!("{prefix}[]"), v);
            }
        }
        Value::String(s) => {
            form.append_pair(prefix, s);
        }
        Value::Bool(b) => {
            form.append_pair(prefix, if *b { "1" } else { "0" });
        }
        Value::Number(n) => {
            form.append_pair(prefix, &n.to_string());
        }
        Value::Null => {
            form.append_pair(prefix, "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn read(pairs: &[(&str, &str)]) -> Result<Value, String> {
        let mut map = Map::new();
        for (k, v) in pairs {
            let path = key_path(k).ok_or("unclosed")?;
            insert(&mut map, &path, (*v).to_owned())?;
        }
        Ok(Value::Object(map))
    }

    #[test]
    fn nested_keys_become_objects_and_lists_in_order() {
        assert_eq!(
            read(&[
                ("[FIELDS][ID]", "662"),
                ("[FIELDS][ENTITY_TYPE_ID]", "147"),
                ("[IDS][]", "1"),
                ("[IDS][]", "2")
            ]),
            Ok(json!({"FIELDS": {"ID": "662", "ENTITY_TYPE_ID": "147"}, "IDS": ["1", "2"]}))
        );
        assert!(read(&[("[A]", "1"), ("[A][B]", "2")]).is_err());
        assert!(read(&[("[A][B]", "1"), ("[A]", "2")]).is_err());
        assert!(read(&[("[A][]", "1"), ("[A][B]", "2")]).is_err());
        assert!(read(&[("[A]", "1"), ("[A]", "2")]).is_err());
        assert!(read(&[("[]", "1")]).is_err());
        assert_eq!(key_path("[A"), None);
        assert_eq!(key_path("x"), None);
        assert!(read(&[("[a][b][c][d][e][f][g][h][i]", "1")]).is_err());
    }

    /// JSON of strings, objects and lists whose objects are not empty (an empty group
    /// writes no key) and whose lists hold scalars or objects.
    fn data() -> impl Strategy<Value = Value> {
        let leaf = "[a-zA-Z0-9 %&=+\\[\\]]{0,8}".prop_map(Value::String);
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(("[A-Z_]{1,6}", inner.clone()), 1..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
                prop::collection::vec("[a-z0-9]{0,4}".prop_map(Value::String), 1..4).prop_map(Value::Array),
            ]
        })
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back(fields in prop::collection::vec(("[A-Z_]{1,6}", data()), 0..5)) {
            let value: Map<String, Value> = fields.into_iter().collect();
            let mut form = form_urlencoded::Serializer::new(String::new());
            write(&mut form, "data", &Value::Object(value.clone()));
            let text = form.finish();
            let mut back = Map::new();
            for (k, v) in form_urlencoded::parse(text.as_bytes()) {
                let rest = k.strip_prefix("data").unwrap();
                insert(&mut back, &key_path(rest).unwrap(), v.into_owned()).unwrap();
            }
            prop_assert_eq!(back, value);
        }

        #[test]
        fn any_key_is_read_or_refused_without_a_panic(keys in prop::collection::vec("[\\[\\]a-z]{0,12}", 0..6)) {
            let mut map = Map::new();
            for k in &keys {
                if let Some(path) = key_path(k) {
                    let _ = insert(&mut map, &path, "v".to_owned());
                }
            }
        }
    }
}
