//! A segment's grams, words and counts against what `examine` finds in the texts.
use proptest::prelude::*;

use super::*;
use crate::find::text::examine::{self, Detail, Scratch};
use crate::find::text::fold;
use crate::find::text::query::Query;

/// A segment of `texts` (as written: folded here as the index folds them) in `dir`.
fn segment_of(texts: &[&str], dir: &Path) -> Segment {
    let mut builder = SegmentBuilder::default();
    let (mut scratch, mut grams) = (Vec::new(), Vec::new());
    let (mut word_scratch, mut words) = (Vec::new(), Words::default());
    for (i, text) in texts.iter().enumerate() {
        let folded = fold::fold(text);
        grams_of_text(&folded, &mut scratch, &mut grams);
        words_of_text(&folded, &mut word_scratch, &mut words);
        // Each text is its own title too, and its row says which it is.
        let row = format!("{i}\t{i}.md");
        builder.add(&grams, &words, &folded, row.as_bytes(), text.len());
    }
    let path = dir.join("seg");
    let size = builder.write(&path).unwrap();
    Segment::open(&path, size).unwrap()
}

/// Per text holding `term` (a phrase: spaces kept), its hits, as `examine` counts them.
fn examined(texts: &[&str], term: &str) -> Vec<(u32, u32)> {
    let query = Query::parse(&format!("\"{term}\"")).unwrap();
    let mut scratch = Scratch::default();
    texts
        .iter()
        .enumerate()
        .filter_map(|(i, text)| {
            let found = examine::examine(text, &query, Detail::Counts, &mut scratch)?;
            Some((i as u32, found.hits[0]))
        })
        .collect()
}

/// The documents holding every key of `term`, as the index narrows them.
fn narrowed(segment: &Segment, term: &str) -> Vec<u32> {
    keys_of_term(&fold::fold(term))
        .iter()
        .map(|k| segment.postings(k).unwrap())
        .reduce(|a, b| intersect(&a, &b))
        .unwrap()
}

/// What the index answers for `term`: its documents with their counts, `None` when it only
/// narrows the term down.
fn answered(segment: &Segment, term: &str) -> Option<Vec<(u32, u32)>> {
    let key = key_of_term(&fold::fold(term))?;
    Some(segment.counted_postings(&key).unwrap())
}

/// Per text, the bounds of a term of three different characters, from its grams' counts.
fn bounded(segment: &Segment, term: &str) -> Vec<(u32, u32)> {
    let grams = bounding_grams(&fold::fold(term)).unwrap();
    let counts = grams.map(|key| segment.counted_postings(&key).unwrap());
    (0..segment.documents)
        .map(|document| {
            let [ab, bc, b] = [0, 1, 2].map(|i| {
                counts[i]
                    .iter()
                    .find(|(d, _)| *d == document)
                    .map_or(0, |(_, c)| *c)
            });
            bounds(ab, bc, b)
        })
        .collect()
}

#[test]
fn three_different_characters_are_counted_where_their_bounds_meet() {
    let texts = [
        // Every 译 has 编 before it: known, 2.
        "编译器 编译 编译器",
        // Every 译 has 器 after it: known, 1.
        "编译器 翻译器",
        // Neither: between 1 and 2 (it is 1).
        "编译器 编译 翻译器",
        // None.
        "编 译 器",
        // Across a line: no pair, no hit.
        "编译\n器",
    ];
    let dir = tempfile::tempdir().unwrap();
    let segment = segment_of(&texts, dir.path());
    assert_eq!(answered(&segment, "编译器"), None);
    assert_eq!(
        bounded(&segment, "编译器"),
        [(2, 2), (1, 1), (1, 2), (0, 0), (0, 0)]
    );
    assert_eq!(
        examined(&texts, "编译器"),
        [(0, 2), (1, 1), (2, 1)],
        "the bounds hold the count"
    );
    // A repeated character: no bounds (`aba` overlaps itself, `aab` needs `aa`'s count).
    assert!(bounding_grams("A-A").is_none());
    assert!(bounding_grams("内内存").is_none());
    assert!(bounding_grams("ABC").is_none(), "a word");
    assert!(bounding_grams("A-B").is_some());
}

#[test]
fn a_segment_returns_what_was_put_in() {
    let texts = ["容器 EBPF\n内存", "容器", "RUST 内存", "器容"];
    let dir = tempfile::tempdir().unwrap();
    let segment = segment_of(&texts, dir.path());
    assert_eq!(narrowed(&segment, "容器"), [0, 1]);
    assert_eq!(narrowed(&segment, "器"), [0, 1, 3]);
    assert_eq!(narrowed(&segment, "内存"), [0, 2]);
    assert_eq!(narrowed(&segment, "EB"), [0]);
    // No pair across a line break.
    assert!(narrowed(&segment, "F内").is_empty());
    assert_eq!(narrowed(&segment, "RUST 内存"), [2]);
    assert_eq!(segment.count(&key_of_term("存").unwrap()).unwrap(), 2);
    assert_eq!(answered(&segment, "容"), Some(vec![(0, 1), (1, 1), (3, 1)]));
    assert_eq!(answered(&segment, "容器"), Some(vec![(0, 1), (1, 1)]));
    assert_eq!(answered(&segment, "eBpf"), Some(vec![(0, 1)]));
    assert_eq!(answered(&segment, "内存器"), None);
    assert_eq!(answered(&segment, "ebpf 内"), None);
    let path = dir.path().join("seg");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(Segment::open(&path, size + 1).is_err());
    std::fs::write(&path, b"FOLIOTXS junk").unwrap();
    assert!(Segment::open(&path, 13).is_err());
}

#[test]
fn varints_round_trip_large_gaps() {
    let mut builder = SegmentBuilder::default();
    let mut grams = Vec::new();
    grams_of_text("x", &mut Vec::new(), &mut grams);
    let mut words = Words::default();
    words_of_text("XYZ", &mut Vec::new(), &mut words);
    let none = Words::default();
    let mut expected = Vec::new();
    for document in 0..70_000u32 {
        let holds = document == 0 || document % 20_000 == 7 || document == 69_999;
        if holds {
            builder.add(&grams, &words, "", b"", 1);
            expected.push(document);
        } else {
            builder.add(&[], &none, "", b"", 1);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seg");
    let size = builder.write(&path).unwrap();
    let segment = Segment::open(&path, size).unwrap();
    assert_eq!(segment.postings(&Key::Gram(grams[0].0)).unwrap(), expected);
    assert_eq!(
        segment.postings(&Key::Word(b"XYZ".to_vec())).unwrap(),
        expected
    );
}

#[test]
fn counts_are_those_memmem_finds_line_by_line() {
    // Pairs of equal characters are counted without overlap, as `memmem` finds them; a
    // carriage return is a character of its line; no pair spans a line break.
    let text = "AAA 哈哈哈哈\r\nAA\nA";
    let mut grams = Vec::new();
    grams_of_text(text, &mut Vec::new(), &mut grams);
    let count = |term: &str| {
        let Some(Key::Gram(gram)) = key_of_term(term) else {
            panic!("{term:?} has a gram")
        };
        let count = grams
            .iter()
            .find(|(g, _)| *g == gram)
            .map_or(0, |(_, c)| *c);
        let found = text
            .split('\n')
            .map(|line| memchr::memmem::find_iter(line.as_bytes(), term.as_bytes()).count())
            .sum::<usize>();
        assert_eq!(count as usize, found, "{term:?}");
        count
    };
    assert_eq!(count("A"), 6);
    assert_eq!(count("AA"), 2);
    assert_eq!(count("哈哈"), 2);
    assert_eq!(count("哈"), 4);
    assert_eq!(count("\r"), 1);
    assert_eq!(count("哈\r"), 1);
    assert_eq!(count("\rA"), 0);
    assert_eq!(count(" 哈"), 1);
}

#[test]
fn word_terms_are_counted_as_examine_counts_them() {
    let texts = [
        "trust rusty Rust RUST\nrust内存 Rust内存 xrustx",
        "rustrust rust-rust rust_rust r\u{00FC}st",
        "aaaaa aaa ababa AbAbA\r\nrust\r\n",
        "\u{212A}elvin kelvin ſtraſſe STRASSE",
        "2024 20242024 12024 2024年",
        "no such word here",
    ];
    let dir = tempfile::tempdir().unwrap();
    let segment = segment_of(&texts, dir.path());
    for term in [
        "rust",
        "RUST",
        "Rust",
        "rus",
        "ust",
        "trust",
        "rusty",
        "rustrust",
        "aaa",
        "aa",
        "aba",
        "ababa",
        "aaaa",
        "kelvin",
        "KELVIN",
        "\u{212A}elvin",
        "strasse",
        "ſtraſſe",
        "2024",
        "20242024",
        "024",
        "such",
        "here",
        "x",
        "xrustx",
        "abcdefghijkl",
    ] {
        assert_eq!(
            answered(&segment, term).as_deref(),
            Some(examined(&texts, term).as_slice()),
            "{term:?}"
        );
    }
    // Counts that a wrong sum would miss: overlap inside a word, a word repeated.
    assert_eq!(answered(&segment, "aaa"), Some(vec![(2, 2)]));
    assert_eq!(answered(&segment, "aba"), Some(vec![(2, 2)]));
    assert_eq!(
        answered(&segment, "rust"),
        Some(vec![(0, 7), (1, 6), (2, 1)])
    );
    // Terms with other characters are narrowed, and the narrowing keeps every match.
    for term in [
        "rust内存",
        "Rust 内",
        "rust-rust",
        "年",
        "2024年",
        "ſtraſſe STRASSE",
    ] {
        let holding: Vec<u32> = examined(&texts, term).iter().map(|(d, _)| *d).collect();
        let narrowed = narrowed(&segment, term);
        assert!(
            holding.iter().all(|d| narrowed.contains(d)),
            "{term:?}: {narrowed:?} misses some of {holding:?}"
        );
    }
    assert_eq!(narrowed(&segment, "rust内存"), [0]);
}

/// Characters that fold, overlap and break words and lines in every way the index must get
/// right.
const ALPHABET: &[char] = &[
    'a', 'A', 'b', 'B', 'k', '\u{212A}', 's', 'S', 'ſ', '1', '0', '-', ' ', '内', '存', '\n', '\r',
    'é',
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..60)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A piece of `len` characters of one of `texts` (`which`), from `from`; a run of `a` when that
/// text is empty.
fn piece(
    texts: &[&str],
    which: prop::sample::Index,
    from: prop::sample::Index,
    len: usize,
) -> String {
    let chars: Vec<char> = texts[which.index(texts.len())].chars().collect();
    if chars.is_empty() {
        return "a".repeat(len);
    }
    let from = from.index(chars.len());
    chars[from..(from + len).min(chars.len())].iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn titles_count_a_term_as_each_title_alone(
        texts in prop::collection::vec(text(), 1..8),
        picks in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), 1usize..6),
            1..16,
        ),
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let dir = tempfile::tempdir().unwrap();
        let segment = segment_of(&texts, dir.path());
        let titles = segment.titles().unwrap();
        let rows = segment.rows().unwrap();
        for d in 0..texts.len() as u32 {
            let row = format!("{d}\t{d}.md\n");
            prop_assert_eq!(rows.with_break(d), Some(row.as_bytes()));
        }
        prop_assert_eq!(rows.with_break(texts.len() as u32), None);
        for (which, from, len) in picks {
            // A piece of one of the titles (line breaks too), or a run of `a`.
            let term = piece(&texts, which, from, len);
            let folded = fold::fold(&term);
            let finder = memmem::Finder::new(folded.as_bytes());
            let expected: Vec<(u32, u32)> = texts
                .iter()
                .enumerate()
                .map(|(d, text)| (d as u32, finder.find_iter(fold::fold(text).as_bytes()).count() as u32))
                .filter(|(_, times)| *times > 0)
                .collect();
            let mut counted = Vec::new();
            titles.count(&finder, |d, times| counted.push((d, times)));
            prop_assert_eq!(counted, expected, "{:?}", term);
        }
    }

    #[test]
    fn the_index_answers_as_examine_counts(
        texts in prop::collection::vec(text(), 1..6),
        picks in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), 1usize..13),
            1..24,
        ),
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let dir = tempfile::tempdir().unwrap();
        let segment = segment_of(&texts, dir.path());
        for (which, from, len) in picks {
            let term = piece(&texts, which, from, len);
            if term.contains(['\n', '"']) || term.trim().is_empty() {
                continue;
            }
            let expected = examined(&texts, &term);
            match answered(&segment, &term) {
                Some(found) => prop_assert_eq!(found, expected, "{:?}", term),
                None if bounding_grams(&fold::fold(&term)).is_some() => {
                    let bounded = bounded(&segment, &term);
                    for document in 0..texts.len() as u32 {
                        let count = expected
                            .iter()
                            .find(|(d, _)| *d == document)
                            .map_or(0, |(_, c)| *c);
                        let (low, high) = bounded[document as usize];
                        prop_assert!(
                            low <= count && count <= high,
                            "{:?} in {:?}: {} outside {}..={}",
                            term, texts[document as usize], count, low, high
                        );
                    }
                }
                None => {
                    let narrowed = narrowed(&segment, &term);
                    prop_assert!(
                        expected.iter().all(|(d, _)| narrowed.contains(d)),
                        "{:?}: {:?} misses some of {:?}", term, narrowed, expected
                    );
                }
            }
        }
    }
}
