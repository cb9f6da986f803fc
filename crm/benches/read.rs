#![recursion_limit = "256"]
//! Reading 1,000 deals, as `crm.deal.list` sends them (45 standard fields, 7 user fields,
//! values as strings), into the typed [`Deal`] against reading them into
//! `serde_json::Value`, from the same text in the same run. Target: at most 1.5x.
//!
//! `cargo bench -p b24-crm --bench read`

use b24_crm::object::Deal;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

fn deal(i: u32) -> Value {
    json!({
        "ID": i.to_string(), "TITLE": format!("Deal #{i}: website redesign"), "TYPE_ID": "SALE", "CATEGORY_ID": "1",
        "STAGE_ID": "C1:PREPARATION", "STAGE_SEMANTIC_ID": "P", "IS_NEW": "N", "IS_RECURRING": "N",
        "IS_RETURN_CUSTOMER": "N", "IS_REPEATED_APPROACH": "N", "PROBABILITY": "40", "CURRENCY_ID": "EUR",
        "OPPORTUNITY": format!("{}.50", 1000 + i), "IS_MANUAL_OPPORTUNITY": "Y", "TAX_VALUE": "0.00",
        "COMPANY_ID": "3", "CONTACT_ID": "4", "QUOTE_ID": null, "BEGINDATE": "2026-11-01T03:00:00+03:00",
        "CLOSEDATE": "2026-12-31T03:00:00+03:00", "OPENED": "Y", "CLOSED": "N", "COMMENTS": "Call back on Monday",
        "ASSIGNED_BY_ID": "1", "CREATED_BY_ID": "1", "MODIFY_BY_ID": "1", "MOVED_BY_ID": "1",
        "DATE_CREATE": "2026-11-01T10:15:00+03:00", "DATE_MODIFY": "2026-11-20T18:01:12+03:00",
        "MOVED_TIME": "2026-11-02T09:00:00+03:00", "SOURCE_ID": "WEB", "SOURCE_DESCRIPTION": "",
        "LEAD_ID": null, "ADDITIONAL_INFO": null, "LOCATION_ID": null, "ORIGINATOR_ID": null, "ORIGIN_ID": null,
        "UTM_SOURCE": "google", "UTM_MEDIUM": "cpc", "UTM_CAMPAIGN": null, "UTM_CONTENT": null, "UTM_TERM": null,
        "LAST_ACTIVITY_TIME": "2026-11-20T18:01:12+03:00", "LAST_ACTIVITY_BY": "1",
        "UF_CRM_DELIVERY_NOTE": "Leave at the gate", "UF_CRM_WEIGHT": "12.5", "UF_CRM_DELIVERY_DATE": "2026-12-01",
        "UF_CRM_LEVEL": "13", "UF_CRM_VIP": "1", "UF_CRM_BUDGET": "2000|EUR", "UF_CRM_PARTNER": "CO_3"
    })
}

fn bench(c: &mut Criterion) {
    let deals: Vec<Value> = (1..=1000).map(deal).collect();
    let text = serde_json::to_string(&deals).unwrap();
    let typed: Vec<Deal> = serde_json::from_str(&text).unwrap();
    assert_eq!(typed.len(), 1000);
    assert!(typed
        .iter()
        .all(|d| d.other.is_empty() && d.user_fields.len() == 7));
    assert_eq!(typed[9].amount().unwrap().to_string(), "1010.50|EUR");

    let mut g = c.benchmark_group("1,000 deals from crm.deal.list's text");
    g.sample_size(30);
    g.bench_function("typed: Vec<Deal>", |b| {
        b.iter(|| serde_json::from_str::<Vec<Deal>>(black_box(&text)).unwrap())
    });
    g.bench_function("baseline: Vec<serde_json::Value>", |b| {
        b.iter(|| serde_json::from_str::<Vec<Value>>(black_box(&text)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
