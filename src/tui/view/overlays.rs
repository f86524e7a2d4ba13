//! The windows over the panes: the keys (F1), the skipped files (F2), the article's outline
//! (`o`) and links (`l`), each in a box in the middle of the screen.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use super::geometry::row_rect;
use crate::archive::library::Skipped;
use crate::render::breaks::Breaker;
use crate::render::sanitize::one_line;
use crate::render::style::Style as StyleTag;
use crate::render::width::{AmbiWidth, str_width, truncate_to_width, visible_prefix};
use crate::tui::app::{App, Overlay, current_section};
use crate::tui::keymap::{self, HelpLine};
use crate::tui::theme;

/// Draws `overlay` over the panes.
pub fn draw_overlay(frame: &mut Frame<'_>, app: &App, overlay: Overlay, ambi: AmbiWidth) {
    match overlay {
        Overlay::Help(first) => draw_help(frame, first),
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
    blank_cut_glyphs(frame.buffer_mut(), area);
    inner
}

/// A wide glyph just left of `area` whose right half the box now covers is blanked: left in
/// place, the terminal would draw it over the box's left border (and ratatui, taking the
/// border's cell for the glyph's second half, would not even send the border).
fn blank_cut_glyphs(buffer: &mut Buffer, area: Rect) {
    if area.x == 0 {
        return;
    }
    for y in area.top()..area.bottom() {
        if let Some(cell) = buffer.cell_mut((area.x - 1, y))
            && str_width(cell.symbol(), AmbiWidth::Single) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// The help window's width: the 80 columns of a small terminal, less a margin.
const HELP_WIDTH: u16 = 78;
/// The width of the help's key column (`PgUp PgDn  C-Home C-End` and a space).
const HELP_KEYS: usize = 24;

/// How far `overlay` scrolls on a screen of `area`: the position at which its last entry is on
/// its last row, as [`draw_overlay`] draws it (0 for the lists that move a selection).
pub fn scroll_end(app: &App, overlay: Overlay, area: Rect, ambi: AmbiWidth) -> usize {
    match overlay {
        Overlay::Help(_) => {
            let lines = help_text().len();
            let shown = usize::from(area.height).min(lines + 2).saturating_sub(2);
            lines.saturating_sub(shown)
        }
        Overlay::Skipped(_) => {
            // The first entry from which fewer rows than the screen's are left: from there on
            // the list is drawn with its last entry on the box's last row.
            let most = usize::from(area.height);
            let text_width = skipped_text_width(area);
            let mut rows = 0;
            let mut end = app.skipped.len();
            while end > 0 {
                rows += skipped_rows(&app.skipped[end - 1], text_width, ambi).len();
                if rows >= most {
                    break;
                }
                end -= 1;
            }
            end
        }
        Overlay::Outline(_) | Overlay::Links(_) => 0,
    }
}

/// The help's lines: the keys, by pane, as the key mapping's table lists them.
fn help_text() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (name, keys) in keymap::help() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(name, theme::HEADER_TITLE));
        for HelpLine { keys, text } in keys {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<HELP_KEYS$}"), theme::KEY),
                Span::raw(text),
            ]));
        }
    }
    lines
}

/// F1: the keys, by pane, from line `first` (on a screen too short for all of them; the title
/// says so).
fn draw_help(frame: &mut Frame<'_>, first: usize) {
    let lines = help_text();
    let height = lines.len() as u16 + 2;
    let fits = usize::from(frame.area().height) >= lines.len() + 2;
    let title = if fits {
        " Keys (any key closes) "
    } else {
        " Keys (j/k scroll, any other key closes) "
    };
    let inner = overlay_box(frame, title, HELP_WIDTH, height);
    let shown = usize::from(inner.height);
    let top = first.min(lines.len().saturating_sub(shown));
    for (row, line) in lines.into_iter().skip(top).take(shown).enumerate() {
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

/// `o`: the article's headings, indented by level; the section being read is marked `>`.
fn draw_outline(frame: &mut Frame<'_>, app: &App, selected: usize, ambi: AmbiWidth) {
    let layout = app.layout.as_deref();
    let headings = layout.map_or(&[][..], |layout| &layout.headings[..]);
    let current = layout.and_then(|layout| current_section(layout, app.reading_scroll));
    let heading = |i: usize| {
        let h = &headings[i];
        let indent = "  ".repeat(usize::from(h.level.saturating_sub(1)));
        let mark = if Some(i) == current { "> " } else { "  " };
        let text = one_line(visible_prefix(&h.text, OVERLAY_MOST).0);
        format!("{mark}{indent}{text}")
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

/// `l`: the article's links, numbered as in the text, each with its text beside its URL; the
/// links the text gives no number come last, as their URL alone.
fn draw_links(frame: &mut Frame<'_>, app: &App, selected: usize, ambi: AmbiWidth) {
    let layout = app.layout.as_deref();
    let links = layout.map_or(&[][..], |layout| &layout.links[..]);
    let link = |i: usize| {
        let url = one_line(visible_prefix(&links[i], OVERLAY_MOST).0);
        let text = layout
            .and_then(|layout| layout.link_texts.get(i))
            .map_or("", |t| t.trim());
        if layout.is_some_and(|layout| i >= layout.referenced) {
            // No `[n]` in the text: its text is its URL, or it is the source in the header.
            format!("    {url}")
        } else if text.is_empty() {
            format!("[{}] {url}", i + 1)
        } else {
            let text = one_line(visible_prefix(text, OVERLAY_MOST).0);
            format!("[{}] {text}  {url}", i + 1)
        }
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

/// F2: the files that could not be indexed, from entry `first` on, each with its reason in
/// full (wrapped); scrolled no further than to show the last entry on the last row.
fn draw_skipped(frame: &mut Frame<'_>, app: &App, first: usize, ambi: AmbiWidth) {
    let title = format!(" {} files skipped (Esc closes) ", app.skipped.len());
    let width = frame.area().width.saturating_sub(4);
    let text_width = skipped_text_width(frame.area());
    let wrapped = |skipped: &Skipped| skipped_rows(skipped, text_width, ambi);
    // Only the entries the screen can show are wrapped (an archive can skip 100,000 files):
    // from entry `first` on, and near the end the entries before it, so that the list is
    // scrolled no further than to show the last entry on the last row.
    let most = usize::from(frame.area().height);
    let mut rows: Vec<String> = Vec::new();
    for skipped in app.skipped.iter().skip(first) {
        rows.extend(wrapped(skipped));
        if rows.len() >= most {
            break;
        }
    }
    let from_first = rows.len() >= most;
    let mut before = first.min(app.skipped.len());
    while rows.len() < most && before > 0 {
        before -= 1;
        let mut earlier = wrapped(&app.skipped[before]);
        earlier.append(&mut rows);
        rows = earlier;
    }
    let height = u16::try_from(rows.len().max(1))
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let inner = overlay_box(frame, &title, width, height);
    if app.skipped.is_empty() {
        frame.render_widget(
            Line::styled("none: every file was indexed", theme::DIM),
            row_rect(inner, 0),
        );
    }
    let shown = usize::from(inner.height);
    let top = if from_first {
        0
    } else {
        rows.len().saturating_sub(shown)
    };
    for (row, text) in rows.iter().skip(top).take(shown).enumerate() {
        let (text, _) = truncate_to_width(text, usize::from(inner.width), ambi);
        frame.render_widget(Line::raw(text), row_rect(inner, row as u16));
    }
}

/// The columns for a skipped file's text in F2's box on a screen of `area`.
fn skipped_text_width(area: Rect) -> usize {
    usize::from(area.width.saturating_sub(4).saturating_sub(2)).max(2)
}

/// A skipped file and its reason, wrapped in full to `width` columns.
fn skipped_rows(skipped: &Skipped, width: usize, ambi: AmbiWidth) -> Vec<String> {
    let text = format!("{}: {}", one_line(&skipped.path), one_line(&skipped.reason));
    Breaker::plain(&text, StyleTag::default(), ambi)
        .fill(width)
        .iter()
        .map(|line| line.spans.iter().map(|s| s.text.as_str()).collect())
        .collect()
}
