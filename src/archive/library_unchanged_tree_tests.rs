//! The tests of the head cache's tree as the loader uses it (`library.rs`): the walk skipped
//! while nothing changed, and every change seen; in a file of their own, as they need
//! real folders and the racy window to pass.

use super::*;
use std::fs;
use std::time::Duration;

/// Loads `root` through the head cache kept under `cache_root`; also says whether the
/// walk was skipped.
fn load(root: &Path, cache_root: &Path) -> (Library, bool) {
    let canonical = fs::canonicalize(root).unwrap();
    let dir = CacheDir::open_in(cache_root, &canonical).unwrap();
    let cache = HeadCache::in_folder(dir);
    let library = load_through(root, Some(Arc::clone(&cache)), true);
    let notes = cache.notes();
    assert!(notes.is_empty(), "{notes:?}");
    (library, cache.was_unchanged())
}

/// Asserts that a load through the cache gives what a fresh walk gives, and returns
/// whether the walk was skipped.
fn same_as_walked(root: &Path, cache_root: &Path, after: &str) -> bool {
    let (cached, skipped_walk) = load(root, cache_root);
    let walked = Library::load(root).unwrap();
    assert_eq!(cached.articles, walked.articles, "after {after}");
    assert_eq!(cached.skipped, walked.skipped, "after {after}");
    skipped_walk
}

/// Past the racy window: the folders changed so far can vouch for their names again.
fn settle() {
    std::thread::sleep(Duration::from_nanos(
        head_cache::RACY_NS as u64 + 100_000_000,
    ));
}

/// Two articles ordered by a SUMMARY.md in a hidden folder, linked from the root's.
fn write_an_order_resting_on_a_hidden_folder(root: &Path) {
    write(&root.join("SUMMARY.md"), "- [Book](.book/README.md)\n");
    write(
        &root.join(".book/SUMMARY.md"),
        "- [B](../b.md)\n- [A](../a.md)\n",
    );
    write(&root.join("a.md"), "# Alpha\n");
    write(&root.join("b.md"), "# Beta\n");
}

/// The cache folder of the archive at `canonical`, kept under `cache_root`.
fn cache_folder(cache_root: &Path, canonical: &Path) -> PathBuf {
    CacheDir::open_in(cache_root, canonical)
        .unwrap()
        .path()
        .to_path_buf()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn an_order_that_rests_on_a_hidden_folder_is_never_taken_from_the_tree() {
    // The walk skips hidden folders, so their stamps are not kept; a SUMMARY.md there,
    // linked from the root's, still orders the archive.
    let archive = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let root = archive.path();
    write_an_order_resting_on_a_hidden_folder(root);
    settle();
    same_as_walked(root, cache_root.path(), "the first start");
    same_as_walked(root, cache_root.path(), "nothing");
    write(
        &root.join(".book/SUMMARY.md"),
        "- [A](../a.md)\n- [B](../b.md)\n",
    );
    same_as_walked(root, cache_root.path(), "an edit of the hidden SUMMARY.md");
    let (library, _) = load(root, cache_root.path());
    let titles: Vec<&str> = library.articles.iter().map(|a| a.title()).collect();
    assert_eq!(titles, ["Alpha", "Beta"]);
}

#[test]
fn an_unchanged_tree_skips_the_walk_and_every_change_is_seen() {
    let archive = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let root = archive.path();
    write(
        &root.join("SUMMARY.md"),
        "- [B](b.md)\n- [Sub](sub/README.md)\n- [A](a.md)\n",
    );
    write(&root.join("a.md"), "# Alpha\n\nbody\n");
    write(&root.join("b.md"), "# Beta\n\nbody\n");
    write(&root.join("empty.md"), "");
    write(&root.join("sub/SUMMARY.md"), "- [D](d.md)\n- [C](c.md)\n");
    write(&root.join("sub/c.md"), "# Gamma\n\nbody\n");
    write(&root.join("sub/d.md"), "# Delta\n\nbody\n");
    settle();
    assert!(!same_as_walked(root, cache_root.path(), "the first start"));
    assert!(same_as_walked(root, cache_root.path(), "nothing"));
    let titles = |library: &Library| -> Vec<String> {
        library
            .articles
            .iter()
            .map(|a| a.title().to_string())
            .collect()
    };
    assert_eq!(
        titles(&load(root, cache_root.path()).0),
        ["Beta", "Delta", "Gamma", "Alpha"]
    );
    // The stamps come with the articles when asked for (a text search), else not at all.
    let canonical = fs::canonicalize(root).unwrap();
    let stamps_of = |stamps: bool| {
        let cache = HeadCache::in_folder(CacheDir::open_in(cache_root.path(), &canonical).unwrap());
        let library = load_through(root, Some(Arc::clone(&cache)), stamps);
        assert!(cache.was_unchanged());
        library.stamps
    };
    let walked: Vec<Option<Stamp>> = ["b.md", "sub/d.md", "sub/c.md", "a.md"]
        .iter()
        .map(|path| Stamp::read(&root.join(path)))
        .collect();
    assert_eq!(stamps_of(true), walked);
    assert!(stamps_of(false).is_empty());

    // Changes to files leave their folders as they were: each is seen by its stamp, and
    // the tree is kept for the next start.
    write(&root.join("a.md"), "# Alpha, edited\n\nbody\n");
    assert!(!same_as_walked(root, cache_root.path(), "an edit"));
    assert!(same_as_walked(root, cache_root.path(), "nothing"));
    write(&root.join("sub/SUMMARY.md"), "- [C](c.md)\n- [D](d.md)\n");
    assert!(!same_as_walked(
        root,
        cache_root.path(),
        "a SUMMARY.md edit"
    ));
    assert_eq!(
        titles(&load(root, cache_root.path()).0),
        ["Beta", "Gamma", "Delta", "Alpha, edited"]
    );
    write(&root.join("empty.md"), "# Not empty now\n");
    assert!(!same_as_walked(
        root,
        cache_root.path(),
        "a skipped file filled"
    ));

    // Changes to names: each needs a tree kept before it, so the racy window passes first.
    let steps: [(&str, &dyn Fn()); 4] = [
        ("an added file", &|| {
            write(&root.join("sub/e.md"), "# Epsilon\n")
        }),
        ("a deleted file", &|| {
            fs::remove_file(root.join("b.md")).unwrap()
        }),
        ("a renamed file", &|| {
            fs::rename(root.join("sub/c.md"), root.join("sub/c2.md")).unwrap()
        }),
        ("a new folder", &|| {
            write(&root.join("new/deep/f.md"), "# Zeta\n")
        }),
    ];
    for (change, make) in steps {
        // The start after the window keeps the tree; the one after it skips the walk.
        settle();
        same_as_walked(root, cache_root.path(), "the racy window");
        assert!(
            same_as_walked(root, cache_root.path(), "nothing"),
            "before {change}"
        );
        make();
        assert!(!same_as_walked(root, cache_root.path(), change));
    }
    let (library, _) = load(root, cache_root.path());
    assert!(library.articles.iter().any(|a| a.title() == "Zeta"));
}

#[test]
fn a_start_from_an_unchanged_tree_writes_nothing_in_the_cache_folder() {
    // A skipped file (an empty one) and articles already in the library's order go through
    // the builder one by one: no cache file may be begun for them (a temporary file made
    // and removed changes the folder's time).
    let archive = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let root = archive.path();
    for i in 0..20 {
        write(&root.join(format!("a/t{i:02}.md")), &format!("# T{i}\n"));
    }
    write(&root.join("b/empty.md"), "");
    settle();
    assert!(!same_as_walked(root, cache_root.path(), "the first start"));
    let canonical = fs::canonicalize(root).unwrap();
    let folder = cache_folder(cache_root.path(), &canonical);
    let time = || fs::metadata(&folder).unwrap().modified().unwrap();
    let before = time();
    std::thread::sleep(Duration::from_millis(20));
    assert!(same_as_walked(root, cache_root.path(), "nothing"));
    assert_eq!(time(), before, "the cache folder was written into");
}

#[test]
fn a_walk_that_finds_nothing_new_writes_nothing_in_the_cache_folder() {
    // An order resting on a hidden folder keeps the tree from being kept: every start walks.
    // A walk that finds every file as the cache saw it begins no cache file (a temporary file
    // made and removed changes the folder's time); one that finds a change writes it.
    let archive = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let root = archive.path();
    write_an_order_resting_on_a_hidden_folder(root);
    write(&root.join("c/empty.md"), "");
    settle();
    assert!(!same_as_walked(root, cache_root.path(), "the first start"));
    let canonical = fs::canonicalize(root).unwrap();
    let folder = cache_folder(cache_root.path(), &canonical);
    let cache_file = folder.join(head_cache::FILE);
    let time = || fs::metadata(&folder).unwrap().modified().unwrap();
    let before = (time(), fs::read(&cache_file).unwrap());
    std::thread::sleep(Duration::from_millis(20));
    assert!(!same_as_walked(root, cache_root.path(), "nothing"));
    assert_eq!(time(), before.0, "the cache folder was written into");
    assert!(
        fs::read(&cache_file).unwrap() == before.1,
        "the cache file changed"
    );
    // A change is written, the entries found unchanged before it copied as they were.
    write(&root.join("c/d.md"), "# Delta\n");
    assert!(!same_as_walked(root, cache_root.path(), "an added file"));
    assert_ne!(fs::read(&cache_file).unwrap(), before.1);
    // It holds what a cache written from nothing holds, and is read back whole.
    let entries = |cache_root: &Path| {
        let dir = CacheDir::open_in(cache_root, &canonical).unwrap();
        head_cache::Prior::read(&dir).unwrap().unwrap().len()
    };
    let fresh_root = tempfile::tempdir().unwrap();
    same_as_walked(root, fresh_root.path(), "a first start elsewhere");
    assert_eq!(entries(cache_root.path()), entries(fresh_root.path()));
    let before = (time(), fs::read(&cache_file).unwrap());
    std::thread::sleep(Duration::from_millis(20));
    assert!(!same_as_walked(
        root,
        cache_root.path(),
        "nothing after the change"
    ));
    assert_eq!(time(), before.0, "the cache folder was written into");
    assert!(
        fs::read(&cache_file).unwrap() == before.1,
        "the cache file changed"
    );
}
