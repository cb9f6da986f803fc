//! `batch`: any number of commands, sent in calls of at most 50, their results and errors
//! by command name.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use crate::answer::{api_error, whole};
use crate::client::Client;
use crate::error::{ApiError, Error};

/// The most commands one `batch` call takes.
pub const BATCH_MAX: usize = 50;

/// Commands to run in order, each by name. A command's params may refer to the result of
/// an earlier command with `$result[name][FIELD]`: within one call of 50 the portal
/// resolves it; a command of an earlier call is resolved by the client before sending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    commands: IndexMap<String, (String, Value)>,
    halt: bool,
}

impl Batch {
    pub fn new() -> Self {
        Batch::default()
    }

    /// Adds the command `name`: `method` with `params` (an object, or null).
    #[must_use]
    pub fn add(mut self, name: impl Into<String>, method: impl Into<String>, params: Value) -> Self {
        self.push(name, method, params);
        self
    }

    /// Adds a command in place; a name used before is replaced.
    pub fn push(&mut self, name: impl Into<String>, method: impl Into<String>, params: Value) {
        self.commands.insert(name.into(), (method.into(), params));
    }

    /// Stop at the first command that fails (the portal's `halt`); the later calls of 50
    /// are not sent either.
    #[must_use]
    pub fn halt(mut self, halt: bool) -> Self {
        self.halt = halt;
        self
    }

    pub fn len(&self) -> usize {
        self.commands.len()
    }

    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Reads `{"name": ["method", {params}] | "method?query", ...}`, the form `b24 batch`
    /// takes; the message names the command at fault.
    pub fn from_json(value: &Value) -> Result<Batch, String> {
        let o = value.as_object().ok_or(
            "a batch is a JSON object of command name to [\"method\", {params}] or \"method?query\"",
        )?;
        let mut batch = Batch::new();
        for (name, command) in o {
            match command {
                Value::String(s) => {
                    let (method, query) = s.split_once('?').unwrap_or((s, ""));
                    batch
                        .commands
                        .insert(name.clone(), (method.to_owned(), Value::String(query.to_owned())));
                }
                Value::Array(a) if matches!(a.first(), Some(Value::String(_))) && a.len() <= 2 => {
                    let method = a[0].as_str().unwrap_or_default().to_owned();
                    let params = a.get(1).cloned().unwrap_or(Value::Null);
                    if !matches!(params, Value::Object(_) | Value::Null) {
                        return Err(format!("/{name}: the params of a command must be an object"));
                    }
                    batch.commands.insert(name.clone(), (method, params));
                }
                _ => {
                    return Err(format!(
                        "/{name}: a command is [\"method\", {{params}}] or \"method?query\""
                    ))
                }
            }
        }
        Ok(batch)
    }
}

/// What a batch gave: each command's result, or its error, by name; list commands' totals
/// and next pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchAnswer {
    pub result: IndexMap<String, Value>,
    pub errors: IndexMap<String, ApiError>,
    pub total: IndexMap<String, u64>,
    pub next: IndexMap<String, u64>,
}

impl BatchAnswer {
    /// `{"result": {...}, "result_error": {...}}`, as `b24 batch` prints it.
    pub fn to_json(&self) -> Value {
        let errors: Map<String, Value> = self
            .errors
            .iter()
            .map(|(k, e)| {
                (
                    k.clone(),
                    json!({"error": e.code.as_str(), "error_description": e.description}),
                )
            })
            .collect();
        json!({
            "result": self.result.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Map<_, _>>(),
            "result_error": errors,
        })
    }
}

/// A command as the `cmd` of a batch takes it: `method?query`, the params encoded as PHP
/// reads a query (`fields[TITLE]=x`, `select[0]=ID`).
pub fn command_string(method: &str, params: &Value) -> String {
    let query = match params {
        Value::String(q) => q.clone(),
        Value::Object(_) => {
            let mut pairs = Vec::new();
            php_pairs(params, String::new(), &mut pairs);
            let mut out = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                out.append_pair(k, v);
            }
            out.finish()
        }
        _ => String::new(),
    };
    if query.is_empty() {
        method.to_owned()
    } else {
        format!("{method}?{query}")
    }
}

fn php_pairs(value: &Value, prefix: String, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}[{k}]")
        }
    };
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                php_pairs(v, key(k), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                php_pairs(v, key(&i.to_string()), out);
            }
        }
        Value::Null => {}
        Value::Bool(b) => out.push((prefix, if *b { "1" } else { "0" }.to_owned())),
        Value::Number(n) => out.push((prefix, n.to_string())),
        Value::String(s) => out.push((prefix, s.clone())),
    }
}

/// The value `$result[name][key]...` refers to in `results`, if `name` is there.
fn lookup(reference: &str, results: &IndexMap<String, Value>) -> Option<Value> {
    b24_placement::batch::result_reference(reference, |name| results.get(name)).cloned()
}

/// A scalar as a query string holds it.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        _ => None,
    }
}

/// `params` with every `$result[...]` that names a command of `earlier` replaced by its
/// value; references to commands of the same call are left for the portal.
fn resolve_earlier(params: &Value, earlier: &IndexMap<String, Value>) -> Value {
    if earlier.is_empty() {
        return params.clone();
    }
    match params {
        Value::String(s) if s.starts_with("$result[") => lookup(s, earlier).unwrap_or_else(|| params.clone()),
        // a `method?query` command: references stand whole after `=`
        Value::String(q) => Value::String(
            q.split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, v)) if v.starts_with("$result[") => {
                        match lookup(v, earlier).as_ref().and_then(scalar_text) {
                            Some(text) => {
                                let encoded: String =
                                    form_urlencoded::byte_serialize(text.as_bytes()).collect();
                                format!("{k}={encoded}")
                            }
                            None => pair.to_owned(),
                        }
                    }
                    _ => pair.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("&"),
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), resolve_earlier(v, earlier)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve_earlier(v, earlier)).collect()),
        other => other.clone(),
    }
}

/// A map that PHP sends as `[]` when empty.
fn members(v: Option<&Value>) -> Map<String, Value> {
    match v {
        Some(Value::Object(o)) => o.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        _ => Map::new(),
    }
}

impl Client {
    /// Runs every command of `batch`, in calls of at most [`BATCH_MAX`], and gives their
    /// results and errors by name. Fails only when a call itself fails.
    pub async fn batch(&self, batch: &Batch) -> Result<BatchAnswer, Error> {
        let mut out = BatchAnswer::default();
        let names: Vec<&String> = batch.commands.keys().collect();
        for chunk in names.chunks(BATCH_MAX) {
            let cmd: Map<String, Value> = chunk
                .iter()
                .map(|name| {
                    let (method, params) = &batch.commands[*name];
                    // a reference to a command of an earlier call of 50 is resolved here:
                    // the portal only knows the results of the call it runs
                    let mut params = resolve_earlier(params, &out.result);
                    if let Value::Object(p) = &mut params {
                        self.through_channel(method, p);
                    }
                    ((*name).clone(), Value::String(command_string(method, &params)))
                })
                .collect();
            let answer = self
                .call(
                    "batch",
                    json!({"halt": if batch.halt { 1 } else { 0 }, "cmd": cmd}),
                )
                .await?;
            let r = answer.result.as_object().cloned().unwrap_or_default();
            for (k, v) in members(r.get("result")) {
                out.result.insert(k, v);
            }
            for (k, v) in members(r.get("result_error")) {
                let error = v
                    .as_object()
                    .and_then(|o| api_error(o, 200))
                    .unwrap_or_else(|| ApiError {
                        code: crate::ErrorCode::Other(String::new()),
                        description: v.to_string(),
                        status: 200,
                        reset_at: None,
                    });
                out.errors.insert(k, error);
            }
            for (k, v) in members(r.get("result_total")) {
                if let Some(n) = whole(&v) {
                    out.total.insert(k, n);
                }
            }
            for (k, v) in members(r.get("result_next")) {
                if let Some(n) = whole(&v) {
                    out.next.insert(k, n);
                }
            }
            if batch.halt && !out.errors.is_empty() {
                break;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_encoded_as_php_reads_them() {
        let s = command_string(
            "crm.deal.list",
            &json!({"filter": {">ID": 5, "STAGE_ID": "NEW"}, "select": ["ID", "TITLE"], "start": -1}),
        );
        assert_eq!(
            s,
            "crm.deal.list?filter%5B%3EID%5D=5&filter%5BSTAGE_ID%5D=NEW&select%5B0%5D=ID&select%5B1%5D=TITLE&start=-1"
        );
        assert_eq!(command_string("user.current", &Value::Null), "user.current");
        assert_eq!(
            command_string("crm.deal.get", &json!("id=$result[a][0][ID]")),
            "crm.deal.get?id=$result[a][0][ID]"
        );
    }

    #[test]
    fn references_to_earlier_calls_are_resolved() {
        let mut earlier = IndexMap::new();
        earlier.insert("list".to_owned(), json!([{"ID": "41", "TITLE": "a & b"}]));
        let params = json!({"id": "$result[list][0][ID]", "fields": {"TITLE": "$result[list][0][TITLE]"}, "keep": "$result[same][ID]"});
        assert_eq!(
            resolve_earlier(&params, &earlier),
            json!({"id": "41", "fields": {"TITLE": "a & b"}, "keep": "$result[same][ID]"})
        );
        let query = Value::String("id=$result[list][0][ID]&t=$result[list][0][TITLE]&x=1".into());
        assert_eq!(resolve_earlier(&query, &earlier), json!("id=41&t=a+%26+b&x=1"));
    }

    #[test]
    fn the_cli_form_is_read_with_pointers() {
        let b = Batch::from_json(&json!({"a": ["crm.deal.get", {"id": 1}], "b": "crm.deal.list?start=-1"}))
            .unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(
            Batch::from_json(&json!({"a": 1})).unwrap_err(),
            "/a: a command is [\"method\", {params}] or \"method?query\""
        );
        assert!(Batch::from_json(&json!([])).is_err());
    }
}
