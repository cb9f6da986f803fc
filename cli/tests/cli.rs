//! `b24` as CI pipelines run it: exit codes, pointers, JSON output, fmt round trip.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_b24"))
}

fn docs(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/docs/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn temp(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("b24-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const INVALID: &str = r#"{"blocks":{"s":{"type":"section","properties":{"blocks":{
    "line":{"type":"lineOfBlocks","properties":{"blocks":{"inner":{"type":"input","properties":{}}}}}}}}},
    "primaryButton":{"title":"Go","state":"hiden"}}"#;

#[test]
fn check_valid_files_exits_0() {
    let o = run(&["check", &docs("example1"), &docs("example2"), &docs("example3")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn check_invalid_file_exits_1_with_every_error() {
    let f = temp("invalid.json", INVALID);
    let o = run(&["check", &docs("example1"), &f]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains(&format!(
        "{f}:2:75: /blocks/s/properties/blocks/line/properties/blocks/inner: `input` is not allowed inside a lineOfBlocks [block-not-allowed]\n  help: a lineOfBlocks takes: text, link\n"
    )), "{out}");
    assert!(
        out.contains(&format!(
            "{f}:3:43: /primaryButton/state: `hiden` is not a button state [invalid-value]"
        )),
        "{out}"
    );
}

#[test]
fn check_json_format_lists_errors() {
    let f = temp("invalid2.json", INVALID);
    let o = run(&["check", "--format", "json", &f]);
    assert_eq!(o.status.code(), Some(1));
    let errors: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pointers: Vec<_> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/blocks/s/properties/blocks/line/properties/blocks/inner",
            "/primaryButton/state"
        ]
    );
    assert_eq!(errors[0]["rule"], "block-not-allowed");
    assert_eq!(errors[0]["file"], f.as_str());
    let o = run(&["check", "--format", "json", &docs("example1")]);
    assert_eq!((o.status.code(), stdout(&o).trim()), (Some(0), "[]"));
}

#[test]
fn unreadable_or_non_json_exits_2() {
    let broken = temp("broken.json", "{\"blocks\": {");
    let invalid = temp("invalid3.json", INVALID);
    let o = run(&["check", &invalid, &broken]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("not valid JSON"));
    let o = run(&["check", "/nonexistent/layout.json"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check", "--format", "json", &broken]);
    assert_eq!(o.status.code(), Some(2));
    let errors: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(errors[0]["rule"], "not-json");
    assert_eq!(errors[0]["line"], 1);
}

#[test]
fn check_reads_stdin() {
    let mut child = bin()
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"blocks":{}}"#)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("-:1:11: /blocks: a layout needs at least 1 block"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn fmt_prints_the_doc_examples_back_unchanged() {
    for name in ["example1", "example2", "example3"] {
        let original = std::fs::read_to_string(docs(name)).unwrap();
        let o = run(&["fmt", "--compact", &docs(name)]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(stdout(&o), original, "{name}");
        let pretty = run(&["fmt", &docs(name)]);
        let a: serde_json::Value = serde_json::from_slice(&pretty.stdout).unwrap();
        let b: serde_json::Value = serde_json::from_str(&original).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }
}

#[test]
fn fmt_keeps_an_unusual_key_order() {
    let f = temp(
        "order.json",
        r#"{"secondaryButton":{"state":"disabled","title":"No"},"blocks":{"z":{"properties":{"color":"danger","value":"v"},"visible":false,"type":"text"},"a":{"type":"link","properties":{"action":{"value":"/x","type":"redirect"},"text":"t"}}}}"#,
    );
    let o = run(&["fmt", "--compact", &f]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o).trim(),
        r#"{"secondaryButton":{"state":"disabled","title":"No"},"blocks":{"z":{"type":"text","properties":{"color":"danger","value":"v"},"visible":false},"a":{"type":"link","properties":{"action":{"type":"redirect","value":"/x"},"text":"t"}}}}"#
    );
}

#[test]
fn fmt_exit_codes_follow_check() {
    let f = temp("invalid4.json", INVALID);
    assert_eq!(run(&["fmt", &f]).status.code(), Some(1));
    let f = temp("broken2.json", "nope");
    assert_eq!(run(&["fmt", &f]).status.code(), Some(2));
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let f = temp(
        "bom.json",
        "\u{feff}{\"blocks\":{\"a\":{\"type\":\"text\",\"properties\":{\"value\":\"x\"}}}}",
    );
    assert_eq!(run(&["check", &f]).status.code(), Some(0));
}

#[test]
fn a_layout_that_is_not_an_object_breaks_a_rule() {
    let f = temp("array.json", "[1, 2]");
    let o = run(&["check", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(": (root): expected an object (LayoutDto), found an array [wrong-type]"),
        "{}",
        stdout(&o)
    );
}

fn placement_fixture(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/placements/{name}.form",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn placement_prints_the_request_summary() {
    let o = run(&[
        "placement",
        &placement_fixture("31-CRM_DYNAMIC_183_DETAIL_ACTIVITY"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["placement"], "CRM_DYNAMIC_183_DETAIL_ACTIVITY");
    assert_eq!(v["family"], "DETAIL_ACTIVITY");
    assert_eq!(v["entity"], "DYNAMIC");
    assert_eq!(v["entityTypeId"], 183);
    assert_eq!(v["entityId"], 3);
    assert_eq!(v["scope"], "crm");
    assert_eq!(v["protocol"], "https");
    assert_eq!(
        v["read"],
        serde_json::json!({"method": "crm.item.get", "params": {"entityTypeId": 183, "id": 3}})
    );
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "placement",
            "family",
            "entity",
            "entityTypeId",
            "entityId",
            "scope",
            "domain",
            "protocol",
            "lang",
            "memberId",
            "status",
            "options",
            "read"
        ]
    );
}

#[test]
fn placement_never_prints_tokens() {
    let body = std::fs::read_to_string(placement_fixture("01-CRM_LEAD_LIST_MENU")).unwrap();
    let o = run(&["placement", &placement_fixture("01-CRM_LEAD_LIST_MENU")]);
    let out = stdout(&o) + &String::from_utf8_lossy(&o.stderr);
    for (k, v) in body.trim().split('&').filter_map(|p| p.split_once('=')) {
        if k == "AUTH_ID" || k == "REFRESH_ID" {
            assert!(!out.contains(v), "{k} leaked");
        }
    }
}

#[test]
fn placement_reads_the_query_and_refuses_bad_fields() {
    let f = temp(
        "body.form",
        "member_id=abc&PLACEMENT=CRM_NEW_PLACEMENT&AUTH_ID=tok-123456789",
    );
    let o = run(&["placement", "--query", "DOMAIN=x.bitrix24.com&PROTOCOL=0", &f]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["family"].clone(), v["domain"].clone(), v["protocol"].clone()),
        (serde_json::Value::Null, "x.bitrix24.com".into(), "http".into())
    );
    let o = run(&["placement", &f]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("DOMAIN: required"), "{err}");
    let f = temp("bad-id.form", "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB&AUTH_ID=tok-123456789&PLACEMENT_OPTIONS=%7B%22ID%22%3A%22x%22%7D");
    let o = run(&["placement", &f]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("PLACEMENT_OPTIONS.ID"), "{err}");
    assert!(!err.contains("tok-123456789"));
}

#[test]
fn apply_prints_the_resulting_layout() {
    let cmds = temp(
        "cmds.json",
        r#"[{"command": "setLayoutItemState", "params": {"id": "name", "properties": {"errorText": "Required"}}},
            {"command": "setPrimaryButtonState", "params": {"state": "loading"}},
            {"command": "setSecondaryButtonState", "params": null},
            {"command": "lock"}, {"command": "unlock", "params": null}]"#,
    );
    let o = run(&["apply", "--compact", &docs("example3"), &cmds]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["blocks"]["name"]["properties"]["errorText"], "Required");
    assert_eq!(
        v["primaryButton"],
        serde_json::json!({"title": "Save", "state": "loading"})
    );
    assert!(v.get("secondaryButton").is_none());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "",
        "unlocked, not finished: nothing to say"
    );
}

#[test]
fn apply_says_how_the_widget_ended() {
    let cmds = temp("cmds-end.json", r#"[{"command": "lock"}]"#);
    let o = run(&["apply", "--compact", &docs("example3"), &cmds]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "b24: the widget ended locked (`lock` with no `unlock` after it)\n"
    );
    let cmds = temp("cmds-fin.json", r#"[{"command": "finish"}]"#);
    let o = run(&["apply", "--compact", &docs("example3"), &cmds]);
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "b24: the widget ended finished (`finish`: the portal closes it)\n"
    );
}

#[test]
fn placement_explains_a_pasted_print_r_dump() {
    let dump = temp(
        "dump.txt",
        "Array\n(\n    [DOMAIN] => xxx.bitrix24.com\n    [PROTOCOL] => 1\n    [PLACEMENT] => CRM_DEAL_DETAIL_TAB\n)\n",
    );
    let o = run(&["placement", &dump]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("this is a PHP print_r dump, not a handler's POST body"),
        "{err}"
    );
    assert!(
        err.contains("help: the body is form-encoded") && err.contains("http_build_query"),
        "{err}"
    );
    let json = temp("body.json", r#"{"DOMAIN": "x"}"#);
    let o = run(&["placement", &json]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("this is JSON, not a handler's POST body"));
}

#[test]
fn apply_stops_at_the_first_refused_command_naming_it() {
    let cmds = temp(
        "cmds2.json",
        r#"[{"command": "lock"}, {"command": "setLayoutItemState", "params": {"id": "name", "properties": {"bold": true}}}, {"command": "nope"}]"#,
    );
    let o = run(&["apply", &docs("example3"), &cmds]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/1: setLayoutItemState: /blocks/name: an `input` block has no property `bold`"),
        "{err}"
    );
    let cmds = temp(
        "cmds3.json",
        r#"[{"command": "setLayoutItemStat", "params": {"id": "name"}}]"#,
    );
    let err = String::from_utf8_lossy(&run(&["apply", &docs("example3"), &cmds]).stderr).into_owned();
    assert!(
        err.contains(
            "/0: setLayoutItemStat: unknown command `setLayoutItemStat`; did you mean `setLayoutItemState`?"
        ),
        "{err}"
    );
    let cmds = temp("cmds4.json", "not json");
    assert_eq!(run(&["apply", &docs("example3"), &cmds]).status.code(), Some(2));
}

#[test]
fn check_json_format_gives_lines_and_columns() {
    let f = temp("invalid-pos.json", INVALID);
    let o = run(&["check", "--format", "json", &f]);
    let errors: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let places: Vec<_> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["line"].as_u64(),
                e["column"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (
                "/blocks/s/properties/blocks/line/properties/blocks/inner".to_owned(),
                Some(2),
                Some(75)
            ),
            ("/primaryButton/state".to_owned(), Some(3), Some(43)),
        ]
    );
}

#[test]
fn github_format_annotates_the_lines() {
    let f = temp("invalid-gh.json", "{\"blocks\": {\"t\": {\"type\": \"text\", \"properties\": {\"value\": \"x\", \"colour\": \"red\"}}}}");
    let o = run(&["check", "--format", "github", &f]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let f_prop = f.replace(':', "%3A").replace(',', "%2C");
    assert_eq!(
        out.lines().next().unwrap(),
        format!("::error file={f_prop},line=1,col=64,title=unknown-property::/blocks/t/properties/colour: unknown property `colour` of a `text` block%0Ahelp: did you mean `color`?")
    );
    // not JSON: placed where the parser stopped
    let g = temp("broken-gh.json", "{\"blocks\": {\n");
    let o = run(&["check", "--format", "github", &g]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).starts_with("::error file="), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(",line=2,col=1,title=not-json::not valid JSON"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn sarif_format_is_a_sarif_log() {
    let f = temp("invalid-sarif.json", INVALID);
    let o = run(&["check", "--format", "sarif", &f]);
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["ruleId"], "invalid-value");
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 3, "startColumn": 43})
    );
    let rules: Vec<_> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(rules, ["block-not-allowed", "invalid-value"]);
}

#[test]
fn schema_prints_the_generated_json_schema() {
    let o = run(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(schema, layout_core::json_schema::layout_schema());
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn the_readme_shows_what_check_prints() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let dir = format!("{root}/tests/fixtures/readme");
    let o = bin()
        .args(["check", "layout.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        readme.contains(&format!("```text\n{}```", stdout(&o))),
        "README shows another output:\n{}",
        stdout(&o)
    );
    let o = bin()
        .args(["check", "--format", "github", "layout.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let first = stdout(&o).lines().next().unwrap().to_owned();
    assert!(
        readme.contains(&format!("```text\n{first}\n```")),
        "README shows another annotation:\n{first}"
    );
}
