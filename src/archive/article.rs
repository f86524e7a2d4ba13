//! What the index holds of one article: everything but its body.
//!
//! Its path comes in two forms: exact, to open the file, and `/`-separated text, to show, sort
//! and match it.

use std::cell::RefCell;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeStruct;

/// One article of the archive as the index holds it: everything but the body, in one
/// allocation (a million articles are held at once), shared by its clones (the interface's
/// list and its workers hold the same articles).
///
/// The fields are read through accessors ([`Article::title`], [`Article::path`]…) and built
/// from [`Fields`] ([`Article::new`]). They are kept as one string: a header of lengths, then
/// the path, the title, the source, the date, the category and the tags, one after another.
/// The header is ASCII (each length in six-bit groups, low first, `0x40` set on all groups but
/// the last), so the whole stays a `str` and every field is a slice of it. Its first length is
/// the rest of the header's, so the fields start where it says; an absent optional field is
/// `0`, a present one its length plus one. A path that is not UTF-8 (rare) also keeps its
/// exact form, beside the string.
#[derive(Clone, PartialEq, Eq)]
pub struct Article(Kept);

#[derive(Clone, PartialEq, Eq)]
enum Kept {
    /// The path is exact as text.
    Exact(Arc<str>),
    /// The path lost bytes as text: its exact form beside the fields.
    Lossy(Arc<(Arc<str>, PathBuf)>),
}

thread_local! {
    /// Where an article's text is put together before it is shared.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// File names that are the archive's own pages at every level, never articles.
const ARCHIVE_PAGES: [&str; 3] = ["README.md", "SUMMARY.md", "NAV.md"];

/// Whether a file name is an article's: `.md`, `.markdown` (any case), not an archive page.
pub fn is_article_name(name: &std::ffi::OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    let lower = bytes.to_ascii_lowercase();
    let markdown = lower.ends_with(b".md") || lower.ends_with(b".markdown");
    markdown && !ARCHIVE_PAGES.iter().any(|page| bytes == page.as_bytes())
}

/// An article's fields, borrowed: what [`Article::new`] is built from and
/// [`Article::fields`] gives back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields<'a> {
    /// Path relative to the archive's root, `/`-separated (lossy where the name is not UTF-8).
    pub path: &'a str,
    /// The title as users see it: plain text, never empty.
    pub title: &'a str,
    /// The original article's URL, from the source line.
    pub source: Option<&'a str>,
    /// ISO 8601 date (`2024-05-27T14:54:03`), from the metadata block.
    pub date: Option<&'a str>,
    /// The category from the metadata block (`未分类`).
    pub category: Option<&'a str>,
    /// Tags from the metadata block.
    pub tags: Vec<&'a str>,
    /// The exact relative path where `path` lost bytes (the file name is not UTF-8); `None`
    /// when `path` is exact.
    pub raw_path: Option<&'a Path>,
}

impl Article {
    /// The article made of `fields`.
    pub fn new(fields: Fields<'_>) -> Article {
        let optional = |field: Option<&str>| field.map_or(0, |text| text.len() + 1);
        let lengths = || {
            [fields.path.len(), fields.title.len()]
                .into_iter()
                .chain([fields.source, fields.date, fields.category].map(optional))
                .chain([fields.tags.len()])
                .chain(fields.tags.iter().map(|tag| tag.len()))
        };
        let header: usize = lengths().map(length_size).sum();
        let texts = [fields.path, fields.title]
            .into_iter()
            .chain(
                [fields.source, fields.date, fields.category]
                    .into_iter()
                    .flatten(),
            )
            .chain(fields.tags.iter().copied());
        let text: Arc<str> = SCRATCH.with_borrow_mut(|text| {
            text.clear();
            put_length(text, header);
            lengths().for_each(|n| put_length(text, n));
            texts.for_each(|field| text.push_str(field));
            Arc::from(text.as_str())
        });
        Article(match fields.raw_path {
            None => Kept::Exact(text),
            Some(raw) => Kept::Lossy(Arc::new((text, raw.to_path_buf()))),
        })
    }

    /// Every field, borrowed (to build a changed copy: `Article::new(Fields { date,
    /// ..article.fields() })`).
    pub fn fields(&self) -> Fields<'_> {
        let mut at = self.layout();
        let path = at.next_text();
        let title = at.next_text();
        let lengths = [(); 3].map(|()| at.length().checked_sub(1));
        let [source, date, category] = lengths.map(|n| n.map(|n| at.text(n)));
        let tags = (0..at.length()).map(|_| at.next_text()).collect();
        Fields {
            path,
            title,
            source,
            date,
            category,
            tags,
            raw_path: self.raw_path(),
        }
    }

    /// Path relative to the archive's root, `/`-separated (lossy where the name is not UTF-8:
    /// see [`Article::path_lossy`]).
    pub fn path(&self) -> &str {
        self.layout().next_text()
    }

    /// The title as users see it: plain text, never empty.
    pub fn title(&self) -> &str {
        let mut at = self.layout();
        let path = at.length();
        at.skip_text(path);
        at.next_text()
    }

    /// The original article's URL, from the source line.
    pub fn source(&self) -> Option<&str> {
        self.optional(0)
    }

    /// ISO 8601 date (`2024-05-27T14:54:03`), from the metadata block.
    pub fn date(&self) -> Option<&str> {
        self.optional(1)
    }

    /// The category from the metadata block (`未分类`).
    pub fn category(&self) -> Option<&str> {
        self.optional(2)
    }

    /// Tags from the metadata block.
    pub fn tags(&self) -> Vec<&str> {
        self.fields().tags
    }

    /// True when the file name is not valid UTF-8 and [`Article::path`] is only its display
    /// form.
    pub fn path_lossy(&self) -> bool {
        matches!(self.0, Kept::Lossy(_))
    }

    /// The article's path relative to the archive's root, exact even where it is not UTF-8.
    pub fn relative_path(&self) -> &Path {
        self.raw_path().unwrap_or_else(|| Path::new(self.path()))
    }

    /// The exact relative path where [`Article::path`] lost bytes; `None` when it is exact.
    fn raw_path(&self) -> Option<&Path> {
        match &self.0 {
            Kept::Exact(_) => None,
            Kept::Lossy(lossy) => Some(&lossy.1),
        }
    }

    /// The optional field `n` (source, date, category).
    fn optional(&self, n: usize) -> Option<&str> {
        let mut at = self.layout();
        let before = at.length() + at.length();
        let mut skipped = before;
        for _ in 0..n {
            skipped += at.length().saturating_sub(1);
        }
        let length = at.length().checked_sub(1)?;
        at.skip_text(skipped);
        Some(at.text(length))
    }

    fn layout(&self) -> Layout<'_> {
        let text = match &self.0 {
            Kept::Exact(text) => text,
            Kept::Lossy(lossy) => &lossy.0,
        };
        let mut layout = Layout {
            text,
            header: 0,
            field: 0,
        };
        let header = layout.length();
        layout.field = layout.header + header;
        layout
    }
}

/// Appends `n` to a header: six bits a byte, low first, `0x40` on all but the last byte.
fn put_length(header: &mut String, mut n: usize) {
    while n >= 0x40 {
        header.push(char::from((n & 0x3F) as u8 | 0x40));
        n >>= 6;
    }
    header.push(char::from(n as u8));
}

/// How many bytes [`put_length`] writes for `n`.
fn length_size(n: usize) -> usize {
    let bits = usize::BITS - n.leading_zeros();
    bits.div_ceil(6).max(1) as usize
}

/// Reads an [`Article`]'s string: the header's lengths in turn, and the fields in turn.
struct Layout<'a> {
    text: &'a str,
    /// The next length in the header.
    header: usize,
    /// Where the next field starts.
    field: usize,
}

impl<'a> Layout<'a> {
    fn length(&mut self) -> usize {
        let bytes = self.text.as_bytes();
        let mut n = 0;
        let mut shift = 0;
        loop {
            let byte = bytes[self.header];
            self.header += 1;
            n |= usize::from(byte & 0x3F) << shift;
            if byte & 0x40 == 0 {
                return n;
            }
            shift += 6;
        }
    }

    fn skip_text(&mut self, n: usize) {
        self.field += n;
    }

    /// The next field, of the next length in the header.
    fn next_text(&mut self) -> &'a str {
        let n = self.length();
        self.text(n)
    }

    fn text(&mut self, n: usize) -> &'a str {
        let text = &self.text[self.field..self.field + n];
        self.field += n;
        text
    }
}

impl fmt::Debug for Article {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields = self.fields();
        f.debug_struct("Article")
            .field("path", &fields.path)
            .field("title", &fields.title)
            .field("source", &fields.source)
            .field("date", &fields.date)
            .field("category", &fields.category)
            .field("tags", &fields.tags)
            .field("raw_path", &fields.raw_path)
            .finish()
    }
}

/// As JSON (`list --json`): `path`, `title`, `source` (null when there is none), then `date`,
/// `category`, `tags`, `path_lossy` and `path_bytes` where they say something. `path_bytes`
/// is the exact relative path as an array of its bytes where `path` lost some, so that scripts
/// can open the file.
impl Serialize for Article {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = self.fields();
        let mut out = serializer.serialize_struct("Article", 8)?;
        out.serialize_field("path", fields.path)?;
        out.serialize_field("title", fields.title)?;
        out.serialize_field("source", &fields.source)?;
        match fields.date {
            Some(date) => out.serialize_field("date", date)?,
            None => out.skip_field("date")?,
        }
        match fields.category {
            Some(category) => out.serialize_field("category", category)?,
            None => out.skip_field("category")?,
        }
        if fields.tags.is_empty() {
            out.skip_field("tags")?;
        } else {
            out.serialize_field("tags", &fields.tags)?;
        }
        match fields.raw_path {
            Some(raw) => {
                out.serialize_field("path_lossy", &true)?;
                out.serialize_field("path_bytes", &PathBytes(raw))?;
            }
            None => {
                out.skip_field("path_lossy")?;
                out.skip_field("path_bytes")?;
            }
        }
        out.end()
    }
}

/// A path as the array of its bytes (Unix file names are bytes).
struct PathBytes<'a>(&'a Path);

impl Serialize for PathBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.as_os_str().as_encoded_bytes())
    }
}

/// `/`-separated display form of a relative path, and whether it lost bytes (not UTF-8).
pub fn display_path(relative: &Path) -> (String, bool) {
    let (shown, lossy) = display_form(relative);
    (shown.into_owned(), lossy)
}

/// [`display_path`], borrowed where the path is its display form already.
pub fn display_form(relative: &Path) -> (std::borrow::Cow<'_, str>, bool) {
    // Nearly every path the walk gives is its display form already: UTF-8, relative, with
    // single slashes and no `.` component.
    if let Some(text) = relative.to_str()
        && !text.starts_with(['/', '.'])
        && !text.ends_with('/')
        && !text.contains("//")
        && !text.contains("/.")
    {
        return (text.into(), false);
    }
    let mut shown = String::new();
    let mut lossy = false;
    for component in relative.components() {
        if let Component::Normal(part) = component {
            if !shown.is_empty() {
                shown.push('/');
            }
            match part.to_str() {
                Some(text) => shown.push_str(text),
                None => {
                    lossy = true;
                    shown.push_str(&part.to_string_lossy());
                }
            }
        }
    }
    (shown.into(), lossy)
}

impl Article {
    /// The original title, as translated archives keep it: the file name's words and, where
    /// it says something else, the source URL's last path segment's (`None` when neither has
    /// a Latin letter or they say what the title says). Derived on demand, never stored: the index
    /// holds only what it already had.
    pub fn original_title(&self) -> Option<String> {
        original_title(self.path(), self.source(), self.title())
    }
}

/// [`Article::original_title`] from a `/`-separated path, a source URL and the title.
pub fn original_title(path: &str, source: Option<&str>, title: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| if stem.is_empty() { name } else { stem });
    let from_name = words(stem);
    let from_source = source.and_then(last_segment).map(words);
    let mut original = String::new();
    for part in [Some(from_name), from_source].into_iter().flatten() {
        if part.chars().any(|c| c.is_ascii_alphabetic())
            && !comparable(&original).contains(&comparable(&part))
        {
            if !original.is_empty() {
                original.push_str(" · ");
            }
            original.push_str(&part);
        }
    }
    (!original.is_empty() && comparable(&original) != comparable(title)).then_some(original)
}

/// The last path segment of a URL that may name its page: not `amp`, `index.html` and the
/// like, without query, fragment or a page extension.
fn last_segment(url: &str) -> Option<&str> {
    let url = url.split(['#', '?']).next().unwrap_or(url);
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (_, path) = path.split_once('/')?;
    path.split('/')
        .rev()
        .filter(|s| !s.is_empty())
        .map(|s| {
            [".html", ".htm", ".php", ".aspx", ".asp", ".shtml"]
                .iter()
                .find_map(|ext| s.strip_suffix(ext))
                .unwrap_or(s)
        })
        .find(|s| !matches!(*s, "amp" | "index" | "default" | "story" | "article"))
}

/// A file name or URL segment as words: `-`, `_`, `+` and `%20` are separators, runs of them
/// one space.
fn words(text: &str) -> String {
    text.replace("%20", " ")
        .split(|c: char| matches!(c, '-' | '_' | '+') || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text reduced to its lower-cased letters and digits, to tell whether two forms say the same.
fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_comes_back_as_it_was_given() {
        let long = "长".repeat(5000);
        let raw = {
            use std::os::unix::ffi::OsStrExt;
            std::ffi::OsStr::from_bytes(b"docs/\xff.md")
        };
        let cases = [
            Fields::default(),
            Fields {
                path: "docs/a.md",
                title: "甲",
                source: Some(""),
                date: None,
                category: Some("未分类"),
                tags: vec!["", "a", &long],
                raw_path: None,
            },
            Fields {
                path: "docs/\u{fffd}.md",
                title: &long,
                source: None,
                date: Some("2024-05-27T14:54:03"),
                category: Some(""),
                tags: Vec::new(),
                raw_path: Some(Path::new(raw)),
            },
        ];
        for fields in cases {
            let article = Article::new(fields.clone());
            assert_eq!(article.fields(), fields);
            assert_eq!(article.path(), fields.path);
            assert_eq!(article.title(), fields.title);
            assert_eq!(article.source(), fields.source);
            assert_eq!(article.date(), fields.date);
            assert_eq!(article.category(), fields.category);
            assert_eq!(article.tags(), fields.tags);
            assert_eq!(article.path_lossy(), fields.raw_path.is_some());
            let exact = fields.raw_path.unwrap_or(Path::new(fields.path));
            assert_eq!(article.relative_path(), exact);
        }
        assert_eq!(std::mem::size_of::<Article>(), 16);
    }

    #[test]
    fn a_header_longer_than_one_length_byte_reads_back() {
        // 70 tags: a header of over 64 bytes, whose own length takes two bytes.
        let tags: Vec<String> = (0..70).map(|i| format!("t{i}")).collect();
        let fields = Fields {
            path: "a.md",
            title: "甲",
            tags: tags.iter().map(String::as_str).collect(),
            ..Fields::default()
        };
        assert_eq!(Article::new(fields.clone()).fields(), fields);
    }

    #[test]
    fn length_size_is_what_put_length_writes() {
        for n in [0, 1, 63, 64, 65, 4095, 4096, 262_143, 262_144, usize::MAX] {
            let mut header = String::new();
            put_length(&mut header, n);
            assert_eq!(length_size(n), header.len(), "{n}");
        }
    }

    #[test]
    fn original_titles_come_from_the_file_name_and_the_source() {
        assert_eq!(
            original_title(
                "docs/2402/Meta-Has-Sold-Nearly-20M-Quest-Headsets--Retention-Struggles-Remain.md",
                Some("https://www.roadtovr.com/quest-sales-20-million-retention-struggles/amp/"),
                "Meta 出售了近 2000 万个 Quest 头戴设备，但保留率问题仍然存在",
            )
            .as_deref(),
            Some(
                "Meta Has Sold Nearly 20M Quest Headsets Retention Struggles Remain · \
                 quest sales 20 million retention struggles"
            )
        );
        // A numbered file: the URL's last segment alone.
        assert_eq!(
            original_title(
                "docs/1-330.md",
                Some("https://towardsdatascience.com/the-programming-skills-you-need-for-todays-data-roles/"),
                "你需要为今天的数据角色掌握的编程技能",
            )
            .as_deref(),
            Some("the programming skills you need for todays data roles")
        );
        // The same words as the title, or as the file name: nothing more to match.
        assert_eq!(
            original_title("docs/Matt-Karas-Blog.md", None, "Matt Kara's Blog"),
            None
        );
        assert_eq!(
            original_title(
                "docs/rfc-version-control.md",
                Some("https://octopus.com/blog/rfc-version-control"),
                "RFC：版本控制"
            )
            .as_deref(),
            Some("rfc version control")
        );
        assert_eq!(original_title("docs/茶 与 水.md", None, "茶与水"), None);
        assert_eq!(
            original_title("docs/2.md", Some("https://x.org/"), "二"),
            None
        );
    }
}
