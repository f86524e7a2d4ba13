//! The reading pane's articles: read from disk, parsed and laid out by the render engine at the
//! pane's width, and kept per (article, width) so that scrolling and redrawing never lay out
//! again.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::archive::heads::after_source_label;
use crate::render::document::{Block, Document, Inline, plain_text};
use crate::render::markdown;
use crate::render::width::AmbiWidth;
use crate::render::wrap::{self, Layout};
use crate::warn::describe_io;

/// How many laid-out articles are kept (a few articles at a few widths).
const KEEP_LAYOUTS: usize = 16;
/// How many parsed documents are kept (the width does not matter to them).
const KEEP_DOCUMENTS: usize = 4;
/// An article of more blocks than this (a megabyte or so of text) is laid out in two steps:
/// its first blocks at once, so that it opens without a pause, and the whole on a thread.
const SPLIT_BLOCKS: usize = 2_000;
/// How many blocks the first step lays out: a few screens' worth.
const FIRST_BLOCKS: usize = 200;

/// Called when a layout made on a thread is ready, to have the screen drawn again.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// Whole layouts finished on a thread, waiting to replace their first steps.
type Finished = Arc<Mutex<Vec<((PathBuf, usize), Arc<Laid>)>>>;

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
    /// Set in the real interface: large articles are then laid out in two steps.
    wake: Option<Wake>,
    finished: Finished,
    /// The (file, width) whose kept layout is a first part, the whole still to come.
    first_parts: Vec<(PathBuf, usize)>,
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

    /// Lays large articles out in two steps from now on, calling `wake` when a whole layout
    /// is ready (the event loop then draws again).
    pub fn wake_with(&mut self, wake: Wake) {
        self.wake = Some(wake);
    }

    /// False while what [`ReadingCache::get`] gave for `file` at `width` is the first part of
    /// a large article, its whole layout still being made.
    pub fn is_whole(&self, file: &Path, width: usize) -> bool {
        !self
            .first_parts
            .iter()
            .any(|(f, w)| *w == width && f == file)
    }

    /// Forgets `file` (it was edited): the next `get` reads it again.
    pub fn forget(&mut self, file: &Path) {
        self.layouts.retain(|((f, _), _)| f != file);
        self.documents.retain(|(f, _)| f != file);
        self.first_parts.retain(|(f, _)| f != file);
    }

    /// The article at `file`, titled `title`, laid out `width` columns wide, without what the
    /// reading pane's header says already ([`without_head`]).
    pub fn get(&mut self, file: &Path, title: &str, width: usize) -> Arc<Laid> {
        let finished =
            std::mem::take(&mut *self.finished.lock().unwrap_or_else(|e| e.into_inner()));
        for (key, laid) in finished {
            // The whole layout replaces its first step, if that is still kept.
            self.first_parts.retain(|k| *k != key);
            if let Some(entry) = self.layouts.iter_mut().find(|(k, _)| *k == key) {
                entry.1 = laid;
            }
        }
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
        let document = self.document(file, title);
        let laid = Arc::new(match &*document {
            Ok(doc) if doc.blocks.len() > SPLIT_BLOCKS && self.wake.is_some() => {
                self.lay_out_whole_later(file, width, Arc::clone(&document));
                self.first_parts.push((file.to_path_buf(), width));
                let first = Document {
                    blocks: doc.blocks[..FIRST_BLOCKS].to_vec(),
                    links: doc.links.clone(),
                    footnotes: Vec::new(),
                };
                Laid::Lines(Arc::new(wrap::layout(&first, width, self.ambi)))
            }
            Ok(doc) => Laid::Lines(Arc::new(wrap::layout(doc, width, self.ambi))),
            Err(reason) => Laid::Error(reason.clone()),
        });
        if self.layouts.len() == KEEP_LAYOUTS
            && let Some((key, _)) = self.layouts.pop_front()
        {
            self.first_parts.retain(|k| *k != key);
        }
        self.layouts
            .push_back(((file.to_path_buf(), width), Arc::clone(&laid)));
        laid
    }

    /// Lays the whole of `document` out on a thread; the next `get` after `wake` takes it.
    fn lay_out_whole_later(
        &self,
        file: &Path,
        width: usize,
        document: Arc<Result<Document, String>>,
    ) {
        let (Some(wake), finished) = (self.wake.clone(), Arc::clone(&self.finished)) else {
            return;
        };
        let (key, ambi) = ((file.to_path_buf(), width), self.ambi);
        std::thread::spawn(move || {
            if let Ok(doc) = &*document {
                let whole = Arc::new(Laid::Lines(Arc::new(wrap::layout(doc, width, ambi))));
                finished
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((key, whole));
                wake();
            }
        });
    }

    fn document(&mut self, file: &Path, title: &str) -> Arc<Result<Document, String>> {
        if let Some((_, doc)) = self.documents.iter().find(|(f, _)| f == file) {
            return Arc::clone(doc);
        }
        let doc = Arc::new(
            std::fs::read(file)
                .map(|bytes| markdown::parse(&crate::archive::decode::decode(&bytes)))
                .map(|doc| without_head(doc, title))
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

/// The document without the leading blocks that the reading pane's header already says: the
/// metadata line, a heading equal to the title, and the source quote (`> 原文：…`), as long as
/// they come before anything else. `folio cat` keeps them: it has no header.
pub fn without_head(mut doc: Document, title: &str) -> Document {
    let (mut heading, mut quote) = (false, false);
    let mut fold = 0;
    for block in &doc.blocks {
        let said = match block {
            Block::Metadata(_) => true,
            Block::Heading { content, .. } if !heading => {
                heading = plain_text(content).trim() == title.trim();
                heading
            }
            Block::Quote(inner) if !quote => {
                quote = matches!(&inner[..], [Block::Paragraph(text)]
                    if after_source_label(plain_text(text).trim()).is_some()
                        || only_a_link(text));
                quote
            }
            _ => false,
        };
        if !said {
            break;
        }
        fold += 1;
    }
    doc.blocks.drain(..fold);
    if fold > 0 {
        doc.renumber_links();
    }
    doc
}

/// Whether a paragraph is nothing but one link (`> [title](url)`): the header's source then,
/// as `archive::heads` reads it.
fn only_a_link(text: &[Inline]) -> bool {
    let mut link = None;
    for inline in text {
        match inline {
            Inline::Text(t, s) if s.link == 0 && t.trim().is_empty() => {}
            Inline::Text(_, s) if s.link != 0 && link.is_none_or(|n| n == s.link) => {
                link = Some(s.link)
            }
            Inline::SoftBreak => {}
            _ => return false,
        }
    }
    link.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_article_shows_its_first_part_at_once_and_the_whole_after_the_wake() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.md");
        let text: String = (0..3_000)
            .map(|i| format!("第 {i} 段：中文段落。\n\n"))
            .collect();
        std::fs::write(&file, &text).unwrap();
        let (sender, woken) = std::sync::mpsc::channel();
        let mut cache = ReadingCache::new();
        cache.wake_with(Arc::new(move || {
            let _ = sender.send(());
        }));
        let first = cache.get(&file, "", 40);
        let Laid::Lines(first_lines) = &*first else {
            panic!("laid out")
        };
        assert!(first_lines.lines.len() < 3_000 * 2);
        assert!(
            !cache.is_whole(&file, 40),
            "the first part is said to be one"
        );
        woken
            .recv_timeout(std::time::Duration::from_secs(30))
            .unwrap();
        let whole = cache.get(&file, "", 40);
        assert!(cache.is_whole(&file, 40));
        let Laid::Lines(whole_lines) = &*whole else {
            panic!("laid out")
        };
        let last = whole_lines
            .lines
            .iter()
            .rev()
            .find(|l| !l.plain_text().is_empty());
        assert!(last.unwrap().plain_text().contains("第 2999 段"));
        // Without a wake (tests, cat) the whole is laid out at once.
        let mut plain = ReadingCache::new();
        assert_eq!(plain.get(&file, "", 40).len(), whole.len());
    }
}
