//! Writes checked against the portal's own fields, against the local portal over
//! loopback: what Bitrix24 would ignore without a word is refused before it is sent.

mod common;

use b24_crm::Problem;
use b24_placement::placement::Entity;
use b24_rest::Error;
use serde_json::{json, Map, Value};

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[tokio::test]
async fn misspelt_read_only_and_wrongly_typed_writes_are_refused_before_they_are_sent() {
    let (base, portal) = common::serve(common::quick()).await;
    let client = common::oauth(&base, &portal).build().unwrap();
    let schema = client.fields(Entity::DEAL).await.unwrap();
    let level = schema.field("UF_CRM_LEVEL").unwrap();
    assert_eq!(
        level.items.iter().map(|i| i.value.as_str()).collect::<Vec<_>>(),
        ["Bronze", "Silver", "Gold"]
    );
    assert!(schema.fields["ID"].is_read_only);
    let before = portal.counts().0;
    let e = client
        .update_fields(
            Entity::DEAL,
            1,
            &fields(json!({"TITEL": "x", "ID": 9, "OPPORTUNITY": "lots", "UF_CRM_LEVEL": "Gold", "ufCrm_VIP": "Y", "CATEGORY_ID": 1})),
        )
        .await
        .unwrap_err();
    let Error::Fields { method, errors } = &e else {
        panic!("{e}")
    };
    assert_eq!(method, "crm.deal.update");
    let found: Vec<(&str, Problem)> = errors.0.iter().map(|e| (e.pointer.as_str(), e.problem)).collect();
    assert_eq!(
        found,
        [
            ("/fields/TITEL", Problem::Unknown),
            ("/fields/ID", Problem::ReadOnly),
            ("/fields/OPPORTUNITY", Problem::WrongType),
            ("/fields/UF_CRM_LEVEL", Problem::NotAnItem),
            ("/fields/ufCrm_VIP", Problem::OtherSpelling),
            ("/fields/CATEGORY_ID", Problem::Immutable),
        ]
    );
    let text = e.to_string();
    assert!(text.contains("did you mean `TITLE`?"), "{text}");
    assert!(text.contains("write the item's ID, not its label: 13"), "{text}");
    assert!(
        text.contains("`ufCrm_VIP` is spelled `UF_CRM_VIP` here"),
        "{text}"
    );
    // one call read the fields; the write itself was not sent
    assert_eq!(portal.counts().0, before);

    // a good write, a user field included, is sent and kept
    client
        .update_fields(
            Entity::DEAL,
            1,
            &fields(json!({"TITLE": "Redesign, phase 2", "UF_CRM_LEVEL": 12, "UF_CRM_WEIGHT": 20.5})),
        )
        .await
        .unwrap();
    let deal = client
        .call("crm.deal.get", json!({"id": 1}))
        .await
        .unwrap()
        .result;
    assert_eq!(
        (deal["TITLE"].as_str(), &deal["UF_CRM_LEVEL"]),
        (Some("Redesign, phase 2"), &json!(12))
    );
    // sent raw, the misspelt field is answered `true` and ignored, as Bitrix24 does
    let raw = client
        .call("crm.deal.update", json!({"id": 1, "fields": {"TITEL": "lost"}}))
        .await
        .unwrap()
        .result;
    assert_eq!(raw, json!(true));
    let deal = client
        .call("crm.deal.get", json!({"id": 1}))
        .await
        .unwrap()
        .result;
    assert!(deal.get("TITEL").is_none());
    assert_eq!(deal["TITLE"], "Redesign, phase 2");
}

#[tokio::test]
async fn user_fields_in_both_spellings_and_added_at_run_time() {
    let (base, portal) = common::serve(common::quick()).await;
    let client = common::oauth(&base, &portal).build().unwrap();
    // crm.item.fields spells them camelCase, with their original name beside
    let item = client
        .call("crm.item.fields", json!({"entityTypeId": 2}))
        .await
        .unwrap()
        .result;
    assert_eq!(item["fields"]["ufCrm_LEVEL"]["upperName"], "UF_CRM_LEVEL");
    assert_eq!(item["fields"]["ufCrm_LEVEL"]["isDynamic"], true);
    let original = client
        .call(
            "crm.item.fields",
            json!({"entityTypeId": 2, "useOriginalUfNames": "Y"}),
        )
        .await
        .unwrap()
        .result;
    assert!(original["fields"]["UF_CRM_LEVEL"].is_object());
    // crm.item.get shows the camelCase name of the classic one
    let got = client
        .call("crm.item.get", json!({"entityTypeId": 2, "id": 1}))
        .await
        .unwrap()
        .result;
    assert_eq!(got["item"]["ufCrm_BUDGET"], "2000|USD");
    // crm.item.update writes it by its camelCase name; the classic name is ignored there
    client
        .call("crm.item.update", json!({"entityTypeId": 2, "id": 1, "fields": {"ufCrm_DELIVERY_NOTE": "Back door", "UF_CRM_WEIGHT": "99"}}))
        .await
        .unwrap();
    let deal = client
        .call("crm.deal.get", json!({"id": 1}))
        .await
        .unwrap()
        .result;
    assert_eq!(deal["UF_CRM_DELIVERY_NOTE"], "Back door");
    assert_eq!(deal["UF_CRM_WEIGHT"], "12.5");

    // a user field added: unknown to a client that read the fields before, until it
    // reads them again
    client.fields(Entity::DEAL).await.unwrap();
    let id = client
        .call(
            "crm.deal.userfield.add",
            json!({"fields": {"FIELD_NAME": "ROUTE", "USER_TYPE_ID": "string", "LABEL": "Route"}}),
        )
        .await
        .unwrap()
        .result;
    assert!(id.as_u64().is_some());
    let e = client
        .update_fields(Entity::DEAL, 1, &fields(json!({"UF_CRM_ROUTE": "A1"})))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Fields { errors, .. } if errors.0[0].problem == Problem::Unknown),
        "{e}"
    );
    client.forget_fields();
    client
        .update_fields(Entity::DEAL, 1, &fields(json!({"UF_CRM_ROUTE": "A1"})))
        .await
        .unwrap();
    let listed = client
        .call("crm.deal.userfield.list", json!({}))
        .await
        .unwrap()
        .result;
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["FIELD_NAME"] == "UF_CRM_ROUTE"));
    // the docs' refusals
    let e = client
        .call(
            "crm.deal.userfield.add",
            json!({"fields": {"FIELD_NAME": "bad name", "USER_TYPE_ID": "string"}}),
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("Field name contains invalid characters"),
        "{e}"
    );
    let e = client
        .call(
            "crm.deal.userfield.add",
            json!({"fields": {"FIELD_NAME": "X", "USER_TYPE_ID": "colour"}}),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("Incorrect custom type specified."), "{e}");
}

/// README shows this refusal word for word.
#[tokio::test]
async fn the_readme_shows_what_a_refused_write_says() {
    let (base, portal) = common::serve(common::quick()).await;
    let client = common::oauth(&base, &portal).build().unwrap();
    let e = client
        .update_fields(
            Entity::DEAL,
            1,
            &fields(json!({"TITEL": "x", "UF_CRM_LEVEL": "Gold", "ufCrm_VIP": "Y"})),
        )
        .await
        .unwrap_err();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(
        readme.contains(&format!("```text\n{e}\n```")),
        "README shows another refusal:\n{e}"
    );
}

/// The local portal's deals read into `Deal`: money, stages, dates with their zone, user
/// fields by either spelling, from `crm.deal.get`, `crm.deal.list` and `crm.item.get`.
#[tokio::test]
async fn deals_read_into_their_typed_form() {
    use b24_crm::{Deal, Item, Object};
    use futures_util::TryStreamExt;

    let (base, portal) = common::serve(common::quick()).await;
    let client = common::oauth(&base, &portal).build().unwrap();
    let deal: Deal = client.get_as(Entity::DEAL, 2).await.unwrap();
    assert_eq!(deal.id, Some(2));
    assert!(deal.title.is_some());
    let amount = deal.amount().unwrap();
    assert_eq!(amount.currency.as_str(), deal.currency_id.unwrap().as_str());
    assert!(deal.stage_id.is_some());
    assert!(deal.date_create.is_some(), "{:?}", deal.other);
    // deal 2 is a Bronze customer: the label from the portal's fields
    let schema = client.fields(Entity::DEAL).await.unwrap();
    assert_eq!(deal.user_fields.label("UF_CRM_LEVEL", &schema), Some("Bronze"));
    assert_eq!(deal.user_fields.label("ufCrm_LEVEL", &schema), Some("Bronze"));
    // nothing the portal sent is lost, nothing failed to read
    let raw = client.get(Entity::DEAL, 2).await.unwrap();
    let typed_count = Deal::FIELDS.len();
    assert!(deal.other.is_empty(), "not read: {:?}", deal.other);
    assert!(raw.fields.len() <= typed_count + deal.user_fields.len());

    let deals: Vec<Deal> = client
        .list_as("crm.deal.list", json!({"select": ["*", "UF_*"]}))
        .try_collect()
        .await
        .unwrap();
    assert!(deals.len() >= 2);
    assert_eq!(deals.iter().find(|d| d.id == Some(2)).unwrap().title, deal.title);

    // an item of a custom type, from crm.item.get in its camelCase spelling
    let item: Item = client.get_as(Entity::DYNAMIC(183), 1).await.unwrap();
    assert_eq!(item.id, Some(1));
    assert_eq!(item.title.as_deref(), Some("Shipment #1"));
    let stage = item.stage_id.unwrap();
    assert_eq!((stage.category(), stage.code()), (1, "NEW"));
    assert_eq!(item.other.get("entityTypeId"), Some(&json!(183)));
}

/// A widget server makes a client per request: the portal's fields are read once for all
/// of them, and forgotten for all at once.
#[tokio::test]
async fn the_fields_are_read_once_per_portal() {
    let (base, portal) = common::serve(common::quick()).await;
    let first = common::oauth(&base, &portal).build().unwrap();
    first.fields(Entity::DEAL).await.unwrap();
    let calls = portal.counts().0;
    let second = common::oauth(&base, &portal).build().unwrap();
    let schema = second.fields(Entity::DEAL).await.unwrap();
    assert!(schema.field("UF_CRM_LEVEL").is_some());
    second
        .update_fields(Entity::DEAL, 1, &fields(json!({"TITLE": "Kept"})))
        .await
        .unwrap();
    // the update alone: no crm.deal.fields
    assert_eq!(portal.counts().0, calls + 1);
    second.forget_fields();
    first.fields(Entity::DEAL).await.unwrap();
    assert_eq!(portal.counts().0, calls + 2);
}
