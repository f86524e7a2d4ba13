//! What may reach a terminal: every piece of article text passes through here before it is shown.
//!
//! A terminal executes what it is sent, and an archive downloaded from the internet can carry
//! escape sequences in titles, bodies and file names. These functions turn such text into text
//! that is only ever *drawn*: C0 controls (but tab and newline where a layout handles them), DEL,
//! C1 controls and bidi overrides never survive; escape and the other controls become visible
//! symbols so that nothing is silently lost.

use std::borrow::Cow;

/// Bidirectional formatting characters that reorder what follows them (embeddings, overrides,
/// isolates and the Arabic letter mark). They are removed: showing them would reorder the line.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// True for a character that must never be written to a terminal as it is: C0 controls
/// (tab and newline included: callers that lay text out handle those first), DEL, C1 controls,
/// bidi controls, and the soft hyphen (0 columns to unicode-width, 1 cell in real terminals).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{00AD}'
}

/// The visible stand-in for an unsafe character, or `None` where it is dropped without a trace
/// (bidi controls and the soft hyphen carry no text of their own).
///
/// C0 controls become their Control Pictures (`ESC` → `␛`, `BEL` → `␇`), DEL becomes `␡`, C1
/// controls become `�`.
pub fn visible_symbol(c: char) -> Option<char> {
    match c {
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32),
        '\u{7F}' => Some('\u{2421}'),
        '\u{80}'..='\u{9F}' => Some('\u{FFFD}'),
        _ => None,
    }
}

/// True for a character that makes the width of what it joins depend on the terminal: the
/// zero-width joiner of emoji sequences (`👨‍👩‍👧` is 2 cells to unicode-width, 6 in a terminal
/// that draws its parts), the variation selectors that ask for text or emoji presentation
/// (`❤️`: 1 or 2 cells), skin-tone modifiers and tag characters. They are dropped where text is
/// drawn, leaving the parts, each of a width every terminal agrees on (`👨👩👧`, `❤`, `👍`).
pub fn is_width_unstable(c: char) -> bool {
    matches!(
        c,
        '\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}'
    )
}

/// Whether `c`, coming right after `before` in the text, goes where text is drawn: a character
/// of [`is_width_unstable`], but a zero-width joiner only after an emoji. In Indic scripts a
/// joiner shapes the letters around it (`क्‍ष`) and every terminal draws them alike: it stays.
pub fn drops_after(before: Option<char>, c: char) -> bool {
    match c {
        '\u{200D}' => before.is_some_and(is_emoji_part),
        c => is_width_unstable(c),
    }
}

/// Whether `c` is part of an emoji: a pictograph (the emoji blocks, the symbol and dingbat
/// ranges that have emoji forms), a presentation selector, a skin tone or a tag.
fn is_emoji_part(c: char) -> bool {
    matches!(
        c,
        '\u{1F000}'..='\u{1FAFF}'
            | '\u{2300}'..='\u{23FF}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2B00}'..='\u{2BFF}'
            | '\u{FE0E}'
            | '\u{FE0F}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// An article's line as `list`, `find` and `search` print it: `TITLE<TAB>PATH` and a line
/// break, each field made one safe line ([`one_line`]).
pub fn write_title_line(
    title: &str,
    path: &str,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    out.write_all(one_line(title).as_bytes())?;
    out.write_all(b"\t")?;
    out.write_all(one_line(path).as_bytes())?;
    out.write_all(b"\n")
}

/// Whether `text` holds an unsafe character ([`is_unsafe`]) or one of [`is_width_unstable`],
/// told from its bytes in one pass: a C0 control or DEL, or the UTF-8 of a C1 control or the
/// soft hyphen (C2 80–9F, C2 AD), of the Arabic letter mark (D8 9C), of another bidi control
/// (E2 80 AA–AE, E2 81 A6–A9), of ZWJ (E2 80 8D), VS15/VS16 (EF B8 8E–8F), a skin tone
/// (F0 9F 8F BB–BF) or a tag (F3 A0 80 A0 – F3 A0 81 BF). For the 100,000 titles of a `list`
/// or a `search`, where decoding every character of every title cost several times more
/// (Chinese titles are full of `“”—`, which start with E2).
fn holds_unsafe_or_width_unstable(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &byte)| match byte {
        0x00..=0x1F | 0x7F => true,
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F | 0xAD)),
        0xD8 => bytes.get(i + 1) == Some(&0x9C),
        0xE2 => matches!(
            bytes.get(i + 1..i + 3),
            Some([0x80, 0xAA..=0xAE | 0x8D] | [0x81, 0xA6..=0xA9])
        ),
        0xEF => matches!(bytes.get(i + 1..i + 3), Some([0xB8, 0x8E | 0x8F])),
        0xF0 => matches!(bytes.get(i + 1..i + 4), Some([0x9F, 0x8F, 0xBB..=0xBF])),
        0xF3 => matches!(
            bytes.get(i + 1..i + 4),
            Some([0xA0, 0x80, 0xA0..=0xBF] | [0xA0, 0x81, 0x80..=0xBF])
        ),
        _ => false,
    })
}

/// Text for one line of display (a title, a path, a status line): tabs, newlines and carriage
/// returns become a space each, every other unsafe character its visible symbol or nothing,
/// and characters of [`is_width_unstable`] go.
pub fn one_line(text: &str) -> Cow<'_, str> {
    // Most text is plain ASCII, which one look at its bytes clears.
    if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Cow::Borrowed(text);
    }
    if !holds_unsafe_or_width_unstable(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut before = None;
    for c in text.chars() {
        let after = before.replace(c);
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if drops_after(after, c) => {}
            c if is_unsafe(c) => out.extend(visible_symbol(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text of many lines shown as its source (`folio cat --raw` to a terminal): newlines and tabs
/// stay, a carriage return before a newline goes, every other unsafe character becomes visible.
pub fn source_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if is_unsafe(c) => out.extend(visible_symbol(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joiners_go_between_emoji_and_stay_in_indic_letters() {
        assert_eq!(one_line("👨\u{200d}👩\u{200d}👧 家"), "👨👩👧 家");
        assert_eq!(one_line("❤\u{fe0f} 心"), "❤ 心");
        // Devanagari क्‍ष and Malayalam ന്‍: the joiner shapes the letters and stays.
        assert_eq!(one_line("क्\u{200d}ष"), "क्\u{200d}ष");
        assert_eq!(one_line("ന്\u{200d}"), "ന്\u{200d}");
        let laid = crate::render::wrap::render_plain(
            "क्\u{200d}ष 和 👨\u{200d}👩\n",
            40,
            crate::render::width::AmbiWidth::Single,
        );
        assert!(laid.contains("क्\u{200d}ष 和 👨👩"), "{laid:?}");
    }

    #[test]
    fn the_byte_check_finds_exactly_the_unsafe_and_width_unstable_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                holds_unsafe_or_width_unstable(&format!("标题{c}x")),
                is_unsafe(c) || is_width_unstable(c),
                "U+{:04X}",
                c as u32
            );
        }
        assert!(!holds_unsafe_or_width_unstable(
            "“潮汐”与月亮——Rust 2024 ·…"
        ));
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        assert!(matches!(one_line("微信暂停 new users"), Cow::Borrowed(_)));
        assert!(matches!(source_text("a\n\tb"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible_symbols() {
        assert_eq!(one_line("a\x1b[31mred\x07"), "a␛[31mred␇");
        assert_eq!(one_line("x\u{9b}2Jy\u{7f}"), "x\u{FFFD}2Jy␡");
    }

    #[test]
    fn one_line_flattens_line_breaks_and_tabs() {
        assert_eq!(one_line("title\twith\r\nbreaks"), "title with  breaks");
    }

    #[test]
    fn bidi_overrides_and_soft_hyphens_are_dropped() {
        assert_eq!(one_line("abc\u{202E}fed\u{2066}x\u{00AD}y"), "abcfedxy");
    }

    #[test]
    fn source_text_keeps_layout_but_not_controls() {
        assert_eq!(source_text("a\r\nb\tc\rd\x1b]0;t\x07"), "a\nb\tc␍d␛]0;t␇");
    }

    #[test]
    fn nothing_unsafe_survives_any_char() {
        for u in 0..0x3000u32 {
            if let Some(c) = char::from_u32(u) {
                let s = c.to_string();
                assert!(!one_line(&s).chars().any(is_unsafe), "U+{u:04X}");
                assert!(
                    !source_text(&s)
                        .chars()
                        .any(|c| is_unsafe(c) && c != '\n' && c != '\t'),
                    "U+{u:04X}"
                );
            }
        }
    }

    #[test]
    fn width_unstable_characters_go_from_a_line() {
        assert_eq!(
            one_line("家庭👨\u{200D}👩\u{200D}👧 ❤\u{FE0F} 👍\u{1F3FD}"),
            "家庭👨👩👧 ❤ 👍"
        );
    }
}
