//! A whole widget in plain Rust: a contact form that checks the email, shows an error on
//! the field, and on save locks the interface, shows the button loading, then finishes.
//! `tests/form_widget.rs` runs it against the mirrored portal, with no browser.
//!
//! `cargo run -q --example form_widget` prints the commands of one session.

use b24_widgets::command::{Binding, ButtonPatch, Command, Event, ItemState};
use b24_widgets::widget::{Harness, Widget};
use b24_widgets::{layout, ButtonState, Input, LayoutDto};

/// The form's own state: what the user typed.
#[derive(Default)]
pub struct ContactForm {
    pub email: String,
    pub saved: Option<String>,
}

impl ContactForm {
    fn email_error(&self) -> Option<&'static str> {
        if self.email.is_empty() {
            Some("Enter an email")
        } else if !self.email.contains('@') || self.email.starts_with('@') || self.email.ends_with('@') {
            Some("This is not an email address")
        } else {
            None
        }
    }
}

impl Widget for ContactForm {
    fn view(&self) -> LayoutDto {
        layout! {
            blocks: {
                intro: text { value: "Where should we send the offer?", color: base_70 },
                email: input { title: "Email", value: self.email.clone(), placeholder: "name@example.com" },
            },
            primaryButton: "Save",
            secondaryButton: "Cancel",
        }
    }

    fn update(&mut self, event: &Event) -> Vec<Command> {
        match event {
            Event::ValueChange { id, value } if id == "email" => {
                self.email = value.clone();
                // clear a shown error as soon as the value is fine
                match self.email_error() {
                    None => vec![Command::SetLayoutItemState(
                        ItemState::new("email").properties(Input::default().errorText("")),
                    )],
                    Some(_) => Vec::new(),
                }
            }
            Event::PrimaryButtonClick => match self.email_error() {
                Some(error) => {
                    vec![Command::SetLayoutItemState(
                        ItemState::new("email").properties(Input::default().errorText(error)),
                    )]
                }
                None => {
                    self.saved = Some(self.email.clone());
                    vec![
                        Command::Lock,
                        Command::SetPrimaryButtonState(Some(ButtonPatch::state(ButtonState::loading))),
                        // ... the app saves here (a REST call) ...
                        Command::Unlock,
                        Command::Finish,
                    ]
                }
            },
            Event::SecondaryButtonClick => vec![Command::Finish],
            _ => Vec::new(),
        }
    }
}

/// The registrations a frame makes when the widget opens.
pub fn bindings() -> Vec<Command> {
    vec![
        Command::Bind(Binding::ValueChange(Some("email".into()))),
        Command::Bind(Binding::PrimaryButtonClick),
        Command::Bind(Binding::SecondaryButtonClick),
    ]
}

#[allow(dead_code)]
fn main() {
    let mut run = Harness::start(ContactForm::default()).expect("the form's layout is valid");
    for c in bindings() {
        run.state.apply(&c).expect("bindings apply");
        run.sent.push(c);
    }
    for event in [
        Event::PrimaryButtonClick,
        Event::ValueChange {
            id: "email".into(),
            value: "ann@example.com".into(),
        },
        Event::PrimaryButtonClick,
    ] {
        run.send(event).expect("the widget's commands apply");
    }
    for c in &run.sent {
        println!("{}", c.to_json());
    }
}
