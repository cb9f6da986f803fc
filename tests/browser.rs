//! The preview in headless Chromium (Debian's `chromium`, driven by playwright-core from
//! `server/browser/`): the demo widget rendered, clicked and typed into; the docs'
//! examples rendered to PNG under `target/browser/`. Skipped, saying so, when Chromium or
//! the driver is missing; with `CI` set, a missing browser fails the test.

#[path = "../examples/demo.rs"]
mod demo;
#[path = "../examples/doc_examples.rs"]
mod doc_examples;

use std::path::Path;
use std::process::Command as Process;

use b24_server::{router, WidgetHost};
use b24_widgets::command::{Command, Event};
use b24_widgets::widget::Widget;
use b24_widgets::LayoutDto;

/// A widget that only shows a layout.
struct Show(LayoutDto);

impl Widget for Show {
    fn view(&self) -> LayoutDto {
        self.0.clone()
    }
    fn update(&mut self, _: &Event) -> Vec<Command> {
        Vec::new()
    }
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn the_preview_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let driver = root.join("server/browser/node_modules/playwright-core");
    let node = Process::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium (apt-get install chromium)"),
        (!node).then_some("node"),
        (!driver.exists()).then_some("playwright-core (npm ci in server/browser)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the browser tests cannot run: missing {missing:?}"
        );
        eprintln!("SKIPPED browser tests: missing {}", missing.join(", "));
        return;
    }
    let demo = serve(router(WidgetHost::new(|_| demo::DealWidget::default()))).await;
    let mut examples = Vec::new();
    for (layout, _) in [
        doc_examples::example1(),
        doc_examples::example2(),
        doc_examples::example3(),
    ] {
        examples.push(serve(router(WidgetHost::new(move |_| Show(layout.clone())))).await);
    }
    let out = root.join("target/browser");
    let config = serde_json::json!({ "demo": demo, "examples": examples, "out": out });
    let run = tokio::task::spawn_blocking(move || {
        Process::new("node")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("server/browser/preview.mjs"))
            .arg(config.to_string())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "{text}");
    assert!(text.contains("browser tests passed"), "{text}");
    for i in 1..=3 {
        assert!(out.join(format!("doc-example-{i}.png")).exists());
    }
}
