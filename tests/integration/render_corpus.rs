//! Render every article of `../shared/corpus/` (skipped when absent) at widths 40 and 80 and
//! check what a reader would notice: no line wider than the width, no control character, no
//! Han character lost, no closing punctuation at the start of a wrapped line, no English word
//! broken across lines. Prints its counts and run time:
//! `cargo test --test integration render_corpus -- --nocapture`.
//!
//! Definitions, independent of the renderer's own code:
//! - *lost Han character*: some Han character occurs fewer times in the output than in the
//!   article's text, where the text is the source without HTML tags and comments (but with the
//!   `<!--yml` metadata block).
//! - *closing punctuation starting a line*: a line the layout wrapped (`Line::wrapped`, outside
//!   code blocks) whose first character after quote bars, fold marks and indentation is one of
//!   `，。、；：？！）］｝〕〉》」』】〗’”…‥·・ー々%‰℃` or a small kana.
//! - *English word broken*: a wrapped line that starts with ASCII letters `B` right after a line
//!   ending with ASCII letters `A` (outside code blocks), where `AB` is at most width/2 letters,
//!   occurs in the source as a word of its own (a maximal run of ASCII letters), `A` and `B` do
//!   not occur in the source as neighbouring words, and the pieces around the break are not a
//!   URL or path (no `://`, `www.` or `/`; `AB` must also occur outside such pieces in the
//!   source). The closing-punctuation check skips URLs the same way (`%` starts many a line
//!   of a percent-encoded URL).
//! - Table cells are not checked for the last two: their lines are not `wrapped`.

use crate::common::markdown_files;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use folio::render::line::Line;
use folio::render::markdown::parse;
use folio::render::sanitize::is_unsafe;
use folio::render::style::Role;
use folio::render::width::AmbiWidth;
use folio::render::wrap::wrap;
use rayon::prelude::*;

const WIDTHS: [usize; 2] = [40, 80];
const SHOW: usize = 5;

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}' | '\u{F900}'..='\u{FAFF}')
}

fn closing(c: char) -> bool {
    "，。、；：？！）］｝〕〉》」』】〗’”…‥·・ー々%‰℃ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
        .contains(c)
}

/// The source without link destinations and titles (`](url "title")`: folio lists each link
/// once however often it occurs), HTML tags and comments (the `<!--yml` block's text stays).
fn source_text(src: &str) -> String {
    let mut no_dest = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(at) = rest.find("](") {
        no_dest.push_str(&rest[..at + 1]);
        rest = &rest[at + 2..];
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0 || c == '\n'
            })
            .map_or(rest.len(), |(i, _)| i);
        rest = &rest[end..];
    }
    no_dest.push_str(rest);
    let mut out = String::with_capacity(src.len());
    let mut rest = no_dest.as_str();
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map_or(body.len(), |e| e + 3);
            if body.starts_with("yml") {
                out.push_str(&body[..end]);
            }
            rest = &body[end..];
            continue;
        }
        match tag_len(rest) {
            Some(n) => rest = &rest[n..],
            None => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of the HTML tag at the start of `s` (`<a …>` or `</a>`, quoted attribute values
/// may hold anything), if it is one.
fn tag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 2 || !(b[1].is_ascii_alphabetic() || b[1] == b'/') {
        return None;
    }
    let mut quote = 0u8;
    for (i, &c) in b.iter().enumerate().skip(1) {
        match c {
            _ if quote != 0 && c == quote => quote = 0,
            _ if quote != 0 => {}
            b'"' | b'\'' => quote = c,
            b'>' => return Some(i + 1),
            b'<' => return None,
            _ => {}
        }
    }
    None
}

fn han_counts(s: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in s.chars().filter(|&c| is_han(c)) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

/// Does a blank-free piece of text look like a URL or a path?
fn urlish(token: &str) -> bool {
    token.contains("://") || token.contains("www.") || token.contains('/')
}

/// Maximal runs of ASCII letters that occur outside URLs and paths, and pairs of them
/// separated only by blanks.
fn words(src: &str) -> (HashSet<String>, HashSet<(String, String)>) {
    let mut set = HashSet::new();
    for token in src.split_whitespace().filter(|t| !urlish(t)) {
        for w in token.split(|c: char| !c.is_ascii_alphabetic()) {
            if !w.is_empty() {
                set.insert(w.to_string());
            }
        }
    }
    let mut pairs = HashSet::new();
    let mut prev: Option<String> = None;
    let mut cur = String::new();
    let mut blank_only = true;
    for c in src.chars().chain(['\0']) {
        if c.is_ascii_alphabetic() {
            cur.push(c);
            continue;
        }
        if !cur.is_empty() {
            if let Some(p) = prev.take()
                && blank_only
            {
                pairs.insert((p, cur.clone()));
            }
            prev = Some(std::mem::take(&mut cur));
            blank_only = true;
        }
        if !c.is_whitespace() {
            blank_only = false;
        }
    }
    (set, pairs)
}

fn is_code(line: &Line) -> bool {
    line.spans.iter().any(|s| {
        matches!(
            s.style.role,
            Role::CodeBlock | Role::CodeFence | Role::Continuation
        )
    })
}

/// The text of a line after quote bars, fold marks and indentation.
fn content(line: &Line) -> String {
    line.plain_text()
        .trim_start_matches(|c: char| c.is_whitespace() || c == '│' || c == '┊')
        .to_string()
}

#[derive(Default)]
struct Failures {
    overflow: Vec<String>,
    control: Vec<String>,
    lost_han: Vec<String>,
    closing_start: Vec<String>,
    broken_word: Vec<String>,
}

fn check(path: &Path, src: &str, fails: &Mutex<Failures>, lines_seen: &AtomicUsize) {
    let doc = parse(src);
    let expected = han_counts(&source_text(src));
    // Built on first need: most articles never ask.
    let word_sets = std::cell::OnceCell::new();
    let name = path.display();
    for width in WIDTHS {
        let lines = wrap(&doc, width, AmbiWidth::Single);
        lines_seen.fetch_add(lines.len(), Ordering::Relaxed);
        let mut f = Vec::new();
        let mut out_text = String::new();
        for (i, line) in lines.iter().enumerate() {
            let text = line.plain_text();
            out_text.push_str(&text);
            out_text.push('\n');
            if line.width() > width {
                f.push((
                    0,
                    format!(
                        "{name} w{width} line {i}: {} > {width}: {text:?}",
                        line.width()
                    ),
                ));
            }
            if text.chars().any(is_unsafe) {
                f.push((1, format!("{name} w{width} line {i}: {text:?}")));
            }
            if !line.wrapped || i == 0 || is_code(line) || is_code(&lines[i - 1]) {
                continue;
            }
            let body = content(line);
            let prev = lines[i - 1].plain_text();
            let before = prev.rsplit(char::is_whitespace).next().unwrap_or("");
            let after = body.split(char::is_whitespace).next().unwrap_or("");
            let in_url = || {
                urlish(&format!("{before}{after}"))
                    || line.spans.iter().any(|s| s.style.role == Role::Url)
                    || (!after.is_empty()
                        && src
                            .split_whitespace()
                            .filter(|t| t.contains(after))
                            .all(urlish))
            };
            if body.chars().next().is_some_and(closing) && !in_url() {
                f.push((
                    3,
                    format!(
                        "{name} w{width} line {i}: {:?} / {text:?}",
                        lines[i - 1].plain_text()
                    ),
                ));
            }
            let tail: String = {
                let t: Vec<char> = prev
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_alphabetic)
                    .collect();
                t.into_iter().rev().collect()
            };
            let head: String = body.chars().take_while(char::is_ascii_alphabetic).collect();
            if tail.is_empty() || head.is_empty() || tail.len() + head.len() > width / 2 {
                continue;
            }
            let word = format!("{tail}{head}");
            let (words, pairs) = word_sets.get_or_init(|| words(src));
            if words.contains(&word) && !pairs.contains(&(tail.clone(), head.clone())) && !in_url()
            {
                f.push((4, format!("{name} w{width} line {i}: {prev:?} / {text:?}")));
            }
        }
        let got = han_counts(&out_text);
        let lost: Vec<String> = expected
            .iter()
            .filter(|(c, n)| got.get(c).copied().unwrap_or(0) < **n)
            .map(|(c, n)| format!("{c}×{}", n - got.get(c).copied().unwrap_or(0)))
            .take(10)
            .collect();
        if !lost.is_empty() {
            f.push((2, format!("{name} w{width}: lost {}", lost.join(" "))));
        }
        if !f.is_empty() {
            let mut fails = fails.lock().unwrap();
            for (kind, msg) in f {
                match kind {
                    0 => fails.overflow.push(msg),
                    1 => fails.control.push(msg),
                    2 => fails.lost_han.push(msg),
                    3 => fails.closing_start.push(msg),
                    _ => fails.broken_word.push(msg),
                }
            }
        }
    }
}

#[test]
fn corpus_renders_cleanly() {
    let Some(dir) = crate::common::shared("corpus") else {
        return;
    };
    let mut files = markdown_files(&dir);
    assert!(!files.is_empty(), "no article under {}", dir.display());
    // FOLIO_CORPUS_STEP=n renders every n-th article only, for a quick look.
    if let Some(step) = std::env::var("FOLIO_CORPUS_STEP")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        files = files.into_iter().step_by(step).collect();
    }
    let start = Instant::now();
    let fails = Mutex::new(Failures::default());
    let bytes = AtomicUsize::new(0);
    let lines = AtomicUsize::new(0);
    files.par_iter().for_each(|path| {
        let Ok(raw) = std::fs::read(path) else { return };
        bytes.fetch_add(raw.len(), Ordering::Relaxed);
        let src = String::from_utf8_lossy(&raw);
        check(path, &src, &fails, &lines);
    });
    let f = fails.into_inner().unwrap();
    let report = [
        ("overflowing lines", &f.overflow),
        ("control characters", &f.control),
        ("articles losing Han characters", &f.lost_han),
        (
            "wrapped lines starting with closing punctuation",
            &f.closing_start,
        ),
        ("English words broken across lines", &f.broken_word),
    ];
    println!(
        "render corpus: {} files, {:.1} MB, widths {WIDTHS:?}, {} lines, {:.1} s",
        files.len(),
        bytes.load(Ordering::Relaxed) as f64 / 1e6,
        lines.load(Ordering::Relaxed),
        start.elapsed().as_secs_f64()
    );
    let mut total = 0;
    for (what, list) in report {
        println!("  {what}: {}", list.len());
        let mut list = list.clone();
        list.sort();
        for m in list.iter().take(SHOW) {
            println!("    {m}");
        }
        total += list.len();
    }
    assert_eq!(
        total, 0,
        "the corpus does not render cleanly (details above)"
    );
}
