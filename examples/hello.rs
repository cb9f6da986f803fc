//! Builds a small layout in code, validates it, and prints the JSON `setLayout` takes.
//!
//! `cargo run -q --example hello`

use b24_widgets::{ActionDto, ButtonDto, Color, LayoutDto, Link, Section, SectionType, Size, Text};

fn main() {
    let section = Section::default().r#type(SectionType::primary).blocks([
        (
            "greeting".to_owned(),
            Text::default().value("Hello from Rust!").size(Size::lg).into(),
        ),
        (
            "more".to_owned(),
            Link::default()
                .text("Open the deal")
                .action(ActionDto::redirect_to("/crm/deal/details/1/"))
                .into(),
        ),
    ]);
    let layout = LayoutDto::default()
        .blocks([
            (
                "intro".to_owned(),
                Text::default()
                    .value("A widget in the timeline")
                    .color(Color::base_70)
                    .into(),
            ),
            ("main".to_owned(), section.into()),
        ])
        .primaryButton(ButtonDto::new("Save"))
        .secondaryButton(ButtonDto::new("Cancel"));
    match layout.validate() {
        Ok(()) => println!("{}", layout.to_json_pretty()),
        Err(violations) => {
            eprintln!("{violations}");
            std::process::exit(1);
        }
    }
}
