//! Indexing generated archives of 1k, 10k and 100k articles (`synth::write_archive`): walking,
//! reading every head, ordering by the SUMMARY.md files. `cargo bench --bench index`.
//!
//! The trees are written once into a temporary folder (100k articles are about 0.9 GB and take
//! a while to write). `FOLIO_BENCH_SIZES=1000` limits the sizes, as CI's quick run does.

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use folio::archive::library::Library;

fn index(c: &mut Criterion) {
    let root = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    for count in common::sizes(&[1_000, 10_000, 100_000]) {
        let dir = root.path().join(count.to_string());
        folio::archive::synth::write_archive(&dir, count).expect("generated archive");
        group.bench_with_input(BenchmarkId::from_parameter(count), &dir, |b, dir| {
            b.iter(|| {
                let library = Library::load(dir).expect("index");
                assert_eq!(library.articles.len(), count);
                library
            })
        });
    }
    group.finish();
}

criterion_group!(benches, index);
criterion_main!(benches);
