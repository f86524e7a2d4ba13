//! The interface's state and every change to it: keys and arrivals become [`Action`]s that
//! [`App::update`] applies, without I/O, so the whole interface can be tested as plain data.
//!
//! `tui` turns terminal events into actions, runs what [`Effect`]s ask for (ranking on a worker
//! thread, leaving with an article chosen) and draws the state. `App` holds the archive, the
//! focus and the reading pane's position; `update` hands each action to the sub-state it is
//! about: the list ([`List`]: query, rows, selection, rankings), the search in the article and
//! the article open ([`Search`], [`Opened`]), or the overlay open ([`Overlay`]).

mod action;
pub mod columns;
mod list;
mod overlay;
mod reading;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use action::{Action, Effect, Exit, LineEdit};
pub use columns::Columns;
pub use list::{List, Mode};
use overlay::Taken;
pub use overlay::{Overlay, current_section};
use reading::Jump;
pub use reading::{Opened, Search, WHEEL_LINES};

use crate::archive::article::Article;
use crate::archive::library::{Library, Skipped};
use crate::render::width::AmbiWidth;
use crate::render::wrap::Layout;
use crate::tui::searcher::IndexNews;

/// Which pane takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The list: typing edits the query.
    List,
    /// The reading pane: keys scroll the article.
    Reading,
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
    /// The order the list is sorted in once indexing ends (the caller sorts the library).
    pub sort: crate::archive::order::SortKey,
    /// How wide ambiguous-width characters are drawn (for search hit columns).
    pub ambi: AmbiWidth,
    /// Which pane takes the keys.
    pub focus: Focus,
    /// A line for the status bar until the next key (a link copied, an opener that failed).
    pub notice: Option<String>,
    /// The list pane: the query, its rows, the selection.
    pub list: List,
    /// The metadata columns that tell the articles apart (none until indexing ends).
    pub columns: Columns,
    /// The overlay open, if any.
    pub overlay: Option<Overlay>,
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
    /// The article the reading pane holds, and where articles were left.
    pub opened: Opened,
    /// Where the text index stands, once text mode was used (`None` before).
    pub text_index: Option<IndexNews>,
    /// How far the open overlay scrolls (help, skipped files): the position at which its last
    /// entry is on its last row, as the screen last measured it.
    pub overlay_end: usize,
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
            sort: crate::archive::order::SortKey::Summary,
            ambi: AmbiWidth::Single,
            focus: Focus::List,
            notice: None,
            list: List::new(query),
            columns: Columns::default(),
            overlay: None,
            reading_scroll: 0,
            reading_rows: 1,
            reading_lines: usize::MAX,
            layout: None,
            search: Search::default(),
            opened: Opened::default(),
            text_index: None,
            overlay_end: 0,
        }
    }

    /// Starts in text mode (`-s`): the query typed is searched for in the articles' text.
    pub fn start_in_text_mode(&mut self) {
        self.list.mode = Mode::Text;
        self.text_index = Some(IndexNews::Building { done: 0, total: 0 });
    }

    /// True while a search is being typed (keys go to it).
    pub fn search_typing(&self) -> bool {
        self.search.typing.is_some()
    }

    /// The ranking to start with when the interface opens with a query (`-q`).
    pub fn initial_effect(&mut self) -> Effect {
        self.list.query_changed(self.articles.len())
    }

    /// The article on the selected row, if the list has any rows.
    pub fn selected_article(&self) -> Option<usize> {
        self.list.selected_article()
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

    /// Applies one action: an open overlay takes it first; the list, the reading pane or the
    /// interface as a whole then, by what it is about.
    pub fn update(&mut self, action: Action) -> Effect {
        if !action.is_arrival() {
            self.notice = None;
        }
        if let Some(overlay) = self.overlay
            && let Some(taken) = overlay.update(&action, self.overlay_end, self.layout.as_deref())
        {
            return self.overlay_took(taken);
        }
        if action.picks_the_selection() {
            self.list.hold_selection();
        }
        let next_article = matches!(action, Action::NextArticle(_));
        if matches!(action, Action::ToggleMode) && self.text_index.is_none() {
            self.text_index = Some(IndexNews::Building { done: 0, total: 0 });
        }
        let effect = match action {
            Action::Type(_)
            | Action::Backspace
            | Action::DeleteWord
            | Action::ClearQuery
            | Action::Line(_)
            | Action::ToggleMode
            | Action::Move(_)
            | Action::MovePage(_)
            | Action::First
            | Action::Last
            | Action::WheelList(_)
            | Action::NextArticle(_) => match self.list.update(&action, self.articles.len()) {
                Some(effect) => effect,
                None => return Effect::None,
            },
            Action::Scroll(_)
            | Action::ScrollPage(_)
            | Action::ScrollHalf(_)
            | Action::WheelReading(_)
            | Action::Top
            | Action::Bottom
            | Action::SearchStart
            | Action::SearchType(_)
            | Action::SearchBackspace
            | Action::SearchCommit
            | Action::SearchCancel
            | Action::SearchNext(_)
            | Action::Edit => self.update_reading(&action),
            Action::Enter => match (self.selected_article(), self.piped, self.focus) {
                (None, _, _) => Effect::None,
                (Some(index), true, _) => Effect::Exit(Exit::Chosen(index)),
                (Some(_), false, Focus::List) => {
                    self.focus = Focus::Reading;
                    self.prime_search();
                    Effect::None
                }
                (Some(_), false, Focus::Reading) => self.scroll_by(1),
            },
            Action::Tab => {
                self.focus = match self.focus {
                    Focus::List if self.selected_article().is_some() => {
                        self.prime_search();
                        Focus::Reading
                    }
                    _ => Focus::List,
                };
                Effect::None
            }
            Action::Back => match self.focus {
                Focus::Reading => {
                    self.focus = Focus::List;
                    self.search.go_to_first = false;
                    Effect::None
                }
                Focus::List if self.piped => Effect::Exit(Exit::Cancelled),
                Focus::List => Effect::Exit(Exit::Quit),
            },
            Action::Interrupt => Effect::Exit(Exit::Interrupted),
            Action::ToggleHelp => self.open(Ok(Overlay::Help(0))),
            Action::ToggleSkipped => self.open(Ok(Overlay::Skipped(0))),
            Action::Outline => self.open(Overlay::outline(
                self.layout.as_deref(),
                self.reading_scroll,
            )),
            Action::Links => self.open(Overlay::links(self.layout.as_deref())),
            Action::CloseOverlay | Action::Yank => Effect::None,
            Action::Viewport {
                list_rows,
                reading_rows,
                reading_lines,
                overlay_end,
            } => {
                self.overlay_end = overlay_end;
                self.measured(list_rows, reading_rows, reading_lines)
            }
            Action::Layout(layout, whole) => self.laid_out(layout, whole),
            Action::Indexed(articles, skipped) => self.indexed(articles, skipped),
            Action::Finished(library) => self.finished(library),
            Action::Ranked(ranked) => {
                self.list.ranked(ranked);
                Effect::None
            }
            Action::Searched(searched) => {
                self.list.searched(searched);
                Effect::None
            }
            Action::Lined(lined) => {
                self.list.lined(lined);
                Effect::None
            }
            Action::TextIndex(news) => {
                if let IndexNews::Note(note) | IndexNews::Unavailable(Some(note)) = &news {
                    self.notice = Some(note.clone());
                }
                self.text_index = Some(news);
                Effect::None
            }
        };
        self.follow_selection();
        // `]`/`[` through text results: each article opens at its first hit.
        if next_article && self.focus == Focus::Reading && !self.search.terms.is_empty() {
            self.search.go_to_first = true;
        }
        effect
    }

    /// Opens `overlay`, or says why it cannot be.
    fn open(&mut self, overlay: Result<Overlay, &str>) -> Effect {
        match overlay {
            Ok(overlay) => self.overlay = Some(overlay),
            Err(why) => self.notice = Some(why.to_string()),
        }
        Effect::None
    }

    /// A text result is being opened: the search in the article becomes the text query's,
    /// and the article opens at its first hit.
    fn prime_search(&mut self) {
        if self.list.mode == Mode::Text && self.list.lines.is_some() {
            let query = self.list.matches_query.clone();
            self.search.prime(&query, self.layout.as_deref(), self.ambi);
        }
    }

    /// Does what the open overlay asked for after taking an action.
    fn overlay_took(&mut self, taken: Taken) -> Effect {
        match taken {
            Taken::Done(overlay, effect) => {
                self.overlay = overlay;
                effect
            }
            Taken::Read(line) => {
                self.overlay = None;
                self.focus = Focus::Reading;
                self.reading_scroll = line.min(self.max_scroll());
                Effect::None
            }
            Taken::Copy(url) => {
                self.notice = Some(format!("copied {url}"));
                Effect::Copy(url)
            }
        }
    }

    /// The keys of the reading pane: scrolling, the search, the editor.
    fn update_reading(&mut self, action: &Action) -> Effect {
        let jump = match *action {
            Action::Scroll(lines) => return self.scroll_by(lines),
            Action::ScrollPage(pages) => {
                let page = self.reading_rows.saturating_sub(1).max(1) as isize;
                return self.scroll_by(pages * page);
            }
            Action::ScrollHalf(halves) => {
                let half = (self.reading_rows / 2).max(1) as isize;
                return self.scroll_by(halves * half);
            }
            Action::WheelReading(notches) => {
                return self.scroll_by(notches * WHEEL_LINES as isize);
            }
            Action::Top => {
                self.reading_scroll = 0;
                Jump::Stay
            }
            Action::Bottom => {
                self.reading_scroll = self.max_scroll();
                Jump::Stay
            }
            Action::SearchStart => {
                if self.focus == Focus::Reading {
                    self.search.start();
                }
                Jump::Stay
            }
            Action::SearchType(c) => {
                self.search.type_char(c);
                Jump::Stay
            }
            Action::SearchBackspace => {
                self.search.backspace();
                Jump::Stay
            }
            Action::SearchCancel => {
                self.search.cancel();
                Jump::Stay
            }
            Action::SearchCommit => {
                self.search
                    .commit(self.layout.as_deref(), self.ambi, self.reading_scroll)
            }
            Action::SearchNext(step) => self.search.step(step, self.reading_scroll),
            Action::Edit => {
                return match self.selected_article() {
                    Some(index) => Effect::Edit(index),
                    None => Effect::None,
                };
            }
            _ => Jump::Stay,
        };
        match jump {
            Jump::To(line) => self.centre(line),
            Jump::NotFound(notice) => self.notice = Some(notice),
            Jump::Stay => {}
        }
        Effect::None
    }

    /// The view measured the panes: rows for the list and the article, lines of the article.
    fn measured(&mut self, list_rows: usize, reading_rows: usize, reading_lines: usize) -> Effect {
        self.reading_rows = reading_rows.max(1);
        self.reading_lines = reading_lines;
        if let Some(line) = self.opened.restored(reading_lines) {
            self.reading_scroll = line;
        }
        self.reading_scroll = self.reading_scroll.min(self.max_scroll());
        self.list.measured(list_rows);
        Effect::None
    }

    /// The view laid out the article in the reading pane (anew when the pointer differs);
    /// `whole` is false while only the first part of a large article is laid out.
    fn laid_out(&mut self, layout: Option<Arc<Layout>>, whole: bool) -> Effect {
        let same = match (&self.layout, &layout) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.layout = layout;
            self.search.relaid(self.layout.as_deref(), self.ambi);
        }
        // A text result opened: at its first hit, laid out for the pane it is read in.
        if self.search.go_to_first && self.focus == Focus::Reading && self.layout.is_some() {
            if !whole {
                // Only the first part: its first hit, if it holds one, is the article's first
                // (the part is the start of the whole); either way the whole decides.
                if !same && let Some(line) = self.search.first_hit_so_far() {
                    self.centre(line);
                    self.search.landed = Some(self.reading_scroll);
                }
            } else if self
                .search
                .landed
                .take()
                .is_some_and(|at| at != self.reading_scroll)
            {
                // The reader scrolled away while the rest was laid out: left where they are.
                self.search.go_to_first = false;
            } else {
                match self.search.first_hit() {
                    Jump::To(line) => self.centre(line),
                    Jump::NotFound(notice) => self.notice = Some(notice),
                    Jump::Stay => {}
                }
            }
        }
        Effect::None
    }

    /// Records where the article in the reading pane is (for `opened.positions`).
    pub fn remember_position(&mut self) {
        let Some(index) = self.opened.article() else {
            return;
        };
        let path = self.articles[index].path();
        self.opened
            .remember(path, self.reading_scroll, self.reading_lines);
    }

    /// Resets the reading position when the selection moved to another article (to where it
    /// was left, if that is remembered).
    fn follow_selection(&mut self) {
        let article = self.selected_article();
        if article != self.opened.article() {
            self.remember_position();
            let path = article.map(|i| self.articles[i].path());
            self.opened.open(article, path);
            self.reading_scroll = 0;
            self.reading_lines = usize::MAX;
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

    /// Scrolls so that `line` is in the middle of the pane.
    fn centre(&mut self, line: usize) {
        self.reading_scroll = line
            .saturating_sub(self.reading_rows / 2)
            .min(self.max_scroll());
    }

    fn indexed(&mut self, articles: Vec<Article>, skipped: Vec<Skipped>) -> Effect {
        self.skipped.extend(skipped);
        if articles.is_empty() {
            return Effect::None;
        }
        self.articles.extend(articles);
        self.list.indexed(self.articles.len())
    }

    fn finished(&mut self, library: Library) -> Effect {
        self.indexing = false;
        self.skipped = library.skipped;
        if library.articles.is_empty() {
            self.articles.clear();
            self.list.emptied();
            return Effect::Exit(Exit::NoArticles);
        }
        // The same articles in another order: carry the rows and the selection across. Keyed
        // by the path's bytes with foldhash: a `Path` hashes component by component, which on
        // a million articles held the list back for seconds.
        // Nothing shown yet (the library came whole from the head cache): nothing to carry.
        let same_order = self.articles.is_empty()
            || self.articles.len() == library.articles.len()
                && self
                    .articles
                    .iter()
                    .zip(&library.articles)
                    .all(|(old, new)| path_key(old) == path_key(new));
        let old_to_new: Vec<Option<usize>> = if same_order {
            // The order they came in (an unchanged archive's, taken from the head cache).
            (0..self.articles.len()).map(Some).collect()
        } else {
            let mut new_index: HashMap<&[u8], usize, foldhash::fast::RandomState> =
                HashMap::with_capacity_and_hasher(library.articles.len(), Default::default());
            for (index, article) in library.articles.iter().enumerate() {
                new_index.insert(path_key(article), index);
            }
            self.articles
                .iter()
                .map(|article| new_index.get(path_key(article)).copied())
                .collect()
        };
        self.opened.reordered(&old_to_new);
        self.articles = library.articles;
        self.columns = Columns::of(&self.articles);
        self.list.finished(&old_to_new, self.articles.len())
    }
}

/// An article's relative path as bytes: exact, and quick to hash.
fn path_key(article: &Article) -> &[u8] {
    article.relative_path().as_os_str().as_encoded_bytes()
}

#[cfg(test)]
mod tests;
