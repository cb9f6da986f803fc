//! The store's queries, written once for both databases (`$1`-style parameters, which
//! SQLite reads as well as PostgreSQL), and the trait implementation over either pool.

pub(crate) const SAVE: &str = "INSERT INTO b24_portals (member_id, domain, client_endpoint, server_endpoint,
        application_token, access_token, refresh_token, expires, scope, status, installed_at, needs_reinstall)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (member_id) DO UPDATE SET domain = excluded.domain,
        client_endpoint = excluded.client_endpoint, server_endpoint = excluded.server_endpoint,
        application_token = excluded.application_token, access_token = excluded.access_token,
        refresh_token = excluded.refresh_token, expires = excluded.expires, scope = excluded.scope,
        status = excluded.status, installed_at = excluded.installed_at,
        needs_reinstall = excluded.needs_reinstall";
pub(crate) const LOAD: &str = "SELECT * FROM b24_portals WHERE member_id = $1";
pub(crate) const REMOVE: &str = "DELETE FROM b24_portals WHERE member_id = $1";
pub(crate) const UPDATE_TOKENS: &str = "UPDATE b24_portals
    SET access_token = $1, refresh_token = COALESCE($2, refresh_token), expires = $3
    WHERE member_id = $4";
pub(crate) const MARK_NEEDS_REINSTALL: &str =
    "UPDATE b24_portals SET needs_reinstall = $1 WHERE member_id = $2";
pub(crate) const OFFLINE_PROCESS: &str = "SELECT process_id FROM b24_offline WHERE member_id = $1";
pub(crate) const SET_OFFLINE_PROCESS: &str = "INSERT INTO b24_offline (member_id, process_id) VALUES ($1, $2)
    ON CONFLICT (member_id) DO UPDATE SET process_id = excluded.process_id";
pub(crate) const FORGET_OFFLINE_PROCESS: &str = "DELETE FROM b24_offline WHERE member_id = $1";
pub(crate) const COUNT: &str = "SELECT COUNT(*) FROM b24_portals";
pub(crate) const MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS b24_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";
pub(crate) const MIGRATION_DONE: &str = "SELECT version FROM b24_migrations WHERE version = $1";
pub(crate) const MIGRATION_RECORD: &str = "INSERT INTO b24_migrations (version, applied_at) VALUES ($1, $2)";

/// Implements the store for `$store` (a struct with a `pool`) whose rows are `$row`, and
/// its `migrate`, which first runs `$lock` in the migrating transaction (PostgreSQL takes
/// an advisory lock there; SQLite's write lock needs nothing).
macro_rules! store_impl {
    ($store:ident, $row:ty, $backend:literal, $name:literal, $lock:expr, $begin_renew:expr, $select_tokens:expr) => {
        impl $store {
            async fn migrate(&self) -> Result<(), StoreError> {
                use crate::queries::*;
                let what = concat!("migrating the ", $name, " store");
                let mut tx = self.pool.begin().await.map_err(StoreError::db(what))?;
                if let Some(lock) = $lock {
                    sqlx::query(lock)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::db(what))?;
                }
                sqlx::query(MIGRATIONS_TABLE)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db(what))?;
                for (version, sql) in crate::MIGRATIONS {
                    let done: Option<i64> = sqlx::query_scalar(MIGRATION_DONE)
                        .bind(version)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(StoreError::db(what))?;
                    if done.is_none() {
                        sqlx::query(*sql)
                            .execute(&mut *tx)
                            .await
                            .map_err(StoreError::db(what))?;
                        sqlx::query(MIGRATION_RECORD)
                            .bind(version)
                            .bind(crate::now())
                            .execute(&mut *tx)
                            .await
                            .map_err(StoreError::db(what))?;
                    }
                }
                tx.commit().await.map_err(StoreError::db(what))?;
                Ok(())
            }
        }

        fn from_row(r: &$row) -> InstalledPortal {
            use sqlx::Row;
            let secret = |k: &str| r.get::<Option<String>, _>(k).map(Secret::new);
            InstalledPortal {
                member_id: r.get("member_id"),
                domain: r.get("domain"),
                client_endpoint: r.get("client_endpoint"),
                server_endpoint: r.get("server_endpoint"),
                application_token: Secret::new(r.get::<String, _>("application_token")),
                access_token: secret("access_token"),
                refresh_token: secret("refresh_token"),
                expires: r.get("expires"),
                scope: r.get("scope"),
                status: r.get("status"),
                installed_at: r.get("installed_at"),
                needs_reinstall: r.get("needs_reinstall"),
            }
        }

        impl PortalStore for $store {
            fn save<'a>(&'a self, p: &'a InstalledPortal) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query(crate::queries::SAVE)
                        .bind(&p.member_id)
                        .bind(&p.domain)
                        .bind(&p.client_endpoint)
                        .bind(&p.server_endpoint)
                        .bind(p.application_token.expose())
                        .bind(p.access_token.as_ref().map(Secret::expose))
                        .bind(p.refresh_token.as_ref().map(Secret::expose))
                        .bind(p.expires)
                        .bind(&p.scope)
                        .bind(&p.status)
                        .bind(p.installed_at)
                        .bind(p.needs_reinstall)
                        .execute(&self.pool)
                        .await
                        .map_err(StoreError::db("saving a portal"))?;
                    Ok(())
                })
            }

            fn load<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, Option<InstalledPortal>> {
                Box::pin(async move {
                    let row = sqlx::query(crate::queries::LOAD)
                        .bind(member_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(StoreError::db("loading a portal"))?;
                    Ok(row.as_ref().map(from_row))
                })
            }

            fn remove<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, bool> {
                Box::pin(async move {
                    let done = sqlx::query(crate::queries::REMOVE)
                        .bind(member_id)
                        .execute(&self.pool)
                        .await
                        .map_err(StoreError::db("removing a portal"))?;
                    Ok(done.rows_affected() > 0)
                })
            }

            fn update_tokens<'a>(
                &'a self,
                member_id: &'a str,
                access_token: &'a Secret,
                refresh_token: Option<&'a Secret>,
                expires: Option<i64>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query(crate::queries::UPDATE_TOKENS)
                        .bind(access_token.expose())
                        .bind(refresh_token.map(Secret::expose))
                        .bind(expires)
                        .bind(member_id)
                        .execute(&self.pool)
                        .await
                        .map_err(StoreError::db("writing renewed tokens"))?;
                    Ok(())
                })
            }

            fn renew_tokens<'a>(
                &'a self,
                member_id: &'a str,
                renew: crate::Renewal<'a>,
            ) -> std::pin::Pin<
                Box<
                    dyn std::future::Future<Output = Result<crate::StoredTokens, crate::RenewFailure>>
                        + Send
                        + 'a,
                >,
            > {
                use crate::{RenewFailure, StoredTokens};
                use sqlx::Row;
                Box::pin(async move {
                    let what = "locking the portal's tokens";
                    let store = |e| RenewFailure::Store(StoreError::db(what)(e));
                    // the lock: held until the commit (or the rollback when this is dropped)
                    let mut tx = match $begin_renew {
                        Some(begin) => self.pool.begin_with(begin).await.map_err(store)?,
                        None => self.pool.begin().await.map_err(store)?,
                    };
                    let row = sqlx::query($select_tokens)
                        .bind(member_id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(store)?
                        .ok_or(RenewFailure::NotInstalled)?;
                    let secret = |k: &str| row.get::<Option<String>, _>(k).map(Secret::new);
                    let stored = StoredTokens {
                        access_token: secret("access_token"),
                        refresh_token: secret("refresh_token"),
                        expires: row.get("expires"),
                        needs_reinstall: row.get("needs_reinstall"),
                    };
                    let Some(new) = renew(stored.clone()).await.map_err(RenewFailure::Renew)? else {
                        return Ok(stored);
                    };
                    let not_stored = |e| RenewFailure::NotStored {
                        tokens: new.clone(),
                        error: StoreError::db("writing renewed tokens")(e),
                    };
                    sqlx::query(crate::queries::UPDATE_TOKENS)
                        .bind(new.access_token.as_ref().map(Secret::expose))
                        .bind(new.refresh_token.as_ref().map(Secret::expose))
                        .bind(new.expires)
                        .bind(member_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(not_stored)?;
                    tx.commit().await.map_err(not_stored)?;
                    Ok(new)
                })
            }

            fn mark_needs_reinstall<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query(crate::queries::MARK_NEEDS_REINSTALL)
                        .bind(crate::now())
                        .bind(member_id)
                        .execute(&self.pool)
                        .await
                        .map_err(StoreError::db("marking a portal for reinstall"))?;
                    Ok(())
                })
            }

            fn offline_process<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, Option<String>> {
                Box::pin(async move {
                    sqlx::query_scalar(crate::queries::OFFLINE_PROCESS)
                        .bind(member_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(StoreError::db("reading the offline reservation"))
                })
            }

            fn set_offline_process<'a>(
                &'a self,
                member_id: &'a str,
                process_id: Option<&'a str>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    let what = "keeping the offline reservation";
                    match process_id {
                        Some(pid) => sqlx::query(crate::queries::SET_OFFLINE_PROCESS)
                            .bind(member_id)
                            .bind(pid)
                            .execute(&self.pool)
                            .await
                            .map_err(StoreError::db(what))?,
                        None => sqlx::query(crate::queries::FORGET_OFFLINE_PROCESS)
                            .bind(member_id)
                            .execute(&self.pool)
                            .await
                            .map_err(StoreError::db(what))?,
                    };
                    Ok(())
                })
            }

            fn count(&self) -> StoreFuture<'_, u64> {
                Box::pin(async move {
                    let n: i64 = sqlx::query_scalar(crate::queries::COUNT)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(StoreError::db("counting portals"))?;
                    Ok(n as u64)
                })
            }

            fn backend(&self) -> &'static str {
                $backend
            }
        }
    };
}
