//! Every table of `../shared/corpus/` (skipped when absent) laid out at 60, 80 and 100 columns
//! as CSS's automatic table layout would: no line wider than the width; where the columns'
//! minimums fit, a grid in which no column is narrower than its minimum (its widest unbreakable
//! piece, capped at 12 cells) and no number of up to 12 cells is split across the lines of its
//! cell; where they do not, records, never a grid of one-character columns; no cell line that
//! starts with closing punctuation. Prints its counts:
//! `cargo test --test integration tables -- --nocapture`.

use crate::common::{corpus, markdown_files};

use folio::render::breaks::Breaker;
use folio::render::document::{Block, Inline, Table, plain_text};
use folio::render::glyphs::Glyphs;
use folio::render::markdown::parse;
use folio::render::table::{self, MAX_MINIMUM};
use folio::render::width::{AmbiWidth, str_width};

const WIDTHS: [usize; 3] = [60, 80, 100];

fn tables(blocks: &[Block], out: &mut Vec<Table>) {
    for b in blocks {
        match b {
            Block::Table(t) => out.push(t.clone()),
            Block::Quote(inner) => tables(inner, out),
            Block::List { items, .. } => {
                for item in items {
                    tables(&item.blocks, out);
                }
            }
            _ => {}
        }
    }
}

/// The numbers in `text`: runs of digits with `. , % -` inside (no letters), at most 12 cells.
fn numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '%' | '-' | '_') {
            cur.push(c);
            continue;
        }
        let token = cur.trim_matches(|c| matches!(c, '.' | ',' | '-'));
        if token.len() >= 2
            && token.len() <= MAX_MINIMUM
            && token.contains(|c: char| c.is_ascii_digit())
            && !token.contains(|c: char| c.is_ascii_alphabetic() || c == '_')
        {
            found.push(token.to_string());
        }
        cur.clear();
    }
    found
}

fn closing(c: char) -> bool {
    "，。、；：？！）］｝〕〉》」』】〗’”…‥·・ー々%‰℃".contains(c)
}

#[test]
fn corpus_tables_follow_the_automatic_table_layout() {
    let Some(root) = corpus("") else {
        return;
    };
    let ambi = AmbiWidth::Single;
    let glyphs = Glyphs::for_ambi(ambi);
    let (mut grids, mut records, mut count) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in markdown_files(&root) {
        let Ok(md) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut found = Vec::new();
        tables(&parse(&md).blocks, &mut found);
        for t in &found {
            count += 1;
            let cells: Vec<&Vec<Inline>> = t.header.iter().chain(t.rows.iter().flatten()).collect();
            let ncols = t
                .rows
                .iter()
                .map(Vec::len)
                .chain([t.header.len()])
                .max()
                .unwrap_or(0);
            let mut min = vec![0; ncols];
            for row in std::iter::once(&t.header).chain(&t.rows) {
                for (c, cell) in row.iter().enumerate() {
                    let m = Breaker::new(cell, ambi).min_width().min(MAX_MINIMUM);
                    min[c] = min[c].max(m);
                }
            }
            let starts: String = cells
                .iter()
                .filter_map(|c| plain_text(c).trim().chars().next())
                .collect();
            for width in WIDTHS {
                let lines = table::lines(t, width, glyphs, ambi);
                let texts: Vec<String> = lines
                    .iter()
                    .map(|f| f.spans.iter().map(|s| s.text.as_str()).collect())
                    .collect();
                let at = format!("{} at {width}", path.display());
                for l in &texts {
                    if str_width(l, ambi) > width {
                        failures.push(format!("{at}: overflow {l:?}"));
                    }
                }
                let borders = 3 * ncols + 1;
                let min_fit = min.iter().map(|&m| m.max(1)).sum::<usize>() + borders <= width;
                let Some(top) = texts.first().filter(|l| l.starts_with('┌')) else {
                    if min_fit && width >= borders + 2 * ncols {
                        failures.push(format!("{at}: records though the minimums {min:?} fit"));
                    }
                    records += 1;
                    continue;
                };
                grids += 1;
                let widths: Vec<usize> = top
                    .trim_matches(['┌', '┐'])
                    .split('┬')
                    .map(|s| s.chars().count() - 2)
                    .collect();
                for (c, (&w, &m)) in widths.iter().zip(&min).enumerate() {
                    if w < m.max(1) {
                        failures.push(format!("{at}: column {c} is {w} wide, its minimum {m}"));
                    }
                }
                for cell in &cells {
                    for n in numbers(&plain_text(cell)) {
                        let wanted = cells
                            .iter()
                            .map(|c| plain_text(c).matches(&n).count())
                            .sum::<usize>();
                        let drawn: usize = texts.iter().map(|l| l.matches(&n).count()).sum();
                        if drawn < wanted {
                            failures.push(format!("{at}: the number {n} is split"));
                        }
                    }
                }
                for l in texts.iter().filter(|l| l.starts_with('│')) {
                    for piece in l.trim_matches('│').split('│') {
                        if let Some(c) = piece.trim().chars().next()
                            && closing(c)
                            && !starts.contains(c)
                        {
                            failures.push(format!("{at}: a cell line starts with {c}: {l:?}"));
                        }
                    }
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    println!(
        "{count} tables: {grids} grids, {records} records; {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
