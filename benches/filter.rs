//! Ranking titles per keystroke: what the list pane does each time the query changes.
//!
//! `cargo bench --bench filter` ranks 100,000 generated titles (Chinese with English words, as
//! translated archives are), each with an original English title, for a first keystroke and
//! for queries that narrow it.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use folio::archive::synth::{Rng, original_title, title};
use folio::find::titles::{Matcher, Titles};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

fn titles(count: usize) -> Vec<String> {
    let mut rng = Rng::new(42);
    (0..count).map(|_| title(&mut rng)).collect()
}

/// One original title (English words) for each of `count` titles, as a translated archive's
/// file names give them.
fn originals(count: usize) -> Vec<String> {
    let mut rng = Rng::new(43);
    (0..count).map(|_| original_title(&mut rng)).collect()
}

/// `titles` prepared with their original titles.
fn prepare(titles: &[String], originals: &[String]) -> Titles {
    Titles::with_originals(
        titles
            .iter()
            .zip(originals)
            .map(|(t, o)| (t.as_str(), Some(o.as_str()))),
    )
}

fn rank_100k(c: &mut Criterion) {
    let titles = titles(100_000);
    let originals = originals(100_000);
    let prepared = prepare(&titles, &originals);
    let mut group = c.benchmark_group("rank 100k titles");
    // A first keystroke can be any letter: `a`, `e`, `r` and `s` are among the most common.
    for query in [
        "r",
        "a",
        "e",
        "s",
        "ru",
        "rust",
        "编",
        "编译",
        "rust 数据",
        "zzz",
        "bjdx",
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(query), query, |b, query| {
            b.iter(|| Matcher::new(query).rank_titles(&prepared))
        });
    }
    group.finish();

    // The crate the design first named, on the same titles: what nucleo-matcher replaced.
    let mut group = c.benchmark_group("fuzzy-matcher skim, 100k titles");
    let skim = SkimMatcherV2::default().smart_case();
    for query in ["r", "rust", "编"] {
        group.bench_with_input(BenchmarkId::from_parameter(query), query, |b, query| {
            b.iter(|| {
                titles
                    .iter()
                    .filter_map(|t| skim.fuzzy_match(t, query))
                    .count()
            })
        });
    }
    group.finish();
}

/// A query typed one character at a time, each ranking only the previous matches.
fn narrowing_100k(c: &mut Criterion) {
    let titles = titles(100_000);
    let originals = originals(100_000);
    let prepared = prepare(&titles, &originals);
    let previous: Vec<usize> = Matcher::new("ru")
        .rank_titles(&prepared)
        .iter()
        .map(|m| m.index)
        .collect();
    c.bench_function("rank 100k titles/rus after ru (subset)", |b| {
        b.iter(|| Matcher::new("rus").rank_subset(&prepared, &previous))
    });
    c.bench_function("prepare 100k titles", |b| {
        b.iter(|| prepare(&titles, &originals))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = rank_100k, narrowing_100k
}
criterion_main!(benches);
