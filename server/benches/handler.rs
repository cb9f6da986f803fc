//! Throughput and p99 latency of `POST /handler` (parse the placement request, run the
//! widget's view, answer its page) against two bare axum handlers that return a fixed
//! page of the same size: one that does not read the request, and one of the same shape
//! that reads the form it is sent; on loopback, measured in the same run by a small
//! keep-alive load generator (8 connections).
//!
//! `cargo bench -p b24-server --bench handler`

use axum::response::Html;
use axum::routing::post;
use axum::Router;
use b24_server::{router, WidgetHost};
use layout_core::command::{Command, Event};
use layout_core::widget::Widget;
use layout_core::{LayoutDto, Text};

#[path = "common/load.rs"]
mod load;

struct Small;

impl Widget for Small {
    fn view(&self) -> LayoutDto {
        LayoutDto::default().blocks([(
            "hello".to_owned(),
            Text::default().value("Hello from the widget").into(),
        )])
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

#[tokio::main]
async fn main() {
    let body: &'static str = "DOMAIN=xxx.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=37430843b6a2ce62aea9be09c34d9e6d&AUTH_ID=39e69f6600631fcd00005a4b00000001f0f10738741fe7296291110a2e9788a33216cf&AUTH_EXPIRES=3600&REFRESH_ID=2965c76600631fcd00005a4b00000001f0f107cdf3226bebc47f89d1b0f15608e44b14&member_id=da45a03b265edd8787f8a258d793cc5d&status=L&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%223473%22%7D";
    let ours = serve(router(WidgetHost::new(|_| Small))).await;
    // the same, verified: an installed portal (answered from memory after the first call)
    let dir = std::env::temp_dir().join(format!("b24-handler-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("app.db"));
    let store = b24_store::connect(&format!("sqlite://{}", dir.join("app.db").display()))
        .await
        .unwrap();
    store
        .save(&b24_store::InstalledPortal {
            member_id: "da45a03b265edd8787f8a258d793cc5d".into(),
            domain: "xxx.bitrix24.com".into(),
            client_endpoint: "https://xxx.bitrix24.com/rest/".into(),
            server_endpoint: None,
            application_token: b24_placement::Secret::new("51856fefc120afa4b628cc82d3935cce"),
            access_token: None,
            refresh_token: None,
            expires: None,
            scope: None,
            status: None,
            installed_at: 0,
            needs_reinstall: None,
        })
        .await
        .unwrap();
    let life = std::sync::Arc::new(b24_server::Lifecycle::new(store, Vec::new()));
    let verified = serve(b24_server::app_router(
        WidgetHost::new(|_| Small),
        life,
        b24_server::Preview::default(),
    ))
    .await;
    let verified_body: &'static str =
        Box::leak(format!("{body}&APPLICATION_TOKEN=51856fefc120afa4b628cc82d3935cce").into_boxed_str());
    let page = b24_server::widget_page(&Small.view(), "0123456789abcdef0123456789abcdef", "/event").0;
    let bare = serve(Router::new().route(
        "/handler",
        post(move || {
            let page = page.clone();
            async move { Html(page) }
        }),
    ))
    .await;
    // a bare axum handler of the same shape: it reads the form it is sent (into owned
    // pairs, as a hand-written handler does) and answers the same page
    let shaped_page = b24_server::widget_page(&Small.view(), "0123456789abcdef0123456789abcdef", "/event").0;
    let shaped = serve(Router::new().route(
        "/handler",
        post(move |body: String| {
            let page = shaped_page.clone();
            async move {
                let pairs: Vec<(String, String)> =
                    form_urlencoded::parse(body.as_bytes()).into_owned().collect();
                assert!(pairs.len() > 5);
                Html(page)
            }
        }),
    ))
    .await;
    // `HANDLER_BENCH_ONLY=bare|ours` loads one server only (for a profiler)
    if let Ok(only) = std::env::var("HANDLER_BENCH_ONLY") {
        let addr = if only == "bare" { bare } else { ours };
        let (rps, p99) = load::load(addr, "/handler", body).await;
        println!("{only}: {rps:.0} req/s p99 {p99:?}");
        return;
    }
    // alternate, so that both see the same machine
    let mut ratios = Vec::new();
    let mut shaped_ratios = Vec::new();
    let mut verified_ratios = Vec::new();
    let mut p99_ratios = Vec::new();
    const ROUNDS: usize = 5;
    for round in 1..=ROUNDS {
        let (bare_rps, bare_p99) = load::load(bare, "/handler", body).await;
        let (shaped_rps, shaped_p99) = load::load(shaped, "/handler", body).await;
        let (our_rps, our_p99) = load::load(ours, "/handler", body).await;
        let (ver_rps, ver_p99) = load::load(verified, "/handler", verified_body).await;
        println!(
            "round {round}: bare axum {bare_rps:.0} req/s p99 {bare_p99:?}; bare axum reading the form {shaped_rps:.0} req/s p99 {shaped_p99:?}; POST /handler {our_rps:.0} req/s p99 {our_p99:?}; verified {ver_rps:.0} req/s p99 {ver_p99:?}; throughput ratios {:.2} (bare), {:.2} (reading the form), {:.2} verified; p99 ratio {:.2}",
            our_rps / bare_rps,
            our_rps / shaped_rps,
            ver_rps / bare_rps,
            our_p99.as_secs_f64() / shaped_p99.as_secs_f64()
        );
        ratios.push(our_rps / bare_rps);
        shaped_ratios.push(our_rps / shaped_rps);
        verified_ratios.push(ver_rps / bare_rps);
        p99_ratios.push(our_p99.as_secs_f64() / shaped_p99.as_secs_f64());
    }
    for r in [
        &mut ratios,
        &mut shaped_ratios,
        &mut verified_ratios,
        &mut p99_ratios,
    ] {
        r.sort_by(f64::total_cmp);
    }
    println!(
        "median throughput ratio of {ROUNDS} rounds: POST /handler / bare axum {:.2}; / bare axum reading the form {:.2} (p99 {:.2}x); verified against installed portals / bare axum {:.2}",
        ratios[ROUNDS / 2],
        shaped_ratios[ROUNDS / 2],
        p99_ratios[ROUNDS / 2],
        verified_ratios[ROUNDS / 2]
    );
}
