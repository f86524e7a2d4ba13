//! Finding by title on the real archives in `../shared/corpus/`, as a reader would try it:
//! what is remembered of an article (words of its original English title, the initials of
//! its Chinese title's start) must bring it into the first rows of `folio find`. Articles are
//! drawn at random with a fixed seed, so every run tries the same ones.

use std::path::Path;

use crate::common::{corpus, folio};
use folio::archive::synth::Rng;
use serde_json::Value;

/// Every article of `dir` as `folio list --json` gives it.
fn listed(dir: &Path) -> Vec<Value> {
    let out = folio().arg("list").arg(dir).arg("--json").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// One field (`path`, `title`) of each article `folio find QUERY DIR --limit N` prints, best
/// first.
fn found(dir: &Path, query: &str, limit: usize, field: &str) -> Vec<String> {
    let out = folio()
        .args(["find", "--json", "--limit", &limit.to_string(), "--", query])
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()[field]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The words a reader may remember of a name: runs of letters and digits, four chars or more,
/// not only digits, lower-cased.
fn remembered_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 4 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect()
}

/// The original title's words of a listed article: its file name's, or for a numbered file
/// its source URL's last path segment's.
fn original_words(article: &Value) -> Vec<String> {
    let path = article["path"].as_str().unwrap();
    let stem = path.rsplit('/').next().unwrap().trim_end_matches(".md");
    let words = remembered_words(stem);
    if !words.is_empty() {
        return words;
    }
    let source = article["source"].as_str().unwrap_or("");
    let segment = source
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    remembered_words(segment)
}

#[test]
fn three_words_of_the_original_title_find_the_article_in_the_top_five() {
    let mut tries = 0;
    let mut misses = Vec::new();
    for name in [
        "hackernews-2024-zh",
        "towardsdatascience-blog-zh-2025",
        "octopus-blog-zh",
    ] {
        let Some(dir) = corpus(name) else { continue };
        let articles = listed(&dir);
        let mut rng = Rng::new(14);
        let mut picked = 0;
        while picked < 20 {
            let article = &articles[rng.below(articles.len())];
            let words = original_words(article);
            if words.len() < 3 {
                continue;
            }
            // Three of its words, in order, as a reader recalls a title.
            let mut at: Vec<usize> = Vec::new();
            while at.len() < 3 {
                let i = rng.below(words.len());
                if !at.contains(&i) {
                    at.push(i);
                }
            }
            at.sort_unstable();
            let query: Vec<&str> = at.iter().map(|&i| words[i].as_str()).collect();
            let query = query.join(" ");
            picked += 1;
            tries += 1;
            let path = article["path"].as_str().unwrap();
            if !found(&dir, &query, 5, "path").iter().any(|p| p == path) {
                misses.push(format!("{name}: {query:?} → {path}"));
            }
        }
    }
    eprintln!("{} of {tries} found in the top 5", tries - misses.len());
    // A few queries are three words many titles share; nearly every one finds its article.
    assert!(
        misses.len() * 20 <= tries,
        "{} of {tries} missed:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// The pinyin initials of the first four chars of `title` (their most common readings), when
/// all four are Chinese.
fn initials_of_start(title: &str) -> Option<String> {
    use pinyin::ToPinyin;
    let start: Vec<char> = title.chars().take(4).collect();
    if start.len() < 4 {
        return None;
    }
    start
        .iter()
        .map(|c| c.to_pinyin().map(|p| p.first_letter().to_string()))
        .collect()
}

#[test]
fn the_initials_of_a_titles_start_rank_it_among_the_titles_sharing_them() {
    let Some(dir) = corpus("hackernews-2024-zh") else {
        return;
    };
    let articles = listed(&dir);
    let starts: Vec<Option<String>> = articles
        .iter()
        .map(|a| initials_of_start(a["title"].as_str().unwrap()))
        .collect();
    let mut rng = Rng::new(14);
    let mut misses = Vec::new();
    let mut tries = 0;
    while tries < 30 {
        let i = rng.below(articles.len());
        let Some(initials) = &starts[i] else { continue };
        tries += 1;
        let sharing = starts
            .iter()
            .filter(|s| s.as_ref() == Some(initials))
            .count();
        let path = articles[i]["path"].as_str().unwrap();
        let rows = found(&dir, initials, 200, "path");
        let rank = rows.iter().position(|p| p == path).map(|r| r + 1);
        if rank.is_none_or(|r| r > sharing + 2) {
            let title = articles[i]["title"].as_str().unwrap();
            misses.push(format!(
                "{initials} → {title}: {rank:?}, {sharing} share it"
            ));
        }
    }
    assert!(
        misses.is_empty(),
        "{} of 30:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

#[test]
fn pinyin_initials_of_a_titles_start_come_first_and_rare_readings_do_not_match() {
    let Some(dir) = corpus("hackernews-2024-zh") else {
        return;
    };
    let first = found(&dir, "yys", 3, "title");
    assert!(first.iter().any(|t| t.starts_with("云原生")), "{first:#?}");
    // 内 reads nèi; ruì is a rare reading and must not let `r` match it.
    let rust = found(&dir, "rust 内存", 5, "title");
    assert!(rust.iter().all(|t| !t.starts_with("内存计算")), "{rust:#?}");
    let first = found(&dir, "pmdy", 3, "title");
    assert!(
        first.iter().any(|t| t.starts_with("喷墨打印机")),
        "{first:#?}"
    );
}
