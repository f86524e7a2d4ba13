//! The archive: a directory of seed-format articles turned into an ordered index of heads.
//!
//! `library` walks the tree and reads each file's head (`article` parses it, `decode` tells its
//! encoding); nothing here knows how an article is shown.

pub mod article;
pub mod decode;
pub mod heads;
pub mod library;
pub mod metadata;
pub mod order;
pub mod read;
pub mod summary;
#[cfg(feature = "synth")]
pub mod synth;
