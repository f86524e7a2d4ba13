//! folio: a terminal browser for archives of Markdown articles, exact with Chinese text.
//!
//! The data flow, one module an arrow:
//!
//! ```text
//! directory ──library──▶ Vec<Article> (path, title, source, date…; no bodies)
//! query ─────filter────▶ ranked matches (index, score, matched char positions)
//! article ───markdown──▶ Document (blocks of styled spans; no widths)
//!         ───wrap──────▶ lines that fit a width, CJK-aware
//! ```
//!
//! `sanitize` decides what may reach a terminal. Only `tui` knows a screen exists.

pub mod article;
pub mod cli;
pub mod commands;
pub mod filter;
pub mod library;
pub mod sanitize;
pub mod synth;
