//! How the interface looks: every colour and emphasis it draws with, in one place.
//!
//! The render engine tags text with roles ([`crate::render::style`]); this maps them, and the
//! interface's own elements (selection, matched characters, status line), to terminal styles.

use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use unicode_width::UnicodeWidthStr;

use crate::render::width::{AmbiWidth, grapheme_width};

use crate::render::style::{Role, Style as TextStyle};

/// Characters of a title that the query matched.
pub const MATCHED: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
/// The selected row of the list.
pub const SELECTED: Style = Style::new()
    .bg(Color::DarkGray)
    .add_modifier(Modifier::BOLD);
/// The marker left of the selected row.
pub const MARKER: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
/// The query line's prompt.
pub const PROMPT: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
/// Secondary text: the match count, hints, the article's date and path.
pub const DIM: Style = Style::new().fg(Color::DarkGray);
/// Lines between panes.
pub const BORDER: Style = Style::new().fg(Color::DarkGray);
/// The border of the pane with the focus.
pub const BORDER_FOCUSED: Style = Style::new().fg(Color::Cyan);
/// The article's title above the reading pane.
pub const HEADER_TITLE: Style = Style::new().add_modifier(Modifier::BOLD);
/// The article's source URL above the reading pane.
pub const HEADER_URL: Style = Style::new()
    .fg(Color::Blue)
    .add_modifier(Modifier::UNDERLINED);
/// The status line at the bottom.
pub const STATUS: Style = Style::new().fg(Color::Black).bg(Color::Gray);
/// An error shown in place of an article.
pub const ERROR: Style = Style::new().fg(Color::Red);
/// A hit of the search inside the article.
pub const SEARCH_HIT: Style = Style::new().fg(Color::Black).bg(Color::Yellow);
/// The hit last jumped to.
pub const SEARCH_CURRENT: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::LightRed)
    .add_modifier(Modifier::BOLD);
/// The key names in the help window.
pub const KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);

/// The terminal style for a span of laid-out article text.
pub fn text(style: TextStyle) -> Style {
    let mut out = match style.role {
        Role::Text => Style::new(),
        Role::Heading(1) => Style::new()
            .fg(Color::Magenta)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        Role::Heading(2) => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        Role::Heading(_) => Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
        Role::CodeBlock => Style::new().fg(Color::Yellow),
        Role::CodeFence | Role::Border | Role::Rule | Role::Placeholder | Role::QuoteBar => {
            Style::new().add_modifier(Modifier::DIM)
        }
        Role::Continuation => Style::new().fg(Color::Yellow).add_modifier(Modifier::DIM),
        Role::ListMarker => Style::new().fg(Color::Cyan),
        Role::Metadata => Style::new().add_modifier(Modifier::DIM | Modifier::ITALIC),
        Role::Image => Style::new().fg(Color::Magenta),
        Role::Url => Style::new().add_modifier(Modifier::DIM | Modifier::UNDERLINED),
        Role::LinkMark | Role::FootnoteMark => {
            Style::new().fg(Color::Blue).add_modifier(Modifier::DIM)
        }
        Role::RefLabel => Style::new().fg(Color::Blue),
    };
    if style.bold {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.italic {
        out = out.add_modifier(Modifier::ITALIC);
    }
    if style.strike {
        out = out.add_modifier(Modifier::CROSSED_OUT);
    }
    if style.role == Role::Text {
        if style.code {
            out = out.fg(Color::Yellow);
        } else if style.link != 0 {
            out = out.fg(Color::Blue).add_modifier(Modifier::UNDERLINED);
        }
    }
    out
}

/// The drawn frame made to suit the terminal: without colours (`NO_COLOR`, `--color never`:
/// what had a background is drawn reversed, so that the selection and search hits still
/// show), or with colours that read on a light background.
pub fn adapt(buffer: &mut Buffer, no_color: bool, light: bool) {
    if !no_color && !light {
        return;
    }
    for cell in &mut buffer.content {
        if no_color {
            if cell.bg != Color::Reset {
                cell.modifier.insert(Modifier::REVERSED);
            }
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
            cell.underline_color = Color::Reset;
        } else {
            cell.fg = for_light(cell.fg, false);
            cell.bg = for_light(cell.bg, true);
        }
    }
}

/// A colour of the dark theme as the light theme draws it.
fn for_light(color: Color, background: bool) -> Color {
    match (color, background) {
        (Color::Yellow, false) => Color::Indexed(130), // dark orange
        (Color::Cyan, false) => Color::Indexed(24),    // deep blue
        (Color::DarkGray, false) => Color::Indexed(244),
        (Color::Magenta, false) => Color::Indexed(90),
        (Color::DarkGray, true) => Color::Indexed(252), // the selection: light grey
        (Color::Gray, true) => Color::Indexed(250),
        (other, _) => other,
    }
}

/// For terminals that draw ambiguous characters two cells wide (`--ambiwidth double`): each
/// row of `area` is spread so that such a character has two cells, the second skipped when
/// drawing (so the cursor is moved past it). The text was laid out for this width.
pub fn make_room_for_ambiguous(buffer: &mut Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        let row: Vec<Cell> = (area.left()..area.right())
            .map(|x| buffer[(x, y)].clone())
            .collect();
        if !row.iter().any(|c| is_ambiguous(c.symbol())) {
            continue;
        }
        let mut spread = Vec::with_capacity(row.len() + 8);
        for cell in row {
            let wide = is_ambiguous(cell.symbol());
            let style = cell.style();
            spread.push(cell);
            if wide {
                let mut filler = Cell::new("");
                filler
                    .set_style(style)
                    .set_diff_option(CellDiffOption::Skip);
                spread.push(filler);
            }
        }
        for (x, cell) in (area.left()..area.right()).zip(spread) {
            buffer[(x, y)] = cell;
        }
    }
}

/// After [`make_room_for_ambiguous`] on the regions laid out for it: any other ambiguous
/// symbol (pane borders, the rule, markers) would push the rest of its row one cell right,
/// so it is drawn with a narrow stand-in (`|`, `-`, `+`, `>`, `.`).
pub fn narrow_the_rest(buffer: &mut Buffer) {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if !is_ambiguous(buffer[(x, y)].symbol()) {
                continue;
            }
            let roomy =
                x + 1 < area.right() && buffer[(x + 1, y)].diff_option == CellDiffOption::Skip;
            if !roomy {
                let stand_in = match buffer[(x, y)].symbol() {
                    "│" | "┃" | "║" | "┊" => "|",
                    "─" | "━" | "═" => "-",
                    "»" => ">",
                    "«" => "<",
                    "…" => ".",
                    "·" => ".",
                    s if s
                        .chars()
                        .next()
                        .is_some_and(|c| ('\u{2500}'..='\u{257F}').contains(&c)) =>
                    {
                        "+"
                    }
                    _ => "?",
                };
                buffer[(x, y)].set_symbol(stand_in);
            }
        }
    }
}

/// True for a symbol ratatui counts one cell wide that such a terminal draws two wide.
fn is_ambiguous(symbol: &str) -> bool {
    symbol.width() == 1 && grapheme_width(symbol, AmbiWidth::Double) == 2
}
