//! The list pane: the query line (`> query` and the count of matches) and the rows of titles,
//! the matched characters highlighted and the selected row marked. In text mode the prompt is
//! `text> `, the count `123 articles`, and each row shows its best matching line after the
//! title, the hits highlighted.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use super::geometry::{META_MIN_WIDTH, row_rect};
use crate::archive::article::Article;
use crate::find::titles::Matcher;
use crate::render::sanitize::one_line;
use crate::render::width::{
    AmbiWidth, ELLIPSIS, grapheme_width, str_width, truncate_to_width, visible_prefix,
};
use crate::tui::app::{App, Columns, Focus, Mode, columns};
use crate::tui::theme;

/// The query line: `> query` with the count of matches on the right.
pub fn draw_query(frame: &mut Frame<'_>, app: &App, area: Rect, ambi: AmbiWidth) {
    if area.is_empty() {
        return;
    }
    let (count, prompt) = match app.list.mode {
        Mode::Titles => (
            format!(" {}/{}", app.list.matches.len(), app.articles.len()),
            "> ",
        ),
        // A search for a common term reads most of the archive: say so while it runs.
        Mode::Text if app.list.matches_query != app.list.query => {
            (" searching…".to_string(), TEXT_PROMPT)
        }
        Mode::Text => {
            let found = app.list.matches.len();
            let noun = if found == 1 { "article" } else { "articles" };
            // Rows found so far: the count grows until the search ends.
            let running = if app.list.text_done {
                ""
            } else {
                "searching… "
            };
            (format!(" {running}{found} {noun}"), TEXT_PROMPT)
        }
    };
    let width = usize::from(area.width);
    let count_width = str_width(&count, ambi);
    let show_count = width >= prompt.len() + count_width + 4;
    let room = width.saturating_sub(prompt.len() + if show_count { count_width } else { 0 });
    // The query before the cursor as much as fits (its end is where the typing goes), then
    // what fits after the cursor.
    let (before, after) = app.list.query.split_at(app.list.cursor);
    let (shown, shown_width) = tail_to_width(&one_line(before), room.saturating_sub(1), ambi);
    let (rest, rest_width) =
        truncate_to_width(&one_line(after), room.saturating_sub(1 + shown_width), ambi);
    let mut spans = vec![
        Span::styled(prompt, theme::PROMPT),
        Span::raw(shown),
        Span::raw(rest),
    ];
    if show_count {
        let pad = room - shown_width - rest_width;
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(count, theme::DIM));
    }
    frame.render_widget(Line::from(spans), area);
    if app.focus == Focus::List && app.overlay.is_none() {
        let x = area.x + (prompt.len() + shown_width) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right() - 1), area.y));
    }
}

/// The query line's prompt in text mode.
pub const TEXT_PROMPT: &str = "text> ";

/// The end of `text` that fits in `max` columns (the end of a long query is what is typed).
fn tail_to_width(text: &str, max: usize, ambi: AmbiWidth) -> (String, usize) {
    let mut start = text.len();
    let mut used = 0;
    for (at, g) in text.grapheme_indices(true).rev() {
        let w = grapheme_width(g, ambi);
        if used + w > max {
            break;
        }
        used += w;
        start = at;
    }
    (text[start..].to_string(), used)
}

/// The list's rows: titles with the matched characters highlighted, the selected one marked.
pub fn draw_rows(frame: &mut Frame<'_>, app: &App, area: Rect, ambi: AmbiWidth) {
    if area.is_empty() {
        return;
    }
    if app.list.matches.is_empty() {
        let note = if app.indexing && app.articles.is_empty() {
            "indexing…"
        } else if app.list.matches_query != app.list.query {
            ""
        } else if app.list.mode == Mode::Text {
            "no article holds it"
        } else {
            "no title matches"
        };
        frame.render_widget(Line::styled(note, theme::DIM), row_rect(area, 0));
        return;
    }
    let matcher = Matcher::new(&app.list.matches_query);
    let visible = app
        .list
        .matches
        .iter()
        .enumerate()
        .skip(app.list.offset)
        .take(usize::from(area.height));
    for (screen_row, (row, found)) in visible.enumerate() {
        let article = &app.articles[found.index];
        let selected = row == app.list.selected;
        if let Some(best) = app.list.lines.as_ref().and_then(|lines| lines.get(row)) {
            // As `row_line` shares the room: the title at most half, the line the rest.
            let room = usize::from(area.width).saturating_sub(2);
            let title_room = str_width(article.title(), ambi).min(room / 2);
            let line_room = room.saturating_sub(title_room + 2);
            let (line, hits) = lead_to_hit(&best.text, &best.hits, line_room / 3, ambi);
            let text = RowText {
                title: article.title(),
                positions: &[],
                // A row whose line is still to come shows its title alone meanwhile.
                original: (!line.is_empty()).then_some((line, &hits[..])),
            };
            let line = row_line(
                &text,
                "",
                usize::from(area.width),
                selected,
                app.focus,
                ambi,
            );
            frame.render_widget(line, row_rect(area, screen_row as u16));
            continue;
        }
        // Only what the row can show is matched for highlighting: a title can be a megabyte.
        let (title, _) = visible_prefix(article.title(), usize::from(area.width));
        let positions = if matcher.is_empty() {
            Vec::new()
        } else {
            matcher.positions(title)
        };
        // A row the query matched only through its original title shows that title too.
        let original = (!matcher.is_empty() && positions.is_empty())
            .then(|| article.original_title())
            .flatten();
        let original_positions = original
            .as_deref()
            .map(|o| matcher.positions(visible_prefix(o, usize::from(area.width)).0))
            .unwrap_or_default();
        let text = RowText {
            title: article.title(),
            positions: &positions,
            original: original.as_deref().map(|o| (o, &original_positions[..])),
        };
        // Under META_MIN_WIDTH the titles get the whole row.
        let meta = if area.width >= META_MIN_WIDTH {
            meta_of(article, app.columns)
        } else {
            String::new()
        };
        let line = row_line(
            &text,
            &meta,
            usize::from(area.width),
            selected,
            app.focus,
            ambi,
        );
        frame.render_widget(line, row_rect(area, screen_row as u16));
    }
}

/// `text` from where at most `lead` columns come before its first hit (char index in
/// `hits`), and the hits' indices in what is kept: a narrow row still shows the hit.
fn lead_to_hit<'a>(
    text: &'a str,
    hits: &[usize],
    lead: usize,
    ambi: AmbiWidth,
) -> (&'a str, Vec<usize>) {
    let Some(&first) = hits.first() else {
        return (text, Vec::new());
    };
    let before: Vec<(usize, char)> = text.char_indices().take(first).collect();
    let mut width = 0;
    let mut skip = before.len();
    for (i, &(_, c)) in before.iter().enumerate().rev() {
        let mut one = [0; 4];
        width += grapheme_width(c.encode_utf8(&mut one), ambi);
        if width > lead {
            break;
        }
        skip = i;
    }
    let start = before.get(skip).map_or(0, |&(at, _)| at);
    let start = if skip == before.len() {
        text.char_indices()
            .nth(first)
            .map_or(text.len(), |(at, _)| at)
    } else {
        start
    };
    let kept = hits.iter().filter_map(|&h| h.checked_sub(skip)).collect();
    (&text[start..], kept)
}

/// What the list shows right of a title: the date (day only) and the category, each where
/// its column tells the articles apart ([`Columns`]).
fn meta_of(article: &Article, shown: Columns) -> String {
    let date = article.date().filter(|_| shown.date).map(columns::day);
    let category = article.category().filter(|_| shown.category);
    let parts: Vec<String> = date
        .into_iter()
        .chain(category)
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
    ambi: AmbiWidth,
) -> Line<'static> {
    title_line_with(title, "", positions, width, selected, focus, ambi)
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
    ambi: AmbiWidth,
) -> Line<'static> {
    let row = RowText {
        title,
        positions,
        original: None,
    };
    row_line(&row, meta, width, selected, focus, ambi)
}

/// What a row of the list shows of its article, with the matched characters (char indices).
pub struct RowText<'a> {
    /// The title.
    pub title: &'a str,
    /// The title's matched characters.
    pub positions: &'a [usize],
    /// The original title and its matched characters, shown dim after the title when the
    /// query matched only through it.
    pub original: Option<(&'a str, &'a [usize])>,
}

/// One row of the list: a marker column, the title cut to fit (and the original title, dim,
/// when given: the title then takes at most half the room), `meta` dim at the right end.
pub fn row_line(
    row: &RowText<'_>,
    meta: &str,
    width: usize,
    selected: bool,
    focus: Focus,
    ambi: AmbiWidth,
) -> Line<'static> {
    let meta_width = str_width(meta, ambi);
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
    let mut spans = vec![Span::styled(marker, row_style.patch(theme::MARKER))];
    let room = width.saturating_sub(marker.len());
    match row.original {
        None => {
            push_text(
                &mut spans,
                row.title,
                row.positions,
                room,
                Style::new(),
                ambi,
            );
        }
        Some((original, positions)) => {
            let title_room = str_width(row.title, ambi).min(room / 2);
            let used = push_text(
                &mut spans,
                row.title,
                row.positions,
                title_room,
                Style::new(),
                ambi,
            );
            if room > used + 4 {
                spans.push(Span::raw("  "));
                push_text(
                    &mut spans,
                    original,
                    positions,
                    room - used - 2,
                    theme::DIM,
                    ambi,
                );
            }
        }
    }
    if show_meta {
        let used: usize = spans.iter().map(|s| str_width(&s.content, ambi)).sum();
        spans.push(Span::raw(" ".repeat(width.saturating_sub(used) + 1)));
        spans.push(Span::styled(meta.to_string(), theme::DIM));
    }
    Line::from(spans).style(row_style)
}

/// Pushes `text` cut to `room` columns in `style`, its matched characters (char indices)
/// highlighted; returns the columns used.
fn push_text(
    spans: &mut Vec<Span<'static>>,
    text: &str,
    positions: &[usize],
    room: usize,
    style: Style,
    ambi: AmbiWidth,
) -> usize {
    // Sanitize char by char so that the matched flags stay with their characters.
    let mut shown = String::with_capacity(text.len());
    let mut matched = Vec::with_capacity(text.len());
    let mut wanted = positions.iter().peekable();
    let (text, _) = visible_prefix(text, room);
    for (index, c) in text.chars().enumerate() {
        let hit = wanted.next_if_eq(&&index).is_some();
        let mut one = [0; 4];
        for safe in one_line(c.encode_utf8(&mut one)).chars() {
            shown.push(safe);
            matched.push(hit);
        }
    }
    let (cut, used) = truncate_to_width(&shown, room, ambi);
    let was_cut = cut != shown;
    let kept = if was_cut {
        cut.strip_suffix(ELLIPSIS).unwrap_or(&cut)
    } else {
        &cut[..]
    };
    let mut chars_before = 0;
    let mut run = String::new();
    let mut run_matched = false;
    for g in kept.graphemes(true) {
        let count = g.chars().count();
        let hit = matched[chars_before..chars_before + count].contains(&true);
        chars_before += count;
        if hit != run_matched && !run.is_empty() {
            spans.push(styled_run(std::mem::take(&mut run), run_matched, style));
        }
        run_matched = hit;
        run.push_str(g);
    }
    if !run.is_empty() {
        spans.push(styled_run(run, run_matched, style));
    }
    if was_cut && cut.len() > kept.len() {
        spans.push(Span::styled(ELLIPSIS, theme::DIM));
    }
    used
}

fn styled_run(text: String, matched: bool, style: Style) -> Span<'static> {
    if matched {
        Span::styled(text, theme::MATCHED)
    } else {
        Span::styled(text, style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_row_keeps_the_hit_in_view() {
        // 渡口 is the 12th char; two columns (one ideograph) may come before it.
        let text = "结束了。它里面的文章讲了渡口、铁路";
        let (kept, hits) = lead_to_hit(text, &[12, 13], 2, AmbiWidth::Single);
        assert_eq!(kept, "了渡口、铁路");
        assert_eq!(hits, vec![1, 2]);
        let (kept, hits) = lead_to_hit(text, &[12, 13], 0, AmbiWidth::Single);
        assert_eq!((kept, hits), ("渡口、铁路", vec![0, 1]));
        assert_eq!(
            lead_to_hit("ab渡", &[2], 10, AmbiWidth::Single),
            ("ab渡", vec![2])
        );
    }

    #[test]
    fn the_tail_of_a_long_query_shows() {
        assert_eq!(
            tail_to_width("微信暂停", 5, AmbiWidth::Single),
            ("暂停".to_string(), 4)
        );
        assert_eq!(
            tail_to_width("abc", 5, AmbiWidth::Single),
            ("abc".to_string(), 3)
        );
    }
}
