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
            .busy_timeout(std::time::Duration::from_secs(5));
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

store_impl!(SqliteStore, SqliteRow, "sqlite", "SQLite", None::<&'static str>);
