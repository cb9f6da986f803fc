//! The embedded store: one SQLite file, readable and writable by its owner only.

use b24_placement::Secret;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow};

use crate::{InstalledPortal, PortalStore, StoreError, StoreFuture};

/// Installed portals in a SQLite file.
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (or creates, owner-only) the file at `path` and migrates it.
    pub async fn open(path: &str) -> Result<SqliteStore, StoreError> {
        let fail = |message: String| StoreError {
            what: "opening the SQLite store",
            message,
        };
        if path != ":memory:" {
            // created here, owner-only, unless it is there already; off the async workers
            let mut options = tokio::fs::OpenOptions::new();
            options.create_new(true).write(true);
            #[cfg(unix)]
            options.mode(0o600);
            match options.open(path).await {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(fail(format!("{path}: {e}"))),
            }
        }
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            // another instance may hold the write lock over a token refresh (an HTTP call
            // of up to 30 s): wait for it rather than fail
            .busy_timeout(std::time::Duration::from_secs(35));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(connect)
            .await
            .map_err(StoreError::db("opening the SQLite store"))?;
        let store = SqliteStore { pool };
        store.migrate().await?;
        Ok(store)
    }
}

// the token lock: a write transaction taken at once (`BEGIN IMMEDIATE`), which other
// connections and processes on the file wait for
store_impl!(
    SqliteStore,
    SqliteRow,
    "sqlite",
    "SQLite",
    None::<&'static str>,
    Some("BEGIN IMMEDIATE"),
    "SELECT access_token, refresh_token, expires, needs_reinstall FROM b24_portals WHERE member_id = $1"
);
