//! What every page has, as Bitrix24 frames its pages: the left menu (declared once here),
//! the top bar, the page's title with its toolbar, the slider that opens from the right,
//! and the developer panel (the handler requests, folded away).

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::escape;

/// The left menu: (group, label, path, hook). Every page of the portal is reached from
/// here; the home lists the same entries.
pub(crate) const MENU: &[(&str, &str, &str, &str)] = &[
    ("CRM", "Deals", "/portal/crm/deal/list/", "deal"),
    ("CRM", "Leads", "/portal/crm/lead/list/", "lead"),
    ("CRM", "Contacts", "/portal/crm/contact/list/", "contact"),
    ("CRM", "Companies", "/portal/crm/company/list/", "company"),
    ("CRM", "Quotes", "/portal/crm/quote/list/", "quote"),
    (
        "CRM",
        "Invoices",
        "/portal/crm/smart_invoice/list/",
        "smart_invoice",
    ),
    ("CRM", "Invoices (old)", "/portal/crm/invoice/list/", "invoice"),
    ("CRM", "Orders", "/portal/crm/order/list/", "order"),
    ("CRM", "Shipments", "/portal/crm/dynamic_183/list/", "dynamic_183"),
    ("Sales", "Pipelines", "/portal/crm/deal/kanban/", "kanban"),
    (
        "Sales",
        "Automation",
        "/portal/crm/deal/automation/",
        "automation",
    ),
    (
        "Analytics",
        "CRM analytics",
        "/portal/report/analytics/",
        "analytics",
    ),
    ("Analytics", "BI analytics", "/portal/bi/", "bi"),
];

/// A page: its title, the menu entry it belongs to, the toolbar beside the title, its body.
pub(crate) struct Page<'a> {
    pub title: &'a str,
    /// The hook of the menu entry it is under (`deal`, `kanban`...), or "" for the home.
    pub active: &'a str,
    pub toolbar: String,
    pub body: String,
}

fn left_menu(active: &str) -> String {
    let mut out = String::from(
        "<nav class=\"left-menu\" data-b24=\"left-menu\"><a class=\"logo\" href=\"/portal/\" data-b24-nav=\"home\">Bitrix<span>24</span> <small>local</small></a>",
    );
    let mut group = "";
    for (g, label, path, hook) in MENU {
        if *g != group {
            if !group.is_empty() {
                out.push_str("</ul>");
            }
            out.push_str(&format!("<div class=\"menu-title\">{}</div><ul>", escape(g)));
            group = g;
        }
        let class = if *hook == active { " class=\"active\"" } else { "" };
        out.push_str(&format!(
            "<li><a href=\"{path}\" data-b24-nav=\"{hook}\"{class}>{}</a></li>",
            escape(label)
        ));
    }
    out.push_str("</ul></nav>");
    out
}

/// The page as HTML: framed by nobody else (the portal's own pages).
pub(crate) fn render(page: Page<'_>) -> Response {
    let policy = [(header::CONTENT_SECURITY_POLICY, "frame-ancestors 'self'")];
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t} · Bitrix24 (local)</title><link rel=\"stylesheet\" href=\"/portal/assets/portal.css\"></head><body>\n\
         {menu}\n<div class=\"workarea\"><header class=\"top-bar\"><input class=\"top-search\" placeholder=\"Find employee, document and more\" disabled>\
         <span class=\"top-user\">{user}</span></header>\n\
         <div class=\"page-header\"><h1 data-b24=\"page-title\">{t}</h1><div class=\"page-toolbar\">{toolbar}</div></div>\n\
         <main>{body}</main></div>\n\
         <div id=\"slider-overlay\" hidden></div><div id=\"slider\" hidden><div class=\"slider-head\"><span id=\"slider-title\"></span><button id=\"slider-close\" type=\"button\" aria-label=\"Close\">&#x2715;</button></div></div>\n\
         <details id=\"dev-panel\" data-b24=\"dev-panel\"><summary>Developer</summary><div class=\"dev-body\">\
         <h4>Frame protocol</h4><ol id=\"portal-log\"></ol><h4>The last handler request (tokens masked)</h4>\
         <pre id=\"portal-request\" data-b24=\"request\"></pre><p><a href=\"/portal/requests\">Every request (JSON)</a> · <a href=\"/portal/events\">Event deliveries (JSON)</a></p></div></details>\n\
         <script src=\"/portal/assets/frame-protocol.js\"></script>\n<script src=\"/portal/assets/portal.js\"></script>\n</body></html>\n",
        t = escape(page.title),
        menu = left_menu(page.active),
        user = escape(&super::user_name(&crate::crm::USER.0.to_string())),
        toolbar = page.toolbar,
        body = page.body,
    );
    (policy, Html(html)).into_response()
}
