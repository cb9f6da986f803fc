//! The app's life cycle over real HTTP on loopback, against the local portal: install
//! (placements bound, idempotently), verified handler calls and events, uninstall, a
//! restart on the same store, a flood from unknown portals, two instances on one
//! PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use b24_placement::bind::PlacementBind;
use b24_portal::{Config, Portal};
use b24_server::{app_router, Lifecycle, Preview, WidgetHost};
use b24_store::PortalStore;

mod common;

use common::{listen, post, Hello};

async fn portal() -> (String, Arc<Portal>) {
    common::local_portal(Config::default()).await
}

fn binds(app_base: &str, codes: &[&str]) -> Vec<PlacementBind> {
    codes
        .iter()
        .map(|c| PlacementBind::new(c.parse().unwrap(), format!("{app_base}/handler"), "Widget").unwrap())
        .collect()
}

/// An app instance on `store`, declaring `codes`: its base URL.
async fn app(store: Arc<dyn PortalStore>, codes: &[&str], ttl: Duration) -> String {
    let (l, base) = listen().await;
    let life = Lifecycle::new(store, binds(&base.replace("127.0.0.1", "localhost"), codes)).cache_ttl(ttl);
    let app = app_router(WidgetHost::new(|_| Hello), Arc::new(life), Preview::default());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    base
}

async fn sqlite(name: &str) -> Arc<dyn PortalStore> {
    b24_store::connect(&common::sqlite_url(name)).await.unwrap()
}

fn handler_form(token: Option<&str>, member: &str) -> String {
    let mut f = format!(
        "DOMAIN=x.bitrix24.com&PROTOCOL=1&LANG=en&member_id={member}&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D&AUTH_ID=user-token-1"
    );
    if let Some(t) = token {
        f.push_str(&format!("&APPLICATION_TOKEN={t}"));
    }
    f
}

async fn event(app: &str, session: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{app}/event"))
        .header("content-type", "application/json")
        .body(format!(r#"{{"session":"{session}","kind":"entityUpdate"}}"#))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn session_of(page: &str) -> String {
    let start = page.find("\"session\":\"").unwrap() + 11;
    page[start..start + 32].to_owned()
}

#[tokio::test]
async fn installed_verified_and_uninstalled() {
    let (pbase, portal) = portal().await;
    let store = sqlite("main").await;
    let app1 = app(
        store.clone(),
        &["CRM_DEAL_DETAIL_ACTIVITY"],
        Duration::from_secs(60),
    )
    .await;

    // before install: no portal is served
    let (status, text) = post(
        &format!("{app1}/handler"),
        handler_form(Some("anything"), Portal::MEMBER_ID),
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (
            403,
            "this portal has not installed the app, or the call did not come from it"
        )
    );

    let (form, token) = portal.install_event(&pbase);
    let (status, text) = post(&format!("{app1}/install"), form.clone()).await;
    assert_eq!(status, 200, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["bound"], serde_json::json!(["CRM_DEAL_DETAIL_ACTIVITY"]));
    assert_eq!(portal.placements().len(), 1);
    // the same install again binds nothing more
    let (_, text) = post(&format!("{app1}/install"), form).await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["bound"],
        serde_json::json!([])
    );
    assert_eq!(portal.placements().len(), 1);

    // verified handler calls
    let (status, page) = post(
        &format!("{app1}/handler"),
        handler_form(Some(token.expose()), Portal::MEMBER_ID),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let session = session_of(&page);
    for (t, m) in [
        (Some("wrong"), Portal::MEMBER_ID),
        (None, Portal::MEMBER_ID),
        (Some(token.expose()), "another-portal"),
    ] {
        let (status, text) = post(&format!("{app1}/handler"), handler_form(t, m)).await;
        assert_eq!(status, 403, "{t:?} {m}");
        assert!(!text.contains(token.expose()));
    }
    assert_eq!(event(&app1, &session).await, 200);

    // an app that declares another placement now: the old one unbound, the new bound
    let app2 = app(store.clone(), &["CRM_DEAL_DETAIL_TAB"], Duration::from_secs(60)).await;
    let (form, token2) = portal.install_event(&pbase);
    let reply = common::post_form(&format!("{app2}/install"), form).await;
    assert_eq!(reply.headers()["content-type"], "application/json");
    let answer: serde_json::Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
    assert_eq!(answer["bound"], serde_json::json!(["CRM_DEAL_DETAIL_TAB"]));
    assert_eq!(answer["unbound"], serde_json::json!(["CRM_DEAL_DETAIL_ACTIVITY"]));

    // uninstall: only with the portal's own token; then nothing is served, open frames go
    let (status, _) = post(
        &format!("{app2}/uninstall"),
        portal.uninstall_event(&pbase, "wrong", false),
    )
    .await;
    assert_eq!(status, 403);
    let (status, text) = post(
        &format!("{app2}/uninstall"),
        portal.uninstall_event(&pbase, token2.expose(), true),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(store.load(Portal::MEMBER_ID).await.unwrap().is_none());
    let (status, _) = post(
        &format!("{app2}/handler"),
        handler_form(Some(token2.expose()), Portal::MEMBER_ID),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_restart_on_the_same_store_serves_the_installed_portal() {
    let (pbase, portal) = portal().await;
    let url = common::sqlite_url("restart");
    let store = b24_store::connect(&url).await.unwrap();
    let first = app(
        store.clone(),
        &["CRM_DEAL_DETAIL_ACTIVITY"],
        Duration::from_secs(60),
    )
    .await;
    let (form, token) = portal.install_event(&pbase);
    assert_eq!(post(&format!("{first}/install"), form).await.0, 200);
    drop(store);
    // a new instance, a new connection to the same file: nothing in memory
    let again = b24_store::connect(&url).await.unwrap();
    let second = app(again, &["CRM_DEAL_DETAIL_ACTIVITY"], Duration::from_secs(60)).await;
    let (status, _) = post(
        &format!("{second}/handler"),
        handler_form(Some(token.expose()), Portal::MEMBER_ID),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_flood_from_unknown_portals_leaves_a_real_frame_open() {
    let (pbase, portal) = portal().await;
    let app1 = app(
        sqlite("flood").await,
        &["CRM_DEAL_DETAIL_ACTIVITY"],
        Duration::from_secs(60),
    )
    .await;
    let (form, token) = portal.install_event(&pbase);
    assert_eq!(post(&format!("{app1}/install"), form).await.0, 200);
    let (_, page) = post(
        &format!("{app1}/handler"),
        handler_form(Some(token.expose()), Portal::MEMBER_ID),
    )
    .await;
    let session = session_of(&page);
    let client = reqwest::Client::new();
    let floods = (0..400).map(|i| {
        let c = client.clone();
        let url = format!("{app1}/handler");
        async move {
            c.post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(handler_form(Some("guess"), &format!("made-up-{i}")))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(floods).await;
    assert!(statuses.iter().all(|s| *s == 403));
    assert_eq!(event(&app1, &session).await, 200, "the real frame is still open");
}

#[tokio::test]
async fn two_instances_share_one_postgres() {
    let Ok(url) = std::env::var("B24_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but B24_TEST_POSTGRES_URL is not"
        );
        eprintln!("SKIPPED: set B24_TEST_POSTGRES_URL");
        return;
    };
    let (pbase, portal) = portal().await;
    let a = app(
        b24_store::connect(&url).await.unwrap(),
        &["CRM_DEAL_DETAIL_ACTIVITY"],
        Duration::ZERO,
    )
    .await;
    let b = app(
        b24_store::connect(&url).await.unwrap(),
        &["CRM_DEAL_DETAIL_ACTIVITY"],
        Duration::ZERO,
    )
    .await;
    let (form, token) = portal.install_event(&pbase);
    assert_eq!(post(&format!("{a}/install"), form).await.0, 200);
    // installed through one, served by the other
    let (status, _) = post(
        &format!("{b}/handler"),
        handler_form(Some(token.expose()), Portal::MEMBER_ID),
    )
    .await;
    assert_eq!(status, 200);
    // uninstalled through the other, refused by the first
    let (status, _) = post(
        &format!("{b}/uninstall"),
        portal.uninstall_event(&pbase, token.expose(), false),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &format!("{a}/handler"),
        handler_form(Some(token.expose()), Portal::MEMBER_ID),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn tokens_renewed_by_a_refresh_are_written_back() {
    let (pbase, portal) = portal().await;
    let store = sqlite("renew").await;
    let life = Lifecycle::new(store.clone(), Vec::new())
        .app(b24_rest::OAuthApp::new("local.demo", "demo-client-secret"));
    let (l, base) = listen().await;
    let life = Arc::new(life);
    let app = app_router(WidgetHost::new(|_| Hello), life.clone(), Preview::default());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    let (form, _) = portal.install_event(&pbase);
    assert_eq!(post(&format!("{base}/install"), form).await.0, 200);
    let before = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();

    portal.expire_access_tokens();
    let client = life.client(&before).unwrap();
    client
        .call("crm.deal.get", serde_json::json!({"id": 1}))
        .await
        .unwrap();
    // the write is awaited before the call goes on: stored by the time it answers
    let after = store.load(Portal::MEMBER_ID).await.unwrap().unwrap();
    assert_ne!(
        after.access_token, before.access_token,
        "the renewed access token is stored"
    );
    assert_ne!(
        after.refresh_token, before.refresh_token,
        "and the rotated refresh token"
    );
    assert_eq!(after.application_token, before.application_token);
}

#[tokio::test]
async fn two_routers_with_two_life_cycles_in_one_process_each_verify_by_their_own() {
    let (pbase, portal) = portal().await;
    // one widget host behind both routers: each router carries its own verifier
    let host = WidgetHost::new(|_| Hello);
    let mut bases = Vec::new();
    for name in ["two-a", "two-b"] {
        let (l, base) = listen().await;
        let life = Lifecycle::new(sqlite(name).await, Vec::new());
        let app = app_router(host.clone(), Arc::new(life), Preview::default());
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        bases.push(base);
    }
    let (a, b) = (&bases[0], &bases[1]);
    // installed in A only: A serves it, B does not know it
    let (form, token_a) = portal.install_event(&pbase);
    assert_eq!(post(&format!("{a}/install"), form).await.0, 200);
    let opened = reqwest::Client::new()
        .post(format!("{a}/handler"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(handler_form(Some(token_a.expose()), Portal::MEMBER_ID))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    // the page may be framed by its portal only (DOMAIN and PROTOCOL of the request)
    assert_eq!(
        opened.headers()["content-security-policy"],
        "frame-ancestors https://x.bitrix24.com"
    );
    let session_a = session_of(&opened.text().await.unwrap());
    async fn on(base: &str, token: &str) -> (u16, String) {
        post(
            &format!("{base}/handler"),
            handler_form(Some(token), Portal::MEMBER_ID),
        )
        .await
    }
    assert_eq!(on(b, token_a.expose()).await.0, 403);
    // installed in B with another application token: each router knows its own
    let (form, token_b) = portal.install_event(&pbase);
    assert_eq!(post(&format!("{b}/install"), form).await.0, 200);
    assert_eq!(on(b, token_b.expose()).await.0, 200);
    assert_eq!(on(a, token_b.expose()).await.0, 403);
    assert_eq!(on(b, token_a.expose()).await.0, 403);
    assert_eq!(on(a, token_a.expose()).await.0, 200);
    // the frame opened through A is asked of A's life cycle: uninstalled from B, it goes on
    let (status, _) = post(
        &format!("{b}/uninstall"),
        portal.uninstall_event(&pbase, token_b.expose(), false),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(event(a, &session_a).await, 200);
    // uninstalled from A: its frames are refused
    let (status, _) = post(
        &format!("{a}/uninstall"),
        portal.uninstall_event(&pbase, token_a.expose(), false),
    )
    .await;
    assert_eq!(status, 200);
    assert!(matches!(event(a, &session_a).await, 403 | 404));
}
