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
        library.articles[links - 1].path(),
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

/// Folders (`f0` … under each other or side by side), their articles, and SUMMARY.md files
/// whose links point anywhere: articles, folders, READMEs, ancestors (cycles), missing files.
#[derive(Debug, Clone)]
struct Structure {
    /// For each folder, the folder it sits in (`None`: the root); a folder's parent comes first.
    parents: Vec<Option<usize>>,
    /// For each article, its folder (`None`: the root).
    articles: Vec<Option<usize>>,
    /// SUMMARY.md files: the folder (`None`: the root) and its links.
    summaries: Vec<(Option<usize>, Vec<Target>)>,
}

#[derive(Debug, Clone)]
enum Target {
    Article(usize),
    Folder(usize),
    Readme(Option<usize>),
    Missing,
    Up,
}

fn structure() -> impl proptest::strategy::Strategy<Value = Structure> {
    use proptest::prelude::*;
    (0usize..8).prop_flat_map(|folders| {
        let parents = (0..folders)
            .map(|i| {
                if i == 0 {
                    Just(None).boxed()
                } else {
                    prop::option::of(0..i).boxed()
                }
            })
            .collect::<Vec<_>>();
        let folder = move || {
            prop::option::of(0..folders.max(1)).prop_map(move |f| f.filter(|_| folders > 0))
        };
        let target = move || {
            prop_oneof![
                (0usize..12).prop_map(Target::Article),
                (0usize..8).prop_map(Target::Folder),
                folder().prop_map(Target::Readme),
                Just(Target::Missing),
                Just(Target::Up),
            ]
        };
        (
            parents,
            prop::collection::vec(folder(), 1..12),
            prop::collection::vec((folder(), prop::collection::vec(target(), 0..6)), 0..6),
        )
            .prop_map(|(parents, articles, summaries)| Structure {
                parents,
                articles,
                summaries,
            })
    })
}

impl Structure {
    /// The folder's path relative to the root (`f0/f2`), built without recursion.
    fn folder(&self, folder: Option<usize>) -> String {
        let mut parts = Vec::new();
        let mut at = folder;
        while let Some(f) = at {
            parts.push(format!("f{f}"));
            at = self.parents[f];
        }
        parts.reverse();
        parts.join("/")
    }

    fn article_path(&self, i: usize) -> String {
        let folder = self.folder(self.articles[i]);
        if folder.is_empty() {
            format!("a{i}.md")
        } else {
            format!("{folder}/a{i}.md")
        }
    }

    /// Writes the tree; returns the articles' paths.
    fn write(&self, root: &Path) -> Vec<String> {
        for f in 0..self.parents.len() {
            std::fs::create_dir_all(root.join(self.folder(Some(f)))).unwrap();
            std::fs::write(
                root.join(self.folder(Some(f))).join("README.md"),
                "# 目录\n",
            )
            .unwrap();
        }
        let paths: Vec<String> = (0..self.articles.len())
            .map(|i| self.article_path(i))
            .collect();
        for (i, path) in paths.iter().enumerate() {
            std::fs::write(root.join(path), format!("# 文章 {i}\n\n正文。\n")).unwrap();
        }
        for (folder, links) in &self.summaries {
            let base = self.folder(*folder);
            let depth = if base.is_empty() {
                0
            } else {
                base.split('/').count()
            };
            let from_root = "../".repeat(depth);
            let mut text = String::from("# Summary\n\n");
            for (n, link) in links.iter().enumerate() {
                let target = match link {
                    Target::Article(i) if *i < paths.len() => format!("{from_root}{}", paths[*i]),
                    Target::Folder(f) if *f < self.parents.len() => {
                        format!("{from_root}{}", self.folder(Some(*f)))
                    }
                    Target::Readme(f) => {
                        let folder = self.folder(*f);
                        if folder.is_empty() {
                            format!("{from_root}README.md")
                        } else {
                            format!("{from_root}{folder}/README.md")
                        }
                    }
                    Target::Up => "../SUMMARY.md".into(),
                    _ => format!("missing-{n}.md"),
                };
                text.push_str(&format!("- [链接 {n}]({target})\n"));
            }
            std::fs::write(root.join(&base).join("SUMMARY.md"), text).unwrap();
        }
        paths
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, max_shrink_iters: 64, ..Default::default() })]

    #[test]
    fn any_archive_structure_lists_every_article_exactly_once(shape in structure()) {
        let tree = Tree::new();
        let mut expected = shape.write(tree.path());
        let mut listed = listed_paths(tree.path(), &[]);
        listed.sort();
        expected.sort();
        proptest::prop_assert_eq!(listed, expected);
    }
}

#[test]
fn ctrl_c_while_the_pager_runs_is_the_pagers_and_a_missing_pager_loses_nothing() {
    let samples = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-articles");
    let cat = [
        std::ffi::OsStr::new(env!("CARGO_BIN_EXE_folio")),
        std::ffi::OsStr::new("cat"),
        std::ffi::OsStr::new("docs/typography-notes.md"),
        samples.as_os_str(),
    ];
    // A pager that, as less does, takes Ctrl-c for itself: folio waits for it, as git does.
    let pager = "trap '' INT; sleep 1; cat > /dev/null; echo PAGER-DONE";
    let mut s = Session::spawn(&cat, &samples, &[("PAGER", pager)]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    s.send("\x03");
    s.wait_for("PAGER-DONE");
    assert_eq!(s.exit_code(), 0, "folio outlives the Ctrl-c its pager took");
    // A pager that cannot be found: the article is written as it is, with a word why.
    let mut s = Session::spawn(&cat, &samples, &[("PAGER", "no-such-pager-here")]);
    assert_eq!(s.exit_code(), 0);
    let written = String::from_utf8_lossy(&s.bytes()).into_owned();
    assert!(written.contains("cannot run the pager"), "{written}");
    assert!(
        written.contains("Notes on Setting Type for Screens"),
        "{written}"
    );
}
