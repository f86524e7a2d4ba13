//! The reading pane: a border toward the list, the article's header (title, date, source),
//! its laid-out lines from the scroll position on with the search hits marked, and where its
//! links are on screen (for OSC 8).

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::geometry::{Panes, row_rect};
use crate::archive::article::Article;
use crate::render::line::Line as LaidLine;
use crate::render::sanitize::one_line;
use crate::render::width::{AmbiWidth, str_width, truncate_to_width, visible_prefix};
use crate::render::wrap::Layout;
use crate::tui::app::{App, Focus};
use crate::tui::reading_cache::Laid;
use crate::tui::theme;

/// A link's text on screen, to be written again wrapped in OSC 8 after the frame is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOnScreen {
    /// Column and row of its first cell.
    pub x: u16,
    /// Row.
    pub y: u16,
    /// The text as drawn.
    pub text: String,
    /// Its style.
    pub style: crate::render::style::Style,
    /// Where it points (sanitized).
    pub url: String,
}

/// The reading pane: a border toward the list, the header, the article's visible lines.
pub fn draw_reading(
    frame: &mut Frame<'_>,
    app: &App,
    panes: &Panes,
    laid: Option<&Arc<Laid>>,
    ambi: AmbiWidth,
) {
    let border_style = if app.focus == Focus::Reading {
        theme::BORDER_FOCUSED
    } else {
        theme::BORDER
    };
    let borders = if panes.side_by_side {
        Borders::LEFT
    } else {
        Borders::TOP
    };
    if !panes.full {
        frame.render_widget(
            Block::new().borders(borders).border_style(border_style),
            panes.reading,
        );
    }
    let (Some(index), Some(laid)) = (app.selected_article(), laid) else {
        return;
    };
    let article = &app.articles[index];
    let width = usize::from(panes.header.width);
    if panes.full {
        if panes.header.height > 0 {
            frame.render_widget(header_line(article, width, ambi), panes.header);
        }
    } else if panes.header.height > 0 {
        let (title, _) = truncate_to_width(
            &one_line(visible_prefix(article.title(), width).0),
            width,
            ambi,
        );
        frame.render_widget(
            Line::styled(title, theme::HEADER_TITLE),
            row_rect(panes.header, 0),
        );
    }
    if panes.header.height > 1 {
        frame.render_widget(meta_line(article, width, ambi), row_rect(panes.header, 1));
    }
    if panes.rule.height > 0 {
        let rule = "─".repeat(usize::from(panes.rule.width));
        frame.render_widget(Line::styled(rule, theme::BORDER), panes.rule);
    }
    match &**laid {
        Laid::Lines(layout) => {
            let rows = usize::from(panes.body.height);
            let visible = layout.lines.iter().skip(app.reading_scroll).take(rows);
            for (row, line) in visible.enumerate() {
                frame.render_widget(styled_line(line), row_rect(panes.body, row as u16));
            }
            // Search hits, at the columns they were found at.
            let shown = app.reading_scroll..app.reading_scroll + rows;
            for (index, hit) in app.search.hits.iter().enumerate() {
                let style = if app.search.current == Some(index) {
                    theme::SEARCH_CURRENT
                } else {
                    theme::SEARCH_HIT
                };
                // A hit the layout broke across lines is marked on each of them.
                for piece in hit.pieces.iter().filter(|p| shown.contains(&p.line)) {
                    let x = panes.body.x + piece.start.min(usize::from(panes.body.width)) as u16;
                    let right = panes.body.x + piece.end.min(usize::from(panes.body.width)) as u16;
                    let area = Rect {
                        x,
                        y: panes.body.y + (piece.line - app.reading_scroll) as u16,
                        width: right - x,
                        height: 1,
                    };
                    frame.buffer_mut().set_style(area, style);
                }
            }
        }
        Laid::Error(reason) => {
            let text = format!("cannot read {}: {reason}", one_line(article.path()));
            let (text, _) = truncate_to_width(&text, usize::from(panes.body.width), ambi);
            frame.render_widget(Line::styled(text, theme::ERROR), row_rect(panes.body, 0));
        }
    }
}

/// Where the visible lines of `layout` have link text, in `body`.
pub fn links_on_screen(
    layout: &Layout,
    scroll: usize,
    body: Rect,
    ambi: AmbiWidth,
) -> Vec<LinkOnScreen> {
    let mut found = Vec::new();
    let visible = layout.lines.iter().enumerate().skip(scroll);
    for (row, (_, line)) in visible.take(usize::from(body.height)).enumerate() {
        let mut column = 0;
        for span in &line.spans {
            let width = str_width(&span.text, ambi);
            let url = (span.style.link as usize)
                .checked_sub(1)
                .and_then(|i| layout.links.get(i));
            if let Some(url) = url
                && column + width <= usize::from(body.width)
            {
                found.push(LinkOnScreen {
                    x: body.x + column as u16,
                    y: body.y + row as u16,
                    text: span.text.clone(),
                    style: span.style,
                    url: url.clone(),
                });
            }
            column += width;
        }
    }
    found
}

/// The full-screen reader's one header line: the title, then the date, the category and the
/// source (or the path), each once. The title keeps at least half the line; the rest is cut
/// first: the date to its day, the source to what follows `https://www.`, then its end.
fn header_line(article: &Article, width: usize, ambi: AmbiWidth) -> Line<'static> {
    let mut meta: Vec<String> = Vec::new();
    let date = article.date().map(|d| one_line(d).replace('T', " "));
    if let Some(date) = &date {
        meta.push(date.clone());
    }
    if let Some(category) = article.category() {
        meta.push(one_line(category).into_owned());
    }
    let source = article.source().unwrap_or(article.path());
    let source = one_line(visible_prefix(source, width).0).into_owned();
    let joined = |meta: &[String], source: &str| {
        let mut all = meta.to_vec();
        all.push(source.to_string());
        all.join(" · ")
    };
    // Only what the line can show: a title or a source can be a megabyte long.
    let title = one_line(visible_prefix(article.title(), width).0);
    let meta_width = str_width(&joined(&meta, &source), ambi) + 2;
    let title_room = width.saturating_sub(meta_width).max(width / 2);
    let (title, used) = truncate_to_width(&title, title_room, ambi);
    let mut spans = vec![Span::styled(title, theme::HEADER_TITLE)];
    if width > used + 2 {
        let room = width - used - 2;
        let mut line = joined(&meta, &source);
        if str_width(&line, ambi) > room {
            if let (Some(date), Some(day)) = (&date, meta.first_mut()) {
                *day = date.split(' ').next().unwrap_or(date).to_string();
            }
            let bare = source
                .strip_prefix("https://")
                .or_else(|| source.strip_prefix("http://"))
                .unwrap_or(&source);
            line = joined(&meta, bare.strip_prefix("www.").unwrap_or(bare));
        }
        let (meta, _) = truncate_to_width(&line, room, ambi);
        spans.push(Span::raw("  "));
        spans.push(Span::styled(meta, theme::DIM));
    }
    Line::from(spans)
}

/// The header's second line: the date and the source URL (or the path, without a source).
fn meta_line(article: &Article, width: usize, ambi: AmbiWidth) -> Line<'static> {
    let date = article.date().map(|d| one_line(d).replace('T', " "));
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(date) = date {
        let (date, w) = truncate_to_width(&date, width, ambi);
        used += w;
        spans.push(Span::styled(date, theme::DIM));
    }
    let (rest, style) = match article.source() {
        Some(source) => (one_line(source), theme::HEADER_URL),
        None => (one_line(article.path()), theme::DIM),
    };
    let gap = if used > 0 { 2 } else { 0 };
    if width > used + gap {
        let (rest, _) = truncate_to_width(&rest, width - used - gap, ambi);
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(rest, style));
    }
    Line::from(spans)
}

/// A laid-out line of the article as terminal spans.
pub fn styled_line(line: &LaidLine) -> Line<'_> {
    Line::from(
        line.spans
            .iter()
            .map(|span| Span::styled(span.text.as_str(), theme::text(span.style)))
            .collect::<Vec<_>>(),
    )
}
