//! The stand-in answers with the documented envelopes, as raw HTTP shows them.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use b24_portal::{router, Config, Portal};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap())
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn lists_pages_errors_and_the_bucket() {
    let portal = Portal::new(Config {
        per_second: 0.001,
        burst: 7.0,
        ..Config::default()
    });
    let app = router(portal.clone());
    let hook = "/rest/1/demowebhookcode";

    let (status, v) = send(&app, get(&format!("{hook}/crm.deal.list.json?start=50"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((v["total"].as_u64(), v["next"].as_u64()), (Some(120), Some(100)));
    assert_eq!(v["result"].as_array().unwrap().len(), 50);
    assert_eq!(v["result"][0]["ID"], "51");
    assert!(v["time"]["duration"].is_number());

    // the fast recipe: no count, no next
    let (_, v) = send(
        &app,
        get(&format!(
            "{hook}/crm.deal.list?start=-1&filter[%3EID]=100&order[ID]=ASC"
        )),
    )
    .await;
    assert_eq!((v["total"].as_u64(), v.get("next")), (Some(0), None));
    assert_eq!(v["result"].as_array().unwrap().len(), 20);

    // a form body, PHP keys
    let req = Request::post(format!("{hook}/crm.item.get"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("entityTypeId=183&id=1"))
        .unwrap();
    let (_, v) = send(&app, req).await;
    assert_eq!(v["result"]["item"]["title"], "Shipment #1");

    let (status, v) = send(&app, get(&format!("{hook}/crm.deal.get?id=0"))).await;
    assert_eq!(
        (status, v["error"].as_str(), v["error_description"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some(""),
            Some("ID is not defined or invalid")
        )
    );
    let (status, v) = send(&app, get(&format!("{hook}/no.such.method"))).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("ERROR_METHOD_NOT_FOUND"))
    );
    let (status, v) = send(&app, get("/rest/1/wrongcode/crm.deal.get?id=1")).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("NO_AUTH_FOUND"))
    );
    let (status, v) = send(&app, get(&format!("{hook}/batch?cmd[a]=batch"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v["result"]["result_error"]["a"]["error"],
        "ERROR_BATCH_METHOD_NOT_ALLOWED"
    );

    // seven calls so far filled the bucket: the next is refused
    let (status, v) = send(&app, get(&format!("{hook}/crm.deal.get?id=1"))).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("QUERY_LIMIT_EXCEEDED"))
    );
    assert_eq!(portal.counts(), (7, 1));
}

#[tokio::test]
async fn tokens_expire_and_refresh_with_rotation() {
    let portal = Portal::new(Config::default());
    let app = router(portal.clone());
    let issued = portal.issue_tokens();
    let call = |token: &str| get(&format!("/rest/crm.deal.get?id=1&auth={token}"));
    let (status, _) = send(&app, call(issued.access_token.expose())).await;
    assert_eq!(status, StatusCode::OK);
    portal.expire_access_tokens();
    let (status, v) = send(&app, call(issued.access_token.expose())).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("expired_token"))
    );
    let refresh = |token: &str, secret: &str| {
        get(&format!(
            "/oauth/token/?grant_type=refresh_token&client_id=local.demo&client_secret={secret}&refresh_token={token}"
        ))
    };
    let (status, v) = send(&app, refresh(issued.refresh_token.expose(), "wrong")).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let (status, v) = send(&app, refresh(issued.refresh_token.expose(), "demo-client-secret")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(&app, call(v["access_token"].as_str().unwrap())).await;
    assert_eq!(status, StatusCode::OK);
    // the old refresh token is spent
    let (status, v) = send(&app, refresh(issued.refresh_token.expose(), "demo-client-secret")).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
}
