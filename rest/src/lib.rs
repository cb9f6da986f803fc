//! An async REST client of a Bitrix24 portal: typed errors, OAuth refresh shared by
//! concurrent calls, the portal's leaky bucket kept on the client's side, batches of any
//! size, and every item of a list as a stream.
//!
//! | module | what it holds |
//! |---|---|
//! | `client` | [`Client`], [`Builder`]: authentication, `call`, retries, refresh |
//! | [`answer`] | the result and error envelopes read from any body |
//! | [`error`] | [`Error`], [`ApiError`], [`ErrorCode`] |
//! | [`tokens`] | [`Tokens`], [`OAuthApp`], the refresh answer |
//! | [`bucket`] | [`RateLimit`] and the per-portal bucket |
//! | [`batch`] | [`Batch`], [`BatchAnswer`] |
//! | `list` | [`Client::list`]: every item, by the fast recipe |
//! | [`crm`] | typed reads ([`CrmObject`]), timeline comments, placement.bind/unbind/get |
//! | [`fields`] | the portal's field schemas (cached), writes checked against them before they are sent |
//! | [`timeline`] | configurable activities, content-block sets, badges: layouts checked before they are sent |
//!
//! Tokens are [`Secret`](b24_placement::Secret)s: no Debug, Display, error or log shows
//! one, nor a URL that holds one.

pub mod answer;
pub mod batch;
pub mod bucket;
pub mod chain;
mod client;
pub mod crm;
pub mod error;
pub mod fields;
mod list;
mod per_portal;
pub mod sync;
pub mod timeline;
pub mod tokens;

pub use answer::{Answer, Time};
pub use batch::{Batch, BatchAnswer, BATCH_MAX};
pub use bucket::RateLimit;
pub use chain::{RenewError, RenewFn, TokenChains, TokenStore};
pub use client::{is_read_only, Builder, Client};
pub use crm::{BoundPlacement, CrmObject};
pub use error::{ApiError, Error, ErrorCode};
pub use sync::{EventPlan, PlacementPlan};
pub use tokens::{OAuthApp, Tokens};

pub use b24_placement::Secret;

/// What kind of JSON value `v` is, for messages.
pub(crate) fn answer_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
