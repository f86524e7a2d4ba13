//! Laying out a 1 MB article (`synth::long_article`: Chinese paragraphs, English, links,
//! lists, tables, code) at width 80, and searching it (`/`): `cargo bench --bench render`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use folio::archive::synth::long_article;
use folio::find::in_article;
use folio::render::markdown::parse;
use folio::render::width::AmbiWidth;
use folio::render::wrap::layout;

fn bench(c: &mut Criterion) {
    let md = long_article(1 << 20);
    let doc = parse(&md);
    let mut g = c.benchmark_group("render 1 MB article");
    g.sample_size(10);
    g.bench_function("parse", |b| b.iter(|| parse(black_box(&md))));
    g.bench_function("layout at width 80", |b| {
        b.iter(|| layout(black_box(&doc), 80, AmbiWidth::Single))
    });
    g.bench_function("parse + layout at width 80", |b| {
        b.iter(|| layout(&parse(black_box(&md)), 80, AmbiWidth::Single))
    });
    let laid = layout(&doc, 80, AmbiWidth::Single);
    g.bench_function("search the text for a phrase (/中文)", |b| {
        b.iter(|| in_article::find(black_box(&laid.lines), "中文", AmbiWidth::Single))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
