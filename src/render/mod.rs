//! The render engine: article text → [`document::Document`] → lines that fit a width, one
//! engine for the reading pane and `folio cat`. Every measurement goes through `width`, every
//! byte that reaches a terminal through `sanitize`.
//!
//! The files, in the order the text flows through them:
//!
//! - `markdown/`: Markdown → Document. `mod.rs` reads pulldown-cmark's events into the
//!   document under construction (`builder`); `raw_html` interprets raw HTML on the tags that
//!   `html_tokens` splits; `bold` repairs the bold that CommonMark leaves literal.
//! - `document`: the Document types, the hand-over from the parser to the layout.
//! - `wrap`: Document + width → [`wrap::Layout`]: frames (quote bars, list markers, indents
//!   that fold when deep), headings, code blocks, link references. It hands each run of text to
//!   `breaks` (where a line may break: UAX #14, kinsoku, long URLs) and each table to `table`
//!   (column widths, grid or records); `glyphs` are the characters both draw structure with.
//! - `line`: [`line::Line`] and [`line::Span`], the layout's output that every front-end draws.
//! - `ansi`: lines → text with SGR codes, for `folio cat` to a terminal.
//! - `style` (what a span is), `width` (cells per grapheme cluster) and `sanitize` (what may
//!   reach a terminal) serve all of the above.

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
