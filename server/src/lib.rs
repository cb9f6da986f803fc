//! Serving a Bitrix24 CRM widget with axum: the placement request as an extractor, the
//! widget's iframe page with its bridge to the frame protocol, an event endpoint that runs
//! the widget's update loop, and a local preview that plays the portal's part.
//!
//! ```no_run
//! # use b24_server::{router, WidgetHost};
//! # struct MyWidget;
//! # impl layout_core::widget::Widget for MyWidget {
//! #     fn view(&self) -> layout_core::LayoutDto { unimplemented!() }
//! #     fn update(&mut self, _: &layout_core::command::Event) -> Vec<layout_core::command::Command> { Vec::new() }
//! # }
//! # async fn run() {
//! let app = router(WidgetHost::new(|_request| MyWidget));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use layout_core::command::{Binding, Event};
use layout_core::request::{is_valid_domain, HandlerRequest};
use layout_core::widget::{Harness, Widget};
use layout_core::LayoutDto;
use serde_json::Value;

/// The largest handler request body accepted (Bitrix24's are well under 2 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

const BRIDGE_JS: &str = include_str!("../assets/bridge.js");
const PREVIEW_JS: &str = include_str!("../assets/preview.js");
const PREVIEW_CSS: &str = include_str!("../assets/preview.css");

/// The placement request of a handler call: 400 naming the field when malformed, 413
/// when larger than [`BODY_LIMIT`].
pub struct Placement(pub HandlerRequest);

impl<S: Send + Sync> FromRequest<S> for Placement {
    type Rejection = (StatusCode, String);

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let too_large = || {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {BODY_LIMIT} bytes"),
            )
        };
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > BODY_LIMIT) {
            return Err(too_large());
        }
        let query = req.uri().query().map(str::to_owned);
        let body = axum::body::to_bytes(req.into_body(), BODY_LIMIT)
            .await
            .map_err(|_| too_large())?;
        let body = std::str::from_utf8(&body).map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                "the request body is not UTF-8".to_owned(),
            )
        })?;
        HandlerRequest::parse(body, query.as_deref())
            .map(Placement)
            .map_err(|e| (StatusCode::BAD_REQUEST, format!("bad placement request: {e}")))
    }
}

/// JSON for a `<script>` element: `<`, `>`, `&` and the JS line separators escaped, so no
/// value can close the element or start markup.
pub fn json_for_script(value: &Value) -> String {
    escape_script_json(&value.to_string())
}

fn escape_script_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or_default();
        out.push_str(match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            _ => "\\u2029",
        });
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Text for HTML (element content or a quoted attribute).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The widget's iframe page: its initial layout, its session, and the bridge. No token
/// of the request is put in the page.
pub fn widget_page(layout: &LayoutDto, session: &str, event_url: &str) -> Html<String> {
    // written directly, without an intermediate JSON value: this runs on every frame opened
    let config = format!(
        "{{\"session\":{},\"eventUrl\":{},\"layout\":{}}}",
        Value::from(session),
        Value::from(event_url),
        layout.to_json()
    );
    Html(format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>widget</title></head><body>\n\
         <script type=\"application/json\" id=\"b24-config\">{}</script>\n<script>{BRIDGE_JS}</script>\n</body></html>\n",
        escape_script_json(&config)
    ))
}

/// The local preview: the portal's part, hosting the widget page of `handler` in an
/// iframe named as Bitrix24 names it (`DOMAIN|PROTOCOL|APP_SID`).
pub fn preview_page(host: &str, handler: &str, placement: &str) -> Html<String> {
    let host = if is_valid_domain(host) { host } else { "localhost" };
    let fields = [
        ("DOMAIN", host),
        ("PROTOCOL", "0"),
        ("LANG", "en"),
        ("APP_SID", "preview"),
        ("member_id", "preview"),
        ("status", "L"),
        ("PLACEMENT", placement),
        ("PLACEMENT_OPTIONS", r#"{"ID":"1"}"#),
    ];
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape_html(k),
                escape_html(v)
            )
        })
        .collect();
    let frame = escape_html(&format!("{host}|0|preview"));
    Html(format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Widget preview</title><style>{PREVIEW_CSS}</style></head><body>\n\
         <header>Deal #1 · timeline · <b>{placement}</b> (local preview, no portal)</header>\n\
         <main><div id=\"card\"><div id=\"layout\"></div><div id=\"buttons\"></div></div>\n\
         <aside><button id=\"entity-update\" type=\"button\">Simulate: deal saved in the editor</button><ol id=\"log\"></ol></aside></main>\n\
         <iframe id=\"widget\" name=\"{frame}\" title=\"widget\"></iframe>\n\
         <form id=\"placement-form\" method=\"post\" action=\"{action}\" target=\"{frame}\">{inputs}</form>\n\
         <script>{PREVIEW_JS}</script>\n</body></html>\n",
        placement = escape_html(placement),
        action = escape_html(handler),
    ))
}

type Factory<W> = dyn Fn(&HandlerRequest) -> W + Send + Sync;

/// How many open frames are remembered; the oldest is forgotten beyond that (its frame
/// is answered 404 and asks for a reload).
pub const MAX_SESSIONS: usize = 10_000;

/// The widgets of the open frames, oldest first.
struct Sessions<W> {
    by_id: HashMap<String, Harness<W>>,
    order: std::collections::VecDeque<String>,
}

/// Runs one widget per opened frame: the factory makes it from the placement request.
pub struct WidgetHost<W> {
    factory: Box<Factory<W>>,
    sessions: Mutex<Sessions<W>>,
}

impl<W: Widget + Send + 'static> WidgetHost<W> {
    pub fn new(factory: impl Fn(&HandlerRequest) -> W + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(WidgetHost {
            factory: Box::new(factory),
            sessions: Mutex::new(Sessions {
                by_id: HashMap::new(),
                order: std::collections::VecDeque::new(),
            }),
        })
    }
}

fn session_id() -> String {
    let a = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(a);
    format!("{a:016x}{:016x}", h.finish())
}

async fn handler<W: Widget + Send + 'static>(
    State(host): State<Arc<WidgetHost<W>>>,
    Placement(request): Placement,
) -> Response {
    let widget = (host.factory)(&request);
    let harness = match Harness::start(widget) {
        Ok(h) => h,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the widget's layout is not valid: {e}"),
            )
                .into_response()
        }
    };
    let session = session_id();
    let page = match harness.sent.first() {
        Some(layout_core::command::Command::SetLayout(layout)) => widget_page(layout, &session, "/event"),
        _ => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the widget did not start with a layout",
            )
                .into_response()
        }
    };
    if let Ok(mut sessions) = host.sessions.lock() {
        if sessions.order.len() >= MAX_SESSIONS {
            if let Some(oldest) = sessions.order.pop_front() {
                sessions.by_id.remove(&oldest);
            }
        }
        sessions.order.push_back(session.clone());
        sessions.by_id.insert(session, harness);
    }
    page.into_response()
}

/// The bridge's event: `kind` names the callback it came from, the rest is the frame's
/// payload, read as [`Event::from_frame`] reads it.
fn event_from_json(v: &Value) -> Result<Event, String> {
    let binding = match v.get("kind").and_then(Value::as_str) {
        Some("layoutEvent") => Binding::LayoutEvent(None),
        Some("valueChange") => Binding::ValueChange(None),
        Some("primaryButtonClick") => Binding::PrimaryButtonClick,
        Some("secondaryButtonClick") => Binding::SecondaryButtonClick,
        Some("entityUpdate") => Binding::EntityUpdate,
        _ => {
            return Err(
                "`kind` must be layoutEvent, valueChange, primaryButtonClick, secondaryButtonClick or entityUpdate"
                    .into(),
            )
        }
    };
    Event::from_frame(&binding, v).map_err(|e| e.to_string())
}

async fn event<W: Widget + Send + 'static>(State(host): State<Arc<WidgetHost<W>>>, body: Bytes) -> Response {
    let bad = |m: String| (StatusCode::BAD_REQUEST, m).into_response();
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return bad("the event is not JSON".into());
    };
    let Some(session) = v.get("session").and_then(Value::as_str) else {
        return bad("`session` is required".into());
    };
    let event = match event_from_json(&v) {
        Ok(e) => e,
        Err(m) => return bad(m),
    };
    let Ok(mut sessions) = host.sessions.lock() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "sessions unavailable").into_response();
    };
    let Some(harness) = sessions.by_id.get_mut(session) else {
        return (StatusCode::NOT_FOUND, "no such session: reload the widget").into_response();
    };
    match harness.send(event) {
        Ok(commands) => {
            let list: Vec<Value> = commands.iter().map(|c| c.to_json()).collect();
            axum::Json(list).into_response()
        }
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the widget answered with a refused command: {e}"),
        )
            .into_response(),
    }
}

async fn preview(headers: axum::http::HeaderMap) -> Html<String> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    preview_page(host, "/handler", "CRM_DEAL_DETAIL_ACTIVITY")
}

/// The routes: `GET /` the preview, `POST /handler` the URL for placement.bind (the widget
/// page), `POST /event` the events of the bridge.
pub fn router<W: Widget + Send + 'static>(host: Arc<WidgetHost<W>>) -> Router {
    Router::new()
        .route("/", get(preview))
        .route("/handler", post(handler::<W>))
        .route("/event", post(event::<W>))
        .with_state(host)
}
