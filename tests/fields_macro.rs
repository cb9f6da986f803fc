//! `crm::fields!` checked against the workspace's snapshot of the local portal's fields
//! (`b24-fields.json`), then written to the local portal over loopback: what compiles is
//! what the portal keeps.

use b24_widgets::crm::{fields, Currency, Deal, Decimal, Money, NaiveDate, Object};
use b24_widgets::placement::Entity;
use b24_widgets::portal::{Config, Portal};
use b24_widgets::rest::Client;
use serde_json::json;

async fn client() -> Client {
    let portal = Portal::new(Config::default());
    let app = b24_widgets::portal::router(portal.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::from_webhook(portal.webhook_url(&format!("http://{addr}")).expose()).unwrap()
}

#[tokio::test]
async fn what_compiles_is_what_the_portal_keeps() {
    let client = client().await;
    let closes = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let budget: Money = "2500.75|EUR".parse().unwrap();
    let weight = Decimal::new(1250, 2);
    let write = fields!(update deal {
        TITLE: "Delivery to the warehouse",
        OPPORTUNITY: 1200.50,
        CURRENCY_ID: (Currency::new("EUR").unwrap()),
        CLOSEDATE: closes,
        CONTACT_IDS: [1, 2],
        UF_CRM_LEVEL: "Gold",
        UF_CRM_VIP: true,
        UF_CRM_WEIGHT: weight,
        UF_CRM_BUDGET: budget,
        UF_CRM_DELIVERY_DATE: closes,
        UF_CRM_DELIVERY_NOTE: (format!("Gate {}", 4)),
        UF_CRM_PARTNER: "CO_3",
    });
    assert_eq!(
        serde_json::Value::Object(write.clone()),
        json!({
            "TITLE": "Delivery to the warehouse", "OPPORTUNITY": "1200.50", "CURRENCY_ID": "EUR",
            "CLOSEDATE": "2026-12-31", "CONTACT_IDS": [1, 2], "UF_CRM_LEVEL": "13", "UF_CRM_VIP": "Y",
            "UF_CRM_WEIGHT": "12.50", "UF_CRM_BUDGET": "2500.75|EUR", "UF_CRM_DELIVERY_DATE": "2026-12-31",
            "UF_CRM_DELIVERY_NOTE": "Gate 4", "UF_CRM_PARTNER": "CO_3"
        })
    );
    // the client checks it again against the portal's own fields, and sends it
    client.update_fields(Entity::DEAL, 3, &write).await.unwrap();
    let deal: Deal = client.get_as(Entity::DEAL, 3).await.unwrap();
    assert_eq!(deal.title.as_deref(), Some("Delivery to the warehouse"));
    assert_eq!(deal.amount().unwrap().to_string(), "1200.50|EUR");
    assert_eq!(deal.closedate, Some(closes));
    assert_eq!(deal.contact_ids, Some(vec![1, 2]));
    let schema = client.fields(Entity::DEAL).await.unwrap();
    assert_eq!(deal.user_fields.label("UF_CRM_LEVEL", &schema), Some("Gold"));
    assert_eq!(deal.user_fields.get_as::<bool>("UF_CRM_VIP"), Some(true));
    assert_eq!(deal.user_fields.get_as::<Money>("UF_CRM_BUDGET"), Some(budget));
    assert_eq!(
        deal.user_fields.get_as::<NaiveDate>("UF_CRM_DELIVERY_DATE"),
        Some(closes)
    );
    assert!(deal.other.is_empty(), "{:?}", deal.other);

    // an add: what the company requires is there
    let id = client
        .add_fields(
            Entity::COMPANY,
            &fields!(add company { TITLE: "Umbrella", IS_MY_COMPANY: false }),
        )
        .await
        .unwrap();
    let company: b24_widgets::crm::Company = client.get_as(Entity::COMPANY, id).await.unwrap();
    assert_eq!(company.title.as_deref(), Some("Umbrella"));
    assert_eq!(company.is_my_company, Some(false));

    // a custom type's item, in crm.item's spelling, its own user fields included
    let weight = Decimal::new(985, 1);
    let write = fields!(update item(183) {
        title: "Shipment to Lisbon",
        opened: true,
        ufCrm5Route: "Porto - Lisbon",
        ufCrm5Weight: weight,
    });
    client
        .update_fields(Entity::DYNAMIC(183), 1, &write)
        .await
        .unwrap();
    let item: b24_widgets::crm::Item = client.get_as(Entity::DYNAMIC(183), 1).await.unwrap();
    assert_eq!(item.title.as_deref(), Some("Shipment to Lisbon"));
    assert_eq!(item.opened, Some(true));
    assert_eq!(item.user_fields.text("UF_CRM_5_ROUTE"), Some("Porto - Lisbon"));
    assert_eq!(item.user_fields.get_as::<Decimal>("ufCrm5Weight"), Some(weight));
    // and in their original spelling, as useOriginalUfNames=Y asks
    let original = client
        .call(
            "crm.item.get",
            json!({"entityTypeId": 183, "id": 1, "useOriginalUfNames": "Y"}),
        )
        .await
        .unwrap()
        .result;
    assert_eq!(original["item"]["UF_CRM_5_ROUTE"], "Porto - Lisbon");
    assert_eq!(b24_widgets::crm::Item::FIELDS[0].upper, "ID");
}
