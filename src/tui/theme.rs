//! How the interface looks: every colour and emphasis it draws with, in one place.
//!
//! The render engine tags text with roles ([`crate::style`]); this maps them, and the
//! interface's own elements (selection, matched characters, status line), to terminal styles.

use ratatui::style::{Color, Modifier, Style};

use crate::style::{Role, Style as TextStyle};

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
