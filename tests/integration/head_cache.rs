//! The head cache (issue 17): `list` says the same with it, without it and after every kind of
//! change to the archive, and a cache that cannot be trusted is rebuilt, never believed.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{Tree, corpus, folio, samples};

/// `folio list [--json] DIR` with its cache under `cache`.
fn list(dir: &Path, cache: &Path, extra: &[&str]) -> Output {
    folio()
        .env("XDG_CACHE_HOME", cache)
        .arg("list")
        .args(extra)
        .arg(dir)
        .output()
        .unwrap()
}

/// The cache file of the one archive cached under `cache`.
fn heads_file(cache: &Path) -> PathBuf {
    let folders: Vec<PathBuf> = std::fs::read_dir(cache.join("folio"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    folders[0].join("heads-v1")
}

/// Runs `list` (and `list --json`) without the cache, then with it twice (the first run
/// writes it, the second reads it): every output, warning and exit code the same.
fn same_with_and_without(dir: &Path) {
    let cache = tempfile::tempdir().unwrap();
    for extra in [&[][..], &["--json"][..]] {
        let mut no_cache = extra.to_vec();
        no_cache.push("--no-cache");
        let want = list(dir, cache.path(), &no_cache);
        for run in ["first", "cached"] {
            let got = list(dir, cache.path(), extra);
            assert_eq!(got.status.code(), want.status.code(), "{run} {extra:?}");
            assert!(got.stdout == want.stdout, "{run} {extra:?}: stdout differs");
            assert_eq!(
                String::from_utf8_lossy(&got.stderr),
                String::from_utf8_lossy(&want.stderr),
                "{run} {extra:?}"
            );
        }
    }
    assert!(heads_file(cache.path()).is_file());
}

#[test]
fn list_is_the_same_with_and_without_the_cache_on_the_samples() {
    same_with_and_without(&samples());
}

#[test]
fn list_is_the_same_with_and_without_the_cache_on_every_corpus_archive() {
    for name in [
        "hackernews-2024-zh",
        "octopus-blog-zh",
        "towardsdatascience-blog-zh-2025",
    ] {
        if let Some(dir) = corpus(name) {
            same_with_and_without(&dir);
        }
    }
}

/// Lists `tree` through the cache and without it: the same, warnings too; returns the lines.
fn listed(tree: &Tree, cache: &Path) -> Vec<String> {
    let got = list(tree.path(), cache, &[]);
    let want = list(tree.path(), cache, &["--no-cache"]);
    assert_eq!(got.status.code(), Some(0));
    assert_eq!(got.stderr, want.stderr);
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        String::from_utf8_lossy(&want.stdout)
    );
    String::from_utf8(got.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn set_mtime(path: &Path, seconds_later: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    let then = file.metadata().unwrap().modified().unwrap();
    file.set_modified(then + std::time::Duration::from_secs(seconds_later))
        .unwrap();
}

#[test]
fn every_change_to_the_archive_is_seen_through_the_cache() {
    let tree = Tree::new()
        .file("SUMMARY.md", "- [乙](b.md)\n- [甲](a.md)\n")
        .file("a.md", "# 甲\n")
        .file("b.md", "# 乙\n")
        .file("empty.md", "");
    let cache = tempfile::tempdir().unwrap();
    let file = |name: &str| tree.path().join(name);
    assert_eq!(listed(&tree, cache.path()), ["乙\tb.md", "甲\ta.md"]);
    assert_eq!(listed(&tree, cache.path()), ["乙\tb.md", "甲\ta.md"]);

    // An edit that changes the size.
    std::fs::write(file("a.md"), "# 甲子\n").unwrap();
    assert_eq!(listed(&tree, cache.path()), ["乙\tb.md", "甲子\ta.md"]);
    // The same size, other bytes, a later time (a touch after an edit).
    let mtime = std::fs::metadata(file("b.md")).unwrap().modified().unwrap();
    std::fs::write(file("b.md"), "# 丙\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(file("b.md"))
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    set_mtime(&file("b.md"), 5);
    assert_eq!(listed(&tree, cache.path()), ["丙\tb.md", "甲子\ta.md"]);
    // A rename.
    std::fs::rename(file("a.md"), file("c.md")).unwrap();
    assert_eq!(listed(&tree, cache.path()), ["丙\tb.md", "甲子\tc.md"]);
    // A deletion.
    std::fs::remove_file(file("b.md")).unwrap();
    assert_eq!(listed(&tree, cache.path()), ["甲子\tc.md"]);
    // An added file, and the empty one filled.
    std::fs::write(file("d.md"), "# 丁\n").unwrap();
    std::fs::write(file("empty.md"), "# 不空\n").unwrap();
    assert_eq!(
        listed(&tree, cache.path()),
        ["甲子\tc.md", "丁\td.md", "不空\tempty.md"]
    );
    // A changed SUMMARY.md.
    std::fs::write(file("SUMMARY.md"), "- [丁](d.md)\n- [甲](c.md)\n").unwrap();
    assert_eq!(
        listed(&tree, cache.path()),
        ["丁\td.md", "甲子\tc.md", "不空\tempty.md"]
    );
}

#[test]
fn a_damaged_or_cut_cache_is_rebuilt_with_one_note() {
    let tree = Tree::new()
        .file("a.md", "# 甲\n")
        .file("b.md", "# 乙\n")
        .file("c.md", "# 丙\n");
    let cache = tempfile::tempdir().unwrap();
    let want = list(tree.path(), cache.path(), &["--no-cache"]).stdout;
    list(tree.path(), cache.path(), &[]);
    let heads = heads_file(cache.path());
    let whole = std::fs::read(&heads).unwrap();
    // What a killed writer leaves: a temporary file, never read.
    std::fs::write(heads.with_file_name("heads-v1.tmp.99999.0"), &whole[..20]).unwrap();
    let mut wrong_title = whole.clone();
    let at = whole.windows(3).position(|w| w == "乙".as_bytes()).unwrap();
    wrong_title[at..at + 3].copy_from_slice("丁".as_bytes());
    for (what, bytes) in [
        ("cut in half", whole[..whole.len() / 2].to_vec()),
        ("a title changed", wrong_title),
        ("foreign", b"not a cache at all".to_vec()),
    ] {
        std::fs::write(&heads, bytes).unwrap();
        let got = list(tree.path(), cache.path(), &[]);
        assert_eq!(got.stdout, want, "{what}");
        let stderr = String::from_utf8(got.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
        assert!(
            stderr.starts_with("folio: the head cache ") && stderr.contains("rebuilding"),
            "{what}: {stderr}"
        );
        // Rebuilt: the next run says nothing.
        let again = list(tree.path(), cache.path(), &[]);
        assert_eq!(again.stdout, want, "{what}");
        assert_eq!(String::from_utf8_lossy(&again.stderr), "", "{what}");
    }
}

#[test]
fn an_unwritable_cache_warns_once_and_lists_the_same() {
    let tree = Tree::new().file("a.md", "# 甲\n").file("b.md", "# 乙\n");
    let cache = tempfile::tempdir().unwrap();
    let not_a_folder = cache.path().join("file");
    std::fs::write(&not_a_folder, "").unwrap();
    let want = list(tree.path(), cache.path(), &["--no-cache"]);
    for command in [&["list"][..], &["find", "甲"][..]] {
        let got = folio()
            .env("XDG_CACHE_HOME", &not_a_folder)
            .args(command)
            .arg(tree.path())
            .output()
            .unwrap();
        assert_eq!(got.status.code(), Some(0), "{command:?}");
        let stderr = String::from_utf8(got.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{command:?}: {stderr}");
        assert!(
            stderr.starts_with("folio: cannot open the cache"),
            "{stderr}"
        );
        if command == ["list"] {
            assert_eq!(got.stdout, want.stdout);
        }
    }
    // --no-cache neither reads nor writes it, nor warns.
    let got = list(tree.path(), &not_a_folder, &["--no-cache"]);
    assert_eq!(String::from_utf8_lossy(&got.stderr), "");
    let fresh = tempfile::tempdir().unwrap();
    list(tree.path(), fresh.path(), &["--no-cache"]);
    assert!(!fresh.path().join("folio").exists());
}

#[test]
fn a_file_replaced_with_the_same_size_and_time_is_read_again() {
    // `cp -p`, `rsync -t`, `tar x`: new bytes, the old size and modification time.
    let tree = Tree::new().file("a.md", "# 甲甲\n\n正文。\n");
    let cache = tempfile::tempdir().unwrap();
    assert_eq!(listed(&tree, cache.path()), ["甲甲\ta.md"]);
    let path = tree.path().join("a.md");
    let then = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, "# 乙乙\n\n正文。\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(then)
        .unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), then);
    assert_eq!(listed(&tree, cache.path()), ["乙乙\ta.md"]);
    // The text index reads it again too: `folio search` finds the new words.
    let found = folio()
        .env("XDG_CACHE_HOME", cache.path())
        .args(["search", "乙乙"])
        .arg(tree.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&found.stdout), "乙乙\ta.md\n");
}
