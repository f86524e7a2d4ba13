//! What the screen shows for an [`App`]: the list pane with the query, the reading pane, the
//! status line and the overlays, laid out for the terminal's size. One file per part; this one
//! holds the [`Screen`] that measures, then draws them.
//!
//! Drawing never changes the state: [`Screen::prepare`] measures the panes and lays out the
//! selected article, and returns what it found as actions for the caller to apply; then
//! [`Screen::render`] draws from `&App`. Every article-derived string goes through `sanitize`
//! and every width through `width`, with the terminal's ambiguous width passed along, so a
//! title is cut at a grapheme boundary with `…` and never through a wide glyph.

mod geometry;
mod list;
mod overlays;
mod reading;
mod status;

use std::sync::Arc;

use ratatui::Frame;
use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

pub use geometry::{Panes, SIDE_BY_SIDE_MIN_WIDTH, panes, reading_panes};
pub use list::{title_line, title_line_with};
pub use reading::{LinkOnScreen, styled_line};

use super::reading_cache::{Laid, ReadingCache};
use super::theme;
use crate::render::width::AmbiWidth;
use crate::tui::app::{Action, App, Focus};

/// The panes for `app`: the article full screen while it is being read, else the list beside
/// (or above) the reading pane.
fn layout_for(app: &App, area: Rect) -> Panes {
    if app.focus == Focus::Reading && app.selected_article().is_some() {
        reading_panes(area)
    } else {
        panes(area)
    }
}

/// How the screen looks beyond its layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    /// How wide the terminal draws ambiguous-width characters (`“”…—·`).
    pub ambi: AmbiWidth,
    /// False with `NO_COLOR` or `--color never`: emphasis only (bold, underline, reverse).
    pub no_color: bool,
    /// Colours for a light background.
    pub light: bool,
    /// Links clickable with OSC 8 (see [`Screen::hyperlinks`]).
    pub hyperlinks: bool,
}

/// Draws the interface and keeps what drawing needs between frames: laid-out articles, the
/// article laid out for this frame, and where the panes were (for the mouse).
#[derive(Default)]
pub struct Screen {
    cache: ReadingCache,
    panes: Option<Panes>,
    look: Look,
    links: Vec<LinkOnScreen>,
    /// The selected article as [`Screen::prepare`] laid it out for the pane.
    laid: Option<Arc<Laid>>,
}

impl Screen {
    /// A screen with nothing laid out yet.
    pub fn new() -> Screen {
        Screen::default()
    }

    /// A screen that looks like `look`.
    pub fn with_look(look: Look) -> Screen {
        Screen {
            cache: ReadingCache::with_ambi(look.ambi),
            panes: None,
            look,
            links: Vec::new(),
            laid: None,
        }
    }

    /// Lays large articles out in two steps, calling `wake` when a whole layout is ready.
    pub fn wake_with(&mut self, wake: super::reading_cache::Wake) {
        self.cache.wake_with(wake);
    }

    /// Forgets the layout of `file` (edited): it is read again at the next draw.
    pub fn forget(&mut self, file: &std::path::Path) {
        self.cache.forget(file);
    }

    /// Measures the panes of a screen of `area` and lays out the selected article for the
    /// reading pane. What `app` must know before the frame is drawn comes back as actions: the
    /// rows of the panes and the article's lines, then the article as laid out. Apply them
    /// with [`App::update`], in order, then [`Screen::render`].
    pub fn prepare(&mut self, app: &App, area: Rect) -> [Action; 2] {
        let panes = layout_for(app, area);
        self.laid = app
            .selected_article()
            .filter(|_| panes.body.width > 0)
            .map(|index| {
                self.cache.get(
                    &app.file_path(index),
                    app.articles[index].title(),
                    usize::from(panes.body.width),
                )
            });
        let measured = Action::Viewport {
            list_rows: usize::from(panes.rows.height),
            reading_rows: usize::from(panes.body.height),
            reading_lines: self.laid.as_ref().map_or(0, |laid| laid.len()),
            overlay_end: app
                .overlay
                .map_or(0, |o| overlays::scroll_end(app, o, area, self.look.ambi)),
        };
        let layout = self.laid.as_ref().and_then(|laid| match &**laid {
            Laid::Lines(layout) => Some(Arc::clone(layout)),
            Laid::Error(_) => None,
        });
        let whole = app
            .selected_article()
            .filter(|_| panes.body.width > 0)
            .is_none_or(|index| {
                let file = app.file_path(index);
                self.cache.is_whole(&file, usize::from(panes.body.width))
            });
        [measured, Action::Layout(layout, whole)]
    }

    /// Draws `app` on `frame`, with the article [`Screen::prepare`] laid out.
    pub fn render(&mut self, frame: &mut Frame<'_>, app: &App) {
        let ambi = self.look.ambi;
        let panes = layout_for(app, frame.area());
        self.panes = Some(panes);
        let laid = self.laid.clone();
        if !panes.full {
            list::draw_query(frame, app, panes.query, ambi);
            list::draw_rows(frame, app, panes.rows, ambi);
        }
        reading::draw_reading(frame, app, &panes, laid.as_ref(), ambi);
        self.links.clear();
        if self.look.hyperlinks
            && app.overlay.is_none()
            && let Some(Laid::Lines(layout)) = laid.as_deref()
        {
            self.links = reading::links_on_screen(layout, app.reading_scroll, panes.body, ambi);
        }
        status::draw_status(frame, app, panes.status, laid.is_some(), ambi);
        if let Some(overlay) = app.overlay {
            overlays::draw_overlay(frame, app, overlay, ambi);
        }
        if ambi == AmbiWidth::Double {
            if app.overlay.is_none() {
                for area in [
                    panes.query,
                    panes.rows,
                    panes.header,
                    panes.body,
                    panes.status,
                ] {
                    theme::make_room_for_ambiguous(frame.buffer_mut(), area);
                }
            }
            theme::narrow_the_rest(frame.buffer_mut());
        }
        theme::adapt(frame.buffer_mut(), self.look.no_color, self.look.light);
    }

    /// Prepares a frame, applies what it found to `app` and renders it: drawing in one step,
    /// for a caller without an event loop (the interface's own loop does the steps apart).
    pub fn draw(&mut self, frame: &mut Frame<'_>, app: &mut App) {
        for action in self.prepare(app, frame.area()) {
            app.update(action);
        }
        self.render(frame, app);
    }

    /// The links of the article on screen in the last frame (with `--hyperlinks`).
    pub fn hyperlinks(&self) -> &[LinkOnScreen] {
        &self.links
    }

    /// The action for a mouse event: the wheel scrolls the pane under the pointer.
    pub fn mouse(&self, event: MouseEvent) -> Option<Action> {
        let panes = self.panes?;
        let step = match event.kind {
            MouseEventKind::ScrollDown => 1,
            MouseEventKind::ScrollUp => -1,
            _ => return None,
        };
        let at = Position::new(event.column, event.row);
        if panes.reading.contains(at) {
            Some(Action::WheelReading(step))
        } else if panes.rows.contains(at) || panes.query.contains(at) {
            Some(Action::WheelList(step))
        } else {
            None
        }
    }
}
