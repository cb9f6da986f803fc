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

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http_body_util::BodyExt;
use layout_core::command::{Binding, Event};
use layout_core::request::{is_valid_domain, HandlerRequest};
use layout_core::widget::{Harness, Widget};
use layout_core::LayoutDto;
use serde_json::Value;

/// The largest handler request body accepted (Bitrix24's are well under 2 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

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
        // a handler request comes in one chunk, used as it is; more are joined
        let mut body = req.into_body();
        let mut first: Option<Bytes> = None;
        let mut joined: Vec<u8> = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| {
                (
                    StatusCode::BAD_REQUEST,
                    "the request body could not be read".to_owned(),
                )
            })?;
            let Ok(data) = frame.into_data() else {
                continue; // trailers
            };
            let read = first.as_ref().map_or(0, Bytes::len) + joined.len() + data.len();
            if read > BODY_LIMIT {
                return Err(too_large());
            }
            match first.take() {
                None if joined.is_empty() => first = Some(data),
                Some(earlier) => {
                    joined.extend_from_slice(&earlier);
                    joined.extend_from_slice(&data);
                }
                None => joined.extend_from_slice(&data),
            }
        }
        let body: &[u8] = first.as_deref().unwrap_or(&joined);
        let body = std::str::from_utf8(body).map_err(|_| {
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
    let mut out = Vec::new();
    escape_script_bytes(value.to_string().as_bytes(), &mut out);
    // only ASCII escapes were put in place of whole characters
    utf8(out)
}

/// Text that is UTF-8 by construction (templates, and JSON escaped by whole characters),
/// checked the fast way.
fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends serde_json's output with `<`, `>`, `&`, U+2028 and U+2029 escaped. They can
/// only be inside strings (keys included), where `\u003c` means the same character. The
/// search is memchr's: a layout usually has none of them.
fn escape_script_bytes(json: &[u8], out: &mut Vec<u8>) {
    out.reserve(json.len());
    let (mut done, mut at) = (0, 0);
    while let Some(found) = next_special(json, at) {
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8
        let (escape, len): (&[u8], usize) = match (json[found], json.get(found + 1..found + 3)) {
            (b'<', _) => (b"\\u003c", 1),
            (b'>', _) => (b"\\u003e", 1),
            (b'&', _) => (b"\\u0026", 1),
            (_, Some([0x80, 0xA8])) => (b"\\u2028", 3),
            (_, Some([0x80, 0xA9])) => (b"\\u2029", 3),
            _ => {
                at = found + 1;
                continue;
            }
        };
        out.extend_from_slice(&json[done..found]);
        out.extend_from_slice(escape);
        done = found + len;
        at = done;
    }
    out.extend_from_slice(&json[done..]);
}

/// Where the next byte that may need escaping is, from `at`.
fn next_special(json: &[u8], at: usize) -> Option<usize> {
    let rest = json.get(at..)?;
    match (
        memchr::memchr3(b'<', b'>', b'&', rest),
        memchr::memchr(0xE2, rest),
    ) {
        (Some(a), Some(b)) => Some(at + a.min(b)),
        (Some(i), None) | (None, Some(i)) => Some(at + i),
        (None, None) => None,
    }
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

const PAGE_START: &str =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>widget</title></head><body>\n\
                          <script type=\"application/json\" id=\"b24-config\">";
const PAGE_END: &str = concat!(
    "</script>\n<script>",
    include_str!("../assets/bridge.js"),
    "</script>\n</body></html>\n"
);

/// The widget's iframe page: its initial layout, its session, and the bridge. No token
/// of the request is put in the page.
pub fn widget_page(layout: &LayoutDto, session: &str, event_url: &str) -> Html<String> {
    let (config, _) = render_config(layout, session, event_url);
    let mut page = Vec::with_capacity(PAGE_START.len() + config.len() + PAGE_END.len());
    page.extend_from_slice(PAGE_START.as_bytes());
    page.extend_from_slice(&config);
    page.extend_from_slice(PAGE_END.as_bytes());
    // the page is the templates (UTF-8) and JSON escaped by whole characters
    Html(utf8(page))
}

/// The configuration the bridge reads, escaped for `<script>`, and the layout's JSON in it
/// (before escaping).
fn render_config(layout: &LayoutDto, session: &str, event_url: &str) -> (Vec<u8>, String) {
    // this runs on every frame opened: written once, straight from the typed layout, and
    // escaped in place if it needs to be
    let mut config = Vec::with_capacity(512);
    config.extend_from_slice(b"{\"session\":");
    let mut written = serde_json::to_writer(&mut config, session);
    config.extend_from_slice(b",\"eventUrl\":");
    written = written.and_then(|()| serde_json::to_writer(&mut config, event_url));
    config.extend_from_slice(b",\"layout\":");
    let start = config.len();
    written = written.and_then(|()| serde_json::to_writer(&mut config, layout));
    let end = config.len();
    config.push(b'}');
    // writing into a Vec cannot fail, and a LayoutDto always serializes
    written.expect("a LayoutDto always serializes");
    let layout_json = utf8(config[start..end].to_vec());
    if next_special(&config, 0).is_some() {
        let raw = std::mem::take(&mut config);
        escape_script_bytes(&raw, &mut config);
    }
    (config, layout_json)
}

/// The widget page as a response body: the templates around the configuration (the
/// bridge script among them) are sent from static memory, not copied into every page.
struct PageBody {
    parts: [Bytes; 3],
    next: usize,
}

impl PageBody {
    fn new(config: Vec<u8>) -> Self {
        PageBody {
            parts: [
                Bytes::from_static(PAGE_START.as_bytes()),
                Bytes::from(config),
                Bytes::from_static(PAGE_END.as_bytes()),
            ],
            next: 0,
        }
    }
}

impl http_body::Body for PageBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        let part = this.parts.get_mut(this.next).map(std::mem::take);
        this.next += 1;
        std::task::Poll::Ready(part.map(|p| Ok(http_body::Frame::data(p))))
    }

    fn is_end_stream(&self) -> bool {
        self.next >= self.parts.len()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        let rest = self.parts.get(self.next..).unwrap_or_default();
        http_body::SizeHint::with_exact(rest.iter().map(|p| p.len() as u64).sum())
    }
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

/// A frame's widget. Its mirror of the portal is started by the first event: most frames
/// are opened and read, never clicked. Until then the layout is kept as the JSON the page
/// carries: one allocation rather than a tree of them.
enum Session<W> {
    Opened { widget: W, layout: String },
    Running(Box<Harness<W>>),
}

/// The open frames: a ring of [`MAX_SESSIONS`] slots taken in turn, so the slot a new
/// frame takes is the oldest frame's. An id names its slot in its low 32 bits, and the
/// whole id must match what the slot holds.
struct Sessions<W> {
    slots: Vec<Option<(u128, Session<W>)>>,
}

impl<W> Sessions<W> {
    fn slot(id: u128) -> usize {
        (id & 0xffff_ffff) as usize
    }

    fn get_mut(&mut self, id: u128) -> Option<&mut Session<W>> {
        match self.slots.get_mut(Self::slot(id)) {
            Some(Some((held, session))) if *held == id => Some(session),
            _ => None,
        }
    }
}

/// Session ids: the frame's number through SipHash under two random keys of this process
/// (96 bits of it), and its slot. An id tells nothing of the others' (a frame's events
/// are only accepted under its id).
struct SessionIds {
    keys: (RandomState, RandomState),
    next: AtomicU64,
}

impl SessionIds {
    fn next(&self) -> u128 {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let random = (u128::from(self.keys.0.hash_one(n)) << 64) | u128::from(self.keys.1.hash_one(n));
        let slot = n % MAX_SESSIONS as u64;
        (random & !0xffff_ffff) | u128::from(slot)
    }
}

/// An id as 32 lowercase hex digits, as the page carries it.
fn session_hex(id: u128) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [0u8; 32];
    for (i, digit) in text.iter_mut().enumerate() {
        *digit = HEX[((id >> (124 - 4 * i)) & 0xf) as usize];
    }
    text
}

#[cfg(test)]
fn session_text(id: u128) -> String {
    utf8(session_hex(id).to_vec())
}

/// The id of a session's text; `None` for anything not written by [`session_text`].
fn session_of(text: &str) -> Option<u128> {
    if text.len() != 32 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u128::from_str_radix(text, 16).ok()
}

/// Runs one widget per opened frame: the factory makes it from the placement request.
pub struct WidgetHost<W> {
    factory: Box<Factory<W>>,
    ids: SessionIds,
    sessions: Mutex<Sessions<W>>,
}

impl<W: Widget + Send + 'static> WidgetHost<W> {
    pub fn new(factory: impl Fn(&HandlerRequest) -> W + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(WidgetHost {
            factory: Box::new(factory),
            ids: SessionIds {
                keys: (RandomState::new(), RandomState::new()),
                next: AtomicU64::new(0),
            },
            sessions: Mutex::new(Sessions { slots: Vec::new() }),
        })
    }

    /// Remembers a frame's widget in its slot, forgetting the frame that held it.
    fn remember(&self, id: u128, session: Session<W>) {
        let forgotten = {
            let Ok(mut sessions) = self.sessions.lock() else {
                return;
            };
            let slot = Sessions::<W>::slot(id);
            if sessions.slots.len() <= slot {
                sessions.slots.resize_with(slot + 1, || None);
            }
            sessions.slots[slot].replace((id, session))
        };
        // dropped once the lock is released
        drop(forgotten);
    }
}

async fn handler<W: Widget + Send + 'static>(
    State(host): State<Arc<WidgetHost<W>>>,
    Placement(request): Placement,
) -> Response {
    let widget = (host.factory)(&request);
    let layout = widget.view();
    if let Err(e) = layout.validate() {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the widget's layout is not valid: {e}"),
        )
            .into_response();
    }
    let id = host.ids.next();
    let hex = session_hex(id);
    let (config, layout) = render_config(&layout, std::str::from_utf8(&hex).unwrap_or_default(), "/event");
    host.remember(id, Session::Opened { widget, layout });
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        axum::body::Body::new(PageBody::new(config)),
    )
        .into_response()
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
    let gone = || (StatusCode::NOT_FOUND, "no such session: reload the widget").into_response();
    let Some(id) = session_of(session) else {
        return gone();
    };
    let Ok(mut sessions) = host.sessions.lock() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "sessions unavailable").into_response();
    };
    let Some(session) = sessions.get_mut(id) else {
        return gone();
    };
    if let Session::Opened { .. } = session {
        let slot = Sessions::<W>::slot(id);
        let Some((_, Session::Opened { widget, layout })) = sessions.slots[slot].take() else {
            return gone();
        };
        // the layout was checked when the page was served, and reads back as it was
        let started = LayoutDto::from_json(&layout)
            .map_err(|e| e.to_string())
            .and_then(|layout| Harness::with_layout(widget, layout).map_err(|e| e.to_string()));
        match started {
            Ok(harness) => sessions.slots[slot] = Some((id, Session::Running(Box::new(harness)))),
            Err(e) => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the widget's layout is not valid: {e}"),
                )
                    .into_response()
            }
        }
    }
    let Some(Session::Running(harness)) = sessions.get_mut(id) else {
        return gone();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_read_back_only_as_written() {
        for id in [0, 1, u128::MAX, 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210] {
            let text = session_text(id);
            assert_eq!(text, format!("{id:032x}"));
            assert_eq!(session_of(&text), Some(id));
            let digits_only = text.bytes().all(|b| b.is_ascii_digit());
            assert_eq!(session_of(&text.to_uppercase()), digits_only.then_some(id));
        }
        assert_eq!(session_of("+123456789abcdef0123456789abcdef"), None);
        assert_eq!(session_of(""), None);
    }
}
