//! The render engine: article text → [`markdown::Document`] → lines that fit a width, one
//! engine for the reading pane and `folio cat`. Every measurement goes through `width`, every
//! byte that reaches a terminal through `sanitize`.

pub mod ansi;
pub mod breaks;
pub mod document;
pub mod glyphs;
pub mod line;
pub mod markdown;
pub mod sanitize;
pub mod style;
pub mod table;
pub mod width;
pub mod wrap;
