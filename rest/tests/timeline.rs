//! The timeline's own records against the local portal over real HTTP on loopback:
//! configurable activities, content-block sets, badges; layouts refused before they are
//! sent, and refused by the portal with the docs' codes when sent raw; the card draws
//! them and a restEvent click reaches the app.

use std::sync::{Arc, Mutex};

use b24_placement::placement::Entity;
use b24_portal::Portal;
use b24_rest::timeline::{ActivityFields, Badge, Record};
use b24_rest::{Client, Error};
use layout_core::timeline::{
    ActionDto, BodyDto, ButtonType, FooterButtonDto, FooterDto, HeaderDto, IconDto, LayoutDto, LogoDto,
    RestAppLayoutDto, RestEvent, TagDto, TagType, Text, Translated,
};
use layout_core::Rule;
use serde_json::{json, Value};

mod common;

async fn serve() -> (String, Arc<Portal>) {
    common::serve(common::quick()).await
}

fn app_client(base: &str, portal: &Portal) -> Client {
    common::oauth(base, portal).build().unwrap()
}

/// The deal card's page.
async fn card(base: &str) -> String {
    reqwest::get(format!("{base}/portal/crm/deal/details/1/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn layout(title: &str) -> LayoutDto {
    LayoutDto::default()
        .icon(IconDto::default().code("info"))
        .header(HeaderDto::default().title(title).tags([(
            "state".to_owned(),
            TagDto::default().title("<new>").r#type(TagType::warning),
        )]))
        .body(
            BodyDto::default()
                .logo(LogoDto::default().code("document"))
                .blocks([(
                    "note".to_owned(),
                    Text::default().value("Call <back> at 10").into(),
                )]),
        )
        .footer(
            FooterDto::default().buttons([(
                "ok".to_owned(),
                FooterButtonDto::default()
                    .title("Confirm")
                    .r#type(ButtonType::primary)
                    .action(ActionDto::restEvent(
                        RestEvent::default()
                            .id("confirm")
                            .actionParams(json!({"deal": 1}))
                            .animationType(layout_core::timeline::AnimationType::loader),
                    )),
            )]),
        )
}

#[tokio::test]
async fn a_configurable_activity_is_added_read_updated_and_drawn() {
    let (base, portal) = serve().await;
    let client = app_client(&base, &portal);
    let fields = ActivityFields {
        deadline: Some("2026-12-04T10:00:00+03:00".into()),
        ..Default::default()
    };
    let id = client
        .add_configurable_activity(Entity::DEAL, 1, &fields, &layout("Delivery booked"))
        .await
        .unwrap();
    let read = client.configurable_activity(id).await.unwrap();
    assert_eq!((read.owner_type_id, read.owner_id), (2, 1));
    assert_eq!(read.layout, layout("Delivery booked"));
    assert_eq!(read.fields.deadline.as_deref(), Some("2026-12-04T10:00:00+03:00"));
    assert_eq!(read.fields.completed, Some(false));
    // it is an activity of the deal
    let activities = client
        .call(
            "crm.activity.list",
            json!({"filter": {"PROVIDER_ID": "CONFIGURABLE_REST_APP"}}),
        )
        .await
        .unwrap()
        .result;
    assert!(
        activities
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["ID"] == json!(id.to_string())),
        "{activities}"
    );

    client
        .update_configurable_activity(id, &fields, &layout("Delivery moved"))
        .await
        .unwrap();
    assert_eq!(
        client.configurable_activity(id).await.unwrap().layout,
        layout("Delivery moved")
    );

    // the card draws it, escaped
    let page = card(&base).await;
    assert!(page.contains(&format!("data-b24-activity=\"{id}\"")), "{page}");
    assert!(page.contains("Delivery moved"));
    assert!(page.contains("&lt;new&gt;") && page.contains("Call &lt;back&gt; at 10"));
    assert!(!page.contains("<new>"));
    assert!(page.contains("data-b24-rest-event"));
}

#[tokio::test]
async fn a_broken_layout_is_refused_before_it_is_sent_and_by_the_portal_when_sent_raw() {
    let (base, portal) = serve().await;
    let client = app_client(&base, &portal);
    let mut broken = layout("x");
    broken.header.as_mut().unwrap().tags.as_mut().unwrap().insert(
        "a b".into(),
        TagDto::default()
            .title(Translated::languages([("xx", "y")]))
            .r#type(TagType::primary),
    );
    broken.header.as_mut().unwrap().tags.as_mut().unwrap().insert(
        "third".into(),
        TagDto::default().title("z").r#type(TagType::primary),
    );
    let before = portal.counts().0;
    let e = client
        .add_configurable_activity(Entity::DEAL, 1, &ActivityFields::default(), &broken)
        .await
        .unwrap_err();
    let Error::Refused { method, violations } = &e else {
        panic!("{e}")
    };
    assert_eq!(method, "crm.activity.configurable.add");
    let found: Vec<(&str, Rule)> = violations
        .0
        .iter()
        .map(|v| (v.pointer.as_str(), v.rule))
        .collect();
    assert_eq!(
        found,
        [
            ("/layout/header/tags/a b", Rule::KeyWrongSymbols),
            ("/layout/header/tags/a b/title/xx", Rule::WrongLanguage),
            ("/layout/header/tags/third", Rule::TooManyItems),
        ]
    );
    assert_eq!(portal.counts().0, before, "nothing was sent");

    // sent raw, the portal refuses with the docs' codes
    let raw = |layout: Value| {
        client.call(
            "crm.activity.configurable.add",
            json!({"ownerTypeId": 2, "ownerId": 1, "fields": {}, "layout": layout}),
        )
    };
    let mut l = layout("x").to_value();
    l["header"]["tags"]["third"] = json!({"title": "z", "type": "primary"});
    l["header"]["tags"]["fourth"] = json!({"title": "z", "type": "primary"});
    let e = raw(l).await.unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "TOO_MANY_ITEMS");
    let mut l = layout("x").to_value();
    l["header"]["subtitle"] = json!("x");
    assert_eq!(
        raw(l).await.unwrap_err().api().unwrap().code.as_str(),
        "FIELD_IS_REDUNDANT"
    );
    let mut l = layout("x").to_value();
    l["header"]["tags"]["state"]["type"] = json!("lavender");
    assert_eq!(
        raw(l).await.unwrap_err().api().unwrap().code.as_str(),
        "ENUM_FIELD"
    );
    let mut l = layout("x").to_value();
    l.as_object_mut().unwrap().remove("icon");
    assert_eq!(
        raw(l).await.unwrap_err().api().unwrap().code.as_str(),
        "FIELD_IS_REQUIRED"
    );
    let mut l = layout("x").to_value();
    l["body"]["blocks"]["my note"] = json!({"type": "text", "properties": {"value": "x"}});
    assert_eq!(
        raw(l).await.unwrap_err().api().unwrap().code.as_str(),
        "KEY_CONTAIN_WRONG_SYMBOLS"
    );
    // a language code the portal has not installed
    let mut l = layout("x").to_value();
    l["header"]["title"] = json!({"fr": "Appel"});
    let e = raw(l).await.unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "WRONG_LANG");
    assert_eq!(e.api().unwrap().status, 400);
    assert_eq!(
        raw(Value::Null).await.unwrap_err().api().unwrap().code.as_str(),
        "ERROR_EMPTY_LAYOUT"
    );

    // an incoming activity with a deadline: refused by the client, and by the portal
    let fields = ActivityFields {
        is_incoming_channel: Some(true),
        deadline: Some("2026-12-04T10:00:00+03:00".into()),
        ..Default::default()
    };
    let e = client
        .add_configurable_activity(Entity::DEAL, 1, &fields, &layout("x"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Refused { .. }), "{e}");
    let e = client
        .call(
            "crm.activity.configurable.add",
            json!({"ownerTypeId": 2, "ownerId": 1, "fields": {"isIncomingChannel": "Y", "deadline": "2026-12-04T10:00:00+03:00"}, "layout": layout("x")}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.api().unwrap().code.as_str(),
        "INCOMING_ACTIVITY_CAN_NOT_BE_WITH_DEADLINE"
    );

    // a webhook is no app
    let webhook = Client::from_webhook(portal.webhook_url(&base).expose()).unwrap();
    let e = webhook
        .call("crm.activity.configurable.get", json!({"id": 1}))
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "ERROR_WRONG_CONTEXT");
}

#[tokio::test]
async fn content_block_sets_on_a_comment_and_an_activity() {
    let (base, portal) = serve().await;
    let client = app_client(&base, &portal);
    let comment = client
        .add_comment(Entity::DEAL, 1, "Called the client")
        .await
        .unwrap();
    let set = RestAppLayoutDto::from_json(
        r#"{"blocks":{"who":{"type":"withTitle","properties":{"title":"Caller","inline":true,"block":{"type":"text","properties":{"value":"Anna"}}}},"more":{"type":"largeText","properties":{"value":"A long note"}}}}"#,
    )
    .unwrap();
    let record = Record::Timeline(comment);
    assert_eq!(client.layout_blocks(Entity::DEAL, 1, record).await.unwrap(), None);
    client
        .set_layout_blocks(Entity::DEAL, 1, record, &set)
        .await
        .unwrap();
    assert_eq!(
        client.layout_blocks(Entity::DEAL, 1, record).await.unwrap(),
        Some(set.clone())
    );
    let page = card(&base).await;
    assert!(
        page.contains(&format!("data-b24-set=\"timeline:{comment}\"")),
        "{page}"
    );
    assert!(page.contains("data-rest-client-id=\"local.demo\""));
    assert!(page.contains("Caller") && page.contains("A long note"));

    // on another deal's record: not found; on a configurable activity: unsuitable
    let e = client
        .set_layout_blocks(Entity::DEAL, 2, record, &set)
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "NOT_FOUND");
    let id = client
        .add_configurable_activity(Entity::DEAL, 1, &ActivityFields::default(), &layout("x"))
        .await
        .unwrap();
    let e = client
        .set_layout_blocks(Entity::DEAL, 1, Record::Activity(id), &set)
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "UNSUITABLE_ACTIVITY_TYPE_ERROR");
    // an empty set is refused before it is sent; raw, the portal says FIELD_IS_REQUIRED
    let e = client
        .set_layout_blocks(Entity::DEAL, 1, record, &RestAppLayoutDto::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Refused { .. }), "{e}");
    let e = client
        .call(
            "crm.timeline.layout.blocks.set",
            json!({"entityTypeId": 2, "entityId": 1, "timelineId": comment, "layout": {}}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "FIELD_IS_REQUIRED");

    client
        .delete_layout_blocks(Entity::DEAL, 1, record)
        .await
        .unwrap();
    assert_eq!(client.layout_blocks(Entity::DEAL, 1, record).await.unwrap(), None);
    let e = client
        .delete_layout_blocks(Entity::DEAL, 1, record)
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "NOT_FOUND");
}

#[tokio::test]
async fn badges_and_the_activities_that_show_them() {
    let (base, portal) = serve().await;
    let client = app_client(&base, &portal);
    let badge = Badge {
        code: "missedCall".into(),
        title: "Missed call".into(),
        value: Translated::languages([("en", "missed"), ("de", "verpasst")]),
        r#type: TagType::failure,
    };
    assert_eq!(client.add_badge(&badge).await.unwrap(), badge);
    assert_eq!(client.badge("missedCall").await.unwrap(), badge);
    assert_eq!(client.badges().await.unwrap(), vec![badge.clone()]);
    let fields = |code: &str| ActivityFields {
        badge_code: Some(code.into()),
        ..Default::default()
    };
    client
        .add_configurable_activity(Entity::DEAL, 1, &fields("missedCall"), &layout("x"))
        .await
        .unwrap();
    let e = client
        .add_configurable_activity(Entity::DEAL, 1, &fields("nope"), &layout("x"))
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "WRONG_FIELD_VALUE");
    client.delete_badge("missedCall").await.unwrap();
    assert_eq!(
        client
            .badge("missedCall")
            .await
            .unwrap_err()
            .api()
            .unwrap()
            .code
            .as_str(),
        "NOT_FOUND"
    );
    let e = client
        .call("crm.activity.badge.add", json!({"code": "x"}))
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.as_str(), "REQUIRED_ARG_MISSING");
}

#[tokio::test]
async fn a_rest_event_click_reaches_the_app_and_blocks_the_record_until_it_is_updated() {
    let (base, portal) = serve().await;
    // the app's event handler: the forms it gets
    let got: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = got.clone();
    let handler = axum::Router::new().route(
        "/events",
        axum::routing::post(move |body: String| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(body);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, handler).await.unwrap() });
    portal.install_event(&base);
    let client = app_client(&base, &portal);
    client
        .call(
            "event.bind",
            json!({"event": "ONCRMTIMELINEITEMACTION", "handler": format!("{app}/events")}),
        )
        .await
        .unwrap();
    let id = client
        .add_configurable_activity(Entity::DEAL, 1, &ActivityFields::default(), &layout("Click me"))
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let click = |pointer: &str| {
        http.post(format!("{base}/portal/timeline/action"))
            .json(&json!({"target": format!("activity:{id}"), "pointer": pointer}))
            .send()
    };
    assert_eq!(click("/footer/buttons/ok/action").await.unwrap().status(), 200);
    portal.deliveries_settled().await;
    let forms = got.lock().unwrap().clone();
    assert_eq!(forms.len(), 1, "{forms:?}");
    let form: Vec<(String, String)> = form_urlencoded::parse(forms[0].as_bytes()).into_owned().collect();
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    assert_eq!(get("event"), Some("ONCRMTIMELINEITEMACTION"));
    assert_eq!(get("data[id]"), Some("confirm"));
    assert_eq!(get("data[activityId]"), Some(id.to_string().as_str()));
    assert_eq!(get("data[entityTypeId]"), Some("2"));
    assert_eq!(get("data[deal]"), Some("1"));
    // `loader`: the whole record waits for the app
    let page = card(&base).await;
    assert!(page.contains("data-b24-blocked=\"record\""), "{page}");
    client
        .update_configurable_activity(id, &ActivityFields::default(), &layout("Confirmed"))
        .await
        .unwrap();
    let page = card(&base).await;
    assert!(!page.contains("data-b24-blocked") && page.contains("Confirmed"));
    // not an action, or not a restEvent
    assert_eq!(click("/header/title").await.unwrap().status(), 400);
    // deleted as every activity is: gone from the card and from `get`
    client
        .call("crm.activity.delete", json!({"id": id}))
        .await
        .unwrap();
    assert_eq!(
        client
            .configurable_activity(id)
            .await
            .unwrap_err()
            .api()
            .unwrap()
            .code
            .as_str(),
        "NOT_FOUND"
    );
    let page = card(&base).await;
    assert!(!page.contains(&format!("data-b24-activity=\"{id}\"")));
}
