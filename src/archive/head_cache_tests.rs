//! The tests of the head cache file: what is written is read back, and a file that was cut,
//! changed or is stale is never believed.

use super::*;
use std::path::PathBuf;

fn article(path: &str) -> Article {
    Article::new(Fields {
        path,
        title: &format!("标题 {path}"),
        source: Some("https://example.com/a"),
        category: Some("未分类"),
        tags: vec!["a", ""],
        ..Fields::default()
    })
}

#[test]
fn entries_round_trip_and_stamps_decide() {
    let root = tempfile::tempdir().unwrap();
    let cache = CacheDir::open_in(root.path(), Path::new("/srv/a")).unwrap();
    let a = article("docs/a.md");
    let b = article("b.md");
    let stamp = Stamp {
        size: 10,
        mtime_ns: -5,
        ctime_ns: 7,
    };
    let pa = PathBuf::from("docs/a.md");
    let pb = PathBuf::from("b.md");
    let pe = PathBuf::from("empty.md");
    write(
        &cache,
        [
            (pa.as_path(), stamp, Entry::Article(&a)),
            (pb.as_path(), stamp, Entry::Article(&b)),
            (pe.as_path(), stamp, Entry::Skipped("empty file")),
        ]
        .into_iter(),
        &[],
        false,
    )
    .unwrap();
    let prior = Prior::read(&cache).unwrap().unwrap();
    assert_eq!(prior.len(), 3);
    assert!(matches!(prior.get(&pa, stamp), Some(Cached::Article(x)) if x == a));
    assert!(
        matches!(prior.get(&pe, stamp), Some(Cached::Skipped(p, r)) if p == "empty.md" && r == "empty file")
    );
    let touched = Stamp {
        mtime_ns: 6,
        ..stamp
    };
    assert!(prior.get(&pa, touched).is_none());
    // Replaced with the same size and modification time (`cp -p`): the change time tells.
    let replaced = Stamp {
        ctime_ns: 8,
        ..stamp
    };
    assert!(prior.get(&pa, replaced).is_none());
    assert!(prior.get(Path::new("docs/c.md"), stamp).is_none());

    // Every cut of the file, and every flipped byte, is refused as a whole.
    let bytes = fs::read(cache.file(FILE)).unwrap();
    for cut in [0, 11, 12, 27, 28, bytes.len() / 2, bytes.len() - 1] {
        assert!(matches!(
            Prior::parse(bytes[..cut].to_vec()),
            Err(Trouble::Damaged)
        ));
    }
    for at in (PREAMBLE..bytes.len()).step_by(7) {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x20;
        assert!(Prior::parse(flipped).is_err(), "byte {at}");
    }
    let mut other = bytes.clone();
    other[8] = 9;
    assert!(matches!(Prior::parse(other), Err(Trouble::OtherVersion)));
}

#[test]
fn the_checksum_is_the_same_fed_in_pieces() {
    let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
    for cuts in [&[0usize][..], &[1, 2, 3], &[15, 16, 17, 500], &[999]] {
        let mut sum = Checksum::default();
        let mut from = 0;
        for &cut in cuts.iter().chain([&bytes.len()]) {
            sum.update(&bytes[from..cut]);
            from = cut;
        }
        assert_eq!(sum.finish(), checksum(&bytes), "{cuts:?}");
    }
}

#[test]
fn an_unchanged_tree_is_streamed_whole_and_a_damaged_file_never_counts() {
    let archive = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = CacheDir::open_in(cache_root.path(), Path::new("/srv/b")).unwrap();
    // Titles long enough that the file spans several blocks, and one longer than a block.
    let long = "长".repeat(BLOCK / 3 / 40);
    let longest = "长".repeat(BLOCK);
    let names: Vec<String> = (0..100).map(|i| format!("{i:03}.md")).collect();
    let mut articles = Vec::new();
    for name in &names {
        fs::write(archive.path().join(name), "# x\n").unwrap();
        let title = if name == "042.md" { &longest } else { &long };
        articles.push(crate::archive::synth::bare_article(
            name,
            &format!("{name}{title}"),
        ));
    }
    let stamp = |name: &str| {
        HeadReader::default()
            .stamp(&archive.path().join(name))
            .unwrap()
    };
    let folders = [Folder {
        path: PathBuf::new(),
        stamp: Some(stamp(".")),
    }];
    let write_all = || {
        let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let entries = paths
            .iter()
            .zip(&articles)
            .map(|(path, a)| (path.as_path(), stamp(a.path()), Entry::Article(a)));
        write(&cache, entries, &folders, true).unwrap();
    };
    write_all();
    let stream = |got: &mut Vec<Article>| {
        got.clear();
        let make = |cached, _| match cached {
            Cached::Article(article) => Some(article),
            _ => None,
        };
        unchanged(&cache, archive.path(), make, |place, a| {
            assert_eq!(place, None, "written in order");
            got.push(a.unwrap());
        })
    };
    let mut got = Vec::new();
    assert_eq!(stream(&mut got), Streamed::Unchanged(100));
    assert_eq!(got, articles);
    assert!(fs::metadata(cache.file(FILE)).unwrap().len() > 2 * BLOCK as u64);

    // A title changed in the file: every entry parses, the checksum tells.
    let whole = fs::read(cache.file(FILE)).unwrap();
    let mut changed = whole.clone();
    let at = memchr::memmem::rfind(&whole, "长".as_bytes()).unwrap();
    changed[at..at + 3].copy_from_slice("短".as_bytes());
    fs::write(cache.file(FILE), &changed).unwrap();
    assert_eq!(stream(&mut got), Streamed::NotKept);
    fs::write(cache.file(FILE), &whole[..whole.len() - 1]).unwrap();
    assert_eq!(stream(&mut got), Streamed::NotKept);

    // A file touched since: changed.
    write_all();
    fs::write(archive.path().join("050.md"), "# y\n").unwrap();
    assert_eq!(stream(&mut got), Streamed::Changed);
}

#[test]
fn entries_written_as_found_come_back_with_the_librarys_order() {
    let archive = tempfile::tempdir().unwrap();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = CacheDir::open_in(cache_root.path(), Path::new("/srv/c")).unwrap();
    let names = ["b.md", "c.md", "a.md"];
    for name in names {
        fs::write(archive.path().join(name), "# x\n").unwrap();
    }
    let mut reader = HeadReader::default();
    let folders = [Folder {
        path: PathBuf::new(),
        stamp: Some(reader.stamp(archive.path()).unwrap()),
    }];
    let write_with = |order: &[u32]| {
        let mut writer = Writer::start(&cache).unwrap().unwrap();
        for name in names {
            let stamp = HeadReader::default()
                .stamp(&archive.path().join(name))
                .unwrap();
            let article = crate::archive::synth::bare_article(name, name);
            writer.add(Path::new(name), stamp, Entry::Article(&article));
        }
        writer.finish(&folders, true, order).unwrap();
    };
    let stream = || {
        let mut got = Vec::new();
        let make = |cached, _| match cached {
            Cached::Article(article) => article.path().to_string(),
            _ => String::new(),
        };
        let streamed = unchanged(&cache, archive.path(), make, |place, path| {
            got.push((place.map(|p| (p.at, p.of)), path))
        });
        (streamed, got)
    };
    // Found b, c, a; the library's order a, b, c: each comes with its place, and they are
    // made (and handed on) in the order of their places.
    write_with(&[2, 0, 1]);
    let placed = |at, path: &str| (Some((at, 3)), path.to_string());
    assert_eq!(
        stream(),
        (
            Streamed::Unchanged(3),
            vec![placed(0, "a.md"), placed(1, "b.md"), placed(2, "c.md")]
        )
    );
    write_with(&[1, 2, 0]);
    assert_eq!(
        stream().1,
        vec![placed(0, "c.md"), placed(1, "a.md"), placed(2, "b.md")]
    );
    // An order that is not one of the articles found is never taken.
    for wrong in [&[2, 0][..], &[2, 0, 0], &[3, 0, 1]] {
        write_with(wrong);
        assert_eq!(stream().0, Streamed::NotKept, "{wrong:?}");
    }
    // A writer dropped unfinished (a walk that stopped) leaves nothing behind.
    drop(Writer::start(&cache).unwrap().unwrap());
    let left: Vec<_> = fs::read_dir(cache.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| name.to_string_lossy().contains(".tmp."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
