//! One segment of the text index on disk: for each gram (a character, or two characters in a
//! row within a line, of the folded text) the sorted list of the segment's documents holding it.
//!
//! A segment is written once, whole, and never changed; an update adds a segment and the
//! manifest (`index`) says which documents of which segment are still alive. The file:
//!
//! ```text
//! "FOLIOTXS" u32 version      the cache header
//! u32 documents  u32 grams  u64 postings length
//! grams × (u64 gram, u32 offset of its postings, u32 document count)   sorted by gram
//! postings: per gram, its documents' numbers as deltas, LEB128 varints
//! ```
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
pub const VERSION: u32 = 1;
const HEAD: u64 = 12 + 4 + 4 + 8;
const ENTRY: u64 = 16;

/// A gram: one character (`b` = [`LONE`]) or two in a row, as one number.
pub type Gram = u64;
const LONE: u64 = 0x1F_FFFF;

fn gram(a: char, b: Option<char>) -> Gram {
    (u64::from(a) << 21) | b.map_or(LONE, u64::from)
}

/// Every gram of `folded` (a folded text), line by line, sorted and without repeats.
pub fn grams_of_text(folded: &str, out: &mut Vec<Gram>) {
    out.clear();
    for line in folded.split('\n') {
        let mut previous = None;
        for c in line.chars() {
            out.push(gram(c, None));
            if let Some(p) = previous {
                out.push(gram(p, Some(c)));
            }
            previous = Some(c);
        }
    }
    out.sort_unstable();
    out.dedup();
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
    /// Adds the next document (numbered from 0 in the order added) with its grams.
    pub fn add(&mut self, grams: &[Gram], text_bytes: usize) -> u32 {
        let document = self.documents;
        self.documents += 1;
        self.text_bytes += text_bytes as u64;
        for &gram in grams {
            let postings = self.postings.entry(gram).or_default();
            let delta = if postings.count == 0 {
                document
            } else {
                document - postings.last
            };
            push_varint(&mut postings.bytes, delta);
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

fn push_varint(out: &mut Vec<u8>, mut value: u32) {
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
        let Some((at, offset, count)) = self.find(gram)? else {
            return Ok(Vec::new());
        };
        let end = if at + 1 < self.grams {
            u64::from(self.entry(at + 1)?.1)
        } else {
            self.postings_len
        };
        let start = u64::from(offset);
        if end < start || end > self.postings_len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "damaged segment",
            ));
        }
        let mut bytes = vec![0u8; (end - start) as usize];
        self.file
            .read_exact_at(&mut bytes, HEAD + ENTRY * self.grams + start)?;
        let mut documents = Vec::with_capacity(count as usize);
        let (mut value, mut shift, mut last) = (0u32, 0u32, 0u32);
        for byte in bytes {
            value |= u32::from(byte & 0x7F) << shift.min(31);
            shift += 7;
            if byte & 0x80 == 0 {
                last = if documents.is_empty() {
                    value
                } else {
                    last.wrapping_add(value)
                };
                documents.push(last);
                (value, shift) = (0, 0);
            }
        }
        Ok(documents)
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
        let mut grams = Vec::new();
        for text in texts {
            grams_of_text(text, &mut grams);
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
        assert!(Segment::open(&path, size + 1).is_err());
        std::fs::write(&path, b"FOLIOTXS junk").unwrap();
        assert!(Segment::open(&path, 13).is_err());
    }

    #[test]
    fn varints_round_trip_large_gaps() {
        let mut builder = SegmentBuilder::default();
        let mut grams = Vec::new();
        grams_of_text("x", &mut grams);
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
        assert_eq!(segment.postings(grams[0]).unwrap(), expected);
    }
}
