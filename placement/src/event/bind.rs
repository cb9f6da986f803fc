//! `event.bind`: the params that register an app's event handler, online (a URL the
//! portal POSTs to) or offline (a queue the app reads), and what `event.get` lists.

use serde_json::{json, Map, Value};

use super::name::{AppEvent, EventName};
use crate::bind::{handler_ok, BindError};

/// The params of `event.bind`: an event the docs' table knows, delivered online to a
/// handler URL, or queued offline (optionally under an `auth_connector`, the channel
/// whose own changes are not queued back to it).
///
/// ```
/// use b24_placement::event::EventBind;
///
/// let bind = EventBind::online("ONCRMDEALUPDATE", "https://app.example.com/events").unwrap();
/// assert_eq!(bind.to_json()["event_type"], "online");
/// assert!(EventBind::online("ONCRMDEALUPDTE", "https://app.example.com/events")
///     .unwrap_err()
///     .message
///     .contains("did you mean `ONCRMDEALUPDATE`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventBind {
    event: EventName,
    handler: Option<String>,
    auth_connector: Option<String>,
    auth_type: Option<u64>,
    min_timeout: Option<u64>,
}

fn known(name: &str) -> Result<EventName, BindError> {
    let event = EventName::parse(name);
    if event.is_known() {
        return Ok(event);
    }
    let mut message = format!("`{}` is not an event of the docs' table", name.trim());
    match EventName::closest(name) {
        Some(close) => message.push_str(&format!("; did you mean `{close}`?")),
        None => message.push_str("; e.g. ONCRMDEALUPDATE, ONCRMDYNAMICITEMADD_147, ONAPPUNINSTALL"),
    }
    Err(BindError {
        field: "event",
        message,
    })
}

impl EventBind {
    /// `event` delivered as a POST to `handler` (absolute https; http only on localhost).
    pub fn online(event: &str, handler: impl Into<String>) -> Result<Self, BindError> {
        let event = known(event)?;
        let handler = handler.into();
        if !handler_ok(&handler) {
            return Err(BindError {
                field: "handler",
                message: format!(
                    "`{handler}` is not an absolute https URL (http is allowed only for localhost)"
                ),
            });
        }
        Ok(EventBind {
            event,
            handler: Some(handler),
            auth_connector: None,
            auth_type: None,
            min_timeout: None,
        })
    }

    /// `event` queued in the portal, for the app to fetch with `event.offline.get`.
    pub fn offline(event: &str) -> Result<Self, BindError> {
        let event = known(event)?;
        if matches!(event, EventName::App(_)) {
            return Err(BindError {
                field: "event_type",
                message: format!("{event} is an app event: it is delivered online only"),
            });
        }
        Ok(EventBind {
            event,
            handler: None,
            auth_connector: None,
            auth_type: None,
            min_timeout: None,
        })
    }

    /// The offline queue of a channel: the app's own REST changes made with the same
    /// `auth_connector` are not queued back to it.
    pub fn auth_connector(mut self, key: impl Into<String>) -> Result<Self, BindError> {
        let key = key.into();
        if self.handler.is_some() {
            return Err(BindError {
                field: "auth_connector",
                message: "only an offline event has a channel".into(),
            });
        }
        if key.trim().is_empty() || key.len() > 64 {
            return Err(BindError {
                field: "auth_connector",
                message: "a channel's key is 1 to 64 characters".into(),
            });
        }
        self.auth_connector = Some(key);
        Ok(self)
    }

    /// The user the handler is called as (an administrator's right); by default the user
    /// whose action raised the event.
    #[must_use]
    pub fn auth_type(mut self, user_id: u64) -> Self {
        self.auth_type = Some(user_id);
        self
    }

    /// `ONOFFLINEEVENT`'s `minTimeout`: at most one signal in that many seconds.
    pub fn min_timeout(mut self, seconds: u64) -> Result<Self, BindError> {
        if self.event != EventName::App(AppEvent::ONOFFLINEEVENT) {
            return Err(BindError {
                field: "options",
                message: "minTimeout is an option of ONOFFLINEEVENT only".into(),
            });
        }
        self.min_timeout = Some(seconds);
        Ok(self)
    }

    pub fn event(&self) -> &EventName {
        &self.event
    }

    /// The handler URL of an online event.
    pub fn handler(&self) -> Option<&str> {
        self.handler.as_deref()
    }

    pub fn is_offline(&self) -> bool {
        self.handler.is_none()
    }

    pub fn connector(&self) -> Option<&str> {
        self.auth_connector.as_deref()
    }

    /// Whether `bound` (from `event.get`) is this registration.
    pub fn is(&self, bound: &BoundEvent) -> bool {
        EventName::parse(&bound.event) == self.event
            && bound.offline == self.is_offline()
            && (self.is_offline() || bound.handler == self.handler.as_deref().unwrap_or_default())
            && bound.auth_type == self.auth_type.unwrap_or(0)
    }

    /// The params of `event.bind`.
    pub fn to_json(&self) -> Value {
        let mut p = Map::new();
        p.insert("event".into(), json!(self.event.to_string()));
        if let Some(h) = &self.handler {
            p.insert("handler".into(), json!(h));
        }
        p.insert(
            "event_type".into(),
            json!(if self.is_offline() { "offline" } else { "online" }),
        );
        if let Some(k) = &self.auth_connector {
            p.insert("auth_connector".into(), json!(k));
        }
        if let Some(u) = self.auth_type {
            p.insert("auth_type".into(), json!(u));
        }
        if let Some(t) = self.min_timeout {
            p.insert("options".into(), json!({"minTimeout": t}));
        }
        Value::Object(p)
    }

    /// The params of `event.unbind` for this registration.
    pub fn unbind_json(&self) -> Value {
        BoundEvent {
            event: self.event.to_string(),
            handler: self.handler.clone().unwrap_or_default(),
            auth_type: self.auth_type.unwrap_or(0),
            offline: self.is_offline(),
        }
        .unbind_json()
    }
}

/// A registration as `event.get` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundEvent {
    pub event: String,
    /// Empty for an offline event.
    pub handler: String,
    /// The user the handler is called as; 0 for the user of the change.
    pub auth_type: u64,
    pub offline: bool,
}

impl BoundEvent {
    /// Reads one row of `event.get` (`auth_type` and `offline` as strings or numbers).
    pub fn from_json(row: &Value) -> Option<BoundEvent> {
        let num = |k: &str| match row.get(k) {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok().or(Some(0)),
            Some(Value::Bool(b)) => Some(u64::from(*b)),
            _ => Some(0),
        };
        Some(BoundEvent {
            event: row.get("event")?.as_str()?.to_owned(),
            handler: row
                .get("handler")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            auth_type: num("auth_type")?,
            offline: num("offline")? == 1,
        })
    }

    /// The params of `event.unbind` that remove exactly this registration.
    pub fn unbind_json(&self) -> Value {
        let mut p = json!({
            "event": self.event,
            "auth_type": self.auth_type,
            "event_type": if self.offline { "offline" } else { "online" },
        });
        if !self.offline {
            p["handler"] = json!(self.handler);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_are_checked_as_the_portal_would() {
        let e = |r: Result<EventBind, BindError>| r.unwrap_err().field;
        assert_eq!(e(EventBind::online("ONCRMDEALUPDATE", "ftp://x")), "handler");
        assert_eq!(
            e(EventBind::online("ONCRMDEALUPDATE", "http://example.com/e")),
            "handler"
        );
        assert_eq!(e(EventBind::online("NOPE", "https://example.com/e")), "event");
        assert_eq!(e(EventBind::offline("ONAPPINSTALL")), "event_type");
        assert_eq!(
            e(EventBind::online("ONCRMDEALUPDATE", "https://example.com/e")
                .and_then(|b| b.auth_connector("k"))),
            "auth_connector"
        );
        assert_eq!(
            e(EventBind::online("ONCRMDEALUPDATE", "https://example.com/e").and_then(|b| b.min_timeout(5))),
            "options"
        );
        let offline = EventBind::offline("onCrmDealAdd")
            .unwrap()
            .auth_connector("my-app")
            .unwrap();
        assert_eq!(
            offline.to_json(),
            json!({"event": "ONCRMDEALADD", "event_type": "offline", "auth_connector": "my-app"})
        );
    }

    #[test]
    fn a_bind_finds_itself_in_event_get() {
        let bind = EventBind::online("ONCRMDEALUPDATE", "http://localhost:3000/events").unwrap();
        let row = json!({"event": "ONCRMDEALUPDATE", "handler": "http://localhost:3000/events", "auth_type": "0", "offline": 0});
        let bound = BoundEvent::from_json(&row).unwrap();
        assert!(bind.is(&bound));
        let other = BoundEvent {
            handler: "http://localhost:3000/other".into(),
            ..bound.clone()
        };
        assert!(!bind.is(&other));
        assert_eq!(bind.unbind_json(), bound.unbind_json());
    }
}
