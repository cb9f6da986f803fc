//! The app's life cycle: installed by a portal (`POST /install`: the ONAPPINSTALL event,
//! or the install page of a local app), uninstalled (`POST /uninstall`), and every
//! handler call and event verified against the portal's stored application token.
//!
//! Installed portals are answered from memory; the store is read on a miss (a portal
//! installed through another instance) and written on install, uninstall and token
//! renewal.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use b24_placement::bind::PlacementBind;
use b24_placement::event::{EventBind, EventName};
use b24_placement::{HandlerRequest, Secret};
use b24_rest::{Client, OAuthApp, RenewError, RenewFn, TokenChains, TokenStore, Tokens};
use b24_store::{InstalledPortal, PortalStore, RenewFailure, StoredTokens};
use serde_json::{json, Value};
use tracing::Instrument;

use crate::error::Error;
use crate::portal_events::{Delivered, Handler, HandlerError};
use crate::verify::{Refusal, Verifier, VerifyFuture};

/// The app's life cycle: its store, the placements it binds on install, and its OAuth
/// credentials.
pub struct Lifecycle {
    store: Arc<dyn PortalStore>,
    placements: Vec<PlacementBind>,
    app: Option<OAuthApp>,
    cache: RwLock<HashMap<String, (Arc<InstalledPortal>, Instant)>>,
    cache_ttl: Duration,
    /// One REST client per installed portal: one bucket, one refresh.
    clients: std::sync::Mutex<HashMap<String, Client>>,
    /// This instance's token chains: other instances are met through the store's lock.
    chains: Arc<TokenChains>,
    renew_before: Duration,
    rate_limit: Option<b24_rest::RateLimit>,
    timeout: Option<Duration>,
    /// The events bound on install, and the handlers of each (by name).
    events: Vec<EventBind>,
    handlers: HashMap<String, Vec<Handler>>,
    offline_limit: u32,
    /// How long an event handler may run.
    handler_timeout: Duration,
    /// One offline drain at a time per portal.
    offline_locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Lifecycle {
    /// A life cycle on `store`, binding `placements` on every install.
    pub fn new(store: Arc<dyn PortalStore>, placements: Vec<PlacementBind>) -> Self {
        Lifecycle {
            store,
            placements,
            app: None,
            cache: RwLock::new(HashMap::new()),
            cache_ttl: Duration::from_secs(60),
            clients: std::sync::Mutex::new(HashMap::new()),
            chains: TokenChains::new(),
            renew_before: Duration::from_secs(60),
            rate_limit: None,
            timeout: None,
            events: Vec::new(),
            handlers: HashMap::new(),
            offline_limit: 50,
            handler_timeout: Duration::from_secs(60),
            offline_locks: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The life cycle of the app `b24.toml` declares, served at `base` (its `url` in
    /// production; the local address in development): its placements and events bound on
    /// install, its OAuth credentials read from the environment variables it names (when
    /// both are set).
    pub fn from_app(
        store: Arc<dyn PortalStore>,
        app: &b24_app::App,
        base: &str,
    ) -> Result<Self, b24_placement::BindError> {
        let mut life = Lifecycle::new(store, app.placement_binds(base)?).events(app.event_binds(base)?);
        if let (Ok(id), Ok(secret)) = (
            std::env::var(&app.client_id_env),
            std::env::var(&app.client_secret_env),
        ) {
            life = life.app(OAuthApp::new(id, secret));
        }
        Ok(life)
    }

    /// Events to bind on every install (idempotently, as placements: what is bound and
    /// declared is kept, what is missing is bound, what is bound and not declared is
    /// unbound). Their open frames follow a changed object without a handler.
    #[must_use]
    pub fn events(mut self, binds: impl IntoIterator<Item = EventBind>) -> Self {
        for bind in binds {
            if !self.events.contains(&bind) {
                self.events.push(bind);
            }
        }
        self
    }

    /// Binds `bind` on install and runs `handler` for each of its events: off the request
    /// for an online event (its failure logged), and awaited for an offline one (the
    /// record confirmed only when it succeeds).
    #[must_use]
    pub fn on<F, Fut>(mut self, bind: EventBind, handler: F) -> Self
    where
        F: Fn(Delivered) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        let name = bind.event().to_string();
        self = self.events([bind]);
        let handler: Handler = Arc::new(move |d| Box::pin(handler(d)));
        self.handlers.entry(name).or_default().push(handler);
        self
    }

    /// How many offline records one `event.offline.get` takes (50, at most 1,000).
    #[must_use]
    pub fn offline_limit(mut self, limit: u32) -> Self {
        self.offline_limit = limit.clamp(1, 1000);
        self
    }

    /// How long an event handler may run (60 s): one that runs longer is stopped, logged
    /// (online) or its record set aside (offline), so that a stuck handler holds neither a
    /// task nor the portal's offline queue.
    #[must_use]
    pub fn handler_timeout(mut self, limit: Duration) -> Self {
        self.handler_timeout = limit;
        self
    }

    pub(crate) fn handler_timeout_value(&self) -> Duration {
        self.handler_timeout
    }

    pub(crate) fn offline_limit_value(&self) -> u32 {
        self.offline_limit
    }

    /// The handlers of event `name`.
    pub(crate) fn handlers_of(&self, name: &EventName) -> Vec<Handler> {
        self.handlers.get(&name.to_string()).cloned().unwrap_or_default()
    }

    /// The offline channel of the declared events (`auth_connector`): every change the
    /// portals' clients make goes through it.
    pub(crate) fn connector(&self) -> Option<&str> {
        self.events.iter().find_map(EventBind::connector)
    }

    pub(crate) fn offline_lock(&self, member_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.offline_locks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(member_id.to_owned())
            .or_default()
            .clone()
    }

    /// How long one call to a portal or its OAuth server may take (30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The portals' bucket (the standard plan's by default: 2 calls a second, bursts of 50).
    #[must_use]
    pub fn rate_limit(mut self, limit: b24_rest::RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// How long before their stored expiry the portals' tokens are renewed, at a call
    /// (60 s): a long job does not stall on an expired token.
    #[must_use]
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    /// The app's OAuth credentials: REST clients made for installed portals refresh with
    /// them, and write the renewed tokens back to the store.
    #[must_use]
    pub fn app(mut self, app: OAuthApp) -> Self {
        self.app = Some(app);
        self
    }

    /// How long an installed portal is answered from memory before the store is read
    /// again (60 s): the time another instance's uninstall takes to be seen here.
    #[must_use]
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.cache_ttl = ttl;
        self
    }

    pub fn store(&self) -> &Arc<dyn PortalStore> {
        &self.store
    }

    /// The installed portal, from memory or, on a miss, the store.
    pub async fn portal(&self, member_id: &str) -> Result<Option<Arc<InstalledPortal>>, Error> {
        if let Some((p, at)) = self.cache.read().ok().and_then(|c| c.get(member_id).cloned()) {
            if at.elapsed() < self.cache_ttl {
                return Ok(Some(p));
            }
        }
        let loaded = self
            .store
            .load(member_id)
            .await
            .map_err(|e| Error::Store(e.to_string()))?;
        let mut cache = self
            .cache
            .write()
            .map_err(|_| Error::Internal("the portal cache is poisoned".into()))?;
        Ok(match loaded {
            Some(p) => {
                let p = Arc::new(p);
                cache.insert(member_id.to_owned(), (p.clone(), Instant::now()));
                Some(p)
            }
            None => {
                cache.remove(member_id);
                None
            }
        })
    }

    /// The portal a memory lookup alone knows (no store read): for the preview.
    pub fn cached(&self, member_id: &str) -> Option<Arc<InstalledPortal>> {
        self.cache.read().ok()?.get(member_id).map(|(p, _)| p.clone())
    }

    /// Whether `request` comes from an installed portal: its `APPLICATION_TOKEN` is the
    /// one stored at install (compared in constant time).
    pub async fn verify(&self, request: &HandlerRequest) -> Result<Result<(), Refusal>, Error> {
        let Some(portal) = self.portal(&request.member_id).await? else {
            return Ok(Err(Refusal::NotInstalled));
        };
        Ok(match &request.application_token {
            Some(t) if portal.application_token == *t => Ok(()),
            _ => Err(Refusal::WrongToken),
        })
    }

    /// Whether the portal `member_id` is installed (memory, or the store on a miss).
    pub async fn installed(&self, member_id: &str) -> Result<bool, Error> {
        Ok(self.portal(member_id).await?.is_some())
    }

    /// The REST client of an installed portal: one per portal in this instance (every
    /// caller shares its bucket and its refresh), made from the stored tokens on first use
    /// and forgotten on uninstall. A refresh runs under the store's lock on the portal's
    /// tokens: instances that meet one expiry renew once, and the new tokens are stored
    /// before any call uses them.
    pub fn client(&self, portal: &InstalledPortal) -> Result<Client, b24_rest::Error> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = clients.get(&portal.member_id) {
            return Ok(client.clone());
        }
        if portal.needs_reinstall.is_some() {
            return Err(b24_rest::Error::NeedsReinstall(
                "the portal's tokens were found dead earlier".into(),
            ));
        }
        let mut builder = Client::from_tokens(tokens_of(portal)?)
            .chains(self.chains.clone())
            .token_store(Arc::new(StoredPortalTokens {
                store: self.store.clone(),
                member_id: portal.member_id.clone(),
            }))
            .renew_before(self.renew_before);
        if let Some(app) = &self.app {
            builder = builder.app(app.clone());
        }
        if let Some(limit) = self.rate_limit {
            builder = builder.rate_limit(limit);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(key) = self.connector() {
            builder = builder.auth_connector(key);
        }
        let client = builder.build()?;
        clients.insert(portal.member_id.clone(), client.clone());
        Ok(client)
    }

    /// Whether the portal's tokens were found dead: it must install the app again.
    pub async fn needs_reinstall(&self, member_id: &str) -> Result<bool, Error> {
        let loaded = self
            .store
            .load(member_id)
            .await
            .map_err(|e| Error::Store(e.to_string()))?;
        Ok(loaded.is_some_and(|p| p.needs_reinstall.is_some()))
    }

    /// Forgets the portal's client and cached record (uninstalled, or installed again).
    fn forget(&self, member_id: &str) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(member_id);
        if let Ok(mut c) = self.cache.write() {
            c.remove(member_id);
        }
    }

    async fn install(&self, portal: InstalledPortal) -> Result<Value, Error> {
        let span = tracing::info_span!("install", domain = %portal.domain, member_id = %portal.member_id);
        let answer = self.install_portal(portal).instrument(span.clone()).await;
        let _entered = span.enter();
        match &answer {
            Ok(a) => tracing::info!(
                bound = %a["bound"],
                unbound = %a["unbound"],
                events_bound = %a["events_bound"],
                events_unbound = %a["events_unbound"],
                "installed"
            ),
            Err(e) => tracing::warn!("the install failed: {e}"),
        }
        answer
    }

    async fn install_portal(&self, portal: InstalledPortal) -> Result<Value, Error> {
        // a reinstall brings new tokens: the old client (and a dead chain) go
        self.forget(&portal.member_id);
        // the access token is checked against the portal before anything is stored, by a
        // client of its own (nothing to renew or store yet: the tokens are minutes old)
        let check = tokens_of(&portal)
            .and_then(|tokens| Client::from_tokens(tokens).chains(TokenChains::new()).build())
            .map_err(|e| Error::Install(e.to_string()))?;
        check
            .call("app.info", Value::Null)
            .await
            .map_err(|e| Error::Install(format!("the portal did not confirm the install: {e}")))?;
        self.store
            .save(&portal)
            .await
            .map_err(|e| Error::Store(e.to_string()))?;
        let client = self.client(&portal).map_err(|e| Error::Install(e.to_string()))?;
        if let Ok(mut c) = self.cache.write() {
            c.insert(portal.member_id.clone(), (Arc::new(portal), Instant::now()));
        }
        let (bound, unbound) = self
            .bind(&client)
            .await
            .map_err(|e| Error::Install(e.to_string()))?;
        let (events_bound, events_unbound) = self
            .bind_events(&client)
            .await
            .map_err(|e| Error::Install(e.to_string()))?;
        Ok(json!({"installed": true, "bound": bound, "unbound": unbound,
                  "events_bound": events_bound, "events_unbound": events_unbound}))
    }

    /// Binds the declared placements, idempotently (`Client::plan_placements`): what is
    /// bound and still declared is kept, what is missing is bound, a handler of this app no
    /// longer declared is unbound.
    async fn bind(&self, client: &Client) -> Result<(Vec<String>, Vec<String>), b24_rest::Error> {
        let plan = client.plan_placements(&self.placements).await?;
        client.apply_placements(&plan).await?;
        Ok((
            plan.bind.iter().map(|b| b.placement().to_string()).collect(),
            plan.unbind.iter().map(|b| b.placement.to_string()).collect(),
        ))
    }

    /// Binds the declared events, idempotently (`Client::plan_events`, from `event.get`).
    async fn bind_events(&self, client: &Client) -> Result<(Vec<String>, Vec<String>), b24_rest::Error> {
        let plan = client.plan_events(&self.events).await?;
        client.apply_events(&plan).await?;
        Ok((
            plan.bind.iter().map(|e| e.event().to_string()).collect(),
            plan.unbind.iter().map(|b| b.event.clone()).collect(),
        ))
    }

    pub(crate) async fn uninstall(
        &self,
        member_id: &str,
        token: &str,
    ) -> Result<Result<bool, Refusal>, Error> {
        let Some(portal) = self.portal(member_id).await? else {
            return Ok(Err(Refusal::NotInstalled));
        };
        if !portal.application_token.matches(token) {
            return Ok(Err(Refusal::WrongToken));
        }
        let removed = self
            .store
            .remove(member_id)
            .await
            .map_err(|e| Error::Store(e.to_string()))?;
        self.forget(member_id);
        tracing::info!(domain = %portal.domain, member_id, "uninstalled");
        Ok(Ok(removed))
    }
}

/// A form with PHP's nested keys flattened: `auth[member_id]` stays that key.
fn form(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn now() -> i64 {
    i64::try_from(b24_placement::time::unix_now()).unwrap_or(i64::MAX)
}

/// The portal of an ONAPPINSTALL event's `auth[...]`.
fn portal_of_event(f: &HashMap<String, String>) -> Result<InstalledPortal, Error> {
    let get = |k: &str| f.get(&format!("auth[{k}]")).filter(|v| !v.is_empty()).cloned();
    let need = |k: &'static str| {
        get(k).ok_or(Error::Event {
            field: k,
            message: "required in `auth` of the install event".into(),
        })
    };
    let domain = need("domain")?;
    if !b24_placement::request::is_valid_domain(&domain) {
        return Err(Error::Event {
            field: "domain",
            message: "not a host name".into(),
        });
    }
    let client_endpoint = get("client_endpoint").unwrap_or_else(|| format!("https://{domain}/rest/"));
    // the REST address must be the portal's own: no call goes elsewhere with its tokens
    let host = client_endpoint
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("");
    if !host.eq_ignore_ascii_case(&domain) {
        return Err(Error::Event {
            field: "client_endpoint",
            message: "not on the portal's domain".into(),
        });
    }
    let expires_in = get("expires_in").and_then(|s| s.parse::<i64>().ok());
    Ok(InstalledPortal {
        member_id: need("member_id")?,
        domain,
        client_endpoint,
        server_endpoint: get("server_endpoint"),
        application_token: Secret::new(need("application_token")?),
        access_token: get("access_token").map(Secret::new),
        refresh_token: get("refresh_token").map(Secret::new),
        expires: get("expires")
            .and_then(|s| s.parse().ok())
            .or(expires_in.map(|s| now() + s)),
        scope: get("scope"),
        status: get("status"),
        installed_at: now(),
        needs_reinstall: None,
    })
}

/// `POST /install`: the ONAPPINSTALL (or ONAPPUPDATE) event, answered with what was bound;
/// or the install page of a local app (the standard form with `AUTH_ID`), answered with
/// a page that finishes the install in the portal.
pub(crate) async fn install(State(life): State<Arc<Lifecycle>>, body: Bytes) -> Result<Response, Error> {
    if form(&body).contains_key("event") {
        return Ok(crate::error::json_answer(&install_event(&life, &body).await?));
    }
    // the install page: the handler's form
    let text = std::str::from_utf8(&body).map_err(|_| Error::Body("is not UTF-8"))?;
    let request = HandlerRequest::parse(text, None)?;
    let token = request.application_token.clone().ok_or(Error::Event {
        field: "APPLICATION_TOKEN",
        message: "required to install".into(),
    })?;
    let portal = InstalledPortal {
        member_id: request.member_id.clone(),
        domain: request.domain.clone(),
        client_endpoint: request.client_endpoint(),
        server_endpoint: request.server_endpoint.clone(),
        application_token: token,
        access_token: request.auth_id.clone(),
        refresh_token: request.refresh_id.clone(),
        expires: request
            .auth_expires
            .and_then(|s| i64::try_from(s).ok())
            .map(|s| now() + s),
        scope: request.application_scope.clone(),
        status: request.status.as_ref().map(|s| s.as_str().to_owned()),
        installed_at: now(),
        needs_reinstall: None,
    };
    life.install(portal).await?;
    // the install page is opened by the portal that installs the app, and framed by it only
    Ok((
        [(
            axum::http::header::CONTENT_SECURITY_POLICY,
            crate::host::frame_ancestors(&request),
        )],
        Html(INSTALL_PAGE),
    )
        .into_response())
}

/// The install page: tells the portal the install is finished (`installFinish`).
const INSTALL_PAGE: &str =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Installed</title></head><body>\n\
<p data-b24=\"installed\">The app is installed.</p>\n<script>(function () {\n\
  var parts = (window.name || \"\").split(\"|\");\n\
  var origin = parts[0] ? (parts[1] === \"1\" ? \"https://\" : \"http://\") + parts[0] : \"*\";\n\
  window.parent.postMessage(\"installFinish::b24install:\" + (parts[2] || \"\"), origin);\n\
})();</script>\n</body></html>\n";

/// Installs from an ONAPPINSTALL or ONAPPUPDATE event's form; gives what was bound.
pub(crate) async fn install_event(life: &Lifecycle, body: &[u8]) -> Result<Value, Error> {
    let f = form(body);
    let event = f.get("event").map(|e| e.to_ascii_uppercase()).unwrap_or_default();
    if !matches!(event.as_str(), "ONAPPINSTALL" | "ONAPPUPDATE") {
        return Err(Error::Event {
            field: "event",
            message: "expected ONAPPINSTALL or ONAPPUPDATE".into(),
        });
    }
    life.install(portal_of_event(&f)?).await
}

/// The `auth[member_id]` of an event's form.
pub(crate) fn member_of(body: &Bytes) -> Option<String> {
    form(body).remove("auth[member_id]")
}

/// `POST /uninstall`: ONAPPUNINSTALL, accepted only with the portal's own application
/// token; the portal is forgotten (with `data[CLEAN]=1` its data too: all of it is the
/// portal's record here).
pub(crate) async fn uninstall(State(life): State<Arc<Lifecycle>>, body: Bytes) -> Result<Response, Error> {
    let f = form(&body);
    if !f
        .get("event")
        .is_some_and(|e| e.eq_ignore_ascii_case("ONAPPUNINSTALL"))
    {
        return Err(Error::Event {
            field: "event",
            message: "expected ONAPPUNINSTALL".into(),
        });
    }
    let member = f
        .get("auth[member_id]")
        .filter(|v| !v.is_empty())
        .ok_or(Error::Event {
            field: "member_id",
            message: "required in `auth` of the uninstall event".into(),
        })?;
    let token = f
        .get("auth[application_token]")
        .map(String::as_str)
        .unwrap_or_default();
    match life.uninstall(member, token).await? {
        Ok(removed) => Ok(crate::error::json_answer(&json!({"uninstalled": removed}))),
        Err(refusal) => {
            tracing::warn!(member_id = %member, why = refusal.as_str(), "refused an uninstall");
            Err(Error::Forbidden)
        }
    }
}

impl Verifier for Lifecycle {
    fn verify<'a>(&'a self, request: &'a HandlerRequest) -> VerifyFuture<'a, Result<(), Refusal>> {
        Box::pin(Lifecycle::verify(self, request))
    }

    fn installed<'a>(&'a self, member_id: &'a str) -> VerifyFuture<'a, bool> {
        Box::pin(Lifecycle::installed(self, member_id))
    }
}

/// A portal's tokens in the app's store, for its REST client: a refresh runs under the
/// store's lock on the portal's row.
struct StoredPortalTokens {
    store: Arc<dyn PortalStore>,
    member_id: String,
}

/// `current` with the tokens the store holds.
fn with_stored(current: &Tokens, stored: &StoredTokens) -> Tokens {
    Tokens {
        access_token: stored
            .access_token
            .clone()
            .unwrap_or_else(|| current.access_token.clone()),
        refresh_token: stored
            .refresh_token
            .clone()
            .or_else(|| current.refresh_token.clone()),
        expires: stored.expires.and_then(|e| u64::try_from(e).ok()),
        ..current.clone()
    }
}

fn to_stored(tokens: &Tokens) -> StoredTokens {
    StoredTokens {
        access_token: Some(tokens.access_token.clone()),
        refresh_token: tokens.refresh_token.clone(),
        expires: tokens.expires.and_then(|e| i64::try_from(e).ok()),
        needs_reinstall: None,
    }
}

impl TokenStore for StoredPortalTokens {
    fn renew<'a>(
        &'a self,
        current: &'a Tokens,
        renew: RenewFn<'a>,
    ) -> b24_rest::chain::TokenFuture<'a, Result<Tokens, RenewError>> {
        Box::pin(async move {
            let outcome = self
                .store
                .renew_tokens(
                    &self.member_id,
                    Box::new(move |stored: StoredTokens| {
                        Box::pin(async move {
                            match renew(with_stored(current, &stored)).await {
                                Ok(new) => Ok(new.as_ref().map(to_stored)),
                                Err(e) => Err(Box::new(e) as b24_store::RenewError),
                            }
                        })
                    }),
                )
                .await;
            match outcome {
                Ok(stored) => Ok(with_stored(current, &stored)),
                Err(RenewFailure::Store(e)) => {
                    tracing::error!(member_id = %self.member_id, "the token store failed: {e}");
                    Err(RenewError::Store(e.to_string()))
                }
                Err(RenewFailure::NotInstalled) => Err(RenewError::NotInstalled),
                Err(RenewFailure::Renew(e)) => {
                    Err(RenewError::Renew(match e.downcast::<b24_rest::Error>() {
                        Ok(e) => *e,
                        Err(other) => b24_rest::Error::Refresh(other.to_string()),
                    }))
                }
                Err(RenewFailure::NotStored { tokens, error }) => Err(RenewError::NotStored {
                    tokens: with_stored(current, &tokens),
                    message: error.to_string(),
                }),
            }
        })
    }

    fn mark_needs_reinstall(&self) -> b24_rest::chain::TokenFuture<'_, Result<(), String>> {
        Box::pin(async move {
            tracing::warn!(member_id = %self.member_id, "the portal needs the app installed again");
            self.store
                .mark_needs_reinstall(&self.member_id)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// The OAuth tokens of a stored portal.
fn tokens_of(portal: &InstalledPortal) -> Result<Tokens, b24_rest::Error> {
    let access = portal
        .access_token
        .clone()
        .ok_or_else(|| b24_rest::Error::Config("the portal sent no access token at install".into()))?;
    Ok(Tokens {
        access_token: access,
        refresh_token: portal.refresh_token.clone(),
        client_endpoint: portal.client_endpoint.clone(),
        server_endpoint: portal.server_endpoint.clone(),
        expires: portal.expires.and_then(|e| u64::try_from(e).ok()),
        member_id: Some(portal.member_id.clone()),
        scope: portal.scope.clone(),
    })
}
