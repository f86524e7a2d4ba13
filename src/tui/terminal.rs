//! The terminal, borrowed and always given back: raw mode, the alternate screen, mouse
//! reporting and a hidden cursor while the interface runs, restored by a guard on every way
//! out, by the panic hook before the panic message prints, and (through the event loop) on
//! SIGTERM, SIGHUP and SIGINT.
//!
//! When stdout is not a terminal (`folio docs > a.md`), the interface draws on `/dev/tty`, as
//! fzf does; crossterm already reads keys from `/dev/tty` when stdin is not a terminal.
//!
//! A terminal can go away (its window closed: the pseudo-terminal hangs up). The first write
//! that fails says so to the caller; after it, writes to the terminal are dropped, so that
//! nothing that gives the terminal back (ratatui's drop, the guard) fails or panics on the way
//! out.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use rustix::termios::{Termios, tcgetattr};

/// True while the terminal is in the interface's modes (so it is restored exactly once).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether the interface draws on `/dev/tty` rather than stdout.
static ON_DEV_TTY: AtomicBool = AtomicBool::new(false);
/// Set when a write to the terminal failed: it is gone (a closed window), or as good as gone.
static GONE: AtomicBool = AtomicBool::new(false);
/// The terminal's modes as the interface set them, to tell at the end whether another program
/// (a pager reading folio's stdout) has set its own since.
static RAW_MODES: Mutex<Option<Termios>> = Mutex::new(None);

/// Whether the terminal went away while the interface ran (a write to it failed).
pub fn gone() -> bool {
    GONE.load(Ordering::SeqCst)
}

/// Notes a failed write: the terminal is taken as gone from now on.
fn failed<T>(result: io::Result<T>) -> io::Result<T> {
    if result.is_err() {
        GONE.store(true, Ordering::SeqCst);
    }
    result
}

/// Where the interface draws: stdout when it is a terminal, else `/dev/tty`.
pub enum Tty {
    /// Stdout is the terminal.
    Stdout(io::Stdout),
    /// Stdout goes elsewhere; the controlling terminal is drawn on.
    DevTty(File),
}

impl Tty {
    /// The terminal to draw on, or an error when there is none.
    pub fn open() -> io::Result<Tty> {
        if io::stdout().is_terminal() {
            return Ok(Tty::Stdout(io::stdout()));
        }
        let file = OpenOptions::new().read(true).write(true).open("/dev/tty")?;
        if !file.is_terminal() {
            return Err(io::Error::other("/dev/tty is not a terminal"));
        }
        Ok(Tty::DevTty(file))
    }

    /// Another handle on the same terminal, for the restoring code.
    fn reopen() -> io::Result<Tty> {
        if ON_DEV_TTY.load(Ordering::SeqCst) {
            Ok(Tty::DevTty(
                OpenOptions::new().write(true).open("/dev/tty")?,
            ))
        } else {
            Ok(Tty::Stdout(io::stdout()))
        }
    }
}

impl Write for Tty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if gone() {
            return Ok(buf.len());
        }
        failed(match self {
            Tty::Stdout(out) => out.write(buf),
            Tty::DevTty(file) => file.write(buf),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if gone() {
            return Ok(());
        }
        failed(match self {
            Tty::Stdout(out) => out.flush(),
            Tty::DevTty(file) => file.flush(),
        })
    }
}

/// Holds the terminal in the interface's modes; dropping it gives the terminal back.
pub struct Guard(());

impl Guard {
    /// Enters raw mode, the alternate screen and mouse reporting on `tty`.
    pub fn enter(tty: &mut Tty) -> io::Result<Guard> {
        install_panic_hook();
        ON_DEV_TTY.store(matches!(tty, Tty::DevTty(_)), Ordering::SeqCst);
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        if let Ok(mut raw) = RAW_MODES.lock() {
            *raw = modes_now();
        }
        let guard = Guard(());
        execute!(tty, EnterAlternateScreen, EnableMouseCapture)?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Gives the terminal back (main screen, cursor shown, cooked mode), once however often it is
/// called.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    if let Ok(mut tty) = Tty::reopen() {
        let _ = execute!(tty, DisableMouseCapture, LeaveAlternateScreen, Show);
    }
    // The modes from before the interface, unless another program has set its own since: a
    // pager reading folio's stdout (`folio docs | less`) that started while the interface ran
    // took the terminal then, and putting the old modes back under it would leave it echoing
    // keys and waiting for Enter.
    let ours = RAW_MODES.lock().ok().and_then(|mut raw| raw.take());
    let taken = match (ours, modes_now()) {
        (Some(ours), Some(now)) => !same_modes(&ours, &now),
        _ => false,
    };
    if !taken {
        let _ = disable_raw_mode();
    }
}

/// The terminal's modes now, read where crossterm sets them (stdin when it is a terminal,
/// else `/dev/tty`).
fn modes_now() -> Option<Termios> {
    if io::stdin().is_terminal() {
        tcgetattr(io::stdin()).ok()
    } else {
        let tty = OpenOptions::new().read(true).open("/dev/tty").ok()?;
        tcgetattr(&tty).ok()
    }
}

/// Whether two sets of modes are the same in every flag a program sets.
fn same_modes(a: &Termios, b: &Termios) -> bool {
    a.input_modes == b.input_modes
        && a.output_modes == b.output_modes
        && a.control_modes == b.control_modes
        && a.local_modes == b.local_modes
}

/// Leaves the interface's modes for a program that takes the terminal (an editor); the
/// guard still restores them on the way out.
pub fn suspend(tty: &mut impl Write) -> io::Result<()> {
    execute!(tty, DisableMouseCapture, LeaveAlternateScreen, Show)?;
    disable_raw_mode()
}

/// Enters the interface's modes again after [`suspend`].
pub fn resume(tty: &mut impl Write) -> io::Result<()> {
    enable_raw_mode()?;
    // The modes set now are folio's (an editor may have left a flag raw mode keeps).
    if let Ok(mut raw) = RAW_MODES.lock() {
        *raw = modes_now();
    }
    execute!(tty, EnterAlternateScreen, EnableMouseCapture)
}

/// Whether the terminal's background is light: the terminal's answer to OSC 11 if it gives
/// one within `patience` (asked in raw mode, before anything else reads the terminal), else
/// `COLORFGBG` (set by rxvt, Konsole and others), else dark.
///
/// The question is followed by a request every terminal answers (DA1, `ESC [ c`), so that a
/// terminal that ignores OSC 11 is known at once and no stray answer is left for the key
/// reader.
pub fn background_is_light_asking(patience: std::time::Duration) -> bool {
    ask_background(patience).unwrap_or_else(background_is_light)
}

fn ask_background(patience: std::time::Duration) -> Option<bool> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::io::Read;
    let mut tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    tty.write_all(b"\x1b]11;?\x1b\\\x1b[c").ok()?;
    tty.flush().ok()?;
    let start = std::time::Instant::now();
    let mut answer = Vec::new();
    loop {
        let left = patience.checked_sub(start.elapsed())?;
        let timeout = Timespec {
            tv_sec: 0,
            tv_nsec: i64::from(left.subsec_nanos()).max(1_000_000),
        };
        let mut fds = [PollFd::new(&tty, PollFlags::IN)];
        if poll(&mut fds, Some(&timeout)).ok()? == 0 {
            return None;
        }
        let mut buf = [0; 256];
        let n = tty.read(&mut buf).ok()?;
        answer.extend_from_slice(&buf[..n]);
        // The DA1 answer ends in `c` after `ESC [ ?`: everything before it has come.
        if let Some(at) = find(&answer, b"\x1b[?")
            && answer[at..].contains(&b'c')
        {
            return parse_background(&answer[..at]);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Light or dark from an OSC 11 answer (`ESC ] 11 ; rgb:RRRR/GGGG/BBBB` and BEL or ST).
fn parse_background(answer: &[u8]) -> Option<bool> {
    let text = std::str::from_utf8(answer).ok()?;
    let rgb = text.split("rgb:").nth(1)?;
    let rgb = rgb.trim_end_matches(['\x07', '\x1b', '\\']);
    let channels: Vec<f64> = rgb
        .split('/')
        .map(|c| {
            let c = c.get(..c.len().min(4))?;
            let max = 16f64.powi(c.len() as i32) - 1.0;
            u32::from_str_radix(c, 16).ok().map(|v| f64::from(v) / max)
        })
        .collect::<Option<_>>()?;
    let [r, g, b] = channels[..] else { return None };
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5)
}

/// Whether `COLORFGBG` (`fg;bg`) says the background is light (7 or 15).
pub fn background_is_light() -> bool {
    std::env::var("COLORFGBG").is_ok_and(|value| {
        value
            .rsplit(';')
            .next()
            .and_then(|bg| bg.parse::<u8>().ok())
            .is_some_and(|bg| bg == 7 || bg == 15)
    })
}

/// Restores the terminal before the panic message prints, so that it is readable.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc11_answers() {
        assert_eq!(
            parse_background(b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\"),
            Some(true)
        );
        assert_eq!(
            parse_background(b"\x1b]11;rgb:1e1e/1e1e/2e2e\x07"),
            Some(false)
        );
        assert_eq!(parse_background(b"\x1b]11;rgb:fd/f6/e3\x07"), Some(true));
        assert_eq!(parse_background(b""), None);
    }
}
