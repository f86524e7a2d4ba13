//! The SUMMARY.md files: the archive's own order of its articles.
//!
//! Each summary's links are read where the walk finds it, then followed from the root's
//! summary, through links to folders, into the summaries below.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::path::Path;

use crate::archive::article::{Article, display_path};
use crate::archive::order::{path_order, sort_by_path};

/// A SUMMARY.md, read on the walker thread that found it: where it is, and the articles and
/// folders its links point to.
#[derive(Debug)]
pub struct Summary {
    /// Its path relative to the root, `/`-separated (`2024/01/SUMMARY.md`).
    path: String,
    /// Its folder, the same way (`2024/01`; empty at the root).
    folder: String,
    /// Its link targets in document order, relative to the root and normalized (`2024/01/x.md`).
    links: Links,
}

/// The link targets of a SUMMARY.md, relative to the root, one after another in one string:
/// each percent-decoded (`茶%20与%20水.md` → `茶 与 水.md`), as links are meant, then as
/// written where that differs (real archives have files whose names hold a literal `%`,
/// `release-notes-%e2%9c%93-done.md`, linked by their names as they are). A string per target
/// took twice the room, 67 MB for the million links of the 1M archive.
#[derive(Debug, Clone, Default)]
struct Links {
    text: String,
    /// Where each link's decoded target ends in `text`, and its target as written (which
    /// follows it) where there is one.
    ends: Vec<(u32, Option<u32>)>,
}

impl Links {
    /// Adds a link; one past 4 GiB of targets is left out.
    fn push(&mut self, decoded: &str, as_written: Option<&str>) {
        let decoded_end = self.text.len() + decoded.len();
        let end = decoded_end + as_written.map_or(0, str::len);
        let (Ok(decoded_end), Ok(end)) = (u32::try_from(decoded_end), u32::try_from(end)) else {
            return;
        };
        self.text.push_str(decoded);
        self.text.push_str(as_written.unwrap_or(""));
        self.ends.push((decoded_end, as_written.map(|_| end)));
    }

    /// Link `index`: its target decoded, and as written where that differs.
    fn get(&self, index: usize) -> Option<(&str, Option<&str>)> {
        let &(decoded_end, written_end) = self.ends.get(index)?;
        let start = match index.checked_sub(1).map(|before| self.ends[before]) {
            Some((decoded, written)) => written.unwrap_or(decoded) as usize,
            None => 0,
        };
        let decoded = &self.text[start..decoded_end as usize];
        let written = written_end.map(|end| &self.text[decoded_end as usize..end as usize]);
        Some((decoded, written))
    }

    fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        (0..self.ends.len()).filter_map(|index| self.get(index))
    }
}

impl Summary {
    /// Reads the SUMMARY.md at `path` (`relative` to the root). One that cannot be read, or is
    /// not UTF-8, links nothing.
    pub fn read(path: &Path, relative: &Path) -> Summary {
        Summary::read_telling(path, relative).0
    }

    /// [`Summary::read`], and whether the file could be read (what it says stands while it is
    /// unchanged; a file that could not be read may become readable without changing).
    pub fn read_telling(path: &Path, relative: &Path) -> (Summary, bool) {
        let path_shown = display_path(relative).0;
        let folder = match path_shown.rfind('/') {
            Some(slash) => path_shown[..slash].to_string(),
            None => String::new(),
        };
        let bytes = std::fs::read(path);
        let readable = bytes.is_ok();
        let text = bytes.ok().and_then(|b| String::from_utf8(b).ok());
        let mut links = Links::default();
        for (decoded, written) in summary_links(text.as_deref().unwrap_or("")) {
            let as_written = (decoded != written).then(|| join_normalized(&folder, written));
            links.push(&join_normalized(&folder, &decoded), as_written.as_deref());
        }
        let summary = Summary {
            path: path_shown,
            folder,
            links,
        };
        (summary, readable)
    }

    /// Its path relative to the root (its display form: the head cache keeps only those that
    /// are exact).
    pub fn relative_path(&self) -> &Path {
        Path::new(&self.path)
    }

    /// Its links as the head cache keeps them: each target decoded, and as written where that
    /// differs.
    pub fn links(&self) -> Vec<(&str, Option<&str>)> {
        self.links.iter().collect()
    }

    /// The SUMMARY.md at `relative` with the links [`Summary::links`] gave, as the head cache
    /// kept them (already joined to its folder).
    pub fn from_links(relative: &Path, links: Vec<(&str, Option<&str>)>) -> Summary {
        let path_shown = display_path(relative).0;
        let folder = match path_shown.rfind('/') {
            Some(slash) => path_shown[..slash].to_string(),
            None => String::new(),
        };
        Summary {
            path: path_shown,
            folder,
            links: {
                let mut kept = Links::default();
                for (decoded, as_written) in links {
                    kept.push(decoded, as_written);
                }
                kept
            },
        }
    }
}

/// `folder` joined with the `/`-separated `target`, with `.` and `..` resolved without touching
/// the disk (`2024` + `../x.md` → `x.md`).
fn join_normalized(folder: &str, target: &str) -> String {
    let plain = |part: &str| !matches!(part, "" | "." | "..");
    if target.split('/').all(plain) {
        // Nearly every link: the folder and the target, as they are.
        let mut joined = String::with_capacity(folder.len() + 1 + target.len());
        if !folder.is_empty() {
            joined.push_str(folder);
            joined.push('/');
        }
        joined.push_str(target);
        return joined;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in folder.split('/').chain(target.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// Indices into `articles` in the order the SUMMARY.md files give: the root's
/// first, following links to folders' README.md into their own SUMMARY.md, then any SUMMARY.md
/// no link reached, by path. Also says whether the order depends on files the walk does not
/// see (a SUMMARY.md or a link target under a hidden folder): the head cache cannot then vouch
/// for it by the walked folders' stamps.
pub fn summary_order(
    root: &Path,
    articles: &[Article],
    summaries: &[Summary],
) -> (Vec<usize>, bool) {
    let mut summaries: Vec<&Summary> = summaries.iter().collect();
    summaries.sort_unstable_by(|a, b| path_order(&a.path, &b.path));
    let by_folder = summaries
        .iter()
        .enumerate()
        .map(|(i, summary)| (summary.folder.as_str(), i))
        .collect();
    let mut order = SummaryOrder {
        root,
        articles,
        by_path: ByPath::new(articles),
        summaries: &summaries,
        by_folder,
        placed: vec![false; articles.len()],
        visited: HashSet::new(),
        listed: Vec::new(),
        beyond_walk: false,
    };
    order.follow("");
    for summary in summaries.iter() {
        order.follow(&summary.folder);
    }
    (order.listed, order.beyond_walk)
}

/// Whether `path` (relative, `/`-separated) lies under a hidden folder, which the walk skips.
fn under_hidden_folder(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts
        .iter()
        .any(|part| part.starts_with('.') && *part != "." && *part != "..")
}

/// The articles by path: a table of their indices, hashed and compared by their articles'
/// paths, that holds no path of its own. Hashed with foldhash: faster than the default SipHash
/// on many short keys, and like it seeded anew in each process, so that file names cannot be
/// chosen in advance to collide.
struct ByPath<'a> {
    articles: &'a [Article],
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl<'a> ByPath<'a> {
    fn new(articles: &'a [Article]) -> ByPath<'a> {
        let hasher = foldhash::fast::RandomState::default();
        let mut table = hashbrown::HashTable::with_capacity(articles.len());
        let hash = |index: &u32| hasher.hash_one(articles[*index as usize].path());
        for (index, article) in articles.iter().enumerate() {
            let path = article.path();
            let index = u32::try_from(index).expect("fewer than 2^32 articles");
            let entry = table.entry(
                hasher.hash_one(path),
                |&other: &u32| articles[other as usize].path() == path,
                hash,
            );
            // Of two articles with one display path (names that are not UTF-8), the last.
            match entry {
                hashbrown::hash_table::Entry::Occupied(mut kept) => *kept.get_mut() = index,
                hashbrown::hash_table::Entry::Vacant(vacant) => {
                    vacant.insert(index);
                }
            }
        }
        ByPath {
            articles,
            table,
            hasher,
        }
    }

    /// The index of the article at `path`.
    fn get(&self, path: &str) -> Option<usize> {
        self.table
            .find(self.hasher.hash_one(path), |&index| {
                self.articles[index as usize].path() == path
            })
            .map(|&index| index as usize)
    }
}

struct SummaryOrder<'a> {
    root: &'a Path,
    articles: &'a [Article],
    by_path: ByPath<'a>,
    summaries: &'a [&'a Summary],
    by_folder: HashMap<&'a str, usize>,
    placed: Vec<bool>,
    visited: HashSet<String>,
    listed: Vec<usize>,
    /// A file the walk does not see was looked at (see [`summary_order`]).
    beyond_walk: bool,
}

/// The links of one SUMMARY.md being followed, and how many of them are placed.
struct Frame<'a> {
    links: Cow<'a, Links>,
    next: usize,
}

impl<'a> SummaryOrder<'a> {
    /// Places the articles the SUMMARY.md of `folder` links, in its order, following links to
    /// folders into their own SUMMARY.md first (each file once).
    ///
    /// Depth-first with a stack of its own, not by recursion: the archive decides how long a
    /// chain of summaries linking summaries is, and a thread's stack is not that deep.
    fn follow(&mut self, folder: &str) {
        let mut stack: Vec<Frame<'a>> = Vec::new();
        if let Some(frame) = self.enter(folder) {
            stack.push(frame);
        }
        while let Some(frame) = stack.last_mut() {
            let Some((decoded, as_written)) = frame.links.get(frame.next) else {
                stack.pop();
                continue;
            };
            let (decoded, as_written) = (decoded.to_string(), as_written.map(str::to_string));
            frame.next += 1;
            if let Some(folder) = self.place(&decoded, as_written.as_deref())
                && let Some(frame) = self.enter(&folder)
            {
                stack.push(frame);
            }
        }
    }

    /// Notes that the order depends on whether `path` exists: beyond the walk when it lies
    /// under a hidden folder (a walked folder's stamp changes when a name in it does).
    fn look_at(&mut self, path: &str) {
        self.beyond_walk |= under_hidden_folder(path);
    }

    /// The links of `folder`'s SUMMARY.md, unless it was followed already or there is none.
    fn enter(&mut self, folder: &str) -> Option<Frame<'a>> {
        if !self.visited.insert(folder.to_string()) {
            return None;
        }
        let links = match self.by_folder.get(folder) {
            Some(&index) => Cow::Borrowed(&self.summaries[index].links),
            None => {
                // Not found by the walk (under a hidden folder, say), yet linked: read it now.
                let path = self.root.join(folder).join("SUMMARY.md");
                self.look_at(&format!("{folder}/SUMMARY.md"));
                if !path.is_file() {
                    return None;
                }
                // There, but not walked: the walked folders' stamps cannot vouch for it.
                self.beyond_walk = true;
                let read = Summary::read(&path, &Path::new(folder).join("SUMMARY.md"));
                Cow::Owned(read.links)
            }
        };
        Some(Frame { links, next: 0 })
    }

    /// Places what `link` points to: an article, or the articles of a folder without a
    /// SUMMARY.md. A folder with one is returned, to be followed.
    fn place(&mut self, decoded: &str, as_written: Option<&str>) -> Option<String> {
        let targets = std::iter::once(decoded).chain(as_written);
        // The link as meant, else as written (a name with a literal `%`).
        let target = targets
            .clone()
            .find(|target| {
                self.by_path.get(target).is_some() || {
                    self.look_at(target);
                    self.root.join(target).exists()
                }
            })
            .unwrap_or(decoded);
        if let Some(index) = self.by_path.get(target) {
            if !self.placed[index] {
                self.placed[index] = true;
                self.listed.push(index);
            }
            return None;
        }
        let folder = match target.strip_suffix("README.md") {
            Some(rest) if rest.is_empty() || rest.ends_with('/') => rest.trim_end_matches('/'),
            _ if self.root.join(target).is_dir() => target,
            _ => return None,
        };
        self.look_at(&format!("{folder}/SUMMARY.md"));
        if self.by_folder.contains_key(folder)
            || self.root.join(folder).join("SUMMARY.md").is_file()
        {
            return Some(folder.to_string());
        }
        // A folder without its own SUMMARY.md: its articles by path.
        let mut inside: Vec<usize> = (0..self.articles.len())
            .filter(|&i| !self.placed[i] && is_inside(self.articles[i].path(), folder))
            .collect();
        sort_by_path(&mut inside, self.articles);
        for index in inside {
            self.placed[index] = true;
            self.listed.push(index);
        }
        None
    }
}

/// Whether the `/`-separated `path` lies under `folder` (everything lies under the root, `""`).
fn is_inside(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Link targets of a SUMMARY.md in document order, without `#…` or `?…`: each percent-decoded,
/// and as written.
///
/// Read line by line, the target being the last `](…)` of the line: titles in real archives
/// hold links of their own (`[[书名](https://…) [书籍]](book.md)`), which a CommonMark reader
/// would not take as one link.
fn summary_links(text: &str) -> Vec<(Cow<'_, str>, &str)> {
    text.lines()
        .filter_map(|line| {
            let start = line.as_bytes().windows(2).rposition(|pair| pair == b"](")? + 2;
            let end = line.rfind(')').filter(|&end| end >= start)?;
            let target = line[start..end].trim();
            let target = target
                .strip_prefix('<')
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(target);
            // A link title (`(path "title")`) is not part of the path.
            let target = target.split(" \"").next().unwrap_or(target);
            let local = !target.contains("://") && !target.starts_with(['#', '/']);
            let end = target.find(['#', '?']).unwrap_or(target.len());
            (local && end > 0).then(|| (percent_decode(&target[..end]), &target[..end]))
        })
        .collect()
}

/// Decodes `%XX` escapes (a link to `茶%20与%20水.md`).
fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_back_as_they_were_kept() {
        let kept = [
            ("a.md", None),
            ("docs/茶 与 水.md", Some("docs/茶%20与%20水.md")),
            ("", Some("")),
            ("b.md", None),
        ];
        let mut links = Links::default();
        for (decoded, as_written) in kept {
            links.push(decoded, as_written);
        }
        assert_eq!(links.iter().collect::<Vec<_>>(), kept);
        assert_eq!(links.get(4), None);
    }

    #[test]
    fn summary_links_are_decoded_and_stripped() {
        let links = summary_links(
            "+   [A](docs/a.md)\n    +   [B](docs/%E8%8C%B6%20b.md#top)\n+   [W](https://x.org/a.md)\n+   [C](<docs/c d.md>)\n+   [[书](https://o.com/b) [书籍]](docs/e.md)\n",
        );
        let decoded: Vec<&str> = links.iter().map(|(decoded, _)| decoded.as_ref()).collect();
        assert_eq!(
            decoded,
            vec!["docs/a.md", "docs/茶 b.md", "docs/c d.md", "docs/e.md"]
        );
        assert_eq!(links[1].1, "docs/%E8%8C%B6%20b.md");
    }

    #[test]
    fn links_are_joined_to_their_folder_and_normalized() {
        assert_eq!(join_normalized("", "./docs/2401/../x.md"), "docs/x.md");
        assert_eq!(join_normalized("docs/2401", "../x.md"), "docs/x.md");
        assert_eq!(join_normalized("docs", "a//b/./c.md"), "docs/a/b/c.md");
        assert_eq!(join_normalized("docs", "../../../x.md"), "x.md");
        assert!(is_inside("docs/a/x.md", "docs/a") && is_inside("x.md", ""));
        assert!(!is_inside("docs/ab/x.md", "docs/a") && !is_inside("docs/a", "docs/a"));
    }
}
