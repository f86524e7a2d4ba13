//! Where each part of the screen goes for a terminal of a given size: the list beside the
//! reading pane on a wide terminal, above it on a narrow one, and the status line at the bottom.

use ratatui::layout::Rect;

/// From this many columns on, the reading pane stands beside the list; below, under it.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 100;

/// From this many columns on, the list's rows show the date and category columns (where they
/// tell the articles apart); a narrower list gives its titles the whole row.
pub const META_MIN_WIDTH: u16 = 60;

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
    /// True when the article has the screen (the list hidden, a one-line header).
    pub full: bool,
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
        full: false,
    }
}

/// The layout while reading: the article gets the whole screen, under a one-line header (title,
/// date, category, source) and over the status line; the list is hidden, not gone.
pub fn reading_panes(area: Rect) -> Panes {
    let status = Rect {
        y: area.bottom().saturating_sub(1),
        height: area.height.min(1),
        ..area
    };
    let main = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let hidden = Rect {
        height: 0,
        width: 0,
        ..main
    };
    // One column of margin each side of the article.
    let padded = Rect {
        x: main.x + 1.min(main.width),
        width: main.width.saturating_sub(2),
        ..main
    };
    let header = Rect {
        height: padded.height.min(1),
        ..padded
    };
    let rule = Rect {
        y: header.bottom(),
        height: 0,
        ..padded
    };
    let body = Rect {
        y: header.bottom(),
        height: padded.height - header.height,
        ..padded
    };
    Panes {
        query: hidden,
        rows: hidden,
        reading: main,
        header,
        rule,
        body,
        status,
        side_by_side: false,
        full: true,
    }
}

/// Row `row` of `area`, one line high.
pub fn row_rect(area: Rect, row: u16) -> Rect {
    Rect {
        y: area.y + row,
        height: 1,
        ..area
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
            let _ = reading_panes(Rect::new(0, 0, w, h));
        }
    }

    #[test]
    fn the_reader_gets_the_screen_under_one_header_line() {
        let p = reading_panes(Rect::new(0, 0, 80, 24));
        assert_eq!((p.header.y, p.header.height), (0, 1));
        assert_eq!((p.body.y, p.body.height, p.body.width), (1, 22, 78));
        assert_eq!(p.status.y, 23);
        assert_eq!(p.rows.height, 0);
    }
}
