//! The tests of the searcher's streamed answers (`searcher.rs`): rows found so far, then
//! `folio search`'s exact answer; in a file of their own so that the worker reads on its own.

use super::*;

#[test]
fn rows_found_so_far_come_in_library_order_then_the_answer_of_folio_search() {
    let dir = tempfile::tempdir().unwrap();
    crate::archive::synth::write_archive(dir.path(), 400).unwrap();
    let library = Library::load(dir.path()).unwrap();
    for query in ["数", "r", "数据 -rust"] {
        let request = TextRequest {
            epoch: 0,
            generation: 0,
            query: query.into(),
        };
        let mut so_far: Vec<Searched> = Vec::new();
        let (last, _) =
            search_until(&library, None, &request, &|| false, &mut |s| so_far.push(s)).unwrap();
        let parsed = Query::parse(query).unwrap();
        let plan = text::plan(&library, &parsed, None).unwrap();
        let engine: Vec<usize> = text::search(&library, &parsed, None, plan, Detail::Counts)
            .iter()
            .map(|f| f.article)
            .collect();
        let final_rows: Vec<usize> = last.rows.iter().map(|r| r.article).collect();
        assert_eq!(final_rows, engine, "{query}: folio search's rows and order");
        assert!(last.done);
        if !query.contains('-') {
            // Terms most articles hold: rows long before the last piece.
            assert!(!so_far.is_empty(), "{query}: rows shown before the end");
        }
        let mut before = 0;
        for shown in &so_far {
            assert!(!shown.done);
            let articles: Vec<usize> = shown.rows.iter().map(|r| r.article).collect();
            assert!(articles.windows(2).all(|w| w[0] < w[1]), "library order");
            assert!(articles.len() > before, "the count grows");
            before = articles.len();
            let first = &shown.rows[0];
            assert!(!first.best.hits.is_empty(), "{query}: a best line at once");
        }
    }
}

#[test]
fn through_the_index_the_answer_is_the_one_a_scan_gives() {
    let dir = tempfile::tempdir().unwrap();
    crate::archive::synth::write_archive(dir.path(), 400).unwrap();
    let library = Library::load(dir.path()).unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let canonical = dir.path().canonicalize().unwrap();
    let cache = CacheDir::open_in(cache_root.path(), &canonical).unwrap();
    let (index, _) = index::open(&cache, &library, Access::Update, &|_, _| {});
    let mut index = index.expect("an index");
    // One article the index no longer speaks for: read, as after an edit.
    index.covered[7] = None;
    for query in ["数", "r", "Ru", "数据 -rust", "数据 -的", "rust 数据"] {
        let request = TextRequest {
            epoch: 0,
            generation: 0,
            query: query.into(),
        };
        // Ranked at once, and (more rows than 16) shown in the library's order first.
        let (last, _) =
            search_until(&library, Some(&index), &request, &|| false, &mut |_| {}).unwrap();
        let mut so_far: Vec<Searched> = Vec::new();
        let (also, _) = search_ranking_at_once(
            &library,
            Some(&index),
            &request,
            &|| false,
            &mut |s| so_far.push(s),
            16,
        )
        .unwrap();
        assert_eq!(also.rows, last.rows, "{query}");
        let short = Query::parse(query)
            .unwrap()
            .terms
            .iter()
            .all(|t| t.folded.chars().count() <= 2);
        if short && last.rows.len() > 16 {
            let first = so_far.first().expect("rows before the ranking");
            let articles: Vec<usize> = first.rows.iter().map(|r| r.article).collect();
            assert!(articles.windows(2).all(|w| w[0] < w[1]), "library order");
            assert!(
                !first.done && !first.rows[0].best.hits.is_empty(),
                "{query}"
            );
        }
        let parsed = Query::parse(query).unwrap();
        let plan = text::plan(&library, &parsed, None).unwrap();
        let scanned: Vec<usize> = text::search(&library, &parsed, None, plan, Detail::Counts)
            .iter()
            .map(|f| f.article)
            .collect();
        let rows: Vec<usize> = last.rows.iter().map(|r| r.article).collect();
        assert_eq!(
            rows, scanned,
            "{query}: the index's rows and order are the scan's"
        );
        assert!(last.done);
        if let Some(first) = last.rows.first() {
            assert!(
                !first.best.hits.is_empty(),
                "{query}: the top row's best line"
            );
        }
    }
}
