//! The tests of the searcher's worker and best lines (`searcher.rs`), in a file of their own so
//! that the worker reads on its own.

use super::*;

#[test]
fn an_edit_made_while_the_index_builds_is_not_covered_by_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-articles");
    let library = Library::load(&dir).unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = CacheDir::open_in(cache_root.path(), &dir.canonicalize().unwrap()).unwrap();
    let (index, _) = index::open(&cache, &library, Access::Update, &|_, _| {});
    let index = index.expect("an index");
    assert!(index.covered[3].is_some());
    let (to_self, _inbox) = mpsc::channel();
    let mut worker = Worker {
        library,
        index: None,
        ordered: true,
        wanted: true,
        started: true,
        to_self,
        answer: Arc::new(|_| {}),
        fill: None,
        edited: Vec::new(),
    };
    // The build took its stamps before the edit, and ends after it.
    worker.take(Job::Edited(3));
    worker.take(Job::Opened(Some(index)));
    let covered = &worker.index.as_ref().unwrap().covered;
    assert!(
        covered[3].is_none(),
        "the edited article is read by every search"
    );
    assert!(covered[2].is_some());
}

/// Where `needle` occurs in `text`, as examine places it (term `term`).
fn places(text: &str, needles: &[&str]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut line_start = 0;
    for (number, line) in text.split('\n').enumerate() {
        for (term, needle) in needles.iter().enumerate() {
            for (column, _) in line.match_indices(needle) {
                hits.push(Hit {
                    line: number + 1,
                    line_start,
                    column,
                    len: needle.len(),
                    term,
                });
            }
        }
        line_start += line.len() + 1;
    }
    hits.sort_by_key(|h| (h.line, h.column));
    hits
}

/// The characters of `best` shown as hits.
fn lit(best: &BestLine) -> String {
    best.text
        .chars()
        .enumerate()
        .filter(|(i, _)| best.hits.contains(i))
        .map(|(_, c)| c)
        .collect()
}

#[test]
fn the_best_line_holds_the_most_terms_and_starts_near_its_hit() {
    let text = format!("rust alone\r\n{} Rust 与内存 Rust\n", "x".repeat(40));
    let best = best_line(&text, &places(&text, &["Rust", "内存"]), "");
    assert_eq!(best.line, 2);
    assert!(best.text.starts_with("xxxxxxxxxxx Rust"), "{:?}", best.text);
    assert_eq!(lit(&best), "Rust内存Rust");
}

#[test]
fn a_line_that_only_repeats_the_title_comes_last() {
    let text = "# 江上渡口\n\n渡口的石阶一共三十六级\n";
    let best = best_line(text, &places(text, &["渡口"]), "江上渡口");
    assert_eq!(best.line, 3);
    assert_eq!(lit(&best), "渡口");
    // Alone, it is shown all the same.
    let text = "# 江上渡口\n";
    assert_eq!(
        best_line(text, &places(text, &["渡口"]), "江上渡口").line,
        1
    );
}

#[test]
fn a_search_for_a_query_no_longer_typed_gives_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-articles");
    let library = Library::load(&dir).unwrap();
    let request = TextRequest {
        epoch: 0,
        generation: 1,
        query: "渡口".into(),
    };
    assert!(search_until(&library, None, &request, &|| true, &mut |_| {}).is_none());
    let searched = search(&library, None, &request).unwrap();
    assert_eq!(searched.rows.len(), 2);
    assert_eq!(searched.covered, library.articles.len());
    assert!(searched.rows.iter().all(|row| lit(&row.best) == "渡口"));
}

#[test]
fn a_megabyte_line_is_cut() {
    let text = format!("{}鲸", "海".repeat(400_000));
    let best = best_line(&text, &places(&text, &["鲸"]), "");
    assert!(best.text.len() <= LINE_BYTES);
    assert_eq!(best.text.chars().nth(best.hits[0]), Some('鲸'));
    assert_eq!(best.hits, vec![BEFORE_HIT]);
}
