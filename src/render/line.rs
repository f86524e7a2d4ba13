//! A laid-out line of styled spans: what the layout (`wrap`, `breaks`, `table`) produces and
//! every front-end draws (the reading pane, `folio cat`, search inside an article).

use crate::render::style::{Role, Style};
use crate::render::width::{AmbiWidth, str_width};

/// A piece of a line in one style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The text: sanitized, no tab, newline or control character.
    pub text: String,
    /// How to show it.
    pub style: Style,
}

/// One line of output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    /// The spans, left to right, prefix (bars, markers) included.
    pub spans: Vec<Span>,
    /// True when the line continues the text of the line above (the layout broke it there),
    /// false for the first line of a block or after a hard break.
    pub wrapped: bool,
    /// How many of the spans, from the left, are the layout's prefix (quote bars, list
    /// markers, indentation) rather than the text.
    pub prefix: usize,
    /// True when the break before this line dropped blanks: its text follows the line
    /// above's after a space (see [`Line::wrapped`]).
    pub gap: bool,
    /// Where the text of table cells lies on a table's line (empty elsewhere): each cell is
    /// a text of its own, read on across the lines its wrap split it over.
    pub cells: Vec<Cell>,
}

/// A table cell's text on one line: the spans that hold it, and which text it continues.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// The line's spans `spans[first..end]` are the cell's text.
    pub first: usize,
    /// Just past its last span.
    pub end: usize,
    /// Which text of the table it is: a cell on a following line with the same `text` and
    /// `wrapped` set goes on with it (the column, in a grid).
    pub text: usize,
    /// True when it continues the cell's text from the line above.
    pub wrapped: bool,
    /// True when the break before it dropped blanks: the text reads on after a space.
    pub gap: bool,
}

impl Line {
    /// Width in cells, with ambiguous-width characters counted 1.
    pub fn width(&self) -> usize {
        self.width_in(AmbiWidth::Single)
    }

    /// Width in cells under the given ambiguous-width rule.
    pub fn width_in(&self, ambi: AmbiWidth) -> usize {
        self.spans.iter().map(|s| str_width(&s.text, ambi)).sum()
    }

    /// The line's text without styles.
    pub fn plain_text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// A span of `text` in the plain style of `role`: the layout's own decoration (bars, markers,
/// borders) and text it adds.
pub fn span(text: &str, role: Role) -> Span {
    Span {
        text: text.to_string(),
        style: Style::role(role),
    }
}
