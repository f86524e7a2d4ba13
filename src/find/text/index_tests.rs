//! The index's manifest and its unreadable articles, from inside.
use super::*;
use crate::archive::article::Article;
use crate::archive::library::Library;

#[test]
fn a_manifest_round_trips_and_damage_is_seen() {
    let mut paths = Vec::new();
    let entry = |paths: &mut Vec<u8>, path: &[u8], document| Entry {
        path: Manifest::keep_path(paths, path),
        stamp: Stamp {
            size: 10,
            mtime_ns: -5,
            ctime_ns: 7,
        },
        segment: 0,
        document,
    };
    let entries = vec![
        entry(&mut paths, b"docs/a.md", 1),
        entry(&mut paths, b"b.md", 0),
    ];
    let manifest = Manifest {
        next_id: 3,
        catalog: 0x1234_5678_9abc_def0,
        segments: vec![SegmentInfo {
            id: 2,
            size: 100,
            documents: 2,
        }],
        entries,
        paths,
    };
    assert_eq!(manifest.path(&manifest.entries[1]), b"b.md");
    let bytes = manifest.encode();
    assert_eq!(Manifest::decode(&bytes), Ok(manifest));
    let mut damaged = bytes.clone();
    damaged[20] ^= 1;
    assert_eq!(Manifest::decode(&damaged), Err(Trouble::Damaged));
    assert_eq!(
        Manifest::decode(&bytes[..bytes.len() - 3]),
        Err(Trouble::Damaged)
    );
    let mut other = bytes.clone();
    other[8] ^= 0x40;
    assert_eq!(Manifest::decode(&other), Err(Trouble::OtherVersion));
    // The first part read alone: the places, checked by their own sum; damage in the
    // second part (a path) is seen by the whole read only.
    let folder = tempfile::tempdir().unwrap();
    let places = |bytes: &[u8]| {
        fs::write(folder.path().join("manifest"), bytes).unwrap();
        read_places(folder.path())
    };
    let read = places(&bytes).unwrap();
    assert_eq!(read.catalog, 0x1234_5678_9abc_def0);
    assert_eq!(read.places, [(0, 1), (0, 0)]);
    let mut in_a_path = bytes.clone();
    let at = bytes.windows(9).position(|w| w == b"docs/a.md").unwrap();
    in_a_path[at] ^= 1;
    assert!(places(&in_a_path).is_ok());
    assert_eq!(Manifest::decode(&in_a_path), Err(Trouble::Damaged));
    assert_eq!(places(&damaged).unwrap_err(), Some(Trouble::Damaged));
    let truncated = &bytes[..40];
    assert_eq!(places(truncated).unwrap_err(), Some(Trouble::Damaged));
    assert_eq!(places(&other).unwrap_err(), Some(Trouble::OtherVersion));
}

#[test]
fn an_unreadable_article_is_kept_and_the_index_stays_fresh() {
    let root = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = CacheDir::open_in(cache_root.path(), root.path()).unwrap();
    fs::write(root.path().join("a.md"), "# A\n\n鲸鱼\n").unwrap();
    let article = |path: &str| crate::archive::synth::bare_article(path, path);
    // `b.md` has a stamp (the walk saw it) but cannot be read (gone, or no permission).
    let articles = [article("a.md"), article("b.md")];
    let stamp_a = Stamp::read(&root.path().join("a.md"));
    let stamps = [
        stamp_a,
        Some(Stamp {
            size: 3,
            mtime_ns: 1,
            ctime_ns: 1,
        }),
    ];
    let open = |articles: &[Article], stamps: &[Option<Stamp>]| {
        let library = Library {
            root: root.path().to_path_buf(),
            articles: articles.to_vec(),
            skipped: Vec::new(),
            // As the walk took them: `b.md` has one, and cannot be read.
            stamps: stamps.to_vec(),
        };
        open(&cache, &library, Access::Update, &|_, _| {})
    };
    let (index, report) = open(&articles, &stamps);
    assert_eq!(report.indexed, 2);
    let index = index.unwrap();
    assert_eq!(index.covered_count(), 1);
    let query = Query::parse("鲸").unwrap();
    assert_eq!(index.candidates(&query).unwrap(), [true, true]);
    // The next search finds the index fresh: nothing read, nothing written.
    let manifest = cache.file(FOLDER).join("manifest");
    let written = fs::metadata(&manifest).unwrap().modified().unwrap();
    let (index, report) = open(&articles, &stamps);
    assert_eq!(report.indexed, 0, "the unreadable article was tried again");
    assert_eq!(
        fs::metadata(&manifest).unwrap().modified().unwrap(),
        written
    );
    assert_eq!(index.unwrap().candidates(&query).unwrap(), [true, true]);
    // An update for another reason (an article added) tries it again.
    fs::write(root.path().join("c.md"), "# C\n").unwrap();
    let articles = [article("a.md"), article("b.md"), article("c.md")];
    let stamps = [stamps[0], stamps[1], Stamp::read(&root.path().join("c.md"))];
    let (_, report) = open(&articles, &stamps);
    assert_eq!(report.indexed, 2, "the new article and the unreadable one");
}

#[test]
fn titles_counted_from_the_index_rank_as_each_title_looked_through() {
    let root = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = CacheDir::open_in(cache_root.path(), root.path()).unwrap();
    // Every article holds `rust` and `数据` in its text as often; the titles differ, in case
    // and in letters that fold (the Kelvin sign, the long s), and some hold a term twice.
    let titles = [
        "Rust 与数据",
        "数据库",
        "RUST RUST",
        "无关",
        "ruſt 的数据数据",
        "Trust \u{212A}",
        "数据 rust",
        "rusty",
    ];
    let mut articles = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let path = format!("{i}.md");
        fs::write(root.path().join(&path), format!("# {title}\n\nrust 数据\n")).unwrap();
        articles.push(crate::archive::synth::bare_article(&path, title));
    }
    let stamps = (0..titles.len())
        .map(|i| Stamp::read(&root.path().join(format!("{i}.md"))))
        .collect();
    let library = Library {
        root: root.path().to_path_buf(),
        articles,
        skipped: Vec::new(),
        stamps,
    };
    let (index, _) = open(&cache, &library, Access::Update, &|_, _| {});
    let index = index.unwrap();
    for query in ["rust", "数据", "rust 数据", "st", "rust -无关"] {
        let query = Query::parse(query).unwrap();
        let ranked = |index: Option<&TextIndex>| {
            let plan = crate::find::text::plan(&library, &query, index).unwrap();
            let found = crate::find::text::search(
                &library,
                &query,
                index,
                plan,
                crate::find::text::examine::Detail::Counts,
            );
            found
                .iter()
                .map(|f| (f.article, f.score))
                .collect::<Vec<_>>()
        };
        let from_titles = ranked(None);
        let from_index = ranked(Some(&index));
        assert_eq!(from_index, from_titles, "{query:?}");
        // The titles decide the order: a ranking that missed them would keep the library's.
        let order: Vec<usize> = from_index.iter().map(|(a, _)| *a).collect();
        assert!(!order.is_sorted(), "{query:?}: {order:?}");
    }
}

#[test]
fn the_rows_kept_are_what_the_files_say_not_an_older_catalog() {
    // The interface indexes with the titles it started with and no stamps (they are taken
    // when the index is built): an article edited since then is indexed as it is now.
    let root = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = CacheDir::open_in(cache_root.path(), root.path()).unwrap();
    fs::write(root.path().join("a.md"), "# New\n\nrust\n").unwrap();
    let stale = Library {
        root: root.path().to_path_buf(),
        articles: vec![crate::archive::synth::bare_article("a.md", "Old")],
        skipped: Vec::new(),
        stamps: Vec::new(),
    };
    let (index, _) = open(&cache, &stale, Access::Update, &|_, _| {});
    assert!(index.is_some());
    let walked = Library {
        articles: vec![crate::archive::synth::bare_article("a.md", "New")],
        stamps: vec![Stamp::read(&root.path().join("a.md"))],
        ..stale
    };
    let (index, report) = open(&cache, &walked, Access::Update, &|_, _| {});
    assert_eq!(report.indexed, 0, "fresh: nothing indexed again");
    let index = index.unwrap();
    assert_eq!(index.rows().unwrap().line(0), Some(&b"New\ta.md\n"[..]));
    let query = Query::parse("new").unwrap();
    assert_eq!(index.title_hits(&query).unwrap().get(0, 0), Some(1));
}
