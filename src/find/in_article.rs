//! Search inside an article: where a query occurs in its text, as the columns of its laid-out
//! lines to highlight (`/` in the reading pane).
//!
//! The search runs on the text, not on screen lines: the lines a paragraph was broken into are
//! read as one text again (with a space where the break dropped one), so a phrase that the
//! layout splits across lines is found, in as many pieces as lines it covers, and the count of
//! hits is the same at every width. A table cell is a text of its own, read on across the
//! lines of its cell the same way, in a grid or in `header: value` records. Smart case, as the
//! title filter: a query with an upper-case letter matches case exactly, else case is ignored.

use unicode_segmentation::UnicodeSegmentation;

use crate::render::line::Line;
use crate::render::style::Role;
use crate::render::width::{AmbiWidth, grapheme_width};

/// The part of a hit on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Index of the line.
    pub line: usize,
    /// First column it covers.
    pub start: usize,
    /// Column just past it.
    pub end: usize,
}

/// One occurrence of the query: one piece per line it covers, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Its pieces (at least one).
    pub pieces: Vec<Piece>,
}

impl Hit {
    /// The line it starts on.
    pub fn line(&self) -> usize {
        self.pieces.first().map_or(0, |p| p.line)
    }
}

/// One char of a run of lines being searched: folded, with where it is drawn (`None` for the
/// space that stands for blanks a break dropped).
struct At {
    c: char,
    place: Option<Piece>,
}

/// Every occurrence of `query` in `lines`, in reading order (none for an empty query).
pub fn find(lines: &[Line], query: &str, ambi: AmbiWidth) -> Vec<Hit> {
    if query.is_empty() {
        return Vec::new();
    }
    let exact = query.chars().any(char::is_uppercase);
    let fold = |c: char| {
        if exact {
            c
        } else {
            c.to_lowercase().next().unwrap_or(c)
        }
    };
    let needle: Vec<char> = query.chars().map(fold).collect();
    let mut hits = Vec::new();
    let mut run: Vec<At> = Vec::new();
    // The texts of the table being read, by `Cell::text`.
    let mut cells: Vec<Vec<At>> = Vec::new();
    let gap = || At {
        c: ' ',
        place: None,
    };
    for (index, line) in lines.iter().enumerate() {
        if line.cells.is_empty() {
            for text in &mut cells {
                search_run(text, &needle, &mut hits);
                text.clear();
            }
            if !line.wrapped {
                search_run(&run, &needle, &mut hits);
                run.clear();
            } else if line.gap {
                run.push(gap());
            }
        } else {
            search_run(&run, &needle, &mut hits);
            run.clear();
        }
        let mut column = 0;
        let mut cell_at = 0;
        for (i, span) in line.spans.iter().enumerate() {
            // The text this span is part of, if any.
            let mut text: Option<&mut Vec<At>> = None;
            if line.cells.is_empty() {
                if i >= line.prefix {
                    text = Some(&mut run);
                }
            } else {
                while line.cells.get(cell_at).is_some_and(|c| c.end <= i) {
                    cell_at += 1;
                }
                if let Some(cell) = line.cells.get(cell_at).filter(|c| c.first <= i) {
                    if cells.len() <= cell.text {
                        cells.resize_with(cell.text + 1, Vec::new);
                    }
                    let cell_text = &mut cells[cell.text];
                    if i == cell.first {
                        if !cell.wrapped {
                            search_run(cell_text, &needle, &mut hits);
                            cell_text.clear();
                        } else if cell.gap {
                            cell_text.push(gap());
                        }
                    }
                    text = Some(cell_text);
                }
            }
            if matches!(span.style.role, Role::Continuation | Role::Border) {
                text = None;
            }
            for g in span.text.graphemes(true) {
                let width = grapheme_width(g, ambi);
                if let Some(text) = text.as_deref_mut() {
                    let place = Piece {
                        line: index,
                        start: column,
                        end: column + width,
                    };
                    text.extend(g.chars().map(|c| At {
                        c: fold(c),
                        place: Some(place),
                    }));
                }
                column += width;
            }
        }
    }
    search_run(&run, &needle, &mut hits);
    for text in &cells {
        search_run(text, &needle, &mut hits);
    }
    // A table's cells end in column order, not in reading order.
    hits.sort_by_key(|h| h.pieces.first().map(|p| (p.line, p.start)));
    hits
}

/// The hits in one run of lines (a paragraph and the lines it was broken into).
fn search_run(run: &[At], needle: &[char], hits: &mut Vec<Hit>) {
    let mut at = 0;
    while at + needle.len() <= run.len() {
        let found = run[at..at + needle.len()]
            .iter()
            .zip(needle)
            .all(|(a, &c)| a.c == c);
        if !found {
            at += 1;
            continue;
        }
        let mut pieces: Vec<Piece> = Vec::new();
        for place in run[at..at + needle.len()].iter().filter_map(|a| a.place) {
            match pieces.last_mut() {
                Some(last) if last.line == place.line => {
                    last.start = last.start.min(place.start);
                    last.end = last.end.max(place.end);
                }
                _ => pieces.push(place),
            }
        }
        if !pieces.is_empty() {
            hits.push(Hit { pieces });
        }
        at += needle.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::parse;
    use crate::render::wrap::wrap;

    fn lines(md: &str) -> Vec<Line> {
        wrap(&parse(md), 40, AmbiWidth::Single)
    }

    #[test]
    fn cjk_hits_at_their_columns() {
        let l = lines("在终端里排中文，中文占两格。\n");
        let hits = find(&l, "中文", AmbiWidth::Single);
        assert_eq!(
            hits,
            vec![
                Hit {
                    pieces: vec![Piece {
                        line: 0,
                        start: 10,
                        end: 14
                    }]
                },
                Hit {
                    pieces: vec![Piece {
                        line: 0,
                        start: 16,
                        end: 20
                    }]
                }
            ]
        );
    }

    #[test]
    fn smart_case_and_ambiguous_width() {
        let l = lines("“Rust” and rust\n");
        assert_eq!(find(&l, "rust", AmbiWidth::Single).len(), 2);
        assert_eq!(find(&l, "Rust", AmbiWidth::Single).len(), 1);
        assert_eq!(find(&l, "Rust", AmbiWidth::Single)[0].pieces[0].start, 1);
        assert_eq!(find(&l, "Rust", AmbiWidth::Double)[0].pieces[0].start, 2);
        assert!(find(&l, "", AmbiWidth::Single).is_empty());
    }

    #[test]
    fn a_hit_across_a_line_break_is_one_hit_in_two_pieces() {
        // 18 ideographs at 20 columns: 10 on the first line, the rest on the second.
        let l = wrap(
            &parse("一二三四五六七八九十甲乙丙丁戊己庚辛\n"),
            20,
            AmbiWidth::Single,
        );
        assert_eq!(l.len(), 2);
        let hits = find(&l, "九十甲乙", AmbiWidth::Single);
        assert_eq!(
            hits,
            vec![Hit {
                pieces: vec![
                    Piece {
                        line: 0,
                        start: 16,
                        end: 20
                    },
                    Piece {
                        line: 1,
                        start: 0,
                        end: 4
                    }
                ]
            }]
        );
        assert_eq!(hits[0].line(), 0);
    }

    #[test]
    fn quote_bars_and_list_markers_are_not_text() {
        let md = "> one two three four five six seven eight nine ten\n\n- alpha beta gamma delta epsilon zeta\n";
        let l = wrap(&parse(md), 20, AmbiWidth::Single);
        assert_eq!(find(&l, "four five six", AmbiWidth::Single).len(), 1);
        assert_eq!(find(&l, "gamma delta epsilon", AmbiWidth::Single).len(), 1);
        assert!(find(&l, "│", AmbiWidth::Single).is_empty());
    }
}
