//! The non-interactive commands (`list`, `find`, `search`, `index`, `cat`): the contract
//! scripts rely on.
//!
//! Each writes to the `Write` it is given and says how it ended; `main` maps that to an exit
//! code. Text lines are display text (sanitized); JSON lines carry the exact values, escaped.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::archive::article::Article;
use crate::archive::catalog::{CachedCatalog, Catalog};
use crate::archive::decode;
use crate::archive::library::{CacheNote, Library, Skipped};
use crate::archive::read::EMPTY;
use crate::cache::CacheDir;
use crate::find::text;
use crate::find::titles::{Matcher, Titles};
use crate::render::width::AmbiWidth;
use crate::render::{ansi, sanitize, wrap};
use crate::warn::Level;
use rayon::prelude::*;
use serde::Serialize;

/// The context of every failed write to stdout.
const WRITE_FAILED: &str = "cannot write output";

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done: exit 0.
    Done,
    /// Nothing matched the query: exit 1.
    NoMatch,
}

/// Loads the archive at `dir` (through the head cache when `use_cache`; with the articles'
/// stamps when `stamps`, for a text search), warning on stderr about each trouble with the
/// cache and the files it had to skip: each by name, but empty files counted on one line unless
/// the level is verbose; nothing when quiet.
pub fn load(dir: &Path, use_cache: bool, stamps: bool) -> Result<Library> {
    let (library, notes) = Library::load_cached(dir, use_cache, stamps)
        .map_err(|err| anyhow::anyhow!("cannot open {err}"))?;
    let level = crate::warn::level();
    for note in &notes {
        if matches!(note, CacheNote::Unusable(_)) {
            CACHE_UNUSABLE_SAID.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    if level == Level::Quiet {
        return Ok(library);
    }
    let mut stderr = io::stderr().lock();
    for note in notes {
        let _ = writeln!(stderr, "folio: {}", sanitize::one_line(note.text()));
    }
    let lossy = library.articles.iter().filter(|a| a.path_lossy());
    tell_skipped(
        dir,
        &library.skipped,
        lossy.map(|a| Cow::Borrowed(a.path())),
    );
    Ok(library)
}

/// The archive at `dir` straight from its head cache, when its tree and every file in it are
/// as the cache saw them ([`CachedCatalog::open`]: no article is made), with the same warnings
/// as [`load`]; `None` when it must be loaded.
pub fn cached_catalog(dir: &Path) -> Option<CachedCatalog> {
    let catalog = CachedCatalog::open(dir)?;
    if crate::warn::level() != Level::Quiet {
        let lossy = catalog.lossy.iter().map(|&i| catalog.display_path(i));
        tell_skipped(dir, &catalog.skipped, lossy);
    }
    Some(catalog)
}

/// Warns on stderr about the files skipped (each by name, but empty files counted on one
/// line unless the level is verbose) and the articles whose path is not UTF-8 (by
/// `lossy_paths`, in display form).
fn tell_skipped<'a>(
    dir: &Path,
    skipped: &[Skipped],
    lossy_paths: impl Iterator<Item = Cow<'a, str>>,
) {
    let level = crate::warn::level();
    let mut stderr = io::stderr().lock();
    let mut empty = 0;
    for skipped in skipped {
        if skipped.reason == EMPTY && level < Level::Verbose {
            empty += 1;
            continue;
        }
        let _ = writeln!(
            stderr,
            "folio: skipped {}: {}",
            sanitize::one_line(&shown_path(dir, &skipped.path)),
            sanitize::one_line(&skipped.reason)
        );
    }
    match empty {
        0 => {}
        1 => {
            let _ = writeln!(stderr, "folio: 1 empty file skipped");
        }
        n => {
            let _ = writeln!(stderr, "folio: {n} empty files skipped");
        }
    }
    for path in lossy_paths {
        let _ = writeln!(
            stderr,
            "folio: {}: {}",
            sanitize::one_line(&shown_path(dir, &path)),
            LOSSY_NAME
        );
    }
}

/// Set once the user was told the cache folder cannot be used: the text index, which would
/// say it again, then stays silent about it.
static CACHE_UNUSABLE_SAID: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The warning about a file name that is not UTF-8, after its display form.
pub const LOSSY_NAME: &str = "file name is not UTF-8, listed with U+FFFD (JSON: path_bytes)";

/// A path under `dir` as users can type it (`docs/x.md` when DIR is `.`).
pub fn shown_path(dir: &Path, relative: &str) -> String {
    if dir == Path::new(".") || relative == "." {
        relative.to_string()
    } else {
        dir.join(relative).display().to_string()
    }
}

/// `folio list`: every article in the default order.
pub fn list(library: &Library, json: bool, out: &mut impl Write) -> Result<Outcome> {
    write_in_pieces(&library.articles, out, |article, piece| {
        write_article(article, json, piece)
    })?;
    Ok(Outcome::Done)
}

/// Writes the lines `line` makes of each of `rows`, in order, and flushes `out`.
///
/// Lines are made on all cores, [`LINES_PART`] rows to a piece, and written in order, a
/// window of pieces at a time: made one by one, the lines of a large archive mostly waited on
/// memory for each title's first bytes, after the index was built.
fn write_in_pieces<T: Sync>(
    rows: &[T],
    out: &mut impl Write,
    line: impl Fn(&T, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> Result<()> {
    for window in rows.chunks(LINES_PART * 8) {
        let pieces: Vec<io::Result<Vec<u8>>> = window
            .par_chunks(LINES_PART)
            .map(|part| {
                let mut piece = Vec::with_capacity(part.len() * 96);
                for row in part {
                    line(row, &mut piece)?;
                }
                Ok(piece)
            })
            .collect();
        for piece in pieces {
            out.write_all(&piece?).context(WRITE_FAILED)?;
        }
    }
    out.flush().context(WRITE_FAILED)
}

/// How many rows' lines [`write_in_pieces`] makes in one piece of work.
const LINES_PART: usize = 2048;

/// `folio find`: the articles matching `query`, best first, at most `limit`; with
/// `highlight` (text lines to a terminal, or `--color always`), the matched characters of each
/// title in bold yellow, as the interface's list shows them.
pub fn find(
    library: &Library,
    query: &str,
    limit: Option<usize>,
    json: bool,
    highlight: bool,
    out: &mut impl Write,
) -> Result<Outcome> {
    let matcher = Matcher::new(query);
    let matches = matcher.rank_titles(&prepared(&library.articles));
    if matches.is_empty() {
        return Ok(Outcome::NoMatch);
    }
    for found in matches.iter().take(limit.unwrap_or(usize::MAX)) {
        let article = &library.articles[found.index];
        if highlight && !json {
            let mut positions = matcher.positions(article.title());
            positions.sort_unstable();
            write_highlighted(article, &positions, out).context(WRITE_FAILED)?;
        } else {
            write_article(article, json, out).context(WRITE_FAILED)?;
        }
    }
    out.flush().context(WRITE_FAILED)?;
    Ok(Outcome::Done)
}

/// `--print0`: each article's file (`dir` joined with its exact relative path, or the path
/// alone when `dir` is `.`), ended by a NUL byte, for `xargs -0`; `find`'s matches when a
/// `query` is given (best first, at most `limit`), else every article in the default order.
pub fn print0(
    library: &Library,
    dir: &Path,
    query: Option<&str>,
    limit: Option<usize>,
    out: &mut impl Write,
) -> Result<Outcome> {
    let chosen: Vec<usize> = match query {
        None => (0..library.articles.len()).collect(),
        Some(query) => Matcher::new(query)
            .rank_titles(&prepared(&library.articles))
            .iter()
            .take(limit.unwrap_or(usize::MAX))
            .map(|found| found.index)
            .collect(),
    };
    if query.is_some() && chosen.is_empty() {
        return Ok(Outcome::NoMatch);
    }
    for index in chosen {
        let relative = library.articles[index].relative_path();
        let file = if dir == Path::new(".") {
            relative.to_path_buf()
        } else {
            dir.join(relative)
        };
        out.write_all(file.as_os_str().as_encoded_bytes())
            .and_then(|()| out.write_all(b"\0"))
            .context(WRITE_FAILED)?;
    }
    out.flush().context(WRITE_FAILED)?;
    Ok(Outcome::Done)
}

/// The articles' titles, each with its original title, prepared for ranking.
pub fn prepared(articles: &[Article]) -> Titles {
    let originals: Vec<Option<String>> = articles.par_iter().map(Article::original_title).collect();
    Titles::with_originals(
        articles
            .iter()
            .zip(&originals)
            .map(|(a, original)| (a.title(), original.as_deref())),
    )
}

/// How `folio search` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchShape {
    /// `TITLE<TAB>PATH` a line.
    Titles,
    /// NDJSON: `find`'s fields, `hits` and up to 3 `lines`.
    Json,
    /// `PATH:LINE:COLUMN:TEXT` a match, as `rg --vimgrep`.
    Lines,
}

/// How many matching lines `search --json` gives for each article.
const JSON_LINES: usize = 3;

/// `folio search`: the articles whose text holds `query`, best first, at most `limit`.
pub fn search(
    library: &dyn Catalog,
    dir: &Path,
    query: &str,
    limit: Option<usize>,
    shape: SearchShape,
    out: &mut impl Write,
) -> Result<Outcome> {
    let query = text::query::Query::parse(query).map_err(anyhow::Error::msg)?;
    let index = text_index(library, dir, text::index::Access::Update);
    let plan = text::plan(library, &query, index.as_ref()).unwrap_or_else(|err| {
        warn(&format!(
            "cannot read the search index: {err}; reading every article"
        ));
        text::plan(library, &query, None).unwrap_or_default()
    });
    let detail = match shape {
        SearchShape::Titles => text::examine::Detail::Counts,
        _ => text::examine::Detail::Places,
    };
    let mut found = text::search(library, &query, index.as_ref(), plan, detail);
    if found.is_empty() {
        return Ok(Outcome::NoMatch);
    }
    found.truncate(limit.unwrap_or(usize::MAX));
    let printed = &mut found[..];
    if shape != SearchShape::Titles {
        // The index answered with counts: the printed rows' lines are read now.
        text::with_places(library, &query, printed);
    }
    // Most of the archive's rows: those the index holds are copied from it, not made again.
    let rows = index
        .as_ref()
        .filter(|_| shape == SearchShape::Titles && text::many_rows(printed.len(), library.len()))
        .and_then(|index| index.rows().ok());
    write_in_pieces(printed, out, |result, piece| {
        let i = result.article;
        match shape {
            SearchShape::Titles => match rows.as_ref().and_then(|rows| rows.line(i)) {
                Some(line) => piece.write_all(line),
                None => {
                    let (title, path) = library.title_and_path(i);
                    sanitize::write_title_line(title, &path, piece)
                }
            },
            SearchShape::Json => write_search_json(&library.article(i), result, piece),
            SearchShape::Lines => write_search_lines(dir, &library.article(i), result, piece),
        }
    })?;
    Ok(Outcome::Done)
}

/// `folio index`: brings the archive's search index up to date.
pub fn index(library: &Library, dir: &Path) -> Result<Outcome> {
    match text_index(library, dir, text::index::Access::UpdateWaiting) {
        Some(_) => Ok(Outcome::Done),
        None => anyhow::bail!("the search index of {} could not be written", dir.display()),
    }
}

/// The archive's text index, brought up to date when it can be; `None` (after one warning)
/// when there is no cache to use: the search then reads every article.
fn text_index(
    library: &dyn Catalog,
    dir: &Path,
    access: text::index::Access,
) -> Option<text::index::TextIndex> {
    let cache = match CacheDir::open(dir) {
        Ok(cache) => cache,
        Err(err) => {
            if !CACHE_UNUSABLE_SAID.load(std::sync::atomic::Ordering::Relaxed) {
                warn(&format!("{err}; searching without an index"));
            }
            return None;
        }
    };
    let bar = progress_bar();
    let progress = |done: usize, total: usize| {
        if total >= PROGRESS_FROM {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let (index, report) = text::index::open(&cache, library, access, &progress);
    bar.finish_and_clear();
    if let Some(trouble) = report.trouble {
        warn(trouble.note());
    }
    if let Some(err) = report.unwritable {
        warn(&format!("{err}; searching without updating the index"));
    }
    index
}

/// A build shorter than this many articles shows no bar.
const PROGRESS_FROM: usize = 200;

/// A progress bar on stderr when it is a terminal, else one that draws nothing.
fn progress_bar() -> indicatif::ProgressBar {
    if !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "folio: indexing {bar:30} {pos}/{len} articles, {eta} left",
    );
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

fn warn(message: &str) {
    if crate::warn::level() == Level::Quiet {
        return;
    }
    let _ = writeln!(io::stderr(), "folio: {}", sanitize::one_line(message));
}

/// One `search --json` line: `find`'s fields, `hits`, and the first matching `lines`.
fn write_search_json(
    article: &Article,
    found: &text::Found,
    out: &mut impl Write,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Line {
        line: usize,
        text: String,
    }
    #[derive(Serialize)]
    struct Row<'a> {
        #[serde(flatten)]
        article: &'a Article,
        hits: u32,
        lines: Vec<Line>,
    }
    let row = Row {
        article,
        hits: found.hits,
        lines: found
            .placed
            .iter()
            .flat_map(|placed| &placed.lines)
            .take(JSON_LINES)
            .map(|(line, text)| Line {
                line: *line,
                text: sanitize::one_line(text).into_owned(),
            })
            .collect(),
    };
    let mut json = serde_json::Serializer::with_formatter(&mut *out, SafeJson);
    row.serialize(&mut json).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// `search --lines`: `PATH:LINE:COLUMN:TEXT` for every hit, PATH as typed (DIR joined), the
/// column in bytes from 1, as `rg --vimgrep`.
fn write_search_lines(
    dir: &Path,
    article: &Article,
    found: &text::Found,
    out: &mut impl Write,
) -> io::Result<()> {
    let path = sanitize::one_line(&shown_path(dir, article.path())).into_owned();
    let Some(placed) = &found.placed else {
        return Ok(());
    };
    let mut lines = placed.lines.iter().peekable();
    for hit in &placed.places {
        while lines.next_if(|(line, _)| *line < hit.line).is_some() {}
        let text = lines.peek().map_or("", |(_, text)| text.as_str());
        writeln!(
            out,
            "{path}:{}:{}:{}",
            hit.line,
            hit.column + 1,
            sanitize::one_line(text)
        )?;
    }
    Ok(())
}

/// `TITLE<TAB>PATH` with the title's chars at `positions` (char indices) in bold yellow. The
/// title is made safe char by char, as [`sanitize::one_line`] does, so that the indices stay
/// those of the title.
fn write_highlighted(
    article: &Article,
    positions: &[usize],
    out: &mut impl Write,
) -> io::Result<()> {
    let mut line = String::with_capacity(article.title().len() + 16);
    let mut lit = false;
    for (i, c) in article.title().chars().enumerate() {
        let mut buf = [0u8; 4];
        let shown = sanitize::one_line(c.encode_utf8(&mut buf));
        if shown.is_empty() {
            continue;
        }
        let matched = positions.binary_search(&i).is_ok();
        if matched != lit {
            line.push_str(if matched { "\x1b[1;33m" } else { "\x1b[22;39m" });
            lit = matched;
        }
        line.push_str(&shown);
    }
    if lit {
        line.push_str("\x1b[22;39m");
    }
    out.write_all(line.as_bytes())?;
    out.write_all(b"\t")?;
    out.write_all(sanitize::one_line(article.path()).as_bytes())?;
    out.write_all(b"\n")
}

fn write_article(article: &Article, json: bool, out: &mut impl Write) -> io::Result<()> {
    if json {
        let mut json = serde_json::Serializer::with_formatter(&mut *out, SafeJson);
        let line = JsonLine {
            article,
            original_title: article.original_title(),
        };
        line.serialize(&mut json).map_err(io::Error::from)?;
        out.write_all(b"\n")
    } else {
        sanitize::write_title_line(article.title(), article.path(), out)
    }
}

/// One article as `--json` prints it (`list` and `find` alike): its fields, then its
/// original title where that differs from the title.
#[derive(Serialize)]
struct JsonLine<'a> {
    #[serde(flatten)]
    article: &'a Article,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_title: Option<String>,
}

/// JSON as `serde_json` writes it, but with every character a terminal could act on escaped
/// as `\uXXXX`: `serde_json` escapes C0 controls only, and DEL, C1 controls (U+009B is CSI to
/// some terminals) and bidi overrides would reach a terminal that shows `folio list --json`.
struct SafeJson;

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(sanitize::is_unsafe) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().expect("found above");
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// How `folio cat` shows an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatMode {
    /// The file's bytes, unchanged (into a pipe without `--plain`).
    Bytes,
    /// The Markdown source with control characters made visible (`--raw` to a terminal).
    Source,
    /// The rendered article without styles (`--plain`).
    Plain,
    /// The rendered article with styles (to a terminal).
    Styled,
}

impl CatMode {
    /// The mode for the flags given and whether stdout is a terminal.
    pub fn choose(raw: bool, plain: bool, to_terminal: bool) -> CatMode {
        match (raw, plain, to_terminal) {
            (_, true, _) => CatMode::Plain,
            (_, false, false) => CatMode::Bytes,
            (true, false, true) => CatMode::Source,
            (false, false, true) => CatMode::Styled,
        }
    }
}

/// The file `folio cat` means: TARGET as a file (relative to DIR, or absolute), else the best
/// match for TARGET as a query (noted on stderr). `None` when nothing matches.
pub fn resolve_cat_target(dir: &Path, target: &str, use_cache: bool) -> Result<Option<PathBuf>> {
    let as_path = Path::new(target);
    let candidates = [dir.join(as_path), as_path.to_path_buf()];
    let named = if as_path.is_absolute() {
        &candidates[1..]
    } else {
        &candidates[..1]
    };
    if let Some(file) = named.iter().find(|p| p.is_file()) {
        return Ok(Some(file.clone()));
    }
    let library = load(dir, use_cache, false)?;
    let matcher = Matcher::new(target);
    let best = matcher
        .rank_titles(&prepared(&library.articles))
        .first()
        .map(|m| &library.articles[m.index]);
    Ok(best.map(|article| {
        crate::warn!(
            "folio: {}",
            sanitize::one_line(&shown_path(dir, article.path()))
        );
        library.file_path(article)
    }))
}

/// How `cat` lays out and styles an article beyond its mode and width.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    /// How wide the terminal draws ambiguous-width characters.
    pub ambi: AmbiWidth,
    /// Links made clickable with OSC 8 (styled output only).
    pub hyperlinks: bool,
}

/// `folio cat`: writes the article at `file` in `mode`, laid out at `width` columns.
pub fn cat(
    file: &Path,
    mode: CatMode,
    width: usize,
    look: Look,
    out: &mut impl Write,
) -> Result<Outcome> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    match mode {
        CatMode::Bytes => out.write_all(&bytes).context(WRITE_FAILED)?,
        CatMode::Source | CatMode::Plain | CatMode::Styled => {
            let text = decode::decode(&bytes);
            let shown = match mode {
                CatMode::Source => sanitize::source_text(&text).into_owned(),
                CatMode::Plain => wrap::render_plain(&text, width, look.ambi),
                _ => ansi::render_ansi_with(&text, width, look.ambi, look.hyperlinks),
            };
            out.write_all(shown.as_bytes()).context(WRITE_FAILED)?;
            if !shown.ends_with('\n') {
                out.write_all(b"\n").context(WRITE_FAILED)?;
            }
        }
    }
    out.flush().context(WRITE_FAILED)?;
    Ok(Outcome::Done)
}

/// Shows `text` (rendered for a terminal) through the user's pager: `$PAGER` run by the shell,
/// else `less -R -F` (colours, quit at once if it fits one screen); `LESS` is set to `FRX`
/// where unset, as git does, so that a bare `less` keeps the colours. `Ok(false)` when no pager
/// could be started: the caller writes the text itself.
pub fn page(text: &[u8]) -> Result<bool> {
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -R -F".to_string());
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(&pager)
        .stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        command.env("LV", "-c");
    }
    let Ok(mut child) = command.spawn() else {
        return Ok(false);
    };
    // While the pager runs, Ctrl-c is the pager's (less uses it to stop a search): folio
    // must not die under it and leave it reading the terminal beside the shell, as git
    // knows. The flag only replaces the default action; it is dropped when the pager ends.
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ignoring = signal_hook::flag::register(
        signal_hook::consts::SIGINT,
        std::sync::Arc::clone(&interrupted),
    );
    let written = child.stdin.take().map(|mut input| input.write_all(text));
    let status = child.wait();
    if let Ok(id) = ignoring {
        signal_hook::low_level::unregister(id);
    }
    // Quitting the pager early closes the pipe: not an error.
    if let Some(Err(err)) = written
        && err.kind() != io::ErrorKind::BrokenPipe
    {
        return Err(err).context(WRITE_FAILED);
    }
    let status = status.with_context(|| format!("cannot run the pager {pager:?}"))?;
    // 126, 127: the shell could not run the pager (not found, not executable). The article
    // is written as it is rather than lost behind the shell's one line.
    if matches!(status.code(), Some(126 | 127)) {
        crate::warn!("folio: cannot run the pager {pager:?}; writing the article as it is");
        return Ok(false);
    }
    Ok(true)
}

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}
