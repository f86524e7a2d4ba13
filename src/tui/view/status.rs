//! The status line at the bottom: indexing progress, a notice, hints or the search prompt on
//! the left; the search's count, skipped files and the reading position on the right.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use crate::render::sanitize::one_line;
use crate::render::width::{AmbiWidth, str_width, truncate_to_width};
use crate::tui::app::{App, Focus};
use crate::tui::searcher::IndexNews;
use crate::tui::theme;

/// The status line: indexing progress or hints on the left, skipped files and the reading
/// position on the right.
pub fn draw_status(frame: &mut Frame<'_>, app: &App, area: Rect, reading: bool, ambi: AmbiWidth) {
    if area.is_empty() {
        return;
    }
    let mut left = String::from(" ");
    if app.indexing {
        left.push_str(&format!("indexing… {}  ", app.articles.len()));
    }
    match &app.text_index {
        Some(IndexNews::Building { done, total }) if *total > 0 => {
            left.push_str(&format!("building the text index {done}/{total}  "));
        }
        Some(IndexNews::Building { .. }) => left.push_str("opening the text index…  "),
        _ => {}
    }
    if let Some(typing) = &app.search.typing {
        left = format!("/{}", one_line(typing));
    } else if let Some(notice) = &app.notice {
        left.push_str(&one_line(notice));
    } else {
        match (app.focus, app.selected_article()) {
            (Focus::Reading, Some(index)) => left.push_str(&one_line(app.articles[index].path())),
            _ if app.piped => left.push_str("Enter print · Tab read · Esc cancel · F1 keys"),
            _ => left.push_str("Enter read · Esc quit · F1 keys"),
        }
    }
    // The parts on the right, each said once, between single separators.
    let mut parts: Vec<String> = Vec::new();
    if reading && !app.search.query.is_empty() && app.search.typing.is_none() {
        // The term is named: after `]` or `[` it is searched in the next article too.
        let (term, _) = truncate_to_width(&one_line(&app.search.query), 16, ambi);
        let count = app.search.hits.len();
        parts.push(match app.search.current {
            Some(current) => format!("/{term} {}/{count}", current + 1),
            None if count == 0 => format!("/{term} not found"),
            None => format!("/{term} {count} found"),
        });
    }
    if !app.skipped.is_empty() {
        parts.push(format!("{} skipped (F2)", app.skipped.len()));
    }
    if reading {
        parts.push(format!("{}%", app.reading_percent()));
    }
    let mut right = parts.join(" · ");
    right.push(' ');
    let width = usize::from(area.width);
    let right_width = str_width(&right, ambi);
    let (left, left_width) = truncate_to_width(&left, width.saturating_sub(right_width), ambi);
    let pad = width.saturating_sub(left_width + right_width);
    let line = Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(right),
    ])
    .style(theme::STATUS);
    frame.render_widget(line, area);
    if app.search.typing.is_some() {
        let x = area.x + left_width.min(width.saturating_sub(1)) as u16;
        frame.set_cursor_position(Position::new(x, area.y));
    }
}
