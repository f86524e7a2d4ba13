//! The loader against real archives in `../shared/corpus/` (skipped where they are absent).
//!
//! Expectations are computed here independently of folio's parser: the files are walked with
//! `std::fs`, titles are the plain text of the first level-1 heading as pulldown-cmark reads
//! the whole file, and source lines are found by their text.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::common::{corpus, folio, markdown_files};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde_json::Value;

const ARCHIVES: [&str; 3] = [
    "octopus-blog-zh",
    "hackernews-2024-zh",
    "towardsdatascience-blog-zh-2025",
];

/// Every article file under `dir` (relative, `/`-separated) and whether it is empty.
fn article_files(dir: &Path) -> Vec<(String, bool)> {
    markdown_files(dir)
        .into_iter()
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            ["README.md", "SUMMARY.md", "NAV.md"]
                .iter()
                .all(|page| name != *page)
        })
        .map(|path| {
            let empty = std::fs::metadata(&path).unwrap().len() == 0;
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (relative, empty)
        })
        .collect()
}

/// Plain text of the first non-empty level-1 heading of the whole file.
fn first_h1(text: &str) -> Option<String> {
    let mut in_h1 = false;
    let mut title = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => {
                in_h1 = true;
                title.clear();
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                in_h1 = false;
                if !title.trim().is_empty() {
                    return Some(title.trim().to_string());
                }
            }
            Event::Text(t) | Event::Code(t) if in_h1 => title.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_h1 => title.push(' '),
            _ => {}
        }
    }
    None
}

/// The URL of the source line right under the title (`> 原文：…`, `> 来源：…`), if the file has
/// one: the link target (or autolink), else the bare URL.
fn source_line_url(text: &str) -> Option<String> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with("# "));
    lines.next()?;
    let line = lines.find(|l| !l.trim().is_empty())?;
    let rest = ["> 原文：", "> 原文: ", "> 来源：", "> 来源: "]
        .iter()
        .find_map(|p| line.strip_prefix(p))?;
    // The line alone, read as Markdown: its first link's target (autolinks included).
    let link = Parser::new(rest).find_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
        _ => None,
    });
    if link.is_some() {
        return link;
    }
    let end = rest
        .find(|c: char| !c.is_ascii_graphic() || matches!(c, '<' | '>' | '"'))
        .unwrap_or(rest.len());
    let bare = &rest[..end];
    (bare.starts_with("http") && bare.contains("://")).then(|| bare.to_string())
}

fn run_list(dir: &Path) -> (Vec<Value>, String) {
    let out = folio().args(["list", "--json"]).arg(dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (rows, String::from_utf8(out.stderr).unwrap())
}

#[test]
fn every_corpus_article_is_listed_with_its_title_and_source() {
    for name in ARCHIVES {
        let Some(dir) = corpus(name) else { continue };
        let (rows, stderr) = run_list(&dir);
        let files = article_files(&dir);
        let non_empty: HashSet<&str> = files
            .iter()
            .filter(|(_, empty)| !empty)
            .map(|(p, _)| p.as_str())
            .collect();
        let listed: HashMap<&str, &Value> = rows
            .iter()
            .map(|r| (r["path"].as_str().unwrap(), r))
            .collect();
        assert_eq!(listed.len(), rows.len(), "{name}: a path listed twice");
        assert_eq!(
            listed.keys().copied().collect::<HashSet<_>>(),
            non_empty,
            "{name}: listed articles differ from the non-empty files"
        );
        // Empty files are counted on one line.
        let empties = files.iter().filter(|(_, empty)| *empty).count();
        let expected = match empties {
            0 => String::new(),
            1 => "folio: 1 empty file skipped\n".to_string(),
            n => format!("folio: {n} empty files skipped\n"),
        };
        assert_eq!(stderr, expected, "{name}");

        let (mut titled, mut sourced) = (0, 0);
        for (path, row) in &listed {
            let text = std::fs::read_to_string(dir.join(path)).unwrap();
            let title = row["title"].as_str().unwrap();
            assert!(!title.trim().is_empty(), "{name}/{path}: empty title");
            // Files whose `# ` line is no heading to a CommonMark reader (it stands inside an
            // unclosed code fence, say) have no level-1 title and are not checked here.
            let Some(h1) = first_h1(&text) else { continue };
            assert_eq!(title, h1, "{name}/{path}");
            titled += 1;
            if let Some(url) = source_line_url(&text) {
                assert_eq!(row["source"], url.as_str(), "{name}/{path}");
                sourced += 1;
            }
        }
        eprintln!(
            "{name}: {} articles, {titled} with a level-1 title checked, {sourced} source lines checked, {empties} empty files warned about",
            rows.len()
        );
        assert!(
            titled * 10 > rows.len() * 9,
            "{name}: too few titles checked"
        );
    }
}

/// `日期：…` and the other date lines of a `<!--yml` block at the head of a file.
fn metadata_has_date(text: &str) -> bool {
    let head: String = text.chars().take(600).collect();
    let Some(start) = head.find("<!--yml") else {
        return false;
    };
    let Some(end) = head[start..].find("-->") else {
        return false;
    };
    let block = &head[start..start + end];
    block.lines().any(|line| {
        let line = line.trim_start_matches(['-', ' ']);
        ["date: ", "日期：", "时间：", "日期: "]
            .iter()
            .any(|key| line.starts_with(key))
    })
}

#[test]
fn hackernews_warnings_are_one_line_for_its_empty_files() {
    let Some(dir) = corpus("hackernews-2024-zh") else {
        return;
    };
    let stderr = |args: &[&str]| {
        let out = folio().args(args).arg(&dir).output().unwrap();
        String::from_utf8(out.stderr).unwrap()
    };
    assert_eq!(stderr(&["list"]), "folio: 38 empty files skipped\n");
    let find = stderr(&["find", "rust"]);
    assert_eq!(find, "folio: 38 empty files skipped\n");
    // `cat QUERY`: the summary, then the line naming the file chosen.
    let cat = stderr(&["cat", "--plain", "rust"]);
    assert_eq!(cat.lines().count(), 2, "{cat}");
    assert_eq!(cat.lines().next(), Some("folio: 38 empty files skipped"));
    assert_eq!(stderr(&["list", "--verbose"]).lines().count(), 38);
    assert_eq!(stderr(&["list", "--quiet"]), "");
}

#[test]
fn hackernews_dates_come_out_in_iso_8601_and_the_order_follows_its_summaries() {
    let Some(dir) = corpus("hackernews-2024-zh") else {
        return;
    };
    let (rows, stderr) = run_list(&dir);
    assert_eq!(rows.len(), 7277);
    assert_eq!(stderr, "folio: 38 empty files skipped\n");

    let mut dated = 0;
    for row in &rows {
        let path = row["path"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        if metadata_has_date(&text) {
            let date = row["date"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: no date"));
            let b = date.as_bytes();
            let iso = b.len() == 19
                && date.chars().enumerate().all(|(i, c)| match i {
                    4 | 7 => c == '-',
                    10 => c == 'T',
                    13 | 16 => c == ':',
                    _ => c.is_ascii_digit(),
                });
            assert!(iso, "{path}: {date}");
            dated += 1;
        }
    }
    eprintln!("hackernews-2024-zh: {dated} dated articles checked");
    assert!(dated > 7000);

    // The order: the top SUMMARY.md links each month's README.md, each month's SUMMARY.md
    // lists its articles; the rest follow by path.
    let link = |line: &str| -> Option<String> {
        let start = line.rfind("](")?;
        Some(line[start + 2..].trim_end().strip_suffix(')')?.to_string())
    };
    let top = std::fs::read_to_string(dir.join("SUMMARY.md")).unwrap();
    let listed: HashSet<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    let mut expected: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for month_readme in top.lines().filter_map(link) {
        let month = PathBuf::from(&month_readme).parent().unwrap().to_path_buf();
        let summary = std::fs::read_to_string(dir.join(&month).join("SUMMARY.md")).unwrap();
        for target in summary.lines().filter_map(link) {
            let path = format!("{}/{target}", month.display());
            if listed.contains(path.as_str()) && seen.insert(path.clone()) {
                expected.push(path);
            }
        }
    }
    let summary_count = expected.len();
    assert!(summary_count > 7000, "{summary_count}");
    let got: Vec<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    if let Some(i) = (0..summary_count).find(|&i| got[i] != expected[i]) {
        panic!(
            "position {i}: listed {}, SUMMARY.md gives {}",
            got[i], expected[i]
        );
    }
    let rest = &got[summary_count..];
    let mut sorted = rest.to_vec();
    sorted.sort_by_key(|p| PathBuf::from(p));
    assert_eq!(rest, &sorted[..], "unlisted articles come by path");
}

#[test]
fn hackernews_lists_no_category_column_but_keeps_its_dates() {
    let Some(dir) = corpus("hackernews-2024-zh") else {
        return;
    };
    let library = folio::archive::library::Library::load(&dir).unwrap();
    let columns = folio::tui::app::Columns::of(&library.articles);
    // 未分类 on 7,236 of 7,277 articles (and its variants on most of the rest): no column.
    assert!(!columns.category);
    // Three days and the undated: 2024-05-29 on 1,271 articles tells them apart.
    assert!(columns.date);
}
