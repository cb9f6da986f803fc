//! What the local portal sends a placement's handler when a user opens it: the request of
//! its family, exactly (the query/body split, its PLACEMENT_OPTIONS with `URI`, a token
//! the portal accepts, the application token of the install), and a log of those
//! requests with the tokens masked.

use b24_placement::placement::{Call, Entity, Family, KnownPlacement};
use serde_json::{json, Map, Value};

use crate::portal::Portal;
use b24_placement::Secret;

/// A handler request the portal makes: where, how, and with what.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub placement: String,
    pub handler: String,
    /// `POST`, or `GET` for BI_ANALYTICS_MENU.
    pub method: &'static str,
    /// DOMAIN, PROTOCOL, LANG, APP_SID (none for a GET without data).
    pub query: Vec<(String, String)>,
    /// The form body.
    pub fields: Vec<(String, String)>,
}

/// The tokens a request carries, masked in the log.
const SECRET_FIELDS: &[&str] = &["AUTH_ID", "REFRESH_ID", "APPLICATION_TOKEN"];

impl Opened {
    /// The request as JSON, tokens masked (`***`): what `GET /portal/requests` lists.
    pub fn masked(&self) -> Value {
        let pairs = |v: &[(String, String)]| -> Map<String, Value> {
            v.iter()
                .map(|(k, val)| {
                    let shown = if SECRET_FIELDS.contains(&k.as_str()) {
                        "***".to_owned()
                    } else {
                        val.clone()
                    };
                    (k.clone(), Value::String(shown))
                })
                .collect()
        };
        json!({"placement": self.placement, "handler": self.handler, "method": self.method,
               "query": pairs(&self.query), "fields": pairs(&self.fields)})
    }

    /// The request as the browser must send it (tokens included): for the portal's page,
    /// which posts it into the placement's frame, as Bitrix24's page does.
    pub fn to_json(&self) -> Value {
        let pairs =
            |v: &[(String, String)]| -> Vec<Value> { v.iter().map(|(k, val)| json!([k, val])).collect() };
        json!({"placement": self.placement, "handler": self.handler, "method": self.method,
               "query": pairs(&self.query), "fields": pairs(&self.fields)})
    }
}

/// Where in the portal a family's page is, for the `URI` key.
fn uri(placement: &KnownPlacement, id: Option<u64>) -> String {
    let entity = placement
        .entity()
        .map(|e| match e {
            Entity::DYNAMIC(n) => format!("type/{n}"),
            other => other.kind().as_str().to_ascii_lowercase(),
        })
        .unwrap_or_else(|| "deal".to_owned());
    match placement.family() {
        Family::LIST_MENU | Family::LIST_TOOLBAR => format!("/crm/{entity}/list/"),
        Family::ROBOT_DESIGNER_TOOLBAR => format!("/crm/{entity}/automation/0/"),
        Family::FUNNELS_TOOLBAR => format!("/crm/{entity}/kanban/"),
        Family::ANALYTICS_MENU | Family::ANALYTICS_TOOLBAR => "/report/analytics/".to_owned(),
        Family::BANK_DETAIL_AUTOCOMPLETE => format!(
            "/bitrix/components/bitrix/crm.requisite.details/slider.ajax.php?requisite_id=n0&etype=4&eid={}&external_context_id=COMPANY_{0}&IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER",
            id.unwrap_or(1)
        ),
        _ => format!("/crm/{entity}/details/{}/", id.unwrap_or(1)),
    }
}

/// The PLACEMENT_OPTIONS of a family, as Bitrix24 sends them (ids as strings).
fn options(placement: &KnownPlacement, id: Option<u64>, query: &str) -> Value {
    let id = id.unwrap_or(1).to_string();
    let entity = placement.entity();
    let mut o = match placement.family() {
        Family::LIST_MENU | Family::DETAIL_TAB | Family::DETAIL_ACTIVITY => json!({"ID": id}),
        Family::DETAIL_TOOLBAR => match entity {
            Some(Entity::LEAD | Entity::DEAL | Entity::CONTACT | Entity::COMPANY) => json!({"ID": id}),
            _ => json!({"ENTITY_ID": id}),
        },
        Family::DOCUMENTGENERATOR_BUTTON => json!({"ENTITY_ID": id}),
        Family::ACTIVITY_TIMELINE_MENU => {
            json!({"ENTITY_ID": id, "ASSOCIATED_ENTITY_ID": "1", "ASSOCIATED_ENTITY_TYPE_ID": "6"})
        }
        Family::DETAIL_SEARCH => json!({"entityTypeName": "COMPANY", "searchQuery": query}),
        Family::REQUISITE_AUTOCOMPLETE | Family::BANK_DETAIL_AUTOCOMPLETE => json!({"searchQuery": query}),
        _ => json!({}),
    };
    o["URI"] = Value::String(uri(placement, Some(id.parse().unwrap_or(1))));
    o
}

/// An app session id: random, as Bitrix24's are (two frames opened in the same second
/// must not share a name).
fn app_sid() -> String {
    crate::oauth::random_token("", 16)
}

impl Portal {
    /// The request the portal makes when a user opens `code` (for the object `id`, with
    /// `query` typed in a search field), served at `host`; recorded in the log. `None`
    /// when the app has bound no handler for it, or the code is unknown.
    pub fn open(&self, code: &str, id: Option<u64>, query: &str, host: &str) -> Option<Opened> {
        let placement: KnownPlacement = code.parse().ok()?;
        let bound = self.placements().into_iter().find(|b| b.placement == code)?;
        let opened = if placement.family().call() == Call::GetWithoutData {
            Opened {
                placement: code.to_owned(),
                handler: bound.handler,
                method: "GET",
                query: Vec::new(),
                fields: Vec::new(),
            }
        } else {
            self.post_request(code, bound.handler, options(&placement, id, query), host)
        };
        self.record(opened.masked());
        Some(opened)
    }

    /// The POST a handler gets: the query (DOMAIN, PROTOCOL, LANG, APP_SID) and the form
    /// with fresh tokens, the install's application token, PLACEMENT and its options.
    fn post_request(&self, code: &str, handler: String, options: Value, host: &str) -> Opened {
        let issued = self.issue_tokens();
        let app_token = self
            .application_token()
            .map(|t| t.expose().to_owned())
            .unwrap_or_default();
        let pairs = |v: &[(&str, String)]| {
            v.iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<Vec<_>>()
        };
        Opened {
            placement: code.to_owned(),
            handler,
            method: "POST",
            query: pairs(&[
                ("DOMAIN", host.to_owned()),
                ("PROTOCOL", "0".to_owned()),
                ("LANG", "en".to_owned()),
                // a new one for every frame: the frame is named after it
                ("APP_SID", app_sid()),
            ]),
            fields: pairs(&[
                ("AUTH_ID", issued.access_token.expose().to_owned()),
                ("AUTH_EXPIRES", self.config.token_lifetime.as_secs().to_string()),
                ("REFRESH_ID", issued.refresh_token.expose().to_owned()),
                ("SERVER_ENDPOINT", format!("http://{host}/rest/")),
                ("APPLICATION_TOKEN", app_token),
                ("APPLICATION_SCOPE", "crm,placement".to_owned()),
                ("member_id", Portal::MEMBER_ID.to_owned()),
                ("status", "L".to_owned()),
                ("PLACEMENT", code.to_owned()),
                ("PLACEMENT_OPTIONS", options.to_string()),
            ]),
        }
    }

    /// Sets the app's own page: what a local application's settings call its handler
    /// path, opened in a slider by a timeline record's `openRestApp`.
    pub fn set_app_url(&self, url: impl Into<String>) {
        self.lock().app_url = Some(url.into());
    }

    /// The request that opens the app's own slider from a timeline record's
    /// `openRestApp` action: `PLACEMENT=DEFAULT`, with the record's context
    /// (`entityTypeId`, `entityId`, `activityId`) as its options. The app's page is
    /// [`set_app_url`](Self::set_app_url)'s, else the handler of its first placement;
    /// `None` when there is neither.
    pub fn open_app(&self, target: crate::timeline::Target, host: &str) -> Option<Opened> {
        let set = self.lock().app_url.clone();
        let handler = match set {
            Some(url) => url,
            None => self.placements().into_iter().next()?.handler,
        };
        let (owner_type_id, owner_id) = self.record_owner(target).unwrap_or((0, 0));
        let mut options = json!({"entityTypeId": owner_type_id, "entityId": owner_id});
        match target {
            crate::timeline::Target::Activity(id) => options["activityId"] = json!(id),
            crate::timeline::Target::Timeline(id) => options["timelineId"] = json!(id),
        }
        let opened = self.post_request("DEFAULT", handler, options, host);
        self.record(opened.masked());
        Some(opened)
    }

    /// The application token of the last install this portal made.
    pub fn application_token(&self) -> Option<Secret> {
        self.lock().application_token.clone()
    }
}
