//! The text index's manifest (`index`), read and written here: which segments there are, and
//! for every indexed article its path, [`Stamp`] and place in a segment, in the order of the
//! articles that wrote it, with the identity of the head cache file they came from (the format
//! is in `index`'s doc).
//!
//! The file is in two parts, each with its own checksum: first the segments and the articles'
//! places, then their paths and stamps. A search from the head cache file the manifest names
//! needs only the first ([`read_places`]): a tenth of the file at 100,000 articles.

use std::io::{self, Write};
use std::path::Path;

use crate::cache::{self, Stamp};

const MAGIC: &[u8; 8] = b"FOLIOTXM";
/// The manifest format's version.
pub const VERSION: u32 = 10;

/// The segment of a manifest entry whose file could not be read at its stamp.
pub(super) const UNREADABLE: u32 = u32::MAX;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct SegmentInfo {
    pub(super) id: u64,
    pub(super) size: u64,
    pub(super) documents: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    /// Where its path is in the manifest's `paths`: start and length.
    pub(super) path: (u32, u32),
    pub(super) stamp: Stamp,
    pub(super) segment: u32,
    pub(super) document: u32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Manifest {
    pub(super) next_id: u64,
    /// The identity of the head cache file whose articles the entries are, in its order
    /// (`Catalog::cache_identity`); 0 when none.
    pub(super) catalog: u64,
    pub(super) segments: Vec<SegmentInfo>,
    pub(super) entries: Vec<Entry>,
    /// Every entry's path, one after another: 100,000 paths in one allocation, not one each
    /// (made and freed, they were a third of the time a fresh index took to open).
    pub(super) paths: Vec<u8>,
}

/// What was wrong with an index found on disk, for the one-line note before it is rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// Written by another version of folio.
    OtherVersion,
    /// Damaged, truncated, or a segment missing.
    Damaged,
}

impl Trouble {
    /// The note printed before the index is rebuilt.
    pub fn note(self) -> &'static str {
        match self {
            Trouble::OtherVersion => {
                "the search index is from another folio version; rebuilding it"
            }
            Trouble::Damaged => "the search index was damaged; rebuilding it",
        }
    }
}

impl Manifest {
    /// The path of `entry`, one of this manifest's.
    pub(super) fn path(&self, entry: &Entry) -> &[u8] {
        let (start, len) = (entry.path.0 as usize, entry.path.1 as usize);
        &self.paths[start..start + len]
    }

    /// Keeps `path` in `paths` for an entry.
    pub(super) fn keep_path(paths: &mut Vec<u8>, path: &[u8]) -> (u32, u32) {
        let start = paths.len() as u32;
        paths.extend_from_slice(path);
        (start, path.len() as u32)
    }

    pub(super) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.entries.len() * 64);
        out.extend_from_slice(&cache::header(MAGIC, VERSION));
        out.extend_from_slice(&self.next_id.to_le_bytes());
        out.extend_from_slice(&self.catalog.to_le_bytes());
        out.extend_from_slice(&(self.segments.len() as u32).to_le_bytes());
        for s in &self.segments {
            out.extend_from_slice(&s.id.to_le_bytes());
            out.extend_from_slice(&s.size.to_le_bytes());
            out.extend_from_slice(&s.documents.to_le_bytes());
        }
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for e in &self.entries {
            out.extend_from_slice(&e.segment.to_le_bytes());
            out.extend_from_slice(&e.document.to_le_bytes());
        }
        let sum = cache::checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        let files = out.len();
        for e in &self.entries {
            out.extend_from_slice(&e.path.1.to_le_bytes());
            out.extend_from_slice(self.path(e));
            out.extend_from_slice(&e.stamp.size.to_le_bytes());
            out.extend_from_slice(&e.stamp.mtime_ns.to_le_bytes());
            out.extend_from_slice(&e.stamp.ctime_ns.to_le_bytes());
        }
        let sum = cache::checksum(&out[files..]);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    pub(super) fn decode(bytes: &[u8]) -> Result<Manifest, Trouble> {
        let (places, files) = Places::decode(bytes)?;
        let (body, sum) = files.split_at(files.len().checked_sub(8).ok_or(Trouble::Damaged)?);
        if cache::checksum(body).to_le_bytes() != sum {
            return Err(Trouble::Damaged);
        }
        let mut r = Reader { bytes: body };
        let mut entries = Vec::with_capacity(places.places.len());
        let mut paths = Vec::with_capacity(r.bytes.len());
        for &(segment, document) in &places.places {
            let parsed = (|| {
                let len = r.u32()?;
                let start = u32::try_from(paths.len()).ok()?;
                paths.extend_from_slice(r.take(len as usize)?);
                Some(Entry {
                    path: (start, len),
                    stamp: Stamp {
                        size: r.u64()?,
                        mtime_ns: r.u64()? as i64,
                        ctime_ns: r.u64()? as i64,
                    },
                    segment,
                    document,
                })
            })();
            entries.push(parsed.ok_or(Trouble::Damaged)?);
        }
        if !r.bytes.is_empty() {
            return Err(Trouble::Damaged);
        }
        Ok(Manifest {
            next_id: places.next_id,
            catalog: places.catalog,
            segments: places.segments,
            entries,
            paths,
        })
    }
}

/// The first part of a manifest: its segments and each article's place, without the paths
/// and stamps ([`read_places`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Places {
    pub(super) next_id: u64,
    /// See [`Manifest::catalog`].
    pub(super) catalog: u64,
    pub(super) segments: Vec<SegmentInfo>,
    /// Each article's segment and document.
    pub(super) places: Vec<(u32, u32)>,
}

impl Places {
    /// The first part of the manifest at the start of `bytes`, checked, and the bytes after it.
    fn decode(bytes: &[u8]) -> Result<(Places, &[u8]), Trouble> {
        match cache::check_header(bytes, MAGIC, VERSION) {
            cache::Header::Current => {}
            cache::Header::OtherVersion => return Err(Trouble::OtherVersion),
            cache::Header::Foreign => return Err(Trouble::Damaged),
        }
        let length = Places::length(bytes).ok_or(Trouble::Damaged)?;
        let (part, rest) = bytes.split_at_checked(length).ok_or(Trouble::Damaged)?;
        let (body, sum) = part.split_at(length - 8);
        if cache::checksum(body).to_le_bytes() != sum {
            return Err(Trouble::Damaged);
        }
        let mut r = Reader { bytes: &body[12..] };
        let parse = |r: &mut Reader| -> Option<Places> {
            let next_id = r.u64()?;
            let catalog = r.u64()?;
            let segments = (0..r.u32()?)
                .map(|_| {
                    Some(SegmentInfo {
                        id: r.u64()?,
                        size: r.u64()?,
                        documents: r.u32()?,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            let count = r.u32()?;
            let places = (0..count)
                .map(|_| Some((r.u32()?, r.u32()?)))
                .collect::<Option<Vec<_>>>()?;
            let valid = places.iter().all(|&(segment, document)| {
                segment == UNREADABLE
                    || segments
                        .get(segment as usize)
                        .is_some_and(|s| document < s.documents)
            });
            (valid && r.bytes.is_empty()).then_some(Places {
                next_id,
                catalog,
                segments,
                places,
            })
        };
        Ok((parse(&mut r).ok_or(Trouble::Damaged)?, rest))
    }

    /// The first part's length in bytes, from its counts, given enough of its start.
    fn length(bytes: &[u8]) -> Option<usize> {
        let u32_at = |at: usize| -> Option<usize> {
            Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
        };
        let segments = u32_at(28)?;
        let articles = u32_at(32 + 20 * segments)?;
        Some(32 + 20 * segments + 4 + 8 * articles + 8)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// The manifest in `folder`: `Err(None)` when there is none, `Err(Some(trouble))` when it is
/// unusable.
pub(super) fn read_manifest(folder: &Path) -> Result<Manifest, Option<Trouble>> {
    match cache::read_file(&folder.join("manifest")) {
        Ok(bytes) => Manifest::decode(&bytes).map_err(Some),
        Err(_) => Err(None),
    }
}

/// The first part of the manifest in `folder` (see the module's doc), read alone; errors as
/// [`read_manifest`]'s.
pub(super) fn read_places(folder: &Path) -> Result<Places, Option<Trouble>> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(folder.join("manifest")).map_err(|_| None)?;
    let size = file.metadata().map_err(|_| None)?.len();
    // The header and counts, then the rest of the part.
    let mut bytes = vec![0u8; size.min(64 << 10) as usize];
    file.read_exact_at(&mut bytes, 0).map_err(|_| None)?;
    if cache::check_header(&bytes, MAGIC, VERSION) == cache::Header::OtherVersion {
        return Err(Some(Trouble::OtherVersion));
    }
    let length = Places::length(&bytes)
        .filter(|&length| length as u64 <= size)
        .ok_or(Some(Trouble::Damaged))?;
    if length > bytes.len() {
        let start = bytes.len();
        bytes.resize(length, 0);
        file.read_exact_at(&mut bytes[start..], start as u64)
            .map_err(|_| None)?;
    }
    Places::decode(&bytes[..length])
        .map(|(places, _)| places)
        .map_err(Some)
}

/// Writes `manifest` into `folder` (a temporary file renamed into place: `cache::replace_file`).
pub(super) fn write_manifest(folder: &Path, manifest: &Manifest) -> io::Result<()> {
    let bytes = manifest.encode();
    cache::replace_file(&folder.join("manifest"), false, |out| out.write_all(&bytes))
}

/// An empty manifest whose next segment is `next_id`.
pub(super) fn fresh_manifest(next_id: u64) -> Manifest {
    Manifest {
        next_id,
        ..Manifest::default()
    }
}
