//! Ranking off the UI thread: a worker that keeps its own copy of the titles and answers
//! [`RankRequest`]s, skipping requests already replaced and stopping a ranking early when the
//! query changes under it. The requests and answers are plain data, defined here: the
//! interface's state (`app`) makes the requests and takes the answers without knowing a
//! thread exists.
//!
//! A million titles take longer than a frame to rank, so a ranking answers twice: first the
//! best matches among the titles scored so far, as soon as they fill a screen, then the whole
//! answer (the order `folio find` gives).

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use rayon::slice::ParallelSliceMut;

use crate::archive::article::Article;
use crate::find::titles::{Match, Matcher, Titles};

/// A ranking to run: the query over the ranker's titles, or only over some of them.
#[derive(Debug, Clone, PartialEq)]
pub struct RankRequest {
    /// Which ordering of the articles the indices refer to (changes when indexing ends).
    pub epoch: u64,
    /// Increases each time the query changes: a ranking for an older one may stop early.
    pub generation: u64,
    /// The query to rank by (never empty of terms).
    pub query: String,
    /// When the query extends an earlier one: that query's matches and how many titles it
    /// covered; only those matches and the titles after `covered` need scoring.
    pub base: Option<(Arc<Vec<Match>>, usize)>,
}

/// The answer to a [`RankRequest`].
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The request's epoch.
    pub epoch: u64,
    /// The query ranked by.
    pub query: String,
    /// The matches, best first: shared by the list that shows them and the worker that
    /// settles them (a first keystroke matches nearly every title).
    pub matches: Arc<Vec<Match>>,
    /// How many titles (from the first) were considered.
    pub covered: usize,
    /// False for an early answer: the best among the titles scored so far, which the whole
    /// answer replaces.
    pub complete: bool,
}

/// How many candidates the first look scores: few enough to be scored well within a frame,
/// enough that a short query has a screen of matches among them.
const FIRST_LOOK: usize = 1024;

/// Enough matches to fill the list on any screen: an early answer is sent once there are as
/// many, or once [`EARLY_AFTER`] has passed with some.
const SCREENFUL: usize = 200;

/// How long a ranking goes without showing anything when it has matches to show.
const EARLY_AFTER: Duration = Duration::from_millis(8);

/// What the worker is told.
enum Job {
    /// New articles at the end, in found order: their titles and original titles.
    Append(Vec<Article>),
    /// The same titles in a new order (indexing ended): position `i` takes title `order[i]`.
    Reorder(Vec<usize>),
    /// Rank and send the answer back.
    Rank(RankRequest),
}

/// The UI thread's handle on the ranking worker.
pub struct Ranker {
    jobs: Sender<Job>,
    latest: Arc<AtomicU64>,
}

impl Ranker {
    /// Starts the worker; each answer is passed to `answer` (on the worker's thread).
    pub fn spawn(answer: impl Fn(Ranked) + Send + 'static) -> Ranker {
        let (jobs, inbox) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("folio-ranker".into())
            .spawn(move || work(&inbox, &seen, answer))
            .expect("cannot start the ranking thread");
        Ranker { jobs, latest }
    }

    /// Adds the titles of `articles` (each with its original title) at the end of the
    /// worker's list; the articles share their text with the caller's (no copy).
    pub fn append(&self, articles: Vec<Article>) {
        let _ = self.jobs.send(Job::Append(articles));
    }

    /// Reorders the worker's list as the articles were: position `i` takes title `order[i]`.
    pub fn reorder(&self, order: Vec<usize>) {
        let _ = self.jobs.send(Job::Reorder(order));
    }

    /// Asks for a ranking; a ranking running for an older query stops early.
    pub fn rank(&self, request: RankRequest) {
        self.latest.fetch_max(request.generation, Ordering::Relaxed);
        let _ = self.jobs.send(Job::Rank(request));
    }
}

/// How many waiting titles are prepared at a time between two looks at the inbox: a key
/// typed while a million titles are being prepared waits for one slice, not for all of them.
const SLICE: usize = 8 * 1024;

/// The worker's titles: those prepared, then those given but not prepared yet.
#[derive(Default)]
struct Shelf {
    prepared: Titles,
    /// The articles whose titles come after `prepared`'s, in order.
    waiting: VecDeque<Article>,
    /// The last whole answer given while titles were waiting, and its request: ranked again,
    /// from that answer, as more titles are prepared, so that its count settles.
    last: Option<(RankRequest, Ranked)>,
}

impl Shelf {
    /// Takes a job that is not a ranking; gives back a ranking.
    fn take(&mut self, job: Job) -> Option<RankRequest> {
        match job {
            Job::Append(more) => {
                self.waiting.extend(more);
                self.prepared.reserve(self.waiting.len());
            }
            Job::Reorder(order) => self.reorder(&order),
            Job::Rank(request) => return Some(request),
        }
        None
    }

    /// Position `i` takes title `order[i]`. Titles not prepared yet are reordered as they
    /// wait; once some are prepared, every waiting title is prepared first (the rows move, not
    /// the titles), so an archive given whole is given in its final order instead.
    fn reorder(&mut self, order: &[usize]) {
        if order.iter().enumerate().all(|(i, &old)| i == old) {
            return;
        }
        if self.prepared.is_empty() {
            let mut waiting: Vec<Option<Article>> = self.waiting.drain(..).map(Some).collect();
            self.waiting = order
                .iter()
                .filter_map(|&old| waiting[old].take())
                .collect();
        } else {
            self.prepare(usize::MAX);
            self.prepared = std::mem::take(&mut self.prepared).reordered(order);
        }
        self.last = None;
    }

    /// Prepares up to `count` waiting titles; false when none were waiting.
    fn prepare(&mut self, count: usize) -> bool {
        let count = count.min(self.waiting.len());
        let slice: Vec<Article> = self.waiting.drain(..count).collect();
        // The queue of a whole archive is given back as it empties, so that it and the
        // prepared titles that replace it are not both held whole.
        if self.waiting.capacity() > 4 * self.waiting.len().max(SLICE) {
            self.waiting.shrink_to_fit();
        }
        self.prepared.extend_in_parallel(&slice, |titles, article| {
            titles.push_with(article.title(), article.original_title().as_deref());
        });
        count > 0
    }

    /// The last answer ranked again over the titles prepared since, when it covers at most
    /// half of them or nothing is waiting any more (a few answers, not one per slice).
    fn settle(&mut self, latest: &AtomicU64) -> Option<Ranked> {
        let (request, ranked) = self.last.take()?;
        let now = self.prepared.len();
        if ranked.covered >= now || (!self.waiting.is_empty() && ranked.covered * 2 > now) {
            self.last = Some((request, ranked));
            return None;
        }
        let again = RankRequest {
            base: Some((ranked.matches, ranked.covered)),
            ..request.clone()
        };
        let cancelled = || latest.load(Ordering::Relaxed) > again.generation;
        let settled = rank(&self.prepared, &again, cancelled, |_| {})?;
        Some(self.remember(request, settled))
    }

    /// Keeps a copy of `ranked`, the answer to `request`, to settle while titles wait (none
    /// once it covers every title given); gives `ranked` back.
    fn remember(&mut self, request: RankRequest, ranked: Ranked) -> Ranked {
        let given = self.prepared.len() + self.waiting.len();
        self.last = (ranked.covered < given).then(|| (request, ranked.clone()));
        ranked
    }
}

fn work(inbox: &Receiver<Job>, latest: &AtomicU64, answer: impl Fn(Ranked)) {
    let mut shelf = Shelf::default();
    loop {
        let job = if shelf.waiting.is_empty() {
            match inbox.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        } else {
            match inbox.try_recv() {
                Ok(job) => job,
                Err(TryRecvError::Empty) => {
                    shelf.prepare(SLICE);
                    if let Some(settled) = shelf.settle(latest) {
                        answer(settled);
                    }
                    continue;
                }
                Err(TryRecvError::Disconnected) => return,
            }
        };
        let Some(mut request) = shelf.take(job) else {
            continue;
        };
        // Whatever else is waiting comes first: titles to take, and newer requests that make
        // this one pointless.
        while let Ok(job) = inbox.try_recv() {
            if let Some(newer) = shelf.take(job) {
                request = newer;
            }
        }
        // Titles given with the request (a batch just indexed) are ranked with it. Of many
        // waiting (an archive given whole), none unless none is prepared yet: the answer
        // comes from those prepared, and settles as the rest are.
        if shelf.waiting.len() <= SLICE || shelf.prepared.is_empty() {
            shelf.prepare(SLICE);
        }
        let cancelled = || latest.load(Ordering::Relaxed) > request.generation;
        shelf.last = None;
        if let Some(ranked) = rank(&shelf.prepared, &request, cancelled, &answer) {
            answer(shelf.remember(request, ranked));
        }
    }
}

/// Ranks `titles` for `request`, or `None` when `cancelled` says so before the end (it is
/// asked between chunks of a few thousand titles, on every core).
///
/// With a base (the matches of a query this one extends), only those matches and the titles
/// after the ones it covered are scored, the base's best first; the order is the same as
/// ranking every title. Before the whole answer, `early` gets the best matches found so far
/// (not [`Ranked::complete`]) once they fill a screen, or after [`EARLY_AFTER`] when there are
/// some, unless the ranking ends first.
pub fn rank(
    titles: &Titles,
    request: &RankRequest,
    cancelled: impl Fn() -> bool + Sync,
    mut early: impl FnMut(Ranked),
) -> Option<Ranked> {
    let started = Instant::now();
    let matcher = Matcher::new(&request.query);
    let candidates: Vec<usize> = match &request.base {
        // The base's best matches are the likeliest to be this query's: scored first, they
        // make the early answer look like the whole one.
        Some((base, covered)) => {
            let covered = (*covered).min(titles.len());
            let mut candidates: Vec<usize> = base
                .iter()
                .map(|m| m.index)
                .filter(|&i| i < covered)
                .collect();
            candidates.extend(covered..titles.len());
            candidates
        }
        None => (0..titles.len()).collect(),
    };
    let answer = |mut matches: Vec<Match>, complete| {
        // Best first; equal scores in the archive's order, as `Matcher::rank` gives them.
        matches.par_sort_unstable_by_key(|m| (std::cmp::Reverse(m.score), m.index));
        Ranked {
            epoch: request.epoch,
            query: request.query.clone(),
            matches: Arc::new(matches),
            covered: titles.len(),
            complete,
        }
    };
    let mut matches = Vec::new();
    let mut done = 0;
    let mut look = FIRST_LOOK;
    // Looks of growing size until there is something to show early, then the rest at once.
    while done < candidates.len() {
        let end = (done + look).min(candidates.len());
        matches.extend(matcher.matches_among_until(titles, &candidates[done..end], &cancelled)?);
        done = end;
        look *= 2;
        let shown =
            matches.len() >= SCREENFUL || !matches.is_empty() && started.elapsed() >= EARLY_AFTER;
        if shown && done < candidates.len() {
            early(answer(matches.clone(), false));
            let rest = &candidates[done..];
            matches.extend(matcher.matches_among_until(titles, rest, &cancelled)?);
            break;
        }
    }
    Some(answer(matches, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLES: [&str; 6] = [
        "Rust 排版指南",
        "A rusty gate",
        "茶与水",
        "Writing Rust",
        "rust",
        "trust",
    ];

    fn titles() -> Titles {
        Titles::new(TITLES)
    }

    fn request(query: &str, base: Option<(Arc<Vec<Match>>, usize)>) -> RankRequest {
        RankRequest {
            epoch: 0,
            generation: 1,
            query: query.into(),
            base,
        }
    }

    #[test]
    fn same_order_as_find() {
        let titles = titles();
        let ranked = rank(&titles, &request("rus", None), || false, |_| {}).unwrap();
        let expected = Matcher::new("rus").rank(TITLES);
        assert_eq!(*ranked.matches, expected);
        assert_eq!(ranked.covered, titles.len());
    }

    #[test]
    fn ranking_from_a_base_gives_the_full_answer() {
        let titles = titles();
        // "ru" ranked over the first four titles; two more arrived since.
        let first = rank(
            &Titles::new(TITLES[..4].iter().copied()),
            &request("ru", None),
            || false,
            |_| {},
        )
        .unwrap();
        let base = Some((first.matches, first.covered));
        let narrowed = rank(&titles, &request("rust", base), || false, |_| {}).unwrap();
        let full = rank(&titles, &request("rust", None), || false, |_| {}).unwrap();
        assert_eq!(narrowed.matches, full.matches);
    }

    #[test]
    fn a_cancelled_ranking_gives_nothing() {
        assert!(rank(&titles(), &request("r", None), || true, |_| {}).is_none());
    }

    /// Articles with `titles` (and no original titles), as the interface gives them.
    fn articles(titles: &[String]) -> Vec<Article> {
        titles
            .iter()
            .map(|title| {
                Article::new(crate::archive::article::Fields {
                    path: "1.md",
                    title,
                    ..Default::default()
                })
            })
            .collect()
    }

    /// `count` generated titles (Chinese with English words, as the benches use).
    fn generated(count: usize) -> Vec<String> {
        let mut rng = crate::archive::synth::Rng::new(7);
        (0..count)
            .map(|_| crate::archive::synth::title(&mut rng))
            .collect()
    }

    #[test]
    fn an_early_answer_shows_the_best_found_so_far_then_the_whole_one_replaces_it() {
        let generated = generated(40_000);
        let titles = Titles::new(generated.iter().map(String::as_str));
        let mut early = Vec::new();
        let whole = rank(&titles, &request("r", None), || false, |e| early.push(e)).unwrap();
        // The whole answer is `folio find`'s, whatever came before it.
        let find = Matcher::new("r").rank(generated.iter().map(String::as_str));
        assert_eq!(*whole.matches, find);
        assert!(whole.complete);
        assert_eq!(early.len(), 1, "one early answer");
        let early = &early[0];
        assert!(!early.complete);
        assert!(early.matches.len() >= SCREENFUL);
        assert!(early.matches.len() < whole.matches.len());
        // Best first among what it saw, each match as the whole answer scores it.
        assert!(
            early
                .matches
                .is_sorted_by_key(|m| std::cmp::Reverse(m.score))
        );
        for m in early.matches.iter() {
            assert!(whole.matches.contains(m), "{m:?}");
        }
    }

    #[test]
    fn a_small_ranking_answers_once() {
        let mut early = 0;
        let whole = rank(&titles(), &request("r", None), || false, |_| early += 1).unwrap();
        assert_eq!(early, 0);
        assert!(whole.complete);
    }

    #[test]
    fn cancelling_reaches_into_a_running_ranking() {
        // The query changes as soon as the first screen is shown: nothing more is scored.
        let generated = generated(40_000);
        let titles = Titles::new(generated.iter().map(String::as_str));
        let changed = std::sync::atomic::AtomicBool::new(false);
        let asked = AtomicU64::new(0);
        let cancelled = || {
            asked.fetch_add(1, Ordering::Relaxed);
            changed.load(Ordering::Relaxed)
        };
        let early = |_| changed.store(true, Ordering::Relaxed);
        assert!(rank(&titles, &request("r", None), cancelled, early).is_none());
        // Asked once per chunk of the first looks, then once more before the rest.
        assert!(asked.load(Ordering::Relaxed) < 10);
    }

    #[test]
    fn a_key_typed_while_titles_wait_is_answered_from_one_slice_then_settles() {
        // A million titles taken whole from the head cache, in small: the first answer
        // comes from the first slice, and the answer settles to `folio find`'s.
        let generated = generated(5 * SLICE);
        let mut shelf = Shelf::default();
        let appended = articles(&generated);
        assert!(shelf.take(Job::Append(appended)).is_none());
        assert!(
            shelf
                .take(Job::Reorder((0..generated.len()).collect()))
                .is_none()
        );
        let latest = AtomicU64::new(1);
        shelf.prepare(SLICE);
        let first = rank(&shelf.prepared, &request("ru", None), || false, |_| {}).unwrap();
        assert_eq!(first.covered, SLICE);
        let first = shelf.remember(request("ru", None), first);
        assert!(!first.matches.is_empty());
        let mut answers = vec![first];
        while shelf.prepare(SLICE) {
            answers.extend(shelf.settle(&latest));
        }
        let last = answers.last().unwrap();
        assert_eq!(last.covered, generated.len());
        let find = Matcher::new("ru").rank(generated.iter().map(String::as_str));
        assert_eq!(*last.matches, find);
        // Covered 1, 2, 4 and then all 5 slices: a few answers, each covering more.
        let covered: Vec<usize> = answers.iter().map(|a| a.covered / SLICE).collect();
        assert_eq!(covered, [1, 2, 4, 5]);
        assert!(shelf.last.is_none(), "nothing left to settle");
    }

    #[test]
    fn titles_reordered_before_they_are_prepared_rank_in_the_new_order() {
        let generated = generated(3000);
        let order: Vec<usize> = (0..generated.len()).rev().collect();
        let mut shelf = Shelf::default();
        shelf.take(Job::Append(articles(&generated)));
        shelf.take(Job::Reorder(order.clone()));
        shelf.prepare(usize::MAX);
        let reordered: Vec<&str> = order.iter().map(|&i| generated[i].as_str()).collect();
        let ranked = rank(&shelf.prepared, &request("r", None), || false, |_| {}).unwrap();
        assert_eq!(*ranked.matches, Matcher::new("r").rank(reordered));
    }

    #[test]
    fn the_worker_answers_the_latest_request() {
        let (sender, answers) = mpsc::channel();
        let ranker = Ranker::spawn(move |ranked| sender.send(ranked).unwrap());
        ranker.append(articles(&TITLES.map(String::from)));
        ranker.rank(RankRequest {
            generation: 2,
            ..request("茶", None)
        });
        let answer = answers.recv().unwrap();
        assert_eq!(answer.query, "茶");
        assert_eq!(answer.matches.len(), 1);
    }
}
