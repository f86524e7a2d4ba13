//! The list pane's state: the query as typed, the rows ranked for it, the selection, and the
//! rankings kept to answer Backspace at once and to narrow a longer query from a shorter one.
//!
//! Ranking is asynchronous: a query edit asks for a ranking and keeps showing the previous
//! matches until the answer comes, and answers for a query no longer typed, or for an order of
//! the articles that has changed, are dropped. An early answer (the best matches found so far)
//! is shown until the whole one replaces it, but never kept, nor ranked from.

use std::sync::Arc;

use unicode_segmentation::UnicodeSegmentation;

use super::action::{Action, Effect, LineEdit};
use crate::find::titles::{self, Match, Matcher};
use crate::tui::ranker::{RankRequest, Ranked};

/// How many recent rankings are kept for Backspace and as bases for longer queries.
const KEEP_RANKINGS: usize = 8;

/// The query, the rows that answer it and the selection among them.
#[derive(Debug)]
pub struct List {
    /// The query as typed.
    pub query: String,
    /// Where the query line's cursor is: a byte offset into `query`, at a char boundary.
    pub cursor: usize,
    /// The rows of the list: matches for `matches_query`, best first.
    pub matches: Arc<Vec<Match>>,
    /// The query `matches` answer (lags behind `query` while a ranking runs).
    pub matches_query: String,
    /// The selected row.
    pub selected: usize,
    /// The first row on screen.
    pub offset: usize,
    /// Rows for entries on screen.
    pub rows: usize,
    /// How many articles (from the first) `matches` considered.
    covered: usize,
    /// False while `matches` is an early answer, the best among the titles scored so far.
    complete: bool,
    /// True once the user picked the selection (moved it, or opened the article): it then
    /// follows its article when rows change, else it stays on the top row, the best match.
    chosen: bool,
    /// The rankings asked for and kept.
    rankings: Rankings,
}

/// What the list keeps to ask for rankings and to take their answers.
#[derive(Debug, Default)]
struct Rankings {
    /// Recent complete rankings (query, matches, titles covered), the newest last.
    recent: Vec<(String, Arc<Vec<Match>>, usize)>,
    /// Which order of the articles the indices refer to (increases when indexing ends).
    epoch: u64,
    /// Increases each time the query changes.
    generation: u64,
}

impl List {
    /// An empty list with `query` typed.
    pub fn new(query: &str) -> List {
        List {
            query: query.to_string(),
            cursor: query.len(),
            matches: Arc::new(Vec::new()),
            matches_query: String::new(),
            selected: 0,
            offset: 0,
            rows: 1,
            covered: 0,
            complete: true,
            chosen: false,
            rankings: Rankings::default(),
        }
    }

    /// The article on the selected row, if the list has any rows.
    pub fn selected_article(&self) -> Option<usize> {
        self.matches.get(self.selected).map(|m| m.index)
    }

    /// The user picked the selection: from now on it follows its article.
    pub fn hold_selection(&mut self) {
        self.chosen = true;
    }

    /// Applies an edit of the query or a move of the selection, over `articles` articles;
    /// `None` when the action changed nothing (an edit of an empty query). Other actions are
    /// not the list's: nothing happens.
    pub fn update(&mut self, action: &Action, articles: usize) -> Option<Effect> {
        Some(match *action {
            Action::Type(c) => {
                self.query.insert(self.cursor, c);
                self.cursor += c.len_utf8();
                self.query_changed(articles)
            }
            Action::Backspace => {
                let c = self.query[..self.cursor].chars().next_back()?;
                self.cursor -= c.len_utf8();
                self.query.remove(self.cursor);
                self.query_changed(articles)
            }
            Action::DeleteWord => {
                let kept = self.query[..self.cursor]
                    .trim_end()
                    .trim_end_matches(|c: char| !c.is_whitespace())
                    .len();
                self.delete(kept..self.cursor, articles)?
            }
            Action::ClearQuery => self.delete(0..self.cursor, articles)?,
            Action::Line(edit) => return self.edit_line(edit, articles),
            Action::Move(rows) | Action::WheelList(rows) => {
                self.select(self.selected.saturating_add_signed(rows))
            }
            Action::MovePage(pages) => {
                let page = self.rows.max(1) as isize;
                self.select(self.selected.saturating_add_signed(pages * page))
            }
            Action::First => self.select(0),
            Action::Last => self.select(usize::MAX),
            Action::NextArticle(step) => {
                let target = self.selected.saturating_add_signed(step);
                if target < self.matches.len() {
                    self.select(target);
                }
                Effect::None
            }
            _ => Effect::None,
        })
    }

    /// Removes `range` of the query (the cursor at its start); `None` when it is empty.
    fn delete(&mut self, range: std::ops::Range<usize>, articles: usize) -> Option<Effect> {
        if range.is_empty() {
            return None;
        }
        self.cursor = range.start;
        self.query.replace_range(range, "");
        Some(self.query_changed(articles))
    }

    /// A move of the query line's cursor (nothing to rank) or a deletion after it; `None`
    /// when nothing changed.
    fn edit_line(&mut self, edit: LineEdit, articles: usize) -> Option<Effect> {
        let (before, after) = self.query.split_at(self.cursor);
        let cursor = match edit {
            LineEdit::Left => before.grapheme_indices(true).next_back()?.0,
            LineEdit::Right => self.cursor + after.graphemes(true).next()?.len(),
            LineEdit::Start => 0,
            LineEdit::End => self.query.len(),
            // readline's words: runs of letters and digits.
            LineEdit::WordLeft => before
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .trim_end_matches(char::is_alphanumeric)
                .len(),
            LineEdit::WordRight => {
                let rest = after.trim_start_matches(|c: char| !c.is_alphanumeric());
                let rest = rest.trim_start_matches(char::is_alphanumeric);
                self.query.len() - rest.len()
            }
            LineEdit::Delete => {
                let end = self.cursor + after.graphemes(true).next()?.len();
                return self.delete(self.cursor..end, articles);
            }
            LineEdit::KillToEnd => return self.delete(self.cursor..self.query.len(), articles),
        };
        if cursor == self.cursor {
            return None;
        }
        self.cursor = cursor;
        Some(Effect::None)
    }

    /// The screen has `rows` rows for entries now.
    pub fn measured(&mut self, rows: usize) {
        self.rows = rows.max(1);
        self.keep_selection_visible();
    }

    /// A new query was typed, over `articles` articles: every article when it has no terms,
    /// else a ranking.
    pub fn query_changed(&mut self, articles: usize) -> Effect {
        self.rankings.generation += 1;
        self.chosen = false;
        if Matcher::new(&self.query).is_empty() {
            self.show_all(articles);
            self.select(0);
            return Effect::None;
        }
        // Backspace back to a query ranked a moment ago: its answer is still good.
        let known = self
            .rankings
            .recent
            .iter()
            .find(|(query, _, covered)| *query == self.query && *covered == articles);
        if let Some((query, matches, covered)) = known.cloned() {
            self.matches = matches;
            self.matches_query = query;
            self.covered = covered;
            self.complete = true;
            self.offset = 0;
            self.select(0);
            return Effect::None;
        }
        Effect::Rank(RankRequest {
            epoch: self.rankings.epoch,
            generation: self.rankings.generation,
            query: self.query.clone(),
            base: self.ranking_base(),
        })
    }

    /// New articles were indexed: there are `articles` now.
    pub fn indexed(&mut self, articles: usize) -> Effect {
        if Matcher::new(&self.query).is_empty() {
            let start = self.matches.len();
            Arc::make_mut(&mut self.matches)
                .extend((start..articles).map(|index| Match { index, score: 0 }));
            self.covered = articles;
            self.keep_selection_visible();
            return Effect::None;
        }
        // Rank the new titles too; the query has not changed, so no new generation.
        Effect::Rank(RankRequest {
            epoch: self.rankings.epoch,
            generation: self.rankings.generation,
            query: self.query.clone(),
            base: self.ranking_base(),
        })
    }

    /// Indexing ended with no article at all.
    pub fn emptied(&mut self) {
        self.matches = Arc::new(Vec::new());
    }

    /// Indexing ended: the same articles (`articles` of them) in another order, old index `i`
    /// now `old_to_new[i]`. The rows and the selection are carried across.
    pub fn finished(&mut self, old_to_new: &[Option<usize>], articles: usize) -> Effect {
        let selected_article = self.selected_article().and_then(|i| old_to_new[i]);
        let screen_row = self.selected.saturating_sub(self.offset);
        self.rankings.epoch += 1;
        self.rankings.recent.clear(); // their indices are for the old order
        let effect = if Matcher::new(&self.query).is_empty() {
            self.show_all(articles);
            Effect::None
        } else {
            let remapped = self
                .matches
                .iter()
                .filter_map(|m| {
                    old_to_new[m.index].map(|index| Match {
                        index,
                        score: m.score,
                    })
                })
                .collect();
            self.matches = Arc::new(remapped);
            // Ties must fall in the default order now: rank again over everything.
            self.covered = 0;
            Effect::Rank(RankRequest {
                epoch: self.rankings.epoch,
                generation: self.rankings.generation,
                query: self.query.clone(),
                base: None,
            })
        };
        self.reselect(selected_article, screen_row);
        effect
    }

    /// A ranking came back: shown if it answers the query typed, for the current order.
    pub fn ranked(&mut self, ranked: Ranked) {
        if ranked.epoch != self.rankings.epoch || ranked.query != self.query {
            return; // for another order or a query no longer typed
        }
        let same_query = self.matches_query == ranked.query;
        if same_query && ranked.covered < self.covered {
            return; // older than what is shown
        }
        if same_query && self.complete && !ranked.complete {
            return; // an early answer for what is already answered whole
        }
        let selected_article = self.selected_article();
        let screen_row = self.selected.saturating_sub(self.offset);
        self.matches = Arc::new(ranked.matches);
        self.matches_query = ranked.query;
        self.covered = ranked.covered;
        self.complete = ranked.complete;
        if !self.complete {
            if !same_query {
                self.offset = 0;
                self.select(0);
            } else {
                self.reselect(selected_article, screen_row);
            }
            return;
        }
        let recent = &mut self.rankings.recent;
        recent.retain(|(query, _, _)| *query != self.matches_query);
        if recent.len() == KEEP_RANKINGS {
            recent.remove(0);
        }
        recent.push((
            self.matches_query.clone(),
            Arc::clone(&self.matches),
            self.covered,
        ));
        if same_query {
            // More of the same answer (new articles indexed): the selection stays put.
            self.reselect(selected_article, screen_row);
        } else {
            self.offset = 0;
            self.select(0);
        }
    }

    /// Selects `row` (clamped to the list) and keeps it on screen.
    fn select(&mut self, row: usize) -> Effect {
        self.selected = row.min(self.matches.len().saturating_sub(1));
        self.keep_selection_visible();
        Effect::None
    }

    fn keep_selection_visible(&mut self) {
        let rows = self.rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        // No empty rows at the bottom while there are rows above to show.
        let last_offset = self.matches.len().saturating_sub(rows);
        self.offset = self.offset.min(last_offset);
    }

    /// Selects `article` again after the rows changed, on the same screen row if it can be.
    fn reselect(&mut self, article: Option<usize>, screen_row: usize) {
        if !self.chosen {
            self.offset = 0;
            self.select(0);
            return;
        }
        let row = article.and_then(|a| self.matches.iter().position(|m| m.index == a));
        match row {
            Some(row) => {
                self.selected = row;
                self.offset = row.saturating_sub(screen_row);
                self.keep_selection_visible();
            }
            None => {
                self.select(self.selected);
            }
        }
    }

    /// The matches a ranking of the query may start from: those of an earlier query that it
    /// extends (every title matching the query matches it too).
    fn ranking_base(&self) -> Option<(Arc<Vec<Match>>, usize)> {
        let shown = (&self.matches_query, &self.matches, self.covered);
        self.rankings
            .recent
            .iter()
            .map(|(query, matches, covered)| (query, matches, *covered))
            // An early answer lacks matches among the titles it has not scored.
            .chain(std::iter::once(shown).filter(|_| self.complete))
            .filter(|(query, _, _)| {
                !Matcher::new(query).is_empty() && titles::narrows(query, &self.query)
            })
            // The longest such query has the fewest matches to rank again.
            .max_by_key(|(query, _, covered)| (query.len(), *covered))
            .map(|(_, matches, covered)| (Arc::clone(matches), covered))
    }

    /// Every article, in order, as the list's rows (the empty query).
    fn show_all(&mut self, articles: usize) {
        let all = (0..articles)
            .map(|index| Match { index, score: 0 })
            .collect();
        self.matches = Arc::new(all);
        self.matches_query = self.query.clone();
        self.covered = articles;
        self.complete = true;
    }
}
