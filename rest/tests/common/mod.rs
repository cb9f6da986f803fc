//! What the client's tests share: a local portal on loopback, and a client of it.

use std::sync::Arc;

use b24_portal::{Config, Portal};
use b24_rest::{Client, RateLimit, Tokens};

/// A portal served on a free loopback port: its base URL.
pub async fn serve(config: Config) -> (String, Arc<Portal>) {
    let portal = Portal::new(config);
    let app = b24_portal::router(portal.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), portal)
}

pub fn quick() -> Config {
    // a bucket large enough not to matter, unless a test says otherwise
    Config {
        per_second: 1000.0,
        burst: 1000.0,
        ..Config::default()
    }
}

pub fn oauth(base: &str, portal: &Portal) -> b24_rest::Builder {
    let issued = portal.issue_tokens();
    Client::from_tokens(Tokens {
        access_token: issued.access_token,
        refresh_token: Some(issued.refresh_token),
        client_endpoint: format!("{base}/rest/"),
        server_endpoint: Some(format!("{base}/rest/")),
        expires: None,
        member_id: None,
        scope: None,
    })
    .rate_limit(RateLimit {
        per_second: 1000.0,
        burst: 1000.0,
    })
}
