//! The `batch` method's references, as the client and the local portal both read them: a
//! command's param `$result[name][key]...` stands for what the earlier command `name`
//! answered, at that path.

use serde_json::Value;

/// The value `reference` (`$result[name][key]...`) points at, given the answers of the
/// earlier commands by name; `None` for anything else, or a path that is not there.
pub fn result_reference<'a>(
    reference: &str,
    answer_of: impl Fn(&str) -> Option<&'a Value>,
) -> Option<&'a Value> {
    let path = reference.strip_prefix("$result[")?.strip_suffix(']')?;
    let mut keys = path.split("][");
    let mut node = answer_of(keys.next()?)?;
    for k in keys {
        node = match node {
            Value::Object(o) => o.get(k)?,
            Value::Array(a) => a.get(k.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::result_reference;

    #[test]
    fn references_read_the_earlier_answers() {
        let answers = json!({"deal": {"ID": 7, "CONTACTS": [{"ID": 3}]}});
        let of = |name: &str| answers.get(name);
        assert_eq!(result_reference("$result[deal][ID]", of), Some(&json!(7)));
        assert_eq!(
            result_reference("$result[deal][CONTACTS][0][ID]", of),
            Some(&json!(3))
        );
        assert_eq!(result_reference("$result[deal]", of), answers.get("deal"));
        for missing in [
            "$result[lead][ID]",
            "$result[deal][TITLE]",
            "$result[deal][CONTACTS][9]",
            "deal[ID]",
            "$result[deal",
        ] {
            assert_eq!(result_reference(missing, of), None, "{missing}");
        }
    }
}
