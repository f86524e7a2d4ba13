//! A program in a pseudo-terminal (portable-pty), its screen read back through vt100: the
//! harness the pty tests share.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// How long any one thing may take to show up before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The pseudo-terminal's height in rows.
pub const ROWS: u16 = 30;
/// The pseudo-terminal's width in columns.
pub const COLS: u16 = 100;

/// Everything a terminal does besides drawing cells, as vt100 reports it.
#[derive(Default)]
pub struct Effects(pub Vec<String>);

impl vt100::Callbacks for Effects {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.0.push("bell".into());
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.0.push("visual bell".into());
    }
    fn resize(&mut self, _: &mut vt100::Screen, request: (u16, u16)) {
        self.0.push(format!("resize {request:?}"));
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.0
            .push(format!("icon name {:?}", String::from_utf8_lossy(name)));
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.0
            .push(format!("title {:?}", String::from_utf8_lossy(title)));
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.0
            .push(format!("clipboard {:?}", String::from_utf8_lossy(data)));
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8]) {
        self.0.push("paste".into());
    }
    fn unhandled_control(&mut self, _: &mut vt100::Screen, b: u8) {
        self.0.push(format!("control {b:#04x}"));
    }
    fn unhandled_escape(&mut self, _: &mut vt100::Screen, i1: Option<u8>, i2: Option<u8>, b: u8) {
        self.0.push(format!("escape {i1:?} {i2:?} {}", b as char));
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        self.0.push(format!("osc {params:?}"));
    }
}

/// A program running in a pseudo-terminal, everything it writes kept and drawn by vt100.
pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    /// Keys go here; `None` once the window is closed.
    input: Option<Box<dyn Write + Send>>,
    output: Arc<Mutex<Vec<u8>>>,
    /// The terminal as vt100 keeps it, with the side effects it reported.
    pub parser: Arc<Mutex<vt100::Parser<Effects>>>,
    /// The pseudo-terminal's master side; `None` once the window is closed.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    /// Asks the reader to stop after its next read, so that its copy of the master closes.
    closing: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

impl Session {
    /// Runs `argv` in a fresh pseudo-terminal (its controlling terminal), in `cwd`, with `env`
    /// set after the defaults: `TERM=xterm-256color`, no `NO_COLOR`, no backtraces, and a
    /// config folder that does not exist, so no user's config file changes what a test sees.
    pub fn spawn(argv: &[&OsStr], cwd: &Path, env: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(argv[0]);
        command.args(&argv[1..]);
        command.cwd(cwd);
        command.env("TERM", "xterm-256color");
        command.env("RUST_BACKTRACE", "0");
        command.env_remove("NO_COLOR");
        command.env("XDG_CONFIG_HOME", super::NO_CONFIG);
        command.env("XDG_CACHE_HOME", super::test_cache());
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let size = |n: u16| std::num::NonZero::new(n).unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            size(ROWS),
            size(COLS),
            0,
            Effects::default(),
        )));
        let (sink, screen) = (Arc::clone(&output), Arc::clone(&parser));
        let closing = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&closing);
        let reader = std::thread::spawn(move || {
            let mut buf = [0; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen.lock().unwrap().process(&buf[..n]);
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
        });
        let input = pair.master.take_writer().unwrap();
        Session {
            child,
            input: Some(input),
            output,
            parser,
            master: Some(pair.master),
            closing,
            reader: Some(reader),
        }
    }

    /// Resizes the pseudo-terminal (the program gets SIGWINCH).
    pub fn resize(&self, rows: u16, cols: u16) {
        let master = self.master.as_ref().expect("the window is open");
        master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// Closes the window, as a terminal emulator does when its window is closed: every copy of
    /// the master side is closed, so the program's terminal hangs up (SIGHUP, then EIO on
    /// every read and write).
    pub fn close_window(&mut self) {
        // The reader blocks in `read` holding its copy of the master: a resize makes the
        // program redraw, the reader wakes, sees `closing` and drops its copy.
        self.closing.store(true, Ordering::SeqCst);
        let (rows, cols) = self.parser.lock().unwrap().screen().size();
        self.resize(rows.get(), cols.get().saturating_sub(1).max(1));
        self.reader.take().unwrap().join().unwrap();
        self.input = None;
        self.master = None;
    }

    /// Everything received so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// The screen's text.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the terminal's cursor is in column `col` (from 0).
    pub fn wait_for_cursor_column(&self, col: u16) {
        let start = Instant::now();
        loop {
            let (_, at) = self.parser.lock().unwrap().screen().cursor_position();
            if at == col {
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "waited for the cursor in column {col}; it is in {at}, on:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "{text:?} stays on:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Types keys (bytes as a terminal sends them).
    pub fn send(&mut self, keys: &str) {
        let input = self.input.as_mut().expect("the window is open");
        input.write_all(keys.as_bytes()).unwrap();
        input.flush().unwrap();
    }

    /// Waits for the program to end and gives its exit code.
    pub fn exit_code(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader take the last bytes.
                std::thread::sleep(Duration::from_millis(50));
                return status.exit_code();
            }
            assert!(
                start.elapsed() < PATIENCE,
                "still running:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `signal` (`TERM`, `HUP`, …) to the program.
    pub fn kill(&self, signal: &str) {
        let pid = self.child.process_id().expect("a pid");
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// The terminal's side effects so far.
    pub fn effects(&self) -> Vec<String> {
        self.parser.lock().unwrap().callbacks().0.clone()
    }

    /// Asserts that the terminal got nothing but cells, cursor moves, colours and the
    /// interface's own modes: no title, bell, clipboard, resize, unknown sequence, no OSC, DCS,
    /// C1 control, bell or backspace in the bytes.
    pub fn assert_nothing_but_drawing(&self) {
        assert_eq!(
            self.effects(),
            Vec::<String>::new(),
            "terminal side effects"
        );
        let bytes = self.bytes();
        let text = String::from_utf8_lossy(&bytes);
        for (bad, what) in [
            ("\x1b]", "OSC"),
            ("\x1bP", "DCS"),
            ("\x1b_", "APC"),
            ("\x1b^", "PM"),
            ("\x1bc", "RIS"),
            ("\x07", "BEL"),
            ("\x08", "BS"),
            ("\u{202E}", "bidi override"),
        ] {
            assert!(!text.contains(bad), "{what} reached the terminal");
        }
        assert!(
            !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
            "a C1 control reached the terminal"
        );
        let screen = self.parser.lock().unwrap();
        let screen = screen.screen();
        assert!(!screen.application_keypad() && !screen.bracketed_paste());
    }

    /// Asserts that the terminal is out of the alternate screen with its cursor shown and mouse
    /// reporting off, in the bytes and in the state vt100 keeps.
    pub fn assert_terminal_given_back(&self) {
        let bytes = self.bytes();
        let text = String::from_utf8_lossy(&bytes);
        let entered = text
            .rfind("\x1b[?1049h")
            .expect("entered the alternate screen");
        let after = &text[entered..];
        let left = after
            .find("\x1b[?1049l")
            .expect("left the alternate screen");
        assert!(
            after[left..].contains("\x1b[?25h"),
            "cursor shown at the end"
        );
        assert!(after.contains("\x1b[?1000l"), "mouse reporting off");
        let terminal = self.parser.lock().unwrap();
        let screen = terminal.screen();
        assert!(!screen.alternate_screen());
        assert!(!screen.hide_cursor());
        assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
