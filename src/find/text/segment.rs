//! One segment of the text index on disk: for each gram (a character, or two characters in a
//! row within a line, of the folded text) and each word (a maximal run of ASCII letters and
//! digits of the folded text) the sorted list of the segment's documents holding it, each with
//! its count in it.
//!
//! A segment is written once, whole, and never changed; an update adds a segment and the
//! manifest (`index`) says which documents of which segment are still alive. The file:
//!
//! ```text
//! "FOLIOTXS" u32 version      the cache header
//! u32 documents  u32 grams  u64 postings length  u32 words  u32 vocabulary length
//! u32 titles length  u32 rows length  u64 checksum of the rows (`cache::checksum`: table, bytes)
//! grams × (u64 gram, u32 offset of its postings, u32 document count)   sorted by gram
//! words × (u32 offset of its postings, u32 document count)             in the vocabulary's order
//! vocabulary: the words, sorted, each followed by `\n`
//! postings: the grams' then the words', each: per document, LEB128 varint of (delta from the
//!           previous document << 1 | count > 1), then the count as a varint when it is over 1
//! titles:   documents × u32, where each document's title ends in the titles' bytes; then the
//!           bytes: each document's title, folded, followed by `\n`
//! rows:     the same for each document's row as `folio search` prints it (`TITLE<TAB>PATH`,
//!           made safe for a terminal)
//! ```
//!
//! The rows go to the terminal as they are, made safe when the index was written: their sum
//! is checked before one is printed, so that a damaged file cannot send a byte the sanitizing
//! never saw (the rest of the segment is checked by its structure alone, as a damaged one can
//! only make a search read more, or rank otherwise).
//!
//! The titles and rows are kept for the searches whose rows are an eighth of the archive or
//! more, where looking up each row's title and path where the archive keeps them, and checking
//! them, costs more than reading a segment's titles or rows whole ([`Segment::titles`],
//! [`Segment::rows`]): ranking counts each term in each matching title, and the rows are
//! printed.
//!
//! A gram's count is what `examine` counts for a term of that gram: every occurrence of a
//! character; for a pair, the occurrences `memmem` finds from the left without overlap (`AA`
//! in `AAA` once), so that a term of one or two characters is counted from the index alone. A
//! term of ASCII letters and digits only, of any length, is counted from the words (see
//! [`Segment::counted_postings`]).
//!
//! Why no three-character grams, which would count every three-character term (`编译器`,
//! `c++`): measured, they took the cache to 2.3× the articles on the 100k generated archive
//! (19 million distinct ones per 30,000 articles; a 3 GB build) and 2.1× on hackernews,
//! against the 1.0× allowed (BENCHMARKS.md, issue 13).
//!
//! Lookups read the gram table by binary search with positioned reads: a query touches a few
//! dozen table entries and the postings of its own grams, never the whole file. The vocabulary
//! is read once per opened segment, when a query first needs it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::OnceLock;

use memchr::memmem;

use crate::cache;
use crate::find::text::lines::{Lines, LinesBuilder};

/// The segment file's magic.
const MAGIC: &[u8; 8] = b"FOLIOTXS";
/// The segment format's version.
pub const VERSION: u32 = 6;
const HEAD: u64 = 12 + 4 + 4 + 8 + 4 + 4 + 4 + 4 + 8;
const ENTRY: u64 = 16;
const WORD_ENTRY: u64 = 8;
/// Where a document's title or row ends.
const LINE_END: u64 = 4;

/// A gram: one character (`b` = [`LONE`]) or two in a row, as one number.
pub type Gram = u64;
const LONE: u64 = 0x1F_FFFF;

fn gram(a: char, b: Option<char>) -> Gram {
    (u64::from(a) << 21) | b.map_or(LONE, u64::from)
}

/// The characters words are made of, in the folded text (ASCII letters are folded to upper
/// case; the Kelvin sign and the long s fold to ASCII letters and are word characters there).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Every gram of `folded` (a folded text), line by line, sorted, each with its count (see the
/// module's doc); `scratch` holds every occurrence on the way.
pub fn grams_of_text(folded: &str, scratch: &mut Vec<Gram>, out: &mut Vec<(Gram, u32)>) {
    scratch.clear();
    out.clear();
    for line in folded.split('\n') {
        let mut previous = None;
        // Whether the last pair was counted as a pair of equal characters: the next equal pair
        // overlaps it and is not counted (`memmem` finds `AA` once in `AAA`).
        let mut counted_twin = false;
        for c in line.chars() {
            scratch.push(gram(c, None));
            if let Some(p) = previous {
                if p != c {
                    scratch.push(gram(p, Some(c)));
                    counted_twin = false;
                } else if !counted_twin {
                    scratch.push(gram(p, Some(c)));
                    counted_twin = true;
                } else {
                    counted_twin = false;
                }
            }
            previous = Some(c);
        }
    }
    scratch.sort_unstable();
    for &g in scratch.iter() {
        match out.last_mut() {
            Some((last, count)) if *last == g => *count += 1,
            _ => out.push((g, 1)),
        }
    }
}

/// The words of a document ([`words_of_text`]): their bytes one after another in `bytes`, and
/// per word, sorted, where it ends in `bytes` and its count.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// The distinct words, concatenated in order.
    pub bytes: Vec<u8>,
    /// Per word: the end of its bytes, its count in the document.
    pub ends: Vec<(u32, u32)>,
}

impl Words {
    /// Each word with its count.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], u32)> {
        let mut start = 0;
        self.ends.iter().map(move |&(end, count)| {
            let word = &self.bytes[start..end as usize];
            start = end as usize;
            (word, count)
        })
    }
}

/// The words of `folded` (a folded text), sorted, each with its count; `scratch` holds where
/// each occurrence starts and ends on the way.
pub fn words_of_text(folded: &str, scratch: &mut Vec<(u32, u32)>, out: &mut Words) {
    scratch.clear();
    out.bytes.clear();
    out.ends.clear();
    let bytes = folded.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_alphanumeric() {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        scratch.push((start as u32, at as u32));
    }
    let word = |&(start, end): &(u32, u32)| &bytes[start as usize..end as usize];
    scratch.sort_unstable_by(|a, b| word(a).cmp(word(b)));
    let mut last: Option<&[u8]> = None;
    for occurrence in scratch.iter() {
        let word = word(occurrence);
        if last == Some(word) {
            out.ends.last_mut().expect("a word before").1 += 1;
        } else {
            out.bytes.extend_from_slice(word);
            out.ends.push((out.bytes.len() as u32, 1));
            last = Some(word);
        }
    }
}

/// What the index holds of a term it answers exactly: a gram, or the words containing it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// A term of one or two characters: a line holds it as often as the gram's count says.
    Gram(Gram),
    /// A term of three or more word characters (the folded bytes).
    Word(Vec<u8>),
}

/// The key that answers `folded_term` exactly, `None` when the index only narrows it down
/// (three characters or more, not all word characters).
pub fn key_of_term(folded_term: &str) -> Option<Key> {
    let mut chars = folded_term.chars();
    match (chars.next()?, chars.next(), chars.next()) {
        (a, b, None) => Some(Key::Gram(gram(a, b))),
        _ if folded_term.chars().all(is_word_char) => {
            Some(Key::Word(folded_term.as_bytes().to_vec()))
        }
        _ => None,
    }
}

/// For a term of three different characters `abc` (not all word characters), the grams `ab`,
/// `bc` and `b`, whose counts bound the term's count in a document, and give it where the
/// bounds meet ([`bounds`]).
pub fn bounding_grams(folded_term: &str) -> Option<[Key; 3]> {
    let mut chars = folded_term.chars();
    let (a, b, c) = (chars.next()?, chars.next()?, chars.next()?);
    let distinct = a != b && b != c && a != c;
    (chars.next().is_none() && distinct && key_of_term(folded_term).is_none()).then(|| {
        [
            Key::Gram(gram(a, Some(b))),
            Key::Gram(gram(b, Some(c))),
            Key::Gram(gram(b, None)),
        ]
    })
}

/// The least and greatest count in a document of a term `abc` of three different characters,
/// from the counts there of `ab`, `bc` and `b` ([`bounding_grams`]).
///
/// Why: the characters differ, so an occurrence of `ab` is a `b` with an `a` before it in
/// its line, of `bc` a `b` with a `c` after it, and the term's occurrences, which cannot
/// overlap (that needs `a = c`, or `a = b = c`), are the `b`s with both. Of `nb` such
/// characters, `nab` have the one and `nbc` the other, so at least `nab + nbc - nb` have both
/// and at most `min(nab, nbc)`. The two meet exactly when every `b` has an `a` before it or
/// every `b` a `c` after it (`编译器` in a text where `译` only follows `编`): then the count is
/// known without reading the text.
pub fn bounds(ab: u32, bc: u32, b: u32) -> (u32, u32) {
    (
        ab.saturating_add(bc).saturating_sub(b).min(ab.min(bc)),
        ab.min(bc),
    )
}

/// The keys a text must hold to contain `folded_term`: its own when it has one
/// ([`key_of_term`]), else its pairs of characters, except that a run of three or more word
/// characters in it gives, instead of its pairs, the words containing the run (a run at an
/// end of the term may be part of a longer word: a text holding the term holds a word
/// containing the run).
pub fn keys_of_term(folded_term: &str) -> Vec<Key> {
    if let Some(key) = key_of_term(folded_term) {
        return vec![key];
    }
    let chars: Vec<char> = folded_term.chars().collect();
    // Per character, whether it lies in a run of three or more word characters.
    let mut in_long_run = vec![false; chars.len()];
    let mut keys = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = start;
        while end < chars.len() && is_word_char(chars[end]) {
            end += 1;
        }
        if end - start >= 3 {
            in_long_run[start..end].fill(true);
            let run: String = chars[start..end].iter().collect();
            keys.push(Key::Word(run.into_bytes()));
        }
        start = end + 1;
    }
    keys.extend(
        (1..chars.len())
            .filter(|&i| !(in_long_run[i - 1] && in_long_run[i]))
            .map(|i| Key::Gram(gram(chars[i - 1], Some(chars[i])))),
    );
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A segment being built in memory, document by document.
#[derive(Debug, Default)]
pub struct SegmentBuilder {
    postings: HashMap<Gram, Postings, foldhash::fast::RandomState>,
    words: HashMap<Box<[u8]>, Postings, foldhash::fast::RandomState>,
    documents: u32,
    /// The documents' folded titles.
    titles: LinesBuilder,
    /// The documents' rows.
    rows: LinesBuilder,
    /// The bytes of text added so far, to know when to start another segment.
    pub text_bytes: u64,
}

#[derive(Debug, Default)]
struct Postings {
    last: u32,
    count: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn add(&mut self, document: u32, count: u32) {
        let delta = if self.count == 0 {
            document
        } else {
            document - self.last
        };
        push_varint(
            &mut self.bytes,
            (u64::from(delta) << 1) | u64::from(count > 1),
        );
        if count > 1 {
            push_varint(&mut self.bytes, u64::from(count));
        }
        self.last = document;
        self.count += 1;
    }
}

impl SegmentBuilder {
    /// Adds the next document (numbered from 0 in the order added) with its grams and words
    /// and their counts, its title folded (`folded_title`) and its `row` as printed (without
    /// its line break).
    pub fn add(
        &mut self,
        grams: &[(Gram, u32)],
        words: &Words,
        folded_title: &str,
        row: &[u8],
        text_bytes: usize,
    ) -> u32 {
        let document = self.documents;
        self.documents += 1;
        self.text_bytes += text_bytes as u64;
        self.titles.push(folded_title.as_bytes());
        self.rows.push(row);
        for &(gram, count) in grams {
            self.postings.entry(gram).or_default().add(document, count);
        }
        for (word, count) in words.iter() {
            match self.words.get_mut(word) {
                Some(postings) => postings.add(document, count),
                None => {
                    let mut postings = Postings::default();
                    postings.add(document, count);
                    self.words.insert(word.into(), postings);
                }
            }
        }
        document
    }

    /// How many documents the segment holds.
    pub fn len(&self) -> u32 {
        self.documents
    }

    /// True before the first document.
    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// Writes the segment to `path` (through a temporary file renamed into place) and returns
    /// the file's size.
    pub fn write(self, path: &Path) -> io::Result<u64> {
        let mut grams: Vec<(Gram, Postings)> = self.postings.into_iter().collect();
        grams.sort_unstable_by_key(|(gram, _)| *gram);
        let mut words: Vec<(Box<[u8]>, Postings)> = self.words.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let postings_len: u64 = grams
            .iter()
            .map(|(_, p)| p.bytes.len() as u64)
            .chain(words.iter().map(|(_, p)| p.bytes.len() as u64))
            .sum();
        let vocabulary_len: u64 = words.iter().map(|(w, _)| w.len() as u64 + 1).sum();
        let (titles_len, rows_len) = (self.titles.byte_len(), self.rows.byte_len());
        if [postings_len, vocabulary_len, titles_len, rows_len]
            .iter()
            .any(|&len| u32::try_from(len).is_err())
        {
            return Err(io::Error::other("text index segment over 4 GB"));
        }
        cache::replace_file(path, true, |out| {
            out.write_all(&cache::header(MAGIC, VERSION))?;
            out.write_all(&self.documents.to_le_bytes())?;
            out.write_all(&(grams.len() as u32).to_le_bytes())?;
            out.write_all(&postings_len.to_le_bytes())?;
            out.write_all(&(words.len() as u32).to_le_bytes())?;
            out.write_all(&(vocabulary_len as u32).to_le_bytes())?;
            out.write_all(&(titles_len as u32).to_le_bytes())?;
            out.write_all(&(rows_len as u32).to_le_bytes())?;
            out.write_all(&self.rows.sum().to_le_bytes())?;
            let mut offset = 0u32;
            for (gram, postings) in &grams {
                out.write_all(&gram.to_le_bytes())?;
                out.write_all(&offset.to_le_bytes())?;
                out.write_all(&postings.count.to_le_bytes())?;
                offset += postings.bytes.len() as u32;
            }
            for (_, postings) in &words {
                out.write_all(&offset.to_le_bytes())?;
                out.write_all(&postings.count.to_le_bytes())?;
                offset += postings.bytes.len() as u32;
            }
            for (word, _) in &words {
                out.write_all(word)?;
                out.write_all(b"\n")?;
            }
            let postings = grams.iter().map(|(_, p)| p);
            for postings in postings.chain(words.iter().map(|(_, p)| p)) {
                out.write_all(&postings.bytes)?;
            }
            self.titles.write(out)?;
            self.rows.write(out)
        })
        .map(|()| {
            HEAD + ENTRY * grams.len() as u64
                + WORD_ENTRY * words.len() as u64
                + vocabulary_len
                + postings_len
                + 2 * LINE_END * u64::from(self.documents)
                + titles_len
                + rows_len
        })
    }
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A segment's words, read whole when a query first needs them, and kept as they lie in the
/// file: a word is found by its bytes and its entry read where it is needed (tables of where
/// 150,000 words start and what their entries say, made up front, were most of the time a word
/// query took on hackernews).
#[derive(Debug)]
struct Vocabulary {
    /// The words, sorted, each followed by `\n`.
    bytes: Vec<u8>,
    /// Per word: the offset of its postings and its document count, `u32`s little-endian.
    table: Vec<u8>,
    /// The end of the postings: the offset after the last word's.
    postings_len: u32,
}

impl Vocabulary {
    /// Word `word`'s entry: the offset of its postings and its document count; one past the
    /// last word, the end of the postings (and 0).
    fn entry(&self, word: usize) -> (u32, u32) {
        let u32_at = |at: usize| u32::from_le_bytes(self.table[at..at + 4].try_into().expect("4"));
        if word * 8 == self.table.len() {
            return (self.postings_len, 0);
        }
        (u32_at(word * 8), u32_at(word * 8 + 4))
    }
}

/// A segment opened for lookups.
#[derive(Debug)]
pub struct Segment {
    file: File,
    /// How many documents it holds.
    pub documents: u32,
    grams: u64,
    postings_len: u64,
    words: u64,
    vocabulary_len: u64,
    titles_len: u64,
    rows_len: u64,
    rows_sum: u64,
    vocabulary: OnceLock<Vocabulary>,
}

fn damaged() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "damaged segment")
}

impl Segment {
    /// Opens the segment at `path`, checking its header and that its size is `size` bytes and
    /// agrees with what the header says.
    pub fn open(path: &Path, size: u64) -> io::Result<Segment> {
        let file = File::open(path)?;
        let mut head = [0u8; HEAD as usize];
        file.read_exact_at(&mut head, 0)?;
        if cache::check_header(&head, MAGIC, VERSION) != cache::Header::Current {
            return Err(damaged());
        }
        let u32_at = |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().expect("4"));
        let documents = u32_at(12);
        let grams = u64::from(u32_at(16));
        let postings_len = u64::from_le_bytes(head[20..28].try_into().expect("8 bytes"));
        let words = u64::from(u32_at(28));
        let vocabulary_len = u64::from(u32_at(32));
        let titles_len = u64::from(u32_at(36));
        let rows_len = u64::from(u32_at(40));
        let rows_sum = u64::from_le_bytes(head[44..52].try_into().expect("8 bytes"));
        let actual = file.metadata()?.len();
        // Checked: the postings' length is a u64 from the file, and a sum that wrapped around
        // to the file's size would leave the counts unbounded.
        let expected = [
            ENTRY * grams,
            WORD_ENTRY * words,
            vocabulary_len,
            postings_len,
            2 * LINE_END * u64::from(documents),
            titles_len,
            rows_len,
        ]
        .into_iter()
        .try_fold(HEAD, u64::checked_add);
        if actual != size || expected != Some(actual) {
            return Err(damaged());
        }
        Ok(Segment {
            file,
            documents,
            grams,
            postings_len,
            words,
            vocabulary_len,
            titles_len,
            rows_len,
            rows_sum,
            vocabulary: OnceLock::new(),
        })
    }

    /// The documents' folded titles, read whole (they are not kept: a query that needs them
    /// reads them once).
    pub fn titles(&self) -> io::Result<Lines> {
        self.lines(
            self.postings_start() + self.postings_len,
            self.titles_len,
            None,
        )
    }

    /// The documents' rows as `folio search` prints them, read whole and checked by their sum.
    pub fn rows(&self) -> io::Result<Lines> {
        let titles_end =
            self.postings_start() + self.postings_len + LINE_END * u64::from(self.documents);
        self.lines(
            titles_end + self.titles_len,
            self.rows_len,
            Some(self.rows_sum),
        )
    }

    /// The lines (see [`Lines`]) whose table starts at `start` and whose bytes are `len` long,
    /// with the table and bytes summing to `sum` when one is given.
    fn lines(&self, start: u64, len: u64, sum: Option<u64>) -> io::Result<Lines> {
        let mut table = vec![0u8; (LINE_END * u64::from(self.documents)) as usize];
        self.file.read_exact_at(&mut table, start)?;
        let mut bytes = vec![0u8; len as usize];
        self.file
            .read_exact_at(&mut bytes, start + table.len() as u64)?;
        Lines::read(table, bytes, sum).ok_or_else(damaged)
    }

    /// Where the postings start in the file.
    fn postings_start(&self) -> u64 {
        HEAD + ENTRY * self.grams + WORD_ENTRY * self.words + self.vocabulary_len
    }

    fn entry(&self, at: u64) -> io::Result<(Gram, u32, u32)> {
        let mut bytes = [0u8; ENTRY as usize];
        self.file.read_exact_at(&mut bytes, HEAD + ENTRY * at)?;
        Ok((
            u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
            u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")),
            u32::from_le_bytes(bytes[12..].try_into().expect("4 bytes")),
        ))
    }

    /// Where `gram`'s postings are: table position, offset and document count.
    fn find(&self, gram: Gram) -> io::Result<Option<(u64, u32, u32)>> {
        let (mut low, mut high) = (0, self.grams);
        while low < high {
            let middle = low + (high - low) / 2;
            let (found, offset, count) = self.entry(middle)?;
            match found.cmp(&gram) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Ok(Some((middle, offset, count))),
            }
        }
        Ok(None)
    }

    /// The segment's words, read on first use.
    fn vocabulary(&self) -> io::Result<&Vocabulary> {
        if let Some(vocabulary) = self.vocabulary.get() {
            return Ok(vocabulary);
        }
        let table_start = HEAD + ENTRY * self.grams;
        let mut table = vec![0u8; (WORD_ENTRY * self.words) as usize];
        self.file.read_exact_at(&mut table, table_start)?;
        let mut bytes = vec![0u8; self.vocabulary_len as usize];
        self.file
            .read_exact_at(&mut bytes, table_start + table.len() as u64)?;
        // One word per line, and the postings' offsets in order up to their end.
        let words = bytes.iter().filter(|&&b| b == b'\n').count();
        let mut offsets = table
            .chunks_exact(8)
            .map(|e| u32::from_le_bytes(e[..4].try_into().expect("4 bytes")))
            .chain([self.postings_len as u32]);
        let mut last = 0;
        let ordered = offsets.all(|offset| std::mem::replace(&mut last, offset) <= offset);
        if words as u64 != self.words || !ordered || bytes.last().is_some_and(|&b| b != b'\n') {
            return Err(damaged());
        }
        let _ = self.vocabulary.set(Vocabulary {
            bytes,
            table,
            postings_len: self.postings_len as u32,
        });
        Ok(self.vocabulary.get().expect("just set"))
    }

    /// How many of the segment's documents hold `key` (for a word key, at most this many).
    pub fn count(&self, key: &Key) -> io::Result<u32> {
        match key {
            Key::Gram(gram) => Ok(self.find(*gram)?.map_or(0, |(_, _, count)| count)),
            Key::Word(term) => {
                let vocabulary = self.vocabulary()?;
                Ok(words_holding(vocabulary, term)
                    .map(|(word, _)| vocabulary.entry(word).1)
                    .fold(0u32, u32::saturating_add))
            }
        }
    }

    /// The documents holding `key`, sorted.
    pub fn postings(&self, key: &Key) -> io::Result<Vec<u32>> {
        Ok(self
            .counted_postings(key)?
            .into_iter()
            .map(|(document, _)| document)
            .collect())
    }

    /// The documents holding `key`, sorted, each with the key's term's count in it: for a
    /// gram its stored count; for a word term the sum, over the words containing the term, of
    /// the term's count in the word times the word's count in the document.
    ///
    /// Why that sum is the count `examine` finds: the term is made of word characters only,
    /// so each of its occurrences lies inside one maximal run of word characters, one
    /// occurrence of a word. `memmem` finds the occurrences from the left, each search
    /// starting where the last match ended. A match inside a word ends at or before the
    /// word's end, and the next word starts after a character that is not a word character,
    /// so the search reaches each word from before its start or from a match inside it:
    /// within the word it finds what it finds in the word alone, and no match spans two
    /// words. The text's count is the sum of its words' counts, each word counted once per
    /// occurrence.
    pub fn counted_postings(&self, key: &Key) -> io::Result<Vec<(u32, u32)>> {
        let mut documents = Vec::new();
        match key {
            Key::Gram(gram) => {
                let Some((at, offset, _)) = self.find(*gram)? else {
                    return Ok(documents);
                };
                let end = if at + 1 < self.grams {
                    self.entry(at + 1)?.1
                } else if self.words > 0 {
                    self.vocabulary()?.entry(0).0
                } else {
                    self.postings_len as u32
                };
                let bytes = self.read_postings(offset, end)?;
                decode_postings(&bytes, |document, count| documents.push((document, count)))?;
            }
            Key::Word(term) => {
                let vocabulary = self.vocabulary()?;
                let holding: Vec<(usize, u32)> = words_holding(vocabulary, term).collect();
                let mut sums = vec![0u32; self.documents as usize];
                // Nearby postings are read together: the words holding a short term are
                // often many and close in the vocabulary.
                let mut at = 0;
                while at < holding.len() {
                    let mut last = at;
                    while last + 1 < holding.len()
                        && vocabulary.entry(holding[last + 1].0).0
                            < vocabulary.entry(holding[last].0 + 1).0 + (64 << 10)
                    {
                        last += 1;
                    }
                    let from = vocabulary.entry(holding[at].0).0;
                    let to = vocabulary.entry(holding[last].0 + 1).0;
                    let bytes = self.read_postings(from, to)?;
                    for &(word, times) in &holding[at..=last] {
                        let start = (vocabulary.entry(word).0 - from) as usize;
                        let end = (vocabulary.entry(word + 1).0 - from) as usize;
                        let bytes = bytes.get(start..end).ok_or_else(damaged)?;
                        decode_postings(bytes, |document, count| {
                            if let Some(sum) = sums.get_mut(document as usize) {
                                *sum = sum.saturating_add(times.saturating_mul(count));
                            }
                        })?;
                    }
                    at = last + 1;
                }
                documents.extend(
                    sums.iter()
                        .enumerate()
                        .filter(|(_, sum)| **sum > 0)
                        .map(|(document, sum)| (document as u32, *sum)),
                );
            }
        }
        Ok(documents)
    }

    /// The postings bytes from `start` to `end` (offsets in the postings).
    fn read_postings(&self, start: u32, end: u32) -> io::Result<Vec<u8>> {
        if end < start || u64::from(end) > self.postings_len {
            return Err(damaged());
        }
        let mut bytes = vec![0u8; (end - start) as usize];
        self.file
            .read_exact_at(&mut bytes, self.postings_start() + u64::from(start))?;
        Ok(bytes)
    }
}

/// The words of `vocabulary` containing `term` (word characters only), in order, each with the
/// term's count in it (`memmem` from the left, without overlap).
fn words_holding<'a>(
    vocabulary: &'a Vocabulary,
    term: &'a [u8],
) -> impl Iterator<Item = (usize, u32)> + 'a {
    let finder = memmem::Finder::new(term);
    let bytes = &vocabulary.bytes;
    // Where the search goes on (a word's start), and that word's number.
    let (mut from, mut word) = (0, 0);
    std::iter::from_fn(move || {
        let found = from + finder.find(bytes.get(from..)?)?;
        // The word holding the match starts after the last line break before it.
        let start = memchr::memrchr(b'\n', &bytes[from..found]).map_or(from, |at| from + at + 1);
        word += bytes[from..start].iter().filter(|&&b| b == b'\n').count();
        // Every word ends in a line break (checked when the vocabulary was read).
        let end = found + memchr::memchr(b'\n', &bytes[found..])?;
        let times = finder.find_iter(&bytes[start..end]).count();
        let this = word;
        (from, word) = (end + 1, word + 1);
        Some((this, times as u32))
    })
}

/// Calls `each(document, count)` for every posting in `bytes`, in order.
fn decode_postings(bytes: &[u8], mut each: impl FnMut(u32, u32)) -> io::Result<()> {
    let mut varints = Varints { bytes };
    let mut last: Option<u32> = None;
    while let Some(value) = varints.next() {
        let delta = (value >> 1) as u32;
        let count = if value & 1 == 1 {
            varints.next().ok_or_else(damaged)? as u32
        } else {
            1
        };
        let document = last.map_or(delta, |l| l.wrapping_add(delta));
        each(document, count);
        last = Some(document);
    }
    Ok(())
}

/// LEB128 varints read one after another.
struct Varints<'a> {
    bytes: &'a [u8],
}

impl Varints<'_> {
    fn next(&mut self) -> Option<u64> {
        let (mut value, mut shift) = (0u64, 0u32);
        for (at, &byte) in self.bytes.iter().enumerate() {
            value |= u64::from(byte & 0x7F) << shift.min(63);
            shift += 7;
            if byte & 0x80 == 0 {
                self.bytes = &self.bytes[at + 1..];
                return Some(value);
            }
        }
        self.bytes = &[];
        None
    }
}

/// The sorted numbers present in both sorted lists.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut both) = (0, 0, Vec::with_capacity(a.len().min(b.len())));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    both
}

#[cfg(test)]
#[path = "segment_tests.rs"]
mod tests;
