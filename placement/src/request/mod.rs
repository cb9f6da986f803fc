//! What a widget's handler receives: a form-encoded POST (DOMAIN, PROTOCOL, LANG and
//! APP_SID may come in the query string instead), read into a typed request. Tokens are
//! kept in [`Secret`], which never prints them.

use std::borrow::Cow;

use serde_json::{json, Value};

use crate::placement::{Entity, KnownPlacement, Placement};
pub use crate::secret::Secret;

mod domain;
mod options;
mod raw;
mod rest_call;

pub use domain::is_valid_domain;
pub use options::{PlacementOptions, SearchEntity};
pub use rest_call::{read_call_of, RestCall};

use options::parse_options;

/// How the portal is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Http,
    Https,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
        }
    }
}

/// The kind of app that registered the handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppStatus {
    /// `L`: a local app.
    Local,
    /// `F`: a free mass-market app.
    Free,
    /// `D`: a demo.
    Demo,
    /// `T`: a time-limited trial.
    Trial,
    /// `P`: a paid app.
    Paid,
    /// Another letter: Bitrix24 has more than the docs list.
    Other(String),
}

impl AppStatus {
    pub fn as_str(&self) -> &str {
        match self {
            AppStatus::Local => "L",
            AppStatus::Free => "F",
            AppStatus::Demo => "D",
            AppStatus::Trial => "T",
            AppStatus::Paid => "P",
            AppStatus::Other(s) => s,
        }
    }
}

/// A field of the request that is missing or malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RequestError {
    /// The field, as sent (`DOMAIN`, `PLACEMENT_OPTIONS.ID`, ...).
    pub field: String,
    pub message: String,
}

pub(crate) fn err(field: impl Into<String>, message: impl Into<String>) -> RequestError {
    RequestError {
        field: field.into(),
        message: message.into(),
    }
}

/// The handler's request, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerRequest {
    /// The portal's host, optionally with a port.
    pub domain: String,
    pub protocol: Option<Protocol>,
    pub lang: Option<String>,
    pub app_sid: Option<String>,
    pub auth_id: Option<Secret>,
    /// Seconds until `auth_id` expires.
    pub auth_expires: Option<u64>,
    pub refresh_id: Option<Secret>,
    /// The OAuth server's REST address (`https://oauth.bitrix.info/rest/`), where tokens
    /// are refreshed.
    pub server_endpoint: Option<String>,
    /// The app's token on this portal, the same as `application_token` at install: what
    /// proves the call came from Bitrix24.
    pub application_token: Option<Secret>,
    /// The scopes granted to the app, comma-separated (`crm,placement`).
    pub application_scope: Option<String>,
    pub member_id: String,
    pub status: Option<AppStatus>,
    pub placement: Placement,
    pub options: PlacementOptions,
    /// `URI` of PLACEMENT_OPTIONS: the path and query of the page the widget was opened
    /// from (absent when the browser sent no Referer).
    pub uri: Option<String>,
}

/// The fields of a handler request, as last given (the body is read after the query).
#[derive(Default)]
struct Fields<'a> {
    domain: Option<Cow<'a, str>>,
    protocol: Option<Cow<'a, str>>,
    lang: Option<Cow<'a, str>>,
    app_sid: Option<Cow<'a, str>>,
    auth_id: Option<Cow<'a, str>>,
    auth_expires: Option<Cow<'a, str>>,
    refresh_id: Option<Cow<'a, str>>,
    server_endpoint: Option<Cow<'a, str>>,
    application_token: Option<Cow<'a, str>>,
    application_scope: Option<Cow<'a, str>>,
    member_id: Option<Cow<'a, str>>,
    status: Option<Cow<'a, str>>,
    placement: Option<Cow<'a, str>>,
    placement_options: Option<Cow<'a, str>>,
}

impl<'a> Fields<'a> {
    fn read(&mut self, text: &'a str) {
        crate::form::for_each_pair(text.trim().trim_start_matches('?'), |name, value| {
            let slot = match &*name {
                "DOMAIN" => &mut self.domain,
                "PROTOCOL" => &mut self.protocol,
                "LANG" => &mut self.lang,
                "APP_SID" => &mut self.app_sid,
                "AUTH_ID" => &mut self.auth_id,
                "AUTH_EXPIRES" => &mut self.auth_expires,
                "REFRESH_ID" => &mut self.refresh_id,
                "SERVER_ENDPOINT" => &mut self.server_endpoint,
                "APPLICATION_TOKEN" => &mut self.application_token,
                "APPLICATION_SCOPE" => &mut self.application_scope,
                "member_id" => &mut self.member_id,
                "status" => &mut self.status,
                "PLACEMENT" => &mut self.placement,
                "PLACEMENT_OPTIONS" => &mut self.placement_options,
                _ => return,
            };
            *slot = Some(value);
        });
    }
}

impl HandlerRequest {
    /// The portal's origin as the browser sees it: `https://DOMAIN` (`http://` when
    /// `PROTOCOL` is 0), the one that frames the widget.
    pub fn origin(&self) -> String {
        let scheme = match self.protocol {
            Some(Protocol::Http) => "http",
            _ => "https",
        };
        format!("{scheme}://{}", self.domain)
    }

    /// The portal's REST address for this request's tokens: `https://DOMAIN/rest/`.
    pub fn client_endpoint(&self) -> String {
        let mut endpoint = self.origin();
        endpoint.push_str("/rest/");
        endpoint
    }

    /// Reads the POST body (form-encoded) and, when given, the query string of the
    /// handler URL. A field in the body wins over the same field in the query.
    pub fn parse<'a>(body: &'a str, query: Option<&'a str>) -> Result<HandlerRequest, RequestError> {
        let mut f = Fields::default();
        if let Some(q) = query {
            f.read(q);
        }
        f.read(body);
        fn non_empty<'v>(v: &'v Option<Cow<'_, str>>) -> Option<&'v str> {
            v.as_deref().filter(|v| !v.is_empty())
        }

        let domain = non_empty(&f.domain).ok_or_else(|| err("DOMAIN", "required: the portal's host name"))?;
        if !is_valid_domain(domain) {
            return Err(err(
                "DOMAIN",
                "expected a host name, optionally with a port (example.bitrix24.com)",
            ));
        }
        let protocol = match non_empty(&f.protocol) {
            None => None,
            Some("0") => Some(Protocol::Http),
            Some("1") => Some(Protocol::Https),
            Some(_) => return Err(err("PROTOCOL", "expected 0 (http) or 1 (https)")),
        };
        let member_id =
            non_empty(&f.member_id).ok_or_else(|| err("member_id", "required: the portal's id"))?;
        let placement = Placement::parse(
            non_empty(&f.placement).ok_or_else(|| err("PLACEMENT", "required: the placement code"))?,
        );
        let auth_expires = match non_empty(&f.auth_expires) {
            None => None,
            Some(s) => Some(
                s.parse::<u64>()
                    .map_err(|_| err("AUTH_EXPIRES", "expected a number of seconds"))?,
            ),
        };
        let status = non_empty(&f.status).map(|s| match s {
            "L" => AppStatus::Local,
            "F" => AppStatus::Free,
            "D" => AppStatus::Demo,
            "T" => AppStatus::Trial,
            "P" => AppStatus::Paid,
            other => AppStatus::Other(other.to_owned()),
        });
        let (options, uri) = parse_options(f.placement_options.as_deref(), &placement)?;
        let server_endpoint = match non_empty(&f.server_endpoint) {
            None => None,
            Some(s) if s.starts_with("https://") || s.starts_with("http://") => Some(s.to_owned()),
            Some(_) => return Err(err("SERVER_ENDPOINT", "expected an http(s) address")),
        };
        Ok(HandlerRequest {
            domain: domain.to_owned(),
            protocol,
            lang: non_empty(&f.lang).map(str::to_owned),
            app_sid: non_empty(&f.app_sid).map(str::to_owned),
            auth_id: non_empty(&f.auth_id).map(Secret::new),
            auth_expires,
            refresh_id: non_empty(&f.refresh_id).map(Secret::new),
            server_endpoint,
            application_token: non_empty(&f.application_token).map(Secret::new),
            application_scope: non_empty(&f.application_scope).map(str::to_owned),
            member_id: member_id.to_owned(),
            status,
            placement,
            options,
            uri,
        })
    }

    /// The placement, when it is one of the table.
    pub fn known(&self) -> Option<&KnownPlacement> {
        self.placement.known()
    }

    /// The object the widget was opened for: its type and id.
    pub fn entity(&self) -> Option<(Entity, u64)> {
        Some((self.known()?.entity()?, self.options.entity_id()?))
    }

    /// The REST call that reads the object the widget was opened for.
    pub fn read_call(&self) -> Option<RestCall> {
        let (entity, id) = self.entity()?;
        Some(read_call_of(entity, id))
    }

    /// The summary `b24-layout placement` prints: no token in it.
    pub fn summary(&self) -> Value {
        let known = self.known();
        let entity = known.and_then(KnownPlacement::entity);
        json!({
            "placement": self.placement.to_string(),
            "family": known.map(|p| p.family().as_str()),
            "entity": entity.map(|e| e.kind().as_str()),
            "entityTypeId": entity.map(Entity::entity_type_id),
            "entityId": self.options.entity_id(),
            "scope": known.map(|p| p.scope().as_str()),
            "domain": self.domain,
            "protocol": self.protocol.map(Protocol::as_str),
            "lang": self.lang,
            "memberId": self.member_id,
            "status": self.status.as_ref().map(AppStatus::as_str),
            "options": self.options.to_json(),
            "read": self.read_call().map(|c| c.to_json()),
        })
    }
}
