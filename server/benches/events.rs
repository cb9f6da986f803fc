//! How fast an event's first command reaches the client, against a bare axum echo of the
//! same size, in the same run on loopback: 200 frames send events at once (20 each, one
//! after the other per frame), while one more frame is in a slow update (5 s). p99 of the
//! time from sending the event to the arrival of the answer's first line.
//!
//! `cargo bench -p b24-server --bench events`

use std::time::{Duration, Instant};

use axum::routing::post;
use axum::Router;
use b24_server::{router, WidgetHost};
use layout_core::command::{Command, Event, ItemState};
use layout_core::widget::{AsyncWidget, Frame, UpdateError};
use layout_core::{LayoutDto, Text, Violations};

const FRAMES: usize = 200;
const EVENTS: usize = 20;

struct Echo;

impl AsyncWidget for Echo {
    fn view(&self) -> Result<LayoutDto, Violations> {
        Ok(LayoutDto::default().blocks([("t".to_owned(), Text::default().value("ready").into())]))
    }

    async fn update(&mut self, event: &Event, frame: &mut Frame<'_>) -> Result<(), UpdateError> {
        if let Event::Layout { value, .. } = event {
            if value == "slow" {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            frame.send(Command::SetLayoutItemState(
                ItemState::new("t").properties(Text::default().value(value.clone())),
            ))?;
        }
        Ok(())
    }
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // small answers go out at once (both servers alike)
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn fixture() -> String {
    std::fs::read_to_string(format!(
        "{}/../tests/fixtures/placements/26-CRM_DEAL_DETAIL_ACTIVITY.form",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn open(http: &reqwest::Client, base: &str) -> String {
    let page = http
        .post(format!("{base}/handler"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(fixture())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("\"session\":\"").unwrap() + 11;
    page[start..start + 32].to_owned()
}

/// The time to the first chunk of each answer, for `FRAMES` clients at once.
async fn load(http: &reqwest::Client, url: &str, sessions: &[String]) -> Vec<Duration> {
    let tasks = sessions.iter().map(|session| {
        let http = http.clone();
        let url = url.to_owned();
        let session = session.clone();
        async move {
            let mut out = Vec::with_capacity(EVENTS);
            for i in 0..EVENTS {
                let body =
                    format!(r#"{{"session":"{session}","kind":"layoutEvent","id":"x","value":"v{i}"}}"#);
                let start = Instant::now();
                let mut res = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                res.chunk().await.unwrap().expect("a first line");
                out.push(start.elapsed());
                while res.chunk().await.unwrap().is_some() {}
            }
            out
        }
    });
    futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .flatten()
        .collect()
}

fn p(mut v: Vec<Duration>, q: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * q) as usize]
}

#[tokio::main]
async fn main() {
    let ours = serve(router(WidgetHost::open(|_| async { Ok(Echo) }))).await;
    // the bare echo answers a line of the size of ours at once
    let line = format!(
        "{}\n",
        r#"{"command":"setLayoutItemState","params":{"id":"t","properties":{"value":"v10"}}}"#
    );
    let bare = serve(Router::new().route("/event", post(move || async move { line }))).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(FRAMES + 10)
        .build()
        .unwrap();

    let mut sessions = Vec::new();
    for _ in 0..FRAMES {
        sessions.push(open(&http, &ours).await);
    }
    // one more frame, in a slow update for the whole run
    let slow = open(&http, &ours).await;
    let slow_http = http.clone();
    let slow_url = format!("{ours}/event");
    tokio::spawn(async move {
        let body = format!(r#"{{"session":"{slow}","kind":"layoutEvent","id":"x","value":"slow"}}"#);
        let _ = slow_http
            .post(slow_url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    // warm both
    load(&http, &format!("{bare}/event"), &sessions[..20]).await;
    load(&http, &format!("{ours}/event"), &sessions[..20]).await;

    let mut ratios = Vec::new();
    for round in 1..=3 {
        let b = load(&http, &format!("{bare}/event"), &sessions).await;
        let o = load(&http, &format!("{ours}/event"), &sessions).await;
        let (bp50, bp99, op50, op99) = (p(b.clone(), 0.5), p(b, 0.99), p(o.clone(), 0.5), p(o, 0.99));
        let ratio = op99.as_secs_f64() / bp99.as_secs_f64();
        println!(
            "round {round}: {} events from {FRAMES} frames at once; first line p50 {op50:?} p99 {op99:?}; bare echo p50 {bp50:?} p99 {bp99:?}; p99 ratio {ratio:.2}",
            FRAMES * EVENTS
        );
        ratios.push(ratio);
    }
    ratios.sort_by(|a, b| a.total_cmp(b));
    println!(
        "median p99 ratio (first command / bare echo) of 3 rounds: {:.2}",
        ratios[1]
    );
}
