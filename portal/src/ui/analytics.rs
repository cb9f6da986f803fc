//! `/portal/report/analytics/`: CRM analytics, its menu (ANALYTICS_MENU, under
//! Applications) and its toolbar (ANALYTICS_TOOLBAR), with a sales funnel read from the
//! REST side; `/portal/bi/`: BI analytics and its menu (BI_ANALYTICS_MENU).

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use b24_placement::placement::Family;
use serde_json::json;

use super::shell::{render, Page};
use super::{bound_here, call, escape, menu, placement_button};
use crate::portal::Portal;

fn items(portal: &Portal, family: Family) -> Vec<String> {
    bound_here(&portal.placements(), family, None)
        .iter()
        .map(|b| placement_button(b, None, false))
        .collect()
}

/// `GET /portal/report/analytics/`.
pub(crate) async fn analytics(State(portal): State<Arc<Portal>>) -> Response {
    // the sales funnel: how many deals each stage holds, as crm.deal.list counts them
    let mut funnel = String::new();
    let stages = crate::crm::pipeline(2);
    let counts: Vec<u64> = stages
        .iter()
        .map(|s| {
            call(
                &portal,
                "crm.deal.list",
                json!({"filter": {"STAGE_ID": s.id}, "start": 0}),
            )
            .ok()
            .and_then(|l| l.total)
            .unwrap_or(0)
        })
        .collect();
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    for (s, n) in stages.iter().zip(&counts) {
        funnel.push_str(&format!(
            "<div class=\"bar-row\" data-b24-funnel=\"{id}\"><span class=\"bar-label\">{name}</span><span class=\"bar\" style=\"--stage:{color};width:{w}%\"></span><span class=\"bar-count\">{n}</span></div>",
            id = escape(s.id),
            name = escape(s.name),
            color = escape(s.color),
            w = n * 100 / most,
        ));
    }
    let apps = items(&portal, Family::ANALYTICS_MENU);
    let side = format!(
        "<nav class=\"sub-menu\" data-b24=\"analytics-menu\"><div class=\"menu-title\">Reports</div><a class=\"active\">Sales funnel</a><a>Managers' efficiency</a>\
         <div class=\"menu-title\">Applications</div>{}</nav>",
        if apps.is_empty() {
            "<span class=\"muted\">none</span>".to_owned()
        } else {
            apps.concat()
        }
    );
    render(Page {
        title: "CRM analytics",
        active: "analytics",
        toolbar: menu("Applications", "analytics-toolbar", "", &items(&portal, Family::ANALYTICS_TOOLBAR)),
        body: format!(
            "<div class=\"with-sub-menu\">{side}<section class=\"panel\" data-b24=\"funnel\"><h2>Sales funnel</h2>{funnel}</section></div>"
        ),
    })
}

/// `GET /portal/bi/`.
pub(crate) async fn bi(State(portal): State<Arc<Portal>>) -> Response {
    let apps = items(&portal, Family::BI_ANALYTICS_MENU);
    render(Page {
        title: "BI analytics",
        active: "bi",
        toolbar: menu("Applications", "bi-menu", "", &apps),
        body: "<section class=\"panel\" data-b24=\"bi\"><h2>Dashboards</h2><ul class=\"dashboards\"><li>Sales</li><li>Leads and conversion</li><li>Managers</li></ul>\
               <p class=\"muted\">The BI builder's dashboards; an application adds its own through the Applications menu.</p></section>"
            .to_owned(),
    })
}
