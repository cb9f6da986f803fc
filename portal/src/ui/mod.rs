//! The portal's own pages: a small Bitrix24 on localhost. A home, a left menu on every page,
//! lists as tables of the CRM's records, cards laid out as Bitrix24 lays them out, the
//! pipelines' kanban, automation, analytics and BI; each placement the app has bound
//! drawn where Bitrix24 draws it (every element carries `data-b24-placement`), opening the
//! handler in the slider (or the card's tab) with its family's request. The pages read and
//! change the data through the REST side's own methods (`Portal::run`), so widgets and
//! events see every change.
//!
//! | module | page |
//! |---|---|
//! | [`shell`] | what every page has: the left menu, the top bar, the slider, the developer panel |
//! | [`home`] | `/portal/`: the CRM at a glance, and where each of the app's placements sits |
//! | [`list`] | `/portal/crm/{entity}/list/`: a table, paged as the REST side pages |
//! | [`card`] | `/portal/crm/{entity}/details/{id}/`: stages, tabs, fields, client, timeline |
//! | [`pipeline`] | `/portal/crm/{entity}/kanban/`, `/automation/` |
//! | [`analytics`] | `/portal/report/analytics/`, `/portal/bi/` |

mod analytics;
mod card;
mod home;
mod list;
mod pipeline;
mod shell;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use b24_placement::placement::{Entity, Family, KnownPlacement};
use serde_json::{json, Map, Value};

use crate::crm::Listed;
use crate::failure::Failure;
use crate::oauth::Caller;
use crate::portal::{Bound, Portal};

pub(crate) use b24_html::escape_html as escape;

/// The page script and style (`portal/assets/`).
const PORTAL_JS: &str = include_str!("../../assets/portal.js");
const PORTAL_CSS: &str = include_str!("../../assets/portal.css");

pub(crate) fn routes() -> Router<Arc<Portal>> {
    Router::new()
        .route("/portal/", get(home::home))
        .route("/portal", get(home::home))
        .route(
            "/portal/crm/{entity}/details/{id}/",
            get(card::card).post(card::save),
        )
        .route("/portal/crm/{entity}/list/", get(list::list))
        .route(
            "/portal/crm/{entity}/kanban/",
            get(pipeline::kanban).post(pipeline::move_stage),
        )
        .route("/portal/crm/{entity}/automation/", get(pipeline::automation))
        .route("/portal/report/analytics/", get(analytics::analytics))
        .route("/portal/bi/", get(analytics::bi))
        .route("/portal/open", post(open))
        .route("/portal/timeline/action", post(timeline_action))
        .route("/portal/timeline/open", post(timeline_open))
        .route("/portal/requests", get(requests))
        .route(
            "/portal/assets/portal.js",
            get(|| async { asset("application/javascript", PORTAL_JS) }),
        )
        .route(
            "/portal/assets/portal.css",
            get(|| async { asset("text/css", PORTAL_CSS) }),
        )
        .route(
            "/portal/assets/frame-protocol.js",
            get(|| async { asset("application/javascript", b24_html::assets::FRAME_PROTOCOL_JS) }),
        )
        .route(
            "/portal/assets/preview.js",
            get(|| async { asset("application/javascript", crate::assets::PREVIEW_JS) }),
        )
        .route(
            "/portal/assets/preview.css",
            get(|| async { asset("text/css", crate::assets::PREVIEW_CSS) }),
        )
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

fn host(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| b24_placement::request::is_valid_domain(h))
        .unwrap_or("localhost")
        .to_owned()
}

/// The entity as the portal's paths name it: `deal`, `smart_invoice`, `dynamic_183`.
pub(crate) fn entity_name(e: Entity) -> String {
    match e {
        Entity::DYNAMIC(n) => format!("dynamic_{n}"),
        other => other.kind().as_str().to_ascii_lowercase(),
    }
}

/// What each entity is called on the pages: (path name, plural, singular).
pub(crate) const NAMES: &[(&str, &str, &str)] = &[
    ("deal", "Deals", "Deal"),
    ("lead", "Leads", "Lead"),
    ("contact", "Contacts", "Contact"),
    ("company", "Companies", "Company"),
    ("quote", "Quotes", "Quote"),
    ("smart_invoice", "Invoices", "Invoice"),
    ("invoice", "Invoices (old)", "Invoice (old)"),
    ("order", "Orders", "Order"),
    ("dynamic_183", "Shipments", "Shipment"),
];

/// The plural and singular names of the entity `name`.
pub(crate) fn names_of(name: &str) -> (String, String) {
    NAMES
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, p, s)| ((*p).to_owned(), (*s).to_owned()))
        .unwrap_or_else(|| (name.to_owned(), name.to_owned()))
}

/// The app's placements of `family` shown on a page of `entity` (`None`: a page of no
/// entity, such as analytics).
pub(crate) fn bound_here<'a>(bound: &'a [Bound], family: Family, entity: Option<&str>) -> Vec<&'a Bound> {
    bound
        .iter()
        .filter(|b| {
            let Ok(p) = b.placement.parse::<KnownPlacement>() else {
                return false;
            };
            let here = p.entity().map(entity_name).as_deref() == entity
                // the deals' pipelines are the code without an entity
                || (p.entity().is_none() && entity == Some("deal") && p.family() == Family::FUNNELS_TOOLBAR);
            p.family() == family && here
        })
        .collect()
}

/// A button that opens a placement's handler: the page's script asks the portal for the
/// request and posts it into the frame. `query`: the user types first (search, autofill).
pub(crate) fn placement_button(b: &Bound, id: Option<u64>, query: bool) -> String {
    button(b, id, query, "class=\"app-item\"")
}

/// A DETAIL_TAB item: a tab of the card, its handler opened inside the card.
pub(crate) fn placement_tab(b: &Bound, id: u64) -> String {
    button(b, Some(id), false, "class=\"tab\" data-b24-tab-placement")
}

fn button(b: &Bound, id: Option<u64>, query: bool, class: &str) -> String {
    let id = id.map(|i| format!(" data-id=\"{i}\"")).unwrap_or_default();
    // a DETAIL_ACTIVITY bound with the built-in interface: the card draws it
    let built_in = if b.options.get("useBuiltInInterface").and_then(Value::as_str) == Some("Y") {
        " data-built-in=\"Y\""
    } else {
        ""
    };
    let query = if query { " data-query=\"field\"" } else { "" };
    format!(
        "<button type=\"button\" {class} data-b24-placement=\"{}\"{id}{query}{built_in}>{}</button>",
        escape(&b.placement),
        escape(&b.title)
    )
}

/// A drop-down menu (`<details>`) of the app's items; empty when there is none and no
/// item of the portal's own.
pub(crate) fn menu(label: &str, hook: &str, own: &str, items: &[String]) -> String {
    if items.is_empty() && own.is_empty() {
        return String::new();
    }
    let apps = if items.is_empty() {
        String::new()
    } else {
        format!("<div class=\"menu-group\">Applications</div>{}", items.concat())
    };
    format!(
        "<details class=\"menu\" data-b24-menu=\"{hook}\"><summary class=\"menu-button\">{}</summary><div class=\"menu-items\">{own}{apps}</div></details>",
        escape(label)
    )
}

/// Runs a REST method as the app, as the REST side runs it (events included).
pub(crate) fn call(portal: &Portal, method: &str, params: Value) -> Result<Listed, Failure> {
    let params = match params {
        Value::Object(p) => p,
        _ => Map::new(),
    };
    portal.run(Caller::App, method, &params, false)
}

/// Runs the calls of a form, in order, as the app; then back to `location`, or the
/// first refusal as the page.
pub(crate) fn write_then(portal: &Portal, calls: Vec<(String, Value)>, location: String) -> Response {
    for (method, params) in calls {
        if let Err(f) = call(portal, &method, params) {
            let message = format!(
                "<p data-b24=\"record-error\">{method}: {}</p>",
                escape(&f.description)
            );
            return (StatusCode::BAD_REQUEST, axum::response::Html(message)).into_response();
        }
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// The method family of an entity: `crm.deal`, or `crm.item` (with its entityTypeId).
pub(crate) fn family_of(type_id: u64, name: &str) -> (String, Option<u64>) {
    match type_id {
        31 | 128.. => ("crm.item".to_owned(), Some(type_id)),
        14 => ("sale.order".to_owned(), None),
        _ => (format!("crm.{name}"), None),
    }
}

/// A value as text.
pub(crate) fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A field of a record in either spelling (`TITLE` or `title`).
pub(crate) fn field<'a>(o: &'a Map<String, Value>, upper: &str) -> Option<&'a Value> {
    o.get(upper).or_else(|| {
        let camel = crate::crm::camel(upper);
        o.get(&camel)
    })
}

/// A record's title, or a person's name.
pub(crate) fn title_of(o: &Map<String, Value>) -> String {
    let t = text(field(o, "TITLE"));
    if !t.is_empty() {
        return t;
    }
    let name = format!("{} {}", text(field(o, "NAME")), text(field(o, "LAST_NAME")));
    let name = name.trim();
    if !name.is_empty() {
        return name.to_owned();
    }
    let t = text(field(o, "ORDER_TOPIC"));
    if !t.is_empty() {
        return t;
    }
    format!("#{}", text(field(o, "ID")))
}

/// The name of the portal's user `id`.
pub(crate) fn user_name(id: &str) -> String {
    let (uid, name, last) = crate::crm::USER;
    if id == uid.to_string() {
        format!("{name} {last}")
    } else if id.is_empty() {
        String::new()
    } else {
        format!("User #{id}")
    }
}

/// An amount as the lists show it: `12 000.00 USD`.
pub(crate) fn amount(o: &Map<String, Value>) -> String {
    let value = text(
        field(o, "OPPORTUNITY")
            .or_else(|| field(o, "PRICE"))
            .or_else(|| field(o, "REVENUE")),
    );
    if value.is_empty() {
        return String::new();
    }
    let currency = text(field(o, "CURRENCY_ID"));
    format!("{value} {currency}").trim().to_owned()
}

/// `POST /portal/open` `{"placement", "id", "query"}`: the request to post into the
/// placement's frame, made and recorded by the portal.
async fn open(State(portal): State<Arc<Portal>>, headers: HeaderMap, Json(ask): Json<Value>) -> Response {
    let code = ask.get("placement").and_then(Value::as_str).unwrap_or_default();
    let id = ask
        .get("id")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
    let query = ask.get("query").and_then(Value::as_str).unwrap_or("");
    match portal.open(code, id, query, &host(&headers)) {
        Some(opened) => Json(opened.to_json()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "the app has bound no handler for this placement"})),
        )
            .into_response(),
    }
}

/// `POST /portal/timeline/action` `{"target": "activity:5", "pointer": "/footer/buttons/b/action"}`:
/// a `restEvent` clicked in the timeline; the portal tells the app and blocks the record.
async fn timeline_action(State(portal): State<Arc<Portal>>, Json(ask): Json<Value>) -> Response {
    let target = ask
        .get("target")
        .and_then(Value::as_str)
        .and_then(crate::timeline_ui::parse_target);
    let pointer = ask.get("pointer").and_then(Value::as_str).unwrap_or_default();
    let Some(target) = target else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "no such record"}))).into_response();
    };
    match portal.timeline_action(target, pointer) {
        Ok(()) => Json(json!({"ok": true})).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({"error": e}))).into_response(),
    }
}

/// `POST /portal/timeline/open` `{"target", "pointer"}`: an `openRestApp` clicked in the
/// timeline; the request that opens the app's slider with the record's context.
async fn timeline_open(
    State(portal): State<Arc<Portal>>,
    headers: HeaderMap,
    Json(ask): Json<Value>,
) -> Response {
    let target = ask
        .get("target")
        .and_then(Value::as_str)
        .and_then(crate::timeline_ui::parse_target);
    match target.and_then(|t| portal.open_app(t, &host(&headers))) {
        Some(opened) => Json(opened.to_json()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "the app has bound no handler to open"})),
        )
            .into_response(),
    }
}

/// `GET /portal/requests`: every handler request the portal made, tokens masked.
async fn requests(State(portal): State<Arc<Portal>>) -> Json<Vec<Value>> {
    Json(portal.requests())
}
