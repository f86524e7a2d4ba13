//! What the segments keep of each document besides its grams and words: its title folded and
//! its row as `folio search` prints it (`segment`). A search whose rows are an eighth of the
//! archive or more (`super::many_rows`) reads them whole, on all cores, instead of looking up
//! each row's title and path where the archive keeps them: counting the terms in the titles to
//! rank the rows ([`TextIndex::title_hits`]), and printing them ([`TextIndex::rows`], checked
//! by their sum first). A section that cannot be read, or is damaged, leaves the search to the
//! titles and paths of the catalog: the answer is the same, only slower.

use std::io;

use rayon::prelude::*;

use crate::find::text::index::{TextIndex, holds_text};
use crate::find::text::lines::Lines;
use crate::find::text::query::Query;
use crate::find::text::segment::Segment;

impl TextIndex {
    /// The rows of the articles the index covers, as `folio search` prints them, read from
    /// the segments whole, on all cores.
    pub fn rows(&self) -> io::Result<Rows<'_>> {
        Ok(Rows {
            segments: self
                .segments
                .par_iter()
                .map(Segment::rows)
                .collect::<io::Result<_>>()?,
            covered: &self.covered,
        })
    }

    /// How often each wanted term of `query` occurs in the title of each article the index
    /// covers, read from the segments' folded titles in one pass each, on all cores.
    pub fn title_hits(&self, query: &Query) -> io::Result<TitleHits<'_>> {
        let terms = query.terms.len();
        let finders: Vec<(usize, memchr::memmem::Finder)> = (query.terms.iter().enumerate())
            .filter(|(_, t)| !t.exclude)
            .map(|(t, term)| (t, memchr::memmem::Finder::new(term.folded.as_bytes())))
            .collect();
        let per_segment = self
            .segments
            .par_iter()
            .zip(self.articles_of_documents())
            .map(|(segment, articles)| {
                let titles = segment.titles()?;
                let mut found: Vec<(u32, usize, u32)> = Vec::new();
                for (t, finder) in &finders {
                    titles.count(finder, |document, times| {
                        if let Some(&article) = articles.get(document as usize)
                            && article != u32::MAX
                        {
                            found.push((article, *t, times));
                        }
                    });
                }
                Ok(found)
            })
            .collect::<io::Result<Vec<_>>>()?;
        let mut hits = TitleHits {
            terms,
            counts: vec![0; self.covered.len() * terms],
            covered: &self.covered,
        };
        for (article, t, times) in per_segment.into_iter().flatten() {
            hits.counts[article as usize * terms + t] = times;
        }
        Ok(hits)
    }
}

/// The rows of the articles an index covers, as `folio search` prints them
/// ([`TextIndex::rows`]).
#[derive(Debug)]
pub struct Rows<'a> {
    /// Each segment's rows.
    segments: Vec<Lines>,
    /// See [`TextIndex::covered`].
    covered: &'a [Option<(u32, u32)>],
}

impl Rows<'_> {
    /// Article `article`'s row with its line break; `None` when the index does not hold it
    /// (it is then made from the article's title and path).
    pub fn line(&self, article: usize) -> Option<&[u8]> {
        let (segment, document) = (*self.covered.get(article)?)?;
        self.segments.get(segment as usize)?.with_break(document)
    }
}

/// How often each term of a query occurs in the titles of the articles an index covers
/// ([`TextIndex::title_hits`]).
#[derive(Debug)]
pub struct TitleHits<'a> {
    terms: usize,
    /// Per article, each term's count, `terms` in a row.
    counts: Vec<u32>,
    /// See [`TextIndex::covered`]: the index holds the title of the articles it has the text of.
    covered: &'a [Option<(u32, u32)>],
}

impl TitleHits<'_> {
    /// How often term `t` occurs in article `article`'s title; `None` when the index does not
    /// hold it (the title is then to be looked through where the archive keeps it).
    pub fn get(&self, article: usize, t: usize) -> Option<u32> {
        self.holds(article)
            .then(|| self.counts[article * self.terms + t])
    }

    /// Whether the index holds article `article`'s title.
    pub fn holds(&self, article: usize) -> bool {
        self.covered
            .get(article)
            .is_some_and(|&place| holds_text(place))
    }
}
