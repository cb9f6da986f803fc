//! The portal's events, measured in one run:
//!
//! 1. `POST /events` throughput for a verified ONCRMDEALUPDATE (read, typed, its token
//!    checked against an installed portal, a handler run off the request) against a bare
//!    axum handler that reads the same form into pairs and answers the same JSON; 8
//!    keep-alive connections, 5 alternating rounds, the median ratio (target >= 0.8).
//! 2. The offline consumer draining 10,000 events queued in the local portal, 50 a call,
//!    against the least time the portal's bucket allows for the calls it made.
//!
//! `cargo bench -p b24-server --bench portal_events`
//! (`EVENTS_BENCH_PER_SECOND` sets the portal's drain rate, 20 a second by default.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::post;
use axum::Router;
use b24_placement::event::{EventAuth, EventBind, EventName, PortalEvent};
use b24_placement::Secret;
use b24_portal::{Config, Portal};
use b24_server::{app_router, Lifecycle, Preview, WidgetHost};
use layout_core::command::{Command, Event};
use layout_core::widget::Widget;
use layout_core::{LayoutDto, Text};
use serde_json::json;

#[path = "common/load.rs"]
mod load;

struct Small;

impl Widget for Small {
    fn view(&self) -> LayoutDto {
        LayoutDto::default().blocks([("t".to_owned(), Text::default().value("hi").into())])
    }
    fn update(&mut self, _: &Event) -> Vec<Command> {
        Vec::new()
    }
}

async fn serve(app: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn sqlite(name: &str) -> Arc<dyn b24_store::PortalStore> {
    let dir = std::env::temp_dir().join(format!("b24-events-bench-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("app.db"));
    b24_store::connect(&format!("sqlite://{}", dir.join("app.db").display()))
        .await
        .unwrap()
}

async fn route_throughput() {
    let store = sqlite("route").await;
    let (member, token) = (
        "da45a03b265edd8787f8a258d793cc5d",
        "51856fefc120afa4b628cc82d3935cce",
    );
    store
        .save(&b24_store::InstalledPortal {
            member_id: member.into(),
            domain: "xxx.bitrix24.com".into(),
            client_endpoint: "https://xxx.bitrix24.com/rest/".into(),
            server_endpoint: None,
            application_token: Secret::new(token),
            access_token: Some(Secret::new("access")),
            refresh_token: None,
            expires: None,
            scope: None,
            status: None,
            installed_at: 0,
            needs_reinstall: None,
        })
        .await
        .unwrap();
    let handled = Arc::new(AtomicUsize::new(0));
    let counter = handled.clone();
    let life = Lifecycle::new(store, Vec::new()).on(
        EventBind::online("ONCRMDEALUPDATE", "https://app.example.com/events").unwrap(),
        move |_| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
        },
    );
    let ours = serve(app_router(
        WidgetHost::new(|_| Small),
        Arc::new(life),
        Preview::default(),
    ))
    .await;
    let bare = serve(Router::new().route(
        "/events",
        post(|body: String| async move {
            let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
            std::hint::black_box(pairs);
            // the JSON answer written as the server writes it (no axum `json` feature)
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                json!({"received": true}).to_string(),
            )
        }),
    ))
    .await;
    let auth = EventAuth {
        domain: "xxx.bitrix24.com".into(),
        member_id: member.into(),
        client_endpoint: Some("https://xxx.bitrix24.com/rest/".into()),
        server_endpoint: Some("https://oauth.bitrix.info/rest/".into()),
        status: Some("L".into()),
        scope: Some("crm".into()),
        user_id: Some(1),
        application_token: Some(Secret::new(token)),
        access_token: Some(Secret::new(
            "39e69f6600631fcd00005a4b00000001f0f10738741fe7296291110a2e9788a33216cf",
        )),
        refresh_token: Some(Secret::new(
            "2965c76600631fcd00005a4b00000001f0f107cdf3226bebc47f89d1b0f15608e44b14",
        )),
        expires_in: Some(3600),
    };
    let mut event = PortalEvent::sample(EventName::parse("ONCRMDEALUPDATE"), 3473, None, auth);
    event.event_handler_id = Some(17);
    let body: &'static str = Box::leak(event.to_form().into_boxed_str());
    let mut ratios = Vec::new();
    const ROUNDS: usize = 5;
    for round in 1..=ROUNDS {
        let (bare_rps, _) = load::load(bare, "/events", body).await;
        let (our_rps, _) = load::load(ours, "/events", body).await;
        println!(
            "round {round}: bare axum (form read) {bare_rps:.0} req/s; POST /events {our_rps:.0} req/s; ratio {:.2}",
            our_rps / bare_rps
        );
        ratios.push(our_rps / bare_rps);
    }
    ratios.sort_by(f64::total_cmp);
    tokio::time::sleep(Duration::from_millis(200)).await;
    println!(
        "median throughput ratio (POST /events / bare axum) of {ROUNDS} rounds: {:.2} (target at least 0.80); handlers run: {}",
        ratios[ROUNDS / 2],
        handled.load(Ordering::Relaxed)
    );
}

async fn offline_drain() {
    const EVENTS: usize = 10_000;
    let per_second: f64 = std::env::var("EVENTS_BENCH_PER_SECOND")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20.0);
    let burst = 50.0;
    let portal = Portal::new(Config {
        per_second,
        burst,
        ..Config::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handled = Arc::new(AtomicUsize::new(0));
    let counter = handled.clone();
    let life = Arc::new(
        Lifecycle::new(sqlite("offline").await, Vec::new())
            .rate_limit(b24_rest::RateLimit { per_second, burst })
            .on(EventBind::offline("ONCRMDEALADD").unwrap(), move |_| {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::Relaxed);
                    Ok(())
                }
            }),
    );
    let app = app_router(WidgetHost::new(|_| Small), life.clone(), Preview::default())
        .merge(b24_portal::router(portal.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (form, _) = portal.install_event(&base);
    let installed = reqwest::Client::new()
        .post(format!("{base}/install"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert!(installed.status().is_success());
    // 10,000 deals added, 50 a batch: 10,000 records in the queue
    let client = life
        .client(&life.portal(Portal::MEMBER_ID).await.unwrap().unwrap())
        .unwrap();
    let mut batch = b24_rest::Batch::new();
    for i in 0..EVENTS {
        batch = batch.add(
            format!("d{i}"),
            "crm.deal.add",
            json!({"fields": {"TITLE": format!("Deal {i}")}}),
        );
    }
    let added = client.batch(&batch).await.unwrap();
    assert!(added.errors.is_empty(), "{:?}", added.errors.values().next());
    assert_eq!(portal.offline_waiting(None), EVENTS);
    // an empty bucket to start from
    tokio::time::sleep(Duration::from_secs_f64(burst / per_second)).await;
    let started = Instant::now();
    let drained = life.drain_offline(Portal::MEMBER_ID).await.unwrap();
    let took = started.elapsed();
    assert_eq!(drained.handled, EVENTS);
    assert_eq!(handled.load(Ordering::Relaxed), EVENTS);
    assert_eq!(portal.offline_waiting(None), 0);
    let minimum = (drained.calls as f64 - burst).max(0.0) / per_second;
    println!(
        "offline: {EVENTS} events drained in {:.2} s with {} calls (get + clear per 50); the bucket's minimum for them ({per_second}/s, bursts of {burst}) {minimum:.2} s: {:.2}x",
        took.as_secs_f64(),
        drained.calls,
        took.as_secs_f64() / minimum
    );
}

#[tokio::main]
async fn main() {
    route_throughput().await;
    offline_drain().await;
}
