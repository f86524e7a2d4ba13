//! [`Document`]: an article as blocks of styled inline text, before any width is known.
//!
//! The hand-over point of the render engine: `markdown` builds a Document from the article's
//! text, the layout (`wrap`, `breaks`, `table`) turns it into lines for a width. It imports
//! neither, so both can depend on it.

use crate::render::style::{Role, Style};

/// A parsed article: blocks in order, plus the numbered links and footnotes they refer to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The article's blocks, in reading order.
    pub blocks: Vec<Block>,
    /// Link targets; a link's text is followed by `[n]` where `links[n - 1]` is its target
    /// (the ones it refers to that way first, see [`Document::renumber_links`]).
    pub links: Vec<Link>,
    /// Footnote definitions in number order (`[^n]`), collected from wherever they stood.
    pub footnotes: Vec<Footnote>,
}

impl Document {
    /// Number the links again after a change to the text (a link that says its own URL lost
    /// its `[n]`, blocks were dropped): the links the text refers to by `[n]` become 1, 2, 3…
    /// in the order the text first refers to them (blocks, then footnotes), with no gap; the
    /// others follow, unreferenced, in their old order. Marks, styles and `links` agree after.
    pub fn renumber_links(&mut self) {
        let mut new = vec![0u32; self.links.len() + 1];
        let mut next = 0u32;
        self.each_inlines(|inlines| {
            for inline in inlines.iter() {
                if let Inline::Text(_, s) = inline
                    && s.role == Role::LinkMark
                    && let Some(slot) = new.get_mut(s.link as usize)
                    && s.link != 0
                    && *slot == 0
                {
                    next += 1;
                    *slot = next;
                }
            }
        });
        let referenced = next as usize;
        for slot in new.iter_mut().skip(1) {
            if *slot == 0 {
                next += 1;
                *slot = next;
            }
        }
        let mut links = vec![Link::default(); self.links.len()];
        for (old, link) in std::mem::take(&mut self.links).into_iter().enumerate() {
            let n = new[old + 1] as usize;
            links[n - 1] = Link {
                referenced: n <= referenced,
                ..link
            };
        }
        self.links = links;
        self.each_inlines(|inlines| {
            for inline in inlines.iter_mut() {
                if let Inline::Text(t, s) = inline
                    && let Some(&n) = new.get(s.link as usize)
                    && s.link != 0
                {
                    s.link = n;
                    if s.role == Role::LinkMark {
                        *t = format!("[{n}]");
                    }
                }
            }
        });
    }

    /// Calls `f` on each run of inline content, in reading order: the blocks, then the
    /// footnotes (with an explicit stack: no recursion as deep as the nesting).
    fn each_inlines(&mut self, mut f: impl FnMut(&mut Vec<Inline>)) {
        let mut stack: Vec<&mut Block> = Vec::new();
        let roots = self
            .blocks
            .iter_mut()
            .chain(self.footnotes.iter_mut().flat_map(|n| n.blocks.iter_mut()));
        let mut roots: Vec<&mut Block> = roots.collect();
        roots.reverse();
        stack.extend(roots);
        while let Some(block) = stack.pop() {
            match block {
                Block::Heading { content, .. } => f(content),
                Block::Paragraph(inlines) => f(inlines),
                Block::Quote(blocks) => stack.extend(blocks.iter_mut().rev()),
                Block::List { items, .. } => stack.extend(
                    items
                        .iter_mut()
                        .rev()
                        .flat_map(|i| i.blocks.iter_mut().rev()),
                ),
                Block::Table(t) => {
                    for cell in t.header.iter_mut().chain(t.rows.iter_mut().flatten()) {
                        f(cell);
                    }
                }
                Block::Code { .. } | Block::Rule | Block::Metadata(_) => {}
            }
        }
    }
}

/// One numbered link target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// The URL or path, as written.
    pub url: String,
    /// The link title (`[t](url "title")`), often empty.
    pub title: String,
    /// True when the text refers to it by `[n]` (see [`Document::renumber_links`]); false for
    /// a link whose text is its URL, or whose text is no longer in the document.
    pub referenced: bool,
}

/// A footnote definition.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Footnote {
    /// Its number, the order of first reference (unreferenced ones come last).
    pub number: u32,
    /// The label in the source (`[^label]`).
    pub label: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A block of the article.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading, level 1–6.
    Heading {
        /// 1 for `#`, 6 for `######`.
        level: u8,
        /// Its text.
        content: Vec<Inline>,
    },
    /// A paragraph (also the text of an HTML block).
    Paragraph(Vec<Inline>),
    /// A block quote and the blocks inside it.
    Quote(Vec<Block>),
    /// An ordered, bullet or task list.
    List {
        /// Its items.
        items: Vec<ListItem>,
        /// True when the source separates items with blank lines.
        loose: bool,
    },
    /// A fenced or indented code block (also `<pre>`, `<script>`, `<style>` in HTML).
    Code {
        /// The info string's first word (`rust`), or empty.
        lang: String,
        /// The code, lines separated by `\n`.
        text: String,
    },
    /// A GFM table.
    Table(Table),
    /// A thematic break.
    Rule,
    /// The article's metadata (`<!--yml … -->` or front matter), one entry per source line.
    Metadata(Vec<String>),
}

/// One item of a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListItem {
    /// Its number in an ordered list, `None` in a bullet list.
    pub number: Option<u64>,
    /// `Some(checked)` for a task item (`- [x]`).
    pub task: Option<bool>,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A table: a header row and body rows of cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// One alignment per column.
    pub aligns: Vec<Align>,
    /// The header row's cells.
    pub header: Vec<Cell>,
    /// The body rows.
    pub rows: Vec<Vec<Cell>>,
}

/// The content of a table cell.
pub type Cell = Vec<Inline>;

/// How a table column aligns its cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    /// To the left (also columns with no alignment).
    #[default]
    Left,
    /// Centred.
    Center,
    /// To the right.
    Right,
}

/// A piece of inline content.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Text with its style.
    Text(String, Style),
    /// A line break in the source inside a paragraph: a space between words, nothing between
    /// two Chinese characters.
    SoftBreak,
    /// A forced line break (`<br>`, two trailing spaces, a backslash).
    HardBreak,
}

/// The plain text of inline content (no link marks), e.g. for a heading in an outline.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t, st) if !matches!(st.role, Role::LinkMark | Role::FootnoteMark) => {
                s.push_str(t)
            }
            Inline::Text(..) => {}
            Inline::SoftBreak | Inline::HardBreak => s.push(' '),
        }
    }
    s
}
