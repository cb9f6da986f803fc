//! The three "Examples of LayoutDto" of the Bitrix24 docs, written with `layout!`, printed
//! as compact JSON, one per line, in the docs' order.
//!
//! `cargo run -q --example doc_examples`

use b24_widgets::{layout, layout_json, LayoutDto};

/// A layout and its compile-time JSON, from one source.
macro_rules! layout_and_json {
    ($($layout:tt)*) => {
        (layout! { $($layout)* }, layout_json! { $($layout)* })
    };
}

/// A section with an image, a list and a link to the app's slider; a lineOfBlocks.
pub fn example1() -> (LayoutDto, &'static str) {
    layout_and_json! {
        blocks: {
            section1: section {
                type: withBorder,
                imageSrc: "https://helpdesk.bitrix24.com/examples/section.png",
                blocks: {
                    header: text { value: " Send the client a link to the meeting", size: xl, color: base_90 },
                    notes: list {
                        blocks: {
                            li1: text { value: "The client will choose a convenient slot", color: base_70 },
                            li2: text { value: "The meeting will appear in your activities", color: base_70 },
                        },
                    },
                    howto: link { text: "How does it work?", action: openRestApp("howto") },
                },
            },
            section2: section {
                type: primary,
                blocks: {
                    sectionText: lineOfBlocks {
                        blocks: {
                            block1: text {
                                value: "If you haven't tried the sales generator yet, now is the time to test this tool in action",
                                color: base_70,
                            },
                            block2: link { text: "Learn more", action: redirect("/crm/") },
                        },
                    },
                },
            },
        },
        primaryButton: { title: "Enable" },
        secondaryButton: { title: "Cancel" },
    }
}

/// A multi-line text and an error section, with both buttons disabled.
pub fn example2() -> (LayoutDto, &'static str) {
    layout_and_json! {
        blocks: {
            errorMessage: text {
                value: "Use all the capabilities of mobile SMS marketing\nSending SMS is easy to set up and use in Bitrix24 CRM\nSend messages directly from the deal, lead, client, invoice, or estimate card.",
                size: sm,
                color: base_70,
                multiline: true,
            },
            section1: section {
                type: danger,
                blocks: {
                    errorMessage: text { value: "An error occurred. Please try again", color: danger },
                },
            },
        },
        primaryButton: { title: "Enable", state: disabled },
        secondaryButton: { title: "Cancel", state: disabled },
    }
}

/// A form of three inputs.
pub fn example3() -> (LayoutDto, &'static str) {
    layout_and_json! {
        blocks: {
            name: input { value: "John", placeholder: "Enter name", title: "Name" },
            lastname: input { value: "Doe", placeholder: "", title: "Last Name" },
            secondname: input { value: "", placeholder: "Enter middle name", title: "Middle Name" },
        },
        primaryButton: { title: "Save" },
        secondaryButton: { title: "Cancel" },
    }
}

#[allow(dead_code)]
fn main() {
    for (layout, _) in [example1(), example2(), example3()] {
        println!("{}", layout.to_json());
    }
}
