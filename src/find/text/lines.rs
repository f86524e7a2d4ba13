//! A line of bytes per document of a segment (its folded title, its printed row), one after
//! another with a table of where each ends: written whole with the segment (`segment`), read
//! whole by the searches that need every document's (`stored`).

use std::io::{self, Write};

use memchr::memmem;

use crate::cache;

/// A line of bytes per document of a segment, written in the order of the documents, each
/// followed by `\n` (which it may hold too), with a table of where each one ends.
#[derive(Debug, Default)]
pub struct LinesBuilder {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl LinesBuilder {
    pub fn push(&mut self, line: &[u8]) {
        self.bytes.extend_from_slice(line);
        self.ends.push(self.bytes.len() as u32);
        self.bytes.push(b'\n');
    }

    /// The bytes' length.
    pub fn byte_len(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// The table: where each line ends, `u32`s little-endian.
    fn table(&self) -> Vec<u8> {
        self.ends.iter().flat_map(|end| end.to_le_bytes()).collect()
    }

    /// The sum of the table and the bytes, as [`Lines::read`] checks it.
    pub fn sum(&self) -> u64 {
        sum_of(&self.table(), &self.bytes)
    }

    /// The table, then the bytes.
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.table())?;
        out.write_all(&self.bytes)
    }
}

/// The sum of a table and its bytes ([`LinesBuilder::sum`], [`Lines::read`]).
fn sum_of(table: &[u8], bytes: &[u8]) -> u64 {
    let mut sum = cache::Checksum::default();
    sum.update(table);
    sum.update(bytes);
    sum.finish()
}

/// A segment's titles or rows, read whole (`Segment::titles`, `Segment::rows`).
#[derive(Debug)]
pub struct Lines {
    /// Where each document's line ends in `bytes` (at its `\n`).
    ends: Vec<u32>,
    /// The lines, each followed by `\n`.
    bytes: Vec<u8>,
}

impl Lines {
    /// The lines of a `table` and its `bytes` as [`LinesBuilder::write`] wrote them, with
    /// their [`LinesBuilder::sum`] when one is given; `None` when they do not agree (damaged).
    pub fn read(table: Vec<u8>, bytes: Vec<u8>, sum: Option<u64>) -> Option<Lines> {
        if sum.is_some_and(|sum| sum_of(&table, &bytes) != sum) || !table.len().is_multiple_of(4) {
            return None;
        }
        let ends: Vec<u32> = table
            .chunks_exact(4)
            .map(|e| u32::from_le_bytes(e.try_into().expect("4 bytes")))
            .collect();
        // Each line is followed by its `\n`, the last one by the end of the bytes.
        let mut start = 0usize;
        for &end in &ends {
            let end = end as usize;
            if end < start || bytes.get(end) != Some(&b'\n') {
                return None;
            }
            start = end + 1;
        }
        (start == bytes.len()).then_some(Lines { ends, bytes })
    }

    /// Document `document`'s line with its `\n`.
    pub fn with_break(&self, document: u32) -> Option<&[u8]> {
        let end = *self.ends.get(document as usize)? as usize;
        let start = match document.checked_sub(1) {
            Some(before) => self.ends[before as usize] as usize + 1,
            None => 0,
        };
        self.bytes.get(start..=end)
    }

    /// Calls `each(document, count)` for every document whose line holds `term` (a folded
    /// term, in the folded titles), with the times `memmem` finds it there from the left,
    /// without overlap.
    ///
    /// A term without a line break is looked for in all the lines at once: a match cannot
    /// take in the `\n` after a line, so it lies inside one line, and each line is reached
    /// from before its start, as when it is searched alone.
    pub fn count(&self, term: &memmem::Finder, mut each: impl FnMut(u32, u32)) {
        if term.needle().is_empty() {
            return;
        }
        if term.needle().contains(&b'\n') {
            let mut start = 0;
            for (document, &end) in self.ends.iter().enumerate() {
                let times = term.find_iter(&self.bytes[start..end as usize]).count();
                if times > 0 {
                    each(document as u32, times as u32);
                }
                start = end as usize + 1;
            }
            return;
        }
        // The document of the last match and its count so far.
        let mut current: Option<(u32, u32)> = None;
        let mut document = 0usize;
        for at in term.find_iter(&self.bytes) {
            while (self.ends[document] as usize) < at {
                document += 1;
            }
            match &mut current {
                Some((d, times)) if *d as usize == document => *times += 1,
                _ => {
                    if let Some((d, times)) = current {
                        each(d, times);
                    }
                    current = Some((document as u32, 1));
                }
            }
        }
        if let Some((d, times)) = current {
            each(d, times);
        }
    }
}
