//! How the local portal behaves: its app's credentials, token lifetime, bucket, webhook
//! and write delay.

use std::time::Duration;

use b24_placement::Secret;

/// How the stand-in behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The app's OAuth credentials, checked by `/oauth/token/`.
    pub client_id: String,
    pub client_secret: Secret,
    /// How long an access token lives.
    pub token_lifetime: Duration,
    /// The leaky bucket: requests drained per second, and how many it holds.
    pub per_second: f64,
    pub burst: f64,
    /// The incoming webhook: `/rest/USER/CODE/`.
    pub webhook_user: u64,
    pub webhook_code: Secret,
    /// How long a call that changes CRM data takes (`crm.*.add`, `.update`...): a slow
    /// portal, so that a widget's loading state can be seen. None by default.
    pub write_delay: Duration,
    /// How many deals the demo data holds (120: three pages of `crm.deal.list`).
    pub deals: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            client_id: "local.demo".into(),
            client_secret: Secret::new("demo-client-secret"),
            token_lifetime: Duration::from_secs(3600),
            per_second: 2.0,
            burst: 50.0,
            webhook_user: 1,
            webhook_code: Secret::new("demowebhookcode"),
            write_delay: Duration::ZERO,
            deals: 120,
        }
    }
}
