//! The loader: walk an archive, read each article's head on all cores, order the index.
//!
//! `read` reads each head where the walk finds the file; `summary` and `order` give the order.
//! Bodies are never kept: an [`Article`] holds what the list and scripts need, and the body is
//! read again when an article is opened. A file that cannot be indexed becomes a [`Skipped`]
//! entry (one warning line for the caller to print) and the walk goes on.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use ignore::{WalkBuilder, WalkState};
use thiserror::Error;

use crate::archive::article::{Article, display_path};
use crate::archive::order;
use crate::archive::read::{HeadReader, describe_io};
use crate::archive::summary::{Summary, summary_order};

/// File names that are the archive's own pages at every level, never articles.
const ARCHIVE_PAGES: [&str; 3] = ["README.md", "SUMMARY.md", "NAV.md"];

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
    /// into freshly faulted pages, on the one thread that collects what all the others find.
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
