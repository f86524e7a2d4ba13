//! The interface on a real terminal: the only place that knows a screen exists.
//!
//! One event loop on the main thread owns the [`App`] and the terminal. Everything else
//! arrives on one channel from threads that may block: keys and resizes (crossterm), batches of
//! the background index, rankings, text searches, and signals. The loop applies what came, then draws once,
//! so the screen is redrawn only when something happened and never more than once a batch.

pub mod app;
pub mod handoff;
pub mod keymap;
pub mod positions;
pub mod ranker;
pub mod reading_cache;
pub mod searcher;
pub mod terminal;
pub mod theme;
pub mod view;

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::archive::article::Article;
use crate::archive::library::{Found, HeadCache, Library, LibraryBuilder, Skipped};
use crate::tui::app::{Action, App, Effect, Exit};
use ranker::Ranker;
use searcher::Searcher;
use terminal::{Guard, Tty};
use view::Screen;

/// What the interface is opened on.
#[derive(Debug, Clone)]
pub struct Options {
    /// The archive.
    pub dir: PathBuf,
    /// The query typed at the start (`-q`, or `-s` for the text).
    pub query: String,
    /// Start in text mode (`-s`): the query searches the articles' text.
    pub text: bool,
    /// How wide the terminal draws ambiguous-width characters.
    pub ambi: crate::render::width::AmbiWidth,
    /// The order of the list when no query is typed.
    pub sort: crate::archive::order::SortKey,
    /// Whether colours may be used (not with `NO_COLOR` or `--color never`).
    pub color: bool,
    /// Dark, light, or ask the terminal.
    pub theme: crate::config::ThemeChoice,
    /// Links clickable with OSC 8.
    pub hyperlinks: bool,
    /// Remember reading positions (in the XDG state folder).
    pub state: bool,
    /// Use the head cache (in the XDG cache folder).
    pub cache: bool,
}

/// How the interface ended, for `main` to act on once the terminal is given back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An article chosen for stdout: its file (DIR joined with its relative path).
    Chosen(PathBuf),
    /// Quit with nothing to print: exit 0.
    Quit,
    /// Nothing chosen for the pipe, or Ctrl-c: exit 130.
    Cancelled,
    /// A signal ended the interface: exit 128 + the signal's number.
    Signal(i32),
}

/// Everything the event loop hears about.
enum Message {
    /// A terminal event (key, mouse, resize).
    Input(Event),
    /// The terminal could not be read any more.
    InputFailed(std::io::Error),
    /// Articles and skipped files found by the background index.
    Indexed(Vec<Article>, Vec<Skipped>),
    /// The index is complete, in the default order; article `i` is the `order[i]`-th that
    /// [`Message::Indexed`] brought.
    Finished(Library, Vec<usize>),
    /// A ranking is done.
    Ranked(crate::tui::ranker::Ranked),
    /// A text search is done, or the text index moved on.
    Text(searcher::TextNews),
    /// SIGTERM, SIGHUP or SIGINT.
    Signal(i32),
    /// A large article's whole layout is ready: draw again.
    LaidOut,
}

/// Runs the interface until the user leaves; the terminal is given back before this returns.
pub fn run(options: &Options) -> Result<Outcome> {
    let piped = !std::io::IsTerminal::is_terminal(&std::io::stdout());
    // The cache's notes are not shown: stderr is the screen the interface draws on.
    let (head_cache, _notes) = match std::fs::metadata(&options.dir) {
        Ok(meta) if meta.is_dir() => HeadCache::open_if(&options.dir, options.cache),
        _ => (None, Vec::new()),
    };
    Library::check(&options.dir).map_err(|err| anyhow::anyhow!("cannot open {err}"))?;
    let empty = std::fs::read_dir(&options.dir).is_ok_and(|mut entries| entries.next().is_none());
    if empty {
        anyhow::bail!(
            "cannot open {}: no articles (empty directory)",
            options.dir.display()
        );
    }
    let mut tty = Tty::open().context("no terminal to draw the interface on")?;

    let (sender, inbox) = mpsc::channel();
    // Signals are caught before the screen changes, so that none can leave it broken.
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT]).context("cannot catch signals")?;
    let guard = Guard::enter(&mut tty).context("cannot set up the terminal")?;
    let mut terminal =
        Terminal::new(CrosstermBackend::new(tty)).context("cannot set up the terminal")?;

    let to_loop = sender.clone();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = to_loop.send(Message::Signal(signal));
        }
    });
    // Asked in raw mode, before the input thread reads the terminal.
    let asked_light = options.theme == crate::config::ThemeChoice::Auto
        && terminal::background_is_light_asking(std::time::Duration::from_millis(100));
    spawn_input(sender.clone());
    spawn_indexer(&options.dir, head_cache, sender.clone());
    let to_loop = Mutex::new(sender.clone());
    let wake: reading_cache::Wake = Arc::new(move || {
        let _ = to_loop.lock().map(|to_loop| to_loop.send(Message::LaidOut));
    });
    let to_loop = sender.clone();
    let ranker = Ranker::spawn(move |ranked| {
        let _ = to_loop.send(Message::Ranked(ranked));
    });
    let to_loop = Mutex::new(sender);
    let searcher = Searcher::spawn(&options.dir, move |news| {
        let _ = to_loop
            .lock()
            .map(|to_loop| to_loop.send(Message::Text(news)));
    });
    let workers = Workers {
        ranker: &ranker,
        searcher: &searcher,
    };

    let mut app = App::new(&options.dir, &options.query, piped);
    if options.text {
        app.start_in_text_mode();
    }
    app.ambi = options.ambi;
    app.sort = options.sort;
    let mut loaded_positions = crate::tui::positions::Positions::new();
    if options.state {
        app.opened.positions = crate::tui::positions::load(&options.dir);
        loaded_positions = app.opened.positions.clone();
    }
    let light = match options.theme {
        crate::config::ThemeChoice::Light => true,
        crate::config::ThemeChoice::Dark => false,
        crate::config::ThemeChoice::Auto => asked_light,
    };
    let mut screen = Screen::with_look(view::Look {
        ambi: options.ambi,
        no_color: !options.color,
        light,
        hyperlinks: options.hyperlinks,
    });
    screen.wake_with(wake);
    let ended = event_loop(
        &mut terminal,
        &mut app,
        &mut screen,
        &inbox,
        &workers,
        options,
    );
    // ratatui's drop shows the cursor and prints a message (with `eprintln!`, which panics
    // when stderr is a closed terminal) if that fails: shown here, a failure goes unsaid.
    let _ = terminal.show_cursor();
    drop(terminal);
    drop(guard);
    // Kept whatever ended the interface: a quit, a signal, an error, a closed window.
    if options.state {
        app.remember_position();
        // Only what this run changed: another folio on the same archive may have saved a newer
        // position of an article this one merely loaded.
        let changed = crate::tui::positions::changed(&loaded_positions, &app.opened.positions);
        if let Err(err) = crate::tui::positions::save(&options.dir, &changed) {
            crate::warn!("folio: cannot keep reading positions: {err}");
        }
    }
    let ending = match ended {
        Ok(ending) => ending,
        // The terminal went away (its window closed), which also sends SIGHUP: end as that does.
        Err(_) if terminal::gone() => Ending::Signal(SIGHUP),
        Err(err) => return Err(err),
    };
    Ok(match ending {
        Ending::App(Exit::Chosen(index)) => Outcome::Chosen(app.file_path(index)),
        Ending::App(Exit::Quit) => Outcome::Quit,
        Ending::App(Exit::Cancelled | Exit::Interrupted) => Outcome::Cancelled,
        Ending::App(Exit::NoArticles) => {
            anyhow::bail!("no articles in {}", options.dir.display())
        }
        Ending::Signal(signal) => Outcome::Signal(signal),
        Ending::TerminalGone(err) => {
            crate::warn!("folio: the terminal went away: {err}");
            Outcome::Signal(SIGHUP)
        }
    })
}

/// Draws, waits for what happens, applies it; again until something ends the interface.
fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    screen: &mut Screen,
    inbox: &Receiver<Message>,
    workers: &Workers<'_>,
    options: &Options,
) -> Result<Ending> {
    let mut chores = Vec::new();
    let effect = app.initial_effect();
    let mut exit = perform(effect, app, workers, &mut chores);
    while exit.is_none() {
        // The state learns the panes' sizes and the article's layout first, so that the frame
        // drawn (the first one included) shows them; drawing only reads the state.
        terminal.autoresize().context("cannot draw the interface")?;
        let area = terminal.get_frame().area();
        for action in screen.prepare(app, area) {
            // A measure or a layout asks for nothing beyond the drawing that follows.
            let effect = app.update(action);
            debug_assert_eq!(effect, Effect::None);
        }
        terminal
            .draw(|frame| screen.render(frame, app))
            .context("cannot draw the interface")?;
        if options.hyperlinks {
            write_hyperlinks(terminal.backend_mut(), screen.hyperlinks(), options.color)
                .context("cannot draw the interface")?;
        }
        // For tests/integration/hostile_pty.rs: a panic while the terminal is borrowed, which
        // the panic hook must give back before the message prints.
        if std::env::var_os("FOLIO_TEST_PANIC").is_some() {
            panic!("FOLIO_TEST_PANIC is set");
        }
        let Ok(message) = inbox.recv() else { break };
        exit = handle(message, app, screen, workers, &mut chores)?;
        // Take everything else already waiting before drawing again.
        while exit.is_none()
            && let Ok(message) = inbox.try_recv()
        {
            exit = handle(message, app, screen, workers, &mut chores)?;
        }
        for chore in chores.drain(..) {
            if let Chore::Edit(index) = chore
                && !app.indexing
            {
                // Its text changed: the text index no longer speaks for it.
                workers.searcher.edited(index);
            }
            if let Err(err) = chore.run(terminal, app, screen) {
                app.notice = Some(format!("{err:#}"));
            }
        }
    }
    Ok(exit.unwrap_or(Ending::App(Exit::Quit)))
}

/// Writes each link's text again over itself, wrapped in OSC 8 so that the terminal makes it
/// clickable (ratatui has no notion of it). The cursor is put back where ratatui left it.
fn write_hyperlinks(
    out: &mut impl std::io::Write,
    links: &[view::LinkOnScreen],
    color: bool,
) -> std::io::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    write!(out, "\x1b7")?; // save the cursor
    for link in links {
        write!(
            out,
            "\x1b[{};{}H{}",
            link.y + 1,
            link.x + 1,
            crate::render::ansi::osc8(&link.url)
        )?;
        let sgr = if color {
            crate::render::ansi::sgr_params(link.style)
        } else {
            String::from("4")
        };
        write!(
            out,
            "\x1b[{sgr}m{}\x1b[0m{}",
            link.text,
            crate::render::ansi::osc8("")
        )?;
    }
    write!(out, "\x1b8")?;
    out.flush()
}

/// The threads that work for the loop.
struct Workers<'a> {
    ranker: &'a Ranker,
    searcher: &'a Searcher,
}

impl Workers<'_> {
    /// Articles found (in found order), for the ranker's titles and the searcher's list.
    fn append(&self, articles: &[Article]) {
        self.searcher.append(articles);
        self.ranker.append(articles.to_vec());
    }
}

/// Why the loop stops.
enum Ending {
    App(Exit),
    Signal(i32),
    /// The terminal could not be read any more: it went away (a closed window), or as good as.
    TerminalGone(std::io::Error),
}

/// Work an update asked for that needs the terminal.
enum Chore {
    /// Open a URL with the system's opener.
    Open(String),
    /// Copy text with OSC 52.
    Copy(String),
    /// Edit article `index` in `$EDITOR`.
    Edit(usize),
}

type Term = Terminal<CrosstermBackend<Tty>>;

impl Chore {
    fn run(self, terminal: &mut Term, app: &mut App, screen: &mut Screen) -> Result<()> {
        match self {
            Chore::Open(url) => handoff::open(&url),
            Chore::Copy(text) => {
                let backend = terminal.backend_mut();
                std::io::Write::write_all(backend, handoff::osc52(&text).as_bytes())?;
                std::io::Write::flush(backend)?;
                Ok(())
            }
            Chore::Edit(index) => {
                let file = app.file_path(index);
                input_paused(true);
                let suspended = terminal::suspend(terminal.backend_mut());
                let edited = suspended.map(|()| handoff::edit(&file));
                let resumed = terminal::resume(terminal.backend_mut());
                // Whatever failed, the keys are read again: a paused input thread would leave
                // only a signal to end the interface.
                input_paused(false);
                let edited = edited.and_then(|edited| resumed.map(|()| edited))?;
                // A full redraw: the screen cleared, and nothing taken as already on it.
                // (Not `Terminal::clear`, which asks the terminal for the cursor's position
                // while the input thread reads the answers.)
                ratatui::crossterm::execute!(
                    terminal.backend_mut(),
                    ratatui::crossterm::terminal::Clear(
                        ratatui::crossterm::terminal::ClearType::All
                    )
                )?;
                terminal.swap_buffers();
                screen.forget(&file);
                edited
            }
        }
    }
}

/// While true, the input thread leaves the terminal's input alone (an editor reads it).
static INPUT_PAUSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn input_paused(paused: bool) {
    INPUT_PAUSED.store(paused, std::sync::atomic::Ordering::SeqCst);
    if paused {
        // Let a poll under way end before the editor starts.
        std::thread::sleep(std::time::Duration::from_millis(60));
    }
}

/// Applies one message; `Some` when the interface is to end.
fn handle(
    message: Message,
    app: &mut App,
    screen: &Screen,
    workers: &Workers<'_>,
    chores: &mut Vec<Chore>,
) -> Result<Option<Ending>> {
    let action = match message {
        Message::Input(Event::Key(key)) if app.search_typing() => keymap::search_action(key),
        Message::Input(Event::Key(key)) => keymap::action(key, app.focus, app.overlay),
        Message::Input(Event::Mouse(mouse)) => screen.mouse(mouse),
        Message::Input(_) => None, // a resize: the next draw lays out again
        Message::InputFailed(err) => return Ok(Some(Ending::TerminalGone(err))),
        Message::Indexed(articles, skipped) => {
            workers.append(&articles);
            Some(Action::Indexed(articles, skipped))
        }
        Message::Finished(mut library, found_order) => {
            // The chosen sort on top of the default order.
            let sorted = crate::archive::order::sort_order(&library.articles, app.sort);
            // Taken whole from the head cache: the workers have nothing yet.
            let whole = app.articles.is_empty();
            if !whole {
                // The ranker and the searcher hold the articles in found order: they take
                // both orders at once.
                let order: Vec<usize> = sorted.iter().map(|&i| found_order[i]).collect();
                // The titles already in this order: the ranker would make a second set of
                // rows to move none.
                if !order.iter().enumerate().all(|(at, &i)| at == i) {
                    workers.searcher.reorder(order.clone());
                    workers.ranker.reorder(order);
                }
            }
            crate::archive::order::permute(&mut library.articles, sorted);
            if whole {
                // In their final order: a reorder reaching the ranker while it prepares the
                // titles would make it prepare every one before it answers the next key.
                workers.append(&library.articles);
            }
            Some(Action::Finished(library))
        }
        Message::Ranked(ranked) => Some(Action::Ranked(ranked)),
        Message::Text(searcher::TextNews::Searched(searched)) => Some(Action::Searched(searched)),
        Message::Text(searcher::TextNews::Lined(lined)) => Some(Action::Lined(lined)),
        Message::Text(searcher::TextNews::Index(news)) => Some(Action::TextIndex(news)),
        Message::Signal(signal) => return Ok(Some(Ending::Signal(signal))),
        // Nothing to change: the loop draws again, and `prepare` takes the whole layout.
        Message::LaidOut => None,
    };
    Ok(action.and_then(|action| {
        let effect = app.update(action);
        perform(effect, app, workers, chores)
    }))
}

/// Does what an update asked for; `Some` when it is to end the interface.
fn perform(
    effect: Effect,
    app: &App,
    workers: &Workers<'_>,
    chores: &mut Vec<Chore>,
) -> Option<Ending> {
    match effect {
        Effect::None => None,
        Effect::Rank(request) => {
            workers.ranker.rank(request);
            None
        }
        Effect::Search(request) => {
            // The searcher's copy of the articles is made when text mode is first used.
            workers.searcher.load(&app.articles, !app.indexing);
            workers.searcher.search(request);
            None
        }
        Effect::Exit(exit) => Some(Ending::App(exit)),
        Effect::Open(url) => {
            chores.push(Chore::Open(url));
            None
        }
        Effect::Copy(text) => {
            chores.push(Chore::Copy(text));
            None
        }
        Effect::Edit(index) => {
            chores.push(Chore::Edit(index));
            None
        }
    }
}

/// Reads terminal events on a thread of its own.
fn spawn_input(to_loop: Sender<Message>) {
    std::thread::spawn(move || {
        loop {
            if INPUT_PAUSED.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::sleep(std::time::Duration::from_millis(20));
                continue;
            }
            match event::poll(std::time::Duration::from_millis(50)) {
                Ok(false) => continue,
                Ok(true) if INPUT_PAUSED.load(std::sync::atomic::Ordering::SeqCst) => continue,
                Ok(true) => {}
                Err(err) => {
                    let _ = to_loop.send(Message::InputFailed(err));
                    break;
                }
            }
            let message = match event::read() {
                Ok(event) => Message::Input(event),
                Err(err) => Message::InputFailed(err),
            };
            let failed = matches!(message, Message::InputFailed(_));
            if to_loop.send(message).is_err() || failed {
                break;
            }
        }
    });
}

/// Indexes the archive in the background for the loop. An unchanged archive comes whole from
/// the head cache, in order: the library alone is sent. Otherwise the walk's articles are
/// sent as they are found, then the library in its default order (which needs every article,
/// so a copy is kept here).
fn spawn_indexer(dir: &std::path::Path, cache: Option<Arc<HeadCache>>, to_loop: Sender<Message>) {
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        if let Some(library) = cache
            .as_ref()
            .and_then(|cache| Library::load_unchanged(&dir, cache, false))
        {
            let found_order = (0..library.articles.len()).collect();
            let _ = to_loop.send(Message::Finished(library, found_order));
            return;
        }
        let Ok(batches) = Library::spawn_with(&dir, cache.clone()) else {
            // The folder went away since it was checked: an empty library says so.
            let _ = to_loop.send(Message::Finished(Library::default(), Vec::new()));
            return;
        };
        let mut builder = LibraryBuilder::new(&dir).with_cache(cache);
        for batch in batches {
            let mut articles = Vec::new();
            let mut skipped = Vec::new();
            for found in batch {
                match &found {
                    Found::Article(article, _) => articles.push(article.clone()),
                    Found::Skipped(skip, _) => skipped.push(skip.clone()),
                    Found::Summary(..) | Found::Folder(_) => {}
                }
                builder.add(found);
            }
            if to_loop.send(Message::Indexed(articles, skipped)).is_err() {
                return;
            }
        }
        let (library, found_order) = builder.finish_with_order();
        let _ = to_loop.send(Message::Finished(library, found_order));
    });
}
