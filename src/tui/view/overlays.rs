//! The windows over the panes: the keys (F1), the skipped files (F2), the article's outline
//! (`o`) and links (`l`), each in a box in the middle of the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use super::geometry::row_rect;
use crate::render::sanitize::one_line;
use crate::render::width::{AmbiWidth, truncate_to_width, visible_prefix};
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::{self, HelpLine};
use crate::tui::theme;

/// Draws `overlay` over the panes.
pub fn draw_overlay(frame: &mut Frame<'_>, app: &App, overlay: Overlay, ambi: AmbiWidth) {
    match overlay {
        Overlay::Help => draw_help(frame),
        Overlay::Skipped(first) => draw_skipped(frame, app, first, ambi),
        Overlay::Outline(row) => draw_outline(frame, app, row, ambi),
        Overlay::Links(row) => draw_links(frame, app, row, ambi),
    }
}

/// A box in the middle of the screen, cleared, with a border and a title.
fn overlay_box(frame: &mut Frame<'_>, title: &str, width: u16, height: u16) -> Rect {
    let screen = frame.area();
    let width = width.min(screen.width);
    let height = height.min(screen.height);
    let area = Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(title.to_string())
        .border_style(theme::BORDER_FOCUSED);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// F1: the keys, by pane, as the key mapping's table lists them.
fn draw_help(frame: &mut Frame<'_>) {
    let mut lines = Vec::new();
    for (name, keys) in keymap::help() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(name, theme::HEADER_TITLE));
        for HelpLine { keys, text } in keys {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<20}"), theme::KEY),
                Span::raw(text),
            ]));
        }
    }
    let height = lines.len() as u16 + 2;
    let inner = overlay_box(frame, " Keys (any key closes) ", 76, height);
    for (row, line) in lines
        .into_iter()
        .take(usize::from(inner.height))
        .enumerate()
    {
        frame.render_widget(line, row_rect(inner, row as u16));
    }
}

/// The most columns an overlay's row can have (they are at most 90 wide): what an item is cut
/// to before it is made, so that a megabyte-long link costs what a row shows.
const OVERLAY_MOST: usize = 256;

/// A list of `count` items in an overlay box, `selected` highlighted and kept in view. Only
/// the rows on screen are made (`item(i)`): an article can hold 100,000 links.
fn draw_choices(
    frame: &mut Frame<'_>,
    title: &str,
    count: usize,
    item: impl Fn(usize) -> String,
    selected: usize,
    ambi: AmbiWidth,
) {
    let height = u16::try_from(count.max(1))
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let inner = overlay_box(
        frame,
        title,
        frame.area().width.saturating_sub(8).min(90),
        height,
    );
    let rows = usize::from(inner.height).max(1);
    let first = selected.saturating_sub(rows - 1);
    let width = usize::from(inner.width);
    for (row, index) in (first..count).take(rows).enumerate() {
        let (text, _) = truncate_to_width(&item(index), width, ambi);
        let style = if index == selected {
            theme::SELECTED
        } else {
            Style::new()
        };
        frame.render_widget(Line::styled(text, style), row_rect(inner, row as u16));
    }
}

/// `o`: the article's headings, indented by level.
fn draw_outline(frame: &mut Frame<'_>, app: &App, selected: usize, ambi: AmbiWidth) {
    let headings = app
        .layout
        .as_ref()
        .map_or(&[][..], |layout| &layout.headings[..]);
    let heading = |i: usize| {
        let h = &headings[i];
        let indent = "  ".repeat(usize::from(h.level.saturating_sub(1)));
        format!(
            "{indent}{}",
            one_line(visible_prefix(&h.text, OVERLAY_MOST).0)
        )
    };
    draw_choices(
        frame,
        " Outline (Enter jumps, Esc closes) ",
        headings.len(),
        heading,
        selected,
        ambi,
    );
}

/// `l`: the article's links, numbered as in the text.
fn draw_links(frame: &mut Frame<'_>, app: &App, selected: usize, ambi: AmbiWidth) {
    let links = app
        .layout
        .as_ref()
        .map_or(&[][..], |layout| &layout.links[..]);
    let link = |i: usize| {
        format!(
            "[{}] {}",
            i + 1,
            one_line(visible_prefix(&links[i], OVERLAY_MOST).0)
        )
    };
    draw_choices(
        frame,
        " Links (Enter opens, y copies, Esc closes) ",
        links.len(),
        link,
        selected,
        ambi,
    );
}

/// F2: the files that could not be indexed, from line `first`.
fn draw_skipped(frame: &mut Frame<'_>, app: &App, first: usize, ambi: AmbiWidth) {
    let title = format!(" {} files skipped (Esc closes) ", app.skipped.len());
    let height = u16::try_from(app.skipped.len().max(1))
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let inner = overlay_box(frame, &title, frame.area().width.saturating_sub(4), height);
    let width = usize::from(inner.width);
    if app.skipped.is_empty() {
        frame.render_widget(
            Line::styled("none: every file was indexed", theme::DIM),
            row_rect(inner, 0),
        );
    }
    let visible = app
        .skipped
        .iter()
        .skip(first)
        .take(usize::from(inner.height));
    for (row, skipped) in visible.enumerate() {
        let text = format!("{}: {}", one_line(&skipped.path), one_line(&skipped.reason));
        let (text, _) = truncate_to_width(&text, width, ambi);
        frame.render_widget(Line::raw(text), row_rect(inner, row as u16));
    }
}
