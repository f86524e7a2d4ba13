//! What the screen shows for an [`App`]: the list pane with the query, the reading pane, the
//! status line and the overlays, laid out for the terminal's size.
//!
//! Every article-derived string goes through `sanitize` and every width through `width`, so
//! a title is cut at a grapheme boundary with `…` and never through a wide glyph.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};
use unicode_segmentation::UnicodeSegmentation;

use super::keymap::{GLOBAL_KEYS, LIST_KEYS, READING_KEYS};
use super::reading_cache::{Laid, ReadingCache};
use super::theme;
use crate::find::titles::Matcher;
use crate::render::sanitize::one_line;
use crate::render::width::{AmbiWidth, ELLIPSIS, grapheme_width, str_width, truncate_to_width};
use crate::render::wrap;
use crate::tui::app::{Action, App, Focus, Overlay};

/// From this many columns on, the reading pane stands beside the list; below, under it.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 100;

thread_local! {
    /// How wide the terminal draws ambiguous-width characters, for the frame being drawn
    /// (set by [`Screen::draw`]).
    static AMBI_NOW: std::cell::Cell<AmbiWidth> = const { std::cell::Cell::new(AmbiWidth::Single) };
}

/// The ambiguous width of the frame being drawn.
fn ambi() -> AmbiWidth {
    AMBI_NOW.with(std::cell::Cell::get)
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

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// The query line, at the top of the list pane.
    pub query: Rect,
    /// The list's rows, under the query line.
    pub rows: Rect,
    /// The reading pane, its border included.
    pub reading: Rect,
    /// The article's title and source, at the top of the reading pane.
    pub header: Rect,
    /// The rule under the header (zero height when there is no room for it).
    pub rule: Rect,
    /// The article's lines.
    pub body: Rect,
    /// The status line, at the bottom.
    pub status: Rect,
    /// True when the reading pane stands beside the list.
    pub side_by_side: bool,
}

/// The layout of a screen of this size.
pub fn panes(area: Rect) -> Panes {
    let status = Rect {
        y: area.bottom().saturating_sub(1),
        height: area.height.min(1),
        ..area
    };
    let main = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let side_by_side = area.width >= SIDE_BY_SIDE_MIN_WIDTH;
    let (list, reading, inner) = if side_by_side {
        let list_width = (main.width * 2 / 5).min(70);
        let list = Rect {
            width: list_width,
            ..main
        };
        let reading = Rect {
            x: main.x + list_width,
            width: main.width - list_width,
            ..main
        };
        let inner = Rect {
            x: reading.x + 1,
            width: reading.width.saturating_sub(1),
            ..reading
        };
        (list, reading, inner)
    } else {
        let list_height = (main.height * 2 / 5).max(main.height.min(3));
        let list = Rect {
            height: list_height,
            ..main
        };
        let reading = Rect {
            y: main.y + list_height,
            height: main.height - list_height,
            ..main
        };
        let inner = Rect {
            y: reading.y + reading.height.min(1),
            height: reading.height.saturating_sub(1),
            ..reading
        };
        (list, reading, inner)
    };
    let query = Rect {
        height: list.height.min(1),
        ..list
    };
    let rows = Rect {
        y: list.y + query.height,
        height: list.height - query.height,
        ..list
    };
    // One column of margin each side of the article; a rule under the header when tall enough.
    let padded = Rect {
        x: inner.x + 1.min(inner.width),
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let header_height = inner.height.min(2);
    let rule_height = u16::from(inner.height >= 10);
    let header = Rect {
        height: header_height,
        ..padded
    };
    let rule = Rect {
        y: header.bottom(),
        height: rule_height,
        ..padded
    };
    let body = Rect {
        y: rule.bottom(),
        height: inner.height - header_height - rule_height,
        ..padded
    };
    Panes {
        query,
        rows,
        reading,
        header,
        rule,
        body,
        status,
        side_by_side,
    }
}

/// Draws the interface and keeps what drawing needs between frames: laid-out articles and
/// where the panes were (for the mouse).
#[derive(Default)]
pub struct Screen {
    cache: ReadingCache,
    panes: Option<Panes>,
    look: Look,
    links: Vec<LinkOnScreen>,
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

    /// Draws `app` on `frame`, first telling it how many rows its panes have.
    pub fn draw(&mut self, frame: &mut Frame<'_>, app: &mut App) {
        AMBI_NOW.with(|a| a.set(self.look.ambi));
        let panes = panes(frame.area());
        self.panes = Some(panes);
        let laid = app
            .selected_article()
            .filter(|_| panes.body.width > 0)
            .map(|index| {
                self.cache
                    .get(&app.file_path(index), usize::from(panes.body.width))
            });
        app.update(Action::Viewport {
            list_rows: usize::from(panes.rows.height),
            reading_rows: usize::from(panes.body.height),
            reading_lines: laid.as_ref().map_or(0, |laid| laid.len()),
        });
        let layout = laid.as_ref().and_then(|laid| match &**laid {
            Laid::Lines(layout) => Some(Arc::clone(layout)),
            Laid::Error(_) => None,
        });
        app.update(Action::Layout(layout));
        draw_query(frame, app, panes.query);
        draw_rows(frame, app, panes.rows);
        draw_reading(frame, app, &panes, laid.as_ref());
        self.links.clear();
        if self.look.hyperlinks
            && app.overlay.is_none()
            && let Some(Laid::Lines(layout)) = laid.as_deref()
        {
            self.links = links_on_screen(layout, app.reading_scroll, panes.body, self.look.ambi);
        }
        draw_status(frame, app, panes.status, laid.is_some());
        match app.overlay {
            Some(Overlay::Help) => draw_help(frame),
            Some(Overlay::Skipped(first)) => draw_skipped(frame, app, first),
            Some(Overlay::Outline(row)) => draw_outline(frame, app, row),
            Some(Overlay::Links(row)) => draw_links(frame, app, row),
            None => {}
        }
        if self.look.ambi == AmbiWidth::Double {
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

/// `> query` with the count of matches on the right.
fn draw_query(frame: &mut Frame<'_>, app: &App, area: Rect) {
    if area.is_empty() {
        return;
    }
    let count = format!(" {}/{}", app.matches.len(), app.articles.len());
    let prompt = "> ";
    let width = usize::from(area.width);
    let count_width = str_width(&count, ambi());
    let show_count = width >= prompt.len() + count_width + 4;
    let room = width.saturating_sub(prompt.len() + if show_count { count_width } else { 0 });
    let query = one_line(&app.query);
    let (shown, shown_width) = tail_to_width(&query, room.saturating_sub(1));
    let mut spans = vec![Span::styled(prompt, theme::PROMPT), Span::raw(shown)];
    if show_count {
        let pad = room - shown_width;
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(count, theme::DIM));
    }
    frame.render_widget(Line::from(spans), area);
    if app.focus == Focus::List && app.overlay.is_none() {
        let x = area.x + (prompt.len() + shown_width) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right() - 1), area.y));
    }
}

/// The end of `text` that fits in `max` columns (the end of a long query is what is typed).
fn tail_to_width(text: &str, max: usize) -> (String, usize) {
    let mut start = text.len();
    let mut used = 0;
    for (at, g) in text.grapheme_indices(true).rev() {
        let w = grapheme_width(g, ambi());
        if used + w > max {
            break;
        }
        used += w;
        start = at;
    }
    (text[start..].to_string(), used)
}

/// The list's rows: titles with the matched characters highlighted, the selected one marked.
fn draw_rows(frame: &mut Frame<'_>, app: &App, area: Rect) {
    if area.is_empty() {
        return;
    }
    if app.matches.is_empty() {
        let note = if app.indexing && app.articles.is_empty() {
            "indexing…"
        } else if app.matches_query != app.query {
            ""
        } else {
            "no title matches"
        };
        frame.render_widget(Line::styled(note, theme::DIM), row_rect(area, 0));
        return;
    }
    let matcher = Matcher::new(&app.matches_query);
    let visible = app
        .matches
        .iter()
        .enumerate()
        .skip(app.list_offset)
        .take(usize::from(area.height));
    for (screen_row, (row, found)) in visible.enumerate() {
        let title = &app.articles[found.index].title;
        let selected = row == app.selected;
        let positions = if matcher.is_empty() {
            Vec::new()
        } else {
            matcher.positions(title)
        };
        let meta = meta_of(&app.articles[found.index]);
        let line = title_line_with(
            title,
            &meta,
            &positions,
            usize::from(area.width),
            selected,
            app.focus,
        );
        frame.render_widget(line, row_rect(area, screen_row as u16));
    }
}

fn row_rect(area: Rect, row: u16) -> Rect {
    Rect {
        y: area.y + row,
        height: 1,
        ..area
    }
}

/// What the list shows right of a title: the date (day only) and the category.
fn meta_of(article: &crate::archive::article::Article) -> String {
    let date = article.date.as_deref().map(|d| d.get(..10).unwrap_or(d));
    let parts: Vec<String> = date
        .into_iter()
        .chain(article.category.as_deref())
        .map(|p| one_line(p).into_owned())
        .collect();
    parts.join(" ")
}

/// One row of the list: a marker column, then the title cut to fit with its matched
/// characters (char indices into `title`) highlighted.
pub fn title_line(
    title: &str,
    positions: &[usize],
    width: usize,
    selected: bool,
    focus: Focus,
) -> Line<'static> {
    title_line_with(title, "", positions, width, selected, focus)
}

/// [`title_line`] with `meta` (date, category) dim at the right end when the row has room for
/// it and a title of a dozen columns.
pub fn title_line_with(
    title: &str,
    meta: &str,
    positions: &[usize],
    width: usize,
    selected: bool,
    focus: Focus,
) -> Line<'static> {
    let meta_width = str_width(meta, ambi());
    let show_meta = !meta.is_empty() && width >= 2 + 12 + 1 + meta_width;
    let width = if show_meta {
        width - meta_width - 1
    } else {
        width
    };
    let row_style = if selected {
        theme::SELECTED
    } else {
        Style::new()
    };
    let marker = match (selected, focus) {
        (true, Focus::List) => "> ",
        (true, Focus::Reading) => "» ",
        (false, _) => "  ",
    };
    // Sanitize char by char so that the matched flags stay with their characters.
    let mut shown = String::with_capacity(title.len());
    let mut matched = Vec::with_capacity(title.len());
    let mut wanted = positions.iter().peekable();
    for (index, c) in title.chars().enumerate() {
        let hit = wanted.next_if_eq(&&index).is_some();
        let mut one = [0; 4];
        for safe in one_line(c.encode_utf8(&mut one)).chars() {
            shown.push(safe);
            matched.push(hit);
        }
    }
    let room = width.saturating_sub(marker.len());
    let (cut, _) = truncate_to_width(&shown, room, ambi());
    let was_cut = cut != shown;
    let kept = if was_cut {
        cut.strip_suffix(ELLIPSIS).unwrap_or(&cut)
    } else {
        &cut[..]
    };
    let mut spans = vec![Span::styled(marker, row_style.patch(theme::MARKER))];
    let mut chars_before = 0;
    let mut run = String::new();
    let mut run_matched = false;
    for g in kept.graphemes(true) {
        let count = g.chars().count();
        let hit = matched[chars_before..chars_before + count].contains(&true);
        chars_before += count;
        if hit != run_matched && !run.is_empty() {
            spans.push(styled_run(std::mem::take(&mut run), run_matched));
        }
        run_matched = hit;
        run.push_str(g);
    }
    if !run.is_empty() {
        spans.push(styled_run(run, run_matched));
    }
    if was_cut && cut.len() > kept.len() {
        spans.push(Span::styled(ELLIPSIS, theme::DIM));
    }
    if show_meta {
        let used: usize = spans.iter().map(|s| str_width(&s.content, ambi())).sum();
        spans.push(Span::raw(" ".repeat(width.saturating_sub(used) + 1)));
        spans.push(Span::styled(meta.to_string(), theme::DIM));
    }
    Line::from(spans).style(row_style)
}

fn styled_run(text: String, matched: bool) -> Span<'static> {
    if matched {
        Span::styled(text, theme::MATCHED)
    } else {
        Span::raw(text)
    }
}

/// The reading pane: a border toward the list, the header, the article's visible lines.
fn draw_reading(frame: &mut Frame<'_>, app: &App, panes: &Panes, laid: Option<&Arc<Laid>>) {
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
    frame.render_widget(
        Block::new().borders(borders).border_style(border_style),
        panes.reading,
    );
    let (Some(index), Some(laid)) = (app.selected_article(), laid) else {
        return;
    };
    let article = &app.articles[index];
    let width = usize::from(panes.header.width);
    if panes.header.height > 0 {
        let (title, _) = truncate_to_width(&one_line(&article.title), width, ambi());
        frame.render_widget(
            Line::styled(title, theme::HEADER_TITLE),
            row_rect(panes.header, 0),
        );
    }
    if panes.header.height > 1 {
        frame.render_widget(meta_line(article, width), row_rect(panes.header, 1));
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
                if !shown.contains(&hit.line) {
                    continue;
                }
                let x = panes.body.x + hit.start.min(usize::from(panes.body.width)) as u16;
                let right = panes.body.x + hit.end.min(usize::from(panes.body.width)) as u16;
                let area = Rect {
                    x,
                    y: panes.body.y + (hit.line - app.reading_scroll) as u16,
                    width: right - x,
                    height: 1,
                };
                let style = if app.search.current == Some(index) {
                    theme::SEARCH_CURRENT
                } else {
                    theme::SEARCH_HIT
                };
                frame.buffer_mut().set_style(area, style);
            }
        }
        Laid::Error(reason) => {
            let text = format!("cannot read {}: {reason}", one_line(&article.path));
            let (text, _) = truncate_to_width(&text, usize::from(panes.body.width), ambi());
            frame.render_widget(Line::styled(text, theme::ERROR), row_rect(panes.body, 0));
        }
    }
}

/// Where the visible lines of `layout` have link text, in `body`.
fn links_on_screen(
    layout: &crate::render::wrap::Layout,
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

/// The header's second line: the date and the source URL (or the path, without a source).
fn meta_line(article: &crate::archive::article::Article, width: usize) -> Line<'static> {
    let date = article
        .date
        .as_deref()
        .map(|d| one_line(d).replace('T', " "));
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(date) = date {
        let (date, w) = truncate_to_width(&date, width, ambi());
        used += w;
        spans.push(Span::styled(date, theme::DIM));
    }
    let (rest, style) = match &article.source {
        Some(source) => (one_line(source), theme::HEADER_URL),
        None => (one_line(&article.path), theme::DIM),
    };
    let gap = if used > 0 { 2 } else { 0 };
    if width > used + gap {
        let (rest, _) = truncate_to_width(&rest, width - used - gap, ambi());
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(rest, style));
    }
    Line::from(spans)
}

/// A laid-out line of the article as terminal spans.
pub fn styled_line(line: &wrap::Line) -> Line<'_> {
    Line::from(
        line.spans
            .iter()
            .map(|span| Span::styled(span.text.as_str(), theme::text(span.style)))
            .collect::<Vec<_>>(),
    )
}

/// The status line: indexing progress or hints on the left, skipped files and the reading
/// position on the right.
fn draw_status(frame: &mut Frame<'_>, app: &App, area: Rect, reading: bool) {
    if area.is_empty() {
        return;
    }
    let mut left = String::from(" ");
    if app.indexing {
        left.push_str(&format!("indexing… {}  ", app.articles.len()));
    }
    if let Some(typing) = &app.search.typing {
        left = format!("/{}", one_line(typing));
    } else if let Some(notice) = &app.notice {
        left.push_str(&one_line(notice));
    } else {
        match (app.focus, app.selected_article()) {
            (Focus::Reading, Some(index)) => left.push_str(&one_line(&app.articles[index].path)),
            _ if app.piped => left.push_str("Enter print · Tab read · Esc cancel · F1 keys"),
            _ => left.push_str("Enter read · Esc quit · F1 keys"),
        }
    }
    let mut right = String::new();
    if reading && !app.search.query.is_empty() && app.search.typing.is_none() {
        let count = app.search.hits.len();
        match app.search.current {
            Some(current) => right.push_str(&format!("{}/{count} · ", current + 1)),
            None => right.push_str(&format!("-/{count} · ")),
        }
    }
    if !app.skipped.is_empty() {
        right.push_str(&format!("{} skipped (F2)", app.skipped.len()));
    }
    if reading {
        if !right.is_empty() {
            right.push_str(" · ");
        }
        right.push_str(&format!("{}%", app.reading_percent()));
    }
    right.push(' ');
    let width = usize::from(area.width);
    let right_width = str_width(&right, ambi());
    let (left, left_width) = truncate_to_width(&left, width.saturating_sub(right_width), ambi());
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

/// F1: the keys, by pane.
fn draw_help(frame: &mut Frame<'_>) {
    let sections = [
        ("List", LIST_KEYS),
        ("Reading pane", READING_KEYS),
        ("Anywhere", GLOBAL_KEYS),
    ];
    let mut lines = Vec::new();
    for (name, keys) in sections {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(name, theme::HEADER_TITLE));
        for (key, what) in keys {
            lines.push(Line::from(vec![
                Span::styled(format!("  {key:<20}"), theme::KEY),
                Span::raw(*what),
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

/// A list in an overlay box, `selected` highlighted and kept in view.
fn draw_choices(frame: &mut Frame<'_>, title: &str, items: &[String], selected: usize) {
    let height = items.len().max(1) as u16 + 2;
    let inner = overlay_box(
        frame,
        title,
        frame.area().width.saturating_sub(8).min(90),
        height,
    );
    let rows = usize::from(inner.height).max(1);
    let first = selected.saturating_sub(rows - 1);
    let width = usize::from(inner.width);
    for (row, (index, item)) in items.iter().enumerate().skip(first).take(rows).enumerate() {
        let (text, _) = truncate_to_width(item, width, ambi());
        let style = if index == selected {
            theme::SELECTED
        } else {
            Style::new()
        };
        frame.render_widget(Line::styled(text, style), row_rect(inner, row as u16));
    }
}

/// `o`: the article's headings, indented by level.
fn draw_outline(frame: &mut Frame<'_>, app: &App, selected: usize) {
    let items: Vec<String> = app.layout.as_ref().map_or_else(Vec::new, |layout| {
        layout
            .headings
            .iter()
            .map(|h| {
                let indent = "  ".repeat(usize::from(h.level.saturating_sub(1)));
                format!("{indent}{}", one_line(&h.text))
            })
            .collect()
    });
    draw_choices(
        frame,
        " Outline (Enter jumps, Esc closes) ",
        &items,
        selected,
    );
}

/// `l`: the article's links, numbered as in the text.
fn draw_links(frame: &mut Frame<'_>, app: &App, selected: usize) {
    let items: Vec<String> = app.layout.as_ref().map_or_else(Vec::new, |layout| {
        layout
            .links
            .iter()
            .enumerate()
            .map(|(i, url)| format!("[{}] {}", i + 1, one_line(url)))
            .collect()
    });
    draw_choices(
        frame,
        " Links (Enter opens, y copies, Esc closes) ",
        &items,
        selected,
    );
}

/// F2: the files that could not be indexed, from line `first`.
fn draw_skipped(frame: &mut Frame<'_>, app: &App, first: usize) {
    let title = format!(" {} files skipped (Esc closes) ", app.skipped.len());
    let height = app.skipped.len().max(1) as u16 + 2;
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
        let (text, _) = truncate_to_width(&text, width, ambi());
        frame.render_widget(Line::raw(text), row_rect(inner, row as u16));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_stack_the_panes() {
        let wide = panes(Rect::new(0, 0, 120, 40));
        assert!(wide.side_by_side);
        assert_eq!(wide.query.y, wide.header.y);
        let narrow = panes(Rect::new(0, 0, 40, 12));
        assert!(!narrow.side_by_side);
        assert!(narrow.body.y > narrow.rows.bottom());
        assert_eq!(narrow.status.y, 11);
        assert!(narrow.body.bottom() <= 11);
    }

    #[test]
    fn tiny_terminals_do_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (3, 2), (10, 3), (99, 4)] {
            let _ = panes(Rect::new(0, 0, w, h));
        }
    }

    #[test]
    fn the_tail_of_a_long_query_shows() {
        assert_eq!(tail_to_width("微信暂停", 5), ("暂停".to_string(), 4));
        assert_eq!(tail_to_width("abc", 5), ("abc".to_string(), 3));
    }
}
