//! The per-archive cache directory under `$XDG_CACHE_HOME/folio/`: what folio keeps about an
//! archive between runs, so that it never writes inside the archive itself.
//!
//! One folder per archive, named after the archive's canonical path: its last component made
//! safe for a file name, then a hash of the whole path (`hackernews-2024-zh-3f9c2a17b04e8d61`).
//! The layout, version [`LAYOUT`]:
//!
//! ```text
//! $XDG_CACHE_HOME/folio/            (default ~/.cache/folio/)
//!   <name>-<hash16>/
//!     source          the archive's canonical path, as bytes: told apart from a hash collision
//!     lock            empty; flock'ed by the one process that writes, for as long as it writes
//!     text-v1/        the full-text index (issue 13, `find::text::index`): a manifest and
//!                     its segments; its own format version is in its name and headers
//!     heads-v1        the head cache (issue 17, `archive::head_cache`): every article's head
//!                     and every SUMMARY.md's links, by path and stamp
//!     *.tmp.<pid>.<n> files being written; renamed into place when complete, so a reader sees
//!                     the last complete state; left behind only by a killed writer, and
//!                     removed by the next one
//! ```
//!
//! The rules every file here follows:
//! - written whole to a temporary file in the same folder, then renamed over its name: a reader
//!   never sees half a file, whoever is killed when;
//! - one writer at a time: [`CacheDir::lock`] takes an exclusive `flock` on `lock`; readers take
//!   no lock (a rename is atomic) and a process that cannot get the lock at once works from the
//!   last complete state;
//! - every file starts with a magic and a version ([`header`]); a file from another version, or
//!   one that does not parse, is rebuilt, never trusted;
//! - what a file says about an article is valid while the article's [`Stamp`] (size,
//!   modification time and status-change time, which no tool can set back) is unchanged;
//! - when the folder cannot be made or written (no permission, a full disk), the caller goes on
//!   without it and warns once.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;
use rustix::fs::{FlockOperation, flock};

/// A cache file read whole, in pieces on all cores: copying a large file's pages (and
/// faulting in the buffer's) is a good part of what an unchanged archive's search spends
/// before its first stat. It waits on rayon jobs, so it is not for a lazy initialisation
/// (`OnceLock`) that a rayon job may reach: a job waiting here could take another that waits
/// on the same initialisation, on the same thread, for ever. A file too large for memory is
/// an error, as `fs::read` makes it.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    /// What one job reads.
    const PIECE: usize = 2 << 20;
    let file = File::open(path)?;
    let length = usize::try_from(file.metadata()?.len())
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    // `vec!` aborts when memory is short, where `try_reserve_exact` says so; but memory
    // reserved that way must then be written before it is read into, where `vec!`'s zeroes
    // come free with a fresh mapping. So the room is asked for first, then made by `vec!`.
    Vec::<u8>::new()
        .try_reserve_exact(length)
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    let mut bytes = vec![0; length];
    bytes
        .par_chunks_mut(PIECE)
        .enumerate()
        .try_for_each(|(n, piece)| file.read_exact_at(piece, (n * PIECE) as u64))?;
    // Written whole and renamed into place, a cache file does not grow; anything else is
    // not one of ours.
    let mut more = [0; 1];
    if file.read_at(&mut more, length as u64)? != 0 {
        return Err(io::Error::other("the file grew while it was read"));
    }
    Ok(bytes)
}

/// The version of the folder's layout (the names above); a new layout gets a new folder name.
pub const LAYOUT: u32 = 1;

/// The cache folder of one archive.
#[derive(Debug, Clone)]
pub struct CacheDir {
    path: PathBuf,
}

/// Why the cache cannot be used; the caller warns once and goes on without it.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the cache {}: {reason}", path.display())]
pub struct CacheError {
    /// The folder or file that failed.
    pub path: PathBuf,
    /// What went wrong, in a few words.
    pub reason: String,
}

impl CacheError {
    /// The error of `err` at `path`.
    pub fn new(path: &Path, err: &io::Error) -> CacheError {
        CacheError {
            path: path.to_path_buf(),
            reason: crate::warn::describe_io(err),
        }
    }
}

/// `$XDG_CACHE_HOME/folio`, else `~/.cache/folio`; `None` without either variable.
pub fn cache_root() -> Option<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(xdg) = from_env("XDG_CACHE_HOME").map(PathBuf::from)
        && xdg.is_absolute()
    {
        return Some(xdg.join("folio"));
    }
    from_env("HOME").map(|home| PathBuf::from(home).join(".cache").join("folio"))
}

/// A 64-bit checksum of a cache file's payload, eight bytes at a time: it tells a damaged or
/// cut file from a whole one (not an adversary's: the cache folder is the user's own).
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::default();
    sum.update(bytes);
    sum.finish()
}

/// [`checksum`] fed a piece at a time: sixteen bytes are mixed at once, the rest held back.
pub struct Checksum {
    lanes: [u64; 2],
    held: [u8; 16],
    held_len: usize,
    length: u64,
}

impl Default for Checksum {
    fn default() -> Checksum {
        Checksum {
            lanes: [0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F],
            held: [0; 16],
            held_len: 0,
            length: 0,
        }
    }
}

impl Checksum {
    /// Feeds the next bytes of the payload.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.length += bytes.len() as u64;
        if self.held_len > 0 {
            let taken = (16 - self.held_len).min(bytes.len());
            self.held[self.held_len..self.held_len + taken].copy_from_slice(&bytes[..taken]);
            self.held_len += taken;
            bytes = &bytes[taken..];
            if self.held_len < 16 {
                return;
            }
            let pair = self.held;
            self.mix(&pair);
            self.held_len = 0;
        }
        let mut pairs = bytes.chunks_exact(16);
        for pair in &mut pairs {
            self.mix(pair);
        }
        let rest = pairs.remainder();
        self.held[..rest.len()].copy_from_slice(rest);
        self.held_len = rest.len();
    }

    fn mix(&mut self, pair: &[u8]) {
        for (lane, word) in self.lanes.iter_mut().zip(pair.chunks_exact(8)) {
            let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            *lane = (*lane ^ word)
                .wrapping_mul(0xFF51_AFD7_ED55_8CCD)
                .rotate_left(31);
        }
    }

    /// How many bytes were fed.
    pub fn length(&self) -> u64 {
        self.length
    }

    /// The checksum of all the bytes fed.
    pub fn finish(&self) -> u64 {
        let mut tail = [0u8; 16];
        tail[..self.held_len].copy_from_slice(&self.held[..self.held_len]);
        let mut sum = self.lanes[0] ^ self.lanes[1].rotate_left(17) ^ self.length;
        for word in tail.chunks_exact(8) {
            let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            sum = (sum ^ word)
                .wrapping_mul(0xFF51_AFD7_ED55_8CCD)
                .rotate_left(31);
        }
        sum
    }
}

/// The name of an archive's folder: the canonical path's last component, made safe, and a
/// 64-bit FNV-1a hash of the whole path (stable across builds and versions, unlike std's).
pub fn folder_name(canonical: &Path) -> String {
    let last = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "root".into());
    let readable: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(48)
        .collect();
    let readable = readable.trim_start_matches('.');
    format!(
        "{readable}-{:016x}",
        fnv1a(canonical.as_os_str().as_bytes())
    )
}

/// 64-bit FNV-1a: a hash whose value never changes with the Rust version or the platform.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

impl CacheDir {
    /// The cache folder of the archive at `archive`, made if needed. An error when there is no
    /// cache root or the folder cannot be made or written; a folder found holding another
    /// archive's cache (a hash collision) is emptied and taken over.
    pub fn open(archive: &Path) -> Result<CacheDir, CacheError> {
        let root = cache_root().ok_or_else(|| CacheError {
            path: PathBuf::from("~/.cache/folio"),
            reason: "neither XDG_CACHE_HOME nor HOME is set".into(),
        })?;
        let canonical = fs::canonicalize(archive).map_err(|e| CacheError::new(archive, &e))?;
        Self::open_in(&root, &canonical)
    }

    /// [`CacheDir::open`] under a given cache root, for an archive's canonical path.
    pub fn open_in(root: &Path, canonical: &Path) -> Result<CacheDir, CacheError> {
        let path = root.join(folder_name(canonical));
        fs::create_dir_all(&path).map_err(|e| CacheError::new(&path, &e))?;
        let cache = CacheDir { path };
        let source = canonical.as_os_str().as_bytes();
        match fs::read(cache.path.join("source")) {
            Ok(found) if found == source => {}
            Ok(_) => {
                // Another archive whose path hashes the same: its files mean nothing here.
                let _guard = cache.lock()?;
                if fs::read(cache.path.join("source")).is_ok_and(|now| now == source) {
                    // Another process of this archive took the folder over while we waited.
                    return Ok(cache);
                }
                for entry in fs::read_dir(&cache.path).into_iter().flatten().flatten() {
                    if entry.file_name() != "lock" {
                        let p = entry.path();
                        let _ = fs::remove_dir_all(&p).or_else(|_| fs::remove_file(&p));
                    }
                }
                cache.write_atomic("source", source)?;
            }
            Err(_) => cache.write_atomic("source", source)?,
        }
        Ok(cache)
    }

    /// The folder itself.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of `name` inside the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `bytes` as `name` (relative to the folder): to a temporary file, then renamed over
    /// `name`, so that a reader sees the old file or the new one, never a part.
    pub fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<(), CacheError> {
        let target = self.path.join(name);
        replace_file(&target, false, |out| out.write_all(bytes))
            .map_err(|err| CacheError::new(&target, &err))
    }

    /// [`CacheDir::write_atomic`] for a file written piece by piece by `write` (which may seek
    /// back to fill in a header), never whole in memory.
    pub fn write_atomic_with(
        &self,
        name: &str,
        write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
    ) -> Result<(), CacheError> {
        let target = self.path.join(name);
        replace_file(&target, false, write).map_err(|err| CacheError::new(&target, &err))
    }

    /// Waits for the exclusive right to write, held until the guard drops.
    pub fn lock(&self) -> Result<WriteLock, CacheError> {
        self.lock_with(FlockOperation::LockExclusive)
            .map(|lock| lock.expect("a blocking lock is always had"))
    }

    /// The exclusive right to write if no other process holds it now, else `None`.
    pub fn try_lock(&self) -> Result<Option<WriteLock>, CacheError> {
        self.lock_with(FlockOperation::NonBlockingLockExclusive)
    }

    fn lock_with(&self, operation: FlockOperation) -> Result<Option<WriteLock>, CacheError> {
        let path = self.path.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| CacheError::new(&path, &e))?;
        match flock(&file, operation) {
            Ok(()) => {
                let lock = WriteLock { _file: file };
                self.remove_temporaries();
                Ok(Some(lock))
            }
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
            Err(err) => Err(CacheError::new(&path, &err.into())),
        }
    }

    /// Removes what killed writers left: only the lock's holder may, as no one else writes.
    fn remove_temporaries(&self) {
        let mut folders = vec![self.path.clone()];
        while let Some(folder) = folders.pop() {
            for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
                let name = entry.file_name();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    folders.push(entry.path());
                } else if is_temporary(&name) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }

    /// The sum of the sizes of every file in the folder: what folio keeps for this archive.
    pub fn size(&self) -> u64 {
        let mut total = 0;
        let mut folders = vec![self.path.clone()];
        while let Some(folder) = folders.pop() {
            for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
                match entry.metadata() {
                    Ok(meta) if meta.is_dir() => folders.push(entry.path()),
                    Ok(meta) => total += meta.len(),
                    Err(_) => {}
                }
            }
        }
        total
    }
}

/// The exclusive right to write an archive's cache; released when dropped (or when the process
/// ends, however it ends: the kernel drops a dead process's `flock`).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// A fresh temporary name beside `target`: `<name>.tmp.<pid>.<n>`.
/// Writes a new file at `target` through `write`: into a temporary file beside it
/// ([`temp_path`]), then renamed over `target`, so that a reader sees the old file or the new
/// one, never a part, and a failed write (a full disk) leaves the old file as it was and no
/// temporary file behind. With `sync`, the bytes are on the disk before the rename. The one
/// way folio replaces a file it keeps: the cache's files and the reading positions.
pub fn replace_file(
    target: &Path,
    sync: bool,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let temp = temp_path(target);
    let written = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&temp)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        if sync {
            file.sync_all()?;
        }
        fs::rename(&temp, target)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// A name for a file being written beside `target`: `<name>.tmp.<pid>.<n>`, unique to this
/// process and this write.
pub fn temp_path(target: &Path) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let mut name = OsString::from(target.file_name().unwrap_or_default());
    name.push(format!(
        ".tmp.{}.{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    target.with_file_name(name)
}

fn is_temporary(name: &std::ffi::OsStr) -> bool {
    let bytes = name.as_bytes();
    memchr::memmem::find(bytes, b".tmp.").is_some()
}

/// What folio checks to know an article is unchanged since it was cached: its size and its
/// modification time to the nanosecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// The file's size in bytes.
    pub size: u64,
    /// The modification time, nanoseconds since the epoch.
    pub mtime_ns: i64,
    /// The status-change time, nanoseconds since the epoch: unlike the modification time, no
    /// tool can set it back, so a file replaced by one of the same size and modification time
    /// (`cp -p`, `rsync -t`, `tar x`) still shows as changed.
    pub ctime_ns: i64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp::from_times(
            meta.len(),
            (meta.mtime(), meta.mtime_nsec()),
            (meta.ctime(), meta.ctime_nsec()),
        )
    }

    /// The stamp of a file of `size` bytes with these modification and status-change times,
    /// each in seconds and nanoseconds since the epoch (as `stat` gives them).
    pub fn from_times(size: u64, mtime: (i64, i64), ctime: (i64, i64)) -> Stamp {
        // Saturating: a file can be dated past 2262, where nanoseconds overflow an i64.
        let nanos =
            |(secs, nsecs): (i64, i64)| secs.saturating_mul(1_000_000_000).saturating_add(nsecs);
        Stamp {
            size,
            mtime_ns: nanos(mtime),
            ctime_ns: nanos(ctime),
        }
    }

    /// The stamp of the file at `path` (links followed), `None` when it cannot be read.
    pub fn read(path: &Path) -> Option<Stamp> {
        fs::metadata(path).ok().map(|meta| Stamp::of(&meta))
    }
}

/// The 12 bytes that open every cache file: an 8-byte magic naming the kind of file and a
/// little-endian `u32` version.
pub fn header(magic: &[u8; 8], version: u32) -> [u8; 12] {
    let mut bytes = [0; 12];
    bytes[..8].copy_from_slice(magic);
    bytes[8..].copy_from_slice(&version.to_le_bytes());
    bytes
}

/// What a file's first bytes say about it against the magic and version expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// The expected kind and version.
    Current,
    /// The expected kind, from another folio version.
    OtherVersion,
    /// Not the expected kind of file at all (damaged, truncated, foreign).
    Foreign,
}

/// Checks `bytes` (at least the file's first 12) against `magic` and `version`.
pub fn check_header(bytes: &[u8], magic: &[u8; 8], version: u32) -> Header {
    match bytes.get(..12) {
        Some(head) if &head[..8] == magic => {
            if head[8..] == version.to_le_bytes() {
                Header::Current
            } else {
                Header::OtherVersion
            }
        }
        _ => Header::Foreign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_readable_and_differ_by_path() {
        let a = folder_name(Path::new("/home/me/archive"));
        let b = folder_name(Path::new("/srv/archive"));
        assert!(a.starts_with("archive-") && b.starts_with("archive-"));
        assert_ne!(a, b);
        assert_eq!(a, folder_name(Path::new("/home/me/archive")));
        assert!(folder_name(Path::new("/x/我的 文章")).starts_with("我的_文章-"));
        assert!(folder_name(Path::new("/")).starts_with("root-"));
        // Stable across versions: the folder of an archive must not move with a rebuild.
        assert_eq!(fnv1a(b"/srv/archive"), 0xae33_3160_a8c4_6492);
    }

    #[test]
    fn writes_are_atomic_and_the_lock_is_exclusive() {
        let root = tempfile::tempdir().unwrap();
        let cache = CacheDir::open_in(root.path(), Path::new("/srv/archive")).unwrap();
        cache.write_atomic("f", b"one").unwrap();
        cache.write_atomic("f", b"two").unwrap();
        assert_eq!(fs::read(cache.file("f")).unwrap(), b"two");
        fs::write(cache.file("f.tmp.1.2"), b"left by a killed writer").unwrap();
        let held = cache.try_lock().unwrap().expect("free");
        assert!(!cache.file("f.tmp.1.2").exists(), "the writer cleans up");
        assert!(cache.try_lock().unwrap().is_none(), "one writer at a time");
        drop(held);
        assert!(cache.try_lock().unwrap().is_some());
        assert_eq!(cache.size(), 3 + "/srv/archive".len() as u64);
    }

    #[test]
    fn another_archive_with_the_same_folder_is_not_trusted() {
        let root = tempfile::tempdir().unwrap();
        let cache = CacheDir::open_in(root.path(), Path::new("/srv/archive")).unwrap();
        cache.write_atomic("data", b"of /srv/archive").unwrap();
        // Pretend another path hashed to the same folder.
        fs::write(cache.file("source"), b"/elsewhere").unwrap();
        let again = CacheDir::open_in(root.path(), Path::new("/srv/archive")).unwrap();
        assert!(!again.file("data").exists());
        assert_eq!(fs::read(again.file("source")).unwrap(), b"/srv/archive");
    }

    #[test]
    fn headers_tell_version_and_kind() {
        let head = header(b"FOLIOTXT", 1);
        assert_eq!(check_header(&head, b"FOLIOTXT", 1), Header::Current);
        assert_eq!(check_header(&head, b"FOLIOTXT", 2), Header::OtherVersion);
        assert_eq!(check_header(b"junk", b"FOLIOTXT", 1), Header::Foreign);
    }

    #[test]
    fn stamps_change_with_an_edit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        fs::write(&file, "one").unwrap();
        let before = Stamp::read(&file).unwrap();
        fs::write(&file, "two!").unwrap();
        assert_ne!(Stamp::read(&file).unwrap(), before);
        assert_eq!(Stamp::read(&dir.path().join("none")), None);
    }
}
