//! The tests of the loader (`library.rs`) that need no real folders but the samples: article
//! names, and a background walk against a whole load.

use super::*;

#[test]
fn article_names() {
    for name in ["a.md", ".md", "x.markdown", "UPPER.MD", "茶 与 水.md"] {
        assert!(is_article_name(OsStr::new(name)), "{name}");
    }
    for name in ["README.md", "SUMMARY.md", "NAV.md", "a.txt", "md"] {
        assert!(!is_article_name(OsStr::new(name)), "{name}");
    }
}

#[test]
fn a_background_walk_builds_the_same_library_as_load() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-articles");
    let loaded = Library::load(&samples).unwrap();
    let mut builder = LibraryBuilder::new(&samples);
    for batch in Library::spawn(&samples).unwrap() {
        batch.into_iter().for_each(|found| builder.add(found));
    }
    assert_eq!(builder.len(), loaded.articles.len());
    let found = builder.articles.clone();
    let (library, order) = builder.finish_with_order();
    assert_eq!(library.articles, loaded.articles);
    let by_order: Vec<Article> = order.iter().map(|&i| found[i].clone()).collect();
    assert_eq!(by_order, library.articles);
    assert!(Library::spawn(&samples.join("no-such-folder")).is_err());
}
