//! `b24 call | list | batch`: the portal's REST API from any terminal.

use std::io::Write;

use b24_rest::{Batch, Client, Error, OAuthApp, Tokens};
use clap::Args;
use futures_util::StreamExt;
use serde_json::Value;

/// How to reach the portal: a webhook, or an endpoint and an access token (with what a
/// refresh needs). Each has an environment variable, for CI secrets.
#[derive(Args, Debug)]
pub struct Connection {
    /// The incoming webhook: https://DOMAIN/rest/USER/CODE/
    #[arg(long, env = "B24_WEBHOOK", hide_env_values = true)]
    webhook: Option<String>,
    /// The portal's REST address (client endpoint): https://DOMAIN/rest/
    #[arg(long, env = "B24_ENDPOINT")]
    endpoint: Option<String>,
    /// The OAuth access token.
    #[arg(long, env = "B24_AUTH", hide_env_values = true)]
    auth: Option<String>,
    /// The refresh token, to refresh an expired access token.
    #[arg(long, env = "B24_REFRESH_TOKEN", hide_env_values = true)]
    refresh_token: Option<String>,
    /// The app's client id (needed to refresh).
    #[arg(long, env = "B24_CLIENT_ID")]
    client_id: Option<String>,
    /// The app's client secret (needed to refresh).
    #[arg(long, env = "B24_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// The OAuth server's REST address (default https://oauth.bitrix.info/rest/).
    #[arg(long, env = "B24_SERVER_ENDPOINT")]
    server_endpoint: Option<String>,
}

impl Connection {
    /// The portal's domain, from the webhook or the endpoint (never a token).
    pub(crate) fn domain(&self) -> Option<String> {
        let url = self.webhook.as_deref().or(self.endpoint.as_deref())?;
        let rest = url.split("://").nth(1)?;
        Some(rest.split('/').next()?.to_owned())
    }

    pub(crate) fn client(&self) -> Result<Client, String> {
        if let Some(url) = &self.webhook {
            if self.endpoint.is_some() || self.auth.is_some() {
                return Err("give either --webhook or --endpoint with --auth, not both".into());
            }
            return Client::from_webhook(url).map_err(|e| e.to_string());
        }
        let (Some(endpoint), Some(auth)) = (&self.endpoint, &self.auth) else {
            return Err("say how to reach the portal: --webhook URL, or --endpoint URL --auth TOKEN (or B24_WEBHOOK, B24_ENDPOINT, B24_AUTH)".into());
        };
        let mut builder = Client::from_tokens(Tokens {
            access_token: b24_rest::Secret::new(auth.clone()),
            refresh_token: self.refresh_token.clone().map(b24_rest::Secret::new),
            client_endpoint: if endpoint.ends_with('/') {
                endpoint.clone()
            } else {
                format!("{endpoint}/")
            },
            server_endpoint: self.server_endpoint.clone(),
            expires: None,
            member_id: None,
            scope: None,
        })
        // the new token is never printed: only that there is one
        .on_refresh(|_| eprintln!("b24: the access token had expired and was refreshed"));
        match (&self.client_id, &self.client_secret) {
            (Some(id), Some(secret)) => builder = builder.app(OAuthApp::new(id.clone(), secret.clone())),
            (None, None) => {}
            _ => return Err("--client-id and --client-secret go together".into()),
        }
        builder.build().map_err(|e| e.to_string())
    }
}

/// The exit code for an error: 1 when the portal answered one, 2 when it could not be
/// asked (unreachable, bad arguments).
fn fail(e: &Error) -> u8 {
    eprintln!("b24: {e}");
    match e {
        Error::Api { .. } | Error::Refresh(_) | Error::NotJson { .. } => 1,
        _ => 2,
    }
}

fn params(text: Option<&str>) -> Result<Value, String> {
    match text {
        None => Ok(Value::Null),
        Some(t) => match serde_json::from_str::<Value>(t) {
            Ok(v @ (Value::Object(_) | Value::Null)) => Ok(v),
            Ok(_) => Err("PARAMS must be a JSON object".into()),
            Err(e) => Err(format!("PARAMS is not JSON: {e}")),
        },
    }
}

pub(crate) fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}

pub fn call(conn: &Connection, method: &str, text: Option<&str>) -> std::io::Result<u8> {
    let (client, params) = match conn.client().and_then(|c| Ok((c, params(text)?))) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    match runtime()?.block_on(client.call(method, params)) {
        Ok(answer) => {
            let text = serde_json::to_string_pretty(&answer.result).unwrap_or_default();
            writeln!(std::io::stdout().lock(), "{text}")?;
            Ok(0)
        }
        Err(e) => Ok(fail(&e)),
    }
}

pub fn list(conn: &Connection, method: &str, text: Option<&str>) -> std::io::Result<u8> {
    let (client, params) = match conn.client().and_then(|c| Ok((c, params(text)?))) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    runtime()?.block_on(async {
        let mut items = Box::pin(client.list(method, params));
        let stdout = std::io::stdout();
        while let Some(item) = items.next().await {
            match item {
                Ok(v) => writeln!(stdout.lock(), "{v}")?,
                Err(e) => return Ok(fail(&e)),
            }
        }
        Ok(0)
    })
}

pub fn batch(conn: &Connection, file: &str, halt: bool) -> std::io::Result<u8> {
    let text = match crate::check::read(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("b24: {file}: cannot read the file: {e}");
            return Ok(2);
        }
    };
    let batch = serde_json::from_str::<Value>(&text)
        .map_err(|e| format!("{file}: not JSON: {e}"))
        .and_then(|v| Batch::from_json(&v).map_err(|e| format!("{file}: {e}")));
    let (client, batch) = match conn.client().and_then(|c| Ok((c, batch?))) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    match runtime()?.block_on(client.batch(&batch.halt(halt))) {
        Ok(answer) => {
            let text = serde_json::to_string_pretty(&answer.to_json()).unwrap_or_default();
            writeln!(std::io::stdout().lock(), "{text}")?;
            for (name, e) in &answer.errors {
                eprintln!("b24: {name}: {e}");
            }
            Ok(if answer.errors.is_empty() { 0 } else { 1 })
        }
        Err(e) => Ok(fail(&e)),
    }
}
