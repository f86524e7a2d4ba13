//! What a reader of the articles' files needs of an archive (full-text search), by article
//! index in the library's order: the [`Catalog`] trait, over a [`Library`] loaded as every
//! command loads it, and over a [`CachedCatalog`]: the head cache read whole and found
//! unchanged by stats alone, each entry parsed only when asked.
//!
//! Why a second form: `folio search` on 100,000 articles must stat every file to know its
//! index is fresh, then print the few articles that match. Making an [`Article`] of each of
//! the 100,000 heads (a string checked and copied per field, an allocation per article) was a
//! third of its time, as much as the stats themselves (figures in BENCHMARKS.md).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::archive::article::{Article, display_form};
use crate::archive::head_cache::{self, Cached, FileCheck, Prior};
use crate::archive::library::{Library, Skipped};
use crate::cache::{CacheDir, Stamp};

/// What a cache entry is, as the catalog sorts them.
enum Kind {
    /// An article; `lossy` when its path is not UTF-8.
    Article { lossy: bool },
    /// A file skipped for what it holds.
    Skipped,
    /// A SUMMARY.md (its order is in the cache's tail).
    Summary,
}

/// An archive's articles as files to read, by their index in the library's order.
pub trait Catalog: Sync {
    /// The archive's folder, as given.
    fn root(&self) -> &Path;

    /// How many articles there are.
    fn len(&self) -> usize;

    /// True when there is no article.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Article `i`'s file, relative to the root.
    fn relative_path(&self, i: usize) -> &Path;

    /// Article `i`'s title.
    fn title(&self, i: usize) -> &str;

    /// Article `i`'s title as bytes, where checking them as UTF-8 can be left out (a title
    /// looked through for a term: a ranking does it for every result).
    fn title_bytes(&self, i: usize) -> &[u8] {
        self.title(i).as_bytes()
    }

    /// Article `i`'s path relative to the root in display form (U+FFFD for bytes that are
    /// not UTF-8), as `list` prints it.
    fn display_path(&self, i: usize) -> Cow<'_, str>;

    /// Article `i`'s title and display path, as `list` prints them.
    fn title_and_path(&self, i: usize) -> (&str, Cow<'_, str>) {
        (self.title(i), self.display_path(i))
    }

    /// Article `i` whole.
    fn article(&self, i: usize) -> Cow<'_, Article>;

    /// Where the articles come straight from a head cache file: that file's identity
    /// ([`Prior::identity`]). Two catalogs with one identity all but certainly have the same
    /// files, stamps and order: the text index records it, and needs no file compared while
    /// it is the same.
    fn cache_identity(&self) -> Option<u64> {
        None
    }

    /// Each article's stamp when it was read, or now where it was not kept (`None` where the
    /// file cannot be stat'ed).
    fn file_stamps(&self) -> Vec<Option<Stamp>>;

    /// Article `i`'s file.
    fn article_file(&self, i: usize) -> PathBuf {
        self.root().join(self.relative_path(i))
    }
}

impl Catalog for Library {
    fn root(&self) -> &Path {
        &self.root
    }

    fn len(&self) -> usize {
        self.articles.len()
    }

    fn relative_path(&self, i: usize) -> &Path {
        self.articles[i].relative_path()
    }

    fn title(&self, i: usize) -> &str {
        self.articles[i].title()
    }

    fn display_path(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.articles[i].path())
    }

    fn article(&self, i: usize) -> Cow<'_, Article> {
        Cow::Borrowed(&self.articles[i])
    }

    fn file_stamps(&self) -> Vec<Option<Stamp>> {
        if self.stamps.len() == self.articles.len() && !self.articles.is_empty() {
            // Taken by the walk, which stat'ed each file for the head cache.
            return self.stamps.clone();
        }
        self.articles
            .par_iter()
            .map(|article| Stamp::read(&self.file_path(article)))
            .collect()
    }
}

/// The articles of an archive whose tree and files are all as its head cache saw them, in
/// the library's default order, read from the cache file without making an [`Article`] of
/// each: the entries are parsed when asked.
pub struct CachedCatalog {
    root: PathBuf,
    prior: Prior,
    /// Where the cache entry of each article starts in the cache file, in the library's
    /// order: a title is then one step from its article's index, not three (the entries of
    /// the results of a broad query are all over the file).
    entry_starts: Vec<usize>,
    /// The files skipped for what they hold, by path.
    pub skipped: Vec<Skipped>,
    /// The articles whose path is not UTF-8 (shown with U+FFFD), in order.
    pub lossy: Vec<usize>,
}

impl CachedCatalog {
    /// The catalog of the archive at `root` when its head cache kept the tree and every
    /// folder and file in it has the stamp the cache holds (the test [`head_cache::unchanged`]
    /// makes, on all cores); `None` otherwise, and then the library is to be loaded (which
    /// walks, writes the cache and says what was wrong with it). Reads nothing but the cache
    /// file, and writes nothing but what opening the cache folder may (`CacheDir::open`: the
    /// folder and its `source`).
    pub fn open(root: &Path) -> Option<CachedCatalog> {
        CachedCatalog::open_in(&CacheDir::open(root).ok()?, root)
    }

    /// [`CachedCatalog::open`] with the archive's cache folder `cache`.
    pub fn open_in(cache: &CacheDir, root: &Path) -> Option<CachedCatalog> {
        let prior = Prior::read_on_all_cores(cache).ok()??;
        if !prior.has_tree() {
            return None;
        }
        let tail = prior.tail()?;
        if !tail.folders_unchanged(root) {
            return None;
        }
        // Each entry's file stat'ed, and what the entry is.
        let kinds: Vec<Kind> = (0..prior.len())
            .into_par_iter()
            .map_init(FileCheck::default, |check, index| {
                let entry = prior.entry(index)?;
                check
                    .unchanged(root, entry.relative(), entry.stamp)
                    .then_some(())?;
                Some(if entry.is_article() {
                    Kind::Article {
                        // As `display_form` tells it: a path is shown lossily exactly when it
                        // is not UTF-8 (a name's bytes are all in its components).
                        lossy: std::str::from_utf8(entry.path).is_err(),
                    }
                } else if entry.is_summary() {
                    Kind::Summary
                } else {
                    Kind::Skipped
                })
            })
            .collect::<Option<_>>()?;
        let mut found = Vec::new();
        let mut found_lossy = Vec::new();
        let mut skipped = Vec::new();
        for (index, kind) in kinds.into_iter().enumerate() {
            match kind {
                Kind::Article { lossy } => {
                    if lossy {
                        found_lossy.push(found.len());
                    }
                    found.push(prior.entry_start(index)?);
                }
                Kind::Skipped => {
                    let Some(Cached::Skipped(path, reason)) = prior.entry(index)?.cached() else {
                        return None;
                    };
                    skipped.push(Skipped { path, reason });
                }
                Kind::Summary => {}
            }
        }
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        let (entry_starts, mut lossy) = if tail.order.is_empty() {
            (found, found_lossy)
        } else {
            // The article found `k`-th goes to place `places[k]`.
            let places = head_cache::places_of(tail.order)?;
            if places.len() != found.len() {
                return None;
            }
            let mut entry_starts = vec![0; found.len()];
            for (&place, start) in places.iter().zip(found) {
                entry_starts[place as usize] = start;
            }
            let lossy = found_lossy.iter().map(|&k| places[k] as usize).collect();
            (entry_starts, lossy)
        };
        lossy.sort_unstable();
        Some(CachedCatalog {
            root: root.to_path_buf(),
            prior,
            entry_starts,
            skipped,
            lossy,
        })
    }

    /// Article `i`'s entry.
    fn entry(&self, i: usize) -> head_cache::EntryView<'_> {
        self.prior
            .entry_starting_at(self.entry_starts[i])
            .expect("every article's entry parsed when the catalog was made")
    }
}

impl Catalog for CachedCatalog {
    fn root(&self) -> &Path {
        &self.root
    }

    fn len(&self) -> usize {
        self.entry_starts.len()
    }

    fn relative_path(&self, i: usize) -> &Path {
        self.entry(i).relative()
    }

    fn title(&self, i: usize) -> &str {
        // Checked when it is asked for, not for all 100,000 when the catalog is made (that
        // took a tenth of a search). folio wrote it from a string and its sums match, so
        // only a cache file made by another program can show an empty title here.
        self.entry(i).title().unwrap_or_default()
    }

    fn title_bytes(&self, i: usize) -> &[u8] {
        self.entry(i).title_bytes().unwrap_or_default()
    }

    fn display_path(&self, i: usize) -> Cow<'_, str> {
        display_form(self.entry(i).relative()).0
    }

    fn title_and_path(&self, i: usize) -> (&str, Cow<'_, str>) {
        // One entry parsed for both.
        let entry = self.entry(i);
        (
            entry.title().unwrap_or_default(),
            display_form(entry.relative()).0,
        )
    }

    fn article(&self, i: usize) -> Cow<'_, Article> {
        match self.entry(i).cached() {
            Some(Cached::Article(article)) => Cow::Owned(article),
            _ => Cow::Owned(Article::new(crate::archive::article::Fields {
                path: &self.display_path(i),
                title: self.title(i),
                ..Default::default()
            })),
        }
    }

    fn cache_identity(&self) -> Option<u64> {
        Some(self.prior.identity())
    }

    fn file_stamps(&self) -> Vec<Option<Stamp>> {
        // Each file was just found to have the stamp its entry holds.
        (0..self.len())
            .into_par_iter()
            .map(|i| Some(self.entry(i).stamp))
            .collect()
    }
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
