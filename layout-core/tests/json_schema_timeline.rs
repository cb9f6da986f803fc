//! The JSON Schemas of the timeline's records (`b24 schema --kind activity|blocks`),
//! checked by an independent validator (`jsonschema`): valid draft 2020-12 schemas, the
//! docs' records pass them, and they agree with the checker on every rule a schema can say.

use std::collections::BTreeSet;

use layout_core::json::check_value_as;
use layout_core::json_schema::{activity_schema, blocks_schema};
use layout_core::timeline::{LayoutDto, RestAppLayoutDto};
use proptest::prelude::*;
use serde_json::{json, Value};

/// What no schema can say: a key written twice (parsers keep the last), a scheme hidden
/// by a tab.
const NOT_EXPRESSED: &[&str] = &["duplicate-key", "dangerous-uri"];

fn rules(doc: &Value, activity: bool) -> BTreeSet<String> {
    let root = if activity {
        &LayoutDto::SPEC
    } else {
        &RestAppLayoutDto::SPEC
    };
    match check_value_as(doc, root) {
        Ok(()) => BTreeSet::new(),
        Err(v) => v.iter().map(|v| v.rule.code().to_owned()).collect(),
    }
}

fn agree(doc: &Value, activity: bool) -> Result<(), String> {
    let schema = if activity {
        activity_schema()
    } else {
        blocks_schema()
    };
    let v = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    let broken = rules(doc, activity);
    let valid = v.is_valid(doc);
    if broken.is_empty() && !valid {
        let errors: Vec<String> = v
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        return Err(format!("check accepts, the schema refuses: {errors:?}\n{doc}"));
    }
    if valid && !broken.iter().all(|c| NOT_EXPRESSED.contains(&c.as_str())) {
        return Err(format!("the schema accepts, check refuses {broken:?}\n{doc}"));
    }
    Ok(())
}

/// The docs' whole records: (name, value, is an activity).
fn fixtures() -> Vec<(String, Value, bool)> {
    let dir = format!("{}/../tests/fixtures/docs/timeline", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Value, bool)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("activity-") || n.starts_with("blocks-"))
        .map(|n| {
            let text = std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
            let activity = n.starts_with("activity-");
            (n, serde_json::from_str(&text).unwrap(), activity)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn the_schemas_are_valid_and_the_docs_records_pass_them() {
    for schema in [activity_schema(), blocks_schema()] {
        assert!(jsonschema::meta::is_valid(&schema));
        for b in layout_core::schema::Lang::Timeline.block_types() {
            assert!(schema["$defs"][format!("block.{}", b.props.name)].is_object());
        }
    }
    let all = fixtures();
    assert!(all.len() >= 10, "{}", all.len());
    for (name, doc, activity) in &all {
        agree(doc, *activity).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(rules(doc, *activity).is_empty(), "{name}");
    }
}

fn base() -> Value {
    json!({
        "icon": {"code": "info"},
        "header": {"title": "Call"},
        "body": {"logo": {"code": "document"}, "blocks": {"b": {"type": "text", "properties": {"value": "x"}}}}
    })
}

#[test]
fn every_rule_the_schema_can_say_it_says() {
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = base();
        f(&mut v);
        v
    };
    let button = json!({"title": "Go", "type": "primary", "action": {"type": "restEvent", "id": "go"}});
    let cases: Vec<(&str, Value)> = vec![
        (
            "missing-required",
            with(&|v| {
                v.as_object_mut().unwrap().remove("icon");
            }),
        ),
        (
            "unknown-property",
            with(&|v| v["header"]["subtitle"] = json!("x")),
        ),
        (
            "invalid-value",
            with(&|v| v["header"]["tags"] = json!({"t": {"title": "x", "type": "lavender"}})),
        ),
        (
            "too-many-items",
            with(&|v| v["footer"] = json!({"buttons": {"a": button, "b": button, "c": button}})),
        ),
        (
            "key-wrong-symbols",
            with(&|v| v["body"]["blocks"] = json!({"a b": {"type": "deadline"}})),
        ),
        (
            "wrong-language",
            with(&|v| v["header"]["title"] = json!({"xx": "Call"})),
        ),
        ("empty-translation", with(&|v| v["header"]["title"] = json!({}))),
        ("too-few-blocks", with(&|v| v["body"]["blocks"] = json!({}))),
        (
            "block-not-allowed",
            with(
                &|v| v["body"]["blocks"] = json!({"l": {"type": "lineOfBlocks", "properties": {"blocks": {"t": {"type": "largeText", "properties": {"value": "x"}}}}}}),
            ),
        ),
        (
            "unknown-block-type",
            with(&|v| v["body"]["blocks"] = json!({"s": {"type": "section", "properties": {"blocks": {}}}})),
        ),
        (
            "unknown-action-type",
            with(&|v| v["header"]["titleAction"] = json!({"type": "layoutEvent", "value": "x"})),
        ),
        (
            "redirect-value",
            with(&|v| v["body"]["logo"]["action"] = json!({"type": "redirect", "uri": "/x", "value": "/x"})),
        ),
        ("empty-value", with(&|v| v["icon"]["code"] = json!(""))),
        (
            "wrong-type",
            with(&|v| v["footer"] = json!({"menu": {"showPinItem": "no"}})),
        ),
        (
            "exclusive-properties",
            with(&|v| {
                v["header"]["titleAction"] =
                    json!({"type": "openRestApp", "sliderParams": {"width": 1, "leftBoundary": 1}})
            }),
        ),
        (
            "dangerous-uri",
            with(&|v| v["body"]["logo"]["action"] = json!({"type": "redirect", "uri": "javascript:x"})),
        ),
    ];
    let v = jsonschema::validator_for(&activity_schema()).unwrap();
    for (rule, doc) in cases {
        let broken = rules(&doc, true);
        assert!(broken.contains(rule), "{rule}: check found {broken:?}");
        agree(&doc, true).unwrap_or_else(|e| panic!("{rule}: {e}"));
        // written plainly, even a dangerous scheme is refused by the schema
        assert!(!v.is_valid(&doc), "{rule}: the schema accepts it");
    }
}

fn mutation() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!("")),
        Just(json!("false")),
        Just(json!(7)),
        Just(json!(true)),
        Just(json!({})),
        Just(json!([])),
        Just(json!("sm")),
        Just(json!("warning")),
        Just(json!({"en": "x"})),
        Just(json!({"xx": "x"})),
        Just(json!({"type": "deadline"})),
        Just(json!({"type": "text", "properties": {"value": "x"}})),
        Just(json!({"type": "input", "properties": {}})),
        Just(json!({"type": "redirect", "uri": "/crm/"})),
        Just(json!({"type": "restEvent", "id": "x"})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any record of the docs with any member replaced or added: the schema and the
    /// checker agree.
    #[test]
    fn mutated_records_agree(which in 0usize..64, path in proptest::collection::vec(0usize..8, 1..8), value in mutation(), add in proptest::option::of("[a-z ]{1,6}")) {
        let all = fixtures();
        let (_, base, activity) = &all[which % all.len()];
        let mut root = base.clone();
        let mut pointer = String::new();
        let mut node = &root;
        for i in path {
            match node {
                Value::Object(m) if !m.is_empty() => {
                    let (k, v) = m.iter().nth(i % m.len()).unwrap();
                    pointer = layout_core::pointer::join(&pointer, k);
                    node = v;
                }
                _ => break,
            }
        }
        match (add, root.pointer_mut(&pointer).unwrap()) {
            (Some(key), Value::Object(m)) => { m.insert(key, value); }
            (_, slot) => *slot = value,
        }
        prop_assert!(agree(&root, *activity).is_ok(), "{}", agree(&root, *activity).unwrap_err());
    }
}
