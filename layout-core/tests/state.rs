//! Commands and events applied to the mirrored state, as the portal applies them.

use layout_core::command::{Binding, ButtonPatch, Command, Event, ItemState};
use layout_core::state::{StateError, WidgetState};
use layout_core::{ButtonState, Input, LayoutDto, Rule, Section, Text};
use serde_json::json;

fn layout() -> LayoutDto {
    LayoutDto::from_value(&json!({
        "blocks": {
            "title": {"type": "text", "properties": {"value": "Contact"}},
            "form": {"type": "section", "properties": {"blocks": {
                "email": {"type": "input", "properties": {"title": "Email", "value": ""}},
                "city": {"type": "select", "properties": {"values": {"nyc": "New York", "la": "LA"}}}
            }}},
            "errorMessage": {"type": "text", "properties": {"value": "top"}},
            "s2": {"type": "section", "properties": {"blocks": {
                "errorMessage": {"type": "text", "properties": {"value": "inner"}}
            }}}
        },
        "primaryButton": {"title": "Save"}
    }))
    .unwrap()
}

fn state() -> WidgetState {
    WidgetState::new(&layout()).unwrap()
}

#[test]
fn item_state_finds_nested_blocks_and_merges_shallowly() {
    let mut s = state();
    s.apply(&Command::SetLayoutItemState(
        ItemState::new("email").properties(Input::default().errorText("Invalid email")),
    ))
    .unwrap();
    s.apply(&Command::SetLayoutItemState(
        ItemState::new("title").visible(false),
    ))
    .unwrap();
    let v = s.layout_json().unwrap();
    assert_eq!(
        v["blocks"]["form"]["properties"]["blocks"]["email"]["properties"],
        json!({"title": "Email", "value": "", "errorText": "Invalid email"})
    );
    assert_eq!(v["blocks"]["title"]["visible"], false);
    assert!(s.layout().unwrap().validate().is_ok());
}

#[test]
fn an_unknown_id_is_refused_with_a_suggestion() {
    let e = state()
        .apply(&Command::SetLayoutItemState(
            ItemState::new("emial").visible(false),
        ))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "no block has the id `emial`; did you mean `email`?"
    );
}

#[test]
fn an_ambiguous_id_names_every_pointer() {
    let e = state()
        .apply(&Command::SetLayoutItemState(
            ItemState::new("errorMessage").visible(false),
        ))
        .unwrap_err();
    assert_eq!(
        e,
        StateError::AmbiguousId {
            id: "errorMessage".into(),
            pointers: vec![
                "/blocks/errorMessage".into(),
                "/blocks/s2/properties/blocks/errorMessage".into()
            ]
        }
    );
}

#[test]
fn a_property_the_block_does_not_have_is_refused() {
    let cmd = Command::from_json(
        "setLayoutItemState",
        &json!({"id": "email", "properties": {"bold": true}}),
    )
    .unwrap();
    let e = state().apply(&cmd).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/blocks/form/properties/blocks/email: an `input` block has no property `bold`; it has: title, value, placeholder, disabled, errorText"
    );
}

#[test]
fn an_invalid_value_or_a_broken_rule_is_refused_and_changes_nothing() {
    let mut s = state();
    let before = s.layout_json();
    let cmd = Command::from_json(
        "setLayoutItemState",
        &json!({"id": "title", "properties": {"size": "huge"}}),
    )
    .unwrap();
    let StateError::Invalid(v) = s.apply(&cmd).unwrap_err() else {
        panic!()
    };
    assert_eq!(
        (v.0[0].pointer.as_str(), v.0[0].rule),
        ("/blocks/title/properties/size", Rule::InvalidValue)
    );
    // a 21st block in a section
    let blocks: serde_json::Map<_, _> = (0..21)
        .map(|i| {
            (
                format!("b{i}"),
                json!({"type": "text", "properties": {"value": "x"}}),
            )
        })
        .collect();
    let cmd = Command::from_json(
        "setLayoutItemState",
        &json!({"id": "form", "properties": {"blocks": blocks}}),
    )
    .unwrap();
    let StateError::Invalid(v) = s.apply(&cmd).unwrap_err() else {
        panic!()
    };
    assert_eq!(
        (v.0[0].pointer.as_str(), v.0[0].rule),
        ("/blocks/form/properties/blocks/b20", Rule::TooManyBlocks)
    );
    let cmd = Command::from_json(
        "setLayoutItemState",
        &json!({"id": "city", "properties": {"selectedValue": "sf"}}),
    )
    .unwrap();
    assert!(s.apply(&cmd).is_err());
    assert_eq!(s.layout_json(), before);
}

#[test]
fn replacing_a_container_reindexes_its_children() {
    let mut s = state();
    let section = Section::default().blocks([("fresh".to_owned(), Text::default().value("new").into())]);
    s.apply(&Command::SetLayoutItemState(
        ItemState::new("form").properties(section),
    ))
    .unwrap();
    s.apply(&Command::SetLayoutItemState(
        ItemState::new("fresh").visible(false),
    ))
    .unwrap();
    assert!(s
        .apply(&Command::SetLayoutItemState(
            ItemState::new("email").visible(false)
        ))
        .is_err());
}

#[test]
fn buttons_merge_hide_and_need_a_title() {
    let mut s = state();
    s.apply(&Command::SetPrimaryButtonState(Some(ButtonPatch::state(
        ButtonState::loading,
    ))))
    .unwrap();
    assert_eq!(
        s.layout_json().unwrap()["primaryButton"],
        json!({"title": "Save", "state": "loading"})
    );
    s.apply(&Command::SetPrimaryButtonState(None)).unwrap();
    assert!(s.layout_json().unwrap().get("primaryButton").is_none());
    // a button shown again needs its title: the rule of the table, with its pointer
    let hide = Command::SetSecondaryButtonState(Some(ButtonPatch::state(ButtonState::disabled)));
    let StateError::Invalid(v) = s.apply(&hide).unwrap_err() else {
        panic!()
    };
    assert_eq!(
        (v.0[0].pointer.as_str(), v.0[0].rule),
        ("/secondaryButton/title", Rule::MissingRequired)
    );
    assert!(s.layout_json().unwrap().get("secondaryButton").is_none());
    s.apply(&Command::SetSecondaryButtonState(Some(ButtonPatch::title(
        "Cancel",
    ))))
    .unwrap();
    assert_eq!(
        s.layout().unwrap().secondaryButton.unwrap().title.as_deref(),
        Some("Cancel")
    );
}

#[test]
fn lock_unlock_finish_and_bindings() {
    let mut s = state();
    for c in [
        Command::Lock,
        Command::Bind(Binding::PrimaryButtonClick),
        Command::Bind(Binding::PrimaryButtonClick),
    ] {
        s.apply(&c).unwrap();
    }
    assert!(s.locked);
    assert_eq!(s.bindings, [Binding::PrimaryButtonClick]);
    s.apply(&Command::Unlock).unwrap();
    s.apply(&Command::Finish).unwrap();
    assert!(!s.locked && s.finished);
}

#[test]
fn a_value_change_updates_the_mirrored_value() {
    let mut s = state();
    s.on_event(&Event::ValueChange {
        id: "email".into(),
        value: "a@b.c".into(),
    })
    .unwrap();
    s.on_event(&Event::ValueChange {
        id: "city".into(),
        value: "la".into(),
    })
    .unwrap();
    assert_eq!(s.value_of("email").as_deref(), Some("a@b.c"));
    assert_eq!(s.value_of("city").as_deref(), Some("la"));
    assert!(matches!(
        s.on_event(&Event::ValueChange {
            id: "title".into(),
            value: "x".into()
        }),
        Err(StateError::NoValue { .. })
    ));
    let e = Event::from_frame(&Binding::ValueChange(None), &json!({"id": "email", "value": "z"})).unwrap();
    assert_eq!(
        e,
        Event::ValueChange {
            id: "email".into(),
            value: "z".into()
        }
    );
}

mod properties {
    use super::*;
    use layout_core::command::COMMANDS;
    use proptest::prelude::*;
    use serde_json::Value;

    fn json_value() -> impl Strategy<Value = Value> {
        let word = prop_oneof![
            proptest::sample::select(&[
                "id",
                "visible",
                "properties",
                "email",
                "city",
                "form",
                "title",
                "value",
                "errorText",
                "blocks",
                "selectedValue",
                "state",
                "loading",
                "size",
                "type",
                "text",
                "section",
                "nyc",
            ])
            .prop_map(str::to_owned),
            any::<String>(),
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            word.clone().prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 48, 5, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                proptest::collection::vec((word.clone(), inner), 0..5)
                    .prop_map(|v| Value::Object(v.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_command_json_is_read_and_applied_without_panic(
            name in prop_oneof![proptest::sample::select(COMMANDS).prop_map(str::to_owned), any::<String>()],
            params in json_value(),
        ) {
            let mut s = state();
            let before = s.layout_json();
            if let Ok(c) = Command::from_json(&name, &params) {
                if s.apply(&c).is_err() {
                    // a refused command changes nothing
                    prop_assert_eq!(s.layout_json(), before);
                } else if let Some(l) = s.layout() {
                    prop_assert!(l.validate().is_ok());
                }
            }
        }
    }
}
