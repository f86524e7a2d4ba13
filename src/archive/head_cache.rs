//! The head cache: every article's parsed head kept between runs, so that a start stats each
//! file instead of opening it.
//!
//! One file, `heads-v1`, in the archive's cache folder ([`crate::cache`]): for each article its
//! relative path, its [`Stamp`] and its head (the [`Article`] fields); for each file skipped for
//! what it holds (empty, binary, no known encoding) the reason; for each SUMMARY.md its links.
//! An entry is used while its file's stamp is unchanged; anything else is read again. The loader
//! (`library`) decides what is reused and asks for a new file when anything changed.
//!
//! The file: [`header`] (`FOLIOHDS`, [`VERSION`]), the payload's length and checksum (two
//! little-endian `u64`), then the payload: an entry count and the entries, then the tree (see
//! below). A file whose length or checksum does not match (a killed writer's, a truncated or
//! damaged one) is never read further: it is rebuilt, and the caller says so in one line.
//!
//! **The tree.** Entries are written in the library's default order, and beside them every
//! folder the walk went through, with its stamp taken before it was listed. A folder's
//! modification time changes whenever a name in it is added, removed or renamed, so while
//! every folder's stamp and every entry's stamp are unchanged, the walk would find exactly the
//! same files and the same heads: [`Prior::unchanged`] then gives the entries back in order
//! without listing a folder or resolving SUMMARY.md again. The tree is kept only when the walk
//! saw all of it (no error, every file stamped) and no folder was changed within
//! [`RACY_NS`] of being stat'ed: a name added in the same clock tick as the stat would leave
//! the stamp as it was (git calls these entries racy).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs;
use std::hash::BuildHasher;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::archive::article::{Article, display_path};
use crate::archive::read::HeadReader;
use crate::archive::summary::Summary;
use crate::cache::{CacheDir, CacheError, Header, Stamp, check_header, checksum, header};

/// The file's name in the cache folder.
pub const FILE: &str = "heads-v1";

const MAGIC: &[u8; 8] = b"FOLIOHDS";

/// The format's version: a file of another version is rebuilt.
pub const VERSION: u32 = 3;

/// A folder changed less than this before its stamp was taken cannot vouch for its names
/// (the clock may not have ticked since): the tree is then not kept.
pub const RACY_NS: i64 = 2_000_000_000;

/// Header, payload length, payload checksum.
const PREAMBLE: usize = 12 + 8 + 8;

const ARTICLE: u8 = 0;
const SKIPPED: u8 = 1;
const SUMMARY: u8 = 2;

/// What the cache knew about one file when its stamp was taken.
#[derive(Debug)]
pub enum Cached {
    /// An article's head.
    Article(Article),
    /// A file skipped for what it holds: its display path and the reason.
    Skipped(String, String),
    /// A SUMMARY.md's links.
    Summary(Summary),
}

/// What one entry to be written is.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    /// An article's head.
    Article(&'a Article),
    /// A skipped file's reason.
    Skipped(&'a str),
    /// A SUMMARY.md.
    Summary(&'a Summary),
}

/// A folder the walk went through, and its stamp taken before it was listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// Relative to the archive's root (empty for the root).
    pub path: std::path::PathBuf,
    /// `None` when it could not be stat'ed (the tree is then not kept).
    pub stamp: Option<Stamp>,
}

/// Why a cache file on disk was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// It did not parse: damaged, truncated, written by a killed process, or not ours.
    Damaged,
    /// It is from another version of folio (rebuilt without a note).
    OtherVersion,
}

/// The cache as read at the start: its bytes and where each path's entry is.
#[derive(Debug, Default)]
pub struct Prior {
    bytes: Vec<u8>,
    /// Where each entry starts in `bytes`.
    entries: Vec<usize>,
    /// Entry index by the hash of its relative path (a collision only costs a re-read: the
    /// path is compared before an entry is used), made at the first [`Prior::get`]: a start
    /// that finds the tree unchanged never needs it.
    by_path: OnceLock<HashMap<u64, u32, foldhash::fast::FixedState>>,
    hasher: foldhash::fast::FixedState,
    /// The folders the walk went through, when it saw the whole tree; empty otherwise.
    folders: Vec<(std::ops::Range<usize>, Stamp)>,
    /// Whether the tree was kept (see the module's doc).
    tree: bool,
}

impl Prior {
    /// Reads the cache file of `cache`: `Ok(None)` when there is none, `Err` when it is there
    /// but cannot be trusted.
    pub fn read(cache: &CacheDir) -> Result<Option<Prior>, Trouble> {
        match fs::read(cache.file(FILE)) {
            Ok(bytes) => Prior::parse(bytes).map(Some),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(_) => Err(Trouble::Damaged),
        }
    }

    /// Checks and indexes the bytes of a cache file.
    pub fn parse(bytes: Vec<u8>) -> Result<Prior, Trouble> {
        match check_header(&bytes, MAGIC, VERSION) {
            Header::Current => {}
            Header::OtherVersion => return Err(Trouble::OtherVersion),
            Header::Foreign => return Err(Trouble::Damaged),
        }
        let mut at = Reader {
            bytes: &bytes,
            at: 12,
        };
        let length = at.u64().ok_or(Trouble::Damaged)?;
        let sum = at.u64().ok_or(Trouble::Damaged)?;
        let payload = &bytes[PREAMBLE..];
        if payload.len() as u64 != length || checksum(payload) != sum {
            return Err(Trouble::Damaged);
        }
        let mut reader = Reader {
            bytes: &bytes,
            at: PREAMBLE,
        };
        let count = reader.u32().ok_or(Trouble::Damaged)? as usize;
        let mut entries = Vec::with_capacity(count.min(bytes.len() / 16));
        for _ in 0..count {
            let start = reader.at;
            reader.bytes().ok_or(Trouble::Damaged)?;
            reader.skip_entry_rest().ok_or(Trouble::Damaged)?;
            entries.push(start);
        }
        let tree = match reader.u8() {
            Some(0) => false,
            Some(1) => true,
            _ => return Err(Trouble::Damaged),
        };
        let folder_count = reader.u32().ok_or(Trouble::Damaged)? as usize;
        let mut folders = Vec::with_capacity(folder_count.min(bytes.len() / 28));
        for _ in 0..folder_count {
            let length = reader.bytes().ok_or(Trouble::Damaged)?.len();
            let path = reader.at - length..reader.at;
            let stamp = reader.stamp().ok_or(Trouble::Damaged)?;
            folders.push((path, stamp));
        }
        if reader.at != bytes.len() {
            return Err(Trouble::Damaged);
        }
        Ok(Prior {
            bytes,
            entries,
            by_path: OnceLock::new(),
            hasher: foldhash::fast::FixedState::with_seed(0x666f_6c69_6f00),
            folders,
            tree,
        })
    }

    /// Entry index by the hash of its relative path, made once.
    fn by_path(&self) -> &HashMap<u64, u32, foldhash::fast::FixedState> {
        self.by_path.get_or_init(|| {
            let mut map =
                HashMap::with_capacity_and_hasher(self.entries.len(), self.hasher.clone());
            for (index, &start) in self.entries.iter().enumerate() {
                let mut reader = Reader {
                    bytes: &self.bytes,
                    at: start,
                };
                let path = reader.bytes().expect("checked when parsed");
                map.insert(self.hasher.hash_one(path), index as u32);
            }
            map
        })
    }

    /// Whether the cache kept the tree (see the module's doc).
    pub fn has_tree(&self) -> bool {
        self.tree
    }

    /// Every entry in the order written, each with its stamp, when the tree under `root` and
    /// every file in it are as the cache saw them (see the module's doc); `None` as soon as
    /// anything differs, or when the tree was not kept. Stats every folder and file (on all
    /// cores), opens none. Each entry is handed to `make` on the way.
    pub fn unchanged<T: Send>(
        &self,
        root: &Path,
        make: impl Fn(Cached, Stamp) -> T + Sync,
    ) -> Option<Vec<T>> {
        if !self.tree {
            return None;
        }
        let mut reader = HeadReader::default();
        for (path, stamp) in &self.folders {
            let folder = root.join(OsStr::from_bytes(&self.bytes[path.clone()]));
            if reader.stamp(&folder).ok()? != *stamp {
                return None;
            }
        }
        self.entries
            .par_iter()
            .map_init(HeadReader::default, |reader, &start| {
                let mut at = Reader {
                    bytes: &self.bytes,
                    at: start,
                };
                let relative = Path::new(OsStr::from_bytes(at.bytes()?));
                let now = reader.stamp(&root.join(relative)).ok()?;
                let kept = at.stamp()?;
                (now == kept).then_some(())?;
                Some(make(at.cached(relative)?, kept))
            })
            .collect()
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What the cache knew of the file at `relative`, if its stamp then was `stamp`.
    pub fn get(&self, relative: &Path, stamp: Stamp) -> Option<Cached> {
        let key = relative.as_os_str().as_bytes();
        let &index = self.by_path().get(&self.hasher.hash_one(key))?;
        let mut reader = Reader {
            bytes: &self.bytes,
            at: self.entries[index as usize],
        };
        if reader.bytes()? != key {
            return None;
        }
        if reader.stamp()? != stamp {
            return None;
        }
        reader.cached(relative)
    }
}

/// Writes the cache file of `cache` from `entries` (relative path, stamp, what it is), in the
/// library's default order, and the tree's `folders` when `tree` (the walk saw it whole, see
/// the module's doc): whole, to a temporary file renamed into place.
pub fn write<'a>(
    cache: &CacheDir,
    entries: impl Iterator<Item = (&'a Path, Stamp, Entry<'a>)>,
    folders: &[Folder],
    tree: bool,
) -> Result<(), CacheError> {
    let mut out = Vec::with_capacity(1 << 16);
    out.extend_from_slice(&header(MAGIC, VERSION));
    out.extend_from_slice(&[0; 16]);
    out.extend_from_slice(&[0; 4]);
    let mut count: u32 = 0;
    for (path, stamp, entry) in entries {
        count += 1;
        put_bytes(&mut out, path.as_os_str().as_bytes());
        put_stamp(&mut out, stamp);
        match entry {
            Entry::Article(article) => {
                out.push(ARTICLE);
                put_bytes(&mut out, article.title.as_bytes());
                for field in [&article.source, &article.date, &article.category] {
                    put_optional(&mut out, field.as_deref());
                }
                out.extend_from_slice(&(article.tags.len() as u32).to_le_bytes());
                for tag in &article.tags {
                    put_bytes(&mut out, tag.as_bytes());
                }
            }
            Entry::Skipped(reason) => {
                out.push(SKIPPED);
                put_bytes(&mut out, reason.as_bytes());
            }
            Entry::Summary(summary) => {
                out.push(SUMMARY);
                let links = summary.links();
                out.extend_from_slice(&(links.len() as u32).to_le_bytes());
                for (decoded, as_written) in links {
                    put_bytes(&mut out, decoded.as_bytes());
                    put_optional(&mut out, as_written);
                }
            }
        }
    }
    out[PREAMBLE..PREAMBLE + 4].copy_from_slice(&count.to_le_bytes());
    let tree = tree && folders.iter().all(|folder| folder.stamp.is_some());
    out.push(u8::from(tree));
    let kept: &[Folder] = if tree { folders } else { &[] };
    out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
    for folder in kept {
        let stamp = folder.stamp.expect("every folder is stamped");
        put_bytes(&mut out, folder.path.as_os_str().as_bytes());
        put_stamp(&mut out, stamp);
    }
    let payload_length = (out.len() - PREAMBLE) as u64;
    let sum = checksum(&out[PREAMBLE..]);
    out[12..20].copy_from_slice(&payload_length.to_le_bytes());
    out[20..28].copy_from_slice(&sum.to_le_bytes());
    cache.write_atomic(FILE, &out)
}

fn put_stamp(out: &mut Vec<u8>, stamp: Stamp) {
    out.extend_from_slice(&stamp.size.to_le_bytes());
    out.extend_from_slice(&stamp.mtime_ns.to_le_bytes());
    out.extend_from_slice(&stamp.ctime_ns.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// `None` is a length of `u32::MAX`.
fn put_optional(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => put_bytes(out, text.as_bytes()),
        None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
    }
}

/// Reads the payload's fields; `None` past the end or on a field that does not parse.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(taken)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")))
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("eight bytes")))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    fn string(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes()?).ok().map(str::to_string)
    }

    fn optional(&mut self) -> Option<Option<String>> {
        let at = self.at;
        if self.u32()? == u32::MAX {
            return Some(None);
        }
        self.at = at;
        self.string().map(Some)
    }

    fn stamp(&mut self) -> Option<Stamp> {
        Some(Stamp {
            size: self.u64()?,
            mtime_ns: self.u64()? as i64,
            ctime_ns: self.u64()? as i64,
        })
    }

    /// What an entry holds, read after its stamp; `relative` is its path.
    fn cached(&mut self, relative: &Path) -> Option<Cached> {
        match self.u8()? {
            ARTICLE => {
                let title = self.string()?;
                let source = self.optional()?;
                let date = self.optional()?;
                let category = self.optional()?;
                let tags = (0..self.u32()?)
                    .map(|_| self.string())
                    .collect::<Option<Vec<_>>>()?;
                let (path, lossy) = display_path(relative);
                Some(Cached::Article(Article {
                    path,
                    title,
                    source,
                    date,
                    category,
                    tags,
                    path_lossy: lossy,
                    raw_path: lossy.then(|| relative.to_path_buf()),
                }))
            }
            SKIPPED => {
                let reason = self.string()?;
                Some(Cached::Skipped(display_path(relative).0, reason))
            }
            SUMMARY => {
                let links = (0..self.u32()?)
                    .map(|_| Some((self.string()?, self.optional()?)))
                    .collect::<Option<Vec<_>>>()?;
                Some(Cached::Summary(Summary::from_links(relative, links)))
            }
            _ => None,
        }
    }

    /// Steps over an entry after its path; `None` if it does not parse.
    fn skip_entry_rest(&mut self) -> Option<()> {
        // The stamp: size, modification time, change time.
        self.take(24)?;
        let skip_optional = |reader: &mut Self| -> Option<()> {
            let n = reader.u32()?;
            if n != u32::MAX {
                reader.take(n as usize)?;
            }
            Some(())
        };
        match self.u8()? {
            ARTICLE => {
                self.bytes()?;
                for _ in 0..3 {
                    skip_optional(self)?;
                }
                for _ in 0..self.u32()? {
                    self.bytes()?;
                }
            }
            SKIPPED => {
                self.bytes()?;
            }
            SUMMARY => {
                for _ in 0..self.u32()? {
                    self.bytes()?;
                    skip_optional(self)?;
                }
            }
            _ => return None,
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn article(path: &str) -> Article {
        Article {
            source: Some("https://example.com/a".into()),
            category: Some("未分类".into()),
            tags: vec!["a".into(), "".into()],
            ..crate::archive::synth::bare_article(path, &format!("标题 {path}"))
        }
    }

    #[test]
    fn entries_round_trip_and_stamps_decide() {
        let root = tempfile::tempdir().unwrap();
        let cache = CacheDir::open_in(root.path(), Path::new("/srv/a")).unwrap();
        let a = article("docs/a.md");
        let b = article("b.md");
        let stamp = Stamp {
            size: 10,
            mtime_ns: -5,
            ctime_ns: 7,
        };
        let pa = PathBuf::from("docs/a.md");
        let pb = PathBuf::from("b.md");
        let pe = PathBuf::from("empty.md");
        write(
            &cache,
            [
                (pa.as_path(), stamp, Entry::Article(&a)),
                (pb.as_path(), stamp, Entry::Article(&b)),
                (pe.as_path(), stamp, Entry::Skipped("empty file")),
            ]
            .into_iter(),
            &[],
            false,
        )
        .unwrap();
        let prior = Prior::read(&cache).unwrap().unwrap();
        assert_eq!(prior.len(), 3);
        assert!(matches!(prior.get(&pa, stamp), Some(Cached::Article(x)) if x == a));
        assert!(
            matches!(prior.get(&pe, stamp), Some(Cached::Skipped(p, r)) if p == "empty.md" && r == "empty file")
        );
        let touched = Stamp {
            mtime_ns: 6,
            ..stamp
        };
        assert!(prior.get(&pa, touched).is_none());
        // Replaced with the same size and modification time (`cp -p`): the change time tells.
        let replaced = Stamp {
            ctime_ns: 8,
            ..stamp
        };
        assert!(prior.get(&pa, replaced).is_none());
        assert!(prior.get(Path::new("docs/c.md"), stamp).is_none());

        // Every cut of the file, and every flipped byte, is refused as a whole.
        let bytes = fs::read(cache.file(FILE)).unwrap();
        for cut in [0, 11, 12, 27, 28, bytes.len() / 2, bytes.len() - 1] {
            assert!(matches!(
                Prior::parse(bytes[..cut].to_vec()),
                Err(Trouble::Damaged)
            ));
        }
        for at in (PREAMBLE..bytes.len()).step_by(7) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x20;
            assert!(Prior::parse(flipped).is_err(), "byte {at}");
        }
        let mut other = bytes.clone();
        other[8] = 9;
        assert!(matches!(Prior::parse(other), Err(Trouble::OtherVersion)));
    }
}
