//! A fuzzy term of one char (a first keystroke) scored exactly as nucleo-matcher scores it,
//! without its Unicode lookups on every Chinese character of a title.
//!
//! For a one-char term nucleo takes the best single position of that char: a bonus for what
//! precedes it (a space, a delimiter, a case change) and nothing else. But it finds that
//! position by classifying and normalizing every char from the first match on, and for a
//! Chinese character that means four Unicode table lookups (lower case, upper case, numeric,
//! alphabetic) and two binary searches. With half of 100,000 titles holding an `r`, those
//! lookups were most of a first keystroke's time (BENCHMARKS.md, "a keystroke on 100k titles").
//! A CJK ideograph can only be itself (no case, no diacritics) and is always
//! a letter, so it is compared as it is; every other char goes through the same steps as in
//! nucleo-matcher 0.3.1 (`exact.rs`, `substring_match_1_non_ascii`, and `chars.rs`), and the
//! tests check the scores against nucleo's own.

use nucleo_matcher::Utf32Str;
use nucleo_matcher::chars::{is_upper_case, normalize, to_lower_case};
use nucleo_matcher::pattern::{Atom, AtomKind};

use crate::find::unit::Unit;

/// nucleo's character classes, in its order (a class above `Delimiter` is part of a word).
/// Shared with `pinyin`, so that a match by pinyin and one as written score on one scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    Whitespace,
    NonWord,
    Delimiter,
    Lower,
    Upper,
    Letter,
    Number,
}

/// nucleo's scores and bonuses (`score.rs`) with its default configuration (`Config::DEFAULT`).
pub(crate) const SCORE_MATCH: u16 = 16;
pub(crate) const BONUS_FIRST_CHAR_MULTIPLIER: u16 = 2;
pub(crate) const BONUS_BOUNDARY: u16 = SCORE_MATCH / 2;
pub(crate) const BONUS_BOUNDARY_WHITE: u16 = BONUS_BOUNDARY + 2;
const BONUS_BOUNDARY_DELIMITER: u16 = BONUS_BOUNDARY + 1;
const BONUS_CAMEL123: u16 = BONUS_BOUNDARY - 3;
const BONUS_NON_WORD: u16 = BONUS_BOUNDARY;
const DELIMITERS: &[u8] = b"/,:;|";
/// The class before a title's first char.
const INITIAL: Class = Class::Whitespace;

/// The CJK Unified Ideographs and their extension A: unchanged by case folding and
/// normalization, and letters (the tests go through every one).
pub(crate) fn is_ideograph(c: char) -> bool {
    is_ideograph_code(u32::from(c))
}

/// [`is_ideograph`] by code point.
#[inline]
pub(crate) fn is_ideograph_code(code: u32) -> bool {
    matches!(code, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

/// nucleo's `Config::bonus_for`.
pub(crate) fn bonus_for(prev: Class, class: Class) -> u16 {
    if class > Class::Delimiter {
        match prev {
            Class::Whitespace => return BONUS_BOUNDARY_WHITE,
            Class::Delimiter => return BONUS_BOUNDARY_DELIMITER,
            Class::NonWord => return BONUS_BOUNDARY,
            _ => (),
        }
    }
    if prev == Class::Lower && class == Class::Upper
        || prev != Class::Number && class == Class::Number
    {
        BONUS_CAMEL123
    } else if class == Class::Whitespace {
        BONUS_BOUNDARY_WHITE
    } else if class == Class::NonWord {
        BONUS_NON_WORD
    } else {
        0
    }
}

/// nucleo's `char_class` (for a `char` haystack).
pub(crate) fn class(c: char) -> Class {
    if c.is_ascii() {
        let b = c as u8;
        return match b {
            b'a'..=b'z' => Class::Lower,
            b'A'..=b'Z' => Class::Upper,
            b'0'..=b'9' => Class::Number,
            _ if b.is_ascii_whitespace() => Class::Whitespace,
            _ if DELIMITERS.contains(&b) => Class::Delimiter,
            _ => Class::NonWord,
        };
    }
    if is_ideograph(c) {
        return Class::Letter;
    }
    // The CJK and full-width punctuation of Chinese titles: neither letters nor white space,
    // told without Unicode table lookups.
    if matches!(c, '\u{3001}'..='\u{3004}' | '\u{3008}'..='\u{3011}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
    {
        return Class::NonWord;
    }
    if c.is_lowercase() {
        Class::Lower
    } else if is_upper_case(c) {
        Class::Upper
    } else if c.is_numeric() {
        Class::Number
    } else if c.is_alphabetic() {
        Class::Letter
    } else if c.is_whitespace() {
        Class::Whitespace
    } else {
        Class::NonWord
    }
}

/// A fuzzy term of one char, with the case and normalization settings nucleo gives it.
#[derive(Debug, Clone, Copy)]
pub struct OneChar {
    needle: char,
    ignore_case: bool,
    normalize: bool,
    /// True when nucleo holds the needle as ASCII: only then can an ASCII text match it.
    ascii: bool,
}

impl OneChar {
    /// The fast form of `atom` when it is a fuzzy term of one char, parsed with smart case and
    /// smart normalization (as `filter` parses queries).
    pub fn new(atom: &Atom) -> Option<OneChar> {
        if atom.negative || atom.kind != AtomKind::Fuzzy || atom.needle_text().len() != 1 {
            return None;
        }
        let needle = atom.needle_text().get(0);
        // As `Atom::new` derives them: an ASCII needle is always normalized, another only when
        // normalizing leaves it as it is; the case is ignored unless the needle is upper case.
        Some(OneChar {
            needle,
            ignore_case: if needle.is_ascii() {
                !needle.is_ascii_uppercase()
            } else {
                !is_upper_case(needle)
            },
            normalize: needle.is_ascii() || normalize(needle) == needle,
            ascii: matches!(atom.needle_text(), Utf32Str::Ascii(_)),
        })
    }

    /// `c` as nucleo's prefilter compares it (`Char::normalize`).
    fn prefilter_form(&self, c: char) -> char {
        if c.is_ascii() {
            return if self.ignore_case {
                c.to_ascii_lowercase()
            } else {
                c
            };
        }
        let mut c = c;
        if self.normalize {
            c = normalize(c);
        }
        if self.ignore_case {
            c = to_lower_case(c);
        }
        c
    }

    /// `c` as nucleo's scan compares it, with its class (`Char::char_class_and_normalize`).
    fn scan_form(&self, c: char) -> (char, Class) {
        let class = class(c);
        if c.is_ascii() {
            let c = if self.ignore_case && class == Class::Upper {
                c.to_ascii_lowercase()
            } else {
                c
            };
            return (c, class);
        }
        let mut c = c;
        let mut fold = class == Class::Upper;
        if self.normalize {
            c = normalize(c);
            fold = true;
        }
        if fold && self.ignore_case {
            c = to_lower_case(c);
        }
        (c, class)
    }

    /// nucleo's score for this term in `title` (one char per grapheme cluster, at least two:
    /// nucleo matches a title as long as the term another way).
    pub fn score<U: Unit>(&self, title: &[U]) -> Option<u16> {
        debug_assert!(title.len() > 1);
        let needle = self.needle;
        // Where an ideograph is not the needle, no form of it is.
        let needle_code = u32::from(needle);
        let start = title.iter().position(|&unit| {
            let code = unit.code();
            code == needle_code
                || !is_ideograph_code(code) && self.prefilter_form(unit.char()) == needle
        })?;
        let mut prev = start
            .checked_sub(1)
            .map_or(INITIAL, |i| class(title[i].char()));
        let mut best = 0;
        for &unit in &title[start..] {
            let code = unit.code();
            if code != needle_code && is_ideograph_code(code) {
                continue;
            }
            let c = unit.char();
            // An ASCII char is classed only where it is the needle: most of a title's are not.
            let class = if c.is_ascii() {
                let folded = if self.ignore_case {
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                if folded != needle {
                    continue;
                }
                class(c)
            } else {
                let (c, class) = self.scan_form(c);
                if c != needle {
                    continue;
                }
                class
            };
            // As nucleo does: the class before a later match is that of the previous match.
            let bonus = bonus_for(prev, class);
            prev = class;
            let score = bonus * BONUS_FIRST_CHAR_MULTIPLIER + SCORE_MATCH;
            if score > best {
                best = score;
                if bonus >= BONUS_BOUNDARY_WHITE {
                    break;
                }
            }
        }
        Some(best)
    }
}

impl OneChar {
    /// nucleo's greedy score (`Matcher::fuzzy_match_greedy`, as original titles are scored)
    /// for this term in an ASCII `text` of at least two bytes: greedy takes the first
    /// occurrence of the char, with the bonus of what precedes it (nucleo 0.3.1, `lib.rs`
    /// `fuzzy_match_greedy_impl`, `prefilter_ascii` and `score.rs` `calculate_score`).
    pub fn greedy_ascii(&self, text: &[u8]) -> Option<u16> {
        debug_assert!(text.len() > 1);
        if !self.ascii {
            return None;
        }
        let needle = self.needle as u8;
        let start = if self.ignore_case && needle.is_ascii_lowercase() {
            memchr::memchr2(needle, needle.to_ascii_uppercase(), text)
        } else {
            memchr::memchr(needle, text)
        }?;
        let prev = start
            .checked_sub(1)
            .map_or(INITIAL, |i| class(char::from(text[i])));
        let bonus = bonus_for(prev, class(char::from(text[start])));
        Some(bonus * BONUS_FIRST_CHAR_MULTIPLIER + SCORE_MATCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nucleo_matcher::pattern::{CaseMatching, Normalization};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    use proptest::prelude::*;

    /// nucleo's score and the fast one for `query` in `title`.
    fn both(query: &str, title: &[char]) -> (Option<u16>, Option<u16>) {
        let atom = Atom::parse(query, CaseMatching::Smart, Normalization::Smart);
        let one = OneChar::new(&atom).expect(query);
        let mut matcher = Matcher::new(Config::DEFAULT);
        (
            atom.score(Utf32Str::Unicode(title), &mut matcher),
            one.score(title),
        )
    }

    /// Chars of every class and every way of matching a Latin letter.
    const POOL: &[char] = &[
        'a', 'r', 'R', 's', 'S', 'e', 'E', 'x', 'z', '0', '7', ' ', '\t', '/', ',', ':', ';', '|',
        '-', '.', '_', '(', '#', 'é', 'É', 'è', 'ŕ', 'Ŕ', 'ř', 'ś', 'Ş', 'ſ', 'ǅ', 'ß', 'æ', 'Ω',
        'ω', 'ς', 'Σ', 'ａ', 'ｒ', 'Ｒ', '１', '：', '，', '。', '「', '\u{3000}', '\u{A0}', '二',
        '编', '译', '日', '〇', '㐀', '\u{301}', '\u{200B}', 'ⅰ', 'Ⅸ', '①', 'ǈ',
    ];

    /// Every one-char query the pool offers, and some more.
    fn queries() -> Vec<String> {
        let mut queries: Vec<String> = POOL.iter().map(char::to_string).collect();
        queries.extend((b'!'..=b'~').map(|b| char::from(b).to_string()));
        // White space and the operators alone are no fuzzy term.
        queries.retain(|q| !q.trim().is_empty() && !matches!(q.as_str(), "!" | "'" | "^" | "$"));
        queries
    }

    #[test]
    fn the_punctuation_fast_path_classes_as_the_slow_path_would() {
        let ranges = [
            '\u{3001}'..='\u{3004}',
            '\u{3008}'..='\u{3011}',
            '\u{FF01}'..='\u{FF0F}',
            '\u{FF1A}'..='\u{FF20}',
        ];
        for c in ranges.into_iter().flatten() {
            let slow = !c.is_lowercase()
                && !is_upper_case(c)
                && !c.is_numeric()
                && !c.is_alphabetic()
                && !c.is_whitespace();
            assert!(slow, "{c:?} is NonWord to nucleo too");
            assert_eq!(class(c), Class::NonWord);
        }
    }

    #[test]
    fn ideographs_are_letters_without_other_forms() {
        let ideographs = ('\u{3400}'..='\u{4DBF}').chain('\u{4E00}'..='\u{9FFF}');
        for c in ideographs {
            assert!(is_ideograph(c));
            assert_eq!(normalize(c), c);
            assert_eq!(to_lower_case(c), c);
            assert!(!c.is_lowercase() && !is_upper_case(c) && !c.is_numeric());
            assert!(c.is_alphabetic());
        }
        for c in (0..128u8).map(char::from) {
            assert_eq!(normalize(c), c);
            assert_eq!(to_lower_case(c), c.to_ascii_lowercase());
        }
    }

    #[test]
    fn scores_as_nucleo_on_every_pair_of_pool_chars() {
        for query in queries() {
            for &a in POOL {
                for &b in POOL {
                    let title = [a, b];
                    let (theirs, ours) = both(&query, &title);
                    assert_eq!(ours, theirs, "{query:?} in {title:?}");
                }
            }
        }
    }

    #[test]
    fn scores_as_nucleo_on_generated_titles() {
        let mut rng = crate::archive::synth::Rng::new(7);
        for _ in 0..500 {
            let title: Vec<char> = crate::archive::synth::title(&mut rng).chars().collect();
            if title.len() < 2 {
                continue;
            }
            for query in queries() {
                let (theirs, ours) = both(&query, &title);
                assert_eq!(ours, theirs, "{query:?} in {title:?}");
            }
        }
    }

    /// nucleo's greedy score (as original titles are scored) and the byte scan's for `query`
    /// in the ASCII `text`.
    fn both_greedy(query: &str, text: &str) -> (Option<u16>, Option<u16>) {
        let atom = Atom::parse(query, CaseMatching::Smart, Normalization::Smart);
        let one = OneChar::new(&atom).expect(query);
        let mut matcher = Matcher::new(Config::DEFAULT);
        // As the ranking does: an empty text sets the matcher's case and normalization.
        let _ = atom.score(Utf32Str::Ascii(b""), &mut matcher);
        let theirs =
            matcher.fuzzy_match_greedy(Utf32Str::Ascii(text.as_bytes()), atom.needle_text());
        (theirs, one.greedy_ascii(text.as_bytes()))
    }

    #[test]
    fn greedy_scores_as_nucleo_on_generated_original_titles() {
        let mut rng = crate::archive::synth::Rng::new(11);
        let mut matched = 0;
        for _ in 0..500 {
            let text = crate::archive::synth::original_title(&mut rng);
            for query in queries() {
                let (theirs, ours) = both_greedy(&query, &text);
                assert_eq!(ours, theirs, "{query:?} in {text:?}");
                matched += usize::from(ours.is_some());
            }
        }
        assert!(
            matched > 10_000,
            "only {matched} matches: the test compares little"
        );
    }

    /// ASCII chars of every class, both cases.
    const ASCII_POOL: &[char] = &[
        'a', 'r', 'R', 's', 'S', 'e', 'E', 'x', 'z', '0', '7', ' ', '\t', '/', ',', ':', ';', '|',
        '-', '.', '_', '(', '#',
    ];

    proptest! {
        #[test]
        fn greedy_scores_as_nucleo_on_any_ascii_mix(
            text in prop::collection::vec(prop::sample::select(ASCII_POOL), 2..12),
            query in prop::sample::select(queries()),
        ) {
            let text: String = text.into_iter().collect();
            let (theirs, ours) = both_greedy(&query, &text);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn scores_as_nucleo_on_any_mix(
            title in prop::collection::vec(prop::sample::select(POOL), 2..12),
            query in prop::sample::select(queries()),
        ) {
            let (theirs, ours) = both(&query, &title);
            prop_assert_eq!(ours, theirs);
        }
    }
}
