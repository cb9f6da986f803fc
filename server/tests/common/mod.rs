//! What the server's integration tests (and the soak benchmark) share: a widget, the
//! local portal served on loopback, a SQLite file of their own, a form POST.
#![allow(dead_code)] // each test crate uses its own part of it

use std::sync::Arc;

use b24_portal::{Config, Portal};
use layout_core::command::{Command, Event};
use layout_core::widget::Widget;
use layout_core::{LayoutDto, Text};

/// A one-block widget that finishes on any event.
pub struct Hello;

impl Widget for Hello {
    fn view(&self) -> LayoutDto {
        LayoutDto::default().blocks([("t".to_owned(), Text::default().value("hi").into())])
    }
    fn update(&mut self, _: &Event) -> Vec<Command> {
        vec![Command::Finish]
    }
}

/// A listener on a free loopback port, and its base URL.
pub async fn listen() -> (tokio::net::TcpListener, String) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    (l, base)
}

/// The local portal, served on loopback with no bucket to speak of: its base URL.
pub async fn local_portal(config: Config) -> (String, Arc<Portal>) {
    let portal = Portal::new(Config {
        per_second: 1e6,
        burst: 1e6,
        ..config
    });
    let (l, base) = listen().await;
    let app = b24_portal::router(portal.clone());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (base, portal)
}

/// A `sqlite://` URL of a new file for the test `name`.
pub fn sqlite_url(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("b24-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("app.db"));
    format!("sqlite://{}", dir.join("app.db").display())
}

/// POSTs a form: the status and the answer's text.
pub async fn post(url: &str, body: String) -> (u16, String) {
    let r = post_form(url, body).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A form posted to `url`: the whole answer, headers and all.
pub async fn post_form(url: &str, body: String) -> reqwest::Response {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}
