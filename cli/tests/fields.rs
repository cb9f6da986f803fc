//! `b24 fields`, `b24 fields pull`, `b24 fields diff` against the local portal.

mod common;

use std::process::{Command, Output};

use b24_portal::Config;

fn run(args: &[&str], webhook: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_b24"))
        .args(args)
        .env("B24_WEBHOOK", webhook)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_table_json_a_snapshot_and_its_diff() {
    let (base, portal) = common::serve_portal(Config::default());
    let webhook = portal.webhook_url(&base).expose().to_owned();
    let o = run(&["fields", "deal"], &webhook);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let table = out(&o);
    assert!(table.lines().next().unwrap().starts_with("NAME"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("ID ") && l.contains("read-only")),
        "{table}"
    );
    assert!(table.contains("[11=Bronze, 12=Silver, 13=Gold]"), "{table}");
    assert!(!table.contains("demowebhookcode"));
    let o = run(&["fields", "item:2", "--json"], &webhook);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["fields"]["ufCrm_LEVEL"]["upperName"], "UF_CRM_LEVEL");
    let o = run(&["fields", "deals"], &webhook);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("`deals` is no entity"), "{}", err(&o));

    let dir = std::env::temp_dir().join(format!("b24-fields-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("b24-fields.json").display().to_string();
    let o = run(&["fields", "pull", "--out", &file, "--item", "183"], &webhook);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let snapshot = b24_crm::Snapshot::read(&file).unwrap();
    assert_eq!(
        snapshot.entities.keys().collect::<Vec<_>>(),
        ["deal", "lead", "contact", "company", "quote", "item:183"]
    );
    assert!(!std::fs::read_to_string(&file)
        .unwrap()
        .contains("demowebhookcode"));
    let o = run(&["fields", "diff", &file], &webhook);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("the portal's fields agree"));

    // a user field added on the portal: the diff says it
    let client = b24_rest::Client::from_webhook(&webhook).unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(client.call(
            "crm.deal.userfield.add",
            serde_json::json!({"fields": {"FIELD_NAME": "ROUTE", "USER_TYPE_ID": "string"}}),
        ))
        .unwrap();
    let o = run(&["fields", "diff", &file], &webhook);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        out(&o),
        "deal: + UF_CRM_ROUTE (string): in the portal, not in the snapshot\n"
    );

    // a file that is no snapshot says where
    let bad = dir.join("bad.json").display().to_string();
    std::fs::write(
        &bad,
        "{\"b24FieldsSnapshot\": 1, \"entities\": {\"deal\": {\"TITLE\": {}}}}",
    )
    .unwrap();
    let o = run(&["fields", "diff", &bad], &webhook);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&format!(
            "{bad}:/entities/deal/TITLE/type: a field description needs its `type`"
        )),
        "{}",
        err(&o)
    );
}

/// The snapshot committed at the workspace's root (what `fields!` checks the demo's and
/// the tests' writes against) is what the local portal gives.
#[test]
fn the_committed_snapshot_is_the_local_portals() {
    let (base, portal) = common::serve_portal(Config::default());
    let webhook = portal.webhook_url(&base).expose().to_owned();
    let committed = concat!(env!("CARGO_MANIFEST_DIR"), "/../b24-fields.json");
    let dir = std::env::temp_dir().join(format!("b24-fields-root-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fresh = dir.join("b24-fields.json").display().to_string();
    let o = run(&["fields", "pull", "--out", &fresh, "--item", "183"], &webhook);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&["fields", "diff", committed], &webhook);
    assert_eq!(
        o.status.code(),
        Some(0),
        "b24-fields.json differs from the local portal's fields:\n{}{}\nthe fresh pull: {fresh}",
        out(&o),
        err(&o)
    );
    let a = b24_crm::Snapshot::read(committed).unwrap();
    let b = b24_crm::Snapshot::read(&fresh).unwrap();
    assert_eq!(
        a.entities.keys().collect::<Vec<_>>(),
        b.entities.keys().collect::<Vec<_>>(),
        "the fresh pull: {fresh}"
    );
}
