//! The handler's request: the docs' sample of CRM_DEAL_DETAIL_ACTIVITY, against splitting
//! the same form body into owned pairs (what any parser does first).
//!
//! `cargo bench -p b24-placement --bench request`

use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let body = "DOMAIN=xxx.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=37430843b6a2ce62aea9be09c34d9e6d&AUTH_ID=39e69f6600631fcd00005a4b00000001f0f10738741fe7296291110a2e9788a33216cf&AUTH_EXPIRES=3600&REFRESH_ID=2965c76600631fcd00005a4b00000001f0f107cdf3226bebc47f89d1b0f15608e44b14&member_id=da45a03b265edd8787f8a258d793cc5d&status=L&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%223473%22%7D";
    let mut g = c.benchmark_group("handler request");
    g.bench_function("HandlerRequest::parse", |b| {
        b.iter(|| b24_placement::HandlerRequest::parse(black_box(body), None).unwrap())
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
