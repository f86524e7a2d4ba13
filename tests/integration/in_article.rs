//! Search inside an article (`/`) runs on the article's text, not its screen lines: the count
//! of hits for a phrase is the same at every width, on the sample archive and on phrases taken
//! from real articles of `../shared/corpus/` (skipped when absent).

use crate::common::{corpus, markdown_files, samples};

use std::path::PathBuf;

use folio::find::in_article::find;
use folio::render::line::Line;
use folio::render::markdown::parse;
use folio::render::style::Role;
use folio::render::width::AmbiWidth;
use folio::render::wrap::wrap;

fn count(md: &str, query: &str, width: usize) -> usize {
    find(
        &wrap(&parse(md), width, AmbiWidth::Single),
        query,
        AmbiWidth::Single,
    )
    .len()
}

#[test]
fn a_phrase_the_wrap_splits_is_found_at_80_columns() {
    let md = std::fs::read_to_string(samples().join("docs/river-ferry.md")).unwrap();
    // The layout breaks this phrase across two lines at 80 columns (the defect's case).
    assert_eq!(count(&md, "二十多公里", 120), 1);
    for width in 20..=200 {
        assert_eq!(count(&md, "二十多公里", width), 1, "width {width}");
    }
}

#[test]
fn latin_words_split_at_a_space_are_found_across_the_break() {
    let md = "Search must run on the article's text, so that the count of hits is the same.\n";
    for width in 20..=100 {
        assert_eq!(
            count(md, "article's text, so that", width),
            1,
            "width {width}"
        );
        assert_eq!(count(md, "the", width), 3, "width {width}");
    }
}

/// A small deterministic generator: the same phrases on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

#[test]
fn random_phrases_of_real_articles_count_the_same_at_widths_30_to_200() {
    let Some(dir) = corpus("hackernews-2024-zh") else {
        return;
    };
    let mut files = markdown_files(&dir.join("docs"));
    files.sort();
    let mut rng = Lcg(12);
    let picked: Vec<PathBuf> = (0..12)
        .map(|_| files[rng.next(files.len())].clone())
        .collect();
    let checked = phrases_count_the_same(&picked, &mut rng);
    assert!(checked >= 8, "only {checked} phrases checked");
}

#[test]
fn random_phrases_of_articles_with_tables_count_the_same_at_widths_30_to_200() {
    let Some(dir) = corpus("towardsdatascience-blog-zh-2025") else {
        return;
    };
    let mut files: Vec<PathBuf> = markdown_files(&dir.join("docs"))
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .is_ok_and(|md| md.lines().any(|l| l.trim_start().starts_with('|')))
        })
        .collect();
    files.sort();
    let mut rng = Lcg(7);
    let picked: Vec<PathBuf> = (0..10)
        .map(|_| files[rng.next(files.len())].clone())
        .collect();
    let checked = phrases_count_the_same(&picked, &mut rng);
    assert!(checked >= 20, "only {checked} phrases checked");
}

/// For four random phrases of each article (half of them from its tables' cells, where it
/// has tables), the count of hits at widths 30 to 200 (step 3) is the count at 200. Returns
/// how many phrases were checked.
fn phrases_count_the_same(files: &[PathBuf], rng: &mut Lcg) -> usize {
    let mut checked = 0;
    for path in files {
        let md = std::fs::read_to_string(path).unwrap();
        let doc = parse(&md);
        let wide = wrap(&doc, 200, AmbiWidth::Single);
        // The text on each line: each cell's on a table's line, what follows the prefix else.
        let text = |l: &Line, spans: std::ops::Range<usize>| -> Vec<char> {
            l.spans[spans]
                .iter()
                .filter(|s| s.style.role != Role::Border)
                .flat_map(|s| s.text.chars())
                .collect()
        };
        let mut prose = Vec::new();
        let mut cells = Vec::new();
        for l in &wide {
            if l.cells.is_empty() {
                prose.push(text(l, l.prefix..l.spans.len()));
            } else {
                cells.extend(l.cells.iter().map(|c| text(l, c.first..c.end)));
            }
        }
        prose.retain(|t| t.len() > 12);
        cells.retain(|t| t.len() > 5);
        for i in 0..4 {
            let texts = if i % 2 == 1 && !cells.is_empty() {
                &cells
            } else {
                &prose
            };
            if texts.is_empty() {
                continue;
            }
            let text = &texts[rng.next(texts.len())];
            let len = (3 + rng.next(8)).min(text.len() - 1);
            let at = rng.next(text.len() - len);
            let phrase: String = text[at..at + len].iter().collect();
            if phrase.trim() != phrase {
                continue;
            }
            let at_200 = find(&wide, &phrase, AmbiWidth::Single).len();
            assert!(at_200 >= 1, "{phrase:?} in {}", path.display());
            for width in (30..=200).step_by(3) {
                let lines = wrap(&doc, width, AmbiWidth::Single);
                assert_eq!(
                    find(&lines, &phrase, AmbiWidth::Single).len(),
                    at_200,
                    "{phrase:?} in {} at width {width}",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    checked
}

/// A table whose second column wraps at most widths, and whose headers are too wide for a
/// grid below about 30 columns (then each row is `header: value` lines).
const TABLE: &str = "Before the table.\n\n\
| crossing_name_in_full | what_the_road_is_like_in_detail |\n| --- | --- |\n\
| 渡口 | 从县城到渡口有二十多公里的山路，车要开一个多小时才到，路上没有加油站 |\n\
| ferry | The road from the county town to the ferry is a mountain road of some twenty kilometres |\n";

#[test]
fn a_phrase_a_table_cell_splits_is_found_once_in_both_table_layouts() {
    let doc = parse(TABLE);
    let mut split = 0;
    let mut records = 0;
    for width in 20..=200 {
        let lines = wrap(&doc, width, AmbiWidth::Single);
        if lines
            .iter()
            .any(|l| l.plain_text().starts_with("crossing_name_in_full:"))
        {
            records += 1;
        }
        for phrase in ["二十多公里的山路", "mountain road of some twenty"] {
            let hits = find(&lines, phrase, AmbiWidth::Single);
            assert_eq!(hits.len(), 1, "{phrase:?} at width {width}");
            // Each piece of the hit covers the phrase's text on its line.
            let drawn: String = hits[0]
                .pieces
                .iter()
                .map(|p| {
                    let text = lines[p.line].plain_text();
                    let mut col = 0;
                    let mut out = String::new();
                    for c in text.chars() {
                        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                        if col >= p.start && col + w <= p.end && c != ' ' {
                            out.push(c);
                        }
                        col += w;
                    }
                    out
                })
                .collect();
            assert_eq!(drawn, phrase.replace(' ', ""), "at width {width}");
            if hits[0].pieces.len() > 1 {
                split += 1;
            }
        }
        // A header is the table's text once, in a grid or in records; borders are not text.
        assert_eq!(
            count(TABLE, "what_the_road_is_like_in_detail", width),
            1,
            "width {width}"
        );
        assert_eq!(count(TABLE, "│", width), 0, "width {width}");
        assert_eq!(count(TABLE, "渡口 ", width), 0, "width {width}");
    }
    assert!(split > 20, "the cell splits the phrases at {split} widths");
    assert!(records >= 5, "records at {records} widths");
}
