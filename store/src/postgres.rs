//! The shared store: PostgreSQL, for an app that runs several instances.

use b24_placement::Secret;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};

use crate::{InstalledPortal, PortalStore, StoreError, StoreFuture};

/// Installed portals in a PostgreSQL file.
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` and migrates the database.
    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(std::time::Duration::from_secs(3))
            .connect(url)
            .await
            .map_err(StoreError::db("connecting to the PostgreSQL store"))?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }
}

// instances starting at once migrate one after the other
// the token lock: the portal's row, locked for the transaction (`FOR UPDATE`)
store_impl!(
    PgStore,
    PgRow,
    "postgres",
    "PostgreSQL",
    Some("SELECT pg_advisory_xact_lock(2424)"),
    None::<&'static str>,
    "SELECT access_token, refresh_token, expires, needs_reinstall FROM b24_portals WHERE member_id = $1 FOR UPDATE"
);
