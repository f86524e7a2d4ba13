//! Which key does what: terminal key events become [`Action`]s, depending on the pane with the
//! focus (in the list every printable key is part of the query) and on an open overlay.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::tui::app::{Action, Focus, Overlay};

/// The keys as the help window (F1) and the README list them: (keys, what they do).
pub const LIST_KEYS: &[(&str, &str)] = &[
    ("type", "filter the titles (fuzzy; spaces separate terms)"),
    ("Backspace C-u C-w", "delete a character, the query, a word"),
    ("↑ ↓  C-p C-n", "move the selection"),
    (
        "PgUp PgDn Home End",
        "move a page, to the first, to the last",
    ),
    (
        "Enter  Tab",
        "read the article (Enter into a pipe: print it)",
    ),
    ("Esc", "quit (into a pipe: choose nothing, exit 130)"),
];

/// Keys of the reading pane.
pub const READING_KEYS: &[(&str, &str)] = &[
    ("j k  ↓ ↑", "scroll a line"),
    ("Space b  PgDn PgUp", "scroll a page"),
    ("g G  Home End", "to the top, to the end"),
    ("] [", "next, previous article of the list"),
    ("/  n N", "search the article; next, previous hit"),
    ("o", "outline: the headings (Enter jumps)"),
    ("l", "links (Enter opens, y copies)"),
    ("e", "open the article in $EDITOR"),
    ("q Esc  Tab", "back to the list"),
    ("?", "these keys"),
];

/// Keys that work everywhere.
pub const GLOBAL_KEYS: &[(&str, &str)] = &[
    ("F1", "these keys"),
    ("F2", "files that could not be indexed"),
    ("mouse wheel", "scroll the pane under the pointer"),
    ("C-c", "quit at once (exit 130)"),
];

/// The action for a key press, if the key means anything here.
pub fn action(key: KeyEvent, focus: Focus, overlay: Option<Overlay>) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    // Keys that mean the same everywhere.
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Interrupt),
        KeyCode::F(1) => return Some(Action::ToggleHelp),
        KeyCode::F(2) => return Some(Action::ToggleSkipped),
        _ => {}
    }
    if alt {
        return None;
    }
    if overlay.is_some() {
        return Some(match key.code {
            KeyCode::Esc | KeyCode::Char('q') => Action::CloseOverlay,
            KeyCode::Char('?') => Action::ToggleHelp,
            KeyCode::Down | KeyCode::Char('j') => Action::Move(1),
            KeyCode::Up | KeyCode::Char('k') => Action::Move(-1),
            KeyCode::PageDown | KeyCode::Char(' ') => Action::Move(10),
            KeyCode::PageUp | KeyCode::Char('b') => Action::Move(-10),
            KeyCode::Enter => Action::Enter,
            KeyCode::Char('y') => Action::Yank,
            _ => Action::CloseOverlay,
        });
    }
    let common = match key.code {
        KeyCode::Enter => Some(Action::Enter),
        KeyCode::Tab | KeyCode::BackTab => Some(Action::Tab),
        KeyCode::Esc => Some(Action::Back),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    match focus {
        Focus::List => list_action(key.code, ctrl),
        Focus::Reading => reading_action(key.code, ctrl),
    }
}

fn list_action(code: KeyCode, ctrl: bool) -> Option<Action> {
    Some(match code {
        KeyCode::Char('u') if ctrl => Action::ClearQuery,
        KeyCode::Char('w') if ctrl => Action::DeleteWord,
        KeyCode::Char('h') if ctrl => Action::Backspace,
        KeyCode::Char('p' | 'k') if ctrl => Action::Move(-1),
        KeyCode::Char('n' | 'j') if ctrl => Action::Move(1),
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char(c) => Action::Type(c),
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Up => Action::Move(-1),
        KeyCode::Down => Action::Move(1),
        KeyCode::PageUp => Action::MovePage(-1),
        KeyCode::PageDown => Action::MovePage(1),
        KeyCode::Home => Action::First,
        KeyCode::End => Action::Last,
        _ => return None,
    })
}

fn reading_action(code: KeyCode, ctrl: bool) -> Option<Action> {
    Some(match code {
        KeyCode::Char('n') if ctrl => Action::Scroll(1),
        KeyCode::Char('p') if ctrl => Action::Scroll(-1),
        KeyCode::Char('f') if ctrl => Action::ScrollPage(1),
        KeyCode::Char('b') if ctrl => Action::ScrollPage(-1),
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char('j') | KeyCode::Down => Action::Scroll(1),
        KeyCode::Char('k') | KeyCode::Up => Action::Scroll(-1),
        KeyCode::Char(' ' | 'f') | KeyCode::PageDown => Action::ScrollPage(1),
        KeyCode::Char('b') | KeyCode::PageUp => Action::ScrollPage(-1),
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Char(']') => Action::NextArticle(1),
        KeyCode::Char('[') => Action::NextArticle(-1),
        KeyCode::Char('q') => Action::Back,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('/') => Action::SearchStart,
        KeyCode::Char('n') => Action::SearchNext(1),
        KeyCode::Char('N') => Action::SearchNext(-1),
        KeyCode::Char('o') => Action::Outline,
        KeyCode::Char('l') => Action::Links,
        KeyCode::Char('e') => Action::Edit,
        _ => return None,
    })
}

/// The action for a key while a search is typed after `/`.
pub fn search_action(key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Interrupt,
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char(c) => Action::SearchType(c),
        KeyCode::Backspace => Action::SearchBackspace,
        KeyCode::Enter => Action::SearchCommit,
        KeyCode::Esc => Action::SearchCancel,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn printable_keys_are_query_characters_in_the_list() {
        for c in ['q', '?', 'j', ' ', '中', 'G'] {
            assert!(matches!(
                action(key(KeyCode::Char(c)), Focus::List, None),
                Some(Action::Type(t)) if t == c
            ));
        }
    }

    #[test]
    fn the_same_keys_scroll_in_the_reading_pane() {
        let read = |code| action(key(code), Focus::Reading, None);
        assert!(matches!(read(KeyCode::Char('j')), Some(Action::Scroll(1))));
        assert!(matches!(
            read(KeyCode::Char(' ')),
            Some(Action::ScrollPage(1))
        ));
        assert!(matches!(read(KeyCode::Char('G')), Some(Action::Bottom)));
        assert!(matches!(
            read(KeyCode::Char(']')),
            Some(Action::NextArticle(1))
        ));
        assert!(matches!(read(KeyCode::Char('q')), Some(Action::Back)));
        assert!(matches!(read(KeyCode::Char('?')), Some(Action::ToggleHelp)));
    }

    #[test]
    fn control_keys() {
        let list = |k| action(k, Focus::List, None);
        assert!(matches!(list(ctrl('u')), Some(Action::ClearQuery)));
        assert!(matches!(list(ctrl('w')), Some(Action::DeleteWord)));
        assert!(matches!(list(ctrl('n')), Some(Action::Move(1))));
        assert!(matches!(list(ctrl('c')), Some(Action::Interrupt)));
        assert!(matches!(
            action(ctrl('c'), Focus::Reading, Some(Overlay::Help)),
            Some(Action::Interrupt)
        ));
        assert!(list(ctrl('z')).is_none());
    }
}
