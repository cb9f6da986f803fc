//! The JSON Schema generated from the rule table, checked by an independent validator
//! (`jsonschema`): it is a valid draft 2020-12 schema, the docs' layouts pass it, and it
//! agrees with `check` on every rule a schema can express.

use std::collections::BTreeSet;

use layout_core::json::check_value;
use layout_core::json_schema::{layout_schema, NOT_EXPRESSED};
use proptest::prelude::*;
use serde_json::{json, Value};

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&layout_schema()).expect("the schema compiles")
}

/// The rule codes `check` gives.
fn rules(layout: &Value) -> BTreeSet<String> {
    match check_value(layout) {
        Ok(()) => BTreeSet::new(),
        Err(v) => v.iter().map(|v| v.rule.code().to_owned()).collect(),
    }
}

fn not_expressed(code: &str) -> bool {
    NOT_EXPRESSED.iter().any(|(c, _)| *c == code)
}

/// The agreement: a layout `check` accepts passes the schema; one the schema accepts
/// breaks, if anything, only rules a schema cannot say.
fn agree(v: &jsonschema::Validator, layout: &Value) -> Result<(), String> {
    let broken = rules(layout);
    let valid = v.is_valid(layout);
    if broken.is_empty() && !valid {
        let errors: Vec<String> = v
            .iter_errors(layout)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        return Err(format!("check accepts, the schema refuses: {errors:?}\n{layout}"));
    }
    if valid && !broken.iter().all(|c| not_expressed(c)) {
        return Err(format!("the schema accepts, check refuses {broken:?}\n{layout}"));
    }
    Ok(())
}

fn fixtures() -> Vec<(String, Value)> {
    let root = format!("{}/../tests/fixtures/docs", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [root.clone(), format!("{root}/blocks"), format!("{root}/actions")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), serde_json::from_str(&text).unwrap()));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A fixture as a whole layout: the examples are layouts, the block snippets become the
/// one block of a layout, the action snippets the action of a link.
fn as_layout(name: &str, v: &Value) -> Value {
    if name.contains("/blocks/") {
        json!({"blocks": {"b": v}})
    } else if name.contains("/actions/") {
        json!({"blocks": {"l": {"type": "link", "properties": {"text": "x", "action": v}}}})
    } else {
        v.clone()
    }
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = layout_schema();
    assert!(jsonschema::meta::is_valid(&schema));
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    // every block type of the table has its definition
    for b in layout_core::schema::BLOCK_TYPES {
        assert!(schema["$defs"][format!("block.{}", b.props.name)].is_object());
    }
}

#[test]
fn the_docs_layouts_pass_and_agree() {
    let v = validator();
    let all = fixtures();
    assert!(all.len() >= 18, "{}", all.len());
    for (name, value) in &all {
        let layout = as_layout(name, value);
        agree(&v, &layout).unwrap_or_else(|e| panic!("{name}: {e}"));
        // the docs' `uri` redirects are refused by both; every other fixture passes both
        assert_eq!(v.is_valid(&layout), !name.contains("uri"), "{name}");
    }
}

/// One layout per rule of the table, each breaking it once.
fn invalid_cases() -> Vec<(&'static str, Value)> {
    let text = |v: Value| json!({"type": "text", "properties": v});
    let link = |action: Value| json!({"blocks": {"l": {"type": "link", "properties": {"text": "x", "action": action}}}});
    let many: serde_json::Map<String, Value> = (0..21)
        .map(|i| (format!("t{i}"), text(json!({"value": "x"}))))
        .collect();
    vec![
        ("wrong-type", json!({"blocks": {"t": text(json!({"value": 1}))}})),
        ("missing-required", json!({"blocks": {"t": text(json!({}))}})),
        (
            "unknown-property",
            json!({"blocks": {"t": text(json!({"value": "x", "colour": "red"}))}}),
        ),
        (
            "unknown-block-type",
            json!({"blocks": {"t": {"type": "txt", "properties": {}}}}),
        ),
        (
            "unknown-action-type",
            link(json!({"type": "navigate", "value": "/"})),
        ),
        (
            "invalid-value",
            json!({"blocks": {"t": text(json!({"value": "x", "color": "base-90"}))}}),
        ),
        (
            "block-not-allowed",
            json!({"blocks": {"l": {"type": "lineOfBlocks", "properties": {"blocks": {"i": {"type": "input", "properties": {}}}}}}}),
        ),
        ("too-few-blocks", json!({"blocks": {}})),
        (
            "too-many-blocks",
            json!({"blocks": {"s": {"type": "section", "properties": {"blocks": many}}}}),
        ),
        (
            "empty-values",
            json!({"blocks": {"s": {"type": "select", "properties": {"values": {}}}}}),
        ),
        (
            "selected-value-not-in-values",
            json!({"blocks": {"s": {"type": "select", "properties": {"values": {"a": "A"}, "selectedValue": "b"}}}}),
        ),
        (
            "title-width-without-inline",
            json!({"blocks": {"w": {"type": "withTitle", "properties": {"title": "T", "titleWidth": "sm", "block": text(json!({"value": "x"}))}}}}),
        ),
        (
            "exclusive-properties",
            link(json!({"type": "openRestApp", "sliderParams": {"width": 700, "leftBoundary": 10}})),
        ),
        ("empty-value", link(json!({"type": "redirect", "value": " "}))),
        ("empty-value", link(json!({"type": "layoutEvent", "value": ""}))),
        (
            "dangerous-uri",
            link(json!({"type": "redirect", "value": "JavaScript:alert(1)"})),
        ),
        (
            "dangerous-uri",
            link(json!({"type": "redirect", "value": "java\tscript:alert(1)"})),
        ),
        (
            "image-src-scheme",
            json!({"blocks": {"s": {"type": "section", "properties": {"imageSrc": "ftp://x/a.png", "blocks": {"t": text(json!({"value": "x"}))}}}}}),
        ),
        (
            "redirect-uri",
            link(json!({"type": "redirect", "value": "/crm/", "uri": "/crm/"})),
        ),
    ]
}

#[test]
fn every_rule_the_schema_can_say_it_says() {
    let v = validator();
    let mut expressed = 0;
    for (rule, layout) in invalid_cases() {
        let broken = rules(&layout);
        assert!(broken.contains(rule), "{rule}: check found {broken:?}");
        agree(&v, &layout).unwrap_or_else(|e| panic!("{rule}: {e}"));
        if !not_expressed(rule) {
            assert!(!v.is_valid(&layout), "{rule}: the schema accepts it");
            expressed += 1;
        }
    }
    assert!(expressed >= 15);
    // the plain `javascript:` is refused by the schema too; only the hidden one is not
    let plain = invalid_cases()
        .into_iter()
        .find(|(r, l)| *r == "dangerous-uri" && l.to_string().contains("JavaScript"))
        .unwrap();
    assert!(!v.is_valid(&plain.1));
}

fn mutation() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!("")),
        Just(json!(" ")),
        Just(json!("javascript:x")),
        Just(json!("https://x/a.png")),
        Just(json!(7)),
        Just(json!(true)),
        Just(json!({})),
        Just(json!([])),
        Just(json!("lg")),
        Just(json!("base_90")),
        Just(json!({"type": "text", "properties": {"value": "x"}})),
        Just(json!({"type": "input", "properties": {}})),
        Just(
            json!({"type": "section", "properties": {"blocks": {"t": {"type": "text", "properties": {"value": "x"}}}}})
        ),
        Just(json!({"type": "redirect", "value": "/crm/"})),
        Just(json!({"a": "A"})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any fixture with any member replaced: the schema and the checker agree.
    #[test]
    fn mutated_layouts_agree(which in 0usize..64, path in proptest::collection::vec(0usize..8, 1..7), value in mutation(), add in proptest::option::of("[a-z]{1,6}")) {
        let all = fixtures();
        let (name, base) = &all[which % all.len()];
        let mut root = as_layout(name, base);
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
        let v = validator();
        prop_assert!(agree(&v, &root).is_ok(), "{}", agree(&v, &root).unwrap_err());
    }
}
