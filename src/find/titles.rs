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
//! prepared once ([`crate::find::prepared`]), character masks that skip titles lacking a
//! query's characters (or their pinyin letters, or the syllable starts a pinyin match needs),
//! a term of one char scored without nucleo's Unicode lookups per Chinese character
//! ([`crate::find::one_char`]) and a longer ASCII term scored on a title's ASCII stand-in
//! ([`crate::find::stand_in`]), both with nucleo's own scores, a keystroke on 100,000 titles
//! ranks within a frame; fuzzy-matcher stays in the filter bench as the reference (figures in
//! BENCHMARKS.md).

use std::sync::Mutex;

use rayon::prelude::*;

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Utf32Str};
use unicode_segmentation::UnicodeSegmentation;

use crate::find::one_char::OneChar;
use crate::find::pinyin::{Table, Term, as_reading_letter};
pub use crate::find::prepared::Titles;
use crate::find::prepared::{Kept, Row, char_bit, chars_of, pair_bit, utf32};
use crate::find::stand_in::StandIn;
use crate::find::unit::Unit;

/// One title that matched: its index in the list ranked, and how well it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index of the title in the sequence given to [`Matcher::rank`].
    pub index: usize,
    /// Higher is better.
    pub score: u32,
}

/// A matcher's pinyin terms compared with one [`Titles`]' syllables.
struct Tables(Vec<Option<Table>>);

/// A parsed query and the matcher that scores titles against it.
pub struct Matcher {
    pattern: Pattern,
    /// Per term, its fast form when it is a fuzzy term of one char (a first keystroke).
    one_char: Vec<Option<OneChar>>,
    /// Per term, its stand-in chars when it is a fuzzy term in ASCII of more than one char:
    /// such a term is scored in a title that is not ASCII through the title's [`StandIn`].
    stand_ins: Vec<Option<StandIn>>,
    /// The [`char_bit`]s of every char the query needs in a title.
    required: u64,
    /// Per term, its pinyin form when pinyin may match it (a fuzzy term with Latin letters).
    pinyin: Vec<Option<Term>>,
    /// The bits a title's pinyin mask needs for the pinyin path (`None`: no term can use it).
    pinyin_required: Option<u64>,
    /// Per term with a pinyin form, what a title needs for pinyin to match it, or to beat its
    /// score as written.
    ends: Vec<Option<Ends>>,
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

/// What a title must hold for a term's pinyin match to start and to end there: its first
/// char as written or as a syllable's first letter, and its last char as written, as a
/// syllable's first letter, or (with the char before it) as a syllable's first two letters.
/// (A syllable is always taken from its start.) Most titles that hold a short term's letters
/// somewhere in their readings fail this, and are not scanned for a pinyin match at all.
#[derive(Debug, Clone, Copy)]
struct Ends {
    first_written: u64,
    first_initial: u64,
    last_written: u64,
    last_initial: u64,
    last_pairs: u64,
    /// The term is one char (then its first and last).
    one_char: bool,
}

impl Ends {
    fn new(term: &Term, one_char: bool) -> Option<Ends> {
        let (needle, lower) = term.chars();
        let letters: Vec<char> = lower.iter().map(|&c| as_reading_letter(c)).collect();
        let pairs = letters
            .windows(2)
            .fold(0, |bits, pair| bits | pair_bit(pair[0], pair[1]));
        Some(Ends {
            first_written: char_bit(*needle.first()?),
            first_initial: char_bit(*letters.first()?),
            last_written: char_bit(*needle.last()?),
            last_initial: char_bit(*letters.last()?),
            last_pairs: pairs,
            one_char,
        })
    }

    /// False when pinyin cannot give the term a better score in the title of `row` than its
    /// score as written (`plain`: it matched as written). A term of one char matched by
    /// pinyin at its first char that can take it (the best match that ends first): where that
    /// is the char as written, it scores as nucleo scores it there, no more than the best
    /// place as written. So pinyin only beats a match as written through a syllable that
    /// starts with the letter.
    fn may_help(&self, row: &Row, plain: bool) -> bool {
        let no_initial = row.initials & self.first_initial == 0;
        self.may_match(row) && !(self.one_char && plain && no_initial)
    }

    /// False when the title of `row` cannot match the term by pinyin.
    fn may_match(&self, row: &Row) -> bool {
        let starts = row.mask & self.first_written != 0 || row.initials & self.first_initial != 0;
        let ends = row.mask & self.last_written != 0
            || row.initials & self.last_initial != 0
            || row.pairs & self.last_pairs != 0;
        starts && ends
    }
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
    /// A prepared title's chars, widened from where they are kept ([`Titles::text`]).
    title: Vec<char>,
    /// The same for its original title.
    original: Vec<char>,
    /// The same, with [`PAST_THE_END`] after it.
    padded: Vec<char>,
    /// The title's ASCII stand-in for a term ([`StandIn`]).
    stand_in: Vec<u8>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            engine: nucleo_matcher::Matcher::new(Config::DEFAULT),
            buffer: Vec::new(),
            title: Vec::new(),
            original: Vec::new(),
            padded: Vec::new(),
            stand_in: Vec::new(),
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
        let stand_ins = pattern
            .atoms
            .iter()
            .zip(&one_char)
            .map(|(atom, one)| {
                let fuzzy = !atom.negative && atom.kind == AtomKind::Fuzzy && one.is_none();
                fuzzy
                    .then(|| StandIn::for_needle(chars_of(atom.needle_text())))
                    .flatten()
            })
            .collect();
        let ends = pinyin
            .iter()
            .zip(&one_char)
            .map(|(term, one)| Ends::new(term.as_ref()?, one.is_some()))
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
            stand_ins,
            required,
            atom_required,
            pinyin,
            pinyin_required,
            ends,
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
        let kept = titles.kept(index);
        if let Kept::Ascii(_) = kept {
            return None;
        }
        let row = &titles.rows[index];
        let mask = row.mask;
        let mut total = 0u32;
        for (i, term) in self.pinyin.iter().enumerate() {
            let required = self.atom_required[i];
            let plain = if mask & required != required {
                None
            } else {
                self.score_kept_atom(i, kept, scratch)
            };
            let cannot_help =
                matches!(&self.ends[i], Some(ends) if !ends.may_help(row, plain.is_some()));
            let by_pinyin = match (term, &tables.0[i]) {
                (_, _) if cannot_help => None,
                (Some(term), Some(table)) if plain.is_none_or(|p| p < term.best_possible()) => {
                    match kept {
                        Kept::Bmp(units) => term.score(units, &titles.readings, table),
                        Kept::Unicode(chars) => term.score(chars, &titles.readings, table),
                        Kept::Ascii(_) => None,
                    }
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
            let kept = titles.kept(index);
            let mut total = 0u32;
            for i in 0..self.pattern.atoms.len() {
                total += u32::from(self.score_kept_atom(i, kept, scratch)?);
            }
            return Some(total);
        }
        None
    }

    /// The score of title `index`'s original title, matched as written; `None` also when the
    /// title holds a term the query excludes (the original cannot bring it back).
    fn score_original(&self, titles: &Titles, index: usize, scratch: &mut Scratch) -> Option<u32> {
        if self.has_exclusion {
            let title = titles.text(index, &mut scratch.title);
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
        let haystack = titles.original(index, &mut scratch.original);
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

    /// Term `i`'s score in a prepared title as it is kept, as nucleo gives it: the fast paths
    /// read the title where it is; the matcher gets it widened (and padded for a substring
    /// term, as [`Matcher::for_each_atom`] gives it).
    fn score_kept_atom(&self, i: usize, kept: Kept<'_>, scratch: &mut Scratch) -> Option<u16> {
        let atom = &self.pattern.atoms[i];
        let fast = match kept {
            Kept::Bmp(units) => self.fast_score(i, units, scratch),
            Kept::Unicode(chars) => self.fast_score(i, chars, scratch),
            Kept::Ascii(_) => None,
        };
        let score = match fast {
            Some(score) => score,
            None => match kept.utf32(&mut scratch.title) {
                Utf32Str::Unicode(chars) if atom.kind == AtomKind::Substring => {
                    scratch.padded.clear();
                    scratch.padded.extend_from_slice(chars);
                    scratch.padded.push(PAST_THE_END);
                    atom.score(Utf32Str::Unicode(&scratch.padded), &mut scratch.engine)
                }
                haystack => atom.score(haystack, &mut scratch.engine),
            },
        }?;
        Some(score.saturating_add(self.prefix_bonus_of(i, kept.first())))
    }

    /// Term `i`'s score in a title that is not ASCII, without the prefix bonus, by a fast
    /// path where one applies to the term (one char, or an ASCII stand-in): `None` when none
    /// does, `Some(None)` when the title does not match.
    fn fast_score<U: Unit>(
        &self,
        i: usize,
        title: &[U],
        scratch: &mut Scratch,
    ) -> Option<Option<u16>> {
        let atom = &self.pattern.atoms[i];
        match (&self.one_char[i], &self.stand_ins[i]) {
            (Some(one), _) if title.len() > 1 => Some(one.score(title)),
            (_, Some(replacements))
                if title.len() <= StandIn::LONGEST
                    && replacements.write(title, &mut scratch.stand_in) =>
            {
                Some(atom.score(Utf32Str::Ascii(&scratch.stand_in), &mut scratch.engine))
            }
            _ => None,
        }
    }

    /// The prefix bonus of term `i` in `haystack` ([`crate::find::pinyin::BONUS_PREFIX`]): for
    /// a fuzzy term whose first char is the title's, as a match by pinyin at the title's start
    /// has it. nucleo-matcher's own (`prefer_prefix`) would change the scores the one-char
    /// path must equal; this is the same bonus where the match may start at the first char.
    fn prefix_bonus(&self, i: usize, haystack: Utf32Str<'_>) -> u16 {
        let first = match haystack {
            Utf32Str::Ascii(bytes) => bytes.first().map(|&b| char::from(b)),
            Utf32Str::Unicode(chars) => chars.first().copied(),
        };
        self.prefix_bonus_of(i, first)
    }

    /// [`Matcher::prefix_bonus`] for a haystack that starts with `first`.
    fn prefix_bonus_of(&self, i: usize, first: Option<char>) -> u16 {
        let Some((want, ignore_case)) = self.first_chars[i] else {
            return 0;
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
                    let score = term.score(chars, &prepared.readings, table)?;
                    if plain.is_some_and(|p| p >= score) {
                        return None;
                    }
                    term.positions(chars, &prepared.readings, table)
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
        best_first(self.matches_among(titles, &ascending(candidates)))
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

/// `indices` in ascending order, each once: set in a bitmap and read back in order, where
/// sorting them (a previous query's matches, most of the titles) cost a twentieth of ranking
/// them again.
fn ascending(indices: &[usize]) -> Vec<usize> {
    let Some(&last) = indices.iter().max() else {
        return Vec::new();
    };
    let mut bits = vec![0u64; last / 64 + 1];
    for &i in indices {
        bits[i / 64] |= 1 << (i % 64);
    }
    let mut sorted = Vec::with_capacity(indices.len());
    for (word, &set) in bits.iter().enumerate() {
        let mut set = set;
        while set != 0 {
            sorted.push(word * 64 + set.trailing_zeros() as usize);
            set &= set - 1;
        }
    }
    sorted
}

/// Matches sorted best first; the sort is stable, so ties keep the order they came in (the
/// caller gives them in index order).
///
/// Scores are small numbers (a few hundred per term), so a counting sort places each match
/// with two passes over them, where a comparison sort of a whole archive's matches would be a
/// large part of a keystroke's time.
fn best_first(mut matches: Vec<Match>) -> Vec<Match> {
    const MANY: u32 = 1 << 16;
    let top = matches.iter().map(|m| m.score).max().unwrap_or(0);
    if top >= MANY || matches.len() < 64 {
        matches.sort_by_key(|m| std::cmp::Reverse(m.score));
        return matches;
    }
    // starts[s]: where the matches scoring `s` begin, the best scores first.
    let mut starts = vec![0usize; top as usize + 2];
    for m in &matches {
        starts[(top - m.score) as usize + 1] += 1;
    }
    for s in 1..starts.len() {
        starts[s] += starts[s - 1];
    }
    let mut sorted = vec![Match { index: 0, score: 0 }; matches.len()];
    for m in matches {
        let place = &mut starts[(top - m.score) as usize];
        sorted[*place] = m;
        *place += 1;
    }
    sorted
}

#[cfg(test)]
#[path = "titles_tests.rs"]
mod tests;
