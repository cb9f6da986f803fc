//! The portal's own pages: a CRM card with every placement the app has bound for its
//! entity, where Bitrix24 puts it (each element carries `data-b24-placement`), opening the
//! handler in a slider with its family's request; and the log of those requests.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use b24_placement::placement::{Entity, Family, KnownPlacement};

use serde_json::{json, Value};

use crate::portal::{Bound, Portal};

pub(crate) fn routes() -> Router<Arc<Portal>> {
    Router::new()
        .route("/portal/crm/{entity}/details/{id}/", get(card).post(save_card))
        .route("/portal/crm/{entity}/list/", get(list))
        .route("/portal/crm/{entity}/kanban/", get(kanban))
        .route("/portal/crm/{entity}/automation/", get(automation))
        .route("/portal/report/analytics/", get(analytics))
        .route("/portal/open", post(open))
        .route("/portal/timeline/action", post(timeline_action))
        .route("/portal/timeline/open", post(timeline_open))
        .route("/portal/requests", get(requests))
        .route(
            "/portal/assets/preview.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/javascript")],
                    crate::assets::PREVIEW_JS,
                )
            }),
        )
        .route(
            "/portal/assets/preview.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], crate::assets::PREVIEW_CSS) }),
        )
}

use b24_html::assets::FRAME_PROTOCOL_JS;
use b24_html::escape_html as escape;

fn host(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| b24_placement::request::is_valid_domain(h))
        .unwrap_or("localhost")
        .to_owned()
}

/// The entity as the portal's paths name it: `deal`, `smart_invoice`, `dynamic_183`.
fn entity_name(e: Entity) -> String {
    match e {
        Entity::DYNAMIC(n) => format!("dynamic_{n}"),
        other => other.kind().as_str().to_ascii_lowercase(),
    }
}

/// An area of a page: where Bitrix24 puts the placements of some families, for an
/// entity (`None`: codes without one), the object's id, and whether the user types a
/// query first (the search and autofill fields).
struct Area {
    title: &'static str,
    families: &'static [Family],
    entity: Option<String>,
    id: Option<u64>,
    query: bool,
}

fn render_area(bound: &[Bound], area: &Area) -> String {
    let items: String = bound
        .iter()
        .filter_map(|b| {
            let p: KnownPlacement = b.placement.parse().ok()?;
            let same_entity = p.entity().map(entity_name) == area.entity
                // a deal page shows the deals' pipelines code, which has no entity
                || (p.entity().is_none() && area.entity.as_deref() == Some("deal") && p.family() == Family::FUNNELS_TOOLBAR);
            (area.families.contains(&p.family()) && same_entity).then(|| {
                let id = area.id.map(|i| format!(" data-id=\"{i}\"")).unwrap_or_default();
                // a DETAIL_ACTIVITY bound with the built-in interface: the card draws it
                let built_in = if b.options.get("useBuiltInInterface").and_then(Value::as_str) == Some("Y") {
                    " data-built-in=\"Y\""
                } else {
                    ""
                };
                let query = if area.query { " data-query=\"field\"" } else { "" };
                format!(
                    "<button type=\"button\" data-b24-placement=\"{}\"{id}{query}{built_in}>{}</button>",
                    escape(&b.placement),
                    escape(&b.title)
                )
            })
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    let field = if area.query {
        "<input class=\"b24-query\" placeholder=\"Type at least 3 characters\" value=\"Daisy\">"
    } else {
        ""
    };
    format!("<section><h3>{}</h3>{field}{items}</section>", escape(area.title))
}

fn page(title: &str, bound: &[Bound], areas: &[Area], extra: &str) -> Response {
    let mut body: String = areas.iter().map(|a| render_area(bound, a)).collect();
    if body.is_empty() {
        body = "<p>The app has bound no placement here.</p>".into();
    }
    // the portal's own pages: framed by nobody else
    let policy = [(header::CONTENT_SECURITY_POLICY, "frame-ancestors 'self'")];
    (policy, Html(format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title><style>{CSS}</style></head><body>\n\
         <header>Local portal · {t}</header>\n<main>{extra}{body}<div id=\"built-in\" hidden></div></main>\n\
         <div id=\"slider\" hidden><div id=\"slider-title\"></div><button id=\"slider-close\" type=\"button\">Close</button></div>\n\
         <ol id=\"portal-log\"></ol>\n<h3>The last handler request (tokens masked)</h3><pre id=\"portal-request\" data-b24=\"request\"></pre>\n<script>{FRAME_PROTOCOL_JS}</script>\n<script>{JS}</script>\n</body></html>\n",
        t = escape(title),
    )))
    .into_response()
}

/// `GET /portal/crm/{entity}/details/{id}/`: a card.
async fn card(State(portal): State<Arc<Portal>>, Path((entity, id)): Path<(String, u64)>) -> Response {
    let e = Some(entity.to_ascii_lowercase());
    let area = |title, families: &'static [Family], query| Area {
        title,
        families,
        entity: e.clone(),
        id: Some(id),
        query,
    };
    let mut areas = vec![
        area("Tabs of the card", &[Family::DETAIL_TAB], false),
        area("The card's top button menu", &[Family::DETAIL_TOOLBAR], false),
        area("More, above the timeline", &[Family::DETAIL_ACTIVITY], false),
        area(
            "Document > Extensions",
            &[Family::DOCUMENTGENERATOR_BUTTON],
            false,
        ),
        area(
            "A timeline record's menu > Extensions",
            &[Family::ACTIVITY_TIMELINE_MENU],
            false,
        ),
    ];
    // the form's client search, and a company's requisite and bank-detail fields
    let single = |title, families: &'static [Family]| Area {
        title,
        families,
        entity: None,
        id: Some(id),
        query: true,
    };
    areas.push(single(
        "Client search (Contact, Company fields of the form)",
        &[Family::DETAIL_SEARCH],
    ));
    if entity.eq_ignore_ascii_case("company") || entity.eq_ignore_ascii_case("contact") {
        areas.push(single(
            "Details: requisite autofill",
            &[Family::REQUISITE_AUTOCOMPLETE],
        ));
        areas.push(single(
            "Banking details: find details",
            &[Family::BANK_DETAIL_AUTOCOMPLETE],
        ));
    }
    let mut record = record_form(&portal, &entity, id);
    if let Some(type_id) = crate::crm::type_id_of(&entity) {
        record.push_str(&crate::timeline_ui::render(&portal, &entity, type_id, id));
    }
    page(
        &format!("{} #{id}", entity.to_ascii_uppercase()),
        &portal.placements(),
        &areas,
        &record,
    )
}

/// The record's title, and a form that changes it or adds a comment to its timeline.
fn record_form(portal: &Portal, entity: &str, id: u64) -> String {
    let type_id = crate::crm::type_id_of(entity).unwrap_or(0);
    let title = portal
        .lock()
        .crm
        .objects
        .get(&type_id)
        .and_then(|m| m.get(&id))
        .and_then(|o| o.get("TITLE").or_else(|| o.get("title")).cloned());
    let Some(title) = title else {
        return "<section><h3>This record</h3><p>There is no such record.</p></section>".into();
    };
    let title = title
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| title.to_string());
    format!(
        "<section><h3>This record</h3><form method=\"post\" data-b24=\"record-form\">\
         <label>Title <input name=\"TITLE\" data-b24=\"record-title\" value=\"{}\"></label>\
         <label>Comment for the timeline <input name=\"COMMENT\" data-b24=\"record-comment\"></label>\
         <button type=\"submit\" data-b24=\"record-save\">Save</button></form></section>",
        escape(&title)
    )
}

/// `POST /portal/crm/{entity}/details/{id}/`: the card's form saved through the same
/// methods as the REST side (`crm.<entity>.update` or `crm.item.update`,
/// `crm.timeline.comment.add`), so the change raises its events; back to the card.
async fn save_card(
    State(portal): State<Arc<Portal>>,
    Path((entity, id)): Path<(String, u64)>,
    body: String,
) -> Response {
    let form = crate::params::parse_query(&body);
    let text = |k: &str| {
        form.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let entity = entity.to_ascii_lowercase();
    let Some(type_id) = crate::crm::type_id_of(&entity) else {
        return (StatusCode::NOT_FOUND, Html("<p>No such entity.</p>".to_owned())).into_response();
    };
    let mut calls = Vec::new();
    if let Some(title) = text("TITLE") {
        let classic = !matches!(type_id, 31 | 128..);
        calls.push(if classic {
            (
                format!("crm.{entity}.update"),
                json!({"id": id, "fields": {"TITLE": title}}),
            )
        } else {
            (
                "crm.item.update".to_owned(),
                json!({"entityTypeId": type_id, "id": id, "fields": {"title": title}}),
            )
        });
    }
    if let Some(comment) = text("COMMENT") {
        calls.push((
            "crm.timeline.comment.add".to_owned(),
            json!({"fields": {"ENTITY_ID": id, "ENTITY_TYPE": entity, "COMMENT": comment}}),
        ));
    }
    for (method, params) in calls {
        let params = match params {
            Value::Object(p) => p,
            _ => serde_json::Map::new(),
        };
        if let Err(f) = portal.run(crate::oauth::Caller::App, &method, &params, false) {
            let message = format!(
                "<p data-b24=\"record-error\">{method}: {}</p>",
                escape(&f.description)
            );
            return (StatusCode::BAD_REQUEST, Html(message)).into_response();
        }
    }
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/portal/crm/{entity}/details/{id}/"))],
    )
        .into_response()
}

/// `GET /portal/crm/{entity}/list/`: a list, its toolbar and each row's menu.
async fn list(State(portal): State<Arc<Portal>>, Path(entity): Path<String>) -> Response {
    let e = entity.to_ascii_lowercase();
    let type_id = crate::crm::type_id_of(&e).unwrap_or(0);
    let ids = portal.ids_of(type_id, 10);
    let mut areas = vec![Area {
        title: "Above the list",
        families: &[Family::LIST_TOOLBAR],
        entity: Some(e.clone()),
        id: None,
        query: false,
    }];
    for id in ids {
        areas.push(Area {
            title: "A row's menu",
            families: &[Family::LIST_MENU],
            entity: Some(e.clone()),
            id: Some(id),
            query: false,
        });
    }
    page(
        &format!("{} list", e.to_ascii_uppercase()),
        &portal.placements(),
        &areas,
        "",
    )
}

/// `GET /portal/crm/{entity}/kanban/` and `/automation/`: the pipelines window and the
/// automation designer's header.
async fn kanban(State(portal): State<Arc<Portal>>, Path(entity): Path<String>) -> Response {
    let e = Some(entity.to_ascii_lowercase());
    let areas = [Area {
        title: "Pipelines and tunnels",
        families: &[Family::FUNNELS_TOOLBAR],
        entity: e,
        id: None,
        query: false,
    }];
    page("Pipelines", &portal.placements(), &areas, "")
}

async fn automation(State(portal): State<Arc<Portal>>, Path(entity): Path<String>) -> Response {
    let e = Some(entity.to_ascii_lowercase());
    let areas = [Area {
        title: "Sales automation header",
        families: &[Family::ROBOT_DESIGNER_TOOLBAR],
        entity: e,
        id: None,
        query: false,
    }];
    page("Automation rules", &portal.placements(), &areas, "")
}

/// `GET /portal/report/analytics/`: the CRM analytics menu and header, the BI menu.
async fn analytics(State(portal): State<Arc<Portal>>) -> Response {
    let area = |title, families: &'static [Family]| Area {
        title,
        families,
        entity: None,
        id: None,
        query: false,
    };
    let areas = [
        area("CRM analytics: Applications menu", &[Family::ANALYTICS_MENU]),
        area("CRM analytics: header", &[Family::ANALYTICS_TOOLBAR]),
        area("BI analytics", &[Family::BI_ANALYTICS_MENU]),
    ];
    page("CRM analytics", &portal.placements(), &areas, "")
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

const CSS: &str = "body{font:14px sans-serif;margin:0;background:#eef2f4}header{background:#2fc6f6;color:#fff;padding:10px 16px}\
main{padding:16px}section{background:#fff;border-radius:8px;padding:8px 12px;margin-bottom:10px}\
section h3{margin:4px 0;font-size:13px;color:#525c69}button{margin:4px}\
#slider{position:fixed;top:0;right:0;bottom:0;width:60%;background:#fff;box-shadow:-4px 0 12px #0003}\
#slider iframe{width:100%;height:calc(100% - 40px);border:0}#portal-log{font:12px monospace;color:#525c69}\
.tl-item{display:flex;gap:10px;margin:8px 0}.tl-icon{flex:0 0 40px;height:40px;border-radius:50%;background:#2fc6f6;color:#fff;font-size:9px;display:flex;align-items:center;justify-content:center;overflow:hidden}\
.tl-card{flex:1;background:#fff;border:1px solid #dfe3e8;border-radius:8px;padding:8px 12px}.tl-header{display:flex;gap:8px;align-items:center;margin-bottom:6px}\
.tl-title{font-weight:600;color:#333}.tl-tag{font-size:11px;border-radius:10px;padding:1px 8px;border:0}.tl-tag-warning{background:#faf4a0}.tl-tag-success{background:#e2f1b7}\
.tl-tag-failure{background:#ffe8e8;color:#c00}.tl-tag-primary{background:#e5f9ff;color:#0b66c3}.tl-tag-secondary{background:#eef2f4;color:#525c69}\
.tl-body{display:flex;gap:10px}.tl-logo{flex:0 0 48px;height:48px;border-radius:6px;background:#eef2f4;font-size:9px;display:flex;align-items:center;justify-content:center}\
.tl-blocks,.tl-set{flex:1}.tl-set{border-top:1px dashed #dfe3e8;margin-top:6px;padding-top:6px}.tl-block{margin:2px 0}.tl-bold{font-weight:700}\
.tl-with-title .tl-label{color:#828b95;margin-right:6px}.tl-with-title:not(.tl-inline) .tl-label{display:block}.tl-line .tl-block{display:inline-block;margin-right:6px}\
.tl-size-xs{font-size:11px}.tl-size-sm{font-size:12px}.tl-color-base_50{color:#a8adb4}.tl-color-base_60{color:#959ca4}.tl-color-base_70{color:#828b95}.tl-color-base_90{color:#333}\
.tl-footer{display:flex;gap:6px;align-items:center;margin-top:8px}.tl-button{border-radius:16px;padding:4px 14px;border:1px solid #c6cdd3;background:#fff}\
.tl-button-primary{background:#3bc8f5;border-color:#3bc8f5;color:#fff}.tl-menu ul{margin:0;padding-left:16px}.tl-loading{opacity:.5;pointer-events:none}\
.tl-deadline{color:#0b66c3;border-bottom:1px dashed}";

/// Opens a placement in the slider: the request comes from the portal, is posted into
/// the frame (named as Bitrix24 names it), and the frame protocol is answered.
const JS: &str = r#"(function () {
  "use strict";
  var slider = document.getElementById("slider"), frame = null, current = null, events = {};
  function showRequest() {
    fetch("/portal/requests").then(function (r) { return r.json(); }).then(function (all) {
      document.getElementById("portal-request").textContent = JSON.stringify(all[all.length - 1] || null, null, 2);
    });
  }
  function log(text) { var li = document.createElement("li"); li.textContent = text; document.getElementById("portal-log").appendChild(li); }
  document.getElementById("slider-close").addEventListener("click", function () { slider.hidden = true; });
  document.querySelectorAll("[data-b24-placement]").forEach(function (b) {
    b.addEventListener("click", function () {
      fetch("/portal/open", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ placement: b.getAttribute("data-b24-placement"), id: b.getAttribute("data-id"),
          query: b.getAttribute("data-query") ? (b.parentNode.querySelector(".b24-query") || {}).value || "" : "" }) })
        .then(function (r) { return r.json(); })
        .then(function (req) {
          if (b.getAttribute("data-built-in") === "Y") { builtIn(req); b.disabled = true; return; }
          show(req, b.textContent);
        });
    });
  });
  // the timeline's actions: a restEvent goes to the app through the portal, an
  // openRestApp opens the app's slider with the record's context
  document.querySelectorAll("[data-b24-rest-event]").forEach(function (b) {
    b.addEventListener("click", function () {
      fetch("/portal/timeline/action", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ target: b.getAttribute("data-target"), pointer: b.getAttribute("data-pointer") }) })
        .then(function (r) { return r.json(); })
        .then(function (a) { log(a.ok ? "restEvent sent: onCrmTimelineItemAction" : "refused: " + a.error); location.reload(); });
    });
  });
  document.querySelectorAll("[data-b24-open-app]").forEach(function (b) {
    b.addEventListener("click", function () {
      fetch("/portal/timeline/open", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ target: b.getAttribute("data-target"), pointer: b.getAttribute("data-pointer") }) })
        .then(function (r) { return r.json(); })
        .then(function (req) { if (req.error) { log(req.error); return; } show(req, b.textContent); });
    });
  });
  function show(req, title) {
          if (frame) frame.remove();
          var q = {}; req.query.forEach(function (p) { q[p[0]] = p[1]; });
          var f = {}; req.fields.forEach(function (p) { f[p[0]] = p[1]; });
          current = { query: q, fields: f, placement: req.placement };
          frame = document.createElement("iframe");
          frame.name = (q.DOMAIN || location.host) + "|" + (q.PROTOCOL || "0") + "|" + (q.APP_SID || "");
          frame.setAttribute("data-b24-frame", req.placement);
          slider.appendChild(frame);
          document.getElementById("slider-title").textContent = title;
          slider.hidden = false;
          if (req.method === "GET") { frame.src = req.handler; log("opened " + req.placement); return; }
          var form = document.createElement("form");
          form.method = req.method; form.target = frame.name;
          form.action = req.handler + (req.query.length ? "?" + new URLSearchParams(req.query).toString() : "");
          req.fields.forEach(function (p) { var i = document.createElement("input"); i.type = "hidden"; i.name = p[0]; i.value = p[1]; form.appendChild(i); });
          document.body.appendChild(form); form.submit(); form.remove();
          log("opened " + req.placement);
          showRequest();
  }
  // the built-in interface: the widget's page runs in a hidden frame, the card draws its
  // layout (the same renderer as the app's preview)
  function builtIn(req) {
    var q = {}; req.query.forEach(function (p) { q[p[0]] = p[1]; });
    var host = document.getElementById("built-in");
    host.hidden = false;
    var css = document.createElement("link"); css.rel = "stylesheet"; css.href = "/portal/assets/preview.css"; document.head.appendChild(css);
    host.innerHTML = '<div id="card"><div id="layout"></div><div id="buttons"></div></div>' +
      '<aside><button id="entity-update" type="button">Simulate: saved in the editor</button><ol id="log"></ol></aside>';
    var widget = document.createElement("iframe");
    widget.id = "widget"; widget.name = q.DOMAIN + "|" + q.PROTOCOL + "|" + q.APP_SID; widget.hidden = true;
    host.appendChild(widget);
    var form = document.createElement("form");
    form.id = "placement-form"; form.method = "POST"; form.target = widget.name;
    form.action = req.handler + "?" + new URLSearchParams(req.query).toString();
    req.fields.forEach(function (p) { var i = document.createElement("input"); i.type = "hidden"; i.name = p[0]; i.value = p[1]; form.appendChild(i); });
    host.appendChild(form);
    var script = document.createElement("script"); script.src = "/portal/assets/preview.js"; document.body.appendChild(script);
    log("opened " + req.placement + " (built-in interface)");
  }

  // the frame protocol (frame-protocol.js): COMMAND:PARAMS:CALLBACK:APP_SID
  B24Frame.listen(function () { return frame; }, function (m) {
    var command = m.command, callback = m.callback, raw = m.raw, params = m.badParams ? null : m.params;
    var result = {};
    if (command === "getInitData") {
      // what BX24.js and the official SDK read at start: the request the frame was opened with
      var c = current || { query: {}, fields: {} }, options = {};
      try { options = JSON.parse(c.fields.PLACEMENT_OPTIONS || "{}"); } catch (_) { options = {}; }
      result = { LANG: c.query.LANG || "en", DOMAIN: c.query.DOMAIN || location.host, PROTOCOL: 0, PATH: "/rest",
        APP_SID: c.query.APP_SID || "", AUTH_ID: c.fields.AUTH_ID || "", AUTH_EXPIRES: Number(c.fields.AUTH_EXPIRES || 0),
        REFRESH_ID: c.fields.REFRESH_ID || "", MEMBER_ID: c.fields.member_id || "", IS_ADMIN: true, INSTALL: true,
        FIRST_RUN: false, USER_OPTIONS: {}, APP_OPTIONS: {}, PLACEMENT: c.placement || "", PLACEMENT_OPTIONS: options };
    }
    else if (command === "resizeWindow" && params) { frame.style.height = (params.height || 0) + "px"; }
    else if (command === "setTitle" && params) { document.getElementById("slider-title").textContent = params.title || ""; }
    else if (command === "closeApplication") { slider.hidden = true; }
    else if (command === "crmShowFoundEntities" && params) {
      // the search's options, shown under the field that asked, as the form shows them
      var list = document.getElementById("found") || document.createElement("ul");
      list.id = "found"; list.textContent = "";
      (params.data || []).forEach(function (o) {
        var li = document.createElement("li"); li.setAttribute("data-b24-found", o.id);
        li.textContent = o.name + (o.phone ? " · " + o.phone : "") + (o.email ? " · " + o.email : "");
        // picking an option: the portal tells the app, which creates the entity
        li.addEventListener("click", function () {
          var cb = events.onCrmEntityIsNeedToCreate;
          if (cb) B24Frame.reply(frame, cb, { appSid: (current && current.query.APP_SID) || "", data: o });
          log("onCrmEntityIsNeedToCreate " + o.id);
        });
        list.appendChild(li);
      });
      if (!(params.data || []).length) { var none = document.createElement("li"); none.textContent = "(the app found nothing: its item is greyed out)"; list.appendChild(none); }
      var field = document.querySelector(".b24-query"); (field ? field.parentNode : document.body).appendChild(list);
    }
    else if (command === "crmShowCreatedEntity" && params) {
      var f = document.querySelector(".b24-query"); if (f) f.value = params.title || "";
    }
    else if (command === "placementBindEvent" && params && params.event) {
      // an event the app listens to: answered later, when it happens
      events[params.event] = callback; log(command + " " + params.event); return;
    }
    else if (command === "reloadData" || command === "openPath" || command === "openApplication") { }
    else { log("ignored, as Bitrix24 ignores it: " + command); }
    log(command + (raw ? " " + raw : ""));
    B24Frame.reply(frame, callback, result);
  });
})();"#;
