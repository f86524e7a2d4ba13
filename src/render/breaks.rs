//! Line breaking of one run of styled text (a paragraph, a heading, a table cell) into lines of
//! a given width: where a line may break, and greedy filling.
//!
//! `wrap` and `table` call this for every piece of flowing text. Break opportunities come from
//! Unicode line breaking (UAX #14, the `unicode-linebreak` crate), restricted to grapheme-cluster
//! boundaries and tailored for Chinese (kinsoku, `../shared/CJK-LAYOUT.md`): no line starts with
//! closing punctuation, none ends with opening punctuation, `“‘` open and `”’` close, `……` and
//! `——` stay whole. A piece with no opportunity that is wider than the line (a long URL or word)
//! is split, after `/ ? & = -` first and never inside a Latin word when another choice exists.
//! Everything is linear in the text's length.

use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use crate::render::document::Inline;
use crate::render::line::{Cell, Span};
use crate::render::sanitize::{drops_after, is_unsafe, visible_symbol};
use crate::render::style::Style;
use crate::render::width::{AmbiWidth, grapheme_width};

/// Tab stops in flowing text and code, every this many columns.
pub const TAB_STOP: usize = 4;

/// Characters that may not start a line (CJK-LAYOUT.md, clreq, JIS X 4051).
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〗'
            | '〙'
            | '〛'
            | '’'
            | '”'
            | '…'
            | '‥'
            | '⋯'
            | '·'
            | '・'
            | 'ー'
            | '々'
            | '〻'
            | 'ゝ'
            | 'ゞ'
            | 'ヽ'
            | 'ヾ'
            | '゛'
            | '゜'
            | '%'
            | '％'
            | '‰'
            | '℃'
            | '｡'
            | '､'
            | '｣'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '．'
            | '＂'
            | '＇'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ゕ'
            | 'ゖ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | 'ㇰ'..='ㇿ'
    )
}

/// Characters that may not end a line.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '［'
            | '｛'
            | '〔'
            | '〈'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〖'
            | '〘'
            | '〚'
            | '‘'
            | '“'
            | '｢'
            | '('
            | '['
            | '{'
    )
}

/// A character drawn two cells wide: a CJK ideograph, kana, Hangul, full-width form.
fn is_wide(c: char) -> bool {
    c.width() == Some(2)
}

/// Separators after which a long URL (or any over-long word) is best split.
/// Part of a number (`10.27`, `1,024`): a forced split avoids falling between two of these,
/// as it avoids falling between two letters.
fn number_char(c: &char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',')
}

fn url_separator(c: char) -> bool {
    matches!(c, '/' | '?' | '&' | '=' | '-')
}

/// One grapheme cluster of the text, with what the line breaker needs to know about it.
#[derive(Clone, Copy, Debug)]
struct G {
    /// Byte offset in the text.
    start: usize,
    /// Display width: 0, 1 or 2 (a wider cluster is split into its chars).
    width: u8,
    /// May the line break before this grapheme: 0 no, 1 yes, 2 it must.
    brk: u8,
    /// Part of a URL (a run without blanks or wide glyphs holding `://` or starting `www.`).
    url: bool,
    first: char,
    last: char,
}

const NO: u8 = 0;
const MAY: u8 = 1;
const MUST: u8 = 2;

impl G {
    /// Blank at a line's end: trimmed and not counted.
    fn is_space(&self) -> bool {
        self.first == ' ' || self.first == '\n'
    }
}

/// Styled text prepared for breaking: sanitized, tabs expanded, soft breaks resolved, measured.
pub struct Breaker {
    text: String,
    /// Style runs: run `i` covers bytes `runs[i-1].0 .. runs[i].0`.
    runs: Vec<(usize, Style)>,
    /// Where each inline given to [`Breaker::new`] starts in `text`.
    starts: Vec<usize>,
    gs: Vec<G>,
}

/// A line produced by [`Breaker::fill`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    /// Its spans.
    pub spans: Vec<Span>,
    /// True when it continues the line above (the text was broken there).
    pub wrapped: bool,
    /// True when the break before it dropped blanks: the text reads on with a space (a
    /// search across the break must see one), not straight on as between ideographs.
    pub gap: bool,
    /// Where table cells' text lies among `spans` (only on a table's lines).
    pub cells: Vec<Cell>,
}

impl Breaker {
    /// Prepare inline content for breaking.
    pub fn new(inlines: &[Inline], ambi: AmbiWidth) -> Breaker {
        let (text, runs, starts) = flatten(inlines);
        let gs = graphemes(&text, ambi);
        Breaker {
            text,
            runs,
            starts,
            gs,
        }
    }

    /// Prepare one piece of text in one style.
    pub fn plain(text: &str, style: Style, ambi: AmbiWidth) -> Breaker {
        Breaker::new(&[Inline::Text(text.to_string(), style)], ambi)
    }

    /// The width of the widest line when nothing needs wrapping.
    pub fn natural_width(&self) -> usize {
        let mut best = 0;
        let mut cur = 0;
        let mut content = 0;
        for g in &self.gs {
            if g.brk == MUST {
                best = best.max(content);
                cur = 0;
                content = 0;
            }
            cur += g.width as usize;
            if !g.is_space() {
                content = cur;
            }
        }
        best.max(content)
    }

    /// The width of the widest piece that has no break opportunity inside (a word, an
    /// ideograph with its punctuation).
    pub fn min_width(&self) -> usize {
        let mut best = 0;
        let mut cur = 0;
        let mut content = 0;
        for g in &self.gs {
            if g.brk != NO {
                best = best.max(content);
                cur = 0;
                content = 0;
            }
            cur += g.width as usize;
            if !g.is_space() {
                content = cur;
            }
        }
        best.max(content)
    }

    /// Lay the text out in lines no wider than `width` (at least one line, maybe empty).
    /// A `width` below 2 is taken as 2: a wide glyph needs two cells.
    pub fn fill(&self, width: usize) -> Vec<Filled> {
        self.line_ranges(width)
            .into_iter()
            .map(|(a, b, wrapped)| self.filled(a, b, wrapped))
            .collect()
    }

    /// Like [`Breaker::fill`] for text made of parts (a record's label and value): the parts
    /// start at the inlines `parts` (ascending indices into what [`Breaker::new`] was given).
    /// Each line comes with the part of each of its spans; a span never straddles two parts.
    pub fn fill_parts(&self, width: usize, parts: &[usize]) -> Vec<(Filled, Vec<usize>)> {
        let bounds: Vec<usize> = parts
            .iter()
            .map(|&i| self.starts.get(i).copied().unwrap_or(self.text.len()))
            .collect();
        self.line_ranges(width)
            .into_iter()
            .map(|(a, b, wrapped)| {
                let mut filled = self.filled(a, b, wrapped);
                let mut cut = Vec::with_capacity(filled.spans.len());
                let mut of = Vec::with_capacity(filled.spans.len());
                let mut pos = self.gs.get(a).map_or(self.text.len(), |g| g.start);
                for s in filled.spans.drain(..) {
                    let end = pos + s.text.len();
                    let mut from = pos;
                    for &bound in bounds.iter().filter(|&&b| b > pos && b < end) {
                        cut.push(Span {
                            text: self.text[from..bound].to_string(),
                            style: s.style,
                        });
                        of.push(part_at(&bounds, from));
                        from = bound;
                    }
                    cut.push(Span {
                        text: self.text[from..end].to_string(),
                        style: s.style,
                    });
                    of.push(part_at(&bounds, from));
                    pos = end;
                }
                filled.spans = cut;
                (filled, of)
            })
            .collect()
    }

    /// The lines [`Breaker::fill`] makes, as ranges of graphemes and whether each continues
    /// the line above.
    fn line_ranges(&self, width: usize) -> Vec<(usize, usize, bool)> {
        let avail = width.max(2);
        let gs = &self.gs;
        let n = gs.len();
        let mut out = Vec::new();
        let mut line_start = 0;
        let mut line_w = 0usize;
        let mut wrapped = false;
        let mut i = 0;
        while i < n {
            let budget = avail.saturating_sub(line_w);
            // Measure the piece up to the next opportunity, stopping once it cannot fit.
            let mut j = i;
            let mut full = 0usize;
            let mut content = 0usize;
            let mut fits = true;
            loop {
                let g = &gs[j];
                full += g.width as usize;
                if !g.is_space() {
                    content = full;
                }
                j += 1;
                if content > budget {
                    fits = false;
                    break;
                }
                if j >= n || gs[j].brk != NO {
                    break;
                }
            }
            if fits {
                line_w += full;
                i = j;
                if j < n && gs[j].brk == MUST {
                    out.push((line_start, j, wrapped));
                    wrapped = false;
                    line_start = j;
                    line_w = 0;
                }
                continue;
            }
            if gs[i].url
                && let Some(k) = self.url_split(i, budget, line_start == i)
            {
                out.push((line_start, k, wrapped));
                wrapped = true;
                line_start = k;
                line_w = 0;
                i = k;
                continue;
            }
            if line_start < i {
                out.push((line_start, i, wrapped));
                wrapped = true;
                line_start = i;
                line_w = 0;
                continue;
            }
            let mut k = self.split_point(i, avail);
            out.push((i, k, wrapped));
            // Blanks at a forced break go, as at any other break.
            while k < n && gs[k].first == ' ' {
                k += 1;
            }
            wrapped = true;
            line_start = k;
            line_w = 0;
            i = k;
        }
        if line_start < n || out.is_empty() {
            out.push((line_start, n, wrapped));
        }
        out
    }

    /// Where to split a piece with no break opportunity that starts a line at `i` and is wider
    /// than `avail`: after a URL separator, else not inside a Latin word or a number, else not
    /// inside a Latin word, else where kinsoku allows, else wherever the line is full.
    fn split_point(&self, i: usize, avail: usize) -> usize {
        let gs = &self.gs;
        let n = gs.len();
        let mut w = 0usize;
        let mut k = i;
        while k < n && w + gs[k].width as usize <= avail {
            w += gs[k].width as usize;
            k += 1;
        }
        if k == i {
            return i + 1;
        }
        if k >= n {
            return n;
        }
        let max = k;
        // Judged on what will start the next line: blanks at the break go.
        let kinsoku_ok = |k: usize| {
            let next = gs[k..]
                .iter()
                .find(|g| g.first != ' ')
                .map_or(' ', |g| g.first);
            let before = gs[i..k].iter().rev().find(|g| !g.is_space());
            !no_line_start(next) && !before.is_some_and(|g| no_line_end(g.last))
        };
        let inside = |k: usize, f: fn(&char) -> bool| f(&gs[k - 1].last) && f(&gs[k].first);
        // Between two digits of a number (`10.27`), not of a hash (`9f9554b4`): the run of
        // letters and digits around the split (within this line) has no letter.
        let in_number = |k: usize| {
            let word = |g: &G| g.first.is_ascii_alphanumeric() || number_char(&g.first);
            inside(k, number_char)
                && !gs[i..k]
                    .iter()
                    .rev()
                    .take_while(|g| word(g))
                    .chain(gs[k..=max.min(n - 1)].iter().take_while(|g| word(g)))
                    .any(|g| g.first.is_ascii_alphabetic())
        };
        let tests: [&dyn Fn(usize) -> bool; 4] = [
            &|k| url_separator(gs[k - 1].last) && kinsoku_ok(k),
            &|k| !inside(k, char::is_ascii_alphabetic) && !in_number(k) && kinsoku_ok(k),
            &|k| !inside(k, char::is_ascii_alphabetic) && kinsoku_ok(k),
            &kinsoku_ok,
        ];
        for test in tests {
            if let Some(k) = (i + 1..=max).rev().find(|&k| test(k)) {
                return k;
            }
        }
        max
    }

    /// Where to end a line inside a URL that reaches past it, with `budget` columns left: after
    /// the last `/ ? & = -` that fits, else after other punctuation, else (`anywhere`, for a
    /// line that holds nothing else) where the line is full. `None`: move the URL on instead.
    fn url_split(&self, i: usize, budget: usize, anywhere: bool) -> Option<usize> {
        let gs = &self.gs;
        let mut w = 0usize;
        let mut k = i;
        while k < gs.len() && gs[k].url && w + gs[k].width as usize <= budget {
            w += gs[k].width as usize;
            k += 1;
        }
        if k >= gs.len() || !gs[k].url || k == i {
            return None;
        }
        let max = k;
        let tests: [&dyn Fn(char) -> bool; 2] = [&url_separator, &|c| {
            c.is_ascii_punctuation() && !matches!(c, '(' | '[' | '{' | '<')
        }];
        for test in tests {
            // After the last of a run of separators (`==&`), not inside it.
            let found = (i + 1..=max)
                .rev()
                .find(|&k| test(gs[k - 1].last) && !test(gs[k].first));
            if let Some(k) = found {
                return Some(k);
            }
        }
        if !anywhere {
            return None;
        }
        // Not inside a run of letters, if that is possible.
        let inside_word =
            |k: usize| gs[k - 1].last.is_ascii_alphabetic() && gs[k].first.is_ascii_alphabetic();
        let found = (i + 1..=max).rev().find(|&k| !inside_word(k));
        Some(found.unwrap_or(max))
    }

    /// The line of graphemes `a..b`.
    fn filled(&self, a: usize, b: usize, wrapped: bool) -> Filled {
        Filled {
            spans: self.spans(a, b),
            wrapped,
            gap: wrapped && a > 0 && self.gs[a - 1].is_space(),
            cells: Vec::new(),
        }
    }

    /// The spans of graphemes `a..b`, trailing blanks trimmed.
    fn spans(&self, a: usize, b: usize) -> Vec<Span> {
        let gs = &self.gs;
        let mut b = b;
        while b > a && gs[b - 1].is_space() {
            b -= 1;
        }
        if a >= b {
            return Vec::new();
        }
        let start = gs[a].start;
        let end = if b < gs.len() {
            gs[b].start
        } else {
            self.text.len()
        };
        let mut out = Vec::new();
        let mut r = self.runs.partition_point(|(e, _)| *e <= start);
        let mut pos = start;
        while pos < end && r < self.runs.len() {
            let (run_end, style) = self.runs[r];
            let stop = run_end.min(end);
            if stop > pos {
                out.push(Span {
                    text: self.text[pos..stop].to_string(),
                    style,
                });
            }
            pos = stop;
            r += 1;
        }
        out
    }
}

/// Concatenate inline content into one sanitized string with style runs. Tabs expand, soft
/// breaks become a space (nothing between two wide characters), hard breaks `\n`; blanks at
/// the start of a line go.
fn flatten(inlines: &[Inline]) -> (String, Vec<(usize, Style)>, Vec<usize>) {
    let mut starts = Vec::with_capacity(inlines.len());
    let mut text = String::new();
    let mut runs: Vec<(usize, Style)> = Vec::new();
    let mut col = 0usize;
    let push_run = |runs: &mut Vec<(usize, Style)>, end: usize, style: Style| {
        if let Some(last) = runs.last_mut() {
            if last.0 == end {
                return;
            }
            if last.1 == style {
                last.0 = end;
                return;
            }
        }
        runs.push((end, style));
    };
    // A run of spaces in flowing text is one space, as in a browser (not in inline code).
    let mut after_space = false;
    for (idx, inline) in inlines.iter().enumerate() {
        starts.push(text.len());
        match inline {
            Inline::Text(t, style) => {
                let mut before = None;
                for c in t.chars() {
                    let after = before.replace(c);
                    let at_line_start = text.is_empty() || text.ends_with('\n');
                    let space_run = c == ' ' && after_space && !style.code;
                    after_space = c == ' ';
                    match c {
                        ' ' | '\n' if at_line_start => {}
                        ' ' if space_run => {}
                        '\t' => {
                            if !at_line_start {
                                let n = TAB_STOP - col % TAB_STOP;
                                text.extend(std::iter::repeat_n(' ', n));
                                col += n;
                            }
                        }
                        '\n' => {
                            text.push(' ');
                            col += 1;
                        }
                        c if drops_after(after, c) => {}
                        c if is_unsafe(c) => {
                            if let Some(v) = visible_symbol(c) {
                                text.push(v);
                                col += v.width().unwrap_or(0);
                            }
                        }
                        c => {
                            text.push(c);
                            col += c.width().unwrap_or(0);
                        }
                    }
                }
                push_run(&mut runs, text.len(), *style);
            }
            Inline::SoftBreak => {
                let before = text.chars().next_back();
                let after = inlines[idx + 1..].iter().find_map(|i| match i {
                    Inline::Text(t, _) => t.chars().next(),
                    _ => None,
                });
                let cjk = |c: Option<char>| c.is_some_and(|c| is_wide(c) || "“”‘’…—".contains(c));
                let join = cjk(before) && cjk(after);
                if !join && before.is_some_and(|c| c != ' ' && c != '\n') {
                    text.push(' ');
                    col += 1;
                    push_run(&mut runs, text.len(), Style::default());
                }
            }
            Inline::HardBreak => {
                // Trailing blanks before a hard break would only be trimmed.
                text.push('\n');
                col = 0;
                push_run(&mut runs, text.len(), Style::default());
            }
        }
    }
    (text, runs, starts)
}

/// The index of the part that the byte at `pos` belongs to (parts start at `bounds`).
fn part_at(bounds: &[usize], pos: usize) -> usize {
    bounds.partition_point(|&b| b <= pos).saturating_sub(1)
}

/// Measure the graphemes of `text` and find where lines may break.
fn graphemes(text: &str, ambi: AmbiWidth) -> Vec<G> {
    let mut gs: Vec<G> = Vec::with_capacity(text.len() / 2);
    for (start, g) in text.grapheme_indices(true) {
        let w = grapheme_width(g, ambi);
        let first = g.chars().next().unwrap_or(' ');
        let last = g.chars().next_back().unwrap_or(' ');
        if w <= 2 {
            gs.push(G {
                start,
                width: w as u8,
                brk: NO,
                url: false,
                first,
                last,
            });
        } else {
            // Only malformed text (a run of prepended marks) makes a cluster this wide: lay it
            // out char by char so that no line can be wider than asked.
            for (off, c) in g.char_indices() {
                let mut buf = [0u8; 4];
                // (A cluster split this way is the only place where one can be cut.)
                gs.push(G {
                    start: start + off,
                    width: grapheme_width(c.encode_utf8(&mut buf), ambi).min(2) as u8,
                    brk: if off == 0 { NO } else { MAY },
                    url: false,
                    first: c,
                    last: c,
                });
            }
        }
    }
    mark_urls(text, &mut gs);
    // UAX #14 opportunities, kept only at grapheme boundaries.
    let mut gi = 0;
    for (at, kind) in linebreaks(text) {
        while gi < gs.len() && gs[gi].start < at {
            gi += 1;
        }
        if gi < gs.len() && gs[gi].start == at {
            gs[gi].brk = match kind {
                BreakOpportunity::Mandatory => MUST,
                BreakOpportunity::Allowed => MAY,
            };
        }
    }
    // Chinese tailoring.
    // The last char before `i` that is not a blank.
    let mut solid = ' ';
    for i in 1..gs.len() {
        let (prev, cur) = (gs[i - 1], gs[i]);
        if !prev.is_space() {
            solid = prev.last;
        }
        if cur.brk == MUST {
            continue;
        }
        if prev.last == '\n' {
            gs[i].brk = MUST;
            continue;
        }
        let mut may = cur.brk == MAY;
        if matches!(cur.first, '“' | '‘') && (is_wide(prev.last) || matches!(prev.last, '”' | '’'))
        {
            may = true;
        }
        if matches!(prev.last, '”' | '’') && (is_wide(cur.first) || no_line_end(cur.first)) {
            may = true;
        }
        // An opening mark stays with what follows it, even across a blank (`运行“ cargo`).
        if no_line_start(cur.first) || no_line_end(prev.last) || no_line_end(solid) {
            may = false;
        }
        if prev.last == cur.first && matches!(cur.first, '…' | '—' | '⋯' | '─') {
            may = false;
        }
        gs[i].brk = if may { MAY } else { NO };
    }
    if let Some(g) = gs.first_mut() {
        g.brk = NO;
    }
    gs
}

/// Does this blank-free run look like a URL: `scheme://…`, `www.…`, or `host.tld/…`?
pub fn is_url(token: &str) -> bool {
    if token.contains("://") || token.starts_with("www.") {
        return true;
    }
    let Some((host, _)) = token.split_once('/') else {
        return false;
    };
    let tld = host.rsplit('.').next().unwrap_or("");
    host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// Mark the graphemes of URLs: runs without blanks or wide glyphs that [`is_url`].
fn mark_urls(text: &str, gs: &mut [G]) {
    if !text.contains('/') && !text.contains("www.") {
        return;
    }
    let mut i = 0;
    while i < gs.len() {
        let in_token = |g: &G| !g.is_space() && g.width < 2 && !g.first.is_whitespace();
        if !in_token(&gs[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < gs.len() && in_token(&gs[j]) {
            j += 1;
        }
        let end = if j < gs.len() {
            gs[j].start
        } else {
            text.len()
        };
        let token = &text[gs[i].start..end];
        if is_url(token) {
            for g in &mut gs[i..j] {
                g.url = true;
            }
        }
        i = j;
    }
}

#[cfg(test)]
#[path = "breaks_tests.rs"]
mod tests;
