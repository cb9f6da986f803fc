//! The local portal's pages with 1,000 deals: the home, the deals' list (first and last
//! page), a card, the kanban, analytics; each answered through the router as a browser
//! asks for it. Target: each under 50 ms. The baseline of the same run: `crm.deal.list`'s
//! first page over the REST route (what the list page reads).
//!
//! `cargo bench -p b24-portal --bench pages`

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use b24_portal::{router, Config, Portal};
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn portal() -> (axum::Router, Arc<Portal>) {
    let portal = Portal::new(Config {
        deals: 1000,
        per_second: 1e9,
        burst: 1e9,
        ..Config::default()
    });
    // an app with a placement of each family on deals, so that every page draws its items
    let auth = portal.issue_tokens().access_token;
    let app = router(portal.clone());
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    for code in b24_placement::placement::KnownPlacement::all(183).map(|p| p.to_string()) {
        let body = serde_json::json!({"auth": auth.expose(), "PLACEMENT": code, "HANDLER": "http://localhost/h", "TITLE": "App"});
        let req = Request::post("/rest/placement.bind")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let res = rt.block_on(app.clone().oneshot(req)).unwrap();
        assert!(res.status().is_success());
    }
    (app, portal)
}

async fn get(app: &axum::Router, path: &str) -> usize {
    let res = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.into_body().collect().await.unwrap().to_bytes().len()
}

fn bench(c: &mut Criterion) {
    let (app, portal) = portal();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let hook = portal.webhook_url("").expose().to_owned();
    let pages = [
        ("home", "/portal/".to_owned()),
        ("deals, first page", "/portal/crm/deal/list/".to_owned()),
        (
            "deals, page 20 of 20",
            "/portal/crm/deal/list/?page=20".to_owned(),
        ),
        ("a deal's card", "/portal/crm/deal/details/500/".to_owned()),
        ("the kanban", "/portal/crm/deal/kanban/".to_owned()),
        ("analytics", "/portal/report/analytics/".to_owned()),
        (
            "baseline: crm.deal.list over REST",
            format!("{hook}crm.deal.list.json?start=0"),
        ),
    ];
    for (_, path) in &pages {
        assert!(rt.block_on(get(&app, path)) > 0);
    }
    // the list really holds 1,000 deals, 50 a page
    let html = rt.block_on(async {
        let res = app
            .clone()
            .oneshot(
                Request::get("/portal/crm/deal/list/?page=20")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    });
    assert!(html.contains("data-b24-total=\"1000\"") && html.contains("data-b24-row=\"1000\""));
    let mut g = c.benchmark_group("the local portal's pages, 1,000 deals");
    g.sample_size(30);
    for (name, path) in &pages {
        g.bench_function(*name, |b| b.to_async(&rt).iter(|| get(&app, path)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
