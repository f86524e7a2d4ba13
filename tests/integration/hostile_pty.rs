//! Hostile input and failure at a real terminal (issue 7): the real binary in a pseudo-terminal,
//! read back through vt100 with every side effect a terminal has beyond its screen (window
//! title, bell, clipboard, resize, unknown sequences) recorded. An article full of escape
//! sequences must change nothing but the cells; signals and panics must give the terminal back.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::common::pty::{COLS, ROWS, Session};

/// Runs folio with `args` in a fresh pseudo-terminal, in `cwd`, with `env` set.
fn folio(args: &[&OsStr], cwd: &Path, env: &[(&str, &str)]) -> Session {
    let mut argv = vec![OsStr::new(env!("CARGO_BIN_EXE_folio"))];
    argv.extend_from_slice(args);
    Session::spawn(&argv, cwd, env)
}

/// An article whose title, body and file name try everything a terminal would act on.
const EVIL: &str = "# 恶意标题\x1b]0;PWNED\x07\x1b]2;TITLE\x1b\\\u{9b}2J\x08\x08\u{202E}反\n\n\
> 原文：https://example.org/\x1b[5m\n\n\
正文开始\x1b[?1049l\x1b[?25l\x1b[?1000h\x1bc\x1b[8;5;5t\x1b]52;c;cHduZWQ=\x07\x1bP1$r\x1b\\\u{90}dcs\u{9c}\x1b_apc\x1b\\ 和 \x07\x07 回车\r覆盖 \u{1b}[1;31m红\u{1b}[0m 结束\n\n\
```\n代码\x1b]0;CODE\x07\x1b[2J\n```\n\n\
| 表 | 格\x1b[7m |\n|---|---|\n| \x1b]1;ICON\x07 | \u{85}x |\n\n最后一行\n";

const EVIL_NAME: &str = "evil\x1b]0;NAME\x07\u{9b}31m.md";

fn evil_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(EVIL_NAME), EVIL).unwrap();
    std::fs::write(dir.path().join("calm.md"), "# 平静的文章\n\n平静。\n").unwrap();
    dir
}

#[test]
fn an_article_full_of_escape_sequences_changes_nothing_but_cells() {
    let tree = evil_tree();
    let home = tempfile::tempdir().unwrap();
    // `--theme dark`: with the automatic theme folio asks the terminal's background itself
    // (OSC 11), its own question, which this test would count as a side effect.
    let mut s = folio(
        &[
            tree.path().as_os_str(),
            OsStr::new("-q"),
            OsStr::new("恶意"),
            OsStr::new("--theme"),
            OsStr::new("dark"),
        ],
        tree.path(),
        &[("HOME", home.path().to_str().unwrap())],
    );
    s.wait_for("恶意标题␛]0;PWNED␇␛]2;TITLE␛\\");
    s.send("\t");
    s.wait_for("正文开始␛[?1049l␛[?25l");
    s.wait_for("evil␛]0;NAME␇"); // the path on the status line
    s.send("G");
    s.wait_for("最后一行");
    s.assert_nothing_but_drawing();
    {
        let terminal = s.parser.lock().unwrap();
        let screen = terminal.screen();
        assert!(screen.alternate_screen(), "still on the interface's screen");
        let (rows, cols) = screen.size();
        assert_eq!(
            (rows.get(), cols.get()),
            (ROWS, COLS),
            "a resize request obeyed"
        );
    }
    s.send("q");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    s.assert_terminal_given_back();
    s.assert_nothing_but_drawing();
}

#[test]
fn cat_and_list_to_a_terminal_show_escape_sequences_as_symbols() {
    let tree = evil_tree();
    let dir = tree.path().as_os_str();
    for args in [
        vec![OsStr::new("cat"), OsStr::new(EVIL_NAME), dir],
        vec![
            OsStr::new("cat"),
            OsStr::new(EVIL_NAME),
            dir,
            OsStr::new("--raw"),
        ],
        vec![
            OsStr::new("cat"),
            OsStr::new(EVIL_NAME),
            dir,
            OsStr::new("--plain"),
        ],
        vec![OsStr::new("list"), dir],
        vec![OsStr::new("find"), OsStr::new("恶意"), dir],
    ] {
        let mut s = folio(&args, tree.path(), &[]);
        assert_eq!(s.exit_code(), 0, "{args:?}");
        s.assert_nothing_but_drawing();
        let screen = s.screen();
        assert!(screen.contains("恶意标题␛]0;PWNED␇"), "{args:?}:\n{screen}");
        if args[0] == "cat" {
            assert!(screen.contains("最后一行"), "{args:?}:\n{screen}");
        } else {
            assert!(screen.contains("evil␛]0;NAME␇"), "{args:?}:\n{screen}");
        }
    }
}

#[test]
fn sighup_sigterm_and_sigint_give_the_terminal_back() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-articles");
    for (signal, code) in [("HUP", 129), ("TERM", 143), ("INT", 130)] {
        let mut s = folio(&[samples.as_os_str()], &samples, &[]);
        s.wait_for(" 17/17");
        s.kill(signal);
        assert_eq!(s.exit_code(), code, "SIG{signal}");
        s.assert_terminal_given_back();
    }
}

#[test]
fn a_panic_gives_the_terminal_back_before_its_message() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-articles");
    let mut s = folio(
        &[samples.as_os_str()],
        &samples,
        &[("FOLIO_TEST_PANIC", "1")],
    );
    assert_eq!(s.exit_code(), 101);
    s.assert_terminal_given_back();
    let bytes = s.bytes();
    let text = String::from_utf8_lossy(&bytes);
    let left = text.rfind("\x1b[?1049l").unwrap();
    let message = text
        .find("FOLIO_TEST_PANIC is set")
        .expect("the panic message");
    assert!(
        left < message,
        "the message came after the terminal was given back"
    );
    // Cooked mode again: the message's lines start at the left edge (raw mode would leave a
    // newline without its carriage return, and the second line would start mid-row).
    let screen = s.screen();
    let rows: Vec<&str> = screen.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        rows.iter().any(|r| r.starts_with("thread 'main'")),
        "{screen}"
    );
    assert!(
        rows.iter().any(|r| r.starts_with("note: run with")),
        "{screen}"
    );
}

/// Every file under `dir` with its bytes and mtime.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let bytes = if meta.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            all.push((path, bytes, meta.modified().unwrap()));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

#[test]
fn the_interface_opens_odd_files_and_writes_nothing_inside_dir() {
    let tree = evil_tree();
    let (gb, _, _) = encoding_rs::GB18030.encode("# 国标编码的文章\n\n国标编码的正文。\n");
    std::fs::write(tree.path().join("gb.md"), &gb).unwrap();
    let odd = tree.path().join(OsStr::from_bytes(b"odd-\xff\xfe.md"));
    let odd_name = std::fs::write(&odd, "# 名字不是UTF8\n\n奇怪名字的正文。\n").is_ok();
    std::fs::write(tree.path().join("empty.md"), "").unwrap();
    let before = snapshot(tree.path());
    let home = tempfile::tempdir().unwrap();
    let home = home.path().to_str().unwrap();
    let mut s = folio(
        &[tree.path().as_os_str()],
        tree.path(),
        &[
            ("HOME", home),
            ("XDG_STATE_HOME", home),
            ("XDG_CONFIG_HOME", home),
        ],
    );
    s.wait_for("1 skipped");
    s.send("国标");
    s.wait_for("> 国标编码的文章");
    s.send("\t");
    s.wait_for("国标编码的正文。");
    if odd_name {
        s.send("q\x15UTF8");
        s.wait_for("> 名字不是UTF8");
        s.send("\t");
        s.wait_for("奇怪名字的正文。");
        // (vt100 draws no U+FFFD: the name shows as `odd-.md` there, `odd-��.md` elsewhere.)
        s.wait_for("odd-.md");
    }
    s.send("q\x1b");
    assert_eq!(s.exit_code(), 0);
    assert_eq!(snapshot(tree.path()), before, "the interface changed DIR");
}
