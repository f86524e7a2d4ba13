//! folio: a terminal browser for archives of Markdown articles, exact with Chinese text.
//!
//! The data flow, one module an arrow:
//!
//! ```text
//! directory ──library──▶ Vec<Article> (path, title, source, date…; no bodies)
//! query ─────filter────▶ ranked matches (index, score, matched char positions)
//! article ───markdown──▶ Document (blocks of styled spans; no widths)
//!         ───wrap──────▶ lines that fit a width, CJK-aware (`breaks` for flowing text,
//!                         `width` for every measurement, `ansi` to style them for `cat`)
//! ```
//!
//! `decode` tells a file's encoding (UTF-8, GB18030, Big5, UTF-16); `sanitize` decides what
//! may reach a terminal. Only `tui` knows a screen exists.

pub mod archive;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod find;
pub mod render;
pub mod tui;
pub mod warn;
