//! Messages to the user on stderr, written so that they can never end the run: `eprintln!`
//! panics when stderr is gone (a closed terminal window, `2>&-`), and folio has work to finish
//! after a failed message (saving reading positions, giving the terminal back). Also how an
//! I/O error is said in such a line (`describe_io`).

use std::io::{self, Write};
use std::sync::atomic::{AtomicU8, Ordering};

/// How much the commands say about the files they skip and the trouble they work around.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `--quiet`: no warnings (errors still print).
    Quiet = 0,
    /// The default: empty files counted on one line, every other problem one line each.
    Normal = 1,
    /// `--verbose`: every skipped file named.
    Verbose = 2,
}

/// The level for this run, set once from the command line.
static LEVEL: AtomicU8 = AtomicU8::new(Level::Normal as u8);

/// Sets the level for the rest of the run.
pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// The level for this run.
pub fn level() -> Level {
    match LEVEL.load(Ordering::Relaxed) {
        0 => Level::Quiet,
        2 => Level::Verbose,
        _ => Level::Normal,
    }
}

/// Writes one line to stderr; a failure to write it is ignored, as there is nowhere left to
/// report it.
pub fn line(message: std::fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{message}");
    let _ = stderr.flush();
}

/// `eprintln!` that never panics: `warn!("folio: cannot read {}: {reason}", path)`.
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        $crate::warn::line(format_args!($($arg)*))
    };
}

/// An I/O error in the few words a warning line needs (`permission denied`).
pub fn describe_io(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = err.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text.to_string(),
            }
        }
    }
}
