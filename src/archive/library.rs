//! The loader: walk an archive, read each article's head on all cores, order the index.
//!
//! `read` reads each head where the walk finds the file; `summary` and `order` give the order.
//! Bodies are never kept: an [`Article`] holds what the list and scripts need, and the body is
//! read again when an article is opened. A file that cannot be indexed becomes a [`Skipped`]
//! entry (one warning line for the caller to print) and the walk goes on.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use ignore::{WalkBuilder, WalkState};
use thiserror::Error;

pub use crate::archive::article::is_article_name;
use crate::archive::article::{Article, Fields, display_path};
use crate::archive::head_cache::{self, Cached, Folder, Prior, Streamed, Trouble};
use crate::archive::order::{self, SortKey};
use crate::archive::read::{HeadReader, is_about_content};
use crate::archive::summary::{Summaries, Summary, summary_order};
use crate::cache::{CacheDir, Stamp};
use crate::warn::describe_io;

/// An indexed archive: its root and its articles in the default (SUMMARY.md) order.
#[derive(Debug, Default)]
pub struct Library {
    /// The directory the archive was read from, as given.
    pub root: PathBuf,
    /// Every article, in the default order.
    pub articles: Vec<Article>,
    /// Files that looked like articles but could not be indexed, by path.
    pub skipped: Vec<Skipped>,
    /// Each article's stamp when it was read, beside `articles` (same length), where the head
    /// cache was used and the stamps were asked for; empty otherwise. [`Library::sort`] keeps
    /// the two in step.
    pub stamps: Vec<Option<Stamp>>,
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
    /// Indexes every article under `root`, on all cores, and returns it in the default order,
    /// reading every head (no cache).
    pub fn load(root: &Path) -> Result<Library, LoadError> {
        check_root(root)?;
        let mut builder = LibraryBuilder::new(root);
        walk(root, None, |found| builder.add(found));
        Ok(builder.finish())
    }

    /// [`Library::load`] through the head cache when `use_cache`: unchanged files are stat'ed,
    /// not read, and the cache is brought up to date. The library keeps the stamps
    /// ([`Library::stamps`]) when `stamps` (what a text search needs; `list` does not). Also
    /// returns the notes for the user (a cache that could not be used or kept), one line each.
    pub fn load_cached(
        root: &Path,
        use_cache: bool,
        stamps: bool,
    ) -> Result<(Library, Vec<CacheNote>), LoadError> {
        check_root(root)?;
        let (cache, mut notes) = HeadCache::open_if(root, use_cache);
        let library = load_through(root, cache.clone(), stamps);
        if let Some(cache) = cache {
            notes.extend(cache.notes().into_iter().map(CacheNote::Other));
        }
        Ok((library, notes))
    }

    /// The library of `root` taken whole from the head cache, already in order, when the tree
    /// and every file in it are as the cache saw them (see [`head_cache`]); `None` otherwise,
    /// and then a walk ([`Library::spawn_with`]) is needed. Nothing is read but the cache. The
    /// library keeps the stamps when `stamps`.
    pub fn load_unchanged(root: &Path, cache: &Arc<HeadCache>, stamps: bool) -> Option<Library> {
        // Nothing is written when the finds come whole from the cache, and their order is
        // known: no link is looked up.
        let mut builder = LibraryBuilder::new(root);
        builder.cache = Some(Arc::clone(cache));
        builder.writing = Writing::Not;
        builder.stamps_wanted = stamps;
        builder.resolving = false;
        // Each find goes into the library as it is read, an article straight to its place:
        // the cache file is never whole in memory beside the articles made from it.
        // The places wait holding one shared empty article (an `Option<Article>` would take 24
        // bytes a place, not 16).
        let hole = Article::new(Fields::default());
        let mut articles: Vec<Article> = Vec::new();
        let mut article_stamps: Vec<Option<Stamp>> = Vec::new();
        let mut placed = 0;
        let unchanged = cache.unchanged(root, |place, found| match (place, found) {
            (Some(place), Found::Article(article, stamp)) => {
                if articles.is_empty() {
                    articles.resize(place.of as usize, hole.clone());
                    if stamps {
                        article_stamps.resize(place.of as usize, None);
                    }
                }
                if let Some(slot) = articles.get_mut(place.at as usize) {
                    *slot = article;
                    placed += 1;
                }
                if let Some(slot) = article_stamps.get_mut(place.at as usize) {
                    *slot = stamp;
                }
            }
            (_, found) => builder.add(found),
        });
        // Every place is filled once: the cache's order is checked to be one of its articles.
        if !unchanged || placed != articles.len() {
            return None;
        }
        if !articles.is_empty() {
            builder.articles = articles;
            builder.article_stamps = article_stamps;
        }
        Some(builder.finish())
    }

    /// Whether `root` can be indexed: a directory that can be listed.
    pub fn check(root: &Path) -> Result<(), LoadError> {
        check_root(root)
    }

    /// Starts indexing `root` in the background: what is found arrives in batches on the
    /// returned channel, for a [`LibraryBuilder`] to collect, and the channel closes when the
    /// walk is over. The root is checked before this returns.
    pub fn spawn(root: &Path) -> Result<mpsc::Receiver<Vec<Found>>, LoadError> {
        Library::spawn_with(root, None)
    }

    /// [`Library::spawn`] through the head cache `cache` (from [`HeadCache::open_if`]); the
    /// builder that collects the finds is given the same cache, to bring it up to date.
    pub fn spawn_with(
        root: &Path,
        cache: Option<Arc<HeadCache>>,
    ) -> Result<mpsc::Receiver<Vec<Found>>, LoadError> {
        check_root(root)?;
        let (sender, receiver) = mpsc::channel();
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            let mut batch = Vec::with_capacity(STREAM_BATCH);
            walk(&root, cache.as_deref(), |found| {
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

    /// Sorts the articles by `key` (stable, as [`order::sort_articles`]), their stamps with
    /// them.
    pub fn sort(&mut self, key: SortKey) {
        if key == SortKey::Summary {
            return;
        }
        let sorted = order::sort_order(&self.articles, key);
        if self.stamps.len() == self.articles.len() {
            order::permute(&mut self.stamps, sorted.clone());
        }
        order::permute(&mut self.articles, sorted);
    }
}

/// What the user is told about the head cache, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheNote {
    /// The cache folder cannot be used at all: what else would use it cannot either.
    Unusable(String),
    /// A cache file set aside, or not written.
    Other(String),
}

impl CacheNote {
    /// The line to show.
    pub fn text(&self) -> &str {
        match self {
            CacheNote::Unusable(text) | CacheNote::Other(text) => text,
        }
    }
}

/// The head cache of one load: the archive's cache folder, what the cache file held at the
/// start, and how much of it the walk reused.
#[derive(Debug)]
pub struct HeadCache {
    dir: CacheDir,
    /// The cache file as it was, read whole when a walk first needs it: a start that finds the
    /// tree unchanged streams the file instead ([`head_cache::unchanged`]).
    prior: OnceLock<Prior>,
    reused: AtomicUsize,
    /// The walk was skipped: the tree and every file were as the cache saw them, and the
    /// finds came from the cache in the library's order.
    unchanged: AtomicBool,
    /// The cache kept a tree that has changed since: written again whatever else changed, so
    /// that the next start can skip the walk.
    tree_changed: AtomicBool,
    notes: Mutex<Vec<String>>,
}

impl HeadCache {
    /// The head cache of the archive at `root` when `use_cache`, and the notes for the user:
    /// `None` (with one note) when the cache folder cannot be used; a cache file that cannot be
    /// trusted is set aside (with one note) and rebuilt.
    pub fn open_if(root: &Path, use_cache: bool) -> (Option<Arc<HeadCache>>, Vec<CacheNote>) {
        if !use_cache {
            return (None, Vec::new());
        }
        match CacheDir::open(root) {
            Ok(dir) => (Some(HeadCache::in_folder(dir)), Vec::new()),
            Err(err) => {
                let note = format!("{err}; working without it");
                (None, vec![CacheNote::Unusable(note)])
            }
        }
    }

    /// The head cache kept in `dir`, as [`HeadCache::open_if`]; nothing is read yet.
    fn in_folder(dir: CacheDir) -> Arc<HeadCache> {
        Arc::new(HeadCache {
            dir,
            prior: OnceLock::new(),
            reused: AtomicUsize::new(0),
            unchanged: AtomicBool::new(false),
            tree_changed: AtomicBool::new(false),
            notes: Mutex::new(Vec::new()),
        })
    }

    /// The cache file as it was, read whole the first time; one that cannot be trusted is set
    /// aside (with one note) and rebuilt.
    fn prior(&self) -> &Prior {
        self.prior.get_or_init(|| match Prior::read(&self.dir) {
            Ok(prior) => prior.unwrap_or_default(),
            Err(Trouble::OtherVersion) => Prior::default(),
            Err(Trouble::Damaged) => {
                self.note(format!(
                    "the head cache {} is damaged or incomplete; rebuilding it",
                    self.dir.file(head_cache::FILE).display()
                ));
                Prior::default()
            }
        })
    }

    fn note(&self, note: String) {
        if let Ok(mut notes) = self.notes.lock() {
            notes.push(note);
        }
    }

    /// What went wrong while keeping the cache, one line each (taken: said once).
    pub fn notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut notes| std::mem::take(&mut *notes))
            .unwrap_or_default()
    }

    /// Hands `sink` every find, from the cache, with its place in the library where it is an
    /// article not in order already, and returns true when
    /// the tree and every file in it are as the cache saw them (see [`head_cache`]): the walk is
    /// then not needed. On false, what `sink` was given is to be dropped.
    fn unchanged(&self, root: &Path, sink: impl FnMut(Option<head_cache::Place>, Found)) -> bool {
        let make = |cached, stamp| match cached {
            Cached::Article(article) => Found::Article(article, Some(stamp)),
            Cached::Skipped(path, reason) => Found::Skipped(Skipped { path, reason }, Some(stamp)),
            Cached::Summary(summary) => Found::Summary(summary, Some(stamp)),
        };
        match head_cache::unchanged(&self.dir, root, make, sink) {
            Streamed::Unchanged(count) => {
                self.reused.store(count, Ordering::Relaxed);
                self.unchanged.store(true, Ordering::Relaxed);
                true
            }
            Streamed::Changed => {
                self.tree_changed.store(true, Ordering::Relaxed);
                false
            }
            Streamed::NotKept => false,
        }
    }

    /// Whether the finds came from the cache, already in the library's order.
    fn was_unchanged(&self) -> bool {
        self.unchanged.load(Ordering::Relaxed)
    }

    /// Whether the file being written is to replace the cache: when the walk found anything
    /// it did not hold, or it held anything the walk did not find (a deleted file), or the
    /// tree can now be kept where it was not, or it was kept and has changed. `stamped` is how
    /// many entries the walk found that may be kept; `tree` says whether the tree can be kept.
    /// A cache file begun (under the lock) with the entries `same` (indices in the cache as it
    /// was) copied as they were; [`Writing::Not`] when another process holds the lock.
    fn start_writing(&self, same: &[u32]) -> Writing {
        match head_cache::Writer::start(&self.dir) {
            Ok(Some(mut writer)) => {
                let prior = self.prior();
                same.iter()
                    .for_each(|&index| writer.add_kept(prior.entry_bytes(index)));
                Writing::Open(writer)
            }
            Ok(None) => Writing::Not,
            Err(err) => Writing::Failed(err),
        }
    }

    fn worth_writing(&self, stamped: usize, tree: bool) -> bool {
        let reused = self.reused.load(Ordering::Relaxed);
        let tree_changed = self.tree_changed.load(Ordering::Relaxed);
        let prior = self.prior();
        !(reused == stamped
            && reused == prior.len()
            && !tree_changed
            && (prior.has_tree() || !tree))
    }
}

/// The head cache being written while a walk goes on.
#[derive(Debug, Default)]
enum Writing {
    /// Not started: nothing with a stamp was found yet.
    #[default]
    NotYet,
    /// Not started: every find so far is the cache's entry again (their indices there, in
    /// found order). A walk that finds nothing new writes nothing, and holds no lock; the
    /// first find that is new starts the file with these entries copied as they were.
    Same(Vec<u32>),
    /// Entries go in as they are found.
    Open(head_cache::Writer),
    /// Another process holds the cache's lock (it writes one), or this builder only reads
    /// the cache.
    Not,
    /// The file could not be started: said at the end, if one was needed.
    Failed(crate::cache::CacheError),
}

/// How many finds travel together from a background walk.
const STREAM_BATCH: usize = 512;

/// Collects what a walk finds and turns it into a [`Library`] in the default order.
#[derive(Debug)]
pub struct LibraryBuilder {
    root: PathBuf,
    /// Articles in the order they were found (not yet the default order). One vector: an
    /// article is 16 bytes, and a large vector grows by remapping its pages, not by copying
    /// them (gathered in chunks and joined at the end, the chunks and the whole were held at
    /// once: 16 MB more on a million articles).
    articles: Vec<Article>,
    /// Files skipped so far.
    pub skipped: Vec<Skipped>,
    /// The SUMMARY.md files found, their links resolved to articles as they come.
    summaries: Summaries,
    /// With a head cache, when the library keeps them: the stamp of each article, in the
    /// order taken.
    article_stamps: Vec<Option<Stamp>>,
    /// With a head cache: the folders the walk went through.
    folders: Vec<Folder>,
    cache: Option<Arc<HeadCache>>,
    /// With a head cache: the file that will replace it, written as the finds come (the
    /// stamps are not held for it).
    writing: Writing,
    /// How many finds went into the file being written, and whether any find could not
    /// (had no stamp): then the tree cannot be kept.
    stamped: usize,
    unstamped: bool,
    /// With a head cache, the library keeps the articles' stamps (a text search wants them).
    stamps_wanted: bool,
    /// The articles are indexed by path for the SUMMARY.md links (not when the order comes
    /// from the head cache).
    resolving: bool,
}

impl LibraryBuilder {
    /// An empty builder for the archive at `root`.
    pub fn new(root: &Path) -> LibraryBuilder {
        LibraryBuilder {
            root: root.to_path_buf(),
            articles: Vec::new(),
            skipped: Vec::new(),
            summaries: Summaries::default(),
            article_stamps: Vec::new(),
            folders: Vec::new(),
            cache: None,
            writing: Writing::NotYet,
            stamped: 0,
            unstamped: false,
            stamps_wanted: true,
            resolving: true,
        }
    }

    /// The builder brings `cache` up to date: it writes what is found as it comes, and puts
    /// the file in place when it finishes if anything changed.
    pub fn with_cache(mut self, cache: Option<Arc<HeadCache>>) -> LibraryBuilder {
        self.cache = cache;
        self
    }

    /// Puts the find at `path` in the cache file being written, if there is a head cache;
    /// one without a stamp (not to be kept) only says the tree cannot be.
    fn write(&mut self, path: &Path, stamp: Option<Stamp>, entry: head_cache::Entry<'_>) {
        let Some(cache) = &self.cache else { return };
        let Some(stamp) = stamp else {
            self.unstamped = true;
            return;
        };
        self.stamped += 1;
        if let Writing::NotYet | Writing::Same(_) = self.writing {
            if let Some(index) = cache.prior().same_entry(path, stamp) {
                match &mut self.writing {
                    Writing::Same(same) => same.push(index),
                    writing => *writing = Writing::Same(vec![index]),
                }
                return;
            }
            let same = match std::mem::take(&mut self.writing) {
                Writing::Same(same) => same,
                _ => Vec::new(),
            };
            self.writing = cache.start_writing(&same);
        }
        if let Writing::Open(writer) = &mut self.writing {
            writer.add(path, stamp, entry);
        }
    }

    /// How many articles have been found so far.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True before the first article is found.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Takes one find.
    pub fn add(&mut self, found: Found) {
        use head_cache::Entry;
        match found {
            Found::Article(article, stamp) => {
                self.write(article.relative_path(), stamp, Entry::Article(&article));
                if self.cache.is_some() && self.stamps_wanted {
                    self.article_stamps.push(stamp);
                }
                self.articles.push(article);
                if self.resolving {
                    self.summaries.article_found(&self.articles);
                }
            }
            Found::Skipped(skip, stamp) => {
                self.write(Path::new(&skip.path), stamp, Entry::Skipped(&skip.reason));
                self.skipped.push(skip);
            }
            Found::Summary(summary, stamp) => {
                self.write(summary.relative_path(), stamp, Entry::Summary(&summary));
                self.summaries.summary_found(summary, &self.articles);
            }
            Found::Folder(folder) => {
                if self.cache.is_some() {
                    self.folders.push(folder);
                }
            }
        }
    }

    /// The finished index: articles in SUMMARY.md order, then by path; skipped files by path.
    pub fn finish(self) -> Library {
        self.finish_in_order(false).0
    }

    /// [`LibraryBuilder::finish`], with where each article was found: the library's article
    /// `i` is the `order[i]`-th the builder took (what a list filled while indexing needs, to
    /// reorder what it built from the articles instead of building it again).
    pub fn finish_with_order(self) -> (Library, Vec<usize>) {
        let (library, order) = self.finish_in_order(true);
        let order = match order {
            Some(order) => order.into_iter().map(|at| at as usize).collect(),
            None => (0..library.articles.len()).collect(),
        };
        (library, order)
    }

    /// [`LibraryBuilder::finish_with_order`], with `None` for the order the articles were
    /// taken in, or when the order is not wanted (`keep_order` false: not kept beside the
    /// articles).
    fn finish_in_order(mut self, keep_order: bool) -> (Library, Option<Vec<u32>>) {
        let mut articles = std::mem::take(&mut self.articles);
        let mut skipped = std::mem::take(&mut self.skipped);
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        let mut stamps = std::mem::take(&mut self.article_stamps);
        if self
            .cache
            .as_ref()
            .is_some_and(|cache| cache.was_unchanged())
        {
            // Taken from the cache, each article in its place.
            return (self.library(articles, skipped, stamps), None);
        }
        // Their links are in the cache file already.
        let summaries = std::mem::take(&mut self.summaries);
        let (listed, beyond_walk) = summary_order(&self.root, &articles, summaries);
        let order = order::archive_order(&articles, listed);
        self.write_cache(&order, !beyond_walk);
        if stamps.len() == articles.len() {
            order::permute(&mut stamps, order.clone());
        }
        let kept = keep_order.then(|| order.clone());
        order::permute(&mut articles, order);
        (self.library(articles, skipped, stamps), kept)
    }

    /// The finished library of `articles`, `skipped` and the articles' `stamps` (kept only when
    /// wanted and whole).
    fn library(
        &self,
        articles: Vec<Article>,
        skipped: Vec<Skipped>,
        mut stamps: Vec<Option<Stamp>>,
    ) -> Library {
        if !self.stamps_wanted || stamps.len() != articles.len() {
            stamps = Vec::new();
        }
        Library {
            root: self.root.clone(),
            articles,
            skipped,
            stamps,
        }
    }

    /// Ends the cache file being written, and puts it in place if anything changed, with the
    /// library's `order` (place `i` holds the `order[i]`-th article found); `order_walked`
    /// says the order rests on nothing but what was walked.
    fn write_cache(&mut self, order: &[u32], order_walked: bool) {
        let Some(cache) = &self.cache else { return };
        // The tree vouches for the order only if every find could be kept and the order
        // rests on nothing but what was walked.
        let whole = order_walked && !self.unstamped;
        let tree =
            whole && !self.folders.is_empty() && self.folders.iter().all(|f| f.stamp.is_some());
        if !cache.worth_writing(self.stamped, tree) {
            return;
        }
        // Every find was the cache's entry again, and still a new file is due (a file gone,
        // the tree now kept): it is begun now, with them.
        let writing = match std::mem::take(&mut self.writing) {
            Writing::Same(same) => cache.start_writing(&same),
            writing => writing,
        };
        let written = match writing {
            Writing::Open(writer) => {
                let in_order = order.iter().enumerate().all(|(i, &at)| i == at as usize);
                let order = if in_order { &[][..] } else { order };
                writer.finish(&self.folders, tree, order)
            }
            Writing::NotYet => {
                head_cache::write(&cache.dir, std::iter::empty(), &self.folders, tree)
            }
            Writing::Not | Writing::Same(_) => Ok(()),
            Writing::Failed(err) => Err(err),
        };
        if let Err(err) = written {
            cache.note(format!("{err}; the head cache is not kept"));
        }
    }
}

/// The library of `root` through `cache`: whole from it when the tree is unchanged, else
/// walked (and the cache brought up to date).
fn load_through(root: &Path, cache: Option<Arc<HeadCache>>, stamps: bool) -> Library {
    if let Some(cache) = &cache
        && let Some(library) = Library::load_unchanged(root, cache, stamps)
    {
        return library;
    }
    let mut builder = LibraryBuilder::new(root).with_cache(cache.clone());
    builder.stamps_wanted = stamps;
    walk(root, cache.as_deref(), |found| builder.add(found));
    builder.finish()
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
///
/// Each comes with its file's stamp where the head cache is in use and may keep it.
pub enum Found {
    /// An indexed article.
    Article(Article, Option<Stamp>),
    /// A file left out, and why.
    Skipped(Skipped, Option<Stamp>),
    /// A SUMMARY.md file, read where it was found.
    Summary(Summary, Option<Stamp>),
    /// A folder the walk went through (for the head cache's tree).
    Folder(Folder),
}

/// Walks the tree on all cores, reading each article's head where it is found (or taking it
/// from `cache` when the file is unchanged), and hands each find to `sink` on the calling
/// thread.
fn walk(root: &Path, cache: Option<&HeadCache>, mut sink: impl FnMut(Found)) {
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
                        Ok(entry) => {
                            visit(root, entry.path(), entry.file_type(), &mut reader, cache)
                        }
                        Err(err) => Some(Found::Skipped(walk_error(root, &err), None)),
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

fn visit(
    root: &Path,
    path: &Path,
    file_type: Option<std::fs::FileType>,
    reader: &mut HeadReader,
    cache: Option<&HeadCache>,
) -> Option<Found> {
    let relative = relative_to(root, path);
    if file_type.is_some_and(|t| t.is_dir()) {
        return cache.map(|_| Found::Folder(folder(path, relative, reader)));
    }
    if !file_type.is_some_and(|t| t.is_file()) {
        return None;
    }
    let name = path.file_name()?;
    let summary = name == "SUMMARY.md";
    if !summary && !is_article_name(name) {
        return None;
    }
    // Skipped files and summaries are kept by their display path: only where it is exact.
    let exact = || display_path(relative).0.as_bytes() == relative.as_os_str().as_encoded_bytes();
    // An article the cache has never seen (every one on a first run) is stat'ed through the
    // file it is read from, before it is read: one lookup of its name, not two.
    if let Some(cache) = cache
        && !summary
        && !cache.prior().knows(relative)
    {
        let (read, stamp) = reader.read_stamped(path, relative);
        return Some(article_or_skipped(read, relative, stamp, exact));
    }
    // Stat'ed before it is read: a file changed after this is read again next time.
    let stamp = cache.and_then(|_| reader.stamp(path).ok());
    if let (Some(cache), Some(stamp)) = (cache, stamp)
        && let Some(found) = reuse(cache, relative, stamp, summary)
    {
        cache.reused.fetch_add(1, Ordering::Relaxed);
        return Some(found);
    }
    if summary {
        let (summary, readable) = Summary::read_telling(path, relative);
        return Some(Found::Summary(
            summary,
            stamp.filter(|_| readable && exact()),
        ));
    }
    let read = reader.read(path, relative);
    Some(article_or_skipped(read, relative, stamp, exact))
}

/// `path` relative to `root`, which the walk joined it to: cut as bytes (`Path::strip_prefix`
/// compares component by component, for every file), by components where the bytes do not
/// show it plainly.
fn relative_to<'a>(root: &Path, path: &'a Path) -> &'a Path {
    let (root_bytes, bytes) = (root.as_os_str().as_bytes(), path.as_os_str().as_bytes());
    let rest = bytes.strip_prefix(root_bytes).and_then(|rest| {
        if root_bytes.ends_with(b"/") || rest.is_empty() {
            Some(rest)
        } else {
            rest.strip_prefix(b"/")
        }
    });
    match rest {
        Some(rest) if !rest.starts_with(b"/") && !rest.starts_with(b"./") && rest != b"." => {
            Path::new(OsStr::from_bytes(rest))
        }
        _ => path.strip_prefix(root).unwrap_or(path),
    }
}

/// What reading the file at `relative` found, with the stamp it was read at (a skipped file
/// keeps it only where its content is the reason and its path is exact).
fn article_or_skipped(
    read: Result<Article, String>,
    relative: &Path,
    stamp: Option<Stamp>,
    exact: impl Fn() -> bool,
) -> Found {
    match read {
        Ok(article) => Found::Article(article, stamp),
        Err(reason) => {
            let stamp = stamp.filter(|_| is_about_content(&reason) && exact());
            let path = display_path(relative).0;
            Found::Skipped(Skipped { path, reason }, stamp)
        }
    }
}

/// The folder at `path` with its stamp, taken before the walk lists it; no stamp when it cannot
/// be stat'ed, or was changed too recently to vouch for its names (see [`head_cache::RACY_NS`]).
fn folder(path: &Path, relative: &Path, reader: &mut HeadReader) -> Folder {
    let stamp = reader.stamp(path).ok().filter(settled);
    Folder {
        path: relative.to_path_buf(),
        stamp,
    }
}

/// Whether a stamp was taken longer than [`head_cache::RACY_NS`] after the last change it
/// shows, so that any later change shows in a later stamp.
fn settled(stamp: &Stamp) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(i64::MAX, |d| {
            i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
        });
    now.saturating_sub(stamp.mtime_ns.max(stamp.ctime_ns)) >= head_cache::RACY_NS
}

/// What the cache holds for the file at `relative`, if its stamp is `stamp` and it is of the
/// kind the file's name says.
fn reuse(cache: &HeadCache, relative: &Path, stamp: Stamp, summary: bool) -> Option<Found> {
    let stamp_kept = Some(stamp);
    match (cache.prior().get(relative, stamp)?, summary) {
        (Cached::Summary(found), true) => Some(Found::Summary(found, stamp_kept)),
        (Cached::Article(article), false) => Some(Found::Article(article, stamp_kept)),
        (Cached::Skipped(path, reason), false) => {
            Some(Found::Skipped(Skipped { path, reason }, stamp_kept))
        }
        _ => None,
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

/// The library of `root` through the head cache kept in `dir`, with the articles' stamps
/// (for the tests of what reads the cache).
#[cfg(test)]
pub(crate) fn load_in(root: &Path, dir: CacheDir) -> Library {
    load_through(root, Some(HeadCache::in_folder(dir)), true)
}

#[cfg(test)]
#[path = "library_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "library_unchanged_tree_tests.rs"]
mod unchanged_tree_tests;
