//! One test per rule of the table, each naming the exact JSON pointer of the violation.

use layout_core::{LayoutDto, Rule, Violation};
use serde_json::{json, Value};

fn violations(layout: Value) -> Vec<Violation> {
    match LayoutDto::from_value(&layout) {
        Ok(_) => Vec::new(),
        Err(v) => v.0,
    }
}

/// Exactly one violation, with this pointer and rule; returns it for further checks.
#[track_caller]
fn only(layout: Value, pointer: &str, rule: Rule) -> Violation {
    let found = violations(layout);
    assert_eq!(
        found
            .iter()
            .map(|v| (v.pointer.as_str(), v.rule))
            .collect::<Vec<_>>(),
        vec![(pointer, rule)],
        "{found:#?}"
    );
    found.into_iter().next().unwrap()
}

fn text(value: &str) -> Value {
    json!({"type": "text", "properties": {"value": value}})
}

fn texts(n: usize) -> Value {
    Value::Object((1..=n).map(|i| (format!("t{i}"), text("x"))).collect())
}

fn section(blocks: Value) -> Value {
    json!({"blocks": {"s": {"type": "section", "properties": {"blocks": blocks}}}})
}

#[test]
fn valid_layout_has_no_violation() {
    assert!(violations(json!({"blocks": {"a": text("hi")}})).is_empty());
}

#[test]
fn top_level_needs_a_block() {
    let v = only(json!({"blocks": {}}), "/blocks", Rule::TooFewBlocks);
    assert_eq!(v.message, "a layout needs at least 1 block, found none");
}

#[test]
fn blocks_key_is_required() {
    only(
        json!({"primaryButton": {"title": "Save"}}),
        "/blocks",
        Rule::MissingRequired,
    );
}

#[test]
fn blocks_as_an_array_is_a_shape_error_with_php_help() {
    let v = only(json!({"blocks": []}), "/blocks", Rule::WrongType);
    assert!(v.help.unwrap().contains("PHP"));
}

#[test]
fn section_holds_at_least_one_block() {
    only(
        section(json!({})),
        "/blocks/s/properties/blocks",
        Rule::TooFewBlocks,
    );
}

#[test]
fn section_holds_at_most_twenty_blocks_and_blames_the_21st() {
    assert!(violations(section(texts(20))).is_empty());
    let v = only(
        section(texts(23)),
        "/blocks/s/properties/blocks/t21",
        Rule::TooManyBlocks,
    );
    assert_eq!(
        v.message,
        "a section holds at most 20 blocks; this is block 21 of 23"
    );
}

#[test]
fn no_section_in_a_section() {
    let inner = json!({"inner": {"type": "section", "properties": {"blocks": {"a": text("x")}}}});
    let v = only(
        section(inner),
        "/blocks/s/properties/blocks/inner",
        Rule::BlockNotAllowed,
    );
    assert_eq!(v.message, "`section` is not allowed inside a section");
    assert!(v
        .help
        .unwrap()
        .starts_with("Bitrix24 drops a section nested in a section"));
}

#[test]
fn list_holds_at_least_one_block() {
    only(
        json!({"blocks": {"l": {"type": "list", "properties": {"blocks": {}}}}}),
        "/blocks/l/properties/blocks",
        Rule::TooFewBlocks,
    );
}

#[test]
fn list_holds_only_text_link_line_of_blocks() {
    let v = only(
        json!({"blocks": {"l": {"type": "list", "properties": {"blocks": {
            "ok": text("x"),
            "li2": {"type": "select", "properties": {"values": {"a": "A"}}}
        }}}}}),
        "/blocks/l/properties/blocks/li2",
        Rule::BlockNotAllowed,
    );
    assert_eq!(v.help.unwrap(), "a list takes: text, link, lineOfBlocks");
}

#[test]
fn line_of_blocks_holds_at_least_one_block() {
    only(
        json!({"blocks": {"l": {"type": "lineOfBlocks", "properties": {"blocks": {}}}}}),
        "/blocks/l/properties/blocks",
        Rule::TooFewBlocks,
    );
}

#[test]
fn line_of_blocks_holds_only_text_and_link() {
    let v = only(
        json!({"blocks": {"l": {"type": "lineOfBlocks", "properties": {"blocks": {
            "inner": {"type": "input", "properties": {}}
        }}}}}),
        "/blocks/l/properties/blocks/inner",
        Rule::BlockNotAllowed,
    );
    assert_eq!(v.message, "`input` is not allowed inside a lineOfBlocks");
    assert_eq!(v.help.unwrap(), "a lineOfBlocks takes: text, link");
}

#[test]
fn with_title_block_is_text_link_or_line_of_blocks() {
    let v = only(
        json!({"blocks": {"w": {"type": "withTitle", "properties": {"title": "T",
            "block": {"type": "list", "properties": {"blocks": {"a": text("x")}}}}}}}),
        "/blocks/w/properties/block",
        Rule::BlockNotAllowed,
    );
    assert_eq!(v.message, "`list` cannot be the block of a withTitle");
}

#[test]
fn with_title_block_is_one_block_not_a_map() {
    only(
        json!({"blocks": {"w": {"type": "withTitle", "properties": {"title": "T",
            "block": {"a": text("x")}}}}}),
        "/blocks/w/properties/block",
        Rule::WrongType,
    );
}

#[test]
fn title_width_only_with_inline_true() {
    let block = |props: Value| json!({"blocks": {"w": {"type": "withTitle", "properties": props}}});
    let props = json!({"title": "T", "titleWidth": "lg", "block": text("x")});
    only(
        block(props),
        "/blocks/w/properties/titleWidth",
        Rule::TitleWidthWithoutInline,
    );
    let props = json!({"title": "T", "inline": false, "titleWidth": "lg", "block": text("x")});
    only(
        block(props),
        "/blocks/w/properties/titleWidth",
        Rule::TitleWidthWithoutInline,
    );
    let props = json!({"title": "T", "inline": true, "titleWidth": "lg", "block": text("x")});
    assert!(violations(block(props)).is_empty());
}

#[test]
fn required_properties_are_present() {
    let v = only(
        json!({"blocks": {"t": {"type": "text", "properties": {"bold": true}}}}),
        "/blocks/t/properties/value",
        Rule::MissingRequired,
    );
    assert_eq!(v.message, "a `text` block needs `value`");
    only(
        json!({"blocks": {"l": {"type": "link", "properties": {"text": "x"}}}}),
        "/blocks/l/properties/action",
        Rule::MissingRequired,
    );
    only(
        json!({"blocks": {"t": {"properties": {"value": "x"}}}}),
        "/blocks/t/type",
        Rule::MissingRequired,
    );
    only(
        json!({"blocks": {"t": {"type": "text"}}}),
        "/blocks/t/properties",
        Rule::MissingRequired,
    );
    only(
        json!({"blocks": {"a": text("x")}, "primaryButton": {"state": "disabled"}}),
        "/primaryButton/title",
        Rule::MissingRequired,
    );
    only(
        json!({"blocks": {"l": {"type": "link", "properties": {"text": "x", "action": {"value": "/"}}}}}),
        "/blocks/l/properties/action/type",
        Rule::MissingRequired,
    );
}

#[test]
fn enumerated_values_are_checked_with_a_suggestion() {
    let v = only(
        json!({"blocks": {"t": {"type": "text", "properties": {"value": "x", "color": "base-90"}}}}),
        "/blocks/t/properties/color",
        Rule::InvalidValue,
    );
    assert_eq!(v.message, "`base-90` is not a text color");
    assert!(v
        .help
        .unwrap()
        .starts_with("did you mean `base_90`?; allowed text colors: base_50"));
    for (block, key, bad) in [
        (
            json!({"type": "text", "properties": {"value": "x", "size": "huge"}}),
            "size",
            "huge",
        ),
        (
            json!({"type": "section", "properties": {"type": "info", "blocks": {"a": text("x")}}}),
            "type",
            "info",
        ),
        (
            json!({"type": "section", "properties": {"imageSize": "xl", "blocks": {"a": text("x")}}}),
            "imageSize",
            "xl",
        ),
        (
            json!({"type": "withTitle", "properties": {"title": "T", "inline": true, "titleWidth": "xl", "block": text("x")}}),
            "titleWidth",
            "xl",
        ),
    ] {
        let v = only(
            json!({"blocks": {"b": block}}),
            &format!("/blocks/b/properties/{key}"),
            Rule::InvalidValue,
        );
        assert!(v.message.contains(bad));
    }
    only(
        json!({"blocks": {"a": text("x")}, "secondaryButton": {"title": "x", "state": "hidden"}}),
        "/secondaryButton/state",
        Rule::InvalidValue,
    );
}

#[test]
fn button_state_loading_is_accepted() {
    assert!(violations(
        json!({"blocks": {"a": text("x")}, "primaryButton": {"title": "x", "state": "loading"}})
    )
    .is_empty());
}

#[test]
fn values_are_not_empty() {
    only(
        json!({"blocks": {"d": {"type": "dropdownMenu", "properties": {"values": {}}}}}),
        "/blocks/d/properties/values",
        Rule::EmptyValues,
    );
    only(
        json!({"blocks": {"d": {"type": "select", "properties": {"values": {}}}}}),
        "/blocks/d/properties/values",
        Rule::EmptyValues,
    );
}

#[test]
fn selected_value_is_a_key_of_values() {
    let v = only(
        json!({"blocks": {"d": {"type": "select", "properties": {"selectedValue": "NYC", "values": {"nyc": "New York", "la": "LA"}}}}}),
        "/blocks/d/properties/selectedValue",
        Rule::SelectedValueNotInValues,
    );
    assert!(v.help.unwrap().starts_with("did you mean `nyc`?"));
    only(
        json!({"blocks": {"d": {"type": "dropdownMenu", "properties": {"selectedValue": "x", "values": {"": "-"}}}}}),
        "/blocks/d/properties/selectedValue",
        Rule::SelectedValueNotInValues,
    );
    // the empty code of the docs' dropdownMenu is a real code
    assert!(violations(
        json!({"blocks": {"d": {"type": "dropdownMenu", "properties": {"selectedValue": "", "values": {"": "-"}}}}})
    )
    .is_empty());
}

#[test]
fn values_labels_are_strings() {
    only(
        json!({"blocks": {"d": {"type": "select", "properties": {"values": {"a": 1}}}}}),
        "/blocks/d/properties/values/a",
        Rule::WrongType,
    );
}

fn link_with(action: Value) -> Value {
    json!({"blocks": {"l": {"type": "link", "properties": {"text": "x", "action": action}}}})
}

#[test]
fn slider_width_and_left_boundary_are_exclusive() {
    only(
        link_with(json!({"type": "openRestApp", "sliderParams": {"width": 700, "leftBoundary": 100}})),
        "/blocks/l/properties/action/sliderParams/leftBoundary",
        Rule::ExclusiveProperties,
    );
    assert!(violations(link_with(
        json!({"type": "openRestApp", "sliderParams": {"leftBoundary": 100}})
    ))
    .is_empty());
}

#[test]
fn slider_width_is_a_whole_number() {
    only(
        link_with(json!({"type": "openRestApp", "sliderParams": {"width": -5}})),
        "/blocks/l/properties/action/sliderParams/width",
        Rule::WrongType,
    );
    only(
        link_with(json!({"type": "openRestApp", "sliderParams": {"width": "700px"}})),
        "/blocks/l/properties/action/sliderParams/width",
        Rule::WrongType,
    );
}

#[test]
fn redirect_value_is_not_empty() {
    only(
        link_with(json!({"type": "redirect", "value": ""})),
        "/blocks/l/properties/action/value",
        Rule::EmptyValue,
    );
    only(
        link_with(json!({"type": "redirect", "value": "  "})),
        "/blocks/l/properties/action/value",
        Rule::EmptyValue,
    );
}

#[test]
fn a_layout_event_names_its_event() {
    let v = only(
        link_with(json!({"type": "layoutEvent", "value": ""})),
        "/blocks/l/properties/action/value",
        Rule::EmptyValue,
    );
    assert_eq!(v.message, "a layoutEvent needs a value, found an empty string");
    only(
        link_with(json!({"type": "layoutEvent", "value": " \t"})),
        "/blocks/l/properties/action/value",
        Rule::EmptyValue,
    );
    assert!(violations(link_with(json!({"type": "layoutEvent", "value": "showDetails"}))).is_empty());
}

#[test]
fn redirect_to_dangerous_schemes_is_refused() {
    for uri in [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "java\tscript:x",
        "data:text/html,<b>",
        "vbscript:x",
    ] {
        only(
            link_with(json!({"type": "redirect", "value": uri})),
            "/blocks/l/properties/action/value",
            Rule::DangerousUri,
        );
    }
    for uri in ["/crm/deal/details/1/", "https://example.com", "mailto:a@b.c"] {
        assert!(
            violations(link_with(json!({"type": "redirect", "value": uri}))).is_empty(),
            "{uri}"
        );
    }
}

#[test]
fn section_image_src_is_http() {
    let s = |src: &str| json!({"blocks": {"s": {"type": "section", "properties": {"imageSrc": src, "blocks": {"a": text("x")}}}}});
    only(
        s("/upload/a.png"),
        "/blocks/s/properties/imageSrc",
        Rule::ImageSrcScheme,
    );
    only(
        s("javascript:x"),
        "/blocks/s/properties/imageSrc",
        Rule::ImageSrcScheme,
    );
    assert!(violations(s("http://example.com/a.png")).is_empty());
}

#[test]
fn unknown_block_type_with_did_you_mean() {
    let v = only(
        json!({"blocks": {"x": {"type": "lineofblocks", "properties": {}}}}),
        "/blocks/x/type",
        Rule::UnknownBlockType,
    );
    assert_eq!(v.help.unwrap(), "did you mean `lineOfBlocks`?");
    let v = only(
        json!({"blocks": {"x": {"type": "image", "properties": {}}}}),
        "/blocks/x/type",
        Rule::UnknownBlockType,
    );
    assert!(v.help.unwrap().starts_with("block types: text, link, withTitle"));
}

#[test]
fn unknown_action_type_with_did_you_mean() {
    let v = only(
        link_with(json!({"type": "redirrect", "value": "/"})),
        "/blocks/l/properties/action/type",
        Rule::UnknownActionType,
    );
    assert_eq!(v.help.unwrap(), "did you mean `redirect`?");
}

#[test]
fn unknown_properties_with_did_you_mean() {
    let v = only(
        json!({"blocks": {"t": {"type": "text", "properties": {"value": "x", "bolt": true}}}}),
        "/blocks/t/properties/bolt",
        Rule::UnknownProperty,
    );
    assert_eq!(v.message, "unknown property `bolt` of a `text` block");
    assert_eq!(v.help.unwrap(), "did you mean `bold`?");
    let v = only(
        json!({"blocks": {"t": {"type": "text", "visble": false, "properties": {"value": "x"}}}}),
        "/blocks/t/visble",
        Rule::UnknownProperty,
    );
    assert_eq!(v.help.unwrap(), "did you mean `visible`?");
    let v = only(
        json!({"blocks": {"a": text("x")}, "primaryButon": {"title": "x"}}),
        "/primaryButon",
        Rule::UnknownProperty,
    );
    assert_eq!(v.help.unwrap(), "did you mean `primaryButton`?");
    let v = only(
        json!({"blocks": {"t": {"type": "input", "properties": {"label": "x"}}}}),
        "/blocks/t/properties/label",
        Rule::UnknownProperty,
    );
    assert_eq!(
        v.help.unwrap(),
        "an `input` block has: title, value, placeholder, disabled, errorText"
    );
}

#[test]
fn redirect_with_uri_says_bitrix24_reads_only_value() {
    let found = violations(link_with(json!({"type": "redirect", "uri": "/crm/"})));
    let pairs: Vec<_> = found.iter().map(|v| (v.pointer.as_str(), v.rule)).collect();
    assert_eq!(
        pairs,
        vec![
            ("/blocks/l/properties/action/uri", Rule::RedirectUri),
            ("/blocks/l/properties/action/value", Rule::MissingRequired),
        ]
    );
    assert!(found[0]
        .help
        .as_deref()
        .unwrap()
        .starts_with("Bitrix24 reads only `value`"));
}

#[test]
fn wrong_types_name_the_pointer() {
    only(
        json!({"blocks": {"t": {"type": "text", "properties": {"value": "x", "bold": "yes"}}}}),
        "/blocks/t/properties/bold",
        Rule::WrongType,
    );
    only(
        json!({"blocks": {"t": {"type": "text", "properties": {"value": 5}}}}),
        "/blocks/t/properties/value",
        Rule::WrongType,
    );
    only(
        json!({"blocks": {"t": {"type": "text", "visible": "no", "properties": {"value": "x"}}}}),
        "/blocks/t/visible",
        Rule::WrongType,
    );
    only(
        json!({"blocks": {"t": {"type": 3, "properties": {}}}}),
        "/blocks/t/type",
        Rule::WrongType,
    );
    only(json!({"blocks": {"t": "text"}}), "/blocks/t", Rule::WrongType);
    only(json!([1, 2]), "", Rule::WrongType);
    let v = only(
        json!({"blocks": {"t": {"type": "text", "properties": {"value": "x", "size": null}}}}),
        "/blocks/t/properties/size",
        Rule::WrongType,
    );
    assert_eq!(v.help.unwrap(), "leave the property out instead of writing null");
}

#[test]
fn pointers_escape_slash_and_tilde_in_ids() {
    only(
        json!({"blocks": {"a/b~c": {"type": "text", "properties": {}}}}),
        "/blocks/a~1b~0c/properties/value",
        Rule::MissingRequired,
    );
}

#[test]
fn a_layout_breaking_two_rules_reports_both() {
    let found = violations(json!({"blocks": {
        "s": {"type": "section", "properties": {"imageSrc": "ftp://x", "blocks": {
            "line": {"type": "lineOfBlocks", "properties": {"blocks": {"inner": {"type": "input", "properties": {}}}}}
        }}},
        "t": {"type": "text", "properties": {"value": "x", "size": "XL"}}
    }}));
    let pairs: Vec<_> = found.iter().map(|v| (v.pointer.as_str(), v.rule)).collect();
    assert_eq!(
        pairs,
        vec![
            ("/blocks/s/properties/imageSrc", Rule::ImageSrcScheme),
            (
                "/blocks/s/properties/blocks/line/properties/blocks/inner",
                Rule::BlockNotAllowed
            ),
            ("/blocks/t/properties/size", Rule::InvalidValue),
        ]
    );
}

#[test]
fn validate_checks_layouts_built_in_code() {
    use layout_core::{ActionDto, Blocks, Input, LineOfBlocks, Link, Section};
    let line = LineOfBlocks::default().blocks(Blocks::from([
        (
            "a".to_owned(),
            Link::default()
                .text("x")
                .action(ActionDto::redirect_to("javascript:x"))
                .into(),
        ),
        ("b".to_owned(), Input::default().into()),
    ]));
    let layout = LayoutDto::default().blocks([(
        "s".to_owned(),
        Section::default().blocks([("l".to_owned(), line.into())]).into(),
    )]);
    let found = layout.validate().unwrap_err();
    let pairs: Vec<_> = found.iter().map(|v| (v.pointer.as_str(), v.rule)).collect();
    assert_eq!(
        pairs,
        vec![
            (
                "/blocks/s/properties/blocks/l/properties/blocks/a/properties/action/value",
                Rule::DangerousUri
            ),
            (
                "/blocks/s/properties/blocks/l/properties/blocks/b",
                Rule::BlockNotAllowed
            ),
        ]
    );
}
