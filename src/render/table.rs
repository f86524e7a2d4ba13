//! Tables laid out for a width: the columns sized to fit, cells wrapped inside them, drawn with
//! box drawing (or ASCII); a table too wide for any grid becomes one `header: value` record per
//! row.
//!
//! `wrap` hands each table here with the columns left inside its frames and draws the lines it
//! gets back; the text of each cell is broken by `breaks`.

use crate::render::breaks::{Breaker, Filled};
use crate::render::document::{Align, Inline, Table, plain_text};
use crate::render::glyphs::Glyphs;
use crate::render::line::{Span, span};
use crate::render::style::{Role, Style};
use crate::render::width::{AmbiWidth, grapheme_width, str_width};

/// Lay out a table in `width` columns: a grid whose columns fit the width, or one record per
/// row when no grid can fit.
pub fn lines(t: &Table, width: usize, glyphs: &Glyphs, ambi: AmbiWidth) -> Vec<Filled> {
    let ncols = t
        .rows
        .iter()
        .map(Vec::len)
        .chain([t.header.len()])
        .max()
        .unwrap_or(0);
    if ncols == 0 {
        return Vec::new();
    }
    let header: Vec<Breaker> = (0..ncols)
        .map(|c| {
            let cell = t.header.get(c).map_or(&[][..], |v| v.as_slice());
            Breaker::new(&bolden(cell), ambi)
        })
        .collect();
    let rows: Vec<Vec<Breaker>> = t
        .rows
        .iter()
        .map(|r| {
            (0..ncols)
                .map(|c| Breaker::new(r.get(c).map_or(&[][..], |v| v.as_slice()), ambi))
                .collect()
        })
        .collect();
    let g = glyphs;
    let vw = grapheme_width(g.v, ambi);
    let hw = grapheme_width(g.h, ambi);
    let borders = ncols * (vw + 2) + vw;
    if width < borders + 2 * ncols || hw != 1 {
        return records(t, ncols, width, glyphs, ambi);
    }
    let space = width - borders;
    let all = || {
        header
            .iter()
            .enumerate()
            .chain(rows.iter().flat_map(|r| r.iter().enumerate()))
    };
    let mut natural = vec![0usize; ncols];
    let mut minimum = vec![0usize; ncols];
    for (c, b) in all() {
        natural[c] = natural[c].max(b.natural_width());
        minimum[c] = minimum[c].max(b.min_width());
    }
    let widths = column_widths(&natural, &minimum, space);
    let aligns: Vec<Align> = (0..ncols)
        .map(|c| t.aligns.get(c).copied().unwrap_or_default())
        .collect();
    let border_line = |l: &str, m: &str, r: &str| {
        let mut s = String::from(l);
        for (c, w) in widths.iter().enumerate() {
            if c > 0 {
                s.push_str(m);
            }
            s.push_str(&g.h.repeat(w + 2));
        }
        s.push_str(r);
        vec![span(&s, Role::Border)]
    };
    let laid: Vec<Vec<Vec<Vec<Span>>>> = std::iter::once(&header)
        .chain(rows.iter())
        .map(|row| {
            row.iter()
                .zip(&widths)
                .map(|(b, w)| b.fill(*w).into_iter().map(|f| f.spans).collect())
                .collect()
        })
        .collect();
    let multi_line = laid.iter().any(|row| row.iter().any(|cell| cell.len() > 1));
    let mut out = Vec::new();
    out.push(plain(border_line(g.corners[0], g.tees[0], g.corners[1])));
    for (r, row) in laid.into_iter().enumerate() {
        if r == 1 || (r > 1 && multi_line) {
            out.push(plain(border_line(g.tees[2], g.tees[4], g.tees[3])));
        }
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for i in 0..height {
            let mut spans = vec![span(&format!("{} ", g.v), Role::Border)];
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    spans.push(span(&format!(" {} ", g.v), Role::Border));
                }
                let content = cell.get(i).cloned().unwrap_or_default();
                let w: usize = content.iter().map(|s| str_width(&s.text, ambi)).sum();
                let pad = widths[c].saturating_sub(w);
                let (left, right) = match aligns[c] {
                    Align::Left => (0, pad),
                    Align::Right => (pad, 0),
                    Align::Center => (pad / 2, pad - pad / 2),
                };
                if left > 0 {
                    spans.push(span(&" ".repeat(left), Role::Text));
                }
                spans.extend(content);
                if right > 0 {
                    spans.push(span(&" ".repeat(right), Role::Text));
                }
            }
            spans.push(span(&format!(" {}", g.v), Role::Border));
            out.push(plain(spans));
        }
    }
    out.push(plain(border_line(g.corners[2], g.tees[1], g.corners[3])));
    out
}

/// A table too wide for any grid: each row as `header: value` lines, rows separated by a
/// short rule.
fn records(t: &Table, ncols: usize, width: usize, glyphs: &Glyphs, ambi: AmbiWidth) -> Vec<Filled> {
    let mut out = Vec::new();
    let rule_w = grapheme_width(glyphs.rule, ambi);
    let rule = glyphs.rule.repeat((width / rule_w).min(4));
    for (r, row) in t.rows.iter().enumerate() {
        if r > 0 {
            out.push(plain(vec![span(&rule, Role::Border)]));
        }
        for c in 0..ncols {
            let mut inlines = Vec::new();
            if let Some(h) = t.header.get(c)
                && !plain_text(h).trim().is_empty()
            {
                inlines.extend(bolden(h));
                inlines.push(Inline::Text(": ".into(), Style::default()));
            }
            if let Some(cell) = row.get(c) {
                inlines.extend(cell.iter().cloned());
            }
            out.extend(Breaker::new(&inlines, ambi).fill(width));
        }
    }
    if t.rows.is_empty() {
        let inlines: Vec<Inline> = t
            .header
            .iter()
            .flat_map(|h| {
                bolden(h)
                    .into_iter()
                    .chain([Inline::Text("  ".into(), Style::default())])
            })
            .collect();
        out.extend(Breaker::new(&inlines, ambi).fill(width));
    }
    out
}

/// Header cells are bold.
fn bolden(cell: &[Inline]) -> Vec<Inline> {
    cell.iter()
        .map(|i| match i {
            Inline::Text(t, s) => Inline::Text(t.clone(), Style { bold: true, ..*s }),
            other => other.clone(),
        })
        .collect()
}

/// Column widths that add up to at most `space`: natural widths when they fit; else every
/// column first gets 2 cells, then cells toward its longest word, then toward its natural
/// width, always to the column that lacks most.
fn column_widths(natural: &[usize], minimum: &[usize], space: usize) -> Vec<usize> {
    if natural.iter().map(|&n| n.max(1)).sum::<usize>() <= space {
        return natural.iter().map(|&n| n.max(1)).collect();
    }
    let mut w: Vec<usize> = natural.iter().map(|&n| n.clamp(1, 2)).collect();
    let mut left = space.saturating_sub(w.iter().sum());
    for target in [minimum, natural] {
        while left > 0 {
            let best = (0..w.len())
                .filter(|&c| target[c].min(natural[c]) > w[c])
                .max_by_key(|&c| target[c].min(natural[c]) - w[c]);
            let Some(c) = best else { break };
            w[c] += 1;
            left -= 1;
        }
    }
    w
}

/// A line of the table's own: not a continuation.
fn plain(spans: Vec<Span>) -> Filled {
    Filled {
        spans,
        ..Filled::default()
    }
}
