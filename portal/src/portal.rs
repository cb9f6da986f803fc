//! The portal's state, shared by every request to its router: its CRM, the placements
//! bound, the tokens issued, the bucket, the handler requests it made.

use std::sync::{Arc, Mutex, Weak};

use b24_placement::Secret;
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::config::Config;
use crate::crm::Crm;
use crate::oauth::Token;

/// A registration of `placement.bind`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    pub placement: String,
    pub handler: String,
    pub title: String,
    pub options: Map<String, Value>,
}

pub(crate) struct Inner {
    pub(crate) crm: Crm,
    pub(crate) placements: Vec<Bound>,
    pub(crate) tokens: Vec<Token>,
    /// (level, last drained)
    pub(crate) bucket: (f64, Instant),
    pub(crate) issued: u64,
    /// How many calls each outcome had: (answered, refused by the bucket).
    pub(crate) counts: (u64, u64),
    /// How many refreshes the OAuth endpoint granted.
    pub(crate) refreshes: u64,
    /// The application token of the last install.
    pub(crate) application_token: Option<Secret>,
    /// The handler requests the portal made, tokens masked, the newest last.
    pub(crate) requests: Vec<Value>,
    /// The events bound, the offline queue, the deliveries made.
    pub(crate) events: crate::events::Events,
    /// Where the portal is served (`http://127.0.0.1:3000`), known from the install.
    pub(crate) base: Option<String>,
    /// The timeline's own records: configurable activities, content-block sets, badges.
    pub(crate) timeline: crate::timeline::Records,
    /// The app's own page (a local application's handler path in its settings), opened
    /// in a slider by `openRestApp`.
    pub(crate) app_url: Option<String>,
}

/// The portal: shared by every request to its router.
pub struct Portal {
    pub(crate) config: Config,
    inner: Mutex<Inner>,
    /// Itself, for the deliveries it sends off the request.
    me: Weak<Portal>,
    /// The client that delivers events to the app's handlers.
    pub(crate) http: reqwest::Client,
    pub(crate) in_flight: crate::events::InFlight,
    activity: tokio::sync::broadcast::Sender<Activity>,
}

/// What happens on the portal, as it happens (no token in any of it): for a live log.
#[derive(Clone, Debug, PartialEq)]
pub enum Activity {
    /// A placement's handler was opened: the request made (tokens masked).
    Opened { placement: String, handler: String },
    /// A REST call was answered.
    Call {
        method: String,
        status: u16,
        took_ms: u64,
    },
    /// An event was delivered to a handler (or failed to be).
    Delivered(crate::events::Delivery),
}

/// Tokens issued by the stand-in, for a client to start with.
#[derive(Clone, Debug)]
pub struct Issued {
    pub access_token: Secret,
    pub refresh_token: Secret,
}

impl Portal {
    /// A portal with the demo CRM.
    pub fn new(config: Config) -> Arc<Portal> {
        let deals = config.deals;
        Arc::new_cyclic(|me| Portal {
            config,
            me: me.clone(),
            http: reqwest::Client::new(),
            in_flight: crate::events::InFlight::default(),
            activity: tokio::sync::broadcast::channel(1024).0,
            inner: Mutex::new(Inner {
                crm: Crm::demo(deals),
                placements: Vec::new(),
                tokens: Vec::new(),
                bucket: (0.0, Instant::now()),
                issued: 0,
                counts: (0, 0),
                refreshes: 0,
                application_token: None,
                requests: Vec::new(),
                events: crate::events::Events::default(),
                base: None,
                timeline: Default::default(),
                app_url: None,
            }),
        })
    }

    pub(crate) fn me(&self) -> Option<Arc<Portal>> {
        self.me.upgrade()
    }

    /// What happens on the portal from now on: handlers opened, REST calls, event
    /// deliveries (a receiver that falls behind loses the oldest).
    pub fn activity(&self) -> tokio::sync::broadcast::Receiver<Activity> {
        self.activity.subscribe()
    }

    pub(crate) fn tell(&self, what: Activity) {
        // nobody listening is fine
        let _ = self.activity.send(what);
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The portal's `member_id`.
    pub const MEMBER_ID: &'static str = "local-portal";

    /// Makes every access token issued so far expire now (their refresh tokens stay good).
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        for t in &mut self.lock().tokens {
            t.expires = now;
        }
    }

    /// The incoming webhook's address on a portal served at `base` (`http://127.0.0.1:3000`).
    pub fn webhook_url(&self, base: &str) -> Secret {
        Secret::new(format!(
            "{}/rest/{}/{}/",
            base.trim_end_matches('/'),
            self.config.webhook_user,
            self.config.webhook_code.expose()
        ))
    }

    /// The registrations of `placement.bind`, in order.
    pub fn placements(&self) -> Vec<Bound> {
        self.lock().placements.clone()
    }

    /// The timeline comments of an object.
    pub fn comments(&self, entity_type: &str, entity_id: u64) -> Vec<String> {
        self.lock()
            .crm
            .comments
            .iter()
            .filter(|c| c.entity_type.eq_ignore_ascii_case(entity_type) && c.entity_id == entity_id)
            .map(|c| c.comment.clone())
            .collect()
    }

    /// Records a handler request the portal made (tokens already masked); the last 200
    /// are kept.
    pub(crate) fn record(&self, request: Value) {
        let text = |k: &str| {
            request
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        self.tell(Activity::Opened {
            placement: text("placement"),
            handler: text("handler"),
        });
        let mut inner = self.lock();
        if inner.requests.len() >= 200 {
            inner.requests.remove(0);
        }
        inner.requests.push(request);
    }

    /// The handler requests the portal made, tokens masked, oldest first.
    pub fn requests(&self) -> Vec<Value> {
        self.lock().requests.clone()
    }

    /// How many refreshes `/oauth/token/` granted.
    pub fn refreshes(&self) -> u64 {
        self.lock().refreshes
    }

    /// How many calls were answered, and how many the bucket refused.
    pub fn counts(&self) -> (u64, u64) {
        self.lock().counts
    }
}
