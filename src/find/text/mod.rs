//! Full-text search (`folio search`): which articles hold every term of a query, exactly as a
//! literal scan would find them, best first.
//!
//! - `query`: the query's terms; `fold`: case-insensitive as `rg -i` (simple case folding);
//! - `examine`: one article's text against the query, the exact test every result passes;
//! - `segment`, `manifest` and `index`: the persistent index in the archive's cache folder,
//!   which answers alone for a query whose terms are all one or two characters or ASCII
//!   letters and digits only (hits included); for three different characters (`编译器`) it
//!   bounds the count by the pairs' and answers where the bounds meet; otherwise it narrows
//!   down which articles to read (exactly, for the terms it answers);
//! - here: what the index answers and what is left to read ([`plan`]), reading that on all
//!   cores, and ranking what matches.
//!
//! Why other terms (`人工智能`, `Rust 内存` as a phrase, `编译器` where its bounds do not meet)
//! are still read and counted whole, not confirmed by their first match: the ranking weighs
//! each term by its hits over all the results, so every result's exact counts are needed
//! before any row's place is known; and the read (with the fold) is most of an article's cost,
//! the count after it little. The stored counts of a term's pairs only bound its count (for
//! three different characters they give it where every middle character has the first before
//! it or the last after it: `segment::bounds`). What would give them was measured and left
//! out: pair positions (about 1.1× the text), or counts of every three-character gram that is
//! not a word's (2.1–2.3× the articles with the rest of the cache, against 1.0× allowed).
//! Words are cheap (a few MB per 30,000 articles) because ASCII runs repeat: they make every
//! English word, name and number exact at any length.
//!
//! The ranking: each term weighs `ln(1 + H / Hₜ)`, where `Hₜ` is the term's hits over all the
//! results and `H` all terms' hits (a rarer term weighs more); an article scores the sum over
//! terms of weight × (hits + 3 × hits in its title). Higher scores first, equal ones in the
//! library's order (the archive's, or `--sort`'s). The score depends on the results only, so
//! an index and a scan rank alike.

pub mod examine;
pub mod fold;
pub mod index;
pub mod lines;
mod manifest;
pub mod query;
pub mod segment;
pub mod stored;

use std::io;

use rayon::prelude::*;

use crate::archive::catalog::Catalog;
use crate::archive::decode;
use examine::{Detail, Hits, Scratch};
use index::TextIndex;
use query::Query;

/// How much a hit in the title counts beyond its own hit in the text.
const TITLE_WEIGHT: f64 = 3.0;
/// Whether `rows` results of a search of `articles` are enough for the index's titles and
/// rows, read whole, to serve them ([`rank`], `folio search`'s lines): an eighth of the
/// archive or more.
pub fn many_rows(rows: usize, articles: usize) -> bool {
    rows >= articles / 8
}

/// One matching article.
#[derive(Debug, Clone)]
pub struct Found {
    /// Its index in the library.
    pub article: usize,
    /// Hits per term of the query, in its order (0 for excluded terms).
    pub term_hits: Hits,
    /// Where the hits are, when places were asked for and the article was read. Boxed: the
    /// rows of a broad search have none, and 100,000 rows are made, ranked and sorted.
    pub placed: Option<Box<Placed>>,
    /// All terms' hits.
    pub hits: u32,
    /// False when the index answered for the article without it being read: its places and
    /// lines are not known whatever detail was asked for ([`with_places`] reads them).
    pub read: bool,
    /// The ranking score.
    pub score: f64,
}

/// Where an article's hits are.
#[derive(Debug, Clone, Default)]
pub struct Placed {
    /// Every hit, by place in the text.
    pub places: Vec<examine::Hit>,
    /// The text of each line that holds a hit (line number, text), in order.
    pub lines: Vec<(usize, String)>,
}

/// What the index answers before any article is read, and what is left to read.
#[derive(Debug, Default)]
pub struct Plan {
    /// Matching articles the index answered for, with their counts (not read, unranked).
    pub known: Vec<Found>,
    /// The articles still to read, in the library's order.
    pub to_read: Vec<usize>,
}

/// The plan for `query` over `library` through `index` (every article read without one): the
/// index's exact answer where it gives one ([`TextIndex::answers`]: what it knows, and the
/// articles whose counts it does not know), else its candidates.
pub fn plan(library: &dyn Catalog, query: &Query, index: Option<&TextIndex>) -> io::Result<Plan> {
    let Some(index) = index else {
        return Ok(Plan {
            known: Vec::new(),
            to_read: to_read(library, None),
        });
    };
    if TextIndex::answers(query) {
        let counted = index.counted(query)?;
        let known = counted
            .found
            .into_iter()
            .map(|(article, hits)| Found {
                article,
                hits: hits.iter().sum(),
                term_hits: hits,
                placed: None,
                read: false,
                score: 0.0,
            })
            .collect();
        let mut to_read = counted.to_read;
        // Articles added after the index was opened.
        to_read.extend(index.covered.len()..library.len());
        return Ok(Plan { known, to_read });
    }
    let candidates = index.candidates(query)?;
    Ok(Plan {
        known: Vec::new(),
        to_read: to_read(library, Some(&candidates)),
    })
}

/// The articles of `library` matching `query`, best first: `plan`'s known ones and those of
/// its articles to read that match.
pub fn search(
    library: &dyn Catalog,
    query: &Query,
    index: Option<&TextIndex>,
    plan: Plan,
    detail: Detail,
) -> Vec<Found> {
    let mut found = plan.known;
    found.extend(examine_all(library, query, &plan.to_read, detail, &|| {
        false
    }));
    rank(library, query, index, &mut found);
    found
}

/// `found` with the places and lines of those the index answered for, read now (on all
/// cores): for the rows to print. A row whose file no longer matches keeps its counts and has
/// no places.
pub fn with_places(library: &dyn Catalog, query: &Query, found: &mut [Found]) {
    found.par_iter_mut().filter(|f| !f.read).for_each(|f| {
        if let Some(read) = examine_one(
            library,
            query,
            f.article,
            Detail::Places,
            &mut Scratch::default(),
        ) {
            f.placed = read.placed;
        }
        f.read = true;
    });
}

/// The articles to read for a search, in the library's order: the `candidates`, or all.
pub fn to_read(library: &dyn Catalog, candidates: Option<&[bool]>) -> Vec<usize> {
    (0..library.len())
        .filter(|&i| candidates.is_none_or(|c| c.get(i).is_none_or(|&c| c)))
        .collect()
}

/// Reads `articles` (indices into the library) on all cores and keeps those matching `query`,
/// in the order given, unranked. Ranking the concatenation of the answers for consecutive
/// pieces of [`to_read`]'s list ([`rank`]) gives exactly what [`search`] gives: the
/// interface reads in pieces to show what it has found so far. Articles not yet read when
/// `cancelled` says so are skipped.
pub fn examine_all(
    library: &dyn Catalog,
    query: &Query,
    articles: &[usize],
    detail: Detail,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Vec<Found> {
    articles
        .par_iter()
        .filter(|_| !cancelled())
        .map_init(Scratch::default, |scratch, &i| {
            examine_one(library, query, i, detail, scratch)
        })
        .flatten()
        .collect()
}

/// Article `i` of `library` read and examined: `None` when it cannot be read or does not
/// match.
fn examine_one(
    library: &dyn Catalog,
    query: &Query,
    i: usize,
    detail: Detail,
    scratch: &mut Scratch,
) -> Option<Found> {
    let bytes = std::fs::read(library.article_file(i)).ok()?;
    let text = decode::decode(&bytes);
    let examined = examine::examine(&text, query, detail, scratch)?;
    let mut lines: Vec<(usize, String)> = Vec::new();
    for hit in &examined.places {
        if lines.last().is_none_or(|(line, _)| *line != hit.line) {
            let rest = &text[hit.line_start..];
            let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
            let line = rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]);
            lines.push((hit.line, line.to_string()));
        }
    }
    let placed = (detail == Detail::Places).then(|| {
        Box::new(Placed {
            places: examined.places,
            lines,
        })
    });
    Some(Found {
        article: i,
        hits: examined.hits.iter().sum(),
        term_hits: examined.hits,
        placed,
        read: true,
        score: 0.0,
    })
}

/// Scores `found` (see the module's doc) and sorts it best first, ties in library order.
/// Every article's score depends on the whole of `found`: no row's place is known before
/// every candidate is read.
///
/// The terms' hits in the titles come from the `index`'s folded titles when the rows are many
/// (one pass over all its titles costs less than looking up each row's title where the
/// archive keeps it), else, and for the articles it does not cover, from each title.
pub fn rank(library: &dyn Catalog, query: &Query, index: Option<&TextIndex>, found: &mut [Found]) {
    let title_hits = index
        .filter(|_| many_rows(found.len(), library.len()))
        .and_then(|index| index.title_hits(query).ok());
    let terms = query.terms.len();
    let mut per_term = vec![0f64; terms];
    for f in found.iter() {
        for (t, hits) in f.term_hits.iter().enumerate() {
            per_term[t] += f64::from(*hits);
        }
    }
    let all: f64 = per_term.iter().sum();
    let weights: Vec<f64> = per_term
        .iter()
        .map(|&h| if h > 0.0 { (1.0 + all / h).ln() } else { 0.0 })
        .collect();
    let finders: Vec<Option<memchr::memmem::Finder>> = query
        .terms
        .iter()
        .map(|t| (!t.exclude).then(|| memchr::memmem::Finder::new(t.folded.as_bytes())))
        .collect();
    found
        .par_iter_mut()
        .for_each_init(examine::TitleScratch::default, |scratch, f| {
            // Caseless terms (Chinese, digits) are looked for in the title as written, ASCII
            // words in it with its ASCII letters folded: a keystroke ranks every article
            // holding a common character or word.
            let known = title_hits.as_ref().filter(|h| h.holds(f.article));
            let title = match known {
                Some(_) => &[][..],
                None => examine::title_haystack(library.title_bytes(f.article), query, scratch),
            };
            f.score = finders
                .iter()
                .enumerate()
                .filter_map(|(t, finder)| Some((t, finder.as_ref()?)))
                .map(|(t, finder)| {
                    let in_title = match known {
                        Some(hits) => hits.get(f.article, t).unwrap_or(0),
                        None => finder.find_iter(title).count() as u32,
                    };
                    let in_title = f64::from(in_title);
                    weights[t] * (f64::from(f.term_hits[t]) + TITLE_WEIGHT * in_title)
                })
                .sum();
        });
    // A total order (score, then library order): the parallel sort gives one answer.
    found.par_sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.article.cmp(&b.article)));
}
