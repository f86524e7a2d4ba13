//! Helpers shared by the integration tests: the real binary, temporary archives, the corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub mod pty;

/// A config folder that does not exist: tests run folio without any user's config file.
pub const NO_CONFIG: &str = "/nonexistent/folio-tests-config";

/// The `folio` binary built by cargo for this test run.
pub fn folio() -> Command {
    let mut cmd = Command::cargo_bin("folio").expect("folio binary");
    // No user's config file or state may change what a test sees.
    cmd.env_remove("NO_COLOR")
        .env("FOLIO_NO_STATE", "1")
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .env("XDG_CACHE_HOME", test_cache());
    cmd
}

/// The cache folder of the tests that do not choose their own (`XDG_CACHE_HOME`): under
/// cargo's temporary folder for tests, never the user's `~/.cache`.
pub fn test_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache")
}

/// The sample archive shipped in the repository.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-articles")
}

/// A corpus archive from `../shared/corpus/`, or `None` where it is absent (see [`shared`]).
pub fn corpus(name: &str) -> Option<PathBuf> {
    shared(&format!("corpus/{name}"))
}

/// A path under `../shared/` (the corpus, the seed article), or `None` where it is absent, as
/// it is for anyone who clones the project without it: the test then skips and says so on
/// stderr. With `FOLIO_REQUIRE_CORPUS=1` (CI sets it) an absent path fails the test instead,
/// so that a skip can never pass for a pass.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    let required =
        std::env::var_os("FOLIO_REQUIRE_CORPUS").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{} is not here, and FOLIO_REQUIRE_CORPUS is set",
        path.display()
    );
    // Straight to the process's stderr: the test harness captures `eprintln!` of passing
    // tests, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "skipping: {} is not here (FOLIO_REQUIRE_CORPUS=1 makes this a failure)",
        path.display()
    );
    None
}

/// A temporary archive built file by file.
pub struct Tree {
    /// The folder, removed when the tree is dropped.
    dir: TempDir,
}

impl Tree {
    /// An empty archive in a fresh temporary folder.
    pub fn new() -> Tree {
        Tree {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Writes `bytes` at `relative`, creating folders.
    pub fn file(self, relative: &str, bytes: impl AsRef<[u8]>) -> Tree {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// The archive's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Stdout of a successful run, as text lines.
pub fn lines(output: &std::process::Output) -> Vec<String> {
    String::from_utf8(output.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every Markdown file (`.md`, `.markdown`, any case) under `dir`, hidden folders aside,
/// sorted by path.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_lowercase();
            if path.is_dir() {
                if !name.starts_with('.') {
                    stack.push(path);
                }
            } else if name.ends_with(".md") || name.ends_with(".markdown") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
