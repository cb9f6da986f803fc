//! The local preview: the portal's part, played in the browser without a portal.

use std::sync::Arc;

use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap};
use axum::response::Html;
use b24_placement::request::is_valid_domain;

use b24_html::assets::{FRAME_PROTOCOL_JS, PREVIEW_CSS, PREVIEW_JS};
use b24_html::escape_html;

/// Makes the extra fields of a preview's handler request, given the host it is served as.
pub type PreviewFields = Arc<dyn Fn(&str) -> Vec<(String, String)> + Send + Sync>;

/// What the preview opens the widget with, beyond what it always sends: the object's id,
/// extra fields of the handler request (a token the local portal accepts, its
/// SERVER_ENDPOINT), and where to read the object's timeline from.
#[derive(Clone)]
pub struct Preview {
    /// The deal the widget is opened for (`PLACEMENT_OPTIONS.ID`); 1 by default.
    pub entity_id: u64,
    /// Fields added to the handler request for each frame the preview opens (the host it
    /// is served as is given: `127.0.0.1:3000`): a token of the local portal, the
    /// application token. They are added on the server (`POST /preview/handler`): never
    /// put in the page.
    pub fields: Option<PreviewFields>,
    /// A URL (same origin) that answers the object's timeline comments as a REST list
    /// (`{"result": [{"ID", "COMMENT"}]}`), shown beside the widget as the card shows it.
    pub timeline: Option<String>,
}

impl Default for Preview {
    fn default() -> Self {
        Preview {
            entity_id: 1,
            fields: None,
            timeline: None,
        }
    }
}

/// The local preview: the portal's part, hosting the widget page of `handler` in an
/// iframe named as Bitrix24 names it (`DOMAIN|PROTOCOL|APP_SID`).
pub fn preview_page(host: &str, handler: &str, placement: &str) -> Html<String> {
    preview_page_with(host, handler, placement, &Preview::default())
}

/// The local preview, opening the widget as `preview` says.
pub fn preview_page_with(host: &str, handler: &str, placement: &str, preview: &Preview) -> Html<String> {
    let host = if is_valid_domain(host) { host } else { "localhost" };
    let options = format!("{{\"ID\":\"{}\"}}", preview.entity_id);
    let fields: Vec<(String, String)> = [
        ("DOMAIN", host),
        ("PROTOCOL", "0"),
        ("LANG", "en"),
        ("APP_SID", "preview"),
        ("member_id", "preview"),
        ("status", "L"),
        ("PLACEMENT", placement),
        ("PLACEMENT_OPTIONS", options.as_str()),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
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
    let timeline = match &preview.timeline {
        Some(url) => format!(
            "<h3>Timeline</h3><ol id=\"timeline\" data-b24=\"timeline\" data-source=\"{}\"></ol>",
            escape_html(url)
        ),
        None => String::new(),
    };
    let frame = escape_html(&format!("{host}|0|preview"));
    Html(format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Widget preview</title><style>{PREVIEW_CSS}</style></head><body>\n\
         <header>Deal #{id} · timeline · <b>{placement}</b> (local preview, no portal)</header>\n\
         <main><div id=\"card\"><div id=\"layout\"></div><div id=\"buttons\"></div></div>\n\
         <aside>{timeline}<button id=\"entity-update\" type=\"button\">Simulate: deal saved in the editor</button><ol id=\"log\"></ol></aside></main>\n\
         <iframe id=\"widget\" name=\"{frame}\" title=\"widget\"></iframe>\n\
         <form id=\"placement-form\" method=\"post\" action=\"{action}\" target=\"{frame}\">{inputs}</form>\n\
         <script>{FRAME_PROTOCOL_JS}</script>\n<script>{PREVIEW_JS}</script>\n</body></html>\n",
        id = preview.entity_id,
        placement = escape_html(placement),
        action = escape_html(handler),
    ))
}

/// `GET /` of the router: the preview of the router's own handler, wherever the router
/// is mounted (`/` gives `/handler`, `/deal/` or `/deal` gives `/deal/handler`); with
/// server-side fields, its `/preview/handler`.
pub(crate) async fn preview(
    State(preview): State<Arc<Preview>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> impl axum::response::IntoResponse {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let base = uri.path().trim_end_matches('/');
    let handler = if preview.fields.is_some() {
        format!("{base}/preview/handler")
    } else {
        format!("{base}/handler")
    };
    // a page of its own origin: framed by nobody else
    (
        [(header::CONTENT_SECURITY_POLICY, "frame-ancestors 'self'")],
        preview_page_with(host, &handler, "CRM_DEAL_DETAIL_ACTIVITY", &preview),
    )
}

/// Middleware of `POST /preview/handler`: the preview's form, with the server-side fields
/// added, then handled as `POST /handler` handles any frame (verified the same way, on
/// an app's router). Its events go to the router's `/event`.
pub(crate) async fn add_fields(
    State(preview): State<Arc<Preview>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Result<axum::response::Response, crate::Error> {
    let (mut parts, body) = request.into_parts();
    let host_name = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_owned();
    let body = crate::extract::read_limited(body).await?;
    let text = std::str::from_utf8(&body).map_err(|_| crate::Error::Body("is not UTF-8"))?;
    let body = {
        let mut form = form_urlencoded::Serializer::new(text.to_owned());
        if let Some(fields) = &preview.fields {
            for (k, v) in fields(&host_name) {
                form.append_pair(&k, &v);
            }
        }
        form.finish()
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    // the page's events go to the router's `/event`, beside `/preview/handler`
    let path = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(parts.uri.path(), |o| o.path())
        .to_owned();
    let base = path.trim_end_matches('/').trim_end_matches("/preview/handler");
    parts
        .extensions
        .insert(crate::host::EventUrl(format!("{base}/event")));
    Ok(next
        .run(axum::extract::Request::from_parts(
            parts,
            axum::body::Body::from(body),
        ))
        .await)
}
