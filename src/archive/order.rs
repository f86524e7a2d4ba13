//! Every order the articles are listed in, and the sorts that make them.
//!
//! The archive's own order is its SUMMARY.md files' (`summary` reads them), then by path;
//! `--sort` and the config file ask for path, title or date, and `-` before a key reverses it
//! (`-date`: newest first).

use std::cmp::Ordering;
use std::os::unix::ffi::OsStrExt;

use crate::archive::article::Article;

/// The orders the articles can be listed in. A `-` before a key reverses it; articles without
/// a date go last under `date` and `-date` alike, and articles equal by the key keep the
/// archive's order either way (the sorts are stable).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SortKey {
    /// The archive's own order (its SUMMARY.md, then by path).
    #[default]
    Summary,
    /// By path, folder by folder (the folder `a` before the file `a.md`), as the archive lists
    /// what no SUMMARY.md does.
    // One meaning of "by path" everywhere: `path_order`.
    Path,
    /// By title.
    Title,
    /// By date, oldest first; undated articles last.
    Date,
    /// The archive's own order, last first.
    #[value(name = "-summary")]
    SummaryReversed,
    /// By path, Z to A.
    #[value(name = "-path")]
    PathReversed,
    /// By title, Z to A.
    #[value(name = "-title")]
    TitleReversed,
    /// By date, newest first; undated articles still last.
    #[value(name = "-date")]
    DateReversed,
}

impl SortKey {
    /// The key without its direction, and whether it is reversed.
    fn direction(self) -> (SortKey, bool) {
        match self {
            SortKey::SummaryReversed => (SortKey::Summary, true),
            SortKey::PathReversed => (SortKey::Path, true),
            SortKey::TitleReversed => (SortKey::Title, true),
            SortKey::DateReversed => (SortKey::Date, true),
            key => (key, false),
        }
    }
}

/// Where each article goes when `articles` are sorted by `key`: position `i` of the sorted list
/// holds `articles[order[i]]`. Stable, like [`sort_articles`].
pub fn sort_order(articles: &[Article], key: SortKey) -> Vec<usize> {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    match key {
        SortKey::Summary => {}
        // The archive's position is the key itself: nothing is equal, all is reversed.
        SortKey::SummaryReversed => order.reverse(),
        _ => {
            // Each article's key found once, not once a comparison (twenty times each on a
            // million articles). Stable by the index: no merge buffer beside the keys.
            let keys: Vec<Option<&str>> = articles.iter().map(|a| key_of(a, key)).collect();
            order.sort_unstable_by(|&a, &b| compare_keys(keys[a], keys[b], key).then(a.cmp(&b)));
        }
    }
    order
}

/// What `key` orders an article by: its path, its title or its date (`None`: undated).
fn key_of(article: &Article, key: SortKey) -> Option<&str> {
    match key.direction().0 {
        SortKey::Path => Some(article.path()),
        SortKey::Title => Some(article.title()),
        SortKey::Date => article.date(),
        _ => None,
    }
}

/// How `key` orders two articles: reversed keys compare the other way round, but an undated
/// article is after a dated one in both directions (a reader of a news archive wants the
/// newest first, and an article that says no date is neither new nor old).
fn compare(a: &Article, b: &Article, key: SortKey) -> Ordering {
    compare_keys(key_of(a, key), key_of(b, key), key)
}

/// [`compare`] on the articles' keys ([`key_of`]).
fn compare_keys(a: Option<&str>, b: Option<&str>, key: SortKey) -> Ordering {
    let (key, reversed) = key.direction();
    let ordering = match key {
        SortKey::Path => path_order(a.unwrap_or_default(), b.unwrap_or_default()),
        SortKey::Title => a.cmp(&b),
        SortKey::Date => match (a, b) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => return Ordering::Less,
            (None, Some(_)) => return Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        _ => Ordering::Equal,
    };
    if reversed {
        ordering.reverse()
    } else {
        ordering
    }
}

/// Sorts `articles` by `key`; stable, so equal keys keep the archive's order.
pub fn sort_articles(articles: &mut [Article], key: SortKey) {
    match key {
        SortKey::Summary => {}
        SortKey::SummaryReversed => articles.reverse(),
        _ => articles.sort_by(|a, b| compare(a, b, key)),
    }
}

/// The archive's own order: the articles the SUMMARY.md files list (`listed`, indices into
/// `articles` in their order), then every other article by path.
/// Places are `u32`: a million of them are held beside the articles.
pub fn archive_order(articles: &[Article], mut listed: Vec<u32>) -> Vec<u32> {
    // Only the articles no SUMMARY.md lists need sorting.
    let mut is_listed = vec![false; articles.len()];
    listed
        .iter()
        .for_each(|&index| is_listed[index as usize] = true);
    let mut rest: Vec<usize> = (0..articles.len()).filter(|&i| !is_listed[i]).collect();
    sort_by_path(&mut rest, articles);
    listed.extend(rest.into_iter().map(|index| index as u32));
    listed
}

/// Sorts `indices` (into `articles`) by the articles' paths, folder by folder ([`path_order`]):
/// the order of what no SUMMARY.md lists, and of a linked folder that has none.
/// Two names that are not UTF-8 can show as one path (`caf\u{FFFD}.md`): their bytes then
/// decide, so that the order never rests on the order the walk found them in.
pub fn sort_by_path(indices: &mut [usize], articles: &[Article]) {
    let raw = |i: usize| articles[i].relative_path().as_os_str().as_bytes();
    indices.sort_unstable_by(|&a, &b| {
        path_order(articles[a].path(), articles[b].path()).then_with(|| raw(a).cmp(raw(b)))
    });
}

/// Orders `/`-separated paths folder by folder, as comparing their components would (the
/// folder `a` before the file `a.md`), by comparing bytes with `/` taken as the smallest.
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |byte: u8| if byte == b'/' { 0 } else { byte };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

/// A place in an order: `usize`, or `u32` where an order of a million places is held beside
/// the articles (half the room).
pub trait Place: Copy + PartialEq {
    /// The place as an index.
    fn index(self) -> usize;
    /// The place of an index (which fits: it indexes the same items).
    fn of(index: usize) -> Self;
}

impl Place for usize {
    fn index(self) -> usize {
        self
    }
    fn of(index: usize) -> usize {
        index
    }
}

impl Place for u32 {
    fn index(self) -> usize {
        self as usize
    }
    fn of(index: usize) -> u32 {
        index as u32
    }
}

/// Reorders `items` in place so that position `i` holds what was at `order[i]` (a
/// permutation): no second copy of the index is made on the way.
pub fn permute<T, P: Place>(items: &mut [T], mut order: Vec<P>) {
    for start in 0..items.len() {
        // Follow the cycle through `start`, pulling each wanted item into place.
        let mut current = start;
        while order[current].index() != start {
            let next = order[current].index();
            items.swap(current, next);
            order[current] = P::of(current);
            current = next;
        }
        order[current] = P::of(current);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::archive::article::Fields;

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, vec![3usize, 0, 4, 1, 2]);
        assert_eq!(items, vec!['d', 'a', 'e', 'b', 'c']);
        let mut same = vec![1, 2, 3];
        permute(&mut same, vec![0u32, 1, 2]);
        assert_eq!(same, vec![1, 2, 3]);
    }

    #[test]
    fn names_shown_alike_are_ordered_by_their_bytes_whatever_order_they_came_in() {
        let article = |raw: &[u8]| {
            Article::new(Fields {
                path: "caf\u{FFFD}.md",
                title: "咖啡",
                raw_path: Some(Path::new(std::ffi::OsStr::from_bytes(raw))),
                ..Fields::default()
            })
        };
        let articles = [article(b"caf\xff.md"), article(b"caf\xe9.md")];
        for mut indices in [vec![0, 1], vec![1, 0]] {
            sort_by_path(&mut indices, &articles);
            assert_eq!(indices, [1, 0]);
        }
    }

    #[test]
    fn path_order_is_component_order() {
        let mut paths = vec!["b.md", "a.md", "a/z.md", "a-b/c.md", "a/b/c.md", "ab.md"];
        let mut by_components = paths.clone();
        paths.sort_by(|a, b| path_order(a, b));
        by_components.sort_by_key(|p| Path::new(p).to_path_buf());
        assert_eq!(paths, by_components);
        assert_eq!(paths[0], "a/b/c.md");
    }

    fn article(path: &str, title: &str, date: Option<&str>) -> Article {
        Article::new(crate::archive::article::Fields {
            path,
            title,
            date,
            ..Default::default()
        })
    }

    #[test]
    fn sort_orders() {
        let mut articles = vec![
            article("b.md", "乙", None),
            article("c.md", "Alpha", Some("2024-05-27T14:54:03")),
            article("a.md", "beta", Some("2019-01-02T00:00:00")),
        ];
        let paths = |a: &[Article]| a.iter().map(|a| a.path().to_string()).collect::<Vec<_>>();
        sort_articles(&mut articles, SortKey::Summary);
        assert_eq!(paths(&articles), ["b.md", "c.md", "a.md"]);
        sort_articles(&mut articles, SortKey::Date);
        assert_eq!(paths(&articles), ["a.md", "c.md", "b.md"]);
        sort_articles(&mut articles, SortKey::Title);
        assert_eq!(paths(&articles), ["c.md", "a.md", "b.md"]);
        sort_articles(&mut articles, SortKey::Path);
        assert_eq!(paths(&articles), ["a.md", "b.md", "c.md"]);
        // Reversed: newest first and still undated last; Z to A; the order turned round.
        sort_articles(&mut articles, SortKey::DateReversed);
        assert_eq!(paths(&articles), ["c.md", "a.md", "b.md"]);
        sort_articles(&mut articles, SortKey::TitleReversed);
        assert_eq!(paths(&articles), ["b.md", "a.md", "c.md"]);
        sort_articles(&mut articles, SortKey::PathReversed);
        assert_eq!(paths(&articles), ["c.md", "b.md", "a.md"]);
        sort_articles(&mut articles, SortKey::SummaryReversed);
        assert_eq!(paths(&articles), ["a.md", "b.md", "c.md"]);
        assert_eq!(sort_order(&articles, SortKey::SummaryReversed), [2, 1, 0]);
    }
}
