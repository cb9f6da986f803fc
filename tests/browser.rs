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

use b24_widgets::command::{Command, Event};
use b24_widgets::server::{router, WidgetHost};
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
    // as b24_widgets::server::serve does: streamed lines go out at once
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// A local portal with a deal tab bound to a page that uses the official
/// `@bitrix24/b24jssdk`: its card's URL. The SDK reads its init data from the portal and
/// asks it to resize the frame.
async fn sdk_tab(root: &Path) -> String {
    use axum::response::{Html, IntoResponse};
    use axum::routing::{get, post};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let portal = b24_widgets::portal::Portal::new(b24_widgets::portal::Config::default());
    let sdk_js = std::fs::read_to_string(
        root.join("server/browser/node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js"),
    )
    .unwrap();
    let page = "<!doctype html><meta charset=\"utf-8\"><script src=\"/sdk.js\"></script><body><p data-b24=\"sdk\">starting</p><script>\
         B24Js.initializeB24Frame().then(function (b24) {\
           document.querySelector('[data-b24=sdk]').textContent = 'placement ' + b24.placement.title + ' ' + JSON.stringify(b24.placement.options);\
           return b24.parent.resizeWindow(640, 300);\
         }).then(function () { document.title = 'resized'; }, function (e) { document.title = 'failed: ' + e; });\
         </script></body>";
    let app = b24_widgets::portal::router(portal.clone())
        .route("/sdk-tab", post(move || async move { Html(page) }))
        .route(
            "/sdk.js",
            get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/javascript")],
                    sdk_js,
                )
                    .into_response()
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let token = portal.issue_tokens().access_token;
    let bound = reqwest::Client::new()
        .post(format!("{base}/rest/placement.bind"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"auth": token.expose(), "PLACEMENT": "CRM_DEAL_DETAIL_TAB", "HANDLER": format!("{}/sdk-tab", base.replace("127.0.0.1", "localhost")), "TITLE": "SDK tab"}).to_string())
        .send()
        .await
        .unwrap();
    assert!(bound.status().is_success());
    format!("{base}/portal/crm/deal/details/1/")
}

/// The demo, installed into its local portal, on a store of its own: its URL.
async fn start_demo(save_delay: std::time::Duration) -> String {
    let dir = std::env::temp_dir().join(format!(
        "b24-browser-{}-{}",
        std::process::id(),
        save_delay.as_millis()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("app.db"));
    let store = b24_store::connect(&format!("sqlite://{}", dir.join("app.db").display()))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    demo::start(listener, save_delay, store).await.unwrap();
    url
}

/// The preview hosting a page that uses the official `@bitrix24/b24jssdk` (its UMD build,
/// from `server/browser/node_modules`) to send the first doc example with `setLayout`.
async fn sdk_preview(root: &Path) -> String {
    use axum::response::{Html, IntoResponse};
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let sdk_js = std::fs::read_to_string(
        root.join("server/browser/node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js"),
    )
    .unwrap();
    let layout = b24_widgets::server::json_for_script(&doc_examples::example1().0.to_value());
    let page = format!(
        "<!doctype html><meta charset=\"utf-8\"><script src=\"/sdk.js\"></script>\
         <script type=\"application/json\" id=\"layout\">{layout}</script><script>\
         B24Js.initializeB24Frame().then(function (b24) {{\
           return b24.placement.call('setLayout', JSON.parse(document.getElementById('layout').textContent));\
         }}).then(function () {{ document.title = 'sent'; }}, function (e) {{ document.title = 'failed: ' + e; }});\
         </script>"
    );
    let handler = format!("/sdk-page?DOMAIN={host}&PROTOCOL=0&LANG=en&APP_SID=preview");
    let preview = b24_widgets::server::preview_page(&host, &handler, "CRM_DEAL_DETAIL_ACTIVITY").0;
    let app = axum::Router::new()
        .route("/", get(move || async move { Html(preview) }))
        .route(
            "/sdk-page",
            get({
                let p = page.clone();
                move || async move { Html(p) }
            })
            .post(move || async move { Html(page) }),
        )
        .route(
            "/sdk.js",
            get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/javascript")],
                    sdk_js,
                )
                    .into_response()
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{host}/")
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
        (!root
            .join("server/browser/node_modules/@bitrix24/b24jssdk")
            .exists())
        .then_some("@bitrix24/b24jssdk (npm ci in server/browser)"),
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
    let demo = start_demo(std::time::Duration::from_millis(600)).await;
    let slow = start_demo(std::time::Duration::from_secs(2)).await;
    let mut examples = Vec::new();
    for (layout, _) in [
        doc_examples::example1(),
        doc_examples::example2(),
        doc_examples::example3(),
    ] {
        examples.push(serve(router(WidgetHost::new(move |_| Show(layout.clone())))).await);
    }
    let sdk = sdk_preview(root).await;
    let sdk_tab = sdk_tab(root).await;
    let out = root.join("target/browser");
    // the local portal's incoming webhook, for the REST side's view of what the pages show
    let defaults = b24_widgets::portal::Config::default();
    let webhook_path = format!("{}/{}/", defaults.webhook_user, defaults.webhook_code.expose());
    let config = serde_json::json!({ "demo": demo, "slow": slow, "examples": examples, "sdk": sdk, "sdkTab": sdk_tab, "out": out, "webhookPath": webhook_path });
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
    // the figures (loading after the click, the other frame's answer), for --nocapture
    eprintln!("{text}");
    for i in 1..=3 {
        assert!(out.join(format!("doc-example-{i}.png")).exists());
    }
}
