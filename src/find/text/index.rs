//! The persistent text index of one archive, in its cache folder (`cache`): a manifest naming
//! the segments (`segment`) and, for every indexed article, its path, [`Stamp`] and place in a
//! segment. For a query whose terms are all one or two characters, or ASCII letters and digits
//! only (`rust`, `eBPF`, `2024`), it answers alone, exactly, for the articles it covers at
//! their current stamp ([`TextIndex::counted`]): a short term occurs in a line exactly when its
//! gram does, as often as the gram's stored count; a word term as often as the sum over the
//! words containing it (`segment`). For other terms it only proposes candidates, confirmed
//! against the text (`examine`). Articles it does not cover are read, so the index can be
//! stale or missing without a result being wrong.
//!
//! Files, under `text-v1/` in the archive's cache folder:
//!
//! ```text
//! manifest      "FOLIOTXM" u32 version, u64 next segment id,
//!               u64 the identity of the head cache file whose articles, in its order, the
//!                   entries are (`archive::catalog`; 0: none),
//!               u32 segments × (u64 id, u64 size, u32 documents),
//!               u32 articles × (u32 segment, u32 document),
//!               u64 checksum of all the bytes before it (`cache::checksum`);
//!               then per article (u32 path length, path bytes, u64 size, i64 mtime ns,
//!                             i64 ctime ns),
//!               u64 checksum of this second part;
//!               the articles in the order of the library that wrote it, so that the next
//!               search matches them to its articles by position
//! seg-<id>      one segment each (see `segment`)
//! ```
//!
//! While a search takes its articles straight from the head cache file the manifest names,
//! nothing is compared: the same file means the same paths and stamps in the same order, and
//! every one was just stat'ed. A fresh index found otherwise is given the name, once.
//!
//! An update runs under the cache's write lock: the changed and new articles go into a new
//! segment, and a new manifest, renamed over the old one, drops the removed and changed ones.
//! An article that could not be read is kept in the manifest with its stamp and the segment
//! [`UNREADABLE`]: searches read it (and skip it again), and the index stays fresh until its
//! stamp changes, instead of every search trying to index it and rewriting the manifest.
//! Segments are synced before the manifest that names them is renamed into place.
//! When a third of the documents in the segments are dead, or there are too many segments, the
//! whole index is built again. Segment files no manifest names are deleted by the next writer.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::archive::catalog::Catalog;
use crate::archive::{decode, read};
use crate::cache::{CacheDir, CacheError, Stamp};
use crate::find::text::examine::Hits;
use crate::find::text::fold;
use crate::find::text::manifest::{
    Entry, Manifest, SegmentInfo, UNREADABLE, fresh_manifest, read_manifest, read_places,
    write_manifest,
};
pub use crate::find::text::manifest::{Trouble, VERSION};
use crate::find::text::query::Query;
use crate::find::text::segment::{self, Segment, SegmentBuilder};
use crate::render::sanitize;

/// The folder of the text index inside an archive's cache folder; its name carries the version.
pub const FOLDER: &str = "text-v1";
/// A segment holds at most this much text, which bounds the memory a build needs.
const SEGMENT_TEXT: u64 = 256 << 20;
/// More segments than this and an update builds the whole index again.
const MAX_SEGMENTS: usize = 24;
/// Articles read and split into grams together, on all cores, between two progress reports.
const BATCH: usize = 1024;
/// What the index keeps of an article, as read for it.
struct Read {
    grams: Vec<(segment::Gram, u32)>,
    words: segment::Words,
    /// Its title, folded.
    title: String,
    /// Its row as `folio search` prints it, without the line break.
    row: Vec<u8>,
    /// Its file's size in bytes.
    size: usize,
}

/// An index opened for queries, and which articles of the library it covers.
#[derive(Debug)]
pub struct TextIndex {
    pub(super) segments: Vec<Segment>,
    /// For each article of the library: its segment and document, when the index holds it as
    /// it is now (same stamp); `None` for an article that must be read to be searched. The
    /// segment is [`UNREADABLE`] for a file that could not be read at that stamp (it is read,
    /// and skipped, by every search).
    pub covered: Vec<Option<(u32, u32)>>,
}

impl TextIndex {
    /// How many articles the index holds the text of.
    pub fn covered_count(&self) -> usize {
        self.covered
            .iter()
            .filter(|&&place| holds_text(place))
            .count()
    }

    /// For each article, whether it may match `query`: every article the index does not cover,
    /// and those whose documents hold every key of every wanted term and no excluded term the
    /// index answers exactly. A superset of the matches, never missing one; exact for the
    /// terms the index answers ([`segment::key_of_term`]).
    pub fn candidates(&self, query: &Query) -> io::Result<Vec<bool>> {
        let mut keys: Vec<segment::Key> = query
            .wanted()
            .flat_map(|term| segment::keys_of_term(&term.folded))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut holding: Vec<Option<Vec<u32>>> = Vec::with_capacity(self.segments.len());
        for segment in &self.segments {
            if keys.is_empty() {
                holding.push(None);
                continue;
            }
            // Rarest key first: the running intersection only shrinks.
            let mut counted = keys
                .iter()
                .map(|k| Ok((segment.count(k)?, k)))
                .collect::<io::Result<Vec<_>>>()?;
            counted.sort_unstable();
            let mut documents: Option<Vec<u32>> = None;
            for (count, key) in counted {
                if count == 0 {
                    documents = Some(Vec::new());
                    break;
                }
                let postings = segment.postings(key)?;
                documents = Some(match documents {
                    None => postings,
                    Some(so_far) => segment::intersect(&so_far, &postings),
                });
                if documents.as_ref().is_some_and(Vec::is_empty) {
                    break;
                }
            }
            // An excluded term the index answers leaves out exactly the documents holding it.
            if let Some(documents) = documents.as_mut().filter(|d| !d.is_empty()) {
                for key in excluded_keys(query) {
                    let holding = segment.postings(&key)?;
                    documents.retain(|d| holding.binary_search(d).is_err());
                }
            }
            holding.push(documents);
        }
        Ok(self
            .covered
            .iter()
            .map(|place| match place {
                None => true,
                Some((s, d)) => match holding.get(*s as usize) {
                    Some(Some(documents)) => documents.binary_search(d).is_ok(),
                    // No key to narrow by, or a file the index could not read.
                    Some(None) | None => true,
                },
            })
            .collect())
    }
}

/// Whether an article at `place` (see [`TextIndex::covered`]) has its text in the index.
pub(super) fn holds_text(place: Option<(u32, u32)>) -> bool {
    place.is_some_and(|(segment, _)| segment != UNREADABLE)
}

/// The keys of the excluded terms of `query` that the index answers exactly.
fn excluded_keys(query: &Query) -> impl Iterator<Item = segment::Key> + '_ {
    query
        .terms
        .iter()
        .filter(|t| t.exclude)
        .filter_map(|t| segment::key_of_term(&t.folded))
}

/// What the index answers for a query it counts ([`TextIndex::counted`]).
#[derive(Debug, Default)]
pub struct Counted {
    /// The matching articles it covers and knows the counts of (library indices, in order),
    /// each with its hits per term of the query (0 for excluded terms).
    pub found: Vec<(usize, Hits)>,
    /// The articles to read, in order: those it does not cover (stale, new, unreadable when
    /// indexed), and those it covers that may match but whose counts it does not know (a
    /// three-character term whose bounds do not meet there).
    pub to_read: Vec<usize>,
}

/// One term's counts in the documents of a segment that may hold it, sorted by document: the
/// least and the greatest count (equal where the index knows it).
type Tally = Vec<(u32, u32, u32)>;

/// Per document of a list, each term's least and greatest count, `terms` in a row.
type Bounds = Vec<(u32, u32)>;

impl TextIndex {
    /// Whether the index counts `query` for the articles it covers ([`TextIndex::counted`]):
    /// every term, wanted or excluded, has a key ([`segment::key_of_term`]: one or two
    /// characters once folded, or ASCII letters and digits only) or is three different
    /// characters ([`segment::bounding_grams`]).
    pub fn answers(query: &Query) -> bool {
        query.terms.iter().all(|t| {
            segment::key_of_term(&t.folded).is_some()
                || segment::bounding_grams(&t.folded).is_some()
        })
    }

    /// The answer to `query` (for which [`TextIndex::answers`]) for the covered articles: the
    /// matching ones whose counts it knows, with each term's hits, and which articles are left
    /// to read. Without a three-character term, nothing it covers is left to read.
    pub fn counted(&self, query: &Query) -> io::Result<Counted> {
        let articles_of = self.articles_of_documents();
        let mut counted = Counted {
            to_read: self.uncovered().collect(),
            ..Counted::default()
        };
        // The segments on all cores, each answering for its documents.
        let per_segment = self
            .segments
            .par_iter()
            .zip(&articles_of)
            .map(|(segment, articles)| counted_in(segment, articles, query))
            .collect::<io::Result<Vec<Counted>>>()?;
        for part in per_segment {
            counted.found.extend(part.found);
            counted.to_read.extend(part.to_read);
        }
        counted
            .found
            .par_sort_unstable_by_key(|(article, _)| *article);
        counted.to_read.sort_unstable();
        Ok(counted)
    }

    /// Per segment, the article each document is (`u32::MAX`: none now).
    pub(super) fn articles_of_documents(&self) -> Vec<Vec<u32>> {
        let mut articles_of: Vec<Vec<u32>> = self
            .segments
            .iter()
            .map(|s| vec![u32::MAX; s.documents as usize])
            .collect();
        for (article, place) in self.covered.iter().enumerate() {
            if let Some((s, d)) = place
                && let Some(slot) = articles_of
                    .get_mut(*s as usize)
                    .and_then(|docs| docs.get_mut(*d as usize))
            {
                *slot = article as u32;
            }
        }
        articles_of
    }

    /// The articles the index does not hold the text of, in order.
    fn uncovered(&self) -> impl Iterator<Item = usize> + '_ {
        (self.covered.iter().enumerate())
            .filter(|(_, place)| !holds_text(**place))
            .map(|(article, _)| article)
    }
}

/// [`TextIndex::counted`] for the documents of one `segment`, which are the library's
/// `articles` (`u32::MAX`: none now).
fn counted_in(segment: &Segment, articles: &[u32], query: &Query) -> io::Result<Counted> {
    let terms = query.terms.len();
    let mut counted = Counted::default();
    // The wanted terms, rarest first: the running intersection only shrinks, and
    // once it is empty the other terms' postings are not read.
    let mut wanted = Vec::new();
    for (i, term) in query.terms.iter().enumerate().filter(|(_, t)| !t.exclude) {
        wanted.push((estimate(segment, &term.folded)?, i));
    }
    wanted.sort_unstable();
    // The documents that may hold every wanted term, with each term's bounds.
    let mut documents: Option<(Vec<u32>, Bounds)> = None;
    for (_, term) in wanted {
        let tally = tally(segment, &query.terms[term].folded)?;
        let (docs, bounds) = match documents.take() {
            None => {
                let mut bounds = vec![(0, 0); tally.len() * terms];
                for (at, &(_, low, high)) in tally.iter().enumerate() {
                    bounds[at * terms + term] = (low, high);
                }
                (tally.iter().map(|&(d, _, _)| d).collect(), bounds)
            }
            Some((docs, bounds)) => {
                let (mut kept_docs, mut kept_bounds) = (Vec::new(), Vec::new());
                let mut tally = tally.iter().peekable();
                for (at, &document) in docs.iter().enumerate() {
                    while tally.next_if(|(d, _, _)| *d < document).is_some() {}
                    if let Some(&&(d, low, high)) = tally.peek()
                        && d == document
                    {
                        kept_docs.push(document);
                        let from = kept_bounds.len();
                        kept_bounds.extend_from_slice(&bounds[at * terms..(at + 1) * terms]);
                        kept_bounds[from + term] = (low, high);
                    }
                }
                (kept_docs, kept_bounds)
            }
        };
        let none = docs.is_empty();
        documents = Some((docs, bounds));
        if none {
            break;
        }
    }
    // No wanted term: every document, none of the excluded ones.
    let (docs, bounds) = documents.unwrap_or_else(|| {
        let all: Vec<u32> = (0..segment.documents).collect();
        let bounds = vec![(0, 0); all.len() * terms];
        (all, bounds)
    });
    // Per document: 0 left out, 1 kept, 2 to read (an excluded term may be there).
    let mut keep = vec![1u8; docs.len()];
    for term in query.terms.iter().filter(|t| t.exclude) {
        if docs.is_empty() {
            break;
        }
        let tally = tally(segment, &term.folded)?;
        for (at, document) in docs.iter().enumerate() {
            if let Ok(found) = tally.binary_search_by_key(document, |&(d, _, _)| d) {
                let (_, low, high) = tally[found];
                if low > 0 {
                    keep[at] = 0;
                } else if high > 0 && keep[at] == 1 {
                    keep[at] = 2;
                }
            }
        }
    }
    for (at, document) in docs.into_iter().enumerate() {
        let article = articles.get(document as usize).copied().unwrap_or(u32::MAX);
        if keep[at] == 0 || article == u32::MAX {
            continue;
        }
        let bounds = &bounds[at * terms..(at + 1) * terms];
        if keep[at] == 2 || bounds.iter().any(|(low, high)| low != high) {
            counted.to_read.push(article as usize);
        } else {
            let hits = bounds.iter().map(|&(low, _)| low).collect();
            counted.found.push((article as usize, hits));
        }
    }
    Ok(counted)
}

/// How many documents of `segment` may hold a term the index counts, or more.
fn estimate(segment: &Segment, folded: &str) -> io::Result<u32> {
    match segment::key_of_term(folded) {
        Some(key) => segment.count(&key),
        None => match segment::bounding_grams(folded) {
            Some([ab, _, _]) => segment.count(&ab),
            None => Err(io::Error::other("a term the index cannot count")),
        },
    }
}

/// The counts in `segment` of a term the index counts ([`TextIndex::answers`]), for the
/// documents that may hold it.
fn tally(segment: &Segment, folded: &str) -> io::Result<Tally> {
    if let Some(key) = segment::key_of_term(folded) {
        return Ok(segment
            .counted_postings(&key)?
            .into_iter()
            .map(|(document, count)| (document, count, count))
            .collect());
    }
    let [ab, bc, b] = segment::bounding_grams(folded)
        .ok_or_else(|| io::Error::other("a term the index cannot count"))?;
    let (ab, bc, b) = (
        segment.counted_postings(&ab)?,
        segment.counted_postings(&bc)?,
        segment.counted_postings(&b)?,
    );
    // Every document holding `ab` and `bc` holds `b`: the three lists are walked together.
    let mut tally = Vec::new();
    let (mut bc, mut b) = (bc.iter().peekable(), b.iter().peekable());
    for &(document, nab) in &ab {
        while bc.next_if(|(d, _)| *d < document).is_some() {}
        while b.next_if(|(d, _)| *d < document).is_some() {}
        let nbc = bc.peek().filter(|(d, _)| *d == document).map(|(_, n)| *n);
        let nb = b.peek().filter(|(d, _)| *d == document).map(|(_, n)| *n);
        if let (Some(nbc), Some(nb)) = (nbc, nb) {
            let (low, high) = segment::bounds(nab, nbc, nb);
            tally.push((document, low, high));
        }
    }
    Ok(tally)
}

/// How [`open`] may change the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Bring it up to date if no other process is writing it, else take it as it is.
    Update,
    /// Bring it up to date, waiting for another writer to finish first (`folio index`).
    UpdateWaiting,
}

/// What [`open`] did, for the caller to tell the user.
#[derive(Debug, Default)]
pub struct Report {
    /// A note to print: the index found was damaged or from another version.
    pub trouble: Option<Trouble>,
    /// Articles read and indexed.
    pub indexed: usize,
    /// Set when the index could not be written: the error, to warn about once.
    pub unwritable: Option<CacheError>,
}

/// The index of the archive in `cache`, brought up to date for `articles` when `access`
/// allows and the lock can be had. `progress(done, total)` is called as articles are indexed.
/// `None` when there is no usable index at all (the caller scans every article).
pub fn open(
    cache: &CacheDir,
    articles: &dyn Catalog,
    access: Access,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Option<TextIndex>, Report) {
    let folder = cache.file(FOLDER);
    let mut report = Report::default();
    // The files' stamps, taken when something must be compared.
    let stamps = std::cell::OnceCell::new();
    let stamps = || stamps.get_or_init(|| articles.file_stamps()).as_slice();
    if let Some(index) = same_catalog(&folder, articles) {
        return (Some(index), report);
    }
    let found = read_manifest(&folder);
    if let Ok(manifest) = &found
        && let Ok((index, in_order)) = load_matched(&folder, manifest, articles, stamps())
        && is_fresh(manifest, &index, stamps())
    {
        // Named only when its entries are the articles', one each and in order (an index
        // written in `--sort`'s order stays unnamed, and is compared).
        if in_order && let Some(identity) = articles.cache_identity() {
            name_catalog(cache, &folder, articles, stamps(), identity);
        }
        return (Some(index), report);
    }
    let stamps = stamps();
    let lock = match access {
        Access::Update => cache.try_lock(),
        Access::UpdateWaiting => cache.lock().map(Some),
    };
    let lock = match lock {
        Ok(Some(lock)) => lock,
        Ok(None) => {
            // Another process is writing: the last complete state serves, whatever is stale is read.
            let index = found
                .ok()
                .and_then(|m| load(&folder, &m, articles, stamps).ok());
            return (index, report);
        }
        Err(err) => {
            report.unwritable = Some(err);
            let index = found
                .ok()
                .and_then(|m| load(&folder, &m, articles, stamps).ok());
            return (index, report);
        }
    };
    // Under the lock, read again: another process may have just finished an update.
    let found = read_manifest(&folder);
    let usable = match found {
        Ok(manifest) => match load(&folder, &manifest, articles, stamps) {
            Ok(index) => Some((manifest, index)),
            Err(_) => {
                report.trouble = Some(Trouble::Damaged);
                None
            }
        },
        Err(Some(trouble)) => {
            report.trouble = Some(trouble);
            None
        }
        Err(None) => None,
    };
    let written = update(&folder, articles, stamps, usable, progress, &mut report);
    drop(lock);
    match written {
        Ok(manifest) => match load(&folder, &manifest, articles, stamps) {
            Ok(index) => (Some(index), report),
            Err(_) => (None, report),
        },
        Err(err) => {
            report.unwritable = Some(CacheError {
                path: folder,
                reason: crate::warn::describe_io(&err),
            });
            (None, report)
        }
    }
}

/// The index in `folder` for `articles` without comparing a file, when they come from the
/// head cache file the manifest was written for (see the module's doc): only the manifest's
/// first part is read.
fn same_catalog(folder: &Path, articles: &dyn Catalog) -> Option<TextIndex> {
    let identity = articles.cache_identity()?;
    let places = read_places(folder).ok()?;
    if places.catalog != identity || places.places.len() != articles.len() {
        return None;
    }
    let segments = open_segments(folder, &places.segments).ok()?;
    let covered = places.places.into_iter().map(Some).collect();
    Some(TextIndex { segments, covered })
}

/// Gives a fresh index the identity of the head cache file `articles` come from, when the
/// lock can be had at once (else a later search does it).
fn name_catalog(
    cache: &CacheDir,
    folder: &Path,
    articles: &dyn Catalog,
    stamps: &[Option<Stamp>],
    identity: u64,
) {
    let Ok(Some(_lock)) = cache.try_lock() else {
        return;
    };
    // Under the lock, read again: another process may have just written it.
    let Ok(mut manifest) = read_manifest(folder) else {
        return;
    };
    // Fresh, and in the articles' order entry for entry: what `same_catalog` takes it to be.
    let named = load_matched(folder, &manifest, articles, stamps)
        .is_ok_and(|(index, in_order)| in_order && is_fresh(&manifest, &index, stamps));
    if named && manifest.catalog != identity {
        manifest.catalog = identity;
        let _ = write_manifest(folder, &manifest);
    }
}

/// True when the index covers every article that has a stamp (the others cannot be indexed:
/// they vanished or cannot be stat'ed) and holds nothing else.
fn is_fresh(manifest: &Manifest, index: &TextIndex, stamps: &[Option<Stamp>]) -> bool {
    let mut covered = 0;
    for (place, stamp) in index.covered.iter().zip(stamps) {
        match (place, stamp) {
            (Some(_), _) => covered += 1,
            (None, Some(_)) => return false,
            (None, None) => {}
        }
    }
    manifest.entries.len() == covered
}

fn path_bytes(articles: &dyn Catalog, i: usize) -> &[u8] {
    articles.relative_path(i).as_os_str().as_bytes()
}

fn segment_path(folder: &Path, id: u64) -> PathBuf {
    folder.join(format!("seg-{id}"))
}

/// Opens the segments of `manifest` and matches its entries to `articles`.
fn load(
    folder: &Path,
    manifest: &Manifest,
    articles: &dyn Catalog,
    stamps: &[Option<Stamp>],
) -> io::Result<TextIndex> {
    load_matched(folder, manifest, articles, stamps).map(|(index, _)| index)
}

/// [`load`], and whether every article was at its own entry (the entries are in the
/// articles' order, one each).
fn load_matched(
    folder: &Path,
    manifest: &Manifest,
    articles: &dyn Catalog,
    stamps: &[Option<Stamp>],
) -> io::Result<(TextIndex, bool)> {
    let segments = open_segments(folder, &manifest.segments)?;
    // The entries are in the order of the library that wrote them: while nothing was added,
    // removed or moved, each article is at its own entry (checked on all cores).
    let at_own_entry = |i: usize| -> Option<Option<(u32, u32)>> {
        let entry = manifest.entries.get(i)?;
        (manifest.path(entry) == path_bytes(articles, i))
            .then(|| (Some(entry.stamp) == stamps[i]).then_some((entry.segment, entry.document)))
    };
    let in_place: Option<Vec<_>> = (0..articles.len())
        .into_par_iter()
        .map(at_own_entry)
        .collect();
    if let Some(covered) = in_place {
        let one_each = manifest.entries.len() == articles.len();
        return Ok((TextIndex { segments, covered }, one_each));
    }
    // Else each article is looked for at the entry after the last one matched, and by path
    // only when that is not it.
    let mut by_path: Option<HashMap<&[u8], usize, foldhash::fast::RandomState>> = None;
    let mut next = 0;
    let covered = (0..articles.len())
        .zip(stamps)
        .map(|(i, stamp)| {
            let path = path_bytes(articles, i);
            let at = match manifest.entries.get(next) {
                Some(entry) if manifest.path(entry) == path => next,
                _ => *by_path
                    .get_or_insert_with(|| {
                        let entries = manifest.entries.iter().enumerate();
                        entries.map(|(i, e)| (manifest.path(e), i)).collect()
                    })
                    .get(path)?,
            };
            next = at + 1;
            let entry = &manifest.entries[at];
            (Some(entry.stamp) == *stamp).then_some((entry.segment, entry.document))
        })
        .collect();
    Ok((TextIndex { segments, covered }, false))
}

/// The `segments` a manifest names, open.
fn open_segments(folder: &Path, segments: &[SegmentInfo]) -> io::Result<Vec<Segment>> {
    segments
        .iter()
        .map(|s| Segment::open(&segment_path(folder, s.id), s.size))
        .collect()
}

/// Writes the new state of the index and returns its manifest.
fn update(
    folder: &Path,
    articles: &dyn Catalog,
    stamps: &[Option<Stamp>],
    usable: Option<(Manifest, TextIndex)>,
    progress: &(dyn Fn(usize, usize) + Sync),
    report: &mut Report,
) -> io::Result<Manifest> {
    fs::create_dir_all(folder)?;
    let (mut manifest, kept) = match usable {
        Some((manifest, index)) => {
            let live = index.covered_count();
            let total: u64 = manifest
                .segments
                .iter()
                .map(|s| u64::from(s.documents))
                .sum();
            let dead = total - live as u64;
            if dead * 3 > total || manifest.segments.len() >= MAX_SEGMENTS {
                (fresh_manifest(manifest.next_id), vec![None; articles.len()])
            } else {
                (manifest, index.covered)
            }
        }
        None => (fresh_manifest(0), vec![None; articles.len()]),
    };
    // By article, so that the manifest lists them in the library's order.
    let mut entries: Vec<Option<Entry>> = vec![None; articles.len()];
    let mut paths = Vec::new();
    let mut stale = Vec::new();
    for i in 0..articles.len() {
        match (kept[i], stamps[i]) {
            // An update reads again what could not be read last time (the cause may have
            // passed: a folder's permissions, too many open files); no search does.
            (Some((segment, document)), Some(stamp)) if segment != UNREADABLE => {
                entries[i] = Some(Entry {
                    path: Manifest::keep_path(&mut paths, path_bytes(articles, i)),
                    stamp,
                    segment,
                    document,
                })
            }
            (_, Some(_)) => stale.push(i),
            (_, None) => {}
        }
    }
    let total = stale.len();
    let mut builder = SegmentBuilder::default();
    let mut done = 0;
    for batch in stale.chunks(BATCH) {
        // A file that cannot be read now is kept as unreadable at its stamp: searches read
        // it, as they read every article the index does not cover.
        let grams: Vec<(usize, Option<Read>)> = batch
            .par_iter()
            .map_init(
                || (String::new(), Vec::new(), Vec::new(), Vec::new()),
                |(folded, scratch, grams, word_scratch), &i| {
                    let Ok(bytes) = fs::read(articles.article_file(i)) else {
                        return (i, None);
                    };
                    let text = decode::decode(&bytes);
                    folded.clear();
                    fold::fold_into(&text, folded);
                    segment::grams_of_text(folded, scratch, grams);
                    let mut words = segment::Words::default();
                    segment::words_of_text(folded, word_scratch, &mut words);
                    // The title as the bytes just read have it: the catalog's may be older
                    // than the file (the interface indexes with the titles it started with),
                    // and the index keeps this title under the stamp of these bytes.
                    let head = read::article_of_bytes(&bytes, articles.relative_path(i));
                    let title = match &head {
                        Ok(article) => article.title(),
                        Err(_) => articles.title(i),
                    };
                    let mut row = Vec::new();
                    sanitize::write_title_line(title, &articles.display_path(i), &mut row)
                        .expect("written to memory");
                    row.pop(); // the line break, which the segment adds
                    let read = Read {
                        grams: grams.clone(),
                        words,
                        title: fold::fold(title),
                        row,
                        size: bytes.len(),
                    };
                    (i, Some(read))
                },
            )
            .collect();
        for (i, read) in grams {
            let Some(read) = read else {
                entries[i] = Some(Entry {
                    path: Manifest::keep_path(&mut paths, path_bytes(articles, i)),
                    stamp: stamps[i].expect("stale articles have a stamp"),
                    segment: UNREADABLE,
                    document: 0,
                });
                continue;
            };
            if builder.text_bytes >= SEGMENT_TEXT {
                let full = std::mem::take(&mut builder);
                finish_segment(folder, &mut manifest, full)?;
            }
            let document = builder.add(&read.grams, &read.words, &read.title, &read.row, read.size);
            entries[i] = Some(Entry {
                path: Manifest::keep_path(&mut paths, path_bytes(articles, i)),
                stamp: stamps[i].expect("stale articles have a stamp"),
                segment: manifest.segments.len() as u32,
                document,
            });
        }
        done += batch.len();
        progress(done, total);
    }
    if !builder.is_empty() {
        finish_segment(folder, &mut manifest, builder)?;
    }
    report.indexed = total;
    let mut entries: Vec<Entry> = entries.into_iter().flatten().collect();
    // Drop segments no entry points to any more, renumbering the entries' segments.
    let mut used = vec![false; manifest.segments.len()];
    entries
        .iter()
        .filter(|e| e.segment != UNREADABLE)
        .for_each(|e| used[e.segment as usize] = true);
    let mut renumber = vec![0u32; used.len()];
    let mut segments = Vec::new();
    for (old, info) in manifest.segments.iter().enumerate() {
        if used[old] {
            renumber[old] = segments.len() as u32;
            segments.push(info.clone());
        }
    }
    entries
        .iter_mut()
        .filter(|e| e.segment != UNREADABLE)
        .for_each(|e| e.segment = renumber[e.segment as usize]);
    manifest.segments = segments;
    manifest.entries = entries;
    manifest.paths = paths;
    // The entries are in the articles' order: when they come from a head cache file, the
    // next search from it needs nothing compared.
    manifest.catalog = articles.cache_identity().unwrap_or(0);
    write_manifest(folder, &manifest)?;
    remove_unused_segments(folder, &manifest);
    Ok(manifest)
}

fn finish_segment(
    folder: &Path,
    manifest: &mut Manifest,
    builder: SegmentBuilder,
) -> io::Result<()> {
    let id = manifest.next_id;
    manifest.next_id += 1;
    let documents = builder.len();
    let size = builder.write(&segment_path(folder, id))?;
    manifest.segments.push(SegmentInfo {
        id,
        size,
        documents,
    });
    Ok(())
}

/// Deletes the segment files `manifest` does not name (older states, killed builds).
fn remove_unused_segments(folder: &Path, manifest: &Manifest) {
    for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(id) = name
            .to_str()
            .and_then(|n| n.strip_prefix("seg-"))
            .and_then(|n| n.parse::<u64>().ok())
        else {
            continue;
        };
        if !manifest.segments.iter().any(|s| s.id == id) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
