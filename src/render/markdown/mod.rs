//! Markdown → [`Document`]: the article's blocks and styled spans, before any width is known.
//!
//! Sits between reading an article and `wrap`. pulldown-cmark (tables, strikethrough, task lists,
//! footnotes and YAML metadata on) gives events; this module turns them into a tree of blocks
//! whose text is tagged with a [`Style`]. Raw HTML keeps its text and loses its tags; elements
//! without text of their own become dimmed placeholders; the `<!--yml … -->` block becomes a
//! metadata line. Links are numbered here (their text is followed by `[n]`), footnotes too.
//! Nothing here is sanitized: `wrap` does that for every character it lays out.

mod html_tokens;

use std::collections::HashMap;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::render::document::{
    Align, Block, Cell, Document, Footnote, Inline, Link, ListItem, Table,
};
use crate::render::style::{Role, Style};

use html_tokens::Token;

/// Containers nested deeper than this are flattened into their parent: the layout could not
/// show the extra levels anyway, and it keeps recursion shallow on hostile input.
pub const MAX_NESTING: usize = 128;

/// Parse an article's Markdown into a [`Document`].
pub fn parse(markdown: &str) -> Document {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    let markdown = markdown.strip_prefix('\u{FEFF}').unwrap_or(markdown);
    let mut b = Builder::default();
    b.frames.push(Frame {
        kind: Kind::Root,
        blocks: Vec::new(),
    });
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        if let Event::End(TagEnd::TableRow) = event {
            b.excess_cells(&markdown[range]);
        }
        b.event(event);
    }
    b.finish()
}

/// The cells of a table row's source: split at `|` not escaped by `\`, outer pipes dropped.
fn split_row(row: &str) -> Vec<&str> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = if row.ends_with('|') && !row.ends_with("\\|") {
        &row[..row.len() - 1]
    } else {
        row
    };
    let mut cells = Vec::new();
    let mut start = 0;
    let b = row.as_bytes();
    for i in 0..b.len() {
        if b[i] == b'|' && (i == 0 || b[i - 1] != b'\\') {
            cells.push(&row[start..i]);
            start = i + 1;
        }
    }
    cells.push(&row[start..]);
    cells
}

/// What a container being built is.
#[derive(Debug)]
enum Kind {
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
    /// A container past [`MAX_NESTING`]: its blocks go to its parent.
    Flat,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
}

/// Where the inline content being collected will go.
#[derive(Debug, Clone, Copy, PartialEq)]
enum InlineKind {
    Paragraph,
    Heading(u8),
    Cell,
}

#[derive(Debug, Default)]
struct TableState {
    aligns: Vec<Align>,
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
}

#[derive(Debug, Default)]
struct Builder {
    frames: Vec<Frame>,
    /// Inline content being collected, and where it goes.
    inline: Option<(InlineKind, Vec<Inline>)>,
    bold: u32,
    italic: u32,
    strike: u32,
    code: u32,
    link: u32,
    /// Where each open `Strong` started in the inline list (for `**0****1**`).
    strong_starts: Vec<usize>,
    /// An image was just emitted: separate what follows with a space.
    need_space: bool,
    /// An item past [`MAX_NESTING`] started: its first paragraph gets a `• ` of its own.
    flat_marker: bool,
    /// An image being read: URL, title, alt text.
    image: Option<(String, String, String)>,
    /// A code block being read: language and text.
    code_block: Option<(String, String)>,
    /// An HTML block being read.
    html_block: Option<String>,
    /// A metadata block being read.
    metadata: Option<String>,
    /// Inside HTML: the raw-text element (`pre`, `script`…) being read, and its text.
    raw: Option<(String, String)>,
    table: Option<TableState>,
    links: Vec<Link>,
    /// Link numbers by (URL, title): the same target with another title is another reference.
    link_numbers: HashMap<(String, String), u32>,
    footnote_numbers: HashMap<String, u32>,
    footnote_defs: Vec<(String, Vec<Block>)>,
}

impl Builder {
    fn style(&self) -> Style {
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

    fn push_block(&mut self, block: Block) {
        self.top().blocks.push(block);
    }

    fn depth(&self) -> usize {
        self.frames
            .iter()
            .filter(|f| matches!(f.kind, Kind::Quote | Kind::List { .. } | Kind::Item { .. }))
            .count()
    }

    fn open_inline(&mut self, kind: InlineKind) {
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
    fn close_inline(&mut self) {
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

    fn push_text(&mut self, text: &str, style: Style) {
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

    fn push_break(&mut self, hard: bool) {
        self.need_space = false;
        let out = self.inlines();
        out.push(if hard {
            Inline::HardBreak
        } else {
            Inline::SoftBreak
        });
    }

    /// A space before something inserted into the text (an image), unless there is one.
    fn space_before(&mut self) {
        let needs = match self.inline.as_ref().and_then(|(_, v)| v.last()) {
            Some(Inline::Text(t, _)) => !t.ends_with(char::is_whitespace),
            _ => false,
        };
        if needs {
            self.push_text(" ", Style::default());
        }
    }

    fn link_number(&mut self, url: &str, title: &str) -> u32 {
        let key = (url.to_string(), title.to_string());
        if let Some(&n) = self.link_numbers.get(&key) {
            return n;
        }
        self.links.push(Link {
            url: url.to_string(),
            title: title.to_string(),
        });
        let n = self.links.len() as u32;
        self.link_numbers.insert(key, n);
        n
    }

    fn footnote_number(&mut self, label: &str) -> u32 {
        let next = self.footnote_numbers.len() as u32 + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }

    fn push_image(&mut self, url: &str, title: &str, alt: &str) {
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

    fn open_container(&mut self, kind: Kind) {
        self.close_inline();
        self.frames.push(Frame {
            kind,
            blocks: Vec::new(),
        });
    }

    fn close_container(&mut self) -> Option<Frame> {
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

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some((_, code)) = self.code_block.as_mut() {
                    code.push_str(&text);
                } else if let Some(meta) = self.metadata.as_mut() {
                    meta.push_str(&text);
                } else if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push_str(&text);
                } else {
                    self.push_text(&text, self.style());
                }
            }
            Event::Code(text) => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push_str(&text);
                } else {
                    let style = Style {
                        code: true,
                        ..self.style()
                    };
                    self.push_text(&text, style);
                }
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.push_text(&text, self.style())
            }
            Event::Html(text) => {
                if let Some(h) = self.html_block.as_mut() {
                    h.push_str(&text);
                } else {
                    self.html(&text, true);
                }
            }
            Event::InlineHtml(text) => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push_str(&text);
                } else {
                    self.html(&text, false);
                }
            }
            Event::FootnoteReference(label) => {
                let n = self.footnote_number(&label);
                let style = Style {
                    role: Role::FootnoteMark,
                    ..self.style()
                };
                self.push_text(&format!("[^{n}]"), style);
            }
            Event::SoftBreak => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push(' ');
                } else {
                    self.push_break(false);
                }
            }
            Event::HardBreak => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push(' ');
                } else {
                    self.push_break(true);
                }
            }
            Event::Rule => {
                self.close_inline();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(checked) => {
                if let Some(Frame {
                    kind: Kind::Item { task },
                    ..
                }) = self.frames.last_mut()
                {
                    *task = Some(checked);
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if let Some(Frame {
                    kind: Kind::Item { .. },
                    ..
                }) = self.frames.last()
                {
                    let n = self.frames.len();
                    if n >= 2
                        && let Kind::List { loose, .. } = &mut self.frames[n - 2].kind
                    {
                        *loose = true;
                    }
                }
                self.open_inline(InlineKind::Paragraph);
            }
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.open_inline(InlineKind::Heading(level));
            }
            Tag::BlockQuote(_) => {
                let kind = if self.depth() < MAX_NESTING {
                    Kind::Quote
                } else {
                    Kind::Flat
                };
                self.open_container(kind);
            }
            Tag::CodeBlock(kind) => {
                self.close_inline();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code_block = Some((lang, String::new()));
            }
            Tag::HtmlBlock => {
                self.close_inline();
                self.html_block = Some(String::new());
            }
            Tag::List(start) => {
                let kind = if self.depth() + 2 <= MAX_NESTING {
                    Kind::List {
                        start,
                        items: Vec::new(),
                        loose: false,
                    }
                } else {
                    Kind::Flat
                };
                self.open_container(kind);
            }
            Tag::Item => {
                let kind = match self.frames.last().map(|f| &f.kind) {
                    Some(Kind::List { .. }) => Kind::Item { task: None },
                    _ => Kind::Flat,
                };
                self.open_container(kind);
                self.flat_marker = matches!(self.frames.last().map(|f| &f.kind), Some(Kind::Flat));
            }
            Tag::FootnoteDefinition(label) => self.open_container(Kind::Footnote(label.into())),
            Tag::Table(aligns) => {
                self.close_inline();
                self.table = Some(TableState {
                    aligns: aligns
                        .iter()
                        .map(|a| match a {
                            Alignment::Center => Align::Center,
                            Alignment::Right => Align::Right,
                            Alignment::Left | Alignment::None => Align::Left,
                        })
                        .collect(),
                    ..TableState::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                }
            }
            Tag::TableCell => self.open_inline(InlineKind::Cell),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => {
                self.bold += 1;
                let at = self.inline.as_ref().map_or(0, |(_, v)| v.len());
                self.strong_starts.push(at);
            }
            Tag::Strikethrough => {
                self.strike_mark();
                self.strike += 1;
            }
            Tag::Superscript | Tag::Subscript => {}
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let url = match link_type {
                    LinkType::Email if !dest_url.starts_with("mailto:") => {
                        format!("mailto:{dest_url}")
                    }
                    _ => dest_url.to_string(),
                };
                self.link = self.link_number(&url, &title);
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some((dest_url.to_string(), title.to_string(), String::new()));
            }
            Tag::MetadataBlock(_) => {
                self.close_inline();
                self.metadata = Some(String::new());
            }
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.close_inline()
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.close_inline(),
            TagEnd::BlockQuote(_) => {
                if let Some(frame) = self.close_container() {
                    self.push_block(Block::Quote(frame.blocks));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, text)) = self.code_block.take() {
                    let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
                    self.push_block(Block::Code { lang, text });
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(h) = self.html_block.take() {
                    self.html(&h, true);
                    self.close_raw();
                    self.close_inline();
                }
            }
            TagEnd::List(_) => {
                if let Some(Frame {
                    kind: Kind::List { items, loose, .. },
                    ..
                }) = self.close_container()
                {
                    self.push_block(Block::List { items, loose });
                }
            }
            TagEnd::Item => {
                if let Some(Frame {
                    kind: Kind::Item { task },
                    blocks,
                }) = self.close_container()
                    && let Some(Frame {
                        kind: Kind::List { start, items, .. },
                        ..
                    }) = self.frames.last_mut()
                {
                    let number = start.map(|s| s.saturating_add(items.len() as u64));
                    items.push(ListItem {
                        number,
                        task,
                        blocks,
                    });
                }
            }
            TagEnd::FootnoteDefinition => {
                if let Some(Frame {
                    kind: Kind::Footnote(label),
                    blocks,
                }) = self.close_container()
                {
                    self.footnote_defs.push((label, blocks));
                }
            }
            TagEnd::Table => {
                self.close_inline();
                if let Some(t) = self.table.take() {
                    self.push_block(Block::Table(Table {
                        aligns: t.aligns,
                        header: t.header,
                        rows: t.rows,
                    }));
                }
            }
            TagEnd::TableHead => {
                self.close_inline();
                if let Some(t) = self.table.as_mut() {
                    t.header = std::mem::take(&mut t.row);
                }
            }
            TagEnd::TableRow => {
                self.close_inline();
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::TableCell => self.close_inline(),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => {
                self.bold = self.bold.saturating_sub(1);
                if let Some(start) = self.strong_starts.pop()
                    && let Some((_, v)) = self.inline.as_mut()
                {
                    for i in v.iter_mut().skip(start) {
                        if let Inline::Text(t, s) = i
                            && s.bold
                        {
                            unglue_bold(t);
                        }
                    }
                }
            }
            TagEnd::Strikethrough => {
                self.strike = self.strike.saturating_sub(1);
                self.strike_mark();
            }
            TagEnd::Superscript | TagEnd::Subscript => {}
            TagEnd::Link => self.end_link(),
            TagEnd::Image => {
                if let Some((url, title, alt)) = self.image.take() {
                    self.push_image(&url, &title, &alt);
                }
            }
            TagEnd::MetadataBlock(_) => {
                if let Some(meta) = self.metadata.take() {
                    self.push_metadata(&meta);
                }
            }
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.close_inline(),
        }
    }

    /// Struck-out text keeps its `~~` (dimmed): without them plain output, and terminals that
    /// cannot draw strikethrough, would print deleted words as if they stood.
    fn strike_mark(&mut self) {
        let style = Style {
            role: Role::Placeholder,
            ..self.style()
        };
        self.push_text("~~", style);
    }

    /// GFM drops the cells of a row beyond the header's columns; folio keeps their text as
    /// extra columns (links in them keep their text only).
    fn excess_cells(&mut self, row_source: &str) {
        let Some(t) = self.table.as_ref() else {
            return;
        };
        let have = t.row.len() + usize::from(self.inline.is_some());
        let cells = split_row(row_source);
        if cells.len() <= have {
            return;
        }
        self.close_inline();
        for cell in &cells[have..] {
            let doc = parse(cell.trim());
            let mut inlines = Vec::new();
            for block in doc.blocks {
                if let Block::Paragraph(p) | Block::Heading { content: p, .. } = block {
                    if !inlines.is_empty() {
                        inlines.push(Inline::Text(" ".into(), Style::default()));
                    }
                    inlines.extend(p.into_iter().filter_map(|i| match i {
                        Inline::Text(_, s) if s.role == Role::LinkMark => None,
                        Inline::Text(t, s) => Some(Inline::Text(t, Style { link: 0, ..s })),
                        other => Some(other),
                    }));
                }
            }
            if let Some(t) = self.table.as_mut() {
                t.row.push(inlines);
            }
        }
    }

    fn end_link(&mut self) {
        let n = std::mem::take(&mut self.link);
        if n != 0 {
            let style = Style {
                role: Role::LinkMark,
                link: n,
                ..self.style()
            };
            self.push_text(&format!("[{n}]"), style);
        }
    }

    fn push_metadata(&mut self, text: &str) {
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

    /// Finish a raw-text HTML element (`<pre>`, `<script>`) as a code block.
    fn close_raw(&mut self) {
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
    fn html(&mut self, html: &str, block: bool) {
        for token in html_tokens::tokens(html) {
            match token {
                Token::Comment(inner) => {
                    if block && let Some(meta) = inner.strip_prefix("yml") {
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

    fn finish(mut self) -> Document {
        self.close_raw();
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
        Document {
            blocks,
            links: self.links,
            footnotes,
        }
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

/// CommonMark does not let `**` close after punctuation when a letter follows, so the common
/// Chinese `**有网友表示，**微信…` stays literal. Pair such leftover `**` runs (exactly two
/// asterisks, in text that is not code) as bold: an opener is followed by a non-blank, a closer
/// preceded by one, pairs do not cross.
fn pair_leftover_strong(inlines: Vec<Inline>) -> Vec<Inline> {
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
fn unglue_bold(text: &mut String) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::document::plain_text;

    fn texts(inlines: &[Inline]) -> Vec<(&str, Style)> {
        inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Text(t, s) => Some((t.as_str(), *s)),
                _ => None,
            })
            .collect()
    }

    fn para(doc: &Document, i: usize) -> &[Inline] {
        match &doc.blocks[i] {
            Block::Paragraph(p) => p,
            b => panic!("block {i} is {b:?}"),
        }
    }

    #[test]
    fn glued_bold_runs_are_one_bold_run() {
        let doc = parse("**0****1**\n\n**a****b** and **x** **y**");
        let t = texts(para(&doc, 0));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].0, "01");
        assert!(t[0].1.bold);
        assert_eq!(plain_text(para(&doc, 1)), "ab and x y");
    }

    #[test]
    fn bold_closing_after_chinese_punctuation() {
        let doc = parse("**有网友表示，**微信此次，**有网友推测：**微信暂停。a ** b");
        let t = texts(para(&doc, 0));
        let bold: Vec<&str> = t.iter().filter(|(_, s)| s.bold).map(|(t, _)| *t).collect();
        assert_eq!(bold, ["有网友表示，", "有网友推测："]);
        assert_eq!(
            plain_text(para(&doc, 0)),
            "有网友表示，微信此次，有网友推测：微信暂停。a ** b"
        );
        let doc = parse("**今年 [链接](u) 之后：**正文");
        let t = texts(para(&doc, 0));
        assert!(t[0].1.bold && t[1].1.bold && t[3].1.bold, "{t:?}");
        assert_eq!(plain_text(para(&doc, 0)), "今年 链接 之后：正文");
    }

    #[test]
    fn struck_text_keeps_visible_marks() {
        let doc = parse("很少见~~非常~~常见");
        assert_eq!(plain_text(para(&doc, 0)), "很少见~~非常~~常见");
        let t = texts(para(&doc, 0));
        assert!(t[2].1.strike && t[1].1.role == Role::Placeholder);
    }

    #[test]
    fn links_are_numbered_and_marked() {
        let doc = parse("见[地铁](http://a/b)和[下加沙](http://c)，又见[地铁](http://a/b)。");
        assert_eq!(doc.links.len(), 2);
        assert_eq!(doc.links[0].url, "http://a/b");
        assert_eq!(plain_text(para(&doc, 0)), "见地铁和下加沙，又见地铁。");
        let marks: Vec<&str> = texts(para(&doc, 0))
            .into_iter()
            .filter(|(_, s)| s.role == Role::LinkMark)
            .map(|(t, _)| t)
            .collect();
        assert_eq!(marks, ["[1]", "[2]", "[1]"]);
        let link_text = texts(para(&doc, 0))[1];
        assert_eq!(
            link_text,
            (
                "地铁",
                Style {
                    link: 1,
                    ..Style::default()
                }
            )
        );
    }

    #[test]
    fn images_show_label_path_and_title() {
        let doc = parse("![](img/a.png \"小米 6\")![图](https://x/y.png)后");
        let t: String = texts(para(&doc, 0)).iter().map(|(t, _)| *t).collect();
        assert_eq!(
            t,
            "[image] img/a.png \"小米 6\" [image: 图] https://x/y.png 后"
        );
    }

    #[test]
    fn inline_html_keeps_text_and_loses_tags() {
        let doc = parse(
            "<mdspan datatext=\"el1\" class=\"c\">人工智能</mdspan>在<sup>2</sup>数据<br>科学",
        );
        let p = para(&doc, 0);
        assert_eq!(plain_text(p), "人工智能在2数据 科学");
        assert!(p.contains(&Inline::HardBreak));
    }

    #[test]
    fn block_html_keeps_text_and_decodes_entities() {
        let doc = parse(
            "<details><summary>展示代码</summary>\n\n隐藏的内容\n\n</details>\n\n<p>A &amp; B&nbsp;&lt;c&gt;</p>\n",
        );
        assert_eq!(plain_text(para(&doc, 0)), "展示代码");
        assert_eq!(plain_text(para(&doc, 1)), "隐藏的内容");
        assert_eq!(plain_text(para(&doc, 2)), "A & B\u{a0}<c>");
    }

    #[test]
    fn media_without_text_become_placeholders() {
        let doc = parse(
            "<mpvideosnap class=\"x\" data-desc=\"视频描述\" data-url=\"https://v/1\"></mpvideosnap>\n\n<iframe src=\"https://e/2\"></iframe>\n",
        );
        let t = texts(para(&doc, 0));
        assert_eq!(t[0], ("[video: 视频描述]", Style::role(Role::Placeholder)));
        assert_eq!(t[1].0, "[1]");
        assert_eq!(plain_text(para(&doc, 1)), "[iframe]");
        assert_eq!(doc.links[1].url, "https://e/2");
    }

    #[test]
    fn yml_comment_and_front_matter_become_metadata() {
        let doc = parse("<!--yml\n\n分类：未分类\n\n日期：2024 年 05 月 27 日\n\n-->\n\n# 标题\n");
        assert_eq!(
            doc.blocks[0],
            Block::Metadata(vec![
                "分类：未分类".into(),
                "日期：2024 年 05 月 27 日".into()
            ])
        );
        let doc = parse("---\ntitle: 题目\ntags: [a, b]\n---\n\n正文\n");
        assert_eq!(
            doc.blocks[0],
            Block::Metadata(vec!["title: 题目".into(), "tags: [a, b]".into()])
        );
        // Other comments are not text.
        let doc = parse("<!-- 注释 -->\n\n正文\n");
        assert_eq!(doc.blocks.len(), 1);
    }

    #[test]
    fn script_and_pre_keep_their_lines_as_code() {
        let doc = parse("<script>\nif (a<b) { x(); }\n</script>\n\n<pre>a &lt; b\n  c</pre>\n");
        assert_eq!(
            doc.blocks[0],
            Block::Code {
                lang: "javascript".into(),
                text: "if (a<b) { x(); }".into()
            }
        );
        assert_eq!(
            doc.blocks[1],
            Block::Code {
                lang: String::new(),
                text: "a < b\n  c".into()
            }
        );
    }

    #[test]
    fn lists_tasks_and_nesting() {
        let doc = parse("3. 一\n4. 二\n   - [x] 完成\n   - [ ] 未完成\n");
        let Block::List { items, loose } = &doc.blocks[0] else {
            panic!()
        };
        assert!(!loose);
        assert_eq!(items[0].number, Some(3));
        assert_eq!(items[1].number, Some(4));
        let Block::List { items: inner, .. } = &items[1].blocks[1] else {
            panic!("{:?}", items[1].blocks)
        };
        assert_eq!(inner[0].task, Some(true));
        assert_eq!(inner[1].task, Some(false));
        assert_eq!(inner[1].number, None);
    }

    #[test]
    fn deep_nesting_is_flattened_not_lost() {
        let md = format!("{} 深处的文字\n", ">".repeat(200));
        let doc = parse(&md);
        let mut depth = 0;
        let mut blocks = &doc.blocks;
        while let [Block::Quote(inner)] = blocks.as_slice() {
            depth += 1;
            blocks = inner;
        }
        assert_eq!(depth, MAX_NESTING);
        assert_eq!(
            plain_text(para(
                &Document {
                    blocks: blocks.clone(),
                    ..Default::default()
                },
                0
            )),
            "深处的文字"
        );
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference() {
        let doc = parse("甲[^b]乙[^a]丙[^b]\n\n[^a]: 注一\n[^b]: 注二\n[^c]: 无引用\n");
        assert_eq!(plain_text(para(&doc, 0)), "甲乙丙");
        let marks: Vec<&str> = texts(para(&doc, 0))
            .into_iter()
            .filter(|(_, s)| s.role == Role::FootnoteMark)
            .map(|(t, _)| t)
            .collect();
        assert_eq!(marks, ["[^1]", "[^2]", "[^1]"]);
        let labels: Vec<(u32, &str)> = doc
            .footnotes
            .iter()
            .map(|f| (f.number, f.label.as_str()))
            .collect();
        assert_eq!(labels, [(1, "b"), (2, "a"), (3, "c")]);
    }

    #[test]
    fn cells_beyond_the_header_are_kept() {
        let doc =
            parse("| 时间 |\n| --- |\n| 全部时间 | 5 个月 |\n| 去年 | 7 \\| 8 | [链接](u) |\n");
        let Block::Table(t) = &doc.blocks[0] else {
            panic!()
        };
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| plain_text(c)).collect())
            .collect();
        assert_eq!(
            rows,
            [vec!["全部时间", "5 个月"], vec!["去年", "7 | 8", "链接"]]
        );
    }

    #[test]
    fn tables_have_header_rows_and_alignment() {
        let doc = parse("| 名称 | 数量 |\n|:--|--:|\n| 苹果 | 3 |\n| **梨** | 12 |\n");
        let Block::Table(t) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(t.aligns, [Align::Left, Align::Right]);
        assert_eq!(plain_text(&t.header[0]), "名称");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(plain_text(&t.rows[1][0]), "梨");
    }
}
