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
