//! Case-insensitive matching as `rg -i` does it: every character replaced by one chosen member
//! of its Unicode simple case folding orbit, so that two texts match case-insensitively exactly
//! when their folded forms match byte for byte.
//!
//! The orbits come from `regex-syntax`, the tables ripgrep's `-i` uses. The chosen member is the
//! orbit's smallest character: `k`, `K` and the Kelvin sign `K` all become `K`, `ſ`, `s` and `S`
//! become `S`. Folding maps one character to one character, so lines stay lines.

use std::sync::OnceLock;

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

/// Every non-ASCII character whose folded form is another character, sorted, with that form.
fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Every character with a case mapping lies below U+20000; a character in a non-trivial
        // orbit always has a lower- or upper-case mapping of its own (checked in the tests).
        // Made on this thread alone: a rayon job that waited here for other jobs could take
        // one that folds, and wait on this very initialisation forever.
        (0x80u32..0x20000)
            .filter_map(char::from_u32)
            .filter(|&c| !is_caseless_block(c))
            .filter_map(|c| {
                let lower_differs = !c.to_lowercase().eq(std::iter::once(c));
                let upper_differs = !c.to_uppercase().eq(std::iter::once(c));
                let folded = (lower_differs || upper_differs).then(|| orbit_min(c))?;
                (folded != c).then_some((c, folded))
            })
            .collect()
    })
}

/// The smallest member of `c`'s simple case folding orbit.
fn orbit_min(c: char) -> char {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class.ranges().iter().map(|r| r.start()).min().unwrap_or(c)
}

/// The CJK blocks, which hold no cased character: skipped without a look-up.
fn is_caseless_block(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{A63F}' | '\u{AC00}'..='\u{D7FF}' | '\u{F900}'..='\u{FAFF}')
}

/// One bit per character of the Basic Multilingual Plane: set when folding changes it.
fn changed_in_bmp() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for &(from, _) in table()
            .iter()
            .take_while(|(from, _)| (*from as u32) < 0x10000)
        {
            let c = from as usize;
            bits[c / 64] |= 1 << (c % 64);
        }
        bits
    })
}

/// The folded form of one character.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    if is_caseless_block(c) {
        return c;
    }
    // Punctuation, full-width forms and the like: one bit tells they stay as they are.
    let code = c as usize;
    if code < 0x10000 && changed_in_bmp()[code / 64] & (1 << (code % 64)) == 0 {
        return c;
    }
    let table = table();
    match table.binary_search_by_key(&c, |&(from, _)| from) {
        Ok(at) => table[at].1,
        Err(_) => c,
    }
}

/// Whether `c` matches only itself case-insensitively (CJK, digits, punctuation): a term made
/// only of such characters can be looked for in the text as it is, without folding it.
pub fn is_caseless(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_alphabetic();
    }
    if is_caseless_block(c) {
        return true;
    }
    fold_char(c) == c && table().iter().all(|&(_, to)| to != c)
}

/// The characters outside ASCII that fold to an ASCII letter: the Kelvin sign (`K`) and the
/// long s (`S`). A text holding neither folds, where ASCII is concerned, as its ASCII letters
/// made upper case do (checked in the tests).
const INTO_ASCII: [&str; 2] = ["\u{212A}", "\u{17F}"];

/// Whether `text` (as bytes) holds a character outside ASCII that folds to ASCII
/// ([`INTO_ASCII`]).
pub fn folds_into_ascii(text: &[u8]) -> bool {
    INTO_ASCII
        .iter()
        .any(|c| memchr::memmem::find(text, c.as_bytes()).is_some())
}

/// `text` folded, appended to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // Runs of ASCII and of three-byte characters of caseless blocks (Chinese, Japanese,
        // Korean) are copied whole, ASCII letters made upper case, without decoding characters.
        let run = plain_run(rest.as_bytes());
        if run > 0 {
            let from = out.len();
            out.push_str(&rest[..run]);
            out.as_mut_str()[from..].make_ascii_uppercase();
            rest = &rest[run..];
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().expect("not empty");
        out.push(fold_char(c));
        rest = chars.as_str();
    }
}

/// How many bytes at the start of `bytes` (valid UTF-8) are ASCII or three-byte characters
/// whose lead byte is E3–E9 or EB–ED (U+3000–U+9FFF, U+B000–U+D7FF: inside the caseless blocks
/// of [`is_caseless_block`]), ending at a character boundary.
fn plain_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if let Some(word) = bytes.get(at..at + 8)
            && u64::from_le_bytes(word.try_into().expect("8 bytes")) & 0x8080_8080_8080_8080 == 0
        {
            at += 8;
            continue;
        }
        match byte {
            0x00..=0x7F => at += 1,
            0xE3..=0xE9 | 0xEB..=0xED => at += 3,
            _ => break,
        }
    }
    at.min(bytes.len())
}

/// `text` folded.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_as_simple_case_folding() {
        assert_eq!(fold("eBPF"), fold("EBPF"));
        assert_eq!(fold("Kelvin"), fold("\u{212A}ELVIN"));
        assert_eq!(fold("ſtraße"), fold("STRASSE").replace("SS", "ß"));
        assert_eq!(fold("ΣΑΣ"), fold("σας"));
        assert_eq!(fold("σας"), fold("σαϲ".replace('ϲ', "ς").as_str()));
        assert_eq!(fold("Ｒｕｓｔ"), fold("ｒＵＳＴ"));
        assert_eq!(fold("容器 Rust 内存"), "容器 RUST 内存");
        // Runs copied whole, and what ends them, fold as one character at a time would.
        let mixed = "数据ǅ한국어ⓐKſ𝐀ｒ一\u{A640}\u{2C00}é\u{3000}";
        assert_eq!(
            fold(mixed),
            mixed.chars().map(fold_char).collect::<String>()
        );
        // Full folding would make ß "ss"; simple folding, like rg -i, does not.
        assert_ne!(fold("ß"), fold("ss"));
        assert!(is_caseless('容') && is_caseless('1') && !is_caseless('a') && !is_caseless('ſ'));
    }

    #[test]
    fn only_the_kelvin_sign_and_the_long_s_fold_into_ascii() {
        let into: Vec<char> = table()
            .iter()
            .filter(|(_, to)| to.is_ascii())
            .map(|(from, _)| *from)
            .collect();
        let expected: Vec<char> = INTO_ASCII.iter().flat_map(|c| c.chars()).collect();
        assert_eq!(into.len(), expected.len());
        assert!(into.iter().all(|c| expected.contains(c)), "{into:?}");
        assert!(
            folds_into_ascii("a\u{212A}".as_bytes()) && !folds_into_ascii("aK 数据".as_bytes())
        );
    }

    #[test]
    fn the_table_misses_no_orbit() {
        // Every character outside the table folds to itself: check that its orbit is itself.
        for c in (0x80..0x20000).filter_map(char::from_u32) {
            assert_eq!(fold_char(c), orbit_min(c), "{c:?}");
        }
    }
}
