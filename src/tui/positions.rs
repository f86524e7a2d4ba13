//! Remembered reading positions: where each article was left, kept in the XDG state folder
//! (`$XDG_STATE_HOME/folio/positions.tsv`, by default under `~/.local/state`), never in the
//! archive. `--no-state` (or `FOLIO_NO_STATE=1`, which the tests use) turns it off.
//!
//! A line is `line<TAB>lines<TAB>file`: the first line on screen, of how many lines the
//! article had at the width it was read at (a different width scales the position), and the
//! article's absolute path.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Most articles remembered; the oldest are forgotten first.
const KEEP: usize = 5000;

/// Reading positions by article path relative to an archive's root: (first line, lines).
pub type Positions = HashMap<String, (usize, usize)>;

/// The state file, or `None` when there is no place for it.
pub fn file() -> Option<PathBuf> {
    crate::config::state_dir().map(|dir| dir.join("positions.tsv"))
}

/// Every line of the state file, in order (oldest first).
fn read_all(file: &Path) -> Vec<(usize, usize, PathBuf)> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            let scroll = parts.next()?.parse().ok()?;
            let lines = parts.next()?.parse().ok()?;
            Some((scroll, lines, PathBuf::from(parts.next()?)))
        })
        .collect()
}

/// The positions remembered for articles under `root`.
pub fn load(root: &Path) -> Positions {
    let (Some(file), Ok(root)) = (file(), root.canonicalize()) else {
        return Positions::new();
    };
    read_all(&file)
        .into_iter()
        .filter_map(|(scroll, lines, path)| {
            let relative = path.strip_prefix(&root).ok()?;
            Some((relative.to_str()?.to_string(), (scroll, lines)))
        })
        .collect()
}

/// Writes `positions` (for articles under `root`) into the state file, keeping what it says
/// about other archives.
pub fn save(root: &Path, positions: &Positions) -> io::Result<()> {
    let Some(file) = file() else {
        return Ok(());
    };
    let root = root.canonicalize()?;
    let mut all: Vec<(usize, usize, PathBuf)> = read_all(&file)
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
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = file.with_extension("tsv.new");
    let mut out = io::BufWriter::new(std::fs::File::create(&temporary)?);
    for (scroll, lines, path) in all.into_iter().skip(skip) {
        if let Some(path) = path.to_str() {
            writeln!(out, "{scroll}\t{lines}\t{path}")?;
        }
    }
    out.into_inner().map_err(io::IntoInnerError::into_error)?;
    std::fs::rename(temporary, file)
}
