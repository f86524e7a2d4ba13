//! The archive: a directory of seed-format articles turned into an ordered index of heads.
//!
//! Nothing here knows how an article is shown. The files, in the order data flows through them:
//!
//! - `library`: the [`Library`](library::Library) and its loader: walks the tree on all cores,
//!   hands each file to `read`, collects the finds and puts them in the archive's order.
//! - `read`: one file's head, from the disk to an [`Article`](article::Article) or the reason
//!   the file is skipped, reading as few bytes as settle it; it uses
//!   - `decode`: which encoding those bytes are in (UTF-8, GB18030, Big5, UTF-16),
//!   - `heads`: the seed-format head parser: title and source line,
//!   - `metadata`: the `<!--yml` block or front matter: date, category, tags.
//! - `article`: what the index holds of one article, and its path in both forms.
//! - `head_cache`: the heads of the last run, kept in the archive's cache folder, reused for
//!   every file whose size and modification time are unchanged.
//! - `summary`: the SUMMARY.md files: their links, followed into the archive's own order.
//! - `catalog`: what full-text search reads through: a `Library`, or the head cache read whole
//!   and checked unchanged by stats alone, its entries parsed only when asked.
//! - `order`: every order: the archive's own (SUMMARY.md, then by path) and `--sort`'s.
//! - `synth` (feature `synth`, on for tests, benches and examples): generated archives.

pub mod article;
pub mod catalog;
pub mod decode;
pub mod head_cache;
pub mod heads;
pub mod library;
pub mod metadata;
pub mod order;
pub mod read;
pub mod summary;
#[cfg(feature = "synth")]
pub mod synth;
