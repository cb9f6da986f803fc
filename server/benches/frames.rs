//! What an open frame costs in memory: 10,000 frames of a 5-block form (10 portals of
//! 1,000 frames, the most one portal may keep), each sent one event that changes its
//! layout (a value typed, an error shown beside it): the resident memory of the process
//! before and after, per frame, against the size of the layout's JSON (the ratio that
//! the target reads: at most 4 KB a frame).
//!
//! The requests go through the router itself (`tower::ServiceExt::oneshot`): no sockets,
//! whose buffers would be counted as the frames'.
//!
//! `cargo bench -p b24-server --bench frames`

use axum::body::Body;
use axum::http::Request;
use b24_server::{router, WidgetHost};
use http_body_util::BodyExt;
use layout_core::command::{Command, Event, ItemState};
use layout_core::widget::{AsyncWidget, Frame, UpdateError};
use layout_core::{Input, LayoutDto, Violations};
use tower::ServiceExt;

const PORTALS: usize = 10;
const PER_PORTAL: usize = 1_000;

/// A form of five blocks: a title, a section with a note, an email, a city and a comment.
struct Form;

fn layout() -> LayoutDto {
    LayoutDto::from_json(
        r#"{"blocks":{
            "title":{"type":"text","properties":{"value":"Send the offer to the client","bold":true,"size":"lg"}},
            "note":{"type":"section","properties":{"type":"primary","blocks":{
                "help":{"type":"link","properties":{"text":"How offers are sent to clients","action":{"type":"redirect","value":"/crm/deal/help/"}}}}}},
            "email":{"type":"input","properties":{"title":"Client's email","placeholder":"name@example.com"}},
            "city":{"type":"select","properties":{"title":"Office","selectedValue":"nyc",
                "values":{"nyc":"New York","la":"Los Angeles","sf":"San Francisco"}}},
            "comment":{"type":"textarea","properties":{"title":"A word to the client","placeholder":"Optional"}}},
          "primaryButton":{"title":"Send"},"secondaryButton":{"title":"Cancel"}}"#,
    )
    .expect("the benchmark's layout is valid")
}

impl AsyncWidget for Form {
    fn view(&self) -> Result<LayoutDto, Violations> {
        Ok(layout())
    }

    async fn update(&mut self, event: &Event, frame: &mut Frame<'_>) -> Result<(), UpdateError> {
        if let Event::ValueChange { id, value } = event {
            if !value.contains('@') {
                frame.send(Command::SetLayoutItemState(
                    ItemState::new(id.clone()).properties(Input::default().errorText("Not an email")),
                ))?;
            }
        }
        Ok(())
    }
}

fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn form(portal: usize) -> String {
    format!(
        "DOMAIN=portal{portal}.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=fb219fe14b3bb927&AUTH_ID=a{portal}&AUTH_EXPIRES=3600\
         &member_id=member{portal:04}&status=L&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%223473%22%7D"
    )
}

async fn body_text(res: axum::response::Response) -> String {
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let app = router(WidgetHost::open(|_| async { Ok(Form) }));
        // warm up: the allocator's arenas and the router's first calls are not the frames'
        let warm = body_text(app.clone().oneshot(handler_request(0)).await.unwrap()).await;
        assert!(warm.contains("b24-config"), "{warm}");

        let before = rss();
        let mut sessions = Vec::with_capacity(PORTALS * PER_PORTAL);
        for portal in 0..PORTALS {
            for _ in 0..PER_PORTAL {
                let page = body_text(app.clone().oneshot(handler_request(portal)).await.unwrap()).await;
                let start = page.find("\"session\":\"").expect("a page with its session") + 11;
                sessions.push(page[start..start + 32].to_owned());
            }
        }
        let opened = rss();
        for session in &sessions {
            let event = serde_json::json!({"session": session, "kind": "valueChange", "id": "email", "value": "not an address"});
            let req = Request::post("/event")
                .header("content-type", "application/json")
                .body(Body::from(event.to_string()))
                .unwrap();
            let answer = body_text(app.clone().oneshot(req).await.unwrap()).await;
            assert!(answer.contains("setLayoutItemState") && answer.ends_with("{\"done\":true}\n"), "{answer}");
        }
        let after = rss();

        let frames = sessions.len();
        let json = layout().to_json().len();
        let per_open = opened.saturating_sub(before) as f64 / frames as f64;
        let per_active = after.saturating_sub(before) as f64 / frames as f64;
        println!("frames: {frames} ({PORTALS} portals), layout JSON {json} bytes");
        println!(
            "opened:             {:>7.0} bytes a frame = {:.2}x the layout's JSON",
            per_open,
            per_open / json as f64
        );
        println!(
            "after one event:    {:>7.0} bytes a frame = {:.2}x the layout's JSON (target: at most 4096 bytes)",
            per_active,
            per_active / json as f64
        );
        if per_active > 4096.0 {
            eprintln!("over the target: {per_active:.0} bytes a frame");
            std::process::exit(1);
        }
    });
}

fn handler_request(portal: usize) -> Request<Body> {
    Request::post("/handler")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form(portal)))
        .unwrap()
}
