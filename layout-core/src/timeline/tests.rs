use super::*;
use crate::pointer::Ptr;
use crate::schema::{Lang, Role};
use crate::wire::FromWire;

/// Each timeline block type is declared once (`block_types!` in timeline/blocks.rs); the
/// enum, the table's list, the containers' lists and the reader agree.
#[test]
fn one_declaration_per_timeline_block_type_and_everything_agrees() {
    let lang = Lang::Timeline;
    let names: Vec<&str> = lang.block_types().iter().map(|b| b.props.name).collect();
    assert_eq!(
        names,
        [
            "text",
            "largeText",
            "link",
            "withTitle",
            "lineOfBlocks",
            "deadline"
        ]
    );
    for b in lang.block_types() {
        let name = b.props.name;
        assert_eq!(b.props.role, Role::Block);
        assert!(lang.block_spec(name).is_some_and(|s| s.rust == b.props.rust));
        let json = serde_json::json!({"type": name, "properties": {}});
        let block = ContentBlockDto::from_wire(&json, &Ptr::Root).unwrap();
        assert_eq!(block.type_name(), name);
        assert!(
            lang.containers().iter().any(|c| c.allows(name)),
            "`{name}` is in no container"
        );
    }
    let mut bits = 0u8;
    for c in lang.containers() {
        assert_eq!(c.lang, lang);
        assert_eq!(bits & c.bit, 0, "{} shares a bit", c.parent);
        bits |= c.bit;
    }
    for b in lang.block_types() {
        for f in b.props.fields {
            if let Kind::Blocks(n) | Kind::Block(n) = f.kind {
                assert_eq!(
                    n.lang, lang,
                    "{}.{} holds another language's blocks",
                    b.props.name, f.name
                );
            }
            if let Kind::Action(l) = f.kind {
                assert_eq!(l, lang, "{}.{}", b.props.name, f.name);
            }
        }
    }
    let allowed = |n: &schema::Nest| n.allowed().collect::<Vec<_>>();
    assert_eq!(allowed(&schema::TIMELINE_TOP), names);
    assert_eq!(allowed(&schema::TIMELINE_LINE), ["text", "link", "deadline"]);
    assert_eq!(
        allowed(&schema::TIMELINE_WITH_TITLE),
        ["text", "link", "deadline"]
    );
}

/// The types both languages have are exactly the four the docs compare, and each pair
/// really differs (else it would be one declaration).
#[test]
fn the_block_types_of_both_languages_differ_where_they_share_a_name() {
    let shared: Vec<&str> = Lang::Timeline
        .block_types()
        .iter()
        .map(|b| b.props.name)
        .filter(|n| Lang::Widget.block_type(n).is_some())
        .collect();
    assert_eq!(shared, ["text", "link", "withTitle", "lineOfBlocks"]);
    for name in shared {
        let (w, t) = (
            Lang::Widget.block_spec(name).unwrap(),
            Lang::Timeline.block_spec(name).unwrap(),
        );
        let fields = |s: &StructSpec| s.fields.iter().map(|f| f.name).collect::<Vec<_>>();
        assert_ne!(fields(w), fields(t), "{name}");
        // the timeline's have `scope`, the widget's do not
        assert!(t.field("scope").is_some() && w.field("scope").is_none(), "{name}");
    }
    let actions = |l: Lang| l.actions().iter().map(|a| a.name).collect::<Vec<_>>();
    assert_eq!(actions(Lang::Timeline), ["redirect", "restEvent", "openRestApp"]);
    assert_eq!(actions(Lang::Widget), ["redirect", "layoutEvent", "openRestApp"]);
    for a in Lang::Timeline.actions() {
        let json = serde_json::json!({"type": a.name});
        let action = ActionDto::from_wire(&json, &Ptr::Root).unwrap();
        assert_eq!(action.type_name(), a.name);
        assert_eq!(serde_json::to_value(&action).unwrap()["type"], a.name);
    }
}

#[test]
fn translations_resolve_as_bitrix24_does() {
    let t = Translated::languages([("de", "Speichern"), ("en", "Save")]);
    assert_eq!(t.resolve("de"), "Speichern");
    assert_eq!(t.resolve("fr"), "Save");
    assert_eq!(Translated::languages([("de", "Nur")]).resolve("fr"), "Nur");
    assert_eq!(Translated::from("Plain").resolve("de"), "Plain");
}

#[test]
fn flags_written_as_strings_print_back_as_written() {
    let menu: FooterMenuDto =
        serde_json::from_str(r#"{"showPostponeItem":"false","showDeleteItem":true}"#).unwrap();
    assert_eq!(
        menu.showPostponeItem,
        Some(Flag {
            value: false,
            quoted: true
        })
    );
    assert_eq!(
        serde_json::to_string(&menu).unwrap(),
        r#"{"showPostponeItem":"false","showDeleteItem":true}"#
    );
    let err = serde_json::from_str::<FooterMenuDto>(r#"{"showPinItem":"no"}"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("/showPinItem: expected a boolean, found the string \"no\""),
        "{err}"
    );
}

#[test]
fn a_bare_deadline_prints_without_properties_until_it_has_one() {
    let mut block: ContentBlockDto = serde_json::from_str(r#"{"type":"deadline"}"#).unwrap();
    assert!(block.bare);
    let mut out = String::new();
    crate::write::WriteJson::write_json(&block, &mut out);
    assert_eq!(out, r#"{"type":"deadline"}"#);
    block.block = Block::deadline(Deadline::default().readonly(true));
    assert_eq!(
        serde_json::to_string(&block).unwrap(),
        r#"{"type":"deadline","properties":{"readonly":true}}"#
    );
}
