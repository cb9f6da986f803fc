//! Property tests: random typed layouts survive print and parse unchanged; the checker
//! and the reader never panic, whatever JSON they are given.

use indexmap::IndexMap;
use layout_core::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn text_s() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-zA-Z0-9 _/:.~\\-]{1,12}", any::<String>()]
}

fn opt<T: std::fmt::Debug + Clone>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

const SIZES: &[Size] = &[Size::xs, Size::sm, Size::md, Size::lg, Size::xl];
const COLORS: &[Color] = &[
    Color::base_50,
    Color::base_70,
    Color::primary,
    Color::danger,
    Color::success,
];

fn action() -> impl Strategy<Value = ActionDto> {
    prop_oneof![
        text_s().prop_map(ActionDto::redirect_to),
        text_s().prop_map(ActionDto::event),
        (
            prop_oneof![
                Just(json!("howto")),
                Just(json!({"myId": 123})),
                Just(json!([1, null]))
            ],
            opt((opt(any::<u32>()), opt(text_s())))
        )
            .prop_map(|(v, slider)| {
                let mut a = OpenRestApp::default().value(v);
                if let Some((w, t)) = slider {
                    a = a.sliderParams(ActionSliderParamsDto {
                        width: w,
                        title: t,
                        ..Default::default()
                    });
                }
                ActionDto::openRestApp(a)
            }),
    ]
}

fn leaf() -> BoxedStrategy<ContentBlockDto> {
    prop_oneof![
        // blocks missing what they require
        Just(Text::default().into()),
        Just(Link::default().bold(true).into()),
        (text_s(), opt(any::<bool>()), opt(pick(SIZES)), opt(pick(COLORS))).prop_map(|(v, b, s, c)| {
            let mut t = Text::default().value(v);
            t.bold = b;
            t.size = s;
            t.color = c;
            t.into()
        }),
        (text_s(), action(), opt(any::<bool>())).prop_map(|(t, a, b)| {
            let mut l = Link::default().action(a).text(t);
            l.bold = b;
            l.into()
        }),
    ]
    .boxed()
}

fn ids<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = IndexMap<String, T>> {
    proptest::collection::vec(("[a-z~/]{1,6}", s), n).prop_map(|v| v.into_iter().collect())
}

fn block() -> impl Strategy<Value = ContentBlockDto> {
    leaf()
        .prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                ids(leaf(), 1..4).prop_map(|b| LineOfBlocks::default().blocks(b).into()),
                ids(inner.clone(), 1..4).prop_map(|b| List::default().blocks(b).into()),
                (text_s(), any::<bool>(), inner.clone()).prop_map(|(t, i, b)| WithTitle::default()
                    .title(t)
                    .block(b)
                    .inline(i)
                    .into()),
                (ids(text_s(), 1..4), opt(text_s())).prop_map(|(values, sel)| {
                    let mut d = Select::default().values(values);
                    d.selectedValue = sel;
                    d.into()
                }),
                (ids(text_s(), 1..4)).prop_map(|values| DropdownMenu::default().values(values).into()),
                (opt(text_s()), opt(text_s()), opt(any::<bool>())).prop_map(|(t, v, d)| {
                    Input {
                        title: t,
                        value: v,
                        disabled: d,
                        placeholder: Some("p".into()),
                        ..Default::default()
                    }
                    .into()
                }),
                (opt(text_s()), opt(text_s())).prop_map(|(t, v)| Textarea {
                    title: t,
                    value: v,
                    ..Default::default()
                }
                .into()),
                (
                    ids(inner, 1..5),
                    opt(pick(&[SectionType::default, SectionType::withBorder])),
                    opt(text_s())
                )
                    .prop_map(|(b, ty, img)| {
                        let mut s = Section::default().blocks(b);
                        s.r#type = ty;
                        s.imageSrc = img;
                        s.into()
                    }),
            ]
        })
        .prop_flat_map(|b| (Just(b), opt(any::<bool>())))
        .prop_map(|(b, v)| match v {
            Some(v) => b.visible(v),
            None => b,
        })
}

fn layout() -> impl Strategy<Value = LayoutDto> {
    (
        ids(block(), 1..5),
        opt((
            text_s(),
            opt(pick(&[
                ButtonState::normal,
                ButtonState::disabled,
                ButtonState::loading,
            ])),
        )),
    )
        .prop_map(|(blocks, button)| {
            let mut l = LayoutDto::default().blocks(blocks);
            if let Some((title, state)) = button {
                let mut b = ButtonDto::new(title);
                b.state = state;
                l = l.primaryButton(b);
                if state == Some(ButtonState::loading) {
                    // a button without its title
                    l = l.secondaryButton(ButtonDto::default());
                }
            }
            l
        })
}

/// Any JSON value, biased towards the vocabulary of layouts so that deep paths are hit.
fn json_value() -> impl Strategy<Value = Value> {
    let word = prop_oneof![
        pick(&[
            "blocks",
            "type",
            "properties",
            "visible",
            "value",
            "text",
            "link",
            "section",
            "list",
            "lineOfBlocks",
            "withTitle",
            "block",
            "select",
            "values",
            "selectedValue",
            "action",
            "redirect",
            "uri",
            "openRestApp",
            "sliderParams",
            "width",
            "leftBoundary",
            "titleWidth",
            "inline",
            "imageSrc",
            "size",
            "color",
            "title",
            "primaryButton",
            "state",
            "dropdownMenu",
            "input",
            "layoutEvent",
            "javascript:x",
            "md",
            "base_90",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        word.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((word.clone(), inner), 0..6)
                .prop_map(|v| Value::Object(v.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn typed_layouts_print_and_parse_back_equal(layout in layout()) {
        let text = layout.to_json();
        let back: LayoutDto = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &layout);
        prop_assert_eq!(back.to_json(), text.clone());
        // the reader of outside JSON agrees with the model on every valid layout
        if layout.validate().is_ok() {
            let read = LayoutDto::from_json(&text).unwrap();
            prop_assert_eq!(read.to_json(), text);
        }
    }

    #[test]
    fn validate_finds_what_the_check_of_the_json_finds(layout in layout()) {
        // `validate` walks the typed model; `check_value` the JSON it prints
        let typed = layout.validate().err().map(|v| v.0).unwrap_or_default();
        let json = layout_core::json::check_value(&layout.to_value()).err().map(|v| v.0).unwrap_or_default();
        prop_assert_eq!(typed, json);
    }

    #[test]
    fn to_json_writes_what_serde_json_writes(layout in layout()) {
        // to_json() is the model's own writer (layout_core::write); serde's Serialize is
        // the other way out: the same bytes, whatever the text holds
        prop_assert_eq!(layout.to_json(), serde_json::to_string(&layout).unwrap());
        // the indented text goes through the Value (layout_core::write::pretty): the same
        // text as serde_json's pretty writer on the model itself
        prop_assert_eq!(layout.to_json_pretty(), serde_json::to_string_pretty(&layout).unwrap());
    }

    #[test]
    fn the_quick_verdict_is_the_full_checkers(layout in layout()) {
        // validate() answers "valid" without the checker when the model keeps every rule
        // (layout_core::fast); it must say so exactly when the checker finds nothing
        let full = layout.validate_full();
        prop_assert_eq!(layout.validate().is_ok(), full.is_ok(), "{:?}", full);
    }

    #[test]
    fn checking_any_json_never_panics(value in json_value()) {
        let checked = LayoutDto::from_value(&value);
        // whatever passes the rules also converts and prints back to the same value
        if let Ok(layout) = checked {
            prop_assert_eq!(layout.to_value(), value);
        }
    }

    #[test]
    fn checking_a_mutated_layout_never_panics(layout in layout(), value in json_value(), path in proptest::collection::vec(0usize..8, 1..6)) {
        let mut root = layout.to_value();
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
        *root.pointer_mut(&pointer).unwrap() = value;
        let _ = LayoutDto::from_value(&root);
        let _ = LayoutDto::from_json(&root.to_string());
    }

    #[test]
    fn reading_any_text_never_panics(text in any::<String>()) {
        let _ = LayoutDto::from_json(&text);
        let map = layout_core::position::SourceMap::new(&text);
        let _ = map.locate(&Violation::new("/blocks/a", Rule::MissingRequired, "x"));
    }

    #[test]
    fn every_value_is_found_where_it_is_written(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
        let map = layout_core::position::SourceMap::new(&text);
        // compared with the text read whole by the same parser (floats read back alike)
        let whole: Value = serde_json::from_str(&text).unwrap();
        let mut pointers = vec![(String::new(), &whole)];
        while let Some((pointer, v)) = pointers.pop() {
            let offset = map.value_offset(&pointer);
            prop_assert!(offset.is_some(), "{} not found", pointer);
            let mut de = serde_json::Deserializer::from_str(&text[offset.unwrap()..]);
            let read = <Value as serde_core::Deserialize>::deserialize(&mut de).unwrap();
            prop_assert_eq!(&read, v);
            match v {
                Value::Object(m) => pointers.extend(m.iter().map(|(k, c)| (layout_core::pointer::join(&pointer, k), c))),
                Value::Array(a) => pointers.extend(a.iter().enumerate().map(|(i, c)| (layout_core::pointer::join(&pointer, &i.to_string()), c))),
                _ => {}
            }
        }
    }
}

/// Any JSON value, a few levels deep, with the bridge's keys likely.
fn bridge_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just("layoutEvent".to_owned()),
            Just("valueChange".to_owned()),
            Just("primaryButtonClick".to_owned()),
            Just("secondaryButtonClick".to_owned()),
            Just("entityUpdate".to_owned()),
            "\\PC{0,12}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("kind".to_owned()),
                        Just("id".to_owned()),
                        Just("value".to_owned()),
                        "[a-z]{1,6}"
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The bridge's events come from a browser: whatever it posts is read or refused with
    /// a message, never a panic; what is read says the kind it was sent as.
    #[test]
    fn any_bridge_event_is_read_or_refused_without_panic(v in bridge_json()) {
        use layout_core::command::{Event, EVENT_KINDS};
        match Event::from_bridge(&v) {
            Ok(event) => {
                let kind = v["kind"].as_str().unwrap_or_default();
                prop_assert!(EVENT_KINDS.contains(&kind));
                let expected = match &event {
                    Event::Layout { .. } => "layoutEvent",
                    Event::ValueChange { .. } => "valueChange",
                    Event::PrimaryButtonClick => "primaryButtonClick",
                    Event::SecondaryButtonClick => "secondaryButtonClick",
                    Event::EntityUpdate => "entityUpdate",
                    Event::ObjectChanged { .. } => "objectChanged (never from the bridge)",
                };
                prop_assert_eq!(kind, expected);
            }
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }
}
