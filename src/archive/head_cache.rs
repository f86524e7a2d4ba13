//! The head cache: every article's parsed head kept between runs, so that a start stats each
//! file instead of opening it. The file's format is read and written here, in one file, so
//! that a change to the one is made beside the other.
//!
//! One file, `heads-v1`, in the archive's cache folder ([`crate::cache`]): for each article its
//! relative path, its [`Stamp`] and its head (the [`Article`] fields); for each file skipped for
//! what it holds (empty, binary, no known encoding) the reason; for each SUMMARY.md its links.
//! An entry is used while its file's stamp is unchanged; anything else is read again. The loader
//! (`library`) decides what is reused and asks for a new file when anything changed.
//!
//! The file: [`header`] (`FOLIOHDS`, [`VERSION`]), the length and checksum of each of its two
//! sections (four little-endian `u64`), then the sections: the entries, ended by a length that
//! no path has (`u32::MAX`), then the tail: the tree (see below) and the library's order. A file
//! whose lengths or checksums do not match (a killed writer's, a truncated or damaged one) is
//! never used: it is rebuilt, and the caller says so in one line. It is written ([`Writer`])
//! while the walk goes on, each entry as it is found: the walk holds neither the stamps nor
//! anything else for it. It is read, when the tree is unchanged, a block at a time
//! ([`unchanged`]): a million articles' heads are never held twice, once as bytes and once as
//! articles. `folio search` reads it whole instead ([`Prior::read_on_all_cores`], for
//! `catalog`), and makes no article of it.
//!
//! **The tree.** Entries are written in the order the walk found them, and beside them (in the
//! tail) every folder the walk went through, with its stamp taken before it was listed, and
//! the library's default order: for each place in it, which article entry goes there (none
//! when the entries are in that order already). A folder's
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
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::archive::article::{Article, Fields, display_form, display_path};
use crate::archive::read::{HeadReader, StampsUnder};
use crate::archive::summary::Summary;
use crate::cache::{
    CacheDir, CacheError, Checksum, Header, Stamp, WriteLock, check_header, checksum, header,
    temp_path,
};

/// Where the entries end: a path length no path has.
const END: u32 = u32::MAX;

/// How much of the file is read at a time when it is streamed ([`unchanged`]).
const BLOCK: usize = 1 << 20;

/// The file's name in the cache folder.
pub const FILE: &str = "heads-v1";

const MAGIC: &[u8; 8] = b"FOLIOHDS";

/// The format's version: a file of another version is rebuilt.
pub const VERSION: u32 = 5;

/// A folder changed less than this before its stamp was taken cannot vouch for its names
/// (the clock may not have ticked since): the tree is then not kept.
pub const RACY_NS: i64 = 2_000_000_000;

/// Header, then the length and checksum of the entries and of the tail.
const PREAMBLE: usize = 12 + 4 * 8;

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

/// The cache file read whole, for a walk to look up each file it finds, or for `catalog` to
/// take the archive from it: its bytes and where each entry is.
#[derive(Debug, Default)]
pub struct Prior {
    bytes: Vec<u8>,
    /// Where each entry starts in `bytes`.
    entries: Vec<usize>,
    /// Where the last entry ends in `bytes` (the mark that ends the entries starts).
    entries_end: usize,
    /// Where the tail starts in `bytes`.
    tail_at: usize,
    /// The checksums of the entries and of the tail.
    sums: (u64, u64),
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
        Prior::read_with(cache, |path| fs::read(path))
    }

    /// [`Prior::read`] in pieces on all cores ([`crate::cache::read_file`]: not for a lazy
    /// initialisation that a rayon job may reach).
    pub fn read_on_all_cores(cache: &CacheDir) -> Result<Option<Prior>, Trouble> {
        Prior::read_with(cache, crate::cache::read_file)
    }

    /// [`Prior::read`], the file's bytes read by `read`.
    fn read_with(
        cache: &CacheDir,
        read: impl Fn(&Path) -> io::Result<Vec<u8>>,
    ) -> Result<Option<Prior>, Trouble> {
        match read(&cache.file(FILE)) {
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
        let sections = Sections::of(&bytes).ok_or(Trouble::Damaged)?;
        if bytes.len() as u64 != sections.file_length() {
            return Err(Trouble::Damaged);
        }
        let tail_at = PREAMBLE + sections.entries.0 as usize;
        let (entries_bytes, tail) = (&bytes[PREAMBLE..tail_at], &bytes[tail_at..]);
        // The sums on one core while the entries are found on the other.
        let sums =
            || checksum(entries_bytes) == sections.entries.1 && checksum(tail) == sections.tail.1;
        let find_entries = || {
            let mut reader = Reader {
                bytes: &bytes[..tail_at],
                at: PREAMBLE,
            };
            let mut entries = Vec::new();
            let mut entries_end = reader.at;
            while !reader.at_end_of_entries()? {
                entries.push(reader.at);
                reader.bytes()?;
                reader.skip_entry_rest()?;
                entries_end = reader.at;
            }
            (reader.at == tail_at).then_some((entries, entries_end))
        };
        // A plain thread, not a rayon job: this runs inside a lazy initialisation (see
        // `cache::read_file`).
        let (sums, found) = std::thread::scope(|scope| {
            let sums = scope.spawn(sums);
            let found = find_entries();
            (sums.join().unwrap_or(false), found)
        });
        let (true, Some((entries, entries_end))) = (sums, found) else {
            return Err(Trouble::Damaged);
        };
        let tree = Tail::parse(tail).ok_or(Trouble::Damaged)?.tree;
        Ok(Prior {
            bytes,
            entries,
            entries_end,
            tail_at,
            sums: (sections.entries.1, sections.tail.1),
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

    /// The index of the cache's entry for the file at `relative`, if its stamp then was
    /// `stamp`: what a walk finds there is that entry again ([`Prior::entry_bytes`]).
    pub fn same_entry(&self, relative: &Path, stamp: Stamp) -> Option<u32> {
        self.entry_at(relative, stamp).map(|(index, _)| index)
    }

    /// Entry `index` as the cache file holds it, path and stamp included.
    pub fn entry_bytes(&self, index: u32) -> &[u8] {
        let index = index as usize;
        let end = self
            .entries
            .get(index + 1)
            .copied()
            .unwrap_or(self.entries_end);
        &self.bytes[self.entries[index]..end]
    }

    /// Entry `index`, its head parsed only when asked; `None` past the last.
    pub fn entry(&self, index: usize) -> Option<EntryView<'_>> {
        self.entry_starting_at(*self.entries.get(index)?)
    }

    /// Where entry `index` starts in the file.
    pub fn entry_start(&self, index: usize) -> Option<usize> {
        self.entries.get(index).copied()
    }

    /// The entry that starts at `start` ([`Prior::entry_start`]); `None` where none does.
    pub fn entry_starting_at(&self, start: usize) -> Option<EntryView<'_>> {
        if start >= self.entries_end {
            return None;
        }
        let mut rest = Reader {
            bytes: &self.bytes,
            at: start,
        };
        let path = rest.bytes()?;
        let stamp = rest.stamp()?;
        Some(EntryView { path, stamp, rest })
    }

    /// What tells this file from another: its sums and the format's version, mixed (never
    /// 0). Two files with one identity all but certainly hold the same entries (paths,
    /// stamps, heads) in the same order: the sums are not a cryptographic hash, and a file
    /// made to match another's would need to be written into the user's own cache folder.
    /// A change to how the entries are read into articles must come with a new
    /// [`VERSION`], which changes every identity.
    pub fn identity(&self) -> u64 {
        let (entries, tail) = self.sums;
        let mixed = entries ^ tail.rotate_left(29).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed ^ u64::from(VERSION).rotate_left(47)).max(1)
    }

    /// The tail: the tree's folders and the library's order (checked when the file was read).
    pub(crate) fn tail(&self) -> Option<Tail> {
        Tail::parse(&self.bytes[self.tail_at..])
    }

    /// What the cache knew of the file at `relative`, if its stamp then was `stamp`.
    pub fn get(&self, relative: &Path, stamp: Stamp) -> Option<Cached> {
        self.entry_at(relative, stamp)?.1.cached(relative)
    }

    /// The index of the entry for `relative` with `stamp`, and a reader past its stamp.
    fn entry_at(&self, relative: &Path, stamp: Stamp) -> Option<(u32, Reader<'_>)> {
        let key = relative.as_os_str().as_bytes();
        let &index = self.by_path().get(&self.hasher.hash_one(key))?;
        let mut reader = Reader {
            bytes: &self.bytes,
            at: self.entries[index as usize],
        };
        (reader.bytes()? == key && reader.stamp()? == stamp).then_some((index, reader))
    }
}

/// One entry of a cache file read whole ([`Prior::entry`]): its path and stamp, its head parsed
/// only when asked.
#[derive(Debug, Clone, Copy)]
pub struct EntryView<'a> {
    /// The file's path relative to the archive's root, as bytes.
    pub path: &'a [u8],
    /// The file's stamp when the entry was made.
    pub stamp: Stamp,
    /// At the entry's kind.
    rest: Reader<'a>,
}

impl<'a> EntryView<'a> {
    /// The file's path relative to the archive's root.
    pub fn relative(&self) -> &'a Path {
        Path::new(OsStr::from_bytes(self.path))
    }

    /// True for an article's entry.
    pub fn is_article(&self) -> bool {
        self.rest.bytes.get(self.rest.at) == Some(&ARTICLE)
    }

    /// True for a SUMMARY.md's entry.
    pub fn is_summary(&self) -> bool {
        self.rest.bytes.get(self.rest.at) == Some(&SUMMARY)
    }

    /// An article's title; `None` for the other entries.
    pub fn title(&self) -> Option<&'a str> {
        std::str::from_utf8(self.title_bytes()?).ok()
    }

    /// An article's title as the file holds it, not checked as UTF-8; `None` for the other
    /// entries.
    pub fn title_bytes(&self) -> Option<&'a [u8]> {
        let mut rest = self.rest;
        (rest.u8()? == ARTICLE).then_some(())?;
        rest.bytes()
    }

    /// What the entry holds, parsed.
    pub fn cached(&self) -> Option<Cached> {
        let mut rest = self.rest;
        rest.cached(self.relative())
    }
}

/// What [`unchanged`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// The tree and every file in it are as the cache saw them: every entry but the
    /// SUMMARY.md files' was handed on, this many entries in all.
    Unchanged(usize),
    /// The cache kept the tree, and something in it is not as it was.
    Changed,
    /// No cache file, one that kept no tree, or one that cannot be trusted (reading it whole,
    /// [`Prior::read`], tells which).
    NotKept,
}

/// The lengths and checksums of a file's two sections, from its preamble.
struct Sections {
    entries: (u64, u64),
    tail: (u64, u64),
}

impl Sections {
    /// The sections a preamble (at least [`PREAMBLE`] bytes) announces.
    fn of(preamble: &[u8]) -> Option<Sections> {
        let word = |n: usize| {
            let at = 12 + 8 * n;
            Some(u64::from_le_bytes(
                preamble.get(at..at + 8)?.try_into().ok()?,
            ))
        };
        Some(Sections {
            entries: (word(0)?, word(1)?),
            tail: (word(2)?, word(3)?),
        })
    }

    /// How long the file must be.
    fn file_length(&self) -> u64 {
        (PREAMBLE as u64)
            .saturating_add(self.entries.0)
            .saturating_add(self.tail.0)
    }
}

/// The tail of a file: whether the tree was kept, its folders, and the library's order.
pub(crate) struct Tail {
    pub(crate) tree: bool,
    /// Each folder's path (relative) and stamp.
    pub(crate) folders: Vec<(PathBuf, Stamp)>,
    /// The article found `order[i]`-th goes to place `i` (empty: found in order).
    pub(crate) order: Vec<u32>,
}

impl Tail {
    /// True when every folder of the tree under `root` has the stamp it had: no name was
    /// added, removed or renamed in any of them (see the module's doc).
    pub(crate) fn folders_unchanged(&self, root: &Path) -> bool {
        let mut reader = HeadReader::default();
        self.folders
            .iter()
            .all(|(path, stamp)| reader.stamp(&root.join(path)).ok() == Some(*stamp))
    }
}

impl Tail {
    /// The tail in `bytes`, which it must fill exactly.
    fn parse(bytes: &[u8]) -> Option<Tail> {
        let mut at = Reader { bytes, at: 0 };
        let (tree, folder_count) = at.tree()?;
        let folders = (0..folder_count)
            .map(|_| {
                let path = PathBuf::from(OsStr::from_bytes(at.bytes()?));
                Some((path, at.stamp()?))
            })
            .collect::<Option<Vec<_>>>()?;
        let count = at.u32()? as usize;
        let order = at
            .take(count.checked_mul(4)?)?
            .chunks_exact(4)
            .map(|word| u32::from_le_bytes(word.try_into().expect("four bytes")))
            .collect();
        (at.at == bytes.len()).then_some(Tail {
            tree,
            folders,
            order,
        })
    }
}

/// The check of one file against its entry, made on each core: whether the file still has the
/// entry's stamp ([`unchanged`], `catalog`).
#[derive(Default)]
pub(crate) struct FileCheck {
    stamps: StampsUnder,
}

impl FileCheck {
    /// True when the file at `relative` under `root` has the stamp `kept` (stat'ed, not opened).
    pub(crate) fn unchanged(&mut self, root: &Path, relative: &Path, kept: Stamp) -> bool {
        self.stamps.stamp(root, relative).ok() == Some(kept)
    }
}

/// Where an article goes in the library: place `at` of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Its place.
    pub at: u32,
    /// How many places there are (every article's).
    pub of: u32,
}

/// The place of each article found, from `order` (the article found `order[i]`-th goes to
/// place `i`), made in the same vector; `None` unless `order` puts each article in one place.
pub(crate) fn places_of(mut order: Vec<u32>) -> Option<Vec<u32>> {
    let mut seen = vec![false; order.len()];
    let is_order = order.iter().all(|&i| {
        seen.get_mut(i as usize)
            .is_some_and(|seen| !std::mem::replace(seen, true))
    });
    if !is_order {
        return None;
    }
    // Inverted in place, cycle by cycle: a place done is marked by its top bit.
    const DONE: u32 = 1 << 31;
    for start in 0..order.len() {
        if order[start] & DONE != 0 {
            continue;
        }
        let mut place = start as u32;
        let mut found = order[start];
        while found & DONE == 0 {
            let next = order[found as usize];
            order[found as usize] = place | DONE;
            place = found;
            found = next;
        }
    }
    order.iter_mut().for_each(|place| *place &= !DONE);
    Some(order)
}

/// Every entry of the cache file of `cache`, each made by `make` (on all cores) with its stamp
/// and handed to `sink` with its place in the library where it is an article and the
/// entries are not in the library's order, when the tree under `root` and every file in it
/// are as the cache saw them (see the module's doc). The entries of each block read are made
/// in the order of their places: articles next to each other in the library are next to each
/// other in memory. Stats every folder and file, opens none.
/// A SUMMARY.md's stamp is checked but its links are not handed on: the order they gave is
/// kept in the tail (and a million links would take as much room as the titles).
/// The entries are read a block at a time, never whole; what `sink` was given counts only when
/// [`Streamed::Unchanged`] is returned (a change, or a checksum that does not match at the end,
/// can show after entries were handed on).
pub fn unchanged<T: Send>(
    cache: &CacheDir,
    root: &Path,
    make: impl Fn(Cached, Stamp) -> T + Sync,
    mut sink: impl FnMut(Option<Place>, T),
) -> Streamed {
    let Some((mut stream, sum, tail)) = File::open(cache.file(FILE)).ok().and_then(Stream::open)
    else {
        return Streamed::NotKept;
    };
    if !tail.tree {
        return Streamed::NotKept;
    }
    if !tail.folders_unchanged(root) {
        return Streamed::Changed;
    }
    let places = if tail.order.is_empty() {
        Vec::new()
    } else {
        let Some(places) = places_of(tail.order) else {
            return Streamed::NotKept;
        };
        places
    };
    let of = places.len() as u32;
    let mut count = 0;
    let mut articles = 0;
    loop {
        // The entries wholly at hand, made and checked on all cores, then handed on in order.
        let mut at = Reader {
            bytes: &stream.buffer,
            at: stream.at,
        };
        // Each entry wholly at hand: its place where it is an article (`u32::MAX` for the rest,
        // and for all when the entries are in order), and where it starts.
        let mut starts: Vec<(u32, usize)> = Vec::new();
        let mut ended = false;
        loop {
            let start = at.at;
            match at.at_end_of_entries() {
                Some(true) => ended = true,
                Some(false) if at.bytes().is_some() => {
                    // Its kind follows its stamp.
                    let article = at.bytes.get(at.at + 24) == Some(&ARTICLE);
                    if at.skip_entry_rest().is_none() {
                        at.at = start;
                        break;
                    }
                    let place = if article && !places.is_empty() {
                        let Some(&place) = places.get(articles) else {
                            return Streamed::NotKept;
                        };
                        place
                    } else {
                        u32::MAX
                    };
                    articles += usize::from(article);
                    starts.push((place, start));
                    continue;
                }
                _ => at.at = start,
            }
            break;
        }
        if !places.is_empty() {
            starts.sort_unstable();
        }
        let taken = at.at;
        let made: Option<Vec<Option<T>>> = starts
            .par_iter()
            .map_init(FileCheck::default, |check, &(_, start)| {
                let mut at = Reader {
                    bytes: &stream.buffer,
                    at: start,
                };
                let relative = Path::new(OsStr::from_bytes(at.bytes()?));
                let kept = at.stamp()?;
                check.unchanged(root, relative, kept).then_some(())?;
                if at.bytes.get(at.at) == Some(&SUMMARY) {
                    // Its order is in the tail already.
                    return Some(None);
                }
                Some(Some(make(at.cached(relative)?, kept)))
            })
            .collect();
        let Some(made) = made else {
            return Streamed::Changed;
        };
        count += made.len();
        for (&(at, _), made) in starts.iter().zip(made) {
            let place = (at != u32::MAX).then_some(Place { at, of });
            made.into_iter().for_each(|made| sink(place, made));
        }
        stream.at = taken;
        if ended {
            break;
        }
        if !stream.read_more(BLOCK) {
            return Streamed::NotKept;
        }
    }
    let whole = stream.at == stream.buffer.len() && stream.left == 0;
    let every_place = places.is_empty() || places.len() == articles;
    if !whole || stream.sum.finish() != sum || !every_place {
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
    /// The stream of the entries of `file`, the checksum its preamble promises for them, and
    /// its tail (read whole, checksum checked, parsed), when the header is this version's and the file
    /// is as long as the preamble says.
    fn open(mut file: File) -> Option<(Stream, u64, Tail)> {
        let mut preamble = [0; PREAMBLE];
        file.read_exact(&mut preamble).ok()?;
        if check_header(&preamble, MAGIC, VERSION) != Header::Current {
            return None;
        }
        let sections = Sections::of(&preamble)?;
        if file.metadata().ok()?.len() != sections.file_length() {
            return None;
        }
        file.seek(SeekFrom::Start(PREAMBLE as u64 + sections.entries.0))
            .ok()?;
        let mut tail = vec![0; usize::try_from(sections.tail.0).ok()?];
        file.read_exact(&mut tail).ok()?;
        if checksum(&tail) != sections.tail.1 {
            return None;
        }
        // Its bytes go once parsed: the order alone is a million words.
        let tail = Tail::parse(&tail)?;
        file.seek(SeekFrom::Start(PREAMBLE as u64)).ok()?;
        let stream = Stream {
            file,
            buffer: Vec::new(),
            at: 0,
            left: sections.entries.0,
            sum: Checksum::default(),
        };
        Some((stream, sections.entries.1, tail))
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
}

/// Writes the cache file of `cache` from `entries` (relative path, stamp, what it is), in the
/// library's default order, and the tree's `folders` when `tree` (the walk saw it whole, see
/// the module's doc). `Ok` without writing when another process holds the cache's lock.
pub fn write<'a>(
    cache: &CacheDir,
    entries: impl Iterator<Item = (&'a Path, Stamp, Entry<'a>)>,
    folders: &[Folder],
    tree: bool,
) -> Result<(), CacheError> {
    let Some(mut writer) = Writer::start(cache)? else {
        return Ok(());
    };
    for (path, stamp, entry) in entries {
        writer.add(path, stamp, entry);
    }
    writer.finish(folders, tree, &[])
}

/// A cache file being written as the walk finds what goes in it: the entries in the order
/// found, a piece at a time, to a temporary file; [`Writer::finish`] adds the tail and renames
/// it into place. Dropped unfinished, it leaves nothing behind. It holds the cache's lock from
/// start to finish: the lock's holder removes what killed writers left, which would otherwise
/// include this file.
pub struct Writer {
    out: BufWriter<File>,
    temp: PathBuf,
    target: PathBuf,
    payload: Payload,
    /// The first write that failed: nothing more is written, and [`Writer::finish`] says so.
    failed: Option<io::Error>,
    _lock: WriteLock,
}

impl Writer {
    /// A new cache file for `cache`; `None` when another process holds the lock (it is
    /// writing one: its file will do as well as ours).
    pub fn start(cache: &CacheDir) -> Result<Option<Writer>, CacheError> {
        let Some(lock) = cache.try_lock()? else {
            return Ok(None);
        };
        let target = cache.file(FILE);
        let temp = temp_path(&target);
        let file = File::create(&temp).map_err(|err| CacheError::new(&temp, &err))?;
        let mut writer = Writer {
            out: BufWriter::with_capacity(1 << 20, file),
            temp,
            target,
            payload: Payload {
                sum: Checksum::default(),
                piece: Vec::with_capacity(PIECE + 4096),
            },
            failed: None,
            _lock: lock,
        };
        let preamble = writer
            .out
            .write_all(&header(MAGIC, VERSION))
            .and_then(|()| writer.out.write_all(&[0; PREAMBLE - 12]));
        writer.failed = preamble.err();
        Ok(Some(writer))
    }

    /// Adds an entry of another cache file as it is there ([`Prior::entry_bytes`]).
    pub fn add_kept(&mut self, entry: &[u8]) {
        if self.failed.is_none() {
            self.payload.piece.extend_from_slice(entry);
            self.failed = self.payload.emit(&mut self.out, PIECE).err();
        }
    }

    /// Adds the entry of the file at `path`.
    pub fn add(&mut self, path: &Path, stamp: Stamp, entry: Entry<'_>) {
        if self.failed.is_none() {
            put_entry(&mut self.payload.piece, path, stamp, entry);
            self.failed = self.payload.emit(&mut self.out, PIECE).err();
        }
    }

    /// Ends the entries, writes the tail (the tree's `folders` when `tree`, and `order`: for
    /// each place in the library, which article entry goes there, empty when they are in
    /// order) and puts the file in place.
    pub fn finish(
        mut self,
        folders: &[Folder],
        tree: bool,
        order: &[u32],
    ) -> Result<(), CacheError> {
        // The file is closed when the writer is dropped; renamed, it leaves nothing to remove.
        let written = self
            .write_tail(folders, tree, order)
            .and_then(|()| fs::rename(&self.temp, &self.target));
        written.map_err(|err| CacheError::new(&self.target, &err))
    }

    fn write_tail(&mut self, folders: &[Folder], tree: bool, order: &[u32]) -> io::Result<()> {
        if let Some(err) = self.failed.take() {
            return Err(err);
        }
        self.payload.piece.extend_from_slice(&END.to_le_bytes());
        self.payload.emit(&mut self.out, 0)?;
        let entries = std::mem::take(&mut self.payload.sum);
        let tree = tree && folders.iter().all(|folder| folder.stamp.is_some());
        let piece = &mut self.payload.piece;
        piece.push(u8::from(tree));
        let kept: &[Folder] = if tree { folders } else { &[] };
        piece.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for folder in kept {
            let stamp = folder.stamp.expect("every folder is stamped");
            put_bytes(&mut self.payload.piece, folder.path.as_os_str().as_bytes());
            put_stamp(&mut self.payload.piece, stamp);
            self.payload.emit(&mut self.out, PIECE)?;
        }
        let order = if tree { order } else { &[] };
        let piece = &mut self.payload.piece;
        piece.extend_from_slice(&(order.len() as u32).to_le_bytes());
        for chunk in order.chunks(PIECE / 4) {
            chunk
                .iter()
                .for_each(|i| self.payload.piece.extend_from_slice(&i.to_le_bytes()));
            self.payload.emit(&mut self.out, 0)?;
        }
        self.payload.emit(&mut self.out, 0)?;
        let tail = &self.payload.sum;
        self.out.seek(SeekFrom::Start(12))?;
        for word in [
            entries.length(),
            entries.finish(),
            tail.length(),
            tail.finish(),
        ] {
            self.out.write_all(&word.to_le_bytes())?;
        }
        self.out.flush()
    }
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("temp", &self.temp).finish()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Renamed when finished: then there is nothing here to remove.
        let _ = fs::remove_file(&self.temp);
    }
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
#[derive(Debug, Clone, Copy)]
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
