//! The portal raises its CRM's changes as events: online, POSTed to the handlers bound
//! for them over real HTTP (the documented form, the install's application token), and
//! offline, queued with the documented semantics.

use std::sync::{Arc, Mutex};

use axum::routing::post;
use b24_placement::event::{Action, EventName, Object, Payload, PortalEvent};
use b24_portal::{router, Config, Portal};
use serde_json::{json, Value};

/// The portal on loopback, installed (so that it sends events), with an app that records
/// every event it is sent; gives the portal, its base URL, an access token and the
/// received events.
async fn start() -> (Arc<Portal>, String, String, Arc<Mutex<Vec<PortalEvent>>>) {
    let portal = Portal::new(Config {
        per_second: 1000.0,
        burst: 1000.0,
        ..Config::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = router(portal.clone()).route(
        "/app/events",
        post(move |body: String| {
            let sink = sink.clone();
            async move {
                let event = PortalEvent::parse(&body).expect("the portal sends well-formed events");
                let bad = event.name.to_string() == "ONCRMLEADADD";
                sink.lock().unwrap().push(event);
                if bad {
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    axum::http::StatusCode::OK
                }
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let _ = portal.install_event(&base);
    let token = portal.issue_tokens().access_token.expose().to_owned();
    (portal, base, token, got)
}

async fn call(base: &str, token: &str, method: &str, params: Value) -> Value {
    let mut params = params;
    params["auth"] = json!(token);
    reqwest::Client::new()
        .post(format!("{base}/rest/{method}"))
        .json(&params)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn changes_reach_the_online_handlers_bound_for_them() {
    let (portal, base, token, got) = start().await;
    let handler = format!("{base}/app/events");
    for event in [
        "ONCRMDEALUPDATE",
        "ONCRMDEALADD",
        "ONCRMLEADADD",
        "ONCRMDYNAMICITEMUPDATE_183",
        "ONCRMTIMELINECOMMENTADD",
    ] {
        let v = call(
            &base,
            &token,
            "event.bind",
            json!({"event": event, "handler": handler}),
        )
        .await;
        assert_eq!(v["result"], true, "{event}: {v}");
    }
    // bound twice: refused, as Bitrix24 does
    let v = call(
        &base,
        &token,
        "event.bind",
        json!({"event": "ONCRMDEALUPDATE", "handler": handler}),
    )
    .await;
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .contains("Unable to set event handler"),
        "{v}"
    );
    let v = call(
        &base,
        &token,
        "event.bind",
        json!({"event": "ONCRMDEALUPDTE", "handler": handler}),
    )
    .await;
    assert_eq!(v["error"], "ERROR_EVENT_NOT_FOUND");
    let v = call(&base, &token, "event.get", json!({})).await;
    assert_eq!(v["result"].as_array().unwrap().len(), 5);
    assert_eq!(
        v["result"][0],
        json!({"event": "ONCRMDEALUPDATE", "handler": handler, "auth_type": "0", "offline": 0})
    );

    // a change, an unchanged update (no event), an add, a lead whose handler fails, an
    // item of type 183, a comment
    call(
        &base,
        &token,
        "crm.deal.update",
        json!({"id": 7, "fields": {"TITLE": "Renamed"}}),
    )
    .await;
    call(
        &base,
        &token,
        "crm.deal.update",
        json!({"id": 7, "fields": {"TITLE": "Renamed"}}),
    )
    .await;
    let added = call(&base, &token, "crm.deal.add", json!({"fields": {"TITLE": "New"}})).await;
    assert_eq!(added["result"], 121);
    call(&base, &token, "crm.lead.add", json!({"fields": {"TITLE": "L"}})).await;
    call(
        &base,
        &token,
        "crm.item.update",
        json!({"entityTypeId": 183, "id": 2, "fields": {"title": "Moved"}}),
    )
    .await;
    call(
        &base,
        &token,
        "crm.timeline.comment.add",
        json!({"fields": {"ENTITY_ID": 1, "ENTITY_TYPE": "deal", "COMMENT": "hi"}}),
    )
    .await;
    portal.deliveries_settled().await;

    let got = got.lock().unwrap().clone();
    let seen: Vec<(String, u64)> = got
        .iter()
        .map(|e| (e.name.to_string(), e.change().map(|c| c.id).unwrap_or(0)))
        .collect();
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            ("ONCRMDEALADD".to_owned(), 121),
            ("ONCRMDEALUPDATE".to_owned(), 7),
            ("ONCRMDYNAMICITEMUPDATE_183".to_owned(), 2),
            ("ONCRMLEADADD".to_owned(), 4),
            ("ONCRMTIMELINECOMMENTADD".to_owned(), 2),
        ]
    );
    let update = got
        .iter()
        .find(|e| e.name.to_string() == "ONCRMDEALUPDATE")
        .unwrap();
    assert_eq!(update.auth.application_token, portal.application_token());
    assert_eq!(update.auth.member_id, Portal::MEMBER_ID);
    assert!(update.auth.access_token.is_some() && update.event_handler_id == Some(1));
    let item = got
        .iter()
        .find(|e| e.name.to_string().starts_with("ONCRMDYNAMICITEM"))
        .unwrap();
    assert_eq!(
        item.payload,
        Payload::Crm(b24_placement::event::CrmChange {
            object: Object::Item,
            action: Action::Update,
            id: 2,
            entity_type_id: Some(183)
        })
    );

    // the log: every delivery with its answer, no token
    let log: Vec<Value> = reqwest::get(format!("{base}/portal/events"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log.len(), 5);
    let lead = log.iter().find(|d| d["event"] == "ONCRMLEADADD").unwrap();
    assert_eq!(lead["status"], 500);
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(portal.application_token().unwrap().expose()));
    assert!(!text.contains(&token));

    // unbound: no more deliveries
    let v = call(
        &base,
        &token,
        "event.unbind",
        json!({"event": "ONCRMDEALUPDATE", "handler": handler}),
    )
    .await;
    assert_eq!(v["result"]["count"], 1);
    call(
        &base,
        &token,
        "crm.deal.update",
        json!({"id": 8, "fields": {"TITLE": "Again"}}),
    )
    .await;
    portal.deliveries_settled().await;
    assert_eq!(portal.deliveries().len(), 5);
    assert!(EventName::parse(log[0]["event"].as_str().unwrap()).is_known());
}

#[tokio::test]
async fn the_offline_queue_keeps_the_latest_change_reserves_and_clears() {
    let (portal, base, token, got) = start().await;
    let handler = format!("{base}/app/events");
    call(
        &base,
        &token,
        "event.bind",
        json!({"event": "ONCRMDEALUPDATE", "event_type": "offline"}),
    )
    .await;
    call(
        &base,
        &token,
        "event.bind",
        json!({"event": "ONCRMDEALUPDATE", "event_type": "offline", "auth_connector": "app"}),
    )
    .await;
    call(
        &base,
        &token,
        "event.bind",
        json!({"event": "ONOFFLINEEVENT", "handler": handler, "options": {"minTimeout": 0}}),
    )
    .await;

    // a deal changed three times is one record; another deal is another
    for title in ["a", "b", "c"] {
        call(
            &base,
            &token,
            "crm.deal.update",
            json!({"id": 3, "fields": {"TITLE": title}}),
        )
        .await;
    }
    call(
        &base,
        &token,
        "crm.deal.update",
        json!({"id": 4, "fields": {"TITLE": "x"}}),
    )
    .await;
    // the app's own change through its channel: not queued back to that channel
    call(
        &base,
        &token,
        "crm.deal.update",
        json!({"id": 5, "fields": {"TITLE": "mine"}, "auth_connector": "app"}),
    )
    .await;
    assert_eq!(portal.offline_waiting(None), 3);
    assert_eq!(portal.offline_waiting(Some("app")), 2);
    portal.deliveries_settled().await;
    assert!(got
        .lock()
        .unwrap()
        .iter()
        .any(|e| e.payload == Payload::OfflineQueued));

    // reserve two under a process; a crash before the clear: asked again, they come back
    let v = call(
        &base,
        &token,
        "event.offline.get",
        json!({"clear": 0, "limit": 2}),
    )
    .await;
    let pid = v["result"]["process_id"].as_str().unwrap().to_owned();
    let events = v["result"]["events"].as_array().unwrap().clone();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["EVENT_NAME"], "ONCRMDEALUPDATE");
    assert_eq!(events[0]["EVENT_DATA"], json!({"FIELDS": {"ID": "3"}}));
    // another process does not get them
    let other = call(
        &base,
        &token,
        "event.offline.get",
        json!({"clear": 0, "limit": 50}),
    )
    .await;
    assert_eq!(other["result"]["events"].as_array().unwrap().len(), 1);
    let again = call(
        &base,
        &token,
        "event.offline.get",
        json!({"clear": 0, "process_id": pid}),
    )
    .await;
    assert_eq!(again["result"]["events"], json!(events));
    // one fails, one is done
    let failed = events[1]["MESSAGE_ID"].clone();
    call(
        &base,
        &token,
        "event.offline.error",
        json!({"process_id": pid, "message_id": [failed]}),
    )
    .await;
    call(
        &base,
        &token,
        "event.offline.clear",
        json!({"process_id": pid, "id": [events[0]["ID"]]}),
    )
    .await;
    let listed = call(&base, &token, "event.offline.list", json!({})).await;
    assert_eq!(listed["total"], 2, "{listed}");
    let errors = call(
        &base,
        &token,
        "event.offline.list",
        json!({"filter": {"ERROR": 1}}),
    )
    .await;
    assert_eq!(errors["result"][0]["MESSAGE_ID"], failed);
    // the set-aside record comes back only when asked for
    let v = call(&base, &token, "event.offline.get", json!({"error": 1})).await;
    assert_eq!(v["result"]["events"].as_array().unwrap().len(), 1);
    let v = call(&base, &token, "event.offline.clear", json!({})).await;
    assert_eq!(v["error"], "ERROR_ARGUMENT");
    // the webhook has no app context
    let hook = portal.webhook_url(&base);
    let v: Value = reqwest::get(format!("{}event.offline.get", hook.expose()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["error"], "WRONG_AUTH_TYPE");
}

#[tokio::test]
async fn a_change_made_on_the_portals_pages_raises_its_events_too() {
    let (portal, base, token, got) = start().await;
    let handler = format!("{base}/app/events");
    for event in ["ONCRMDEALUPDATE", "ONCRMTIMELINECOMMENTADD"] {
        call(
            &base,
            &token,
            "event.bind",
            json!({"event": event, "handler": handler}),
        )
        .await;
    }
    let page = reqwest::get(format!("{base}/portal/crm/deal/details/6/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("value=\"Deal #6\""),
        "the card's form shows the title"
    );
    // the card's two forms, as the page posts them: its fields, then a comment
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for form in [
        "_form=fields&TITLE=Saved+%3Con+the+page%3E",
        "_form=comment&COMMENT=Called",
    ] {
        let saved = http
            .post(format!("{base}/portal/crm/deal/details/6/"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        assert_eq!(saved.headers()["location"], "/portal/crm/deal/details/6/");
    }
    portal.deliveries_settled().await;
    let mut names: Vec<String> = got.lock().unwrap().iter().map(|e| e.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["ONCRMDEALUPDATE", "ONCRMTIMELINECOMMENTADD"]);
    // the REST side sees it; the page shows it escaped
    let deal = call(&base, &token, "crm.deal.get", json!({"id": 6})).await;
    assert_eq!(deal["result"]["TITLE"], "Saved <on the page>");
    let page = reqwest::get(format!("{base}/portal/crm/deal/details/6/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"Saved &lt;on the page&gt;\""), "{page}");
    assert_eq!(portal.comments("deal", 6), ["Called"]);
}
