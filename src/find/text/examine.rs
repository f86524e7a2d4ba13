//! One article's text against a query: whether it matches, how many hits each term has, and
//! where they are (line, column) when the caller wants to show them.
//!
//! This is the exact test every result passes, whether it came from the index or from a scan:
//! a term matches where its folded form occurs in the folded text (`memchr`'s `memmem`).

use memchr::memmem;

use crate::find::text::fold;
use crate::find::text::query::Query;

/// How much to find out about a matching article beyond its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The hit counts only.
    Counts,
    /// Also every hit's place ([`Hit`]), in the order of the text.
    Places,
}

/// One occurrence of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The line, from 1.
    pub line: usize,
    /// The byte offset of the line's start in the decoded text.
    pub line_start: usize,
    /// The byte offset of the hit in its line of the decoded text (from 0).
    pub column: usize,
    /// The hit's length in bytes of the decoded text.
    pub len: usize,
    /// Which of the query's terms it is.
    pub term: usize,
}

/// What a matching article holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examined {
    /// Hits per term of the query, in its order (0 for excluded terms).
    pub hits: Hits,
    /// Every hit, by place in the text ([`Detail::Places`] only).
    pub places: Vec<Hit>,
}

/// `text` as `query`'s terms are looked for in it, and whether every character kept its
/// length: the text as written for caseless terms; with only its ASCII letters folded where
/// that finds the same (the terms fold to ASCII and caseless characters, and nothing outside
/// ASCII in the text folds to ASCII); else folded whole (into `folded`). The first two keep
/// every character's length, and need no table of case folding.
pub fn haystack<'a>(text: &'a str, query: &Query, folded: &'a mut String) -> (&'a str, bool) {
    match folding(query, text.as_bytes()) {
        Folding::AsWritten => (text, true),
        Folding::AsciiLetters => {
            folded.clear();
            folded.push_str(text);
            folded.make_ascii_uppercase();
            (folded.as_str(), true)
        }
        Folding::Whole => {
            folded.clear();
            fold::fold_into(text, folded);
            (folded.as_str(), false)
        }
    }
}

/// How a text is folded for `query`'s terms to be looked for in it ([`haystack`]).
enum Folding {
    /// Not at all: every term is caseless.
    AsWritten,
    /// Its ASCII letters only: the terms fold to ASCII and caseless characters, and nothing
    /// outside ASCII in the text folds to ASCII.
    AsciiLetters,
    /// Whole.
    Whole,
}

/// How `text` is folded for `query` (see [`Folding`]).
fn folding(query: &Query, text: &[u8]) -> Folding {
    if query.terms.iter().all(|t| t.caseless) {
        Folding::AsWritten
    } else if query.terms.iter().all(|t| t.ascii_folded) && !fold::folds_into_ascii(text) {
        Folding::AsciiLetters
    } else {
        Folding::Whole
    }
}

/// Buffers for [`title_haystack`], one per thread.
#[derive(Debug, Default)]
pub struct TitleScratch {
    bytes: Vec<u8>,
    text: String,
}

/// [`haystack`] for a title given as bytes: they are checked as UTF-8 only where the title
/// must be folded whole (a title that is not UTF-8 is then looked through as empty). Caseless
/// terms look through the bytes as they are, ASCII-folded ones through a copy with its ASCII
/// letters folded.
pub fn title_haystack<'a>(
    title: &'a [u8],
    query: &Query,
    scratch: &'a mut TitleScratch,
) -> &'a [u8] {
    match folding(query, title) {
        Folding::AsWritten => title,
        Folding::AsciiLetters => {
            scratch.bytes.clear();
            scratch.bytes.extend_from_slice(title);
            scratch.bytes.make_ascii_uppercase();
            &scratch.bytes
        }
        Folding::Whole => {
            scratch.text.clear();
            fold::fold_into(
                std::str::from_utf8(title).unwrap_or_default(),
                &mut scratch.text,
            );
            scratch.text.as_bytes()
        }
    }
}

/// Hits per term of a query, in its order: kept inline for up to four terms, so that a
/// result is made and dropped without an allocation (a broad query has 100,000 of them).
pub type Hits = smallvec::SmallVec<[u32; 4]>;

/// Reusable buffers, one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    folded: String,
}

/// `text` (an article's decoded text) against `query`: `None` when it does not match.
pub fn examine(
    text: &str,
    query: &Query,
    detail: Detail,
    scratch: &mut Scratch,
) -> Option<Examined> {
    let (hay, same_lengths) = haystack(text, query, &mut scratch.folded);
    for term in query.terms.iter().filter(|t| t.exclude) {
        if memmem::find(hay.as_bytes(), term.folded.as_bytes()).is_some() {
            return None;
        }
    }
    let mut examined = Examined {
        hits: smallvec::smallvec![0; query.terms.len()],
        places: Vec::new(),
    };
    let mut offsets = Vec::new();
    for (index, term) in query.terms.iter().enumerate().filter(|(_, t)| !t.exclude) {
        let needle = term.folded.as_bytes();
        let mut count = 0u32;
        for at in memmem::find_iter(hay.as_bytes(), needle) {
            count += 1;
            if detail == Detail::Places {
                offsets.push((at, needle.len(), index));
            }
        }
        if count == 0 {
            return None;
        }
        examined.hits[index] = count;
    }
    if detail == Detail::Places {
        offsets.sort_unstable();
        let same = same_lengths || text.len() == hay.len() && lengths_kept(text, hay);
        examined.places = places(text, hay, same, &offsets);
    }
    Some(examined)
}

/// The places of hits found at `offsets` (byte offset in `hay`, length, term) of `hay`, the
/// folded form of `text` (or `text` itself); `same` when every character of `hay` has the
/// length of its character in `text`.
fn places(text: &str, hay: &str, same: bool, offsets: &[(usize, usize, usize)]) -> Vec<Hit> {
    let (mut line, mut hay_line_start, mut text_line_start, mut scanned) = (1, 0, 0, 0);
    let mut found = Vec::with_capacity(offsets.len());
    for &(at, len, term) in offsets {
        for newline in memchr::memchr_iter(b'\n', &hay.as_bytes()[scanned..at]) {
            line += 1;
            hay_line_start = scanned + newline + 1;
            if !same {
                let rest = &text.as_bytes()[text_line_start..];
                text_line_start += memchr::memchr(b'\n', rest).map_or(rest.len(), |n| n + 1);
            }
        }
        scanned = at.max(scanned);
        let (column, length) = if same {
            (at - hay_line_start, len)
        } else {
            original_span(&text[text_line_start..], at - hay_line_start, len)
        };
        found.push(Hit {
            line,
            line_start: if same {
                hay_line_start
            } else {
                text_line_start
            },
            column,
            len: length,
            term,
        });
    }
    found
}

/// Whether folding kept every character's length (nearly always: only a few characters, such as
/// `ſ` and the Kelvin sign, fold to a character of another length).
fn lengths_kept(text: &str, hay: &str) -> bool {
    text.chars()
        .map(char::len_utf8)
        .eq(hay.chars().map(char::len_utf8))
}

/// The byte column and length in `line` (text as written, from a line's start) of the span at
/// `column`, `len` bytes long, of the line's folded form.
fn original_span(line: &str, column: usize, len: usize) -> (usize, usize) {
    let (mut folded_at, mut start, mut end) = (0, None, line.len());
    for (at, c) in line.char_indices() {
        if folded_at == column {
            start = Some(at);
        }
        if folded_at == column + len {
            end = at;
            break;
        }
        folded_at += fold::fold_char(c).len_utf8();
    }
    let start = start.unwrap_or(line.len());
    (start, end.saturating_sub(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> Query {
        Query::parse(text).unwrap()
    }

    #[test]
    fn all_terms_must_occur_and_exclusions_exclude() {
        let text = "# 容器与 eBPF\n\n容器里的 EBPF 程序，容器。\n";
        let mut scratch = Scratch::default();
        let found = examine(text, &query("容器 ebpf"), Detail::Counts, &mut scratch).unwrap();
        assert_eq!(found.hits[..], [3, 2]);
        assert!(examine(text, &query("容器 rust"), Detail::Counts, &mut scratch).is_none());
        assert!(examine(text, &query("容器 -ebpf"), Detail::Counts, &mut scratch).is_none());
        assert!(examine(text, &query("容器 -rust"), Detail::Counts, &mut scratch).is_some());
        // Within one line: a phrase never spans a line break.
        assert!(examine(text, &query("\"eBPF 容器\""), Detail::Counts, &mut scratch).is_none());
    }

    #[test]
    fn a_title_is_looked_through_as_its_text_would_be() {
        let titles = [
            "Rust 数据",
            "\u{212A}elvin 和 ſtraße",
            "“编译器”——rust",
            "ǅ ǆ",
            "",
        ];
        for q in ["rust", "编译器", "数据 -rust", "straße", "k", "ǆ"] {
            let query = query(q);
            for title in titles {
                let (mut folded, mut scratch) = (String::new(), TitleScratch::default());
                let want = haystack(title, &query, &mut folded).0.as_bytes().to_vec();
                let got = title_haystack(title.as_bytes(), &query, &mut scratch);
                assert_eq!(got, want, "{q:?} in {title:?}");
            }
        }
        // Bytes that are not UTF-8, where the title must be folded whole: looked through as
        // empty, never a panic.
        let mut scratch = TitleScratch::default();
        assert!(title_haystack(b"\xff\xfe", &query("straße"), &mut scratch).is_empty());
    }

    #[test]
    fn ascii_terms_count_the_same_whether_the_text_is_folded_whole_or_not() {
        let mut scratch = Scratch::default();
        let mut hits = |text: &str, q: &str| {
            examine(text, &query(q), Detail::Places, &mut scratch).map(|e| {
                let columns: Vec<usize> = e.places.iter().map(|h| h.column).collect();
                (e.hits.to_vec(), columns)
            })
        };
        // Without a Kelvin sign or a long s only ASCII letters are folded; with one, all.
        assert_eq!(
            hits("数据 Rust rUST ǅ", "rust"),
            Some((vec![2], vec![7, 12]))
        );
        assert_eq!(hits("\u{212A}ey key", "k"), Some((vec![2], vec![0, 6])));
        assert_eq!(hits("ſs ss", "ss"), Some((vec![2], vec![0, 4])));
        assert_eq!(
            hits("RUST内存 rust内存", "Rust内存"),
            Some((vec![2], vec![0, 11]))
        );
        assert_eq!(hits("ǅ ǆ", "ǆ"), Some((vec![2], vec![0, 3])));
        assert_eq!(hits("rust", "rust -\u{212A}"), Some((vec![1, 0], vec![0])));
        assert_eq!(hits("rust \u{212A}", "rust -k"), None);
    }

    #[test]
    fn places_are_lines_and_byte_columns_of_the_text_as_written() {
        let text = "一\nſtrasse 容器\nKELVIN straße\n";
        let mut scratch = Scratch::default();
        let found = examine(text, &query("strasse 容器"), Detail::Places, &mut scratch).unwrap();
        let shown: Vec<_> = found
            .places
            .iter()
            .map(|h| {
                (
                    h.line,
                    h.column,
                    h.len,
                    &text[h.line_start + h.column..][..h.len],
                )
            })
            .collect();
        assert_eq!(shown, [(2, 0, 8, "ſtrasse"), (2, 9, 6, "容器")]);
        let found = examine(text, &query("kelvin"), Detail::Places, &mut scratch).unwrap();
        assert_eq!((found.places[0].line, found.places[0].column), (3, 0));
    }
}
