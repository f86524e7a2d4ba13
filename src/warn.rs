//! Messages to the user on stderr, written so that they can never end the run: `eprintln!`
//! panics when stderr is gone (a closed terminal window, `2>&-`), and folio has work to finish
//! after a failed message (saving reading positions, giving the terminal back).

use std::io::Write;

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
