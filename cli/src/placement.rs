//! `b24 placement`: a handler's POST body read as the widget's handler reads it.

use std::io::Write;

use crate::check::read;

/// Why a body that is not a form (a pasted PHP `print_r` dump, JSON) cannot be read,
/// and what is expected instead; `None` for what looks like a form.
fn not_a_form(body: &str) -> Option<&'static str> {
    let t = body.trim_start();
    if t.starts_with("Array") && t.contains("=>") || t.contains("[DOMAIN] =>") {
        Some("this is a PHP print_r dump, not a handler's POST body")
    } else if t.starts_with('{') {
        Some("this is JSON, not a handler's POST body")
    } else {
        None
    }
}

const FORM_SHAPE: &str = "the body is form-encoded, as the handler receives it: \
DOMAIN=xxx.bitrix24.com&PROTOCOL=1&LANG=en&member_id=...&PLACEMENT=CRM_DEAL_DETAIL_TAB&PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D \
(in PHP: http_build_query($_REQUEST))";

pub fn placement(file: &str, query: Option<&str>) -> std::io::Result<u8> {
    let body = match read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("b24: {file}: cannot read the file: {e}");
            return Ok(2);
        }
    };
    if let Some(what) = not_a_form(&body) {
        eprintln!("b24: {file}: {what}\n  help: {FORM_SHAPE}");
        return Ok(1);
    }
    match b24_placement::HandlerRequest::parse(&body, query) {
        Ok(request) => {
            let summary = serde_json::to_string_pretty(&request.summary()).unwrap_or_default();
            writeln!(std::io::stdout().lock(), "{summary}")?;
            Ok(0)
        }
        Err(e) => {
            eprintln!("b24: {file}: {e}");
            Ok(1)
        }
    }
}
