//! OAuth tokens of a portal, the app's credentials, and the refresh through the OAuth
//! server (`SERVER_ENDPOINT`).

use b24_placement::Secret;
use serde_json::Value;

use crate::answer::{api_error, whole};
use crate::error::Error;

/// The tokens of one portal (and user), as the OAuth server or the handler request gives
/// them. Debug never shows the tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// The portal's REST address, ending in `/`: `https://x.bitrix24.com/rest/`.
    pub client_endpoint: String,
    /// The OAuth server's REST address: `https://oauth.bitrix.info/rest/`.
    pub server_endpoint: Option<String>,
    /// When the access token expires (unix seconds), if known.
    pub expires: Option<u64>,
    pub member_id: Option<String>,
    pub scope: Option<String>,
}

/// The app's credentials for the OAuth server. Debug never shows the secret.
#[derive(Clone, Debug)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: Secret,
}

impl OAuthApp {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        OAuthApp {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        }
    }
}

/// The token URL of an OAuth server given by its REST address:
/// `https://oauth.bitrix.info/rest/` gives `https://oauth.bitrix.info/oauth/token/`.
pub fn token_url(server_endpoint: &str) -> String {
    let base = server_endpoint.trim_end_matches('/');
    let base = base.strip_suffix("/rest").unwrap_or(base);
    format!("{base}/oauth/token/")
}

/// Reads the OAuth server's answer to a refresh into new tokens, keeping what it leaves
/// out from `old`.
pub fn read_refresh(status: u16, body: &[u8], old: &Tokens) -> Result<Tokens, Error> {
    let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(body) else {
        return Err(Error::Refresh(format!(
            "the OAuth server answered HTTP {status} with something that is not JSON"
        )));
    };
    if let Some(e) = api_error(&o, status) {
        if e.code.as_str() == "invalid_grant" {
            return Err(Error::NeedsReinstall(e.to_string()));
        }
        return Err(Error::Refresh(e.to_string()));
    }
    let text = |k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let access = text("access_token")
        .ok_or_else(|| Error::Refresh("the OAuth server's answer has no `access_token`".into()))?;
    let now = b24_placement::time::unix_now();
    Ok(Tokens {
        access_token: Secret::new(access),
        refresh_token: text("refresh_token")
            .map(Secret::new)
            .or_else(|| old.refresh_token.clone()),
        client_endpoint: text("client_endpoint").unwrap_or_else(|| old.client_endpoint.clone()),
        server_endpoint: text("server_endpoint").or_else(|| old.server_endpoint.clone()),
        expires: o
            .get("expires")
            .and_then(whole)
            .or_else(|| o.get("expires_in").and_then(whole).map(|s| now + s)),
        member_id: text("member_id").or_else(|| old.member_id.clone()),
        scope: text("scope").or_else(|| old.scope.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_urls() {
        assert_eq!(
            token_url("https://oauth.bitrix.info/rest/"),
            "https://oauth.bitrix.info/oauth/token/"
        );
        assert_eq!(
            token_url("http://127.0.0.1:3000/rest"),
            "http://127.0.0.1:3000/oauth/token/"
        );
    }

    #[test]
    fn refresh_answers() {
        let old = Tokens {
            access_token: Secret::new("a"),
            refresh_token: Some(Secret::new("r")),
            client_endpoint: "https://x/rest/".into(),
            server_endpoint: None,
            expires: None,
            member_id: None,
            scope: None,
        };
        let t = read_refresh(
            200,
            br#"{"access_token":"a2","refresh_token":"r2","expires_in":3600}"#,
            &old,
        )
        .unwrap();
        assert!(t.access_token.matches("a2") && t.refresh_token.unwrap().matches("r2"));
        assert_eq!(t.client_endpoint, "https://x/rest/");
        let e = read_refresh(
            400,
            br#"{"error":"invalid_grant","error_description":"Invalid refresh token"}"#,
            &old,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the portal's tokens can no longer be refreshed (invalid_grant: Invalid refresh token): the app must be installed again"
        );
        assert!(read_refresh(502, b"<html>", &old).is_err());
    }
}
