//! Styled lines → text with ANSI SGR codes, for `folio cat` writing to a terminal.
//!
//! The escape codes come only from [`Style`]s; the text between them comes from `wrap`, which has
//! already removed every control character, so no byte of the article can act on the terminal.

use crate::render::line::Line;
use crate::render::markdown;
use crate::render::style::{Role, Style};
use crate::render::width::AmbiWidth;
use crate::render::wrap::{layout, wrap};

/// The SGR parameters for a style (`"1;35"`), empty for plain text.
pub fn sgr_params(style: Style) -> String {
    let mut p: Vec<&str> = Vec::new();
    match style.role {
        Role::Text => {}
        Role::Heading(1) => p.extend(["1", "4", "35"]),
        Role::Heading(2) => p.extend(["1", "36"]),
        Role::Heading(_) => p.extend(["1", "34"]),
        Role::CodeBlock => p.push("33"),
        Role::CodeFence | Role::Border | Role::Rule | Role::Placeholder | Role::QuoteBar => {
            p.push("2")
        }
        Role::Continuation => p.extend(["2", "33"]),
        Role::ListMarker => p.push("36"),
        Role::Metadata => p.extend(["2", "3"]),
        Role::Image => p.push("35"),
        Role::Url => p.extend(["2", "4"]),
        Role::LinkMark | Role::FootnoteMark => p.extend(["2", "34"]),
        Role::RefLabel => p.push("34"),
    }
    if style.bold && !matches!(style.role, Role::Heading(_)) {
        p.push("1");
    }
    if style.italic {
        p.push("3");
    }
    if style.strike {
        p.push("9");
    }
    if style.role == Role::Text {
        if style.code {
            p.push("33");
        } else if style.link != 0 {
            p.extend(["4", "34"]);
        }
    }
    p.join(";")
}

/// One line with SGR codes; every styled span is reset after itself.
pub fn line_to_ansi(line: &Line) -> String {
    let mut out = String::new();
    for s in &line.spans {
        let p = sgr_params(s.style);
        if p.is_empty() {
            out.push_str(&s.text);
        } else {
            out.push_str("\x1b[");
            out.push_str(&p);
            out.push('m');
            out.push_str(&s.text);
            out.push_str("\x1b[0m");
        }
    }
    out
}

/// Markdown to styled terminal text at `width` columns, lines joined by `\n` (`folio cat`).
pub fn render_ansi(markdown: &str, width: usize, ambi: AmbiWidth) -> String {
    let doc = markdown::parse(markdown);
    let lines = wrap(&doc, width, ambi);
    lines
        .iter()
        .map(line_to_ansi)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Like [`render_ansi`]; with `hyperlinks`, the text of each link is wrapped in OSC 8 so that
/// terminals make it clickable. The URL is the layout's (sanitized: no control character).
pub fn render_ansi_with(markdown: &str, width: usize, ambi: AmbiWidth, hyperlinks: bool) -> String {
    if !hyperlinks {
        return render_ansi(markdown, width, ambi);
    }
    let doc = markdown::parse(markdown);
    let laid = layout(&doc, width, ambi);
    let mut lines = Vec::with_capacity(laid.lines.len());
    for line in &laid.lines {
        let mut out = String::new();
        for span in &line.spans {
            let one = line_to_ansi(&Line {
                spans: vec![span.clone()],
                ..Line::default()
            });
            let url = (span.style.link as usize)
                .checked_sub(1)
                .and_then(|i| laid.links.get(i));
            match url {
                Some(url) => out.push_str(&format!("{}{one}{}", osc8(url), osc8(""))),
                None => out.push_str(&one),
            }
        }
        lines.push(out);
    }
    lines.join("\n")
}

/// The OSC 8 sequence that starts a link to `url` (ends one when empty).
pub fn osc8(url: &str) -> String {
    let safe: String = url.chars().filter(|c| !c.is_control()).collect();
    format!("\x1b]8;;{safe}\x1b\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperlinks_wrap_link_text_in_osc8() {
        let out = render_ansi_with(
            "见[文档](https://example.org/a)。\n",
            40,
            AmbiWidth::Single,
            true,
        );
        assert!(
            out.contains("\x1b]8;;https://example.org/a\x1b\\\x1b[4;34m文档\x1b[0m\x1b]8;;\x1b\\"),
            "{out:?}"
        );
    }

    #[test]
    fn escapes_come_only_from_styles() {
        let out = render_ansi(
            "# 标题\x1b[2J\n\n**粗体**和`代码`\u{9b}31m\n",
            40,
            AmbiWidth::Single,
        );
        assert_eq!(
            out,
            "\x1b[1;4;35m# \x1b[0m\x1b[1;4;35m标题␛[2J\x1b[0m\n\n\x1b[1m粗体\x1b[0m和\x1b[33m代码\x1b[0m\u{FFFD}31m"
        );
    }
}
