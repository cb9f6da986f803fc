//! Params of a REST call as the portal reads them: a JSON body, or a query / form body
//! with PHP's nested keys (`fields[TITLE]=x`, `select[]=ID`).

use serde_json::{Map, Value};

/// Reads `a=1&b[c]=2&d[]=x&d[]=y` into `{"a":"1","b":{"c":"2"},"d":{"0":"x","1":"y"}}`
/// as PHP's `parse_str` does (lists become objects keyed by index).
pub fn parse_query(text: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in form_urlencoded::parse(text.trim_start_matches('?').as_bytes()) {
        let (head, rest) = match key.find('[') {
            Some(i) if key.ends_with(']') => (&key[..i], Some(&key[i..])),
            _ => (&key[..], None),
        };
        if head.is_empty() {
            continue;
        }
        let mut path = vec![head.to_owned()];
        if let Some(rest) = rest {
            // "[a][b][]" -> a, b, ""
            path.extend(
                rest.trim_start_matches('[')
                    .trim_end_matches(']')
                    .split("][")
                    .map(str::to_owned),
            );
        }
        insert(&mut out, &path, Value::String(value.into_owned()));
    }
    out
}

fn insert(map: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let key = if first.is_empty() {
        map.len().to_string()
    } else {
        first.clone()
    };
    if rest.is_empty() {
        map.insert(key, value);
        return;
    }
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(inner) = slot {
        insert(inner, rest, value);
    }
}

/// A whole number sent as a number or a string of digits.
pub fn as_id(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An integer that may be negative (`start=-1`).
pub fn as_int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value PHP would call true (`true`, `1`, `"1"`, `"Y"`, `"true"`).
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => matches!(s.as_str(), "1" | "Y" | "y" | "true"),
        _ => false,
    }
}

/// Reads an id the way the portal does (for tests of other crates).
pub fn id_of(v: &Value) -> Option<u64> {
    as_id(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn php_keys() {
        let m = parse_query("a=1&b[c]=2&d[]=x&d[]=y&filter[%3EID]=5&e[f][g]=h");
        assert_eq!(
            Value::Object(m),
            json!({"a": "1", "b": {"c": "2"}, "d": {"0": "x", "1": "y"}, "filter": {">ID": "5"}, "e": {"f": {"g": "h"}}})
        );
        assert_eq!(as_int(Some(&json!("-1"))), Some(-1));
    }
}
