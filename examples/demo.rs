//! The demo: a deal widget served on 127.0.0.1, with a local preview of the portal.
//!
//! `cargo run --example demo`, then open the printed URL. `PORT` sets the port (3000).
//! `/` is the preview; `/handler` is the URL to give placement.bind.

use b24_widgets::command::{ButtonPatch, Command, Event, ItemState};
use b24_widgets::server::{router, run, WidgetHost};
use b24_widgets::widget::Widget;
use b24_widgets::{layout, ButtonState, Input, LayoutDto};

/// A deal widget: a contact form with validation, a link that shows or hides the details,
/// and a save button that locks, saves and finishes.
#[derive(Default)]
pub struct DealWidget {
    pub name: String,
    pub email: String,
    pub details_shown: bool,
}

impl DealWidget {
    fn errors(&self) -> Vec<Command> {
        let mut out = Vec::new();
        let name_error = if self.name.trim().is_empty() {
            "Enter the contact's name"
        } else {
            ""
        };
        let email_error = if self.email.contains('@') {
            ""
        } else {
            "Enter an email address"
        };
        out.push(Command::SetLayoutItemState(
            ItemState::new("name").properties(Input::default().errorText(name_error)),
        ));
        out.push(Command::SetLayoutItemState(
            ItemState::new("email").properties(Input::default().errorText(email_error)),
        ));
        out
    }
}

impl Widget for DealWidget {
    fn view(&self) -> LayoutDto {
        layout! {
            blocks: {
                intro: section {
                    type: primary,
                    blocks: {
                        header: text { value: "Send the client a meeting link", size: lg, bold: true },
                        more: lineOfBlocks {
                            blocks: {
                                hint: text { value: "The client picks a slot; the meeting lands in your activities.", color: base_70 },
                                toggle: link { text: "Details", action: layoutEvent("toggleDetails") },
                            },
                        },
                    },
                },
                details: list {
                    visible: false,
                    blocks: {
                        li1: text { value: "Slots come from your calendar" },
                        li2: link { text: "Open the deal list", action: redirect("/crm/deal/list/") },
                    },
                },
                name: input { title: "Contact name", placeholder: "Ann Smith" },
                email: input { title: "Email", placeholder: "ann@example.com" },
                channel: select { title: "Send by", values: { email: "Email", sms: "SMS" }, selectedValue: "email" },
            },
            primaryButton: "Send",
            secondaryButton: "Cancel",
        }
    }

    fn update(&mut self, event: &Event) -> Vec<Command> {
        match event {
            Event::ValueChange { id, value } if id == "name" => {
                self.name = value.clone();
                Vec::new()
            }
            Event::ValueChange { id, value } if id == "email" => {
                self.email = value.clone();
                Vec::new()
            }
            Event::Layout { value, .. } if value == "toggleDetails" => {
                self.details_shown = !self.details_shown;
                vec![Command::SetLayoutItemState(
                    ItemState::new("details").visible(self.details_shown),
                )]
            }
            Event::PrimaryButtonClick => {
                if self.name.trim().is_empty() || !self.email.contains('@') {
                    return self.errors();
                }
                let mut out = self.errors();
                out.extend([
                    Command::Lock,
                    Command::SetPrimaryButtonState(Some(ButtonPatch::state(ButtonState::loading))),
                    // ... a real app saves here, with the REST API ...
                    Command::Unlock,
                    Command::Finish,
                ]);
                out
            }
            Event::SecondaryButtonClick => vec![Command::Finish],
            _ => Vec::new(),
        }
    }
}

#[allow(dead_code)]
fn main() {
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p.parse().unwrap_or_else(|_| {
            eprintln!("PORT must be a port number, not {p:?}");
            std::process::exit(2)
        }),
        Err(_) => 3000,
    };
    // the local portal's REST side beside the widget: /rest/... and /oauth/token/
    let portal = b24_widgets::portal::Portal::new(b24_widgets::portal::Config::default());
    let app = router(WidgetHost::new(|_request| DealWidget::default()))
        .merge(b24_widgets::portal::router(portal.clone()));
    let served = run(("127.0.0.1", port), app, |addr| {
        println!("Widget preview: http://{addr}/");
        println!(
            "Handler for placement.bind: http://{addr}/handler (behind an https tunnel for a real portal)"
        );
        let hook = portal.webhook_url(&format!("http://{addr}"));
        println!(
            "Local portal REST: b24 call crm.deal.get '{{\"id\": 1}}' --webhook {}",
            hook.expose()
        );
    });
    if let Err(e) = served {
        eprintln!("cannot serve on 127.0.0.1:{port}: {e}");
        std::process::exit(1)
    }
}
