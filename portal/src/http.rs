//! The portal over HTTP: `/rest/...` (OAuth or the webhook), `/oauth/token/`, the
//! envelopes of answers and errors, params from the query, a form or JSON.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use b24_placement::time::unix_now;
use serde_json::{json, Map, Value};
use tokio::time::Instant;

use crate::failure::Failure;
use crate::params::parse_query;
use crate::portal::Portal;

/// The `time` member of an answer.
fn time(started: Instant) -> Value {
    let now = b24_placement::time::since_epoch().as_secs_f64();
    let took = started.elapsed().as_secs_f64();
    json!({"start": now - took, "finish": now, "duration": took, "processing": took,
           "operating": 0, "operating_reset_at": unix_now() + 600})
}

fn answer(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// The params of a call: the query string, then the body (JSON or a form) over it.
fn read_params(query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, Failure> {
    let mut params = query.map(parse_query).unwrap_or_default();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(params);
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("json"));
    let from_body = if json {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) => o,
            Ok(_) => return Err(Failure::bad("INVALID_REQUEST", "the JSON body must be an object")),
            Err(_) => return Err(Failure::bad("INVALID_REQUEST", "the body is not valid JSON")),
        }
    } else {
        let text = std::str::from_utf8(body)
            .map_err(|_| Failure::bad("INVALID_REQUEST", "the body is not UTF-8"))?;
        parse_query(text)
    };
    params.extend(from_body);
    Ok(params)
}

async fn rest(
    State(portal): State<Arc<Portal>>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (webhook, method) = match parts.as_slice() {
        [method] => (None, *method),
        [user, code, method] => (Some((*user, *code)), *method),
        _ => {
            return answer(
                404,
                Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!").body(),
            )
        }
    };
    let method = method.strip_suffix(".json").unwrap_or(method);
    let params = match read_params(query.as_deref(), &headers, &body) {
        Ok(p) => p,
        Err(f) => return answer(f.status, f.body()),
    };
    let auth = params.get("auth").and_then(Value::as_str);
    let caller = match portal.admit(auth, webhook) {
        Ok(c) => c,
        Err(f) => return answer(f.status, f.body()),
    };
    let reads = b24_placement::methods::is_read_only(method);
    // a CRM record saved takes its time; registering a placement or an event does not
    if !reads && method.starts_with("crm.") && !portal.config.write_delay.is_zero() {
        tokio::time::sleep(portal.config.write_delay).await;
    }
    let answered = portal.run(caller, method, &params, false);
    portal.tell(crate::portal::Activity::Call {
        method: method.to_owned(),
        status: answered.as_ref().map_or_else(|f| f.status, |_| 200),
        took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    });
    match answered {
        Ok(listed) => {
            let mut body = Map::new();
            body.insert("result".into(), listed.result);
            if let Some(n) = listed.next {
                body.insert("next".into(), Value::from(n));
            }
            if let Some(t) = listed.total {
                body.insert("total".into(), Value::from(t));
            }
            body.insert("time".into(), time(started));
            answer(200, Value::Object(body))
        }
        Err(f) => answer(f.status, f.body()),
    }
}

async fn oauth_token(State(portal): State<Arc<Portal>>, RawQuery(query): RawQuery) -> Response {
    let q = query.as_deref().map(parse_query).unwrap_or_default();
    match portal.refresh(&q) {
        Ok(v) => answer(200, v),
        Err(f) => answer(f.status, f.body()),
    }
}

/// `GET /portal/events`: each delivery of an online event, oldest first (no token is
/// kept in a delivery's record).
async fn deliveries(State(portal): State<Arc<Portal>>) -> axum::Json<Vec<Value>> {
    axum::Json(portal.deliveries().iter().map(|d| d.to_json()).collect())
}

/// The portal's routes: `/rest/...` and `/oauth/token/`. Nest it, or merge it into the
/// app's router: the paths are the portal's own.
pub fn router(portal: Arc<Portal>) -> Router {
    Router::new()
        .merge(crate::ui::routes())
        .route("/rest/{*path}", any(rest))
        .route("/portal/events", get(deliveries))
        .route("/oauth/token/", get(oauth_token))
        .route("/oauth/token", get(oauth_token))
        .with_state(portal)
}
