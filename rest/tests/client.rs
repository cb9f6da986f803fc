//! The client against the local portal (`b24-portal`) over real HTTP on loopback.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use b24_placement::bind::PlacementBind;
use b24_placement::placement::Entity;
use b24_placement::request::HandlerRequest;
use b24_portal::Config;
use b24_rest::{Batch, Client, Error, ErrorCode, OAuthApp, RateLimit, Tokens};
use futures_util::StreamExt;
use serde_json::{json, Value};

mod common;
use common::{oauth, quick, serve};

#[tokio::test]
async fn a_webhook_reads_a_deal_and_never_shows_its_code() {
    let (base, portal) = serve(quick()).await;
    let url = portal.webhook_url(&base);
    let client = Client::from_webhook(url.expose()).unwrap();
    let answer = client.call("crm.deal.get", json!({"id": 1})).await.unwrap();
    assert_eq!(answer.result["TITLE"], "Website redesign");
    assert!(answer.time.unwrap().duration.is_some());
    let deal = client.get(Entity::DEAL, 1).await.unwrap();
    assert_eq!((deal.id(), deal.title()), (Some(1), Some("Website redesign")));

    assert!(!format!("{client:?}").contains("demowebhookcode"));
    let e = client
        .call("crm.deal.get", json!({"id": 99999}))
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "crm.deal.get: Not found");
    assert!(!format!("{e:?}").contains("demowebhookcode"));

    // a wrong code is refused, a bad address is refused before any call
    let wrong = Client::from_webhook(&format!("{base}/rest/1/nope/")).unwrap();
    let e = wrong.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::NoAuthFound));
    for bad in [
        "ftp://x/rest/1/c/",
        "https://x/rest/",
        "https://x/rest/a/c/",
        "https://x/1/c/",
    ] {
        let e = Client::from_webhook(bad).unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{bad}: {e}");
    }
    // placement methods need an app
    let bind = PlacementBind::new(
        "CRM_DEAL_DETAIL_TAB".parse().unwrap(),
        "http://localhost/handler",
        "Tab",
    )
    .unwrap();
    let e = client.bind(&bind).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::WrongAuthType));
}

#[tokio::test]
async fn a_widgets_request_gives_a_client_that_reads_its_object() {
    let (base, portal) = serve(quick()).await;
    let issued = portal.issue_tokens();
    let host = base.trim_start_matches("http://");
    for (placement, options, title) in [
        ("CRM_DEAL_DETAIL_ACTIVITY", r#"{"ID":"1"}"#, "Website redesign"),
        ("CRM_DYNAMIC_183_DETAIL_TAB", r#"{"ID":2}"#, "Shipment #2"),
        ("CRM_SMART_INVOICE_DETAIL_TAB", r#"{"ID":"1"}"#, "Invoice #1"),
        ("CRM_CONTACT_DETAIL_TAB", r#"{"ID":"2"}"#, "Boris"),
    ] {
        let body = format!(
            "DOMAIN={host}&PROTOCOL=0&member_id=m&AUTH_ID={}&AUTH_EXPIRES=3600&PLACEMENT={placement}&PLACEMENT_OPTIONS={}",
            issued.access_token.expose(),
            form_encode(options)
        );
        let request = HandlerRequest::parse(&body, None).unwrap();
        let client = Client::from_request(&request).unwrap().build().unwrap();
        let object = client.read(&request).await.unwrap().unwrap();
        assert_eq!(object.title(), Some(title), "{placement}");
    }
    // a toolbar carries no object
    let body = format!(
        "DOMAIN={host}&PROTOCOL=0&member_id=m&AUTH_ID={}&PLACEMENT=CRM_DEAL_LIST_TOOLBAR",
        issued.access_token.expose()
    );
    let request = HandlerRequest::parse(&body, None).unwrap();
    let client = Client::from_request(&request).unwrap().build().unwrap();
    assert!(client.read(&request).await.unwrap().is_none());
    let no_token = HandlerRequest::parse(
        &format!("DOMAIN={host}&member_id=m&PLACEMENT=CRM_DEAL_LIST_TOOLBAR"),
        None,
    )
    .unwrap();
    assert!(matches!(Client::from_request(&no_token), Err(Error::Config(_))));
}

fn form_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn errors_are_typed_by_code_and_what_is_not_json_says_so() {
    let (base, portal) = serve(quick()).await;
    let client = oauth(&base, &portal).build().unwrap();
    let e = client.call("crm.nothing.here", ()).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::MethodNotFound));
    assert_eq!(e.api().unwrap().status, 404);
    let e = client
        .call("crm.item.get", json!({"entityTypeId": 5, "id": 1}))
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::Other("ENTITY_TYPE_NOT_SUPPORTED".into()))
    );
    let e = client.call("crm.deal.get", json!({})).await.unwrap_err();
    assert_eq!(e.to_string(), "crm.deal.get: ID is not defined or invalid");
    // a method name that could leave the REST path is refused before sending
    assert!(matches!(
        client.call("../oauth/token", ()).await,
        Err(Error::Config(_))
    ));
    assert!(matches!(
        client.call("crm.deal.get", json!([1])).await,
        Err(Error::Config(_))
    ));

    let stranger = Client::from_tokens(Tokens {
        access_token: b24_placement::Secret::new("made-up"),
        refresh_token: None,
        client_endpoint: format!("{base}/rest/"),
        server_endpoint: None,
        expires: None,
        member_id: None,
        scope: None,
    })
    .build()
    .unwrap();
    let e = stranger.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::InvalidToken));

    // an HTML error page from a proxy in front of the portal
    let proxy = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::BAD_GATEWAY,
            axum::response::Html("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, proxy).await.unwrap() });
    let client = Client::from_webhook(&format!("http://{addr}/rest/1/code/")).unwrap();
    let e = client.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert!(matches!(e, Error::NotJson { status: 502, .. }), "{e}");
    assert!(e.to_string().contains("an HTML page"), "{e}");

    // nothing listens: cannot reach, and the message holds no code
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let client = Client::from_webhook(&format!("http://127.0.0.1:{port}/rest/1/secretcode/")).unwrap();
    let e = client.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e}");
    assert!(!e.to_string().contains("secretcode"), "{e}");
}

#[tokio::test]
async fn a_change_is_not_sent_twice_when_the_connection_breaks() {
    // a server that reads the request and closes without answering
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                use tokio::io::AsyncReadExt;
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                drop(socket);
            });
        }
    });
    let client = Client::from_webhook(&format!("http://{addr}/rest/1/code/")).unwrap();
    let e = client
        .call("crm.deal.update", json!({"id": 1, "fields": {"TITLE": "x"}}))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::MaybeDone { .. }), "{e}");
    assert_eq!(seen.load(Ordering::SeqCst), 1, "a change is sent once");
    let e = client.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e}");
    assert_eq!(seen.load(Ordering::SeqCst), 3, "a read is sent again once");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_for_concurrent_calls() {
    let (base, portal) = serve(quick()).await;
    let refreshed = Arc::new(AtomicUsize::new(0));
    let seen = refreshed.clone();
    let client = oauth(&base, &portal)
        .app(OAuthApp::new("local.demo", "demo-client-secret"))
        .on_refresh(move |t| {
            assert!(t.refresh_token.is_some());
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let before = client.tokens().await.unwrap();
    portal.expire_access_tokens();
    let calls = (1..=10).map(|id| {
        let c = client.clone();
        async move { c.call("crm.deal.get", json!({"id": id})).await }
    });
    let answers = futures_util::future::join_all(calls).await;
    for a in &answers {
        assert!(a.is_ok(), "{:?}", a.as_ref().err());
    }
    assert_eq!(refreshed.load(Ordering::SeqCst), 1, "one refresh for ten calls");
    let after = client.tokens().await.unwrap();
    assert_ne!(before.access_token, after.access_token);
    assert_ne!(
        before.refresh_token, after.refresh_token,
        "the refresh token rotates"
    );

    // without the app's credentials, an expired token is an error that says why
    let bare = oauth(&base, &portal).build().unwrap();
    portal.expire_access_tokens();
    let e = bare.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert!(e.to_string().contains("client id and secret"), "{e}");
    // wrong credentials: the OAuth server's error
    let wrong = oauth(&base, &portal)
        .app(OAuthApp::new("local.demo", "wrong"))
        .build()
        .unwrap();
    portal.expire_access_tokens();
    let e = wrong.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "refreshing the access token failed: invalid_client: invalid client"
    );
    assert!(!format!("{e:?}").contains("wrong"));
}

#[tokio::test]
async fn a_burst_waits_in_the_clients_bucket_instead_of_being_refused() {
    let config = Config {
        per_second: 20.0,
        burst: 10.0,
        ..Config::default()
    };
    let (base, portal) = serve(config).await;
    let client = oauth(&base, &portal)
        .rate_limit(RateLimit {
            per_second: 20.0,
            burst: 10.0,
        })
        .build()
        .unwrap();
    let calls = (0..30).map(|i| {
        let c = client.clone();
        async move { c.call("crm.deal.get", json!({"id": i % 5 + 1})).await }
    });
    for a in futures_util::future::join_all(calls).await {
        a.unwrap();
    }
    assert_eq!(portal.counts(), (30, 0), "no call refused by the portal");
}

#[tokio::test]
async fn query_limit_exceeded_is_retried_until_the_portal_has_room() {
    let config = Config {
        per_second: 50.0,
        burst: 5.0,
        ..Config::default()
    };
    let (base, portal) = serve(config).await;
    // a client that believes the bucket is larger than it is
    let client = oauth(&base, &portal).build().unwrap();
    let calls = (0..12).map(|_| {
        let c = client.clone();
        async move { c.call("crm.deal.get", json!({"id": 1})).await }
    });
    for a in futures_util::future::join_all(calls).await {
        a.unwrap();
    }
    let (answered, refused) = portal.counts();
    assert_eq!(answered, 12);
    assert!(refused > 0, "the portal refused some, the client sent them again");
    // with no retries left, the error comes through typed
    let none = oauth(&base, &portal).limit_retries(0).build().unwrap();
    let calls = (0..20).map(|_| {
        let c = none.clone();
        async move { c.call("crm.deal.get", json!({"id": 1})).await }
    });
    let refused: Vec<_> = futures_util::future::join_all(calls)
        .await
        .into_iter()
        .filter_map(Result::err)
        .collect();
    assert!(!refused.is_empty());
    assert!(refused
        .iter()
        .all(|e| e.code() == Some(&ErrorCode::QueryLimitExceeded)));
}

#[tokio::test]
async fn a_batch_of_any_size_gives_results_and_errors_by_name() {
    let (base, portal) = serve(quick()).await;
    let client = oauth(&base, &portal).build().unwrap();
    let mut batch = Batch::new();
    for id in 1..=120 {
        batch.push(format!("d{id}"), "crm.deal.get", json!({"id": id}));
    }
    batch.push("missing", "crm.deal.get", json!({"id": 99999}));
    let answer = client.batch(&batch).await.unwrap();
    assert_eq!(answer.result.len(), 120);
    assert_eq!(answer.result["d1"]["TITLE"], "Website redesign");
    assert_eq!(answer.result["d120"]["ID"], "120");
    assert_eq!(answer.errors["missing"].description, "Not found");
    // references to an earlier command's result are passed through
    let batch = Batch::new()
        .add(
            "list",
            "crm.deal.list",
            json!({"filter": {">ID": 40}, "start": -1}),
        )
        .add(
            "first",
            "crm.deal.get",
            Value::String("id=$result[list][0][ID]".into()),
        );
    let answer = client.batch(&batch).await.unwrap();
    assert_eq!(answer.result["first"]["ID"], "41");
    // a reference to a command of an earlier call of 50 is resolved by the client
    let mut long = Batch::new().add(
        "first",
        "crm.deal.list",
        json!({"filter": {">ID": 99}, "start": -1}),
    );
    for id in 1..=60 {
        long.push(format!("d{id}"), "crm.deal.get", json!({"id": id}));
    }
    long.push("late", "crm.deal.get", json!({"id": "$result[first][0][ID]"}));
    long.push(
        "late_query",
        "crm.deal.get",
        Value::String("id=$result[d7][ID]".into()),
    );
    let answer = client.batch(&long).await.unwrap();
    assert_eq!(answer.result["late"]["ID"], "100");
    assert_eq!(answer.result["late_query"]["ID"], "7");
    // halt stops at the first error, later calls of 50 included
    let mut halting = Batch::new().halt(true);
    halting.push("bad", "crm.deal.get", json!({"id": 0}));
    for id in 1..=60 {
        halting.push(format!("d{id}"), "crm.deal.get", json!({"id": id}));
    }
    let answer = client.batch(&halting).await.unwrap();
    assert_eq!((answer.result.len(), answer.errors.len()), (0, 1));
    assert_eq!(
        answer.to_json()["result_error"]["bad"]["error_description"],
        "ID is not defined or invalid"
    );
}

#[tokio::test]
async fn list_streams_every_item_by_the_fast_recipe() {
    let (base, portal) = serve(quick()).await;
    let client = oauth(&base, &portal).build().unwrap();
    let ids: Vec<u64> = client
        .list("crm.deal.list", json!({}))
        .map(|item| b24_portal::id_of(&item.unwrap()["ID"]).unwrap())
        .collect()
        .await;
    assert_eq!(ids, (1..=120).collect::<Vec<_>>());
    let won: Vec<Value> = client
        .list("crm.deal.list", json!({"filter": {"STAGE_ID": "WON"}}))
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(won.len(), 24);
    let items: Vec<Value> = client
        .list("crm.item.list", json!({"entityTypeId": 183}))
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    let mut failing = Box::pin(client.list("crm.item.list", json!({"entityTypeId": 5})));
    assert!(failing.next().await.unwrap().is_err());
    assert!(failing.next().await.is_none(), "the stream ends after an error");
}

#[tokio::test]
async fn placements_are_bound_listed_and_unbound_and_comments_added() {
    let (base, portal) = serve(quick()).await;
    let client = oauth(&base, &portal).build().unwrap();
    let bind = PlacementBind::new(
        "CRM_DEAL_DETAIL_ACTIVITY".parse().unwrap(),
        "http://localhost:3000/handler",
        "Meeting",
    )
    .unwrap()
    .built_in_interface(true)
    .unwrap();
    assert!(client.bind(&bind).await.unwrap());
    assert!(client.bind(&bind).await.unwrap(), "binding again is no error");
    let bound = client.bound().await.unwrap();
    assert_eq!(bound.len(), 1);
    assert_eq!(bound[0].handler, "http://localhost:3000/handler");
    assert_eq!(bound[0].options["useBuiltInInterface"], "Y");
    assert_eq!(client.unbind(&bound[0].placement, None).await.unwrap(), 1);
    assert!(client.bound().await.unwrap().is_empty());

    let id = client
        .add_comment(Entity::DEAL, 1, "Sent the proposal")
        .await
        .unwrap();
    assert!(id > 1);
    assert!(portal
        .comments("deal", 1)
        .contains(&"Sent the proposal".to_owned()));
    let e = client.add_comment(Entity::DEAL, 99999, "x").await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::Other("OWNER_NOT_FOUND".into())));
    let e = client.add_comment(Entity::DEAL, 1, " ").await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::Other("INVALID_ARG_VALUE".into())));
}

#[tokio::test]
async fn a_call_that_takes_too_long_is_cut_at_the_timeout() {
    let slow = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "{}"
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, slow).await.unwrap() });
    let client = Client::webhook_builder(&format!("http://{addr}/rest/1/code/"))
        .unwrap()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let e = client.call("crm.deal.get", json!({"id": 1})).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e}");
}

#[tokio::test]
async fn operation_time_limit_comes_with_the_reset_time_the_portal_last_gave() {
    // a portal whose second call of a method is over the method's time budget
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let app = axum::Router::new().fallback(move || {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        async move {
            if n == 0 {
                (axum::http::StatusCode::OK, r#"{"result":true,"time":{"operating":470.5,"operating_reset_at":1778747792}}"#)
            } else {
                (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    r#"{"error":"OPERATION_TIME_LIMIT","error_description":"Method is blocked due to operation time limit."}"#,
                )
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::from_webhook(&format!("http://{addr}/rest/1/code/")).unwrap();
    client.call("crm.deal.update", json!({"id": 1})).await.unwrap();
    let e = client
        .call("crm.deal.update", json!({"id": 1}))
        .await
        .unwrap_err();
    let api = e.api().unwrap();
    assert_eq!(
        (&api.code, api.status, api.reset_at),
        (&ErrorCode::OperationTimeLimit, 429, Some(1778747792))
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "not retried: the portal said when"
    );
}

#[tokio::test]
async fn an_order_is_read_with_its_own_method() {
    let (base, portal) = serve(quick()).await;
    let client = oauth(&base, &portal).build().unwrap();
    let order = client.get(Entity::ORDER, 2).await.unwrap();
    assert_eq!(order.title(), Some("Order #2"));
}
