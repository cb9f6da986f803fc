//! What the local portal sends each family's handler: parsed by the toolkit's own reader
//! of handler requests, it is the request the docs describe for that family.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use b24_placement::placement::{Call, Family, KnownPlacement};
use b24_placement::request::{HandlerRequest, PlacementOptions};
use b24_portal::{router, Config, Portal};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn call(app: &axum::Router, uri: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(uri)
        .header("content-type", "application/json")
        .header("host", "127.0.0.1:3000")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_family_gets_its_documented_request() {
    let portal = Portal::new(Config {
        per_second: 1e9,
        burst: 1e9,
        ..Config::default()
    });
    let app = router(portal.clone());
    let (_, app_token) = portal.install_event("http://127.0.0.1:3000");
    let auth = portal.issue_tokens().access_token;
    let all: Vec<KnownPlacement> = KnownPlacement::all(183).collect();
    for p in &all {
        let (status, v) = call(
            &app,
            "/rest/placement.bind",
            json!({"auth": auth.expose(), "PLACEMENT": p.to_string(), "HANDLER": "http://localhost:3000/h", "TITLE": "W"}),
        )
        .await;
        assert_eq!(
            (status, v["result"].clone()),
            (StatusCode::OK, json!(true)),
            "{p}"
        );
    }
    for p in &all {
        let code = p.to_string();
        let (status, opened) = call(
            &app,
            "/portal/open",
            json!({"placement": code, "id": 7, "query": "Daisy"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{code}");
        let pairs = |k: &str| -> Vec<(String, String)> {
            opened[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap().to_owned(),
                        p[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        if p.family().call() == Call::GetWithoutData {
            assert_eq!(
                (
                    opened["method"].as_str(),
                    pairs("query").len(),
                    pairs("fields").len()
                ),
                (Some("GET"), 0, 0),
                "{code}"
            );
            continue;
        }
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs("query"))
            .finish();
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs("fields"))
            .finish();
        let r = HandlerRequest::parse(&body, Some(&query)).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(r.placement.to_string(), code);
        assert_eq!(r.domain, "127.0.0.1:3000");
        assert!(
            r.application_token.as_ref().unwrap().matches(app_token.expose()),
            "{code}"
        );
        assert!(r.uri.is_some(), "{code}: every placement carries URI");
        match p.family() {
            Family::LIST_MENU
            | Family::DETAIL_TAB
            | Family::DETAIL_ACTIVITY
            | Family::DETAIL_TOOLBAR
            | Family::DOCUMENTGENERATOR_BUTTON
            | Family::ACTIVITY_TIMELINE_MENU => {
                assert_eq!(r.options.entity_id(), Some(7), "{code}");
            }
            Family::DETAIL_SEARCH => assert!(
                matches!(r.options, PlacementOptions::Search { ref search_query, .. } if search_query == "Daisy")
            ),
            Family::REQUISITE_AUTOCOMPLETE | Family::BANK_DETAIL_AUTOCOMPLETE => {
                assert_eq!(
                    r.options,
                    PlacementOptions::Query {
                        search_query: "Daisy".into()
                    },
                    "{code}"
                )
            }
            _ => assert_eq!(r.options, PlacementOptions::None, "{code}"),
        }
    }
    // the log lists them all, every token masked
    let req = Request::get("/portal/requests").body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let log: Vec<Value> =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(log.len(), all.len());
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(app_token.expose()) && !text.contains(auth.expose()));
    assert_eq!(log[0]["fields"]["AUTH_ID"], "***");
    // a placement the app has not bound opens nothing
    let (status, _) = call(&app, "/portal/open", json!({"placement": "CRM_NOPE"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_card_shows_what_the_app_bound_for_its_entity() {
    let portal = Portal::new(Config::default());
    let app = router(portal.clone());
    let auth = portal.issue_tokens().access_token;
    for code in [
        "CRM_DEAL_DETAIL_TAB",
        "CRM_DEAL_DETAIL_TOOLBAR",
        "CRM_LEAD_DETAIL_TAB",
    ] {
        call(&app, "/rest/placement.bind", json!({"auth": auth.expose(), "PLACEMENT": code, "HANDLER": "http://localhost/h", "TITLE": "<My tab>"})).await;
    }
    let req = Request::get("/portal/crm/deal/details/3/")
        .body(Body::empty())
        .unwrap();
    let page = String::from_utf8(
        app.oneshot(req)
            .await
            .unwrap()
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(page.contains(r#"data-b24-placement="CRM_DEAL_DETAIL_TAB" data-id="3""#));
    assert!(page.contains(r#"data-b24-placement="CRM_DEAL_DETAIL_TOOLBAR""#));
    assert!(!page.contains("CRM_LEAD_DETAIL_TAB"), "another entity's tab");
    assert!(
        page.contains("&lt;My tab&gt;") && !page.contains("<My tab>"),
        "titles escaped"
    );
}

#[tokio::test]
async fn every_bound_code_is_on_a_page_where_bitrix24_puts_it() {
    let portal = Portal::new(Config {
        per_second: 1e9,
        burst: 1e9,
        ..Config::default()
    });
    let app = router(portal.clone());
    let auth = portal.issue_tokens().access_token;
    let all: Vec<String> = KnownPlacement::all(183).map(|p| p.to_string()).collect();
    for code in &all {
        call(
            &app,
            "/rest/placement.bind",
            json!({"auth": auth.expose(), "PLACEMENT": code, "HANDLER": "http://localhost/h", "TITLE": "W"}),
        )
        .await;
    }
    // from the home, by links alone, as a new user finds them
    let mut queue: std::collections::VecDeque<String> = ["/portal/".to_owned()].into();
    let mut seen = std::collections::BTreeSet::new();
    let mut found = std::collections::BTreeSet::new();
    while let Some(page) = queue.pop_front() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let req = Request::get(page.as_str()).body(Body::empty()).unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{page}");
        let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        for part in html.split("data-b24-placement=\"").skip(1) {
            found.insert(part.split('"').next().unwrap().to_owned());
        }
        for part in html.split("href=\"").skip(1) {
            let link = part.split('"').next().unwrap();
            let link = match link.strip_prefix('?') {
                // a page of the same list
                Some(q) => format!("{}?{q}", page.split('?').next().unwrap()),
                None => link.to_owned(),
            };
            // the pages, not the JSON logs or the assets; a list's first pages only
            let page_n: u32 = link
                .split("page=")
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            if link.starts_with("/portal/")
                && !link.starts_with("/portal/requests")
                && !link.starts_with("/portal/events")
                && !link.starts_with("/portal/assets")
                && page_n <= 2
            {
                queue.push_back(link);
            }
        }
    }
    assert!(seen.len() > 20, "{seen:?}");
    let missing: Vec<&String> = all.iter().filter(|c| !found.contains(*c)).collect();
    assert!(missing.is_empty(), "placements on no page: {missing:?}");
}

/// The PLACEMENT_OPTIONS keys of a form body.
fn option_keys(body: &str) -> std::collections::BTreeSet<String> {
    let options = form_urlencoded::parse(body.trim().as_bytes())
        .find(|(k, _)| k == "PLACEMENT_OPTIONS")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    match serde_json::from_str::<Value>(&options) {
        Ok(Value::Object(o)) => o.keys().cloned().collect(),
        _ => Default::default(),
    }
}

#[tokio::test]
async fn the_portal_sends_what_the_docs_samples_show() {
    // each of the docs' 57 handler samples: the portal's request for the same code has the
    // same fields, and the same PLACEMENT_OPTIONS keys (plus the URI the current docs add)
    let portal = Portal::new(Config {
        per_second: 1e9,
        burst: 1e9,
        ..Config::default()
    });
    let app = router(portal.clone());
    portal.install_event("http://127.0.0.1:3000");
    let auth = portal.issue_tokens().access_token;
    let dir = format!("{}/../tests/fixtures/placements", env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "form") {
            continue;
        }
        let sample = std::fs::read_to_string(&path).unwrap();
        let code = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .split_once('-')
            .unwrap()
            .1
            .to_owned();
        call(
            &app,
            "/rest/placement.bind",
            json!({"auth": auth.expose(), "PLACEMENT": code, "HANDLER": "http://localhost/h", "TITLE": "W"}),
        )
        .await;
        let (status, opened) = call(&app, "/portal/open", json!({"placement": code, "id": 1})).await;
        assert_eq!(status, StatusCode::OK, "{code}");
        let pairs: Vec<(String, String)> = opened["query"]
            .as_array()
            .unwrap()
            .iter()
            .chain(opened["fields"].as_array().unwrap())
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let ours: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        // the sample's fields are all there (the current docs add SERVER_ENDPOINT and the rest)
        let names = |body: &str| {
            form_urlencoded::parse(body.trim().as_bytes())
                .map(|(k, _)| k.into_owned())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let (theirs, mine) = (names(&sample), names(&ours));
        let missing: Vec<&String> = theirs.iter().filter(|k| !mine.contains(*k)).collect();
        assert!(
            missing.is_empty(),
            "{code}: the sample has {missing:?}, the portal does not send them"
        );
        // the sample's option keys are all sent; a timeline record's optional keys may be left
        let mut expected = option_keys(&sample);
        expected.retain(|k| !matches!(k.as_str(), "TYPE_ID" | "TYPE_CATEGORY_ID" | "TIMELINE_ITEM_ID"));
        let sent = option_keys(&ours);
        // a DETAIL_ACTIVITY sample of the built-in interface has its own keys: the portal
        // opens the slider form (ID)
        if !expected.contains("entityId") {
            let missing: Vec<&String> = expected.iter().filter(|k| !sent.contains(*k)).collect();
            assert!(
                missing.is_empty(),
                "{code}: options {missing:?} of the sample not sent ({sent:?})"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 57);
}

/// What the CRM holds reaches the pages escaped: a deal's title, a comment, a user
/// field's value, on the list, the card, the kanban.
#[tokio::test]
async fn the_pages_escape_what_the_crm_holds() {
    let portal = Portal::new(Config {
        per_second: 1e9,
        burst: 1e9,
        ..Config::default()
    });
    let app = router(portal.clone());
    let hook = portal.webhook_url("").expose().to_owned();
    let evil = "<script>alert(1)</script>\"'&";
    let (status, _) = call(
        &app,
        &format!("{hook}crm.deal.update"),
        json!({"id": 1, "fields": {"TITLE": evil, "UF_CRM_DELIVERY_NOTE": evil}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        &format!("{hook}crm.timeline.comment.add"),
        json!({"fields": {"ENTITY_ID": 1, "ENTITY_TYPE": "deal", "COMMENT": evil}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for page in [
        "/portal/crm/deal/list/",
        "/portal/crm/deal/details/1/",
        "/portal/crm/deal/kanban/",
    ] {
        let res = app
            .clone()
            .oneshot(Request::get(page).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{page}");
        let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(
            !html.contains("<script>alert"),
            "{page} lets a title through unescaped"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page} does not show it"
        );
    }
}
