//! What `layout!` accepts: every block type and property, Rust expressions, `if` and `for`.

use b24_widgets::{
    layout, layout_json, ActionDto, Color, ContentBlockDto, LayoutDto, Rule, Size, Text, Violations,
};
use serde_json::json;

fn value(layout: &LayoutDto) -> serde_json::Value {
    serde_json::from_str(&layout.to_json()).unwrap()
}

/// Statically checked layouts are plain `LayoutDto`s: no error to handle.
fn is_layout(l: LayoutDto) -> LayoutDto {
    l
}

/// Layouts with a rule left for the run are `Result`s.
fn is_result(r: Result<LayoutDto, Violations>) -> Result<LayoutDto, Violations> {
    r
}

#[test]
fn every_block_type_and_property() {
    let l = is_layout(layout! {
        blocks: {
            t: text { value: "Hi\nthere", multiline: true, bold: true, size: lg, color: base_90, title: "tip", visible: false },
            l: link { text: "Open", action: redirect("/crm/deal/details/1/"), size: xs, bold: false },
            w: withTitle { title: "Title", inline: true, titleWidth: sm, block: text { value: "v" } },
            w2: withTitle { title: "T2", block: lineOfBlocks { blocks: { a: text { value: "a" }, b: link { text: "b", action: layoutEvent("b") } } } },
            line: lineOfBlocks { blocks: { x: text { value: "x" } } },
            menu: dropdownMenu { selectedValue: "client", values: { "": "- not selected -", vendor: "vendor", client: "client" } },
            email: input { title: "Email", value: "a@b.c", placeholder: "Enter email", disabled: false, errorText: "Invalid" },
            notes: textarea { title: "Notes", value: "x", placeholder: "p", disabled: true, errorText: "" },
            city: select { title: "City", selectedValue: "la", values: { nyc: "New York", la: "Los Angeles" }, disabled: false, errorText: "e" },
            items: list { blocks: { li1: text { value: "one" }, li2: link { text: "two", action: openRestApp({ myId: 123, tags: ["a", null, -1, 2.5, true] }, sliderParams: { title: "Slider", width: 700 }) } } },
            s: section { type: withBorder, imageSrc: "https://example.com/a.png", imageSize: md, blocks: { in: text { value: "in" } } },
            "id with spaces": text { value: "quoted id" },
        },
        primaryButton: { title: "Save", state: loading },
        secondaryButton: "Cancel",
    });
    l.validate().unwrap();
    let v = value(&l);
    assert_eq!(
        v["blocks"]["t"],
        json!({"type": "text", "visible": false, "properties": {"value": "Hi\nthere", "multiline": true, "bold": true, "size": "lg", "color": "base_90", "title": "tip"}})
    );
    assert_eq!(
        v["blocks"]["l"]["properties"]["action"],
        json!({"type": "redirect", "value": "/crm/deal/details/1/"})
    );
    assert_eq!(
        v["blocks"]["items"]["properties"]["blocks"]["li2"]["properties"]["action"],
        json!({"type": "openRestApp", "value": {"myId": 123, "tags": ["a", null, -1, 2.5, true]}, "sliderParams": {"title": "Slider", "width": 700}})
    );
    assert_eq!(v["blocks"]["s"]["properties"]["type"], "withBorder");
    assert_eq!(
        v["blocks"]["menu"]["properties"]["values"],
        json!({"": "- not selected -", "vendor": "vendor", "client": "client"})
    );
    assert_eq!(v["secondaryButton"], json!({"title": "Cancel"}));
    assert_eq!(v["primaryButton"], json!({"title": "Save", "state": "loading"}));
    let ids: Vec<_> = v["blocks"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        ids,
        [
            "t",
            "l",
            "w",
            "w2",
            "line",
            "menu",
            "email",
            "notes",
            "city",
            "items",
            "s",
            "id with spaces"
        ]
    );
}

#[test]
fn actions_in_long_form() {
    let l = layout! {
        blocks: {
            a: link { text: "a", action: redirect { value: "/crm/" } },
            b: link { text: "b", action: openRestApp { value: "howto", sliderParams: { leftBoundary: 100 } } },
            c: link { text: "c", action: openRestApp() },
        },
    };
    let v = value(&l);
    assert_eq!(
        v["blocks"]["b"]["properties"]["action"],
        json!({"type": "openRestApp", "value": "howto", "sliderParams": {"leftBoundary": 100}})
    );
    assert_eq!(
        v["blocks"]["c"]["properties"]["action"],
        json!({"type": "openRestApp"})
    );
}

#[test]
fn rust_expressions_stand_for_values() {
    let name = String::from("Ann");
    let size = Size::xl;
    let shown = true;
    let l = is_layout(layout! {
        blocks: {
            hello: text { value: format!("Hello, {name}!"), size: (size), color: Color::danger, bold: shown, visible: (!shown) },
            plain: text { value: name.as_str() },
            event: link { text: name.clone(), action: layoutEvent(format!("clicked-{}", 1)) },
            slider: link { text: "s", action: openRestApp((json!({"dealId": 7}))) },
        },
        primaryButton: { title: name.clone() },
    }
    // an event name from an expression is checked when built (it must not be empty)
    .unwrap());
    let v = value(&l);
    assert_eq!(
        v["blocks"]["hello"],
        json!({"type": "text", "visible": false, "properties": {"value": "Hello, Ann!", "size": "xl", "color": "danger", "bold": true}})
    );
    assert_eq!(v["blocks"]["plain"]["properties"]["value"], "Ann");
    assert_eq!(
        v["blocks"]["slider"]["properties"]["action"]["value"],
        json!({"dealId": 7})
    );
    assert_eq!(v["primaryButton"]["title"], "Ann");
}

#[test]
fn a_block_from_an_expression_is_checked_at_run_time() {
    let block: ContentBlockDto = b24_widgets::Input::default().title("x").into();
    let r = is_result(layout! {
        blocks: { line: lineOfBlocks { blocks: { a: text { value: "a" }, b: (block.clone()) } } },
    });
    let err = r.unwrap_err();
    assert_eq!(err.0[0].pointer, "/blocks/line/properties/blocks/b");
    assert_eq!(err.0[0].rule, Rule::BlockNotAllowed);
    let ok: ContentBlockDto = Text::default().value("fine").into();
    let r = layout! { blocks: { line: lineOfBlocks { blocks: { a: text { value: "a" }, b: (ok) } } } };
    assert!(r.is_ok());
}

#[test]
fn a_redirect_held_in_a_variable_is_checked_at_run_time() {
    let make = |uri: &str| layout! { blocks: { l: link { text: "go", action: redirect(uri) } } };
    assert!(make("/crm/").is_ok());
    let err = make("javascript:alert(1)").unwrap_err();
    assert_eq!(err.0[0].pointer, "/blocks/l/properties/action/value");
    assert_eq!(err.0[0].rule, Rule::DangerousUri);
    let action = ActionDto::redirect_to("");
    let err = layout! { blocks: { l: link { text: "go", action: (action) } } }.unwrap_err();
    assert_eq!(err.0[0].rule, Rule::EmptyValue);
}

#[test]
fn if_shows_blocks_conditionally() {
    let build = |warn: bool, admin: bool| {
        layout! {
            blocks: {
                title: text { value: "Deal" },
                if warn {
                    warning: text { value: "Check the amount", color: warning },
                } else if admin {
                    admin: text { value: "Admin view" },
                } else {
                    fine: text { value: "All good", color: success },
                }
            },
        }
    };
    let ids = |l: LayoutDto| l.blocks.unwrap().keys().cloned().collect::<Vec<_>>();
    // no rule depends on the branch: a plain LayoutDto
    assert_eq!(ids(is_layout(build(true, false))), ["title", "warning"]);
    assert_eq!(ids(build(false, true)), ["title", "admin"]);
    assert_eq!(ids(build(false, false)), ["title", "fine"]);
}

#[test]
fn if_makes_the_count_a_run_time_check_when_it_matters() {
    let build = |show: bool| {
        layout! {
            blocks: {
                s: section { blocks: { if show { a: text { value: "a" } } } },
            },
        }
    };
    assert!(is_result(build(true)).is_ok());
    let err = build(false).unwrap_err();
    assert_eq!(err.0[0].pointer, "/blocks/s/properties/blocks");
    assert_eq!(err.0[0].rule, Rule::TooFewBlocks);
}

struct Deal {
    id: u32,
    title: &'static str,
}

#[test]
fn for_makes_one_block_per_item_with_ids_from_the_item() {
    let deals = [
        Deal {
            id: 7,
            title: "Seven",
        },
        Deal { id: 9, title: "Nine" },
    ];
    let l = is_result(layout! {
        blocks: {
            deals: list {
                blocks: {
                    for deal in &deals {
                        (format!("deal{}", deal.id)): link { text: deal.title, action: redirect(format!("/crm/deal/details/{}/", deal.id)) },
                    }
                },
            },
        },
    })
    .unwrap();
    let v = value(&l);
    let items = v["blocks"]["deals"]["properties"]["blocks"].as_object().unwrap();
    assert_eq!(items.keys().collect::<Vec<_>>(), ["deal7", "deal9"]);
    assert_eq!(
        items["deal9"]["properties"]["action"]["value"],
        "/crm/deal/details/9/"
    );
}

#[test]
fn for_over_too_many_items_fails_at_run_time_with_the_pointer() {
    let build = |n: usize| {
        layout! {
            blocks: {
                s: section { blocks: { for i in 0..n { (i): text { value: i.to_string() } } } },
            },
        }
    };
    assert!(build(20).is_ok());
    let err = build(21).unwrap_err();
    assert_eq!(err.0[0].pointer, "/blocks/s/properties/blocks/20");
    assert_eq!(err.0[0].rule, Rule::TooManyBlocks);
    assert_eq!(build(0).unwrap_err().0[0].rule, Rule::TooFewBlocks);
}

#[test]
fn a_repeated_id_from_a_loop_is_an_error_not_a_lost_block() {
    let names = ["a", "b", "a"];
    let err = layout! {
        blocks: { for n in names { (n): text { value: n } } },
    }
    .unwrap_err();
    assert_eq!(err.0[0].pointer, "/blocks/a");
    assert_eq!(err.0[0].rule, Rule::DuplicateKey);
}

#[test]
fn loops_nest_and_pointers_name_the_item() {
    let groups = [("g1", vec!["x"]), ("g2", vec!["y", "y"])];
    let err = layout! {
        blocks: {
            for (g, items) in &groups {
                (g): section { blocks: { for i in items { (i): text { value: *i } } } },
            }
        },
    }
    .unwrap_err();
    assert_eq!(err.0[0].pointer, "/blocks/g2/properties/blocks/y");
}

#[test]
fn the_static_json_is_a_constant() {
    const JSON: &str = layout_json! { blocks: { hi: text { value: "Hi \"you\" </script>", size: sm } } };
    let built = layout! { blocks: { hi: text { value: "Hi \"you\" </script>", size: sm } } };
    assert_eq!(JSON, built.to_json());
    assert_eq!(
        JSON,
        r#"{"blocks":{"hi":{"type":"text","properties":{"value":"Hi \"you\" </script>","size":"sm"}}}}"#
    );
}

#[test]
fn an_empty_event_name_from_an_expression_is_refused_when_built() {
    let name = String::new();
    let err = layout! {
        blocks: { e: link { text: "x", action: layoutEvent(name.clone()) } },
    }
    .unwrap_err();
    assert_eq!(err.0[0].pointer, "/blocks/e/properties/action/value");
    assert_eq!(err.0[0].rule, b24_widgets::Rule::EmptyValue);
}
