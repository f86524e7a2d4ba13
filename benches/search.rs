//! Full-text search: building the index, and answering a query with it and without it.
//!
//! `cargo bench --bench search` writes generated archives of 1,000 and 10,000 articles
//! (`FOLIO_BENCH_SIZES=1000,100000` picks other sizes), indexes each in a temporary cache, then
//! times queries through the index (its answer for short terms, else candidates each read and
//! confirmed) against the
//! parallel scan that reads every article. The whole command, process start and freshness
//! check included, is compared with `rg` by `benches/compare.py DIR QUERY search`.
//!
//! `keystroke` is the interface's text mode after each key of a query typed (the index open
//! and fresh): the time until the worker publishes the first screen (30 rows with their best
//! lines, or the whole answer when it has fewer), and until the final answer; criterion's
//! figure is the first screen, and the 50th and 99th percentiles of both are printed.
//! `FOLIO_BENCH_ARCHIVE=DIR` searches an archive already written (such as
//! `/tmp/a100k`) instead of generating one.

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use folio::archive::library::Library;
use folio::cache::CacheDir;
use folio::find::text::examine::Detail;
use folio::find::text::index::{self, Access};
use folio::find::text::{self, query::Query};
use folio::tui::searcher::{self, TextRequest};

const QUERIES: [&str; 6] = ["鲸", "数据", "编译器", "数据结构", "rust", "rust 数据"];

fn search(c: &mut Criterion) {
    let root = tempfile::tempdir().expect("temp dir");
    for count in common::sizes(&[1_000, 10_000]) {
        let dir = match std::env::var_os("FOLIO_BENCH_ARCHIVE") {
            Some(dir) => std::path::PathBuf::from(dir),
            None => {
                let dir = root.path().join(count.to_string());
                folio::archive::synth::write_archive(&dir, count).expect("generated archive");
                dir
            }
        };
        let library = Library::load(&dir).expect("library");
        let cache_root = root.path().join(format!("cache-{count}"));
        let canonical = std::fs::canonicalize(&dir).unwrap();
        let cache = CacheDir::open_in(&cache_root, &canonical).expect("cache");
        let mut group = c.benchmark_group(format!("search {count}"));
        group.sample_size(10);
        group.bench_function("build the index", |b| {
            b.iter(|| {
                std::fs::remove_dir_all(cache.file(index::FOLDER)).ok();
                let (index, _) = index::open(&cache, &library, Access::Update, &|_, _| {});
                index.expect("index")
            })
        });
        let (index, _) = index::open(&cache, &library, Access::Update, &|_, _| {});
        let index = index.expect("index");
        for query in QUERIES {
            let parsed = Query::parse(query).unwrap();
            group.bench_with_input(BenchmarkId::new("indexed", query), &parsed, |b, q| {
                b.iter(|| {
                    let plan = text::plan(&library, q, Some(&index)).unwrap();
                    text::search(&library, q, Some(&index), plan, Detail::Counts)
                })
            });
            group.bench_with_input(BenchmarkId::new("scan", query), &parsed, |b, q| {
                b.iter(|| {
                    let plan = text::plan(&library, q, None).unwrap();
                    text::search(&library, q, None, plan, Detail::Counts)
                })
            });
        }
        for typed in KEYSTROKES {
            let request = TextRequest {
                epoch: 0,
                generation: 0,
                query: typed.to_string(),
            };
            for (name, whole) in [("keystroke first screen", false), ("keystroke final", true)] {
                let times = std::cell::RefCell::new(Vec::new());
                group.bench_with_input(BenchmarkId::new(name, typed), &request, |b, r| {
                    b.iter_custom(|iters| {
                        let mut sum = std::time::Duration::ZERO;
                        for _ in 0..iters {
                            let took = keystroke(&library, &index, r, whole);
                            times.borrow_mut().push(took);
                            sum += took;
                        }
                        sum
                    })
                });
                let mut times = times.into_inner();
                if times.is_empty() {
                    continue; // filtered out
                }
                times.sort();
                let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
                println!(
                    "{name} {typed:?} on {count}: p50 {:.2?}, p99 {:.2?} ({} runs)",
                    at(50),
                    at(99),
                    times.len()
                );
            }
        }
        group.finish();
    }
}

/// Rows of the first screen.
const SCREEN: usize = 30;

/// One keystroke's search as the text mode's worker runs it, with the time until the first
/// screen is published (30 rows with their best lines, or the whole of a smaller answer; the
/// search then stops) or, `whole`, until the final answer.
fn keystroke(
    library: &Library,
    index: &index::TextIndex,
    request: &TextRequest,
    whole: bool,
) -> std::time::Duration {
    use std::sync::atomic::{AtomicBool, Ordering};
    let start = std::time::Instant::now();
    let mut first = None;
    let seen = AtomicBool::new(false);
    let mut publish = |so_far: searcher::Searched| {
        let lined = so_far
            .rows
            .iter()
            .take(SCREEN)
            .all(|row| !row.best.hits.is_empty());
        if first.is_none() && so_far.rows.len() >= SCREEN && lined {
            first = Some(start.elapsed());
            seen.store(!whole, Ordering::Relaxed);
        }
    };
    let stop = || seen.load(Ordering::Relaxed);
    let answer = searcher::search_until(library, Some(index), request, &stop, &mut publish);
    let end = start.elapsed();
    match first {
        Some(first) if !whole => first,
        _ => {
            assert!(answer.is_some(), "a query");
            end
        }
    }
}

/// What the text mode searches for as `数据结构`, `rust` and `rust 数据` are typed (some keys).
const KEYSTROKES: [&str; 8] = [
    "数",
    "数据",
    "数据结构",
    "r",
    "ru",
    "rust",
    "rust 数",
    "rust 数据",
];

criterion_group!(benches, search);
criterion_main!(benches);
