//! The list pane's state: the query as typed, the rows ranked for it, the selection, and the
//! rankings kept to answer Backspace at once and to narrow a longer query from a shorter one.
//!
//! Ranking is asynchronous: a query edit asks for a ranking and keeps showing the previous
//! matches until the answer comes, and answers for a query no longer typed, or for an order of
//! the articles that has changed, are dropped. An early answer (the best matches found so far)
//! is shown until the whole one replaces it, but never kept, nor ranked from.
//!
//! The list filters by titles or, in text mode ([`Mode::Text`]), by what the articles say:
//! the same query line, answered by the text search worker (`tui::searcher`) in the same way.

use std::sync::Arc;

use unicode_segmentation::UnicodeSegmentation;

use super::action::{Action, Effect, LineEdit};
use crate::find::text::query::Query;
use crate::find::titles::{self, Match, Matcher};
use crate::tui::ranker::{RankRequest, Ranked};
use crate::tui::searcher::{BestLine, Lined, Searched, TextRequest};

/// What the list filters by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// The titles, fuzzily (as `folio find`).
    #[default]
    Titles,
    /// The articles' text, exactly (as `folio search`).
    Text,
}

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
    /// What the query filters by.
    pub mode: Mode,
    /// When `matches` answer a text query: each row's best matching line, beside it.
    pub lines: Option<Arc<Vec<BestLine>>>,
    /// False while `matches` are what a running text search found so far (in the library's
    /// order; its final answer, best first, replaces them).
    pub text_done: bool,
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
            mode: Mode::Titles,
            lines: None,
            text_done: true,
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
            Action::ToggleMode => self.toggle_mode(articles),
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
        if self.blank() {
            self.show_all(articles);
            self.select(0);
            // In text mode the worker is told all the same: it starts the text index.
            return match self.mode {
                Mode::Titles => Effect::None,
                Mode::Text => Effect::Search(self.text_request()),
            };
        }
        if self.mode == Mode::Text {
            return Effect::Search(self.text_request());
        }
        // Backspace back to a query ranked a moment ago: its answer is still good.
        let known = self
            .rankings
            .recent
            .iter()
            .find(|(query, _, covered)| *query == self.query && *covered == articles);
        if let Some((query, matches, covered)) = known.cloned() {
            self.matches = matches;
            self.lines = None;
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

    /// Ctrl-t: filter by the other of titles and text, the query kept.
    pub fn toggle_mode(&mut self, articles: usize) -> Effect {
        self.mode = match self.mode {
            Mode::Titles => Mode::Text,
            Mode::Text => Mode::Titles,
        };
        self.query_changed(articles)
    }

    /// True when the query has nothing to filter by (every article is shown).
    pub fn blank(&self) -> bool {
        match self.mode {
            Mode::Titles => Matcher::new(&self.query).is_empty(),
            Mode::Text => Query::parse(&self.query).is_err(),
        }
    }

    /// A text search for the query as it is now.
    fn text_request(&self) -> TextRequest {
        TextRequest {
            epoch: self.rankings.epoch,
            generation: self.rankings.generation,
            query: self.query.clone(),
        }
    }

    /// New articles were indexed: there are `articles` now.
    pub fn indexed(&mut self, articles: usize) -> Effect {
        if self.blank() {
            let start = self.matches.len();
            Arc::make_mut(&mut self.matches)
                .extend((start..articles).map(|index| Match { index, score: 0 }));
            self.covered = articles;
            self.keep_selection_visible();
            return Effect::None;
        }
        // Rank the new titles too; the query has not changed, so no new generation.
        if self.mode == Mode::Text {
            return Effect::Search(self.text_request());
        }
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
        let effect = if self.blank() {
            self.show_all(articles);
            match self.mode {
                Mode::Titles => Effect::None,
                Mode::Text => Effect::Search(self.text_request()),
            }
        } else {
            let old_lines = self.lines.take();
            let (remapped, lines): (Vec<Match>, Vec<BestLine>) = self
                .matches
                .iter()
                .enumerate()
                .filter_map(|(row, m)| {
                    let line = old_lines.as_ref().and_then(|l| l.get(row)).cloned();
                    old_to_new[m.index].map(|index| {
                        let found = Match {
                            index,
                            score: m.score,
                        };
                        (found, line.unwrap_or_default())
                    })
                })
                .unzip();
            self.matches = Arc::new(remapped);
            if old_lines.is_some() {
                self.lines = Some(Arc::new(lines));
            }
            // Ties must fall in the default order now: rank again over everything.
            self.covered = 0;
            if self.mode == Mode::Text {
                self.reselect(selected_article, screen_row);
                return Effect::Search(self.text_request());
            }
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
        if ranked.epoch != self.rankings.epoch
            || ranked.query != self.query
            || self.mode != Mode::Titles
        {
            return; // for another order, a query no longer typed, or text mode
        }
        let same_query = self.matches_query == ranked.query && self.lines.is_none();
        if same_query && ranked.covered < self.covered {
            return; // older than what is shown
        }
        if same_query && self.complete && !ranked.complete {
            return; // an early answer for what is already answered whole
        }
        let selected_article = self.selected_article();
        let screen_row = self.selected.saturating_sub(self.offset);
        self.matches = ranked.matches;
        self.lines = None;
        self.matches_query = ranked.query;
        self.covered = ranked.covered;
        self.complete = ranked.complete;
        if !self.complete {
            self.select_after_answer(same_query, selected_article, screen_row);
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
        // More of the same answer (new articles indexed): the selection stays put.
        self.select_after_answer(same_query, selected_article, screen_row);
    }

    /// A text search came back: shown if it answers the query typed in text mode, for the
    /// current order.
    pub fn searched(&mut self, searched: Searched) {
        if searched.epoch != self.rankings.epoch
            || searched.query != self.query
            || self.mode != Mode::Text
        {
            return; // for another order, a query no longer typed, or the titles
        }
        let same_query = self.matches_query == searched.query && self.lines.is_some();
        if same_query && searched.covered < self.covered {
            return; // older than what is shown
        }
        if same_query
            && self.text_done
            && !searched.done
            && searched.rows.len() < self.matches.len()
        {
            // The same query searched again (more articles indexed): its whole answer stays
            // until the new one is complete or larger.
            return;
        }
        let selected_article = self.selected_article();
        let screen_row = self.selected.saturating_sub(self.offset);
        let (matches, lines) = searched
            .rows
            .into_iter()
            .map(|row| {
                let found = Match {
                    index: row.article,
                    score: 0,
                };
                (found, row.best)
            })
            .unzip();
        self.matches = Arc::new(matches);
        self.lines = Some(Arc::new(lines));
        self.complete = true;
        self.matches_query = searched.query;
        self.covered = searched.covered;
        self.text_done = searched.done;
        // Rows found so far only grow at the bottom, and the final order keeps a chosen row
        // under the cursor (`reselect`): the selection never jumps under the reader.
        self.select_after_answer(same_query, selected_article, screen_row);
    }

    /// More best lines for the rows shown: taken if they are for the answer on screen.
    pub fn lined(&mut self, lined: Lined) {
        if lined.epoch != self.rankings.epoch
            || lined.query != self.matches_query
            || lined.covered != self.covered
        {
            return;
        }
        let Some(lines) = self.lines.as_mut() else {
            return;
        };
        let lines = Arc::make_mut(lines);
        for (row, line) in (lined.from..).zip(lined.lines) {
            match lines.get_mut(row) {
                Some(place) => *place = line,
                None => break,
            }
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

    /// After an answer replaced the rows: the first row selected for a new query, the
    /// selection kept (`reselect`) for more of the same answer.
    fn select_after_answer(
        &mut self,
        same_query: bool,
        selected_article: Option<usize>,
        screen_row: usize,
    ) {
        if same_query {
            self.reselect(selected_article, screen_row);
        } else {
            self.offset = 0;
            self.select(0);
        }
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
            // Rows that answer a text query are no base for titles, and an early answer lacks
            // matches among the titles it has not scored.
            .chain(std::iter::once(shown).filter(|_| self.lines.is_none() && self.complete))
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
        self.lines = None;
        self.text_done = true;
        self.matches_query = self.query.clone();
        self.covered = articles;
        self.complete = true;
    }
}
