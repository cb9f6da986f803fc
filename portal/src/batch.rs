//! `batch`: at most 50 commands run in order, `$result[...]` references resolved.

use serde_json::{json, Map, Value};

use crate::failure::Failure;
use crate::oauth::Caller;
use crate::params::{parse_query, truthy};
use crate::portal::Portal;

impl Portal {
    /// `batch`: at most 50 commands, run in order, `$result[...]` references resolved.
    pub(crate) fn batch(&self, caller: Caller, p: &Map<String, Value>) -> Result<Value, Failure> {
        let cmd = match p.get("cmd") {
            Some(Value::Object(o)) => o.clone(),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
            _ => return Err(Failure::bad("INVALID_ARG_VALUE", "cmd is required")),
        };
        if cmd.len() > 50 {
            return Err(Failure::bad(
                "ERROR_BATCH_LENGTH_EXCEEDED",
                "Max batch length exceeded",
            ));
        }
        let halt = truthy(p.get("halt"));
        let (mut result, mut errors, mut totals, mut nexts) =
            (Map::new(), Map::new(), Map::new(), Map::new());
        for (name, command) in &cmd {
            let Some(text) = command.as_str() else {
                errors.insert(
                    name.clone(),
                    Failure::bad("INVALID_ARG_VALUE", "a command is a string").body(),
                );
                if halt {
                    break;
                }
                continue;
            };
            let (method, query) = text.split_once('?').unwrap_or((text, ""));
            let mut params = parse_query(query);
            resolve_refs(&mut params, &result);
            match self.run(caller, method, &params, true) {
                Ok(listed) => {
                    result.insert(name.clone(), listed.result);
                    if let Some(t) = listed.total {
                        totals.insert(name.clone(), Value::from(t));
                    }
                    if let Some(n) = listed.next {
                        nexts.insert(name.clone(), Value::from(n));
                    }
                }
                Err(f) => {
                    errors.insert(name.clone(), f.body());
                    if halt {
                        break;
                    }
                }
            }
        }
        // PHP sends an empty map as []
        let php = |m: Map<String, Value>| if m.is_empty() { json!([]) } else { Value::Object(m) };
        Ok(
            json!({"result": php(result), "result_error": php(errors), "result_total": php(totals),
                  "result_next": php(nexts), "result_time": []}),
        )
    }
}

/// Replaces `$result[name][key]...` in string values by what the earlier commands gave.
fn resolve_refs(params: &mut Map<String, Value>, results: &Map<String, Value>) {
    for v in params.values_mut() {
        match v {
            Value::String(s) if s.starts_with("$result[") => {
                if let Some(found) = lookup_ref(s, results) {
                    *v = found;
                }
            }
            Value::Object(o) => resolve_refs(o, results),
            _ => {}
        }
    }
}

/// The value a reference points at; a number as the text a query string would hold.
fn lookup_ref(reference: &str, results: &Map<String, Value>) -> Option<Value> {
    let found = b24_placement::batch::result_reference(reference, |name| results.get(name))?;
    Some(match found {
        Value::Number(n) => Value::String(n.to_string()),
        other => other.clone(),
    })
}
