//! The tests of the catalog read straight from the head cache (`catalog.rs`).

use super::*;
use crate::archive::library;
use std::fs;

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// An archive whose tree the head cache keeps, and its cache folder.
fn kept_archive(root: &Path, cache_root: &Path) -> CacheDir {
    write(&root.join("SUMMARY.md"), "- [B](b.md)\n- [A](x/a.md)\n");
    write(&root.join("x/a.md"), "# Alpha\n\ntext\n");
    write(&root.join("b.md"), "# Beta\n");
    write(&root.join("c.md"), "# Gamma\n");
    write(&root.join("empty.md"), "");
    // Past the racy window: the folders can vouch for their names.
    std::thread::sleep(std::time::Duration::from_nanos(
        head_cache::RACY_NS as u64 + 100_000_000,
    ));
    let canonical = fs::canonicalize(root).unwrap();
    CacheDir::open_in(cache_root, &canonical).unwrap()
}

#[test]
fn the_catalog_of_an_unchanged_tree_is_the_library() {
    let root = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = kept_archive(root.path(), cache_root.path());
    assert!(
        CachedCatalog::open_in(&cache, root.path()).is_none(),
        "no cache yet"
    );
    let library = library::load_in(root.path(), cache.clone());
    let catalog = CachedCatalog::open_in(&cache, root.path()).expect("the tree is unchanged");
    assert_eq!(catalog.len(), 3);
    for i in 0..library.len() {
        assert_eq!(catalog.title(i), library.title(i));
        assert_eq!(catalog.relative_path(i), library.relative_path(i));
        assert_eq!(catalog.display_path(i), library.display_path(i));
        assert_eq!(catalog.article(i), library.article(i));
        assert_eq!(catalog.title_and_path(i), library.title_and_path(i));
    }
    assert_eq!(catalog.title(0), "Beta", "SUMMARY.md's order");
    assert_eq!(catalog.file_stamps(), library.file_stamps());
    assert_eq!(catalog.skipped, library.skipped);
    assert!(catalog.lossy.is_empty());
}

#[test]
fn an_edit_or_an_added_file_leaves_no_catalog() {
    let root = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = kept_archive(root.path(), cache_root.path());
    library::load_in(root.path(), cache.clone());
    assert!(CachedCatalog::open_in(&cache, root.path()).is_some());
    // An edit of a file skipped for being empty: no folder changes.
    fs::write(root.path().join("empty.md"), "# Now an article\n").unwrap();
    assert!(CachedCatalog::open_in(&cache, root.path()).is_none());
    library::load_in(root.path(), cache.clone());
    assert!(CachedCatalog::open_in(&cache, root.path()).is_some());
    fs::write(root.path().join("x/new.md"), "# New\n").unwrap();
    assert!(CachedCatalog::open_in(&cache, root.path()).is_none());
}
