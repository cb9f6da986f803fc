//! Reading what the portal answers: the result envelope, the error envelope, and anything
//! else (an HTML page, a proxy's error) as an error that says what it was.

use serde_json::{Map, Value};

use crate::error::{ApiError, Error, ErrorCode};

/// The answer of a call: its `result`, and for list methods `total` and `next`.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub result: Value,
    /// How many items a list method has in all (absent with `start=-1`).
    pub total: Option<u64>,
    /// The `start` of the next page, when there is one.
    pub next: Option<u64>,
    pub time: Option<Time>,
}

/// The `time` member of an answer; every member is optional, as its composition varies.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Time {
    pub start: Option<f64>,
    pub finish: Option<f64>,
    pub duration: Option<f64>,
    pub processing: Option<f64>,
    /// Seconds of the method's time budget used in the last 10 minutes.
    pub operating: Option<f64>,
    /// When the oldest minute of that budget expires (unix seconds).
    pub operating_reset_at: Option<u64>,
    pub date_start: Option<String>,
    pub date_finish: Option<String>,
}

impl Time {
    pub fn from_value(v: &Value) -> Option<Time> {
        let o = v.as_object()?;
        let f = |k: &str| o.get(k).and_then(number);
        Some(Time {
            start: f("start"),
            finish: f("finish"),
            duration: f("duration"),
            processing: f("processing"),
            operating: f("operating"),
            operating_reset_at: o.get("operating_reset_at").and_then(whole),
            date_start: o.get("date_start").and_then(Value::as_str).map(str::to_owned),
            date_finish: o.get("date_finish").and_then(Value::as_str).map(str::to_owned),
        })
    }
}

/// A number sent as a JSON number or as a string of one.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A whole non-negative number sent as a JSON number or as a string of digits.
pub(crate) fn whole(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The error of an error envelope (`error` and `error_description`); `None` when the
/// object has no `error` member.
pub fn api_error(o: &Map<String, Value>, status: u16) -> Option<ApiError> {
    let code = match o.get("error")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let description = match o.get("error_description") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    Some(ApiError {
        code: ErrorCode::parse(&code),
        description,
        status,
        reset_at: None,
    })
}

/// What a body that is not a REST envelope looks like, for the error message. The text
/// itself is not repeated beyond a short, escaped start.
fn describe(body: &[u8], content_type: Option<&str>) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    let kind = if body.is_empty() {
        return "an empty body".into();
    } else if trimmed.starts_with('<') || content_type.is_some_and(|c| c.contains("html")) {
        "an HTML page"
    } else if serde_json::from_slice::<Value>(body).is_ok() {
        "JSON without `result` or `error`"
    } else {
        "text"
    };
    let start: String = trimmed.chars().take(60).collect();
    let more = if trimmed.chars().count() > 60 { "..." } else { "" };
    format!("{kind} ({start:?}{more})")
}

/// Reads the body of an answer to `method` that came with `status`.
pub fn read_answer(
    method: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Answer, Error> {
    let not_json = || Error::NotJson {
        method: method.to_owned(),
        status,
        what: describe(body, content_type),
    };
    let Ok(Value::Object(mut o)) = serde_json::from_slice::<Value>(body) else {
        return Err(not_json());
    };
    if let Some(error) = api_error(&o, status) {
        return Err(Error::Api {
            method: method.to_owned(),
            error,
        });
    }
    let Some(result) = o.remove("result") else {
        return Err(not_json());
    };
    if status >= 400 {
        return Err(not_json());
    }
    Ok(Answer {
        result,
        total: o.get("total").and_then(whole),
        next: o.get("next").and_then(whole),
        time: o.get("time").and_then(Time::from_value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes() {
        let a = read_answer("crm.deal.list", 200, None, br#"{"result":[{"ID":"1"}],"total":"120","next":50,"time":{"start":1.5,"operating_reset_at":1778747792}}"#).unwrap();
        assert_eq!((a.total, a.next), (Some(120), Some(50)));
        assert_eq!(a.time.unwrap().operating_reset_at, Some(1778747792));

        let e = read_answer(
            "crm.deal.get",
            400,
            None,
            br#"{"error":"","error_description":"Not found"}"#,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "crm.deal.get: Not found");
        assert_eq!(e.code(), Some(&ErrorCode::Other(String::new())));

        let e = read_answer(
            "x",
            401,
            None,
            br#"{"error":"expired_token","error_description":"The access token provided has expired."}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Some(&ErrorCode::ExpiredToken));
        let e = read_answer("x", 400, None, br#"{"error":100,"error_description":"x"}"#).unwrap_err();
        assert_eq!(e.code(), Some(&ErrorCode::Other("100".into())));

        let e = read_answer(
            "x",
            502,
            Some("text/html"),
            b"<html><body>Bad gateway</body></html>",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x: the portal answered HTTP 502 with an HTML page (\"<html>"),
            "{e}"
        );
        let e = read_answer("x", 200, None, b"").unwrap_err();
        assert!(e.to_string().contains("an empty body"));
        let e = read_answer("x", 200, None, b"{\"ok\":1}").unwrap_err();
        assert!(e.to_string().contains("JSON without `result` or `error`"));
    }

    proptest::proptest! {
        /// Whatever a server answers, reading it gives an answer or an error, never a panic.
        #[test]
        fn any_status_and_body_is_read_without_panic(status in 0u16..1000, body in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = read_answer("m", status, None, &body);
        }

        #[test]
        fn any_json_envelope_is_read_without_panic(status in 100u16..600, v in json_value()) {
            let body = serde_json::to_vec(&v).unwrap();
            match read_answer("m", status, Some("application/json"), &body) {
                Ok(a) => proptest::prop_assert!(v.get("result").is_some() && v.get("error").is_none() && status < 400, "{:?}", a),
                Err(Error::Api { .. }) => proptest::prop_assert!(v.get("error").is_some()),
                Err(Error::NotJson { .. }) => {}
                Err(other) => proptest::prop_assert!(false, "{}", other),
            }
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[a-z_]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(
                    (
                        prop_oneof![
                            Just("result".to_owned()),
                            Just("error".to_owned()),
                            Just("error_description".to_owned()),
                            Just("total".to_owned()),
                            Just("next".to_owned()),
                            Just("time".to_owned()),
                            "[a-z]{1,4}"
                        ],
                        inner
                    ),
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
