//! Remembered reading positions: where each article was left, kept in the XDG state folder
//! (`$XDG_STATE_HOME/folio/positions.tsv`, by default under `~/.local/state`), never in the
//! archive. `--no-state` (or `FOLIO_NO_STATE=1`, which the tests use) turns it off.
//!
//! A line is `line<TAB>lines<TAB>file`: the first line on screen, of how many lines the
//! article had at the width it was read at (a different width scales the position), and the
//! article's absolute path.
//!
//! Several folio processes may quit at once: each saves under an exclusive lock on
//! `positions.tsv.lock`, merging what the file holds with its own positions, and replaces the
//! file by renaming a finished temporary file over it, so a reader sees the old file or the
//! new one, never half of one. A file that is not what folio writes is set aside (renamed
//! `positions.tsv.damaged-<time>`) with a warning, and what can be read of it is kept.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};

/// Most articles remembered; the oldest are forgotten first.
const KEEP: usize = 5000;

/// Reading positions by article path relative to an archive's root: (first line, lines).
pub type Positions = HashMap<String, (usize, usize)>;

/// One line of the state file: first line on screen, lines then, the article's absolute path.
type Entry = (usize, usize, PathBuf);

/// The state file, or `None` when there is no place for it.
pub fn file() -> Option<PathBuf> {
    crate::config::state_dir().map(|dir| dir.join("positions.tsv"))
}

/// The positions remembered for articles under `root`.
pub fn load(root: &Path) -> Positions {
    file().map_or_else(Positions::new, |file| load_from(&file, root))
}

/// Writes `positions` (for articles under `root`) into the state file, keeping what it says
/// about other archives and what other folio processes saved meanwhile.
pub fn save(root: &Path, positions: &Positions) -> io::Result<()> {
    match file() {
        Some(file) => save_to(&file, root, positions),
        None => Ok(()),
    }
}

/// The positions of `now` that differ from those `loaded` at start: what a run saves, so that
/// it never writes back an old position over the newer one another folio saved meanwhile.
pub fn changed(loaded: &Positions, now: &Positions) -> Positions {
    now.iter()
        .filter(|(path, at)| loaded.get(*path) != Some(at))
        .map(|(path, at)| (path.clone(), *at))
        .collect()
}

/// [`load`] from the state file `file`.
pub fn load_from(file: &Path, root: &Path) -> Positions {
    let Ok(root) = root.canonicalize() else {
        return Positions::new();
    };
    read_all(file)
        .into_iter()
        .filter_map(|(scroll, lines, path)| {
            let relative = path.strip_prefix(&root).ok()?;
            Some((relative.to_str()?.to_string(), (scroll, lines)))
        })
        .collect()
}

/// [`save`] into the state file `file`.
pub fn save_to(file: &Path, root: &Path, positions: &Positions) -> io::Result<()> {
    let root = root.canonicalize()?;
    let Some(dir) = file.parent() else {
        return Ok(());
    };
    std::fs::create_dir_all(dir)?;
    // Held until the new file is in place: the read, the merge and the rename are one step
    // for every other folio saving at the same time.
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(file.with_extension("tsv.lock"))?;
    flock(&lock, FlockOperation::LockExclusive)?;
    let mut all: Vec<Entry> = read_all(file)
        .into_iter()
        .filter(|(_, _, path)| {
            path.strip_prefix(&root)
                .ok()
                .and_then(Path::to_str)
                .is_none_or(|relative| !positions.contains_key(relative))
        })
        .collect();
    let mut ours: Vec<_> = positions.iter().collect();
    ours.sort();
    all.extend(
        ours.into_iter()
            .filter(|(relative, _)| !relative.contains(['\n', '\t']))
            .map(|(relative, &(scroll, lines))| (scroll, lines, root.join(relative))),
    );
    let skip = all.len().saturating_sub(KEEP);
    // Synced before the rename: a crash must not cost the positions already kept.
    crate::cache::replace_file(file, true, |out| {
        for (scroll, lines, path) in all.into_iter().skip(skip) {
            if let Some(path) = path.to_str() {
                writeln!(out, "{scroll}\t{lines}\t{path}")?;
            }
        }
        Ok(())
    })
}

/// Every line of the state file, in order (oldest first). A file that is not what folio
/// writes is set aside, with a warning, and what can be read of it is returned.
fn read_all(file: &Path) -> Vec<Entry> {
    let Ok(bytes) = std::fs::read(file) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut damaged = matches!(text, std::borrow::Cow::Owned(_));
    let entries = text
        .lines()
        .filter(|line| !line.is_empty())
        .filter_map(|line| {
            let entry = parse_line(line);
            damaged |= entry.is_none();
            entry
        })
        .collect();
    if damaged {
        set_aside(file);
    }
    entries
}

/// One line, `line<TAB>lines<TAB>file`, or `None` when it is not one folio writes.
fn parse_line(line: &str) -> Option<Entry> {
    let mut parts = line.splitn(3, '\t');
    let scroll = parts.next()?.parse().ok()?;
    let lines = parts.next()?.parse().ok()?;
    let path = PathBuf::from(parts.next()?);
    path.is_absolute().then_some((scroll, lines, path))
}

/// Renames a damaged state file out of the way, so that it is neither read again nor lost.
fn set_aside(file: &Path) {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let aside = file.with_extension(format!("tsv.damaged-{seconds}"));
    match std::fs::rename(file, &aside) {
        Ok(()) => crate::warn!(
            "folio: {} is damaged; set aside as {}, the positions it held that could be read are kept",
            file.display(),
            aside.display()
        ),
        Err(err) => crate::warn!(
            "folio: {} is damaged and cannot be set aside: {err}",
            file.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# a\n").unwrap();
        dir
    }

    #[test]
    fn folio_processes_quitting_at_once_all_keep_their_positions() {
        let (state, archive) = (tempfile::tempdir().unwrap(), archive());
        let file = state.path().join("folio/positions.tsv");
        let savers = 8;
        let barrier = std::sync::Barrier::new(savers);
        let failures = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for saver in 0..savers {
                let (file, root, barrier) = (&file, archive.path(), &barrier);
                let failures = &failures;
                scope.spawn(move || {
                    let mut positions = Positions::new();
                    for round in 0..20 {
                        positions.insert(format!("docs/{saver}-{round}.md"), (round, 100));
                        barrier.wait();
                        if let Err(err) = save_to(file, root, &positions) {
                            failures.lock().unwrap().push(err.to_string());
                        }
                    }
                });
            }
        });
        assert_eq!(failures.into_inner().unwrap(), Vec::<String>::new());
        let kept = load_from(&file, archive.path());
        assert_eq!(
            kept.len(),
            savers * 20,
            "every process's positions are kept"
        );
        let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .filter(|name| name != "positions.tsv" && name != "positions.tsv.lock")
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }

    #[test]
    fn two_windows_on_one_archive_keep_the_newer_position_of_each_article() {
        let (state, archive) = (tempfile::tempdir().unwrap(), archive());
        let file = state.path().join("positions.tsv");
        let mut start = Positions::new();
        start.insert("a.md".into(), (1, 100));
        start.insert("b.md".into(), (1, 100));
        save_to(&file, archive.path(), &start).unwrap();
        // Two windows load the same positions; the first reads on in a.md and quits.
        let (first_loaded, second_loaded) = (
            load_from(&file, archive.path()),
            load_from(&file, archive.path()),
        );
        let mut first = first_loaded.clone();
        first.insert("a.md".into(), (50, 100));
        save_to(&file, archive.path(), &changed(&first_loaded, &first)).unwrap();
        // The second reads on in b.md only, then quits: a.md keeps the first window's 50.
        let mut second = second_loaded.clone();
        second.insert("b.md".into(), (70, 100));
        save_to(&file, archive.path(), &changed(&second_loaded, &second)).unwrap();
        let kept = load_from(&file, archive.path());
        assert_eq!(kept.get("a.md"), Some(&(50, 100)));
        assert_eq!(kept.get("b.md"), Some(&(70, 100)));
    }

    #[test]
    fn a_damaged_state_file_is_set_aside_and_what_it_held_is_kept() {
        let (state, archive) = (tempfile::tempdir().unwrap(), archive());
        let file = state.path().join("positions.tsv");
        let root = archive.path().canonicalize().unwrap();
        let good = format!("7\t100\t{}\n", root.join("a.md").display());
        std::fs::write(
            &file,
            [good.as_bytes(), b"\xff\xfe garbage\n3\tx\n"].concat(),
        )
        .unwrap();
        let positions = load_from(&file, archive.path());
        assert_eq!(positions.get("a.md"), Some(&(7, 100)));
        let names: Vec<String> = std::fs::read_dir(state.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .any(|name| name.starts_with("positions.tsv.damaged-")),
            "{names:?}"
        );
        // Saving again writes a clean file with what was kept.
        save_to(&file, archive.path(), &positions).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), good);
    }

    #[test]
    fn a_state_folder_that_is_a_file_is_an_error_not_a_crash() {
        let (state, archive) = (tempfile::tempdir().unwrap(), archive());
        std::fs::write(state.path().join("folio"), "not a folder").unwrap();
        let file = state.path().join("folio/positions.tsv");
        let mut positions = Positions::new();
        positions.insert("a.md".into(), (1, 2));
        assert!(save_to(&file, archive.path(), &positions).is_err());
        assert!(load_from(&file, archive.path()).is_empty());
    }
}
