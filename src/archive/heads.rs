//! The seed-format header parser: what an article is called, where it came from, and when.
//!
//! `library` hands this module the first bytes of each file; it splits off the metadata block
//! (`metadata` reads it), then finds the title (first level-1 heading, else metadata `title:`,
//! else first heading of any level, else the file name) and the source line (`> 原文：`,
//! `> 来源：`, `> Source:` or a lone link in the first quote under the title). Headings are read
//! by pulldown-cmark so a title's inline markup becomes the plain text a CommonMark reader would
//! show.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::archive::metadata::{Metadata, split_metadata};

/// What the head of a file says about its article; the title may still be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// Plain text of the first level-1 heading.
    pub h1: Option<String>,
    /// Plain text of the first heading of any level.
    pub first_heading: Option<String>,
    /// The source URL.
    pub source: Option<String>,
    /// The metadata block's fields.
    pub meta: Metadata,
    /// False when the text ended inside the head (a level-1 heading not yet found, or the
    /// block after it not yet seen): more of the file would tell more.
    pub settled: bool,
}

impl Header {
    /// The title users see: first level-1 heading, else metadata `title:`, else first heading
    /// of any level, else `file_stem`.
    pub fn title(&self, file_stem: &str) -> String {
        self.clone()
            .take_title()
            .unwrap_or_else(|| file_stem.to_string())
    }

    /// [`Header::title`] moved out of the header, without the file name's fallback: `None`
    /// when no heading or metadata gives one.
    pub fn take_title(&mut self) -> Option<String> {
        self.h1
            .take()
            .or_else(|| self.meta.title.take())
            .or_else(|| self.first_heading.take())
    }
}

/// Parses the head of an article. `text` may be a prefix of the file (`complete` false): then
/// only whole lines are read and [`Header::settled`] says whether more text could change the
/// result.
pub fn parse_header(text: &str, complete: bool) -> Header {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let text = if complete {
        text
    } else {
        // Only whole lines: a heading cut in half is not a heading.
        text.rfind('\n').map_or("", |end| &text[..=end])
    };
    let (meta, body) = split_metadata(text);
    let mut header = common_shape(body).unwrap_or_else(|| scan_blocks(body));
    header.meta = meta.unwrap_or_default();
    if complete {
        header.settled = true;
    }
    header
}

/// Where the scan of the body's top-level blocks stands.
#[derive(Default)]
struct BlockScan {
    header: Header,
    /// Nesting depth of block containers (0 = top level).
    depth: usize,
    /// Heading being read: its level and text so far.
    heading: Option<(HeadingLevel, String)>,
    /// The first quote under the title, being read.
    quote: Option<QuoteText>,
    /// Whether a source line may still come (no other text block after the title yet).
    source_open: bool,
}

#[derive(Default)]
struct QuoteText {
    text: String,
    links: Vec<String>,
    /// Text outside any link.
    loose_text: String,
    link_depth: usize,
}

/// Walks the top-level blocks: headings for the title, then the first quote for the source.
fn scan_blocks(body: &str) -> Header {
    let mut scan = BlockScan {
        source_open: true,
        ..Default::default()
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    for event in Parser::new_ext(body, options) {
        if scan.step(event) {
            scan.header.settled = true;
            break;
        }
    }
    scan.header
}

impl BlockScan {
    /// Takes one event; true once the head is fully read.
    fn step(&mut self, event: Event<'_>) -> bool {
        match event {
            Event::Start(tag) => {
                if is_block(&tag) {
                    if self.depth == 0 {
                        self.top_level_start(&tag);
                    }
                    self.depth += 1;
                }
                if let (Tag::Link { dest_url, .. }, Some(quote)) = (&tag, self.quote.as_mut()) {
                    quote.links.push(dest_url.to_string());
                    quote.link_depth += 1;
                }
            }
            Event::End(tag) => {
                if matches!(tag, TagEnd::Link)
                    && let Some(quote) = self.quote.as_mut()
                {
                    quote.link_depth = quote.link_depth.saturating_sub(1);
                }
                if is_block_end(&tag) {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return self.top_level_end(tag);
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => self.push_text(&text),
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            _ => {}
        }
        false
    }

    fn top_level_start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => self.heading = Some((*level, String::new())),
            Tag::BlockQuote(_) if self.source_open && self.header.source.is_none() => {
                self.quote = Some(QuoteText::default());
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
            _ => {
                // Body text has begun: the source line, if any, came before it.
                if self.header.h1.is_some() || self.header.first_heading.is_some() {
                    self.source_open = false;
                }
            }
        }
    }

    /// A top-level block ended; true when title and source are both settled.
    fn top_level_end(&mut self, tag: TagEnd) -> bool {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, text)) = self.heading.take() {
                    let text = text.trim().to_string();
                    if !text.is_empty() {
                        if self.header.first_heading.is_none() {
                            self.header.first_heading = Some(text.clone());
                        }
                        if level == HeadingLevel::H1 && self.header.h1.is_none() {
                            self.header.h1 = Some(text);
                            // The source quote, if any, follows the title: look again.
                            self.source_open = self.header.source.is_none();
                        }
                    }
                }
            }
            TagEnd::BlockQuote(_) => {
                if let Some(quote) = self.quote.take() {
                    self.header.source = source_of_quote(&quote);
                }
                if self.header.h1.is_some() {
                    self.source_open = false;
                }
            }
            _ => {}
        }
        self.header.h1.is_some() && !self.source_open
    }

    fn push_text(&mut self, text: &str) {
        if let Some((_, heading)) = self.heading.as_mut() {
            heading.push_str(text);
        }
        if let Some(quote) = self.quote.as_mut() {
            quote.text.push_str(text);
            if quote.link_depth == 0 {
                quote.loose_text.push_str(text);
            }
        }
    }
}

/// The words a source line starts with (`原文：`, `来源：`, `Source:`…).
const SOURCE_LABELS: [&str; 7] = [
    "原文", "来源", "出处", "Source", "source", "Original", "original",
];

/// What follows a source label and its colon (`> 原文链接：` included), if `text` starts with one.
pub fn after_source_label(text: &str) -> Option<&str> {
    SOURCE_LABELS
        .iter()
        .find_map(|label| text.strip_prefix(label))
        .map(|rest| rest.trim_start_matches("链接").trim_start())
        .and_then(|rest| rest.strip_prefix(['：', ':']))
}

/// The URL a source quote names: `原文：`, `来源：` or `Source:` followed by a link, an autolink
/// or a bare URL; or a quote that is nothing but one link.
fn source_of_quote(quote: &QuoteText) -> Option<String> {
    let text = quote.text.trim();
    if let Some(rest) = after_source_label(text) {
        return quote
            .links
            .first()
            .cloned()
            .or_else(|| bare_url(rest).map(str::to_string));
    }
    let only_a_link = quote.links.len() == 1 && quote.loose_text.trim().is_empty();
    only_a_link.then(|| quote.links[0].clone())
}

/// Characters that may start inline markup: a title or URL holding one is left to the parser.
const MARKUP: ByteSet = ByteSet::of(b"\\`*_[]<>&~!");

/// The shape nearly every article has, read without a Markdown parser (which costs more than
/// reading the file): blank lines, `# title` in plain text, blank lines, then a one-line
/// source quote in one of its usual forms, or a paragraph. `None` for anything else (markup
/// in the title, a longer quote, text that ends too soon…): the parser reads those.
/// A property test checks that wherever this answers, the parser answers the same.
fn common_shape(body: &str) -> Option<Header> {
    let mut lines = body.lines().filter(|line| !line.trim().is_empty());
    let title = plain_atx_title(lines.next()?)?;
    let next = lines.next()?;
    let source = if let Some(quoted) = next.strip_prefix('>') {
        // A one-line quote, ended by a blank line (not by more quote or a lazy line).
        let after = line_after(body, next)?;
        if !after.trim().is_empty() {
            return None;
        }
        let content = quoted.strip_prefix(' ').unwrap_or(quoted).trim_end();
        Some(source_of_line(content)?)
    } else if next.starts_with(char::is_alphanumeric) && !next.contains(['<', '|']) {
        // A one-line paragraph (or list item) follows the title: no source line. (With more
        // lines it could be a setext heading, after which a source quote may still come.)
        let after = line_after(body, next)?;
        if !after.trim().is_empty() {
            return None;
        }
        None
    } else {
        return None;
    };
    Some(Header {
        first_heading: Some(title.clone()),
        h1: Some(title),
        source,
        meta: Metadata::default(),
        settled: true,
    })
}

/// The line that follows `line`, a line of `text` (one `str::lines` gave), if any.
fn line_after<'a>(text: &'a str, line: &str) -> Option<&'a str> {
    let end = line.as_ptr() as usize - text.as_ptr() as usize + line.len();
    // From the end of `line`, `lines` first gives what is left of it (its line ending).
    text[end..].lines().nth(1)
}

/// The text of an ATX level-1 heading line in plain text (`# 标题 ##` gives `标题`).
fn plain_atx_title(line: &str) -> Option<String> {
    let raw = line.strip_prefix("# ")?.trim_end();
    // A closing run of `#`s goes when a space stands before it.
    let without_close = raw.trim_end_matches('#');
    let content = if without_close.len() < raw.len() {
        if without_close.trim().is_empty() {
            // Nothing but a closing run (`# ##`): an empty heading.
            return None;
        } else if !without_close.ends_with([' ', '\t']) {
            raw
        } else {
            without_close.trim_end()
        }
    } else {
        raw
    };
    let content = content.trim();
    let plain = !content.is_empty() && !has_any(content, &MARKUP) && !content.contains('\t');
    plain.then(|| content.to_string())
}

/// The source URL of a one-line quote's text, in its usual forms: `原文：[text](url)`,
/// `来源：<url>`, `原文: https://…`, or a lone `[text](url)`. `None` where the parser must
/// decide.
fn source_of_line(content: &str) -> Option<String> {
    let (labelled, rest) = match after_source_label(content) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, content),
    };
    let plain_url = |url: &str| url.starts_with("http") && !has_any(url, &NOT_IN_PLAIN_URL);
    if let Some(link) = rest.strip_prefix('[') {
        let (text, url) = link.split_once("](")?;
        let url = url.strip_suffix(')')?;
        let text_ok = !has_any(text, &NOT_IN_LINK_TEXT)
            && text.bytes().filter(|&b| b == b'`').count() % 2 == 0;
        return (text_ok && plain_url(url)).then(|| url.to_string());
    }
    if !labelled {
        return None;
    }
    if let Some(url) = rest.strip_prefix('<') {
        let url = url.strip_suffix('>')?;
        return plain_url(url).then(|| url.to_string());
    }
    let url = bare_url(rest)?;
    (rest.starts_with(url) && !has_any(rest, &MARKUP)).then(|| url.to_string())
}

/// A set of ASCII bytes, for asking whether a text holds any of them with one table lookup per
/// byte, where a `char` pattern decodes every character and tries each of the set against it
/// (every head's title and long source URL is asked this).
struct ByteSet([bool; 256]);

impl ByteSet {
    const fn of(bytes: &[u8]) -> ByteSet {
        let mut table = [false; 256];
        let mut i = 0;
        while i < bytes.len() {
            table[bytes[i] as usize] = true;
            i += 1;
        }
        ByteSet(table)
    }
}

/// Whether `text` holds any byte of `set`.
fn has_any(text: &str, set: &ByteSet) -> bool {
    text.bytes().any(|byte| set.0[usize::from(byte)])
}

/// What a plain URL in a link's target never holds: in a target only backslash escapes and
/// entities (`&amp;`, which need a `;`) are read, and emphasis marks are literal there.
const NOT_IN_PLAIN_URL: ByteSet = ByteSet::of(b" \t()\"';\\<>`");

/// What a link's text must not hold for the quick reading of a source line.
const NOT_IN_LINK_TEXT: ByteSet = ByteSet::of(b"[]\\<&");

/// The first `http://` or `https://` URL in `text`.
fn bare_url(text: &str) -> Option<&str> {
    let start = text.find("https://").or_else(|| text.find("http://"))?;
    let rest = &text[start..];
    // A URL is ASCII: it ends at white space, the first non-ASCII character (`（请…`) or `<>"`.
    let end = rest
        .find(|c: char| !c.is_ascii_graphic() || matches!(c, '>' | '<' | '"'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(text: &str) -> Header {
        parse_header(text, true)
    }

    #[test]
    fn plain_shape_with_code_span_link_source() {
        let h = full(
            "# 微信暂停新用户注册，官方紧急回应！\n\n> 原文：[`mp.weixin.qq.com/s?a=1`](http://mp.weixin.qq.com/s?a=1)\n\n近日……\n",
        );
        assert_eq!(h.title("x"), "微信暂停新用户注册，官方紧急回应！");
        assert_eq!(h.source.as_deref(), Some("http://mp.weixin.qq.com/s?a=1"));
        assert!(h.settled);
    }

    #[test]
    fn autolink_and_bare_url_sources() {
        let h = full("# T\n\n> 原文：<https://octopus.com/blog/x>\n\nbody\n");
        assert_eq!(h.source.as_deref(), Some("https://octopus.com/blog/x"));
        let h = full("# T\n\n> 原文: https://example.org/a?b=1 \n");
        assert_eq!(h.source.as_deref(), Some("https://example.org/a?b=1"));
        let h = full("# T\n\n> Source: [`a.org/x`](https://a.org/x)\n");
        assert_eq!(h.source.as_deref(), Some("https://a.org/x"));
    }

    #[test]
    fn lone_link_quote_and_listed_source() {
        let h = full("# T\n\n> [原文链接](https://tds.com/x)\n\ntext");
        assert_eq!(h.source.as_deref(), Some("https://tds.com/x"));
        let h = full("# T\n\n> -   来源：[https://a.net/1](https://a.net/1)\n\ntext");
        assert_eq!(h.source.as_deref(), Some("https://a.net/1"));
    }

    #[test]
    fn a_quote_after_body_text_is_not_a_source() {
        let h = full("# T\n\nfirst paragraph\n\n> [a](https://a.org)\n");
        assert_eq!(h.source, None);
        let h = full("# T\n\n> just a quote with [a](https://a.org) inside\n");
        assert_eq!(h.source, None);
    }

    #[test]
    fn yml_block_opened_with_a_space_before_yml() {
        let h = full("<!-- yml\n\n日期：2024 年 5 月 27 日 14:41:18\n\n-->\n\n# 标题\n");
        assert_eq!(h.title("x"), "标题");
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-27T14:41:18"));
    }

    #[test]
    fn yml_block_with_chinese_keys() {
        let h = full(
            "<!--yml\n\n类别：未分类\n\n日期：2024 年 05 月 27 日 14:54:03\n\n-->\n\n# 标题\n\n> 来源：[`a.com/b`](https://a.com/b)\n",
        );
        assert_eq!(h.title("x"), "标题");
        assert_eq!(h.meta.category.as_deref(), Some("未分类"));
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-27T14:54:03"));
        assert_eq!(h.source.as_deref(), Some("https://a.com/b"));
    }

    #[test]
    fn yml_block_with_list_markers_and_bare_values() {
        let h = full(
            "<!--yml\n\n-   category: 未分类\n\n-   date: 2024-05-27 12:51:46\n\n-->\n\n# T\n",
        );
        assert_eq!(h.meta.category.as_deref(), Some("未分类"));
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-27T12:51:46"));
        let h = full("<!--yml\n未分类\n2024-05-27 14:59:45\n-->\n# T\n");
        assert_eq!(h.meta.category.as_deref(), Some("未分类"));
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-27T14:59:45"));
    }

    #[test]
    fn mistyped_blocks_from_real_archives() {
        let h = full(
            "<!--yml\n\n类别：未分类。\n\n日期：2024 年 5 月 27 日，15:13:51。\n\n-->\n\n# T\n",
        );
        assert_eq!(h.meta.category.as_deref(), Some("未分类"));
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-27T15:13:51"));
        let h = full("<!--yml\n\ndate   日期：2024 年 5 月 27 日 14:59:10\n\n<!--\n\n# T\n");
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-27T14:59:10"));
        assert_eq!(h.title("f"), "T");
        let h = full("\\<!--yml\n\n日期：`2024年05月29日13:22:52`\n\n\\-->\n\n# T\n");
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-29T13:22:52"));
        let h = full(
            "<!--yml\n\n分类：未分类\n\n他们这样做是为了能够提供更好的算法推荐。\n\n-->\n# T\n",
        );
        assert_eq!(h.meta.category.as_deref(), Some("未分类"));
    }

    #[test]
    fn metadata_lines_wrapped_by_translation_tools() {
        for head in [
            "-   <!--yml\n\n-   日期：2024-05-29 12:39:29\n\n-   -->\n\n# T\n",
            "`<!--yml`\n\n`date: 2024-05-29 12:39:29`\n\n`-->`\n\n# T\n",
            "\"<!--yml\"\n\n\"日期：2024-05-29 12:39:29\"\n\n\"-->\"\n\n# T\n",
            "<!--yml。\n\n日期：2024年5月29日 12时39分29秒。\n\n-->\n\n# T\n",
            "<!--yml\n\n日期：2024年05月29日 12点39分29秒\n\n-->\n\n# T\n",
            "`<!--yml\n\ndate: 2024-05-29 12:39:29\n\n-->`\n\n# T\n",
            "<!--yml\n\ndate: 2024-05-29 12:39:29\n\n实验\n\n# T\n\n> 来源：<https://a.b>\n",
        ] {
            let h = full(head);
            assert_eq!(
                h.meta.date.as_deref(),
                Some("2024-05-29T12:39:29"),
                "{head}"
            );
            assert_eq!(h.title("f"), "T", "{head}");
        }
    }

    #[test]
    fn front_matter_title_stands_in_for_a_missing_h1() {
        let h = full(
            "---\ntitle: \"前言\"\ndate: 2024年5月27日14:54:03\ntags: [rust, 排版]\ncategory: 技术\n---\n\n## 第二级\n",
        );
        assert_eq!(h.title("x"), "前言");
        assert_eq!(h.meta.date.as_deref(), Some("2024-05-27T14:54:03"));
        assert_eq!(h.meta.tags, vec!["rust", "排版"]);
        assert_eq!(h.meta.category.as_deref(), Some("技术"));
        let h = full("---\ntags:\n  - a\n  - b\n---\n# T\n");
        assert_eq!(h.meta.tags, vec!["a", "b"]);
    }

    #[test]
    fn title_fallbacks_in_order() {
        assert_eq!(full("## 二级\n\n# 一级\n").title("f"), "一级");
        assert_eq!(full("text\n\n### 三级\n").title("f"), "三级");
        assert_eq!(full("no heading at all\n").title("file-name"), "file-name");
        assert_eq!(full("#\n\n# 真标题\n").title("f"), "真标题");
    }

    #[test]
    fn setext_trailing_hashes_bom_crlf_and_blank_lines() {
        assert_eq!(full("标题\n===\n\n正文\n").title("f"), "标题");
        assert_eq!(full("# 标题 ##\n").title("f"), "标题");
        assert_eq!(
            full("\u{FEFF}\r\n\r\n# 标题\r\n\r\n> 原文：<https://a.b/c>\r\n").source,
            Some("https://a.b/c".into())
        );
        assert_eq!(full("\u{FEFF}\r\n\r\n# 标题\r\n").title("f"), "标题");
    }

    #[test]
    fn inline_markup_in_titles_is_plain_text() {
        assert_eq!(
            full("# 用 **Rust** 写 `grep`：[入门](https://e.org) <b>x</b>\n").title("f"),
            "用 Rust 写 grep：入门 x"
        );
    }

    #[test]
    fn a_heading_inside_code_is_not_a_title() {
        assert_eq!(
            full("```\n# not a title\n```\n\n# 标题\n").title("f"),
            "标题"
        );
    }

    #[test]
    fn a_prefix_is_unsettled_until_the_title_and_source_are_seen() {
        let text = "<!--yml\n日期：2024-05-27 14:27:37\n-->\n\n# 标题\n\n> 来源：<https://a.b/c>\n\n正文\n";
        let cut = parse_header(&text[..text.find("> ").unwrap()], false);
        assert!(!cut.settled);
        let cut_mid_title = parse_header(&text[..text.find("题").unwrap()], false);
        assert_eq!(cut_mid_title.h1, None);
        assert!(!cut_mid_title.settled);
        let whole = parse_header(text, false);
        assert!(whole.settled);
        assert_eq!(whole.source.as_deref(), Some("https://a.b/c"));
    }

    /// Heads built from the pieces real articles are made of, with markup sprinkled in.
    fn head_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let title = "[a-zA-Z0-9 中文标题：，#*_`\\[\\]<>&!~.-]{0,24}";
        let url = "https?://[a-z.]{1,8}/[a-zA-Z0-9/?=&;_()%.\\-]{0,16}";
        let label = prop::sample::select(vec![
            "原文：",
            "原文: ",
            "来源：",
            "Source: ",
            "",
            "原文链接：",
        ]);
        let quote = (label, url, 0..5usize).prop_map(|(label, url, shape)| match shape {
            0 => format!("> {label}[`{url}`]({url})"),
            1 => format!("> {label}<{url}>"),
            2 => format!("> {label}{url}"),
            3 => format!("> {label}[链接]({url})\n> 第二行"),
            _ => format!(">{label}[x]({url}) 尾巴"),
        });
        let after = prop::sample::select(vec![
            "",
            "\n\n正文第一段。\n",
            "\n\n正文\n===\n\n> 原文：<https://late.org>\n",
            "\n\n<div>html</div>\n\n> [a](https://b.org)\n",
            "\n\n1. 列表\n",
            "\n正文紧跟\n",
        ]);
        let closing = prop::sample::select(vec!["", " #", " ##", "#"]);
        let blanks = prop::sample::select(vec!["", "\n", "\r\n\r\n"]);
        (blanks, title, closing, proptest::option::of(quote), after).prop_map(
            |(blanks, title, closing, quote, after)| {
                let quote = quote.map(|q| format!("\n\n{q}")).unwrap_or_default();
                format!("{blanks}# {title}{closing}{quote}{after}")
            },
        )
    }

    proptest::proptest! {
        #[test]
        fn the_common_shape_reads_as_the_parser_does(head in head_strategy()) {
            if let Some(fast) = common_shape(&head) {
                proptest::prop_assert_eq!(fast, scan_blocks(&head), "{:?}", head);
            }
        }
    }

    #[test]
    fn the_common_shape_answers_for_the_usual_heads() {
        for head in [
            "# 标题\n\n> 原文：[`a.com/b`](https://a.com/b)\n\n正文\n",
            "# 标题 ##\n\n> 来源：<https://a.com/b?x=1&y=2>\n\n正文\n",
            "\n# Title\n\n> 原文: https://a.com/b\n\n",
            "# 标题\n\n正文第一段。\n\n",
        ] {
            assert!(common_shape(head).is_some(), "{head}");
        }
        assert!(common_shape("# 用 **Rust**\n\n正文\n\n").is_none());
    }
}
