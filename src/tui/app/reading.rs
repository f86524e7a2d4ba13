//! The reading pane's sub-states: the search inside the article ([`Search`]), and which
//! article is open with where articles were left ([`Opened`]). The pane's scroll position and
//! size, which every part of the interface reads, stay on `App`.

use crate::find::in_article::{self, Hit};
use crate::render::width::AmbiWidth;
use crate::render::wrap::Layout;
use crate::tui::positions::Positions;

/// Lines the mouse wheel scrolls the reading pane by, per notch.
pub const WHEEL_LINES: usize = 3;

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
    /// The terms of a text query the search was primed with (each found, case ignored, as
    /// `folio search` finds them); empty for a search typed after `/`.
    pub terms: Vec<String>,
    /// True when the next layout of the article is to show its first hit (a text result
    /// opened).
    pub go_to_first: bool,
    /// Where the pane was scrolled to for the first hit of the first part of a large article,
    /// while the rest is laid out: the whole layout goes to its first hit unless the reader
    /// moved from there.
    pub landed: Option<usize>,
}

/// Where a search step leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Jump {
    /// To this line of the article (to be centred in the pane).
    To(usize),
    /// Nowhere: say so on the status line.
    NotFound(String),
    /// Nowhere, and nothing to say.
    Stay,
}

impl Search {
    /// `/`: opens the prompt, empty.
    pub fn start(&mut self) {
        self.typing = Some(String::new());
    }

    /// A character typed into the prompt.
    pub fn type_char(&mut self, c: char) {
        if let Some(typing) = &mut self.typing {
            typing.push(c);
        }
    }

    /// Backspace in the prompt.
    pub fn backspace(&mut self) {
        if let Some(typing) = &mut self.typing {
            typing.pop();
        }
    }

    /// Esc: closes the prompt; the last search stays.
    pub fn cancel(&mut self) {
        self.typing = None;
    }

    /// A text result is opened: the search is the text query's (`query`), every term of it
    /// found in `layout`, and the first hit is gone to once the article is laid out for the
    /// pane.
    pub fn prime(&mut self, query: &str, layout: Option<&Layout>, ambi: AmbiWidth) {
        let Ok(parsed) = crate::find::text::query::Query::parse(query) else {
            return;
        };
        self.typing = None;
        self.query = query.to_string();
        self.terms = parsed.wanted().map(|t| t.text.to_lowercase()).collect();
        self.go_to_first = true;
        self.landed = None;
        self.again(layout, ambi);
    }

    /// The first hit in the article as laid out so far (a first part), gone to; the primed
    /// search still waits for the whole layout.
    pub fn first_hit_so_far(&mut self) -> Option<usize> {
        let line = self.hits.first()?.line();
        self.current = Some(0);
        Some(line)
    }

    /// The first hit of a primed search, if one is to be gone to.
    pub fn first_hit(&mut self) -> Jump {
        if !std::mem::take(&mut self.go_to_first) {
            return Jump::Stay;
        }
        self.current = None;
        self.step(1, 0)
    }

    /// Enter: searches `layout` for what was typed, and goes to the first hit from line
    /// `from` on (else the first of all).
    pub fn commit(&mut self, layout: Option<&Layout>, ambi: AmbiWidth, from: usize) -> Jump {
        let Some(typing) = self.typing.take() else {
            return Jump::Stay;
        };
        self.query = typing;
        self.terms.clear();
        self.again(layout, ambi);
        let first = self.hits.iter().position(|h| h.line() >= from);
        match first.or((!self.hits.is_empty()).then_some(0)) {
            Some(index) => self.go_to(index),
            None => self.not_found(),
        }
    }

    /// `n`/`N`: the next (`step` 1) or previous (-1) hit, wrapping around; with none gone to
    /// yet, the first from line `from` on (or the last, going back).
    pub fn step(&mut self, step: isize, from: usize) -> Jump {
        let count = self.hits.len();
        if count == 0 {
            return self.not_found();
        }
        let next = match self.current {
            Some(current) => (current as isize + step).rem_euclid(count as isize) as usize,
            None if step >= 0 => self.hits.iter().position(|h| h.line() >= from).unwrap_or(0),
            None => count - 1,
        };
        self.go_to(next)
    }

    /// The article was laid out again (another article, or another width): the hits are
    /// found again, and the current one kept when it still exists.
    pub fn relaid(&mut self, layout: Option<&Layout>, ambi: AmbiWidth) {
        let current = self.current;
        self.again(layout, ambi);
        // Same article at another width: stay on the same hit.
        if current.is_some_and(|c| c < self.hits.len()) {
            self.current = current;
        }
    }

    /// Goes to hit `index`.
    fn go_to(&mut self, index: usize) -> Jump {
        match self.hits.get(index) {
            Some(hit) => {
                self.current = Some(index);
                Jump::To(hit.line())
            }
            None => Jump::Stay,
        }
    }

    fn not_found(&self) -> Jump {
        if self.query.is_empty() {
            Jump::Stay
        } else {
            Jump::NotFound(format!("not found: {}", self.query))
        }
    }

    /// Finds the query in the laid-out article again.
    fn again(&mut self, layout: Option<&Layout>, ambi: AmbiWidth) {
        self.hits = match layout {
            Some(layout) if self.terms.is_empty() => {
                in_article::find(&layout.lines, &self.query, ambi)
            }
            Some(layout) => {
                let mut hits: Vec<Hit> = self
                    .terms
                    .iter()
                    .flat_map(|term| in_article::find(&layout.lines, term, ambi))
                    .collect();
                hits.sort_by_key(|hit| hit.pieces.first().map(|p| (p.line, p.start)));
                hits
            }
            None => Vec::new(),
        };
        self.current = None;
    }
}

/// Which article the reading pane holds, and where articles were left.
#[derive(Debug, Default)]
pub struct Opened {
    /// Where articles were left, by relative path: (first line on screen, lines then). The
    /// interface loads and saves them; `update` keeps them as articles are left.
    pub positions: Positions,
    /// The article whose scroll position the pane's is.
    article: Option<usize>,
    /// A remembered position to go back to once the article's lines are counted.
    restore: Option<(usize, usize)>,
}

impl Opened {
    /// The article the pane's position belongs to.
    pub fn article(&self) -> Option<usize> {
        self.article
    }

    /// The pane now holds `article` (at `path`): its remembered position, if any, is gone
    /// back to once its lines are counted.
    pub fn open(&mut self, article: Option<usize>, path: Option<&str>) {
        self.article = article;
        self.restore = path.and_then(|path| self.positions.get(path).copied());
    }

    /// The articles were put in another order: old index `i` is now `old_to_new[i]`.
    pub fn reordered(&mut self, old_to_new: &[Option<usize>]) {
        self.article = self.article.and_then(|i| old_to_new[i]);
    }

    /// Records that the article at `path` was left at line `scroll` of `lines` (forgotten
    /// at its top). Nothing is recorded before the lines are counted, nor while a position
    /// waits to be gone back to.
    pub fn remember(&mut self, path: &str, scroll: usize, lines: usize) {
        if lines == usize::MAX || lines == 0 || self.restore.is_some() {
            return;
        }
        if scroll == 0 {
            self.positions.remove(path);
        } else {
            self.positions.insert(path.to_string(), (scroll, lines));
        }
    }

    /// The article has `lines` lines at the pane's width: the line to go back to, if one
    /// waits (scaled, for a pane of another width than the one it was left at).
    pub fn restored(&mut self, lines: usize) -> Option<usize> {
        if lines == 0 {
            return None;
        }
        let (line, then) = self.restore.take()?;
        Some(line * lines / then.max(1))
    }
}
