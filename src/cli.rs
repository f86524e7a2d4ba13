//! The command line: what users and scripts may say to folio (clap derive).
//!
//! Kept apart from `main` so that shell completions, `--help` and the man page come from the same
//! definition; the help and the man page list the interface's keys from its own key table.

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

/// The title filter's query syntax (the interface's list, `find`, `cat QUERY`): a form and
/// what it means.
pub const QUERY_SYNTAX: &[(&str, &str)] = &[
    ("a b", "every term must match, fuzzily, in any order"),
    (
        "Ab",
        "a term with an upper-case letter matches case exactly",
    ),
    (
        "'term",
        "matches exactly: the term as it is, letters together",
    ),
    ("^term", "matches at the start of the title"),
    ("term$", "matches at the end of the title"),
    ("!term", "leaves out the titles holding the term"),
    ("a\\ b", "a backslash keeps a space in a term"),
];

/// How a query reaches Chinese titles and translated articles, after the query syntax: one
/// paragraph, its lines cut for `--help`.
pub const PINYIN: &str = "\
A fuzzy term with Latin letters also matches Chinese characters by their pinyin: initials,
whole syllables or any start of one, mixed with Chinese and English (bjdx finds 北京大学…,
beijing 北京…, wx暂停 微信暂停…); a character with two common readings matches by either
(行: xing, hang). A title also matches by its original title: the file name's words, or the
source URL's last segment.";

/// What `-h` says after the options: the exit codes, and where the rest is.
fn short_help() -> String {
    format!("{EXIT_CODES}\n\nThe interface's keys and the query syntax: folio --help, folio man.")
}

/// What `--help` says after the options: the interface's keys (from the table the interface
/// itself reads, [`crate::tui::keymap::every_key`]), the query syntax, pinyin, the exit codes.
pub fn long_help() -> String {
    let sections = crate::tui::keymap::every_key();
    let key_width = sections
        .iter()
        .flat_map(|(_, lines)| lines)
        .map(|line| line.keys.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::from("Keys in the interface (F1 there shows them too):\n");
    for (title, lines) in &sections {
        text.push_str(&format!("  {title}\n"));
        for line in lines {
            let pad = key_width - line.keys.chars().count();
            text.push_str(&format!(
                "    {}{}  {}\n",
                line.keys,
                " ".repeat(pad),
                line.text
            ));
        }
    }
    text.push_str("\nQuery (the interface's list, find, cat QUERY):\n");
    for (form, meaning) in QUERY_SYNTAX {
        text.push_str(&format!("  {form:<7}  {meaning}\n"));
    }
    text.push('\n');
    text.push_str(PINYIN);
    text.push_str("\n\n");
    text.push_str(EXIT_CODES);
    text
}

/// One of clap_mangen's sections, written out.
type ManPart = fn(&clap_mangen::Man, &mut dyn std::io::Write) -> std::io::Result<()>;

/// The manual page of `folio man` (roff): clap_mangen's sections from the same definition as
/// `--help`, then sections of their own for the keys (from the interface's key table), the
/// query syntax and pinyin, and the exit status.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    use clap::CommandFactory;
    use clap_mangen::roff::{Roff, bold, roman};

    let page = clap_mangen::Man::new(Cli::command());
    let mut out = Vec::new();
    // Each part clap_mangen renders opens with the same preamble (it defines the apostrophe):
    // the page needs it once.
    let preamble = Roff::new().render();
    let parts: [ManPart; 6] = [
        clap_mangen::Man::render_title,
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
        clap_mangen::Man::render_options_section,
        clap_mangen::Man::render_subcommands_section,
    ];
    for (index, part) in parts.iter().enumerate() {
        let mut rendered = Vec::new();
        part(&page, &mut rendered)?;
        let body = match rendered.strip_prefix(preamble.as_bytes()) {
            Some(body) if index > 0 => body,
            _ => &rendered[..],
        };
        out.extend_from_slice(body);
    }
    let mut roff = Roff::new();
    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "The interface's keys (F1 there shows them too), by where they work.",
    )]);
    for (title, lines) in crate::tui::keymap::every_key() {
        roff.control("SS", [title]);
        for line in lines {
            roff.control("TP", []);
            roff.text([bold(line.keys)]);
            roff.text([roman(line.text)]);
        }
    }
    roff.control("SH", ["QUERY"]);
    roff.text([roman(
        "The title filter (the interface's list, find, cat QUERY) reads a query as fzf does:",
    )]);
    for (form, meaning) in QUERY_SYNTAX {
        roff.control("TP", []);
        roff.text([bold(*form)]);
        roff.text([roman(*meaning)]);
    }
    roff.control("PP", []);
    roff.text([roman(PINYIN.replace('\n', " "))]);
    roff.control("SH", ["EXIT STATUS"]);
    for line in EXIT_CODES.lines().skip(1) {
        let (code, meaning) = line.trim().split_once(' ').unwrap_or((line, ""));
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning.trim())]);
    }
    out.extend_from_slice(roff.to_roff().as_bytes());
    let mut version = Vec::new();
    page.render_version_section(&mut version)?;
    out.extend_from_slice(
        version
            .strip_prefix(preamble.as_bytes())
            .unwrap_or(&version),
    );
    Ok(out)
}

/// folio: read archives of Markdown articles in a terminal.
#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about,
    after_help = short_help(),
    after_long_help = long_help(),
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

    /// Start the interface in text mode with this query typed: the articles whose text holds
    /// it, as `folio search` finds them (Ctrl-t switches to the titles).
    #[arg(short, long, value_name = "QUERY", conflicts_with = "query")]
    pub search: Option<String>,

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
