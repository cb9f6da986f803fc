//! The client: one portal, its authentication (a webhook, or OAuth tokens that refresh
//! themselves), its leaky bucket, and `call`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use b24_placement::request::HandlerRequest;
use b24_placement::Secret;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::answer::{read_answer, Answer};
use crate::bucket::{bucket_for, Bucket, RateLimit};
use crate::chain::{Chain, RenewError, TokenChains, TokenStore};
use crate::error::{Error, ErrorCode};
use crate::tokens::{read_refresh, token_url, OAuthApp, Tokens};

type OnRefresh = dyn Fn(&Tokens) + Send + Sync;

/// How the client authenticates.
enum Auth {
    /// An incoming webhook: its whole address (`https://x/rest/1/code/`) is the secret.
    Webhook(Secret),
    /// OAuth: the chain of tokens the client shares with every client of them.
    Chained(Box<OAuth>),
}

/// What a builder authenticates with: a webhook, or the tokens given (joined to their
/// chain when the client is built).
enum Credentials {
    Webhook(Secret),
    Tokens(Box<Tokens>),
}

struct OAuth {
    chain: Arc<Chain>,
    chains: Arc<TokenChains>,
    store: Option<Arc<dyn TokenStore>>,
    app: Option<OAuthApp>,
    /// Renew this long before the known expiry, rather than meet it.
    renew_before: Option<Duration>,
}

struct Inner {
    http: reqwest::Client,
    auth: Auth,
    bucket: Arc<Bucket>,
    timeout: Duration,
    /// How many times a call refused with QUERY_LIMIT_EXCEEDED is sent again.
    limit_retries: u32,
    on_refresh: Option<Box<OnRefresh>>,
    /// `operating_reset_at` of the last answer of each method.
    reset_at: Mutex<HashMap<String, u64>>,
    /// The channel every change is made through (`auth_connector`).
    auth_connector: Option<String>,
    /// The portal's field schemas read so far, shared by every client of the portal (see
    /// `fields`).
    pub(crate) schemas: Arc<crate::fields::Schemas>,
}

/// A REST client of one portal. Cheap to clone: clones share the tokens, the bucket and
/// the connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), b24_rest::Error> {
/// let client = b24_rest::Client::from_webhook("https://example.bitrix24.com/rest/1/abcdef123456/")?;
/// let deal = client.call("crm.deal.get", serde_json::json!({"id": 7})).await?.result;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Client {
    pub(crate) fn schemas(&self) -> &crate::fields::Schemas {
        &self.inner.schemas
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let auth = match &self.inner.auth {
            Auth::Webhook(_) => "webhook",
            Auth::Chained(_) => "oauth",
        };
        f.debug_struct("Client")
            .field("auth", &auth)
            .finish_non_exhaustive()
    }
}

/// Makes a [`Client`]: its defaults are a 30 s timeout per call, the standard plan's
/// bucket (2 requests a second, bursts of 50) and 5 retries of a call refused by the
/// portal's bucket.
pub struct Builder {
    credentials: Credentials,
    app: Option<OAuthApp>,
    chains: Option<Arc<TokenChains>>,
    store: Option<Arc<dyn TokenStore>>,
    renew_before: Option<Duration>,
    key: String,
    limit: RateLimit,
    timeout: Duration,
    limit_retries: u32,
    on_refresh: Option<Box<OnRefresh>>,
    http: Option<reqwest::Client>,
    auth_connector: Option<String>,
}

impl Builder {
    fn new(credentials: Credentials, key: String) -> Self {
        Builder {
            credentials,
            app: None,
            chains: None,
            store: None,
            renew_before: None,
            key,
            limit: RateLimit::default(),
            timeout: Duration::from_secs(30),
            limit_retries: 5,
            on_refresh: None,
            http: None,
            auth_connector: None,
        }
    }

    /// Makes every change (each method that is not read-only, in a batch too) through the
    /// offline channel `key` (`auth_connector`): the app's own changes are then not queued
    /// back to it as offline events, the loop the docs warn of.
    #[must_use]
    pub fn auth_connector(mut self, key: impl Into<String>) -> Self {
        self.auth_connector = Some(key.into());
        self
    }

    /// The portal's bucket (use [`RateLimit::ENTERPRISE`] on Enterprise plans).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.limit = limit;
        self
    }

    /// How long one call may take (the portal's own limit is 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a call refused with `QUERY_LIMIT_EXCEEDED` is sent again.
    pub fn limit_retries(mut self, retries: u32) -> Self {
        self.limit_retries = retries;
        self
    }

    /// Called with the new tokens after each refresh, to store them (the refresh token
    /// rotates: the old one no longer works).
    pub fn on_refresh(mut self, f: impl Fn(&Tokens) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Box::new(f));
        self
    }

    /// The app's credentials, needed to refresh an expired access token.
    pub fn app(mut self, app: OAuthApp) -> Self {
        self.app = Some(app);
        self
    }

    /// The chains the client's tokens join (the process's own by default): an app
    /// instance keeps its own, and meets other instances through its store.
    pub fn chains(mut self, chains: Arc<TokenChains>) -> Self {
        self.chains = Some(chains);
        self
    }

    /// The store that keeps the tokens beyond the process: every refresh runs under its
    /// lock, reads the stored tokens again, and stores the new ones before they are used.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Renews the tokens this long before their known expiry, at the next call, so that a
    /// long job does not meet an expired token.
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = Some(margin);
        self
    }

    /// An HTTP client of your own (proxies, TLS roots).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .user_agent(concat!("b24-rest/", env!("CARGO_PKG_VERSION")))
                // a moved portal answers 302; a POST must not silently become a GET
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("the HTTP client cannot be made: {}", e.without_url())))?,
        };
        let auth = match self.credentials {
            Credentials::Webhook(base) => Auth::Webhook(base),
            Credentials::Tokens(tokens) => {
                let chains = self.chains.unwrap_or_else(TokenChains::global);
                Auth::Chained(Box::new(OAuth {
                    chain: chains.join(*tokens),
                    chains,
                    store: self.store,
                    app: self.app,
                    renew_before: self.renew_before,
                }))
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth,
                bucket: bucket_for(&self.key, self.limit),
                timeout: self.timeout,
                limit_retries: self.limit_retries,
                on_refresh: self.on_refresh,
                reset_at: Mutex::new(HashMap::new()),
                auth_connector: self.auth_connector,
                schemas: crate::fields::schemas_for(&self.key),
            }),
        })
    }
}

/// `https://host/rest/` with the scheme checked.
fn rest_base(url: &str, what: &str) -> Result<String, Error> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(Error::Config(format!(
            "{what} must start with https:// (or http:// for a local portal)"
        )));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

/// The portal part (`scheme://host[:port]`) of a URL, for the bucket's key.
fn origin(url: &str) -> String {
    let after = url.find("://").map_or(0, |i| i + 3);
    let end = url[after..].find('/').map_or(url.len(), |i| after + i);
    url[..end].to_ascii_lowercase()
}

impl Client {
    /// Adds the client's `auth_connector` to the params of a change.
    pub(crate) fn through_channel(&self, method: &str, params: &mut Map<String, Value>) {
        if let Some(key) = &self.inner.auth_connector {
            let changes = !b24_placement::methods::is_read_only(method)
                && method != "batch"
                && !method.starts_with("event.")
                && method != "events";
            if changes && !params.contains_key("auth_connector") {
                params.insert("auth_connector".into(), Value::String(key.clone()));
            }
        }
    }

    /// A client of an incoming webhook: `https://DOMAIN/rest/USER/CODE/`.
    pub fn from_webhook(url: &str) -> Result<Client, Error> {
        Self::webhook_builder(url)?.build()
    }

    /// The builder of a webhook client.
    pub fn webhook_builder(url: &str) -> Result<Builder, Error> {
        let base = rest_base(url.trim(), "the webhook address")?;
        let path: Vec<&str> = base[origin(&base).len()..].trim_matches('/').split('/').collect();
        let ok = matches!(path.as_slice(), [rest, user, code]
            if *rest == "rest" && !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit()) && !code.is_empty());
        if !ok {
            return Err(Error::Config(
                "the webhook address must be https://DOMAIN/rest/USER_ID/CODE/ (as Bitrix24 shows it)".into(),
            ));
        }
        let key = origin(&base);
        Ok(Builder::new(Credentials::Webhook(Secret::new(base)), key))
    }

    /// A client with OAuth tokens (stored ones, or from the OAuth server).
    pub fn from_tokens(tokens: Tokens) -> Builder {
        let key = origin(&tokens.client_endpoint);
        Builder::new(Credentials::Tokens(Box::new(tokens)), key)
    }

    /// A client for the user a widget was opened by: the portal from `DOMAIN` and
    /// `PROTOCOL`, the tokens `AUTH_ID` and `REFRESH_ID`, the OAuth server from
    /// `SERVER_ENDPOINT`. Add the app's credentials ([`Builder::app`]) to refresh.
    pub fn from_request(request: &HandlerRequest) -> Result<Builder, Error> {
        let access = request.auth_id.clone().ok_or_else(|| {
            Error::Config("the handler request has no AUTH_ID: no REST call can be made for it".into())
        })?;
        let now = b24_placement::time::unix_now();
        Ok(Self::from_tokens(Tokens {
            access_token: access,
            refresh_token: request.refresh_id.clone(),
            client_endpoint: request.client_endpoint(),
            server_endpoint: request.server_endpoint.clone(),
            expires: request.auth_expires.map(|s| now + s),
            member_id: Some(request.member_id.clone()),
            scope: request.application_scope.clone(),
        }))
    }

    /// The current tokens (after any refresh), for a client made with them.
    pub async fn tokens(&self) -> Option<Tokens> {
        match &self.inner.auth {
            Auth::Chained(o) => Some(o.chain.tokens.read().await.clone()),
            Auth::Webhook(_) => None,
        }
    }

    /// Calls `method` with `params` (an object, or `()` / `null` for none) and gives its
    /// answer. A full bucket waits; `QUERY_LIMIT_EXCEEDED` is retried with growing pauses;
    /// `expired_token` is refreshed once (shared by concurrent calls) and the call retried.
    /// A call that changes data is never repeated once it may have reached the portal.
    pub async fn call(&self, method: &str, params: impl Serialize) -> Result<Answer, Error> {
        let params = match serde_json::to_value(params) {
            Ok(Value::Object(o)) => o,
            Ok(Value::Null) => Map::new(),
            Ok(_) => return Err(Error::Config(format!("{method}: params must be a JSON object"))),
            Err(e) => {
                return Err(Error::Config(format!(
                    "{method}: params cannot be serialized: {e}"
                )))
            }
        };
        let mut params = params;
        self.through_channel(method, &mut params);
        if method.is_empty()
            || !method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
        {
            return Err(Error::Config(format!(
                "{method:?} is not a method name: letters, digits, `.` and `_` only"
            )));
        }
        // a renewed token may be renewed again by another instance, or expire, before the
        // call is sent again (tokens that live seconds, a call waiting in the bucket): a
        // few rounds, each of which reads the chain and the store again
        const ROUNDS: u32 = 4;
        let mut refreshed = 0;
        let mut limited = 0;
        let mut resent = false;
        self.before_call().await?;
        loop {
            self.inner.bucket.acquire().await;
            let token = self.access_token().await;
            match self.send(method, &params, token.as_ref()).await {
                Ok(answer) => {
                    if let Some(at) = answer.time.as_ref().and_then(|t| t.operating_reset_at) {
                        self.remember_reset(method, at);
                    }
                    return Ok(answer);
                }
                // expired, or unknown because another client or instance renewed it: the
                // chain (and the store) are read again, a refresh made only if needed
                Err(Error::Api { error, .. })
                    if matches!(error.code, ErrorCode::ExpiredToken | ErrorCode::InvalidToken)
                        && refreshed < ROUNDS
                        && matches!(self.inner.auth, Auth::Chained(_)) =>
                {
                    let renewable = match &token {
                        Some(t) if error.code == ErrorCode::InvalidToken => self.renewed_elsewhere(t).await,
                        Some(_) => true,
                        None => false,
                    };
                    let (true, Some(token)) = (renewable, token) else {
                        return Err(Error::Api {
                            method: method.to_owned(),
                            error,
                        });
                    };
                    self.refresh(&token).await?;
                    refreshed += 1;
                }
                Err(Error::Api { error, .. })
                    if error.code == ErrorCode::QueryLimitExceeded && limited < self.inner.limit_retries =>
                {
                    // refused before it ran: safe to send again, after the bucket drains
                    self.inner.bucket.fill();
                    limited += 1;
                    tokio::time::sleep(Duration::from_millis(500 << limited.min(5))).await;
                }
                Err(Error::Api { mut error, .. }) => {
                    if error.code == ErrorCode::OperationTimeLimit {
                        error.reset_at = self.reset_for(method);
                    }
                    return Err(Error::Api {
                        method: method.to_owned(),
                        error,
                    });
                }
                Err(Error::Transport { message, .. }) if !resent && is_read_only(method) => {
                    // a read may be sent again; a change may already have been made
                    let _ = message;
                    resent = true;
                }
                Err(Error::Transport { message, .. }) if !is_read_only(method) => {
                    return Err(Error::MaybeDone {
                        method: method.to_owned(),
                        message,
                    });
                }
                Err(other) => return Err(other),
            }
        }
    }

    fn remember_reset(&self, method: &str, at: u64) {
        if let Ok(mut m) = self.inner.reset_at.lock() {
            m.insert(method.to_owned(), at);
        }
    }

    fn reset_for(&self, method: &str) -> Option<u64> {
        self.inner.reset_at.lock().ok()?.get(method).copied()
    }

    async fn access_token(&self) -> Option<Secret> {
        match &self.inner.auth {
            Auth::Chained(o) => Some(o.chain.tokens.read().await.access_token.clone()),
            Auth::Webhook(_) => None,
        }
    }

    /// Whether an access token the portal does not know may have been renewed by another
    /// client (the chain holds another now) or another instance (a store to read again).
    async fn renewed_elsewhere(&self, token: &Secret) -> bool {
        match &self.inner.auth {
            Auth::Chained(o) => {
                o.store.is_some() || !o.chain.tokens.read().await.access_token.matches(token.expose())
            }
            Auth::Webhook(_) => false,
        }
    }

    /// Before a call: a chain whose portal needs a reinstall fails at once; tokens renewed
    /// earlier but not stored are written now; tokens that expire within `renew_before`
    /// are renewed.
    async fn before_call(&self) -> Result<(), Error> {
        let Auth::Chained(oauth) = &self.inner.auth else {
            return Ok(());
        };
        if oauth.chain.is_dead() {
            return Err(Error::NeedsReinstall("the refresh token was refused".into()));
        }
        let pending = oauth.chain.pending.lock().ok().and_then(|p| p.clone());
        if let (Some((tokens, spent)), Some(store)) = (pending, &oauth.store) {
            // under the lock, and only over the pair it replaced: a reinstall meanwhile wins
            let write = tokens.clone();
            let outcome = store
                .renew(
                    &tokens,
                    Box::new(move |stored: Tokens| {
                        Box::pin(async move {
                            let replaced = match (&stored.refresh_token, &spent) {
                                (Some(s), Some(old)) => s.matches(old.expose()),
                                _ => stored.access_token.matches(write.access_token.expose()),
                            };
                            Ok(replaced.then_some(write))
                        })
                    }),
                )
                .await;
            match outcome {
                Ok(stored) => {
                    if let Ok(mut p) = oauth.chain.pending.lock() {
                        *p = None;
                    }
                    *oauth.chain.tokens.write().await = stored;
                    tracing::info!(
                        member_id = tokens.member_id.as_deref().unwrap_or(""),
                        "renewed tokens stored"
                    );
                }
                Err(e) => tracing::warn!("renewed tokens still not stored: {e:?}"),
            }
        }
        if let Some(margin) = oauth.renew_before {
            let (access, expires) = {
                let t = oauth.chain.tokens.read().await;
                (t.access_token.clone(), t.expires)
            };
            let now = b24_placement::time::unix_now();
            if expires.is_some_and(|e| e <= now + margin.as_secs()) {
                self.refresh(&access).await?;
            }
        }
        Ok(())
    }

    /// One HTTP request: POST of the params as JSON, the token in `auth`.
    async fn send(
        &self,
        method: &str,
        params: &Map<String, Value>,
        token: Option<&Secret>,
    ) -> Result<Answer, Error> {
        let url = match &self.inner.auth {
            Auth::Webhook(base) => format!("{}{method}", base.expose()),
            Auth::Chained(o) => format!("{}{method}", o.chain.tokens.read().await.client_endpoint),
        };
        let request = match token {
            Some(t) => {
                let mut body = params.clone();
                body.insert("auth".into(), Value::String(t.expose().to_owned()));
                self.inner.http.post(url).json(&body)
            }
            None => self.inner.http.post(url).json(params),
        };
        let sent = tokio::time::timeout(self.inner.timeout, async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, content_type, body))
        })
        .await;
        let (status, content_type, body) = match sent {
            Err(_) => {
                return Err(Error::Timeout {
                    method: method.to_owned(),
                    after: self.inner.timeout,
                })
            }
            Ok(Err(e)) => {
                return Err(Error::Transport {
                    method: method.to_owned(),
                    // the URL may hold a webhook code: never in a message
                    message: e.without_url().to_string(),
                });
            }
            Ok(Ok(x)) => x,
        };
        read_answer(method, status, content_type.as_deref(), &body)
    }

    /// Refreshes the access token `expired` (refused, or about to expire), unless another
    /// client of its chain did it meanwhile; with a token store, under the store's lock,
    /// after reading the stored tokens again (another instance may have renewed them).
    async fn refresh(&self, expired: &Secret) -> Result<(), Error> {
        let Auth::Chained(oauth) = &self.inner.auth else {
            return Err(Error::Refresh("a webhook has no token to refresh".into()));
        };
        let chain = &oauth.chain;
        // one refresh at a time; a call that waited here finds the new token and is done
        let _one = chain.refreshing.lock().await;
        if chain.is_dead() {
            return Err(Error::NeedsReinstall("the refresh token was refused".into()));
        }
        let current = chain.tokens.read().await.clone();
        if !current.access_token.matches(expired.expose()) {
            return Ok(());
        }
        let member = current.member_id.clone().unwrap_or_default();
        let renewed = match &oauth.store {
            None => self.refresh_with_server(&current, oauth.app.as_ref()).await,
            Some(store) => {
                let app = oauth.app.as_ref();
                let this = self;
                let outcome = store
                    .renew(
                        &current,
                        Box::new(move |stored: Tokens| {
                            Box::pin(async move {
                                // another instance renewed them: use what it stored, unless
                                // that has expired too by now
                                let now = b24_placement::time::unix_now();
                                let stale = stored.expires.is_some_and(|e| e <= now);
                                if !stored.access_token.matches(expired.expose()) && !stale {
                                    return Ok(None);
                                }
                                this.refresh_with_server(&stored, app).await.map(Some)
                            })
                        }),
                    )
                    .await;
                match outcome {
                    Ok(tokens) => Ok(tokens),
                    Err(RenewError::Renew(e)) => Err(e),
                    Err(RenewError::Store(message)) => Err(Error::Store(message)),
                    Err(RenewError::NotInstalled) => Err(Error::NeedsReinstall(
                        "the portal is no longer in the store".into(),
                    )),
                    Err(RenewError::NotStored { tokens, message }) => {
                        // the old refresh token is spent: these are the only good ones
                        *chain.tokens.write().await = tokens.clone();
                        oauth.chains.renewed(chain, &tokens);
                        if let Ok(mut p) = chain.pending.lock() {
                            *p = Some((tokens, current.refresh_token.clone()));
                        }
                        tracing::error!(member_id = %member, "the renewed tokens could not be stored: {message}");
                        return Err(Error::TokensNotStored(message));
                    }
                }
            }
        };
        match renewed {
            Ok(tokens) => {
                let changed = !tokens.access_token.matches(current.access_token.expose());
                *chain.tokens.write().await = tokens.clone();
                oauth.chains.renewed(chain, &tokens);
                if changed {
                    tracing::debug!(member_id = %member, "tokens renewed");
                    if let Some(f) = &self.inner.on_refresh {
                        f(&tokens);
                    }
                }
                Ok(())
            }
            Err(Error::NeedsReinstall(why)) => {
                // refused after the stored tokens were read again: never retried in a loop
                chain.set_dead();
                tracing::error!(member_id = %member, "the portal's tokens can no longer be refreshed: {why}");
                if let Some(store) = &oauth.store {
                    if let Err(e) = store.mark_needs_reinstall().await {
                        tracing::error!(member_id = %member, "the portal could not be marked for reinstall: {e}");
                    }
                }
                Err(Error::NeedsReinstall(why))
            }
            Err(e) => Err(e),
        }
    }

    /// One refresh at the OAuth server with `old`'s refresh token.
    async fn refresh_with_server(&self, old: &Tokens, app: Option<&OAuthApp>) -> Result<Tokens, Error> {
        let app = app.ok_or_else(|| {
            Error::Refresh("the app's client id and secret are needed to refresh, and were not given".into())
        })?;
        let refresh = old
            .refresh_token
            .as_ref()
            .ok_or_else(|| Error::Refresh("there is no refresh token".into()))?;
        let server = old
            .server_endpoint
            .clone()
            .unwrap_or_else(|| "https://oauth.bitrix.info/rest/".to_owned());
        let request = self.inner.http.get(token_url(&server)).query(&[
            ("grant_type", "refresh_token"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.expose()),
            ("refresh_token", refresh.expose()),
        ]);
        let answer = tokio::time::timeout(self.inner.timeout, async {
            let r = request.send().await?;
            let status = r.status().as_u16();
            Ok::<_, reqwest::Error>((status, r.bytes().await?))
        })
        .await
        .map_err(|_| Error::Refresh("the OAuth server did not answer in time".into()))?
        // the URL holds the secret and the refresh token: never in a message
        .map_err(|e| Error::Refresh(format!("cannot reach the OAuth server: {}", e.without_url())))?;
        read_refresh(answer.0, &answer.1, old)
    }
}

pub use b24_placement::methods::is_read_only;
