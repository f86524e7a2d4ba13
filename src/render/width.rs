//! Display width: the one place that decides how many terminal cells a piece of text takes.
//!
//! Everything that lays text out (`wrap`, the list pane's titles, the status line) measures here,
//! per grapheme cluster with unicode-width, so that an emoji ZWJ sequence, a flag or a letter with
//! combining marks is one unit with one width. The East Asian Ambiguous characters (`“”‘’…—·°×`,
//! Greek, box drawing) are 1 cell in most terminals and 2 in terminals set up for CJK:
//! [`AmbiWidth`] says which to assume.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// How wide East Asian Ambiguous characters are drawn by the terminal in use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AmbiWidth {
    /// One cell, as unicode-width counts them (the usual Western-locale terminal).
    #[default]
    Single,
    /// Two cells, as in a terminal set up for CJK (`--ambiwidth double`).
    Double,
}

/// The ellipsis that marks text cut by [`truncate_to_width`].
pub const ELLIPSIS: &str = "…";

/// Width in cells of one grapheme cluster.
///
/// Where unicode-width and real terminals disagree, the terminal wins: the soft hyphen U+00AD is
/// 0 to unicode-width but 1 cell in xterm, tmux and glibc, so it counts 1 here (`wrap` drops it).
pub fn grapheme_width(g: &str, ambi: AmbiWidth) -> usize {
    let bytes = g.as_bytes();
    if bytes.len() == 1 && (0x20..0x7f).contains(&bytes[0]) {
        return 1;
    }
    if g == "\u{00AD}" {
        return 1;
    }
    match ambi {
        AmbiWidth::Single => g.width(),
        AmbiWidth::Double => g.width_cjk(),
    }
}

/// Width in cells of a string, summed over its grapheme clusters.
pub fn str_width(s: &str, ambi: AmbiWidth) -> usize {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.graphemes(true).map(|g| grapheme_width(g, ambi)).sum()
}

/// The longest start of `s` that fits in `max` cells, cut at a grapheme boundary and ending with
/// `…` when anything was cut, with its width. A wide glyph that would straddle the limit is left
/// out whole, so the width returned can be one less than `max`; the caller pads.
pub fn truncate_to_width(s: &str, max: usize, ambi: AmbiWidth) -> (String, usize) {
    let (head, cut) = visible_prefix(s, max);
    let total = str_width(head, ambi);
    if !cut && total <= max {
        return (s.to_string(), total);
    }
    let s = head;
    let ellipsis = grapheme_width(ELLIPSIS, ambi);
    // Room for the text before the ellipsis; with less room than the ellipsis itself, no ellipsis.
    let (room, mark) = if max >= ellipsis {
        (max - ellipsis, true)
    } else {
        (max, false)
    };
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g, ambi);
        if used + w > room {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if mark {
        out.push_str(ELLIPSIS);
        used += ellipsis;
    }
    (out, used)
}

/// The start of `s` that can matter on a row of `cells` cells, and whether anything was left
/// out: at most four chars a cell and a few more (zero-width ones count too), ending on a
/// grapheme cluster's boundary. What a row shows then costs what the row holds, not what the
/// text holds: a title can be a megabyte long.
pub fn visible_prefix(s: &str, cells: usize) -> (&str, bool) {
    let most = cells.saturating_mul(4).saturating_add(16);
    match s.char_indices().nth(most) {
        None => (s, false),
        Some((end, _)) => {
            // The cut may fall inside a cluster (an emoji sequence): leave that cluster out.
            let end = s[..end]
                .grapheme_indices(true)
                .next_back()
                .map_or(0, |(at, _)| at);
            (&s[..end], true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: AmbiWidth = AmbiWidth::Single;
    const D: AmbiWidth = AmbiWidth::Double;

    #[test]
    fn clusters_from_cjk_layout_are_measured_whole() {
        // (text, width with ambiguous = 1)
        let cases = [
            ("中", 2),
            ("ｶ", 1),
            ("Ａ", 2),
            ("，", 2),
            ("👨\u{200D}👩\u{200D}👧", 2),
            ("🇨🇳", 2),
            ("👍🏽", 2),
            ("1\u{FE0F}\u{20E3}", 2),
            ("#\u{FE0F}\u{20E3}", 2),
            ("e\u{301}", 1),
            ("❤\u{FE0F}", 2),
            ("☺\u{FE0E}", 1),
            ("🏳\u{FE0F}\u{200D}🌈", 2),
            ("\u{200B}", 0),
            ("\u{00AD}", 1),
        ];
        for (s, w) in cases {
            assert_eq!(s.graphemes(true).count(), 1, "{s:?} is one cluster");
            assert_eq!(grapheme_width(s, S), w, "{s:?}");
            assert_eq!(str_width(s, S), w, "{s:?}");
        }
    }

    #[test]
    fn ambiguous_characters_follow_the_option() {
        for c in ["“", "”", "‘", "’", "…", "—", "·", "°", "×"] {
            assert_eq!(grapheme_width(c, S), 1, "{c}");
            assert_eq!(grapheme_width(c, D), 2, "{c}");
        }
        assert_eq!(str_width("“微信”", S), 6);
        assert_eq!(str_width("“微信”", D), 8);
        assert_eq!(grapheme_width("a", D), 1);
        assert_eq!(grapheme_width("中", D), 2);
    }

    #[test]
    fn what_a_row_can_show_is_bounded_by_the_row() {
        let title = "很长的标题 title ".repeat(100_000);
        let (head, cut) = visible_prefix(&title, 40);
        assert!(cut && head.chars().count() <= 4 * 40 + 16);
        assert_eq!(
            truncate_to_width(&title, 40, S),
            truncate_to_width(head, 40, S),
            "the row shows the same"
        );
        assert_eq!(visible_prefix("短标题", 40), ("短标题", false));
        // A cut never leaves half an emoji sequence.
        let family = "👨\u{200d}👩\u{200d}👧".repeat(100);
        let (head, _) = visible_prefix(&family, 10);
        assert!(head.ends_with('👧'), "{head:?}");
    }

    #[test]
    fn truncation_never_cuts_a_wide_glyph() {
        assert_eq!(truncate_to_width("微信暂停", 8, S), ("微信暂停".into(), 8));
        assert_eq!(truncate_to_width("微信暂停", 7, S), ("微信暂…".into(), 7));
        assert_eq!(truncate_to_width("微信暂停", 6, S), ("微信…".into(), 5));
        assert_eq!(truncate_to_width("微信暂停", 6, D), ("微信…".into(), 6));
        assert_eq!(truncate_to_width("微信暂停", 1, S), ("…".into(), 1));
        assert_eq!(truncate_to_width("微信暂停", 1, D), ("".into(), 0));
        assert_eq!(truncate_to_width("abc", 0, S), ("".into(), 0));
        assert_eq!(
            truncate_to_width("a👨\u{200D}👩\u{200D}👧b", 3, S),
            ("a…".into(), 2)
        );
        assert_eq!(
            truncate_to_width("e\u{301}e\u{301}e\u{301}", 2, S).0,
            "e\u{301}…"
        );
    }
}
