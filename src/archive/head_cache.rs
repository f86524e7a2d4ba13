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
//! little-endian `u64`), then the payload: the tree (see below), then the entries, ended by a
//! length that no path has (`u32::MAX`). A file whose length or checksum does not match (a killed
//! writer's, a truncated or damaged one) is never used: it is rebuilt, and the caller says so in
//! one line. It is written and, when the tree is unchanged, read a block at a time
//! ([`unchanged`]): a million articles' heads are never held twice, once as bytes and once as
//! articles.
//!
//! **The tree.** Entries are written in the library's default order, and beside them every
//! folder the walk went through, with its stamp taken before it was listed. A folder's
//! modification time changes whenever a name in it is added, removed or renamed, so while
//! every folder's stamp and every entry's stamp are unchanged, the walk would find exactly the
//! same files and the same heads: [`unchanged`] then gives the entries back in order
//! without listing a folder or resolving SUMMARY.md again. The tree is kept only when the walk
//! saw all of it (no error, every file stamped) and no folder was changed within
//! [`RACY_NS`] of being stat'ed: a name added in the same clock tick as the stat would leave
//! the stamp as it was (git calls these entries racy).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::hash::BuildHasher;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::archive::article::{Article, Fields, display_form, display_path};
use crate::archive::read::HeadReader;
use crate::archive::summary::Summary;
use crate::cache::{CacheDir, CacheError, Checksum, Header, Stamp, check_header, checksum, header};

/// Where the entries end: a path length no path has.
const END: u32 = u32::MAX;

/// How much of the file is read at a time when it is streamed ([`unchanged`]).
const BLOCK: usize = 1 << 21;

/// The file's name in the cache folder.
pub const FILE: &str = "heads-v1";

const MAGIC: &[u8; 8] = b"FOLIOHDS";

/// The format's version: a file of another version is rebuilt.
pub const VERSION: u32 = 4;

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

/// The cache file read whole, for a walk to look up each file it finds: its bytes and where
/// each path's entry is.
#[derive(Debug, Default)]
pub struct Prior {
    bytes: Vec<u8>,
    /// Where each entry starts in `bytes`.
    entries: Vec<usize>,
    /// Entry index by the hash of its relative path (a collision only costs a re-read: the
    /// path is compared before an entry is used), made at the first [`Prior::get`].
    by_path: OnceLock<HashMap<u64, u32, foldhash::fast::FixedState>>,
    hasher: foldhash::fast::FixedState,
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
        let (tree, folder_count) = reader.tree().ok_or(Trouble::Damaged)?;
        for _ in 0..folder_count {
            reader.bytes().ok_or(Trouble::Damaged)?;
            reader.stamp().ok_or(Trouble::Damaged)?;
        }
        let mut entries = Vec::new();
        while !reader.at_end_of_entries().ok_or(Trouble::Damaged)? {
            entries.push(reader.at);
            reader.bytes().ok_or(Trouble::Damaged)?;
            reader.skip_entry_rest().ok_or(Trouble::Damaged)?;
        }
        if reader.at != bytes.len() {
            return Err(Trouble::Damaged);
        }
        Ok(Prior {
            bytes,
            entries,
            by_path: OnceLock::new(),
            hasher: foldhash::fast::FixedState::with_seed(0x666f_6c69_6f00),
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

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the cache holds an entry for the file at `relative`, whatever its stamp.
    pub fn knows(&self, relative: &Path) -> bool {
        let key = relative.as_os_str().as_bytes();
        let Some(&index) = self.by_path().get(&self.hasher.hash_one(key)) else {
            return false;
        };
        let mut reader = Reader {
            bytes: &self.bytes,
            at: self.entries[index as usize],
        };
        reader.bytes() == Some(key)
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

/// What [`unchanged`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// The tree and every file in it are as the cache saw them: every entry but the
    /// SUMMARY.md files' was handed on; this many entries in all.
    Unchanged(usize),
    /// The cache kept the tree, and something in it is not as it was.
    Changed,
    /// No cache file, one that kept no tree, or one that cannot be trusted (reading it whole,
    /// [`Prior::read`], tells which).
    NotKept,
}

/// Every entry of the cache file of `cache` in the order written, each made by `make` (on all
/// cores) with its stamp and handed to `sink`, when the tree under `root` and every file in it
/// are as the cache saw them (see the module's doc). Stats every folder and file, opens none.
/// A SUMMARY.md's stamp is checked but its links are not handed on: the order they gave is
/// the order of the entries already (and a million links would take as much room as the
/// titles).
/// The file is read a block at a time, never whole; what `sink` was given counts only when
/// [`Streamed::Unchanged`] is returned (a change, or a checksum that does not match at the end,
/// can show after entries were handed on).
pub fn unchanged<T: Send>(
    cache: &CacheDir,
    root: &Path,
    make: impl Fn(Cached, Stamp) -> T + Sync,
    mut sink: impl FnMut(T),
) -> Streamed {
    let Some((mut stream, sum)) = File::open(cache.file(FILE)).ok().and_then(Stream::open) else {
        return Streamed::NotKept;
    };
    let Some((tree, folder_count)) = stream.parse(|at| at.tree()) else {
        return Streamed::NotKept;
    };
    if !tree {
        return Streamed::NotKept;
    }
    let mut reader = HeadReader::default();
    for _ in 0..folder_count {
        let folder = stream.parse(|at| {
            let path = root.join(OsStr::from_bytes(at.bytes()?));
            Some((path, at.stamp()?))
        });
        let Some((path, stamp)) = folder else {
            return Streamed::NotKept;
        };
        if reader.stamp(&path).ok() != Some(stamp) {
            return Streamed::Changed;
        }
    }
    let mut count = 0;
    loop {
        // The entries wholly at hand, made and checked on all cores, then handed on in order.
        let mut at = Reader {
            bytes: &stream.buffer,
            at: stream.at,
        };
        let mut starts = Vec::new();
        let mut ended = false;
        loop {
            let start = at.at;
            match at.at_end_of_entries() {
                Some(true) => ended = true,
                Some(false) if at.bytes().and_then(|_| at.skip_entry_rest()).is_some() => {
                    starts.push(start);
                    continue;
                }
                _ => at.at = start,
            }
            break;
        }
        let taken = at.at;
        let made: Option<Vec<Option<T>>> = starts
            .par_iter()
            .map_init(
                || (HeadReader::default(), PathBuf::new()),
                |(reader, path), &start| {
                    let mut at = Reader {
                        bytes: &stream.buffer,
                        at: start,
                    };
                    let relative = Path::new(OsStr::from_bytes(at.bytes()?));
                    // The file's path in one buffer kept from entry to entry: a path made for
                    // each of a million entries was most of the allocator's time here.
                    path.as_mut_os_string().clear();
                    path.push(root);
                    path.push(relative);
                    let now = reader.stamp(path).ok()?;
                    let kept = at.stamp()?;
                    (now == kept).then_some(())?;
                    if at.bytes.get(at.at) == Some(&SUMMARY) {
                        // Its order is the entries' order already.
                        return Some(None);
                    }
                    Some(Some(make(at.cached(relative)?, kept)))
                },
            )
            .collect();
        let Some(made) = made else {
            return Streamed::Changed;
        };
        count += made.len();
        made.into_iter().flatten().for_each(&mut sink);
        stream.at = taken;
        if ended {
            break;
        }
        if !stream.read_more(BLOCK) {
            return Streamed::NotKept;
        }
    }
    if stream.at != stream.buffer.len() || stream.left != 0 || stream.sum.finish() != sum {
        return Streamed::NotKept;
    }
    Streamed::Unchanged(count)
}

/// A cache file read a block at a time, checksummed as it is read.
struct Stream {
    file: File,
    /// What was read and not yet dropped; parsing is at `at`.
    buffer: Vec<u8>,
    at: usize,
    /// How many bytes of the payload are still to be read.
    left: u64,
    sum: Checksum,
}

impl Stream {
    /// The stream of the payload of `file` and the checksum its preamble promises, when the
    /// header is this version's and the file is as long as the preamble says.
    fn open(mut file: File) -> Option<(Stream, u64)> {
        let mut preamble = [0; PREAMBLE];
        file.read_exact(&mut preamble).ok()?;
        if check_header(&preamble, MAGIC, VERSION) != Header::Current {
            return None;
        }
        let word = |at: usize| u64::from_le_bytes(preamble[at..at + 8].try_into().expect("8"));
        let (length, sum) = (word(12), word(20));
        if file.metadata().ok()?.len() != (PREAMBLE as u64).checked_add(length)? {
            return None;
        }
        let stream = Stream {
            file,
            buffer: Vec::new(),
            at: 0,
            left: length,
            sum: Checksum::default(),
        };
        Some((stream, sum))
    }

    /// Drops what was parsed and reads up to `n` more bytes; false when none are left or the
    /// file cannot be read.
    fn read_more(&mut self, n: usize) -> bool {
        self.buffer.drain(..self.at);
        self.at = 0;
        let n = n.min(usize::try_from(self.left).unwrap_or(usize::MAX));
        if n == 0 {
            return false;
        }
        let old = self.buffer.len();
        self.buffer.resize(old + n, 0);
        if self.file.read_exact(&mut self.buffer[old..]).is_err() {
            return false;
        }
        self.sum.update(&self.buffer[old..]);
        self.left -= n as u64;
        true
    }

    /// One item parsed by `parse` at the parsing position, reading more of the file while the
    /// bytes at hand do not hold it; `None` when the file ends first.
    fn parse<R>(&mut self, parse: impl Fn(&mut Reader<'_>) -> Option<R>) -> Option<R> {
        loop {
            let mut at = Reader {
                bytes: &self.buffer,
                at: self.at,
            };
            if let Some(item) = parse(&mut at) {
                self.at = at.at;
                return Some(item);
            }
            if !self.read_more(BLOCK) {
                return None;
            }
        }
    }
}

/// Writes the cache file of `cache` from `entries` (relative path, stamp, what it is), in the
/// library's default order, and the tree's `folders` when `tree` (the walk saw it whole, see
/// the module's doc): a piece at a time to a temporary file renamed into place, the length
/// and checksum filled in at the end.
pub fn write<'a>(
    cache: &CacheDir,
    entries: impl Iterator<Item = (&'a Path, Stamp, Entry<'a>)>,
    folders: &[Folder],
    tree: bool,
) -> Result<(), CacheError> {
    cache.write_atomic_with(FILE, |file| {
        file.write_all(&header(MAGIC, VERSION))?;
        file.write_all(&[0; 16])?;
        let mut payload = Payload {
            sum: Checksum::default(),
            piece: Vec::with_capacity(PIECE + 4096),
        };
        let tree = tree && folders.iter().all(|folder| folder.stamp.is_some());
        let out = &mut payload.piece;
        out.push(u8::from(tree));
        let kept: &[Folder] = if tree { folders } else { &[] };
        out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for folder in kept {
            let stamp = folder.stamp.expect("every folder is stamped");
            put_bytes(&mut payload.piece, folder.path.as_os_str().as_bytes());
            put_stamp(&mut payload.piece, stamp);
            payload.emit(file, PIECE)?;
        }
        for (path, stamp, entry) in entries {
            put_entry(&mut payload.piece, path, stamp, entry);
            payload.emit(file, PIECE)?;
        }
        payload.piece.extend_from_slice(&END.to_le_bytes());
        payload.emit(file, 0)?;
        file.seek(SeekFrom::Start(12))?;
        file.write_all(&payload.sum.length().to_le_bytes())?;
        file.write_all(&payload.sum.finish().to_le_bytes())
    })
}

/// How many bytes of entries are encoded before they are written out.
const PIECE: usize = 1 << 16;

/// The payload being written: the piece encoded and not yet written, and the checksum of
/// what was.
struct Payload {
    sum: Checksum,
    piece: Vec<u8>,
}

impl Payload {
    /// Writes the piece out once it holds at least `at_least` bytes.
    fn emit(&mut self, file: &mut impl Write, at_least: usize) -> io::Result<()> {
        if self.piece.len() >= at_least {
            self.sum.update(&self.piece);
            file.write_all(&self.piece)?;
            self.piece.clear();
        }
        Ok(())
    }
}

/// Encodes one entry: its path, its stamp and what it is.
fn put_entry(out: &mut Vec<u8>, path: &Path, stamp: Stamp, entry: Entry<'_>) {
    put_bytes(out, path.as_os_str().as_bytes());
    put_stamp(out, stamp);
    match entry {
        Entry::Article(article) => {
            out.push(ARTICLE);
            let fields = article.fields();
            put_bytes(out, fields.title.as_bytes());
            for field in [fields.source, fields.date, fields.category] {
                put_optional(out, field);
            }
            out.extend_from_slice(&(fields.tags.len() as u32).to_le_bytes());
            for tag in fields.tags {
                put_bytes(out, tag.as_bytes());
            }
        }
        Entry::Skipped(reason) => {
            out.push(SKIPPED);
            put_bytes(out, reason.as_bytes());
        }
        Entry::Summary(summary) => {
            out.push(SUMMARY);
            let links = summary.links();
            out.extend_from_slice(&(links.len() as u32).to_le_bytes());
            for (decoded, as_written) in links {
                put_bytes(out, decoded.as_bytes());
                put_optional(out, as_written);
            }
        }
    }
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
        self.str().map(str::to_string)
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// A string that may be absent (a length of `u32::MAX`).
    fn optional_str(&mut self) -> Option<Option<&'a str>> {
        let at = self.at;
        if self.u32()? == u32::MAX {
            return Some(None);
        }
        self.at = at;
        self.str().map(Some)
    }

    /// Whether the tree was kept, and how many folders follow.
    fn tree(&mut self) -> Option<(bool, usize)> {
        let tree = match self.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        Some((tree, self.u32()? as usize))
    }

    /// True, and steps over it, at the mark that ends the entries; false before an entry
    /// (left where it starts).
    fn at_end_of_entries(&mut self) -> Option<bool> {
        let start = self.at;
        if self.u32()? == END {
            return Some(true);
        }
        self.at = start;
        Some(false)
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
                let title = self.str()?;
                let source = self.optional_str()?;
                let date = self.optional_str()?;
                let category = self.optional_str()?;
                let tags = (0..self.u32()?)
                    .map(|_| self.str())
                    .collect::<Option<Vec<_>>>()?;
                let (path, lossy) = display_form(relative);
                Some(Cached::Article(Article::new(Fields {
                    path: &path,
                    title,
                    source,
                    date,
                    category,
                    tags,
                    raw_path: lossy.then_some(relative),
                })))
            }
            SKIPPED => {
                let reason = self.string()?;
                Some(Cached::Skipped(display_path(relative).0, reason))
            }
            SUMMARY => {
                let links = (0..self.u32()?)
                    .map(|_| Some((self.str()?, self.optional_str()?)))
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
#[path = "head_cache_tests.rs"]
mod tests;
