//! Tokens that are never lost, against the local portal over HTTP on loopback: clients of
//! one portal meeting one expiry refresh once, in one process and across app instances on
//! one SQLite file and one PostgreSQL; a store that cannot take the renewed tokens, an
//! OAuth server that answers 500, dead tokens.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::http::StatusCode;
use b24_portal::{Config, Portal};
use b24_rest::{Client, Error, OAuthApp, Tokens};
use b24_server::{app_router, Lifecycle, Preview, WidgetHost};
use b24_store::{InstalledPortal, PortalStore, RenewFailure, Renewal, StoreError, StoreFuture, StoredTokens};
use serde_json::json;

mod common;

use common::{listen, sqlite_url, Hello};

fn app() -> OAuthApp {
    OAuthApp::new("local.demo", "demo-client-secret")
}

async fn local_portal() -> (String, Arc<Portal>) {
    common::local_portal(Config::default()).await
}

/// An app instance on `store` (its own life cycle: its own token chains), served; the
/// local portal has no bucket to speak of, neither has the client, so that the calls
/// meet the expiries rather than wait in line.
async fn instance(store: Arc<dyn PortalStore>) -> (String, Arc<Lifecycle>) {
    serve(
        Lifecycle::new(store, Vec::new())
            .app(app())
            .rate_limit(b24_rest::RateLimit {
                per_second: 1e6,
                burst: 1e6,
            }),
    )
    .await
}

/// `life` served as an app: its base URL.
async fn serve(life: Lifecycle) -> (String, Arc<Lifecycle>) {
    let (l, base) = listen().await;
    let life = Arc::new(life);
    let router = app_router(WidgetHost::new(|_| Hello), life.clone(), Preview::default());
    tokio::spawn(async move { axum::serve(l, router).await.unwrap() });
    (base, life)
}

/// Installs the app served at `base` into the portal, with `oauth` as the portal's
/// SERVER_ENDPOINT when given.
async fn install(base: &str, pbase: &str, portal: &Portal, oauth: Option<&str>) {
    let (form, _) = portal.install_event(pbase);
    let form: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(form.as_bytes()).map(|(k, v)| {
            let v = match oauth {
                Some(oauth) if k == "auth[server_endpoint]" => format!("{oauth}/rest/"),
                _ => v.into_owned(),
            };
            (k.into_owned(), v)
        }))
        .finish();
    let (status, text) = common::post(&format!("{base}/install"), form).await;
    assert_eq!(status, 200, "{text}");
}

async fn deal(client: &Client) -> Result<(), Error> {
    client.call("crm.deal.get", json!({"id": 1})).await.map(|_| ())
}

/// The stored tokens open the portal.
async fn stored_tokens_work(store: &Arc<dyn PortalStore>) {
    let p = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let client = Client::from_tokens(Tokens {
        access_token: p.access_token.unwrap(),
        refresh_token: None,
        client_endpoint: p.client_endpoint,
        server_endpoint: None,
        expires: None,
        member_id: None,
        scope: None,
    })
    .chains(b24_rest::TokenChains::new())
    .build()
    .unwrap();
    deal(&client).await.expect("the stored access token works");
}

#[tokio::test]
async fn eight_clients_made_from_the_stored_tokens_refresh_once() {
    let (pbase, portal) = local_portal().await;
    let store = b24_store::connect(&sqlite_url("eight")).await.unwrap();
    let (base, _) = instance(store.clone()).await;
    install(&base, &pbase, &portal, None).await;
    let stored = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    // each made as a caller would make one: from the stored tokens, with the app's secret
    let clients: Vec<Client> = (0..8)
        .map(|_| {
            Client::from_tokens(Tokens {
                access_token: stored.access_token.clone().unwrap(),
                refresh_token: stored.refresh_token.clone(),
                client_endpoint: stored.client_endpoint.clone(),
                server_endpoint: stored.server_endpoint.clone(),
                expires: None,
                member_id: Some(stored.member_id.clone()),
                scope: None,
            })
            .app(app())
            .build()
            .unwrap()
        })
        .collect();
    let before = portal.refreshes();
    portal.expire_access_tokens();
    let calls = clients.iter().map(deal);
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(portal.refreshes() - before, 1, "one refresh for one expiry");
}

/// Two instances (two life cycles, each with its own chains and store connection) on one
/// store: 4 calls from each at every one of 5 expiries.
async fn two_instances_on(url: &str) {
    let (pbase, portal) = local_portal().await;
    let store_a = b24_store::connect(url).await.unwrap();
    let store_b = b24_store::connect(url).await.unwrap();
    let (base_a, a) = instance(store_a.clone()).await;
    let (_, b) = instance(store_b.clone()).await;
    install(&base_a, &pbase, &portal, None).await;
    let stored = store_a.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let before = portal.refreshes();
    for expiry in 1..=5 {
        portal.expire_access_tokens();
        let mut calls = Vec::new();
        for life in [&a, &b, &a, &b, &a, &b, &a, &b] {
            let client = life.client(&stored).unwrap();
            calls.push(async move { deal(&client).await });
        }
        let results = futures_util::future::join_all(calls).await;
        assert!(results.iter().all(Result::is_ok), "expiry {expiry}: {results:?}");
        assert_eq!(portal.refreshes() - before, expiry, "one refresh per expiry");
    }
    stored_tokens_work(&store_b).await;
}

#[tokio::test]
async fn two_instances_on_one_sqlite_file_refresh_once_per_expiry() {
    two_instances_on(&sqlite_url("two")).await;
}

/// The tests that use PostgreSQL take turns: one of them stops it.
static POSTGRES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `B24_TEST_POSTGRES_URL`, or `None` to skip (never with `CI` set).
fn postgres_url() -> Option<String> {
    let url = std::env::var("B24_TEST_POSTGRES_URL").ok();
    if url.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but B24_TEST_POSTGRES_URL is not"
        );
        eprintln!("SKIPPED: set B24_TEST_POSTGRES_URL to run on PostgreSQL");
    }
    url
}

#[tokio::test]
async fn two_instances_on_one_postgres_refresh_once_per_expiry() {
    let _turn = POSTGRES.lock().await;
    let Some(url) = postgres_url() else { return };
    two_instances_on(&url).await;
}

/// A stand-in OAuth server in front of the local portal's: `before` runs first (it may
/// stop a database, or hang) and may answer itself with a status; if not, the refresh
/// is forwarded.
async fn oauth_in_front<F, Fut>(portal_base: &str, before: F) -> String
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Option<StatusCode>> + Send,
{
    let (l, oauth) = listen().await;
    let real = portal_base.to_owned();
    let router = axum::Router::new().route(
        "/oauth/token/",
        axum::routing::get(move |axum::extract::RawQuery(q): axum::extract::RawQuery| {
            let (before, real) = (before.clone(), real.clone());
            async move {
                if let Some(status) = before().await {
                    return (status, "the OAuth server failed".to_owned());
                }
                let url = format!("{real}/oauth/token/?{}", q.unwrap_or_default());
                let r = reqwest::get(url).await.unwrap();
                (
                    axum::http::StatusCode::from_u16(r.status().as_u16()).unwrap(),
                    r.text().await.unwrap(),
                )
            }
        }),
    );
    tokio::spawn(async move { axum::serve(l, router).await.unwrap() });
    oauth
}

async fn shell(command: String) {
    let ok = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .args(["-c", &command])
            .status()
            .map(|s| s.success())
    })
    .await
    .unwrap();
    assert!(matches!(ok, Ok(true)), "the command failed: {ok:?}");
}

#[tokio::test]
async fn postgres_stopped_during_a_refresh_loses_nothing() {
    let _turn = POSTGRES.lock().await;
    let Some(url) = postgres_url() else { return };
    let (Ok(stop), Ok(start)) = (
        std::env::var("B24_TEST_POSTGRES_STOP"),
        std::env::var("B24_TEST_POSTGRES_START"),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the PostgreSQL stop and start commands are not"
        );
        eprintln!("SKIPPED: set B24_TEST_POSTGRES_STOP and _START (.ci/postgres.sh does)");
        return;
    };
    let (pbase, portal) = local_portal().await;
    // the OAuth server stops the database once, while the refresh holds the token lock
    let armed = Arc::new(AtomicBool::new(false));
    let (trigger, stopping) = (armed.clone(), stop.clone());
    let oauth = oauth_in_front(&pbase, move || {
        let (trigger, stopping) = (trigger.clone(), stopping.clone());
        async move {
            if trigger.swap(false, Ordering::SeqCst) {
                shell(stopping).await;
            }
            None
        }
    })
    .await;
    let store = b24_store::connect(&url).await.unwrap();
    let (base, life) = instance(store.clone()).await;
    install(&base, &pbase, &portal, Some(&oauth)).await;
    let stored = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let client = life.client(&stored).unwrap();

    armed.store(true, Ordering::SeqCst);
    portal.expire_access_tokens();
    let e = deal(&client).await.unwrap_err();
    shell(start).await;
    assert!(matches!(e, Error::TokensNotStored(_)), "{e}");
    // the database is back: the next call stores the renewed pair first (the pool may
    // need a moment to reconnect)
    let mut last = None;
    for _ in 0..50 {
        match deal(&client).await {
            Ok(()) => {
                last = None;
                break;
            }
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(last.is_none(), "{last:?}");
    let now = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    assert_ne!(
        now.refresh_token, stored.refresh_token,
        "the renewed pair is stored"
    );
    stored_tokens_work(&store).await;
}

#[tokio::test]
async fn an_oauth_server_that_does_not_answer_in_time_loses_nothing() {
    let (pbase, portal) = local_portal().await;
    let slow = Arc::new(AtomicBool::new(true));
    let flag = slow.clone();
    let oauth = oauth_in_front(&pbase, move || {
        let flag = flag.clone();
        async move {
            // hanging before the request reaches it (a network partition): it never
            // refreshes; one that refreshed and then went silent is beyond any client
            // (see README)
            if flag.load(Ordering::SeqCst) {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                return Some(StatusCode::GATEWAY_TIMEOUT);
            }
            None
        }
    })
    .await;
    let store = b24_store::connect(&sqlite_url("oauth-slow")).await.unwrap();
    let (base, life) = serve(
        Lifecycle::new(store.clone(), Vec::new())
            .app(app())
            .timeout(std::time::Duration::from_millis(500)),
    )
    .await;
    install(&base, &pbase, &portal, Some(&oauth)).await;
    let stored = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let client = life.client(&stored).unwrap();

    portal.expire_access_tokens();
    let e = deal(&client).await.unwrap_err();
    assert!(e.to_string().contains("did not answer in time"), "{e}");
    assert_eq!(
        store
            .load(Portal::MEMBER_ID)
            .await
            .unwrap()
            .unwrap()
            .refresh_token,
        stored.refresh_token,
        "nothing renewed, nothing lost"
    );
    slow.store(false, Ordering::SeqCst);
    deal(&client).await.unwrap();
    stored_tokens_work(&store).await;
}

/// A store that stops taking writes on demand: a renewal then succeeds at the OAuth server
/// but is not stored, as when the database goes away between the two.
struct Stopping {
    inner: Arc<dyn PortalStore>,
    stopped: AtomicBool,
}

impl Stopping {
    fn down(&self) -> StoreError {
        StoreError {
            what: "writing renewed tokens",
            message: "the database is not answering".into(),
        }
    }
}

impl PortalStore for Stopping {
    fn offline_process<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, Option<String>> {
        self.inner.offline_process(member_id)
    }
    fn set_offline_process<'a>(
        &'a self,
        member_id: &'a str,
        process_id: Option<&'a str>,
    ) -> StoreFuture<'a, ()> {
        self.inner.set_offline_process(member_id, process_id)
    }
    fn save<'a>(&'a self, portal: &'a InstalledPortal) -> StoreFuture<'a, ()> {
        self.inner.save(portal)
    }
    fn load<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, Option<InstalledPortal>> {
        self.inner.load(member_id)
    }
    fn remove<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, bool> {
        self.inner.remove(member_id)
    }
    fn update_tokens<'a>(
        &'a self,
        member_id: &'a str,
        access_token: &'a b24_placement::Secret,
        refresh_token: Option<&'a b24_placement::Secret>,
        expires: Option<i64>,
    ) -> StoreFuture<'a, ()> {
        if self.stopped.load(Ordering::SeqCst) {
            return Box::pin(async move { Err(self.down()) });
        }
        self.inner
            .update_tokens(member_id, access_token, refresh_token, expires)
    }
    fn renew_tokens<'a>(
        &'a self,
        member_id: &'a str,
        renew: Renewal<'a>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<StoredTokens, RenewFailure>> + Send + 'a>>
    {
        Box::pin(async move {
            if !self.stopped.load(Ordering::SeqCst) {
                return self.inner.renew_tokens(member_id, renew).await;
            }
            // the renewal runs under the lock, then the write is lost
            let renewed = Arc::new(std::sync::Mutex::new(None));
            let keep = renewed.clone();
            let outcome = self
                .inner
                .renew_tokens(
                    member_id,
                    Box::new(move |stored| {
                        Box::pin(async move {
                            let new = renew(stored).await?;
                            *keep.lock().unwrap() = new;
                            Ok(None)
                        })
                    }),
                )
                .await;
            let new = renewed.lock().unwrap().take();
            match (outcome, new) {
                (Ok(_), Some(tokens)) => Err(RenewFailure::NotStored {
                    tokens,
                    error: self.down(),
                }),
                (other, _) => other,
            }
        })
    }
    fn mark_needs_reinstall<'a>(&'a self, member_id: &'a str) -> StoreFuture<'a, ()> {
        self.inner.mark_needs_reinstall(member_id)
    }
    fn count(&self) -> StoreFuture<'_, u64> {
        self.inner.count()
    }
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
}

#[tokio::test]
async fn a_store_that_stops_during_a_refresh_loses_nothing() {
    let (pbase, portal) = local_portal().await;
    let inner = b24_store::connect(&sqlite_url("stopping")).await.unwrap();
    let store = Arc::new(Stopping {
        inner: inner.clone(),
        stopped: AtomicBool::new(false),
    });
    let (base, life) = instance(store.clone()).await;
    install(&base, &pbase, &portal, None).await;
    let stored = inner.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let client = life.client(&stored).unwrap();

    store.stopped.store(true, Ordering::SeqCst);
    portal.expire_access_tokens();
    let e = deal(&client).await.unwrap_err();
    assert!(matches!(e, Error::TokensNotStored(_)), "{e}");
    assert!(e.to_string().contains("renewed tokens are not stored"), "{e}");
    // the store still holds the spent pair; the client holds the good one
    assert_eq!(
        inner
            .load(Portal::MEMBER_ID)
            .await
            .unwrap()
            .unwrap()
            .refresh_token,
        stored.refresh_token
    );

    // back up: the next call writes them first, and works
    store.stopped.store(false, Ordering::SeqCst);
    deal(&client).await.unwrap();
    let now = inner.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    assert_ne!(
        now.refresh_token, stored.refresh_token,
        "the renewed pair is stored"
    );
    stored_tokens_work(&inner).await;
    // and it refreshes again from what is stored
    portal.expire_access_tokens();
    deal(&life.client(&now).unwrap()).await.unwrap();
}

#[tokio::test]
async fn an_oauth_server_that_answers_500_loses_nothing() {
    let (pbase, portal) = local_portal().await;
    let store = b24_store::connect(&sqlite_url("oauth500")).await.unwrap();
    let (base, life) = instance(store.clone()).await;
    // the OAuth server: 500 while `failing`, the local portal's answer otherwise
    let failing = Arc::new(AtomicBool::new(true));
    let flag = failing.clone();
    let oauth = oauth_in_front(&pbase, move || {
        let failing = flag.load(Ordering::SeqCst);
        async move { failing.then_some(StatusCode::INTERNAL_SERVER_ERROR) }
    })
    .await;
    install(&base, &pbase, &portal, Some(&oauth)).await;
    let stored = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let client = life.client(&stored).unwrap();

    portal.expire_access_tokens();
    let e = deal(&client).await.unwrap_err();
    assert!(matches!(e, Error::Refresh(_)), "{e}");
    assert!(e.to_string().contains("HTTP 500"), "{e}");
    assert_eq!(
        store
            .load(Portal::MEMBER_ID)
            .await
            .unwrap()
            .unwrap()
            .refresh_token,
        stored.refresh_token,
        "nothing renewed, nothing lost"
    );
    failing.store(false, Ordering::SeqCst);
    deal(&client).await.unwrap();
    stored_tokens_work(&store).await;
}

#[tokio::test]
async fn dead_tokens_mark_the_portal_for_reinstall_once_and_a_reinstall_clears_it() {
    let (pbase, portal) = local_portal().await;
    let store = b24_store::connect(&sqlite_url("dead")).await.unwrap();
    let (base, life) = instance(store.clone()).await;
    install(&base, &pbase, &portal, None).await;
    // a refresh token the OAuth server never issued (the app was removed, say)
    let mut stored = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    stored.refresh_token = Some(b24_placement::Secret::new("revoked"));
    store.save(&stored).await.unwrap();
    let client = life.client(&stored).unwrap();

    portal.expire_access_tokens();
    let e = deal(&client).await.unwrap_err();
    assert!(matches!(e, Error::NeedsReinstall(_)), "{e}");
    assert!(life.needs_reinstall(Portal::MEMBER_ID).await.unwrap());
    // never retried in a loop: the next call fails at once, without the OAuth server
    let (answered, _) = portal.counts();
    let e = deal(&client).await.unwrap_err();
    assert!(matches!(e, Error::NeedsReinstall(_)), "{e}");
    assert_eq!(portal.counts().0, answered, "no call reached the portal");

    // a reinstall clears it: new tokens, calls work
    install(&base, &pbase, &portal, None).await;
    assert!(!life.needs_reinstall(Portal::MEMBER_ID).await.unwrap());
    let fresh = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    deal(&life.client(&fresh).unwrap()).await.unwrap();
}

#[tokio::test]
async fn tokens_about_to_expire_are_renewed_before_the_call() {
    let (pbase, portal) = local_portal().await;
    let store = b24_store::connect(&sqlite_url("ahead")).await.unwrap();
    // every token the portal issues lives an hour: within two hours of its end, renewed
    let (base, life) = serve(
        Lifecycle::new(store.clone(), Vec::new())
            .app(app())
            .renew_before(std::time::Duration::from_secs(7200)),
    )
    .await;
    install(&base, &pbase, &portal, None).await;
    let before = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    let refreshes = portal.refreshes();
    deal(&life.client(&before).unwrap()).await.unwrap();
    assert_eq!(
        portal.refreshes() - refreshes,
        1,
        "renewed ahead, before any expired_token"
    );
    let after = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    assert_ne!(after.refresh_token, before.refresh_token, "and stored");
    assert!(after.expires >= before.expires);
}
