//! Finding articles and places in them: title ranking for the list pane and `folio find`
//! (`titles` on `prepared` titles kept as `unit`s, with `one_char`, `stand_in` and `pinyin`), `in_article`
//! for `/` in the reading pane, and `text`, full-text search across the bodies (`folio search`).

pub mod in_article;
pub mod one_char;
pub mod pinyin;
pub mod prepared;
pub mod stand_in;
pub mod text;
pub mod titles;
pub mod unit;
