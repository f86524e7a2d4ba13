//! The interface's vocabulary: every [`Action`] that can happen to it and every [`Effect`] an
//! update asks its caller for. Plain data, shared by the state (`app`) and its sub-states.

use std::sync::Arc;

use crate::archive::article::Article;
use crate::archive::library::{Library, Skipped};
use crate::render::wrap::Layout;
use crate::tui::ranker::{RankRequest, Ranked};
use crate::tui::searcher::{IndexNews, Lined, Searched, TextRequest};

/// How the interface ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// Enter with stdout not a terminal: print this article (index into `App::articles`).
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
    /// Backspace: remove the query's character before the cursor.
    Backspace,
    /// Ctrl-w: remove the word before the cursor (and the spaces after it), as readline's
    /// `unix-word-rubout`.
    DeleteWord,
    /// Ctrl-u: remove the query before the cursor (all of it with the cursor at the end).
    ClearQuery,
    /// Another key of the query line: a move of its cursor, or a deletion after it.
    Line(LineEdit),
    /// Ctrl-t: filter the list by titles or by text, the other of the two.
    ToggleMode,
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
    /// Scroll the reading pane half a page (negative: up), as Ctrl-d and Ctrl-u in `less`.
    ScrollHalf(isize),
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
    /// The reading pane's article as laid out for the pane (none when nothing is selected),
    /// and whether that is the whole of it (false while a large article shows its first part
    /// and the rest is laid out).
    Layout(Option<Arc<Layout>>, bool),
    /// The screen's panes were measured: rows for list entries, rows and lines of the
    /// reading pane's article.
    Viewport {
        /// Rows available for list entries.
        list_rows: usize,
        /// Rows available for the article's lines.
        reading_rows: usize,
        /// Lines the selected article has at the pane's width.
        reading_lines: usize,
        /// How far the open overlay (help, skipped files) scrolls: the position at which its
        /// last entry is on its last row (0 when all of it shows, or none is open).
        overlay_end: usize,
    },
    /// A batch of the background index: new articles and skipped files, in found order.
    Indexed(Vec<Article>, Vec<Skipped>),
    /// Indexing is over: the whole library, in the default order.
    Finished(Library),
    /// A ranking asked for by [`Effect::Rank`] is done.
    Ranked(Ranked),
    /// A text search asked for by [`Effect::Search`] is done.
    Searched(Searched),
    /// More best lines for the rows of a text search's answer.
    Lined(Lined),
    /// The text index moved on (built, ready, or not to be had).
    TextIndex(IndexNews),
}

impl Action {
    /// True for what arrives from elsewhere (the index, the ranker, the screen's measures)
    /// rather than from the user: these leave a notice on the status line in place.
    pub fn is_arrival(&self) -> bool {
        matches!(
            self,
            Action::Viewport { .. }
                | Action::Layout(..)
                | Action::Indexed(..)
                | Action::Ranked(_)
                | Action::Searched(_)
                | Action::Lined(_)
                | Action::TextIndex(_)
                | Action::Finished(_)
        )
    }

    /// True for the actions by which the user picks the selection: from then on it follows
    /// its article when the rows change.
    pub fn picks_the_selection(&self) -> bool {
        matches!(
            self,
            Action::Move(_)
                | Action::MovePage(_)
                | Action::First
                | Action::Last
                | Action::WheelList(_)
                | Action::Enter
                | Action::Tab
                | Action::NextArticle(_)
        )
    }
}

/// The query line's keys besides typing and deleting backwards, as readline and fzf have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEdit {
    /// Left: the cursor a character back.
    Left,
    /// Right: the cursor a character on.
    Right,
    /// Home, Ctrl-a: the cursor to the start.
    Start,
    /// End, Ctrl-e: the cursor to the end.
    End,
    /// Alt-b: the cursor to the start of this or the previous word.
    WordLeft,
    /// Alt-f: the cursor to the end of this or the next word.
    WordRight,
    /// Delete: remove the character under the cursor.
    Delete,
    /// Ctrl-k: remove the query from the cursor to the end.
    KillToEnd,
}

/// What `update` asks its caller to do.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Nothing beyond redrawing.
    None,
    /// Rank the titles for this request (off the UI thread) and send back [`Action::Ranked`].
    Rank(RankRequest),
    /// Search the articles' text for this request (off the UI thread) and send back
    /// [`Action::Searched`].
    Search(TextRequest),
    /// Leave the interface.
    Exit(Exit),
    /// Open this URL with the system's opener.
    Open(String),
    /// Copy this text to the clipboard (OSC 52).
    Copy(String),
    /// Open article `index` in `$EDITOR`, the interface suspended meanwhile.
    Edit(usize),
}
