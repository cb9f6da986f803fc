//! Building and serializing layouts with `layout!` against `serde_json::json!` +
//! `serde_json::to_string` (what a user would otherwise write, with no checks), measured in
//! the same run. The static string of `layout_json!` is a constant.
//!
//! `cargo bench --bench macro`  (sources: `python3 benches/gen_thousand.py benches/generated`)

#![recursion_limit = "1024"]

use criterion::{black_box, criterion_group, criterion_main, Criterion};

#[path = "../examples/doc_examples.rs"]
#[allow(dead_code)]
mod doc_examples;

mod generated {
    pub mod docs_json {
        include!("generated/docs_json.rs");
    }
    pub mod json {
        include!("generated/json.rs");
    }
    pub mod layout {
        include!("generated/layout.rs");
    }
}

fn bench(c: &mut Criterion) {
    use generated::{docs_json, json, layout};

    // the two sides print the same JSON
    assert_eq!(
        doc_examples::example1().0.to_json(),
        serde_json::to_string(&docs_json::example1()).unwrap()
    );
    assert_eq!(
        layout::thousand_layout().to_json(),
        serde_json::to_string(&json::thousand_json()).unwrap()
    );

    let mut g = c.benchmark_group("doc examples");
    g.bench_function("layout! + to_json", |b| {
        b.iter(|| {
            (
                doc_examples::example1().0.to_json(),
                doc_examples::example2().0.to_json(),
                doc_examples::example3().0.to_json(),
            )
        })
    });
    g.bench_function("baseline: json! + to_string", |b| {
        b.iter(|| {
            (
                serde_json::to_string(&docs_json::example1()).unwrap(),
                serde_json::to_string(&docs_json::example2()).unwrap(),
                serde_json::to_string(&docs_json::example3()).unwrap(),
            )
        })
    });
    let statics = [
        doc_examples::example1().1,
        doc_examples::example2().1,
        doc_examples::example3().1,
    ];
    g.bench_function("layout_json! (static str)", |b| b.iter(|| black_box(statics)));
    g.finish();

    let mut g = c.benchmark_group("1000 blocks");
    g.bench_function("layout! + to_json", |b| {
        b.iter(|| layout::thousand_layout().to_json())
    });
    g.bench_function("baseline: json! + to_string", |b| {
        b.iter(|| serde_json::to_string(&json::thousand_json()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
