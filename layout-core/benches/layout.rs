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
    // the checker that explains: what validate() runs when the quick verdict is "no"
    g.bench_function("validate, full checker", |b| {
        b.iter(|| black_box(&layout).validate_full())
    });
    // the same table through a JSON copy of the layout, as `validate` once worked
    g.bench_function("baseline: validate a serde_json::Value copy", |b| {
        b.iter(|| layout_core::json::check_value(&black_box(&layout).to_value()))
    });
    g.bench_function("serialize LayoutDto", |b| b.iter(|| black_box(&layout).to_json()));
    g.bench_function("serialize LayoutDto through serde", |b| {
        b.iter(|| serde_json::to_string(black_box(&layout)).unwrap())
    });
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

    // `b24 check` of the 1,000-block layout's text: with positions (looked up only when
    // there is an error to place) and without
    let mut g = c.benchmark_group("check 1000 blocks");
    g.bench_function("check_json", |b| {
        b.iter(|| layout_core::json::check_json(black_box(&json)).is_ok())
    });
    g.bench_function("check_json_located", |b| {
        b.iter(|| layout_core::json::check_json_located(black_box(&json)).is_ok())
    });
    // the same layout with one error at its end: what placing an error costs
    let broken = json.replacen("\"la\"}", "\"lb\"}", 1);
    assert!(layout_core::json::check_json(&broken).is_err());
    g.bench_function("check_json, one error", |b| {
        b.iter(|| layout_core::json::check_json(black_box(&broken)).is_ok())
    });
    g.bench_function("check_json_located, one error", |b| {
        b.iter(|| layout_core::json::check_json_located(black_box(&broken)).is_ok())
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
        b.iter(|| black_box(&unique).validate_full())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
