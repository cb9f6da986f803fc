//! `/portal/crm/{entity}/details/{id}/`: a card as Bitrix24 lays it out. The title with the
//! Document button (DOCUMENTGENERATOR_BUTTON) and the "\u{2026}" menu (DETAIL_TOOLBAR); the
//! pipeline's stage bar; the tabs (General, then the app's DETAIL_TAB items); the fields
//! column (the record's fields, editable, its client with the client search
//! (DETAIL_SEARCH), a company's details and bank details with their autocompletes); the
//! timeline column (the editor, its More holding DETAIL_ACTIVITY items, drawn inline with
//! the built-in interface; then the records, each with its menu: ACTIVITY_TIMELINE_MENU).
//! Every change goes through the REST side's methods.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use b24_crm::{FieldType, NameForm};
use b24_placement::placement::Family;
use serde_json::{json, Map, Value};

use super::shell::{render, Page};
use super::{
    bound_here, call, escape, family_of, field, menu, names_of, placement_button, text, title_of, user_name,
};
use crate::portal::Portal;

/// The record `id` of `type_id`, read as the REST side answers `*.get`.
pub(crate) fn read(portal: &Portal, type_id: u64, name: &str, id: u64) -> Option<Map<String, Value>> {
    let (family, item_type) = family_of(type_id, name);
    let mut params = json!({"id": id});
    if let Some(t) = item_type {
        params["entityTypeId"] = json!(t);
    }
    match call(portal, &format!("{family}.get"), params).ok()?.result {
        Value::Object(mut o) => match o.remove("item").or_else(|| o.remove("order")) {
            Some(Value::Object(inner)) => Some(inner),
            _ => Some(o),
        },
        _ => None,
    }
}

/// The types whose card has a client (a contact and a company).
fn has_client(name: &str) -> bool {
    matches!(
        name,
        "deal" | "lead" | "quote" | "smart_invoice" | "dynamic_183" | "invoice"
    )
}

/// The stage bar: each stage a button that moves the record there.
fn stage_bar(type_id: u64, o: &Map<String, Value>) -> String {
    let stages = crate::crm::pipeline(type_id);
    let Some(f) = crate::crm::stage_field(type_id) else {
        return String::new();
    };
    if stages.is_empty() {
        return String::new();
    }
    let current = text(field(o, f));
    let at = stages.iter().position(|s| s.id == current);
    let mut out = String::from("<form method=\"post\" class=\"stage-bar\" data-b24=\"stage-bar\"><input type=\"hidden\" name=\"_form\" value=\"stage\">");
    for (i, s) in stages.iter().enumerate() {
        let state = match at {
            Some(a) if i == a => " current",
            Some(a) if i < a && s.semantics == "P" => " passed",
            _ => "",
        };
        out.push_str(&format!(
            "<button type=\"submit\" name=\"STAGE\" value=\"{id}\" class=\"stage{state}\" style=\"--stage:{color}\" data-b24-stage=\"{id}\"{aria}>{name}</button>",
            id = escape(s.id),
            color = escape(s.color),
            name = escape(s.name),
            aria = if state == " current" { " aria-current=\"step\"" } else { "" },
        ));
    }
    out.push_str("</form>");
    out
}

/// An input for a field the user may change, or `None` when it is shown, not edited.
fn input(f: &b24_crm::Field, value: &Value) -> Option<String> {
    if f.is_read_only || f.is_immutable || f.is_multiple {
        return None;
    }
    let name = escape(&f.name);
    let current = text(Some(value));
    Some(match &f.r#type {
        FieldType::Enumeration => {
            let mut options = String::from("<option value=\"\">(not set)</option>");
            for i in &f.items {
                let selected = if i.id == current { " selected" } else { "" };
                options.push_str(&format!(
                    "<option value=\"{}\"{selected}>{}</option>",
                    escape(&i.id),
                    escape(&i.value)
                ));
            }
            format!("<select name=\"{name}\" data-b24-field=\"{name}\">{options}</select>")
        }
        FieldType::Boolean | FieldType::Char => {
            let (yes, no) = if f.r#type == FieldType::Boolean {
                ("1", "0")
            } else {
                ("Y", "N")
            };
            let is_yes = matches!(current.as_str(), "1" | "Y" | "true");
            let is_no = matches!(current.as_str(), "0" | "N" | "false");
            let unset = if is_yes || is_no {
                ""
            } else {
                "<option value=\"\" selected>(not set)</option>"
            };
            format!(
                "<select name=\"{name}\" data-b24-field=\"{name}\">{unset}<option value=\"{yes}\"{}>Yes</option><option value=\"{no}\"{}>No</option></select>",
                if is_yes { " selected" } else { "" },
                if is_no { " selected" } else { "" },
            )
        }
        FieldType::Date => format!(
            "<input type=\"date\" name=\"{name}\" data-b24-field=\"{name}\" value=\"{}\">",
            escape(current.get(..10).unwrap_or(&current))
        ),
        FieldType::String
        | FieldType::Text
        | FieldType::Double
        | FieldType::Integer
        | FieldType::Money
        | FieldType::Url
        | FieldType::CrmCurrency => format!(
            "<input name=\"{name}\"{title} data-b24-field=\"{name}\" value=\"{}\">",
            escape(&current),
            // the record's title, by the hook the tests and tools know it by
            title = if upper(&f.name) == "TITLE" {
                " data-b24=\"record-title\""
            } else {
                ""
            },
        ),
        _ => return None,
    })
}

/// A value as the card shows it.
fn shown(f: Option<&b24_crm::Field>, value: &Value) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|i| match i.get("VALUE") {
                Some(v) => text(Some(v)),
                None => text(Some(i)),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => value.to_string(),
        v => {
            let t = text(Some(v));
            match f.map(|f| &f.r#type) {
                Some(FieldType::User) => user_name(&t),
                Some(FieldType::Enumeration) => f
                    .and_then(|f| f.items.iter().find(|i| i.id == t))
                    .map_or(t.clone(), |i| i.value.clone()),
                _ => t,
            }
        }
    }
}

/// A user field's name as the portal keeps it: `ufCrm5Route` is `UF_CRM_5_ROUTE`.
fn upper_uf(name: &str) -> String {
    b24_crm::names::to_upper(name).unwrap_or_else(|| name.to_owned())
}

/// A field's name in capitals: `stageId` is `STAGE_ID`.
fn upper(name: &str) -> String {
    if name.chars().any(|c| c.is_ascii_lowercase()) {
        crate::crm::stored_name(name)
    } else {
        name.to_owned()
    }
}

/// A field's label as the card writes it: the portal's title for a user field, a readable
/// name for a standard one (`ASSIGNED_BY_ID`: "Responsible").
fn label(f: &b24_crm::Field, user_labels: &[(String, String)]) -> String {
    if f.is_dynamic {
        let upper = upper_uf(&f.name);
        if let Some((_, l)) = user_labels.iter().find(|(n, _)| *n == upper) {
            return l.clone();
        }
    }
    let upper = upper(&f.name);
    let known = [
        ("OPPORTUNITY", "Amount"),
        ("BEGINDATE", "Start date"),
        ("CLOSEDATE", "Close date"),
        ("ASSIGNED_BY_ID", "Responsible"),
        ("CREATED_BY_ID", "Created by"),
        ("CREATED_BY", "Created by"),
        ("DATE_CREATE", "Created on"),
        ("CREATED_TIME", "Created on"),
        ("DATE_MODIFY", "Modified on"),
        ("CATEGORY_ID", "Pipeline"),
        ("COMMENTS", "Comment"),
        ("OPENED", "Available to everyone"),
        ("ID", "ID"),
    ];
    if let Some((_, l)) = known.iter().find(|(k, _)| *k == upper) {
        return (*l).to_owned();
    }
    let words = upper
        .trim_end_matches("_IDS")
        .trim_end_matches("_ID")
        .replace('_', " ")
        .to_lowercase();
    let mut c = words.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => upper,
    }
}

/// A value shown, as HTML: a stage by its name, a bound contact or company as a link to
/// its card.
fn linked(portal: &Portal, type_id: u64, f: &b24_crm::Field, value: &Value) -> String {
    let t = text(Some(value));
    let is_stage = crate::crm::stage_field(type_id).is_some_and(|s| upper(s) == upper(&f.name));
    if is_stage {
        if let Some(name) = crate::crm::stage_name(type_id, &t) {
            return escape(name);
        }
    }
    let target = match f.r#type {
        FieldType::CrmContact => Some((3, "contact")),
        FieldType::CrmCompany => Some((4, "company")),
        FieldType::CrmLead => Some((1, "lead")),
        FieldType::CrmDeal => Some((2, "deal")),
        _ => None,
    };
    if let (Some((t_id, name)), Ok(id)) = (target, t.parse::<u64>()) {
        if let Some(o) = read(portal, t_id, name, id) {
            return format!(
                "<a href=\"/portal/crm/{name}/details/{id}/\">{}</a>",
                escape(&title_of(&o))
            );
        }
    }
    escape(&shown(Some(f), value))
}

/// The fields column's form: the record's fields, the ones the user may change as inputs.
fn fields_form(portal: &Portal, type_id: u64, o: &Map<String, Value>) -> String {
    let form = if o.keys().any(|k| k == "id") {
        NameForm::Camel
    } else {
        NameForm::Upper
    };
    let (schema, user_labels) = {
        let inner = portal.lock();
        let labels: Vec<(String, String)> = inner
            .crm
            .user_fields
            .iter()
            .filter(|u| u.type_id == type_id)
            .map(|u| (u.field_name.clone(), u.label.clone()))
            .collect();
        (inner.crm.schema(type_id, form, false), labels)
    };
    let mut rows = String::new();
    let always = [
        "TITLE",
        "title",
        "OPPORTUNITY",
        "opportunity",
        "CURRENCY_ID",
        "currencyId",
        "COMMENTS",
        "comments",
    ];
    let mut seen = std::collections::HashSet::new();
    if let Some(schema) = &schema {
        for (name, f) in &schema.fields {
            let value = o.get(name).cloned().unwrap_or(Value::Null);
            let empty = matches!(&value, Value::Null) || value.as_str() == Some("");
            if empty && !always.contains(&name.as_str()) && !f.is_dynamic {
                continue;
            }
            seen.insert(name.clone());
            let label = label(f, &user_labels);
            let cell = match input(f, &value) {
                Some(i) => i,
                None => format!(
                    "<span data-b24-value=\"{}\">{}</span>",
                    escape(name),
                    linked(portal, type_id, f, &value)
                ),
            };
            rows.push_str(&format!(
                "<label class=\"field\"><span class=\"field-name\">{}</span>{cell}</label>",
                escape(&label)
            ));
        }
    }
    // what the schema does not describe (an order's fields): shown as sent
    for (name, value) in o {
        if seen.contains(name) || schema.as_ref().is_some_and(|s| s.fields.contains_key(name)) {
            continue;
        }
        rows.push_str(&format!(
            "<label class=\"field\"><span class=\"field-name\">{}</span><span data-b24-value=\"{}\">{}</span></label>",
            escape(name),
            escape(name),
            escape(&shown(None, value))
        ));
    }
    format!(
        "<form method=\"post\" class=\"fields\" data-b24=\"record-form\"><input type=\"hidden\" name=\"_form\" value=\"fields\">{rows}\
         <div class=\"form-buttons\"><button type=\"submit\" class=\"ui-btn ui-btn-success\" data-b24=\"record-save\">Save</button></div></form>"
    )
}

/// A query field with the app's buttons beside it (search, autofill).
fn query_field(placeholder: &str, hook: &str, buttons: &[String]) -> String {
    format!(
        "<div class=\"query-field\" data-b24=\"{hook}\"><input class=\"b24-query\" placeholder=\"{}\">{}</div>",
        escape(placeholder),
        buttons.concat()
    )
}

/// The client block: the contact and company of the record, and the client search.
fn client(portal: &Portal, o: &Map<String, Value>, search: &[String]) -> String {
    let mut rows = String::new();
    for (key, type_id, name) in [("CONTACT_ID", 3, "contact"), ("COMPANY_ID", 4, "company")] {
        let id: u64 = text(field(o, key)).parse().unwrap_or(0);
        if id == 0 {
            continue;
        }
        if let Some(c) = read(portal, type_id, name, id) {
            rows.push_str(&format!(
                "<div class=\"client\"><span class=\"field-name\">{}</span><a href=\"/portal/crm/{name}/details/{id}/\" data-b24-client=\"{name}\">{}</a></div>",
                escape(&names_of(name).1),
                escape(&title_of(&c))
            ));
        }
    }
    format!(
        "<section class=\"panel\" data-b24=\"client-block\"><h3>Client</h3>{rows}{}</section>",
        query_field(
            "Contact or company name, phone or e-mail",
            "client-search",
            search
        )
    )
}

/// `GET /portal/crm/{entity}/details/{id}/`.
pub(crate) async fn card(
    State(portal): State<Arc<Portal>>,
    Path((entity, id)): Path<(String, u64)>,
) -> Response {
    let e = entity.to_ascii_lowercase();
    let Some(type_id) = crate::crm::type_id_of(&e) else {
        return (StatusCode::NOT_FOUND, Html("<p>No such entity.</p>".to_owned())).into_response();
    };
    let (plural, singular) = names_of(&e);
    let Some(o) = read(&portal, type_id, &e, id) else {
        return render(Page {
            title: &format!("{singular} #{id}"),
            active: &e,
            toolbar: String::new(),
            body: format!(
                "<section class=\"panel\"><p data-b24=\"no-record\">There is no such record. <a href=\"/portal/crm/{e}/list/\">{}</a></p></section>",
                escape(&plural)
            ),
        });
    };
    let bound = portal.placements();
    let here = |family| bound_here(&bound, family, Some(&e));
    let buttons = |family, query| -> Vec<String> {
        here(family)
            .iter()
            .map(|b| placement_button(b, Some(id), query))
            .collect()
    };
    let singles = |family| -> Vec<String> {
        bound_here(&bound, family, None)
            .iter()
            .map(|b| placement_button(b, Some(id), true))
            .collect()
    };
    let toolbar = format!(
        "{}{}",
        menu(
            "Document",
            "document",
            "<span class=\"menu-link muted\">Templates: none yet</span><div class=\"menu-group\">Extensions</div>",
            &buttons(Family::DOCUMENTGENERATOR_BUTTON, false)
        ),
        menu("\u{2026}", "detail-toolbar", "", &buttons(Family::DETAIL_TOOLBAR, false)),
    );
    let tabs: String = here(Family::DETAIL_TAB)
        .iter()
        .map(|b| super::placement_tab(b, id))
        .collect();
    let mut left = fields_form(&portal, type_id, &o);
    left = format!(
        "<section class=\"panel\" data-b24=\"about\"><h3>About {}</h3>{left}</section>",
        escape(&singular.to_lowercase())
    );
    if has_client(&e) {
        left.push_str(&client(&portal, &o, &singles(Family::DETAIL_SEARCH)));
    }
    if matches!(e.as_str(), "company" | "contact") {
        left.push_str(&format!(
            "<section class=\"panel\" data-b24=\"requisites\"><h3>Details</h3>{}</section><section class=\"panel\" data-b24=\"bank-details\"><h3>Bank details</h3>{}</section>",
            query_field("Tax ID or company name", "requisite-field", &singles(Family::REQUISITE_AUTOCOMPLETE)),
            query_field("BIC or bank name", "bank-field", &singles(Family::BANK_DETAIL_AUTOCOMPLETE)),
        ));
    }
    let more = menu(
        "More",
        "activity-more",
        "",
        &buttons(Family::DETAIL_ACTIVITY, false),
    );
    let editor = format!(
        "<section class=\"panel editor\" data-b24=\"editor\"><div class=\"editor-tabs\"><span class=\"editor-tab active\">Comment</span>{more}</div>\
         <form method=\"post\" class=\"comment-form\"><input type=\"hidden\" name=\"_form\" value=\"comment\">\
         <textarea name=\"COMMENT\" data-b24=\"record-comment\" placeholder=\"Leave a comment\"></textarea>\
         <button type=\"submit\" class=\"ui-btn ui-btn-primary\" data-b24=\"comment-save\">Send</button></form>\
         <div id=\"built-in\" hidden></div></section>"
    );
    let record_menu = menu(
        "\u{2026}",
        "record",
        "",
        &buttons(Family::ACTIVITY_TIMELINE_MENU, false),
    );
    let timeline = crate::timeline_ui::render(&portal, &e, type_id, id, &record_menu);
    let body = format!(
        "{stages}<nav class=\"tabs\" data-b24=\"tabs\"><button type=\"button\" class=\"tab active\" data-b24-tab=\"main\">General</button>{tabs}</nav>\
         <div id=\"tab-content\" hidden></div>\
         <div class=\"card-columns\" id=\"card-main\"><div class=\"col-fields\">{left}</div><div class=\"col-timeline\">{editor}{timeline}</div></div>",
        stages = stage_bar(type_id, &o),
    );
    render(Page {
        title: &title_of(&o),
        active: &e,
        toolbar,
        body,
    })
}

/// `POST /portal/crm/{entity}/details/{id}/`: a form of the card, saved through the REST
/// side's methods (`crm.<entity>.update` or `crm.item.update`, `crm.timeline.comment.add`),
/// so the change raises its events; back to the card.
pub(crate) async fn save(
    State(portal): State<Arc<Portal>>,
    Path((entity, id)): Path<(String, u64)>,
    body: String,
) -> Response {
    let form = crate::params::parse_query(&body);
    let e = entity.to_ascii_lowercase();
    let Some(type_id) = crate::crm::type_id_of(&e) else {
        return (StatusCode::NOT_FOUND, Html("<p>No such entity.</p>".to_owned())).into_response();
    };
    let value = |k: &str| {
        form.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    let (family, item_type) = family_of(type_id, &e);
    let update = |fields: Map<String, Value>| {
        let mut params = json!({"id": id, "fields": fields});
        if let Some(t) = item_type {
            params["entityTypeId"] = json!(t);
        }
        (format!("{family}.update"), params)
    };
    let mut calls = Vec::new();
    match value("_form").as_str() {
        "stage" => {
            let stage = value("STAGE");
            if let Some(f) = crate::crm::stage_field(type_id).filter(|_| !stage.is_empty()) {
                let mut fields = Map::new();
                fields.insert(f.to_owned(), Value::String(stage));
                calls.push(update(fields));
            }
        }
        "comment" => {
            let comment = value("COMMENT");
            if !comment.is_empty() {
                calls.push((
                    "crm.timeline.comment.add".to_owned(),
                    json!({"fields": {"ENTITY_ID": id, "ENTITY_TYPE": e, "COMMENT": comment}}),
                ));
            }
        }
        _ => {
            // the fields that changed, in the spelling the method reads
            let current = read(&portal, type_id, &e, id).unwrap_or_default();
            let mut fields = Map::new();
            for (k, v) in &form {
                if k.starts_with('_') {
                    continue;
                }
                let new = text(Some(v)).trim().to_owned();
                let old = text(current.get(k));
                let same = new == old || (old.len() > 10 && old.get(..10) == Some(new.as_str()));
                if !same {
                    fields.insert(k.clone(), Value::String(new));
                }
            }
            if !fields.is_empty() {
                calls.push(update(fields));
            }
        }
    }
    super::write_then(&portal, calls, format!("/portal/crm/{e}/details/{id}/"))
}
