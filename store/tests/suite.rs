//! One suite, run on both stores: SQLite in a temporary file, and PostgreSQL at
//! `B24_TEST_POSTGRES_URL` (`.ci/run` starts a throwaway cluster; with `CI` set, a missing
//! one fails the test rather than skipping it).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use b24_placement::Secret;
use b24_store::{connect, InstalledPortal, PortalStore, RenewFailure, StoredTokens};

fn portal(member_id: &str, token: &str) -> InstalledPortal {
    InstalledPortal {
        member_id: member_id.into(),
        domain: "example.bitrix24.com".into(),
        client_endpoint: "https://example.bitrix24.com/rest/".into(),
        server_endpoint: Some("https://oauth.bitrix.info/rest/".into()),
        application_token: Secret::new(token),
        access_token: Some(Secret::new("access-1")),
        refresh_token: Some(Secret::new("refresh-1")),
        expires: Some(1_800_000_000),
        scope: Some("crm,placement".into()),
        status: Some("L".into()),
        needs_reinstall: None,
        installed_at: 1_700_000_000,
    }
}

async fn suite(store: Arc<dyn PortalStore>, prefix: &str) {
    let a = format!("{prefix}-a");
    let b = format!("{prefix}-b");
    let _ = store.remove(&a).await;
    let _ = store.remove(&b).await;
    assert_eq!(store.load(&a).await.unwrap(), None);

    store.save(&portal(&a, "app-token-1")).await.unwrap();
    store.save(&portal(&b, "app-token-b")).await.unwrap();
    let loaded = store.load(&a).await.unwrap().unwrap();
    assert_eq!(loaded, portal(&a, "app-token-1"));
    assert!(loaded.application_token.matches("app-token-1"));

    // a reinstall replaces what was stored
    let mut again = portal(&a, "app-token-2");
    again.domain = "renamed.bitrix24.com".into();
    store.save(&again).await.unwrap();
    let loaded = store.load(&a).await.unwrap().unwrap();
    assert_eq!(
        (
            loaded.domain.as_str(),
            loaded.application_token.matches("app-token-2")
        ),
        ("renamed.bitrix24.com", true)
    );

    // renewed tokens are written back; a refresh without a new refresh token keeps the old
    store
        .update_tokens(
            &a,
            &Secret::new("access-2"),
            Some(&Secret::new("refresh-2")),
            Some(42),
        )
        .await
        .unwrap();
    store
        .update_tokens(&a, &Secret::new("access-3"), None, Some(43))
        .await
        .unwrap();
    let loaded = store.load(&a).await.unwrap().unwrap();
    assert!(loaded.access_token.unwrap().matches("access-3"));
    assert!(loaded.refresh_token.unwrap().matches("refresh-2"));
    assert_eq!(loaded.expires, Some(43));

    renewals(store.clone(), &a).await;

    // text that would break a hand-built query is stored as it is
    let odd = format!("{prefix}-'; DROP TABLE b24_portals; --");
    store.save(&portal(&odd, "t")).await.unwrap();
    assert!(store.load(&odd).await.unwrap().is_some());
    assert!(store.remove(&odd).await.unwrap());

    assert!(store.count().await.unwrap() >= 2);
    assert!(store.remove(&a).await.unwrap());
    assert!(!store.remove(&a).await.unwrap());
    assert_eq!(store.load(&a).await.unwrap(), None);
    assert!(store.load(&b).await.unwrap().is_some(), "the other portal stays");
    assert!(store.remove(&b).await.unwrap());
}

/// Renewals under the token lock: two at once renew once (the second reads what the first
/// stored); a failed renewal stores nothing; a portal marked for reinstall is cleared by a
/// reinstall.
async fn renewals(store: Arc<dyn PortalStore>, member: &str) {
    let renewed = Arc::new(AtomicUsize::new(0));
    let renew = |store: Arc<dyn PortalStore>, renewed: Arc<AtomicUsize>, seen: &'static str| async move {
        let member = member.to_owned();
        store
            .renew_tokens(
                &member,
                Box::new(move |stored: StoredTokens| {
                    Box::pin(async move {
                        // what the caller saw expire: renew only if it is still stored
                        if !stored.access_token.as_ref().is_some_and(|t| t.matches(seen)) {
                            return Ok(None);
                        }
                        // slow, so that the other waits on the lock meanwhile
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        renewed.fetch_add(1, Ordering::SeqCst);
                        Ok(Some(StoredTokens {
                            access_token: Some(Secret::new("access-4")),
                            refresh_token: Some(Secret::new("refresh-4")),
                            expires: Some(44),
                            needs_reinstall: None,
                        }))
                    })
                }),
            )
            .await
    };
    let (x, y) = tokio::join!(
        renew(store.clone(), renewed.clone(), "access-3"),
        renew(store.clone(), renewed.clone(), "access-3")
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(renewed.load(Ordering::SeqCst), 1, "one renewal for one expiry");
    for t in [&x, &y] {
        assert!(t.access_token.as_ref().unwrap().matches("access-4"));
    }
    let loaded = store.load(member).await.unwrap().unwrap();
    assert!(loaded.refresh_token.unwrap().matches("refresh-4"));

    // a renewal that fails stores nothing
    let failed = store
        .renew_tokens(
            member,
            Box::new(|_| Box::pin(async { Err("the OAuth server said no".into()) })),
        )
        .await;
    assert!(matches!(failed, Err(RenewFailure::Renew(_))), "{failed:?}");
    assert!(store
        .load(member)
        .await
        .unwrap()
        .unwrap()
        .access_token
        .unwrap()
        .matches("access-4"));
    let missing = store
        .renew_tokens("nobody-here", Box::new(|_| Box::pin(async { Ok(None) })))
        .await;
    assert!(matches!(missing, Err(RenewFailure::NotInstalled)));

    // dead tokens: marked; a reinstall clears the mark
    store.mark_needs_reinstall(member).await.unwrap();
    let loaded = store.load(member).await.unwrap().unwrap();
    assert!(loaded.needs_reinstall.is_some());
    store
        .save(&InstalledPortal {
            needs_reinstall: None,
            ..loaded
        })
        .await
        .unwrap();
    assert_eq!(store.load(member).await.unwrap().unwrap().needs_reinstall, None);

    // the offline consumer's reservation: kept, replaced, forgotten
    assert_eq!(store.offline_process(member).await.unwrap(), None);
    store.set_offline_process(member, Some("p-1")).await.unwrap();
    store.set_offline_process(member, Some("p-2")).await.unwrap();
    assert_eq!(
        store.offline_process(member).await.unwrap().as_deref(),
        Some("p-2")
    );
    store.set_offline_process(member, None).await.unwrap();
    assert_eq!(store.offline_process(member).await.unwrap(), None);
}

#[tokio::test]
async fn sqlite_passes_the_suite_and_keeps_its_file_private() {
    let dir = std::env::temp_dir().join(format!("b24-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("app.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let store = connect(&url).await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    suite(store, "sqlite").await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the store holds tokens: owner only");
    }
    // a second opening of the same file finds what the first wrote, migrations done once
    let first = connect(&url).await.unwrap();
    first.save(&portal("kept", "t")).await.unwrap();
    let second = connect(&url).await.unwrap();
    assert!(second.load("kept").await.unwrap().is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn postgres_passes_the_suite() {
    let Ok(url) = std::env::var("B24_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but B24_TEST_POSTGRES_URL is not: PostgreSQL is not tested"
        );
        eprintln!("SKIPPED: set B24_TEST_POSTGRES_URL to run the suite on PostgreSQL");
        return;
    };
    let store = connect(&url).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    suite(store, &format!("pg{}", std::process::id())).await;
    // two instances connecting at once migrate without tripping over each other
    let (x, y) = tokio::join!(connect(&url), connect(&url));
    x.unwrap();
    y.unwrap();
}

#[tokio::test]
async fn errors_name_what_failed_and_no_token() {
    let e = connect("postgres://nobody:secretpw@127.0.0.1:9/none")
        .await
        .err()
        .unwrap();
    let text = e.to_string();
    assert!(text.starts_with("connecting to the PostgreSQL store: "), "{text}");
    assert!(!text.contains("secretpw"), "{text}");
    let e = connect("sqlite:///nonexistent-dir/x/app.db").await.err().unwrap();
    assert!(e.to_string().starts_with("opening the SQLite store: "), "{e}");
}
