//! The example form widget, run against the mirrored portal: no browser, no portal.

#[path = "../examples/form_widget.rs"]
mod form_widget;

use b24_widgets::command::{Command, Event};
use b24_widgets::widget::Harness;
use form_widget::ContactForm;

fn error_text(run: &Harness<ContactForm>) -> Option<String> {
    let v = run.state.layout_json().unwrap();
    v["blocks"]["email"]["properties"]["errorText"]
        .as_str()
        .map(str::to_owned)
}

#[test]
fn saving_an_empty_email_shows_an_error_on_the_field() {
    let mut run = Harness::start(ContactForm::default()).unwrap();
    run.send(Event::PrimaryButtonClick).unwrap();
    assert_eq!(error_text(&run).as_deref(), Some("Enter an email"));
    assert!(!run.state.finished && !run.state.locked);
}

#[test]
fn typing_a_valid_email_clears_the_error_and_saving_finishes() {
    let mut run = Harness::start(ContactForm::default()).unwrap();
    run.send(Event::ValueChange {
        id: "email".into(),
        value: "ann".into(),
    })
    .unwrap();
    run.send(Event::PrimaryButtonClick).unwrap();
    assert_eq!(error_text(&run).as_deref(), Some("This is not an email address"));
    run.send(Event::ValueChange {
        id: "email".into(),
        value: "ann@example.com".into(),
    })
    .unwrap();
    assert_eq!(error_text(&run).as_deref(), Some(""));
    assert_eq!(run.state.value_of("email").as_deref(), Some("ann@example.com"));
    let sent = run.send(Event::PrimaryButtonClick).unwrap();
    assert_eq!(
        sent.iter().map(Command::name).collect::<Vec<_>>(),
        ["lock", "setPrimaryButtonState", "unlock", "finish"]
    );
    assert!(run.state.finished && !run.state.locked);
    assert_eq!(
        run.state.layout_json().unwrap()["primaryButton"]["state"],
        "loading"
    );
    assert_eq!(run.widget.saved.as_deref(), Some("ann@example.com"));
}

#[test]
fn cancel_finishes_without_saving() {
    let mut run = Harness::start(ContactForm::default()).unwrap();
    run.send(Event::SecondaryButtonClick).unwrap();
    assert!(run.state.finished);
    assert_eq!(run.widget.saved, None);
}
