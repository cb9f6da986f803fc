//! The portal's events: `event.bind`, `event.unbind`, `event.get`, `events`, `event.test`;
//! every change of its CRM data raised to the handlers bound for it, online (the
//! documented form POSTed off the request, each delivery logged with its answer) and
//! offline (queued: see [`crate::offline`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use b24_placement::event::{AppEvent, EventAuth, EventName, Object, PortalEvent};
use b24_placement::time::unix_now;
use serde_json::{json, Map, Value};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::crm::Listed;
use crate::failure::Failure;
use crate::oauth::{issue, Caller};
use crate::params::{as_id, truthy};
use crate::portal::{Inner, Issued, Portal};

/// A registration of `event.bind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventBinding {
    /// The `event_handler_id` its deliveries carry.
    pub id: u64,
    /// The name, in upper case.
    pub event: String,
    /// Empty for an offline event.
    pub handler: String,
    pub auth_type: u64,
    pub offline: bool,
    /// The channel of an offline event (`auth_connector`).
    pub connector: Option<String>,
    /// ONOFFLINEEVENT's `minTimeout` (seconds, 1 by default).
    pub min_timeout: u64,
}

/// One delivery of an online event: what was sent where, and how the handler answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub event: String,
    pub handler: String,
    /// The object's id, for a CRM change.
    pub id: Option<u64>,
    /// The handler's HTTP status; `None` when it could not be reached (`error` says why).
    pub status: Option<u16>,
    pub error: Option<String>,
    /// When it was sent (unix seconds) and how long the handler took.
    pub time: u64,
    pub took_ms: u64,
}

impl Delivery {
    /// As `GET /portal/events` lists it (no token is ever in a delivery's record).
    pub fn to_json(&self) -> Value {
        json!({"event": self.event, "handler": self.handler, "id": self.id, "status": self.status,
               "error": self.error, "time": self.time, "took_ms": self.took_ms})
    }
}

/// A change of the CRM, to raise.
#[derive(Clone, Debug)]
pub(crate) struct Change {
    pub(crate) name: EventName,
    pub(crate) id: u64,
    pub(crate) entity_type_id: Option<u32>,
    /// Its data, when the docs' shape needs more than the id (a deal's new funnel).
    pub(crate) data: Option<Value>,
}

/// The portal's side of events.
#[derive(Default)]
pub(crate) struct Events {
    pub(crate) bindings: Vec<EventBinding>,
    next_handler_id: u64,
    pub(crate) queue: crate::offline::Queue,
    pub(crate) deliveries: Vec<Delivery>,
    /// The tokens events carry (the user of the change), renewed when they expire.
    tokens: Option<(Issued, Instant)>,
    /// When ONOFFLINEEVENT was last sent, and whether one waits for its `minTimeout`.
    last_signal: Option<Instant>,
    signal_waiting: bool,
}

/// The deliveries in flight, to wait for.
#[derive(Default)]
pub(crate) struct InFlight {
    count: AtomicUsize,
    done: Notify,
}

/// How many deliveries the log keeps (the newest).
const LOG: usize = 1000;

/// How long a handler may take to answer.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// A param's text, its name in any case (`EVENT` as CRest sends it, `event` as the docs).
pub(crate) fn text(p: &Map<String, Value>, k: &str) -> String {
    p.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(k))
        .and_then(|(_, v)| match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

/// A param, its name in any case.
pub(crate) fn get<'a>(p: &'a Map<String, Value>, k: &str) -> Option<&'a Value> {
    p.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(k))
        .map(|(_, v)| v)
}

impl Portal {
    /// The event methods; `None` when `method` is not one of them.
    pub(crate) fn event_method(
        &self,
        caller: Caller,
        method: &str,
        p: &Map<String, Value>,
    ) -> Option<Result<Listed, Failure>> {
        if !(method == "events" || method.starts_with("event.")) {
            return None;
        }
        if caller == Caller::Webhook && method != "events" {
            return Some(Err(Failure::new(
                403,
                "WRONG_AUTH_TYPE",
                "Current authorization type is denied for this method Application context required",
            )));
        }
        if method == "event.offline.list" {
            return Some(self.offline_list(p));
        }
        Some(match method {
            "event.bind" => self.event_bind(p),
            "event.unbind" => self.event_unbind(p),
            "event.get" => Ok(Value::Array(
                self.lock()
                    .events
                    .bindings
                    .iter()
                    .map(|b| {
                        json!({"event": b.event, "handler": b.handler, "auth_type": b.auth_type.to_string(),
                               "offline": u8::from(b.offline)})
                    })
                    .collect(),
            )),
            "events" => Ok(Value::Array(
                EventName::all(128)
                    .filter(|n| !matches!(n, EventName::Crm { per_type: Some(_), .. }))
                    .map(|n| Value::String(n.to_string()))
                    .collect(),
            )),
            "event.test" => {
                let query: Map<String, Value> = p
                    .iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("auth"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                self.raise_with_data(EventName::App(AppEvent::ONAPPTEST), json!({ "QUERY": query }));
                Ok(Value::from(1))
            }
            "event.offline.get" => self.offline_get(p),
            "event.offline.clear" => self.offline_clear(p),
            "event.offline.error" => self.offline_error(p),
            _ => Err(Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
        }
        .map(Listed::one))
    }

    fn event_bind(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let name = text(p, "event");
        if name.is_empty() {
            return Err(Failure::bad(
                "ERROR_ARGUMENT",
                "Argument 'EVENT' is null or empty",
            ));
        }
        let event = EventName::parse(&name);
        if !event.is_known() {
            return Err(Failure::bad("ERROR_EVENT_NOT_FOUND", "Event not found"));
        }
        let offline = match text(p, "event_type").to_ascii_lowercase().as_str() {
            "" | "online" => false,
            "offline" => true,
            _ => return Err(Failure::bad("ERROR_ARGUMENT", "event_type is online or offline")),
        };
        let handler = if offline {
            String::new()
        } else {
            text(p, "handler")
        };
        if !offline {
            if handler.is_empty() {
                return Err(Failure::bad(
                    "ERROR_ARGUMENT",
                    "Argument 'HANDLER' is null or empty",
                ));
            }
            let lower = handler.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                return Err(Failure::bad(
                    "ERROR_UNSUPPORTED_PROTOCOL",
                    "Unsupported event handler protocol",
                ));
            }
        }
        let connector = Some(text(p, "auth_connector")).filter(|c| offline && !c.is_empty());
        let auth_type = as_id(get(p, "auth_type")).unwrap_or(0);
        let min_timeout = get(p, "options")
            .and_then(|o| o.get("minTimeout"))
            .and_then(|v| as_id(Some(v)))
            .unwrap_or(1);
        let event = event.to_string();
        let mut inner = self.lock();
        let events = &mut inner.events;
        let same = |b: &EventBinding| {
            b.event == event
                && b.offline == offline
                && b.handler == handler
                && b.auth_type == auth_type
                && b.connector == connector
        };
        if events.bindings.iter().any(same) {
            return Err(Failure::bad(
                "",
                "Unable to set event handler: Handler already binded",
            ));
        }
        events.next_handler_id += 1;
        let id = events.next_handler_id;
        events.bindings.push(EventBinding {
            id,
            event,
            handler,
            auth_type,
            offline,
            connector,
            min_timeout,
        });
        Ok(Value::Bool(true))
    }

    fn event_unbind(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let event = EventName::parse(&text(p, "event")).to_string();
        let handler = text(p, "handler");
        let offline = text(p, "event_type").eq_ignore_ascii_case("offline");
        // `auth_type` 0 or empty: only the handlers bound without one
        let auth_type = as_id(get(p, "auth_type")).unwrap_or(0);
        let mut inner = self.lock();
        let before = inner.events.bindings.len();
        inner.events.bindings.retain(|b| {
            !(b.event == event
                && b.offline == offline
                && (offline || b.handler == handler)
                && b.auth_type == auth_type)
        });
        Ok(json!({"count": before - inner.events.bindings.len()}))
    }

    /// The registrations of `event.bind`, in order.
    pub fn event_bindings(&self) -> Vec<EventBinding> {
        self.lock().events.bindings.clone()
    }

    /// The online deliveries made, oldest first (the last 1,000).
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.lock().events.deliveries.clone()
    }

    /// Waits until every delivery sent so far has been answered (or has failed).
    pub async fn deliveries_settled(&self) {
        loop {
            let done = self.in_flight.done.notified();
            if self.in_flight.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            done.await;
        }
    }

    /// Raises the changes a method made, as the CRM does: to each online handler bound
    /// for them and into the offline queues (but the one of `connector`, the channel that
    /// made them). Nothing is raised before an app is installed.
    pub(crate) fn raise(&self, changes: Vec<Change>, connector: Option<&str>) {
        if changes.is_empty() {
            return;
        }
        let mut sends = Vec::new();
        {
            let mut inner = self.lock();
            if inner.application_token.is_none() {
                return;
            }
            let mut queued = false;
            for change in &changes {
                let mut names = vec![change.name.clone()];
                if let (
                    EventName::Crm {
                        object: Object::Item,
                        action,
                        ..
                    },
                    Some(t),
                ) = (&change.name, change.entity_type_id)
                {
                    names.push(EventName::Crm {
                        object: Object::Item,
                        action: *action,
                        per_type: Some(t),
                    });
                }
                for name in names {
                    let data = match &change.data {
                        Some(d) => d.clone(),
                        None => b24_placement::event::sample_data(&name, change.id, change.entity_type_id),
                    };
                    queued |= self.queue_offline(&mut inner, &name, &data, connector);
                    sends.extend(self.online(&mut inner, &name, &data, Some(change.id)));
                }
            }
            if queued {
                sends.extend(self.signal_offline(&mut inner));
            }
        }
        self.send_all(sends);
    }

    /// Raises one event with its data (ONAPPTEST), online only.
    pub(crate) fn raise_with_data(&self, name: EventName, data: Value) {
        let sends = {
            let mut inner = self.lock();
            if inner.application_token.is_none() {
                return;
            }
            self.online(&mut inner, &name, &data, None)
        };
        self.send_all(sends);
    }

    /// The deliveries of `name` to its online handlers.
    fn online(&self, inner: &mut Inner, name: &EventName, data: &Value, id: Option<u64>) -> Vec<Outgoing> {
        let wanted = name.to_string();
        let bound: Vec<EventBinding> = inner
            .events
            .bindings
            .iter()
            .filter(|b| !b.offline && b.event == wanted)
            .cloned()
            .collect();
        if bound.is_empty() {
            return Vec::new();
        }
        let auth = self.event_auth(inner, name);
        bound
            .into_iter()
            .map(|b| {
                let mut event = PortalEvent::sample(name.clone(), 0, None, auth.clone());
                event.data = data.clone();
                event.event_handler_id = Some(b.id);
                Outgoing {
                    event: wanted.clone(),
                    handler: b.handler,
                    id,
                    form: event.to_form(),
                }
            })
            .collect()
    }

    /// ONOFFLINEEVENT to its handlers, at most once per `minTimeout`: a signal within it
    /// is sent when it ends.
    pub(crate) fn signal_offline(&self, inner: &mut Inner) -> Vec<Outgoing> {
        let name = EventName::App(AppEvent::ONOFFLINEEVENT);
        let wait = inner
            .events
            .bindings
            .iter()
            .filter(|b| !b.offline && b.event == "ONOFFLINEEVENT")
            .map(|b| b.min_timeout)
            .max();
        let Some(wait) = wait else {
            return Vec::new();
        };
        let now = Instant::now();
        let due = inner.events.last_signal.map(|at| at + Duration::from_secs(wait));
        match due {
            Some(due) if due > now => {
                if !inner.events.signal_waiting {
                    inner.events.signal_waiting = true;
                    if let Some(me) = self.me() {
                        tokio::spawn(async move {
                            tokio::time::sleep_until(due).await;
                            let sends = {
                                let mut inner = me.lock();
                                inner.events.signal_waiting = false;
                                inner.events.last_signal = Some(Instant::now());
                                me.online(&mut inner, &name, &json!({}), None)
                            };
                            me.send_all(sends);
                        });
                    }
                }
                Vec::new()
            }
            _ => {
                inner.events.last_signal = Some(now);
                self.online(inner, &name, &json!({}), None)
            }
        }
    }

    /// The `auth` an event carries: the portal's address, the install's application
    /// token, and the tokens the docs send with it (none with an uninstall).
    fn event_auth(&self, inner: &mut Inner, name: &EventName) -> EventAuth {
        let base = inner
            .base
            .clone()
            .unwrap_or_else(|| "http://localhost".to_owned());
        let domain = base.split("://").nth(1).unwrap_or(&base).to_owned();
        let mut auth = EventAuth {
            domain,
            member_id: Portal::MEMBER_ID.to_owned(),
            client_endpoint: Some(format!("{base}/rest/")),
            server_endpoint: Some(format!("{base}/rest/")),
            status: Some("L".into()),
            scope: Some("crm".into()),
            user_id: Some(1),
            application_token: inner.application_token.clone(),
            ..EventAuth::default()
        };
        if name != &EventName::App(AppEvent::ONAPPUNINSTALL) {
            let now = Instant::now();
            let fresh = match &inner.events.tokens {
                Some((issued, until)) if *until > now + Duration::from_secs(60) => issued.clone(),
                _ => {
                    let issued = issue(inner, &self.config);
                    inner.events.tokens = Some((issued.clone(), now + self.config.token_lifetime));
                    issued
                }
            };
            auth.access_token = Some(fresh.access_token);
            auth.refresh_token = Some(fresh.refresh_token);
            auth.expires_in = Some(self.config.token_lifetime.as_secs());
        }
        auth
    }

    /// Sends the deliveries, each off the request that raised it, and logs its answer.
    pub(crate) fn send_all(&self, sends: Vec<Outgoing>) {
        if sends.is_empty() {
            return;
        }
        let Some(me) = self.me() else {
            return;
        };
        for send in sends {
            let me = me.clone();
            me.in_flight.count.fetch_add(1, Ordering::SeqCst);
            let http = me.http.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let answer = http
                    .post(&send.handler)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(send.form)
                    .timeout(DELIVERY_TIMEOUT)
                    .send()
                    .await;
                let (status, error) = match answer {
                    Ok(r) => (Some(r.status().as_u16()), None),
                    Err(e) => (None, Some(e.without_url().to_string())),
                };
                let delivery = Delivery {
                    event: send.event,
                    handler: send.handler,
                    id: send.id,
                    status,
                    error,
                    time: unix_now(),
                    took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                };
                me.tell(crate::portal::Activity::Delivered(delivery.clone()));
                {
                    let mut inner = me.lock();
                    let log = &mut inner.events.deliveries;
                    if log.len() >= LOG {
                        log.remove(0);
                    }
                    log.push(delivery);
                }
                if me.in_flight.count.fetch_sub(1, Ordering::SeqCst) == 1 {
                    me.in_flight.done.notify_waiters();
                }
            });
        }
    }
}

/// A delivery to make: the form for a handler.
pub(crate) struct Outgoing {
    event: String,
    handler: String,
    id: Option<u64>,
    form: String,
}

/// Whether `p` asks for the truthy flag `k`, with its default.
pub(crate) fn flag(p: &Map<String, Value>, k: &str, default: bool) -> bool {
    match get(p, k) {
        None => default,
        Some(v) => truthy(Some(v)),
    }
}
