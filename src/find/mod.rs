//! Finding articles and places in them: title ranking for the list pane and `folio find`
//! (`titles`, with `one_char` and `pinyin`), and `in_article` for `/` in the reading pane.

pub mod in_article;
pub mod one_char;
pub mod pinyin;
pub mod titles;
