//! The portal's events: what Bitrix24 POSTs to an app's event handler (`event`,
//! `event_handler_id`, `data[...]`, `ts`, `auth[...]`, form-encoded), read into a typed
//! [`PortalEvent`] and written back the same way (the local portal sends them, `b24 event
//! send` too); the names of the docs' table ([`EventName`]); and the params of
//! `event.bind` ([`EventBind`]).
//!
//! ```
//! use b24_placement::event::{Action, Object, Payload, PortalEvent};
//!
//! let body = "event=ONCRMDEALUPDATE&event_handler_id=7&data%5BFIELDS%5D%5BID%5D=662&ts=1735000000\
//!             &auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=da45&auth%5Bapplication_token%5D=t0k";
//! let event = PortalEvent::parse(body).unwrap();
//! let Payload::Crm(change) = &event.payload else { panic!() };
//! assert_eq!((change.object, change.action, change.id), (Object::Deal, Action::Update, 662));
//! ```

mod bind;
mod name;
mod nested;

use std::fmt;

use serde_json::{json, Map, Value};

use crate::placement::Entity;
use crate::secret::Secret;

pub use bind::{BoundEvent, EventBind};
pub use name::{Action, AppEvent, EventName, Object};

/// Why an event's form was refused: the field at fault (`event`, `data[FIELDS][ID]`,
/// `auth[member_id]`...) and what is wrong with it. Never a token's value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{field}`: {message}")]
pub struct EventError {
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> EventError {
    EventError {
        field: field.into(),
        message: message.into(),
    }
}

/// The `auth[...]` of an event: who it comes from, and the tokens the docs send with it
/// (none for an automation's change or an uninstall). Debug never shows a token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventAuth {
    pub domain: String,
    pub member_id: String,
    pub client_endpoint: Option<String>,
    pub server_endpoint: Option<String>,
    /// L, F, D, T or P.
    pub status: Option<String>,
    pub scope: Option<String>,
    pub user_id: Option<u64>,
    /// What proves the event came from the portal: compared with the one stored at install.
    pub application_token: Option<Secret>,
    pub access_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    pub expires_in: Option<u64>,
}

/// A CRM object's change: the object kind, what happened, its id, and for items the
/// entityTypeId.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrmChange {
    pub object: Object,
    pub action: Action,
    pub id: u64,
    /// `data[FIELDS][ENTITY_TYPE_ID]` of an item (31 a smart invoice, >= 128 a custom type).
    pub entity_type_id: Option<u32>,
}

impl CrmChange {
    /// The entity of the placement table the object is (`None` for a timeline comment).
    pub fn entity(&self) -> Option<Entity> {
        self.object.entity(self.entity_type_id)
    }
}

/// What an event says, typed for the app's events and the CRM's objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// `ONCRM{LEAD,DEAL,CONTACT,COMPANY,QUOTE,INVOICE,ACTIVITY,DYNAMICITEM,TIMELINECOMMENT}{ADD,UPDATE,DELETE}`.
    Crm(CrmChange),
    /// `ONCRMDEALMOVETOCATEGORY`: the deal, its new funnel and stage.
    DealMovedToCategory {
        id: u64,
        category_id: u64,
        stage_id: String,
    },
    /// `ONAPPINSTALL`.
    Install {
        version: String,
        active: bool,
        installed: bool,
        language_id: String,
    },
    /// `ONAPPUPDATE`: a new version, and a new application token in `auth`.
    Update {
        version: String,
        previous_version: String,
        language_id: String,
    },
    /// `ONAPPUNINSTALL`: `clean` when the user asked for the app's data to be cleared.
    Uninstall { language_id: String, clean: bool },
    /// `ONOFFLINEEVENT`: the offline queue has new records (no data).
    OfflineQueued,
    /// Any other event: its `data` as it came ([`PortalEvent::data`]).
    Raw,
}

/// An event as the portal sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalEvent {
    pub name: EventName,
    /// The id of the registration that sent it (`event_handler_id`).
    pub event_handler_id: Option<u64>,
    /// When the queue sent it (unix seconds).
    pub ts: Option<u64>,
    /// `data[...]`, nested as sent (every value a string, as on the wire), in order.
    pub data: Value,
    pub auth: EventAuth,
    pub payload: Payload,
}

/// How large an event's form may be: Bitrix24's carry ids, never field values.
pub const FORM_LIMIT: usize = 64 * 1024;

impl PortalEvent {
    /// Reads an event's form (the body Bitrix24 POSTs). A malformed form is refused naming
    /// its field; an event the table does not know is kept with its data raw.
    pub fn parse(body: &str) -> Result<PortalEvent, EventError> {
        if body.len() > FORM_LIMIT {
            return Err(err("body", format!("is larger than {FORM_LIMIT} bytes")));
        }
        let mut name = None;
        let mut handler_id = None;
        let mut ts = None;
        let mut data = Map::new();
        let mut auth = Map::new();
        let mut failure = None;
        crate::form::for_each_pair(body, |k, v| {
            if failure.is_some() {
                return;
            }
            let outcome = match k.as_ref() {
                "event" => {
                    name = Some(v.into_owned());
                    Ok(())
                }
                "event_handler_id" => number("event_handler_id", &v).map(|n| handler_id = Some(n)),
                "ts" => number("ts", &v).map(|n| ts = Some(n)),
                key => match key.split_once('[') {
                    Some(("data", _)) | Some(("auth", _)) => {
                        let (root, rest) = key.split_at(4);
                        match nested::key_path(rest) {
                            None => Err(err(key, "its brackets do not close")),
                            Some(path) => {
                                let map = if root == "data" { &mut data } else { &mut auth };
                                nested::insert(map, &path, v.into_owned()).map_err(|m| err(key, m))
                            }
                        }
                    }
                    // `data=` alone, as an empty `[]` is sent
                    _ if key == "data" => Ok(()),
                    // other keys are the queue's own: kept out, never an error
                    _ => Ok(()),
                },
            };
            if let Err(e) = outcome {
                failure = Some(e);
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        let name = match name {
            Some(n) if !n.trim().is_empty() => EventName::parse(&n),
            _ => return Err(err("event", "the event's name is required")),
        };
        let auth = read_auth(&auth)?;
        let data = Value::Object(data);
        let payload = payload_of(&name, &data)?;
        Ok(PortalEvent {
            name,
            event_handler_id: handler_id,
            ts,
            data,
            auth,
            payload,
        })
    }

    /// The event as a form, as Bitrix24 sends it: what [`PortalEvent::parse`] reads back.
    pub fn to_form(&self) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("event", &self.name.to_string());
        if let Some(id) = self.event_handler_id {
            form.append_pair("event_handler_id", &id.to_string());
        }
        match &self.data {
            Value::Object(m) if m.is_empty() => {
                form.append_pair("data", "");
            }
            data => nested::write(&mut form, "data", data),
        }
        if let Some(ts) = self.ts {
            form.append_pair("ts", &ts.to_string());
        }
        let a = &self.auth;
        let mut pair = |k: &str, v: Option<&str>| {
            if let Some(v) = v {
                form.append_pair(&format!("auth[{k}]"), v);
            }
        };
        pair("access_token", a.access_token.as_ref().map(Secret::expose));
        let expires = a.expires_in.map(|e| e.to_string());
        pair("expires_in", expires.as_deref());
        pair("scope", a.scope.as_deref());
        pair("domain", Some(&a.domain));
        pair("server_endpoint", a.server_endpoint.as_deref());
        pair("status", a.status.as_deref());
        pair("client_endpoint", a.client_endpoint.as_deref());
        pair("member_id", Some(&a.member_id));
        let user = a.user_id.map(|u| u.to_string());
        pair("user_id", user.as_deref());
        pair("refresh_token", a.refresh_token.as_ref().map(Secret::expose));
        pair(
            "application_token",
            a.application_token.as_ref().map(Secret::expose),
        );
        form.finish()
    }

    /// The event `name` about object `id`, with the data the docs give it (`FIELDS[ID]`,
    /// and `ENTITY_TYPE_ID` for items; `ID` for comments; the app's events their fields),
    /// sent now: what the local portal sends, and `b24 event send`.
    pub fn sample(name: EventName, id: u64, entity_type_id: Option<u32>, auth: EventAuth) -> PortalEvent {
        let data = sample_data(&name, id, entity_type_id);
        let payload = payload_of(&name, &data).unwrap_or(Payload::Raw);
        PortalEvent {
            name,
            event_handler_id: None,
            ts: Some(crate::time::unix_now()),
            data,
            auth,
            payload,
        }
    }

    /// An event of the offline queue (`EVENT_NAME`, `EVENT_DATA` of `event.offline.get`)
    /// for the portal `auth` names (a record carries no tokens). Data the docs print as
    /// `false` is no data.
    pub fn from_record(name: &str, data: Value, auth: EventAuth) -> Result<PortalEvent, EventError> {
        if name.trim().is_empty() {
            return Err(err("EVENT_NAME", "the event's name is required"));
        }
        let name = EventName::parse(name);
        let data = match data {
            Value::Object(_) => data,
            _ => Value::Object(Map::new()),
        };
        let payload =
            payload_of(&name, &data).map_err(|e| err(format!("EVENT_DATA: {}", e.field), e.message))?;
        Ok(PortalEvent {
            name,
            event_handler_id: None,
            ts: None,
            data,
            auth,
            payload,
        })
    }

    /// The CRM object the event is about, if it is a CRM object's change.
    pub fn change(&self) -> Option<CrmChange> {
        match &self.payload {
            Payload::Crm(c) => Some(*c),
            Payload::DealMovedToCategory { id, .. } => Some(CrmChange {
                object: Object::Deal,
                action: Action::Update,
                id: *id,
                entity_type_id: None,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for PortalEvent {
    /// The name, and the object for a CRM change: `ONCRMDEALUPDATE deal 662`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if let Some(c) = self.change() {
            write!(f, " #{}", c.id)?;
        }
        Ok(())
    }
}

fn number(field: &str, v: &str) -> Result<u64, EventError> {
    v.trim()
        .parse::<u64>()
        .map_err(|_| err(field, format!("`{}` is not a whole number", shorten(v))))
}

/// A value shown in an error: at most 40 characters of it.
fn shorten(v: &str) -> String {
    match v.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &v[..i]),
        None => v.to_owned(),
    }
}

fn read_auth(auth: &Map<String, Value>) -> Result<EventAuth, EventError> {
    let text = |k: &str| -> Result<Option<String>, EventError> {
        match auth.get(k) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(err(format!("auth[{k}]"), "must be a value, not a group")),
        }
    };
    let need = |k: &str| -> Result<String, EventError> {
        text(k)?.ok_or_else(|| err(format!("auth[{k}]"), "is required"))
    };
    let num = |k: &str| -> Result<Option<u64>, EventError> {
        text(k)?.map(|v| number(&format!("auth[{k}]"), &v)).transpose()
    };
    let domain = need("domain")?;
    if !crate::request::is_valid_domain(&domain) {
        return Err(err(
            "auth[domain]",
            format!("`{}` is not a host name", shorten(&domain)),
        ));
    }
    Ok(EventAuth {
        member_id: need("member_id")?,
        domain,
        client_endpoint: text("client_endpoint")?,
        server_endpoint: text("server_endpoint")?,
        status: text("status")?,
        scope: text("scope")?,
        user_id: num("user_id")?,
        application_token: text("application_token")?.map(Secret::new),
        access_token: text("access_token")?.map(Secret::new),
        refresh_token: text("refresh_token")?.map(Secret::new),
        expires_in: num("expires_in")?,
    })
}

/// The typed payload of `name`'s `data`.
fn payload_of(name: &EventName, data: &Value) -> Result<Payload, EventError> {
    // on the wire every value is text; an offline record's data is JSON, with numbers
    let text = |path: &[&str]| -> Option<String> {
        let mut v = data;
        for p in path {
            v = v.get(p)?;
        }
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let field = |path: &[&str]| format!("data[{}]", path.join("]["));
    let id_at = |path: &[&str]| -> Result<u64, EventError> {
        let v = text(path).ok_or_else(|| err(field(path), "is required"))?;
        match v.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(err(field(path), format!("`{}` is not an object id", shorten(&v)))),
        }
    };
    let owned = |path: &[&str]| text(path).unwrap_or_default();
    Ok(match name {
        EventName::Crm {
            object,
            action,
            per_type,
            ..
        } => {
            let (id, entity_type_id) = if *object == Object::TimelineComment {
                (id_at(&["ID"])?, None)
            } else if *object == Object::Item {
                let t = id_at(&["FIELDS", "ENTITY_TYPE_ID"])?;
                let t = u32::try_from(t)
                    .map_err(|_| err("data[FIELDS][ENTITY_TYPE_ID]", "is not an entityTypeId"))?;
                if per_type.is_some_and(|p| p != t) {
                    return Err(err(
                        "data[FIELDS][ENTITY_TYPE_ID]",
                        format!(
                            "is {t}, but the event is for type {}",
                            per_type.unwrap_or_default()
                        ),
                    ));
                }
                (id_at(&["FIELDS", "ID"])?, Some(t))
            } else {
                (id_at(&["FIELDS", "ID"])?, None)
            };
            Payload::Crm(CrmChange {
                object: *object,
                action: *action,
                id,
                entity_type_id,
            })
        }
        EventName::DealMoveToCategory => Payload::DealMovedToCategory {
            id: id_at(&["FIELDS", "ID"])?,
            category_id: text(&["FIELDS", "CATEGORY_ID"])
                .ok_or_else(|| err("data[FIELDS][CATEGORY_ID]", "is required"))?
                .trim()
                .parse()
                .map_err(|_| err("data[FIELDS][CATEGORY_ID]", "is not a funnel's id"))?,
            stage_id: text(&["FIELDS", "STAGE_ID"])
                .ok_or_else(|| err("data[FIELDS][STAGE_ID]", "is required"))?,
        },
        EventName::App(AppEvent::ONAPPINSTALL) => Payload::Install {
            version: owned(&["VERSION"]),
            active: text(&["ACTIVE"]).as_deref() == Some("Y"),
            installed: text(&["INSTALLED"]).as_deref() == Some("Y"),
            language_id: owned(&["LANGUAGE_ID"]),
        },
        EventName::App(AppEvent::ONAPPUPDATE) => Payload::Update {
            version: owned(&["VERSION"]),
            previous_version: owned(&["PREVIOUS_VERSION"]),
            language_id: owned(&["LANGUAGE_ID"]),
        },
        EventName::App(AppEvent::ONAPPUNINSTALL) => Payload::Uninstall {
            language_id: owned(&["LANGUAGE_ID"]),
            clean: matches!(text(&["CLEAN"]).as_deref(), Some("1" | "Y")),
        },
        EventName::App(AppEvent::ONOFFLINEEVENT) => Payload::OfflineQueued,
        _ => Payload::Raw,
    })
}

/// The `data` the docs give event `name` about object `id`.
pub fn sample_data(name: &EventName, id: u64, entity_type_id: Option<u32>) -> Value {
    match name {
        EventName::Crm {
            object: Object::TimelineComment,
            ..
        } => json!({"ID": id.to_string()}),
        EventName::Crm {
            object: Object::Item,
            per_type,
            ..
        } => {
            let t = per_type.or(entity_type_id).unwrap_or(31);
            json!({"FIELDS": {"ID": id.to_string(), "ENTITY_TYPE_ID": t.to_string()}})
        }
        EventName::Crm { .. } => json!({"FIELDS": {"ID": id.to_string()}}),
        EventName::DealMoveToCategory => {
            json!({"FIELDS": {"ID": id.to_string(), "CATEGORY_ID": "1", "STAGE_ID": "C1:NEW"}})
        }
        EventName::App(AppEvent::ONAPPINSTALL) => {
            json!({"VERSION": "1", "ACTIVE": "Y", "INSTALLED": "Y", "LANGUAGE_ID": "en"})
        }
        EventName::App(AppEvent::ONAPPUPDATE) => {
            json!({"VERSION": "2", "PREVIOUS_VERSION": "1", "LANGUAGE_ID": "en"})
        }
        EventName::App(AppEvent::ONAPPUNINSTALL) => json!({"LANGUAGE_ID": "en", "CLEAN": "0"}),
        _ => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn auth() -> EventAuth {
        EventAuth {
            domain: "x.bitrix24.com".into(),
            member_id: "da45".into(),
            client_endpoint: Some("https://x.bitrix24.com/rest/".into()),
            server_endpoint: Some("https://oauth.bitrix.info/rest/".into()),
            status: Some("L".into()),
            scope: Some("crm".into()),
            user_id: Some(1),
            application_token: Some(Secret::new("app-token-1")),
            access_token: Some(Secret::new("access-1")),
            refresh_token: Some(Secret::new("refresh-1")),
            expires_in: Some(3600),
        }
    }

    #[test]
    fn every_known_event_written_as_a_sample_reads_back() {
        for name in EventName::all(147) {
            let mut event = PortalEvent::sample(name.clone(), 662, Some(147), auth());
            event.event_handler_id = Some(3);
            let back = PortalEvent::parse(&event.to_form()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(back, event, "{name}");
            let typed = matches!(name, EventName::Crm { .. } | EventName::DealMoveToCategory)
                || matches!(
                    name,
                    EventName::App(
                        AppEvent::ONAPPINSTALL
                            | AppEvent::ONAPPUPDATE
                            | AppEvent::ONAPPUNINSTALL
                            | AppEvent::ONOFFLINEEVENT
                    )
                );
            assert_eq!(back.payload != Payload::Raw, typed, "{name}");
        }
    }

    #[test]
    fn the_docs_payloads_are_typed() {
        let read = |body: &str| PortalEvent::parse(body).map(|e| e.payload);
        let auth = "&auth[domain]=x.bitrix24.com&auth[member_id]=m";
        assert_eq!(
            read(&format!(
                "event=ONCRMDYNAMICITEMADD_147&data[FIELDS][ID]=5&data[FIELDS][ENTITY_TYPE_ID]=147{auth}"
            )),
            Ok(Payload::Crm(CrmChange {
                object: Object::Item,
                action: Action::Add,
                id: 5,
                entity_type_id: Some(147)
            }))
        );
        assert_eq!(
            read(&format!("event=onCrmTimelineCommentAdd&data[ID]=999{auth}")),
            Ok(Payload::Crm(CrmChange {
                object: Object::TimelineComment,
                action: Action::Add,
                id: 999,
                entity_type_id: None
            }))
        );
        assert_eq!(
            read(&format!(
                "event=ONAPPUNINSTALL&data[LANGUAGE_ID]=de&data[CLEAN]=1{auth}"
            )),
            Ok(Payload::Uninstall {
                language_id: "de".into(),
                clean: true
            })
        );
        assert_eq!(
            read(&format!("event=ONOFFLINEEVENT&data={auth}")),
            Ok(Payload::OfflineQueued)
        );
        // an event the table does not know is kept, raw
        let other = PortalEvent::parse(&format!("event=ONSOMETHINGNEW&data[X][Y]=1{auth}")).unwrap();
        assert_eq!(other.name, EventName::Other("ONSOMETHINGNEW".into()));
        assert_eq!(other.payload, Payload::Raw);
        assert_eq!(other.data, json!({"X": {"Y": "1"}}));
    }

    #[test]
    fn malformed_forms_name_their_field() {
        let auth = "&auth[domain]=x.bitrix24.com&auth[member_id]=m";
        let field = |body: &str| PortalEvent::parse(body).map(|_| ()).map_err(|e| e.field);
        assert_eq!(field(&format!("data[FIELDS][ID]=1{auth}")), Err("event".into()));
        assert_eq!(
            field(&format!("event=ONCRMDEALADD{auth}")),
            Err("data[FIELDS][ID]".into())
        );
        assert_eq!(
            field(&format!("event=ONCRMDEALADD&data[FIELDS][ID]=x{auth}")),
            Err("data[FIELDS][ID]".into())
        );
        assert_eq!(
            field(&format!("event=ONCRMDEALADD&data[FIELDS][ID]=0{auth}")),
            Err("data[FIELDS][ID]".into())
        );
        assert_eq!(
            field("event=ONCRMDEALADD&data[FIELDS][ID]=1&auth[domain]=x.bitrix24.com"),
            Err("auth[member_id]".into())
        );
        assert_eq!(
            field("event=ONCRMDEALADD&data[FIELDS][ID]=1&auth[member_id]=m"),
            Err("auth[domain]".into())
        );
        assert_eq!(
            field(&format!(
                "event=ONCRMDEALADD&data[FIELDS][ID]=1&event_handler_id=z{auth}"
            )),
            Err("event_handler_id".into())
        );
        assert_eq!(
            field(&format!(
                "event=ONCRMDEALADD&data[FIELDS]=1&data[FIELDS][ID]=1{auth}"
            )),
            Err("data[FIELDS][ID]".into())
        );
        assert_eq!(
            field(&format!("event=ONCRMDEALADD&data[FIELDS[ID]=1{auth}")),
            Err("data[FIELDS[ID]".into())
        );
        assert_eq!(
            field(&format!(
                "event=ONCRMDYNAMICITEMADD_147&data[FIELDS][ID]=5&data[FIELDS][ENTITY_TYPE_ID]=148{auth}"
            )),
            Err("data[FIELDS][ENTITY_TYPE_ID]".into())
        );
        // no message carries a token
        let e = PortalEvent::parse(
            "event=X&auth[domain]=x.bitrix24.com&auth[member_id]=m&auth[user_id]=secret-ish-token",
        )
        .unwrap_err();
        assert_eq!(e.field, "auth[user_id]");
        assert!(!format!(
            "{:?}",
            PortalEvent::sample(EventName::parse("ONCRMDEALADD"), 1, None, super::tests::auth())
        )
        .contains("app-token-1"));
    }

    proptest! {
        #[test]
        fn any_form_is_read_or_refused_without_a_panic(body in "([a-z_]{0,6}(\\[[A-Z_]{0,4}\\]){0,3}=[a-z0-9%]{0,5}&){0,8}") {
            let _ = PortalEvent::parse(&body);
        }

        #[test]
        fn any_text_is_read_or_refused_without_a_panic(body in any::<String>()) {
            let _ = PortalEvent::parse(&body);
        }
    }
}
