//! The `folio` binary: parse the command line, dispatch, map the outcome to an exit code.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};
use folio::archive::order::SortKey;
use folio::cli::{Cli, Command};
use folio::commands::{self, CatMode, Outcome};
use folio::config::{self, FileConfig};
use folio::render::sanitize;
use folio::render::width::AmbiWidth;
use folio::tui;

/// The settings in force: the command line's, else the config file's, else the defaults.
struct Settings {
    sort: folio::archive::order::SortKey,
    ambi: AmbiWidth,
    color: Option<config::ColorWhen>,
    theme: config::ThemeChoice,
    hyperlinks: bool,
    state: bool,
    dir: Option<PathBuf>,
}

impl Settings {
    fn new(cli: &Cli, file: FileConfig) -> Settings {
        let global = &cli.global;
        let no_state_env = std::env::var_os("FOLIO_NO_STATE").is_some_and(|v| !v.is_empty());
        Settings {
            sort: global.sort.or(file.sort).unwrap_or_default(),
            ambi: global
                .ambiwidth
                .or(file.ambiwidth)
                .unwrap_or_default()
                .into(),
            color: global.color,
            theme: global.theme.or(file.theme).unwrap_or_default(),
            hyperlinks: global.hyperlinks,
            state: !global.no_state && !no_state_env,
            dir: file.dir,
        }
    }

    /// DIR as given, else the config file's, else the current directory.
    fn dir(&self, given: Option<PathBuf>) -> PathBuf {
        given
            .or_else(|| self.dir.clone())
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut command = Cli::command();
            // Made in memory and written once: clap_complete panics when its writes fail.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command, "folio", &mut script);
            return match io::stdout().write_all(&script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    folio::warn!("folio: cannot write output: {err}");
                    ExitCode::from(2)
                }
            };
        }
        Some(Command::Man) => {
            let page = folio::cli::man_page();
            return match page.and_then(|page| io::stdout().write_all(&page)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    folio::warn!("folio: cannot write output: {err}");
                    ExitCode::from(2)
                }
            };
        }
        _ => {}
    }
    let file = match config::load() {
        Ok(file) => file,
        Err(err) => {
            folio::warn!("folio: {err:#}");
            return ExitCode::from(2);
        }
    };
    folio::warn::set_level(if cli.global.quiet {
        folio::warn::Level::Quiet
    } else if cli.global.verbose {
        folio::warn::Level::Verbose
    } else {
        folio::warn::Level::Normal
    });
    let settings = Settings::new(&cli, file);
    if cli.command.is_none() {
        return interface(cli, &settings);
    }
    match run(cli, &settings) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NoMatch) => ExitCode::from(1),
        Err(err) => failed(&err),
    }
}

/// The exit code for an error, after its one-line message: 0 for output into a closed pipe
/// (`folio list | head -1` is a normal way to stop), else 2.
fn failed(err: &anyhow::Error) -> ExitCode {
    let broken_pipe = err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    // Paths in a message may come from the archive: shown, never executed.
    folio::warn!("folio: {}", sanitize::one_line(&format!("{err:#}")));
    ExitCode::from(2)
}

/// Leaves an index (a library, a catalog) to the operating system, which takes the whole
/// process back at once, instead of freeing every article one by one just before exiting, the
/// last step of `list`, `find` and `search`.
fn leave<T>(index: T) {
    std::mem::forget(index);
}

fn run(cli: Cli, settings: &Settings) -> anyhow::Result<Outcome> {
    let dir_or_cwd = |dir: Option<PathBuf>| settings.dir(dir);
    let use_cache = !cli.global.no_cache;
    // With the articles' stamps (`stamps`) for what searches the text.
    let load = |dir: &Path, stamps: bool| -> anyhow::Result<folio::archive::library::Library> {
        let mut library = commands::load(dir, use_cache, stamps)?;
        library.sort(settings.sort);
        Ok(library)
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match cli.command {
        Some(Command::List { dir, format }) => {
            let dir = dir_or_cwd(dir);
            let library = load(&dir, false)?;
            let outcome = if cli.global.print0 {
                commands::print0(&library, &dir, None, None, &mut out)
            } else {
                commands::list(&library, format.json, &mut out)
            };
            leave(library);
            outcome
        }
        Some(Command::Find {
            query,
            dir,
            format,
            limit,
        }) => {
            let dir = dir_or_cwd(dir);
            let library = load(&dir, false)?;
            let highlight = config::use_color(settings.color, commands::stdout_is_terminal());
            let outcome = if cli.global.print0 {
                commands::print0(&library, &dir, Some(&query), limit, &mut out)
            } else {
                commands::find(&library, &query, limit, format.json, highlight, &mut out)
            };
            leave(library);
            outcome
        }
        Some(Command::Search {
            query,
            dir,
            format,
            limit,
            lines,
        }) => {
            let dir = dir_or_cwd(dir);
            let shape = match (format.json, lines) {
                (true, _) => commands::SearchShape::Json,
                (_, true) => commands::SearchShape::Lines,
                _ => commands::SearchShape::Titles,
            };
            // Nothing changed since the head cache was written, in the archive's own order:
            // its entries serve as they are, no article is made.
            let unchanged = (use_cache && settings.sort == SortKey::Summary)
                .then(|| commands::cached_catalog(&dir))
                .flatten();
            if let Some(catalog) = unchanged {
                let outcome = commands::search(&catalog, &dir, &query, limit, shape, &mut out);
                leave(catalog);
                return outcome;
            }
            let library = load(&dir, true)?;
            let outcome = commands::search(&library, &dir, &query, limit, shape, &mut out);
            leave(library);
            outcome
        }
        Some(Command::Index { dir }) => {
            let dir = dir_or_cwd(dir);
            let library = load(&dir, true)?;
            commands::index(&library, &dir)
        }
        Some(Command::Cat {
            target,
            dir,
            raw,
            plain,
            width,
            paging,
        }) => {
            let dir = dir_or_cwd(dir);
            check_dir(&dir)?;
            let Some(file) = commands::resolve_cat_target(&dir, &target, use_cache)? else {
                folio::warn!("folio: no article matches {target:?}");
                return Ok(Outcome::NoMatch);
            };
            let to_terminal = commands::stdout_is_terminal();
            let width = width
                .map(usize::from)
                .unwrap_or_else(|| terminal_width(to_terminal));
            let styled = config::use_color(settings.color, to_terminal);
            let mode = match CatMode::choose(raw, plain, to_terminal) {
                CatMode::Styled if !styled => CatMode::Plain,
                CatMode::Bytes if styled && !raw => CatMode::Styled,
                mode => mode,
            };
            let look = commands::Look {
                ambi: settings.ambi,
                hyperlinks: settings.hyperlinks,
            };
            if !to_terminal || paging == config::Paging::Never || mode == CatMode::Bytes {
                return commands::cat(&file, mode, width, look, &mut out);
            }
            // To a terminal: through the pager when the article is taller than the screen.
            let mut shown = Vec::new();
            let outcome = commands::cat(&file, mode, width, look, &mut shown)?;
            let lines = shown.iter().filter(|&&b| b == b'\n').count();
            let taller = lines >= terminal_rows();
            if (paging == config::Paging::Always || taller) && commands::page(&shown)? {
                return Ok(outcome);
            }
            out.write_all(&shown).context("cannot write output")?;
            out.flush().context("cannot write output")?;
            Ok(outcome)
        }
        None | Some(Command::Completions { .. } | Command::Man) => {
            unreachable!("handled in main")
        }
    }
}

/// `folio [DIR] [-q QUERY]`: the interface, then the chosen article on stdout.
fn interface(cli: Cli, settings: &Settings) -> ExitCode {
    let options = tui::Options {
        dir: settings.dir(cli.dir),
        text: cli.search.is_some(),
        query: cli.search.or(cli.query).unwrap_or_default(),
        ambi: settings.ambi,
        sort: settings.sort,
        color: config::use_color(settings.color, true),
        theme: settings.theme,
        hyperlinks: settings.hyperlinks,
        state: settings.state,
        cache: !cli.global.no_cache,
    };
    let outcome = tui::run(&options).and_then(|outcome| match outcome {
        tui::Outcome::Chosen(file) => {
            print_chosen(&file, cli.print_path, cli.global.print0).map(|()| ExitCode::SUCCESS)
        }
        tui::Outcome::Quit => Ok(ExitCode::SUCCESS),
        tui::Outcome::Cancelled => Ok(ExitCode::from(130)),
        tui::Outcome::Signal(signal) => Ok(ExitCode::from((128 + signal).clamp(0, 255) as u8)),
    });
    outcome.unwrap_or_else(|err| failed(&err))
}

/// Writes the chosen article to stdout: its bytes, or its path and a newline.
fn print_chosen(file: &Path, print_path: bool, print0: bool) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    if print_path {
        out.write_all(file.as_os_str().as_encoded_bytes())?;
        out.write_all(if print0 { b"\0" } else { b"\n" })?;
    } else {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        out.write_all(&bytes)?;
    }
    out.flush().context("cannot write output")
}

/// `folio cat` refuses a DIR that is not a directory, as `list` does.
fn check_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        Ok(())
    } else if dir.exists() {
        anyhow::bail!("cannot open {}: not a directory", dir.display())
    } else {
        anyhow::bail!("cannot open {}: no such directory", dir.display())
    }
}

/// The terminal's height, else 24.
fn terminal_rows() -> usize {
    crossterm::terminal::size().map_or(24, |(_, rows)| usize::from(rows))
}

/// The terminal's width when stdout is one, else 80.
fn terminal_width(to_terminal: bool) -> usize {
    let columns = to_terminal
        .then(|| crossterm::terminal::size().ok())
        .flatten()
        .map(|(columns, _)| usize::from(columns));
    columns.unwrap_or(80).max(20)
}
