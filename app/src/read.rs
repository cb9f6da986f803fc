//! Reading `b24.toml`: the TOML as written (every value with its place), then each
//! declaration checked as the portal would check it, every error at once with its line,
//! column, key and help.

use std::collections::BTreeSet;

use b24_placement::bind::PlacementBind;
use b24_placement::event::{EventBind, EventName};
use b24_placement::placement::KnownPlacement;
use serde::Deserialize;
use toml::Spanned;

use crate::{App, AppError, EventDecl, PlacementDecl};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    app: Spanned<RawApp>,
    #[serde(default)]
    placement: Vec<Spanned<RawPlacement>>,
    #[serde(default)]
    event: Vec<Spanned<RawEvent>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApp {
    name: Spanned<String>,
    url: Spanned<String>,
    scopes: Option<Spanned<Vec<Spanned<String>>>>,
    client_id_env: Option<Spanned<String>>,
    client_secret_env: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlacement {
    code: Spanned<String>,
    handler: Spanned<String>,
    title: Spanned<String>,
    description: Option<Spanned<String>>,
    built_in_interface: Option<Spanned<bool>>,
    options: Option<Spanned<toml::Table>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: Spanned<String>,
    handler: Option<Spanned<String>>,
    offline: Option<Spanned<bool>>,
    auth_connector: Option<Spanned<String>>,
    min_timeout: Option<Spanned<u64>>,
}

/// The line and column (from 1) of byte `at` of `text`.
pub(crate) fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct Errors<'a> {
    text: &'a str,
    list: Vec<AppError>,
}

impl Errors<'_> {
    fn at(
        &mut self,
        span: std::ops::Range<usize>,
        key: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let (line, column) = line_column(self.text, span.start);
        self.list.push(AppError {
            line,
            column,
            key: key.into(),
            message: message.into(),
            help,
        });
    }
}

/// A handler path: absolute within the app (`/handler`), no scheme, no spaces.
fn path_error(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some(format!(
            "`{path}` is not a path of the app: it starts with `/` (the app's address is `app.url`)"
        ));
    }
    if path.starts_with("//") || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("`{path}` is not a path"));
    }
    None
}

/// `message; did you mean X?` split into the message and its help.
fn split_help(message: &str) -> (String, Option<String>) {
    match message.split_once("; ") {
        Some((m, help)) => (m.to_owned(), Some(help.to_owned())),
        None => (message.to_owned(), None),
    }
}

pub(crate) fn parse(text: &str) -> Result<App, Vec<AppError>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
        vec![AppError {
            line,
            column,
            key: String::new(),
            message: e.message().trim().to_owned(),
            help: None,
        }]
    })?;
    let mut errors = Errors {
        text,
        list: Vec::new(),
    };
    let app = raw.app.into_inner();
    let url = app.url.get_ref().trim_end_matches('/').to_owned();
    // what a handler's address must be, as placement.bind checks it
    if !b24_placement::bind::handler_ok(&url) {
        errors.at(
            app.url.span(),
            "app.url",
            format!("`{url}` is not where an app can be served"),
            Some("an absolute https URL (http only on localhost): Bitrix24 calls it from outside".into()),
        );
    }
    if app.name.get_ref().trim().is_empty() {
        errors.at(app.name.span(), "app.name", "the app needs a name", None);
    }
    let mut placements = Vec::new();
    let mut needed: BTreeSet<&'static str> = BTreeSet::new();
    for (i, p) in raw.placement.into_iter().enumerate() {
        let p = p.into_inner();
        let key = |k: &str| format!("placement[{i}].{k}");
        let code: KnownPlacement = match p.code.get_ref().parse() {
            Ok(c) => c,
            Err(e) => {
                let (m, help) = split_help(&e.to_string());
                errors.at(p.code.span(), key("code"), m, help);
                continue;
            }
        };
        needed.insert(code.scope().as_str());
        needed.insert("placement");
        if let Some(m) = path_error(p.handler.get_ref()) {
            errors.at(p.handler.span(), key("handler"), m, None);
            continue;
        }
        // checked as placement.bind will be, on the app's address
        let mut bind = match PlacementBind::new(
            code,
            format!("{url}{}", p.handler.get_ref()),
            p.title.get_ref().clone(),
        ) {
            Ok(b) => b,
            Err(e) => {
                let span = if e.field == "TITLE" {
                    p.title.span()
                } else {
                    p.handler.span()
                };
                errors.at(span, key(&e.field.to_ascii_lowercase()), e.message, None);
                continue;
            }
        };
        let mut built_in = p.built_in_interface.as_ref().map(|b| (*b.get_ref(), b.span()));
        let mut notification = (None, None);
        let mut countries = None;
        if let Some(options) = &p.options {
            let allowed = code.family().bind_options();
            for (name, value) in options.get_ref() {
                if !allowed.contains(&name.as_str()) {
                    let help = if allowed.is_empty() {
                        format!("{} takes no options", code.family().as_str())
                    } else {
                        format!("{} takes: {}", code.family().as_str(), allowed.join(", "))
                    };
                    errors.at(
                        options.span(),
                        key(&format!("options.{name}")),
                        format!("`{name}` is not an option of {code}"),
                        Some(help),
                    );
                    continue;
                }
                match (name.as_str(), value) {
                    ("useBuiltInInterface", toml::Value::String(s)) if s == "Y" || s == "N" => {
                        built_in = Some((s == "Y", options.span()))
                    }
                    ("useBuiltInInterface", toml::Value::Boolean(b)) => built_in = Some((*b, options.span())),
                    ("newUserNotificationTitle", toml::Value::String(s)) => notification.0 = Some(s.clone()),
                    ("newUserNotificationText", toml::Value::String(s)) => notification.1 = Some(s.clone()),
                    ("countries", toml::Value::Array(ids)) => {
                        countries = Some(
                            ids.iter()
                                .filter_map(|v| v.as_integer())
                                .filter_map(|n| u32::try_from(n).ok())
                                .collect::<Vec<u32>>(),
                        )
                    }
                    (other, _) => errors.at(
                        options.span(),
                        key(&format!("options.{other}")),
                        format!("`{other}` has a value of the wrong type"),
                        Some(match other {
                            "useBuiltInInterface" => {
                                "\"Y\" or \"N\" (or write built_in_interface = true)".into()
                            }
                            "countries" => "a list of country ids: [1, 14]".into(),
                            _ => "a string".into(),
                        }),
                    ),
                }
            }
        }
        let mut failed = false;
        if let Some((on, span)) = built_in.clone() {
            match bind.clone().built_in_interface(on) {
                Ok(b) => bind = b,
                Err(e) => {
                    errors.at(span, key("built_in_interface"), e.message, None);
                    failed = true;
                }
            }
        }
        let both = match &notification {
            (Some(t), Some(x)) => Some((t.clone(), x.clone())),
            _ => None,
        };
        match notification {
            (Some(t), Some(x)) => match bind.clone().new_user_notification(t, x) {
                Ok(b) => bind = b,
                Err(e) => {
                    errors.at(p.code.span(), key("options"), e.message, None);
                    failed = true;
                }
            },
            (None, None) => {}
            _ => {
                let span = p.options.as_ref().map_or(p.code.span(), |o| o.span());
                errors.at(
                    span,
                    key("options"),
                    "newUserNotificationTitle and newUserNotificationText go together",
                    None,
                );
                failed = true;
            }
        }
        if let Some(ids) = &countries {
            match bind.clone().countries(ids) {
                Ok(_) => {}
                Err(e) => {
                    let span = p.options.as_ref().map_or(p.code.span(), |o| o.span());
                    errors.at(span, key("options.countries"), e.message, None);
                    failed = true;
                }
            }
        }
        if !failed {
            placements.push(PlacementDecl {
                code,
                handler: p.handler.into_inner(),
                title: p.title.into_inner(),
                description: p.description.map(Spanned::into_inner),
                built_in_interface: built_in.map(|b| b.0),
                new_user_notification: both,
                countries,
            });
        }
    }
    let mut events = Vec::new();
    for (i, e) in raw.event.into_iter().enumerate() {
        let e = e.into_inner();
        let key = |k: &str| format!("event[{i}].{k}");
        let offline = e.offline.as_ref().is_some_and(|o| *o.get_ref());
        let name = e.name.get_ref().clone();
        let bind = match (&e.handler, offline) {
            (Some(h), false) => {
                if let Some(m) = path_error(h.get_ref()) {
                    errors.at(h.span(), key("handler"), m, None);
                    continue;
                }
                EventBind::online(&name, format!("{url}{}", h.get_ref()))
            }
            (None, true) => EventBind::offline(&name),
            (Some(h), true) => {
                errors.at(
                    h.span(),
                    key("handler"),
                    "an offline event has no handler: the app fetches it",
                    None,
                );
                continue;
            }
            (None, false) => {
                errors.at(
                    e.name.span(),
                    key("handler"),
                    format!("{name} needs a handler path, or `offline = true`"),
                    None,
                );
                continue;
            }
        };
        let mut bind = match bind {
            Ok(b) => b,
            Err(err) => {
                let span = match err.field {
                    "event" | "event_type" => e.name.span(),
                    _ => e.handler.as_ref().map_or(e.name.span(), |h| h.span()),
                };
                let (m, help) = split_help(&err.message);
                errors.at(
                    span,
                    key(if err.field == "event" { "name" } else { err.field }),
                    m,
                    help,
                );
                continue;
            }
        };
        if let Some(c) = &e.auth_connector {
            match bind.clone().auth_connector(c.get_ref().clone()) {
                Ok(b) => bind = b,
                Err(err) => {
                    errors.at(c.span(), key("auth_connector"), err.message, None);
                    continue;
                }
            }
        }
        if let Some(t) = &e.min_timeout {
            match bind.clone().min_timeout(*t.get_ref()) {
                Ok(b) => bind = b,
                Err(err) => {
                    errors.at(t.span(), key("min_timeout"), err.message, None);
                    continue;
                }
            }
        }
        // CRM events need `crm`; the app's own events `basic`, which every app has
        if matches!(
            bind.event(),
            EventName::Crm { .. } | EventName::DealMoveToCategory | EventName::Listed(_)
        ) {
            needed.insert("crm");
        }
        events.push(EventDecl {
            name: bind.event().to_string(),
            handler: e.handler.map(Spanned::into_inner),
            offline,
            auth_connector: e.auth_connector.map(Spanned::into_inner),
            min_timeout: e.min_timeout.map(Spanned::into_inner),
        });
    }
    let scopes: Vec<String> = match &app.scopes {
        Some(declared) => {
            let have: BTreeSet<&str> = declared.get_ref().iter().map(|s| s.get_ref().as_str()).collect();
            for need in &needed {
                if !have.contains(need) {
                    errors.at(
                        declared.span(),
                        "app.scopes",
                        format!("the app declares what needs the scope `{need}`, which is not in its scopes"),
                        Some(format!("add \"{need}\"")),
                    );
                }
            }
            declared.get_ref().iter().map(|s| s.get_ref().clone()).collect()
        }
        None => needed.iter().map(|s| (*s).to_owned()).collect(),
    };
    if !errors.list.is_empty() {
        return Err(errors.list);
    }
    Ok(App {
        name: app.name.into_inner(),
        url,
        scopes,
        client_id_env: app
            .client_id_env
            .map_or_else(|| "B24_CLIENT_ID".to_owned(), Spanned::into_inner),
        client_secret_env: app
            .client_secret_env
            .map_or_else(|| "B24_CLIENT_SECRET".to_owned(), Spanned::into_inner),
        placements,
        events,
    })
}
