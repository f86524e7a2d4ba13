//! One segment of the text index on disk: for each gram (a character, or two characters in a
//! row within a line, of the folded text) the sorted list of the segment's documents holding it,
//! each with the gram's count in it.
//!
//! A segment is written once, whole, and never changed; an update adds a segment and the
//! manifest (`index`) says which documents of which segment are still alive. The file:
//!
//! ```text
//! "FOLIOTXS" u32 version      the cache header
//! u32 documents  u32 grams  u64 postings length
//! grams × (u64 gram, u32 offset of its postings, u32 document count)   sorted by gram
//! postings: per gram, per document: LEB128 varint of (delta from the previous document << 1
//!           | count > 1), then the count as a varint when it is over 1
//! ```
//!
//! A gram's count is what `examine` counts for a term of that gram: every occurrence of a
//! character; for a pair, the occurrences `memmem` finds from the left without overlap (`AA` in
//! `AAA` once), so that a term of one or two characters is counted from the index alone.
//!
//! Lookups read the table by binary search with positioned reads: a query touches a few dozen
//! table entries and the postings of its own grams, never the whole file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::cache;

/// The segment file's magic.
const MAGIC: &[u8; 8] = b"FOLIOTXS";
/// The segment format's version.
pub const VERSION: u32 = 2;
const HEAD: u64 = 12 + 4 + 4 + 8;
const ENTRY: u64 = 16;

/// A gram: one character (`b` = [`LONE`]) or two in a row, as one number.
pub type Gram = u64;
const LONE: u64 = 0x1F_FFFF;

fn gram(a: char, b: Option<char>) -> Gram {
    (u64::from(a) << 21) | b.map_or(LONE, u64::from)
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

/// The gram that holds a term of one or two characters exactly (a line holds the term if and
/// only if it holds the gram, as often as the gram's count says); `None` for a longer term.
pub fn gram_of_short_term(folded_term: &str) -> Option<Gram> {
    let mut chars = folded_term.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), b, None) => Some(gram(a, b)),
        _ => None,
    }
}

/// The grams a text must hold to contain `folded_term`: its character when it has one, else
/// its pairs of characters.
pub fn grams_of_term(folded_term: &str) -> Vec<Gram> {
    let chars: Vec<char> = folded_term.chars().collect();
    let mut grams: Vec<Gram> = match chars.as_slice() {
        [] => Vec::new(),
        [one] => vec![gram(*one, None)],
        _ => chars.windows(2).map(|w| gram(w[0], Some(w[1]))).collect(),
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// A segment being built in memory, document by document.
#[derive(Debug, Default)]
pub struct SegmentBuilder {
    postings: HashMap<Gram, Postings, foldhash::fast::RandomState>,
    documents: u32,
    /// The bytes of text added so far, to know when to start another segment.
    pub text_bytes: u64,
}

#[derive(Debug, Default)]
struct Postings {
    last: u32,
    count: u32,
    bytes: Vec<u8>,
}

impl SegmentBuilder {
    /// Adds the next document (numbered from 0 in the order added) with its grams and their
    /// counts.
    pub fn add(&mut self, grams: &[(Gram, u32)], text_bytes: usize) -> u32 {
        let document = self.documents;
        self.documents += 1;
        self.text_bytes += text_bytes as u64;
        for &(gram, count) in grams {
            let postings = self.postings.entry(gram).or_default();
            let delta = if postings.count == 0 {
                document
            } else {
                document - postings.last
            };
            push_varint(
                &mut postings.bytes,
                (u64::from(delta) << 1) | u64::from(count > 1),
            );
            if count > 1 {
                push_varint(&mut postings.bytes, u64::from(count));
            }
            postings.last = document;
            postings.count += 1;
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
        let postings_len: u64 = grams.iter().map(|(_, p)| p.bytes.len() as u64).sum();
        let offsets_fit = u32::try_from(postings_len).is_ok();
        if !offsets_fit {
            return Err(io::Error::other("text index segment over 4 GB"));
        }
        cache::replace_file(path, true, |out| {
            out.write_all(&cache::header(MAGIC, VERSION))?;
            out.write_all(&self.documents.to_le_bytes())?;
            out.write_all(&(grams.len() as u32).to_le_bytes())?;
            out.write_all(&postings_len.to_le_bytes())?;
            let mut offset = 0u32;
            for (gram, postings) in &grams {
                out.write_all(&gram.to_le_bytes())?;
                out.write_all(&offset.to_le_bytes())?;
                out.write_all(&postings.count.to_le_bytes())?;
                offset += postings.bytes.len() as u32;
            }
            for (_, postings) in &grams {
                out.write_all(&postings.bytes)?;
            }
            Ok(())
        })
        .map(|()| HEAD + ENTRY * grams.len() as u64 + postings_len)
    }
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A segment opened for lookups.
#[derive(Debug)]
pub struct Segment {
    file: File,
    /// How many documents it holds.
    pub documents: u32,
    grams: u64,
    postings_len: u64,
}

impl Segment {
    /// Opens the segment at `path`, checking its header and that its size is `size` bytes and
    /// agrees with what the header says.
    pub fn open(path: &Path, size: u64) -> io::Result<Segment> {
        let file = File::open(path)?;
        let mut head = [0u8; HEAD as usize];
        file.read_exact_at(&mut head, 0)?;
        let damaged = || io::Error::new(io::ErrorKind::InvalidData, "damaged segment");
        if cache::check_header(&head, MAGIC, VERSION) != cache::Header::Current {
            return Err(damaged());
        }
        let documents = u32::from_le_bytes(head[12..16].try_into().expect("4 bytes"));
        let grams = u64::from(u32::from_le_bytes(head[16..20].try_into().expect("4")));
        let postings_len = u64::from_le_bytes(head[20..28].try_into().expect("8 bytes"));
        let actual = file.metadata()?.len();
        if actual != size || actual != HEAD + ENTRY * grams + postings_len {
            return Err(damaged());
        }
        Ok(Segment {
            file,
            documents,
            grams,
            postings_len,
        })
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

    /// How many of the segment's documents hold `gram`.
    pub fn count(&self, gram: Gram) -> io::Result<u32> {
        Ok(self.find(gram)?.map_or(0, |(_, _, count)| count))
    }

    /// The documents holding `gram`, sorted.
    pub fn postings(&self, gram: Gram) -> io::Result<Vec<u32>> {
        let mut documents = Vec::new();
        self.each_posting(gram, |document, _| documents.push(document))?;
        Ok(documents)
    }

    /// The documents holding `gram`, sorted, each with the gram's count in it.
    pub fn counted_postings(&self, gram: Gram) -> io::Result<Vec<(u32, u32)>> {
        let mut documents = Vec::new();
        self.each_posting(gram, |document, count| documents.push((document, count)))?;
        Ok(documents)
    }

    /// Calls `each(document, count)` for every posting of `gram`, in order.
    fn each_posting(&self, gram: Gram, mut each: impl FnMut(u32, u32)) -> io::Result<()> {
        let Some((at, offset, _)) = self.find(gram)? else {
            return Ok(());
        };
        let end = if at + 1 < self.grams {
            u64::from(self.entry(at + 1)?.1)
        } else {
            self.postings_len
        };
        let start = u64::from(offset);
        let damaged = || io::Error::new(io::ErrorKind::InvalidData, "damaged segment");
        if end < start || end > self.postings_len {
            return Err(damaged());
        }
        let mut bytes = vec![0u8; (end - start) as usize];
        self.file
            .read_exact_at(&mut bytes, HEAD + ENTRY * self.grams + start)?;
        let mut varints = Varints { bytes: &bytes };
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
mod tests {
    use super::*;

    #[test]
    fn a_segment_returns_what_was_put_in() {
        let texts = ["容器 EBPF\n内存", "容器", "RUST 内存", "器容"];
        let mut builder = SegmentBuilder::default();
        let (mut scratch, mut grams) = (Vec::new(), Vec::new());
        for text in texts {
            grams_of_text(text, &mut scratch, &mut grams);
            builder.add(&grams, text.len());
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        let size = builder.write(&path).unwrap();
        let segment = Segment::open(&path, size).unwrap();
        let find = |term: &str| {
            grams_of_term(term)
                .iter()
                .map(|&g| segment.postings(g).unwrap())
                .reduce(|a, b| intersect(&a, &b))
                .unwrap()
        };
        assert_eq!(find("容器"), [0, 1]);
        assert_eq!(find("器"), [0, 1, 3]);
        assert_eq!(find("内存"), [0, 2]);
        assert_eq!(find("EB"), [0]);
        // No pair across a line break.
        assert!(find("F内").is_empty());
        assert_eq!(segment.count(grams_of_term("存")[0]).unwrap(), 2);
        let counted = |term: &str| {
            let gram = gram_of_short_term(term).unwrap();
            segment.counted_postings(gram).unwrap()
        };
        assert_eq!(counted("容"), [(0, 1), (1, 1), (3, 1)]);
        assert_eq!(counted("容器"), [(0, 1), (1, 1)]);
        assert_eq!(gram_of_short_term("内存器"), None);
        assert!(Segment::open(&path, size + 1).is_err());
        std::fs::write(&path, b"FOLIOTXS junk").unwrap();
        assert!(Segment::open(&path, 13).is_err());
    }

    #[test]
    fn varints_round_trip_large_gaps() {
        let mut builder = SegmentBuilder::default();
        let mut grams = Vec::new();
        grams_of_text("x", &mut Vec::new(), &mut grams);
        let mut expected = Vec::new();
        for document in 0..70_000u32 {
            let holds = document == 0 || document % 20_000 == 7 || document == 69_999;
            builder.add(if holds { &grams } else { &[] }, 1);
            if holds {
                expected.push(document);
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        let size = builder.write(&path).unwrap();
        let segment = Segment::open(&path, size).unwrap();
        assert_eq!(segment.postings(grams[0].0).unwrap(), expected);
    }

    #[test]
    fn counts_are_those_memmem_finds_line_by_line() {
        // Pairs of equal characters are counted without overlap, as `memmem` finds them; a
        // carriage return is a character of its line; no pair spans a line break.
        let text = "AAA 哈哈哈哈\r\nAA\nA";
        let mut grams = Vec::new();
        grams_of_text(text, &mut Vec::new(), &mut grams);
        let count = |term: &str| {
            let gram = gram_of_short_term(term).unwrap();
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
}
