//! Fuzzy ranking of titles: the same order for `folio find` and the list pane.
//!
//! A query is read as fzf reads one: white space separates terms that must all match (a
//! backslash keeps a space in a term); `'term` matches exactly, `^term` at the start, `term$`
//! at the end, `!term` excludes. Smart case: a term with an upper-case letter matches case
//! exactly. Best score first; equal scores keep the archive's order.
//!
//! Pinyin jumping: a fuzzy term with Latin letters also matches Chinese characters by their
//! pinyin (initials, whole syllables, mixed with Chinese and English: `bjdx`, `beijing`,
//! `wx暂停`; see [`crate::find::pinyin`]). A title that matches every term as written ranks above
//! every title that needs pinyin for some term.
//!
//! The engine is nucleo-matcher (helix's matcher, fzf's scoring and query syntax). With titles
//! prepared once, character masks that skip titles lacking a query's characters (or their
//! pinyin letters), and a term of one char scored without nucleo's Unicode lookups per Chinese
//! character ([`crate::find::one_char`], the same scores), a keystroke on 100,000 titles ranks
//! within a frame; fuzzy-matcher stays in the filter bench as the reference (figures in
//! BENCHMARKS.md).

use std::sync::Mutex;

use rayon::prelude::*;

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Utf32Str};
use unicode_segmentation::UnicodeSegmentation;

use crate::find::one_char::OneChar;
use crate::find::pinyin::{Readings, Table, Term};

/// One title that matched: its index in the list ranked, and how well it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index of the title in the sequence given to [`Matcher::rank`].
    pub index: usize,
    /// Higher is better.
    pub score: u32,
}

/// Titles prepared for ranking: converted once (one `char` per grapheme cluster, as the matcher
/// reads them), then ranked against every query typed.
///
/// Stored as columns, not a string per title: every title's chars lie one after another in one
/// buffer (ASCII titles as bytes in another), and what a ranking reads first about a title (its
/// masks and where its text is) sits in one [`Row`], so that a ranking walks memory in order
/// instead of chasing an allocation per title.
#[derive(Debug, Default, Clone)]
pub struct Titles {
    /// One row per title, in order.
    rows: Vec<Row>,
    /// The ASCII titles' bytes, one after another.
    ascii: Vec<u8>,
    /// The other titles' chars (one per grapheme cluster), one after another.
    unicode: Vec<char>,
    /// The syllable sets of the titles' characters.
    readings: Readings,
    /// For each title with pinyin, one syllable set per char (as nucleo reads the title), at
    /// `units[row.units..]`, as many as the title has chars.
    units: Vec<u16>,
}

/// What a ranking reads about one title before scoring it, and where the rest is.
#[derive(Debug, Default, Clone, Copy)]
struct Row {
    /// A 64-bit summary of the characters the title holds (see [`char_bits`]): a query whose
    /// characters are not all in it cannot match, whatever the scoring says.
    mask: u64,
    /// The mask with the letters of its characters' pinyin readings added, or 0 when no
    /// character has one (pinyin cannot help).
    pinyin_mask: u64,
    /// The [`char_bit`]s of its characters' pinyin letters alone (0 without).
    reading_mask: u64,
    /// The [`char_bits`] of its original title (0 when it has none).
    original_mask: u64,
    /// Where its text starts in `ascii` (ASCII) or `unicode` (the others).
    text: u32,
    /// How many chars it has, with [`ASCII`] set when it is in `ascii`.
    text_len: u32,
    /// Where its syllable sets start in `units` ([`NO_UNITS`] without pinyin).
    units: u32,
    /// Where its original title (see [`crate::archive::article::Article::original_title`])
    /// starts, in `ascii` or `unicode` as its text: most titles of a translated archive have
    /// one (ASCII), matched as written (no pinyin, no masks beyond one).
    original: u32,
    /// How many chars it has (0: none), with [`ASCII`] set when it is in `ascii`.
    original_len: u32,
}

/// The bit of [`Row::text_len`] that says the title is ASCII.
const ASCII: u32 = 1 << 31;
/// [`Row::units`] of a title without pinyin.
const NO_UNITS: u32 = u32::MAX;

/// `n` as a `u32` offset: the titles of an archive hold well under 4 G chars in all.
fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("the titles hold under 4 G chars in all")
}

impl Titles {
    /// Prepares `titles` in order.
    pub fn new<'a>(titles: impl IntoIterator<Item = &'a str>) -> Titles {
        let mut prepared = Titles::default();
        titles.into_iter().for_each(|title| prepared.push(title));
        prepared
    }

    /// Prepares titles in order, each with its original title where it has one.
    pub fn with_originals<'a>(
        titles: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Titles {
        let mut prepared = Titles::default();
        titles
            .into_iter()
            .for_each(|(title, original)| prepared.push_with(title, original));
        prepared
    }

    /// Adds one title at the end (an article that just arrived).
    pub fn push(&mut self, title: &str) {
        self.push_with(title, None);
    }

    /// Adds one title and its original title at the end.
    pub fn push_with(&mut self, title: &str, original: Option<&str>) {
        let original = original.unwrap_or("");
        let mut row = Row {
            original_mask: original.chars().fold(0, |mask, c| mask | char_bits(c)),
            units: NO_UNITS,
            ..Row::default()
        };
        (row.text, row.text_len) = self.store(title);
        (row.original, row.original_len) = self.store(original);
        let text = row.text as usize..(row.text + (row.text_len & !ASCII)) as usize;
        if row.text_len & ASCII != 0 {
            let bytes = &self.ascii[text];
            row.mask = bytes.iter().fold(0, |m, &b| m | char_bits(char::from(b)));
        } else {
            let chars = &self.unicode[text];
            row.mask = chars.iter().fold(0, |mask, &c| mask | char_bits(c));
            let units = self.units.len();
            let mut readings = 0;
            for &c in chars {
                let set = self.readings.set_of(c);
                readings |= self.readings.letters(set, char_bit);
                self.units.push(set);
            }
            if readings == 0 {
                self.units.truncate(units);
            } else {
                row.units = offset(units);
                row.reading_mask = readings;
                row.pinyin_mask = row.mask | readings;
            }
        }
        self.rows.push(row);
    }

    /// The same titles in a new order: position `i` takes title `order[i]` (`order` is a
    /// permutation), as the list is reordered when indexing ends. Only the rows move (they
    /// point into the buffers, which stay as they are): the first keystroke typed right after
    /// indexing waits for this, and preparing every title again with its pinyin held it up.
    pub fn reordered(mut self, order: &[usize]) -> Titles {
        self.rows = order.iter().map(|&old| self.rows[old]).collect();
        self
    }

    /// Title `index` as the matcher reads it.
    fn text(&self, index: usize) -> Utf32Str<'_> {
        text_of(&self.rows[index], &self.ascii, &self.unicode)
    }

    /// Title `index`'s original title as the matcher reads it, empty when it has none.
    fn original(&self, index: usize) -> Utf32Str<'_> {
        let row = &self.rows[index];
        let start = row.original as usize;
        let len = (row.original_len & !ASCII) as usize;
        if row.original_len & ASCII != 0 {
            Utf32Str::Ascii(&self.ascii[start..start + len])
        } else {
            Utf32Str::Unicode(&self.unicode[start..start + len])
        }
    }

    /// Stores `text` as the matcher reads it (ASCII in `ascii`, else in `unicode`): where it
    /// starts, and its length with [`ASCII`] set when it is in `ascii`.
    fn store(&mut self, text: &str) -> (u32, u32) {
        match utf32(text, &mut Vec::new()) {
            Utf32Str::Ascii(bytes) => {
                let start = offset(self.ascii.len());
                self.ascii.extend_from_slice(bytes);
                (start, offset(bytes.len()) | ASCII)
            }
            Utf32Str::Unicode(chars) => {
                let start = offset(self.unicode.len());
                self.unicode.extend_from_slice(chars);
                (start, offset(chars.len()))
            }
        }
    }

    /// How many titles there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Title `index`'s syllable sets, one per char (empty without pinyin).
    fn units(&self, index: usize) -> &[u16] {
        let row = &self.rows[index];
        if row.units == NO_UNITS {
            return &[];
        }
        let start = row.units as usize;
        &self.units[start..start + (row.text_len & !ASCII) as usize]
    }

    /// The bytes the prepared titles hold (their buffers' capacity, the syllable tables shared
    /// by all aside), for the benches.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.ascii.capacity()
            + self.unicode.capacity() * std::mem::size_of::<char>()
            + self.units.capacity() * std::mem::size_of::<u16>()
    }
}

/// The text a row points at, in `ascii` or `unicode`.
fn text_of<'a>(row: &Row, ascii: &'a [u8], unicode: &'a [char]) -> Utf32Str<'a> {
    let start = row.text as usize;
    let len = (row.text_len & !ASCII) as usize;
    if row.text_len & ASCII != 0 {
        Utf32Str::Ascii(&ascii[start..start + len])
    } else {
        Utf32Str::Unicode(&unicode[start..start + len])
    }
}

/// A matcher's pinyin terms compared with one [`Titles`]' syllables.
struct Tables(Vec<Option<Table>>);

/// A parsed query and the matcher that scores titles against it.
pub struct Matcher {
    pattern: Pattern,
    /// Per term, its fast form when it is a fuzzy term of one char (a first keystroke).
    one_char: Vec<Option<OneChar>>,
    /// The [`char_bit`]s of every char the query needs in a title.
    required: u64,
    /// Per term, its pinyin form when pinyin may match it (a fuzzy term with Latin letters).
    pinyin: Vec<Option<Term>>,
    /// The bits a title's pinyin mask needs for the pinyin path (`None`: no term can use it).
    pinyin_required: Option<u64>,
    /// Per term of one char with a pinyin form, the [`char_bit`] of its letter: a title's
    /// readings must hold it for pinyin to beat the term's score as written (see
    /// [`Matcher::score_pinyin`]).
    one_letter: Vec<Option<u64>>,
    /// Per term, the [`char_bit`]s a title needs for it to match as written (0 for an
    /// exclusion).
    atom_required: Vec<u64>,
    /// True when some term excludes (`!term`).
    has_exclusion: bool,
    /// Per term, its first char when it is a fuzzy term, and whether case is ignored (smart
    /// case: no upper-case letter in the term); see [`Matcher::prefix_bonus`].
    first_chars: Vec<Option<(char, bool)>>,
    /// Scratch memory for one title at a time (ranking many uses one per thread).
    scratch: Mutex<Scratch>,
}

/// nucleo-matcher 0.3.1 never finds a substring term (`'term`, `!term`) at the very end of a
/// title that is not ASCII (its scan stops one place early): such terms are matched against
/// the title with this character after it, which no query can match.
const PAST_THE_END: char = '\u{FFFF}';

/// True when every char of `text` is a grapheme cluster of its own: no combining marks,
/// joiners, variation selectors, regional indicators or Hangul jamo, only the ranges Chinese
/// titles are made of (Latin, CJK, their punctuation, full-width forms). Such text needs no
/// grapheme segmentation, which costs more than the matching itself.
fn simple_clusters(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c, ' '..='~' | '\u{A0}'..='\u{2FF}' | '\u{2010}'..='\u{206F}'
            | '\u{3000}'..='\u{303F}' | '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF60}')
            && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}')
    })
}

/// `title` as the matcher reads it (one `char` per grapheme cluster), using `buffer`: as
/// `Utf32Str::new`, without segmenting text where every char is a cluster of its own.
fn utf32<'a>(title: &'a str, buffer: &'a mut Vec<char>) -> Utf32Str<'a> {
    if title.is_ascii() || !simple_clusters(title) {
        return Utf32Str::new(title, buffer);
    }
    buffer.clear();
    buffer.extend(title.chars());
    Utf32Str::Unicode(buffer)
}

/// The chars of a prepared title.
fn chars_of(text: Utf32Str<'_>) -> impl Iterator<Item = char> + '_ {
    let (ascii, unicode) = match text {
        Utf32Str::Ascii(bytes) => (bytes, &[][..]),
        Utf32Str::Unicode(chars) => (&[][..], chars),
    };
    ascii
        .iter()
        .map(|&b| char::from(b))
        .chain(unicode.iter().copied())
}

/// The bit a character stands for in a title's mask.
fn char_bit(c: char) -> u64 {
    // Fibonacci hashing spreads neighbouring code points (a run of ideographs) over the bits.
    1 << (u32::from(c).wrapping_mul(0x9E37_79B9) >> 26)
}

/// The bits of every form the matcher may compare `c` in: as written, case-folded,
/// without its diacritics (`é` is found by `e`), and both.
fn char_bits(c: char) -> u64 {
    use nucleo_matcher::chars::{normalize, to_lower_case};
    // Ideographs, kana and CJK punctuation have no case and no diacritics; ASCII only case.
    if matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF60}')
    {
        return char_bit(c);
    }
    if c.is_ascii() {
        return char_bit(c) | char_bit(c.to_ascii_lowercase());
    }
    char_bit(c)
        | char_bit(to_lower_case(c))
        | char_bit(normalize(c))
        | char_bit(to_lower_case(normalize(c)))
        | char_bit(normalize(to_lower_case(c)))
}

/// Makes again each atom whose needle is not ASCII and still holds the backslash of an
/// escaped space (`rust\ 写`): nucleo-matcher 0.3.1 keeps it there, so such a term matched
/// nothing (helix-editor/nucleo#87 fixes it upstream, not yet released).
fn unescape_spaces(pattern: &mut Pattern) {
    for atom in &mut pattern.atoms {
        let Utf32Str::Unicode(chars) = atom.needle_text() else {
            continue;
        };
        if !chars.windows(2).any(|pair| pair == ['\\', ' ']) {
            continue;
        }
        let mut text = String::with_capacity(chars.len());
        let mut chars = chars.iter().peekable();
        while let Some(&c) = chars.next() {
            if c == '\\' && chars.peek() == Some(&&' ') {
                continue;
            }
            text.push(c);
        }
        let negative = atom.negative;
        *atom = Atom::new(
            &text,
            CaseMatching::Smart,
            Normalization::Smart,
            atom.kind,
            false,
        );
        atom.negative = negative;
    }
}

/// How many titles one thread ranks at a time.
const CHUNK: usize = 8 * 1024;

/// What scoring needs besides the query: nucleo's matcher (it holds scratch memory) and
/// buffers for titles that are not ASCII.
struct Scratch {
    engine: nucleo_matcher::Matcher,
    /// One `char` per grapheme cluster of the title being scored.
    buffer: Vec<char>,
    /// The same, with [`PAST_THE_END`] after it.
    padded: Vec<char>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            engine: nucleo_matcher::Matcher::new(Config::DEFAULT),
            buffer: Vec::new(),
            padded: Vec::new(),
        }
    }
}

impl Matcher {
    /// A matcher for `query` (an empty query matches everything).
    pub fn new(query: &str) -> Matcher {
        let mut pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        unescape_spaces(&mut pattern);
        // Every char of a term that must match must be in the title (white space aside: an
        // exact term's edge spaces stand for the title's edges).
        let required = pattern
            .atoms
            .iter()
            .filter(|atom| !atom.negative)
            .flat_map(|atom| chars_of(atom.needle_text()).collect::<Vec<_>>())
            .filter(|c| !c.is_whitespace())
            .fold(0, |mask, c| mask | char_bit(c));
        let pinyin: Vec<Option<Term>> = pattern
            .atoms
            .iter()
            .map(|atom| {
                (!atom.negative && atom.kind == AtomKind::Fuzzy)
                    .then(|| Term::new(chars_of(atom.needle_text())))
                    .flatten()
            })
            .collect();
        let pinyin_required = pinyin.iter().any(Option::is_some).then(|| {
            pattern
                .atoms
                .iter()
                .zip(&pinyin)
                .filter(|(atom, _)| !atom.negative)
                .flat_map(|(atom, term)| match term {
                    Some(term) => term.required().collect::<Vec<_>>(),
                    None => chars_of(atom.needle_text()).collect(),
                })
                .filter(|c| !c.is_whitespace())
                .fold(0, |mask, c| mask | char_bit(c))
        });
        let atom_required = pattern
            .atoms
            .iter()
            .map(|atom| {
                chars_of(atom.needle_text())
                    .filter(|c| !atom.negative && !c.is_whitespace())
                    .fold(0, |mask, c| mask | char_bit(c))
            })
            .collect();
        let one_char: Vec<Option<OneChar>> = pattern.atoms.iter().map(OneChar::new).collect();
        let one_letter = pinyin
            .iter()
            .zip(&one_char)
            .map(|(term, one)| {
                let term = term.as_ref().filter(|_| one.is_some())?;
                Some(term.required().fold(0, |mask, c| mask | char_bit(c)))
            })
            .collect();
        let has_exclusion = pattern.atoms.iter().any(|atom| atom.negative);
        let first_chars = pattern
            .atoms
            .iter()
            .map(|atom| {
                let mut needle = chars_of(atom.needle_text());
                let first = needle.next()?;
                let ignore_case = !first.is_uppercase() && !needle.any(char::is_uppercase);
                (!atom.negative && atom.kind == AtomKind::Fuzzy).then_some((first, ignore_case))
            })
            .collect();
        Matcher {
            first_chars,
            has_exclusion,
            pattern,
            one_char,
            required,
            atom_required,
            pinyin,
            pinyin_required,
            one_letter,
            scratch: Mutex::new(Scratch::new()),
        }
    }

    /// Whether the title with `mask` may match at all without pinyin.
    fn may_match(&self, mask: u64) -> bool {
        mask & self.required == self.required
    }

    /// Whether the title with pinyin mask `mask` may match with pinyin.
    fn may_match_pinyin(&self, mask: u64) -> bool {
        self.pinyin_required
            .is_some_and(|required| mask & required == required)
    }

    /// The score of a prepared title that may match with pinyin: each term scores as written
    /// or by pinyin, whichever is better (one scale for both).
    fn score_pinyin(
        &self,
        titles: &Titles,
        index: usize,
        tables: &Tables,
        scratch: &mut Scratch,
    ) -> Option<u32> {
        let title = titles.text(index);
        let Utf32Str::Unicode(chars) = title else {
            return None;
        };
        let units = titles.units(index);
        let row = &titles.rows[index];
        let mask = row.mask;
        let mut total = 0u32;
        for (i, (atom, term)) in self.pattern.atoms.iter().zip(&self.pinyin).enumerate() {
            let required = self.atom_required[i];
            let plain = if mask & required != required {
                None
            } else if atom.kind == AtomKind::Substring {
                scratch.padded.clear();
                scratch.padded.extend_from_slice(chars);
                scratch.padded.push(PAST_THE_END);
                atom.score(Utf32Str::Unicode(&scratch.padded), &mut scratch.engine)
            } else {
                self.score_atom(i, title, &mut scratch.engine)
            };
            // A term of one char matched by pinyin at its first char that can take it (the
            // best match that ends first): where that is the char as written, it scores as
            // nucleo scores it there, no more than the best place as written. So pinyin only
            // beats a match as written through a reading that holds the letter.
            let no_reading = matches!(self.one_letter[i], Some(bit) if row.reading_mask & bit == 0);
            let by_pinyin = match (term, &tables.0[i]) {
                (_, _) if plain.is_some() && no_reading => None,
                (Some(term), Some(table)) if plain.is_none_or(|p| p < term.best_possible()) => {
                    term.score(chars, units, &titles.readings, table)
                }
                _ => None,
            };
            total += u32::from(plain.max(by_pinyin)?);
        }
        Some(total)
    }

    /// The score of a prepared title with its masks, from the title or else its original
    /// title: a title's score is doubled plus one, an original title's doubled, so that a match
    /// on the title ranks above an equal one on the original.
    fn score_with_masks(
        &self,
        titles: &Titles,
        index: usize,
        tables: &Tables,
        scratch: &mut Scratch,
    ) -> Option<u32> {
        let title = self.score_title(titles, index, tables, scratch);
        let mask = titles.rows[index].original_mask;
        let original = if mask != 0 && self.may_match(mask) {
            self.score_original(titles, index, scratch)
        } else {
            None
        };
        match (title, original) {
            (Some(t), Some(o)) => Some((2 * t + 1).max(2 * o)),
            (Some(t), None) => Some(2 * t + 1),
            (None, Some(o)) => Some(2 * o),
            (None, None) => None,
        }
    }

    /// The score of a prepared title, as written or by pinyin.
    fn score_title(
        &self,
        titles: &Titles,
        index: usize,
        tables: &Tables,
        scratch: &mut Scratch,
    ) -> Option<u32> {
        let row = &titles.rows[index];
        if self.may_match_pinyin(row.pinyin_mask) {
            return self.score_pinyin(titles, index, tables, scratch);
        }
        if self.may_match(row.mask) {
            return self.score_prepared(titles.text(index), scratch);
        }
        None
    }

    /// The score of title `index`'s original title, matched as written; `None` also when the
    /// title holds a term the query excludes (the original cannot bring it back).
    fn score_original(&self, titles: &Titles, index: usize, scratch: &mut Scratch) -> Option<u32> {
        if self.has_exclusion {
            let title = titles.text(index);
            let kept = self.for_each_atom(
                title,
                &mut scratch.engine,
                &mut scratch.padded,
                |_, atom, haystack, engine| {
                    if atom.negative {
                        atom.score(haystack, engine)
                    } else {
                        Some(0)
                    }
                },
            );
            kept?;
        }
        let haystack = titles.original(index);
        self.for_each_atom(
            haystack,
            &mut scratch.engine,
            &mut scratch.padded,
            |i, atom, haystack, engine| {
                if atom.negative || atom.kind != AtomKind::Fuzzy {
                    return atom.score(haystack, engine);
                }
                // A first keystroke in an ASCII original: a byte scan, the same score.
                if let (Some(one), Utf32Str::Ascii(bytes)) = (&self.one_char[i], haystack)
                    && bytes.len() > 1
                {
                    let score = one.greedy_ascii(bytes)?;
                    return Some(score.saturating_add(self.prefix_bonus(i, haystack)));
                }
                // Greedy, not optimal: nearly every original title holds a short query's
                // letters, and the optimal alignment's matrix cost most of a keystroke. The
                // empty haystack sets the engine's case and normalization as the atom would.
                let _ = atom.score(Utf32Str::Ascii(b""), engine);
                let score = engine.fuzzy_match_greedy(haystack, atom.needle_text())?;
                Some(score.saturating_add(self.prefix_bonus(i, haystack)))
            },
        )
    }

    /// The pinyin terms compared with the syllables of `titles`.
    fn tables(&self, titles: &Titles) -> Tables {
        Tables(
            self.pinyin
                .iter()
                .map(|term| term.as_ref().map(|t| t.table(&titles.readings)))
                .collect(),
        )
    }

    /// Term `i`'s score in `haystack`, as nucleo gives it.
    fn score_atom(
        &self,
        i: usize,
        haystack: Utf32Str<'_>,
        engine: &mut nucleo_matcher::Matcher,
    ) -> Option<u16> {
        let score = match (&self.one_char[i], haystack) {
            (Some(one), Utf32Str::Unicode(chars)) if chars.len() > 1 => one.score(chars),
            _ => self.pattern.atoms[i].score(haystack, engine),
        }?;
        Some(score.saturating_add(self.prefix_bonus(i, haystack)))
    }

    /// The prefix bonus of term `i` in `haystack` ([`crate::find::pinyin::BONUS_PREFIX`]): for
    /// a fuzzy term whose first char is the title's, as a match by pinyin at the title's start
    /// has it. nucleo-matcher's own (`prefer_prefix`) would change the scores the one-char
    /// path must equal; this is the same bonus where the match may start at the first char.
    fn prefix_bonus(&self, i: usize, haystack: Utf32Str<'_>) -> u16 {
        let Some((want, ignore_case)) = self.first_chars[i] else {
            return 0;
        };
        let first = match haystack {
            Utf32Str::Ascii(bytes) => bytes.first().map(|&b| char::from(b)),
            Utf32Str::Unicode(chars) => chars.first().copied(),
        };
        let same = first.is_some_and(|c| {
            if c == want {
                return true;
            }
            // ASCII has no diacritics, and an ideograph no case either: no Unicode tables
            // for the first char of nearly every title.
            if c.is_ascii() {
                return ignore_case && c.to_ascii_lowercase() == want;
            }
            if matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}') {
                return false;
            }
            let c = nucleo_matcher::chars::normalize(c);
            c == want || (ignore_case && nucleo_matcher::chars::to_lower_case(c) == want)
        });
        if same {
            crate::find::pinyin::BONUS_PREFIX as u16
        } else {
            0
        }
    }

    /// Runs `each` on every term of the query (its index and itself) with the haystack that
    /// term must see; `None` as soon as one term does not match.
    fn for_each_atom(
        &self,
        haystack: Utf32Str<'_>,
        engine: &mut nucleo_matcher::Matcher,
        padded: &mut Vec<char>,
        mut each: impl FnMut(usize, &Atom, Utf32Str<'_>, &mut nucleo_matcher::Matcher) -> Option<u16>,
    ) -> Option<u32> {
        let mut total = 0u32;
        for (i, atom) in self.pattern.atoms.iter().enumerate() {
            let score = match haystack {
                Utf32Str::Unicode(chars) if atom.kind == AtomKind::Substring => {
                    padded.clear();
                    padded.extend_from_slice(chars);
                    padded.push(PAST_THE_END);
                    each(i, atom, Utf32Str::Unicode(padded), engine)
                }
                _ => each(i, atom, haystack, engine),
            };
            total += u32::from(score?);
        }
        Some(total)
    }

    fn score_prepared(&self, title: Utf32Str<'_>, scratch: &mut Scratch) -> Option<u32> {
        self.for_each_atom(
            title,
            &mut scratch.engine,
            &mut scratch.padded,
            |i, _, haystack, engine| self.score_atom(i, haystack, engine),
        )
    }

    /// True when the query has no terms and every title matches with the same score.
    pub fn is_empty(&self) -> bool {
        self.pattern.atoms.is_empty()
    }

    /// Char indices of `title` that the query matched, ascending, for highlighting. Where a
    /// match falls on a grapheme cluster of several chars, the index is its first char's.
    pub fn positions(&self, title: &str) -> Vec<usize> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut indices = Vec::new();
        {
            let mut guard = self.scratch.lock().unwrap_or_else(|e| e.into_inner());
            let scratch = &mut *guard;
            let haystack = utf32(title, &mut scratch.buffer);
            // As ranked: each term as written, or by pinyin where that scores better.
            let chars = match haystack {
                Utf32Str::Unicode(chars) if self.pinyin.iter().any(Option::is_some) => Some(chars),
                _ => None,
            };
            let prepared = chars.map(|_| Titles::new([title]));
            let tables = prepared.as_ref().map(|p| self.tables(p));
            for (i, atom) in self.pattern.atoms.iter().enumerate() {
                let before = indices.len();
                let seen = match haystack {
                    Utf32Str::Unicode(chars) if atom.kind == AtomKind::Substring => {
                        scratch.padded.clear();
                        scratch.padded.extend_from_slice(chars);
                        scratch.padded.push(PAST_THE_END);
                        Utf32Str::Unicode(&scratch.padded)
                    }
                    _ => haystack,
                };
                let plain = atom
                    .indices(seen, &mut scratch.engine, &mut indices)
                    .map(|p| p.saturating_add(self.prefix_bonus(i, seen)));
                let by_pinyin = (|| {
                    let (chars, prepared) = (chars?, prepared.as_ref()?);
                    let term = self.pinyin[i].as_ref()?;
                    let table = tables.as_ref()?.0[i].as_ref()?;
                    let units = prepared.units(0);
                    let score = term.score(chars, units, &prepared.readings, table)?;
                    if plain.is_some_and(|p| p >= score) {
                        return None;
                    }
                    term.positions(chars, units, &prepared.readings, table)
                })();
                match (plain, by_pinyin) {
                    (_, Some(found)) => {
                        indices.truncate(before);
                        indices.extend(found);
                    }
                    (Some(_), None) => {}
                    (None, None) => return Vec::new(),
                }
            }
        }
        indices.sort_unstable();
        indices.dedup();
        // nucleo counts grapheme clusters (bytes, for ASCII): turn those into char indices.
        if title.is_ascii() {
            return indices.into_iter().map(|i| i as usize).collect();
        }
        // Counted as the clusters go by: counting from the title's start for each cluster
        // made a frame cost the square of a long title's length.
        let mut chars = 0;
        let starts: Vec<usize> = title
            .graphemes(true)
            .map(|cluster| {
                let start = chars;
                chars += cluster.chars().count();
                start
            })
            .collect();
        indices
            .into_iter()
            .filter_map(|i| starts.get(i as usize).copied())
            .collect()
    }

    /// Every title that matches, best first; equal scores keep the order given.
    pub fn rank<'a>(&self, titles: impl IntoIterator<Item = &'a str>) -> Vec<Match> {
        self.rank_titles(&Titles::new(titles))
    }

    /// Like [`Matcher::rank`], on titles prepared once for many queries, on all cores.
    pub fn rank_titles(&self, titles: &Titles) -> Vec<Match> {
        let tables = self.tables(titles);
        let matches = titles
            .rows
            .par_chunks(CHUNK)
            .enumerate()
            .flat_map_iter(|(chunk, items)| {
                let mut scratch = Scratch::new();
                let first = chunk * CHUNK;
                let found: Vec<Match> = (first..first + items.len())
                    .filter_map(|index| {
                        self.score_with_masks(titles, index, &tables, &mut scratch)
                            .map(|score| Match { index, score })
                    })
                    .collect();
                found
            })
            .collect();
        best_first(matches)
    }

    /// Ranks only `candidates` (indices into `titles`), as when a query grows by a character
    /// and only the previous matches can still match.
    pub fn rank_subset(&self, titles: &Titles, candidates: &[usize]) -> Vec<Match> {
        let mut sorted = candidates.to_vec();
        sorted.sort_unstable();
        best_first(self.matches_among(titles, &sorted))
    }

    /// The `candidates` (indices into `titles`) that match, with their scores, in the order
    /// given (not ranked), on all cores.
    pub fn matches_among(&self, titles: &Titles, candidates: &[usize]) -> Vec<Match> {
        self.matches_among_until(titles, candidates, &|| false)
            .unwrap_or_default()
    }

    /// Like [`Matcher::matches_among`], or `None` once `stop` says so: it is asked before each
    /// chunk of titles a thread scores, so that a ranking no longer wanted ends within a
    /// chunk's time however many titles are left.
    pub fn matches_among_until(
        &self,
        titles: &Titles,
        candidates: &[usize],
        stop: &(impl Fn() -> bool + Sync),
    ) -> Option<Vec<Match>> {
        let tables = self.tables(titles);
        // A few candidates (a ranking's first look) are shared among the threads too.
        let chunk = candidates
            .len()
            .div_ceil(rayon::current_num_threads())
            .clamp(256, CHUNK);
        let found: Option<Vec<Vec<Match>>> = candidates
            .par_chunks(chunk)
            .map(|indices| {
                if stop() {
                    return None;
                }
                let mut scratch = Scratch::new();
                let found = indices.iter().filter_map(|&index| {
                    self.score_with_masks(titles, index, &tables, &mut scratch)
                        .map(|score| Match { index, score })
                });
                Some(found.collect())
            })
            .collect();
        Some(found?.concat())
    }
}

/// True when every title that matches `later` also matches `earlier`, so that ranking `later`
/// may start from `earlier`'s matches: `later` extends `earlier`, and the term it extends is
/// not an exclusion (`!ab` excludes less than `!a`), an end anchor (`a$b`) or an escape.
pub fn narrows(earlier: &str, later: &str) -> bool {
    if !later.starts_with(earlier) {
        return false;
    }
    if earlier.is_empty() || earlier.ends_with(char::is_whitespace) {
        return true;
    }
    let last_term = earlier.rsplit(char::is_whitespace).next().unwrap_or("");
    !last_term.starts_with('!') && !earlier.ends_with(['$', '\\'])
}

/// Matches sorted best first; the sort is stable, so ties keep the order they came in (the
/// caller gives them in index order).
fn best_first(mut matches: Vec<Match>) -> Vec<Match> {
    matches.sort_by_key(|m| std::cmp::Reverse(m.score));
    matches
}

#[cfg(test)]
#[path = "titles_tests.rs"]
mod tests;
