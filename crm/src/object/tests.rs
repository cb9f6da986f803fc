use super::*;
use crate::schema::NameForm;
use crate::standard;
use proptest::prelude::*;
use serde_json::json;

fn agree<T: Object>() {
    let entity = T::entity();
    let schema = standard::schema(entity, NameForm::Upper);
    for d in T::FIELDS {
        let f = schema
            .fields
            .get(d.upper)
            .unwrap_or_else(|| panic!("{entity:?}: `{}` is not a standard field", d.upper));
        assert!(
            d.types.is_empty() || d.types.contains(&f.r#type.as_str()),
            "{entity:?}.{}: {} does not read `{}`",
            d.upper,
            d.rust,
            f.r#type.as_str()
        );
        assert_eq!(d.multiple, f.is_multiple, "{entity:?}.{}", d.upper);
    }
    let declared: Vec<&str> = T::FIELDS.iter().map(|d| d.upper).collect();
    let standard: Vec<&str> = schema.fields.keys().map(String::as_str).collect();
    assert_eq!(
        declared, standard,
        "{entity:?}: the typed fields are the standard ones, in order"
    );
}

/// One declaration: the typed objects hold exactly the standard fields, each in a type
/// that reads the field's type.
#[test]
fn typed_objects_agree_with_the_standard_fields() {
    agree::<Deal>();
    agree::<Lead>();
    agree::<Contact>();
    agree::<Company>();
    agree::<Quote>();
    agree::<Activity>();
    agree::<Item>();
}

#[test]
fn a_deal_from_the_classic_method_and_from_crm_item() {
    let classic: Deal = serde_json::from_value(json!({
        "ID": "5", "TITLE": "Delivery", "STAGE_ID": "C1:NEW", "STAGE_SEMANTIC_ID": "P",
        "OPPORTUNITY": "1000.00", "CURRENCY_ID": "EUR", "IS_NEW": "N", "CONTACT_IDS": ["3", 4],
        "BEGINDATE": "2024-08-30T03:00:00+03:00", "DATE_CREATE": "2024-08-30T10:15:00+03:00",
        "UF_CRM_LEVEL": "13", "UF_CRM_BUDGET": "300.50|EUR", "NEW_FIELD": {"a": 1},
        "PROBABILITY": null, "COMMENTS": ""
    }))
    .unwrap();
    assert_eq!(classic.id, Some(5));
    assert_eq!(classic.title.as_deref(), Some("Delivery"));
    assert_eq!(classic.stage_semantic_id, Some(Semantic::Process));
    assert_eq!(classic.amount().unwrap().to_string(), "1000.00|EUR");
    assert_eq!(classic.is_new, Some(false));
    assert_eq!(classic.contact_ids, Some(vec![3, 4]));
    assert_eq!(classic.begindate, NaiveDate::from_ymd_opt(2024, 8, 30));
    assert_eq!(
        classic.date_create.unwrap().to_rfc3339(),
        "2024-08-30T10:15:00+03:00"
    );
    assert_eq!(classic.probability, None);
    assert_eq!(classic.comments.as_deref(), Some(""));
    // an empty number, date or id is no value, not a value of the wrong type
    let empty = Deal::from_value(json!({"OPPORTUNITY": "", "CLOSEDATE": "", "COMPANY_ID": ""})).unwrap();
    assert_eq!(
        (empty.opportunity, empty.closedate, empty.company_id),
        (None, None, None)
    );
    assert!(empty.other.is_empty(), "{:?}", empty.other);
    assert_eq!(classic.user_fields.text("ufCrm_LEVEL"), Some("13"));
    assert_eq!(
        classic
            .user_fields
            .get_as::<Money>("UF_CRM_BUDGET")
            .unwrap()
            .amount
            .to_string(),
        "300.50"
    );
    assert_eq!(classic.other["NEW_FIELD"], json!({"a": 1}));

    // crm.item.get spells the same deal in camelCase
    let item = Deal::from_value(json!({
        "id": 5, "title": "Delivery", "stageId": "C1:NEW", "opportunity": 1000, "currencyId": "EUR",
        "createdBy": 1, "ufCrm_LEVEL": "13", "entityTypeId": 2
    }))
    .unwrap();
    assert_eq!(item.id, Some(5));
    assert_eq!(item.created_by_id, Some(1));
    assert_eq!(item.amount().unwrap().amount, Decimal::from(1000));
    assert_eq!(item.user_fields.text("UF_CRM_LEVEL"), Some("13"));
    assert_eq!(item.other["entityTypeId"], 2);
}

#[test]
fn a_value_not_of_its_type_is_kept_as_sent() {
    let deal = Deal::from_value(
        json!({"ID": "five", "OPPORTUNITY": "lots", "DATE_CREATE": "yesterday", "CONTACT_IDS": [1, "x"]}),
    )
    .unwrap();
    assert_eq!(deal.id, None);
    assert_eq!(deal.opportunity, None);
    assert_eq!(deal.other["ID"], "five");
    assert_eq!(deal.other["OPPORTUNITY"], "lots");
    assert_eq!(deal.other["DATE_CREATE"], "yesterday");
    assert_eq!(deal.other["CONTACT_IDS"], json!([null, "x"]));
    assert!(Deal::from_value(json!([1])).is_none());
}

#[test]
fn a_contact_with_its_phones_and_a_user_field_label() {
    let contact = Contact::from_value(json!({
        "ID": "3", "NAME": "Ann", "HAS_PHONE": "Y", "BIRTHDATE": "1990-02-03T00:00:00+03:00",
        "PHONE": [{"ID": "10", "VALUE_TYPE": "WORK", "VALUE": "+1 555 0100", "TYPE_ID": "PHONE"}],
        "EMAIL": [{"ID": "11", "VALUE_TYPE": "HOME", "VALUE": "ann@example.com", "TYPE_ID": "EMAIL"}],
    }))
    .unwrap();
    let phones = contact.phone.unwrap();
    assert_eq!(phones[0].value, "+1 555 0100");
    assert_eq!(phones[0].value_type, "WORK");
    assert_eq!(contact.email.unwrap()[0].id, Some(11));
    assert_eq!(contact.birthdate, NaiveDate::from_ymd_opt(1990, 2, 3));
    // a lead's field, not a contact's: kept as sent
    assert_eq!(contact.other.keys().collect::<Vec<_>>(), ["HAS_PHONE"]);

    let schema = Schema::from_result(&json!({
        "UF_CRM_LEVEL": {"type": "enumeration", "isDynamic": true, "items": [{"ID": "13", "VALUE": "Gold"}]}
    }))
    .unwrap();
    let deal = Deal::from_value(json!({"UF_CRM_LEVEL": "13"})).unwrap();
    assert_eq!(deal.user_fields.label("UF_CRM_LEVEL", &schema), Some("Gold"));
    assert_eq!(deal.user_fields.label("ufCrm_LEVEL", &schema), Some("Gold"));
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,12}|[0-9]{1,6}|Y|N|C1:NEW|2024-08-30T10:15:00\\+03:00|300\\|EUR".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[A-Z_]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Any object of any values reads without a panic, and nothing is lost: every field
    /// is in its typed slot, in the user fields or in `other`.
    #[test]
    fn any_object_reads_and_keeps_every_field(
        fields in prop::collection::vec(
            ("ID|TITLE|OPPORTUNITY|CURRENCY_ID|STAGE_ID|IS_NEW|CONTACT_IDS|BEGINDATE|DATE_CREATE|UF_CRM_[A-Z]{1,4}|ufCrm_[A-Z]{1,4}|[a-zA-Z_]{1,8}", any_json()),
            0..12,
        )
    ) {
        let map: Map<String, Value> = fields.into_iter().collect();
        let text = serde_json::to_string(&map).unwrap();
        let from_text: Deal = serde_json::from_str(&text).unwrap();
        let deal = Deal::from_map(map.clone());
        prop_assert_eq!(&from_text, &deal);
        for (k, v) in &map {
            let kept = deal.other.contains_key(k) || deal.user_fields.0.contains_key(k)
                || (v.is_null() || v.as_str() == Some("") || Deal::FIELDS.iter().any(|d| d.upper == k || crate::standard::names(Entity::DEAL).iter().any(|(u, c)| (u == k || c == k) && *u == d.upper)));
            prop_assert!(kept, "{} lost", k);
        }
    }
}
