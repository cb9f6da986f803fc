//! Async widgets served: commands stream to the frame as they are sent, frames run
//! independently, a busy button drops its clicks, a failing or panicking update answers
//! its own frame.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use b24_server::{router, WidgetHost};
use http_body_util::BodyExt;
use layout_core::command::{ButtonPatch, Command, Event, ItemState};
use layout_core::widget::{AsyncWidget, Frame, UpdateError};
use layout_core::{ButtonDto, ButtonState, LayoutDto, Text, Violations};
use serde_json::{json, Value};
use tower::ServiceExt;

/// Saves on the primary button: lock and loading at once, a slow save, then unlock and
/// finish. A layout event answers at once; `entityUpdate` panics; `explode` fails.
struct Saver {
    saves: Arc<AtomicUsize>,
    delay: Duration,
}

impl AsyncWidget for Saver {
    fn view(&self) -> Result<LayoutDto, Violations> {
        Ok(LayoutDto::default()
            .blocks([("t".to_owned(), Text::default().value("ready").into())])
            .primaryButton(ButtonDto::new("Save")))
    }

    async fn update(&mut self, event: &Event, frame: &mut Frame<'_>) -> Result<(), UpdateError> {
        match event {
            Event::PrimaryButtonClick => {
                frame.send(Command::Lock)?;
                frame.send(Command::SetPrimaryButtonState(Some(ButtonPatch::state(
                    ButtonState::loading,
                ))))?;
                tokio::time::sleep(self.delay).await;
                self.saves.fetch_add(1, Ordering::SeqCst);
                frame.send(Command::Unlock)?;
                frame.send(Command::SetPrimaryButtonState(Some(ButtonPatch::state(
                    ButtonState::normal,
                ))))?;
                frame.send(Command::Finish)?;
            }
            Event::Layout { value, .. } if value == "explode" => {
                return Err("the save failed: portal unreachable".into())
            }
            Event::Layout { value, .. } => {
                frame.send(Command::SetLayoutItemState(
                    ItemState::new("t").properties(Text::default().value(value.clone())),
                ))?;
            }
            Event::EntityUpdate => panic!("a bug in the widget"),
            _ => {}
        }
        Ok(())
    }
}

fn fixture() -> String {
    std::fs::read_to_string(format!(
        "{}/../tests/fixtures/placements/26-CRM_DEAL_DETAIL_ACTIVITY.form",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn app(delay: Duration) -> (axum::Router, Arc<AtomicUsize>) {
    let saves = Arc::new(AtomicUsize::new(0));
    let s = saves.clone();
    let host = WidgetHost::open(move |_request| {
        let saves = s.clone();
        async move { Ok(Saver { saves, delay }) }
    });
    (router(host), saves)
}

async fn open(app: &axum::Router) -> String {
    let req = Request::post("/handler")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(fixture()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let start = page.find("\"session\":\"").unwrap() + 11;
    page[start..start + 32].to_owned()
}

fn event(session: &str, payload: Value) -> Request<Body> {
    let mut v = payload;
    v["session"] = json!(session);
    Request::post("/event")
        .header("content-type", "application/json")
        .body(Body::from(v.to_string()))
        .unwrap()
}

/// The lines of an answer, each with when it arrived since `start`.
async fn timed_lines(app: &axum::Router, req: Request<Body>, start: Instant) -> Vec<(Duration, Value)> {
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/x-ndjson");
    let mut body = res.into_body();
    let mut out = Vec::new();
    let mut pending = String::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.unwrap().into_data() else {
            continue;
        };
        pending.push_str(std::str::from_utf8(&data).unwrap());
        while let Some(i) = pending.find('\n') {
            let line: String = pending.drain(..=i).collect();
            out.push((start.elapsed(), serde_json::from_str(line.trim()).unwrap()));
        }
    }
    out
}

#[tokio::test]
async fn commands_reach_the_frame_as_they_are_sent() {
    let (app, saves) = app(Duration::from_millis(600));
    let session = open(&app).await;
    let start = Instant::now();
    let lines = timed_lines(
        &app,
        event(&session, json!({"kind": "primaryButtonClick"})),
        start,
    )
    .await;
    let names: Vec<&str> = lines
        .iter()
        .map(|(_, v)| v["command"].as_str().unwrap_or("(end)"))
        .collect();
    assert_eq!(
        names,
        [
            "lock",
            "setPrimaryButtonState",
            "unlock",
            "setPrimaryButtonState",
            "finish",
            "(end)"
        ]
    );
    // lock and loading came before the save, the rest after it
    assert!(
        lines[1].0 < Duration::from_millis(300),
        "loading after {:?}",
        lines[1].0
    );
    assert!(
        lines[2].0 >= Duration::from_millis(600),
        "unlock after {:?}",
        lines[2].0
    );
    assert_eq!(lines[5].1, json!({"done": true}));
    assert_eq!(saves.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_double_click_saves_once() {
    let (app, saves) = app(Duration::from_millis(300));
    let session = open(&app).await;
    let start = Instant::now();
    let (first, second) = tokio::join!(
        timed_lines(
            &app,
            event(&session, json!({"kind": "primaryButtonClick"})),
            start
        ),
        async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            timed_lines(
                &app,
                event(&session, json!({"kind": "primaryButtonClick"})),
                start,
            )
            .await
        }
    );
    assert_eq!(first.last().unwrap().1, json!({"done": true}));
    assert_eq!(second.len(), 1);
    assert!(second[0].1.get("dropped").is_some(), "{:?}", second);
    assert_eq!(saves.load(Ordering::SeqCst), 1);
    // after finish, the frame takes no click at all
    let after = timed_lines(
        &app,
        event(&session, json!({"kind": "primaryButtonClick"})),
        start,
    )
    .await;
    assert_eq!(after[0].1, json!({"dropped": "the widget is finished"}));
}

#[tokio::test]
async fn a_slow_frame_does_not_hold_up_another() {
    let (app, _) = app(Duration::from_millis(1500));
    let slow = open(&app).await;
    let quick = open(&app).await;
    let start = Instant::now();
    let app2 = app.clone();
    let slow_save = tokio::spawn(async move {
        timed_lines(
            &app2,
            event(&slow, json!({"kind": "primaryButtonClick"})),
            Instant::now(),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let lines = timed_lines(
        &app,
        event(&quick, json!({"kind": "layoutEvent", "id": "x", "value": "hi"})),
        start,
    )
    .await;
    assert_eq!(lines.last().unwrap().1, json!({"done": true}));
    assert!(
        lines.last().unwrap().0 < Duration::from_millis(400),
        "{:?}",
        lines.last().unwrap().0
    );
    assert_eq!(slow_save.await.unwrap().last().unwrap().1, json!({"done": true}));
}

#[tokio::test]
async fn a_failing_or_panicking_update_answers_its_own_frame() {
    let (app, _) = app(Duration::from_millis(10));
    let session = open(&app).await;
    let other = open(&app).await;
    let start = Instant::now();
    let lines = timed_lines(
        &app,
        event(
            &session,
            json!({"kind": "layoutEvent", "id": "x", "value": "explode"}),
        ),
        start,
    )
    .await;
    assert_eq!(
        lines[0].1,
        json!({"error": "the save failed: portal unreachable"})
    );
    let lines = timed_lines(&app, event(&session, json!({"kind": "entityUpdate"})), start).await;
    assert_eq!(
        lines.last().unwrap().1,
        json!({"error": "the widget's update panicked"})
    );
    // the frame goes on, and so do the others
    for s in [&session, &other] {
        let lines = timed_lines(
            &app,
            event(
                s,
                json!({"kind": "layoutEvent", "id": "x", "value": "still here"}),
            ),
            start,
        )
        .await;
        assert_eq!(lines.last().unwrap().1, json!({"done": true}), "{lines:?}");
    }
}

struct Refused;

impl AsyncWidget for Refused {
    fn view(&self) -> Result<LayoutDto, Violations> {
        // a layout that only the run can check: an empty list from a query with no rows
        let rows: Vec<String> = Vec::new();
        b24_widgets_free_layout(&rows)
    }

    async fn update(&mut self, _: &Event, _: &mut Frame<'_>) -> Result<(), UpdateError> {
        Ok(())
    }
}

fn b24_widgets_free_layout(rows: &[String]) -> Result<LayoutDto, Violations> {
    let layout = LayoutDto::default().blocks(
        rows.iter()
            .map(|r| (r.clone(), Text::default().value(r.clone()).into()))
            .collect::<layout_core::Blocks>(),
    );
    layout.validate().map(|()| layout)
}

#[tokio::test]
async fn a_refused_view_or_a_failed_opening_is_an_error_page_naming_why() {
    let req = || {
        Request::post("/handler")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(fixture()))
            .unwrap()
    };
    let app = router(WidgetHost::open(|_| async { Ok(Refused) }));
    let res = app.oneshot(req()).await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        text.contains("/blocks: a layout needs at least 1 block"),
        "{text}"
    );

    let app = router(WidgetHost::open(|_| async {
        Err::<Refused, UpdateError>("crm.deal.get: Not found".into())
    }));
    let res = app.oneshot(req()).await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert_eq!(text, "the widget could not be opened: crm.deal.get: Not found");
}
