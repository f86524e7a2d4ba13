//! Ranking titles per keystroke: what the list pane does each time the query changes.
//!
//! `cargo bench --bench filter` ranks 100,000 generated titles (Chinese with English words, as
//! translated archives are), each with an original English title, for a first keystroke and
//! for queries that narrow it.
//!
//! `cargo bench --bench filter -- keystrokes` types `r`, `ru`, `rus`, `rust`, `rustx` into the
//! list over a million such titles, as the interface's ranking worker answers them, and prints
//! per key the p50 and p99 of the time until the first screen of rows is ready and until the
//! whole list is ranked (`FOLIO_BENCH_SIZES=1000` picks other sizes, as CI's quick run does).

mod common;

use std::cell::RefCell;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use folio::archive::synth::{Rng, original_title, title};
use folio::find::titles::{Matcher, Titles};
use folio::tui::app::{Action, Effect, List};
use folio::tui::ranker;
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
    // As the ranker prepares a list that arrives whole: in pieces on all cores, joined.
    let given: Vec<(String, Option<String>)> = titles
        .iter()
        .zip(&originals)
        .map(|(t, o)| (t.clone(), Some(o.clone())))
        .collect();
    c.bench_function("prepare 100k titles in parallel", |b| {
        b.iter(|| {
            let mut prepared = Titles::default();
            prepared.extend_in_parallel(&given, |titles, (title, original)| {
                titles.push_with(title, original.as_deref())
            });
            prepared
        })
    });
}

/// The queries typed, one key after another.
const KEYS: [&str; 5] = ["r", "ru", "rus", "rust", "rustx"];

/// The rows of titles a 100x30 screen shows (the query line and the status line aside).
const SCREEN_ROWS: usize = 28;

/// Types [`KEYS`] into an empty list over `prepared`, each key after the previous one's
/// ranking ended, ranking as the worker does; per key, the time until the list holds a first
/// screen of rows for it, and until the whole ranking is in.
fn type_keys(prepared: &Titles) -> [(Duration, Duration); KEYS.len()] {
    let mut list = List::new("");
    list.measured(SCREEN_ROWS);
    let mut times = [(Duration::ZERO, Duration::ZERO); KEYS.len()];
    for (key, time) in KEYS.iter().zip(&mut times) {
        let c = key.chars().next_back().expect("a key");
        let start = Instant::now();
        let Some(Effect::Rank(request)) = list.update(&Action::Type(c), prepared.len()) else {
            panic!("{key:?} asks for a ranking");
        };
        let mut first = None;
        let whole = ranker::rank(
            prepared,
            &request,
            || false,
            |early| {
                list.ranked(early);
                if list.matches_query == *key && list.matches.len() >= SCREEN_ROWS {
                    first.get_or_insert(start.elapsed());
                }
            },
        )
        .expect("not cancelled");
        list.ranked(whole);
        assert_eq!(list.matches_query, *key);
        *time = (first.unwrap_or_else(|| start.elapsed()), start.elapsed());
    }
    times
}

/// The `p`th percentile (0-100) of `times`, nearest rank.
fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort_unstable();
    let rank = (p * times.len()).div_ceil(100).max(1);
    times[rank - 1]
}

fn keystrokes(c: &mut Criterion) {
    let mut group = c.benchmark_group("keystrokes to a first screen");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    for count in common::sizes(&[1_000_000]) {
        // Kept until the end, as the interface keeps its articles: freeing two million small
        // strings here made glibc consolidate them inside the first keystroke timed (215 ms).
        let (titles, originals) = (titles(count), originals(count));
        let prepared = prepare(&titles, &originals);
        println!(
            "{count} prepared titles: {} bytes each",
            prepared.heap_bytes() / count.max(1)
        );
        let samples = RefCell::new(Vec::new());
        group.bench_function(BenchmarkId::new("r ru rus rust rustx", count), |b| {
            b.iter_custom(|iters| {
                let mut first_screens = Duration::ZERO;
                for _ in 0..iters {
                    let times = type_keys(&prepared);
                    first_screens += times.iter().map(|(first, _)| *first).sum::<Duration>();
                    samples.borrow_mut().push(times);
                }
                first_screens
            })
        });
        let samples = samples.into_inner();
        // Nothing was timed when a filter on the command line left this bench out.
        if samples.is_empty() {
            continue;
        }
        for (k, key) in KEYS.iter().enumerate() {
            let mut first: Vec<Duration> = samples.iter().map(|times| times[k].0).collect();
            let mut whole: Vec<Duration> = samples.iter().map(|times| times[k].1).collect();
            println!(
                "{count} titles, {key:>5}: first screen p50 {:.1} ms, p99 {:.1} ms; whole list p50 {:.1} ms, p99 {:.1} ms ({} runs)",
                percentile(&mut first, 50).as_secs_f64() * 1e3,
                percentile(&mut first, 99).as_secs_f64() * 1e3,
                percentile(&mut whole, 50).as_secs_f64() * 1e3,
                percentile(&mut whole, 99).as_secs_f64() * 1e3,
                samples.len(),
            );
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = rank_100k, narrowing_100k
}
criterion_group! {
    name = keys;
    config = Criterion::default();
    targets = keystrokes
}
criterion_main!(benches, keys);
