//! Reliability at the edges (issue 15): archive structures whose depth the archive decides,
//! names real archives hold, and one meaning for "by path".

use std::path::Path;

use crate::common::pty::Session;
use crate::common::{Tree, folio, lines};
use folio::archive::library::Library;

/// The paths `folio list` prints, in order.
fn listed_paths(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = folio().arg("list").arg(dir).args(args).assert().success();
    lines(out.get_output())
        .iter()
        .map(|line| line.split('\t').nth(1).unwrap().to_string())
        .collect()
}

/// `links` folders in a chain: the root's SUMMARY.md links `c0/README.md`, and each folder's
/// SUMMARY.md links its article, then the next folder's README.md.
fn summary_chain(links: usize) -> Tree {
    let tree = Tree::new().file("SUMMARY.md", "- [c0](c0/README.md)\n");
    for i in 0..links {
        let folder = tree.path().join(format!("c{i}"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("README.md"), format!("# c{i}\n")).unwrap();
        std::fs::write(folder.join("a.md"), format!("# 文章 {i}\n")).unwrap();
        std::fs::write(
            folder.join("SUMMARY.md"),
            format!("- [文章 {i}](a.md)\n- [next](../c{}/README.md)\n", i + 1),
        )
        .unwrap();
    }
    tree
}

#[test]
fn a_chain_of_30000_summaries_is_followed_without_overflowing_a_stack() {
    let links = 30_000;
    let tree = summary_chain(links);
    // `folio list` on the main thread: the chain's order, every article once.
    let paths = listed_paths(tree.path(), &[]);
    assert_eq!(paths.len(), links);
    assert!(
        paths
            .iter()
            .enumerate()
            .all(|(i, path)| *path == format!("c{i}/a.md")),
        "not in the chain's order: {:?}",
        &paths[..5]
    );
    // The interface indexes on a thread with a 2 MiB stack, as std gives threads.
    let dir = tree.path().to_path_buf();
    let library = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || Library::load(&dir).unwrap())
        .unwrap()
        .join()
        .expect("the index is built on a small stack");
    assert_eq!(library.articles.len(), links);
    assert_eq!(
        library.articles[links - 1].path,
        format!("c{}/a.md", links - 1)
    );
}

#[test]
fn summary_links_to_names_with_a_literal_percent_keep_their_place() {
    let tree = Tree::new()
        .file(
            "SUMMARY.md",
            "- [发布说明](docs/release-notes-%e2%9c%93-done.md)\n- [茶](docs/%E8%8C%B6%20%E4%B8%8E%20%E6%B0%B4.md)\n",
        )
        .file("docs/a.md", "# 甲\n")
        .file("docs/release-notes-%e2%9c%93-done.md", "# 发布说明\n")
        .file("docs/茶 与 水.md", "# 茶与水\n");
    assert_eq!(
        listed_paths(tree.path(), &[]),
        [
            "docs/release-notes-%e2%9c%93-done.md",
            "docs/茶 与 水.md",
            "docs/a.md"
        ]
    );
}

#[test]
fn by_path_means_folder_by_folder_for_the_archive_and_for_sort_path() {
    let tree = Tree::new()
        .file("a-b.md", "# 乙\n")
        .file("a/x.md", "# 甲\n")
        .file("a.md", "# 丙\n");
    let folder_by_folder = ["a/x.md", "a-b.md", "a.md"];
    assert_eq!(listed_paths(tree.path(), &[]), folder_by_folder);
    assert_eq!(
        listed_paths(tree.path(), &["--sort", "path"]),
        folder_by_folder
    );
}

/// An archive of one long article (200 numbered paragraphs), and a folder for the state file.
fn long_article() -> (Tree, tempfile::TempDir) {
    let mut body = String::from("# 长文章\n\n");
    for i in 0..200 {
        body.push_str(&format!("第 {i} 段：这一段只为占一行。\n\n"));
    }
    (
        Tree::new().file("long.md", body),
        tempfile::tempdir().unwrap(),
    )
}

#[test]
fn closing_the_window_ends_as_a_hangup_and_keeps_the_reading_position() {
    let (archive, state) = long_article();
    let argv = [
        std::ffi::OsStr::new(env!("CARGO_BIN_EXE_folio")),
        archive.path().as_os_str(),
    ];
    let env = [("XDG_STATE_HOME", state.path().to_str().unwrap())];
    let mut s = Session::spawn(&argv, archive.path(), &env);
    s.wait_for("> 长文章");
    s.send("\t");
    s.wait_for("long.md");
    s.send("G");
    s.wait_for("100%");
    s.close_window();
    assert_eq!(s.exit_code(), 129, "as after SIGHUP");
    let kept = std::fs::read_to_string(state.path().join("folio/positions.tsv"))
        .expect("the reading position is saved");
    let line = kept.lines().find(|l| l.ends_with("long.md")).expect(&kept);
    let first: usize = line.split('\t').next().unwrap().parse().unwrap();
    assert!(first > 100, "the position at the end is kept: {line}");
}

#[test]
fn a_pager_that_took_the_terminal_while_folio_ran_keeps_its_modes() {
    // `folio DIR | less`: when less sets up the terminal after folio has (here made certain by
    // a pause), folio must not put its old modes back under less on the way out, or less
    // echoes keys and waits for Enter.
    if std::process::Command::new("less")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipping: less is not here");
        return;
    }
    let (archive, _state) = long_article();
    let script = format!(
        "'{}' '{}' | (sleep 0.6; less)",
        env!("CARGO_BIN_EXE_folio"),
        archive.path().display()
    );
    let argv = [
        std::ffi::OsStr::new("sh"),
        std::ffi::OsStr::new("-c"),
        std::ffi::OsStr::new(&script),
    ];
    let mut s = Session::spawn(
        &argv,
        archive.path(),
        &[("FOLIO_NO_STATE", "1"), ("LESS", "")],
    );
    s.wait_for("> 长文章");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    s.send("\r");
    s.wait_for("第 3 段");
    s.send("q");
    // less quits on `q` alone; with the terminal's modes put back under it, `q` waits for Enter.
    assert_eq!(s.exit_code(), 0, "less quits on q:\n{}", s.screen());
    assert!(!s.screen().contains(":q"), "q was echoed:\n{}", s.screen());
}
