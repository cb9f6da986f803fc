//! Checking a write against a portal's schema (the deal's 45 standard fields and 7 user
//! fields, as the local portal describes them), against serializing the same write with
//! `serde_json::to_string` (what the call does next), in the same run.
//!
//! `cargo bench -p b24-crm --bench check`

use b24_crm::schema::{EnumItem, NameForm};
use b24_crm::{check_write, FieldType, WriteKind};
use b24_placement::placement::Entity;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::{json, Map, Value};

fn bench(c: &mut Criterion) {
    let mut schema = b24_crm::standard::schema(Entity::DEAL, NameForm::Upper);
    for (name, ty) in [
        ("NOTE", "string"),
        ("WEIGHT", "double"),
        ("DATE", "date"),
        ("LEVEL", "enumeration"),
        ("VIP", "boolean"),
        ("BUDGET", "money"),
        ("PARTNER", "crm"),
    ] {
        let mut f = schema.fields["TITLE"].clone();
        f.name = format!("UF_CRM_{name}");
        f.r#type = FieldType::parse(ty);
        f.is_dynamic = true;
        if ty == "enumeration" {
            f.items = (11..14)
                .map(|i| EnumItem {
                    id: i.to_string(),
                    value: format!("Level {i}"),
                })
                .collect();
        }
        schema.fields.insert(f.name.clone(), f);
    }
    let Value::Object(write): Value = json!({
        "TITLE": "Website redesign", "OPPORTUNITY": "1000.00", "CURRENCY_ID": "USD", "STAGE_ID": "PREPARATION",
        "CLOSEDATE": "2026-12-31", "UF_CRM_LEVEL": 13, "UF_CRM_BUDGET": "2000|USD", "UF_CRM_VIP": "Y"
    }) else {
        unreachable!()
    };
    let write: Map<String, Value> = write;
    assert!(check_write(&schema, &write, WriteKind::Update).is_ok());
    let mut misspelt = write.clone();
    misspelt.insert("TITEL".into(), json!("x"));
    assert!(check_write(&schema, &misspelt, WriteKind::Update).is_err());

    let mut g = c.benchmark_group("an 8-field deal update");
    g.bench_function("check_write", |b| {
        b.iter(|| check_write(black_box(&schema), black_box(&write), WriteKind::Update))
    });
    g.bench_function("check_write, one field misspelt", |b| {
        b.iter(|| check_write(black_box(&schema), black_box(&misspelt), WriteKind::Update))
    });
    g.bench_function("baseline: serde_json::to_string", |b| {
        b.iter(|| serde_json::to_string(black_box(&write)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
