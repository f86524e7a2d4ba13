//! Which key does what, and the help window (F1) that lists it, from one table: [`BINDINGS`].
//! Terminal key events become [`Action`]s by where the keys go: the list (where every
//! printable key is part of the query), the reading pane, an open overlay, or the search
//! prompt; a few keys work anywhere.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::tui::app::{Action, Focus, LineEdit, Overlay};
use Key::{Alt, Code, Ctrl, CtrlCode, Other, Typed};
use KeyCode::{
    BackTab, Backspace, Char, Delete, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp,
    Right, Tab, Up,
};

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere but in the search prompt, before any other binding, Alt held or not.
    Anywhere,
    /// The list has the focus.
    List,
    /// The reading pane has the focus.
    Reading,
    /// An overlay is open: it takes every key, and Ctrl makes no difference.
    Overlay,
    /// A search is being typed after `/`.
    Prompt,
}

/// A key as a binding names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// This key without Ctrl (Shift and the other modifiers make no difference).
    Code(KeyCode),
    /// Ctrl and this character.
    Ctrl(char),
    /// Ctrl and this key (without it, the key is [`Key::Code`]'s).
    CtrlCode(KeyCode),
    /// Alt and this character (Alt is read only in the list).
    Alt(char),
    /// Any character typed without Ctrl.
    Typed,
    /// Any key that no other binding of the context takes.
    Other,
    /// The mouse wheel, no key: listed here, turned into an action by the view (`Screen::mouse`),
    /// which scrolls the pane under the pointer.
    Wheel,
}

/// A key and what it does: the action, made from the character typed (for [`Key::Typed`]).
pub type Bound = (Key, fn(char) -> Action);

/// Keys that do one thing, and the help's line for them.
pub struct Binding {
    /// Where the keys work.
    pub context: Context,
    /// The keys, in the help's key column: groups set apart by a wider space.
    pub keys: &'static [&'static [Bound]],
    /// More keys for the same, named after the text: "(also …)".
    pub also: &'static [Bound],
    /// What the keys do.
    pub text: &'static str,
}

/// Every binding: the key mapping reads it and the help window shows it (the list's, the
/// reading pane's and the ones that work anywhere, in this order).
pub static BINDINGS: &[Binding] = &[
    // The list.
    Binding {
        context: Context::List,
        keys: &[&[(Typed, Action::Type)]],
        also: &[],
        text: "filter the titles (fuzzy; spaces separate terms)",
    },
    Binding {
        context: Context::List,
        keys: &[&[(Ctrl('t'), |_| Action::ToggleMode)]],
        also: &[],
        text: "search the text (prompt text>), and back",
    },
    Binding {
        context: Context::List,
        keys: &[
            &[
                (Code(Left), |_| Action::Line(LineEdit::Left)),
                (Code(Right), |_| Action::Line(LineEdit::Right)),
            ],
            &[
                (Alt('b'), |_| Action::Line(LineEdit::WordLeft)),
                (Alt('f'), |_| Action::Line(LineEdit::WordRight)),
            ],
        ],
        also: &[],
        text: "move the cursor a character, a word",
    },
    Binding {
        context: Context::List,
        keys: &[
            &[
                (Code(Home), |_| Action::Line(LineEdit::Start)),
                (Code(End), |_| Action::Line(LineEdit::End)),
            ],
            &[
                (Ctrl('a'), |_| Action::Line(LineEdit::Start)),
                (Ctrl('e'), |_| Action::Line(LineEdit::End)),
            ],
        ],
        also: &[],
        text: "move the cursor to the start, the end",
    },
    Binding {
        context: Context::List,
        keys: &[&[
            (Code(Backspace), |_| Action::Backspace),
            (Code(Delete), |_| Action::Line(LineEdit::Delete)),
        ]],
        also: &[(Ctrl('h'), |_| Action::Backspace)],
        text: "delete before, under the cursor",
    },
    Binding {
        context: Context::List,
        keys: &[&[
            (Ctrl('w'), |_| Action::DeleteWord),
            (Ctrl('u'), |_| Action::ClearQuery),
            (Ctrl('k'), |_| Action::Line(LineEdit::KillToEnd)),
        ]],
        also: &[],
        text: "delete a word, all before, all after the cursor",
    },
    Binding {
        context: Context::List,
        keys: &[
            &[
                (Code(Up), |_| Action::Move(-1)),
                (Code(Down), |_| Action::Move(1)),
            ],
            &[
                (Ctrl('p'), |_| Action::Move(-1)),
                (Ctrl('n'), |_| Action::Move(1)),
            ],
        ],
        also: &[(Ctrl('j'), |_| Action::Move(1))],
        text: "move the selection",
    },
    Binding {
        context: Context::List,
        keys: &[
            &[
                (Code(PageUp), |_| Action::MovePage(-1)),
                (Code(PageDown), |_| Action::MovePage(1)),
            ],
            &[
                (CtrlCode(Home), |_| Action::First),
                (CtrlCode(End), |_| Action::Last),
            ],
        ],
        also: &[],
        text: "move a page, to the first, to the last",
    },
    Binding {
        context: Context::List,
        keys: &[
            &[(Code(Enter), |_| Action::Enter)],
            &[
                (Code(Tab), |_| Action::Tab),
                (Code(BackTab), |_| Action::Tab),
            ],
        ],
        also: &[],
        text: "read the article (Enter into a pipe: print it)",
    },
    Binding {
        context: Context::List,
        keys: &[&[(Code(Esc), |_| Action::Back)]],
        also: &[],
        text: "quit (into a pipe: choose nothing, exit 130)",
    },
    // The reading pane.
    Binding {
        context: Context::Reading,
        keys: &[
            &[
                (Code(Char('j')), |_| Action::Scroll(1)),
                (Code(Char('k')), |_| Action::Scroll(-1)),
            ],
            &[
                (Code(Down), |_| Action::Scroll(1)),
                (Code(Up), |_| Action::Scroll(-1)),
            ],
        ],
        also: &[
            (Ctrl('n'), |_| Action::Scroll(1)),
            (Ctrl('p'), |_| Action::Scroll(-1)),
            // Enter scrolls a line; into a pipe, it prints the article.
            (Code(Enter), |_| Action::Enter),
        ],
        text: "scroll a line",
    },
    Binding {
        context: Context::Reading,
        keys: &[
            &[
                (Code(Char(' ')), |_| Action::ScrollPage(1)),
                (Code(Char('b')), |_| Action::ScrollPage(-1)),
            ],
            &[
                (Code(PageDown), |_| Action::ScrollPage(1)),
                (Code(PageUp), |_| Action::ScrollPage(-1)),
            ],
        ],
        also: &[
            (Code(Char('f')), |_| Action::ScrollPage(1)),
            (Ctrl('f'), |_| Action::ScrollPage(1)),
            (Ctrl('b'), |_| Action::ScrollPage(-1)),
        ],
        text: "scroll a page",
    },
    Binding {
        context: Context::Reading,
        keys: &[&[
            (Ctrl('d'), |_| Action::ScrollHalf(1)),
            (Ctrl('u'), |_| Action::ScrollHalf(-1)),
        ]],
        also: &[],
        text: "scroll half a page",
    },
    Binding {
        context: Context::Reading,
        keys: &[
            &[
                (Code(Char('g')), |_| Action::Top),
                (Code(Char('G')), |_| Action::Bottom),
            ],
            &[
                (Code(Home), |_| Action::Top),
                (Code(End), |_| Action::Bottom),
            ],
        ],
        also: &[],
        text: "to the top, to the end",
    },
    Binding {
        context: Context::Reading,
        keys: &[&[
            (Code(Char(']')), |_| Action::NextArticle(1)),
            (Code(Char('[')), |_| Action::NextArticle(-1)),
        ]],
        also: &[],
        text: "next, previous article of the list",
    },
    Binding {
        context: Context::Reading,
        keys: &[
            &[(Code(Char('/')), |_| Action::SearchStart)],
            &[
                (Code(Char('n')), |_| Action::SearchNext(1)),
                (Code(Char('N')), |_| Action::SearchNext(-1)),
            ],
        ],
        also: &[],
        text: "search the article; next, previous hit",
    },
    Binding {
        context: Context::Reading,
        keys: &[&[(Code(Char('o')), |_| Action::Outline)]],
        also: &[],
        text: "outline: the headings (Enter jumps)",
    },
    Binding {
        context: Context::Reading,
        keys: &[&[(Code(Char('l')), |_| Action::Links)]],
        also: &[],
        text: "links (Enter opens, y copies)",
    },
    Binding {
        context: Context::Reading,
        keys: &[&[(Code(Char('e')), |_| Action::Edit)]],
        also: &[],
        text: "open the article in $EDITOR",
    },
    Binding {
        context: Context::Reading,
        keys: &[
            &[
                (Code(Char('q')), |_| Action::Back),
                (Code(Esc), |_| Action::Back),
            ],
            &[
                (Code(Tab), |_| Action::Tab),
                (Code(BackTab), |_| Action::Tab),
            ],
        ],
        also: &[(Code(Backspace), |_| Action::Back)],
        text: "back to the list",
    },
    Binding {
        context: Context::Reading,
        keys: &[&[(Code(Char('?')), |_| Action::ToggleHelp)]],
        also: &[],
        text: "these keys",
    },
    // Anywhere.
    Binding {
        context: Context::Anywhere,
        keys: &[&[(Code(F(1)), |_| Action::ToggleHelp)]],
        also: &[],
        text: "these keys",
    },
    Binding {
        context: Context::Anywhere,
        keys: &[&[(Code(F(2)), |_| Action::ToggleSkipped)]],
        also: &[],
        text: "files that could not be indexed",
    },
    Binding {
        context: Context::Anywhere,
        // Never looked up: the view picks the pane's action by where the pointer is.
        keys: &[&[(Key::Wheel, |_| Action::WheelReading(0))]],
        also: &[],
        text: "scroll the pane under the pointer",
    },
    Binding {
        context: Context::Anywhere,
        keys: &[&[(Ctrl('c'), |_| Action::Interrupt)]],
        also: &[],
        text: "quit at once (exit 130)",
    },
    // An overlay (its title says what it takes; the help overlay closes on any other key).
    Binding {
        context: Context::Overlay,
        keys: &[&[
            (Code(Esc), |_| Action::CloseOverlay),
            (Code(Char('q')), |_| Action::CloseOverlay),
        ]],
        also: &[],
        text: "close",
    },
    Binding {
        context: Context::Overlay,
        keys: &[&[(Code(Char('?')), |_| Action::ToggleHelp)]],
        also: &[],
        text: "the keys",
    },
    Binding {
        context: Context::Overlay,
        keys: &[
            &[
                (Code(Char('j')), |_| Action::Move(1)),
                (Code(Char('k')), |_| Action::Move(-1)),
            ],
            &[
                (Code(Down), |_| Action::Move(1)),
                (Code(Up), |_| Action::Move(-1)),
            ],
        ],
        also: &[],
        text: "move a row",
    },
    Binding {
        context: Context::Overlay,
        keys: &[
            &[
                (Code(Char(' ')), |_| Action::Move(10)),
                (Code(Char('b')), |_| Action::Move(-10)),
            ],
            &[
                (Code(PageDown), |_| Action::Move(10)),
                (Code(PageUp), |_| Action::Move(-10)),
            ],
        ],
        also: &[],
        text: "move ten rows",
    },
    Binding {
        context: Context::Overlay,
        keys: &[&[(Code(Enter), |_| Action::Enter)]],
        also: &[],
        text: "jump to the heading, open the link",
    },
    Binding {
        context: Context::Overlay,
        keys: &[&[(Code(Char('y')), |_| Action::Yank)]],
        also: &[],
        text: "copy the link",
    },
    Binding {
        context: Context::Overlay,
        keys: &[&[(Other, |_| Action::CloseOverlay)]],
        also: &[],
        text: "close",
    },
    // The search prompt.
    Binding {
        context: Context::Prompt,
        keys: &[&[(Typed, Action::SearchType)]],
        also: &[],
        text: "the search",
    },
    Binding {
        context: Context::Prompt,
        keys: &[&[(Code(Backspace), |_| Action::SearchBackspace)]],
        also: &[],
        text: "delete a character",
    },
    Binding {
        context: Context::Prompt,
        keys: &[&[(Code(Enter), |_| Action::SearchCommit)]],
        also: &[],
        text: "search; go to the first hit from the top of the pane",
    },
    Binding {
        context: Context::Prompt,
        keys: &[&[(Code(Esc), |_| Action::SearchCancel)]],
        also: &[],
        text: "stop typing (the last search stays)",
    },
    Binding {
        context: Context::Prompt,
        keys: &[&[(Ctrl('c'), |_| Action::Interrupt)]],
        also: &[],
        text: "quit at once (exit 130)",
    },
];

/// The help window's sections: a title and the context whose bindings it lists.
const SECTIONS: [(&str, Context); 3] = [
    ("List", Context::List),
    ("Reading pane", Context::Reading),
    ("Anywhere", Context::Anywhere),
];

/// One line of the help window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    /// The keys, as the key column shows them.
    pub keys: String,
    /// What they do, with the other keys for the same after it.
    pub text: String,
}

/// Every context's keys, for `folio --help` and the manual: the help window's sections, then
/// the keys of a window over the panes and of the search prompt.
const EVERY_SECTION: [(&str, Context); 5] = [
    SECTIONS[0],
    SECTIONS[1],
    SECTIONS[2],
    (
        "In a window (help, outline, links, skipped files)",
        Context::Overlay,
    ),
    ("Typing a search after /", Context::Prompt),
];

/// The help window's sections, titled, from [`BINDINGS`].
pub fn help() -> Vec<(&'static str, Vec<HelpLine>)> {
    sections(&SECTIONS)
}

/// Every key of [`BINDINGS`] in titled sections, as [`help`] gives the help window's: the text
/// that `folio --help` and `folio man` print, so that they say what the interface does.
pub fn every_key() -> Vec<(&'static str, Vec<HelpLine>)> {
    sections(&EVERY_SECTION)
}

/// The bindings of each context of `wanted`, under its title.
fn sections(wanted: &[(&'static str, Context)]) -> Vec<(&'static str, Vec<HelpLine>)> {
    wanted
        .iter()
        .map(|&(title, context)| {
            let lines = BINDINGS
                .iter()
                .filter(|binding| binding.context == context)
                .map(|binding| {
                    let keys: Vec<String> = binding
                        .keys
                        .iter()
                        .map(|group| names(group.iter()))
                        .collect();
                    let text = if binding.also.is_empty() {
                        binding.text.to_string()
                    } else {
                        format!("{} (also {})", binding.text, names(binding.also.iter()))
                    };
                    HelpLine {
                        keys: keys.join("  "),
                        text,
                    }
                })
                .collect();
            (title, lines)
        })
        .collect()
}

/// The names of `keys`, one space apart.
fn names<'a>(keys: impl Iterator<Item = &'a Bound>) -> String {
    keys.map(|(key, _)| name(*key))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A key's name as the help writes it.
pub fn name(key: Key) -> String {
    match key {
        Code(Char(' ')) => "Space".into(),
        Code(Char(c)) => c.to_string(),
        Code(Up) => "↑".into(),
        Code(Left) => "←".into(),
        Code(Right) => "→".into(),
        Code(Down) => "↓".into(),
        Code(PageUp) => "PgUp".into(),
        Code(PageDown) => "PgDn".into(),
        Code(BackTab) => "S-Tab".into(),
        Code(F(n)) => format!("F{n}"),
        Code(code) => format!("{code:?}"),
        Ctrl(c) => format!("C-{c}"),
        CtrlCode(code) => format!("C-{}", name(Code(code))),
        Alt(c) => format!("Alt-{c}"),
        Typed => "type".into(),
        Other => "any other key".into(),
        Key::Wheel => "mouse wheel".into(),
    }
}

/// The action for a key press, if the key means anything here.
pub fn action(key: KeyEvent, focus: Focus, overlay: Option<Overlay>) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if let Some(action) = lookup(Context::Anywhere, key, true) {
        return Some(action);
    }
    if key.modifiers.contains(KeyModifiers::ALT) {
        // Alt and a character moves the query line's cursor; nothing else takes Alt.
        let in_list = overlay.is_none() && focus == Focus::List;
        return (in_list && matches!(key.code, Char(_)))
            .then(|| lookup(Context::List, key, true))
            .flatten();
    }
    match (overlay, focus) {
        (Some(_), _) => lookup(Context::Overlay, key, false),
        (None, Focus::List) => lookup(Context::List, key, true),
        (None, Focus::Reading) => lookup(Context::Reading, key, true),
    }
}

/// How many lines the help overlay draws: each section's name and keys, a blank between.
pub fn help_lines() -> usize {
    let sections = help();
    sections
        .iter()
        .map(|(_, keys)| keys.len() + 1)
        .sum::<usize>()
        + sections.len().saturating_sub(1)
}

/// The action for a key while a search is typed after `/`.
pub fn search_action(key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    lookup(Context::Prompt, key, true)
}

/// The action [`BINDINGS`] give `key` in `context`: the binding of the key itself, else of
/// [`Key::Typed`] for a character, else of [`Key::Other`]. With `ctrl` false, Ctrl is not
/// looked at (C-j is j).
fn lookup(context: Context, key: KeyEvent, ctrl: bool) -> Option<Action> {
    let held = |modifier| key.modifiers.contains(modifier);
    let (wanted, typed) = match key.code {
        Char(c) if ctrl && held(KeyModifiers::CONTROL) => (Ctrl(c), c),
        Char(c) if held(KeyModifiers::ALT) => (Alt(c), c),
        Char(c) => (Code(Char(c)), c),
        code if ctrl && held(KeyModifiers::CONTROL) => (CtrlCode(code), '\0'),
        code => (Code(code), '\0'),
    };
    let bound = |wanted: Key| {
        BINDINGS
            .iter()
            .filter(|binding| binding.context == context)
            .flat_map(|binding| binding.keys.iter().copied().flatten().chain(binding.also))
            .find(|(key, _)| *key == wanted)
            .map(|&(_, action)| action(typed))
    };
    bound(wanted)
        .or_else(|| match wanted {
            // Ctrl with a key bound only without it: the key's binding.
            CtrlCode(code) => bound(Code(code)),
            _ => None,
        })
        .or_else(|| {
            matches!(wanted, Code(Char(_)))
                .then(|| bound(Typed))
                .flatten()
        })
        .or_else(|| bound(Other))
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
        // As `less` has them.
        assert!(matches!(
            read(KeyCode::Char('b')),
            Some(Action::ScrollPage(-1))
        ));
        assert!(matches!(read(KeyCode::Char('g')), Some(Action::Top)));
        assert!(matches!(read(KeyCode::Backspace), Some(Action::Back)));
        assert!(matches!(read(KeyCode::Esc), Some(Action::Back)));
        let read = |k| action(k, Focus::Reading, None);
        assert!(matches!(read(ctrl('d')), Some(Action::ScrollHalf(1))));
        assert!(matches!(read(ctrl('u')), Some(Action::ScrollHalf(-1))));
        let help: String = help()
            .into_iter()
            .flat_map(|(_, lines)| lines)
            .map(|l| format!("{} {}\n", l.keys, l.text))
            .collect();
        assert!(help.contains("C-d") || help.contains("Ctrl-d"), "{help}");
    }

    #[test]
    fn control_keys() {
        let list = |k| action(k, Focus::List, None);
        assert!(matches!(list(ctrl('u')), Some(Action::ClearQuery)));
        assert!(matches!(list(ctrl('w')), Some(Action::DeleteWord)));
        assert!(matches!(list(ctrl('n')), Some(Action::Move(1))));
        assert!(matches!(list(ctrl('c')), Some(Action::Interrupt)));
        assert!(matches!(
            action(ctrl('c'), Focus::Reading, Some(Overlay::Help(0))),
            Some(Action::Interrupt)
        ));
        assert!(list(ctrl('z')).is_none());
    }

    #[test]
    fn the_query_line_edits_as_readline_and_fzf() {
        let list = |k| action(k, Focus::List, None);
        let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
        let ctrl_code = |code| KeyEvent::new(code, KeyModifiers::CONTROL);
        let line = |a: Option<Action>| match a {
            Some(Action::Line(edit)) => Some(edit),
            _ => None,
        };
        assert_eq!(line(list(key(KeyCode::Left))), Some(LineEdit::Left));
        assert_eq!(line(list(key(KeyCode::Right))), Some(LineEdit::Right));
        assert_eq!(line(list(key(KeyCode::Home))), Some(LineEdit::Start));
        assert_eq!(line(list(key(KeyCode::End))), Some(LineEdit::End));
        assert_eq!(line(list(ctrl('a'))), Some(LineEdit::Start));
        assert_eq!(line(list(ctrl('e'))), Some(LineEdit::End));
        assert_eq!(line(list(alt('b'))), Some(LineEdit::WordLeft));
        assert_eq!(line(list(alt('f'))), Some(LineEdit::WordRight));
        assert_eq!(line(list(ctrl('k'))), Some(LineEdit::KillToEnd));
        assert_eq!(line(list(key(KeyCode::Delete))), Some(LineEdit::Delete));
        assert!(matches!(
            list(ctrl_code(KeyCode::Home)),
            Some(Action::First)
        ));
        assert!(matches!(list(ctrl_code(KeyCode::End)), Some(Action::Last)));
        // Alt is not typing, and the reading pane keeps its keys.
        assert!(list(alt('x')).is_none());
        assert!(action(alt('b'), Focus::Reading, None).is_none());
        assert!(matches!(
            action(ctrl_code(KeyCode::Home), Focus::Reading, None),
            Some(Action::Top)
        ));
    }

    /// Every key code a terminal reports, printable characters included.
    fn every_code() -> Vec<KeyCode> {
        let mut codes: Vec<KeyCode> = (' '..='~').chain(['中', 'é']).map(KeyCode::Char).collect();
        codes.extend((1..=24).map(KeyCode::F));
        codes.extend([
            KeyCode::Backspace,
            KeyCode::Enter,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Delete,
            KeyCode::Insert,
            KeyCode::Null,
            KeyCode::Esc,
            KeyCode::CapsLock,
            KeyCode::ScrollLock,
            KeyCode::NumLock,
            KeyCode::PrintScreen,
            KeyCode::Pause,
            KeyCode::Menu,
            KeyCode::KeypadBegin,
        ]);
        codes
    }

    /// Every combination of Shift, Ctrl, Alt, Super, Hyper and Meta.
    fn every_modifiers() -> impl Iterator<Item = KeyModifiers> {
        (0..64u8).map(KeyModifiers::from_bits_truncate)
    }

    /// The keys a help line names: its key column, and the keys after "(also".
    fn named(line: &HelpLine) -> Vec<&str> {
        let also = line
            .text
            .rsplit_once("(also ")
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .unwrap_or("");
        line.keys
            .split_whitespace()
            .chain(also.split_whitespace())
            .collect()
    }

    #[test]
    fn every_bound_key_is_in_the_help() {
        let help = help();
        for (focus, section) in [(Focus::List, "List"), (Focus::Reading, "Reading pane")] {
            let listed: Vec<&str> = help
                .iter()
                .filter(|(title, _)| *title == section || *title == "Anywhere")
                .flat_map(|(_, lines)| lines.iter().flat_map(named))
                .collect();
            for code in every_code() {
                for modifiers in every_modifiers() {
                    let press = KeyEvent::new(code, modifiers);
                    if action(press, focus, None).is_none() {
                        continue;
                    }
                    let ctrl = modifiers.contains(KeyModifiers::CONTROL);
                    let alt = modifiers.contains(KeyModifiers::ALT);
                    let names = match code {
                        KeyCode::Char(c) if ctrl => vec![name(Key::Ctrl(c))],
                        KeyCode::Char(c) if alt => vec![name(Key::Alt(c))],
                        _ if ctrl => vec![name(Key::CtrlCode(code)), name(Key::Code(code))],
                        KeyCode::Char(_) => vec![name(Key::Code(code)), name(Key::Typed)],
                        _ => vec![name(Key::Code(code))],
                    };
                    assert!(
                        names.iter().any(|name| listed.contains(&name.as_str())),
                        "{press:?} is bound in the {section} but not in its help: {names:?}"
                    );
                }
            }
        }
    }
}
