//! Search inside an article: where a query occurs in its laid-out lines, as columns to
//! highlight (`/` in the reading pane).
//!
//! Smart case, as the title filter: a query with an upper-case letter matches case exactly,
//! else case is ignored. A hit lies within one line (a word broken across lines is not found
//! across the break).

use unicode_segmentation::UnicodeSegmentation;

use crate::render::line::Line;
use crate::render::width::{AmbiWidth, grapheme_width};

/// One occurrence of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the line.
    pub line: usize,
    /// First column it covers.
    pub start: usize,
    /// Column just past it.
    pub end: usize,
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
    for (index, line) in lines.iter().enumerate() {
        let text = line.plain_text();
        // Each char with the column it starts at (a cluster's chars share its column).
        let mut chars = Vec::new();
        let mut columns = Vec::new();
        let mut column = 0;
        for g in text.graphemes(true) {
            for c in g.chars() {
                chars.push(fold(c));
                columns.push(column);
            }
            column += grapheme_width(g, ambi);
        }
        columns.push(column);
        let mut at = 0;
        while at + needle.len() <= chars.len() {
            if chars[at..at + needle.len()] == needle[..] {
                let end = at + needle.len();
                // The hit ends where the next cluster starts.
                let end_column = columns[end..]
                    .iter()
                    .copied()
                    .find(|&c| c > columns[end - 1])
                    .unwrap_or(column);
                hits.push(Hit {
                    line: index,
                    start: columns[at],
                    end: end_column,
                });
                at = end;
            } else {
                at += 1;
            }
        }
    }
    hits
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
                    line: 0,
                    start: 10,
                    end: 14
                },
                Hit {
                    line: 0,
                    start: 16,
                    end: 20
                }
            ]
        );
    }

    #[test]
    fn smart_case_and_ambiguous_width() {
        let l = lines("“Rust” and rust\n");
        assert_eq!(find(&l, "rust", AmbiWidth::Single).len(), 2);
        assert_eq!(find(&l, "Rust", AmbiWidth::Single).len(), 1);
        assert_eq!(find(&l, "Rust", AmbiWidth::Single)[0].start, 1);
        assert_eq!(find(&l, "Rust", AmbiWidth::Double)[0].start, 2);
        assert!(find(&l, "", AmbiWidth::Single).is_empty());
    }
}
