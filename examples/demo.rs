//! The demo: a deal widget that reads its deal over REST and adds a comment to its
//! timeline, served on 127.0.0.1 beside a local portal (REST, tokens, a timeline), with a
//! preview of the card.
//!
//! `cargo run --example demo`, then open the printed URL. `PORT` sets the port (3000);
//! `DEMO_SAVE_DELAY_MS` how long the local portal takes to save (600), so that the
//! button's loading state can be seen. `/` is the preview; `/handler` is the URL to give
//! placement.bind; `/rest/...` is the local portal.

use std::sync::Arc;
use std::time::Duration;

use b24_widgets::command::{ButtonPatch, Command, Event, ItemState};
use b24_widgets::placement::Entity;
use b24_widgets::portal::{Config, Portal};
use b24_widgets::request::HandlerRequest;
use b24_widgets::rest::{Client, OAuthApp};
use b24_widgets::server::{router_with_preview, run, Preview, WidgetHost};
use b24_widgets::widget::{AsyncWidget, Frame, UpdateError};
use b24_widgets::{layout, ButtonState, LayoutDto, Textarea, Violations};

/// The app's credentials on the local portal (to refresh an expired token).
const CLIENT_ID: &str = "local.demo";
const CLIENT_SECRET: &str = "demo-client-secret";

/// A deal widget: the deal's title and amount read over REST, details shown on demand,
/// and a comment added to the deal's timeline.
pub struct DealWidget {
    client: Client,
    entity: Entity,
    id: u64,
    title: String,
    amount: String,
    stage: String,
    details_shown: bool,
}

impl DealWidget {
    /// Opens the widget for the deal of the handler request: reads it first.
    pub async fn open(request: HandlerRequest) -> Result<Self, UpdateError> {
        let client = Client::from_request(&request)?
            .app(OAuthApp::new(CLIENT_ID, CLIENT_SECRET))
            .build()?;
        let (entity, id) = request.entity().ok_or("this widget opens on a deal card")?;
        let deal = client.get(entity, id).await?;
        let text = |name: &str| deal.text(name).unwrap_or_default().to_owned();
        Ok(DealWidget {
            title: deal.title().unwrap_or("(no title)").to_owned(),
            amount: format!("{} {}", text("OPPORTUNITY"), text("CURRENCY_ID")),
            stage: text("STAGE_ID"),
            client,
            entity,
            id,
            details_shown: false,
        })
    }

    fn comment_error(text: &str) -> Command {
        Command::SetLayoutItemState(ItemState::new("comment").properties(Textarea::default().errorText(text)))
    }
}

// README: async widget
impl AsyncWidget for DealWidget {
    fn view(&self) -> Result<LayoutDto, Violations> {
        Ok(layout! {
            blocks: {
                deal: section {
                    type: primary,
                    blocks: {
                        title: text { value: self.title.clone(), size: lg, bold: true },
                        amount: withTitle { title: "Amount", inline: true, block: text { value: self.amount.clone() } },
                        more: link { text: "Details", action: layoutEvent("toggleDetails") },
                    },
                },
                details: list {
                    visible: false,
                    blocks: {
                        stage: text { value: format!("Stage: {}", self.stage) },
                        open: link { text: "Open the deal list", action: redirect("/crm/deal/list/") },
                    },
                },
                comment: textarea { title: "Comment for the timeline", placeholder: "What happened?" },
            },
            primaryButton: "Add to timeline",
            secondaryButton: "Cancel",
        })
    }

    async fn update(&mut self, event: &Event, frame: &mut Frame<'_>) -> Result<(), UpdateError> {
        match event {
            Event::Layout { value, .. } if value == "toggleDetails" => {
                self.details_shown = !self.details_shown;
                frame.send(Command::SetLayoutItemState(
                    ItemState::new("details").visible(self.details_shown),
                ))?;
            }
            Event::PrimaryButtonClick => {
                let text = frame.value_of("comment").unwrap_or_default();
                if text.trim().is_empty() {
                    frame.send(Self::comment_error("Write a comment first"))?;
                    return Ok(());
                }
                // the frame shows the wait at once; the save is awaited
                frame.send(Command::Lock)?;
                frame.send(Self::comment_error(""))?;
                frame.send(Command::SetPrimaryButtonState(Some(ButtonPatch::state(
                    ButtonState::loading,
                ))))?;
                let saved = self.client.add_comment(self.entity, self.id, &text).await;
                frame.send(Command::Unlock)?;
                frame.send(Command::SetPrimaryButtonState(Some(ButtonPatch::state(
                    ButtonState::normal,
                ))))?;
                match saved {
                    Ok(_) => frame.send(Command::Finish)?,
                    // a REST error shows on the field
                    Err(e) => frame.send(Self::comment_error(&format!("Not saved: {e}")))?,
                }
            }
            Event::SecondaryButtonClick => frame.send(Command::Finish)?,
            _ => {}
        }
        Ok(())
    }
}

// README: end

/// The demo's app: the widget, its preview opened for deal 1 with a token of the local
/// portal, and the local portal itself (saving takes `save_delay`).
pub fn app(save_delay: Duration) -> (axum::Router, Arc<Portal>) {
    let portal = Portal::new(Config {
        write_delay: save_delay,
        ..Config::default()
    });
    let issuer = portal.clone();
    let code = portal.webhook_url("");
    let preview = Preview {
        entity_id: 1,
        // each preview page opens the widget with a fresh token of the local portal
        fields: Some(Arc::new(move |host: &str| {
            let issued = issuer.issue_tokens();
            vec![
                ("AUTH_ID".into(), issued.access_token.expose().to_owned()),
                ("AUTH_EXPIRES".into(), "3600".into()),
                ("REFRESH_ID".into(), issued.refresh_token.expose().to_owned()),
                ("SERVER_ENDPOINT".into(), format!("http://{host}/rest/")),
                ("APPLICATION_SCOPE".into(), "crm,placement".into()),
            ]
        })),
        timeline: Some(format!(
            "{}crm.timeline.comment.list?filter[ENTITY_TYPE]=deal&filter[ENTITY_ID]=1",
            code.expose()
        )),
    };
    let host = WidgetHost::open(DealWidget::open);
    let app = router_with_preview(host, preview).merge(b24_widgets::portal::router(portal.clone()));
    (app, portal)
}

#[allow(dead_code)]
fn main() {
    let number = |var: &str, default: u64| match std::env::var(var) {
        Ok(v) => v.parse().unwrap_or_else(|_| {
            eprintln!("{var} must be a whole number, not {v:?}");
            std::process::exit(2)
        }),
        Err(_) => default,
    };
    let port = u16::try_from(number("PORT", 3000)).unwrap_or_else(|_| {
        eprintln!("PORT must be a port number");
        std::process::exit(2)
    });
    let (app, portal) = app(Duration::from_millis(number("DEMO_SAVE_DELAY_MS", 600)));
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
