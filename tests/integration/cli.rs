//! The command contract (`list`, `find`, `cat`) as scripts see it: the real binary on
//! temporary trees and on `sample-articles/`.

use crate::common::{Tree, folio, lines, samples};
use predicates::prelude::*;
use serde_json::Value;

fn json_lines(output: &std::process::Output) -> Vec<Value> {
    lines(output)
        .iter()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

#[test]
fn list_follows_the_summary_order_then_the_rest_by_path() {
    let out = folio().arg("list").arg(samples()).assert().success();
    let paths: Vec<String> = lines(out.get_output())
        .iter()
        .map(|l| l.split('\t').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "docs/river-ferry.md",
            "docs/茶 与 水.md",
            "docs/typography-notes.md",
            "docs/rust-typesetting.md",
            "docs/grep-in-rust.md",
            // docs/rail/README.md in the top SUMMARY.md: docs/rail/SUMMARY.md's order.
            "docs/rail/timetable.md",
            "docs/rail/night-train.md",
            "docs/rail/gauge.md",
            "docs/compiler-stages.md",
            "docs/inline-html.md",
            "docs/emoji-assembly.md",
            "docs/cjk-neighbors.md",
            "docs/packing-list.markdown",
            "docs/versions.MD",
            "docs/tide.md",
            "docs/notes/2024/deep/setext-morning.md",
            // Not in any SUMMARY.md: after the listed ones.
            "docs/notes/postscript.md",
        ]
    );
}

#[test]
fn list_lines_are_title_tab_path() {
    let out = folio().args(["list"]).arg(samples()).assert().success();
    let all = lines(out.get_output());
    assert_eq!(all[0], "江上渡口：一条河流的慢时光\tdocs/river-ferry.md");
    // Inline markup in a title is shown as its plain text.
    assert!(all.contains(&"用 Rust 写一个 grep：入门\tdocs/grep-in-rust.md".to_string()));
    // Setext title, CRLF file with trailing #s, front-matter title standing in for an H1.
    assert!(all.contains(&"清晨的编辑器\tdocs/notes/2024/deep/setext-morning.md".to_string()));
    assert!(all.contains(&"河口的潮汐\tdocs/tide.md".to_string()));
    assert!(all.contains(&"用 Rust 做中文排版的几点体会\tdocs/rust-typesetting.md".to_string()));
}

#[test]
fn list_json_carries_source_and_metadata() {
    let out = folio()
        .args(["list", "--json"])
        .arg(samples())
        .assert()
        .success();
    let rows = json_lines(out.get_output());
    assert_eq!(rows.len(), 17);
    let by_path = |p: &str| rows.iter().find(|r| r["path"] == p).unwrap().clone();
    let typesetting = by_path("docs/rust-typesetting.md");
    assert_eq!(typesetting["date"], "2024-05-27T14:54:03");
    assert_eq!(typesetting["category"], "技术");
    assert_eq!(typesetting["tags"], serde_json::json!(["rust", "排版"]));
    assert_eq!(
        typesetting["source"],
        "https://example.org/rust/cjk-typesetting-notes"
    );
    let night = by_path("docs/rail/night-train.md");
    assert_eq!(night["date"], "2024-05-27T14:27:37");
    assert_eq!(night["category"], "未分类");
    assert_eq!(
        night["source"],
        "https://example.com/rail/night-train-notes"
    );
    assert_eq!(
        by_path("docs/notes/postscript.md")["date"],
        "2024-05-27T15:12:54"
    );
    assert_eq!(
        by_path("docs/rail/timetable.md")["date"],
        "2024-05-27T14:54:03"
    );
    // No source line: null, present.
    let setext = by_path("docs/notes/2024/deep/setext-morning.md");
    assert!(setext["source"].is_null());
    assert!(setext.get("date").is_none());
    // The three URL shapes and the bare link quote.
    assert_eq!(
        by_path("docs/typography-notes.md")["source"],
        "https://example.org/typography/notes-on-screen-type"
    );
    assert_eq!(
        by_path("docs/rail/gauge.md")["source"],
        "https://example.com/rail/why-standard-gauge"
    );
    assert_eq!(
        by_path("docs/inline-html.md")["source"],
        "https://example.com/wechat/html-fragments"
    );
    // The link inside the title is not the source.
    assert_eq!(
        by_path("docs/grep-in-rust.md")["source"],
        "https://example.org/rust/mini-grep"
    );
}

#[test]
fn without_a_summary_the_order_is_by_path() {
    let tree = Tree::new()
        .file("b.md", "# B\n")
        .file("a/z.md", "# AZ\n")
        .file("a.md", "# A\n")
        .file("c/d/e.md", "# E\n");
    let out = folio().arg("list").arg(tree.path()).assert().success();
    assert_eq!(
        lines(out.get_output()),
        // Component by component: the folder `a` sorts before the file `a.md`.
        ["AZ\ta/z.md", "A\ta.md", "B\tb.md", "E\tc/d/e.md"]
    );
}

#[test]
fn nested_summaries_stand_in_for_folder_readmes() {
    let tree = Tree::new()
        .file(
            "SUMMARY.md",
            "+   [Second month](docs/02/README.md)\n+   [First month](docs/01/README.md)\n",
        )
        .file(
            "docs/01/SUMMARY.md",
            "+   [m](README.md)\n+   [y](y.md)\n+   [x](x.md)\n",
        )
        .file("docs/01/README.md", "# month one\n")
        .file("docs/01/x.md", "# X1\n")
        .file("docs/01/y.md", "# Y1\n")
        .file("docs/02/SUMMARY.md", "+   [b](b.md)\n    +   [a](a.md)\n")
        .file("docs/02/a.md", "# A2\n")
        .file("docs/02/b.md", "# B2\n")
        .file("docs/02/NAV.md", "# nav\n")
        .file("docs/00-unlisted.md", "# U\n");
    let out = folio().arg("list").arg(tree.path()).assert().success();
    assert_eq!(
        lines(out.get_output()),
        [
            "B2\tdocs/02/b.md",
            "A2\tdocs/02/a.md",
            "Y1\tdocs/01/y.md",
            "X1\tdocs/01/x.md",
            "U\tdocs/00-unlisted.md"
        ]
    );
}

#[test]
fn which_files_are_articles() {
    let tree = Tree::new()
        .file("a.md", "# a\n")
        .file(".md", "# named just .md\n")
        .file("b.markdown", "# b\n")
        .file("C.MD", "# c\n")
        .file("README.md", "# readme\n")
        .file("sub/SUMMARY.md", "# summary\n")
        .file("sub/NAV.md", "# nav\n")
        .file("sub/README.md", "# sub readme\n")
        .file(".git/x.md", "# in .git\n")
        .file(".hidden/y.md", "# in a hidden folder\n")
        .file("notes.txt", "# text\n");
    let out = folio().arg("list").arg(tree.path()).assert().success();
    let mut titles: Vec<String> = lines(out.get_output())
        .iter()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    titles.sort();
    assert_eq!(titles, ["a", "b", "c", "named just .md"]);
}

#[test]
fn unreadable_files_are_warned_about_and_the_index_goes_on() {
    let tree = Tree::new()
        .file("good.md", "# 好\n")
        .file("empty.md", "")
        .file("latin1.md", b"# caf\xe9\n".as_slice())
        .file("junk.md", b"\x00\x01\x02binary".as_slice());
    let out = folio().arg("list").arg(tree.path()).assert().success();
    assert_eq!(lines(out.get_output()), ["好\tgood.md"]);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let shown = |name: &str| tree.path().join(name).display().to_string();
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 3, "{stderr}");
    assert!(
        warnings.contains(&"folio: 1 empty file skipped"),
        "{stderr}"
    );
    assert!(
        warnings.contains(
            &format!(
                "folio: skipped {}: {}",
                shown("latin1.md"),
                folio::archive::read::NOT_TEXT
            )
            .as_str()
        )
    );
    assert!(
        warnings.contains(
            &format!(
                "folio: skipped {}: binary file (NUL bytes)",
                shown("junk.md")
            )
            .as_str()
        )
    );
    // --verbose names the empty file too; --quiet says nothing.
    let verbose = folio()
        .args(["list", "--verbose"])
        .arg(tree.path())
        .output()
        .unwrap();
    let verbose = String::from_utf8(verbose.stderr).unwrap();
    assert_eq!(verbose.lines().count(), 3, "{verbose}");
    assert!(verbose.contains(&format!("folio: skipped {}: empty file", shown("empty.md"))));
    folio()
        .args(["list", "--quiet"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout("好\tgood.md\n")
        .stderr("");
}

#[test]
fn empty_files_are_one_line_however_many() {
    let mut tree = Tree::new().file("a.md", "# a\n");
    for i in 0..5 {
        tree = tree.file(&format!("empty-{i}.md"), "\n");
    }
    folio()
        .arg("list")
        .arg(tree.path())
        .assert()
        .success()
        .stderr("folio: 5 empty files skipped\n");
    let verbose = folio()
        .args(["--verbose", "list"])
        .arg(tree.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(verbose.stderr).unwrap().lines().count(),
        5
    );
}

#[test]
fn warnings_use_paths_as_typed_when_dir_is_the_current_one() {
    let tree = Tree::new()
        .file("docs/empty.md", "")
        .file("docs/a.md", "# a\n");
    folio()
        .args(["list", "--verbose"])
        .current_dir(tree.path())
        .assert()
        .success()
        .stdout("a\tdocs/a.md\n")
        .stderr("folio: skipped docs/empty.md: empty file\n");
}

#[test]
fn control_characters_in_titles_never_reach_text_output() {
    let tree = Tree::new().file("evil.md", "# a\u{1b}]0;pwned\u{7}b\tc\u{9b}31m\n");
    let out = folio().arg("list").arg(tree.path()).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text, "a␛]0;pwned␇b c\u{FFFD}31m\tevil.md\n");
    // JSON keeps the exact title, escaped: no raw control byte.
    let out = folio()
        .args(["list", "--json"])
        .arg(tree.path())
        .assert()
        .success();
    let raw = &out.get_output().stdout;
    assert!(!raw.iter().any(|&b| b < 0x20 && b != b'\n'));
    assert_eq!(
        json_lines(out.get_output())[0]["title"],
        "a\u{1b}]0;pwned\u{7}b\tc\u{9b}31m"
    );
}

#[test]
fn a_missing_or_non_directory_dir_is_a_usage_error() {
    folio()
        .args(["list", "/no/such/folio/dir"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("folio: cannot open /no/such/folio/dir: no such directory\n");
    let tree = Tree::new().file("a.md", "# a\n");
    let file = tree.path().join("a.md");
    folio()
        .arg("find")
        .arg("a")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a directory"));
    folio()
        .arg("cat")
        .arg("a")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a directory"));
}

#[test]
fn options_may_stand_before_or_after_arguments() {
    let before = folio()
        .args(["list", "--json"])
        .arg(samples())
        .output()
        .unwrap();
    let after = folio()
        .arg("list")
        .arg(samples())
        .arg("--json")
        .output()
        .unwrap();
    assert!(before.status.success());
    assert_eq!(before.stdout, after.stdout);
    let a = folio()
        .args(["find", "--limit", "1", "铁路"])
        .arg(samples())
        .output()
        .unwrap();
    let b = folio()
        .args(["find", "铁路"])
        .arg(samples())
        .args(["--limit", "1"])
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn find_ranks_best_first_and_exits_1_on_no_match() {
    let tree = Tree::new()
        .file("1.md", "# 一篇关于茶的长文章：茶叶、茶具与水\n")
        .file("2.md", "# 茶与水\n")
        .file("3.md", "# 河流\n");
    let out = folio()
        .args(["find", "茶与水"])
        .arg(tree.path())
        .assert()
        .success();
    let found = lines(out.get_output());
    assert_eq!(found[0], "茶与水\t2.md");
    assert_eq!(found.len(), 2);
    folio()
        .args(["find", "zzzz"])
        .arg(tree.path())
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn find_is_smart_case_keeps_ties_in_order_and_limits() {
    let tree = Tree::new()
        .file("a.md", "# rust notes\n")
        .file("b.md", "# Rust notes\n")
        .file("c.md", "# rust notes\n");
    let out = folio()
        .args(["find", "rust"])
        .arg(tree.path())
        .assert()
        .success();
    assert_eq!(lines(out.get_output()).len(), 3);
    let out = folio()
        .args(["find", "Rust"])
        .arg(tree.path())
        .assert()
        .success();
    assert_eq!(lines(out.get_output()), ["Rust notes\tb.md"]);
    let out = folio()
        .args(["find", "notes", "--limit", "2"])
        .arg(tree.path())
        .assert()
        .success();
    // Equal scores keep the default (path) order.
    assert_eq!(
        lines(out.get_output()),
        ["rust notes\ta.md", "Rust notes\tb.md"]
    );
    let out = folio()
        .args(["find", "Rust", "--json"])
        .arg(tree.path())
        .assert()
        .success();
    assert_eq!(json_lines(out.get_output())[0]["path"], "b.md");
}

#[test]
fn cat_into_a_pipe_gives_the_files_bytes_unchanged() {
    let bytes = b"\xef\xbb\xbf# T\r\n\r\n\x1b[31m red \x07\r\n".as_slice();
    let tree = Tree::new().file("docs/t.md", bytes);
    // By path relative to DIR.
    folio()
        .args(["cat", "docs/t.md"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout(bytes);
    // By absolute path, and with --raw (raw into a pipe is still the bytes).
    folio()
        .arg("cat")
        .arg(tree.path().join("docs/t.md"))
        .arg("--raw")
        .assert()
        .success()
        .stdout(bytes);
}

#[test]
fn cat_by_query_notes_the_path_on_stderr() {
    let tree = Tree::new()
        .file("docs/tea.md", "# 茶与水\n\n正文\n")
        .file("docs/river.md", "# 河流\n");
    folio()
        .args(["cat", "茶"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout("# 茶与水\n\n正文\n")
        .stderr(format!(
            "folio: {}\n",
            tree.path().join("docs/tea.md").display()
        ));
    folio()
        .args(["cat", "nothing-like-this"])
        .arg(tree.path())
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("no article matches"));
}

#[test]
fn cat_plain_has_no_control_characters() {
    let tree = Tree::new().file("t.md", "# T\n\na\u{1b}[2Jb\u{7}c\u{9b}d\n");
    let out = folio()
        .args(["cat", "t.md", "--plain", "--width", "40"])
        .arg(tree.path())
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(text.contains('T'));
}

#[test]
fn cat_plain_renders_the_article_at_the_width() {
    let out = folio()
        .args(["cat", "docs/river-ferry.md", "--plain", "--width", "30"])
        .arg(samples())
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let widths: Vec<usize> = text
        .lines()
        .map(|l| folio::render::width::str_width(l, folio::render::width::AmbiWidth::Single))
        .collect();
    assert!(widths.iter().all(|&w| w <= 30), "{text}");
    // Rendered, not the source: no `> 原文：` quote marker, the title is there, and long
    // Chinese paragraphs fill the lines (some line is at least 28 columns).
    assert!(text.contains("江上渡口"));
    assert!(!text.contains("> 原文"));
    assert!(widths.iter().any(|&w| w >= 28));
    // No line starts with closing punctuation.
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with(['，', '。', '、', '；', '：', '？', '！', '）', '」', '》']))
    );
}

#[test]
fn cat_refuses_widths_below_20() {
    let tree = Tree::new().file("t.md", "# T\n");
    folio()
        .args(["cat", "t.md", "--plain", "--width", "19"])
        .arg(tree.path())
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn raw_and_plain_exclude_each_other() {
    folio()
        .args(["cat", "x", "--raw", "--plain"])
        .assert()
        .code(2);
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let mut tree = Tree::new();
    for i in 0..3000 {
        tree = tree.file(&format!("d/{i:05}.md"), format!("# 标题 {i}\n"));
    }
    let folio_bin = assert_cmd::cargo::cargo_bin("folio");
    for command in ["list", "find 标题"] {
        let script = format!(
            "set -o pipefail; '{}' {command} '{}' | head -1 >/dev/null",
            folio_bin.display(),
            tree.path().display()
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .env("XDG_CACHE_HOME", crate::common::test_cache())
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{command}");
    }
}

#[test]
fn a_full_disk_is_reported_with_exit_2() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("skipping: no /dev/full here");
        return;
    };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("folio"))
        .env("XDG_CACHE_HOME", crate::common::test_cache())
        .arg("list")
        .arg(samples())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("folio: cannot write output: No space left on device"),
        "{stderr}"
    );
}

#[test]
fn help_documents_the_exit_codes() {
    folio()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("130"));
}

#[test]
fn find_jumps_by_pinyin_after_plain_matches() {
    let tree = Tree::new()
        .file("a.md", "# 北京大学的早晨\n")
        .file("b.md", "# 微信暂停新用户注册\n")
        .file("c.md", "# 银行行长的一天\n")
        .file("d.md", "# bjdx: notes\n");
    let find = |query: &str| {
        let out = folio()
            .args(["find", query])
            .arg(tree.path())
            .assert()
            .success();
        lines(out.get_output())
    };
    // Initials; a title that matches as typed comes first.
    assert_eq!(find("bjdx"), ["bjdx: notes\td.md", "北京大学的早晨\ta.md"]);
    // Full pinyin, mixed with Chinese, polyphonic 行 (xíng, háng).
    assert_eq!(find("beijing"), ["北京大学的早晨\ta.md"]);
    assert_eq!(find("wx暂停"), ["微信暂停新用户注册\tb.md"]);
    assert_eq!(find("yinhang"), ["银行行长的一天\tc.md"]);
    assert_eq!(find("hangzhang"), ["银行行长的一天\tc.md"]);
}

/// An archive whose orders by summary, path, title and date all differ.
fn dated_tree() -> Tree {
    Tree::new()
        .file(
            "SUMMARY.md",
            "- [c](c.md)\n- [a](a.md)\n- [b](b.md)\n- [d](d.md)\n",
        )
        .file("a.md", "---\ndate: 2024-05-27\n---\n# Beta\n")
        .file("b.md", "# Alpha\n")
        .file("c.md", "---\ndate: 2019-01-02\n---\n# Delta\n")
        .file("d.md", "---\ndate: 2021-03-04\n---\n# Gamma\n")
}

fn paths(out: &std::process::Output) -> Vec<String> {
    lines(out)
        .iter()
        .map(|l| l.split('\t').nth(1).unwrap().to_string())
        .collect()
}

#[test]
fn sort_orders_list_find_ties_and_comes_before_or_after_the_command() {
    let tree = dated_tree();
    let list = |args: &[&str]| {
        let out = folio().args(args).arg(tree.path()).assert().success();
        paths(out.get_output())
    };
    assert_eq!(list(&["list"]), ["c.md", "a.md", "b.md", "d.md"]);
    assert_eq!(
        list(&["list", "--sort", "summary"]),
        ["c.md", "a.md", "b.md", "d.md"]
    );
    assert_eq!(
        list(&["list", "--sort", "path"]),
        ["a.md", "b.md", "c.md", "d.md"]
    );
    assert_eq!(
        list(&["--sort", "title", "list"]),
        ["b.md", "a.md", "c.md", "d.md"]
    );
    // Oldest first, undated last.
    assert_eq!(
        list(&["list", "--sort=date"]),
        ["c.md", "d.md", "a.md", "b.md"]
    );
    // find ranks best first; equal scores come in the sort order.
    let out = folio()
        .args(["find", "a", "--sort", "date"])
        .arg(tree.path())
        .assert()
        .success();
    let found = paths(out.get_output());
    assert_eq!(found.len(), 4);
    folio()
        .args(["list", "--sort", "newest"])
        .arg(tree.path())
        .assert()
        .code(2);
}

/// Five articles in a SUMMARY.md order (c, e, a, b, d), two of them alike in date and title.
fn tied_tree() -> Tree {
    Tree::new()
        .file(
            "SUMMARY.md",
            "- [c](c.md)\n- [e](e.md)\n- [a](a.md)\n- [b](b.md)\n- [d](d.md)\n",
        )
        .file("a.md", "---\ndate: 2024-05-27\n---\n# Beta\n")
        .file("b.md", "# Alpha\n")
        .file("c.md", "---\ndate: 2019-01-02\n---\n# Delta\n")
        .file("d.md", "---\ndate: 2021-03-04\n---\n# Gamma\n")
        .file("e.md", "---\ndate: 2024-05-27\n---\n# Beta\n")
}

#[test]
fn a_minus_reverses_every_sort_and_newest_first_keeps_the_undated_last() {
    let tree = tied_tree();
    let list = |args: &[&str]| {
        let out = folio().args(args).arg(tree.path()).assert().success();
        paths(out.get_output())
    };
    // Ties (e and a: same date, same title) keep the archive's order in both directions.
    assert_eq!(
        list(&["list", "--sort", "date"]),
        ["c.md", "d.md", "e.md", "a.md", "b.md"]
    );
    assert_eq!(
        list(&["list", "--sort", "-date"]),
        ["e.md", "a.md", "d.md", "c.md", "b.md"],
        "newest first, the undated after the dated"
    );
    assert_eq!(
        list(&["--sort=-date", "list"]),
        ["e.md", "a.md", "d.md", "c.md", "b.md"]
    );
    assert_eq!(
        list(&["list", "--sort", "title"]),
        ["b.md", "e.md", "a.md", "c.md", "d.md"]
    );
    assert_eq!(
        list(&["list", "--sort", "-title"]),
        ["d.md", "c.md", "e.md", "a.md", "b.md"]
    );
    assert_eq!(
        list(&["list", "--sort", "-path"]),
        ["e.md", "d.md", "c.md", "b.md", "a.md"]
    );
    assert_eq!(
        list(&["list", "--sort", "-summary"]),
        ["d.md", "b.md", "a.md", "e.md", "c.md"]
    );
    // A `-` alone, or before no key, is a usage error that names the keys.
    let out = folio()
        .args(["list", "--sort", "-newest"])
        .arg(tree.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("-date"), "{stderr}");
}

#[test]
fn newest_first_orders_the_ties_of_find_and_search_and_the_config_file_takes_it() {
    let tree = Tree::new()
        .file("SUMMARY.md", "- [x](x.md)\n- [z](z.md)\n- [y](y.md)\n")
        .file("x.md", "---\ndate: 2020-01-01\n---\n# Note\n\nnote\n")
        .file("y.md", "---\ndate: 2023-01-01\n---\n# Note\n\nnote\n")
        .file("z.md", "# Note\n\nnote\n");
    for command in ["find", "search"] {
        let out = folio()
            .args([command, "Note", "--sort", "-date"])
            .arg(tree.path())
            .assert()
            .success();
        assert_eq!(
            paths(out.get_output()),
            ["y.md", "x.md", "z.md"],
            "{command}"
        );
    }
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("folio")).unwrap();
    std::fs::write(
        config.path().join("folio/config.toml"),
        "sort = \"-date\"\n",
    )
    .unwrap();
    let out = folio()
        .env("XDG_CONFIG_HOME", config.path())
        .arg("list")
        .arg(tree.path())
        .assert()
        .success();
    assert_eq!(paths(out.get_output()), ["y.md", "x.md", "z.md"]);
}

#[test]
fn the_config_file_sets_defaults_and_a_bad_line_is_named() {
    let tree = dated_tree();
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("folio")).unwrap();
    let file = config.path().join("folio/config.toml");
    std::fs::write(
        &file,
        format!(
            "# mine\nsort = \"date\"\ndir = \"{}\"\n",
            tree.path().display()
        ),
    )
    .unwrap();
    let out = folio()
        .env("XDG_CONFIG_HOME", config.path())
        .arg("list")
        .assert()
        .success();
    assert_eq!(paths(out.get_output()), ["c.md", "d.md", "a.md", "b.md"]);
    // The command line wins.
    let out = folio()
        .env("XDG_CONFIG_HOME", config.path())
        .args(["list", "--sort", "path"])
        .assert()
        .success();
    assert_eq!(paths(out.get_output())[0], "a.md");
    std::fs::write(&file, "theme = dark\nsort = newest\n").unwrap();
    let out = folio()
        .env("XDG_CONFIG_HOME", config.path())
        .arg("list")
        .arg(tree.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("config.toml: line 2: bad sort \"newest\""),
        "{stderr}"
    );
}

#[test]
fn completions_and_man_page_are_generated() {
    for (shell, marker) in [
        ("bash", "_folio()"),
        ("zsh", "#compdef folio"),
        ("fish", "complete -c folio"),
    ] {
        let out = folio().args(["completions", shell]).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            text.contains(marker),
            "{shell}: {}",
            &text[..text.len().min(200)]
        );
        assert!(text.contains("ambiwidth"), "{shell} completes the options");
    }
    let out = folio().arg("man").assert().success();
    let page = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        page.starts_with(".ie") || page.contains(".TH folio"),
        "{}",
        &page[..200]
    );
    assert!(page.contains("\\-\\-sort"), "the options are in the page");
}

#[test]
fn find_pins_the_first_rows_of_latin_pinyin_and_mixed_queries() {
    let first = |query: &str| {
        let out = folio()
            .args(["find", "--limit", "2", "--", query])
            .arg(samples())
            .output()
            .unwrap();
        paths(&out)
    };
    // Latin: the same word in two titles; equal scores keep the archive's order.
    assert_eq!(
        first("rust"),
        ["docs/rust-typesetting.md", "docs/grep-in-rust.md"]
    );
    // Latin on the file name's words: 茶 与 水 is "tea" nowhere in its title.
    assert_eq!(first("tea")[0], "docs/茶 与 水.md");
    // Pinyin initials of two characters together (列车) before initials scattered.
    assert_eq!(
        first("lc"),
        ["docs/rail/timetable.md", "docs/inline-html.md"]
    );
    // A whole syllable at the title's start (茶) before one further in (慢火车).
    assert_eq!(
        first("cha"),
        ["docs/茶 与 水.md", "docs/packing-list.markdown"]
    );
    // Mixed: a Latin word and the initials of 排版.
    assert_eq!(first("rust pb"), ["docs/rust-typesetting.md"]);
    // Latin on an English title before a scattered match by pinyin.
    assert_eq!(
        first("ty"),
        ["docs/typography-notes.md", "docs/rust-typesetting.md"]
    );
}

/// The text a man page shows, from its roff source: escapes undone, fonts dropped.
fn man_text(roff: &str) -> String {
    roff.replace("\\fB", "")
        .replace("\\fR", "")
        .replace("\\fI", "")
        .replace("\\-", "-")
        .replace("\\*(Aq", "'")
        .replace("\\(aq", "'")
        .replace("\\&", "")
        .replace("\\\\", "\\")
}

#[test]
fn help_and_the_man_page_list_every_key_the_query_syntax_and_pinyin() {
    use folio::tui::keymap::{BINDINGS, name};
    let out = folio().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let out = folio().arg("man").assert().success();
    let page = man_text(&String::from_utf8_lossy(&out.get_output().stdout));
    for (shown, text) in [("--help", &help), ("folio man", &page)] {
        // Every key of the table the interface reads, beside what it does: on the text's line
        // in --help, on the line before it (and in its "also") in the man page's source.
        let lines: Vec<&str> = text.lines().collect();
        for binding in BINDINGS {
            let keys: Vec<String> = (binding.keys.iter().copied().flatten())
                .chain(binding.also)
                .map(|(key, _)| name(*key))
                .collect();
            let beside = (0..lines.len()).any(|i| {
                let around = format!("{} {}", lines[i.saturating_sub(1)], lines[i]);
                lines[i].contains(binding.text) && keys.iter().all(|key| around.contains(key))
            });
            assert!(beside, "{shown} lacks {keys:?} for {:?}", binding.text);
        }
        for form in [
            "'term", "^term", "term$", "!term", "a\\ b", "pinyin", "bjdx",
        ] {
            assert!(text.contains(form), "{shown} lacks {form:?}");
        }
        assert!(text.contains("130"), "{shown} has the exit codes");
    }
    // -h stays short and says where the rest is.
    let out = folio().arg("-h").assert().success();
    let short = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(!short.contains("Alt-b"), "{short}");
    assert!(short.contains("folio --help"), "{short}");
}

#[test]
fn cat_measures_ambiguous_characters_as_asked_at_40_columns() {
    let text = "# 引号\n\n他说：“这里的省略号……和破折号——在有的终端里占两格。”这句话写得很长，长到要换好几行才能放下。\n";
    let tree = Tree::new().file("q.md", text);
    let cat = |ambi: &str| {
        let out = folio()
            .args([
                "cat",
                "q.md",
                "--plain",
                "--width",
                "40",
                "--ambiwidth",
                ambi,
            ])
            .arg(tree.path())
            .assert()
            .success();
        lines(out.get_output())
    };
    use folio::render::width::{AmbiWidth, str_width};
    let double = cat("double");
    for line in &double {
        assert!(str_width(line, AmbiWidth::Double) <= 40, "{line:?}");
    }
    let single = cat("single");
    assert!(
        single
            .iter()
            .any(|l| str_width(l, AmbiWidth::Double) > 40 || l.contains('…'))
    );
    assert_ne!(single, double, "the lines break elsewhere");
}

#[test]
fn color_always_styles_cat_into_a_pipe_and_hyperlinks_are_osc8() {
    let tree = Tree::new().file("l.md", "# 链接\n\n见[文档](https://example.org/doc)。\n");
    let out = folio()
        .args(["cat", "l.md", "--color", "always", "--hyperlinks"])
        .arg(tree.path())
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("\x1b["), "{text:?}");
    assert!(
        text.contains("\x1b]8;;https://example.org/doc\x1b\\"),
        "{text:?}"
    );
    // Into a pipe by default: the bytes, unstyled.
    let out = folio()
        .args(["cat", "l.md"])
        .arg(tree.path())
        .assert()
        .success();
    assert!(!out.get_output().stdout.contains(&0x1b));
}

#[test]
fn an_unknown_option_prints_the_real_usage_wherever_it_stands() {
    for args in [
        vec!["--bogus"],
        vec!["sample-articles", "--bogus"],
        vec!["--bogus", "sample-articles"],
    ] {
        folio()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "Usage: folio [OPTIONS] [DIR] [COMMAND]",
            ))
            .stderr(predicate::str::contains("folio <DIR>").not());
    }
    // A command's own usage stays its own.
    folio()
        .args(["list", "--bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Usage: folio list [OPTIONS] [DIR]",
        ));
}

#[test]
fn cat_never_pages_into_a_pipe() {
    let out = folio()
        .args(["cat", "docs/typography-notes.md"])
        .arg(samples())
        .args(["--paging", "always", "--plain"])
        .env("PAGER", "sed s/^/PAGED:/")
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        !text.contains("PAGED:") && text.contains("Notes on Setting Type"),
        "{text}"
    );
}

#[test]
fn find_highlights_matched_characters_when_colour_is_on() {
    let lit = folio()
        .args(["find", "时刻表"])
        .arg(samples())
        .args(["--color", "always"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&lit.get_output().stdout).into_owned();
    assert!(
        text.starts_with("读一张列车\x1b[1;33m时刻表\x1b[22;39m\tdocs/rail/timetable.md"),
        "{text:?}"
    );
    // Into a pipe by default, and with --json, the lines stay plain.
    for extra in [&[][..], &["--json", "--color", "always"][..]] {
        let plain = folio()
            .args(["find", "时刻表"])
            .arg(samples())
            .args(extra)
            .assert()
            .success();
        assert!(!plain.get_output().stdout.contains(&0x1b));
    }
}

#[test]
fn print0_gives_exact_paths_for_xargs() {
    use std::os::unix::ffi::OsStrExt;
    let tree = Tree::new()
        .file("a.md", "# 甲\n")
        .file("docs/茶 与 水.md", "# 茶与水\n");
    // A name that is not UTF-8: its exact bytes, openable.
    let odd = tree
        .path()
        .join("docs")
        .join(std::ffi::OsStr::from_bytes(b"\xff\xfe.md"));
    let odd_written = std::fs::write(&odd, "# 怪名\n").is_ok();
    let out = folio()
        .args(["list", "--print0"])
        .arg(tree.path())
        .assert()
        .success();
    let paths: Vec<&[u8]> = out
        .get_output()
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .collect();
    assert!(out.get_output().stdout.ends_with(b"\0"));
    assert_eq!(paths.len(), if odd_written { 3 } else { 2 });
    for path in &paths {
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
        assert!(path.starts_with(tree.path()), "{path:?}");
        assert!(path.is_file(), "openable as printed: {path:?}");
    }
    let found = folio()
        .args(["find", "茶", "--print0"])
        .arg(tree.path())
        .assert()
        .success();
    let expected = [
        tree.path().join("docs/茶 与 水.md").as_os_str().as_bytes(),
        b"\0",
    ]
    .concat();
    assert_eq!(found.get_output().stdout, expected);
    folio()
        .args(["find", "zzzq", "--print0"])
        .arg(tree.path())
        .assert()
        .code(1)
        .stdout("");
}
