//! Reading one article's head from its file into an [`Article`], or why the file is skipped.
//!
//! Only as many bytes as settle the head are read; `decode` tells their encoding and `heads`
//! parses them.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};

use crate::archive::article::{Article, Fields, display_form};
use crate::archive::decode::{self, Charset, SAMPLE};
use crate::archive::heads::{Header, parse_header};
use crate::cache::Stamp;
use crate::warn::describe_io;

/// How much of a file is read first; more is read only while the head is not settled. The
/// encoding sample ([`SAMPLE`]): a head is a few hundred bytes, and each byte read is copied
/// and checked.
const HEAD_CHUNK: usize = SAMPLE;

/// How much of a file is read at most to find its head.
const HEAD_LIMIT: usize = 1024 * 1024;

/// How much of the head is given to the Markdown parser first.
const FIRST_PARSE_WINDOW: usize = 1024;

/// Reads the head of one file and makes its [`Article`], or says why it cannot.
///
/// The encoding is told from the first 4 KiB ([`decode::sniff`]): UTF-8 (bad bytes read as
/// U+FFFD, so that a damaged or truncated file is still indexed), GB18030, Big5 or UTF-16; a
/// file in none of these, or holding NUL bytes, is skipped.
pub fn read_article(path: &Path, relative: &Path) -> Result<Article, String> {
    HeadReader::default().read(path, relative)
}

/// What each walker thread keeps from one file to the next: the buffer heads are read into (no
/// allocation and no zeroing per file), and the folder it last read in, open.
#[derive(Default)]
pub(crate) struct HeadReader {
    buffer: Vec<u8>,
    folder: Option<(PathBuf, OwnedFd)>,
}

impl HeadReader {
    /// [`read_article`], with what this thread keeps.
    pub(crate) fn read(&mut self, path: &Path, relative: &Path) -> Result<Article, String> {
        let file = self.open(path).map_err(|e| describe_io(&e))?;
        read_head(&mut self.buffer, file, relative)
    }

    /// [`read_article`] and the file's [`Stamp`], taken from the open file before it is read
    /// (no second lookup of its name); no stamp when it cannot be opened or stat'ed.
    pub(crate) fn read_stamped(
        &mut self,
        path: &Path,
        relative: &Path,
    ) -> (Result<Article, String>, Option<Stamp>) {
        let file = match self.open(path) {
            Ok(file) => file,
            Err(err) => return (Err(describe_io(&err)), None),
        };
        let stamp = rustix::fs::fstat(&file).ok().map(|stat| stamp_of(&stat));
        (read_head(&mut self.buffer, file, relative), stamp)
    }

    /// The [`Stamp`] (size, modification and status-change times) of the file at `path`,
    /// links followed: one `fstatat` by its name in its folder, the file itself not opened.
    pub(crate) fn stamp(&mut self, path: &Path) -> io::Result<Stamp> {
        let stat = match split_name(path) {
            Some((parent, name)) if self.folder_of(parent).is_some() => {
                let (_, folder) = self.folder.as_ref().expect("just kept");
                rustix::fs::statat(folder, name, rustix::fs::AtFlags::empty())?
            }
            _ => rustix::fs::stat(path)?,
        };
        Ok(stamp_of(&stat))
    }

    /// The folder `parent`, open (kept from the last call when it is the same), or `None`
    /// when it cannot be opened.
    fn folder_of(&mut self, parent: &Path) -> Option<&OwnedFd> {
        let same = |kept: &Path| kept.as_os_str().as_bytes() == parent.as_os_str().as_bytes();
        let (_, folder) = match self.folder.take() {
            // Compared as bytes, not by components: a path written two ways only costs an open.
            Some((kept, fd)) if same(&kept) => self.folder.insert((kept, fd)),
            _ => {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let fd = rustix::fs::open(parent, flags, Mode::empty()).ok()?;
                self.folder.insert((parent.to_path_buf(), fd))
            }
        };
        Some(folder)
    }

    /// Opens `path` by its name in its folder, kept open: the files of a folder mostly reach
    /// the same thread one after another, and the kernel then looks up one name instead of
    /// every component of the path.
    fn open(&mut self, path: &Path) -> io::Result<File> {
        let Some((parent, name)) = split_name(path) else {
            return File::open(path);
        };
        let Some(folder) = self.folder_of(parent) else {
            return File::open(path);
        };
        let fd = rustix::fs::openat(
            folder,
            name,
            OFlags::RDONLY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(File::from(fd))
    }
}

/// The stamps of files under one root, each given by its path relative to the root and
/// stat'ed by its name in its folder, which is kept open from one file to the next: the
/// files of a folder mostly come one after another. No whole path is made unless a name is
/// not plain (`.`, `..`, empty); a million files checked one after another made a million.
#[derive(Default)]
pub(crate) struct StampsUnder {
    /// The last folder: its path relative to the root, as bytes, and the folder open.
    folder: Option<(Vec<u8>, OwnedFd)>,
}

impl StampsUnder {
    /// The [`Stamp`] of the file at `relative` under `root`, links followed.
    pub(crate) fn stamp(&mut self, root: &Path, relative: &Path) -> io::Result<Stamp> {
        let bytes = relative.as_os_str().as_bytes();
        let (parent, name) = match memchr::memrchr(b'/', bytes) {
            Some(slash) => (&bytes[..slash], &bytes[slash + 1..]),
            None => (&b""[..], bytes),
        };
        if matches!(name, b"" | b"." | b"..") {
            return Ok(stamp_of(&rustix::fs::stat(root.join(relative))?));
        }
        let kept = match self.folder.take() {
            Some((kept, fd)) if kept == parent => self.folder.insert((kept, fd)),
            _ => {
                let folder = root.join(Path::new(OsStr::from_bytes(parent)));
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                match rustix::fs::open(&folder, flags, Mode::empty()) {
                    Ok(fd) => self.folder.insert((parent.to_vec(), fd)),
                    // Too many files open, say: the whole path still answers.
                    Err(_) => return Ok(stamp_of(&rustix::fs::stat(root.join(relative))?)),
                }
            }
        };
        let stat = rustix::fs::statat(
            &kept.1,
            OsStr::from_bytes(name),
            rustix::fs::AtFlags::empty(),
        )?;
        Ok(stamp_of(&stat))
    }
}

/// `path`'s folder and file name, split at its last `/` (as bytes: `Path::parent` and
/// `Path::file_name` parse the components, for every file); `None` where that is not plain
/// (no folder, a trailing `/`, a `.` or `..` name): the caller then uses the whole path.
fn split_name(path: &Path) -> Option<(&Path, &OsStr)> {
    let bytes = path.as_os_str().as_bytes();
    let slash = memchr::memrchr(b'/', bytes)?;
    let (parent, name) = (&bytes[..slash], &bytes[slash + 1..]);
    if parent.is_empty() || matches!(name, b"" | b"." | b"..") {
        return None;
    }
    Some((
        Path::new(OsStr::from_bytes(parent)),
        OsStr::from_bytes(name),
    ))
}

/// The [`Stamp`] of a file's status.
fn stamp_of(stat: &rustix::fs::Stat) -> Stamp {
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Stamp::from_times(
        stat.st_size as u64,
        (stat.st_mtime as i64, stat.st_mtime_nsec as i64),
        (stat.st_ctime as i64, stat.st_ctime_nsec as i64),
    )
}

/// Reads the head of the open `file` into `buffer` and makes its [`Article`].
fn read_head(
    buffer: &mut Vec<u8>,
    mut file: impl Read,
    relative: &Path,
) -> Result<Article, String> {
    let mut filled = 0;
    let mut at_end = false;
    let mut charset = None;
    loop {
        let want = filled.max(HEAD_CHUNK);
        if buffer.len() < filled + want {
            buffer.resize(filled + want, 0);
        }
        let read = read_fully(&mut file, &mut buffer[filled..filled + want])
            .map_err(|e| describe_io(&e))?;
        filled += read;
        at_end = at_end || read < want;
        let mut bytes = &buffer[..filled];
        let charset = *charset
            .get_or_insert_with(|| decode::sniff(&bytes[..bytes.len().min(SAMPLE)], at_end));
        if at_end && is_blank(bytes, charset) {
            return Err(EMPTY.to_string());
        }
        let utf16 = charset
            .name()
            .is_some_and(|name| name.starts_with("UTF-16"));
        if !utf16 && memchr::memchr(0, bytes).is_some() {
            return Err(BINARY.to_string());
        }
        // A head that goes on and on (a file of one several-megabyte line) is taken as it is,
        // without a character the limit cut.
        let complete = at_end || bytes.len() >= HEAD_LIMIT;
        if complete && !at_end && charset == Charset::Utf8 {
            bytes = &bytes[..decode::whole_chars(bytes)];
        }
        let header = match charset {
            Charset::Unknown => return Err(NOT_TEXT.to_string()),
            Charset::Utf8 => parse_head_of(bytes, complete),
            Charset::Other(_) => {
                let header = parse_header(&decode::decode_in(charset, bytes), complete);
                (header.settled || complete).then_some(header)
            }
        };
        if let Some(mut header) = header {
            let (shown, lossy) = display_form(relative);
            let title = header.take_title().unwrap_or_else(|| file_stem(relative));
            return Ok(Article::new(Fields {
                path: &shown,
                title: &title,
                source: header.source.as_deref(),
                date: header.meta.date.as_deref(),
                category: header.meta.category.as_deref(),
                tags: header.meta.tags.iter().map(String::as_str).collect(),
                raw_path: lossy.then_some(relative),
            }));
        }
    }
}

/// The article that a file holding `bytes` makes, read as [`read_article`] reads a file (the
/// same pieces, in the same order): for what needs the head of bytes already read whole.
pub(crate) fn article_of_bytes(bytes: &[u8], relative: &Path) -> Result<Article, String> {
    read_head(&mut Vec::new(), bytes, relative)
}

/// The reason a file in no encoding folio knows is skipped.
pub const NOT_TEXT: &str = "not text (UTF-8, GB18030, Big5 or UTF-16)";

/// The reason an empty (or all blank) file is skipped.
pub const EMPTY: &str = "empty file";

/// The reason a file holding NUL bytes is skipped.
pub const BINARY: &str = "binary file (NUL bytes)";

/// Whether `reason` is about what the file holds (so it stands while the file is unchanged),
/// not about reading it (permissions, I/O), which may change without the file changing.
pub fn is_about_content(reason: &str) -> bool {
    [NOT_TEXT, EMPTY, BINARY].contains(&reason)
}

/// True when the file holds nothing but white space (and perhaps a byte-order mark).
fn is_blank(bytes: &[u8], charset: Charset) -> bool {
    match charset {
        Charset::Other(_) => decode::decode_in(charset, bytes).trim().is_empty(),
        Charset::Utf8 | Charset::Unknown => bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .iter()
            .all(u8::is_ascii_whitespace),
    }
}

/// Fills `buffer` from `file` and says how much it read: less than asked only at the end of
/// the file. One `read` call for nearly every head (a second only after a short read).
fn read_fully(file: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// Parses growing prefixes of `bytes` (1 KiB, 4 KiB, …) until the head is settled: a head is
/// usually a few hundred bytes, and both UTF-8 checking and the Markdown parser cost what they
/// are given. `None` when all of `bytes` is not enough and more of the file is to come.
///
/// Bad bytes become U+FFFD; a character cut by the end of a prefix only ever lands on its last
/// line, which is left for the next, longer prefix (only whole lines are parsed until the end).
fn parse_head_of(bytes: &[u8], complete: bool) -> Option<Header> {
    let mut window = FIRST_PARSE_WINDOW;
    loop {
        let whole = window >= bytes.len();
        let end = if whole {
            bytes.len()
        } else {
            // End on a character boundary, so the check reads the window once.
            (window.saturating_sub(3)..=window)
                .rev()
                .find(|&i| bytes[i] & 0xC0 != 0x80)
                .unwrap_or(window)
        };
        let last = whole && complete;
        // simdutf8 rather than std: this check runs on every head, over mostly CJK text.
        let text = match simdutf8::basic::from_utf8(&bytes[..end]) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&bytes[..end]),
        };
        let header = parse_header(&text, last);
        if header.settled || last {
            return Some(header);
        }
        if whole {
            return None;
        }
        window *= 4;
    }
}

/// The file name without its extension (`.md` stays `.md`: it has nothing else).
fn file_stem(relative: &Path) -> String {
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.rfind('.') {
        Some(dot) if dot > 0 => name[..dot].to_string(),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(file_stem(Path::new("docs/a.b.md")), "a.b");
        assert_eq!(file_stem(Path::new("docs/.md")), ".md");
    }

    #[test]
    fn stamps_under_a_root_are_each_files_own() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("a/b")).unwrap();
        std::fs::create_dir_all(root.path().join("b")).unwrap();
        // Same names in different folders, sizes telling the files apart.
        let files = ["x.md", "a/x.md", "a/b/x.md", "b/x.md", "a/y.md"];
        for (size, file) in files.iter().enumerate() {
            std::fs::write(root.path().join(file), "z".repeat(size + 1)).unwrap();
        }
        let mut stamps = StampsUnder::default();
        // Folders in turn and back again: the folder kept open must follow.
        for file in files.iter().chain(&files).chain(["a/x.md", "x.md"].iter()) {
            let got = stamps.stamp(root.path(), Path::new(file)).unwrap();
            assert_eq!(Some(got), Stamp::read(&root.path().join(file)), "{file}");
        }
        assert!(stamps.stamp(root.path(), Path::new("a/gone.md")).is_err());
        assert!(stamps.stamp(root.path(), Path::new("gone/x.md")).is_err());
        // A name that is not plain is stat'ed by its whole path.
        let folder = stamps.stamp(root.path(), Path::new("a/b/.")).unwrap();
        assert_eq!(Some(folder), Stamp::read(&root.path().join("a/b")));
    }
}
