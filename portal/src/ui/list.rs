//! `/portal/crm/{entity}/list/?page=N`: the records as a table (ID, title or name, stage or
//! status, amount, responsible, date), read a page at a time through the list method the
//! REST side answers (`crm.deal.list` with `start`), never all at once; each row's
//! "\u{2026}" menu holds the app's LIST_MENU items, the toolbar the LIST_TOOLBAR items.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use b24_placement::placement::Family;
use serde_json::{json, Map, Value};

use super::shell::{render, Page};
use super::{
    amount, bound_here, call, escape, family_of, field, menu, names_of, placement_button, text, title_of,
    user_name,
};
use crate::crm::PAGE;
use crate::portal::Portal;

/// A record's stage or status, by its name in the pipeline when it has one.
pub(crate) fn stage_name(type_id: u64, o: &Map<String, Value>) -> String {
    let Some(f) = crate::crm::stage_field(type_id) else {
        return String::new();
    };
    let id = text(field(o, f));
    crate::crm::stage_name(type_id, &id).map_or(id, str::to_owned)
}

/// `GET /portal/crm/{entity}/list/`.
pub(crate) async fn list(
    State(portal): State<Arc<Portal>>,
    Path(entity): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let e = entity.to_ascii_lowercase();
    let Some(type_id) = crate::crm::type_id_of(&e) else {
        return (StatusCode::NOT_FOUND, Html("<p>No such entity.</p>".to_owned())).into_response();
    };
    let page = query
        .as_deref()
        .map(crate::params::parse_query)
        .and_then(|q| {
            q.get("page")
                .and_then(Value::as_str)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .unwrap_or(1)
        .max(1);
    let (family, item_type) = family_of(type_id, &e);
    let mut params = json!({"start": (page - 1) * PAGE as u64, "order": {"ID": "ASC"}});
    if let Some(t) = item_type {
        params["entityTypeId"] = json!(t);
        params["order"] = json!({"id": "ASC"});
    }
    let method = format!("{family}.list");
    let (rows, total) = match call(&portal, &method, params) {
        Ok(listed) => {
            let rows = match listed.result {
                Value::Array(rows) => rows,
                Value::Object(mut o) => match o.remove("items").or_else(|| o.remove("orders")) {
                    Some(Value::Array(rows)) => rows,
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            (rows, listed.total.unwrap_or(0))
        }
        Err(f) => {
            let body = format!(
                "<section class=\"panel\"><p data-b24=\"list-error\">{method}: {}</p></section>",
                escape(&f.description)
            );
            return render(Page {
                title: &names_of(&e).0,
                active: &e,
                toolbar: String::new(),
                body,
            });
        }
    };
    let bound = portal.placements();
    let row_menu = bound_here(&bound, Family::LIST_MENU, Some(&e));
    let mut body_rows = String::new();
    for row in &rows {
        let Value::Object(o) = row else { continue };
        let id: u64 = text(field(o, "ID")).parse().unwrap_or(0);
        let items: Vec<String> = row_menu
            .iter()
            .map(|b| placement_button(b, Some(id), false))
            .collect();
        let own = format!("<a class=\"menu-link\" href=\"/portal/crm/{e}/details/{id}/\">View</a>");
        let date = text(field(o, "DATE_CREATE").or_else(|| o.get("createdTime")));
        body_rows.push_str(&format!(
            "<tr data-b24-row=\"{id}\"><td class=\"row-menu\">{menu}</td><td>{id}</td>\
             <td><a href=\"/portal/crm/{e}/details/{id}/\" data-b24-row-link=\"{id}\">{title}</a></td>\
             <td>{stage}</td><td class=\"num\">{amount}</td><td>{user}</td><td>{date}</td></tr>",
            menu = menu("\u{2026}", "row", &own, &items),
            title = escape(&title_of(o)),
            stage = escape(&stage_name(type_id, o)),
            amount = escape(&amount(o)),
            user = escape(&user_name(&text(field(o, "ASSIGNED_BY_ID")))),
            date = escape(date.get(..10).unwrap_or(&date)),
        ));
    }
    if body_rows.is_empty() {
        body_rows = "<tr><td colspan=\"7\" class=\"muted\">No records.</td></tr>".into();
    }
    let pages = total.div_ceil(PAGE as u64).max(1);
    let mut pager = String::new();
    for n in 1..=pages {
        if n == page {
            pager.push_str(&format!(
                "<span class=\"page current\" data-b24-page=\"{n}\">{n}</span>"
            ));
        } else {
            pager.push_str(&format!(
                "<a class=\"page\" href=\"?page={n}\" data-b24-page=\"{n}\">{n}</a>"
            ));
        }
    }
    let toolbar_items: Vec<String> = bound_here(&bound, Family::LIST_TOOLBAR, Some(&e))
        .iter()
        .map(|b| placement_button(b, None, false))
        .collect();
    let kanban = if crate::crm::pipeline(type_id).is_empty() {
        String::new()
    } else {
        format!("<a class=\"ui-btn ui-btn-light\" href=\"/portal/crm/{e}/kanban/\">Kanban</a>")
    };
    let toolbar = format!(
        "{kanban}{}",
        menu("Applications", "list-toolbar", "", &toolbar_items)
    );
    let (plural, _) = names_of(&e);
    let body = format!(
        "<section class=\"panel list\"><table class=\"grid\" data-b24=\"list\" data-b24-total=\"{total}\"><thead><tr><th></th><th>ID</th><th>Name</th><th>Stage</th><th>Amount</th><th>Responsible</th><th>Created</th></tr></thead>\
         <tbody>{body_rows}</tbody></table><div class=\"pager\">Total: {total} · {pager}</div></section>"
    );
    render(Page {
        title: &plural,
        active: &e,
        toolbar,
        body,
    })
}
