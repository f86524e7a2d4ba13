//! Full-text search: building the index, and answering a query with it and without it.
//!
//! `cargo bench --bench search` writes generated archives of 1,000 and 10,000 articles
//! (`FOLIO_BENCH_SIZES=1000,100000` picks other sizes), indexes each in a temporary cache, then
//! times queries through the index (candidates, then each read and confirmed) against the
//! parallel scan that reads every article. The whole command, process start and freshness
//! check included, is compared with `rg` by `benches/compare.py DIR QUERY search`.
//!
//! `keystroke` is the interface's text mode after each key of a query typed (the index open
//! and fresh): what its search worker does before the rows can change, best lines included.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use folio::archive::library::Library;
use folio::cache::CacheDir;
use folio::find::text::examine::Detail;
use folio::find::text::index::{self, Access};
use folio::find::text::{self, query::Query};
use folio::tui::searcher::{self, TextRequest};

fn sizes() -> Vec<usize> {
    std::env::var("FOLIO_BENCH_SIZES")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| vec![1_000, 10_000])
}

const QUERIES: [&str; 6] = ["鲸", "数据", "编译器", "数据结构", "rust", "rust 数据"];

fn search(c: &mut Criterion) {
    let root = tempfile::tempdir().expect("temp dir");
    for count in sizes() {
        let dir = root.path().join(count.to_string());
        folio::archive::synth::write_archive(&dir, count).expect("generated archive");
        let library = Library::load(&dir).expect("library");
        let stamps = text::stamps(&library);
        let cache_root = root.path().join(format!("cache-{count}"));
        let canonical = std::fs::canonicalize(&dir).unwrap();
        let cache = CacheDir::open_in(&cache_root, &canonical).expect("cache");
        let mut group = c.benchmark_group(format!("search {count}"));
        group.sample_size(10);
        group.bench_function("build the index", |b| {
            b.iter(|| {
                std::fs::remove_dir_all(cache.file(index::FOLDER)).ok();
                let (index, _) = index::open(
                    &cache,
                    &dir,
                    &library.articles,
                    &stamps,
                    Access::Update,
                    &|_, _| {},
                );
                index.expect("index")
            })
        });
        let (index, _) = index::open(
            &cache,
            &dir,
            &library.articles,
            &stamps,
            Access::Update,
            &|_, _| {},
        );
        let index = index.expect("index");
        for query in QUERIES {
            let parsed = Query::parse(query).unwrap();
            group.bench_with_input(BenchmarkId::new("indexed", query), &parsed, |b, q| {
                b.iter(|| {
                    let candidates = index.candidates(q).unwrap();
                    text::search(&library, q, Some(&candidates), Detail::Counts)
                })
            });
            group.bench_with_input(BenchmarkId::new("scan", query), &parsed, |b, q| {
                b.iter(|| text::search(&library, q, None, Detail::Counts))
            });
        }
        for typed in KEYSTROKES {
            let request = TextRequest {
                epoch: 0,
                generation: 0,
                query: typed.to_string(),
            };
            group.bench_with_input(BenchmarkId::new("keystroke", typed), &request, |b, r| {
                b.iter(|| searcher::search(&library, Some(&index), r).expect("a query"))
            });
        }
        group.finish();
    }
}

/// What the text mode searches for as `数据结构`, `rust` and `rust 数据` are typed.
const KEYSTROKES: [&str; 9] = [
    "数",
    "数据",
    "数据结",
    "数据结构",
    "r",
    "ru",
    "rust",
    "rust 数",
    "rust 数据",
];

criterion_group!(benches, search);
criterion_main!(benches);
