//! `b24 call | list | batch` against the local portal over loopback, as a terminal runs it.

use std::process::{Command, Output};

use b24_portal::Config;

mod common;

use common::serve_portal as serve;

fn b24(args: &[&str], envs: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_b24"));
    cmd.args(args);
    for var in [
        "B24_WEBHOOK",
        "B24_ENDPOINT",
        "B24_AUTH",
        "B24_REFRESH_TOKEN",
        "B24_CLIENT_ID",
        "B24_CLIENT_SECRET",
        "B24_SERVER_ENDPOINT",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(envs.iter().copied());
    if let Some(input) = stdin {
        use std::io::Write;
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        return child.wait_with_output().unwrap();
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn call_prints_the_result_and_errors_exit_1_naming_the_code() {
    let (base, portal) = serve(Config::default());
    let hook = portal.webhook_url(&base);
    let out = b24(
        &["call", "crm.deal.get", r#"{"id": 1}"#, "--webhook", hook.expose()],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["TITLE"], "Website redesign");

    // the webhook from the environment, as a CI secret
    let out = b24(
        &["call", "crm.deal.get", r#"{"id": 99999}"#],
        &[("B24_WEBHOOK", hook.expose())],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "b24: crm.deal.get: Not found\n");
    let out = b24(&["call", "no.such.method", "--webhook", hook.expose()], &[], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("ERROR_METHOD_NOT_FOUND"));

    // bad params, no connection, an unreachable portal: 2
    let out = b24(
        &["call", "crm.deal.get", "{id: 1}", "--webhook", hook.expose()],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PARAMS is not JSON"));
    let out = b24(&["call", "crm.deal.get"], &[], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--webhook URL"));
    let out = b24(
        &[
            "call",
            "crm.deal.get",
            "--webhook",
            "http://127.0.0.1:9/rest/1/secretcode/",
        ],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains("secretcode"));
    let out = b24(&["call"], &[], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_expired_token_is_refreshed_and_said_without_the_token() {
    let (base, portal) = serve(Config::default());
    let issued = portal.issue_tokens();
    portal.expire_access_tokens();
    let endpoint = format!("{base}/rest/");
    let out = b24(
        &[
            "call",
            "crm.deal.get",
            r#"{"id": 2}"#,
            "--endpoint",
            &endpoint,
            "--client-id",
            "local.demo",
            "--server-endpoint",
            &endpoint,
        ],
        &[
            ("B24_AUTH", issued.access_token.expose()),
            ("B24_REFRESH_TOKEN", issued.refresh_token.expose()),
            ("B24_CLIENT_SECRET", "demo-client-secret"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(stderr, "b24: the access token had expired and was refreshed\n");
    for secret in [
        issued.access_token.expose(),
        issued.refresh_token.expose(),
        "demo-client-secret",
    ] {
        assert!(!stderr.contains(secret) && !text(&out.stdout).contains(secret));
    }
}

#[test]
fn list_prints_one_object_per_line_and_batch_results_by_name() {
    let (base, portal) = serve(Config::default());
    let hook = portal.webhook_url(&base);
    let out = b24(
        &[
            "list",
            "crm.deal.list",
            r#"{"select": ["ID", "TITLE"]}"#,
            "--webhook",
            hook.expose(),
        ],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 120);
    assert_eq!(lines[119]["ID"], "120");

    let batch = r#"{"deal": ["crm.deal.get", {"id": 1}], "contacts": "crm.contact.list?start=-1", "bad": ["crm.deal.get", {"id": 99999}]}"#;
    let out = b24(&["batch", "-", "--webhook", hook.expose()], &[], Some(batch));
    assert_eq!(out.status.code(), Some(1), "a command failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["result"]["deal"]["TITLE"], "Website redesign");
    assert_eq!(v["result"]["contacts"].as_array().unwrap().len(), 3);
    assert_eq!(v["result_error"]["bad"]["error_description"], "Not found");
    assert_eq!(text(&out.stderr), "b24: bad: Not found\n");
    let out = b24(
        &["batch", "-", "--webhook", hook.expose()],
        &[],
        Some(r#"{"a": 7}"#),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/a: a command is"));
}
