//! The command line: what users and scripts may say to folio (clap derive).
//!
//! Kept apart from `main` so that shell completions and the man page come from the same
//! definition.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::archive::order::SortKey;
use crate::config::{Ambiguous, ColorWhen, Paging, ThemeChoice};

/// What the exit codes mean, shown at the end of `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    done (files that could not be indexed are warned about on stderr)
  1    no article matched the query
  2    usage error, unusable DIR, or output that could not be written
  130  interrupted, or nothing chosen in the interface";

/// folio: read archives of Markdown articles in a terminal.
#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about,
    after_help = EXIT_CODES,
    override_usage = "folio [OPTIONS] [DIR] [COMMAND]"
)]
pub struct Cli {
    /// What to do; without a command folio opens the interface on DIR.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The archive to open (default: the current directory).
    pub dir: Option<PathBuf>,

    /// Start the interface with this query typed.
    #[arg(short, long, value_name = "QUERY")]
    pub query: Option<String>,

    /// When stdout is not a terminal, print the chosen article's path instead of its bytes.
    #[arg(long)]
    pub print_path: bool,

    /// Options that every command takes, before or after its name.
    #[command(flatten)]
    pub global: Global,
}

/// Options accepted before or after the command.
#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Paths only, each ended by a NUL byte, for `xargs -0`: `list` and `find` print each
    /// article's file (DIR joined with its path, the exact bytes) instead of their lines, and
    /// the interface's --print-path ends the chosen path with NUL instead of a newline.
    #[arg(long, global = true)]
    pub print0: bool,

    /// The order of `list` and the interface's list, and of equal matches in `find` and
    /// `search`; a `-` before a key reverses it (`-date`: newest first). Undated articles go
    /// last under `date` and `-date`; articles equal by the key keep the archive's order
    /// [default: summary, or the config file's].
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "ORDER",
        allow_hyphen_values = true
    )]
    pub sort: Option<SortKey>,

    /// How wide the terminal draws East Asian ambiguous characters (“”…—·)
    /// [default: single, or the config file's].
    #[arg(long, global = true, value_enum, value_name = "WIDTH")]
    pub ambiwidth: Option<Ambiguous>,

    /// When to use colours and styles [default: auto, never when NO_COLOR is set].
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorWhen>,

    /// The interface's colours [default: auto: ask the terminal, else dark].
    #[arg(long, global = true, value_enum)]
    pub theme: Option<ThemeChoice>,

    /// Make links clickable (OSC 8) in the interface and in `cat` to a terminal.
    #[arg(long, global = true)]
    pub hyperlinks: bool,

    /// Neither read nor write the remembered reading positions.
    #[arg(long, global = true)]
    pub no_state: bool,

    /// Neither read nor write the head cache: read every article's head.
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Print no warnings (skipped files, index trouble); errors still print.
    #[arg(long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Name every skipped file on stderr, empty ones too (by default they are counted on one
    /// line).
    #[arg(long, global = true)]
    pub verbose: bool,
}

/// The non-interactive commands, for scripts.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every article: `TITLE<TAB>PATH` a line, in the archive's order.
    List {
        /// The archive to read (default: the current directory).
        dir: Option<PathBuf>,
        #[command(flatten)]
        format: Format,
    },
    /// List the articles whose title matches QUERY fuzzily, best first.
    Find {
        /// Fuzzy query; white space separates terms that must all match (smart case).
        query: String,
        /// The archive to read (default: the current directory).
        dir: Option<PathBuf>,
        #[command(flatten)]
        format: Format,
        /// Print at most N matches.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// List the articles whose text holds every term of QUERY, most relevant first.
    ///
    /// Terms separated by spaces must all occur, `"a phrase"` keeps its spaces, `-term`
    /// leaves out the articles holding it. A term matches as a literal substring within one
    /// line, ignoring case (Unicode simple case folding, as `rg -i`). An index kept under
    /// $XDG_CACHE_HOME/folio/ is built on first use and updated as articles change.
    Search {
        /// Terms that must all occur; `"a phrase"`, `-term` to exclude.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// The archive to search (default: the current directory).
        dir: Option<PathBuf>,
        #[command(flatten)]
        format: Format,
        /// Print at most N articles.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// One line per match, `PATH:LINE:COLUMN:TEXT`, as `rg --vimgrep` prints.
        #[arg(long, conflicts_with = "json")]
        lines: bool,
    },
    /// Build or bring up to date the search index of DIR (a progress bar on a terminal).
    Index {
        /// The archive to index (default: the current directory).
        dir: Option<PathBuf>,
    },
    /// Print one article: a file path, or the best match for a query.
    Cat {
        /// A file (relative to DIR, or absolute), or else a fuzzy query.
        target: String,
        /// The archive to search when TARGET is a query (default: the current directory).
        dir: Option<PathBuf>,
        /// To a terminal: the Markdown source, control characters made visible.
        #[arg(long, conflicts_with = "plain")]
        raw: bool,
        /// The rendered article as plain text, without styles, even into a pipe.
        #[arg(long)]
        plain: bool,
        /// Line width for rendering (default: the terminal's width, or 80).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
        width: Option<u16>,
        /// To a terminal, show the article through $PAGER (else `less -R -F`): `auto` when it is
        /// taller than the screen. Never into a pipe.
        #[arg(long, value_enum, value_name = "WHEN", default_value_t = Paging::Auto)]
        paging: Paging,
    },
    /// Print a shell completion script (`folio completions bash > /etc/bash_completion.d/folio`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `folio man | man -l -`.
    Man,
}

/// Output format shared by `list` and `find`.
#[derive(Debug, Args, Clone, Copy)]
pub struct Format {
    /// One JSON object a line (NDJSON): path, title, source, date, category, tags.
    #[arg(long)]
    pub json: bool,
}
