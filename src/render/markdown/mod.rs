//! Markdown → [`Document`]: the article's blocks and styled spans, before any width is known.
//!
//! Sits between reading an article and the layout (`wrap`). pulldown-cmark (tables,
//! strikethrough, task lists, footnotes and YAML metadata on) gives events; this module turns
//! them into a tree of blocks whose text is tagged with a [`Style`], through a `Builder`
//! (`builder`). Raw HTML keeps its text and loses its tags (`raw_html`, on tags split by
//! `html_tokens`); bold that CommonMark leaves literal is repaired (`bold`). Links are numbered
//! (their text is followed by `[n]`), footnotes too. Nothing here is sanitized: the layout does
//! that for every character it lays out.

mod bold;
mod builder;
mod html_tokens;
mod raw_html;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::render::document::{Align, Block, Document, Inline, ListItem, Table};
use crate::render::style::{Role, Style};

use bold::unglue_bold;
use builder::{Builder, Frame, InlineKind, Kind, TableState};

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
    let mut b = Builder::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        if let Event::End(TagEnd::TableRow) = event {
            b.excess_cells(&markdown[range]);
        }
        b.event(event);
    }
    b.close_raw();
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

/// The CommonMark events, one at a time, into the document being built.
impl Builder {
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
