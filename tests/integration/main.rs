//! The integration tests as one binary: each module is one area of folio seen from outside
//! (the real binary, the library's public API, a pseudo-terminal), all sharing `common`. One
//! binary links the library and the helpers once.

mod common;

mod architecture;
mod cli;
mod corpus;
mod edges;
mod find_corpus;
mod head_cache;
mod hostile;
mod hostile_props;
mod hostile_pty;
mod in_article;
mod pty;
mod render;
mod render_corpus;
mod render_props;
mod render_snapshots;
mod search;
mod tables;
