//! Tokens under load: 4 app instances (separate processes, each its own life cycle and
//! store connection) on one PostgreSQL, one local portal whose tokens live 1 second, 30 s
//! of calls from all of them at once. Reports the calls, the failures (target 0), the
//! refreshes the portal granted against the expiries of the run (target equal: one
//! refresh per expiry, whatever the instances), and whether the stored tokens open the
//! portal at the end.
//!
//! `B24_TEST_POSTGRES_URL=postgres://... cargo bench -p b24-server --features sqlite,postgres --bench soak`
//! (`SOAK_SECONDS` sets the length, 30 by default.)

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use b24_portal::{Config, Portal};
use b24_rest::{OAuthApp, Tokens};
use b24_server::{app_router, Lifecycle, Preview, WidgetHost};

#[path = "../tests/common/mod.rs"]
mod common;

use common::Hello;

const INSTANCES: usize = 4;
const LIFETIME: Duration = Duration::from_secs(1);

fn app() -> OAuthApp {
    OAuthApp::new("local.demo", "demo-client-secret")
}

/// One instance: calls the portal from 4 tasks until `seconds` pass; prints
/// `calls failures` and the first failures.
async fn instance(url: &str, seconds: u64) {
    let store = b24_store::connect(url).await.expect("the store");
    // the local portal has no bucket to speak of: neither has the client, so that the
    // calls meet the expiries rather than wait in line
    let life = Lifecycle::new(store.clone(), Vec::new())
        .app(app())
        .renew_before(Duration::ZERO)
        .rate_limit(b24_rest::RateLimit {
            per_second: 1e6,
            burst: 1e6,
        });
    let portal = store
        .load(Portal::MEMBER_ID)
        .await
        .unwrap()
        .expect("installed by the parent");
    let client = life.client(&portal).unwrap();
    let until = Instant::now() + Duration::from_secs(seconds);
    let tasks = (0..4).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            let (mut calls, mut failures, mut first) = (0u64, 0u64, None);
            while Instant::now() < until {
                calls += 1;
                if let Err(e) = client.call("crm.deal.get", serde_json::json!({"id": 1})).await {
                    failures += 1;
                    first.get_or_insert(e.to_string());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (calls, failures, first)
        })
    });
    let (mut calls, mut failures, mut first) = (0, 0, None);
    for t in futures_util::future::join_all(tasks).await {
        let (c, f, e) = t.unwrap();
        calls += c;
        failures += f;
        first = first.or(e);
    }
    println!("{calls} {failures}");
    if let Some(e) = first {
        eprintln!("instance's first failure: {e}");
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--instance") {
        instance(&args[i + 1], args[i + 2].parse().unwrap()).await;
        return;
    }
    let Ok(url) = std::env::var("B24_TEST_POSTGRES_URL") else {
        eprintln!("set B24_TEST_POSTGRES_URL: the soak runs on PostgreSQL");
        std::process::exit(2);
    };
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);

    // the local portal, its tokens living one second, no bucket to speak of
    let portal = Portal::new(Config {
        token_lifetime: LIFETIME,
        per_second: 1e6,
        burst: 1e6,
        ..Config::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let store = b24_store::connect(&url).await.unwrap();
    let _ = store.remove(Portal::MEMBER_ID).await;
    let life = Arc::new(
        Lifecycle::new(store.clone(), Vec::new())
            .app(app())
            .renew_before(Duration::ZERO),
    );
    let router = app_router(WidgetHost::new(|_| Hello), life, Preview::default())
        .merge(b24_portal::router(portal.clone()));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let (form, _) = portal.install_event(&base);
    let r = reqwest::Client::new()
        .post(format!("{base}/install"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let before = portal.refreshes();
    let children: Vec<_> = (0..INSTANCES)
        .map(|_| {
            Command::new(&exe)
                .args(["--instance", &url, &seconds.to_string()])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // the children block this thread: wait for them off the runtime
    let outputs = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let elapsed = started.elapsed();
    let (mut calls, mut failures) = (0u64, 0u64);
    for out in &outputs {
        let text = String::from_utf8_lossy(&out.stdout);
        let mut numbers = text.split_whitespace().map(|n| n.parse::<u64>().unwrap());
        calls += numbers.next().unwrap();
        failures += numbers.next().unwrap();
    }
    let refreshes = portal.refreshes() - before;
    // a token lives LIFETIME: the run meets this many expiries (the first pair was issued
    // at install, before the run)
    let expiries = (elapsed.as_secs_f64() / LIFETIME.as_secs_f64()).floor() as u64;
    let stored = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let fresh = b24_rest::Client::from_tokens(Tokens {
        access_token: stored.access_token.unwrap(),
        refresh_token: None,
        client_endpoint: stored.client_endpoint,
        server_endpoint: None,
        expires: None,
        member_id: None,
        scope: None,
    })
    .chains(b24_rest::TokenChains::new())
    .build()
    .unwrap();
    // the stored access token may have expired since the run ended: its refresh token
    // must still be the one the portal knows
    let stored_ok = match fresh.call("crm.deal.get", serde_json::json!({"id": 1})).await {
        Ok(_) => "the stored access token opens the portal",
        Err(e) if e.code() == Some(&b24_rest::ErrorCode::ExpiredToken) => {
            let again = Lifecycle::new(store.clone(), Vec::new()).app(app());
            let p = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
            match again.client(&p).unwrap().call("app.info", ()).await {
                Ok(_) => "the stored refresh token renews and opens the portal",
                Err(e) => {
                    eprintln!("the stored tokens: {e}");
                    "THE STORED TOKENS ARE LOST"
                }
            }
        }
        Err(e) => {
            eprintln!("the stored access token: {e}");
            "THE STORED TOKENS ARE LOST"
        }
    };
    println!(
        "{INSTANCES} instances x 4 tasks, {:.1} s, tokens living {LIFETIME:?}",
        elapsed.as_secs_f64()
    );
    println!("calls: {calls}, failures: {failures} (target 0)");
    println!("refreshes: {refreshes}, expiries in the run: {expiries} (target: equal, one refresh each)");
    println!("{stored_ok}");
    if failures > 0 || stored_ok.starts_with("THE") {
        std::process::exit(1);
    }
}
