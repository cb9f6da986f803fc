//! `/portal/crm/{entity}/kanban/`: the pipeline as a kanban of its stages (each column a
//! page of the list method filtered by stage, with its count and sum), the funnels
//! toolbar (FUNNELS_TOOLBAR); a card moved to another stage through `*.update`.
//! `/portal/crm/{entity}/automation/`: the robots of each stage, with the robot designer's
//! toolbar (ROBOT_DESIGNER_TOOLBAR).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use b24_placement::placement::Family;
use serde_json::{json, Map, Value};

use super::shell::{render, Page};
use super::{
    amount, bound_here, call, escape, family_of, field, menu, names_of, placement_button, text, title_of,
};
use crate::portal::Portal;

/// The records of one stage: the first page, and how many there are.
fn column(portal: &Portal, type_id: u64, name: &str, stage: &str) -> (Vec<Map<String, Value>>, u64) {
    let (family, item_type) = family_of(type_id, name);
    let Some(f) = crate::crm::stage_field(type_id) else {
        return (Vec::new(), 0);
    };
    let mut params = json!({"filter": {f: stage}, "start": 0});
    if let Some(t) = item_type {
        params["entityTypeId"] = json!(t);
    }
    match call(portal, &format!("{family}.list"), params) {
        Ok(listed) => {
            let rows = match listed.result {
                Value::Array(rows) => rows,
                Value::Object(mut o) => match o.remove("items") {
                    Some(Value::Array(rows)) => rows,
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let rows = rows
                .into_iter()
                .filter_map(|r| match r {
                    Value::Object(o) => Some(o),
                    _ => None,
                })
                .collect();
            (rows, listed.total.unwrap_or(0))
        }
        Err(_) => (Vec::new(), 0),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html("<p>This entity has no pipeline.</p>".to_owned()),
    )
        .into_response()
}

fn funnels_toolbar(portal: &Portal, e: &str) -> String {
    let bound = portal.placements();
    let items: Vec<String> = bound_here(&bound, Family::FUNNELS_TOOLBAR, Some(e))
        .iter()
        .map(|b| placement_button(b, None, false))
        .collect();
    format!(
        "<a class=\"ui-btn ui-btn-light\" href=\"/portal/crm/{e}/list/\">List</a>{}",
        menu(
            "Pipelines and tunnels",
            "funnels",
            "<span class=\"menu-link muted\">General pipeline</span>",
            &items
        )
    )
}

/// `GET /portal/crm/{entity}/kanban/`.
pub(crate) async fn kanban(State(portal): State<Arc<Portal>>, Path(entity): Path<String>) -> Response {
    let e = entity.to_ascii_lowercase();
    let Some(type_id) = crate::crm::type_id_of(&e) else {
        return not_found();
    };
    let stages = crate::crm::pipeline(type_id);
    if stages.is_empty() {
        return not_found();
    }
    let mut columns = String::new();
    for s in stages {
        let (rows, total) = column(&portal, type_id, &e, s.id);
        let mut cards = String::new();
        for o in &rows {
            let id: u64 = text(field(o, "ID")).parse().unwrap_or(0);
            let options: String = stages
                .iter()
                .map(|t| {
                    format!(
                        "<option value=\"{}\"{}>{}</option>",
                        escape(t.id),
                        if t.id == s.id { " selected" } else { "" },
                        escape(t.name)
                    )
                })
                .collect();
            cards.push_str(&format!(
                "<div class=\"kanban-card\" draggable=\"true\" data-b24-kanban-card=\"{id}\"><a href=\"/portal/crm/{e}/details/{id}/\">{title}</a>\
                 <div class=\"kanban-amount\">{amount}</div>\
                 <form method=\"post\" class=\"kanban-move\"><input type=\"hidden\" name=\"ID\" value=\"{id}\">\
                 <select name=\"STAGE\" data-b24=\"kanban-move\" aria-label=\"Move to stage\">{options}</select>\
                 <button type=\"submit\" class=\"ui-btn ui-btn-xs\">Move</button></form></div>",
                title = escape(&title_of(o)),
                amount = escape(&amount(o)),
            ));
        }
        let more = if total as usize > rows.len() {
            format!(
                "<div class=\"muted\">and {} more</div>",
                total as usize - rows.len()
            )
        } else {
            String::new()
        };
        columns.push_str(&format!(
            "<div class=\"kanban-column\" data-b24-column=\"{id}\"><div class=\"kanban-head\" style=\"--stage:{color}\">{name} <span class=\"count\">{total}</span></div>{cards}{more}</div>",
            id = escape(s.id),
            color = escape(s.color),
            name = escape(s.name),
        ));
    }
    let (plural, _) = names_of(&e);
    render(Page {
        title: &format!("{plural}: pipeline"),
        active: if e == "deal" { "kanban" } else { &e },
        toolbar: funnels_toolbar(&portal, &e),
        body: format!("<div class=\"kanban\" data-b24=\"kanban\">{columns}</div>"),
    })
}

/// `POST /portal/crm/{entity}/kanban/` `ID`, `STAGE`: a card moved, through `*.update`.
pub(crate) async fn move_stage(
    State(portal): State<Arc<Portal>>,
    Path(entity): Path<String>,
    body: String,
) -> Response {
    let form = crate::params::parse_query(&body);
    let e = entity.to_ascii_lowercase();
    let (Some(type_id), Some(id), Some(stage)) = (
        crate::crm::type_id_of(&e),
        form.get("ID")
            .and_then(Value::as_str)
            .and_then(|i| i.parse::<u64>().ok()),
        form.get("STAGE").and_then(Value::as_str),
    ) else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>ID and STAGE are required.</p>".to_owned()),
        )
            .into_response();
    };
    let Some(f) = crate::crm::stage_field(type_id) else {
        return not_found();
    };
    let (family, item_type) = family_of(type_id, &e);
    let mut params = json!({"id": id, "fields": {f: stage}});
    if let Some(t) = item_type {
        params["entityTypeId"] = json!(t);
    }
    super::write_then(
        &portal,
        vec![(format!("{family}.update"), params)],
        format!("/portal/crm/{e}/kanban/"),
    )
}

/// `GET /portal/crm/{entity}/automation/`.
pub(crate) async fn automation(State(portal): State<Arc<Portal>>, Path(entity): Path<String>) -> Response {
    let e = entity.to_ascii_lowercase();
    let Some(type_id) = crate::crm::type_id_of(&e) else {
        return not_found();
    };
    let bound = portal.placements();
    let items: Vec<String> = bound_here(&bound, Family::ROBOT_DESIGNER_TOOLBAR, Some(&e))
        .iter()
        .map(|b| placement_button(b, None, false))
        .collect();
    let columns: String = crate::crm::pipeline(type_id)
        .iter()
        .map(|s| {
            format!(
                "<div class=\"kanban-column\"><div class=\"kanban-head\" style=\"--stage:{}\">{}</div>\
                 <div class=\"robot muted\">Robots: none</div><div class=\"robot muted\">Triggers: none</div></div>",
                escape(s.color),
                escape(s.name)
            )
        })
        .collect();
    let (plural, _) = names_of(&e);
    render(Page {
        title: &format!("{plural}: automation rules"),
        active: if e == "deal" { "automation" } else { &e },
        toolbar: format!(
            "<a class=\"ui-btn ui-btn-light\" href=\"/portal/crm/{e}/kanban/\">Pipeline</a>{}",
            menu("Applications", "robot-designer", "", &items)
        ),
        body: format!("<div class=\"kanban automation\" data-b24=\"automation\">{columns}</div>"),
    })
}
