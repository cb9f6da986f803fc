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

use b24_widgets::bind::PlacementBind;
use b24_widgets::command::{ButtonPatch, Command, Event, ItemState};
use b24_widgets::crm::{fields, Deal};
use b24_widgets::event::EventBind;
use b24_widgets::placement::Entity;
use b24_widgets::portal::{Config, Portal};
use b24_widgets::request::HandlerRequest;
use b24_widgets::rest::timeline::ActivityFields;
use b24_widgets::rest::{Client, OAuthApp};
use b24_widgets::server::{
    app_router, escape_html, serve_listener, Lifecycle, Placement, Preview, WidgetHost,
};
use b24_widgets::timeline::TagType;
use b24_widgets::widget::{AsyncWidget, Frame, UpdateError};
use b24_widgets::{layout, timeline, ButtonState, LayoutDto, Text, Textarea, Violations};

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
    /// The deal's user fields: its customer level (an enumeration, shown by its label) and
    /// its delivery note.
    level: String,
    note: String,
    details_shown: bool,
}

impl DealWidget {
    /// Opens the widget for the deal of the handler request: reads it first.
    pub async fn open(request: HandlerRequest) -> Result<Self, UpdateError> {
        let client = Client::from_request(&request)?
            .app(OAuthApp::new(CLIENT_ID, CLIENT_SECRET))
            .build()?;
        let (entity, id) = request.entity().ok_or("this widget opens on a deal card")?;
        // README: fields
        // the deal in its typed form: the amount a decimal with its currency, the stage with
        // its funnel, user fields found by either spelling, anything else kept as sent
        let deal: Deal = client.get_as(entity, id).await?;
        // an enumeration's labels come from the portal's fields (read once per portal, and
        // what every checked write is checked against)
        let fields = client.fields(entity).await?;
        let level = deal
            .user_fields
            .label("UF_CRM_LEVEL", &fields)
            .unwrap_or("(none)");
        // README: end fields
        Ok(DealWidget {
            title: deal.title.clone().unwrap_or_else(|| "(no title)".into()),
            amount: Self::amount(&deal),
            stage: deal.stage_id.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            level: level.to_owned(),
            note: deal
                .user_fields
                .text("UF_CRM_DELIVERY_NOTE")
                .unwrap_or_default()
                .to_owned(),
            client,
            entity,
            id,
            details_shown: false,
        })
    }

    fn amount(deal: &Deal) -> String {
        deal.amount()
            .map_or_else(String::new, |m| format!("{} {}", m.amount, m.currency))
    }

    /// Reads the deal again (it changed elsewhere) and shows what changed.
    async fn reread(&mut self, frame: &mut Frame<'_>) -> Result<(), UpdateError> {
        let deal: Deal = self.client.get_as(self.entity, self.id).await?;
        self.title = deal.title.clone().unwrap_or_else(|| "(no title)".into());
        self.amount = Self::amount(&deal);
        self.stage = deal.stage_id.as_ref().map(|s| s.to_string()).unwrap_or_default();
        frame.send(Command::SetLayoutItemState(
            ItemState::new("title").properties(Text::default().value(self.title.clone())),
        ))?;
        frame.send(Command::SetLayoutItemState(
            ItemState::new("stage").properties(Text::default().value(format!("Stage: {}", self.stage))),
        ))?;
        Ok(())
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
                        level: text { value: format!("Customer level: {}", self.level) },
                        note: text { value: format!("Delivery note: {}", self.note) },
                        vip: link { text: "Mark as VIP", action: layoutEvent("markVip") },
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
            Event::Layout { value, .. } if value == "markVip" => {
                // a write checked against the portal's fields before it is sent: a
                // misspelt or wrongly typed field is an error here, not a silent no-op;
                // `fields!` checks the names and types at compile time against the
                // snapshot of the portal's fields (b24-fields.json), the client again
                // against the portal's own before sending
                let fields = fields!(update deal { UF_CRM_VIP: true });
                let label = match self.client.update_fields(self.entity, self.id, &fields).await {
                    Ok(()) => "VIP".to_owned(),
                    Err(e) => format!("Not saved: {e}"),
                };
                frame.send(Command::SetLayoutItemState(
                    ItemState::new("vip").properties(b24_widgets::Link::default().text(label)),
                ))?;
            }
            Event::SecondaryButtonClick => frame.send(Command::Finish)?,
            // the portal said the deal changed elsewhere (ONCRMDEALUPDATE): shown at once
            Event::ObjectChanged { event } if event.ends_with("UPDATE") => self.reread(frame).await?,
            _ => {}
        }
        Ok(())
    }
}

// README: end

// README: timeline
/// The demo's own record in its deal's timeline: a configurable activity, checked at
/// compile time as `layout!` checks the widget. Its button asks the app to confirm
/// (onCrmTimelineItemAction); the portal shows a loader until the app updates it.
pub fn delivery(state: &str, confirmed: bool) -> b24_widgets::timeline::LayoutDto {
    timeline! {
        icon: { code: "info" },
        header: {
            title: { en: "Delivery booked", de: "Lieferung gebucht" },
            tags: { state: { title: (state.to_owned()), type: (if confirmed { TagType::success } else { TagType::warning }) } },
        },
        body: {
            logo: { code: "document" },
            blocks: {
                when: withTitle { title: "When", inline: true, block: text { value: "Tomorrow, 10:00", bold: true } },
                note: largeText { value: "Entrance from the courtyard. Call on arrival.\nPayment in cash." },
                deals: link { text: "All deals", action: redirect("/crm/deal/list/") },
            },
        },
        footer: {
            buttons: {
                confirm: { title: "Confirm", type: primary, action: restEvent { id: "confirm", animationType: loader } },
                details: { title: "Details", type: secondary, action: openRestApp { actionParams: { from: "timeline" } } },
            },
            menu: { showPostponeItem: false },
        },
    }
}

/// onCrmTimelineItemAction: the record's `confirm` button, answered by updating the record
/// (which also releases its loader).
async fn confirm(delivered: b24_widgets::server::Delivered) -> Result<(), b24_widgets::server::HandlerError> {
    let data = &delivered.event.data;
    let activity = data
        .get("activityId")
        .and_then(|v| v.as_str()?.parse::<u64>().ok());
    if let (Some("confirm"), Some(id), Some(client)) = (
        data.get("id").and_then(|v| v.as_str()),
        activity,
        &delivered.client,
    ) {
        client
            .update_configurable_activity(id, &ActivityFields::default(), &delivery("confirmed", true))
            .await?;
        tracing::info!(activity = id, "the delivery was confirmed in the timeline");
    }
    Ok(())
}
// README: end timeline

/// The demo, served at `listener`: the widget, the local portal beside it (saving takes
/// `save_delay`), installed into that portal through `POST /install` as Bitrix24 installs
/// an app (the placement bound on the portal, the portal stored in `store`), and the
/// preview opening the widget for deal 1 with the application token the install stored.
/// Gives the local portal.
pub async fn start(
    listener: tokio::net::TcpListener,
    save_delay: Duration,
    store: Arc<dyn b24_widgets::server::store::PortalStore>,
) -> std::io::Result<Arc<Portal>> {
    let base = format!("http://{}", listener.local_addr()?);
    let portal = Portal::new(Config {
        write_delay: save_delay,
        ..Config::default()
    });
    // the placement the app declares: the deal's timeline, with the built-in interface
    let handler = format!("{}/handler", base.replace("127.0.0.1", "localhost"));
    let bind = PlacementBind::new(
        "CRM_DEAL_DETAIL_ACTIVITY".parse().map_err(io)?,
        handler,
        "Deal comment",
    )
    .and_then(|b| b.built_in_interface(true))
    .map_err(io)?;
    // and a tab of the deal card: an iframe page of its own (POST /tab)
    let tab = PlacementBind::new(
        "CRM_DEAL_DETAIL_TAB".parse().map_err(io)?,
        format!("{}/tab", base.replace("127.0.0.1", "localhost")),
        "Deal summary",
    )
    .map_err(io)?;
    // and the form's client search, answered from the portal's companies (POST /search)
    let search = PlacementBind::new(
        "CRM_DETAIL_SEARCH".parse().map_err(io)?,
        format!("{}/search", base.replace("127.0.0.1", "localhost")),
        "Search the demo's companies",
    )
    .map_err(io)?;
    // and one page in every other family, that shows what its handler was sent (POST /echo;
    // BI_ANALYTICS_MENU is a plain GET)
    let mut binds = vec![bind, tab, search];
    let echo_url = format!("{}/echo", base.replace("127.0.0.1", "localhost"));
    for code in ECHO_PLACEMENTS {
        binds.push(
            PlacementBind::new(code.parse().map_err(io)?, echo_url.clone(), "Show the request")
                .map_err(io)?,
        );
    }
    // README: events
    // and the deal's changes made elsewhere: the portal POSTs them to `/events`; the open
    // frames of a changed deal follow it by themselves (Event::ObjectChanged), the handler
    // logs it
    let deal_changed = EventBind::online(
        "ONCRMDEALUPDATE",
        format!("{}/events", base.replace("127.0.0.1", "localhost")),
    )
    .map_err(io)?;
    let life = Lifecycle::new(store, binds)
        .app(OAuthApp::new(CLIENT_ID, CLIENT_SECRET))
        .on(deal_changed, |delivered| async move {
            if let Some(change) = delivered.event.change() {
                tracing::info!(deal = change.id, "a deal changed in the portal");
            }
            Ok(())
        });
    // README: end events
    let timeline_action = EventBind::online(
        "ONCRMTIMELINEITEMACTION",
        format!("{}/events", base.replace("127.0.0.1", "localhost")),
    )
    .map_err(io)?;
    let life = Arc::new(life.on(timeline_action, confirm));
    let writer = life.clone();
    let issuer = portal.clone();
    let installed = life.clone();
    let code = portal.webhook_url("");
    let preview = Preview {
        entity_id: 1,
        // each preview page opens the widget as the portal would: a fresh user token, and
        // the application token the install stored
        fields: Some(Arc::new(move |host: &str| {
            let issued = issuer.issue_tokens();
            let app_token = installed
                .cached(Portal::MEMBER_ID)
                .map(|p| p.application_token.expose().to_owned())
                .unwrap_or_default();
            vec![
                ("member_id".into(), Portal::MEMBER_ID.into()),
                ("AUTH_ID".into(), issued.access_token.expose().to_owned()),
                ("AUTH_EXPIRES".into(), "3600".into()),
                ("REFRESH_ID".into(), issued.refresh_token.expose().to_owned()),
                ("SERVER_ENDPOINT".into(), format!("http://{host}/rest/")),
                ("APPLICATION_SCOPE".into(), "crm,placement".into()),
                ("APPLICATION_TOKEN".into(), app_token),
            ]
        })),
        timeline: Some(format!(
            "{}crm.timeline.comment.list?filter[ENTITY_TYPE]=deal&filter[ENTITY_ID]=1",
            code.expose()
        )),
    };
    let host = WidgetHost::open(DealWidget::open);
    let tab_life = life.clone();
    let search_life = life.clone();
    let echo_life = life.clone();
    let app = app_router(host, life, preview)
        .route(
            "/tab",
            axum::routing::post(move |Placement(request): Placement| summary_tab(tab_life.clone(), request)),
        )
        .route(
            "/search",
            axum::routing::post(move |Placement(request): Placement| {
                client_search(search_life.clone(), request)
            }),
        )
        .route(
            "/echo",
            axum::routing::post(move |Placement(request): Placement| echo(echo_life.clone(), request)).get(
                || async {
                    axum::response::Html("<p data-b24=\"echo\">BI_ANALYTICS_MENU (a GET, no data)</p>")
                },
            ),
        )
        .merge(b24_widgets::portal::router(portal.clone()));
    tokio::spawn(serve_listener(listener, app));
    // the local portal installs the app, as Bitrix24 does: ONAPPINSTALL to /install
    let (form, _) = portal.install_event(&base);
    let answer = reqwest::Client::new()
        .post(format!("{base}/install"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .map_err(|e| io(e.without_url()))?;
    if !answer.status().is_success() {
        let why = answer.text().await.unwrap_or_default();
        return Err(io(format!("the local portal could not install the app: {why}")));
    }
    // the app's own page, which a record's openRestApp opens: the echo of its request
    portal.set_app_url(format!("{}/echo", base.replace("127.0.0.1", "localhost")));
    // installed: the app writes its record into deal 1's timeline
    let installed = writer
        .portal(Portal::MEMBER_ID)
        .await
        .map_err(io)?
        .ok_or_else(|| io("the install was not stored"))?;
    writer
        .client(&installed)
        .map_err(io)?
        .add_configurable_activity(
            Entity::DEAL,
            1,
            &ActivityFields::default(),
            &delivery("booked", false),
        )
        .await
        .map_err(io)?;
    Ok(portal)
}

/// `POST /tab`: the deal card's tab, an iframe page of the app's own. Verified as every
/// handler is; it reads the deal over REST and asks the portal for its height.
async fn summary_tab(life: Arc<Lifecycle>, request: HandlerRequest) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !matches!(life.verify(&request).await, Ok(Ok(()))) {
        return b24_widgets::server::Error::Forbidden.into_response();
    }
    let read = async {
        let client = Client::from_request(&request)?
            .app(OAuthApp::new(CLIENT_ID, CLIENT_SECRET))
            .build()?;
        client.read(&request).await
    };
    let deal = match read.await {
        Ok(Some(deal)) => deal,
        Ok(None) => return (axum::http::StatusCode::BAD_REQUEST, "this tab opens on a deal").into_response(),
        Err(e) => return (axum::http::StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let text = |k: &str| escape_html(deal.text(k).unwrap_or_default());
    axum::response::Html(format!(
        "<!doctype html><meta charset=\"utf-8\"><body style=\"font:14px sans-serif\">\
         <h2 data-b24=\"tab-title\">{}</h2><p>{} {} · stage {}</p><p>Opened by {}</p>\
         <script>(function () {{ var p = (window.name || '').split('|'); var sid = p[2] || '';\
         var origin = p[0] ? (p[1] === '1' ? 'https://' : 'http://') + p[0] : '*';\
         window.parent.postMessage('getInitData::tab1:' + sid, origin);\
         window.parent.postMessage('resizeWindow:' + JSON.stringify({{width: '100%', height: 180}}) + ':tab2:' + sid, origin); }})();</script>",
        escape_html(deal.title().unwrap_or("(no title)")),
        text("OPPORTUNITY"),
        text("CURRENCY_ID"),
        text("STAGE_ID"),
        escape_html(request.placement.to_string().as_str()),
    ))
    .into_response()
}

/// The placements the demo binds to `/echo`, one of every family it has no widget for.
const ECHO_PLACEMENTS: &[&str] = &[
    "CRM_DEAL_LIST_MENU",
    "CRM_DEAL_LIST_TOOLBAR",
    "CRM_DEAL_DETAIL_TOOLBAR",
    "CRM_DEAL_DOCUMENTGENERATOR_BUTTON",
    "CRM_DEAL_ACTIVITY_TIMELINE_MENU",
    "CRM_DEAL_ROBOT_DESIGNER_TOOLBAR",
    "CRM_FUNNELS_TOOLBAR",
    "CRM_ANALYTICS_MENU",
    "CRM_ANALYTICS_TOOLBAR",
    "CRM_REQUISITE_AUTOCOMPLETE",
    "CRM_BANK_DETAIL_AUTOCOMPLETE",
    "BI_ANALYTICS_MENU",
];

/// `POST /echo`: shows the placement and options its handler was sent (never a token).
async fn echo(life: Arc<Lifecycle>, request: HandlerRequest) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !matches!(life.verify(&request).await, Ok(Ok(()))) {
        return b24_widgets::server::Error::Forbidden.into_response();
    }
    axum::response::Html(format!(
        "<!doctype html><meta charset=\"utf-8\"><p data-b24=\"echo\">{}</p><pre>{}</pre><p>from {}</p>",
        escape_html(&request.placement.to_string()),
        escape_html(&request.options.to_json().to_string()),
        escape_html(request.uri.as_deref().unwrap_or("(no URI)")),
    ))
    .into_response()
}

/// `POST /search`: the form's client search. The companies whose title holds the query
/// are sent back with `crmShowFoundEntities`, built with the typed search protocol.
async fn client_search(life: Arc<Lifecycle>, request: HandlerRequest) -> axum::response::Response {
    use axum::response::IntoResponse;
    use b24_widgets::request::PlacementOptions;
    use b24_widgets::search::{FoundEntity, SearchCommand};
    if !matches!(life.verify(&request).await, Ok(Ok(()))) {
        return b24_widgets::server::Error::Forbidden.into_response();
    }
    let PlacementOptions::Search { search_query, .. } = &request.options else {
        return (axum::http::StatusCode::BAD_REQUEST, "not a client search").into_response();
    };
    let found = async {
        let client = Client::from_request(&request)?
            .app(OAuthApp::new(CLIENT_ID, CLIENT_SECRET))
            .build()?;
        let answer = client
            .call(
                "crm.company.list",
                serde_json::json!({"filter": {"%TITLE": search_query}}),
            )
            .await?;
        Ok::<_, b24_widgets::rest::Error>(answer.result)
    };
    let companies = match found.await {
        Ok(v) => v.as_array().cloned().unwrap_or_default(),
        Err(e) => return (axum::http::StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let options = companies
        .iter()
        .map(|c| {
            let text = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            FoundEntity::new(format!("company-{}", text("ID")), text("TITLE"))
        })
        .collect();
    let command = SearchCommand::ShowFound(options);
    // the app listens for a pick before it shows the options: a click on one at once
    // finds the listener there
    // JSON for a <script>: nothing in it can close the element
    let params = b24_widgets::server::json_for_script(&command.params());
    axum::response::Html(format!(
        "<!doctype html><meta charset=\"utf-8\"><p>Searching…</p>\
         <script type=\"application/json\" id=\"found\">{params}</script>\
         <script>(function () {{ var p = (window.name || '').split('|'); var sid = p[2] || '';\
         var origin = p[0] ? (p[1] === '1' ? 'https://' : 'http://') + p[0] : '*';\
         var params = document.getElementById('found').textContent;\
         window.parent.postMessage('placementBindEvent:' + JSON.stringify({{event: 'onCrmEntityIsNeedToCreate'}}) + ':ev1:' + sid, origin);\
         window.parent.postMessage('{name}:' + params + ':s1:' + sid, origin);\
         window.addEventListener('message', function (e) {{\
           var text = String(e.data); if (text.indexOf('ev1:') !== 0) return;\
           var picked = JSON.parse(text.slice(4)).data;\
           var created = {{entityType: 'company', id: picked.id, title: picked.name}};\
           window.parent.postMessage('crmShowCreatedEntity:' + JSON.stringify(created) + ':s2:' + sid, origin);\
         }}); }})();</script>",
        name = command.name(),
    ))
    .into_response()
}

/// The store a `DATABASE_URL` names, as the demo says it (a PostgreSQL URL is not shown:
/// it may carry a password).
fn store_kind(url: &str) -> String {
    match url.strip_prefix("sqlite://") {
        Some(path) => format!("SQLite, {path}"),
        None if url.starts_with("postgres") => "PostgreSQL (DATABASE_URL)".to_owned(),
        None => format!("SQLite, {url}"),
    }
}

fn io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() {
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
    let fail = |what: String| -> ! {
        eprintln!("{what}");
        std::process::exit(1)
    };
    // logs to stderr, by RUST_LOG (info when unset)
    b24_widgets::server::init_logs();
    // DATABASE_URL chooses the store, or postgres://...; when unset, a SQLite file in the
    // system's temporary directory: nothing the demo writes lands in the source tree
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| {
        let dir = std::env::temp_dir().join("b24-widgets-demo");
        if let Err(e) = std::fs::create_dir_all(&dir) {
            fail(format!("cannot make {}: {e}", dir.display()))
        }
        format!("sqlite://{}", dir.join("app.db").display())
    });
    let store = b24_widgets::server::store::connect(&url)
        .await
        .unwrap_or_else(|e| fail(e.to_string()));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap_or_else(|e| fail(format!("cannot listen on 127.0.0.1:{port}: {e}")));
    let addr = listener.local_addr().unwrap_or_else(|e| fail(e.to_string()));
    let portal = start(
        listener,
        Duration::from_millis(number("DEMO_SAVE_DELAY_MS", 600)),
        store,
    )
    .await
    .unwrap_or_else(|e| fail(e.to_string()));
    println!("Widget preview: http://{addr}/");
    println!("Store: {}", store_kind(&url));
    println!("Handler for placement.bind: http://{addr}/handler (behind an https tunnel for a real portal)");
    println!(
        "Installed into the local portal; its placements: {:?}",
        portal
            .placements()
            .iter()
            .map(|p| p.placement.as_str())
            .collect::<Vec<_>>()
    );
    println!("Local portal: http://{addr}/portal/ (a small Bitrix24: lists, cards, pipelines, analytics, every placement the app bound)");
    println!(
        "Events: the portal POSTs ONCRMDEALUPDATE to http://localhost:{}/events (change a deal: its open frame follows); deliveries at http://{addr}/portal/events",
        addr.port()
    );
    let hook = portal.webhook_url(&format!("http://{addr}"));
    println!(
        "Local portal REST: b24 call crm.deal.get '{{\"id\": 1}}' --webhook {}",
        hook.expose()
    );
    std::future::pending::<()>().await;
}
