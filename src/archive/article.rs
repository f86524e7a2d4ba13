//! What the index holds of one article: everything but its body.
//!
//! Its path comes in two forms: exact, to open the file, and `/`-separated text, to show, sort
//! and match it.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

/// One article of the archive as the index holds it: everything but the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    /// Path relative to the archive's root, `/`-separated (lossy where the name is not UTF-8).
    pub path: String,
    /// The title as users see it: plain text, never empty.
    pub title: String,
    /// The original article's URL, from the source line.
    pub source: Option<String>,
    /// ISO 8601 date (`2024-05-27T14:54:03`), from the metadata block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The category from the metadata block (`未分类`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Tags from the metadata block.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// True when the file name is not valid UTF-8 and `path` is only its display form.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub path_lossy: bool,
    /// The exact relative path where `path` lost bytes; `None` when `path` is exact. In JSON
    /// it is `path_bytes`, an array of the name's bytes, so that scripts can open the file.
    #[serde(
        rename = "path_bytes",
        serialize_with = "path_bytes",
        skip_serializing_if = "Option::is_none"
    )]
    pub raw_path: Option<PathBuf>,
}

/// A path as the array of its bytes (Unix file names are bytes).
fn path_bytes<S: serde::Serializer>(
    path: &Option<PathBuf>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let bytes = path.as_deref().map(|p| p.as_os_str().as_encoded_bytes());
    serializer.collect_seq(bytes.unwrap_or_default())
}

impl Article {
    /// The article's path relative to the archive's root, exact even where it is not UTF-8.
    pub fn relative_path(&self) -> &Path {
        self.raw_path
            .as_deref()
            .unwrap_or_else(|| Path::new(&self.path))
    }
}

/// `/`-separated display form of a relative path, and whether it lost bytes (not UTF-8).
pub fn display_path(relative: &Path) -> (String, bool) {
    // Nearly every path the walk gives is its display form already: UTF-8, relative, with
    // single slashes and no `.` component.
    if let Some(text) = relative.to_str()
        && !text.starts_with(['/', '.'])
        && !text.ends_with('/')
        && !text.contains("//")
        && !text.contains("/.")
    {
        return (text.to_string(), false);
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
    (shown, lossy)
}

impl Article {
    /// The original title, as translated archives keep it: the file name's words and, where
    /// it says something else, the source URL's last path segment's (`None` when neither has
    /// a Latin letter or they say what the title says). Derived on demand, never stored: the index
    /// holds only what it already had.
    pub fn original_title(&self) -> Option<String> {
        original_title(&self.path, self.source.as_deref(), &self.title)
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
    use super::original_title;

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
