//! `b24 check b24.toml` and `b24 app sync` against the local portal over loopback.

use std::process::{Command, Output};
use std::sync::Arc;

use b24_portal::{Config, Portal};

mod common;

/// The local portal, its bucket out of the way.
fn serve() -> (String, Arc<Portal>) {
    common::serve_portal(Config {
        per_second: 1e6,
        burst: 1e6,
        ..Config::default()
    })
}

fn b24(args: &[&str], dir: &std::path::Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_b24"));
    cmd.args(args).current_dir(dir);
    for var in [
        "B24_WEBHOOK",
        "B24_ENDPOINT",
        "B24_AUTH",
        "B24_REFRESH_TOKEN",
        "B24_CLIENT_ID",
        "B24_CLIENT_SECRET",
    ] {
        cmd.env_remove(var);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const TOML: &str = r#"[app]
name = "deal-widget"
url = "https://app.example.com"

[[placement]]
code = "CRM_DEAL_DETAIL_ACTIVITY"
handler = "/handler"
title = "Deal comment"
built_in_interface = true

[[placement]]
code = "CRM_DEAL_DETAIL_TAB"
handler = "/tab"
title = "Summary"

[[event]]
name = "ONCRMDEALUPDATE"
handler = "/events"
"#;

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("b24-app-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn sync_plans_binds_and_unbinds_idempotently() {
    let (base, portal) = serve();
    let d = dir("sync");
    std::fs::write(d.join("b24.toml"), TOML).unwrap();
    let token = portal.issue_tokens().access_token.expose().to_owned();
    let endpoint = format!("{base}/rest/");
    let args = |extra: &[&'static str]| {
        let mut a: Vec<String> = ["app", "sync", "--endpoint", &endpoint, "--auth", &token]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&'static str]| {
        let a = args(extra);
        b24(&a.iter().map(String::as_str).collect::<Vec<_>>(), &d)
    };

    let plan = run(&["--dry-run"]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    let shown = text(&plan);
    assert!(shown.contains("app local.demo: installed, status L"), "{shown}");
    assert!(
        shown.contains("scopes: needed crm, placement; granted crm, placement, user"),
        "{shown}"
    );
    assert!(shown.contains("bind    placement CRM_DEAL_DETAIL_ACTIVITY -> https://app.example.com/handler"));
    assert!(shown.contains("bind    event ONCRMDEALUPDATE -> https://app.example.com/events"));
    assert!(shown.contains("dry run: nothing changed"));
    assert!(!shown.contains(&token));
    assert!(portal.placements().is_empty() && portal.event_bindings().is_empty());

    let synced = run(&[]);
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));
    assert!(text(&synced).contains("synced: 3 bound, 0 unbound"));
    assert_eq!(portal.placements().len(), 2);
    assert_eq!(portal.event_bindings().len(), 1);
    assert_eq!(portal.placements()[0].options["useBuiltInInterface"], "Y");

    let again = run(&[]);
    assert!(
        text(&again).contains("in sync: nothing to change"),
        "{}",
        text(&again)
    );

    // a tab no longer declared, served elsewhere now
    let without_tab = TOML.replace(
        "[[placement]]\ncode = \"CRM_DEAL_DETAIL_TAB\"\nhandler = \"/tab\"\ntitle = \"Summary\"\n",
        "",
    );
    std::fs::write(d.join("b24.toml"), without_tab).unwrap();
    let moved = run(&["--url", "https://tunnel.example.com"]);
    let shown = text(&moved);
    assert!(
        shown.contains("unbind  placement CRM_DEAL_DETAIL_TAB -> https://app.example.com/tab"),
        "{shown}"
    );
    assert!(
        shown.contains("bind    placement CRM_DEAL_DETAIL_ACTIVITY -> https://tunnel.example.com/handler"),
        "{shown}"
    );
    assert!(shown.contains("synced: 2 bound, 3 unbound"), "{shown}");
    assert_eq!(portal.placements().len(), 1);
}

#[test]
fn mistakes_say_what_is_wrong_and_never_print_a_token() {
    let (base, portal) = serve();
    let d = dir("mistakes");
    // no b24.toml here
    let out = b24(&["app", "sync"], &d);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("cannot read b24.toml"), "{}", text(&out));
    // no credentials: which variables to set
    std::fs::write(d.join("b24.toml"), TOML).unwrap();
    let out = b24(&["app", "sync"], &d);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("B24_ENDPOINT, B24_AUTH"), "{}", text(&out));
    // a webhook cannot bind
    let hook = portal.webhook_url(&base);
    let out = b24(&["app", "sync", "--webhook", hook.expose()], &d);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("binding needs the app's own OAuth tokens"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("demowebhookcode"));
    // a misspelt code: `b24 check` names its place
    std::fs::write(
        d.join("b24.toml"),
        TOML.replace("CRM_DEAL_DETAIL_TAB", "CRM_DEAL_DETAIL_TABB"),
    )
    .unwrap();
    let out = b24(&["check", "b24.toml"], &d);
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out);
    assert!(
        shown
            .contains("b24.toml:12:8: placement[1].code: `CRM_DEAL_DETAIL_TABB` is not a CRM placement code"),
        "{shown}"
    );
    assert!(
        shown.contains("help: did you mean `CRM_DEAL_DETAIL_TAB`?"),
        "{shown}"
    );
    let out = b24(&["check", "--format", "json", "b24.toml"], &d);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["pointer"], "placement[1].code");
    assert_eq!(v[0]["line"], 12);
}

#[test]
fn dev_outside_an_app_says_what_it_looked_for() {
    let d = dir("not-an-app");
    let out = b24(&["dev", "--port", "0"], &d);
    assert_eq!(out.status.code(), Some(2));
    let shown = text(&out);
    assert!(shown.contains("looked for b24.toml and Cargo.toml in"), "{shown}");
    assert!(shown.contains("b24 new DIR"), "{shown}");
    // a Cargo.toml without b24.toml: said so
    std::fs::write(d.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    let shown = text(&b24(&["dev"], &d));
    assert!(shown.contains("found no b24.toml"), "{shown}");
}
