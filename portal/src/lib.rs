//! A local stand-in of a Bitrix24 portal's REST side, for trying a widget and testing a
//! client without a portal: demo CRM data, the documented result and error envelopes,
//! OAuth tokens that expire and refresh (`/oauth/token/`), an incoming webhook, `batch`,
//! list pagination (`next`, `total`, `start=-1`), placement registration, and the leaky
//! bucket that answers `QUERY_LIMIT_EXCEEDED`.
//!
//! | route | what it serves |
//! |---|---|
//! | `/rest/METHOD` | a call with an OAuth access token in `auth` (body or query) |
//! | `/rest/USER/CODE/METHOD` | a call through the incoming webhook |
//! | `/oauth/token/` | `grant_type=refresh_token`: a new pair of tokens |
//!
//! Methods: `crm.{lead,deal,contact,company,quote,activity}.{get,list}`,
//! `crm.{lead,deal,contact,company,quote}.update`, `crm.item.{get,list,update}` (smart
//! invoices 31, custom type 183), `crm.timeline.comment.{add,list}`, `sale.order.get`,
//! `placement.{bind,unbind,get}`, `batch`, `app.info`, `user.current`.

pub mod crm;

/// The portal's part of a widget's frame in the browser (the renderer of the built-in
/// interface and the frame protocol), shared with the app's preview.
pub use b24_html::assets;
mod open;
pub mod params;
mod ui;

pub use open::Opened;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use b24_placement::Secret;
use serde_json::{json, Map, Value};
use tokio::time::Instant;

use crate::crm::{Crm, Listed};
use crate::params::{as_id, parse_query, truthy};

/// A refusal: the HTTP status, the error code and its description, as Bitrix24 sends them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub status: u16,
    pub code: String,
    pub description: String,
}

impl Failure {
    pub fn new(status: u16, code: &str, description: &str) -> Self {
        Failure {
            status,
            code: code.to_owned(),
            description: description.to_owned(),
        }
    }

    /// 400 with this code (methods' own errors are mostly 400).
    pub fn bad(code: &str, description: &str) -> Self {
        Failure::new(400, code, description)
    }

    fn body(&self) -> Value {
        json!({"error": self.code, "error_description": self.description})
    }
}

/// How the stand-in behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The app's OAuth credentials, checked by `/oauth/token/`.
    pub client_id: String,
    pub client_secret: Secret,
    /// How long an access token lives.
    pub token_lifetime: Duration,
    /// The leaky bucket: requests drained per second, and how many it holds.
    pub per_second: f64,
    pub burst: f64,
    /// The incoming webhook: `/rest/USER/CODE/`.
    pub webhook_user: u64,
    pub webhook_code: Secret,
    /// How long a call that changes CRM data takes (`crm.*.add`, `.update`...): a slow
    /// portal, so that a widget's loading state can be seen. None by default.
    pub write_delay: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            client_id: "local.demo".into(),
            client_secret: Secret::new("demo-client-secret"),
            token_lifetime: Duration::from_secs(3600),
            per_second: 2.0,
            burst: 50.0,
            webhook_user: 1,
            webhook_code: Secret::new("demowebhookcode"),
            write_delay: Duration::ZERO,
        }
    }
}

/// A registration of `placement.bind`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    pub placement: String,
    pub handler: String,
    pub title: String,
    pub options: Map<String, Value>,
}

struct Token {
    access: Secret,
    refresh: Secret,
    expires: Instant,
}

struct Inner {
    crm: Crm,
    placements: Vec<Bound>,
    tokens: Vec<Token>,
    /// (level, last drained)
    bucket: (f64, Instant),
    issued: u64,
    /// How many calls each outcome had: (answered, refused by the bucket).
    counts: (u64, u64),
    /// The application token of the last install.
    application_token: Option<Secret>,
    /// The handler requests the portal made, tokens masked, the newest last.
    requests: Vec<Value>,
}

/// The portal: shared by every request to its router.
pub struct Portal {
    config: Config,
    inner: Mutex<Inner>,
}

/// Tokens issued by the stand-in, for a client to start with.
#[derive(Clone, Debug)]
pub struct Issued {
    pub access_token: Secret,
    pub refresh_token: Secret,
}

impl Portal {
    /// A portal with the demo CRM.
    pub fn new(config: Config) -> Arc<Portal> {
        Arc::new(Portal {
            config,
            inner: Mutex::new(Inner {
                crm: Crm::demo(),
                placements: Vec::new(),
                tokens: Vec::new(),
                bucket: (0.0, Instant::now()),
                issued: 0,
                counts: (0, 0),
                application_token: None,
                requests: Vec::new(),
            }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Issues a new pair of tokens, as an install or the OAuth server would.
    pub fn issue_tokens(&self) -> Issued {
        let mut inner = self.lock();
        issue(&mut inner, &self.config)
    }

    /// The portal's `member_id`.
    pub const MEMBER_ID: &'static str = "local-portal";

    /// Installs an app as Bitrix24 does: a new application token, fresh OAuth tokens, and
    /// the ONAPPINSTALL event's form (`event`, `data[...]`, `ts`, `auth[...]`) for the
    /// app's install URL. `base` is where this portal is served (`http://127.0.0.1:3000`).
    pub fn install_event(&self, base: &str) -> (String, Secret) {
        let issued = self.issue_tokens();
        let application_token = {
            use std::hash::{BuildHasher, RandomState};
            let a = RandomState::new().hash_one(("app", unix_now()));
            let b = RandomState::new().hash_one(("token", a));
            Secret::new(format!("{a:016x}{b:016x}"))
        };
        self.lock().application_token = Some(application_token.clone());
        let base = base.trim_end_matches('/');
        let domain = base.split("://").nth(1).unwrap_or(base);
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("event", "ONAPPINSTALL")
            .append_pair("data[VERSION]", "1")
            .append_pair("data[ACTIVE]", "Y")
            .append_pair("data[INSTALLED]", "Y")
            .append_pair("data[LANGUAGE_ID]", "en")
            .append_pair("ts", &unix_now().to_string())
            .append_pair("auth[access_token]", issued.access_token.expose())
            .append_pair(
                "auth[expires_in]",
                &self.config.token_lifetime.as_secs().to_string(),
            )
            .append_pair("auth[scope]", "crm,placement")
            .append_pair("auth[domain]", domain)
            .append_pair("auth[server_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[status]", "L")
            .append_pair("auth[client_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[member_id]", Self::MEMBER_ID)
            .append_pair("auth[user_id]", "1")
            .append_pair("auth[refresh_token]", issued.refresh_token.expose())
            .append_pair("auth[application_token]", application_token.expose());
        (form.finish(), application_token)
    }

    /// The ONAPPUNINSTALL event's form, with the application token given.
    pub fn uninstall_event(&self, base: &str, application_token: &str, clean: bool) -> String {
        let base = base.trim_end_matches('/');
        let domain = base.split("://").nth(1).unwrap_or(base);
        form_urlencoded::Serializer::new(String::new())
            .append_pair("event", "ONAPPUNINSTALL")
            .append_pair("data[LANGUAGE_ID]", "en")
            .append_pair("data[CLEAN]", if clean { "1" } else { "0" })
            .append_pair("ts", &unix_now().to_string())
            .append_pair("auth[domain]", domain)
            .append_pair("auth[server_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[client_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[member_id]", Self::MEMBER_ID)
            .append_pair("auth[application_token]", application_token)
            .finish()
    }

    /// Makes every access token issued so far expire now (their refresh tokens stay good).
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        for t in &mut self.lock().tokens {
            t.expires = now;
        }
    }

    /// The incoming webhook's address on a portal served at `base` (`http://127.0.0.1:3000`).
    pub fn webhook_url(&self, base: &str) -> Secret {
        Secret::new(format!(
            "{}/rest/{}/{}/",
            base.trim_end_matches('/'),
            self.config.webhook_user,
            self.config.webhook_code.expose()
        ))
    }

    /// The registrations of `placement.bind`, in order.
    pub fn placements(&self) -> Vec<Bound> {
        self.lock().placements.clone()
    }

    /// The timeline comments of an object.
    pub fn comments(&self, entity_type: &str, entity_id: u64) -> Vec<String> {
        self.lock()
            .crm
            .comments
            .iter()
            .filter(|c| c.entity_type.eq_ignore_ascii_case(entity_type) && c.entity_id == entity_id)
            .map(|c| c.comment.clone())
            .collect()
    }

    /// Records a handler request the portal made (tokens already masked); the last 200
    /// are kept.
    pub(crate) fn record(&self, request: Value) {
        let mut inner = self.lock();
        if inner.requests.len() >= 200 {
            inner.requests.remove(0);
        }
        inner.requests.push(request);
    }

    /// The ids of the first `n` objects of an entity type.
    pub(crate) fn ids_of(&self, type_id: u64, n: usize) -> Vec<u64> {
        self.lock()
            .crm
            .objects
            .get(&type_id)
            .map(|m| m.keys().take(n).copied().collect())
            .unwrap_or_default()
    }

    /// The handler requests the portal made, tokens masked, oldest first.
    pub fn requests(&self) -> Vec<Value> {
        self.lock().requests.clone()
    }

    /// How many calls were answered, and how many the bucket refused.
    pub fn counts(&self) -> (u64, u64) {
        self.lock().counts
    }

    /// Refreshes tokens: `/oauth/token/?grant_type=refresh_token&...`.
    fn refresh(&self, q: &Map<String, Value>) -> Result<Value, Failure> {
        let text = |k: &str| q.get(k).and_then(Value::as_str).unwrap_or_default();
        if text("grant_type") != "refresh_token" {
            return Err(Failure::bad(
                "invalid_request",
                "grant_type must be refresh_token",
            ));
        }
        if text("client_id") != self.config.client_id
            || !self.config.client_secret.matches(text("client_secret"))
        {
            return Err(Failure::new(401, "invalid_client", "invalid client"));
        }
        let mut inner = self.lock();
        let given = text("refresh_token");
        let Some(i) = inner.tokens.iter().position(|t| t.refresh.matches(given)) else {
            return Err(Failure::bad("invalid_grant", "Invalid refresh token"));
        };
        // the refresh token rotates: the old pair is gone
        inner.tokens.remove(i);
        let issued = issue(&mut inner, &self.config);
        Ok(json!({
            "access_token": issued.access_token.expose(),
            "refresh_token": issued.refresh_token.expose(),
            "expires_in": self.config.token_lifetime.as_secs(),
            "expires": unix_now() + self.config.token_lifetime.as_secs(),
            "scope": "crm,placement,user",
            "domain": "oauth.bitrix.info",
            "status": "L",
            "member_id": Portal::MEMBER_ID,
            "user_id": 1,
        }))
    }

    /// Checks the bucket and the authentication of a call; `webhook` when it came through
    /// the webhook path.
    fn admit(&self, auth: Option<&str>, webhook: Option<(&str, &str)>) -> Result<Caller, Failure> {
        let mut inner = self.lock();
        // the leaky bucket: drained at `per_second`, full at `burst`
        let now = Instant::now();
        let drained = now.duration_since(inner.bucket.1).as_secs_f64() * self.config.per_second;
        let level = (inner.bucket.0 - drained).max(0.0);
        if level + 1.0 > self.config.burst {
            inner.bucket = (level, now);
            inner.counts.1 += 1;
            return Err(Failure::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
        }
        inner.bucket = (level + 1.0, now);
        inner.counts.0 += 1;
        if let Some((user, code)) = webhook {
            let user_ok = user.parse::<u64>().ok() == Some(self.config.webhook_user);
            // both compared whatever the first says: no early answer tells which was wrong
            let code_ok = self.config.webhook_code.matches(code);
            return if user_ok & code_ok {
                Ok(Caller::Webhook)
            } else {
                Err(Failure::new(401, "NO_AUTH_FOUND", "Wrong authorization data"))
            };
        }
        let Some(auth) = auth.filter(|a| !a.is_empty()) else {
            return Err(Failure::new(401, "NO_AUTH_FOUND", "Wrong authorization data"));
        };
        match inner.tokens.iter().find(|t| t.access.matches(auth)) {
            None => Err(Failure::new(
                401,
                "invalid_token",
                "The access token provided is invalid.",
            )),
            Some(t) if t.expires <= now => Err(Failure::new(
                401,
                "expired_token",
                "The access token provided has expired.",
            )),
            Some(_) => Ok(Caller::App),
        }
    }

    /// Runs one method (a batch's commands too).
    fn run(
        &self,
        caller: Caller,
        method: &str,
        p: &Map<String, Value>,
        nested: bool,
    ) -> Result<Listed, Failure> {
        let one = |result: Value| Listed {
            result,
            total: None,
            next: None,
        };
        match method {
            "batch" if nested => Err(Failure::new(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")),
            "batch" => self.batch(caller, p).map(one),
            "placement.bind" | "placement.unbind" | "placement.get" if caller == Caller::Webhook => Err(Failure::new(
                403,
                "WRONG_AUTH_TYPE",
                "Current authorization type is denied for this method Application context required",
            )),
            "placement.bind" => self.bind(p).map(one),
            "placement.unbind" => self.unbind(p).map(one),
            "placement.get" => Ok(one(Value::Array(
                self.lock()
                    .placements
                    .iter()
                    .map(|b| {
                        let options = if b.options.is_empty() { json!([]) } else { Value::Object(b.options.clone()) };
                        json!({"placement": b.placement, "userId": 0, "handler": b.handler, "options": options,
                               "title": b.title, "description": "", "langAll": []})
                    })
                    .collect(),
            ))),
            "app.info" => Ok(one(json!({"ID": 1, "CODE": self.config.client_id, "VERSION": 1, "STATUS": "L",
                "INSTALLED": true, "PAYMENT_EXPIRED": "N", "DAYS": null, "LICENSE": "en_project"}))),
            // the online store's order (its own method, scope `sale`)
            "sale.order.get" => {
                let id = as_id(p.get("id")).filter(|&id| id > 0).ok_or_else(|| Failure::bad("", "ID is not defined or invalid"))?;
                let order = self.lock().crm.objects.get(&14).and_then(|m| m.get(&id)).cloned();
                order.map(|o| one(json!({"order": o}))).ok_or_else(|| Failure::bad("", "Not found"))
            }
            "user.current" => Ok(one(json!({"ID": "1", "NAME": "Anna", "LAST_NAME": "Admin", "ADMIN": true}))),
            m if m.starts_with("crm.") => match self.lock().crm.call(m, p) {
                Some(r) => r,
                None => Err(Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
            },
            _ => Err(Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
        }
    }

    fn bind(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let text = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let placement = text("PLACEMENT");
        if placement.is_empty() {
            return Err(Failure::new(
                200,
                "ERROR_ARGUMENT",
                "Argument 'PLACEMENT' is null or empty",
            ));
        }
        if !matches!(
            placement.parse::<b24_placement::Placement>(),
            Ok(b24_placement::Placement::Known(_))
        ) {
            return Err(Failure::bad("ERROR_PLACEMENT_NOT_FOUND", "Placement not found"));
        }
        let handler = text("HANDLER");
        if handler.is_empty() {
            return Err(Failure::new(
                200,
                "ERROR_ARGUMENT",
                "Argument 'HANDLER' is null or empty",
            ));
        }
        let lower = handler.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(Failure::bad(
                "ERROR_UNSUPPORTED_PROTOCOL",
                "Unsupported event handler protocol",
            ));
        }
        let options = match p.get("OPTIONS") {
            Some(Value::Object(o)) => o.clone(),
            _ => Map::new(),
        };
        let mut inner = self.lock();
        // the same placement and handler bound again is updated, not doubled
        let bound = Bound {
            placement: placement.clone(),
            handler: handler.clone(),
            title: text("TITLE"),
            options,
        };
        match inner
            .placements
            .iter_mut()
            .find(|b| b.placement == placement && b.handler == handler)
        {
            Some(b) => *b = bound,
            None => inner.placements.push(bound),
        }
        Ok(Value::Bool(true))
    }

    fn unbind(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let placement = p.get("PLACEMENT").and_then(Value::as_str).unwrap_or_default();
        if placement.is_empty() {
            return Err(Failure::bad(
                "ERROR_ARGUMENT",
                "Argument 'PLACEMENT' is null or empty",
            ));
        }
        let handler = p.get("HANDLER").and_then(Value::as_str).filter(|h| !h.is_empty());
        let mut inner = self.lock();
        let before = inner.placements.len();
        inner
            .placements
            .retain(|b| !(b.placement == placement && handler.is_none_or(|h| h == b.handler)));
        Ok(json!({"count": before - inner.placements.len()}))
    }

    /// `batch`: at most 50 commands, run in order, `$result[...]` references resolved.
    fn batch(&self, caller: Caller, p: &Map<String, Value>) -> Result<Value, Failure> {
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    App,
    Webhook,
}

fn issue(inner: &mut Inner, config: &Config) -> Issued {
    inner.issued += 1;
    // 64 bits of the operating system's CSPRNG: a token nobody can guess from another
    let make = |kind: &str| {
        let mut random = [0u8; 8];
        if getrandom::fill(&mut random).is_err() {
            // no entropy source: a token that cannot be used, never a guessable one
            return format!("{kind}-no-entropy");
        }
        format!("{kind}{:016x}{:08x}", u64::from_le_bytes(random), inner.issued)
    };
    let issued = Issued {
        access_token: Secret::new(make("a")),
        refresh_token: Secret::new(make("r")),
    };
    inner.tokens.push(Token {
        access: issued.access_token.clone(),
        refresh: issued.refresh_token.clone(),
        expires: Instant::now() + config.token_lifetime,
    });
    issued
}

pub(crate) use b24_placement::time::unix_now;

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

fn lookup_ref(reference: &str, results: &Map<String, Value>) -> Option<Value> {
    let path = reference.strip_prefix("$result[")?.strip_suffix(']')?;
    let mut keys = path.split("][");
    let mut node = results.get(keys.next()?)?;
    for k in keys {
        node = match node {
            Value::Object(o) => o.get(k)?,
            Value::Array(a) => a.get(k.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(match node {
        Value::Number(n) => Value::String(n.to_string()),
        other => other.clone(),
    })
}

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
    match portal.run(caller, method, &params, false) {
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

/// The portal's routes: `/rest/...` and `/oauth/token/`. Nest it, or merge it into the
/// app's router: the paths are the portal's own.
pub fn router(portal: Arc<Portal>) -> Router {
    Router::new()
        .merge(ui::routes())
        .route("/rest/{*path}", any(rest))
        .route("/oauth/token/", get(oauth_token))
        .route("/oauth/token", get(oauth_token))
        .with_state(portal)
}

/// Reads an id the way the portal does (for tests of other crates).
pub fn id_of(v: &Value) -> Option<u64> {
    as_id(Some(v))
}
