//! The SUMMARY.md files: the archive's own order of its articles.
//!
//! Each summary's links are read where the walk finds it, then followed from the root's
//! summary, through links to folders, into the summaries below.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet, VecDeque};
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

/// The SUMMARY.md files a walk found, each link resolved to its article as soon as both have
/// been found: a resolved link is the article's index (4 bytes), not its path (a million links
/// held as paths took 33 MB until the order was made). The articles found last are indexed by
/// path (two generations of [`RECENT`] each); a summary's links are looked up when it comes and
/// again [`RECENT`] articles later, by which time the articles of its folder have come too (a
/// walker lists a folder's files one after another). What is left is resolved at the end, by
/// an index of every article only if a link left could name one.
#[derive(Debug, Default)]
pub struct Summaries {
    found: Vec<Resolving>,
    recent: Generation,
    older: Generation,
    /// Summaries to look up again, and after how many articles.
    waiting: VecDeque<(usize, usize)>,
    /// The display paths of articles whose names are not UTF-8: another article may show the
    /// same path, and then the last found is the one linked, which only the end can tell.
    lossy: HashSet<String>,
}

/// How many articles each generation of the recent articles' index holds.
const RECENT: usize = 16 * 1024;

/// The articles found last, by path.
#[derive(Debug, Default)]
struct Generation {
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl Generation {
    fn insert(&mut self, articles: &[Article], index: u32) {
        let path = articles[index as usize].path();
        let hasher = &self.hasher;
        let entry = self.table.entry(
            hasher.hash_one(path),
            |&other| articles[other as usize].path() == path,
            |&other| hasher.hash_one(articles[other as usize].path()),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(mut kept) => *kept.get_mut() = index,
            hashbrown::hash_table::Entry::Vacant(vacant) => {
                vacant.insert(index);
            }
        }
    }

    fn get(&self, articles: &[Article], path: &str) -> Option<u32> {
        self.table
            .find(self.hasher.hash_one(path), |&index| {
                articles[index as usize].path() == path
            })
            .copied()
    }
}

/// A link not (yet) resolved: its place among a summary's unresolved links.
const UNRESOLVED: u32 = 1 << 31;

/// A SUMMARY.md as the walk resolves it.
#[derive(Debug)]
struct Resolving {
    path: String,
    folder: String,
    /// Each link in order: an article's index, or `UNRESOLVED` and its place in `text`.
    links: Vec<u32>,
    /// The links not resolved, in order.
    text: Links,
}

impl Resolving {
    /// Looks up every unresolved link with `find`, keeping the text of those it does not find.
    fn resolve(&mut self, mut find: impl FnMut(&str) -> Option<u32>) {
        if self.text.ends.is_empty() {
            return;
        }
        let mut left = Links::default();
        for link in &mut self.links {
            if *link & UNRESOLVED == 0 {
                continue;
            }
            let (decoded, as_written) = self
                .text
                .get((*link & !UNRESOLVED) as usize)
                .expect("every unresolved link has its text");
            // An article's index is below 2^31 (a find past that is left as text).
            match find(decoded).filter(|&index| index & UNRESOLVED == 0) {
                Some(index) => *link = index,
                None => {
                    *link = UNRESOLVED | left.ends.len() as u32;
                    left.push(decoded, as_written);
                }
            }
        }
        left.text.shrink_to_fit();
        left.ends.shrink_to_fit();
        self.text = left;
    }
}

impl Summaries {
    /// Takes the article just found, `articles`' last.
    pub fn article_found(&mut self, articles: &[Article]) {
        let Some(last) = articles.last() else { return };
        let Ok(index) = u32::try_from(articles.len() - 1) else {
            return;
        };
        if last.path_lossy() {
            self.lossy.insert(last.path().to_string());
        }
        if self.recent.table.len() >= RECENT {
            // The older generation's table, emptied, is the next one (no growing again).
            std::mem::swap(&mut self.older, &mut self.recent);
            self.recent.table.clear();
        }
        self.recent.insert(articles, index);
        while let Some(&(summary, due)) = self.waiting.front()
            && due <= articles.len()
        {
            self.waiting.pop_front();
            self.resolve_recent(summary, articles);
        }
    }

    /// Takes a SUMMARY.md just found; `articles` are those found so far.
    pub fn summary_found(&mut self, summary: Summary, articles: &[Article]) {
        let links = (0..summary.links.ends.len() as u32)
            .map(|at| UNRESOLVED | at)
            .collect();
        self.found.push(Resolving {
            path: summary.path,
            folder: summary.folder,
            links,
            text: summary.links,
        });
        let index = self.found.len() - 1;
        self.resolve_recent(index, articles);
        if !self.found[index].text.ends.is_empty() {
            self.waiting.push_back((index, articles.len() + RECENT));
        }
    }

    fn resolve_recent(&mut self, summary: usize, articles: &[Article]) {
        let (recent, older) = (&self.recent, &self.older);
        self.found[summary].resolve(|path| {
            recent
                .get(articles, path)
                .or_else(|| older.get(articles, path))
        });
    }

    /// The summaries with every link resolved that names an article of `articles` (all that
    /// the walk found, in the order found). What is left is looked up by one pass over the
    /// articles, with an index of the paths left only (not of every article: 10 MB on 1M).
    fn finish(mut self, articles: &[Article]) -> Vec<Resolving> {
        // Those still waiting came among the last articles, which the index still holds.
        while let Some((summary, _)) = self.waiting.pop_front() {
            self.resolve_recent(summary, articles);
        }
        self.recent = Generation::default();
        self.older = Generation::default();
        let could_name_an_article = |path: &str| {
            let name = path.rsplit('/').next().unwrap_or(path);
            crate::archive::article::is_article_name(std::ffi::OsStr::new(name))
        };
        // Each path left, and the last article found there.
        let mut left: HashMap<String, Option<u32>, foldhash::fast::RandomState> =
            HashMap::default();
        for summary in &self.found {
            for (decoded, _) in summary.text.iter() {
                if could_name_an_article(decoded) {
                    left.insert(decoded.to_string(), None);
                }
            }
            // Of two articles with one display path, the last found is linked: looked up again.
            if !self.lossy.is_empty() {
                for &link in &summary.links {
                    let path = articles.get(link as usize).map(Article::path);
                    if let Some(path) = path.filter(|path| self.lossy.contains(*path)) {
                        left.insert(path.to_string(), None);
                    }
                }
            }
        }
        if left.is_empty() {
            return self.found;
        }
        for (index, article) in articles.iter().enumerate() {
            if let Some(last) = left.get_mut(article.path()) {
                *last = u32::try_from(index).ok();
            }
        }
        let find = |path: &str| left.get(path).copied().flatten();
        for summary in &mut self.found {
            for link in &mut summary.links {
                if let Some(article) = articles.get(*link as usize)
                    && let Some(last) = find(article.path())
                {
                    *link = last;
                }
            }
            summary.resolve(find);
        }
        self.found
    }
}

/// Indices into `articles` in the order the SUMMARY.md files give: the root's
/// first, following links to folders' README.md into their own SUMMARY.md, then any SUMMARY.md
/// no link reached, by path. Also says whether the order depends on files the walk does not
/// see (a SUMMARY.md or a link target under a hidden folder): the head cache cannot then vouch
/// for it by the walked folders' stamps.
pub fn summary_order(root: &Path, articles: &[Article], summaries: Summaries) -> (Vec<u32>, bool) {
    let mut summaries = summaries.finish(articles);
    summaries.sort_unstable_by(|a, b| path_order(&a.path, &b.path));
    let folders: Vec<String> = summaries.iter().map(|s| s.folder.clone()).collect();
    let by_folder = folders
        .iter()
        .enumerate()
        .map(|(i, folder)| (folder.clone(), i))
        .collect();
    let mut order = SummaryOrder {
        root,
        articles,
        by_path: OnceCell::new(),
        summaries: summaries.into_iter().map(Some).collect(),
        by_folder,
        placed: vec![0; articles.len().div_ceil(64)],
        visited: HashSet::new(),
        listed: Vec::with_capacity(articles.len()),
        beyond_walk: false,
    };
    order.follow("");
    for folder in &folders {
        order.follow(folder);
    }
    (order.listed, order.beyond_walk)
}

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
    /// Every article by path: made only for a SUMMARY.md the walk did not find (its links
    /// were not resolved as it went).
    by_path: OnceCell<ByPath<'a>>,
    /// Each summary until it is followed (its links go once they are: the list of articles
    /// placed grows as they go).
    summaries: Vec<Option<Resolving>>,
    by_folder: HashMap<String, usize>,
    /// A bit for each article: placed already.
    placed: Vec<u64>,
    visited: HashSet<String>,
    listed: Vec<u32>,
    /// A file the walk does not see was looked at (see [`summary_order`]).
    beyond_walk: bool,
}

/// The links of one SUMMARY.md being followed, and how many of them are placed.
struct Frame {
    summary: Resolving,
    next: usize,
}

/// A link being followed: to an article, or to something else (text as kept).
enum Link {
    Article(usize),
    Other(String, Option<String>),
}

impl<'a> SummaryOrder<'a> {
    /// Places the articles the SUMMARY.md of `folder` links, in its order, following links to
    /// folders into their own SUMMARY.md first (each file once).
    ///
    /// Depth-first with a stack of its own, not by recursion: the archive decides how long a
    /// chain of summaries linking summaries is, and a thread's stack is not that deep.
    fn follow(&mut self, folder: &str) {
        let mut stack: Vec<Frame> = Vec::new();
        if let Some(frame) = self.enter(folder) {
            stack.push(frame);
        }
        while let Some(frame) = stack.last_mut() {
            let Some(&link) = frame.summary.links.get(frame.next) else {
                stack.pop();
                continue;
            };
            frame.next += 1;
            let link = if link & UNRESOLVED == 0 {
                Link::Article(link as usize)
            } else {
                let (decoded, as_written) = frame
                    .summary
                    .text
                    .get((link & !UNRESOLVED) as usize)
                    .expect("every unresolved link has its text");
                Link::Other(decoded.to_string(), as_written.map(str::to_string))
            };
            if let Some(folder) = self.place(link)
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
    fn enter(&mut self, folder: &str) -> Option<Frame> {
        if !self.visited.insert(folder.to_string()) {
            return None;
        }
        let summary = match self.by_folder.get(folder) {
            Some(&index) => self.summaries[index].take()?,
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
                let links = (0..read.links.ends.len() as u32)
                    .map(|at| UNRESOLVED | at)
                    .collect();
                let mut summary = Resolving {
                    path: read.path,
                    folder: read.folder,
                    links,
                    text: read.links,
                };
                let by_path = self.by_path.get_or_init(|| ByPath::new(self.articles));
                summary.resolve(|path| by_path.get(path).map(|index| index as u32));
                summary
            }
        };
        Some(Frame { summary, next: 0 })
    }

    /// Places what `link` points to: an article, or the articles of a folder without a
    /// SUMMARY.md. A folder with one is returned, to be followed. A link left as text names
    /// no article as meant (every one was looked up); as written, it may.
    fn place(&mut self, link: Link) -> Option<String> {
        let (decoded, as_written) = match link {
            Link::Article(index) => {
                self.place_article(index);
                return None;
            }
            Link::Other(decoded, as_written) => (decoded, as_written),
        };
        // The link as meant, else as written (a name with a literal `%`).
        let mut target = decoded.as_str();
        self.look_at(&decoded);
        if !self.root.join(&decoded).exists()
            && let Some(written) = as_written.as_deref()
        {
            if let Some(index) = self.article_at(written) {
                self.place_article(index);
                return None;
            }
            self.look_at(written);
            if self.root.join(written).exists() {
                target = written;
            }
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
            .filter(|&i| !self.is_placed(i) && is_inside(self.articles[i].path(), folder))
            .collect();
        sort_by_path(&mut inside, self.articles);
        for index in inside {
            self.place_article(index);
        }
        None
    }

    /// The article at `path`, looked up in every article (only a link as written, which is
    /// rare, needs this).
    fn article_at(&self, path: &str) -> Option<usize> {
        self.by_path
            .get_or_init(|| ByPath::new(self.articles))
            .get(path)
    }

    fn is_placed(&self, index: usize) -> bool {
        self.placed[index / 64] & (1 << (index % 64)) != 0
    }

    fn place_article(&mut self, index: usize) {
        if !self.is_placed(index) {
            self.placed[index / 64] |= 1 << (index % 64);
            self.listed.push(index as u32);
        }
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

    fn article(path: &str) -> Article {
        Article::new(crate::archive::article::Fields {
            path,
            title: path,
            ..Default::default()
        })
    }

    /// The order `summary_order` gives when the summaries come at `arrivals` (how many
    /// articles were found before each), against the order of links followed by path.
    #[test]
    fn links_resolve_alike_whenever_their_articles_come() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("x%41.md"), "# x\n").unwrap();
        let count = 3 * RECENT + 10;
        let paths: Vec<String> = (0..count).map(|i| format!("d/{i:06}.md")).collect();
        let mut articles: Vec<Article> = paths.iter().map(|p| article(p)).collect();
        // Found under a name with a literal `%`, linked as written.
        articles.push(article("x%41.md"));
        // Linked in this order: the last found, the first, one at each distance.
        let linked = [
            count - 1,
            0,
            RECENT,
            RECENT + 1,
            2 * RECENT + 3,
            5,
            count - 2,
        ];
        let mut text = String::from("- [folder](e/README.md)\n- [gone](d/none.md)\n");
        for &i in &linked {
            text.push_str(&format!("- [a]({})\n", paths[i]));
        }
        text.push_str("- [odd](x%41.md)\n");
        std::fs::write(root.path().join("SUMMARY.md"), &text).unwrap();
        let mut want: Vec<u32> = linked.iter().map(|&i| i as u32).collect();
        want.push(count as u32);
        for arrival in [0, 1, RECENT / 2, RECENT + 7, count - 3, count + 1] {
            let listed = listed_with_the_summary_found_after(root.path(), &articles, arrival);
            assert!(
                listed == want,
                "summary found after {arrival}: {:?}",
                &listed[..listed.len().min(9)]
            );
        }
    }

    /// The order of `articles` (found one by one) with `root`'s SUMMARY.md found after the
    /// first `arrival` of them, as the walk hands them on.
    fn listed_with_the_summary_found_after(
        root: &Path,
        articles: &[Article],
        arrival: usize,
    ) -> Vec<u32> {
        let mut summaries = Summaries::default();
        for found in 0..=articles.len() {
            if found == arrival {
                let summary = Summary::read(&root.join("SUMMARY.md"), Path::new("SUMMARY.md"));
                summaries.summary_found(summary, &articles[..found]);
            }
            if found < articles.len() {
                summaries.article_found(&articles[..=found]);
            }
        }
        summary_order(root, articles, summaries).0
    }

    /// Two articles show one path (one name is not UTF-8): a link names the one found last,
    /// wherever the summary comes among them.
    #[test]
    fn a_link_to_a_path_two_articles_show_names_the_last_found() {
        use std::os::unix::ffi::OsStrExt;
        let root = tempfile::tempdir().unwrap();
        let shown = "d/x\u{FFFD}.md";
        std::fs::write(root.path().join("SUMMARY.md"), format!("- [x]({shown})\n")).unwrap();
        let raw = Path::new(std::ffi::OsStr::from_bytes(b"d/x\xff.md"));
        let mut articles: Vec<Article> = (0..5).map(|i| article(&format!("d/{i}.md"))).collect();
        articles.insert(0, article(shown));
        articles.push(Article::new(crate::archive::article::Fields {
            path: shown,
            title: "lossy",
            raw_path: Some(raw),
            ..Default::default()
        }));
        let last = articles.len() as u32 - 1;
        for arrival in 0..=articles.len() {
            let listed = listed_with_the_summary_found_after(root.path(), &articles, arrival);
            assert_eq!(listed, vec![last], "summary found after {arrival} articles");
        }
    }
}
