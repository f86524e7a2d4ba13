//! The [`Document`] under construction: what the CommonMark events (`markdown`) and the raw
//! HTML (`raw_html`) both add to, so that neither needs the other.
//!
//! It keeps the containers open (quotes, lists, items, footnotes), the inline run being
//! collected and where it goes, the styles in force, and numbers links and footnotes in order
//! of first reference. When an inline run closes, its leftover `**` are repaired (`bold`).

use std::collections::HashMap;

use crate::render::document::{Align, Block, Cell, Document, Footnote, Inline, Link, ListItem};
use crate::render::style::{Role, Style};

use super::bold::pair_leftover_strong;

/// What a container being built is.
#[derive(Debug)]
pub(super) enum Kind {
    Root,
    Quote,
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
        loose: bool,
    },
    Item {
        task: Option<bool>,
    },
    Footnote(String),
    /// A container past `MAX_NESTING`: its blocks go to its parent.
    Flat,
}

/// A container being built and the blocks collected in it so far.
#[derive(Debug)]
pub(super) struct Frame {
    /// What it is.
    pub(super) kind: Kind,
    /// Its blocks so far.
    pub(super) blocks: Vec<Block>,
}

/// Where the inline content being collected will go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum InlineKind {
    Paragraph,
    Heading(u8),
    Cell,
}

/// A table being read.
#[derive(Debug, Default)]
pub(super) struct TableState {
    /// One alignment per column.
    pub(super) aligns: Vec<Align>,
    /// The header row, once read.
    pub(super) header: Vec<Cell>,
    /// The body rows read so far.
    pub(super) rows: Vec<Vec<Cell>>,
    /// The row being read.
    pub(super) row: Vec<Cell>,
}

/// The document being built: open containers, the inline run being collected, the styles in
/// force and the numbers given to links and footnotes.
#[derive(Debug, Default)]
pub(super) struct Builder {
    /// The containers open, the root first; the root is never popped.
    pub(super) frames: Vec<Frame>,
    /// Inline content being collected, and where it goes.
    pub(super) inline: Option<(InlineKind, Vec<Inline>)>,
    /// How many bold spans are open (Markdown or HTML).
    pub(super) bold: u32,
    /// How many italic spans are open.
    pub(super) italic: u32,
    /// How many struck-out spans are open.
    pub(super) strike: u32,
    /// How many code spans are open (HTML `<code>` and the like).
    pub(super) code: u32,
    /// The number of the link being read, 0 outside links.
    pub(super) link: u32,
    /// Where each open `Strong` started in the inline list (for `**0****1**`).
    pub(super) strong_starts: Vec<usize>,
    /// An image was just emitted: separate what follows with a space.
    pub(super) need_space: bool,
    /// An item past `MAX_NESTING` started: its first paragraph gets a `• ` of its own.
    pub(super) flat_marker: bool,
    /// An image being read: URL, title, alt text.
    pub(super) image: Option<(String, String, String)>,
    /// A code block being read: language and text.
    pub(super) code_block: Option<(String, String)>,
    /// An HTML block being read.
    pub(super) html_block: Option<String>,
    /// A metadata block being read.
    pub(super) metadata: Option<String>,
    /// Inside HTML: the raw-text element (`pre`, `script`…) being read, and its text.
    pub(super) raw: Option<(String, String)>,
    /// A table being read.
    pub(super) table: Option<TableState>,
    /// Link targets in number order.
    links: Vec<Link>,
    /// Link numbers by (URL, title): the same target with another title is another reference.
    link_numbers: HashMap<(String, String), u32>,
    /// Footnote numbers by label, in order of first reference.
    footnote_numbers: HashMap<String, u32>,
    /// Footnote definitions as read, numbered when the document is finished.
    pub(super) footnote_defs: Vec<(String, Vec<Block>)>,
}

impl Builder {
    /// An empty document with its root container open.
    pub(super) fn new() -> Builder {
        Builder {
            frames: vec![Frame {
                kind: Kind::Root,
                blocks: Vec::new(),
            }],
            ..Builder::default()
        }
    }

    /// The style of text read now: the bold, italic, struck, code and link spans open.
    pub(super) fn style(&self) -> Style {
        Style {
            role: Role::Text,
            bold: self.bold > 0,
            italic: self.italic > 0,
            strike: self.strike > 0,
            code: self.code > 0,
            link: self.link,
        }
    }

    fn top(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("the root frame is never popped")
    }

    /// Add a finished block to the innermost open container.
    pub(super) fn push_block(&mut self, block: Block) {
        self.top().blocks.push(block);
    }

    /// How many quotes, lists and items are open (flattened ones not counted).
    pub(super) fn depth(&self) -> usize {
        self.frames
            .iter()
            .filter(|f| matches!(f.kind, Kind::Quote | Kind::List { .. } | Kind::Item { .. }))
            .count()
    }

    /// Start collecting inline content for a paragraph, a heading or a table cell.
    pub(super) fn open_inline(&mut self, kind: InlineKind) {
        self.close_inline();
        self.inline = Some((kind, self.flat_marker()));
    }

    /// The `• ` that starts the first paragraph of a flattened list item, if one is due.
    fn flat_marker(&mut self) -> Vec<Inline> {
        if std::mem::take(&mut self.flat_marker) {
            vec![Inline::Text("• ".into(), Style::role(Role::ListMarker))]
        } else {
            Vec::new()
        }
    }

    /// Finish the inline content being collected into its block.
    pub(super) fn close_inline(&mut self) {
        self.need_space = false;
        let Some((kind, mut inlines)) = self.inline.take() else {
            return;
        };
        self.strong_starts.clear();
        while matches!(inlines.last(), Some(Inline::SoftBreak | Inline::HardBreak)) {
            inlines.pop();
        }
        let inlines = pair_leftover_strong(inlines);
        match kind {
            InlineKind::Paragraph => {
                if inlines
                    .iter()
                    .any(|i| matches!(i, Inline::Text(t, _) if !t.trim().is_empty()))
                {
                    self.push_block(Block::Paragraph(inlines));
                }
            }
            InlineKind::Heading(level) => self.push_block(Block::Heading {
                level,
                content: inlines,
            }),
            InlineKind::Cell => {
                if let Some(t) = self.table.as_mut() {
                    t.row.push(inlines);
                }
            }
        }
    }

    /// The inline list to add to, opening a paragraph when text comes with none open (the
    /// items of a tight list, text of an HTML block).
    fn inlines(&mut self) -> &mut Vec<Inline> {
        if self.inline.is_none() {
            let start = self.flat_marker();
            self.inline = Some((InlineKind::Paragraph, start));
        }
        &mut self.inline.as_mut().expect("inline content").1
    }

    /// Add text in a style, joined to the text before when the style is the same.
    pub(super) fn push_text(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let need_space = std::mem::take(&mut self.need_space);
        let out = self.inlines();
        if need_space && !text.starts_with(char::is_whitespace) {
            out.push(Inline::Text(" ".into(), Style::default()));
        }
        if let Some(Inline::Text(last, s)) = out.last_mut()
            && *s == style
        {
            last.push_str(text);
            return;
        }
        out.push(Inline::Text(text.to_string(), style));
    }

    /// Add a soft or a hard line break.
    pub(super) fn push_break(&mut self, hard: bool) {
        self.need_space = false;
        let out = self.inlines();
        out.push(if hard {
            Inline::HardBreak
        } else {
            Inline::SoftBreak
        });
    }

    /// A space before something inserted into the text (an image), unless there is one.
    pub(super) fn space_before(&mut self) {
        let needs = match self.inline.as_ref().and_then(|(_, v)| v.last()) {
            Some(Inline::Text(t, _)) => !t.ends_with(char::is_whitespace),
            _ => false,
        };
        if needs {
            self.push_text(" ", Style::default());
        }
    }

    /// The number of a link target, given on first sight.
    pub(super) fn link_number(&mut self, url: &str, title: &str) -> u32 {
        let key = (url.to_string(), title.to_string());
        if let Some(&n) = self.link_numbers.get(&key) {
            return n;
        }
        self.links.push(Link {
            url: url.to_string(),
            title: title.to_string(),
            referenced: false,
        });
        let n = self.links.len() as u32;
        self.link_numbers.insert(key, n);
        n
    }

    /// The number of a footnote label, given on first reference.
    pub(super) fn footnote_number(&mut self, label: &str) -> u32 {
        let next = self.footnote_numbers.len() as u32 + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }

    /// An image, as `[image: alt] url "title"` set apart from the text around it.
    pub(super) fn push_image(&mut self, url: &str, title: &str, alt: &str) {
        self.space_before();
        let base = self.style();
        let label = if alt.trim().is_empty() {
            "[image]".to_string()
        } else {
            format!("[image: {}]", alt.trim())
        };
        self.push_text(
            &label,
            Style {
                role: Role::Image,
                ..base
            },
        );
        let url_style = Style {
            role: Role::Url,
            ..base
        };
        if !url.is_empty() {
            self.push_text(" ", url_style);
            self.push_text(url, url_style);
        }
        if !title.is_empty() {
            self.push_text(&format!(" \"{title}\""), url_style);
        }
        self.need_space = true;
    }

    /// Open a container (quote, list, item, footnote) inside the innermost one.
    pub(super) fn open_container(&mut self, kind: Kind) {
        self.close_inline();
        self.frames.push(Frame {
            kind,
            blocks: Vec::new(),
        });
    }

    /// Close the innermost container and return it; a flattened one gives its blocks to its
    /// parent and returns nothing.
    pub(super) fn close_container(&mut self) -> Option<Frame> {
        self.close_inline();
        if self.frames.len() <= 1 {
            return None;
        }
        let frame = self.frames.pop()?;
        if let Kind::Flat = frame.kind {
            self.top().blocks.extend(frame.blocks);
            return None;
        }
        Some(frame)
    }

    /// Struck-out text keeps its `~~` (dimmed): without them plain output, and terminals that
    /// cannot draw strikethrough, would print deleted words as if they stood.
    pub(super) fn strike_mark(&mut self) {
        let style = Style {
            role: Role::Placeholder,
            ..self.style()
        };
        self.push_text("~~", style);
    }

    /// Close the link being read: its text is followed by `[n]`, unless the text is the URL
    /// itself (`<https://…>`, `[example.org/a](https://example.org/a)`): a reference line would
    /// only say it again.
    pub(super) fn end_link(&mut self) {
        let n = std::mem::take(&mut self.link);
        if n != 0 && !self.link_text_is_its_url(n) {
            let style = Style {
                role: Role::LinkMark,
                link: n,
                ..self.style()
            };
            self.push_text(&format!("[{n}]"), style);
        }
    }

    /// Whether the text of link `n`, just read, says its URL (give or take the scheme, `www.`
    /// and a final `/`).
    fn link_text_is_its_url(&self, n: u32) -> bool {
        let Some(link) = self.links.get(n as usize - 1) else {
            return false;
        };
        let Some((_, inlines)) = &self.inline else {
            return false;
        };
        let mut text = String::new();
        for inline in inlines.iter().rev() {
            match inline {
                Inline::Text(t, s) if s.link == n => text.insert_str(0, t),
                _ => break,
            }
        }
        let bare = |s: &str| {
            let s = s.trim();
            let s = s
                .strip_prefix("https://")
                .or_else(|| s.strip_prefix("http://"))
                .unwrap_or(s);
            let s = s.strip_prefix("www.").unwrap_or(s);
            s.strip_suffix('/').unwrap_or(s).to_string()
        };
        !text.trim().is_empty() && bare(&text) == bare(&link.url)
    }

    /// The article's metadata block, one entry per non-blank line.
    pub(super) fn push_metadata(&mut self, text: &str) {
        let entries: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if !entries.is_empty() {
            self.close_inline();
            self.push_block(Block::Metadata(entries));
        }
    }

    /// Close what is open and return the document, footnotes in number order.
    pub(super) fn finish(mut self) -> Document {
        self.close_inline();
        while self.frames.len() > 1 {
            // Unbalanced events cannot happen with pulldown-cmark; be safe anyway.
            let frame = self.frames.pop().expect("a frame");
            self.top().blocks.extend(frame.blocks);
        }
        let blocks = self.frames.pop().map(|f| f.blocks).unwrap_or_default();
        let mut footnotes: Vec<Footnote> = Vec::new();
        for (label, blocks) in std::mem::take(&mut self.footnote_defs) {
            let number = self.footnote_number(&label);
            footnotes.push(Footnote {
                number,
                label,
                blocks,
            });
        }
        footnotes.sort_by_key(|f| f.number);
        let mut doc = Document {
            blocks,
            links: self.links,
            footnotes,
        };
        // A link whose text says its URL took a number but has no `[n]`.
        doc.renumber_links();
        doc
    }
}
