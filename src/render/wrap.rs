//! [`Document`] + width → [`Layout`]: lines of styled spans that fit the width exactly, CJK-aware.
//!
//! The last step before drawing: the reading pane and `folio cat` both draw these lines. Every
//! block is laid out inside a stack of *frames* (quote bars, list markers and hanging indents,
//! heading marks) that prefix each line; when the frames would take more than
//! [`MAX_INDENT_PERCENT`] of the width, the outer ones fold into one `┊` so that deep nesting
//! still leaves the text most of the line. Flowing text goes through `breaks`; code lines are
//! cut at the width and continued after `↪`; tables go to `table`, which sizes their columns
//! to fit. All text is sanitized on the way in (`breaks`, [`code_line`]), so no control
//! character reaches a span.
//!
//! Widths: lines are never wider than the width asked, for any width of 2 or more. folio
//! supports widths from [`MIN_WIDTH`] up; below that the layout still never panics and never
//! overflows (indentation folds away first), it only gets cramped. A width below 2 is taken as
//! 2, the width of one wide glyph.

use unicode_segmentation::UnicodeSegmentation;

use crate::render::breaks::{Breaker, Filled, TAB_STOP};
use crate::render::document::{Block, Document, Inline, ListItem, plain_text};
use crate::render::glyphs::Glyphs;
use crate::render::line::{Cell, Line, Span, span};
use crate::render::markdown;
use crate::render::sanitize::{
    drops_after, is_unsafe, is_width_unstable, one_line, visible_symbol,
};
use crate::render::style::{Role, Style};
use crate::render::table;
use crate::render::width::{AmbiWidth, grapheme_width, str_width};

/// The narrowest width folio promises a good layout for (`folio cat` refuses narrower).
pub const MIN_WIDTH: usize = 20;

/// Indentation (quote bars, list indents) may take at most this share of the width.
pub const MAX_INDENT_PERCENT: usize = 40;

/// A heading's place in the layout, for an outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadingEntry {
    /// Index in [`Layout::lines`] of the heading's first line.
    pub line: usize,
    /// 1–6.
    pub level: u8,
    /// Its plain text, on one line.
    pub text: String,
}

/// An article laid out for one width.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The lines to draw.
    pub lines: Vec<Line>,
    /// The headings, in order, with the line each starts on.
    pub headings: Vec<HeadingEntry>,
    /// Link targets (sanitized): the text of link `n` is followed by `[n]`, its target is
    /// `links[n - 1]`, listed as `[n] url` after the block it appears in.
    pub links: Vec<String>,
    /// How many of `links`, from the first, the text refers to by `[n]`; the others (a link
    /// whose text is its URL, the source folded into the reader's header) have no number.
    pub referenced: usize,
    /// The text of each link where it first appears (`link_texts[n - 1]` for link `n`), on one
    /// line; empty for a link whose text is not in the lines.
    pub link_texts: Vec<String>,
}

/// Lay out a document at `width` columns.
pub fn layout(doc: &Document, width: usize, ambi: AmbiWidth) -> Layout {
    let width = width.max(2);
    let mut w = Writer {
        doc,
        width,
        ambi,
        cap: width * MAX_INDENT_PERCENT / 100,
        frames: Vec::new(),
        out: Layout {
            links: doc
                .links
                .iter()
                .map(|l| one_line(&l.url).into_owned())
                .collect(),
            referenced: doc.links.iter().filter(|l| l.referenced).count(),
            ..Layout::default()
        },
        listed: vec![false; doc.links.len() + 1],
        list_depth: 0,
        glyphs: Glyphs::for_ambi(ambi),
    };
    for (i, block) in doc.blocks.iter().enumerate() {
        if i > 0 {
            w.blank();
        }
        let first = w.out.lines.len();
        w.block(block);
        w.references(first);
    }
    if !doc.footnotes.is_empty() {
        if !w.out.lines.is_empty() {
            w.blank();
        }
        let n = w.width.min(20) / grapheme_width(w.glyphs.rule, ambi);
        w.emit(vec![span(&w.glyphs.rule.repeat(n), Role::Rule)], false);
        for f in &doc.footnotes {
            w.blank();
            let first = w.out.lines.len();
            let label = format!("[^{}] ", f.number);
            w.with_frame(span(&label, Role::FootnoteMark), |w| {
                w.blocks(&f.blocks, false)
            });
            w.references(first);
        }
    }
    w.out.link_texts = link_texts(&w.out.lines, w.out.links.len());
    w.out
}

/// The text of each link where it first appears: its spans, joined across the lines it was
/// broken over (with a space where the break dropped one).
fn link_texts(lines: &[Line], count: usize) -> Vec<String> {
    let mut texts = vec![String::new(); count];
    let mut done = vec![false; count];
    let mut open: Option<usize> = None;
    for line in lines {
        for (i, span) in line.spans.iter().enumerate().skip(line.prefix) {
            let n = span.style.link as usize;
            let text_of_link =
                n > 0 && n <= count && !matches!(span.style.role, Role::LinkMark | Role::Url);
            if !text_of_link {
                if let Some(o) = open.take() {
                    done[o] = true;
                }
                continue;
            }
            let index = n - 1;
            if done[index] {
                continue;
            }
            if open.is_some_and(|o| o != index) {
                done[open.take().unwrap_or(index)] = true;
            }
            if open == Some(index) && i == line.prefix && line.gap {
                texts[index].push(' ');
            }
            texts[index].push_str(&span.text);
            open = Some(index);
        }
    }
    texts
}

/// Lay out a document at `width` columns: just the lines.
pub fn wrap(doc: &Document, width: usize, ambi: AmbiWidth) -> Vec<Line> {
    layout(doc, width, ambi).lines
}

/// Markdown to plain text at `width` columns, lines joined by `\n` (`folio cat --plain`).
pub fn render_plain(markdown: &str, width: usize, ambi: AmbiWidth) -> String {
    let doc = markdown::parse(markdown);
    let lines = wrap(&doc, width, ambi);
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for s in &l.spans {
            out.push_str(&s.text);
        }
    }
    out
}

/// A prefix drawn left of the lines of a block: `first` on its first line, `rest` after.
struct Frame {
    first: Vec<Span>,
    rest: Vec<Span>,
    width: usize,
    pending: bool,
}

struct Writer<'d> {
    doc: &'d Document,
    width: usize,
    ambi: AmbiWidth,
    cap: usize,
    frames: Vec<Frame>,
    out: Layout,
    /// `listed[n]`: reference `[n]` has been printed.
    listed: Vec<bool>,
    list_depth: usize,
    glyphs: &'static Glyphs,
}

impl Writer<'_> {
    /// Which frames show (from index `lo`) and whether a fold mark stands for the others.
    fn shown_frames(&self) -> (usize, bool) {
        let total: usize = self.frames.iter().map(|f| f.width).sum();
        if total <= self.cap {
            return (0, false);
        }
        let fold_w = grapheme_width(self.glyphs.fold, self.ambi);
        let budget = self.cap.saturating_sub(fold_w);
        let mut acc = 0;
        let mut lo = self.frames.len();
        while lo > 0 && acc + self.frames[lo - 1].width <= budget {
            acc += self.frames[lo - 1].width;
            lo -= 1;
        }
        if lo == self.frames.len() {
            // Not even the innermost frame fits beside a fold mark: show it alone if it leaves
            // half the line, else show nothing.
            let inner = self.frames.last().map_or(0, |f| f.width);
            if inner <= self.width / 2 && inner <= self.cap.max(self.width / 2) {
                return (lo - 1, false);
            }
            return (lo, self.cap >= fold_w);
        }
        (lo, self.cap >= fold_w)
    }

    fn prefix_width(&self) -> usize {
        let (lo, fold) = self.shown_frames();
        let fold_w = if fold {
            grapheme_width(self.glyphs.fold, self.ambi)
        } else {
            0
        };
        fold_w + self.frames[lo..].iter().map(|f| f.width).sum::<usize>()
    }

    /// Columns left for text inside the current frames (at least 2).
    fn text_width(&self) -> usize {
        self.width.saturating_sub(self.prefix_width()).max(2)
    }

    fn prefix(&mut self) -> Vec<Span> {
        let (lo, fold) = self.shown_frames();
        let mut out = Vec::new();
        if fold {
            out.push(span(self.glyphs.fold, Role::Border));
        }
        for (i, f) in self.frames.iter_mut().enumerate() {
            if i >= lo {
                out.extend(if f.pending { &f.first } else { &f.rest }.iter().cloned());
            }
            f.pending = false;
        }
        out
    }

    /// Add a line of content inside the current frames.
    fn emit(&mut self, content: Vec<Span>, wrapped: bool) {
        self.emit_filled(Filled {
            spans: content,
            wrapped,
            ..Filled::default()
        });
    }

    /// Add a line the breaker filled inside the current frames.
    fn emit_filled(&mut self, filled: Filled) {
        let mut spans = self.prefix();
        let prefix = spans.len();
        // Where each of the filled spans lands once the prefix is in and empty spans are out.
        let mut at = Vec::with_capacity(filled.spans.len() + 1);
        for s in filled.spans {
            at.push(spans.len());
            if !s.text.is_empty() {
                spans.push(s);
            }
        }
        at.push(spans.len());
        let cells = filled
            .cells
            .into_iter()
            .map(|c| Cell {
                first: at[c.first.min(at.len() - 1)],
                end: at[c.end.min(at.len() - 1)],
                ..c
            })
            .collect();
        self.out.lines.push(Line {
            spans,
            wrapped: filled.wrapped,
            prefix,
            gap: filled.gap,
            cells,
        });
    }

    /// Add a blank line (quote bars stay, indentation is trimmed).
    fn blank(&mut self) {
        let mut spans = self.prefix();
        while let Some(last) = spans.last_mut() {
            let trimmed = last.text.trim_end().len();
            if trimmed == 0 {
                spans.pop();
            } else {
                last.text.truncate(trimmed);
                break;
            }
        }
        let prefix = spans.len();
        self.out.lines.push(Line {
            spans,
            prefix,
            ..Line::default()
        });
    }

    /// Run `f` inside a frame whose first line starts with `marker` and whose other lines are
    /// indented by its width. If nothing was drawn, the marker still gets a line.
    fn with_frame(&mut self, marker: Span, f: impl FnOnce(&mut Self)) {
        let width = str_width(&marker.text, self.ambi);
        self.with_frames(
            vec![marker],
            vec![span(&" ".repeat(width), Role::Text)],
            width,
            f,
        );
    }

    fn with_frames(
        &mut self,
        first: Vec<Span>,
        rest: Vec<Span>,
        width: usize,
        f: impl FnOnce(&mut Self),
    ) {
        self.frames.push(Frame {
            first,
            rest,
            width,
            pending: true,
        });
        f(self);
        if self.frames.last().is_some_and(|f| f.pending) {
            self.emit(Vec::new(), false);
        }
        self.frames.pop();
    }

    fn blocks(&mut self, blocks: &[Block], tight: bool) {
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 && !tight {
                self.blank();
            }
            self.block(b);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, content } => self.heading(*level, content),
            Block::Paragraph(inlines) => self.paragraph(&Breaker::new(inlines, self.ambi)),
            Block::Quote(blocks) => {
                let bar = format!("{} ", self.glyphs.bar);
                let width = str_width(&bar, self.ambi);
                let s = vec![span(&bar, Role::QuoteBar)];
                self.with_frames(s.clone(), s, width, |w| w.blocks(blocks, false));
            }
            Block::List { items, loose } => self.list(items, *loose),
            Block::Code { lang, text } => self.code(lang, text),
            Block::Table(t) => {
                for filled in table::lines(t, self.text_width(), self.glyphs, self.ambi) {
                    self.emit_filled(filled);
                }
            }
            Block::Rule => {
                let n = self.text_width() / grapheme_width(self.glyphs.rule, self.ambi);
                self.emit(vec![span(&self.glyphs.rule.repeat(n), Role::Rule)], false);
            }
            Block::Metadata(entries) => {
                let text = entries.join(" · ");
                self.paragraph(&Breaker::plain(
                    &text,
                    Style::role(Role::Metadata),
                    self.ambi,
                ));
            }
        }
    }

    fn paragraph(&mut self, b: &Breaker) {
        for filled in b.fill(self.text_width()) {
            self.emit_filled(filled);
        }
    }

    fn heading(&mut self, level: u8, content: &[Inline]) {
        let role = Role::Heading(level);
        let inlines: Vec<Inline> = content
            .iter()
            .map(|i| match i {
                Inline::Text(t, s) if s.role == Role::Text => Inline::Text(
                    t.clone(),
                    Style {
                        role,
                        bold: true,
                        ..*s
                    },
                ),
                other => other.clone(),
            })
            .collect();
        // An empty heading (`##` alone, a heading of an image) has no place in an outline.
        let text = one_line(plain_text(content).trim()).into_owned();
        if !text.is_empty() {
            self.out.headings.push(HeadingEntry {
                line: self.out.lines.len(),
                level,
                text,
            });
        }
        let marks = format!("{} ", "#".repeat(level as usize));
        let b = Breaker::new(&inlines, self.ambi);
        self.with_frame(span(&marks, role), |w| w.paragraph(&b));
    }

    fn list(&mut self, items: &[ListItem], loose: bool) {
        self.list_depth += 1;
        let num_w = items
            .iter()
            .filter_map(|i| i.number)
            .map(|n| n.to_string().len())
            .max();
        let bullet = ["•", "◦", "▪"][(self.list_depth - 1) % 3];
        for (i, item) in items.iter().enumerate() {
            if i > 0 && loose {
                self.blank();
            }
            let task = item.task.map(|done| if done { "[x] " } else { "[ ] " });
            let marker = match (item.number, num_w, task) {
                (Some(n), Some(w), t) => format!("{n:>w$}. {}", t.unwrap_or("")),
                (_, _, Some(t)) => t.to_string(),
                _ => format!("{bullet} "),
            };
            self.with_frame(span(&marker, Role::ListMarker), |w| {
                w.blocks(&item.blocks, !loose)
            });
        }
        self.list_depth -= 1;
    }

    fn code(&mut self, lang: &str, text: &str) {
        let fence = format!("```{}", one_line(lang));
        let fence = Breaker::plain(&fence, Style::role(Role::CodeFence), self.ambi);
        self.paragraph(&fence);
        let avail = self.text_width();
        let marker = avail >= 3;
        for line in text.split('\n') {
            let line = code_line(line);
            let rest = if marker { avail - 1 } else { avail };
            for (i, piece) in cut_to_width(&line, avail, rest, self.ambi)
                .into_iter()
                .enumerate()
            {
                let mut spans = Vec::new();
                if i > 0 && marker {
                    spans.push(span("↪", Role::Continuation));
                }
                spans.push(span(piece, Role::CodeBlock));
                self.emit(spans, i > 0);
            }
        }
        self.paragraph(&Breaker::plain(
            "```",
            Style::role(Role::CodeFence),
            self.ambi,
        ));
    }

    /// Print `[n] url` for links first seen in the lines from `first` on.
    fn references(&mut self, first: usize) {
        let mut new = Vec::new();
        for line in &self.out.lines[first..] {
            for s in &line.spans {
                if s.style.role == Role::LinkMark && !self.listed[s.style.link as usize] {
                    self.listed[s.style.link as usize] = true;
                    new.push(s.style.link);
                }
            }
        }
        // In number order, also where a table's lines met them in another.
        new.sort_unstable();
        for n in new {
            let link = &self.doc.links[n as usize - 1];
            let mut inlines = vec![Inline::Text(
                link.url.clone(),
                Style {
                    link: n,
                    ..Style::role(Role::Url)
                },
            )];
            if !link.title.is_empty() {
                inlines.push(Inline::Text(
                    format!(" \"{}\"", link.title),
                    Style::role(Role::Url),
                ));
            }
            let b = Breaker::new(&inlines, self.ambi);
            let label = span(&format!("[{n}] "), Role::RefLabel);
            self.with_frame(label, |w| w.paragraph(&b));
        }
    }
}

/// A code line made safe and flat: tabs expanded to stops of [`TAB_STOP`], control characters
/// shown as symbols, trailing blanks dropped.
pub fn code_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut col = 0;
    for g in line.graphemes(true) {
        if g == "\t" {
            let n = TAB_STOP - col % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
            continue;
        }
        // Emoji joiners and selectors go: the parts stay, at widths terminals agree on.
        let kept: String;
        let g = if g.chars().any(is_width_unstable) {
            let mut before = None;
            kept = g
                .chars()
                .filter(|&c| !drops_after(before.replace(c), c))
                .collect();
            kept.as_str()
        } else {
            g
        };
        let mut clean = true;
        for c in g.chars() {
            if is_unsafe(c) {
                clean = false;
                if let Some(v) = visible_symbol(c) {
                    out.push(v);
                    col += 1;
                }
            }
        }
        if clean {
            out.push_str(g);
            col += grapheme_width(g, AmbiWidth::Single);
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Cut a line into pieces: the first at most `width` wide, the others at most `rest` (room for
/// the `↪`). Cuts fall between grapheme clusters; a wide glyph that would straddle the edge
/// starts the next piece. Both widths must be at least 2.
fn cut_to_width(line: &str, width: usize, rest: usize, ambi: AmbiWidth) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut used = 0;
    let mut limit = width;
    for (i, g) in line.grapheme_indices(true) {
        let w = grapheme_width(g, ambi);
        if used + w > limit && i > start {
            out.push(&line[start..i]);
            start = i;
            used = 0;
            limit = rest;
        }
        used += w;
    }
    out.push(&line[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::parse;

    fn plain(md: &str, width: usize) -> Vec<String> {
        wrap(&parse(md), width, AmbiWidth::Single)
            .iter()
            .map(Line::plain_text)
            .collect()
    }

    fn assert_fits(md: &str, width: usize) -> Vec<String> {
        let lines = wrap(&parse(md), width, AmbiWidth::Single);
        for l in &lines {
            assert!(
                l.width() <= width,
                "{:?} is {} > {width}",
                l.plain_text(),
                l.width()
            );
        }
        lines.iter().map(Line::plain_text).collect()
    }

    #[test]
    fn headings_show_their_level_and_wrap() {
        let ls = assert_fits("## 暂停新用户注册？腾讯：8 月恢复正常服务\n", 20);
        assert_eq!(
            ls,
            ["## 暂停新用户注册？", "   腾讯：8 月恢复正", "   常服务"]
        );
        let l = layout(&parse("# 一\n\n正文\n\n## 二\n"), 40, AmbiWidth::Single);
        let h: Vec<(usize, u8, &str)> = l
            .headings
            .iter()
            .map(|h| (h.line, h.level, h.text.as_str()))
            .collect();
        assert_eq!(h, [(0, 1, "一"), (4, 2, "二")]);
    }

    #[test]
    fn quotes_keep_a_bar_on_every_line() {
        let ls = assert_fits(
            "> 原文：近日，有网友反应：微信个人账号的新用户注册入口已经关闭\n>\n> 第二段\n",
            20,
        );
        assert!(ls.len() >= 4);
        for l in &ls {
            assert!(l.starts_with('│'), "{l:?}");
        }
    }

    #[test]
    fn deep_quotes_and_lists_fold_their_indentation() {
        let md = format!("{} 深处的文字，仍然可以阅读。\n", ">".repeat(200));
        for w in [20, 40, 80] {
            let ls = assert_fits(&md, w);
            let first = &ls[0];
            let text_start = first.find('深').unwrap();
            let indent = str_width(&first[..text_start], AmbiWidth::Single);
            assert!(indent <= w * MAX_INDENT_PERCENT / 100, "{ls:?}");
            assert!(first.starts_with('┊'));
        }
        let mut md = String::new();
        for d in 0..60 {
            md.push_str(&format!("{}- 第 {d} 层的列表项\n", "  ".repeat(d)));
        }
        let ls = assert_fits(&md, 20);
        assert!(ls.iter().any(|l| l.contains("第 59 层")), "{ls:?}");
        for l in &ls {
            let text = l.find(|c: char| !" ┊•◦▪".contains(c)).unwrap();
            assert!(str_width(&l[..text], AmbiWidth::Single) <= 8, "{l:?}");
        }
        // Every item keeps its marker.
        assert_eq!(
            ls.iter().filter(|l| l.contains(['•', '◦', '▪'])).count(),
            60
        );
    }

    #[test]
    fn nested_lists_have_hanging_indents() {
        let ls = assert_fits(
            "1. 第一项的文字比较长需要换行\n2. 第二项\n   - 子项目的文字也很长需要换行\n   - [x] 完成的任务\n",
            20,
        );
        assert_eq!(
            ls,
            [
                "1. 第一项的文字比较",
                "   长需要换行",
                "2. 第二项",
                "   ◦ 子项目的文字也",
                "     很长需要换行",
                "   [x] 完成的任务",
            ]
        );
    }

    #[test]
    fn code_keeps_spacing_and_marks_continuations() {
        let ls = assert_fits(
            "```rust\nfn main() {\n\tlet 中文变量 = \"一个很长的字符串\";\n}\n```\n",
            20,
        );
        assert_eq!(
            ls,
            [
                "```rust",
                "fn main() {",
                "    let 中文变量 = \"",
                "↪一个很长的字符串\";",
                "}",
                "```"
            ]
        );
    }

    #[test]
    fn tables_fit_and_align_cjk() {
        let md = "| 名称 | 说明 | 数量 |\n|:--|:--|--:|\n| 苹果 | 红色的水果，很甜 | 3 |\n| 梨 | pear | 12 |\n";
        let ls = assert_fits(md, 80);
        assert_eq!(
            ls,
            [
                "┌──────┬──────────────────┬──────┐",
                "│ 名称 │ 说明             │ 数量 │",
                "├──────┼──────────────────┼──────┤",
                "│ 苹果 │ 红色的水果，很甜 │    3 │",
                "│ 梨   │ pear             │   12 │",
                "└──────┴──────────────────┴──────┘",
            ]
        );
        let ls = assert_fits(md, 24);
        assert!(ls.iter().all(|l| str_width(l, AmbiWidth::Single) <= 24));
        let joined: String = ls.concat();
        for c in "红色的水果很甜苹果梨pear".chars() {
            assert!(joined.contains(c));
        }
        // Borders line up: every line is as wide as the first.
        let w0 = str_width(&ls[0], AmbiWidth::Single);
        assert!(
            ls.iter().all(|l| str_width(l, AmbiWidth::Single) == w0),
            "{ls:#?}"
        );
    }

    #[test]
    fn tables_with_too_many_columns_become_records() {
        let md = "| a | b | c | d | e | f | g |\n|---|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 | 7 |\n";
        let ls = assert_fits(md, 20);
        assert_eq!(ls[0], "a: 1");
        assert_eq!(ls[6], "g: 7");
    }

    #[test]
    fn links_are_listed_after_their_block() {
        let md = "见[地铁](https://example.com/a)和[文档](https://example.com/b \"题\")。\n\n下一段[地铁](https://example.com/a)。\n";
        let l = layout(&parse(md), 40, AmbiWidth::Single);
        let ls: Vec<String> = l.lines.iter().map(Line::plain_text).collect();
        assert_eq!(
            ls,
            [
                "见地铁[1]和文档[2]。",
                "[1] https://example.com/a",
                "[2] https://example.com/b \"题\"",
                "",
                "下一段地铁[1]。",
            ]
        );
        assert_eq!(l.links, ["https://example.com/a", "https://example.com/b"]);
    }

    #[test]
    fn footnotes_are_collected_at_the_end() {
        let ls = assert_fits("正文[^n]。\n\n[^n]: 脚注内容\n\n后文。\n", 40);
        assert_eq!(
            ls,
            [
                "正文[^1]。",
                "",
                "后文。",
                "",
                "────────────────────",
                "",
                "[^1] 脚注内容"
            ]
        );
    }

    #[test]
    fn seed_bold_glue_renders_as_01() {
        assert_eq!(plain("**0****1**", 40), ["01"]);
    }

    #[test]
    fn no_control_character_survives() {
        let md = "标题\x1b[31m红\u{7}\n\n```\na\x1b]0;x\u{7}\tb\u{202E}\n```\n\n| a\u{9b} |\n|--|\n| \u{85}b |\n";
        for l in wrap(&parse(md), 30, AmbiWidth::Single) {
            for s in &l.spans {
                assert!(!s.text.chars().any(is_unsafe), "{:?}", s.text);
            }
        }
    }

    #[test]
    fn tiny_widths_never_panic_or_overflow() {
        let md = "# 标题很长很长\n\n> > - 1. 列表 `code` [链接](http://x)\n\n```\n中文代码\n```\n\n| a | b |\n|---|---|\n| 中 | 文 |\n";
        for w in 0..20 {
            let lines = wrap(&parse(md), w, AmbiWidth::Single);
            for l in &lines {
                assert!(l.width() <= w.max(2), "width {w}: {:?}", l.plain_text());
            }
        }
    }

    #[test]
    fn ambiguous_double_uses_ascii_structure_and_fits() {
        let md = "> “引用”……\n\n| 名 | 值 |\n|--|--|\n| “甲” | — |\n\n---\n";
        let lines = wrap(&parse(md), 20, AmbiWidth::Double);
        for l in &lines {
            assert!(l.width_in(AmbiWidth::Double) <= 20, "{:?}", l.plain_text());
        }
        assert!(lines[0].plain_text().starts_with("| "));
    }
}
