//! Hostile archives (issue 7): every kind of file real archives hold that is not clean text,
//! file names that are not what they seem, output that cannot be written, trees that must not
//! be written. Each case: no crash, the index goes on, one warning line naming the file and
//! the reason, nothing a terminal would act on in text output.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::common::{self, Tree, folio, lines};
use encoding_rs::{BIG5, GB18030};
use folio::archive::read::NOT_TEXT;
use folio::render::width::{AmbiWidth, str_width};
use serde_json::Value;

const ARTICLE: &str = "# 微信暂停新用户注册，官方紧急回应！\n\n> 原文：<https://example.org/wx>\n\n近日，有网友反应：“微信”暂停了新用户注册。\n";

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_folio"))
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 warnings")
}

fn json_rows(output: &Output) -> Vec<Value> {
    lines(output)
        .iter()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// Asserts that `bytes`, text output meant for a terminal, hold nothing a terminal acts on:
/// no C0 control but tab and newline, no DEL, no C1 control, no bidi override.
fn assert_display_safe(bytes: &[u8], what: &str) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{what}: not UTF-8"));
    for c in text.chars() {
        let control = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        assert!(!control, "{what}: U+{:04X} in {text:?}", c as u32);
    }
}

#[test]
fn other_encodings_are_decoded_where_they_can_be_told_else_skipped() {
    let (gb, _, _) = GB18030.encode(ARTICLE);
    let traditional =
        "# 微軟發佈新版本，開發者們紛紛表示關注\n\n這是一個測試文章，講述臺灣的鐵路。\n";
    let (big5, _, _) = BIG5.encode(traditional);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "# 双字节的标题\n\n正文。\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let tree = Tree::new()
        .file("gb.md", &gb)
        .file("big5.md", &big5)
        .file("utf16.md", &utf16)
        .file(
            "latin1.md",
            b"# Caf\xe9 cr\xe8me br\xfbl\xe9e\n\nna\xefve\n",
        )
        .file("koi8.md", b"# \xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2\n");
    let out = folio().arg("list").arg(tree.path()).assert().success();
    let mut listed = lines(out.get_output());
    listed.sort();
    assert_eq!(
        listed,
        [
            "双字节的标题\tutf16.md",
            "微信暂停新用户注册，官方紧急回应！\tgb.md",
            "微軟發佈新版本，開發者們紛紛表示關注\tbig5.md",
        ]
    );
    let stderr = stderr_of(out.get_output());
    let mut warnings: Vec<&str> = stderr.lines().collect();
    warnings.sort();
    let shown = |name: &str| tree.path().join(name).display().to_string();
    assert_eq!(
        warnings,
        [
            format!("folio: skipped {}: {NOT_TEXT}", shown("koi8.md")),
            format!("folio: skipped {}: {NOT_TEXT}", shown("latin1.md")),
        ]
    );
    // The source line is read from the decoded head too.
    let out = folio()
        .args(["find", "微信", "--json"])
        .arg(tree.path())
        .assert()
        .success();
    assert_eq!(
        json_rows(out.get_output())[0]["source"],
        "https://example.org/wx"
    );
    // Opened, it is decoded; into a pipe, `cat` gives the file's bytes unchanged.
    let out = folio()
        .args(["cat", "gb.md", "--plain", "--width", "60"])
        .arg(tree.path())
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("近日，有网友反应"), "{text}");
    folio()
        .args(["cat", "gb.md"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout(gb.into_owned());
}

#[test]
fn truncated_and_damaged_utf8_is_indexed_with_replacement_characters() {
    let whole = "# 截断的文章\n\n正文写到一半就断了：中".as_bytes();
    let cut = &whole[..whole.len() - 1]; // the last character cut in two
    let cut_title = &"# 标题".as_bytes()[..7];
    let mut damaged = ARTICLE.repeat(8).into_bytes();
    damaged[ARTICLE.len() + 20] = 0xFF;
    let tree = Tree::new()
        .file("cut.md", cut)
        .file("cut-title.md", cut_title)
        .file("damaged.md", &damaged);
    let out = folio().arg("list").arg(tree.path()).assert().success();
    assert_eq!(stderr_of(out.get_output()), "");
    let mut listed = lines(out.get_output());
    listed.sort();
    assert_eq!(
        listed,
        [
            "微信暂停新用户注册，官方紧急回应！\tdamaged.md",
            "截断的文章\tcut.md",
            "标\u{FFFD}\tcut-title.md",
        ]
    );
    let out = folio()
        .args(["cat", "cut.md", "--plain"])
        .arg(tree.path())
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("断了：\u{FFFD}"), "{text}");
}

#[test]
fn empty_blank_and_binary_files_are_skipped_with_one_warning_each() {
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8 | 1)
        .collect();
    let tree = Tree::new()
        .file("good.md", "# 好\n")
        .file("empty.md", "")
        .file("blank.md", " \n\n\t\r\n")
        .file("bom-only.md", "\u{FEFF}\n")
        .file("png.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        .file("junk.md", &junk);
    let out = folio()
        .args(["list", "--verbose"])
        .arg(tree.path())
        .assert()
        .success();
    assert_eq!(lines(out.get_output()), ["好\tgood.md"]);
    let stderr = stderr_of(out.get_output());
    let shown = |name: &str| tree.path().join(name).display().to_string();
    let mut expected = vec![
        format!("folio: skipped {}: empty file", shown("blank.md")),
        format!("folio: skipped {}: empty file", shown("bom-only.md")),
        format!("folio: skipped {}: empty file", shown("empty.md")),
        format!("folio: skipped {}: {NOT_TEXT}", shown("junk.md")),
        format!(
            "folio: skipped {}: binary file (NUL bytes)",
            shown("png.md")
        ),
    ];
    expected.sort();
    let mut warnings: Vec<String> = stderr.lines().map(str::to_string).collect();
    warnings.sort();
    assert_eq!(warnings, expected);
}

#[test]
fn names_with_spaces_chinese_punctuation_and_controls() {
    let tree = Tree::new()
        .file("docs/茶 与 水.md", "# 茶与水\n")
        .file("docs/----htmx---htmx-2-0-0-alpha1-.md", "no title here\n")
        .file("docs/-n.md", "# 以减号开头\n")
        .file("docs/tab\there.md", "# 名字里有制表符\n")
        .file("docs/line\nbreak.md", "# 名字里有换行\n")
        .file("docs/esc\x1b]0;pwned\x07.md", "# 名字里有转义\n")
        .file("docs/bidi\u{202E}dm.txt.md", "# 名字里有双向控制\n")
        .file("docs/empty\x1b[2J.md", "");
    let out = folio()
        .args(["list", "--verbose"])
        .arg(tree.path())
        .assert()
        .success();
    let output = out.get_output();
    assert_display_safe(&output.stdout, "list");
    assert_display_safe(&output.stderr, "warnings");
    let listed = lines(output);
    for line in [
        "茶与水\tdocs/茶 与 水.md",
        "----htmx---htmx-2-0-0-alpha1-\tdocs/----htmx---htmx-2-0-0-alpha1-.md",
        "以减号开头\tdocs/-n.md",
        "名字里有制表符\tdocs/tab here.md",
        "名字里有换行\tdocs/line break.md",
        "名字里有转义\tdocs/esc␛]0;pwned␇.md",
        "名字里有双向控制\tdocs/bididm.txt.md",
    ] {
        assert!(
            listed.contains(&line.to_string()),
            "{line:?} in {listed:#?}"
        );
    }
    assert!(stderr_of(output).contains("empty␛[2J.md: empty file"));
    // JSON keeps the exact names, escaped.
    let out = folio()
        .args(["list", "--json"])
        .arg(tree.path())
        .assert()
        .success();
    let raw = &out.get_output().stdout;
    assert_display_safe(raw, "list --json");
    let paths: Vec<Value> = json_rows(out.get_output())
        .iter()
        .map(|r| r["path"].clone())
        .collect();
    assert!(paths.contains(&Value::from("docs/esc\x1b]0;pwned\x07.md")));
    assert!(paths.contains(&Value::from("docs/bidi\u{202E}dm.txt.md")));
    assert!(paths.contains(&Value::from("docs/line\nbreak.md")));
    // Such names open by path and by query.
    folio()
        .args(["cat", "docs/茶 与 水.md"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout("# 茶与水\n");
    folio()
        .args(["cat", "转义"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout("# 名字里有转义\n")
        .stderr(predicates::str::ends_with(format!(
            "\nfolio: {}\n",
            tree.path().join("docs/esc␛]0;pwned␇.md").display()
        )));
}

#[test]
fn names_that_are_not_utf8_are_listed_lossily_marked_and_openable() {
    let tree = Tree::new().file("docs/ok.md", "# 正常\n");
    let name = b"\xff\xfe\xd6\xd0\xce\xc4.md"; // Latin-1 junk and GBK 中文
    let raw = tree.path().join("docs").join(OsStr::from_bytes(name));
    if std::fs::write(&raw, "# 名字不是 UTF-8 的文章\n").is_err() {
        eprintln!("skipping: this file system refuses names that are not UTF-8");
        return;
    }
    let out = folio().arg("list").arg(tree.path()).assert().success();
    let listed = lines(out.get_output());
    let shown = "docs/\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.md";
    assert!(
        listed.contains(&format!("名字不是 UTF-8 的文章\t{shown}")),
        "{listed:?}"
    );
    assert_eq!(
        stderr_of(out.get_output()),
        format!(
            "folio: {}: {}\n",
            tree.path().join(shown).display(),
            folio::commands::LOSSY_NAME
        )
    );
    let out = folio()
        .args(["find", "UTF-8", "--json"])
        .arg(tree.path())
        .assert()
        .success();
    let row = &json_rows(out.get_output())[0];
    assert_eq!(row["path"], shown);
    assert_eq!(row["path_lossy"], true);
    let bytes: Vec<u8> = row["path_bytes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    assert_eq!(bytes, [b"docs/".as_slice(), name].concat());
    // A clean name carries neither field.
    let out = folio()
        .args(["find", "正常", "--json"])
        .arg(tree.path())
        .assert()
        .success();
    let row = &json_rows(out.get_output())[0];
    assert!(row.get("path_lossy").is_none() && row.get("path_bytes").is_none());
    // Opened by query, the exact file is read.
    folio()
        .args(["cat", "UTF-8"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout("# 名字不是 UTF-8 的文章\n");
}

#[test]
fn several_megabyte_articles_and_100000_character_lines() {
    let long_cjk: String = "汉字没有空格".chars().cycle().take(100_000).collect();
    let long_ascii = "x".repeat(100_000);
    let mut big = String::from("# 一篇很长的文章\n\n");
    while big.len() < 6 * 1024 * 1024 {
        big.push_str("这是一个很长的段落，里面有中文、English words 和标点。\n\n");
    }
    let tree = Tree::new()
        .file("big.md", &big)
        .file("long-cjk.md", format!("# 长行\n\n{long_cjk}\n"))
        .file("long-ascii.md", format!("# 长单词\n\n{long_ascii}\n"))
        .file("long-title.md", format!("# {long_cjk}\n"))
        .file("one-line.md", format!("{long_ascii}{long_cjk}"));
    let start = Instant::now();
    let out = folio().arg("list").arg(tree.path()).assert().success();
    assert_eq!(stderr_of(out.get_output()), "");
    let listed = lines(out.get_output());
    assert_eq!(listed.len(), 5);
    assert!(listed.contains(&"一篇很长的文章\tbig.md".to_string()));
    assert!(listed.contains(&format!("{long_cjk}\tlong-title.md")));
    assert!(listed.contains(&"one-line\tone-line.md".to_string()));
    for name in [
        "big.md",
        "long-cjk.md",
        "long-ascii.md",
        "long-title.md",
        "one-line.md",
    ] {
        let out = folio()
            .args(["cat", name, "--plain", "--width", "37"])
            .arg(tree.path())
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for line in text.lines() {
            assert!(str_width(line, AmbiWidth::Single) <= 37, "{name}: {line:?}");
        }
    }
    // Indexing and rendering them all (opt-level 1, as `cargo test` builds) takes seconds at
    // most; a quadratic step would take minutes.
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn duplicate_titles_are_all_listed_in_the_archive_order() {
    let tree = Tree::new()
        .file("a/same.md", "# 同一个标题\n\n甲\n")
        .file("b/same.md", "# 同一个标题\n\n乙\n")
        .file("c.md", "# 同一个标题\n\n丙\n");
    let out = folio().arg("list").arg(tree.path()).assert().success();
    assert_eq!(
        lines(out.get_output()),
        [
            "同一个标题\ta/same.md",
            "同一个标题\tb/same.md",
            "同一个标题\tc.md"
        ]
    );
    let out = folio()
        .args(["find", "同一个"])
        .arg(tree.path())
        .assert()
        .success();
    assert_eq!(lines(out.get_output()).len(), 3);
    folio()
        .args(["cat", "同一个标题"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout("# 同一个标题\n\n甲\n");
}

#[test]
fn symlink_loops_dangling_links_and_fifos_do_not_stop_the_index() {
    let tree = Tree::new()
        .file("docs/a.md", "# 甲\n")
        .file("docs/sub/b.md", "# 乙\n");
    let docs = tree.path().join("docs");
    std::os::unix::fs::symlink("..", docs.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", docs.join("dangling.md")).unwrap();
    std::os::unix::fs::symlink("a.md", docs.join("alias.md")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(docs.join("fifo.md"))
        .status()
        .is_ok_and(|s| s.success());
    let out = folio()
        .arg("list")
        .arg(tree.path())
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    assert_eq!(
        lines(out.get_output()),
        ["甲\tdocs/a.md", "甲\tdocs/alias.md", "乙\tdocs/sub/b.md"]
    );
    let stderr = stderr_of(out.get_output());
    let shown = |name: &str| tree.path().join(name).display().to_string();
    let mut warnings: Vec<&str> = stderr.lines().collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            format!("folio: skipped {}: no such file", shown("docs/dangling.md")),
            format!(
                "folio: skipped {}: symlink loop back to docs",
                shown("docs/sub/up")
            ),
        ],
        "fifo made: {fifo}"
    );
}

/// Runs folio as an unprivileged user where the tests run as root (as CI does), so that a
/// file without read permission really cannot be read; `None` where that is not possible.
fn unprivileged(tree: &Path) -> Option<Command> {
    let root = std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m));
    if root.ok() != Some(0) {
        return Some(Command::new(bin()));
    }
    let works = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        return None;
    }
    // The temporary tree is the current user's, mode 0700: let others in.
    for entry in walk_all(tree) {
        if entry.is_dir() {
            std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    std::fs::set_permissions(tree, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A cache folder the unprivileged user may write (the head cache is in use, as for anyone).
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache-unprivileged");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let mut command = Command::new("setpriv");
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin())
        .env("FOLIO_NO_STATE", "1")
        .env("XDG_CONFIG_HOME", common::NO_CONFIG)
        .env("XDG_CACHE_HOME", cache);
    Some(command)
}

fn walk_all(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.is_symlink() {
            out.extend(walk_all(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn unreadable_files_and_folders_are_warned_about() {
    let tree = Tree::new()
        .file("docs/ok.md", "# 可读\n")
        .file("docs/secret.md", "# 不可读\n")
        .file("docs/locked/inside.md", "# 锁住的文件夹里\n");
    let Some(mut command) = unprivileged(tree.path()) else {
        eprintln!("skipping: running as root without setpriv, permissions cannot be tested");
        return;
    };
    let docs = tree.path().join("docs");
    std::fs::set_permissions(docs.join("secret.md"), PermissionsExt::from_mode(0o000)).unwrap();
    std::fs::set_permissions(docs.join("locked"), PermissionsExt::from_mode(0o000)).unwrap();
    let out = command.arg("list").arg(tree.path()).output().unwrap();
    std::fs::set_permissions(docs.join("locked"), PermissionsExt::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(lines(&out), ["可读\tdocs/ok.md"]);
    let shown = |name: &str| tree.path().join(name).display().to_string();
    let mut warnings: Vec<String> = stderr_of(&out).lines().map(str::to_string).collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            format!("folio: skipped {}: permission denied", shown("docs/locked")),
            format!(
                "folio: skipped {}: permission denied",
                shown("docs/secret.md")
            ),
        ]
    );
    // An unreadable DIR is a usage error.
    let mut command = unprivileged(tree.path()).unwrap();
    std::fs::set_permissions(&docs, PermissionsExt::from_mode(0o000)).unwrap();
    let out = command.arg("list").arg(&docs).output().unwrap();
    std::fs::set_permissions(&docs, PermissionsExt::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        format!("folio: cannot open {}: permission denied\n", docs.display())
    );
}

#[test]
fn control_sequences_never_reach_text_output_and_json_escapes_them() {
    // (A carriage return ends a heading in CommonMark: the one here ends the title.)
    let evil = "# 标题\x1b]0;PWNED\x07\x1b[2J\u{9b}31m\u{90}qDCS\u{9c}\x08\x08覆盖\u{202E}反\u{85}转\r\n\n> 原文：https://example.org/\x1b[5m\n\n正文\x1b]2;TITLE\x1b\\ 和 \x1bP1$r\x1b\\ 以及 \x07\x07\n";
    let tree = Tree::new().file("evil.md", evil);
    for args in [vec!["list"], vec!["find", "标题"]] {
        let out = folio().args(&args).arg(tree.path()).assert().success();
        assert_display_safe(&out.get_output().stdout, &format!("{args:?}"));
        let out = folio()
            .args(&args)
            .arg("--json")
            .arg(tree.path())
            .assert()
            .success();
        let raw = &out.get_output().stdout;
        assert_display_safe(raw, &format!("{args:?} --json"));
        let row = &json_rows(out.get_output())[0];
        assert_eq!(
            row["title"],
            "标题\x1b]0;PWNED\x07\x1b[2J\u{9b}31m\u{90}qDCS\u{9c}\x08\x08覆盖\u{202E}反\u{85}转"
        );
        let text = String::from_utf8(raw.clone()).unwrap();
        assert!(text.contains(r"\u009b31m\u0090qDCS\u009c"), "{text}");
        assert!(text.contains(r"\u202e"), "{text}");
    }
    // `cat --plain` and `--raw`: display text; `cat` into a pipe: the bytes, as promised.
    for mode in ["--plain", "--raw"] {
        let out = folio()
            .args(["cat", "evil.md", mode])
            .arg(tree.path())
            .assert()
            .success();
        if mode == "--plain" {
            assert_display_safe(&out.get_output().stdout, mode);
        }
    }
    folio()
        .args(["cat", "evil.md"])
        .arg(tree.path())
        .assert()
        .success()
        .stdout(evil);
}

/// Runs `script` in bash with pipefail; its status and stderr.
fn shell(script: &str) -> Output {
    Command::new("bash")
        .args(["-c", &format!("set -o pipefail; {script}")])
        .env("XDG_CACHE_HOME", common::test_cache())
        .env("FOLIO_NO_STATE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_ends_list_find_and_cat_quietly_however_large_the_output() {
    let mut tree = Tree::new();
    for i in 0..2000 {
        tree = tree.file(&format!("d/{i:05}.md"), format!("# 标题 {i}\n"));
    }
    let big = "# 大\n\n".to_string() + &"一行中文，一行中文。\n".repeat(300_000);
    let tree = tree.file("big.md", &big);
    let bin = bin();
    let dir = tree.path().display();
    for command in [
        "list",
        "list --json",
        "find 标题",
        "cat big.md",
        "cat big.md --plain",
        "cat big.md --raw",
    ] {
        let out = shell(&format!(
            "'{}' {command} '{dir}' | head -c 10 >/dev/null",
            bin.display()
        ));
        // 0, or 141 where the shell reports SIGPIPE: both the usual ways to stop.
        let code = out.status.code();
        assert!(matches!(code, Some(0) | Some(141)), "{command}: {code:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{command}");
    }
}

#[test]
fn a_full_disk_is_an_error_with_exit_2_for_every_command() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipping: no /dev/full here");
        return;
    }
    let tree = Tree::new().file("a.md", "# 满\n\n正文\n");
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["find", "满"],
        vec!["cat", "a.md"],
        vec!["cat", "a.md", "--plain"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(bin())
            .args(&args)
            .arg(tree.path())
            .env("XDG_CACHE_HOME", common::test_cache())
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr_of(&out),
            "folio: cannot write output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

/// Every file and folder under `dir` with its bytes and mtime.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>, SystemTime)> {
    let mut all: Vec<_> = walk_all(dir)
        .into_iter()
        .map(|path| {
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let bytes = meta.is_file().then(|| std::fs::read(&path).unwrap());
            (path, bytes, meta.modified().unwrap())
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

#[test]
fn folio_writes_nothing_inside_dir_and_reads_a_read_only_tree() {
    let samples = common::samples();
    let tree = Tree::new();
    let copy = Command::new("cp")
        .args(["-a"])
        .arg(samples.join("."))
        .arg(tree.path())
        .status()
        .unwrap();
    assert!(copy.success());
    let tree = tree
        .file("docs/empty.md", "")
        .file("docs/gb.md", GB18030.encode(ARTICLE).0);
    let before = snapshot(tree.path());
    // Read-only, as a mounted archive would be (root ignores the modes, the test does not).
    for path in walk_all(tree.path()) {
        let mode = if path.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(&path, PermissionsExt::from_mode(mode)).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["find", "茶"],
        vec!["cat", "潮汐"],
        vec!["cat", "docs/tide.md", "--plain"],
        vec!["cat", "docs/gb.md", "--raw"],
        vec!["search", "潮"],
        vec!["index"],
    ] {
        Command::new(bin())
            .args(&args)
            .arg(tree.path())
            .current_dir(tree.path())
            .env("HOME", home.path())
            .env("XDG_STATE_HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path())
            .env("XDG_CACHE_HOME", home.path())
            .output()
            .unwrap();
    }
    for path in walk_all(tree.path()) {
        let mode = if path.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, PermissionsExt::from_mode(mode)).unwrap();
    }
    let after = snapshot(tree.path());
    assert_eq!(before.len(), after.len(), "files came or went");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "{} changed", b.0.display());
    }
}

#[test]
fn exit_codes_are_documented_in_help_and_readme() {
    let out = folio().arg("--help").assert().success();
    let help = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for code in ["0 ", "1 ", "2 ", "130 "] {
        assert!(help.contains(&format!("\n  {code}")), "--help: {code}");
        assert!(readme.contains(&format!("| {code}|")), "README: {code}");
    }
    // 1: no match; 2: usage, unusable DIR; both for every command that can meet them.
    let tree = Tree::new().file("a.md", "# 甲\n");
    folio()
        .args(["find", "zzz"])
        .arg(tree.path())
        .assert()
        .code(1);
    folio()
        .args(["cat", "zzz"])
        .arg(tree.path())
        .assert()
        .code(1);
    folio().args(["list", "--no-such-flag"]).assert().code(2);
    folio()
        .args(["cat", "a.md"])
        .arg(tree.path().join("a.md"))
        .assert()
        .code(2);
}
