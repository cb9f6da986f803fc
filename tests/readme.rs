//! The examples of README.md, kept true.

use b24_widgets::{layout, layout_json};

#[test]
fn the_dsl_example_prints_the_json_shown() {
    let layout = layout! {
        blocks: {
            errorMessage: text {
                value: "Use all the capabilities of mobile SMS marketing",
                size: sm,
                color: base_70,
                multiline: true,
            },
            section1: section {
                type: danger,
                blocks: {
                    errorMessage: text { value: "An error occurred. Please try again", color: danger },
                    more: link { text: "Learn more", action: redirect("/crm/") },
                },
            },
        },
        primaryButton: { title: "Enable", state: disabled },
        secondaryButton: "Cancel",
    };
    let readme = include_str!("../README.md");
    let json = layout.to_json();
    assert!(
        readme.contains(&format!("```json\n{json}\n```")),
        "README shows another JSON than {json}"
    );
}

struct Deal {
    id: u32,
    title: String,
}

fn deals_layout(deals: &[Deal]) -> Result<b24_widgets::LayoutDto, b24_widgets::Violations> {
    let layout = layout! {
        blocks: {
            title: text { value: "Open deals", bold: true },
            if deals.is_empty() {
                empty: text { value: "Nothing to do", color: base_60 },
            } else {
                deals: list {
                    blocks: {
                        for deal in deals {
                            (format!("deal{}", deal.id)): link {
                                text: deal.title.clone(),
                                action: redirect(format!("/crm/deal/details/{}/", deal.id)),
                            },
                        }
                    },
                },
            }
        },
    }?;
    Ok(layout)
}

#[test]
fn the_if_and_for_example_works() {
    let empty = deals_layout(&[]).unwrap();
    assert_eq!(
        empty.blocks.unwrap().keys().collect::<Vec<_>>(),
        ["title", "empty"]
    );
    let two = deals_layout(&[
        Deal {
            id: 1,
            title: "A".into(),
        },
        Deal {
            id: 2,
            title: "B".into(),
        },
    ])
    .unwrap();
    let v = two.to_value();
    assert_eq!(
        v["blocks"]["deals"]["properties"]["blocks"]["deal2"]["properties"]["text"],
        "B"
    );
}

#[test]
fn the_layout_json_example_is_a_constant() {
    const LAYOUT: &str = layout_json! {
        blocks: { hello: text { value: "Hello!" } },
    };
    assert_eq!(
        LAYOUT,
        r#"{"blocks":{"hello":{"type":"text","properties":{"value":"Hello!"}}}}"#
    );
}

#[test]
fn the_typed_model_example_prints_the_json_shown() {
    use b24_widgets::{ActionDto, ButtonDto, LayoutDto, Link, Section, SectionType, Size, Text};
    let layout = LayoutDto::default()
        .blocks([(
            "main".to_owned(),
            Section::default()
                .r#type(SectionType::primary)
                .blocks([
                    (
                        "hello".to_owned(),
                        Text::default().value("Hello!").size(Size::lg).into(),
                    ),
                    (
                        "more".to_owned(),
                        Link::default()
                            .text("Learn more")
                            .action(ActionDto::redirect_to("/crm/"))
                            .into(),
                    ),
                ])
                .into(),
        )])
        .primaryButton(ButtonDto::new("Save"));
    layout.validate().unwrap();
    assert_eq!(
        layout.to_json(),
        r#"{"blocks":{"main":{"type":"section","properties":{"type":"primary","blocks":{"hello":{"type":"text","properties":{"value":"Hello!","size":"lg"}},"more":{"type":"link","properties":{"text":"Learn more","action":{"type":"redirect","value":"/crm/"}}}}}}},"primaryButton":{"title":"Save"}}"#
    );
}

#[test]
fn the_rest_example_is_the_one_that_runs() {
    // examples/read_deal.rs compiles and runs against the local portal; README shows it
    let example = include_str!("../examples/read_deal.rs");
    let start = example.find("// README: read and write\n").unwrap() + "// README: read and write\n".len();
    let end = example.find("// README: end").unwrap();
    let readme = include_str!("../README.md");
    assert!(
        readme.contains(&format!("```rust\n{}```", &example[start..end])),
        "README shows another REST example"
    );
}

/// The demo's lines between `// README: NAME` and the next `// README: end...`, out of
/// their indentation: what README shows.
fn demo_part(name: &str) -> String {
    let demo = include_str!("../examples/demo.rs");
    let marker = format!("// README: {name}\n");
    let at = demo
        .find(&marker)
        .unwrap_or_else(|| panic!("no marker {marker:?}"));
    let indent = demo[..at].rsplit('\n').next().unwrap_or("");
    let start = at + marker.len();
    let end = start + demo[start..].find("// README: end").unwrap();
    let end = demo[..end].rfind('\n').map_or(end, |i| i + 1);
    demo[start..end]
        .lines()
        .map(|l| format!("{}\n", l.strip_prefix(indent).unwrap_or(l)))
        .collect()
}

#[test]
fn the_demos_examples_are_those_readme_shows() {
    let readme = include_str!("../README.md");
    for name in ["async widget", "events", "timeline", "fields"] {
        assert!(
            readme.contains(&format!("```rust\n{}```", demo_part(name))),
            "README shows another {name} example"
        );
    }
}

#[test]
fn the_b24_toml_example_is_valid() {
    let readme = include_str!("../README.md");
    let from = readme.find("## Start an app").unwrap();
    let start = readme[from..].find("  ```toml\n").unwrap() + from + "  ```toml\n".len();
    let end = readme[start..].find("  ```").unwrap() + start;
    let text: String = readme[start..end]
        .lines()
        .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
        .collect();
    let app = b24_widgets::server::app::App::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(app.scopes, ["crm", "placement"]);
    assert_eq!(app.placements.len(), 1);
    assert_eq!(app.events.len(), 1);
}

#[test]
fn the_fields_errors_shown_are_the_compilers() {
    let readme = include_str!("../README.md");
    let stderr = include_str!("ui/fields_every_mistake.stderr");
    let start = readme
        .find("```text\nerror: the portal has no field `TITEL`")
        .expect("README shows fields!'s errors");
    let block = &readme[start + 8..];
    let block = &block[..block.find("```").unwrap()];
    for error in block.trim_end().split("\n\n") {
        assert!(stderr.contains(error), "not in the compiler's output:\n{error}");
    }
}
