//! Full-text search off the UI thread (the list's text mode): a worker that keeps its own copy
//! of the articles (made when text mode is first used, and only what a search reads), answers [`TextRequest`]s with `find::text`'s search (the one `folio search`
//! runs, so the results and their order are the same), skips requests already replaced, stops
//! a search early when the query changes under it, and builds or updates the archive's text
//! index on a thread of its own. Until the index is ready the searches read every article in
//! parallel; then a query of terms of one or two characters or of ASCII letters and digits only
//! is answered by the index alone (only the rows' best lines are read), one of three different
//! characters wherever their pairs settle the count, and another reads the index's candidates.
//!
//! An answer carries the best matching line of its first rows only (a screen's worth): finding
//! the lines means reading each article again for the places of its hits, which for a term most
//! articles hold costs more than the search itself. The rest follow in pieces ([`Lined`]),
//! between which the worker looks for newer work.
//!
//! The requests and answers are plain data, defined here: the interface's state (`app`) makes
//! the requests and takes the answers without knowing a thread exists.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::archive::article::{Article, Fields};
use crate::archive::library::Library;
use crate::cache::CacheDir;
use rayon::prelude::*;

use crate::archive::decode;
use crate::find::text;
use crate::find::text::examine::{self, Detail, Hit, Scratch};
use crate::find::text::index::{self, Access, TextIndex};
use crate::find::text::query::Query;

/// A full-text search to run over the worker's articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRequest {
    /// Which ordering of the articles the indices refer to (changes when indexing ends).
    pub epoch: u64,
    /// Increases each time the query changes: an answer for an older one is not wanted.
    pub generation: u64,
    /// The query, as `folio search` reads it (an empty one only starts the index).
    pub query: String,
}

/// The line of an article that best matches a query, cut around its first hit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BestLine {
    /// Its number in the file, from 1.
    pub line: usize,
    /// Its text from a little before the first hit (as in the file: not yet made safe).
    pub text: String,
    /// The hits in `text`, as char indices.
    pub hits: Vec<usize>,
}

/// One matching article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRow {
    /// Its index among the articles.
    pub article: usize,
    /// The line to show under its title.
    pub best: BestLine,
}

/// The answer to a [`TextRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Searched {
    /// The request's epoch.
    pub epoch: u64,
    /// The query searched for.
    pub query: String,
    /// The matching articles: best first (the order of `folio search`) when `done`; while
    /// the search runs, those found so far in the library's order.
    pub rows: Vec<TextRow>,
    /// How many articles (from the first) are searched.
    pub covered: usize,
    /// False for what a running search found so far: its final answer follows.
    pub done: bool,
}

/// More best lines for the rows of a [`Searched`] answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lined {
    /// The answer's epoch.
    pub epoch: u64,
    /// The answer's query.
    pub query: String,
    /// The answer's count of articles searched (an answer for the same query over fewer or
    /// more articles has other rows).
    pub covered: usize,
    /// The first row they are for.
    pub from: usize,
    /// The best lines of rows `from..`, in order.
    pub lines: Vec<BestLine>,
}

/// Where the text index stands, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexNews {
    /// Being built or updated: `done` of `total` articles read.
    Building {
        /// Articles indexed so far.
        done: usize,
        /// Articles to index.
        total: usize,
    },
    /// Ready: searches read only its candidates (none for short terms) from now on.
    Ready,
    /// No index (the cache cannot be written): searches read every article. The note says
    /// why, when there is something to say.
    Unavailable(Option<String>),
    /// A note about the index found (damaged, another version): it is being rebuilt.
    Note(String),
}

/// What the worker sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextNews {
    /// A search is done.
    Searched(Searched),
    /// More of its rows' best lines.
    Lined(Lined),
    /// The index moved on.
    Index(IndexNews),
}

/// What the worker is told.
enum Job {
    /// The articles so far (text mode is used for the first time), and whether they are in
    /// their final order already (indexing ended).
    Load(Vec<Article>, bool),
    /// New articles at the end, in found order.
    Append(Vec<Article>),
    /// The same articles in a new order (indexing ended): position `i` takes article
    /// `order[i]`. The index may be built from then on.
    Reorder(Vec<usize>),
    /// Search and send the answer back.
    Search(TextRequest),
    /// The index is open (from the builder thread).
    Opened(Option<TextIndex>),
    /// Article `index` was edited: the index no longer speaks for it.
    Edited(usize),
}

/// The UI thread's handle on the text search worker.
pub struct Searcher {
    jobs: Sender<Job>,
    latest: Arc<AtomicU64>,
    /// The worker has its copy of the articles (text mode was used).
    loaded: std::cell::Cell<bool>,
}

/// Where the answers go, from the worker's thread and the builder's.
type Answer = Arc<dyn Fn(TextNews) + Send + Sync>;

impl Searcher {
    /// Starts the worker for the archive at `root`. Each answer is passed to `answer`, on a
    /// worker's thread.
    pub fn spawn(root: &Path, answer: impl Fn(TextNews) + Send + Sync + 'static) -> Searcher {
        let (jobs, inbox) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let worker = Worker {
            library: Library {
                root: root.to_path_buf(),
                articles: Vec::new(),
                skipped: Vec::new(),
                stamps: Vec::new(),
            },
            index: None,
            ordered: false,
            wanted: false,
            started: false,
            to_self: jobs.clone(),
            answer: Arc::new(answer),
            fill: None,
            edited: Vec::new(),
        };
        let seen = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("folio-searcher".into())
            .spawn(move || worker.work(&inbox, &seen))
            .expect("cannot start the search thread");
        Searcher {
            jobs,
            latest,
            loaded: std::cell::Cell::new(false),
        }
    }

    /// Gives the worker its copy of `articles` (in their final order when `ordered`), the
    /// first time only: until text mode is used, the worker holds no article. Sharing the
    /// interface's articles instead would mean changing the engine's `Library` (which owns
    /// them, and which `folio search` uses) or the interface's; the copy keeps only the path
    /// and title a search reads, the metadata left out.
    pub fn load(&self, articles: &[Article], ordered: bool) {
        if !self.loaded.replace(true) {
            let _ = self.jobs.send(Job::Load(slim(articles), ordered));
        }
    }

    /// Adds articles at the end of the worker's list (once it has one).
    pub fn append(&self, articles: &[Article]) {
        if self.loaded.get() {
            let _ = self.jobs.send(Job::Append(slim(articles)));
        }
    }

    /// Reorders the worker's list as the articles were: position `i` takes article `order[i]`.
    pub fn reorder(&self, order: Vec<usize>) {
        if self.loaded.get() {
            let _ = self.jobs.send(Job::Reorder(order));
        }
    }

    /// Asks for a search; requests for older queries still waiting are dropped.
    pub fn search(&self, request: TextRequest) {
        self.latest.fetch_max(request.generation, Ordering::Relaxed);
        let _ = self.jobs.send(Job::Search(request));
    }

    /// Article `index` (in the final order) was edited: it is read again by every search.
    pub fn edited(&self, index: usize) {
        let _ = self.jobs.send(Job::Edited(index));
    }
}

/// What a search reads of `articles`: where each file is, and its title.
fn slim(articles: &[Article]) -> Vec<Article> {
    articles
        .iter()
        .map(|article| {
            let Fields {
                path,
                title,
                raw_path,
                ..
            } = article.fields();
            Article::new(Fields {
                path,
                title,
                raw_path,
                ..Fields::default()
            })
        })
        .collect()
}

struct Worker {
    library: Library,
    index: Option<TextIndex>,
    /// The articles are in their final order (indexing ended).
    ordered: bool,
    /// Text mode was used: the index is wanted.
    wanted: bool,
    /// The index build was started.
    started: bool,
    to_self: Sender<Job>,
    answer: Answer,
    /// The best lines still to find for the last answer.
    fill: Option<Fill>,
    /// Articles edited in this session: an index opened later (its build took their stamps
    /// before the edit) does not speak for them either.
    edited: Vec<usize>,
}

/// The rows of an answer whose best lines are still to be found.
pub struct Fill {
    request: TextRequest,
    covered: usize,
    query: Query,
    articles: Vec<usize>,
    from: usize,
}

/// Rows whose best lines are found between two looks for newer work.
const LINES_CHUNK: usize = 256;

/// Article `article` is read by every search: the index no longer speaks for it.
fn uncover(index: &mut Option<TextIndex>, article: usize) {
    if let Some(place) = index
        .as_mut()
        .and_then(|index| index.covered.get_mut(article))
    {
        *place = None;
    }
}

impl Worker {
    fn work(mut self, inbox: &Receiver<Job>, latest: &AtomicU64) {
        loop {
            // With best lines still to find, only a look at what is waiting.
            let job = if self.fill.is_some() {
                match inbox.try_recv() {
                    Ok(job) => Some(job),
                    Err(mpsc::TryRecvError::Empty) => None,
                    Err(mpsc::TryRecvError::Disconnected) => return,
                }
            } else {
                match inbox.recv() {
                    Ok(job) => Some(job),
                    Err(_) => return,
                }
            };
            let mut request = job.and_then(|job| self.take(job));
            // Whatever else is waiting comes first: articles to take, and newer requests that
            // make this one pointless.
            while let Ok(job) = inbox.try_recv() {
                if let Some(newer) = self.take(job) {
                    request = Some(newer);
                }
            }
            self.start_index();
            let stale = |generation: u64| latest.load(Ordering::Relaxed) > generation;
            if let Some(request) = request {
                self.fill = None;
                if stale(request.generation) {
                    continue; // a newer query is on its way
                }
                let cancelled = || stale(request.generation);
                let index = self.index.as_ref();
                let answer = Arc::clone(&self.answer);
                let mut publish = |so_far| answer(TextNews::Searched(so_far));
                if let Some((searched, fill)) =
                    search_until(&self.library, index, &request, &cancelled, &mut publish)
                {
                    (self.answer)(TextNews::Searched(searched));
                    self.fill = fill;
                }
            } else if let Some(mut fill) = self.fill.take() {
                if stale(fill.request.generation) {
                    continue;
                }
                let end = (fill.from + LINES_CHUNK).min(fill.articles.len());
                let lines = best_lines(&self.library, &fill.query, &fill.articles[fill.from..end]);
                (self.answer)(TextNews::Lined(Lined {
                    epoch: fill.request.epoch,
                    query: fill.request.query.clone(),
                    covered: fill.covered,
                    from: fill.from,
                    lines,
                }));
                fill.from = end;
                if end < fill.articles.len() {
                    self.fill = Some(fill);
                }
            }
        }
    }

    /// Applies a job; a search request is handed back.
    fn take(&mut self, job: Job) -> Option<TextRequest> {
        match job {
            Job::Load(articles, ordered) => {
                self.library.articles = articles;
                self.ordered = ordered;
            }
            Job::Append(more) => self.library.articles.extend(more),
            Job::Reorder(order) => {
                self.fill = None; // its article indices are for the old order
                let mut old: Vec<Option<Article>> = std::mem::take(&mut self.library.articles)
                    .into_iter()
                    .map(Some)
                    .collect();
                self.library.articles = order.iter().filter_map(|&i| old[i].take()).collect();
                self.ordered = true;
                let mut new_of_old = vec![usize::MAX; order.len()];
                for (new, &old) in order.iter().enumerate() {
                    new_of_old[old] = new;
                }
                self.edited = self
                    .edited
                    .iter()
                    .filter_map(|&old| new_of_old.get(old).copied())
                    .collect();
            }
            Job::Search(request) => {
                self.wanted = true;
                return Some(request);
            }
            Job::Opened(index) => {
                self.index = index;
                for &article in &self.edited {
                    uncover(&mut self.index, article);
                }
            }
            Job::Edited(article) => {
                self.edited.push(article);
                uncover(&mut self.index, article);
            }
        }
        None
    }

    /// Starts building or updating the index on a thread of its own, once text mode was used
    /// and the articles are in their final order (the index's places refer to it).
    fn start_index(&mut self) {
        if self.started || !self.wanted || !self.ordered {
            return;
        }
        self.started = true;
        let root = self.library.root.clone();
        let articles = self.library.articles.clone();
        let to_worker = self.to_self.clone();
        let answer = Arc::clone(&self.answer);
        let spawned = std::thread::Builder::new()
            .name("folio-text-index".into())
            .spawn(move || {
                let index = build(root, articles, &answer);
                let _ = to_worker.send(Job::Opened(index));
            });
        if spawned.is_err() {
            (self.answer)(TextNews::Index(IndexNews::Unavailable(Some(
                "cannot start the text index; reading every article".into(),
            ))));
        }
    }
}

/// How often the builder says how far it got.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Opens the archive's text index, building or updating it as `folio search` does, telling
/// `answer` how far it got; `None` when there is no index to use.
fn build(root: PathBuf, articles: Vec<Article>, answer: &Answer) -> Option<TextIndex> {
    let cache = match CacheDir::open(&root) {
        Ok(cache) => cache,
        Err(err) => {
            // What it means first: a long path may not fit the status line.
            answer(TextNews::Index(IndexNews::Unavailable(Some(format!(
                "no text index, reading every article: {err}"
            )))));
            return None;
        }
    };
    let library = Library {
        root,
        articles,
        skipped: Vec::new(),
        stamps: Vec::new(),
    };
    let last = Mutex::new(Instant::now());
    let progress = |done: usize, total: usize| {
        let Ok(mut last) = last.lock() else { return };
        if last.elapsed() >= PROGRESS_EVERY {
            *last = Instant::now();
            answer(TextNews::Index(IndexNews::Building { done, total }));
        }
    };
    let (index, report) = index::open(&cache, &library, Access::Update, &progress);
    if let Some(trouble) = report.trouble {
        answer(TextNews::Index(IndexNews::Note(trouble.note().to_string())));
    }
    answer(TextNews::Index(match (&index, report.unwritable) {
        (_, Some(err)) => {
            IndexNews::Unavailable(Some(format!("the text index is not updated: {err}")))
        }
        (Some(_), None) => IndexNews::Ready,
        (None, None) => IndexNews::Unavailable(None),
    }));
    index
}

/// Runs `request` over `library` (through `index` where it has one): `None` for a query with
/// no term. The same search, and order, as `folio search`; the first rows' best lines found.
pub fn search(
    library: &Library,
    index: Option<&TextIndex>,
    request: &TextRequest,
) -> Option<Searched> {
    search_until(library, index, request, &|| false, &mut |_| {}).map(|(searched, _)| searched)
}

/// Rows of an answer that come with their best lines: what a tall list pane shows (the rest
/// follow in [`Fill`]s). The lines of the rows with the most hits cost the most to find: for a
/// term in every article, more rows here would hold the ranked answer back for lines no screen
/// shows yet.
const FIRST_LINES: usize = SCREEN;
/// Candidates read before the first look at what was found: few enough to be read within a
/// frame, so that a term most articles hold shows its first screen at once.
const FIRST_PIECE: usize = 48;
/// The most candidates read between two looks for a newer query (the pieces double up to it).
const LAST_PIECE: usize = 4_096;
/// Rows the index answers for that are ranked before any is shown: fewer are ranked, with
/// their best lines, well within a frame.
const RANK_AT_ONCE: usize = 8_192;
/// Rows that fill a tall list pane: provisional rows are published after every piece until
/// this many are found.
const SCREEN: usize = 64;
/// How long provisional rows are kept before the next ones are published: often enough for
/// the count to be seen growing, rarely enough not to keep the interface busy.
const PUBLISH_EVERY: Duration = Duration::from_millis(50);

/// [`search`], given up (`None`) when `cancelled` says so before the end; with the rows whose
/// best lines are still to be found.
///
/// The candidates are read in pieces, in the library's order; after a piece, what was found so
/// far goes to `publish` (a [`Searched`] not `done`): its rows in the library's order, the
/// first [`FIRST_LINES`] with their best lines. The library's order because it only grows at
/// the bottom: a row on screen stays where it is while the search runs, and the reader's
/// cursor with it. The final answer (`folio search`'s order, which needs every result's
/// counts) then replaces the rows; the list keeps a row the reader chose under the cursor
/// (`app::list`), and an unchosen selection stays on the top row, the best match.
pub fn search_until(
    library: &Library,
    index: Option<&TextIndex>,
    request: &TextRequest,
    cancelled: &(dyn Fn() -> bool + Sync),
    publish: &mut dyn FnMut(Searched),
) -> Option<(Searched, Option<Fill>)> {
    search_ranking_at_once(library, index, request, cancelled, publish, RANK_AT_ONCE)
}

/// [`search_until`], where an index's answer of more than `rank_at_once` rows shows rows in the
/// library's order before it is ranked.
fn search_ranking_at_once(
    library: &Library,
    index: Option<&TextIndex>,
    request: &TextRequest,
    cancelled: &(dyn Fn() -> bool + Sync),
    publish: &mut dyn FnMut(Searched),
    rank_at_once: usize,
) -> Option<(Searched, Option<Fill>)> {
    let query = Query::parse(&request.query).ok()?;
    // What the index answers alone (every term of one or two characters or a word's letters
    // and digits: all it covers) is known at once; the rest is read.
    let plan = text::plan(library, &query, index)
        .or_else(|_| text::plan(library, &query, None))
        .ok()?;
    // Counts only, as `folio search` prints titles: the places come with the best lines.
    let detail = Detail::Counts;
    let to_read = plan.to_read;
    let mut found: Vec<text::Found> = plan.known;
    // Best lines already found, by article: the final answer's first rows reuse them.
    let mut known: Vec<(usize, BestLine)> = Vec::new();
    let mut read = 0;
    let mut piece = FIRST_PIECE;
    // When rows were last published, and how many.
    let mut published: Option<(Instant, usize)> = None;
    let answer = |rows: Vec<TextRow>, done: bool| Searched {
        epoch: request.epoch,
        query: request.query.clone(),
        rows,
        covered: library.articles.len(),
        done,
    };
    // Many rows answered by the index: ranking them and finding the best lines of the best
    // (the articles with the most hits, the largest) takes more than a frame, so the rows go
    // first in the library's order, as a search that reads them would show them.
    if found.len() > rank_at_once {
        publish_so_far(library, &query, &found, &mut known, &mut |rows| {
            publish(answer(rows, false))
        });
        published = Some((Instant::now(), found.len()));
        if cancelled() {
            return None;
        }
    }
    while read < to_read.len() {
        let end = (read + piece).min(to_read.len());
        let articles = &to_read[read..end];
        if known.len() == found.len() && known.len() < FIRST_LINES {
            // The first rows: read once for their counts and their best lines together.
            for (f, line) in examine_lined(library, &query, articles, cancelled) {
                found.push(f);
                known.push((line.0, line.1));
            }
        } else {
            found.extend(text::examine_all(
                library, &query, articles, detail, cancelled,
            ));
        }
        if cancelled() {
            return None;
        }
        read = end;
        piece = (piece * 2).min(LAST_PIECE);
        if read == to_read.len() {
            break; // the final answer follows at once
        }
        // Until a screen is full, each piece that found more is shown; then now and then.
        let due = match published {
            None => !found.is_empty(),
            Some((_, rows)) if rows < SCREEN => found.len() > rows,
            Some((at, _)) => at.elapsed() >= PUBLISH_EVERY,
        };
        if due {
            publish_so_far(library, &query, &found, &mut known, &mut |rows| {
                publish(answer(rows, false))
            });
            published = Some((Instant::now(), found.len()));
        }
    }
    text::rank(library, &query, index, &mut found);
    let articles: Vec<usize> = found.iter().map(|f| f.article).collect();
    let first = FIRST_LINES.min(articles.len());
    known.sort_unstable_by_key(|(article, _)| *article);
    let missing: Vec<usize> = articles[..first]
        .iter()
        .copied()
        .filter(|a| {
            known
                .binary_search_by_key(a, |(article, _)| *article)
                .is_err()
        })
        .collect();
    let mut fresh = best_lines(library, &query, &missing).into_iter();
    let rows = articles
        .iter()
        .enumerate()
        .map(|(row, &article)| {
            let best = if row >= first {
                BestLine::default()
            } else {
                match known.binary_search_by_key(&article, |(a, _)| *a) {
                    Ok(at) => known[at].1.clone(),
                    Err(_) => fresh.next().unwrap_or_default(),
                }
            };
            TextRow { article, best }
        })
        .collect();
    let searched = answer(rows, true);
    let fill = (first < articles.len()).then(|| Fill {
        request: request.clone(),
        covered: library.articles.len(),
        query,
        articles,
        from: first,
    });
    Some((searched, fill))
}

/// Hands `publish` the rows of `found` (the library's order), the first [`FIRST_LINES`] with
/// their best lines: those in `known` (by row), the others found now and added to it.
fn publish_so_far(
    library: &Library,
    query: &Query,
    found: &[text::Found],
    known: &mut Vec<(usize, BestLine)>,
    publish: &mut dyn FnMut(Vec<TextRow>),
) {
    let lined = known.len();
    let wanted = FIRST_LINES.min(found.len());
    if lined < wanted {
        let articles: Vec<usize> = found[lined..wanted].iter().map(|f| f.article).collect();
        known.extend(
            articles
                .iter()
                .copied()
                .zip(best_lines(library, query, &articles)),
        );
    }
    let rows = found
        .iter()
        .enumerate()
        .map(|(row, f)| TextRow {
            article: f.article,
            best: known
                .get(row)
                .map(|(_, line)| line.clone())
                .unwrap_or_default(),
        })
        .collect();
    publish(rows);
}

/// The articles of `articles` that match `query`, in order, each with its best line: as
/// `find::text::examine_all` gives them (the same counts), read once.
fn examine_lined(
    library: &Library,
    query: &Query,
    articles: &[usize],
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Vec<(text::Found, (usize, BestLine))> {
    articles
        .par_iter()
        .filter(|_| !cancelled())
        .map_init(Scratch::default, |scratch, &index| {
            let article = &library.articles[index];
            let bytes = std::fs::read(library.file_path(article)).ok()?;
            let text = decode::decode(&bytes);
            let examined = examine::examine(&text, query, Detail::Places, scratch)?;
            let best = best_line(&text, &examined.places, article.title());
            let found = text::Found {
                article: index,
                hits: examined.hits.iter().sum(),
                term_hits: examined.hits,
                placed: None,
                read: true,
                score: 0.0,
            };
            Some((found, (index, best)))
        })
        .flatten()
        .collect()
}

/// The best matching line of each of `articles` (empty for one that cannot be read now), read
/// on all cores.
fn best_lines(library: &Library, query: &Query, articles: &[usize]) -> Vec<BestLine> {
    articles
        .par_iter()
        .map_init(Scratch::default, |scratch, &index| {
            let article = &library.articles[index];
            let Ok(bytes) = std::fs::read(library.file_path(article)) else {
                return BestLine::default();
            };
            let text = decode::decode(&bytes);
            match examine::examine(&text, query, Detail::Places, scratch) {
                Some(examined) => best_line(&text, &examined.places, article.title()),
                None => BestLine::default(),
            }
        })
        .collect()
}

/// Chars kept before a line's first hit, so that it shows with what leads to it.
const BEFORE_HIT: usize = 12;
/// Bytes kept of a line: a row never shows more, and a line can be a megabyte.
const LINE_BYTES: usize = 600;

/// The line of `text` with the most of the query's terms among `places` (then the most hits;
/// the first of equals), cut to start a little before its first hit. A line holding the whole
/// `title` (its heading, its front matter) comes after every other: the row shows the title
/// already.
pub fn best_line(text: &str, places: &[Hit], title: &str) -> BestLine {
    let line_of = |hit: &Hit| {
        let rest = &text[hit.line_start.min(text.len())..];
        let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        rest[..end].strip_suffix('\r').unwrap_or(&rest[..end])
    };
    // (says more than the title, terms, hits, the line's first hit)
    let mut best: Option<(bool, usize, usize, usize)> = None;
    let mut at = 0;
    while at < places.len() {
        let line = places[at].line;
        let end = at + places[at..].iter().take_while(|h| h.line == line).count();
        let mut terms: Vec<usize> = places[at..end].iter().map(|h| h.term).collect();
        terms.sort_unstable();
        terms.dedup();
        let says_more = title.is_empty() || !line_of(&places[at]).contains(title);
        let score = (says_more, terms.len(), end - at, at);
        if best.is_none_or(|(r, t, h, _)| (score.0, score.1, score.2) > (r, t, h)) {
            best = Some(score);
        }
        at = end;
    }
    let Some((_, _, _, first_place)) = best else {
        return BestLine::default();
    };
    let line = places[first_place].line;
    let text = line_of(&places[first_place]);
    let hits: Vec<(usize, usize)> = places[first_place..]
        .iter()
        .take_while(|h| h.line == line)
        .filter(|h| h.column + h.len <= text.len())
        .map(|h| (h.column, h.column + h.len))
        .collect();
    let first = hits.first().map_or(0, |h| h.0);
    // A little before the first hit, at a char boundary; leading blanks dropped.
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(BEFORE_HIT - 1)
        .map_or(0, |(i, _)| i);
    let start = start + (text[start..first].len() - text[start..first].trim_start().len());
    let mut end = (start + LINE_BYTES).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let kept = &text[start..end];
    let mut chars = Vec::new();
    for (index, (byte, _)) in kept.char_indices().enumerate() {
        let byte = start + byte;
        if hits.iter().any(|&(from, to)| byte >= from && byte < to) {
            chars.push(index);
        }
    }
    BestLine {
        line,
        text: kept.to_string(),
        hits: chars,
    }
}

#[cfg(test)]
#[path = "searcher_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "searcher_streaming_tests.rs"]
mod streaming;
