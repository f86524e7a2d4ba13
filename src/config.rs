//! Settings from outside the command line: the config file in the XDG config folder and the
//! conventions of the environment (`NO_COLOR`, the XDG folders).
//!
//! The file is `$XDG_CONFIG_HOME/folio/config.toml` (`~/.config/folio/config.toml` by
//! default), `key = value` lines (a TOML subset: strings may be quoted, `#` starts a comment):
//!
//! ```toml
//! dir = "~/archive"      # the archive opened when no DIR is given
//! theme = "light"        # auto | dark | light
//! sort = "date"          # summary | path | title | date
//! ambiwidth = "double"   # single | double
//! ```
//!
//! Command-line options win over the file. A bad line is an error that names it.

use std::path::{Path, PathBuf};

use crate::archive::order::SortKey;
use crate::render::width::AmbiWidth;

/// When output may have colours and styles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// To a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always, even into a pipe (`folio cat x --color always | less -R`).
    Always,
    /// Never.
    Never,
}

/// The interface's colours.
/// When `folio cat` hands the article to a pager.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Paging {
    /// To a terminal, when the article is taller than the screen.
    #[default]
    Auto,
    /// To a terminal, always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeChoice {
    /// Ask the terminal for its background (OSC 11); dark when it does not answer.
    #[default]
    Auto,
    /// For a dark background.
    Dark,
    /// For a light background.
    Light,
}

/// How wide the terminal draws East Asian Ambiguous characters (`“”…—·`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Ambiguous {
    /// One cell (most terminals).
    #[default]
    Single,
    /// Two cells (terminals set up for CJK).
    Double,
}

impl From<Ambiguous> for AmbiWidth {
    fn from(value: Ambiguous) -> AmbiWidth {
        match value {
            Ambiguous::Single => AmbiWidth::Single,
            Ambiguous::Double => AmbiWidth::Double,
        }
    }
}

/// What the config file says; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileConfig {
    /// The archive to open when none is given.
    pub dir: Option<PathBuf>,
    /// The interface's colours.
    pub theme: Option<ThemeChoice>,
    /// The order of `list` and the interface's list.
    pub sort: Option<SortKey>,
    /// How wide ambiguous characters are.
    pub ambiwidth: Option<Ambiguous>,
}

/// The config file's place: `$XDG_CONFIG_HOME/folio/config.toml`, else under `~/.config`.
pub fn config_path() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config").map(|dir| dir.join("folio").join("config.toml"))
}

/// The folder for folio's state: `$XDG_STATE_HOME/folio`, else `~/.local/state/folio`.
pub fn state_dir() -> Option<PathBuf> {
    xdg_dir("XDG_STATE_HOME", ".local/state").map(|dir| dir.join("folio"))
}

fn xdg_dir(variable: &str, under_home: &str) -> Option<PathBuf> {
    let set = std::env::var_os(variable)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    set.or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|home| Path::new(&home).join(under_home))
    })
}

/// Reads the config file, if there is one.
pub fn load() -> anyhow::Result<FileConfig> {
    let Some(path) = config_path() else {
        return Ok(FileConfig::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).map_err(|err| anyhow::anyhow!("{}: {err}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        // A folder on the way that this user may not enter (`sudo -u` with another's HOME):
        // say so and go on with the defaults rather than refuse to run.
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => {
            crate::warn!(
                "folio: cannot read {}: permission denied; using the defaults",
                crate::render::sanitize::one_line(&path.display().to_string())
            );
            Ok(FileConfig::default())
        }
        Err(err) => Err(anyhow::anyhow!("cannot read {}: {err}", path.display())),
    }
}

/// Parses the file's text; the error names the line.
pub fn parse(text: &str) -> Result<FileConfig, String> {
    let mut config = FileConfig::default();
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        let line = strip_comment(line).trim();
        if line.is_empty() || (line.starts_with('[') && line.ends_with(']')) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!(
                "line {number}: expected `key = value`, found {line:?}"
            ));
        };
        let key = key.trim();
        let value = unquote(value.trim());
        let bad =
            |expected: &str| format!("line {number}: bad {key} {value:?} (expected {expected})");
        match key {
            "dir" => config.dir = Some(expand_home(value)),
            "theme" => {
                config.theme = Some(enum_value(value).ok_or_else(|| bad("auto, dark or light"))?)
            }
            "sort" => {
                config.sort =
                    Some(enum_value(value).ok_or_else(|| bad("summary, path, title or date"))?)
            }
            "ambiwidth" => {
                config.ambiwidth = Some(enum_value(value).ok_or_else(|| bad("single or double"))?)
            }
            _ => {
                return Err(format!(
                    "line {number}: unknown key {key:?} (known: dir, theme, sort, ambiwidth)"
                ));
            }
        }
    }
    Ok(config)
}

fn enum_value<T: clap::ValueEnum>(value: &str) -> Option<T> {
    T::from_str(value, true).ok()
}

/// The line without a `#` comment (outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (at, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..at],
            _ => {}
        }
    }
    line
}

fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value)
}

fn expand_home(value: &str) -> PathBuf {
    match value.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => Path::new(&home).join(rest),
            None => PathBuf::from(value),
        },
        None => PathBuf::from(value),
    }
}

/// Whether output may be styled: `--color` if given, else not when `NO_COLOR` is set
/// (to anything but the empty string), else when `to_terminal`.
pub fn use_color(choice: Option<ColorWhen>, to_terminal: bool) -> bool {
    match choice {
        Some(ColorWhen::Always) => true,
        Some(ColorWhen::Never) => false,
        Some(ColorWhen::Auto) | None => no_color_unset() && to_terminal,
    }
}

fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_is_read_and_a_bad_line_named() {
        let config = parse(
            "# folio\ndir = \"/srv/archive\"  # mine\ntheme = light\nsort = 'date'\nambiwidth = \"double\"\n",
        )
        .unwrap();
        assert_eq!(config.dir, Some(PathBuf::from("/srv/archive")));
        assert_eq!(config.theme, Some(ThemeChoice::Light));
        assert_eq!(config.sort, Some(SortKey::Date));
        assert_eq!(config.ambiwidth, Some(Ambiguous::Double));
        let err = parse("theme = dark\n\nsort = newest\n").unwrap_err();
        assert!(err.starts_with("line 3: bad sort \"newest\""), "{err}");
        assert!(
            parse("colour = red")
                .unwrap_err()
                .starts_with("line 1: unknown key")
        );
        assert!(
            parse("just words")
                .unwrap_err()
                .starts_with("line 1: expected")
        );
    }
}
