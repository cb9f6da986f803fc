//! The project's example layouts as pretty JSON snapshots (insta). A change to a layout
//! or to the printer shows up as a snapshot diff: review it with `cargo insta review`, or
//! regenerate with `INSTA_UPDATE=always cargo test --test snapshots`.

#[path = "../examples/doc_examples.rs"]
mod doc_examples;

#[test]
fn doc_example_1() {
    insta::assert_json_snapshot!(doc_examples::example1().0);
}

#[test]
fn doc_example_2() {
    insta::assert_json_snapshot!(doc_examples::example2().0);
}

#[test]
fn doc_example_3() {
    insta::assert_json_snapshot!(doc_examples::example3().0);
}

#[test]
fn a_form_with_a_loop() {
    let cities = [("nyc", "New York"), ("la", "Los Angeles")];
    let layout = b24_widgets::layout! {
        blocks: {
            form: section {
                type: withBorder,
                blocks: {
                    email: input { title: "Email", placeholder: "name@example.com" },
                    city: select { title: "City", selectedValue: "la", values: { nyc: "New York", la: "Los Angeles" } },
                    links: list {
                        blocks: {
                            for (code, name) in cities {
                                (code): link { text: name, action: layoutEvent(format!("city:{code}")) },
                            }
                        },
                    },
                },
            },
        },
        primaryButton: "Save",
        secondaryButton: { title: "Cancel" },
    }
    .expect("a valid layout");
    insta::assert_json_snapshot!(layout);
}
