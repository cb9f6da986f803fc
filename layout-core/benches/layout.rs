//! Validate, serialize and parse a 1,000-block layout, next to serde_json doing the same
//! work on an untyped `Value` with no checks (the baseline, measured in the same run).
//!
//! `cargo bench -p layout-core --bench layout`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use layout_core::{ActionDto, Blocks, Color, LayoutDto, Link, Section, Select, Text};

/// 50 sections of 19 blocks each: 1,000 blocks in all.
pub fn thousand_blocks() -> LayoutDto {
    let sections: Blocks = (0..50)
        .map(|s| {
            let children: Blocks = (0..19)
                .map(|i| {
                    let block = match i % 3 {
                        0 => Text::default()
                            .value(format!("Line {s}.{i}"))
                            .color(Color::base_70)
                            .into(),
                        1 => Link::default()
                            .text("Open deal")
                            .action(ActionDto::redirect_to(format!("/crm/deal/details/{i}/")))
                            .into(),
                        _ => Select::default()
                            .title("City")
                            .values([
                                ("nyc".to_owned(), "New York".to_owned()),
                                ("la".to_owned(), "LA".to_owned()),
                            ])
                            .selectedValue("la")
                            .into(),
                    };
                    (format!("b{i}"), block)
                })
                .collect();
            (format!("s{s}"), Section::default().blocks(children).into())
        })
        .collect();
    LayoutDto::default().blocks(sections)
}

fn bench(c: &mut Criterion) {
    let layout = thousand_blocks();
    let json = layout.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(layout.validate().is_ok());

    let mut g = c.benchmark_group("1000 blocks");
    g.bench_function("validate", |b| b.iter(|| black_box(&layout).validate()));
    // the same table through a JSON copy of the layout, as `validate` once worked
    g.bench_function("baseline: validate a serde_json::Value copy", |b| {
        b.iter(|| layout_core::json::check_value(&black_box(&layout).to_value()))
    });
    g.bench_function("serialize LayoutDto", |b| b.iter(|| black_box(&layout).to_json()));
    g.bench_function("baseline: serialize serde_json::Value", |b| {
        b.iter(|| serde_json::to_string(black_box(&value)).unwrap())
    });
    g.bench_function("parse + validate into LayoutDto", |b| {
        b.iter(|| LayoutDto::from_json(black_box(&json)))
    });
    g.bench_function("baseline: parse serde_json::Value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).unwrap())
    });
    g.finish();

    // one setLayoutItemState on a block of the 1,000-block layout, against re-validating
    // the whole layout (what a naive mirror would do after each change)
    use layout_core::command::{Command, ItemState};
    use layout_core::state::WidgetState;
    let mut g = c.benchmark_group("state, 1000 blocks");
    let unique = LayoutDto::default().blocks(
        (0..50)
            .map(|s| {
                let children: Blocks = (0..19)
                    .map(|i| (format!("s{s}b{i}"), Text::default().value("x").into()))
                    .collect();
                (format!("s{s}"), Section::default().blocks(children).into())
            })
            .collect::<Blocks>(),
    );
    let mut unique_state = WidgetState::new(&unique).unwrap();
    let set = Command::SetLayoutItemState(
        ItemState::new("s25b9").properties(Text::default().value("changed").color(Color::danger)),
    );
    g.bench_function("setLayoutItemState", |b| {
        b.iter(|| unique_state.apply(black_box(&set)).unwrap())
    });
    g.bench_function("baseline: validate the whole layout", |b| {
        b.iter(|| black_box(&unique).validate())
    });
    g.finish();

    // the handler's request: the docs' sample of CRM_DEAL_DETAIL_ACTIVITY, against splitting
    // the same form body into owned pairs (what any parser does first)
    let body = "DOMAIN=xxx.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=37430843b6a2ce62aea9be09c34d9e6d&AUTH_ID=39e69f6600631fcd00005a4b00000001f0f10738741fe7296291110a2e9788a33216cf&AUTH_EXPIRES=3600&REFRESH_ID=2965c76600631fcd00005a4b00000001f0f107cdf3226bebc47f89d1b0f15608e44b14&member_id=da45a03b265edd8787f8a258d793cc5d&status=L&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%223473%22%7D";
    let mut g = c.benchmark_group("handler request");
    g.bench_function("HandlerRequest::parse", |b| {
        b.iter(|| layout_core::request::HandlerRequest::parse(black_box(body), None).unwrap())
    });
    g.bench_function("baseline: form pairs only", |b| {
        b.iter(|| {
            form_urlencoded::parse(black_box(body).as_bytes())
                .into_owned()
                .collect::<Vec<(String, String)>>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
