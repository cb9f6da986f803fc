//! The demo's async widget in plain Rust: opened from a handler request against the local
//! portal over loopback, driven by the async harness, no browser.

#[path = "../examples/demo.rs"]
mod demo;

use std::sync::Arc;

use b24_widgets::command::{Command, Event};
use b24_widgets::portal::{Config, Portal};
use b24_widgets::request::HandlerRequest;
use b24_widgets::widget::{AsyncHarness, Delivered};

async fn portal(config: Config) -> (String, Arc<Portal>) {
    let portal = Portal::new(config);
    let app = b24_widgets::portal::router(portal.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr.to_string(), portal)
}

fn request(host: &str, portal: &Portal) -> HandlerRequest {
    let issued = portal.issue_tokens();
    let body = format!(
        "DOMAIN={host}&PROTOCOL=0&LANG=en&member_id=local&AUTH_ID={}&REFRESH_ID={}\
         &SERVER_ENDPOINT=http%3A%2F%2F{host}%2Frest%2F&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY\
         &PLACEMENT_OPTIONS=%7B%22ID%22%3A%222%22%7D",
        issued.access_token.expose(),
        issued.refresh_token.expose()
    );
    HandlerRequest::parse(&body, None).unwrap()
}

fn names(d: &Delivered) -> Vec<&'static str> {
    match d {
        Delivered::Sent(c) => c.iter().map(Command::name).collect(),
        Delivered::Dropped(why) => vec![why],
    }
}

#[tokio::test]
async fn it_reads_its_deal_and_adds_a_comment() {
    let (host, portal) = portal(Config::default()).await;
    let widget = demo::DealWidget::open(request(&host, &portal)).await.unwrap();
    let mut h = AsyncHarness::start(widget).unwrap();
    let layout = h.state.layout_json().unwrap();
    assert_eq!(
        layout["blocks"]["deal"]["properties"]["blocks"]["title"]["properties"]["value"],
        "Deal #2"
    );

    // nothing written: the error on the field, nothing saved
    let d = h.send(Event::PrimaryButtonClick).await.unwrap();
    assert_eq!(names(&d), ["setLayoutItemState"]);
    assert!(portal.comments("deal", 2).is_empty());

    h.send(Event::ValueChange {
        id: "comment".into(),
        value: "Met at the fair".into(),
    })
    .await
    .unwrap();
    let d = h.send(Event::PrimaryButtonClick).await.unwrap();
    assert_eq!(
        names(&d),
        [
            "lock",
            "setLayoutItemState",
            "setPrimaryButtonState",
            "unlock",
            "setPrimaryButtonState",
            "finish"
        ]
    );
    assert_eq!(portal.comments("deal", 2), ["Met at the fair"]);
    assert!(h.state.finished && !h.state.locked);
    // a finished widget takes no more clicks
    assert_eq!(
        h.send(Event::PrimaryButtonClick).await.unwrap(),
        Delivered::Dropped("the widget is finished")
    );
}

/// The deal's user fields: the level shown by its label, VIP written through a checked
/// write.
#[tokio::test]
async fn it_reads_and_writes_the_deals_user_fields() {
    let (host, portal) = portal(Config::default()).await;
    let widget = demo::DealWidget::open(request(&host, &portal)).await.unwrap();
    let mut h = AsyncHarness::start(widget).unwrap();
    let layout = h.state.layout_json().unwrap();
    let details = &layout["blocks"]["details"]["properties"]["blocks"];
    // deal 2 is a Bronze customer (item 11) in the demo's data
    assert_eq!(details["level"]["properties"]["value"], "Customer level: Bronze");
    let d = h
        .send(Event::Layout {
            id: "vip".into(),
            value: "markVip".into(),
        })
        .await
        .unwrap();
    assert_eq!(names(&d), ["setLayoutItemState"]);
    let layout = h.state.layout_json().unwrap();
    assert_eq!(
        layout["blocks"]["details"]["properties"]["blocks"]["vip"]["properties"]["text"],
        "VIP"
    );
    let webhook = portal.webhook_url(&format!("http://{host}"));
    let deal = b24_widgets::rest::Client::from_webhook(webhook.expose())
        .unwrap()
        .call("crm.deal.get", serde_json::json!({"id": 2}))
        .await
        .unwrap()
        .result;
    assert_eq!(deal["UF_CRM_VIP"], "Y");
}

#[tokio::test]
async fn a_rest_error_shows_on_the_field() {
    // a portal whose app credentials differ: an expired token cannot be refreshed
    let (host, portal) = portal(Config {
        client_secret: b24_widgets::Secret::new("other"),
        ..Config::default()
    })
    .await;
    let widget = demo::DealWidget::open(request(&host, &portal)).await.unwrap();
    let mut h = AsyncHarness::start(widget).unwrap();
    h.send(Event::ValueChange {
        id: "comment".into(),
        value: "x".into(),
    })
    .await
    .unwrap();
    portal.expire_access_tokens();
    h.send(Event::PrimaryButtonClick).await.unwrap();
    let layout = h.state.layout_json().unwrap();
    let error = layout["blocks"]["comment"]["properties"]["errorText"]
        .as_str()
        .unwrap();
    assert_eq!(
        error,
        "Not saved: refreshing the access token failed: invalid_client: invalid client"
    );
    assert!(
        !h.state.locked && !h.state.finished,
        "unlocked, still open for another try"
    );
    assert!(portal.comments("deal", 2).is_empty());
}

#[tokio::test]
async fn a_deal_that_cannot_be_read_does_not_open() {
    let (host, portal) = portal(Config::default()).await;
    let mut request = request(&host, &portal);
    request.options = b24_widgets::request::PlacementOptions::Id { id: 99999 };
    let e = demo::DealWidget::open(request).await.err().unwrap();
    assert_eq!(e.to_string(), "crm.deal.get: Not found");
}

/// The demo's record in deal 1's timeline: written at install, drawn on the card; its
/// `confirm` button reaches the app (onCrmTimelineItemAction), which updates the record.
#[tokio::test]
async fn the_demo_writes_its_timeline_record_and_answers_its_button() {
    let dir = std::env::temp_dir().join(format!("b24-demo-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("app.db"));
    let store = b24_store::connect(&format!("sqlite://{}", dir.join("app.db").display()))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let portal = demo::start(listener, std::time::Duration::ZERO, store)
        .await
        .unwrap();
    let card = || async {
        reqwest::get(format!("{base}/portal/crm/deal/details/1/"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let page = card().await;
    assert!(page.contains("data-b24-activity="), "{page}");
    assert!(
        page.contains("Delivery booked") && page.contains("tl-tag-warning\">booked"),
        "{page}"
    );
    // the record's button: the portal tells the app, the app updates the record
    let id = page
        .split("data-b24-activity=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let clicked = reqwest::Client::new()
        .post(format!("{base}/portal/timeline/action"))
        .json(&serde_json::json!({"target": format!("activity:{id}"), "pointer": "/footer/buttons/confirm/action"}))
        .send()
        .await
        .unwrap();
    assert_eq!(clicked.status(), 200);
    // its other button opens the app's page in a slider, with the record's context
    let opened: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/portal/timeline/open"))
        .json(&serde_json::json!({"target": format!("activity:{id}"), "pointer": "/footer/buttons/details/action"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(opened["handler"].as_str().unwrap().ends_with("/echo"), "{opened}");
    let fields = opened["fields"].as_array().unwrap();
    let field = |k: &str| {
        fields
            .iter()
            .find(|p| p[0] == k)
            .map(|p| p[1].as_str().unwrap().to_owned())
    };
    assert_eq!(field("PLACEMENT").as_deref(), Some("DEFAULT"));
    let options: serde_json::Value = serde_json::from_str(&field("PLACEMENT_OPTIONS").unwrap()).unwrap();
    assert_eq!(
        options,
        serde_json::json!({"entityTypeId": 2, "entityId": 1, "activityId": id.parse::<u64>().unwrap()})
    );
    portal.deliveries_settled().await;
    // the app answers the event at once and runs its handler after: the card is read
    // until the handler's update shows (5 s at most)
    let mut page = card().await;
    for _ in 0..50 {
        if page.contains("tl-tag-success\">confirmed") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        page = card().await;
    }
    assert!(page.contains("tl-tag-success\">confirmed"), "{page}");
    assert!(
        !page.contains("data-b24-blocked"),
        "the update released the loader"
    );
    assert_eq!(demo::delivery("x", true).validate(), Ok(()));
}
