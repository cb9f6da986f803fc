//! The local preview: the portal's part, played in the browser without a portal.

use axum::extract::OriginalUri;
use axum::http::{header, HeaderMap};
use axum::response::Html;
use b24_placement::request::is_valid_domain;

use crate::escape::escape_html;

const PREVIEW_JS: &str = include_str!("../assets/preview.js");
const PREVIEW_CSS: &str = include_str!("../assets/preview.css");

/// The local preview: the portal's part, hosting the widget page of `handler` in an
/// iframe named as Bitrix24 names it (`DOMAIN|PROTOCOL|APP_SID`).
pub fn preview_page(host: &str, handler: &str, placement: &str) -> Html<String> {
    let host = if is_valid_domain(host) { host } else { "localhost" };
    let fields = [
        ("DOMAIN", host),
        ("PROTOCOL", "0"),
        ("LANG", "en"),
        ("APP_SID", "preview"),
        ("member_id", "preview"),
        ("status", "L"),
        ("PLACEMENT", placement),
        ("PLACEMENT_OPTIONS", r#"{"ID":"1"}"#),
    ];
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape_html(k),
                escape_html(v)
            )
        })
        .collect();
    let frame = escape_html(&format!("{host}|0|preview"));
    Html(format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Widget preview</title><style>{PREVIEW_CSS}</style></head><body>\n\
         <header>Deal #1 · timeline · <b>{placement}</b> (local preview, no portal)</header>\n\
         <main><div id=\"card\"><div id=\"layout\"></div><div id=\"buttons\"></div></div>\n\
         <aside><button id=\"entity-update\" type=\"button\">Simulate: deal saved in the editor</button><ol id=\"log\"></ol></aside></main>\n\
         <iframe id=\"widget\" name=\"{frame}\" title=\"widget\"></iframe>\n\
         <form id=\"placement-form\" method=\"post\" action=\"{action}\" target=\"{frame}\">{inputs}</form>\n\
         <script>{PREVIEW_JS}</script>\n</body></html>\n",
        placement = escape_html(placement),
        action = escape_html(handler),
    ))
}

/// `GET /` of the router: the preview of the router's own handler, wherever the router
/// is mounted (`/` gives `/handler`, `/deal/` or `/deal` gives `/deal/handler`).
pub(crate) async fn preview(OriginalUri(uri): OriginalUri, headers: HeaderMap) -> Html<String> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let handler = format!("{}/handler", uri.path().trim_end_matches('/'));
    preview_page(host, &handler, "CRM_DEAL_DETAIL_ACTIVITY")
}
