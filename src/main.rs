//! The `folio` binary: parse the command line, dispatch, map the outcome to an exit code.

use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use folio::cli::{Cli, Command};
use folio::commands::{self, CatMode, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        None => anyhow::bail!("the interface is not built yet; use `folio list`"),
    }
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
