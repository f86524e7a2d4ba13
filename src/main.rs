//! The `folio` binary: parse the command line, dispatch, map the outcome to an exit code.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use folio::cli::{Cli, Command};
use folio::commands::{self, CatMode, Outcome};
use folio::tui;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_none() {
        return interface(cli);
    }
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NoMatch) => ExitCode::from(1),
        Err(err) => {
            // Output into a closed pipe (`folio list | head -1`) is a normal way to stop.
            let broken_pipe = err.chain().any(|cause| {
                cause
                    .downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("folio: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let dir_or_cwd = |dir: Option<PathBuf>| dir.unwrap_or_else(|| PathBuf::from("."));
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match cli.command {
        Some(Command::List { dir, format }) => {
            let library = commands::load(&dir_or_cwd(dir))?;
            commands::list(&library, format.json, &mut out)
        }
        Some(Command::Find {
            query,
            dir,
            format,
            limit,
        }) => {
            let library = commands::load(&dir_or_cwd(dir))?;
            commands::find(&library, &query, limit, format.json, &mut out)
        }
        Some(Command::Cat {
            target,
            dir,
            raw,
            plain,
            width,
        }) => {
            let dir = dir_or_cwd(dir);
            check_dir(&dir)?;
            let Some(file) = commands::resolve_cat_target(&dir, &target)? else {
                eprintln!("folio: no article matches {target:?}");
                return Ok(Outcome::NoMatch);
            };
            let to_terminal = commands::stdout_is_terminal();
            let width = width
                .map(usize::from)
                .unwrap_or_else(|| terminal_width(to_terminal));
            commands::cat(
                &file,
                CatMode::choose(raw, plain, to_terminal),
                width,
                &mut out,
            )
        }
        None => unreachable!("the interface is run by `interface`"),
    }
}

/// `folio [DIR] [-q QUERY]`: the interface, then the chosen article on stdout.
fn interface(cli: Cli) -> ExitCode {
    let options = tui::Options {
        dir: cli.dir.unwrap_or_else(|| PathBuf::from(".")),
        query: cli.query.unwrap_or_default(),
        ambi: folio::width::AmbiWidth::Single,
    };
    let outcome = tui::run(&options).and_then(|outcome| match outcome {
        tui::Outcome::Chosen(file) => {
            print_chosen(&file, cli.print_path).map(|()| ExitCode::SUCCESS)
        }
        tui::Outcome::Quit => Ok(ExitCode::SUCCESS),
        tui::Outcome::Cancelled => Ok(ExitCode::from(130)),
        tui::Outcome::Signal(signal) => Ok(ExitCode::from((128 + signal).clamp(0, 255) as u8)),
    });
    outcome.unwrap_or_else(|err| {
        let broken_pipe = err.chain().any(|cause| {
            cause
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        });
        if broken_pipe {
            return ExitCode::SUCCESS;
        }
        eprintln!("folio: {err:#}");
        ExitCode::from(2)
    })
}

/// Writes the chosen article to stdout: its bytes, or its path and a newline.
fn print_chosen(file: &Path, print_path: bool) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    if print_path {
        out.write_all(file.as_os_str().as_encoded_bytes())?;
        out.write_all(b"\n")?;
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

/// The terminal's width when stdout is one, else 80.
fn terminal_width(to_terminal: bool) -> usize {
    let columns = to_terminal
        .then(|| crossterm::terminal::size().ok())
        .flatten()
        .map(|(columns, _)| usize::from(columns));
    columns.unwrap_or(80).max(20)
}
