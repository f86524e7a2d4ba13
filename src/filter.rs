//! Fuzzy ranking of titles: the same order for `folio find` and the list pane.
//!
//! A query is split at white space into terms, as fzf does: every term must match a title
//! (fuzzily, smart case: a term with an upper-case letter matches case exactly), the score is
//! the sum of the terms' scores, best first, and equal scores keep the archive's order.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// One title that matched: its index in the list ranked, and how well it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index of the title in the sequence given to [`Matcher::rank`].
    pub index: usize,
    /// Higher is better.
    pub score: i64,
}

/// A parsed query and the matcher that scores titles against it.
pub struct Matcher {
    terms: Vec<String>,
    engine: SkimMatcherV2,
}

impl Matcher {
    /// A matcher for `query` (white space separates terms; an empty query matches everything).
    pub fn new(query: &str) -> Matcher {
        Matcher {
            terms: query.split_whitespace().map(str::to_string).collect(),
            engine: SkimMatcherV2::default().smart_case(),
        }
    }

    /// True when the query has no terms and every title matches with score 0.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The score of `title`, or `None` when some term does not match it.
    pub fn score(&self, title: &str) -> Option<i64> {
        self.terms.iter().try_fold(0i64, |total, term| {
            Some(total + self.engine.fuzzy_match(title, term)?)
        })
    }

    /// Char indices of `title` that the query matched, ascending, for highlighting.
    pub fn positions(&self, title: &str) -> Vec<usize> {
        let mut positions: Vec<usize> = self
            .terms
            .iter()
            .filter_map(|term| self.engine.fuzzy_indices(title, term))
            .flat_map(|(_, indices)| indices)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// Every title that matches, best first; equal scores keep the order given.
    pub fn rank<'a>(&self, titles: impl IntoIterator<Item = &'a str>) -> Vec<Match> {
        let mut matches: Vec<Match> = titles
            .into_iter()
            .enumerate()
            .filter_map(|(index, title)| self.score(title).map(|score| Match { index, score }))
            .collect();
        // Stable sort: ties stay in the archive's order.
        matches.sort_by_key(|m| std::cmp::Reverse(m.score));
        matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(query: &str, titles: &[&str]) -> Vec<usize> {
        Matcher::new(query)
            .rank(titles.iter().copied())
            .iter()
            .map(|m| m.index)
            .collect()
    }

    #[test]
    fn best_match_first_and_non_matches_dropped() {
        let titles = ["Rust 排版指南", "A rusty gate", "茶与水", "Writing Rust"];
        let order = ranked("rust", &titles);
        assert!(!order.contains(&2));
        assert_eq!(order.len(), 3);
    }

    #[test]
    fn smart_case() {
        let titles = ["rust notes", "Rust notes"];
        assert_eq!(ranked("rust", &titles).len(), 2);
        assert_eq!(ranked("Rust", &titles), vec![1]);
    }

    #[test]
    fn every_term_must_match() {
        let titles = ["微信暂停新用户注册", "微信支付", "新用户指南"];
        assert_eq!(ranked("微信 注册", &titles), vec![0]);
    }

    #[test]
    fn ties_keep_the_given_order() {
        let titles = ["same title", "other", "same title", "same title"];
        assert_eq!(ranked("same", &titles), vec![0, 2, 3]);
    }

    #[test]
    fn empty_query_matches_all_in_order() {
        assert_eq!(ranked("  ", &["b", "a"]), vec![0, 1]);
    }

    #[test]
    fn positions_are_char_indices() {
        let m = Matcher::new("注册");
        assert_eq!(m.positions("微信暂停新用户注册"), vec![7, 8]);
    }
}
