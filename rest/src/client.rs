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
use crate::error::{Error, ErrorCode};
use crate::tokens::{read_refresh, token_url, OAuthApp, Tokens};

type OnRefresh = dyn Fn(&Tokens) + Send + Sync;

/// How the client authenticates.
enum Auth {
    /// An incoming webhook: its whole address (`https://x/rest/1/code/`) is the secret.
    Webhook(Secret),
    /// OAuth: the current tokens, replaced on refresh.
    OAuth(Box<OAuth>),
}

struct OAuth {
    tokens: tokio::sync::RwLock<Tokens>,
    /// Held while one refresh runs, so that calls that hit the same expiry share it.
    refreshing: tokio::sync::Mutex<()>,
    app: Option<OAuthApp>,
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

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let auth = match &self.inner.auth {
            Auth::Webhook(_) => "webhook",
            Auth::OAuth(_) => "oauth",
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
    auth: Auth,
    key: String,
    limit: RateLimit,
    timeout: Duration,
    limit_retries: u32,
    on_refresh: Option<Box<OnRefresh>>,
    http: Option<reqwest::Client>,
}

impl Builder {
    fn new(auth: Auth, key: String) -> Self {
        Builder {
            auth,
            key,
            limit: RateLimit::default(),
            timeout: Duration::from_secs(30),
            limit_retries: 5,
            on_refresh: None,
            http: None,
        }
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
        if let Auth::OAuth(oauth) = &mut self.auth {
            oauth.app = Some(app);
        }
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
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth: self.auth,
                bucket: bucket_for(&self.key, self.limit),
                timeout: self.timeout,
                limit_retries: self.limit_retries,
                on_refresh: self.on_refresh,
                reset_at: Mutex::new(HashMap::new()),
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
        Ok(Builder::new(Auth::Webhook(Secret::new(base)), key))
    }

    /// A client with OAuth tokens (stored ones, or from the OAuth server).
    pub fn from_tokens(tokens: Tokens) -> Builder {
        let key = origin(&tokens.client_endpoint);
        Builder::new(
            Auth::OAuth(Box::new(OAuth {
                tokens: tokio::sync::RwLock::new(tokens),
                refreshing: tokio::sync::Mutex::new(()),
                app: None,
            })),
            key,
        )
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
            Auth::OAuth(o) => Some(o.tokens.read().await.clone()),
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
        if method.is_empty()
            || !method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
        {
            return Err(Error::Config(format!(
                "{method:?} is not a method name: letters, digits, `.` and `_` only"
            )));
        }
        let mut refreshed = false;
        let mut limited = 0;
        let mut resent = false;
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
                Err(Error::Api { error, .. }) if error.code == ErrorCode::ExpiredToken && !refreshed => {
                    let Some(token) = token else {
                        return Err(Error::Api {
                            method: method.to_owned(),
                            error,
                        });
                    };
                    self.refresh(&token).await?;
                    refreshed = true;
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
            Auth::OAuth(o) => Some(o.tokens.read().await.access_token.clone()),
            Auth::Webhook(_) => None,
        }
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
            Auth::OAuth(o) => format!("{}{method}", o.tokens.read().await.client_endpoint),
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

    /// Refreshes the access token that was refused as expired, unless another call did
    /// it meanwhile; the new tokens go to the `on_refresh` callback.
    async fn refresh(&self, expired: &Secret) -> Result<(), Error> {
        let Auth::OAuth(oauth) = &self.inner.auth else {
            return Err(Error::Refresh("a webhook has no token to refresh".into()));
        };
        let OAuth {
            tokens,
            refreshing,
            app,
        } = &**oauth;
        // one refresh at a time; a call that waited here finds the new token and is done
        let _one = refreshing.lock().await;
        let old = tokens.read().await.clone();
        if !old.access_token.matches(expired.expose()) {
            return Ok(());
        }
        let app = app.as_ref().ok_or_else(|| {
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
        let new = read_refresh(answer.0, &answer.1, &old)?;
        *tokens.write().await = new.clone();
        if let Some(f) = &self.inner.on_refresh {
            f(&new);
        }
        Ok(())
    }
}

pub use b24_placement::methods::is_read_only;
