//! `/portal/`: the CRM at a glance (each list's count, read as the REST side counts it) and
//! the app's placements, each with a link to the page where Bitrix24 shows it.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use b24_placement::placement::{Family, KnownPlacement};
use serde_json::json;

use super::shell::{render, Page, MENU};
use super::{call, entity_name, escape, family_of, names_of};
use crate::portal::Portal;

/// Where Bitrix24 shows a placement of `family` for the entity `name`: the page and what
/// to look for there.
pub(crate) fn where_shown(family: Family, name: Option<&str>) -> (String, &'static str) {
    let e = name.unwrap_or("deal");
    let card = format!("/portal/crm/{e}/details/1/");
    match family {
        Family::LIST_MENU => (format!("/portal/crm/{e}/list/"), "a row's \u{2026} menu"),
        Family::LIST_TOOLBAR => (format!("/portal/crm/{e}/list/"), "the list's Applications button"),
        Family::DETAIL_TAB => (card, "a tab of the card"),
        Family::DETAIL_ACTIVITY => (card, "the timeline editor's More menu"),
        Family::DETAIL_TOOLBAR => (card, "the card's \u{2026} button"),
        Family::ACTIVITY_TIMELINE_MENU => (card, "a timeline record's \u{2026} menu"),
        Family::DOCUMENTGENERATOR_BUTTON => (card, "the card's Document button"),
        Family::ROBOT_DESIGNER_TOOLBAR => (format!("/portal/crm/{e}/automation/"), "the automation toolbar"),
        Family::FUNNELS_TOOLBAR => (format!("/portal/crm/{e}/kanban/"), "the pipelines toolbar"),
        Family::ANALYTICS_MENU => ("/portal/report/analytics/".into(), "the analytics menu"),
        Family::ANALYTICS_TOOLBAR => ("/portal/report/analytics/".into(), "the analytics toolbar"),
        Family::BI_ANALYTICS_MENU => ("/portal/bi/".into(), "the BI menu"),
        Family::DETAIL_SEARCH => ("/portal/crm/deal/details/1/".into(), "the card's client field"),
        Family::REQUISITE_AUTOCOMPLETE => ("/portal/crm/company/details/1/".into(), "the company's details"),
        Family::BANK_DETAIL_AUTOCOMPLETE => (
            "/portal/crm/company/details/1/".into(),
            "the company's bank details",
        ),
    }
}

/// `GET /portal/`.
pub(crate) async fn home(State(portal): State<Arc<Portal>>) -> Response {
    let mut tiles = String::new();
    for (_, label, path, hook) in MENU.iter().filter(|m| m.0 == "CRM") {
        let type_id = crate::crm::type_id_of(hook).unwrap_or(0);
        let (family, item_type) = family_of(type_id, hook);
        let mut params = json!({"start": 0});
        if let Some(t) = item_type {
            params["entityTypeId"] = json!(t);
        }
        let total = call(&portal, &format!("{family}.list"), params)
            .ok()
            .and_then(|l| l.total)
            .unwrap_or(0);
        tiles.push_str(&format!(
            "<a class=\"tile\" href=\"{path}\" data-b24-tile=\"{hook}\"><span class=\"tile-count\">{total}</span><span class=\"tile-label\">{}</span></a>",
            escape(label)
        ));
    }
    let mut rows = String::new();
    for b in portal.placements() {
        let (page, what) = match b.placement.parse::<KnownPlacement>() {
            Ok(p) => {
                let name = p.entity().map(entity_name);
                let (page, what) = where_shown(p.family(), name.as_deref());
                (page, what.to_owned())
            }
            Err(_) => (
                "/portal/".into(),
                "nowhere: Bitrix24 does not know this code".into(),
            ),
        };
        rows.push_str(&format!(
            "<tr data-b24-home-placement=\"{code}\"><td><code>{code}</code></td><td>{title}</td><td><a href=\"{page}\">{what}</a></td></tr>",
            code = escape(&b.placement),
            title = escape(&b.title),
            page = escape(&page),
            what = escape(&what),
        ));
    }
    let apps = if rows.is_empty() {
        "<p class=\"muted\">No application has bound a placement yet: install one (its install handler calls <code>placement.bind</code>).</p>".to_owned()
    } else {
        format!("<table class=\"grid\"><thead><tr><th>Placement</th><th>Title</th><th>Where it shows</th></tr></thead><tbody>{rows}</tbody></table>")
    };
    let (deals, _) = names_of("deal");
    let body = format!(
        "<section class=\"panel\"><h2>CRM</h2><div class=\"tiles\">{tiles}</div></section>\
         <section class=\"panel\" data-b24=\"home-apps\"><h2>The application's placements</h2>{apps}</section>\
         <section class=\"panel\"><h2>Start here</h2><p><a href=\"/portal/crm/deal/details/1/\">Open a deal's card</a> · \
         <a href=\"/portal/crm/deal/list/\">{deals}</a> · <a href=\"/portal/crm/deal/kanban/\">Pipelines</a></p></section>",
        deals = escape(&deals),
    );
    render(Page {
        title: "Home",
        active: "",
        toolbar: String::new(),
        body,
    })
}
