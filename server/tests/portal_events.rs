//! The portal's events end to end over real HTTP on loopback: the local portal fires
//! them, the app's `POST /events` verifies and types them, its handlers run, its open
//! frames follow their object; forged events are refused; the offline queue is drained
//! without loss by a consumer killed between fetch and confirm, and the app's own changes
//! do not come back to it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use b24_placement::bind::PlacementBind;
use b24_placement::event::{Action, EventBind, Object, Payload};
use b24_portal::{Config, Portal};
use b24_server::{app_router, Delivered, Lifecycle, Preview, WidgetHost};
use layout_core::command::{Command, Event, ItemState};
use layout_core::widget::Widget;
use layout_core::{LayoutDto, Text};
use serde_json::{json, Value};
use tokio::sync::mpsc;

mod common;

use common::{listen, post};

/// A widget that shows what happened to its object.
struct Follower;

impl Widget for Follower {
    fn view(&self) -> LayoutDto {
        LayoutDto::default().blocks([("t".to_owned(), Text::default().value("as opened").into())])
    }
    fn update(&mut self, event: &Event) -> Vec<Command> {
        match event {
            Event::ObjectChanged { event } => vec![Command::SetLayoutItemState(
                ItemState::new("t").properties(Text::default().value(format!("changed: {event}"))),
            )],
            _ => Vec::new(),
        }
    }
}

/// The app and the local portal on one loopback server (as the demo serves them), with
/// `life` made by `make` from the base URL; the app installed. Gives the base, the portal
/// and the install's application token.
async fn start(make: impl FnOnce(&str) -> Lifecycle) -> (String, Arc<Portal>, String) {
    let portal = Portal::new(Config {
        per_second: 1e6,
        burst: 1e6,
        ..Config::default()
    });
    let (l, base) = listen().await;
    let life = make(&base).cache_ttl(Duration::from_secs(60));
    let app = app_router(WidgetHost::new(|_| Follower), Arc::new(life), Preview::default())
        .merge(b24_portal::router(portal.clone()));
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    let (form, token) = portal.install_event(&base);
    let (status, text) = post(&format!("{base}/install"), form).await;
    assert_eq!(status, 200, "{text}");
    (base, portal, token.expose().to_owned())
}

fn store_name(name: &str) -> String {
    common::sqlite_url(name)
}

async fn call(base: &str, token: &str, method: &str, mut params: Value) -> Value {
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
async fn online_events_are_verified_typed_handled_and_followed_by_open_frames() {
    let (tx, mut rx) = mpsc::unbounded_channel::<Delivered>();
    let store = b24_store::connect(&store_name("online")).await.unwrap();
    let (base, portal, app_token) = start(|base| {
        let local = base.replace("127.0.0.1", "localhost");
        let placement = PlacementBind::new(
            "CRM_DEAL_DETAIL_ACTIVITY".parse().unwrap(),
            format!("{local}/handler"),
            "W",
        )
        .unwrap();
        Lifecycle::new(store, vec![placement])
            .on(
                EventBind::online("ONCRMDEALUPDATE", format!("{local}/events")).unwrap(),
                move |d| {
                    let tx = tx.clone();
                    async move {
                        tx.send(d).map_err(|e| e.to_string())?;
                        Ok(())
                    }
                },
            )
            .on(
                EventBind::online("ONCRMDEALADD", format!("{local}/events")).unwrap(),
                |_| async { panic!("a bug in the handler") },
            )
    })
    .await;
    // bound on install, once
    let bound: Vec<String> = portal.event_bindings().iter().map(|b| b.event.clone()).collect();
    assert_eq!(bound, ["ONCRMDEALUPDATE", "ONCRMDEALADD"]);
    // a registration the app no longer declares (an older version's) is unbound at the
    // next install; what is declared and bound is kept
    let user = portal.issue_tokens().access_token.expose().to_owned();
    let old = json!({"event": "ONCRMLEADADD", "handler": format!("{base}/events")});
    assert_eq!(call(&base, &user, "event.bind", old).await["result"], true);
    let (form, _) = portal.install_event(&base);
    let (_, text) = post(&format!("{base}/install"), form).await;
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["events_bound"], json!([]), "{answer}");
    assert_eq!(answer["events_unbound"], json!(["ONCRMLEADADD"]), "{answer}");
    assert_eq!(portal.event_bindings().len(), 2);
    let app_token = portal
        .application_token()
        .map(|t| t.expose().to_owned())
        .unwrap_or(app_token);

    // a frame open on deal 5, its push stream connected
    let host = base.trim_start_matches("http://").to_owned();
    let opened = portal
        .open("CRM_DEAL_DETAIL_ACTIVITY", Some(5), "", &host)
        .unwrap();
    let url = format!("{}?{}", opened.handler, form_of(&opened.query));
    let page = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_of(&opened.fields))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("\"session\":\"").unwrap() + 11;
    let session = page[start..start + 32].to_owned();
    let mut pushed = reqwest::get(format!("{base}/event?session={session}"))
        .await
        .unwrap();
    assert_eq!(pushed.status(), 200);
    assert_eq!(pushed.headers()["content-type"], "text/event-stream");

    // the deal changes through the portal's REST: the handler gets it, typed
    call(
        &base,
        &user,
        "crm.deal.update",
        json!({"id": 5, "fields": {"TITLE": "Renamed"}}),
    )
    .await;
    let got = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        got.event.change().map(|c| (c.object, c.action, c.id)),
        Some((Object::Deal, Action::Update, 5))
    );
    assert_eq!(got.portal.member_id, Portal::MEMBER_ID);
    assert!(got.client.is_some() && !got.offline);
    // the handler's client works: it reads the deal
    let deal = got
        .client
        .unwrap()
        .call("crm.deal.get", json!({"id": 5}))
        .await
        .unwrap();
    assert_eq!(deal.result["TITLE"], "Renamed");

    // the open frame of deal 5 is told, and its widget's answer is pushed
    let line = tokio::time::timeout(Duration::from_secs(5), async {
        let mut text = String::new();
        while !text.contains("\n\n") {
            let chunk = pushed.chunk().await.unwrap().unwrap();
            text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
        text
    })
    .await
    .unwrap();
    assert!(line.starts_with("data: "), "{line}");
    let command: Value = serde_json::from_str(line["data: ".len()..].trim()).unwrap();
    assert_eq!(command["command"], "setLayoutItemState");
    assert_eq!(
        command["params"],
        json!({"id": "t", "properties": {"value": "changed: ONCRMDEALUPDATE"}})
    );

    // a handler that panics does not take the route down
    call(&base, &user, "crm.deal.add", json!({"fields": {"TITLE": "New"}})).await;
    portal.deliveries_settled().await;
    let statuses: Vec<(String, Option<u16>)> = portal
        .deliveries()
        .iter()
        .map(|d| (d.event.clone(), d.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("ONCRMDEALUPDATE".to_owned(), Some(200)),
            ("ONCRMDEALADD".to_owned(), Some(200))
        ]
    );

    // forged, unknown, malformed
    let sample = |token: &str, member: &str| {
        let auth = b24_placement::event::EventAuth {
            domain: host.clone(),
            member_id: member.to_owned(),
            application_token: Some(b24_placement::Secret::new(token)),
            ..Default::default()
        };
        b24_placement::event::PortalEvent::sample(
            b24_placement::event::EventName::parse("ONCRMDEALUPDATE"),
            5,
            None,
            auth,
        )
        .to_form()
    };
    for (token, member) in [
        ("forged-token", Portal::MEMBER_ID),
        (app_token.as_str(), "another-portal"),
        ("", Portal::MEMBER_ID),
    ] {
        let (status, text) = post(&format!("{base}/events"), sample(token, member)).await;
        assert_eq!(status, 403, "{member}");
        assert!(!text.contains("forged-token") && !text.contains(&app_token));
    }
    let (status, text) = post(&format!("{base}/events"), sample(&app_token, Portal::MEMBER_ID)).await;
    assert_eq!(status, 200, "{text}");
    let (status, text) = post(
        &format!("{base}/events"),
        format!("event=ONCRMDEALUPDATE&auth[domain]={host}&auth[member_id]=local-portal&auth[application_token]={app_token}"),
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (400, "bad event: `data[FIELDS][ID]`: is required")
    );
    let (status, _) = post(&format!("{base}/events"), "x".repeat(70_000)).await;
    assert_eq!(status, 413);
    // the forged events reached no handler: only the genuine one after the panic
    let next = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.event.payload, Payload::Crm(got_change(5)));
    assert!(rx.try_recv().is_err());
}

fn got_change(id: u64) -> b24_placement::event::CrmChange {
    b24_placement::event::CrmChange {
        object: Object::Deal,
        action: Action::Update,
        id,
        entity_type_id: None,
    }
}

fn form_of(pairs: &[(String, String)]) -> String {
    let mut f = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        f.append_pair(k, v);
    }
    f.finish()
}

/// A life cycle on `store` whose offline handler of ONCRMDEALUPDATE (channel `app`)
/// records the deals it handles in `seen`, fails deal 9, and hangs while `hang` is set.
fn consumer(
    store: Arc<dyn b24_store::PortalStore>,
    seen: Arc<Mutex<Vec<u64>>>,
    hang: Arc<AtomicBool>,
) -> Lifecycle {
    Lifecycle::new(store, Vec::new()).on(
        EventBind::offline("ONCRMDEALUPDATE")
            .unwrap()
            .auth_connector("app")
            .unwrap(),
        move |d: Delivered| {
            let (seen, hang) = (seen.clone(), hang.clone());
            async move {
                assert!(d.offline);
                if hang.load(Ordering::SeqCst) {
                    std::future::pending::<()>().await;
                }
                let id = d.event.change().map(|c| c.id).unwrap_or(0);
                if id == 9 {
                    return Err("deal 9 cannot be handled".into());
                }
                seen.lock().unwrap().push(id);
                Ok(())
            }
        },
    )
}

#[tokio::test]
async fn offline_events_survive_a_killed_consumer_and_the_apps_own_changes_do_not_come_back() {
    let seen = Arc::new(Mutex::new(Vec::<u64>::new()));
    let store = b24_store::connect(&store_name("offline")).await.unwrap();
    // the server's consumer is woken by ONOFFLINEEVENT and hangs in its handler: it never
    // confirms, as if its process had died
    let (base, portal, _) = {
        let (store, seen) = (store.clone(), seen.clone());
        start(move |base| {
            let local = base.replace("127.0.0.1", "localhost");
            consumer(store, seen, Arc::new(AtomicBool::new(true))).events([EventBind::online(
                "ONOFFLINEEVENT",
                format!("{local}/events"),
            )
            .unwrap()
            .min_timeout(0)
            .unwrap()])
        })
        .await
    };
    assert!(portal
        .event_bindings()
        .iter()
        .any(|b| b.offline && b.connector.as_deref() == Some("app")));

    // the app's own change goes through its channel: not queued back to it
    let hang = Arc::new(AtomicBool::new(true));
    let second = Arc::new(consumer(store.clone(), seen.clone(), hang.clone()));
    let installed = second.portal(Portal::MEMBER_ID).await.unwrap().unwrap();
    let client = second.client(&installed).unwrap();
    client
        .call(
            "crm.deal.update",
            json!({"id": 2, "fields": {"TITLE": "by the app"}}),
        )
        .await
        .unwrap();
    assert_eq!(portal.offline_waiting(Some("app")), 0);

    // changes made elsewhere are queued; ONOFFLINEEVENT wakes the server's consumer, which
    // reserves them (the reservation stored first) and hangs
    let user = portal.issue_tokens().access_token.expose().to_owned();
    for id in [3, 4, 9] {
        call(
            &base,
            &user,
            "crm.deal.update",
            json!({"id": id, "fields": {"TITLE": "elsewhere"}}),
        )
        .await;
        // spaced out: the consumer is woken before the last change, as on a slow machine
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    // the first signal may come before the last change: it reserves what was queued then
    // (one to three records), and hangs on the first of them
    let reserved = tokio::time::timeout(Duration::from_secs(10), async {
        while portal.offline_waiting(Some("app")) == 3 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        reserved.is_ok(),
        "the consumer was woken and reserved the records"
    );
    let held = store.offline_process(Portal::MEMBER_ID).await.unwrap();
    assert!(
        held.is_some(),
        "the reservation is in the store before anything is handled"
    );

    // another consumer takes the reservation over and is killed mid-handling
    let killed = tokio::spawn({
        let second = second.clone();
        async move { second.drain_offline(Portal::MEMBER_ID).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    killed.abort();
    assert!(killed.await.unwrap_err().is_cancelled());
    assert_eq!(store.offline_process(Portal::MEMBER_ID).await.unwrap(), held);
    assert!(seen.lock().unwrap().is_empty());

    // the next consumer gets the same records back and confirms what succeeded
    hang.store(false, Ordering::SeqCst);
    let third = consumer(store.clone(), seen.clone(), hang.clone());
    let drained = third.drain_offline(Portal::MEMBER_ID).await.unwrap();
    assert_eq!((drained.handled, drained.failed), (2, 1), "{drained:?}");
    let mut ids = seen.lock().unwrap().clone();
    ids.sort();
    assert_eq!(ids, [3, 4]);
    assert_eq!(store.offline_process(Portal::MEMBER_ID).await.unwrap(), None);
    // nothing is left but the record set aside
    let listed = client
        .call("event.offline.list", json!({"auth_connector": "app"}))
        .await
        .unwrap();
    assert_eq!(listed.total, Some(1), "{}", listed.result);
    assert_eq!(listed.result[0]["ERROR"], "1");
    assert_eq!(listed.result[0]["EVENT_DATA"]["FIELDS"]["ID"], "9");
    assert_eq!(third.drain_offline(Portal::MEMBER_ID).await.unwrap().handled, 0);
}

#[tokio::test]
async fn the_app_declared_in_b24_toml_is_bound_on_install() {
    let app = b24_server::app::App::parse(
        r#"[app]
name = "deal-widget"
url = "https://app.example.com"

[[placement]]
code = "CRM_DEAL_DETAIL_ACTIVITY"
handler = "/handler"
title = "Deal comment"
built_in_interface = true

[[event]]
name = "ONCRMDEALUPDATE"
handler = "/events"

[[event]]
name = "ONCRMDEALADD"
offline = true
"#,
    )
    .unwrap();
    let store = b24_store::connect(&store_name("toml")).await.unwrap();
    let (base, portal, _) =
        start(|base| Lifecycle::from_app(store, &app, &base.replace("127.0.0.1", "localhost")).unwrap())
            .await;
    let local = base.replace("127.0.0.1", "localhost");
    let placements = portal.placements();
    assert_eq!(placements.len(), 1);
    assert_eq!(placements[0].handler, format!("{local}/handler"));
    assert_eq!(placements[0].options["useBuiltInInterface"], "Y");
    let events: Vec<(String, String, bool)> = portal
        .event_bindings()
        .into_iter()
        .map(|b| (b.event, b.handler, b.offline))
        .collect();
    assert_eq!(
        events,
        [
            ("ONCRMDEALUPDATE".to_owned(), format!("{local}/events"), false),
            ("ONCRMDEALADD".to_owned(), String::new(), true)
        ]
    );
}

#[tokio::test]
async fn a_stuck_offline_handler_is_stopped_and_its_record_set_aside() {
    let seen = Arc::new(Mutex::new(Vec::<u64>::new()));
    let store = b24_store::connect(&store_name("stuck")).await.unwrap();
    let hang = Arc::new(AtomicBool::new(true));
    let (base, portal, _) = {
        let (store, seen, hang) = (store.clone(), seen.clone(), hang.clone());
        start(move |_| consumer(store, seen, hang).handler_timeout(Duration::from_millis(200))).await
    };
    let user = portal.issue_tokens().access_token.expose().to_owned();
    for id in [5, 6] {
        call(
            &base,
            &user,
            "crm.deal.update",
            json!({"id": id, "fields": {"TITLE": "stuck"}}),
        )
        .await;
    }
    assert_eq!(portal.offline_waiting(Some("app")), 2);
    // a life cycle of the same app drains: each handler hangs, is stopped after 200 ms,
    // and its record is set aside; the drain ends
    let life =
        consumer(store.clone(), seen.clone(), hang.clone()).handler_timeout(Duration::from_millis(200));
    let drained = tokio::time::timeout(Duration::from_secs(10), life.drain_offline(Portal::MEMBER_ID))
        .await
        .expect("the drain ends")
        .unwrap();
    assert_eq!((drained.handled, drained.failed), (0, 2), "{drained:?}");
    assert!(seen.lock().unwrap().is_empty());
    assert_eq!(portal.offline_waiting(Some("app")), 0);
}
