//! The reading pane's articles: read from disk, parsed and laid out by the render engine at the
//! pane's width, and kept per (article, width) so that scrolling and redrawing never lay out
//! again.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::library::describe_io;
use crate::markdown::{self, Document};
use crate::width::AmbiWidth;
use crate::wrap::{self, Layout};

/// How many laid-out articles are kept (a few articles at a few widths).
const KEEP_LAYOUTS: usize = 16;
/// How many parsed documents are kept (the width does not matter to them).
const KEEP_DOCUMENTS: usize = 4;

/// An article laid out for one width, or why it could not be.
#[derive(Debug)]
pub enum Laid {
    /// The lines to draw, with the article's headings and links.
    Lines(Arc<Layout>),
    /// The file could not be read: the reason, in a few words.
    Error(String),
}

impl Laid {
    /// How many lines the article takes.
    pub fn len(&self) -> usize {
        match self {
            Laid::Lines(layout) => layout.lines.len(),
            Laid::Error(_) => 1,
        }
    }

    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Laid-out articles by file and width, the most recent last.
#[derive(Default)]
pub struct ReadingCache {
    layouts: VecDeque<((PathBuf, usize), Arc<Laid>)>,
    documents: VecDeque<(PathBuf, Arc<Result<Document, String>>)>,
    ambi: AmbiWidth,
}

impl ReadingCache {
    /// An empty cache.
    pub fn new() -> ReadingCache {
        ReadingCache::default()
    }

    /// An empty cache laying out for terminals that draw ambiguous-width characters `ambi`.
    pub fn with_ambi(ambi: AmbiWidth) -> ReadingCache {
        ReadingCache {
            ambi,
            ..ReadingCache::default()
        }
    }

    /// Forgets `file` (it was edited): the next `get` reads it again.
    pub fn forget(&mut self, file: &Path) {
        self.layouts.retain(|((f, _), _)| f != file);
        self.documents.retain(|(f, _)| f != file);
    }

    /// The article at `file` laid out `width` columns wide.
    pub fn get(&mut self, file: &Path, width: usize) -> Arc<Laid> {
        if let Some(found) = self
            .layouts
            .iter()
            .position(|((f, w), _)| *w == width && f == file)
        {
            let entry = self.layouts.remove(found).expect("found above");
            let laid = Arc::clone(&entry.1);
            self.layouts.push_back(entry);
            return laid;
        }
        let laid = Arc::new(match &*self.document(file) {
            Ok(doc) => Laid::Lines(Arc::new(wrap::layout(doc, width, self.ambi))),
            Err(reason) => Laid::Error(reason.clone()),
        });
        if self.layouts.len() == KEEP_LAYOUTS {
            self.layouts.pop_front();
        }
        self.layouts
            .push_back(((file.to_path_buf(), width), Arc::clone(&laid)));
        laid
    }

    fn document(&mut self, file: &Path) -> Arc<Result<Document, String>> {
        if let Some((_, doc)) = self.documents.iter().find(|(f, _)| f == file) {
            return Arc::clone(doc);
        }
        let doc = Arc::new(
            std::fs::read(file)
                .map(|bytes| markdown::parse(&crate::decode::decode(&bytes)))
                .map_err(|err| describe_io(&err)),
        );
        if self.documents.len() == KEEP_DOCUMENTS {
            self.documents.pop_front();
        }
        self.documents
            .push_back((file.to_path_buf(), Arc::clone(&doc)));
        doc
    }
}
