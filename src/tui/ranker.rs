//! Ranking off the UI thread: a worker that keeps its own copy of the titles and answers
//! [`RankRequest`]s, skipping requests already replaced and stopping a ranking early when the
//! query changes under it. The requests and answers are plain data, defined here: the
//! interface's state (`app`) makes the requests and takes the answers without knowing a
//! thread exists.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

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
    /// The matches, best first.
    pub matches: Vec<Match>,
    /// How many titles (from the first) were considered.
    pub covered: usize,
}

/// How many titles are scored between two looks at whether the query changed.
const CHECK_EVERY: usize = 32 * 1024;

/// What the worker is told.
enum Job {
    /// New titles at the end, in found order, each with its original title.
    Append(Vec<(String, Option<String>)>),
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

    /// Adds titles (each with its original title) at the end of the worker's list.
    pub fn append(&self, titles: Vec<(String, Option<String>)>) {
        let _ = self.jobs.send(Job::Append(titles));
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

fn work(inbox: &Receiver<Job>, latest: &AtomicU64, answer: impl Fn(Ranked)) {
    let mut titles = Titles::default();
    while let Ok(job) = inbox.recv() {
        let mut request = match job {
            Job::Append(more) => {
                more.iter()
                    .for_each(|(title, original)| titles.push_with(title, original.as_deref()));
                continue;
            }
            Job::Reorder(order) => {
                titles = std::mem::take(&mut titles).reordered(&order);
                continue;
            }
            Job::Rank(request) => request,
        };
        // Whatever else is waiting comes first: titles to take, and newer requests that make
        // this one pointless.
        while let Ok(job) = inbox.try_recv() {
            match job {
                Job::Append(more) => more
                    .iter()
                    .for_each(|(title, original)| titles.push_with(title, original.as_deref())),
                Job::Reorder(order) => titles = std::mem::take(&mut titles).reordered(&order),
                Job::Rank(newer) => request = newer,
            }
        }
        let cancelled = || latest.load(Ordering::Relaxed) > request.generation;
        if let Some(ranked) = rank(&titles, &request, cancelled) {
            answer(ranked);
        }
    }
}

/// Ranks `titles` for `request`, or `None` when `cancelled` says so before the end.
///
/// With a base (the matches of a query this one extends), only those matches and the titles
/// after the ones it covered are scored; the order is the same as ranking every title.
pub fn rank(
    titles: &Titles,
    request: &RankRequest,
    cancelled: impl Fn() -> bool,
) -> Option<Ranked> {
    let matcher = Matcher::new(&request.query);
    let candidates: Vec<usize> = match &request.base {
        Some((base, covered)) => {
            let covered = (*covered).min(titles.len());
            let mut earlier: Vec<usize> = base
                .iter()
                .map(|m| m.index)
                .filter(|&i| i < covered)
                .collect();
            // Ties keep the archive's order, so candidates go in index order.
            earlier.sort_unstable();
            earlier.extend(covered..titles.len());
            earlier
        }
        None => (0..titles.len()).collect(),
    };
    let mut matches = Vec::new();
    for chunk in candidates.chunks(CHECK_EVERY) {
        if cancelled() {
            return None;
        }
        matches.extend(matcher.matches_among(titles, chunk));
    }
    // Stable: equal scores stay in index order, as `Matcher::rank` does.
    matches.sort_by_key(|m| std::cmp::Reverse(m.score));
    Some(Ranked {
        epoch: request.epoch,
        query: request.query.clone(),
        matches,
        covered: titles.len(),
    })
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
        let ranked = rank(&titles, &request("rus", None), || false).unwrap();
        let expected = Matcher::new("rus").rank(TITLES);
        assert_eq!(ranked.matches, expected);
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
        )
        .unwrap();
        let base = Some((Arc::new(first.matches), first.covered));
        let narrowed = rank(&titles, &request("rust", base), || false).unwrap();
        let full = rank(&titles, &request("rust", None), || false).unwrap();
        assert_eq!(narrowed.matches, full.matches);
    }

    #[test]
    fn a_cancelled_ranking_gives_nothing() {
        assert!(rank(&titles(), &request("r", None), || true).is_none());
    }

    #[test]
    fn the_worker_answers_the_latest_request() {
        let (sender, answers) = mpsc::channel();
        let ranker = Ranker::spawn(move |ranked| sender.send(ranked).unwrap());
        ranker.append(TITLES.iter().map(|t| (t.to_string(), None)).collect());
        ranker.rank(RankRequest {
            generation: 2,
            ..request("茶", None)
        });
        let answer = answers.recv().unwrap();
        assert_eq!(answer.query, "茶");
        assert_eq!(answer.matches.len(), 1);
    }
}
