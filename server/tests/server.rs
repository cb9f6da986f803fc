//! The server's routes, in process: the placement extractor, the pages, the event loop.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use b24_server::{escape_html, json_for_script, router, widget_page, WidgetHost, BODY_LIMIT};
use http_body_util::BodyExt;
use layout_core::command::{Command, Event, ItemState};
use layout_core::widget::Widget;
use layout_core::{LayoutDto, Text};
use serde_json::{json, Value};
use tower::ServiceExt;

struct Echo;

impl Widget for Echo {
    fn view(&self) -> LayoutDto {
        LayoutDto::default().blocks([(
            "hello".to_owned(),
            Text::default()
                .value("</script><script>alert(1)</script> & \u{2028}")
                .into(),
        )])
    }
    fn update(&mut self, event: &Event) -> Vec<Command> {
        match event {
            Event::Layout { value, .. } => vec![Command::SetLayoutItemState(
                ItemState::new("hello").properties(Text::default().value(value.clone())),
            )],
            _ => vec![Command::Finish],
        }
    }
}

fn fixture() -> String {
    std::fs::read_to_string(format!(
        "{}/../tests/fixtures/placements/26-CRM_DEAL_DETAIL_ACTIVITY.form",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The lines of a streamed event answer, each a JSON value.
fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn post(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn the_handler_serves_the_widget_page_without_tokens() {
    let app = router(WidgetHost::new(|_| Echo));
    let body = fixture();
    let (status, page) = send(&app, post("/handler", body.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"b24-config\""));
    assert!(page.contains("bindValueChangeCallback"));
    for (k, v) in body.trim().split('&').filter_map(|p| p.split_once('=')) {
        if k == "AUTH_ID" || k == "REFRESH_ID" {
            assert!(!page.contains(v), "{k} in the page");
        }
    }
    // the layout cannot close the script element
    assert!(!page.contains("</script><script>alert"));
    assert!(page.contains("\\u003c/script\\u003e"));
}

#[tokio::test]
async fn malformed_requests_get_400_naming_the_field_and_big_ones_413() {
    let app = router(WidgetHost::new(|_| Echo));
    let (status, text) = send(
        &app,
        post("/handler", "member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB"),
    )
    .await;
    assert_eq!((status, text.contains("DOMAIN")), (StatusCode::BAD_REQUEST, true));
    let (status, text) = send(
        &app,
        post("/handler", "DOMAIN=evil.com/x&member_id=a&PLACEMENT=X"),
    )
    .await;
    assert_eq!((status, text.contains("DOMAIN")), (StatusCode::BAD_REQUEST, true));
    let big = format!(
        "DOMAIN=x.com&member_id=a&PLACEMENT=X&pad={}",
        "a".repeat(BODY_LIMIT)
    );
    let (status, _) = send(&app, post("/handler", big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = send(&app, post("/handler", vec![0xff_u8, 0xfe])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn events_run_the_widget_and_return_its_commands() {
    let app = router(WidgetHost::new(|_| Echo));
    let (_, page) = send(&app, post("/handler", fixture())).await;
    let start = page.find("\"session\":\"").unwrap() + 11;
    let session = &page[start..start + 32];
    let event = |v: Value| {
        Request::post("/event")
            .header("content-type", "application/json")
            .body(Body::from(v.to_string()))
            .unwrap()
    };
    let (status, text) = send(
        &app,
        event(json!({"session": session, "kind": "layoutEvent", "id": "x", "value": "hi"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        lines(&text),
        [
            json!({"command": "setLayoutItemState", "params": {"id": "hello", "properties": {"value": "hi"}}}),
            json!({"done": true})
        ]
    );
    let (status, _) = send(&app, event(json!({"session": "nope", "kind": "entityUpdate"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, text) = send(&app, event(json!({"session": session, "kind": "explode"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        text.starts_with("bad event: `kind`: unknown event kind `explode`; one of: layoutEvent,"),
        "{text}"
    );
    let (status, text) = send(
        &app,
        event(json!({"session": session, "kind": "valueChange", "value": "x"})),
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::BAD_REQUEST, "bad event: `id`: the event has no `id`")
    );
}

#[tokio::test]
async fn the_preview_escapes_the_host_header() {
    let app = router(WidgetHost::new(|_| Echo));
    let req = Request::get("/")
        .header("host", "\"><script>x</script>")
        .body(Body::empty())
        .unwrap();
    let (status, page) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("\"><script>x"));
    assert!(page.contains("name=\"localhost|0|preview\""));
}

#[test]
fn escaping_helpers() {
    assert_eq!(
        escape_html("<a href=\"x\">&'"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
    assert_eq!(
        json_for_script(&json!({"a": "</script>&\u{2028}"})),
        r#"{"a":"\u003c/script\u003e\u0026\u2028"}"#
    );
    let page = widget_page(&LayoutDto::default(), "s", "/event").0;
    assert!(page.contains("\"session\":\"s\""));
}

#[tokio::test]
async fn the_oldest_frames_are_forgotten_beyond_the_limit() {
    let app = router(WidgetHost::new(|_| Echo));
    let session_of = |page: &str| {
        let start = page.find("\"session\":\"").unwrap() + 11;
        page[start..start + 32].to_owned()
    };
    let (_, first) = send(&app, post("/handler", fixture())).await;
    let first = session_of(&first);
    for _ in 0..b24_server::MAX_SESSIONS {
        send(&app, post("/handler", fixture())).await;
    }
    let event = Request::post("/event")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"session": first, "kind": "entityUpdate"}).to_string(),
        ))
        .unwrap();
    let (status, text) = send(&app, event).await;
    assert_eq!((status, text.contains("reload")), (StatusCode::NOT_FOUND, true));
}

struct Broken;

impl Widget for Broken {
    fn view(&self) -> LayoutDto {
        // a section may hold no more than 20 blocks
        let blocks = (0..21).map(|i| (format!("t{i}"), Text::default().value("x").into()));
        LayoutDto::default().blocks([(
            "s".to_owned(),
            layout_core::Section::default()
                .blocks(blocks.collect::<layout_core::Blocks>())
                .into(),
        )])
    }
    fn update(&mut self, _: &Event) -> Vec<Command> {
        Vec::new()
    }
}

#[tokio::test]
async fn a_widget_with_an_invalid_layout_is_not_served() {
    let app = router(WidgetHost::new(|_| Broken));
    let (status, text) = send(&app, post("/handler", fixture())).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(text.contains("/blocks/s/properties/blocks/t20"), "{text}");
}

#[tokio::test]
async fn each_frame_has_its_own_session_and_keeps_its_state() {
    let app = router(WidgetHost::new(|_| Echo));
    let session_of = |page: &str| {
        let start = page.find("\"session\":\"").unwrap() + 11;
        page[start..start + 32].to_owned()
    };
    let mut sessions = std::collections::HashSet::new();
    for _ in 0..100 {
        let (_, page) = send(&app, post("/handler", fixture())).await;
        let session = session_of(&page);
        assert!(session
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(sessions.insert(session));
    }
    let session = sessions.iter().next().unwrap().clone();
    let event = |session: &str, value: &str| {
        Request::post("/event")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"session": session, "kind": "layoutEvent", "id": "x", "value": value}).to_string(),
            ))
            .unwrap()
    };
    // the first event starts the frame's mirror, the next ones find it
    for value in ["one", "two", "three"] {
        let (status, text) = send(&app, event(&session, value)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert!(text.contains(value));
    }
    // an id is only accepted as the page carries it
    for other in [
        session.to_uppercase(),
        format!("+{}", &session[1..]),
        session[..31].to_owned(),
    ] {
        let (status, _) = send(&app, event(&other, "x")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other}");
    }
}

proptest::proptest! {
    #[test]
    fn json_for_script_never_lets_markup_through(key in "\\PC*", text in "(\\PC|[<>&\u{2028}\u{2029}]|</script>)*") {
        let value = json!({ key: [text, "\u{2028}</script>"] });
        let safe = json_for_script(&value);
        proptest::prop_assert!(!safe.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{}", safe);
        proptest::prop_assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), value);
    }
}

/// Sends raw HTTP/1.1 to a served router; returns the status line and the body.
async fn raw_http(app: axum::Router, request: Vec<u8>) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.lines().next().unwrap_or("").to_owned(), body.to_owned())
}

fn chunked(chunks: &[&[u8]]) -> Vec<u8> {
    let mut request = b"POST /handler HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\
        content-type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\n\r\n"
        .to_vec();
    for chunk in chunks {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    request
}

#[tokio::test]
async fn a_body_in_several_chunks_is_joined_and_limited() {
    let body = fixture();
    let (a, b) = body.as_bytes().split_at(body.len() / 2);
    let (status, page) = raw_http(router(WidgetHost::new(|_| Echo)), chunked(&[a, b])).await;
    assert!(status.contains(" 200 "), "{status}");
    assert!(page.contains("id=\"b24-config\""));
    // no Content-Length to refuse it early: the limit holds while reading
    let pad = vec![b'a'; BODY_LIMIT / 2];
    let (status, _) = raw_http(router(WidgetHost::new(|_| Echo)), chunked(&[&pad, &pad, b"x"])).await;
    assert!(status.contains(" 413 "), "{status}");
}

proptest::proptest! {
    #[test]
    fn the_page_carries_any_layout_safely(text in "(\\PC|[<>&\u{2028}\u{2029}—]|</script>|<!--)*", id in "\\PC{1,8}") {
        let layout = LayoutDto::default().blocks([(id, Text::default().value(text).into())]);
        let page = widget_page(&layout, "0123456789abcdef0123456789abcdef", "/event").0;
        let start = page.find("id=\"b24-config\">").unwrap() + 16;
        let end = start + page[start..].find("</script>").unwrap();
        let config = &page[start..end];
        proptest::prop_assert!(!config.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{}", config);
        let config: Value = serde_json::from_str(config).unwrap();
        proptest::prop_assert_eq!(&config["layout"], &layout.to_value());
        proptest::prop_assert_eq!(&config["session"], "0123456789abcdef0123456789abcdef");
        proptest::prop_assert_eq!(&config["eventUrl"], "/event");
    }
}

#[tokio::test]
async fn the_router_nests_under_a_prefix_and_its_page_says_where_events_go() {
    let app = axum::Router::new().nest("/deal", router(WidgetHost::new(|_| Echo)));
    let (status, preview) = send(&app, Request::get("/deal").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(preview.contains("action=\"/deal/handler\""), "{preview}");
    let (status, page) = send(&app, post("/deal/handler", fixture())).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("\"eventUrl\":\"/deal/event\""));
    let start = page.find("\"session\":\"").unwrap() + 11;
    let session = &page[start..start + 32];
    let event = Request::post("/deal/event")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"session": session, "kind": "entityUpdate"}).to_string(),
        ))
        .unwrap();
    let (status, text) = send(&app, event).await;
    assert_eq!(
        (status, text.as_str()),
        (
            StatusCode::OK,
            "{\"command\":\"finish\",\"params\":null}\n{\"done\":true}\n"
        )
    );
    // the unprefixed routes are not there
    let (status, _) = send(&app, post("/handler", fixture())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_refusal_names_what_is_at_fault() {
    let app = router(WidgetHost::new(|_| Echo));
    let event = |body: &str| {
        Request::post("/event")
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (status, text) = send(&app, event("{")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.starts_with("bad event: `body`: not JSON"), "{text}");
    let (status, text) = send(&app, event(r#"{"kind":"entityUpdate"}"#)).await;
    assert_eq!(
        (status, text.as_str()),
        (
            StatusCode::BAD_REQUEST,
            "bad event: `session`: a string is required"
        )
    );
    let (status, text) = send(
        &app,
        post("/handler", "DOMAIN=x.bitrix24.com&PLACEMENT=CRM_DEAL_DETAIL_TAB"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.starts_with("bad placement request: member_id"), "{text}");
}

#[tokio::test]
async fn a_portal_cannot_push_out_another_portals_frames() {
    let app = router(WidgetHost::new(|_| Echo));
    let of = |member: &str| fixture().replace("member_id=", &format!("member_id={member}"));
    let session_of = |page: &str| {
        let start = page.find("\"session\":\"").unwrap() + 11;
        page[start..start + 32].to_owned()
    };
    let (_, page) = send(&app, post("/handler", of("quiet"))).await;
    let quiet = session_of(&page);
    let (_, page) = send(&app, post("/handler", of("busy"))).await;
    let busy_first = session_of(&page);
    for _ in 0..b24_server::MAX_PER_PORTAL {
        send(&app, post("/handler", of("busy"))).await;
    }
    let event = |session: &str| {
        Request::post("/event")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"session": session, "kind": "entityUpdate"}).to_string(),
            ))
            .unwrap()
    };
    let (status, _) = send(&app, event(&busy_first)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the busy portal's oldest frame is forgotten"
    );
    let (status, text) = send(&app, event(&quiet)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
}

#[tokio::test]
async fn pages_say_who_may_frame_them() {
    let app = router(WidgetHost::new(|_| Echo));
    // the widget page: its portal only, from DOMAIN and PROTOCOL
    for (form, origin) in [
        ("DOMAIN=xxx.bitrix24.com&PROTOCOL=1", "https://xxx.bitrix24.com"),
        ("DOMAIN=127.0.0.1%3A3000&PROTOCOL=0", "http://127.0.0.1:3000"),
    ] {
        let body = format!("{form}&member_id=m&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D");
        let res = app.clone().oneshot(post("/handler", body)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["content-security-policy"],
            format!("frame-ancestors {origin}")
        );
    }
    // the preview: its own origin
    let res = app
        .clone()
        .oneshot(
            Request::get("/")
                .header("host", "localhost")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.headers()["content-security-policy"], "frame-ancestors 'self'");
}

#[tokio::test]
async fn the_previews_frames_send_their_events_to_the_routers_event_route() {
    let preview = b24_server::Preview {
        fields: Some(std::sync::Arc::new(|_: &str| {
            vec![("member_id".to_owned(), "m".to_owned())]
        })),
        ..b24_server::Preview::default()
    };
    let app = axum::Router::new().nest(
        "/deal",
        b24_server::router_with_preview(WidgetHost::new(|_| Echo), preview),
    );
    let (status, page) = send(
        &app,
        post(
            "/deal/preview/handler",
            "DOMAIN=localhost&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("\"eventUrl\":\"/deal/event\""), "{page}");
}
