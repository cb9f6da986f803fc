//! Building and serializing a 20-block configurable activity with `timeline!` against
//! `serde_json::json!` + `serde_json::to_string` (what a user would otherwise write, with
//! no checks), and `validate()` against serialization, in the same run.
//!
//! `cargo bench --bench timeline`

#![recursion_limit = "512"]

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use b24_widgets::timeline;

fn activity() -> b24_widgets::timeline::LayoutDto {
    timeline! {
        icon: { code: "info" },
        header: {
            title: "Delivery booked",
            tags: { state: { title: "booked", type: warning }, paid: { title: "paid", type: success } },
        },
        body: {
            logo: { code: "document" },
            blocks: {
                b0: text { value: "Line 0", bold: true, size: sm, color: base_70 },
                b1: withTitle { title: "Field 1", inline: true, block: text { value: "Value 1" } },
                b2: link { text: "Open 2", action: redirect("/crm/deal/details/2/") },
                b3: lineOfBlocks { blocks: { a: text { value: "A3" }, b: link { text: "B3", action: restEvent("b3") } } },
                b4: largeText { value: "A longer note number 4, folded into a preview." },
                b5: text { value: "Line 5", bold: true, size: sm, color: base_70 },
                b6: withTitle { title: "Field 6", inline: true, block: text { value: "Value 6" } },
                b7: link { text: "Open 7", action: redirect("/crm/deal/details/7/") },
                b8: lineOfBlocks { blocks: { a: text { value: "A8" }, b: link { text: "B8", action: restEvent("b8") } } },
                b9: largeText { value: "A longer note number 9, folded into a preview." },
                b10: text { value: "Line 10", bold: true, size: sm, color: base_70 },
                b11: withTitle { title: "Field 11", inline: true, block: text { value: "Value 11" } },
                b12: link { text: "Open 12", action: redirect("/crm/deal/details/12/") },
                b13: lineOfBlocks { blocks: { a: text { value: "A13" }, b: link { text: "B13", action: restEvent("b13") } } },
                b14: largeText { value: "A longer note number 14, folded into a preview." },
                b15: text { value: "Line 15", bold: true, size: sm, color: base_70 },
                b16: withTitle { title: "Field 16", inline: true, block: text { value: "Value 16" } },
                b17: link { text: "Open 17", action: redirect("/crm/deal/details/17/") },
                b18: lineOfBlocks { blocks: { a: text { value: "A18" }, b: link { text: "B18", action: restEvent("b18") } } },
                b19: largeText { value: "A longer note number 19, folded into a preview." },
            },
        },
        footer: {
            buttons: { confirm: { title: "Confirm", type: primary, action: restEvent { id: "confirm", animationType: loader } } },
            menu: { showPostponeItem: false },
        },
    }
}

fn json() -> serde_json::Value {
    serde_json::json!({
        "icon": {"code": "info"},
        "header": {
            "title": "Delivery booked",
            "tags": {"state": {"title": "booked", "type": "warning"}, "paid": {"title": "paid", "type": "success"}}
        },
        "body": {
            "logo": {"code": "document"},
            "blocks": {
                "b0": {"type": "text", "properties": {"value": "Line 0", "bold": true, "size": "sm", "color": "base_70"}},
                "b1": {"type": "withTitle", "properties": {"title": "Field 1", "inline": true, "block": {"type": "text", "properties": {"value": "Value 1"}}}},
                "b2": {"type": "link", "properties": {"text": "Open 2", "action": {"type": "redirect", "uri": "/crm/deal/details/2/"}}},
                "b3": {"type": "lineOfBlocks", "properties": {"blocks": {"a": {"type": "text", "properties": {"value": "A3"}}, "b": {"type": "link", "properties": {"text": "B3", "action": {"type": "restEvent", "id": "b3"}}}}}},
                "b4": {"type": "largeText", "properties": {"value": "A longer note number 4, folded into a preview."}},
                "b5": {"type": "text", "properties": {"value": "Line 5", "bold": true, "size": "sm", "color": "base_70"}},
                "b6": {"type": "withTitle", "properties": {"title": "Field 6", "inline": true, "block": {"type": "text", "properties": {"value": "Value 6"}}}},
                "b7": {"type": "link", "properties": {"text": "Open 7", "action": {"type": "redirect", "uri": "/crm/deal/details/7/"}}},
                "b8": {"type": "lineOfBlocks", "properties": {"blocks": {"a": {"type": "text", "properties": {"value": "A8"}}, "b": {"type": "link", "properties": {"text": "B8", "action": {"type": "restEvent", "id": "b8"}}}}}},
                "b9": {"type": "largeText", "properties": {"value": "A longer note number 9, folded into a preview."}},
                "b10": {"type": "text", "properties": {"value": "Line 10", "bold": true, "size": "sm", "color": "base_70"}},
                "b11": {"type": "withTitle", "properties": {"title": "Field 11", "inline": true, "block": {"type": "text", "properties": {"value": "Value 11"}}}},
                "b12": {"type": "link", "properties": {"text": "Open 12", "action": {"type": "redirect", "uri": "/crm/deal/details/12/"}}},
                "b13": {"type": "lineOfBlocks", "properties": {"blocks": {"a": {"type": "text", "properties": {"value": "A13"}}, "b": {"type": "link", "properties": {"text": "B13", "action": {"type": "restEvent", "id": "b13"}}}}}},
                "b14": {"type": "largeText", "properties": {"value": "A longer note number 14, folded into a preview."}},
                "b15": {"type": "text", "properties": {"value": "Line 15", "bold": true, "size": "sm", "color": "base_70"}},
                "b16": {"type": "withTitle", "properties": {"title": "Field 16", "inline": true, "block": {"type": "text", "properties": {"value": "Value 16"}}}},
                "b17": {"type": "link", "properties": {"text": "Open 17", "action": {"type": "redirect", "uri": "/crm/deal/details/17/"}}},
                "b18": {"type": "lineOfBlocks", "properties": {"blocks": {"a": {"type": "text", "properties": {"value": "A18"}}, "b": {"type": "link", "properties": {"text": "B18", "action": {"type": "restEvent", "id": "b18"}}}}}},
                "b19": {"type": "largeText", "properties": {"value": "A longer note number 19, folded into a preview."}},
            }
        },
        "footer": {
            "buttons": {"confirm": {"title": "Confirm", "type": "primary", "action": {"type": "restEvent", "id": "confirm", "animationType": "loader"}}},
            "menu": {"showPostponeItem": false}
        }
    })
}

fn bench(c: &mut Criterion) {
    // the two sides print the same JSON, and the activity keeps every rule
    assert_eq!(activity().to_json(), serde_json::to_string(&json()).unwrap());
    assert_eq!(
        activity().body.as_ref().unwrap().blocks.as_ref().unwrap().len(),
        20
    );
    activity().validate().unwrap();

    let mut g = c.benchmark_group("20-block activity");
    g.bench_function("timeline! + to_json", |b| b.iter(|| activity().to_json()));
    g.bench_function("baseline: json! + to_string", |b| {
        b.iter(|| serde_json::to_string(&json()).unwrap())
    });
    g.finish();

    let built = activity();
    let mut g = c.benchmark_group("20-block activity, built");
    g.bench_function("validate()", |b| b.iter(|| black_box(&built).validate()));
    g.bench_function("baseline: to_json()", |b| b.iter(|| black_box(&built).to_json()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
