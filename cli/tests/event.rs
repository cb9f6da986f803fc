//! `b24 event send` against a handler on loopback that reads the event as the server does.

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use b24_placement::event::{Payload, PortalEvent};

mod common;

/// A handler served on its own thread that accepts events signed with `app-token-7`:
/// its URL and what it received.
fn handler() -> (String, Arc<Mutex<Vec<PortalEvent>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = axum::Router::new().route(
        "/events",
        axum::routing::post(move |body: String| {
            let sink = sink.clone();
            async move {
                let Ok(event) = PortalEvent::parse(&body) else {
                    return (axum::http::StatusCode::BAD_REQUEST, "malformed");
                };
                let signed = event
                    .auth
                    .application_token
                    .as_ref()
                    .is_some_and(|t| t.matches("app-token-7"));
                if !signed {
                    return (axum::http::StatusCode::FORBIDDEN, "refused");
                }
                sink.lock().unwrap().push(event);
                (axum::http::StatusCode::OK, "received")
            }
        }),
    );
    (format!("http://{}/events", common::serve_router(app)), got)
}

fn b24(args: &[&str], token: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_b24"));
    cmd.args(args).env_remove("B24_APPLICATION_TOKEN");
    if let Some(t) = token {
        cmd.env("B24_APPLICATION_TOKEN", t);
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_signed_sample_reaches_the_handler_typed_and_the_token_is_never_printed() {
    let (url, got) = handler();
    let out = b24(
        &["event", "send", "ONCRMDEALUPDATE", "--to", &url, "--id", "42"],
        Some("app-token-7"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        printed.contains("sent ONCRMDEALUPDATE #42") && printed.contains("200 OK"),
        "{printed}"
    );
    assert!(!printed.contains("app-token-7"));
    let event = got.lock().unwrap().pop().unwrap();
    assert_eq!(event.change().map(|c| c.id), Some(42));
    assert_eq!(event.auth.member_id, "local-portal");

    // an item of a custom type, and the app's uninstall, on the command line's token
    let out = b24(
        &[
            "event",
            "send",
            "onCrmDynamicItemAdd",
            "--to",
            &url,
            "--id",
            "3",
            "--entity-type-id",
            "183",
            "--application-token",
            "app-token-7",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let event = got.lock().unwrap().pop().unwrap();
    assert_eq!(event.change().and_then(|c| c.entity_type_id), Some(183));
    let out = b24(
        &["event", "send", "ONAPPUNINSTALL", "--to", &url],
        Some("app-token-7"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(matches!(
        got.lock().unwrap().pop().unwrap().payload,
        Payload::Uninstall { .. }
    ));
}

#[test]
fn refusals_and_mistakes_exit_non_zero_with_a_clear_word() {
    let (url, got) = handler();
    let out = b24(
        &["event", "send", "ONCRMDEALUPDATE", "--to", &url],
        Some("forged"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("403"), "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains("forged") && !text(&out.stderr).contains("forged"));

    let out = b24(
        &["event", "send", "ONCRMDEALUPDTE", "--to", &url],
        Some("app-token-7"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `ONCRMDEALUPDATE`?"),
        "{}",
        text(&out.stderr)
    );

    let out = b24(&["event", "send", "ONCRMDEALUPDATE", "--to", &url], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("B24_APPLICATION_TOKEN"));

    let out = b24(
        &[
            "event",
            "send",
            "ONCRMDEALUPDATE",
            "--to",
            "http://127.0.0.1:9/events",
        ],
        Some("app-token-7"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("could not be reached"),
        "{}",
        text(&out.stderr)
    );
    assert!(got.lock().unwrap().is_empty());
}
