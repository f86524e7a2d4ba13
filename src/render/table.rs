//! Tables laid out for a width: the columns sized to fit, cells wrapped inside them, drawn with
//! box drawing (or ASCII); a table too wide for any grid becomes one `header: value` record per
//! row.
//!
//! `wrap` hands each table here with the columns left inside its frames and draws the lines it
//! gets back; the text of each cell is broken by `breaks`.

use crate::render::breaks::{Breaker, Filled};
use crate::render::document::{Align, Inline, Table, plain_text};
use crate::render::glyphs::Glyphs;
use crate::render::line::{Cell, Span, span};
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
    let Some(widths) = column_widths(&natural, &minimum, space) else {
        return records(t, ncols, width, glyphs, ambi);
    };
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
    let laid: Vec<Vec<Vec<Filled>>> = std::iter::once(&header)
        .chain(rows.iter())
        .map(|row| row.iter().zip(&widths).map(|(b, w)| b.fill(*w)).collect())
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
            let mut cells = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    spans.push(span(&format!(" {} ", g.v), Role::Border));
                }
                let (content, wrapped, gap) = cell.get(i).map_or((Vec::new(), false, false), |f| {
                    (f.spans.clone(), f.wrapped, f.gap)
                });
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
                if !content.is_empty() {
                    cells.push(Cell {
                        first: spans.len(),
                        end: spans.len() + content.len(),
                        text: c,
                        wrapped,
                        gap,
                    });
                }
                spans.extend(content);
                if right > 0 {
                    spans.push(span(&" ".repeat(right), Role::Text));
                }
            }
            spans.push(span(&format!(" {}", g.v), Role::Border));
            out.push(Filled {
                spans,
                cells,
                ..Filled::default()
            });
        }
    }
    out.push(plain(border_line(g.corners[2], g.tees[1], g.corners[3])));
    out
}

/// A table too wide for any grid: each row as `header: value` lines, rows separated by a
/// short rule.
///
/// The text of the table is each cell once, as in the grid: the labels of the first record
/// stand for the header cells; the labels repeated on later records, the `: ` and the blanks
/// between are not cells (a search counts a header once, at any width).
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
            // The parts (inline index where each starts, the cell's text or none).
            let mut parts = vec![(0, None)];
            if let Some(h) = t.header.get(c)
                && !plain_text(h).trim().is_empty()
            {
                inlines.extend(bolden(h));
                parts[0].1 = (r == 0).then_some(ncols + c);
                parts.push((inlines.len(), None));
                inlines.push(Inline::Text(": ".into(), Style::default()));
                parts.push((inlines.len(), Some(c)));
            } else {
                parts[0].1 = Some(c);
            }
            if let Some(cell) = row.get(c) {
                inlines.extend(cell.iter().cloned());
            }
            out.extend(fill_cells(&inlines, &parts, width, ambi));
        }
    }
    if t.rows.is_empty() {
        let mut inlines = Vec::new();
        let mut parts = Vec::new();
        for (c, h) in t.header.iter().enumerate() {
            parts.push((inlines.len(), Some(c)));
            inlines.extend(bolden(h));
            parts.push((inlines.len(), None));
            inlines.push(Inline::Text("  ".into(), Style::default()));
        }
        out.extend(fill_cells(&inlines, &parts, width, ambi));
    }
    out
}

/// Lay out text made of parts (inline index where each starts, and the table text it is, if
/// any) as lines whose cells say where each part's text lies.
fn fill_cells(
    inlines: &[Inline],
    parts: &[(usize, Option<usize>)],
    width: usize,
    ambi: AmbiWidth,
) -> Vec<Filled> {
    let starts: Vec<usize> = parts.iter().map(|p| p.0).collect();
    let mut started = vec![false; parts.len()];
    let mut out = Vec::new();
    for (mut filled, of) in Breaker::new(inlines, ambi).fill_parts(width, &starts) {
        let mut i = 0;
        while i < of.len() {
            let part = of[i];
            let end = i + of[i..].iter().take_while(|&&p| p == part).count();
            // Only the part the line starts in can go on from the line above.
            let on = i == 0 && filled.wrapped && started[part];
            if let Some(text) = parts[part].1 {
                filled.cells.push(Cell {
                    first: i,
                    end,
                    text,
                    wrapped: on,
                    gap: on && filled.gap,
                });
            }
            started[part] = true;
            i = end;
        }
        out.push(filled);
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

/// The widest a column's minimum gets: a longer word or number may be split inside its cell.
pub const MAX_MINIMUM: usize = 12;

/// Column widths by CSS's automatic table layout, in cells: each column's maximum (its widest
/// cell on one line) when they all fit `space`; else its minimum (its widest unbreakable piece,
/// capped at [`MAX_MINIMUM`]) plus a share of what is left in proportion to what it still wants
/// (maximum − minimum). `None` when even the minimums do not fit: no grid can be read then.
pub fn column_widths(maximum: &[usize], minimum: &[usize], space: usize) -> Option<Vec<usize>> {
    let max: Vec<usize> = maximum.iter().map(|&m| m.max(1)).collect();
    let min: Vec<usize> = minimum
        .iter()
        .zip(&max)
        .map(|(&m, &x)| m.clamp(1, MAX_MINIMUM).min(x))
        .collect();
    if max.iter().sum::<usize>() <= space {
        return Some(max);
    }
    let floor: usize = min.iter().sum();
    if floor > space {
        return None;
    }
    let left = space - floor;
    let wants: Vec<usize> = max.iter().zip(&min).map(|(x, n)| x - n).collect();
    let total: usize = wants.iter().sum();
    let mut w = min.clone();
    if total == 0 {
        return Some(w);
    }
    // Shares rounded down, then the cells left over to the largest remainders.
    let mut rest = left;
    let mut remainders = Vec::with_capacity(w.len());
    for (c, &want) in wants.iter().enumerate() {
        let share = want * left / total;
        w[c] += share;
        rest -= share;
        remainders.push((want * left % total, c));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, c) in &remainders {
        if rest == 0 {
            break;
        }
        if w[c] < max[c] {
            w[c] += 1;
            rest -= 1;
        }
    }
    Some(w)
}

/// A line of the table's own: not a continuation.
fn plain(spans: Vec<Span>) -> Filled {
    Filled {
        spans,
        ..Filled::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::document::Block;
    use crate::render::markdown::parse;

    fn grid(md: &str, width: usize) -> Vec<String> {
        let doc = parse(md);
        let Some(Block::Table(t)) = doc.blocks.first() else {
            panic!("a table: {:?}", doc.blocks);
        };
        lines(
            t,
            width,
            Glyphs::for_ambi(AmbiWidth::Single),
            AmbiWidth::Single,
        )
        .into_iter()
        .map(|f| f.spans.iter().map(|s| s.text.as_str()).collect())
        .collect()
    }

    #[test]
    fn minimums_first_then_the_rest_in_proportion() {
        // Maximums 8, 45, 8; minimums 2, 2, 2 (ideographs): 34 cells to share, as 6:43:6.
        assert_eq!(
            column_widths(&[8, 45, 8], &[2, 2, 2], 40),
            Some(vec![6, 28, 6])
        );
        assert_eq!(
            column_widths(&[8, 45, 8], &[2, 2, 2], 80),
            Some(vec![8, 45, 8])
        );
        // A number's minimum is its width, up to 12; a longer word may be split.
        assert_eq!(column_widths(&[9, 30], &[9, 20], 25), Some(vec![9, 16]));
        assert_eq!(column_widths(&[20, 20], &[20, 20], 30), Some(vec![15, 15]));
        assert_eq!(column_widths(&[20, 20], &[20, 20], 23), None);
    }

    #[test]
    fn a_chinese_column_is_not_crushed_beside_a_wide_one() {
        let md = "| 维度 | 提示学习 | 强化学习 |\n| --- | --- | --- |\n\
                  | 反馈机制 | 基于评估的英语解释和人工注释，基于评估的英语解释和人工注释 | 数字奖励 |\n";
        let lines = grid(md, 50);
        assert!(lines.iter().all(|l| l.chars().count() <= 50), "{lines:#?}");
        let row = lines.iter().find(|l| l.contains("反")).unwrap();
        assert!(row.contains("反馈"), "two ideographs at least: {lines:#?}");
    }

    #[test]
    fn numbers_are_not_split_inside_their_cells() {
        let md = "| 项目 | 说明 | 值 |\n| --- | --- | --- |\n\
                  | 拟合时间（秒） | 一段很长很长的说明文字，用来占据大部分的宽度，让表格稍微超出一点 | 10.889 |\n\
                  | 误差 | 短 | -1.185907 |\n";
        let lines = grid(md, 60);
        let text = lines.join("\n");
        assert!(
            text.contains("10.889") && text.contains("-1.185907"),
            "{text}"
        );
    }

    #[test]
    fn minimums_that_do_not_fit_give_records() {
        let md = "| product_elasticity | category_elasticity | global_elasticity |\n| --- | --- | --- |\n\
                  | -1.185907 | -1.63475 | -1.597683 |\n";
        let lines = grid(md, 30);
        assert!(
            lines.iter().any(|l| l == "product_elasticity: -1.185907"),
            "{lines:#?}"
        );
        assert!(!lines.iter().any(|l| l.starts_with('┌')), "{lines:#?}");
    }
}
