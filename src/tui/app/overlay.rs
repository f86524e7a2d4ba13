//! The windows drawn over the panes (the keys, the skipped files, the article's outline and
//! links): which one is open, and what the keys do while it is, since it takes them.

use super::action::{Action, Effect};
use crate::render::wrap::Layout;

/// A window drawn over the panes, taking the keys while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The keys and what they do, scrolled to this line (on a short screen).
    Help(usize),
    /// The files that could not be indexed, scrolled to this line.
    Skipped(usize),
    /// The article's headings (`o`), this one selected.
    Outline(usize),
    /// The article's links (`l`), this one selected.
    Links(usize),
}

/// The heading of the section that line `scroll` (the first on screen) is in: the last
/// heading at or above it; `None` above the first heading.
pub fn current_section(layout: &Layout, scroll: usize) -> Option<usize> {
    layout
        .headings
        .partition_point(|h| h.line <= scroll)
        .checked_sub(1)
}

/// What an overlay did with an action it took.
#[derive(Debug, PartialEq)]
pub enum Taken {
    /// The overlay open now (`None`: closed), and what the caller is asked to do.
    Done(Option<Overlay>, Effect),
    /// Closed on a heading: the reading pane is to show this line of the article.
    Read(usize),
    /// The link at the selected row is to be copied (the overlay stays).
    Copy(String),
}

impl Overlay {
    /// `o`: the outline of the article laid out as `layout`, or why there is none; the
    /// section being read (at line `scroll`) selected.
    pub fn outline(layout: Option<&Layout>, scroll: usize) -> Result<Overlay, &'static str> {
        match layout {
            Some(layout) if !layout.headings.is_empty() => Ok(Overlay::Outline(
                current_section(layout, scroll).unwrap_or(0),
            )),
            _ => Err("no headings"),
        }
    }

    /// `l`: the links of the article laid out as `layout`, or why there are none.
    pub fn links(layout: Option<&Layout>) -> Result<Overlay, &'static str> {
        match layout {
            Some(layout) if !layout.links.is_empty() => Ok(Overlay::Links(0)),
            _ => Err("no links"),
        }
    }

    /// The overlay's answer to `action`, scrolling no further than `end` (where its last
    /// entry is on its last row: further on, a key back would seem to do nothing), with the
    /// article laid out as `layout`; `None` when the action goes on to the panes underneath
    /// (arrivals, measurements, Ctrl-c). Other keys wait for the overlay to close.
    pub fn update(self, action: &Action, end: usize, layout: Option<&Layout>) -> Option<Taken> {
        let stay = |overlay| Some(Taken::Done(Some(overlay), Effect::None));
        let closes = matches!(
            (self, action),
            (_, Action::CloseOverlay | Action::Back)
                | (Overlay::Help(_), Action::ToggleHelp | Action::Enter)
                | (Overlay::Skipped(_), Action::ToggleSkipped)
        );
        if closes {
            return Some(Taken::Done(None, Effect::None));
        }
        match (self, action) {
            (Overlay::Skipped(line), Action::Move(step) | Action::Scroll(step)) => {
                stay(Overlay::Skipped(line.saturating_add_signed(*step).min(end)))
            }
            // Arrivals and measurements go on underneath.
            (
                _,
                Action::Indexed(..)
                | Action::Finished(_)
                | Action::Ranked(_)
                | Action::Searched(_)
                | Action::Lined(_)
                | Action::TextIndex(_)
                | Action::Viewport { .. }
                | Action::Interrupt,
            ) => None,
            (Overlay::Help(_), Action::ToggleSkipped) => stay(Overlay::Skipped(0)),
            (Overlay::Skipped(_), Action::ToggleHelp) => stay(Overlay::Help(0)),
            (Overlay::Help(line), Action::Move(step) | Action::Scroll(step)) => {
                stay(Overlay::Help(line.saturating_add_signed(*step).min(end)))
            }
            (_, Action::Layout(..)) => None,
            (Overlay::Outline(row), Action::Move(step) | Action::Scroll(step)) => {
                let count = layout.map_or(0, |l| l.headings.len());
                let row = row
                    .saturating_add_signed(*step)
                    .min(count.saturating_sub(1));
                stay(Overlay::Outline(row))
            }
            (Overlay::Links(row), Action::Move(step) | Action::Scroll(step)) => {
                let count = layout.map_or(0, |l| l.links.len());
                let row = row
                    .saturating_add_signed(*step)
                    .min(count.saturating_sub(1));
                stay(Overlay::Links(row))
            }
            (Overlay::Outline(row), Action::Enter) => {
                let line = layout.and_then(|l| l.headings.get(row)).map(|h| h.line);
                Some(match line {
                    Some(line) => Taken::Read(line),
                    None => Taken::Done(None, Effect::None),
                })
            }
            (Overlay::Links(row), Action::Enter | Action::Yank) => {
                let Some(url) = layout.and_then(|l| l.links.get(row)).cloned() else {
                    return stay(self);
                };
                Some(if matches!(action, Action::Yank) {
                    Taken::Copy(url)
                } else {
                    Taken::Done(Some(self), Effect::Open(url))
                })
            }
            _ => stay(self),
        }
    }
}
