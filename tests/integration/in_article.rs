//! Search inside an article (`/`) runs on the article's text, not its screen lines: the count
//! of hits for a phrase is the same at every width, on the sample archive and on phrases taken
//! from real articles of `../shared/corpus/` (skipped when absent).

use crate::common::{corpus, markdown_files, samples};

use folio::find::in_article::find;
use folio::render::markdown::parse;
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
    let mut checked = 0;
    for _ in 0..12 {
        let path = &files[rng.next(files.len())];
        let md = std::fs::read_to_string(path).unwrap();
        // Table cells are laid out cell by cell: their lines are not one text.
        if md.lines().any(|l| l.trim_start().starts_with('|')) || md.contains("<table") {
            continue;
        }
        let doc = parse(&md);
        let wide = wrap(&doc, 200, AmbiWidth::Single);
        let texts: Vec<Vec<char>> = wide
            .iter()
            .map(|l| {
                l.spans[l.prefix..]
                    .iter()
                    .flat_map(|s| s.text.chars())
                    .collect::<Vec<char>>()
            })
            .filter(|t| t.len() > 12)
            .collect();
        if texts.is_empty() {
            continue;
        }
        for _ in 0..4 {
            let text = &texts[rng.next(texts.len())];
            let len = 3 + rng.next(8);
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
    assert!(checked >= 8, "only {checked} phrases checked");
}
