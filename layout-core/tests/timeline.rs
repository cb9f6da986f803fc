//! The timeline's layouts: the docs' examples round-trip byte for byte, and each rule is
//! reported at its pointer with its message, by the JSON reader and the typed model alike.

use layout_core::timeline::{self, LayoutDto, RestAppLayoutDto};
use layout_core::{Rule, Violations};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../tests/fixtures/docs/timeline/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .trim_end()
        .to_owned()
}

fn fixtures(prefix: &str) -> Vec<String> {
    let dir = format!("{}/../tests/fixtures/docs/timeline", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(prefix))
        .map(|n| n.trim_end_matches(".json").to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_configurable_activity_of_the_docs_round_trips_byte_for_byte() {
    let names = fixtures("activity-");
    assert!(names.len() >= 7, "{names:?}");
    for name in names {
        let text = fixture(&name);
        let layout = LayoutDto::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        layout.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(layout.to_json(), text, "{name}");
        let via_serde: LayoutDto = serde_json::from_str(&text).unwrap();
        assert_eq!(via_serde, layout, "{name}");
        assert_eq!(serde_json::to_string(&via_serde).unwrap(), text, "{name}");
    }
}

#[test]
fn every_content_block_set_of_the_docs_round_trips_byte_for_byte() {
    let names = fixtures("blocks-");
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let text = fixture(&name);
        let set = RestAppLayoutDto::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(set.to_json(), text, "{name}");
        assert_eq!(serde_json::to_string(&set).unwrap(), text, "{name}");
    }
}

#[test]
fn every_snippet_of_the_docs_round_trips() {
    for name in fixtures("block-") {
        let text = fixture(&name);
        let block: timeline::ContentBlockDto =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(serde_json::to_string(&block).unwrap(), text, "{name}");
        RestAppLayoutDto::from_json(&format!("{{\"blocks\":{{\"b\":{text}}}}}"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    for name in fixtures("action-") {
        let text = fixture(&name);
        let action: timeline::ActionDto =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(serde_json::to_string(&action).unwrap(), text, "{name}");
    }
    let button: timeline::FooterButtonDto = serde_json::from_str(&fixture("footer-button")).unwrap();
    assert_eq!(serde_json::to_string(&button).unwrap(), fixture("footer-button"));
    let menu: timeline::FooterMenuDto = serde_json::from_str(&fixture("footer-menu")).unwrap();
    assert_eq!(serde_json::to_string(&menu).unwrap(), fixture("footer-menu"));
    let item: timeline::MenuItemDto = serde_json::from_str(&fixture("menu-item")).unwrap();
    assert_eq!(serde_json::to_string(&item).unwrap(), fixture("menu-item"));
}

/// A minimal valid activity, to break one rule at a time.
fn activity() -> Value {
    json!({
        "icon": {"code": "info"},
        "header": {"title": "Call"},
        "body": {"logo": {"code": "document"}, "blocks": {"b": {"type": "text", "properties": {"value": "x"}}}}
    })
}

fn violations(value: &Value) -> Vec<(String, Rule, String, Option<String>)> {
    let Err(Violations(list)) = layout_core::json::check_value_as(value, &LayoutDto::SPEC) else {
        return Vec::new();
    };
    list.into_iter()
        .map(|v| (v.pointer, v.rule, v.message, v.help))
        .collect()
}

/// One broken rule: its pointer, rule and message; the help contains `help`.
fn one(value: Value, pointer: &str, rule: Rule, message: &str, help: &str) {
    let found = violations(&value);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (p, r, m, h) = &found[0];
    assert_eq!((p.as_str(), *r, m.as_str()), (pointer, rule, message));
    assert!(h.as_deref().unwrap_or("").contains(help), "help: {h:?}");
    // the typed model, read without the check, finds the same at the same place
    if let Ok(typed) = serde_json::from_value::<LayoutDto>(value.clone()) {
        let Err(Violations(list)) = typed.validate() else {
            panic!("the typed model keeps {pointer}")
        };
        assert_eq!((list[0].pointer.as_str(), list[0].rule), (pointer, rule));
    }
}

#[test]
fn the_minimal_activity_is_valid() {
    assert!(violations(&activity()).is_empty());
    serde_json::from_value::<LayoutDto>(activity())
        .unwrap()
        .validate()
        .unwrap();
}

#[test]
fn each_rule_at_its_pointer() {
    let mut v = activity();
    v.as_object_mut().unwrap().remove("icon");
    one(
        v,
        "/icon",
        Rule::MissingRequired,
        "LayoutDto needs `icon`",
        "add `icon`",
    );

    let mut v = activity();
    v["icon"]["code"] = json!(" ");
    one(
        v,
        "/icon/code",
        Rule::EmptyValue,
        "a code is needed, found an empty string",
        "crm.timeline.icon.list",
    );

    let mut v = activity();
    v["header"]["subtitle"] = json!("x");
    one(
        v,
        "/header/subtitle",
        Rule::UnknownProperty,
        "unknown property `subtitle` of HeaderDto",
        "HeaderDto has: title, titleAction, tags",
    );

    let mut v = activity();
    v["header"]["tags"] = json!({"t1": {"title": "new", "type": "lavender"}});
    one(
        v,
        "/header/tags/t1/type",
        Rule::InvalidValue,
        "`lavender` is not a tag type",
        "warning, success, failure, primary, secondary",
    );

    let mut v = activity();
    let tag = json!({"title": "a", "type": "success"});
    v["header"]["tags"] = json!({"a": tag, "b": tag, "c": tag});
    one(
        v,
        "/header/tags/c",
        Rule::TooManyItems,
        "at most 2 tags, found 3",
        "TOO_MANY_ITEMS",
    );

    let mut v = activity();
    let button = json!({"title": "Go", "type": "primary", "action": {"type": "restEvent", "id": "go"}});
    v["footer"] = json!({"buttons": {"a": button, "b": button, "c": button}});
    one(
        v,
        "/footer/buttons/c",
        Rule::TooManyItems,
        "at most 2 buttons, found 3",
        "keep 2",
    );

    let mut v = activity();
    v["body"]["blocks"] = json!({"my block": {"type": "text", "properties": {"value": "x"}}});
    one(
        v,
        "/body/blocks/my block",
        Rule::KeyWrongSymbols,
        "block id `my block` has characters Bitrix24 refuses",
        "Latin letters",
    );

    let mut v = activity();
    v["header"]["title"] = json!({"english": "Call"});
    one(
        v,
        "/header/title/english",
        Rule::WrongLanguage,
        "`english` is not a language code",
        "language code",
    );

    let mut v = activity();
    v["header"]["title"] = json!({});
    one(
        v,
        "/header/title",
        Rule::EmptyTranslation,
        "a text with translations has none",
        "at least one language",
    );

    let mut v = activity();
    let blocks: serde_json::Map<String, Value> = (0..21)
        .map(|i| {
            (
                format!("b{i}"),
                json!({"type": "text", "properties": {"value": "x"}}),
            )
        })
        .collect();
    v["body"]["blocks"] = Value::Object(blocks);
    one(
        v,
        "/body/blocks/b20",
        Rule::TooManyBlocks,
        "a layout holds at most 20 blocks; this is block 21 of 21",
        "remove this block",
    );

    let mut v = activity();
    v["body"]["blocks"] = json!({});
    one(
        v,
        "/body/blocks",
        Rule::TooFewBlocks,
        "a layout needs at least 1 block, found none",
        "largeText",
    );

    let mut v = activity();
    v["body"]["blocks"] = json!({"l": {"type": "lineOfBlocks", "properties": {"blocks": {"t": {"type": "largeText", "properties": {"value": "x"}}}}}});
    one(
        v,
        "/body/blocks/l/properties/blocks/t",
        Rule::BlockNotAllowed,
        "`largeText` is not allowed inside a lineOfBlocks",
        "text, link, deadline",
    );

    let mut v = activity();
    v["body"]["blocks"] = json!({"s": {"type": "section", "properties": {"blocks": {}}}});
    one(
        v,
        "/body/blocks/s/type",
        Rule::UnknownBlockType,
        "`section` is a block of a widget's built-in interface, not of a timeline record",
        "largeText",
    );

    let mut v = activity();
    v["body"]["blocks"] = json!({"l": {"type": "link", "properties": {"text": "Open", "action": {"type": "redirect", "value": "/crm/deal/details/1/"}}}});
    let found = violations(&v);
    assert_eq!(found[0].0, "/body/blocks/l/properties/action/value");
    assert_eq!(found[0].1, Rule::RedirectValue);
    assert!(found[0]
        .3
        .as_deref()
        .unwrap()
        .contains("write the address as `uri`"));
    // as for widgets, both are said: the key Bitrix24 does not read, and the one it needs
    assert_eq!(found[1].0, "/body/blocks/l/properties/action/uri");
    assert_eq!(found[1].1, Rule::MissingRequired);

    let mut v = activity();
    v["body"]["logo"]["action"] = json!({"type": "redirect", "uri": "javascript:alert(1)"});
    one(
        v,
        "/body/logo/action/uri",
        Rule::DangerousUri,
        "a redirect to a `javascript:` URI is not allowed",
        "restEvent",
    );

    let mut v = activity();
    v["header"]["titleAction"] = json!({"type": "restEvent", "id": " "});
    one(
        v,
        "/header/titleAction/id",
        Rule::EmptyValue,
        "a restEvent needs an `id`, found an empty string",
        "onCrmTimelineItemAction",
    );

    let mut v = activity();
    v["header"]["titleAction"] = json!({"type": "layoutEvent", "value": "x"});
    one(
        v,
        "/header/titleAction/type",
        Rule::UnknownActionType,
        "unknown action type `layoutEvent`",
        "redirect, restEvent, openRestApp",
    );

    let mut v = activity();
    v["header"]["titleAction"] =
        json!({"type": "openRestApp", "sliderParams": {"width": 700, "leftBoundary": 100}});
    one(
        v,
        "/header/titleAction/sliderParams/leftBoundary",
        Rule::ExclusiveProperties,
        "`width` and `leftBoundary` cannot be used together",
        "",
    );

    let mut v = activity();
    v["header"]["titleAction"] = json!({"type": "openRestApp", "sliderParams": {"labelText": "x"}});
    one(
        v,
        "/header/titleAction/sliderParams/labelText",
        Rule::UnknownProperty,
        "unknown property `labelText` of ActionSliderParamsDto",
        "width, leftBoundary, title",
    );

    let mut v = activity();
    v["header"]["titleAction"] = json!({"type": "restEvent", "id": "x", "actionParams": "a=1"});
    one(
        v,
        "/header/titleAction/actionParams",
        Rule::WrongType,
        "expected an object or an array (parameters handed back to the app), found a string",
        "",
    );

    let mut v = activity();
    v["footer"] = json!({"menu": {"showPinItem": "no"}});
    one(
        v,
        "/footer/menu/showPinItem",
        Rule::WrongType,
        "expected a boolean, found the string \"no\"",
        "true or false",
    );

    let mut v = activity();
    v["body"]["blocks"] = json!({"t": {"type": "text"}});
    one(
        v,
        "/body/blocks/t/properties",
        Rule::MissingRequired,
        "a block needs `properties`",
        "a `text` block needs value",
    );

    let mut v = activity();
    v["body"]["blocks"] = json!({"t": {"type": "text", "visible": false, "properties": {"value": "x"}}});
    one(
        v,
        "/body/blocks/t/visible",
        Rule::UnknownProperty,
        "unknown key `visible` of a block",
        "",
    );

    let mut v = activity();
    v["body"]["blocks"]["b"]["properties"]["size"] = json!("lg");
    one(
        v,
        "/body/blocks/b/properties/size",
        Rule::InvalidValue,
        "`lg` is not a text size",
        "xs, sm, md",
    );

    let mut v = activity();
    v["body"]["blocks"]["b"]["properties"]["scope"] = json!("desktop");
    one(
        v,
        "/body/blocks/b/properties/scope",
        Rule::InvalidValue,
        "`desktop` is not a scope",
        "web, mobile",
    );

    let mut v = activity();
    v["header"]["tags"] = json!(["a"]);
    one(
        v,
        "/header/tags",
        Rule::WrongType,
        "expected an object of id to TagDto, found an array",
        "string keys",
    );
}

#[test]
fn every_broken_rule_is_reported_at_once() {
    let v = json!({
        "icon": {},
        "header": {"title": {"xx": "a"}, "tags": {"a b": {"title": "t", "type": "lavender"}}},
        "body": {"blocks": {}},
        "footer": {"buttons": {"b": {"title": "Go"}}}
    });
    let found = violations(&v);
    let pointers: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/icon/code",
            "/header/title/xx",
            "/header/tags/a b",
            "/header/tags/a b/type",
            "/body/blocks",
            "/body/logo",
            "/footer/buttons/b/type",
            "/footer/buttons/b/action",
        ]
    );
}

#[test]
fn a_content_block_set_takes_1_to_20_blocks() {
    let check = |v: Value| layout_core::json::check_value_as(&v, &RestAppLayoutDto::SPEC);
    check(json!({"blocks": {"d": {"type": "deadline"}}})).unwrap();
    let err = check(json!({"blocks": {}})).unwrap_err();
    assert_eq!(err.0[0].rule, Rule::TooFewBlocks);
    let err = check(json!({"icon": {"code": "info"}, "blocks": {"d": {"type": "deadline"}}})).unwrap_err();
    assert_eq!(err.0[0].pointer, "/icon");
    assert!(err.0[0]
        .message
        .contains("unknown property `icon` of RestAppLayoutDto"));
}

mod agreement {
    use super::*;
    use proptest::prelude::*;

    /// A block of the timeline, or one it refuses, in JSON.
    fn block() -> impl Strategy<Value = Value> {
        let text = prop_oneof![
            Just(json!("x")),
            Just(json!({"en": "x"})),
            Just(json!({"xx": "x"})),
            Just(json!({}))
        ];
        let uri = prop_oneof![
            Just("/crm/deal/details/1/"),
            Just("javascript:alert(1)"),
            Just("")
        ];
        prop_oneof![
            (text.clone(), prop_oneof![Just("sm"), Just("lg")]).prop_map(|(v, s)| json!({"type": "text", "properties": {"value": v, "size": s}})),
            text.clone().prop_map(|v| json!({"type": "largeText", "properties": {"value": v}})),
            Just(json!({"type": "deadline"})),
            Just(json!({"type": "text"})),
            Just(json!({"type": "section", "properties": {"blocks": {}}})),
            uri.prop_map(|u| json!({"type": "link", "properties": {"text": "go", "action": {"type": "redirect", "uri": u}}})),
            prop_oneof![Just("largeText"), Just("text"), Just("deadline")].prop_map(|t| json!({"type": "lineOfBlocks", "properties": {"blocks": {"a": {"type": t, "properties": {"value": "x"}}}}})),
        ]
    }

    fn activity() -> impl Strategy<Value = Value> {
        let key = prop_oneof![Just("a"), Just("b"), Just("c d"), Just("e")];
        let tags = proptest::collection::vec(
            (key.clone(), prop_oneof![Just("warning"), Just("lavender")]),
            0..4,
        );
        let blocks = proptest::collection::vec((key, block()), 0..23);
        (tags, blocks, any::<bool>()).prop_map(|(tags, blocks, icon)| {
            let mut v = super::activity();
            let tags: serde_json::Map<String, Value> = tags
                .into_iter()
                .map(|(k, t)| (k.to_owned(), json!({"title": "t", "type": t})))
                .collect();
            v["header"]["tags"] = Value::Object(tags);
            let blocks: serde_json::Map<String, Value> = blocks
                .into_iter()
                .enumerate()
                .map(|(i, (k, b))| (format!("{k}{i}"), b))
                .collect();
            v["body"]["blocks"] = Value::Object(blocks);
            if !icon {
                v.as_object_mut().unwrap().remove("icon");
            }
            v
        })
    }

    proptest! {
        /// The JSON checker, the typed model's walk and its quick verdict agree on every
        /// activity: the same violations at the same pointers, the same verdict.
        #[test]
        fn json_and_typed_checks_agree(v in activity()) {
            let from_json = layout_core::json::check_value_as(&v, &LayoutDto::SPEC);
            if let Ok(typed) = serde_json::from_value::<LayoutDto>(v.clone()) {
                let full = typed.validate_full();
                prop_assert_eq!(typed.validate().is_ok(), full.is_ok());
                let pairs = |r: &Result<(), Violations>| match r {
                    Ok(()) => Vec::new(),
                    Err(Violations(list)) => list.iter().map(|v| (v.pointer.clone(), v.rule)).collect(),
                };
                prop_assert_eq!(pairs(&from_json), pairs(&full));
                // and what it prints reads back the same
                prop_assert_eq!(serde_json::from_str::<Value>(&typed.to_json()).unwrap(), v);
            }
        }
    }
}
