//! The loader: walk an archive, read each article's head on all cores, order the index.
//!
//! Bodies are never kept: an [`Article`] holds what the list and scripts need, and the body is
//! read again when an article is opened. A file that cannot be indexed becomes a [`Skipped`]
//! entry (one warning line for the caller to print) and the walk goes on.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use ignore::{WalkBuilder, WalkState};
use rustix::fs::{Mode, OFlags};
use thiserror::Error;

use crate::archive::article::{Article, display_path};
use crate::archive::decode::{self, Charset, SAMPLE};
use crate::archive::heads::parse_header;
use crate::archive::order;
use crate::archive::summary::{Summary, summary_order};

/// File names that are the archive's own pages at every level, never articles.
const ARCHIVE_PAGES: [&str; 3] = ["README.md", "SUMMARY.md", "NAV.md"];

/// How much of a file is read first; more is read only while the head is not settled. The
/// encoding sample ([`SAMPLE`]): a head is a few hundred bytes, and each byte read is copied
/// and checked.
const HEAD_CHUNK: usize = SAMPLE;

/// How much of a file is read at most to find its head.
const HEAD_LIMIT: usize = 1024 * 1024;

/// How much of the head is given to the Markdown parser first.
const FIRST_PARSE_WINDOW: usize = 1024;

/// An indexed archive: its root and its articles in the default (SUMMARY.md) order.
#[derive(Debug, Default)]
pub struct Library {
    /// The directory the archive was read from, as given.
    pub root: PathBuf,
    /// Every article, in the default order.
    pub articles: Vec<Article>,
    /// Files that looked like articles but could not be indexed, by path.
    pub skipped: Vec<Skipped>,
}

/// A file left out of the index, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file's path relative to the root (display form).
    pub path: String,
    /// What went wrong, in a few words (`empty file`, `permission denied`).
    pub reason: String,
}

/// Why an archive could not be read at all.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The root does not exist.
    #[error("{0}: no such directory")]
    Missing(String),
    /// The root is a file or something else.
    #[error("{0}: not a directory")]
    NotADirectory(String),
    /// The root exists but cannot be listed.
    #[error("{0}: {1}")]
    Unreadable(String, String),
}

impl Library {
    /// Indexes every article under `root`, on all cores, and returns it in the default order.
    pub fn load(root: &Path) -> Result<Library, LoadError> {
        check_root(root)?;
        let mut builder = LibraryBuilder::new(root);
        walk(root, |found| builder.add(found));
        Ok(builder.finish())
    }

    /// Starts indexing `root` in the background: what is found arrives in batches on the
    /// returned channel, for a [`LibraryBuilder`] to collect, and the channel closes when the
    /// walk is over. The root is checked before this returns.
    pub fn spawn(root: &Path) -> Result<mpsc::Receiver<Vec<Found>>, LoadError> {
        check_root(root)?;
        let (sender, receiver) = mpsc::channel();
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            let mut batch = Vec::with_capacity(STREAM_BATCH);
            walk(&root, |found| {
                batch.push(found);
                if batch.len() == STREAM_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(STREAM_BATCH));
                    let _ = sender.send(full);
                }
            });
            if !batch.is_empty() {
                let _ = sender.send(batch);
            }
        });
        Ok(receiver)
    }

    /// The file behind `article`: the root joined with its relative path.
    pub fn file_path(&self, article: &Article) -> PathBuf {
        self.root.join(article.relative_path())
    }
}

/// How many finds travel together from a background walk.
const STREAM_BATCH: usize = 512;

/// Collects what a walk finds and turns it into a [`Library`] in the default order.
#[derive(Debug)]
pub struct LibraryBuilder {
    root: PathBuf,
    /// Articles in the order they were found (not yet the default order), in chunks of
    /// [`Self::CHUNK`]: one vector growing to 100,000 articles would copy itself again and again
    /// into freshly faulted pages, a tenth of the whole index's time on the collecting thread.
    chunks: Vec<Vec<Article>>,
    /// Files skipped so far.
    pub skipped: Vec<Skipped>,
    summaries: Vec<Summary>,
}

impl LibraryBuilder {
    /// An empty builder for the archive at `root`.
    pub fn new(root: &Path) -> LibraryBuilder {
        LibraryBuilder {
            root: root.to_path_buf(),
            chunks: Vec::new(),
            skipped: Vec::new(),
            summaries: Vec::new(),
        }
    }

    const CHUNK: usize = 4096;

    /// How many articles have been found so far.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum()
    }

    /// True before the first article is found.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// Takes one find.
    pub fn add(&mut self, found: Found) {
        match found {
            Found::Article(article) => match self.chunks.last_mut() {
                Some(chunk) if chunk.len() < Self::CHUNK => chunk.push(article),
                _ => {
                    let mut chunk = Vec::with_capacity(Self::CHUNK);
                    chunk.push(article);
                    self.chunks.push(chunk);
                }
            },
            Found::Skipped(skip) => self.skipped.push(skip),
            Found::Summary(path) => self.summaries.push(path),
        }
    }

    /// The finished index: articles in SUMMARY.md order, then by path; skipped files by path.
    pub fn finish(self) -> Library {
        self.finish_with_order().0
    }

    /// [`LibraryBuilder::finish`], with where each article was found: the library's article
    /// `i` is the `order[i]`-th the builder took (what a list filled while indexing needs, to
    /// reorder what it built from the articles instead of building it again).
    pub fn finish_with_order(mut self) -> (Library, Vec<usize>) {
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        let mut articles = Vec::with_capacity(self.len());
        self.chunks
            .into_iter()
            .for_each(|chunk| articles.extend(chunk));
        let listed = summary_order(&self.root, &articles, self.summaries);
        let order = order::archive_order(&articles, listed);
        order::permute(&mut articles, order.clone());
        let library = Library {
            root: self.root,
            articles,
            skipped: self.skipped,
        };
        (library, order)
    }
}

fn check_root(root: &Path) -> Result<(), LoadError> {
    let shown = root.display().to_string();
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => match std::fs::read_dir(root) {
            Ok(_) => Ok(()),
            Err(err) => Err(LoadError::Unreadable(shown, describe_io(&err))),
        },
        Ok(_) => Err(LoadError::NotADirectory(shown)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Err(LoadError::Missing(shown)),
        Err(err) => Err(LoadError::Unreadable(shown, describe_io(&err))),
    }
}

/// What a walk finds: an article, a file it had to skip, or a SUMMARY.md to order by.
#[derive(Debug)]
pub enum Found {
    /// An indexed article.
    Article(Article),
    /// A file left out, and why.
    Skipped(Skipped),
    /// A SUMMARY.md file, read where it was found.
    Summary(Summary),
}

/// Walks the tree on all cores, reading each article's head where it is found, and hands each
/// find to `sink` on the calling thread.
fn walk(root: &Path, mut sink: impl FnMut(Found)) {
    let (sender, receiver) = mpsc::channel();
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(true)
        .filter_entry(|entry| !(entry.depth() > 0 && is_dir(entry) && is_hidden(entry.file_name())))
        .build_parallel();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            walker.run(|| {
                let mut batch = Batch {
                    sender: sender.clone(),
                    finds: Vec::new(),
                };
                let mut reader = HeadReader::default();
                Box::new(move |entry| {
                    let found = match entry {
                        Ok(entry) => visit(root, entry.path(), entry.file_type(), &mut reader),
                        Err(err) => Some(Found::Skipped(walk_error(root, &err))),
                    };
                    if let Some(found) = found {
                        batch.push(found);
                    }
                    WalkState::Continue
                })
            });
        });
        for finds in receiver {
            finds.into_iter().for_each(&mut sink);
        }
    });
}

/// One walker thread's finds on their way to the collecting thread, a few at a time: a send
/// for every file would cost more in wake-ups than reading the file does.
struct Batch {
    sender: mpsc::Sender<Vec<Found>>,
    finds: Vec<Found>,
}

impl Batch {
    const SIZE: usize = 256;

    fn push(&mut self, found: Found) {
        self.finds.push(found);
        if self.finds.len() == Self::SIZE {
            let _ = self.sender.send(std::mem::take(&mut self.finds));
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if !self.finds.is_empty() {
            let _ = self.sender.send(std::mem::take(&mut self.finds));
        }
    }
}

fn is_dir(entry: &ignore::DirEntry) -> bool {
    entry.file_type().is_some_and(|t| t.is_dir())
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Whether a file name is an article's: `.md`, `.markdown` (any case), not an archive page.
pub fn is_article_name(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    let lower = bytes.to_ascii_lowercase();
    let markdown = lower.ends_with(b".md") || lower.ends_with(b".markdown");
    markdown && !ARCHIVE_PAGES.iter().any(|page| bytes == page.as_bytes())
}

fn visit(
    root: &Path,
    path: &Path,
    file_type: Option<std::fs::FileType>,
    reader: &mut HeadReader,
) -> Option<Found> {
    if !file_type.is_some_and(|t| t.is_file()) {
        return None;
    }
    let name = path.file_name()?;
    let relative = path.strip_prefix(root).unwrap_or(path);
    if name == "SUMMARY.md" {
        return Some(Found::Summary(Summary::read(path, relative)));
    }
    if !is_article_name(name) {
        return None;
    }
    Some(match reader.read(path, relative) {
        Ok(article) => Found::Article(article),
        Err(reason) => Found::Skipped(Skipped {
            path: display_path(relative).0,
            reason,
        }),
    })
}

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
struct HeadReader {
    buffer: Vec<u8>,
    folder: Option<(PathBuf, OwnedFd)>,
}

impl HeadReader {
    /// [`read_article`], with what this thread keeps.
    fn read(&mut self, path: &Path, relative: &Path) -> Result<Article, String> {
        let file = self.open(path).map_err(|e| describe_io(&e))?;
        read_head(&mut self.buffer, file, relative)
    }

    /// Opens `path` by its name in its folder, kept open: the files of a folder mostly reach
    /// the same thread one after another, and the kernel then looks up one name instead of
    /// every component of the path (a tenth of the time `open` took on the 100k tree).
    fn open(&mut self, path: &Path) -> io::Result<File> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return File::open(path);
        };
        let (_, folder) = match self.folder.take() {
            Some((kept, fd)) if kept == parent => self.folder.insert((kept, fd)),
            _ => {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                match rustix::fs::open(parent, flags, Mode::empty()) {
                    Ok(fd) => self.folder.insert((parent.to_path_buf(), fd)),
                    Err(_) => return File::open(path),
                }
            }
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

/// Reads the head of the open `file` into `buffer` and makes its [`Article`].
fn read_head(buffer: &mut Vec<u8>, mut file: File, relative: &Path) -> Result<Article, String> {
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
            return Err("empty file".to_string());
        }
        let utf16 = charset
            .name()
            .is_some_and(|name| name.starts_with("UTF-16"));
        if !utf16 && memchr::memchr(0, bytes).is_some() {
            return Err("binary file (NUL bytes)".to_string());
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
            let (shown, lossy) = display_path(relative);
            let title = header.take_title().unwrap_or_else(|| file_stem(relative));
            return Ok(Article {
                title,
                source: header.source,
                date: header.meta.date,
                category: header.meta.category,
                tags: header.meta.tags,
                path_lossy: lossy,
                raw_path: lossy.then(|| relative.to_path_buf()),
                path: shown,
            });
        }
    }
}

/// The reason a file in no encoding folio knows is skipped.
pub const NOT_TEXT: &str = "not text (UTF-8, GB18030, Big5 or UTF-16)";

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
fn read_fully(file: &mut File, buffer: &mut [u8]) -> io::Result<usize> {
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
fn parse_head_of(bytes: &[u8], complete: bool) -> Option<crate::archive::heads::Header> {
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
        // simdutf8 checks CJK text several times faster than std, and this runs on every head.
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

/// An I/O error in the few words a warning line needs (`permission denied`).
pub fn describe_io(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = err.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text.to_string(),
            }
        }
    }
}

fn walk_error(root: &Path, err: &ignore::Error) -> Skipped {
    let mut path = None;
    let mut current = err;
    let reason = loop {
        match current {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| p.clone());
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err;
            }
            ignore::Error::Loop { ancestor, child } => {
                path.get_or_insert_with(|| child.clone());
                let target = ancestor.strip_prefix(root).unwrap_or(ancestor);
                break format!("symlink loop back to {}", display_or_root(target));
            }
            ignore::Error::Io(io) => break describe_io(io),
            other => break other.to_string(),
        }
    };
    let path = path.unwrap_or_else(|| root.to_path_buf());
    let relative = path.strip_prefix(root).unwrap_or(&path);
    Skipped {
        path: display_or_root(relative),
        reason,
    }
}

fn display_or_root(relative: &Path) -> String {
    let (shown, _) = display_path(relative);
    if shown.is_empty() { ".".into() } else { shown }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_names() {
        for name in ["a.md", ".md", "x.markdown", "UPPER.MD", "茶 与 水.md"] {
            assert!(is_article_name(OsStr::new(name)), "{name}");
        }
        for name in ["README.md", "SUMMARY.md", "NAV.md", "a.txt", "md"] {
            assert!(!is_article_name(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn stems() {
        assert_eq!(file_stem(Path::new("docs/a.b.md")), "a.b");
        assert_eq!(file_stem(Path::new("docs/.md")), ".md");
    }
}

#[cfg(test)]
mod streaming_tests {
    use super::*;

    #[test]
    fn a_background_walk_builds_the_same_library_as_load() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-articles");
        let loaded = Library::load(&samples).unwrap();
        let mut builder = LibraryBuilder::new(&samples);
        for batch in Library::spawn(&samples).unwrap() {
            batch.into_iter().for_each(|found| builder.add(found));
        }
        assert_eq!(builder.len(), loaded.articles.len());
        let found = builder.chunks.concat();
        let (library, order) = builder.finish_with_order();
        assert_eq!(library.articles, loaded.articles);
        let by_order: Vec<Article> = order.iter().map(|&i| found[i].clone()).collect();
        assert_eq!(by_order, library.articles);
        assert!(Library::spawn(&samples.join("no-such-folder")).is_err());
    }
}
