//! Titles prepared once for ranking (`titles`): each title's chars in one buffer (two bytes a
//! char for nearly every Chinese title), and what a ranking reads first about it (the masks of
//! its chars, of its readings' first letters and pairs of letters, where its text is) in one
//! row.

use nucleo_matcher::Utf32Str;
use rayon::prelude::*;

use crate::find::pinyin::Readings;
use crate::find::unit::Unit;

/// Titles prepared for ranking: converted once (one `char` per grapheme cluster, as the matcher
/// reads them), then ranked against every query typed.
///
/// Stored as columns, not a string per title: every title's chars lie one after another in one
/// buffer (ASCII titles as bytes in another), and what a ranking reads first about a title (its
/// masks and where its text is) sits in one [`Row`], so that a ranking walks memory in order
/// instead of chasing an allocation per title.
///
/// A title whose chars all lie in the Basic Multilingual Plane (nearly every title that is not
/// ASCII) is kept as UTF-16 code units, one per char: half the memory of keeping its `char`s.
/// A ranking's fast paths (a first keystroke, an ASCII term's stand-in, pinyin) read the code
/// units where they are ([`Kept`], [`Unit`]); the matcher itself gets the title widened into a
/// buffer ([`Titles::text`]).
#[derive(Debug, Default, Clone)]
pub struct Titles {
    /// One row per title, in order.
    pub(crate) rows: Vec<Row>,
    /// The ASCII titles' bytes, one after another.
    ascii: Vec<u8>,
    /// The chars (one per grapheme cluster) of the titles whose chars all lie in the Basic
    /// Multilingual Plane, one code unit each, one title after another.
    bmp: Vec<u16>,
    /// The other titles' chars (one per grapheme cluster), one after another.
    unicode: Vec<char>,
    /// The syllable sets of the titles' characters, looked up by char when a title is ranked.
    pub(crate) readings: Readings,
    /// Per syllable set (by id), what a char with it adds to its title's row, made the first
    /// time the set is met (a title's chars are mostly sets met before).
    set_marks: Vec<Option<SetMarks>>,
}

/// What a char's syllable set adds to its title's row: the [`char_bit`]s of its readings'
/// letters and of their first letters, and the [`pair_bit`]s of their first two letters.
#[derive(Debug, Clone, Copy)]
struct SetMarks {
    letters: u64,
    initials: u64,
    pairs: u64,
}

/// What a ranking reads about one title before scoring it, and where the rest is.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Row {
    /// A 64-bit summary of the characters the title holds (see [`char_bits`]): a query whose
    /// characters are not all in it cannot match, whatever the scoring says.
    pub(crate) mask: u64,
    /// The mask with the letters of its characters' pinyin readings added, or 0 when no
    /// character has one (pinyin cannot help).
    pub(crate) pinyin_mask: u64,
    /// The [`char_bit`]s of the first letters of its characters' readings (0 without).
    pub(crate) initials: u64,
    /// The [`pair_bit`]s of the first two letters of its characters' readings (0 without).
    pub(crate) pairs: u64,
    /// The [`char_bits`] of its original title (0 when it has none).
    pub(crate) original_mask: u64,
    /// Where its text starts in `ascii`, `bmp` or `unicode` (see `text_len`).
    pub(crate) text: u32,
    /// How many chars it has, with [`ASCII`] set when it is in `ascii`, [`BEYOND_BMP`] when
    /// it is in `unicode` (neither: in `bmp`).
    pub(crate) text_len: u32,
    /// Where its original title (see [`crate::archive::article::Article::original_title`])
    /// starts, in a buffer as its text's: most titles of a translated archive have one
    /// (ASCII), matched as written (no pinyin, no masks beyond one).
    pub(crate) original: u32,
    /// How many chars it has (0: none), with the flags of `text_len`.
    pub(crate) original_len: u32,
}

/// The bit of [`Row::text_len`] that says the title is ASCII.
const ASCII: u32 = 1 << 31;
/// The bit of [`Row::text_len`] that says the title has a char beyond the Basic Multilingual
/// Plane.
const BEYOND_BMP: u32 = 1 << 30;
/// The bits of [`Row::text_len`] that count chars.
const LEN: u32 = BEYOND_BMP - 1;

/// Titles fewer than this are prepared in one piece (joining pieces has a cost too).
const PIECE: usize = 4096;

/// What a char with syllable set `set` of `readings` adds to its title's row, made once per
/// set and kept in `made`.
fn marks_of(made: &mut Vec<Option<SetMarks>>, readings: &Readings, set: u16) -> SetMarks {
    let at = usize::from(set);
    if made.len() <= at {
        made.resize(at + 1, None);
    }
    *made[at].get_or_insert_with(|| {
        let (initials, pairs) = readings.starts(set, char_bit, pair_bit);
        SetMarks {
            letters: readings.letters(set, char_bit),
            initials,
            pairs,
        }
    })
}

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
            ..Row::default()
        };
        let mut chars = Vec::new();
        let (text, text_len) = self.store(title, &mut chars);
        (row.text, row.text_len) = (text, text_len);
        (row.original, row.original_len) = self.store(original, &mut Vec::new());
        if text_len & ASCII != 0 {
            let bytes = &self.ascii[text as usize..(text + (text_len & LEN)) as usize];
            row.mask = bytes.iter().fold(0, |m, &b| m | char_bits(char::from(b)));
        } else {
            row.mask = chars.iter().fold(0, |mask, &c| mask | char_bits(c));
            let mut readings = 0;
            for &c in &chars {
                let set = self.readings.set_of(c);
                if set != 0 {
                    let marks = marks_of(&mut self.set_marks, &self.readings, set);
                    readings |= marks.letters;
                    row.initials |= marks.initials;
                    row.pairs |= marks.pairs;
                }
            }
            if readings != 0 {
                row.pinyin_mask = row.mask | readings;
            }
        }
        self.rows.push(row);
    }

    /// Adds the titles of `items` at the end (`push` adds one item's, with
    /// [`Titles::push_with`]), prepared in pieces on all cores and then joined: preparing a
    /// title (its pinyin above all) costs more than ranking it, and a million titles arrive at
    /// once from the head cache.
    pub fn extend_in_parallel<T: Sync>(
        &mut self,
        items: &[T],
        push: impl Fn(&mut Titles, &T) + Sync,
    ) {
        let piece = items
            .len()
            .div_ceil(rayon::current_num_threads())
            .max(PIECE);
        let pieces: Vec<Titles> = items
            .par_chunks(piece)
            .map(|items| {
                let mut prepared = Titles::default();
                items.iter().for_each(|item| push(&mut prepared, item));
                prepared
            })
            .collect();
        for prepared in pieces {
            self.append(prepared);
        }
    }

    /// Adds `other`'s titles at the end: its rows pointed into this one's buffers, the chars
    /// it met learnt with their syllable sets.
    fn append(&mut self, other: Titles) {
        let (ascii, bmp, unicode) = (self.ascii.len(), self.bmp.len(), self.unicode.len());
        let moved = |start: u32, len: u32| {
            if len & ASCII != 0 {
                start + offset(ascii)
            } else if len & BEYOND_BMP != 0 {
                start + offset(unicode)
            } else {
                start + offset(bmp)
            }
        };
        self.rows.extend(other.rows.iter().map(|row| Row {
            text: moved(row.text, row.text_len),
            original: moved(row.original, row.original_len),
            ..*row
        }));
        self.ascii.extend_from_slice(&other.ascii);
        self.bmp.extend_from_slice(&other.bmp);
        self.unicode.extend_from_slice(&other.unicode);
        self.readings.take_chars(&other.readings);
    }

    /// The same titles in a new order: position `i` takes title `order[i]` (`order` is a
    /// permutation), as the list is reordered when indexing ends. Only the rows move (they
    /// point into the buffers, which stay as they are): the first keystroke typed right after
    /// indexing waits for this, and preparing every title again with its pinyin held it up.
    pub fn reordered(mut self, order: &[usize]) -> Titles {
        self.rows = order.iter().map(|&old| self.rows[old]).collect();
        self
    }

    /// Title `index` as it is kept: the fast paths of a ranking read it there.
    pub(crate) fn kept(&self, index: usize) -> Kept<'_> {
        let row = &self.rows[index];
        self.at(row.text, row.text_len)
    }

    /// Title `index` as the matcher reads it; a title kept as UTF-16 is widened into
    /// `buffer`.
    pub(crate) fn text<'a>(&'a self, index: usize, buffer: &'a mut Vec<char>) -> Utf32Str<'a> {
        self.kept(index).utf32(buffer)
    }

    /// Title `index`'s original title as the matcher reads it, empty when it has none (a
    /// title kept as UTF-16 is widened into `buffer`).
    pub(crate) fn original<'a>(&'a self, index: usize, buffer: &'a mut Vec<char>) -> Utf32Str<'a> {
        let row = &self.rows[index];
        self.at(row.original, row.original_len).utf32(buffer)
    }

    /// The text stored at `start` with `len` (its flags included).
    fn at(&self, start: u32, len: u32) -> Kept<'_> {
        let range = start as usize..(start + (len & LEN)) as usize;
        if len & ASCII != 0 {
            Kept::Ascii(&self.ascii[range])
        } else if len & BEYOND_BMP != 0 {
            Kept::Unicode(&self.unicode[range])
        } else {
            Kept::Bmp(&self.bmp[range])
        }
    }

    /// Stores `text` as the matcher reads it (ASCII in `ascii`, else in `bmp` or `unicode`),
    /// its chars left in `chars` when it is not ASCII: where it starts, and its length with
    /// its flags. A title is a heading's line: one of over [`LEN`] chars keeps its first.
    fn store(&mut self, text: &str, chars: &mut Vec<char>) -> (u32, u32) {
        match utf32(text, chars) {
            Utf32Str::Ascii(bytes) => {
                let bytes = &bytes[..bytes.len().min(LEN as usize)];
                let start = offset(self.ascii.len());
                self.ascii.extend_from_slice(bytes);
                (start, offset(bytes.len()) | ASCII)
            }
            Utf32Str::Unicode(chars) => {
                let chars = &chars[..chars.len().min(LEN as usize)];
                if chars.iter().all(|&c| u32::from(c) <= u32::from(u16::MAX)) {
                    let start = offset(self.bmp.len());
                    self.bmp.extend(chars.iter().map(|&c| u32::from(c) as u16));
                    (start, offset(chars.len()))
                } else {
                    let start = offset(self.unicode.len());
                    self.unicode.extend_from_slice(chars);
                    (start, offset(chars.len()) | BEYOND_BMP)
                }
            }
        }
    }

    /// Makes room for `additional` more titles' rows: a million titles arriving together
    /// (from the head cache) get exactly their room at once, where growing by doubling held
    /// the old rows and the new for a moment each step, the old ones kept by the allocator.
    /// Titles arriving in batches (an archive being indexed) still grow by doubling, not a
    /// batch at a time.
    pub fn reserve(&mut self, additional: usize) {
        self.rows.reserve(additional);
    }

    /// How many titles there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The bytes the prepared titles hold (their buffers' capacity, the syllable tables shared
    /// by all aside), for the benches.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.ascii.capacity()
            + self.bmp.capacity() * std::mem::size_of::<u16>()
            + self.unicode.capacity() * std::mem::size_of::<char>()
    }
}

/// A prepared title's text where it is kept.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kept<'a> {
    /// An ASCII title, a byte a char.
    Ascii(&'a [u8]),
    /// A title whose chars all lie in the Basic Multilingual Plane, a code unit a char.
    Bmp(&'a [u16]),
    /// Any other title.
    Unicode(&'a [char]),
}

impl<'a> Kept<'a> {
    /// The text as the matcher reads it, widened into `buffer` when kept as UTF-16.
    pub(crate) fn utf32(self, buffer: &'a mut Vec<char>) -> Utf32Str<'a> {
        match self {
            Kept::Ascii(bytes) => Utf32Str::Ascii(bytes),
            Kept::Unicode(chars) => Utf32Str::Unicode(chars),
            Kept::Bmp(units) => {
                buffer.clear();
                buffer.extend(units.iter().map(|&unit| unit.char()));
                Utf32Str::Unicode(buffer)
            }
        }
    }

    /// Its first char.
    pub(crate) fn first(self) -> Option<char> {
        match self {
            Kept::Ascii(bytes) => bytes.first().map(|&b| char::from(b)),
            Kept::Bmp(units) => units.first().map(|&unit| unit.char()),
            Kept::Unicode(chars) => chars.first().copied(),
        }
    }
}

/// True when every char of `text` is a grapheme cluster of its own: no combining marks,
/// joiners, variation selectors, regional indicators or Hangul jamo, only the ranges Chinese
/// titles are made of (Latin, CJK, their punctuation, full-width forms). Such text needs no
/// grapheme segmentation, which costs more than the matching itself.
pub(crate) fn simple_clusters(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c, ' '..='~' | '\u{A0}'..='\u{2FF}' | '\u{2010}'..='\u{206F}'
            | '\u{3000}'..='\u{303F}' | '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF60}')
            && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}')
    })
}

/// `title` as the matcher reads it (one `char` per grapheme cluster), using `buffer`: as
/// `Utf32Str::new`, without segmenting text where every char is a cluster of its own.
pub(crate) fn utf32<'a>(title: &'a str, buffer: &'a mut Vec<char>) -> Utf32Str<'a> {
    if title.is_ascii() || !simple_clusters(title) {
        return Utf32Str::new(title, buffer);
    }
    buffer.clear();
    buffer.extend(title.chars());
    Utf32Str::Unicode(buffer)
}

/// The chars of a prepared title.
pub(crate) fn chars_of(text: Utf32Str<'_>) -> impl Iterator<Item = char> + '_ {
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
pub(crate) fn char_bit(c: char) -> u64 {
    bit_of(u32::from(c))
}

/// One of 64 bits for `n`: Fibonacci hashing spreads neighbouring numbers (a run of
/// ideographs) over the bits.
pub(crate) fn bit_of(n: u32) -> u64 {
    1 << (n.wrapping_mul(0x9E37_79B9) >> 26)
}

/// The bit two letters in a row stand for in a title's [`Row::pairs`].
pub(crate) fn pair_bit(a: char, b: char) -> u64 {
    bit_of(u32::from(a).wrapping_mul(0x0100_0193) ^ u32::from(b))
}

/// The bits of every form the matcher may compare `c` in: as written, case-folded,
/// without its diacritics (`é` is found by `e`), and both.
pub(crate) fn char_bits(c: char) -> u64 {
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
