//! `b24 check|fmt|schema --kind activity|blocks`: the timeline's layouts, as CI runs them.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_b24"))
        .args(args)
        .output()
        .unwrap()
}

fn docs(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/docs/timeline/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn temp(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("b24-cli-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const BROKEN: &str = r#"{
  "icon": {"code": "info"},
  "header": {"title": {"xx": "Call"}, "tags": {"t": {"title": "x", "type": "lavender"}}},
  "body": {"logo": {"code": "document"}, "blocks": {"a b": {"type": "largeText", "properties": {"value": "x", "bold": true}}}},
  "footer": {"buttons": {"b": {"title": "Go", "type": "primary", "action": {"type": "redirect", "value": "/crm/deal/details/1/"}}}}
}"#;

#[test]
fn the_docs_activities_and_sets_pass_with_and_without_kind() {
    for name in [
        "activity-layout",
        "activity-actions",
        "activity-translations",
        "activity-fields-card",
    ] {
        let o = run(&["check", &docs(name)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}{}", out(&o), err(&o));
        let o = run(&["check", "--kind", "activity", &docs(name)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", out(&o));
    }
    for name in [
        "blocks-rest-app-layout",
        "blocks-test-app",
        "blocks-timeline-get-response",
    ] {
        let o = run(&["check", "--kind", "blocks", &docs(name)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", out(&o));
    }
}

#[test]
fn every_broken_rule_with_its_place_in_text_json_github_and_sarif() {
    let f = temp("broken.json", BROKEN);
    let o = run(&["check", &f]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    for line in [
        format!("{f}:3:30: /header/title/xx: `xx` is not a language code [wrong-language]"),
        format!("{f}:3:76: /header/tags/t/type: `lavender` is not a tag type [invalid-value]"),
        format!("{f}:4:60: /body/blocks/a b: block id `a b` has characters Bitrix24 refuses [key-wrong-symbols]"),
        format!("{f}:4:111: /body/blocks/a b/properties/bold: unknown property `bold` of a `largeText` block [unknown-property]"),
        format!("{f}:5:106: /footer/buttons/b/action/value: unknown property `value` of a `redirect` action [redirect-value]"),
        format!("{f}:5:76: /footer/buttons/b/action/uri: a `redirect` action needs `uri` [missing-required]"),
    ] {
        assert!(text.contains(&line), "{line}\n---\n{text}");
    }
    assert!(
        text.contains("help: the timeline's redirect reads `uri`"),
        "{text}"
    );

    let o = run(&["check", "--kind", "activity", "--format", "json", &f]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "wrong-language",
            "invalid-value",
            "key-wrong-symbols",
            "unknown-property",
            "redirect-value",
            "missing-required"
        ]
    );
    assert_eq!(json[0]["line"], 3);

    let o = run(&["check", "--format", "github", &f]);
    assert!(
        out(&o).contains(&format!("::error file={f},line=3,col=76,title=invalid-value::")),
        "{}",
        out(&o)
    );

    let o = run(&["check", "--format", "sarif", &f]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 6);
}

#[test]
fn a_plain_blocks_map_with_timeline_parts_asks_for_the_kind() {
    let f = temp(
        "set.json",
        r#"{"blocks":{"d":{"type":"deadline"},"t":{"type":"text","properties":{"value":"x"}}}}"#,
    );
    let o = run(&["check", &f]);
    assert_eq!(o.status.code(), Some(2));
    let text = out(&o);
    assert!(text.contains("`deadline` at /blocks/d/type"), "{text}");
    assert!(text.contains("--kind widget or --kind blocks"), "{text}");
    assert_eq!(run(&["check", "--kind", "blocks", &f]).status.code(), Some(0));
    // as a widget, the deadline is what it is not
    let o = run(&["check", "--kind", "widget", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("`deadline` is a block of a timeline record, not of a widget's built-in interface"),
        "{}",
        out(&o)
    );
    // a plain widget layout is still a widget without --kind
    let w = temp(
        "widget.json",
        r#"{"blocks":{"t":{"type":"text","properties":{"value":"x"}}}}"#,
    );
    assert_eq!(run(&["check", &w]).status.code(), Some(0));
}

#[test]
fn fmt_prints_the_docs_back_byte_for_byte() {
    for (name, kind) in [
        ("activity-layout", "activity"),
        ("activity-translations", "activity"),
        ("blocks-rest-app-layout", "blocks"),
    ] {
        let o = run(&["fmt", "--kind", kind, "--compact", &docs(name)]);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        let expected = std::fs::read_to_string(docs(name)).unwrap();
        assert_eq!(out(&o), expected, "{name}");
        // indented, then read again: the same layout
        let o = run(&["fmt", "--kind", kind, &docs(name)]);
        let pretty = temp(&format!("{name}.pretty.json"), &out(&o));
        let o = run(&["fmt", "--kind", kind, "--compact", &pretty]);
        assert_eq!(out(&o), expected, "{name}");
    }
    let f = temp("broken-fmt.json", BROKEN);
    let o = run(&["fmt", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("[wrong-language]"));
}

#[test]
fn schema_by_kind() {
    let o = run(&["schema", "--kind", "activity"]);
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(schema["required"], serde_json::json!(["icon", "header", "body"]));
    assert_eq!(
        schema["$defs"]["HeaderDto"]["properties"]["tags"]["maxProperties"],
        2
    );
    let o = run(&["schema", "--kind", "blocks"]);
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(schema["title"], "RestAppLayoutDto");
    assert_eq!(schema["$defs"]["blocks.blocks"]["maxProperties"], 20);
    assert_eq!(
        schema["$defs"]["block.deadline"]["required"],
        serde_json::json!(["type"])
    );
    let o = run(&["schema", "--kind", "timeline"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_readme_shows_what_check_prints_for_an_activity() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_b24"))
        .args(["check", "activity.json"])
        .current_dir(format!("{root}/tests/fixtures/readme"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        readme.contains(&format!("```text\n{}```", out(&o))),
        "README shows another output:\n{}",
        out(&o)
    );
}
