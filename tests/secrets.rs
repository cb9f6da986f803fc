//! Tokens stay secrets end to end: the demo is run as a user runs it (installed into its
//! local portal, a frame opened through the preview, an event sent), logging everything
//! (`RUST_LOG=trace`), and neither its own output and log nor the pages it serves show
//! any token it stored.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn the_demo_never_shows_a_token() {
    let dir = std::env::temp_dir().join(format!("b24-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("app.db");
    let _ = std::fs::remove_file(&db);
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // `cargo test` builds the examples beside the tests: target/debug/examples/demo
    let exe = std::env::current_exe().unwrap();
    let demo = exe.parent().unwrap().parent().unwrap().join("examples/demo");
    if !demo.exists() {
        // `cargo test` builds examples before tests; a filtered run may not have
        assert!(
            std::env::var_os("CI").is_none(),
            "the demo example is not built: {}",
            demo.display()
        );
        eprintln!("SKIPPED: build the demo example first (cargo build --example demo)");
        return;
    }
    let mut child = Command::new(demo)
        .env("PORT", port.to_string())
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("DEMO_SAVE_DELAY_MS", "0")
        // every log line there is, of every crate
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if http.get(&base).send().await.is_ok() {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "the demo did not start");
    tokio::time::sleep(Duration::from_millis(300)).await;

    // what a browser gets: the preview, the frame's page, an event's answer
    let preview = http.get(&base).send().await.unwrap().text().await.unwrap();
    let page = http
        .post(format!("{base}/preview/handler"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", format!("127.0.0.1:{port}"))
        .body(format!("DOMAIN=127.0.0.1%3A{port}&PROTOCOL=0&LANG=en&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("\"session\":\""), "{page}");
    let start = page.find("\"session\":\"").unwrap() + 11;
    let session = &page[start..start + 32];
    let answer = http
        .post(format!("{base}/event"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"session":"{session}","kind":"layoutEvent","id":"more","value":"toggleDetails"}}"#
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(answer.contains("\"done\":true"), "{answer}");
    let refused = http
        .post(format!("{base}/handler"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("DOMAIN=x.com&member_id=local-portal&PLACEMENT=CRM_DEAL_DETAIL_TAB&APPLICATION_TOKEN=wrong")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    // a deal changed in the portal: its event reaches the demo (the form carries the
    // application token and user tokens); the demo logs it, without them
    let changed = http
        .post(format!("{base}/rest/1/demowebhookcode/crm.deal.update"))
        .header("content-type", "application/json")
        .body(r#"{"id": 2, "fields": {"TITLE": "Changed elsewhere"}}"#)
        .send()
        .await
        .unwrap();
    assert!(changed.status().is_success());
    let mut delivered = false;
    for _ in 0..100 {
        let log = http
            .get(format!("{base}/portal/events"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if log.contains("\"status\":200") {
            delivered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(delivered, "the deal's event did not reach the demo");
    // the handler runs off the request: give it time to log, on a loaded machine too
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;

    // the tokens the install stored
    let store = b24_store::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let portal = store
        .load("local-portal")
        .await
        .unwrap()
        .expect("installed at startup");
    let secrets: Vec<String> = [
        Some(&portal.application_token),
        portal.access_token.as_ref(),
        portal.refresh_token.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.expose().to_owned())
    .chain(["demo-client-secret".to_owned()])
    .collect();

    child.kill().unwrap();
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut out).unwrap();
    let _ = child.wait();
    for (what, text) in [
        ("output", &out),
        ("preview", &preview),
        ("page", &page),
        ("event answer", &answer),
        ("refusal", &refused),
    ] {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "a token in the demo's {what}");
        }
    }
    assert!(out.contains("Widget preview"), "{out}");
    // the log was on, and said what happened (without a token)
    for said in [
        "installed",
        "frame opened",
        "refused a handler call",
        "event received",
        "a deal changed in the portal",
        "TRACE",
    ] {
        assert!(out.contains(said), "the demo's log does not say {said:?}:\n{out}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
