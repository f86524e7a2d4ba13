//! The interface's state and every change to it: keys and arrivals become [`Action`]s that
//! [`App::update`] applies, without I/O, so the whole interface can be tested as plain data.
//!
//! `tui` turns terminal events into actions, runs what [`Effect`]s ask for (ranking on a worker
//! thread, leaving with an article chosen) and draws the state. Ranking is asynchronous: a query
//! edit asks for a ranking and keeps showing the previous matches until the answer comes, and
//! answers for a query no longer typed, or for an order of the articles that has changed, are
//! dropped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::article::Article;
use crate::archive::library::{Library, Skipped};
use crate::find::in_article::{self, Hit};
use crate::find::titles::{self, Match, Matcher};
use crate::render::width::AmbiWidth;
use crate::render::wrap::Layout;

/// How many recent rankings are kept for Backspace and as bases for longer queries.
const KEEP_RANKINGS: usize = 8;

/// Lines the mouse wheel scrolls the reading pane by, per notch.
pub const WHEEL_LINES: usize = 3;

/// Which pane takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The list: typing edits the query.
    List,
    /// The reading pane: keys scroll the article.
    Reading,
}

/// A window drawn over the panes, taking the keys while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The keys and what they do.
    Help,
    /// The files that could not be indexed, scrolled to this line.
    Skipped(usize),
    /// The article's headings (`o`), this one selected.
    Outline(usize),
    /// The article's links (`l`), this one selected.
    Links(usize),
}

/// How the interface ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// Enter with stdout not a terminal: print this article (index into [`App::articles`]).
    Chosen(usize),
    /// Done looking, stdout a terminal (Esc in the list): exit 0.
    Quit,
    /// Nothing chosen for the pipe (Esc in the list): exit 130 with nothing on stdout.
    Cancelled,
    /// Ctrl-c, anywhere: exit 130.
    Interrupted,
    /// Indexing found no article at all.
    NoArticles,
}

/// Everything that can happen to the interface.
#[derive(Debug)]
pub enum Action {
    /// A character typed into the query.
    Type(char),
    /// Backspace: remove the query's last character.
    Backspace,
    /// Ctrl-w: remove the query's last word (and the spaces after it).
    DeleteWord,
    /// Ctrl-u: clear the query.
    ClearQuery,
    /// Move the selection by this many rows (negative: up).
    Move(isize),
    /// Move the selection a page of rows (negative: up).
    MovePage(isize),
    /// Select the first row.
    First,
    /// Select the last row.
    Last,
    /// Enter: open the reading pane, or choose the article when stdout is a pipe.
    Enter,
    /// Tab: toggle the focus between the list and the reading pane.
    Tab,
    /// Esc (or `q` in the reading pane): back to the list, or leave from the list.
    Back,
    /// Scroll the reading pane by this many lines (negative: up).
    Scroll(isize),
    /// Scroll the reading pane a page (negative: up).
    ScrollPage(isize),
    /// Scroll the reading pane to its top.
    Top,
    /// Scroll the reading pane to its end.
    Bottom,
    /// `]`/`[`: open the next (1) or previous (-1) article of the list in the reading pane.
    NextArticle(isize),
    /// The mouse wheel over the list (rows, negative: up).
    WheelList(isize),
    /// The mouse wheel over the reading pane (notches, negative: up).
    WheelReading(isize),
    /// F1 / `?`: show or hide the keys.
    ToggleHelp,
    /// F2: show or hide the skipped files.
    ToggleSkipped,
    /// Close whatever overlay is open.
    CloseOverlay,
    /// Ctrl-c.
    Interrupt,
    /// `/` in the reading pane: start typing a search.
    SearchStart,
    /// A character typed into the search.
    SearchType(char),
    /// Backspace in the search.
    SearchBackspace,
    /// Enter: search for what was typed, and go to the first hit from the top of the pane.
    SearchCommit,
    /// Esc: stop typing the search (the last search stays).
    SearchCancel,
    /// `n`/`N`: the next (1) or previous (-1) hit, wrapping around.
    SearchNext(isize),
    /// `o`: the article's outline.
    Outline,
    /// `l`: the article's links.
    Links,
    /// `y` in the links: copy the selected link.
    Yank,
    /// `e`: open the article in an editor.
    Edit,
    /// The reading pane's article as laid out for the pane (none when nothing is selected).
    Layout(Option<Arc<Layout>>),
    /// The screen's panes were measured: rows for list entries, rows and lines of the
    /// reading pane's article.
    Viewport {
        /// Rows available for list entries.
        list_rows: usize,
        /// Rows available for the article's lines.
        reading_rows: usize,
        /// Lines the selected article has at the pane's width.
        reading_lines: usize,
    },
    /// A batch of the background index: new articles and skipped files, in found order.
    Indexed(Vec<Article>, Vec<Skipped>),
    /// Indexing is over: the whole library, in the default order.
    Finished(Library),
    /// A ranking asked for by [`Effect::Rank`] is done.
    Ranked(Ranked),
}

/// What `update` asks its caller to do.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Nothing beyond redrawing.
    None,
    /// Rank the titles for this request (off the UI thread) and send back [`Action::Ranked`].
    Rank(RankRequest),
    /// Leave the interface.
    Exit(Exit),
    /// Open this URL with the system's opener.
    Open(String),
    /// Copy this text to the clipboard (OSC 52).
    Copy(String),
    /// Open article `index` in `$EDITOR`, the interface suspended meanwhile.
    Edit(usize),
}

/// A search inside the article in the reading pane.
#[derive(Debug, Default, Clone)]
pub struct Search {
    /// What is being typed after `/`, while the prompt is open.
    pub typing: Option<String>,
    /// The query searched for.
    pub query: String,
    /// Where it occurs in the article as laid out now.
    pub hits: Vec<Hit>,
    /// The hit last jumped to.
    pub current: Option<usize>,
}

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

/// The interface's whole state.
#[derive(Debug)]
pub struct App {
    /// The archive's root directory, as given.
    pub root: PathBuf,
    /// The articles: in found order while indexing, in the default order after.
    pub articles: Vec<Article>,
    /// Files that could not be indexed.
    pub skipped: Vec<Skipped>,
    /// True until indexing is over.
    pub indexing: bool,
    /// Whether stdout is not a terminal (Enter then prints the article and leaves).
    pub piped: bool,
    /// The query as typed.
    pub query: String,
    /// The rows of the list: matches for `matches_query`, best first.
    pub matches: Arc<Vec<Match>>,
    /// The query `matches` answer (lags behind `query` while a ranking runs).
    pub matches_query: String,
    /// How many articles (from the first) `matches` considered.
    matches_covered: usize,
    /// The selected row of the list.
    pub selected: usize,
    /// The first list row on screen.
    pub list_offset: usize,
    /// True once the user picked the selection (moved it, or opened the article): it then
    /// follows its article when rows change, else it stays on the top row, the best match.
    chosen: bool,
    /// Rows for list entries on screen.
    pub list_rows: usize,
    /// Which pane takes the keys.
    pub focus: Focus,
    /// The overlay open, if any.
    pub overlay: Option<Overlay>,
    /// The article whose scroll position `reading_scroll` is.
    reading_article: Option<usize>,
    /// The first line of the article on screen.
    pub reading_scroll: usize,
    /// Rows for the article's lines on screen.
    pub reading_rows: usize,
    /// Lines of the selected article at the pane's width (`usize::MAX` until measured).
    pub reading_lines: usize,
    /// The article in the reading pane as laid out.
    pub layout: Option<Arc<Layout>>,
    /// The search inside the article.
    pub search: Search,
    /// How wide ambiguous-width characters are drawn (for search hit columns).
    pub ambi: AmbiWidth,
    /// Where articles were left, by relative path: (first line on screen, lines then). The
    /// interface loads and saves them; `update` keeps them as articles are left.
    pub positions: crate::tui::positions::Positions,
    /// A remembered position to go back to once the article's lines are counted.
    restore: Option<(usize, usize)>,
    /// The order the list is sorted in once indexing ends (the caller sorts the library).
    pub sort: crate::archive::order::SortKey,
    /// A line for the status bar until the next key (a link copied, an opener that failed).
    pub notice: Option<String>,
    /// Recent complete rankings (query, matches, titles covered), the newest last.
    recent: Vec<(String, Arc<Vec<Match>>, usize)>,
    epoch: u64,
    generation: u64,
}

impl App {
    /// A new interface on the archive at `root`, starting with `query` typed. Articles come
    /// with [`Action::Indexed`] and [`Action::Finished`].
    pub fn new(root: &Path, query: &str, piped: bool) -> App {
        App {
            root: root.to_path_buf(),
            articles: Vec::new(),
            skipped: Vec::new(),
            indexing: true,
            piped,
            query: query.to_string(),
            matches: Arc::new(Vec::new()),
            matches_query: String::new(),
            matches_covered: 0,
            selected: 0,
            list_offset: 0,
            chosen: false,
            list_rows: 1,
            focus: Focus::List,
            overlay: None,
            reading_article: None,
            reading_scroll: 0,
            reading_rows: 1,
            reading_lines: usize::MAX,
            layout: None,
            search: Search::default(),
            ambi: AmbiWidth::Single,
            notice: None,
            sort: crate::archive::order::SortKey::Summary,
            positions: crate::tui::positions::Positions::new(),
            restore: None,
            recent: Vec::new(),
            epoch: 0,
            generation: 0,
        }
    }

    /// True while a search is being typed (keys go to it).
    pub fn search_typing(&self) -> bool {
        self.search.typing.is_some()
    }

    /// Scrolls so that `line` is in the middle of the pane.
    fn centre(&mut self, line: usize) {
        self.reading_scroll = line
            .saturating_sub(self.reading_rows / 2)
            .min(self.max_scroll());
    }

    /// Goes to hit `index` of the search.
    fn go_to_hit(&mut self, index: usize) {
        if let Some(hit) = self.search.hits.get(index).copied() {
            self.search.current = Some(index);
            self.centre(hit.line);
        }
    }

    /// Finds the search's query in the laid-out article again.
    fn search_again(&mut self) {
        self.search.hits = match &self.layout {
            Some(layout) => in_article::find(&layout.lines, &self.search.query, self.ambi),
            None => Vec::new(),
        };
        self.search.current = None;
    }

    /// The search and overlay keys of the reading pane; `None` for other actions.
    fn update_reading_extras(&mut self, action: &Action) -> Option<Effect> {
        match action {
            Action::SearchStart => {
                if self.focus == Focus::Reading {
                    self.search.typing = Some(String::new());
                }
            }
            Action::SearchType(c) => {
                if let Some(typing) = &mut self.search.typing {
                    typing.push(*c);
                }
            }
            Action::SearchBackspace => {
                if let Some(typing) = &mut self.search.typing {
                    typing.pop();
                }
            }
            Action::SearchCancel => self.search.typing = None,
            Action::SearchCommit => {
                let Some(typing) = self.search.typing.take() else {
                    return Some(Effect::None);
                };
                self.search.query = typing;
                self.search_again();
                let from = self.reading_scroll;
                let first = self.search.hits.iter().position(|h| h.line >= from);
                match first.or((!self.search.hits.is_empty()).then_some(0)) {
                    Some(index) => self.go_to_hit(index),
                    None if !self.search.query.is_empty() => {
                        self.notice = Some(format!("not found: {}", self.search.query));
                    }
                    None => {}
                }
            }
            Action::SearchNext(step) => {
                let count = self.search.hits.len();
                if count == 0 {
                    if !self.search.query.is_empty() {
                        self.notice = Some(format!("not found: {}", self.search.query));
                    }
                    return Some(Effect::None);
                }
                let next = match self.search.current {
                    Some(current) => (current as isize + step).rem_euclid(count as isize) as usize,
                    None if *step >= 0 => self
                        .search
                        .hits
                        .iter()
                        .position(|h| h.line >= self.reading_scroll)
                        .unwrap_or(0),
                    None => count - 1,
                };
                self.go_to_hit(next);
            }
            Action::Outline => {
                if self.layout.as_ref().is_some_and(|l| !l.headings.is_empty()) {
                    self.overlay = Some(Overlay::Outline(0));
                } else {
                    self.notice = Some("no headings".into());
                }
            }
            Action::Links => {
                if self.layout.as_ref().is_some_and(|l| !l.links.is_empty()) {
                    self.overlay = Some(Overlay::Links(0));
                } else {
                    self.notice = Some("no links".into());
                }
            }
            Action::Edit => {
                return Some(match self.selected_article() {
                    Some(index) => Effect::Edit(index),
                    None => Effect::None,
                });
            }
            Action::Layout(layout) => {
                let same = match (&self.layout, layout) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                    (None, None) => true,
                    _ => false,
                };
                if !same {
                    self.layout = layout.clone();
                    let current = self.search.current;
                    self.search_again();
                    // Same article at another width: stay on the same hit.
                    if current.is_some_and(|c| c < self.search.hits.len()) {
                        self.search.current = current;
                    }
                }
            }
            _ => return None,
        }
        Some(Effect::None)
    }

    /// The ranking to start with when the interface opens with a query (`-q`).
    pub fn initial_effect(&mut self) -> Effect {
        self.query_changed()
    }

    /// The article on the selected row, if the list has any rows.
    pub fn selected_article(&self) -> Option<usize> {
        self.matches.get(self.selected).map(|m| m.index)
    }

    /// The file behind article `index`.
    pub fn file_path(&self, index: usize) -> PathBuf {
        self.root.join(self.articles[index].relative_path())
    }

    /// How far down the article the reading pane shows, in percent (100 when all of it fits).
    pub fn reading_percent(&self) -> usize {
        if self.reading_lines == usize::MAX || self.reading_lines <= self.reading_rows {
            return 100;
        }
        let bottom = (self.reading_scroll + self.reading_rows).min(self.reading_lines);
        bottom * 100 / self.reading_lines
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) -> Effect {
        if !matches!(
            action,
            Action::Viewport { .. }
                | Action::Layout(_)
                | Action::Indexed(..)
                | Action::Ranked(_)
                | Action::Finished(_)
        ) {
            self.notice = None;
        }
        if let Some(overlay) = self.overlay
            && let Some(effect) = self.update_overlay(overlay, &action)
        {
            return effect;
        }
        if matches!(
            action,
            Action::Move(_)
                | Action::MovePage(_)
                | Action::First
                | Action::Last
                | Action::WheelList(_)
                | Action::Enter
                | Action::Tab
                | Action::NextArticle(_)
        ) {
            self.chosen = true;
        }
        let effect = match action {
            Action::Type(c) => {
                self.query.push(c);
                self.query_changed()
            }
            Action::Backspace => {
                if self.query.pop().is_none() {
                    return Effect::None;
                }
                self.query_changed()
            }
            Action::DeleteWord => {
                let kept = self
                    .query
                    .trim_end()
                    .trim_end_matches(|c: char| !c.is_whitespace());
                if kept.len() == self.query.len() {
                    return Effect::None;
                }
                self.query.truncate(kept.len());
                self.query_changed()
            }
            Action::ClearQuery => {
                if self.query.is_empty() {
                    return Effect::None;
                }
                self.query.clear();
                self.query_changed()
            }
            Action::Move(rows) => self.select(self.selected.saturating_add_signed(rows)),
            Action::MovePage(pages) => {
                let page = self.list_rows.max(1) as isize;
                self.select(self.selected.saturating_add_signed(pages * page))
            }
            Action::First => self.select(0),
            Action::Last => self.select(usize::MAX),
            Action::WheelList(rows) => self.select(self.selected.saturating_add_signed(rows)),
            Action::Enter => match (self.selected_article(), self.piped, self.focus) {
                (None, _, _) => Effect::None,
                (Some(index), true, _) => Effect::Exit(Exit::Chosen(index)),
                (Some(_), false, Focus::List) => {
                    self.focus = Focus::Reading;
                    Effect::None
                }
                (Some(_), false, Focus::Reading) => self.scroll_by(1),
            },
            Action::Tab => {
                self.focus = match self.focus {
                    Focus::List if self.selected_article().is_some() => Focus::Reading,
                    _ => Focus::List,
                };
                Effect::None
            }
            Action::Back => match self.focus {
                Focus::Reading => {
                    self.focus = Focus::List;
                    Effect::None
                }
                Focus::List if self.piped => Effect::Exit(Exit::Cancelled),
                Focus::List => Effect::Exit(Exit::Quit),
            },
            Action::Scroll(lines) => self.scroll_by(lines),
            Action::ScrollPage(pages) => {
                let page = self.reading_rows.saturating_sub(1).max(1) as isize;
                self.scroll_by(pages * page)
            }
            Action::WheelReading(notches) => self.scroll_by(notches * WHEEL_LINES as isize),
            Action::Top => {
                self.reading_scroll = 0;
                Effect::None
            }
            Action::Bottom => {
                self.reading_scroll = self.max_scroll();
                Effect::None
            }
            Action::NextArticle(step) => {
                let target = self.selected.saturating_add_signed(step);
                if target < self.matches.len() {
                    self.select(target);
                }
                Effect::None
            }
            Action::ToggleHelp => {
                self.overlay = Some(Overlay::Help);
                Effect::None
            }
            Action::ToggleSkipped => {
                self.overlay = Some(Overlay::Skipped(0));
                Effect::None
            }
            Action::CloseOverlay => Effect::None,
            Action::Interrupt => Effect::Exit(Exit::Interrupted),
            Action::Viewport {
                list_rows,
                reading_rows,
                reading_lines,
            } => {
                self.list_rows = list_rows.max(1);
                self.reading_rows = reading_rows.max(1);
                self.reading_lines = reading_lines;
                if reading_lines > 0
                    && let Some((line, lines)) = self.restore.take()
                {
                    // Scaled, for a pane of another width than the one it was left at.
                    self.reading_scroll = line * reading_lines / lines.max(1);
                }
                self.reading_scroll = self.reading_scroll.min(self.max_scroll());
                self.keep_selection_visible();
                Effect::None
            }
            Action::SearchStart
            | Action::SearchType(_)
            | Action::SearchBackspace
            | Action::SearchCommit
            | Action::SearchCancel
            | Action::SearchNext(_)
            | Action::Outline
            | Action::Links
            | Action::Yank
            | Action::Edit
            | Action::Layout(_) => self.update_reading_extras(&action).unwrap_or(Effect::None),
            Action::Indexed(articles, skipped) => self.indexed(articles, skipped),
            Action::Finished(library) => self.finished(library),
            Action::Ranked(ranked) => {
                self.ranked(ranked);
                Effect::None
            }
        };
        self.follow_selection();
        effect
    }

    /// Keys while an overlay is open: `Some` when the overlay took the action.
    fn update_overlay(&mut self, overlay: Overlay, action: &Action) -> Option<Effect> {
        let closes = matches!(
            (overlay, action),
            (_, Action::CloseOverlay | Action::Back)
                | (Overlay::Help, Action::ToggleHelp | Action::Enter)
                | (Overlay::Skipped(_), Action::ToggleSkipped)
        );
        if closes {
            self.overlay = None;
            return Some(Effect::None);
        }
        match (overlay, action) {
            (Overlay::Skipped(line), Action::Move(step) | Action::Scroll(step)) => {
                let last = self.skipped.len().saturating_sub(1);
                self.overlay = Some(Overlay::Skipped(
                    line.saturating_add_signed(*step).min(last),
                ));
                Some(Effect::None)
            }
            // Arrivals and measurements go on underneath; other keys wait for the overlay.
            (
                _,
                Action::Indexed(..)
                | Action::Finished(_)
                | Action::Ranked(_)
                | Action::Viewport { .. }
                | Action::Interrupt,
            ) => None,
            (Overlay::Help, Action::ToggleSkipped) => {
                self.overlay = Some(Overlay::Skipped(0));
                Some(Effect::None)
            }
            (Overlay::Skipped(_), Action::ToggleHelp) => {
                self.overlay = Some(Overlay::Help);
                Some(Effect::None)
            }
            (_, Action::Layout(_)) => None,
            (Overlay::Outline(row), Action::Move(step) | Action::Scroll(step)) => {
                let count = self.layout.as_ref().map_or(0, |l| l.headings.len());
                let row = row
                    .saturating_add_signed(*step)
                    .min(count.saturating_sub(1));
                self.overlay = Some(Overlay::Outline(row));
                Some(Effect::None)
            }
            (Overlay::Links(row), Action::Move(step) | Action::Scroll(step)) => {
                let count = self.layout.as_ref().map_or(0, |l| l.links.len());
                let row = row
                    .saturating_add_signed(*step)
                    .min(count.saturating_sub(1));
                self.overlay = Some(Overlay::Links(row));
                Some(Effect::None)
            }
            (Overlay::Outline(row), Action::Enter) => {
                self.overlay = None;
                let line = self
                    .layout
                    .as_ref()
                    .and_then(|l| l.headings.get(row))
                    .map(|h| h.line);
                if let Some(line) = line {
                    self.focus = Focus::Reading;
                    self.reading_scroll = line.min(self.max_scroll());
                }
                Some(Effect::None)
            }
            (Overlay::Links(row), Action::Enter | Action::Yank) => {
                let Some(url) = self.layout.as_ref().and_then(|l| l.links.get(row)).cloned() else {
                    return Some(Effect::None);
                };
                Some(if matches!(action, Action::Yank) {
                    self.notice = Some(format!("copied {url}"));
                    Effect::Copy(url)
                } else {
                    Effect::Open(url)
                })
            }
            _ => Some(Effect::None),
        }
    }

    /// Selects `row` (clamped to the list) and keeps it on screen.
    fn select(&mut self, row: usize) -> Effect {
        self.selected = row.min(self.matches.len().saturating_sub(1));
        self.keep_selection_visible();
        Effect::None
    }

    fn keep_selection_visible(&mut self) {
        let rows = self.list_rows.max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        // No empty rows at the bottom while there are rows above to show.
        let last_offset = self.matches.len().saturating_sub(rows);
        self.list_offset = self.list_offset.min(last_offset);
    }

    /// Records where the article in the reading pane is (for `positions`).
    pub fn remember_position(&mut self) {
        let Some(index) = self.reading_article else {
            return;
        };
        if self.reading_lines == usize::MAX || self.reading_lines == 0 || self.restore.is_some() {
            return;
        }
        let path = self.articles[index].path.clone();
        if self.reading_scroll == 0 {
            self.positions.remove(&path);
        } else {
            self.positions
                .insert(path, (self.reading_scroll, self.reading_lines));
        }
    }

    /// Resets the reading position when the selection moved to another article (to where it
    /// was left, if that is remembered).
    fn follow_selection(&mut self) {
        let article = self.selected_article();
        if article != self.reading_article {
            self.remember_position();
            self.reading_article = article;
            self.reading_scroll = 0;
            self.reading_lines = usize::MAX;
            self.restore =
                article.and_then(|i| self.positions.get(&self.articles[i].path).copied());
        }
        if article.is_none() {
            self.focus = Focus::List;
        }
    }

    fn max_scroll(&self) -> usize {
        self.reading_lines.saturating_sub(self.reading_rows)
    }

    fn scroll_by(&mut self, lines: isize) -> Effect {
        self.reading_scroll = self
            .reading_scroll
            .saturating_add_signed(lines)
            .min(self.max_scroll());
        Effect::None
    }

    /// A new query was typed: every article when it has no terms, else a ranking.
    fn query_changed(&mut self) -> Effect {
        self.generation += 1;
        self.chosen = false;
        if Matcher::new(&self.query).is_empty() {
            self.show_all();
            self.select(0);
            return Effect::None;
        }
        // Backspace back to a query ranked a moment ago: its answer is still good.
        let known = self
            .recent
            .iter()
            .find(|(query, _, covered)| *query == self.query && *covered == self.articles.len());
        if let Some((query, matches, covered)) = known.cloned() {
            self.matches = matches;
            self.matches_query = query;
            self.matches_covered = covered;
            self.list_offset = 0;
            self.select(0);
            return Effect::None;
        }
        let base = self.ranking_base();
        Effect::Rank(RankRequest {
            epoch: self.epoch,
            generation: self.generation,
            query: self.query.clone(),
            base,
        })
    }

    /// The matches a ranking of `query` may start from: those of an earlier query that `query`
    /// extends (every title matching `query` matches it too).
    fn ranking_base(&self) -> Option<(Arc<Vec<Match>>, usize)> {
        let shown = (&self.matches_query, &self.matches, self.matches_covered);
        self.recent
            .iter()
            .map(|(query, matches, covered)| (query, matches, *covered))
            .chain(std::iter::once(shown))
            .filter(|(query, _, _)| {
                !Matcher::new(query).is_empty() && titles::narrows(query, &self.query)
            })
            // The longest such query has the fewest matches to rank again.
            .max_by_key(|(query, _, covered)| (query.len(), *covered))
            .map(|(_, matches, covered)| (Arc::clone(matches), covered))
    }

    /// Every article, in order, as the list's rows (the empty query).
    fn show_all(&mut self) {
        let all = (0..self.articles.len())
            .map(|index| Match { index, score: 0 })
            .collect();
        self.matches = Arc::new(all);
        self.matches_query = self.query.clone();
        self.matches_covered = self.articles.len();
    }

    fn indexed(&mut self, articles: Vec<Article>, skipped: Vec<Skipped>) -> Effect {
        self.skipped.extend(skipped);
        if articles.is_empty() {
            return Effect::None;
        }
        self.articles.extend(articles);
        if Matcher::new(&self.query).is_empty() {
            let start = self.matches.len();
            Arc::make_mut(&mut self.matches)
                .extend((start..self.articles.len()).map(|index| Match { index, score: 0 }));
            self.matches_covered = self.articles.len();
            self.keep_selection_visible();
            return Effect::None;
        }
        // Rank the new titles too; the query has not changed, so no new generation.
        Effect::Rank(RankRequest {
            epoch: self.epoch,
            generation: self.generation,
            query: self.query.clone(),
            base: self.ranking_base(),
        })
    }

    fn finished(&mut self, library: Library) -> Effect {
        self.indexing = false;
        self.skipped = library.skipped;
        if library.articles.is_empty() {
            self.articles.clear();
            self.matches = Arc::new(Vec::new());
            return Effect::Exit(Exit::NoArticles);
        }
        // The same articles in another order: carry the rows and the selection across.
        let new_index: HashMap<&Path, usize> = library
            .articles
            .iter()
            .enumerate()
            .map(|(index, article)| (article.relative_path(), index))
            .collect();
        let old_to_new: Vec<Option<usize>> = self
            .articles
            .iter()
            .map(|article| new_index.get(article.relative_path()).copied())
            .collect();
        drop(new_index);
        let selected_article = self.selected_article().and_then(|i| old_to_new[i]);
        let screen_row = self.selected.saturating_sub(self.list_offset);
        self.reading_article = self.reading_article.and_then(|i| old_to_new[i]);
        self.articles = library.articles;
        self.epoch += 1;
        self.recent.clear(); // their indices are for the old order
        let effect = if Matcher::new(&self.query).is_empty() {
            self.show_all();
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
            self.matches_covered = 0;
            Effect::Rank(RankRequest {
                epoch: self.epoch,
                generation: self.generation,
                query: self.query.clone(),
                base: None,
            })
        };
        self.reselect(selected_article, screen_row);
        effect
    }

    fn ranked(&mut self, ranked: Ranked) {
        if ranked.epoch != self.epoch || ranked.query != self.query {
            return; // for another order or a query no longer typed
        }
        let same_query = self.matches_query == ranked.query;
        if same_query && ranked.covered < self.matches_covered {
            return; // older than what is shown
        }
        let selected_article = self.selected_article();
        let screen_row = self.selected.saturating_sub(self.list_offset);
        self.matches = Arc::new(ranked.matches);
        self.matches_query = ranked.query;
        self.matches_covered = ranked.covered;
        self.recent
            .retain(|(query, _, _)| *query != self.matches_query);
        if self.recent.len() == KEEP_RANKINGS {
            self.recent.remove(0);
        }
        self.recent.push((
            self.matches_query.clone(),
            Arc::clone(&self.matches),
            self.matches_covered,
        ));
        if same_query {
            // More of the same answer (new articles indexed): the selection stays put.
            self.reselect(selected_article, screen_row);
        } else {
            self.list_offset = 0;
            self.select(0);
        }
    }

    /// Selects `article` again after the rows changed, on the same screen row if it can be.
    fn reselect(&mut self, article: Option<usize>, screen_row: usize) {
        if !self.chosen {
            self.list_offset = 0;
            self.select(0);
            return;
        }
        let row = article.and_then(|a| self.matches.iter().position(|m| m.index == a));
        match row {
            Some(row) => {
                self.selected = row;
                self.list_offset = row.saturating_sub(screen_row);
                self.keep_selection_visible();
            }
            None => {
                self.select(self.selected);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(path: &str, title: &str) -> Article {
        Article {
            path: path.to_string(),
            title: title.to_string(),
            source: None,
            date: None,
            category: None,
            tags: Vec::new(),
            path_lossy: false,
            raw_path: None,
        }
    }

    fn titles() -> Vec<Article> {
        vec![
            article("a.md", "微信暂停新用户注册"),
            article("b.md", "Rust 排版指南"),
            article("c.md", "茶与水"),
            article("d.md", "Writing Rust"),
            article("e.md", "A rusty gate"),
        ]
    }

    /// Runs a ranking request the way the worker does, synchronously.
    fn run(app: &App, request: &RankRequest) -> Action {
        let titles: Vec<&str> = app.articles.iter().map(|a| a.title.as_str()).collect();
        let matches = Matcher::new(&request.query).rank(titles.iter().copied());
        Action::Ranked(Ranked {
            epoch: request.epoch,
            query: request.query.clone(),
            matches,
            covered: titles.len(),
        })
    }

    /// Applies `action`, running any ranking it asks for at once.
    fn apply(app: &mut App, action: Action) -> Effect {
        match app.update(action) {
            Effect::Rank(request) => {
                let answer = run(app, &request);
                app.update(answer)
            }
            other => other,
        }
    }

    fn loaded(piped: bool) -> App {
        let mut app = App::new(Path::new("docs"), "", piped);
        apply(&mut app, Action::Indexed(titles(), Vec::new()));
        app
    }

    fn rows(app: &App) -> Vec<&str> {
        app.matches
            .iter()
            .map(|m| app.articles[m.index].title.as_str())
            .collect()
    }

    fn type_str(app: &mut App, text: &str) {
        for c in text.chars() {
            apply(app, Action::Type(c));
        }
    }

    #[test]
    fn articles_fill_the_list_as_they_arrive() {
        let mut app = App::new(Path::new("docs"), "", false);
        assert!(app.matches.is_empty());
        apply(
            &mut app,
            Action::Indexed(titles()[..2].to_vec(), Vec::new()),
        );
        assert_eq!(app.matches.len(), 2);
        apply(
            &mut app,
            Action::Indexed(titles()[2..].to_vec(), Vec::new()),
        );
        assert_eq!(rows(&app).len(), 5);
        assert!(app.indexing);
    }

    #[test]
    fn typing_filters_and_editing_keys_widen_again() {
        let mut app = loaded(false);
        type_str(&mut app, "rust");
        assert_eq!(rows(&app).len(), 3);
        assert!(!rows(&app).contains(&"茶与水"));
        apply(&mut app, Action::Backspace);
        assert_eq!(app.query, "rus");
        type_str(&mut app, "t gate");
        assert_eq!(rows(&app), vec!["A rusty gate"]);
        apply(&mut app, Action::DeleteWord);
        assert_eq!(app.query, "rust ");
        assert_eq!(rows(&app).len(), 3);
        apply(&mut app, Action::ClearQuery);
        assert_eq!(app.query, "");
        assert_eq!(rows(&app).len(), 5);
    }

    #[test]
    fn a_query_that_extends_the_last_one_ranks_only_its_matches() {
        let mut app = loaded(false);
        type_str(&mut app, "ru");
        let Effect::Rank(request) = app.update(Action::Type('s')) else {
            panic!("expected a ranking");
        };
        let (base, covered) = request.base.clone().expect("extends \"ru\"");
        assert_eq!(covered, 5);
        assert_eq!(base.len(), 3);
        // A shorter query cannot start from the longer one's matches.
        app.update(run(&app, &request));
        app.update(Action::ClearQuery);
        let Effect::Rank(shorter) = app.update(Action::Type('u')) else {
            panic!("expected a ranking");
        };
        assert_eq!(shorter.base.map(|(m, _)| m.len()), None);
    }

    #[test]
    fn backspace_to_a_query_ranked_before_needs_no_ranking() {
        let mut app = loaded(false);
        type_str(&mut app, "rust");
        let three = rows(&app).len();
        type_str(&mut app, " ga");
        assert_eq!(rows(&app), vec!["A rusty gate"]);
        for _ in 0..3 {
            assert_eq!(app.update(Action::Backspace), Effect::None);
        }
        assert_eq!(app.query, "rust");
        assert_eq!(rows(&app).len(), three);
        // A longer query starts from the longest earlier query it extends.
        let Effect::Rank(request) = app.update(Action::Type('y')) else {
            panic!("expected a ranking");
        };
        assert_eq!(request.base.map(|(m, _)| m.len()), Some(three));
    }

    #[test]
    fn stale_rankings_are_dropped() {
        let mut app = loaded(false);
        let Effect::Rank(old) = app.update(Action::Type('茶')) else {
            panic!()
        };
        let stale = run(&app, &old);
        app.update(Action::Backspace);
        app.update(Action::Type('x'));
        app.update(stale);
        assert_eq!(app.matches_query, "");
        assert_eq!(rows(&app).len(), 5);
    }

    #[test]
    fn movement_is_clamped_and_keeps_the_selection_on_screen() {
        let mut app = loaded(false);
        app.update(Action::Viewport {
            list_rows: 2,
            reading_rows: 10,
            reading_lines: 30,
        });
        app.update(Action::Move(-1));
        assert_eq!(app.selected, 0);
        app.update(Action::Move(3));
        assert_eq!((app.selected, app.list_offset), (3, 2));
        app.update(Action::MovePage(1));
        assert_eq!(app.selected, 4);
        app.update(Action::First);
        assert_eq!((app.selected, app.list_offset), (0, 0));
        app.update(Action::Last);
        assert_eq!((app.selected, app.list_offset), (4, 3));
    }

    #[test]
    fn reading_pane_scrolls_within_the_article() {
        let mut app = loaded(false);
        app.update(Action::Enter);
        assert_eq!(app.focus, Focus::Reading);
        app.update(Action::Viewport {
            list_rows: 5,
            reading_rows: 10,
            reading_lines: 25,
        });
        assert_eq!(app.reading_percent(), 40);
        app.update(Action::ScrollPage(1));
        assert_eq!(app.reading_scroll, 9);
        app.update(Action::Bottom);
        assert_eq!((app.reading_scroll, app.reading_percent()), (15, 100));
        app.update(Action::Scroll(-1));
        assert_eq!(app.reading_scroll, 14);
        app.update(Action::Top);
        assert_eq!(app.reading_scroll, 0);
        app.update(Action::WheelReading(2));
        assert_eq!(app.reading_scroll, 6);
        // The next article starts at its top.
        app.update(Action::NextArticle(1));
        assert_eq!((app.selected, app.reading_scroll), (1, 0));
        app.update(Action::NextArticle(-1));
        app.update(Action::NextArticle(-1));
        assert_eq!(app.selected, 0);
        app.update(Action::Back);
        assert_eq!(app.focus, Focus::List);
    }

    #[test]
    fn how_the_interface_ends_depends_on_stdout() {
        let mut app = loaded(false);
        assert_eq!(app.update(Action::Back), Effect::Exit(Exit::Quit));
        assert_eq!(app.update(Action::Enter), Effect::None);
        assert_eq!(
            app.update(Action::Interrupt),
            Effect::Exit(Exit::Interrupted)
        );

        let mut piped = loaded(true);
        assert_eq!(piped.update(Action::Back), Effect::Exit(Exit::Cancelled));
        piped.update(Action::Move(2));
        assert_eq!(piped.update(Action::Tab), Effect::None);
        assert_eq!(piped.focus, Focus::Reading);
        assert_eq!(piped.update(Action::Enter), Effect::Exit(Exit::Chosen(2)));
        assert_eq!(piped.update(Action::Back), Effect::None);
        assert_eq!(piped.update(Action::Back), Effect::Exit(Exit::Cancelled));
    }

    #[test]
    fn enter_with_no_match_does_nothing() {
        let mut app = loaded(true);
        type_str(&mut app, "zzz9");
        assert!(app.matches.is_empty());
        assert_eq!(app.update(Action::Enter), Effect::None);
        assert_eq!(app.update(Action::Tab), Effect::None);
        assert_eq!(app.focus, Focus::List);
    }

    #[test]
    fn overlays_take_the_keys_until_closed() {
        let mut app = loaded(false);
        app.skipped = vec![
            Skipped {
                path: "x.md".into(),
                reason: "empty file".into(),
            },
            Skipped {
                path: "y.md".into(),
                reason: "not UTF-8 text".into(),
            },
        ];
        app.update(Action::ToggleHelp);
        assert_eq!(app.overlay, Some(Overlay::Help));
        app.update(Action::Type('a'));
        assert_eq!(app.query, "");
        app.update(Action::ToggleSkipped);
        assert_eq!(app.overlay, Some(Overlay::Skipped(0)));
        app.update(Action::Move(5));
        assert_eq!(app.overlay, Some(Overlay::Skipped(1)));
        assert_eq!(app.update(Action::Back), Effect::None);
        assert_eq!(app.overlay, None);
        assert_eq!(
            app.update(Action::Interrupt),
            Effect::Exit(Exit::Interrupted)
        );
    }

    #[test]
    fn finishing_settles_the_order_without_moving_the_selection() {
        let mut app = loaded(false);
        app.update(Action::Viewport {
            list_rows: 3,
            reading_rows: 3,
            reading_lines: 3,
        });
        app.update(Action::Move(3)); // "Writing Rust", on screen row 2
        assert_eq!(app.selected - app.list_offset, 2);
        let mut ordered = titles();
        ordered.reverse();
        let library = Library {
            root: PathBuf::from("docs"),
            articles: ordered,
            skipped: Vec::new(),
        };
        apply(&mut app, Action::Finished(library));
        assert!(!app.indexing);
        assert_eq!(rows(&app)[0], "A rusty gate");
        let selected = app.selected_article().unwrap();
        assert_eq!(app.articles[selected].title, "Writing Rust");
        // Row 1 now: as near its old screen row as the list allows.
        assert_eq!((app.selected, app.list_offset), (1, 0));
    }

    #[test]
    fn finishing_with_a_query_keeps_the_selected_article() {
        let mut app = loaded(false);
        type_str(&mut app, "rust");
        app.update(Action::Move(1));
        let chosen = app.articles[app.selected_article().unwrap()].title.clone();
        let mut ordered = titles();
        ordered.reverse();
        let library = Library {
            root: PathBuf::from("docs"),
            articles: ordered,
            skipped: Vec::new(),
        };
        apply(&mut app, Action::Finished(library));
        assert_eq!(rows(&app).len(), 3);
        assert_eq!(app.articles[app.selected_article().unwrap()].title, chosen);
    }

    #[test]
    fn a_selection_never_moved_stays_on_the_top_row() {
        let mut app = loaded(false);
        let mut ordered = titles();
        ordered.reverse();
        let library = Library {
            root: PathBuf::from("docs"),
            articles: ordered,
            skipped: Vec::new(),
        };
        apply(&mut app, Action::Finished(library));
        assert_eq!((app.selected, app.list_offset), (0, 0));
        assert_eq!(
            app.articles[app.selected_article().unwrap()].title,
            "A rusty gate"
        );
    }

    #[test]
    fn an_empty_archive_ends_the_interface() {
        let mut app = App::new(Path::new("docs"), "", false);
        let effect = app.update(Action::Finished(Library::default()));
        assert_eq!(effect, Effect::Exit(Exit::NoArticles));
    }

    #[test]
    fn a_starting_query_ranks_once_articles_arrive() {
        let mut app = App::new(Path::new("docs"), "茶", false);
        assert!(matches!(app.initial_effect(), Effect::Rank(_)));
        apply(&mut app, Action::Indexed(titles(), Vec::new()));
        assert_eq!(rows(&app), vec!["茶与水"]);
    }
}
