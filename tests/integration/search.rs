//! `folio search` and `folio index` from outside: results against an independent literal scan
//! (the `regex` crate, case-insensitive, line by line) on the corpus archives, and the index's
//! robustness: incremental updates, a killed build, a damaged or foreign index, an unwritable
//! cache, two processes at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{Tree, corpus, folio, lines};
use regex::RegexBuilder;

/// Runs `folio search QUERY DIR ARGS…` with its cache under `cache`.
fn search(dir: &Path, cache: &Path, query: &str, args: &[&str]) -> Output {
    folio()
        .env("XDG_CACHE_HOME", cache)
        .arg("search")
        .arg(query)
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// The paths `folio search` printed, as a set.
fn paths(output: &Output) -> BTreeSet<String> {
    lines(output)
        .iter()
        .map(|line| line.rsplit('\t').next().unwrap().to_string())
        .collect()
}

/// Every article of `dir` as folio lists it, with its text (lossy UTF-8: the corpus is UTF-8).
fn texts(dir: &Path) -> Vec<(String, String)> {
    let listed = folio().arg("list").arg(dir).output().unwrap();
    lines(&listed)
        .iter()
        .map(|line| {
            let path = line.rsplit('\t').next().unwrap().to_string();
            let bytes = std::fs::read(dir.join(&path)).unwrap();
            (path, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// The articles holding every wanted term and no excluded one, by an independent scan: each
/// term a case-insensitive literal regex, tried on each line.
fn expected(texts: &[(String, String)], wanted: &[&str], excluded: &[&str]) -> BTreeSet<String> {
    expected_hits(texts, wanted, excluded).into_keys().collect()
}

/// [`expected`], each article with its hits: every wanted term's matches (leftmost, without
/// overlap), line by line, summed.
fn expected_hits(
    texts: &[(String, String)],
    wanted: &[&str],
    excluded: &[&str],
) -> BTreeMap<String, usize> {
    let regex = |term: &str| {
        RegexBuilder::new(&regex::escape(term))
            .case_insensitive(true)
            .build()
            .unwrap()
    };
    let wanted: Vec<_> = wanted.iter().map(|t| regex(t)).collect();
    let excluded: Vec<_> = excluded.iter().map(|t| regex(t)).collect();
    let hits = |text: &str, re: &regex::Regex| {
        text.split('\n')
            .map(|line| re.find_iter(line).count())
            .sum::<usize>()
    };
    texts
        .iter()
        .filter_map(|(path, text)| {
            let each: Vec<usize> = wanted.iter().map(|re| hits(text, re)).collect();
            let holds =
                each.iter().all(|&h| h > 0) && excluded.iter().all(|re| hits(text, re) == 0);
            holds.then(|| (path.clone(), each.iter().sum()))
        })
        .collect()
}

/// Each printed article's `hits`, from `search --json`'s output.
fn json_hits(output: &Output) -> BTreeMap<String, usize> {
    lines(output)
        .iter()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                row["path"].as_str().unwrap().to_string(),
                row["hits"].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

/// Queries: (as typed, wanted terms, excluded terms).
const QUERIES: &[(&str, &[&str], &[&str])] = &[
    ("鲸", &["鲸"], &[]),
    ("猫", &["猫"], &[]),
    ("的", &["的"], &[]),
    ("容器", &["容器"], &[]),
    ("内存", &["内存"], &[]),
    ("模型", &["模型"], &[]),
    ("开源", &["开源"], &[]),
    ("人工智能", &["人工智能"], &[]),
    ("开源软件", &["开源软件"], &[]),
    ("中华人民", &["中华人民"], &[]),
    ("eBPF", &["eBPF"], &[]),
    ("rust", &["rust"], &[]),
    ("RUST", &["RUST"], &[]),
    ("GitHub", &["GitHub"], &[]),
    ("llm", &["llm"], &[]),
    ("PyThOn", &["PyThOn"], &[]),
    ("Rust 内存", &["Rust", "内存"], &[]),
    ("苹果 iPhone", &["苹果", "iPhone"], &[]),
    ("\"open source\"", &["open source"], &[]),
    ("\"机器 学习\"", &["机器 学习"], &[]),
    ("\"Hacker News\"", &["Hacker News"], &[]),
    ("模型 -OpenAI", &["模型"], &["OpenAI"]),
    ("苹果 -iPhone -Mac", &["苹果"], &["iPhone", "Mac"]),
    ("rust -\"memory safety\"", &["rust"], &["memory safety"]),
    ("Linux 内核 -Windows", &["Linux", "内核"], &["Windows"]),
    ("a", &["a"], &[]),
    ("zzqqxxyy", &["zzqqxxyy"], &[]),
    ("鲸 zzqqxxyy", &["鲸", "zzqqxxyy"], &[]),
    ("ſ", &["ſ"], &[]),
    ("2024", &["2024"], &[]),
    // Answered from the index alone: one or two characters, mixed case, twins, exclusions.
    ("Ai", &["Ai"], &[]),
    ("00", &["00"], &[]),
    ("ll", &["ll"], &[]),
    ("Go -容器", &["Go"], &["容器"]),
    ("的 -a -的了", &["的"], &["a", "的了"]),
    ("K 内存", &["K", "内存"], &[]),
    // Answered from the index alone by its words, and three-character terms that are read.
    ("Kubernetes", &["Kubernetes"], &[]),
    ("LINUX -docker", &["LINUX"], &["docker"]),
    ("http 2024", &["http", "2024"], &[]),
    ("编译器", &["编译器"], &[]),
    ("c++", &["c++"], &[]),
    ("数据库 -rust", &["数据库"], &["rust"]),
];

fn check_corpus(name: &str) {
    let Some(dir) = corpus(name) else { return };
    let texts = texts(&dir);
    let cache = tempfile::tempdir().unwrap();
    // A cache that cannot be made: a file where the folder would be.
    let unwritable = cache.path().join("not-a-folder");
    std::fs::write(&unwritable, "").unwrap();
    for (query, wanted, excluded) in QUERIES {
        let expected = expected(&texts, wanted, excluded);
        for (how, cache) in [("index", cache.path()), ("scan", unwritable.as_path())] {
            let output = search(&dir, cache, query, &[]);
            let code = if expected.is_empty() { 1 } else { 0 };
            assert_eq!(output.status.code(), Some(code), "{name}: {query} ({how})");
            assert_eq!(paths(&output), expected, "{name}: {query} ({how})");
        }
        // The hits, counted by the index alone for short terms, are the scan's.
        let hits = json_hits(&search(&dir, cache.path(), query, &["--json"]));
        assert_eq!(
            hits,
            expected_hits(&texts, wanted, excluded),
            "{name}: {query} (hits)"
        );
    }
}

#[test]
fn search_finds_what_a_literal_scan_finds_in_hackernews() {
    check_corpus("hackernews-2024-zh");
}

#[test]
fn search_finds_what_a_literal_scan_finds_in_octopus() {
    check_corpus("octopus-blog-zh");
}

#[test]
fn results_are_ranked_and_printed_in_each_shape() {
    let tree = Tree::new()
        .file("a.md", "# 普通\n\n鲸 在这里。\n")
        .file("b.md", "# 鲸的歌\n\n鲸。\n")
        .file("c.md", "# 很多\n\n鲸 鲸 鲸 鲸\n鲸 鲸\n")
        .file("d.md", "# 没有\n\n别的。\n");
    let cache = tempfile::tempdir().unwrap();
    let output = search(tree.path(), cache.path(), "鲸", &[]);
    assert_eq!(
        lines(&output),
        ["很多\tc.md", "鲸的歌\tb.md", "普通\ta.md"],
        "more hits first, then hits in the title, ties in the archive's order"
    );
    assert!(output.stderr.is_empty(), "no progress bar into a pipe");
    let output = search(tree.path(), cache.path(), "鲸", &["--limit", "1", "--json"]);
    let row: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(row["path"], "c.md");
    assert_eq!(row["hits"], 6);
    assert_eq!(row["lines"][0]["line"], 3);
    assert_eq!(row["lines"][0]["text"], "鲸 鲸 鲸 鲸");
    assert_eq!(row["lines"].as_array().unwrap().len(), 2);
    let output = search(
        tree.path(),
        cache.path(),
        "鲸",
        &["--lines", "--limit", "2"],
    );
    let shown = |rel: &str| tree.path().join(rel).display().to_string();
    assert_eq!(
        lines(&output)[..2],
        [
            format!("{}:3:1:鲸 鲸 鲸 鲸", shown("c.md")),
            format!("{}:3:5:鲸 鲸 鲸 鲸", shown("c.md")),
        ]
    );
    assert_eq!(lines(&output).len(), 6 + 2);
    search(tree.path(), cache.path(), "没有这个", &[])
        .status
        .code()
        .map(|code| assert_eq!(code, 1))
        .unwrap();
    let output = search(tree.path(), cache.path(), " ", &[]);
    assert_eq!(output.status.code(), Some(2));
    let output = search(&tree.path().join("missing"), cache.path(), "鲸", &[]);
    assert_eq!(output.status.code(), Some(2));
}

/// The index's files for the archive at `dir` under `cache`.
fn index_folder(cache: &Path) -> PathBuf {
    let folio = cache.join("folio");
    let entry = std::fs::read_dir(&folio).unwrap().next().unwrap().unwrap();
    entry.path().join("text-v1")
}

/// One of the segment files in the index folder `folder`.
fn a_segment(folder: &Path) -> PathBuf {
    std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("seg-"))
        .unwrap()
        .path()
}

fn touch_later(path: &Path) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(later)
        .unwrap();
}

#[test]
fn the_index_follows_edits_additions_deletions_and_renames() {
    let tree = Tree::new()
        .file("a.md", "# 甲\n\n容器 trust\n")
        .file("b.md", "# 乙\n\n内存\n")
        .file("sub/c.md", "# 丙\n\n容器 内存 rust\n");
    let cache = tempfile::tempdir().unwrap();
    let found = |query: &str| paths(&search(tree.path(), cache.path(), query, &[]));
    let hits = |query: &str| json_hits(&search(tree.path(), cache.path(), query, &["--json"]));
    assert_eq!(found("容器"), ["a.md", "sub/c.md"].map(String::from).into());
    assert_eq!(found("rust"), ["a.md", "sub/c.md"].map(String::from).into());
    assert!(index_folder(cache.path()).join("manifest").is_file());
    // An edit (the same size, so only the time tells).
    std::fs::write(tree.path().join("a.md"), "# 甲\n\n鲸鱼 rusty\n").unwrap();
    touch_later(&tree.path().join("a.md"));
    assert_eq!(found("容器"), ["sub/c.md"].map(String::from).into());
    assert_eq!(found("鲸鱼"), ["a.md"].map(String::from).into());
    assert!(found("trust").is_empty());
    assert_eq!(found("rusty"), ["a.md"].map(String::from).into());
    // An addition.
    std::fs::write(
        tree.path().join("sub/d.md"),
        "# 丁\n\n鲸鱼和容器 RUST2024 rust\n",
    )
    .unwrap();
    assert_eq!(found("鲸鱼"), ["a.md", "sub/d.md"].map(String::from).into());
    let rust = [("a.md", 1), ("sub/c.md", 1), ("sub/d.md", 2)];
    assert_eq!(hits("rust"), rust.map(|(p, h)| (p.to_string(), h)).into());
    // A deletion.
    std::fs::remove_file(tree.path().join("a.md")).unwrap();
    assert_eq!(found("鲸鱼"), ["sub/d.md"].map(String::from).into());
    assert_eq!(
        found("rust"),
        ["sub/c.md", "sub/d.md"].map(String::from).into()
    );
    // A rename.
    std::fs::rename(tree.path().join("sub/d.md"), tree.path().join("e.md")).unwrap();
    assert_eq!(found("鲸鱼"), ["e.md"].map(String::from).into());
    assert_eq!(found("内存"), ["b.md", "sub/c.md"].map(String::from).into());
    assert_eq!(found("2024"), ["e.md"].map(String::from).into());
    assert_eq!(found("rust -容器"), BTreeSet::new());
}

#[test]
fn a_damaged_foreign_or_half_written_index_is_rebuilt_with_one_note() {
    let tree = Tree::new()
        .file("a.md", "# 甲\n\n容器\n")
        .file("b.md", "# 乙\n\n内存\n");
    let cache = tempfile::tempdir().unwrap();
    let run = |query: &str| search(tree.path(), cache.path(), query, &[]);
    run("容器");
    let folder = index_folder(cache.path());
    let manifest = folder.join("manifest");
    // What a killed build leaves: temporary files and a segment no manifest names.
    std::fs::write(folder.join("manifest.tmp.99999.0"), "half").unwrap();
    std::fs::write(folder.join("seg-77"), "half a segment").unwrap();
    let output = run("容器");
    assert_eq!(paths(&output), ["a.md"].map(String::from).into());
    std::fs::write(tree.path().join("c.md"), "# 丙\n\n容器\n").unwrap();
    run("容器");
    assert!(!folder.join("manifest.tmp.99999.0").exists());
    assert!(!folder.join("seg-77").exists());
    for (damage, note) in [
        (
            b"FOLIOTXM\x01\0\0\0rest".to_vec(),
            "from another folio version",
        ),
        (b"garbage".to_vec(), "damaged"),
    ] {
        std::fs::write(&manifest, damage).unwrap();
        let output = run("容器");
        let stderr = String::from_utf8(output.stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(note), "{stderr}");
        assert_eq!(paths(&output), ["a.md", "c.md"].map(String::from).into());
        assert!(run("容器").stderr.is_empty(), "rebuilt once");
    }
    // A segment cut short.
    let segment = a_segment(&folder);
    let bytes = std::fs::read(&segment).unwrap();
    std::fs::write(&segment, &bytes[..bytes.len() / 2]).unwrap();
    let output = run("容器");
    assert!(String::from_utf8_lossy(&output.stderr).contains("damaged"));
    assert_eq!(paths(&output), ["a.md", "c.md"].map(String::from).into());
}

/// A generated archive big enough that indexing takes a moment.
fn generated(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    folio::archive::synth::write_archive(dir.path(), count).unwrap();
    dir
}

#[test]
fn a_killed_index_build_and_two_processes_at_once_leave_exact_results() {
    let archive = generated(1500);
    let texts = texts(archive.path());
    let want = expected(&texts, &["数据"], &[]);
    assert!(!want.is_empty());
    let cache = tempfile::tempdir().unwrap();
    // Killed a moment into the build.
    let mut build = std::process::Command::new(assert_cmd::cargo::cargo_bin("folio"))
        .env("XDG_CACHE_HOME", cache.path())
        .arg("index")
        .arg(archive.path())
        .spawn()
        .unwrap();
    // Killed once the index's folder is made (the build has begun) and before its manifest is
    // written (the build has not finished).
    let started = std::time::Instant::now();
    let index_folder = loop {
        let folder = std::fs::read_dir(cache.path().join("folio"))
            .ok()
            .and_then(|mut entries| entries.next())
            .map(|entry| entry.unwrap().path().join("text-v1"));
        if let Some(folder) = folder.filter(|f| f.is_dir()) {
            break folder;
        }
        assert!(started.elapsed().as_secs() < 60, "the build never began");
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    build.kill().unwrap();
    build.wait().unwrap();
    assert!(
        !index_folder.join("manifest").exists(),
        "the build finished before it was killed"
    );
    // Two searches at once on what it left.
    let runs: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("folio"))
                .env("XDG_CACHE_HOME", cache.path())
                .env("FOLIO_NO_STATE", "1")
                .args(["search", "数据"])
                .arg(archive.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(paths(&output), want);
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    folio()
        .env("XDG_CACHE_HOME", cache.path())
        .arg("index")
        .arg(archive.path())
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(
        paths(&search(archive.path(), cache.path(), "数据", &[])),
        want
    );
}

#[test]
fn an_unwritable_cache_still_answers_exactly_with_one_warning() {
    let tree = Tree::new()
        .file("a.md", "# 甲\n\nRust 内存\n")
        .file("b.md", "# 乙\n\nrust\n");
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("file");
    std::fs::write(&file, "").unwrap();
    let output = search(tree.path(), &file, "RUST", &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(paths(&output), ["a.md", "b.md"].map(String::from).into());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("folio: cannot open the cache"),
        "{stderr}"
    );
    // `index` has nothing to do without a cache: an error.
    folio()
        .env("XDG_CACHE_HOME", &file)
        .arg("index")
        .arg(tree.path())
        .assert()
        .code(2);
}

/// Queries the index answers alone (terms of one or two characters, or of ASCII letters and
/// digits only), and longer ones beside them.
const SHORT: &[(&str, &[&str], &[&str])] = &[
    ("r", &["r"], &[]),
    ("Ru", &["Ru"], &[]),
    ("S", &["S"], &[]),
    ("ſS", &["ſS"], &[]),
    ("k", &["k"], &[]),
    ("σ", &["σ"], &[]),
    ("aA", &["aA"], &[]),
    ("哈哈", &["哈哈"], &[]),
    ("哈 -ss", &["哈"], &["ss"]),
    ("数据 -哈哈", &["数据"], &["哈哈"]),
    ("\u{FFFD}", &["\u{FFFD}"], &[]),
    ("t", &["t"], &[]),
    ("-鲸", &[], &["鲸"]),
    ("rust -哈哈", &["rust"], &["哈哈"]),
    // Words: in mixed case, inside longer words, touching CJK, with digits, folded from the
    // Kelvin sign and the long s, overlapping themselves, excluded, two at once.
    ("rust", &["rust"], &[]),
    ("RuSt", &["RuSt"], &[]),
    ("trust", &["trust"], &[]),
    ("rusty", &["rusty"], &[]),
    ("kelvin", &["kelvin"], &[]),
    ("\u{212A}ELVIN", &["\u{212A}ELVIN"], &[]),
    ("sss", &["sss"], &[]),
    ("ſtraſſe", &["ſtraſſe"], &[]),
    ("aaa", &["aaa"], &[]),
    ("aba", &["aba"], &[]),
    ("rrr", &["rrr"], &[]),
    ("2024", &["2024"], &[]),
    ("x2024y", &["x2024y"], &[]),
    ("abcdefghijkl", &["abcdefghijkl"], &[]),
    ("rust -trust", &["rust"], &["trust"]),
    ("rust -kelvin", &["rust"], &["kelvin"]),
    ("rust tt", &["rust", "tt"], &[]),
    ("rust ok", &["rust", "ok"], &[]),
    ("-rust", &[], &["rust"]),
    // Three different characters: counted where the pairs' bounds meet, else read.
    ("编译器", &["编译器"], &[]),
    ("编译器 -翻译", &["编译器"], &["翻译"]),
    ("器 -编译器", &["器"], &["编译器"]),
    ("rust 编译器", &["rust", "编译器"], &[]),
    ("国标编", &["国标编"], &[]),
    ("a-b", &["a-b"], &[]),
    // Read: a word touching CJK, three CJK characters, a phrase; beside a word.
    ("Rust内存", &["Rust内存"], &[]),
    ("哈哈哈", &["哈哈哈"], &[]),
    ("rust 哈哈哈", &["rust", "哈哈哈"], &[]),
    ("\"rust 数\"", &["rust 数"], &[]),
];

/// `folio search` through the index and by scanning (an unwritable cache) print the same, in
/// every shape, and the hits are an independent scan's.
fn check_short(dir: &Path, cache: &Path, texts: &[(String, String)]) {
    let unwritable = cache.join("not-a-folder");
    std::fs::write(&unwritable, "").unwrap();
    for (query, wanted, excluded) in SHORT {
        let indexed = search(dir, cache, query, &["--json"]);
        assert_eq!(
            json_hits(&indexed),
            expected_hits(texts, wanted, excluded),
            "{query}"
        );
        let scanned = search(dir, &unwritable, query, &["--json"]);
        assert_eq!(
            String::from_utf8_lossy(&indexed.stdout),
            String::from_utf8_lossy(&scanned.stdout),
            "{query}: the index's answer is the scan's, in order, with its lines"
        );
        for args in [&[][..], &["--lines"], &["--limit", "2", "--lines"]] {
            assert_eq!(
                search(dir, cache, query, args).stdout,
                search(dir, &unwritable, query, args).stdout,
                "{query} {args:?}"
            );
        }
    }
}

#[test]
fn short_terms_are_counted_by_the_index_as_a_scan_counts_them() {
    let gb = "# 国标\n\n这是国标编码的文章，哈哈，RUST 和 rust。\n数据 数据 trust2024\n";
    // Mostly UTF-8 with a few bad bytes: decoded with U+FFFD, by the index and the search alike.
    let mut damaged = b"# Damaged\n\n".to_vec();
    damaged.extend("rust 数据 tt ".repeat(40).as_bytes());
    damaged.extend(b"\xff\xfe ok \xff\n");
    let tree = Tree::new()
        .file(
            "a.md",
            "# Rust 与 ſ\n\nrust RUST Rust ſs SS sss\n哈哈哈 哈哈哈哈\nKelvin \u{212A} k aAa\n\
             trust rusty Rust内存 RUST内存 aaaaa ababa \u{212A}ELVIN ſtraſſe STRASSE\n\
             2024 x2024y 20242024 abcdefghijklm\n",
        )
        .file(
            "crlf.md",
            "# 回车\r\n\r\nAA aa\r\nrust\r\n哈哈\r\nt\r\nrusty\r\naba\r\n",
        )
        .file("gb.md", encoding_rs::GB18030.encode(gb).0)
        .file("damaged.md", &damaged)
        .file("sigma.md", "# Σ\n\nΣΑΣ σας ς ϲ\n")
        .file("whale.md", "# 鲸\n\n鲸 ruSt\n")
        .file("kelvin.md", "# K\n\n\u{212A}elvin rust ok\n")
        // 编译器 known from the pairs (every 译 after 编), between bounds (read), across a line.
        .file("known.md", "# 编译器\n\n编译器 编译 编译器 a-b\n")
        .file("bounded.md", "# 翻译\n\n编译器 编译 翻译器 a-b-a-b\n")
        .file("split.md", "# 断\n\n编译\n器 编\n");
    let mut texts: Vec<(String, String)> = [
        "a.md",
        "crlf.md",
        "damaged.md",
        "sigma.md",
        "whale.md",
        "kelvin.md",
        "known.md",
        "bounded.md",
        "split.md",
    ]
    .iter()
    .map(|p| {
        let bytes = std::fs::read(tree.path().join(p)).unwrap();
        (p.to_string(), String::from_utf8_lossy(&bytes).into_owned())
    })
    .collect();
    texts.push(("gb.md".into(), gb.into()));
    let cache = tempfile::tempdir().unwrap();
    folio()
        .env("XDG_CACHE_HOME", cache.path())
        .arg("index")
        .arg(tree.path())
        .assert()
        .success();
    check_short(tree.path(), cache.path(), &texts);
    // An article edited while another process holds the index's lock: the index is not
    // updated, and speaks no more for the article, which is read.
    let canonical = std::fs::canonicalize(tree.path()).unwrap();
    let folder = folio::cache::CacheDir::open_in(&cache.path().join("folio"), &canonical).unwrap();
    let lock = folder.lock().unwrap();
    let edited = "# 改了\n\n哈哈哈哈哈哈 rrr SSSS rrrrrr 2024 编译器\n";
    std::fs::write(tree.path().join("a.md"), edited).unwrap();
    touch_later(&tree.path().join("a.md"));
    texts[0].1 = edited.into();
    check_short(tree.path(), cache.path(), &texts);
    drop(lock);
    check_short(tree.path(), cache.path(), &texts);
}

#[test]
fn the_rows_the_index_keeps_are_printed_as_titles_and_paths_make_them() {
    use std::os::unix::ffi::OsStrExt;
    // Titles and names a terminal must not act on, or that change in display form.
    let tree = Tree::new()
        .file("esc.md", "# Bad \x1b[31mred\x1b[0m\ttab\x07\n\n鲸\n")
        .file("bidi.md", "# abc\u{202E}fed \u{00AD}x\n\n鲸\n")
        .file(
            "front.md",
            "---\ntitle: \"家庭 👨\u{200D}👩\u{200D}👧 ❤\u{FE0F}\"\n---\n\n鲸\n",
        )
        .file("with space.md", "# 空格\n\n鲸\n")
        .file("no title.md", "鲸 没有标题\n")
        .file("dir/nested.md", "# 嵌套\n\n鲸\n");
    let lossy = tree.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.md"));
    std::fs::write(&lossy, "# 咖啡\x1b]0;owned\x07\n\n鲸\n").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let unwritable = cache.path().join("not-a-folder");
    std::fs::write(&unwritable, "").unwrap();
    let scanned = search(tree.path(), &unwritable, "鲸", &[]);
    assert_eq!(scanned.status.code(), Some(0));
    assert_eq!(lines(&scanned).len(), 7, "{:?}", lines(&scanned));
    for run in ["builds the index", "reads it"] {
        let indexed = search(tree.path(), cache.path(), "鲸", &[]);
        assert_eq!(indexed.status.code(), Some(0), "{run}");
        assert_eq!(
            String::from_utf8_lossy(&indexed.stdout),
            String::from_utf8_lossy(&scanned.stdout),
            "the run that {run}"
        );
        assert!(
            !indexed.stdout.iter().any(|&b| b == 0x1b || b == 0x07),
            "a control byte reached stdout"
        );
    }
    // A damaged segment (an escape where a row's letter was, the size kept): the row is not
    // printed from it.
    let segment = a_segment(&index_folder(cache.path()));
    let mut bytes = std::fs::read(&segment).unwrap();
    let row = "空格\twith space.md\n".as_bytes();
    let at = bytes.windows(row.len()).position(|w| w == row).unwrap();
    bytes[at + row.len() - 4] = 0x1b;
    std::fs::write(&segment, &bytes).unwrap();
    let damaged = search(tree.path(), cache.path(), "鲸", &[]);
    assert_eq!(
        String::from_utf8_lossy(&damaged.stdout),
        String::from_utf8_lossy(&scanned.stdout),
        "a damaged segment's rows"
    );
}

#[test]
fn a_search_through_an_unchanged_head_cache_says_what_a_walk_says() {
    use std::os::unix::ffi::OsStrExt;
    // Articles in SUMMARY.md's order and beyond it, files skipped, a name that is not UTF-8,
    // a folder: what a search prints (and warns) without the cache, on the run that writes
    // it, and on the runs that take the archive from it unchanged.
    let tree = Tree::new()
        .file("SUMMARY.md", "- [乙](b.md)\n- [甲](a/a.md)\n")
        .file("a/a.md", "# 甲\n\n鲸鱼 Rust\n")
        .file("b.md", "# 乙 鲸\n\n鲸 and rust, rust\n")
        .file("c.md", "# 丙\n\n鲸\n")
        .file("d.md", "# 丁\n\n没有\n")
        .file("empty.md", "")
        .file("binary.md", b"\x00\x01\x02 not text \x00");
    let lossy = tree.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.md"));
    std::fs::write(&lossy, "# 咖啡\n\n鲸 rust\n").unwrap();
    // Past the racy window: the folders can vouch for their names, so the tree is kept.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let cache = tempfile::tempdir().unwrap();
    let queries: [(&str, &[&str]); 6] = [
        ("鲸", &[]),
        ("鲸", &["--json"]),
        ("鲸", &["--lines"]),
        ("rust", &["--limit", "2"]),
        ("鲸 -rust", &[]),
        ("没有这个", &[]),
    ];
    for (query, args) in queries {
        let mut no_cache = args.to_vec();
        no_cache.push("--no-cache");
        let want = search(tree.path(), cache.path(), query, &no_cache);
        for run in ["writes the cache", "from the cache", "again"] {
            let got = search(tree.path(), cache.path(), query, args);
            let case = format!("{query} {args:?}, the run that {run}");
            assert_eq!(got.status.code(), want.status.code(), "{case}");
            assert_eq!(
                String::from_utf8_lossy(&got.stdout),
                String::from_utf8_lossy(&want.stdout),
                "{case}"
            );
            assert_eq!(
                String::from_utf8_lossy(&got.stderr),
                String::from_utf8_lossy(&want.stderr),
                "{case}"
            );
        }
    }
    let first = search(tree.path(), cache.path(), "鲸", &[]);
    assert_eq!(
        lines(&first),
        [
            "乙 鲸\tb.md",
            "甲\ta/a.md",
            "丙\tc.md",
            "咖啡\tcaf\u{FFFD}.md"
        ]
    );
    // The index now names the head cache file it was last found fresh against (the eight
    // bytes after the manifest's header and next segment id: 0 for none), and a search from
    // that file again writes nothing.
    let manifest = index_folder(cache.path()).join("manifest");
    let before = std::fs::read(&manifest).unwrap();
    assert_ne!(before[20..28], [0; 8], "the index names no head cache file");
    search(tree.path(), cache.path(), "rust", &[]);
    assert_eq!(std::fs::read(&manifest).unwrap(), before);
    let warned = String::from_utf8_lossy(&first.stderr);
    assert!(warned.contains("binary.md"), "{warned}");
    assert!(warned.contains("1 empty file skipped"), "{warned}");
    assert!(warned.contains("not UTF-8"), "{warned}");
    // An edit after the cache was written is seen: the archive is walked again.
    std::fs::write(tree.path().join("d.md"), "# 丁\n\n鲸鲸\n").unwrap();
    let edited = search(tree.path(), cache.path(), "鲸", &[]);
    assert!(lines(&edited).contains(&"丁\td.md".to_string()));
}

#[test]
fn a_cache_file_larger_than_memory_is_rebuilt_not_a_crash() {
    // A damaged file system, or a hand that truncated the files up: a cache file that says it
    // is a terabyte (sparse: it takes no room) is one folio cannot read whole.
    let tree = Tree::new().file("a.md", "# 甲\n\n鲸\n");
    // Past the racy window: the second run takes the archive from the head cache.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let cache = tempfile::tempdir().unwrap();
    assert_eq!(
        lines(&search(tree.path(), cache.path(), "鲸", &[])),
        ["甲\ta.md"]
    );
    let folder = index_folder(cache.path());
    let heads = folder.parent().unwrap().join("heads-v1");
    for file in [heads, folder.join("manifest")] {
        let file = std::fs::File::options().write(true).open(file).unwrap();
        file.set_len(1 << 40).unwrap();
    }
    let output = search(tree.path(), cache.path(), "鲸", &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(lines(&output), ["甲\ta.md"]);
    let listed = folio()
        .env("XDG_CACHE_HOME", cache.path())
        .arg("list")
        .arg(tree.path())
        .output()
        .unwrap();
    assert_eq!(listed.status.code(), Some(0), "{listed:?}");
}

/// The identity of the head cache file the text index names (the eight bytes after the
/// manifest's header and next segment id; 0 for none).
fn named_head_cache(cache: &Path) -> Vec<u8> {
    std::fs::read(index_folder(cache).join("manifest")).unwrap()[20..28].to_vec()
}

#[test]
fn the_index_trusts_only_the_head_cache_file_it_names() {
    let tree = Tree::new()
        .file("SUMMARY.md", "- [乙](b.md)\n- [甲](a.md)\n")
        .file("a.md", "# 甲\n\n鲸\n")
        .file("b.md", "# 乙\n\n鲸\n")
        .file("c.md", "# 丙\n\n没有\n");
    // Past the racy window: the head cache keeps the tree.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let cache = tempfile::tempdir().unwrap();
    let found = |query: &str, args: &[&str]| lines(&search(tree.path(), cache.path(), query, args));
    assert_eq!(found("鲸", &[]), ["乙\tb.md", "甲\ta.md"]);
    assert_eq!(found("鲸", &[]), ["乙\tb.md", "甲\ta.md"]);
    assert_ne!(named_head_cache(cache.path()), [0; 8]);
    // An edit, then `list`: the head cache is written again, the index is not, and still names
    // the old file. The search from the new one compares, and reads the edited article.
    std::fs::write(tree.path().join("c.md"), "# 丙\n\n鲸 新\n").unwrap();
    folio()
        .env("XDG_CACHE_HOME", cache.path())
        .arg("list")
        .arg(tree.path())
        .output()
        .unwrap();
    assert_eq!(found("新", &[]), ["丙\tc.md"]);
    // An index written in `--sort`'s order is not named: its entries are not the head cache's,
    // one for one.
    std::fs::write(tree.path().join("a.md"), "# 甲\n\n鲸 鲸\n").unwrap();
    assert_eq!(
        found("鲸", &["--sort", "title"]),
        ["甲\ta.md", "丙\tc.md", "乙\tb.md"]
    );
    assert_eq!(found("鲸", &[]), ["甲\ta.md", "乙\tb.md", "丙\tc.md"]);
    assert_eq!(named_head_cache(cache.path()), [0; 8]);
    assert_eq!(found("鲸", &[]), ["甲\ta.md", "乙\tb.md", "丙\tc.md"]);
}
