//! OAuth as the portal plays it: tokens issued (random, from the operating system's
//! CSPRNG), expiring and rotating on refresh (`/oauth/token/`), and each call's
//! authentication (an access token, or the incoming webhook).

use b24_placement::time::unix_now;
use b24_placement::Secret;
use serde_json::{json, Map, Value};
use tokio::time::Instant;

use crate::config::Config;
use crate::failure::Failure;
use crate::portal::{Inner, Issued, Portal};

/// A pair of tokens issued, and when its access token expires.
pub(crate) struct Token {
    pub(crate) access: Secret,
    pub(crate) refresh: Secret,
    pub(crate) expires: Instant,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caller {
    App,
    Webhook,
}

/// `bytes` random bytes of the operating system's CSPRNG, as hex after `prefix`: a token
/// nobody can guess from another.
pub(crate) fn random_token(prefix: &str, bytes: usize) -> String {
    let mut random = vec![0u8; bytes];
    if getrandom::fill(&mut random).is_err() {
        // no entropy source: a token that cannot be used, never a guessable one
        return format!("{prefix}-no-entropy");
    }
    random.iter().fold(prefix.to_owned(), |mut s, b| {
        s.push_str(&format!("{b:02x}"));
        s
    })
}

pub(crate) fn issue(inner: &mut Inner, config: &Config) -> Issued {
    inner.issued += 1;
    let make = |kind: &str| random_token(kind, 16);
    let issued = Issued {
        access_token: Secret::new(make("a")),
        refresh_token: Secret::new(make("r")),
    };
    inner.tokens.push(Token {
        access: issued.access_token.clone(),
        refresh: issued.refresh_token.clone(),
        expires: Instant::now() + config.token_lifetime,
    });
    issued
}

impl Portal {
    /// Issues a new pair of tokens, as an install or the OAuth server would.
    pub fn issue_tokens(&self) -> Issued {
        let mut inner = self.lock();
        issue(&mut inner, &self.config)
    }

    /// Refreshes tokens: `/oauth/token/?grant_type=refresh_token&...`.
    pub(crate) fn refresh(&self, q: &Map<String, Value>) -> Result<Value, Failure> {
        let text = |k: &str| q.get(k).and_then(Value::as_str).unwrap_or_default();
        if text("grant_type") != "refresh_token" {
            return Err(Failure::bad(
                "invalid_request",
                "grant_type must be refresh_token",
            ));
        }
        if text("client_id") != self.config.client_id
            || !self.config.client_secret.matches(text("client_secret"))
        {
            return Err(Failure::new(401, "invalid_client", "invalid client"));
        }
        let mut inner = self.lock();
        let given = text("refresh_token");
        let Some(i) = inner.tokens.iter().position(|t| t.refresh.matches(given)) else {
            return Err(Failure::bad("invalid_grant", "Invalid refresh token"));
        };
        // the refresh token rotates: the old pair is gone
        inner.tokens.remove(i);
        inner.refreshes += 1;
        let issued = issue(&mut inner, &self.config);
        Ok(json!({
            "access_token": issued.access_token.expose(),
            "refresh_token": issued.refresh_token.expose(),
            "expires_in": self.config.token_lifetime.as_secs(),
            "expires": unix_now() + self.config.token_lifetime.as_secs(),
            "scope": "crm,placement,user",
            "domain": "oauth.bitrix.info",
            "status": "L",
            "member_id": Portal::MEMBER_ID,
            "user_id": 1,
        }))
    }

    /// Checks the bucket and the authentication of a call; `webhook` when it came through
    /// the webhook path.
    pub(crate) fn admit(&self, auth: Option<&str>, webhook: Option<(&str, &str)>) -> Result<Caller, Failure> {
        let mut inner = self.lock();
        let now = Instant::now();
        crate::bucket::take(&mut inner, &self.config, now)?;
        if let Some((user, code)) = webhook {
            let user_ok = user.parse::<u64>().ok() == Some(self.config.webhook_user);
            // both compared whatever the first says: no early answer tells which was wrong
            let code_ok = self.config.webhook_code.matches(code);
            return if user_ok & code_ok {
                Ok(Caller::Webhook)
            } else {
                Err(Failure::new(401, "NO_AUTH_FOUND", "Wrong authorization data"))
            };
        }
        let Some(auth) = auth.filter(|a| !a.is_empty()) else {
            return Err(Failure::new(401, "NO_AUTH_FOUND", "Wrong authorization data"));
        };
        match inner.tokens.iter().find(|t| t.access.matches(auth)) {
            None => Err(Failure::new(
                401,
                "invalid_token",
                "The access token provided is invalid.",
            )),
            Some(t) if t.expires <= now => Err(Failure::new(
                401,
                "expired_token",
                "The access token provided has expired.",
            )),
            Some(_) => Ok(Caller::App),
        }
    }
}
