//! The portals an app is installed on, with their application token and OAuth tokens,
//! behind one trait ([`PortalStore`]) with two real implementations: SQLite, embedded, the
//! default (a file, created readable by its owner only), and PostgreSQL, for an app that
//! runs several instances. [`connect`] picks one by the URL (`DATABASE_URL`), and applies
//! the schema's migrations, which ship with the crate.
//!
//! Tokens are [`Secret`]s: the store's Debug and errors never show them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use b24_placement::Secret;

#[macro_use]
mod queries;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(feature = "postgres")]
pub use postgres::PgStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

/// A portal the app is installed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstalledPortal {
    /// The portal's stable id (kept across domain changes): the key.
    pub member_id: String,
    pub domain: String,
    /// The portal's REST address: `https://DOMAIN/rest/`.
    pub client_endpoint: String,
    /// The OAuth server's REST address.
    pub server_endpoint: Option<String>,
    /// What proves a call came from this portal (`APPLICATION_TOKEN`, `auth[application_token]`).
    pub application_token: Secret,
    pub access_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    /// When the access token expires (unix seconds).
    pub expires: Option<i64>,
    pub scope: Option<String>,
    /// L, F, D, T or P.
    pub status: Option<String>,
    /// When it was installed (unix seconds).
    pub installed_at: i64,
    /// When its tokens were found dead (a refresh refused with `invalid_grant` after the
    /// stored tokens were read again: the app was removed, or the chain was lost): the
    /// portal must install the app again. A reinstall clears it.
    pub needs_reinstall: Option<i64>,
}

/// A portal's OAuth tokens as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTokens {
    pub access_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    /// When the access token expires (unix seconds).
    pub expires: Option<i64>,
    /// See [`InstalledPortal::needs_reinstall`].
    pub needs_reinstall: Option<i64>,
}

/// Why a renewal's own work failed (the OAuth server's answer): the caller's error,
/// handed back as it was.
pub type RenewError = Box<dyn std::error::Error + Send + Sync>;

/// The work of a renewal, run under the portal's token lock with the tokens stored now:
/// the tokens to store in their place, or `None` to keep them (another instance renewed
/// them already).
pub type Renewal<'a> = Box<
    dyn FnOnce(
            StoredTokens,
        ) -> Pin<Box<dyn Future<Output = Result<Option<StoredTokens>, RenewError>> + Send + 'a>>
        + Send
        + 'a,
>;

/// How a renewal under the lock failed.
#[derive(Debug, thiserror::Error)]
pub enum RenewFailure {
    /// The store could not be locked or read: nothing was renewed.
    #[error("{0}")]
    Store(StoreError),
    /// No portal has this member_id.
    #[error("the portal is not installed")]
    NotInstalled,
    /// The renewal itself failed (nothing was stored).
    #[error("{0}")]
    Renew(RenewError),
    /// The tokens were renewed (the old refresh token is spent) but could not be stored:
    /// they are handed back, to keep and to write at the next chance.
    #[error("the renewed tokens could not be stored: {error}")]
    NotStored { tokens: StoredTokens, error: StoreError },
}

/// Why the store failed: what it was doing, and the database's word (never a token).
#[derive(Debug, thiserror::Error)]
#[error("{what}: {message}")]
pub struct StoreError {
    pub what: &'static str,
    pub message: String,
}

impl StoreError {
    pub(crate) fn db(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |e| StoreError {
            what,
            // sqlx's messages name the query and the database, not the values bound
            message: e.to_string(),
        }
    }
}

/// What a store call gives back.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The installed portals.
pub trait PortalStore: Send + Sync {
    /// Adds a portal, or replaces what is stored for its `member_id` (a reinstall).
    fn save<'a>(&'a self, portal: &'a InstalledPortal) -> StoreFuture<'a, ()>;
    /// The portal with this `member_id`, if installed.
    fn load<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, Option<InstalledPortal>>;
    /// Removes a portal; whether it was there.
    fn remove<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, bool>;
    /// Writes back tokens renewed by a refresh.
    fn update_tokens<'a>(
        &'a self,
        member_id: &'a str,
        access_token: &'a Secret,
        refresh_token: Option<&'a Secret>,
        expires: Option<i64>,
    ) -> StoreFuture<'a, ()>;
    /// Renews a portal's tokens under a lock that every instance of the app takes (a
    /// PostgreSQL row lock, `SELECT ... FOR UPDATE`; a SQLite write transaction, `BEGIN
    /// IMMEDIATE`): the tokens are read under the lock and given to `renew`; what it gives
    /// back is written before the lock is released. Gives the tokens stored when the lock is
    /// released. Two instances that meet one expiry renew once: the second reads what the
    /// first stored.
    fn renew_tokens<'a>(
        &'a self,
        member_id: &'a str,
        renew: Renewal<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<StoredTokens, RenewFailure>> + Send + 'a>>;
    /// Marks a portal as needing a reinstall (see [`InstalledPortal::needs_reinstall`]).
    fn mark_needs_reinstall<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, ()>;
    /// The offline queue's reservation an app's consumer holds for a portal
    /// (`event.offline.get`'s `process_id`): written before its records are handled, so
    /// that a consumer that stops between fetch and confirm asks for them again.
    fn offline_process<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, Option<String>>;
    /// Keeps (or, with `None`, forgets) a portal's offline reservation.
    fn set_offline_process<'a>(
        &'a self,
        member_id: &'a str,
        process_id: Option<&'a str>,
    ) -> StoreFuture<'a, ()>;
    /// How many portals are installed.
    fn count(&self) -> StoreFuture<'_, u64>;
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
}

/// The schema, one migration a version, the same for both databases.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE IF NOT EXISTS b24_portals (
        member_id TEXT PRIMARY KEY,
        domain TEXT NOT NULL,
        client_endpoint TEXT NOT NULL,
        server_endpoint TEXT,
        application_token TEXT NOT NULL,
        access_token TEXT,
        refresh_token TEXT,
        expires BIGINT,
        scope TEXT,
        status TEXT,
        installed_at BIGINT NOT NULL
    )",
    ),
    (2, "ALTER TABLE b24_portals ADD COLUMN needs_reinstall BIGINT"),
    (
        3,
        "CREATE TABLE IF NOT EXISTS b24_offline (member_id TEXT PRIMARY KEY, process_id TEXT NOT NULL)",
    ),
];

/// Connects to the store `url` names: `sqlite://PATH` (or a bare path) or
/// `postgres://...`; applies the migrations it lacks.
///
/// A URL of a driver this build lacks (the `sqlite` and `postgres` features) is an
/// error that names the feature.
pub async fn connect(url: &str) -> Result<Arc<dyn PortalStore>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        return Ok(Arc::new(PgStore::connect(url).await?));
        #[cfg(not(feature = "postgres"))]
        return Err(StoreError {
            what: "connecting to the store",
            message: "a postgres:// URL needs the `postgres` feature".into(),
        });
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    #[cfg(feature = "sqlite")]
    return Ok(Arc::new(SqliteStore::open(path).await?));
    #[cfg(not(feature = "sqlite"))]
    {
        let _ = path;
        Err(StoreError {
            what: "connecting to the store",
            message: "a SQLite store needs the `sqlite` feature".into(),
        })
    }
}

/// Now, in unix seconds, as the store's columns hold it.
pub(crate) fn now() -> i64 {
    i64::try_from(b24_placement::time::unix_now()).unwrap_or(i64::MAX)
}

/// The default when `DATABASE_URL` is unset.
pub const DEFAULT_URL: &str = "sqlite://./b24-app.db";

/// The store of `DATABASE_URL`, or the default SQLite file.
pub async fn from_env() -> Result<Arc<dyn PortalStore>, StoreError> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned());
    connect(&url).await
}
