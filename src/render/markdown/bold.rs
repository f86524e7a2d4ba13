//! Bold that CommonMark leaves literal, repaired as the author meant it: `**` runs left over
//! after punctuation (common in Chinese, `**有网友表示，**微信…`) and `**0****1**` glued runs.
//!
//! `markdown` calls [`unglue_bold`] when a bold span closes and the builder calls
//! [`pair_leftover_strong`] when an inline run closes.

use crate::render::document::Inline;
use crate::render::style::{Role, Style};

/// CommonMark does not let `**` close after punctuation when a letter follows, so the common
/// Chinese `**有网友表示，**微信…` stays literal. Pair such leftover `**` runs (exactly two
/// asterisks, in text that is not code) as bold: an opener is followed by a non-blank, a closer
/// preceded by one, pairs do not cross.
pub(super) fn pair_leftover_strong(inlines: Vec<Inline>) -> Vec<Inline> {
    let eligible = |i: &Inline| matches!(i, Inline::Text(t, s) if !s.code && s.role == Role::Text && t.contains("**"));
    if !inlines.iter().any(eligible) {
        return inlines;
    }
    // Every `**` run: (inline index, byte offset, may open, may close).
    let mut marks: Vec<(usize, usize, bool, bool)> = Vec::new();
    for (idx, inline) in inlines.iter().enumerate() {
        if !eligible(inline) {
            continue;
        }
        let Inline::Text(t, _) = inline else { continue };
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'*' {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && b[i] == b'*' {
                i += 1;
            }
            if i - start != 2 {
                continue;
            }
            let before = t[..start].chars().next_back();
            let after = t[i..].chars().next();
            let open = after.is_none_or(|c| !c.is_whitespace());
            let close = before.is_none_or(|c| !c.is_whitespace());
            marks.push((idx, start, open, close));
        }
    }
    let mut paired: Vec<(usize, usize)> = Vec::new();
    let mut opener: Option<(usize, usize)> = None;
    for (idx, off, open, close) in marks {
        match opener {
            Some(o) if close => {
                paired.push(o);
                paired.push((idx, off));
                opener = None;
            }
            None if open => opener = Some((idx, off)),
            _ => {}
        }
    }
    if paired.is_empty() {
        return inlines;
    }
    let mut out = Vec::with_capacity(inlines.len() + paired.len());
    let mut bold = false;
    let mut next = 0;
    for (idx, inline) in inlines.into_iter().enumerate() {
        let Inline::Text(t, style) = inline else {
            out.push(inline);
            continue;
        };
        let mut from = 0;
        let piece = |out: &mut Vec<Inline>, s: &str, bold: bool| {
            if !s.is_empty() {
                let style = Style {
                    bold: style.bold || bold,
                    ..style
                };
                out.push(Inline::Text(s.to_string(), style));
            }
        };
        while next < paired.len() && paired[next].0 == idx {
            let off = paired[next].1;
            piece(&mut out, &t[from..off], bold);
            bold = !bold;
            from = off + 2;
            next += 1;
        }
        piece(&mut out, &t[from..], bold);
    }
    out
}

/// `**0****1**` is, by CommonMark's rules, bold `0****1`; its author meant bold `01`. Drop a
/// run of exactly four `*` (or `_`) between two non-space characters of bold text.
pub(super) fn unglue_bold(text: &mut String) {
    for glue in ["****", "____"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(glue).map(|p| p + from) {
            let before = text[..pos].chars().next_back();
            let after = text[pos + glue.len()..].chars().next();
            let marker = glue.chars().next();
            let inner =
                |c: Option<char>| c.is_some_and(|c| !c.is_whitespace() && Some(c) != marker);
            if inner(before) && inner(after) {
                text.replace_range(pos..pos + glue.len(), "");
                from = pos;
            } else {
                from = pos + 1;
            }
        }
    }
}
