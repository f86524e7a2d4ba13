//! Synthetic archives in the seed format, for benches and scale tests.
//!
//! Real archives cannot ship with the project, so this writes N articles of realistic size and
//! mix: mostly Chinese with English words, metadata blocks in several shapes, source lines in
//! all three URL shapes, month folders with their own SUMMARY.md, tables, lists, code and
//! quotes. The text is generated from a fixed seed: the same N gives the same tree.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use crate::archive::article::{Article, Fields};

/// Common Chinese characters the generated prose is drawn from.
const HANZI: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质信";

/// Common English words for titles and mixed prose.
const WORDS: &[&str] = &[
    "Rust", "terminal", "compiler", "database", "network", "privacy", "design", "kernel",
    "browser", "archive", "startup", "model", "energy", "climate", "memory", "security",
    "language", "engine", "Linux", "Python", "GitHub", "Apple", "Google", "open", "source", "data",
    "cloud", "search", "vector", "protocol", "river", "train", "history", "science",
];

/// Full-width punctuation that ends or splits Chinese clauses.
const PUNCTUATION: &[&str] = &["，", "，", "，", "。", "。", "、", "；", "：", "？", "！"];

/// A small deterministic generator (xorshift64*): benches must see the same tree every run.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    fn hanzi(&mut self, count: usize, out: &mut String) {
        let chars: Vec<char> = HANZI.chars().collect();
        for _ in 0..count {
            out.push(chars[self.below(chars.len())]);
        }
    }
}

/// An article with a path and a title and nothing else, for tests to build on
/// (`Article::new(Fields { date, ..Fields::default() })`).
pub fn bare_article(path: &str, title: &str) -> Article {
    Article::new(Fields {
        path,
        title,
        ..Fields::default()
    })
}

/// A title: Chinese words with English names mixed in, as translated archives have.
pub fn title(rng: &mut Rng) -> String {
    let mut title = String::new();
    for part in 0..2 + rng.below(4) {
        if part > 0 && rng.below(3) == 0 {
            title.push(' ');
        }
        if rng.below(3) == 0 {
            title.push_str(rng.pick(WORDS));
            title.push(' ');
        } else {
            let n = 2 + rng.below(5);
            rng.hanzi(n, &mut title);
        }
    }
    if rng.below(4) == 0 {
        title.push('：');
        let n = 3 + rng.below(8);
        rng.hanzi(n, &mut title);
    }
    title.trim().to_string()
}

/// An original English title, as a translated article's file name gives it: some words.
pub fn original_title(rng: &mut Rng) -> String {
    let words: Vec<&str> = (0..3 + rng.below(7)).map(|_| rng.pick(WORDS)).collect();
    words.join(" ")
}

/// A paragraph of `clauses` Chinese clauses with English words and numbers mixed in.
fn paragraph(rng: &mut Rng, clauses: usize, out: &mut String) {
    for _ in 0..clauses {
        let n = 4 + rng.below(14);
        rng.hanzi(n, out);
        if rng.below(4) == 0 {
            let _ = write!(out, " {} ", rng.pick(WORDS));
        }
        match rng.below(16) {
            0 | 1 => {
                let _ = write!(out, "{}", rng.below(3000));
            }
            2 => {
                let n = rng.below(1000);
                let _ = write!(out, "[链接{n}](https://example.com/{n}?q=1&r=2)");
            }
            3 => out.push_str("**重点**"),
            _ => {}
        }
        out.push_str(rng.pick(PUNCTUATION));
    }
    out.push_str("\n\n");
}

/// One article of the seed format, about `size` bytes of body; `index` picks its shape.
pub fn article(rng: &mut Rng, index: usize, size: usize) -> (String, String) {
    let title = title(rng);
    let mut text = String::with_capacity(size + 512);
    match index % 4 {
        0 => {
            let _ = write!(
                text,
                "<!--yml\n\n类别：未分类\n\n日期：2024-05-{:02} 14:{:02}:{:02}\n\n-->\n\n",
                1 + index % 28,
                index % 60,
                (index * 7) % 60
            );
        }
        1 => {
            let _ = write!(
                text,
                "<!--yml\n\ncategory: 技术\n\ndate: 2024 年 05 月 {:02} 日 15:12:54\n\n-->\n\n",
                1 + index % 28
            );
        }
        _ => {}
    }
    let _ = write!(text, "# {title}\n\n");
    match index % 3 {
        0 => {
            let _ = writeln!(
                text,
                "> 原文：[`example.com/a/{index}`](https://example.com/a/{index})\n"
            );
        }
        1 => {
            let _ = writeln!(text, "> 来源：<https://example.org/p/{index}>\n");
        }
        _ => {
            let _ = writeln!(text, "> 原文：https://example.net/{index}?from=folio\n");
        }
    }
    let mut block = 0;
    while text.len() < size {
        match block % 9 {
            3 => {
                let _ = write!(text, "## {}\n\n", self::title(rng));
            }
            5 => {
                for depth in 0..3 {
                    let _ = write!(text, "{}-   ", "    ".repeat(depth));
                    paragraph(rng, 1, &mut text);
                }
            }
            7 => text.push_str(
                "| 项目 | 说明 |\n| --- | --- |\n| 编译器 | 把源码变成机器码 |\n| terminal | 终端 |\n\n```rust\nfn main() {\n    println!(\"你好\");\n}\n```\n\n> 引用：中文段落里的 English words。\n\n",
            ),
            _ => {
                let clauses = 3 + rng.below(10);
                paragraph(rng, clauses, &mut text);
            }
        }
        block += 1;
    }
    (title, text)
}

/// Writes `count` articles under `dir`: `docs/MMMM/NNNNNN.md` in month folders of 1,000, each
/// with its SUMMARY.md and README.md, and a top SUMMARY.md linking the months. Sizes follow a
/// spread like real archives' (most 2–12 KB, a few large). Returns the total bytes written.
pub fn write_archive(dir: &Path, count: usize) -> io::Result<u64> {
    let mut rng = Rng::new(count as u64);
    let mut total = 0u64;
    let mut top = String::new();
    let mut month_summary = String::new();
    for index in 0..count {
        let month = index / 1000;
        let folder = dir.join(format!("docs/{month:04}"));
        if index % 1000 == 0 {
            std::fs::create_dir_all(&folder)?;
            let _ = writeln!(top, "+   [第 {month} 卷](docs/{month:04}/README.md)");
            std::fs::write(folder.join("README.md"), format!("# 第 {month} 卷\n"))?;
            month_summary = format!("+   [第 {month} 卷](README.md)\n");
        }
        let size = match rng.below(20) {
            0 => 30_000 + rng.below(60_000),
            1..=4 => 500 + rng.below(2_000),
            _ => 2_000 + rng.below(10_000),
        };
        let (title, text) = article(&mut rng, index, size);
        let name = format!("{index:06}.md");
        std::fs::write(folder.join(&name), &text)?;
        total += text.len() as u64;
        let _ = writeln!(month_summary, "+   [{title}]({name})");
        if index % 1000 == 999 || index + 1 == count {
            std::fs::write(folder.join("SUMMARY.md"), &month_summary)?;
        }
    }
    std::fs::write(dir.join("SUMMARY.md"), top)?;
    Ok(total)
}

/// A long article (`bytes` of Markdown) for layout benches: Chinese paragraphs with English
/// words, links and bold runs, headings, nested lists, tables, code and quotes.
pub fn long_article(bytes: usize) -> String {
    let mut rng = Rng::new(bytes as u64);
    article(&mut rng, 0, bytes).1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::library::Library;

    #[test]
    fn a_generated_archive_indexes_completely_in_summary_order() {
        let dir = tempfile::tempdir().unwrap();
        write_archive(dir.path(), 1200).unwrap();
        let library = Library::load(dir.path()).unwrap();
        assert_eq!(library.articles.len(), 1200);
        assert!(library.skipped.is_empty());
        assert_eq!(library.articles[0].path(), "docs/0000/000000.md");
        assert_eq!(library.articles[1199].path(), "docs/0001/001199.md");
        assert!(library.articles.iter().all(|a| a.source().is_some()));
        assert!(library.articles[0].date().is_some());
    }

    #[test]
    fn the_same_count_gives_the_same_text() {
        let a = article(&mut Rng::new(7), 3, 4000);
        let b = article(&mut Rng::new(7), 3, 4000);
        assert_eq!(a, b);
        assert!(a.1.len() >= 4000);
    }
}
