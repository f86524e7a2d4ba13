//! Raw HTML inside an article, as the reader should see it: its text kept and its tags
//! dropped, block tags ending a paragraph (or a line), `<pre>` and `<script>` kept as code,
//! media without text shown as dimmed placeholders, the `<!--yml … -->` comment as metadata.
//!
//! Called by `markdown` for each HTML event; adds to the [`Builder`] like the Markdown does.
//! The tags come from `html_tokens`.

use crate::render::document::{Block, Inline};
use crate::render::style::{Role, Style};

use super::builder::{Builder, InlineKind};
use super::html_tokens::{self, Token};

/// Raw HTML, token by token, into the document being built.
impl Builder {
    /// Finish a raw-text HTML element (`<pre>`, `<script>`) as a code block.
    pub(super) fn close_raw(&mut self) {
        if let Some((name, text)) = self.raw.take() {
            let lang = match name.as_str() {
                "script" => "javascript",
                "style" => "css",
                _ => "",
            };
            let text = text.trim_matches('\n');
            if !text.trim().is_empty() {
                self.push_block(Block::Code {
                    lang: lang.to_string(),
                    text: text.to_string(),
                });
            }
        }
    }

    /// Raw HTML: `block` for an HTML block (its text is decoded here; block tags end
    /// paragraphs), otherwise a tag inside a paragraph (block tags become line breaks).
    pub(super) fn html(&mut self, html: &str, block: bool) {
        for token in html_tokens::tokens(html) {
            match token {
                Token::Comment(inner) => {
                    // `<!--yml` or `<!-- yml`: both are the metadata block (as archive::metadata reads it).
                    if block && let Some(meta) = inner.trim_start().strip_prefix("yml") {
                        self.push_metadata(meta);
                    }
                }
                Token::Text(text) => {
                    if let Some((name, raw)) = self.raw.as_mut() {
                        if name == "pre" || name == "textarea" {
                            raw.push_str(&html_tokens::decode_entities(text));
                        } else {
                            raw.push_str(text);
                        }
                    } else if block {
                        self.html_text(&html_tokens::decode_entities(text));
                    } else {
                        self.push_text(text, self.style());
                    }
                }
                Token::Open { name, attrs } => self.html_open(&name, &attrs, block),
                Token::Close(name) => self.html_close(&name, block),
            }
        }
    }

    /// Text of an HTML block: whitespace collapses as a browser would; a line break in it is
    /// a soft break.
    fn html_text(&mut self, text: &str) {
        let style = self.style();
        let mut rest = text;
        while !rest.is_empty() {
            let ws = rest
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(rest.len());
            if ws > 0 {
                self.push_text(&rest[..ws], style);
            }
            rest = &rest[ws..];
            let end = rest
                .find(|c: char| !c.is_ascii_whitespace())
                .unwrap_or(rest.len());
            if end > 0 {
                let run = &rest[..end];
                let open = self.inline.as_ref().is_some_and(|(_, v)| {
                    !v.is_empty() && !matches!(v.last(), Some(Inline::HardBreak))
                });
                if open {
                    if run.contains('\n') {
                        self.push_break(false);
                    } else {
                        self.push_text(" ", style);
                    }
                }
                rest = &rest[end..];
            }
        }
    }

    /// A line break inside HTML: a new paragraph in a block, a hard break in a paragraph.
    fn html_break(&mut self, block: bool) {
        if block {
            self.close_inline();
        } else if let Some((_, v)) = self.inline.as_ref()
            && !v.is_empty()
            && !matches!(v.last(), Some(Inline::HardBreak))
        {
            self.push_break(true);
        }
    }

    fn html_open(&mut self, name: &str, attrs: &[(String, String)], block: bool) {
        if self.raw.is_some() {
            return;
        }
        match name {
            "br" => {
                if block && self.inline.is_none() {
                    return;
                }
                self.push_break(true);
            }
            "hr" => {
                if block {
                    self.close_inline();
                    self.push_block(Block::Rule);
                } else {
                    self.html_break(false);
                }
            }
            "pre" | "script" | "style" | "textarea" if block => {
                self.close_inline();
                self.raw = Some((name.to_string(), String::new()));
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if block => {
                let level = name.as_bytes()[1] - b'0';
                self.open_inline(InlineKind::Heading(level));
            }
            "li" => {
                self.html_break(block);
                let style = Style::role(Role::ListMarker);
                self.push_text("• ", style);
            }
            "td" | "th" => {
                if self.inline.as_ref().is_some_and(|(_, v)| {
                    !v.is_empty() && !matches!(v.last(), Some(Inline::HardBreak))
                }) {
                    self.push_text(" │ ", Style::role(Role::Border));
                }
            }
            "b" | "strong" => self.bold += 1,
            "i" | "em" | "cite" | "dfn" | "var" => self.italic += 1,
            "s" | "del" | "strike" => {
                self.strike_mark();
                self.strike += 1;
            }
            "code" | "kbd" | "tt" | "samp" => self.code += 1,
            "a" => {
                if let Some(href) = html_tokens::attr(attrs, "href") {
                    self.end_link();
                    let title = html_tokens::attr(attrs, "title").unwrap_or("").to_string();
                    self.link = self.link_number(href, &title);
                }
            }
            "img" => {
                let src = html_tokens::attr(attrs, "src")
                    .or_else(|| html_tokens::attr(attrs, "data-src"))
                    .unwrap_or("");
                let alt = html_tokens::attr(attrs, "alt").unwrap_or("");
                let title = html_tokens::attr(attrs, "title").unwrap_or("");
                let (src, alt, title) = (src.to_string(), alt.to_string(), title.to_string());
                self.push_image(&src, &title, &alt);
            }
            _ => {
                if let Some(label) = placeholder_label(name) {
                    self.placeholder(label, attrs);
                } else if is_block_tag(name) {
                    self.html_break(block);
                }
            }
        }
    }

    fn html_close(&mut self, name: &str, block: bool) {
        if let Some((raw_name, _)) = self.raw.as_ref() {
            if raw_name == name {
                self.close_raw();
            }
            return;
        }
        match name {
            "b" | "strong" => self.bold = self.bold.saturating_sub(1),
            "i" | "em" | "cite" | "dfn" | "var" => self.italic = self.italic.saturating_sub(1),
            "s" | "del" | "strike" => {
                if self.strike > 0 {
                    self.strike -= 1;
                    self.strike_mark();
                }
            }
            "code" | "kbd" | "tt" | "samp" => self.code = self.code.saturating_sub(1),
            "a" => self.end_link(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if block => self.close_inline(),
            "br" | "hr" | "img" | "td" | "th" => {}
            _ => {
                if is_block_tag(name) {
                    self.html_break(block);
                }
            }
        }
    }

    /// `[video]` and the like, with a description and a numbered source when the tag has them.
    fn placeholder(&mut self, label: &str, attrs: &[(String, String)]) {
        self.space_before();
        let desc = ["title", "alt", "aria-label", "data-desc", "data-nickname"]
            .iter()
            .find_map(|a| html_tokens::attr(attrs, a));
        let text = match desc {
            Some(d) => format!("[{label}: {}]", d.trim()),
            None => format!("[{label}]"),
        };
        let src = ["src", "data-src", "data-url", "data"]
            .iter()
            .find_map(|a| html_tokens::attr(attrs, a))
            .map(str::to_string);
        let style = Style {
            role: Role::Placeholder,
            ..self.style()
        };
        self.push_text(&text, style);
        if let Some(src) = src
            && self.link == 0
        {
            let n = self.link_number(&src, "");
            self.push_text(
                &format!("[{n}]"),
                Style {
                    role: Role::LinkMark,
                    link: n,
                    ..Style::default()
                },
            );
        }
        self.need_space = true;
    }
}

/// The placeholder word for an element that shows something other than text.
fn placeholder_label(name: &str) -> Option<&'static str> {
    Some(match name {
        "video" | "mpvideosnap" => "video",
        "audio" | "mpvoice" | "mpaudio" | "qqmusic" => "audio",
        "iframe" => "iframe",
        "embed" | "object" => "embed",
        "canvas" => "canvas",
        "svg" => "svg",
        _ => return None,
    })
}

/// Elements that start a new line of text.
fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "summary"
            | "details"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "center"
            | "address"
            | "form"
            | "fieldset"
            | "legend"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}
