//! The client against the local portal on loopback, each figure beside a baseline of the
//! same run:
//! - `call` against a bare POST of the same reqwest client to the same URL (sequential,
//!   5 alternating rounds of 2,000, median ratio of throughput);
//! - a 1,000-command `batch` against 1,000 single calls;
//! - a 200-call burst through the client's bucket into a portal with the same bucket:
//!   refused calls (target 0) and time against the drain rate's minimum.
//!
//! `cargo bench -p b24-rest --bench client`

use std::time::{Duration, Instant};

use b24_portal::{Config, Portal};
use b24_rest::{Batch, Client, RateLimit, Tokens};
use serde_json::json;

const ROUNDS: usize = 5;
const CALLS: usize = 2000;

async fn serve(config: Config) -> (String, std::sync::Arc<Portal>) {
    let portal = Portal::new(config);
    let app = b24_portal::router(portal.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), portal)
}

fn client(base: &str, portal: &Portal, limit: RateLimit) -> Client {
    let issued = portal.issue_tokens();
    Client::from_tokens(Tokens {
        access_token: issued.access_token,
        refresh_token: Some(issued.refresh_token),
        client_endpoint: format!("{base}/rest/"),
        server_endpoint: None,
        expires: None,
        member_id: None,
        scope: None,
    })
    .rate_limit(limit)
    .build()
    .unwrap()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let unlimited = RateLimit {
        per_second: 1e9,
        burst: 1e9,
    };
    let (base, portal) = serve(Config {
        per_second: 1e9,
        burst: 1e9,
        ..Config::default()
    })
    .await;
    let c = client(&base, &portal, unlimited);
    let token = portal.issue_tokens().access_token;
    let http = reqwest::Client::new();
    let url = format!("{base}/rest/crm.deal.get");
    let body = json!({"id": 1, "auth": token.expose()});

    // warm both up
    for _ in 0..200 {
        c.call("crm.deal.get", json!({"id": 1})).await.unwrap();
        http.post(&url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
    }
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let t = Instant::now();
        for _ in 0..CALLS {
            let r = http.post(&url).json(&body).send().await.unwrap();
            assert!(r.status().is_success());
            r.bytes().await.unwrap();
        }
        let bare = CALLS as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..CALLS {
            c.call("crm.deal.get", json!({"id": 1})).await.unwrap();
        }
        let ours = CALLS as f64 / t.elapsed().as_secs_f64();
        println!(
            "round {round}: bare POST {bare:.0} calls/s; Client::call {ours:.0} calls/s; ratio {:.2}",
            ours / bare
        );
        ratios.push(ours / bare);
    }
    println!(
        "median throughput ratio (Client::call / bare POST) of {ROUNDS} rounds: {:.2}",
        median(ratios)
    );

    // 1,000 commands: one batch (20 calls of 50) against 1,000 single calls
    let mut batch = Batch::new();
    for i in 0..1000 {
        batch.push(format!("d{i}"), "crm.deal.get", json!({"id": i % 120 + 1}));
    }
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let t = Instant::now();
        let answer = c.batch(&batch).await.unwrap();
        assert_eq!(answer.result.len(), 1000);
        let batched = t.elapsed();
        let t = Instant::now();
        for i in 0..1000 {
            c.call("crm.deal.get", json!({"id": i % 120 + 1})).await.unwrap();
        }
        let single = t.elapsed();
        println!("batch round {round}: 1,000 commands in one batch {batched:?}, as 1,000 calls {single:?}; {:.1}x faster", single.as_secs_f64() / batched.as_secs_f64());
        ratios.push(single.as_secs_f64() / batched.as_secs_f64());
    }
    println!("median: a 1,000-command batch is {:.1}x faster than 1,000 calls (and 20 requests of the bucket instead of 1,000)", median(ratios));

    // the bucket: 200 calls at once into a portal that drains 40/s and holds 50
    let limit = RateLimit {
        per_second: 40.0,
        burst: 50.0,
    };
    let (base, portal) = serve(Config {
        per_second: limit.per_second,
        burst: limit.burst,
        ..Config::default()
    })
    .await;
    let c = client(&base, &portal, limit);
    let t = Instant::now();
    let calls = (0..200).map(|i| {
        let c = c.clone();
        async move { c.call("crm.deal.get", json!({"id": i % 120 + 1})).await }
    });
    let answers = futures_util::future::join_all(calls).await;
    let took = t.elapsed();
    let failed = answers.iter().filter(|a| a.is_err()).count();
    let (answered, refused) = portal.counts();
    let minimum = Duration::from_secs_f64((200.0 - limit.burst) / limit.per_second);
    println!(
        "bucket: 200 calls at once, drain {}/s, burst {}: {answered} answered, {refused} QUERY_LIMIT_EXCEEDED, {failed} failed; {took:?} (the drain rate's minimum: {minimum:?}, ratio {:.2})",
        limit.per_second,
        limit.burst,
        took.as_secs_f64() / minimum.as_secs_f64()
    );
    assert_eq!((refused, failed), (0, 0), "a burst must wait, not be refused");
}
