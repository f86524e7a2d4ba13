//! The real binary in a pseudo-terminal (portable-pty), its screen read back through vt100:
//! what a user at a terminal sees and gets back, including the terminal itself after quitting.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::pty::{PATIENCE, ROWS, Session};

fn folio() -> &'static str {
    env!("CARGO_BIN_EXE_folio")
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Session {
    /// Runs `argv` in a fresh pseudo-terminal, in the manifest dir, remembering no reading
    /// positions.
    fn start(argv: &[&str]) -> Session {
        Session::start_with(argv, &[("FOLIO_NO_STATE", "1")])
    }

    /// [`Session::start`] with these environment variables.
    fn start_with(argv: &[&str], env: &[(&str, &str)]) -> Session {
        let argv: Vec<&OsStr> = argv.iter().map(OsStr::new).collect();
        Session::spawn(&argv, &manifest_dir(), env)
    }

    /// Runs folio with these arguments.
    fn folio(args: &[&str]) -> Session {
        let mut argv = vec![folio()];
        argv.extend_from_slice(args);
        Session::start(&argv)
    }
}

/// A shell command line that runs folio with stdout redirected to `out`.
fn redirected(args: &str, out: &Path) -> Session {
    let line = format!("exec '{}' {args} > '{}'", folio(), out.display());
    Session::start(&["sh", "-c", &line])
}

#[test]
fn browse_filter_read_scroll_and_quit() {
    let mut s = Session::folio(&["sample-articles"]);
    s.wait_for(" 17/17");
    s.wait_for("> 江上渡口：一条河流的慢时光");
    // Typing narrows the list.
    s.send("setting");
    // Two more match through their original titles (`setext morning`, `rust typesetting`).
    s.wait_for(" 3/17");
    s.wait_for("> Notes on Setting Type for Screens");
    assert!(!s.screen().contains("茶与水"), "{}", s.screen());
    // Enter gives the article the screen; the status line shows its path and position.
    s.send("\r");
    s.wait_for("docs/typography-notes.md");
    s.wait_for("Good typography on a screen");
    s.send("G");
    s.wait_for("100%");
    s.wait_gone("Good typography on a screen");
    s.send("g");
    s.wait_for("Good typography on a screen");
    s.send(" ");
    s.wait_gone("Good typography on a screen");
    // q goes back to the list, where q is a query character again.
    s.send("q");
    s.wait_for("Enter read · Esc quit");
    s.send("\x15"); // Ctrl-u
    s.wait_for(" 17/17");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    s.assert_terminal_given_back();
}

#[test]
fn the_query_line_edits_as_readline_does() {
    let mut s = Session::folio(&["sample-articles"]);
    s.wait_for(" 17/17");
    s.send("type screens");
    s.wait_for("> type screens");
    s.wait_for_cursor_column(14);
    // Home, then typing inserts at the start.
    s.send("\x1b[Hnotes ");
    s.wait_for("> notes type screens");
    s.wait_for_cursor_column(8);
    // Ctrl-e, Alt-b to the last word's start, Ctrl-k removes it.
    s.send("\x05\x1bb\x0b");
    s.wait_gone("> notes type screens");
    s.wait_for("> notes type ");
    s.wait_for_cursor_column(13);
    // Alt-b, then Delete removes the character under the cursor.
    s.send("\x1bb\x1b[3~");
    s.wait_for("> notes ype ");
    s.wait_for_cursor_column(8);
    // Ctrl-a, Alt-f past `notes`, Right; Ctrl-u removes what is before the cursor.
    s.send("\x01\x1bf\x1b[C\x15");
    s.wait_for("> ype ");
    s.wait_for_cursor_column(2);
    // End, Left twice; Ctrl-w removes the word before the cursor.
    s.send("\x1b[F\x1b[D\x1b[D\x17");
    s.wait_for("> e ");
    s.wait_for_cursor_column(2);
    // End and Ctrl-u empty the query; Ctrl-End and Ctrl-Home select the last and first rows.
    s.send("\x1b[F\x15");
    s.wait_for(" 17/17");
    s.wait_for("> 江上渡口");
    s.send("\x1b[1;5F");
    s.wait_gone("> 江上渡口");
    s.send("\x1b[1;5H");
    s.wait_for("> 江上渡口");
    s.send("\x03");
    assert_eq!(s.exit_code(), 130);
}

#[test]
fn next_and_previous_articles_from_the_reading_pane() {
    let mut s = Session::folio(&["sample-articles", "-q", "rust"]);
    s.wait_for("> 用 Rust");
    s.send("\t");
    // The article has the screen, its title in the header line.
    s.wait_for("用 Rust 做中文排版的几点体会  2024");
    let first = s.screen();
    s.send("]");
    let start = Instant::now();
    while s.screen() == first {
        assert!(start.elapsed() < PATIENCE, "] changed nothing");
        std::thread::sleep(Duration::from_millis(10));
    }
    s.send("[");
    s.wait_for("用 Rust 做中文排版的几点体会  2024");
    s.send("\x03"); // Ctrl-c
    assert_eq!(s.exit_code(), 130);
    s.assert_terminal_given_back();
}

#[test]
fn enter_into_a_redirected_stdout_leaves_exactly_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.md");
    let mut s = redirected("sample-articles -q 潮汐", &out);
    s.wait_for("> 河口的潮汐");
    s.wait_for("Enter print");
    s.send("\r");
    assert_eq!(s.exit_code(), 0);
    let expected = std::fs::read(manifest_dir().join("sample-articles/docs/tide.md")).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), expected);
    s.assert_terminal_given_back();
}

#[test]
fn tab_looks_first_and_enter_then_prints_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("path.txt");
    let mut s = redirected("sample-articles -q 茶 --print-path", &out);
    s.wait_for("> 茶与水");
    s.send("\t");
    s.wait_for("docs/茶 与 水.md");
    s.send("\r");
    assert_eq!(s.exit_code(), 0);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "sample-articles/docs/茶 与 水.md\n"
    );
}

#[test]
fn esc_into_a_redirected_stdout_leaves_it_empty_with_130() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.md");
    let mut s = redirected("sample-articles", &out);
    s.wait_for(" 17/17");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 130);
    assert_eq!(std::fs::read(&out).unwrap(), b"");
    s.assert_terminal_given_back();
}

#[test]
fn sigterm_gives_the_terminal_back() {
    let mut s = Session::folio(&["sample-articles"]);
    s.wait_for(" 17/17");
    s.kill("TERM");
    assert_eq!(s.exit_code(), 128 + 15);
    s.assert_terminal_given_back();
}

#[test]
fn a_resize_redraws_at_once() {
    let mut s = Session::folio(&["sample-articles"]);
    s.wait_for(" 17/17");
    assert!(s.screen().lines().next().unwrap().contains('│'));
    let size = |n: u16| std::num::NonZero::new(n).unwrap();
    s.parser
        .lock()
        .unwrap()
        .screen_mut()
        .set_size(size(ROWS), size(60));
    s.resize(ROWS, 60);
    // At 60 columns the panes stack: the count moves to column 60 and the list loses its border.
    let start = Instant::now();
    loop {
        let screen = s.screen();
        let top = screen.lines().next().unwrap_or("").to_string();
        if top.trim_end().ends_with("17/17") && !top.contains('│') {
            break;
        }
        assert!(start.elapsed() < PATIENCE, "not re-laid out:\n{screen}");
        std::thread::sleep(Duration::from_millis(10));
    }
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn a_missing_dir_is_one_line_on_stderr_not_a_screen() {
    let mut s = Session::folio(&["no-such-archive"]);
    assert_eq!(s.exit_code(), 2);
    let text = String::from_utf8_lossy(&s.bytes()).into_owned();
    assert!(!text.contains("\x1b[?1049h"), "no screen drawn: {text:?}");
    assert_eq!(
        text.trim_end(),
        "folio: cannot open no-such-archive: no such directory"
    );
}

#[test]
fn an_empty_dir_is_one_line_on_stderr_not_a_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::folio(&[dir.path().to_str().unwrap()]);
    assert_eq!(s.exit_code(), 2);
    let text = String::from_utf8_lossy(&s.bytes()).into_owned();
    assert!(!text.contains("\x1b[?1049h"), "no screen drawn: {text:?}");
    assert!(
        text.trim_end().ends_with("no articles (empty directory)"),
        "{text}"
    );
    assert_eq!(text.trim_end().lines().count(), 1);
}

#[test]
fn without_a_terminal_the_interface_says_so() {
    // setsid: no controlling terminal, so no /dev/tty; stdout and stdin are pipes.
    if Command::new("setsid").arg("--version").output().is_err() {
        eprintln!("skipping: setsid is not here");
        return;
    }
    let output = Command::new("setsid")
        .arg(folio())
        .arg("sample-articles")
        .env("XDG_CACHE_HOME", crate::common::test_cache())
        .current_dir(manifest_dir())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("folio: no terminal to draw the interface on"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
}

/// Timings on a big archive, for the record (not a pass/fail test):
/// `FOLIO_ARCHIVE=/tmp/a100k FOLIO_BIN=$PWD/target/release/folio cargo test --test integration pty::measure -- --ignored --nocapture`
/// (`FOLIO_BIN` absolute: the session runs in the manifest folder).
#[test]
#[ignore]
fn measure_first_frame_and_keystrokes() {
    let Ok(archive) = std::env::var("FOLIO_ARCHIVE") else {
        eprintln!("set FOLIO_ARCHIVE to an archive to measure");
        return;
    };
    let binary = std::env::var("FOLIO_BIN").unwrap_or_else(|_| folio().to_string());
    let count_of = |screen: &str| -> Option<String> {
        let top = screen.lines().next()?;
        let field = top.split_whitespace().find(|w| w.contains('/'))?;
        Some(field.trim_end_matches('│').to_string())
    };
    for _ in 0..3 {
        let start = Instant::now();
        let mut s = Session::start(&[&binary, &archive]);
        // Answer the device-attributes query that follows the background question, as every
        // real terminal does at once (vt100 does not, and folio would wait its 100 ms).
        while !s.bytes().windows(3).any(|w| w == b"\x1b[c") {
            std::thread::sleep(Duration::from_millis(1));
        }
        s.send("\x1b[?62;22c");
        s.wait_for("F1 keys");
        let first_frame = start.elapsed();
        let start_index = Instant::now();
        while s.screen().contains("indexing…") {
            std::thread::sleep(Duration::from_millis(2));
        }
        let indexed = start.elapsed();
        let _ = start_index;
        let mut line = format!(
            "first frame {:.1} ms, indexing over {:.0} ms;",
            first_frame.as_secs_f64() * 1e3,
            indexed.as_secs_f64() * 1e3
        );
        for key in ["r", "u", "s", "t", "\x7f", "\x7f", "\x7f", "\x7f"] {
            std::thread::sleep(Duration::from_millis(200));
            let before = count_of(&s.screen());
            let typed = Instant::now();
            s.send(key);
            let after = loop {
                let now = count_of(&s.screen());
                if now != before || typed.elapsed() > PATIENCE {
                    break now;
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            line += &format!(
                " {:?}→{} {:.1} ms",
                key,
                after.unwrap_or_default(),
                typed.elapsed().as_secs_f64() * 1e3
            );
        }
        println!("{line}");
        s.send("\x1b");
        s.exit_code();
    }
}

#[test]
fn no_color_keeps_cat_free_of_escape_codes_and_color_always_forces_them() {
    let args = [
        folio(),
        "cat",
        "docs/rust-typesetting.md",
        "sample-articles",
    ];
    let mut colored = Session::start(&args);
    assert_eq!(colored.exit_code(), 0);
    assert!(colored.bytes().contains(&0x1b), "styled to a terminal");
    let mut plain = Session::start_with(&args, &[("FOLIO_NO_STATE", "1"), ("NO_COLOR", "1")]);
    assert_eq!(plain.exit_code(), 0);
    let bytes = plain.bytes();
    assert!(
        !bytes.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert!(String::from_utf8_lossy(&bytes).contains("先数清楚宽度"));
    let mut never = Session::start(&[
        folio(),
        "--color",
        "never",
        "cat",
        "docs/tide.md",
        "sample-articles",
    ]);
    assert_eq!(never.exit_code(), 0);
    assert!(!never.bytes().contains(&0x1b));
}

#[test]
fn the_reading_position_is_remembered_outside_the_archive() {
    let archive = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let mut body = String::from("# 长文章\n\n");
    for i in 0..200 {
        body.push_str(&format!("第 {i} 段。\n\n"));
    }
    std::fs::write(archive.path().join("long.md"), &body).unwrap();
    let dir = archive.path().to_str().unwrap();
    let env = [("XDG_STATE_HOME", state.path().to_str().unwrap())];
    let mut s = Session::start_with(&[folio(), dir], &env);
    s.wait_for("> 长文章");
    s.send("\r");
    s.wait_for("long.md");
    s.send("G");
    s.wait_for("100%");
    s.send("\x1b");
    s.wait_for("Enter read");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    let kept = std::fs::read_to_string(state.path().join("folio/positions.tsv")).unwrap();
    assert!(kept.contains("long.md"), "{kept}");
    let files: Vec<_> = std::fs::read_dir(archive.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "nothing written into the archive");
    // Opened again, the article is where it was left; --no-state starts at the top.
    let mut again = Session::start_with(&[folio(), dir], &env);
    again.wait_for("> 长文章");
    // Read again (full screen, as it was left): at its end.
    again.send("\r");
    again.wait_for("100%");
    again.wait_for("第 199 段");
    again.send("\x1b");
    again.wait_for("Enter read");
    again.send("\x1b");
    assert_eq!(again.exit_code(), 0);
    let mut fresh = Session::start_with(&[folio(), dir, "--no-state"], &env);
    fresh.wait_for("> 长文章");
    fresh.wait_for("第 0 段");
    fresh.send("\x1b");
    assert_eq!(fresh.exit_code(), 0);
}

#[test]
fn a_terminal_that_answers_osc_11_with_a_light_background_gets_the_light_theme() {
    let mut s = Session::folio(&["sample-articles"]);
    // Answer the question as a terminal with a white background does, then DA1.
    let start = Instant::now();
    while !s.bytes().windows(7).any(|w| w == b"\x1b]11;?\x1b") {
        assert!(start.elapsed() < PATIENCE, "folio asks for the background");
        std::thread::sleep(Duration::from_millis(5));
    }
    s.send("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c");
    s.wait_for("> 江上渡口");
    let start = Instant::now();
    loop {
        let bg = s
            .parser
            .lock()
            .unwrap()
            .screen()
            .cell(1, 2)
            .map(|c| c.bgcolor());
        if bg == Some(vt100::Color::Idx(252)) {
            break;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the selection is light grey: {bg:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn hyperlinks_makes_the_reading_panes_links_clickable() {
    let mut s = Session::folio(&[
        "sample-articles",
        "--hyperlinks",
        "--theme",
        "dark",
        "-q",
        "setting",
    ]);
    s.wait_for("> Notes on Setting Type");
    s.send("\r");
    s.wait_for("Measure and leading");
    s.send("G");
    s.wait_for("100%");
    let start = Instant::now();
    let wanted = b"\x1b]8;;https://www.w3.org/TR/clreq/\x1b\\";
    while !s.bytes().windows(wanted.len()).any(|w| w == wanted) {
        assert!(start.elapsed() < PATIENCE, "an OSC 8 link");
        std::thread::sleep(Duration::from_millis(10));
    }
    s.send("\x1b");
    s.wait_for("Enter read");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn e_edits_the_article_and_the_interface_comes_back_with_the_change() {
    let archive = tempfile::tempdir().unwrap();
    std::fs::write(archive.path().join("a.md"), "# 原来的标题\n\n正文。\n").unwrap();
    let editor = archive.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nprintf '\\n## 编辑过了\\n' >> \"$1\"\n").unwrap();
    let dir = archive.path().to_str().unwrap();
    let env = [
        ("FOLIO_NO_STATE", "1"),
        ("VISUAL", ""),
        ("EDITOR", &format!("sh {}", editor.display())),
    ];
    let mut s = Session::start_with(&[folio(), dir], &env);
    s.wait_for("> 原来的标题");
    s.send("\r");
    s.wait_for("a.md");
    s.send("e");
    s.wait_for("## 编辑过了");
    s.send("\x1b");
    s.wait_for("Enter read");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    s.assert_terminal_given_back();
}

#[test]
fn a_row_matched_through_its_original_title_shows_it() {
    let mut s = Session::folio(&["sample-articles"]);
    s.wait_for(" 17/17");
    // docs/茶 与 水.md comes from https://example.com/tea/water-for-tea.
    s.send("water for");
    s.wait_for(" 1/17");
    // The title takes half the row at most, the original title (dim) the rest.
    s.wait_for("> 茶与水：泡一杯茶，…  water for tea");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn cat_to_a_terminal_pages_a_tall_article_and_never_a_pipe() {
    let pager = [("PAGER", "sed s/^/PAGED:/")];
    // Taller than the 30 rows of the terminal: through $PAGER.
    let tall = [
        folio(),
        "cat",
        "docs/typography-notes.md",
        "sample-articles",
    ];
    let mut s = Session::start_with(&tall, &pager);
    assert_eq!(s.exit_code(), 0);
    assert!(s.screen().contains("PAGED:"), "{}", s.screen());
    // --paging never, or an article that fits: straight to the terminal.
    let never = [&tall[..], &["--paging", "never"]].concat();
    let mut s = Session::start_with(&never, &pager);
    assert_eq!(s.exit_code(), 0);
    assert!(!s.screen().contains("PAGED:"), "{}", s.screen());
    let short = [folio(), "cat", "docs/cjk-neighbors.md", "sample-articles"];
    let mut s = Session::start_with(&short, &pager);
    assert_eq!(s.exit_code(), 0);
    assert!(!s.screen().contains("PAGED:"), "{}", s.screen());
    // --paging always pages even that one.
    let always = [&short[..], &["--paging", "always"]].concat();
    let mut s = Session::start_with(&always, &pager);
    assert_eq!(s.exit_code(), 0);
    assert!(s.screen().contains("PAGED:"), "{}", s.screen());
    // Without $PAGER: less, which q leaves.
    let mut s = Session::start_with(&tall, &[("PAGER", "")]);
    s.wait_for("Notes on Setting Type for Screens");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn a_phrase_the_wrap_splits_is_found_by_slash() {
    // The defect's case: /二十多公里 in the river-ferry article, on a real terminal.
    let mut s = Session::folio(&["sample-articles", "-q", "渡口"]);
    s.wait_for("> 江上渡口");
    s.send("\r");
    s.wait_for("docs/river-ferry.md");
    s.send("/二十多公里\r");
    s.wait_for("/二十多公里 1/1");
    s.send("\x1b");
    s.wait_for("Enter read");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn the_interface_lists_newest_first_with_sort_minus_date() {
    let mut s = Session::folio(&["--sort", "-date", "sample-articles"]);
    s.wait_for(" 17/17");
    // The newest article on top (2024-05-27 15:12), the undated ones after the dated.
    s.wait_for("> 后记：一篇不在目录里的文章");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    s.assert_terminal_given_back();
}

#[test]
fn dash_s_opens_in_text_mode_with_the_count_of_folio_search() {
    // `folio search 渡口` finds two articles: one has it in its title, the other only in its text.
    let mut s = Session::folio(&["sample-articles", "-s", "渡口"]);
    s.wait_for("text> 渡口");
    s.wait_for(" 2 articles");
    s.wait_for("> 江上渡口");
    s.wait_for("后记：一篇不在目录");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    s.assert_terminal_given_back();
}

#[test]
fn ctrl_t_switches_between_titles_and_text_and_the_prompt_says_which() {
    let mut s = Session::folio(&["sample-articles", "-q", "渡口"]);
    s.wait_for(" 1/17");
    assert!(!s.screen().contains("text>"), "{}", s.screen());
    s.send("\x14"); // Ctrl-t
    s.wait_for("text> 渡口");
    s.wait_for(" 2 articles");
    s.send("\x14");
    s.wait_gone("text>");
    s.wait_for(" 1/17");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn enter_on_a_text_result_opens_at_the_first_hit_and_n_goes_to_the_next() {
    let mut s = Session::folio(&["sample-articles", "-s", "全角括号"]);
    s.wait_for(" 1 article");
    s.send("\r");
    s.wait_for("docs/compiler-stages.md");
    // The first of its two hits, in the code block near the end: the top scrolled away.
    s.wait_for("/全角括号 1/2");
    s.wait_for("混入了全角括号");
    // (The header keeps the title; the body's first lines are gone.)
    assert!(!s.screen().contains("常见的四个阶段"), "{}", s.screen());
    s.send("n");
    s.wait_for("/全角括号 2/2");
    s.send("N");
    s.wait_for("/全角括号 1/2");
    s.send("\x1b");
    s.wait_for("text> 全角括号");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn an_unwritable_cache_is_one_line_and_text_mode_reads_every_article() {
    let argv = [folio(), "sample-articles", "-s", "渡口"];
    let mut s = Session::start_with(
        &argv,
        &[
            ("FOLIO_NO_STATE", "1"),
            ("XDG_CACHE_HOME", "/dev/null/cache"),
        ],
    );
    s.wait_for(" 2 articles");
    s.wait_for("no text index, reading every article: cannot open the cache");
    // Typing goes on: the next key clears the note and searches again, by reading the files.
    s.send(" 石阶");
    s.wait_for(" 1 article│");
    s.wait_gone("no text index");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn the_status_line_says_the_text_index_is_building_while_searches_read_the_files() {
    let archive = tempfile::tempdir().unwrap();
    folio::archive::synth::write_archive(archive.path(), 6000).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let dir = archive.path().to_str().unwrap();
    let argv = [folio(), dir, "-s", "数据"];
    let mut s = Session::start_with(
        &argv,
        &[
            ("FOLIO_NO_STATE", "1"),
            ("XDG_CACHE_HOME", cache.path().to_str().unwrap()),
        ],
    );
    // Results come from reading the files while the index is built, its progress said.
    s.wait_for("building the text index");
    s.wait_for(" articles│");
    s.wait_gone("building the text index");
    assert!(
        cache
            .path()
            .join("folio")
            .read_dir()
            .unwrap()
            .next()
            .is_some(),
        "the index is kept in the cache folder"
    );
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn an_unchanged_archive_opens_whole_from_the_head_cache_and_filters_and_searches() {
    let archive = tempfile::tempdir().unwrap();
    let articles = [
        ("a.md", "# Alpha 甲\n\n鲸鱼在海里。\n"),
        ("b.md", "# Beta 乙\n\n河流。\n"),
        ("sub/c.md", "# Gamma 丙\n\n山。\n"),
        ("sub/d.md", "# Delta 丁\n\n海。\n"),
        ("e.md", "# Epsilon 戊\n\n鲸。\n"),
    ];
    for (path, text) in articles {
        let path = archive.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // Past the racy window, a start keeps the tree; the interface's starts then take the
    // library whole from the head cache instead of walking (archive::head_cache).
    std::thread::sleep(Duration::from_millis(2200));
    let cache = tempfile::tempdir().unwrap();
    let cache_env = cache.path().to_str().unwrap();
    let dir = archive.path().to_str().unwrap();
    let listed = Command::new(folio())
        .args(["list", dir])
        .env("XDG_CACHE_HOME", cache_env)
        .output()
        .unwrap();
    assert!(listed.status.success());
    let env = [("FOLIO_NO_STATE", "1"), ("XDG_CACHE_HOME", cache_env)];
    let mut s = Session::start_with(&[folio(), dir], &env);
    s.wait_for(" 5/5");
    s.send("beta");
    s.wait_for(" 1/5");
    s.wait_for("> Beta 乙");
    s.send("\x15鲸\x14"); // Ctrl-u, then a query for the text, Ctrl-t
    s.wait_for("text> 鲸");
    s.wait_for(" 2 articles");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    // Opened in text mode from the start: the search has every article too.
    let mut s = Session::start_with(&[folio(), dir, "-s", "海"], &env);
    s.wait_for(" 2 articles");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
    // Sorted by title, backwards: the workers take the articles in that order, so the
    // ties of a ranking (Beta and Delta score alike for `ta`) keep it.
    let mut s = Session::start_with(&[folio(), dir, "--sort", "-title"], &env);
    s.wait_for(" 5/5");
    s.wait_for("> Gamma 丙");
    s.send("ta");
    s.wait_for(" 2/5");
    s.wait_for("> Delta 丁");
    s.send("\x1b");
    assert_eq!(s.exit_code(), 0);
}
