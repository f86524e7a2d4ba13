//! Bytes to text: which encoding an article's file is in, decided once from its first bytes.
//!
//! It is decided the same way when the file is indexed and when it is opened.
//!
//! Real archives are UTF-8, but Chinese archives collected from the web also hold GB18030 (GBK,
//! GB2312) files, Big5 files and files saved as UTF-16 by Windows editors. The rule, on the
//! first [`SAMPLE`] bytes of a file:
//!
//! - a UTF-16 byte-order mark: UTF-16;
//! - UTF-8, where at most one character in a hundred is a bad byte (a damaged or truncated
//!   file: bad bytes are shown as U+FFFD, a character cut by the end of the file too);
//! - else GB18030 or Big5, when the sample decodes without a single error and most of its
//!   non-ASCII characters are Chinese (Big5 when the byte statistics say so: GB2312 text, the
//!   bulk of GB18030 archives, never uses second bytes below 0xA1, Big5 uses them for half of
//!   its characters);
//! - else the file is not text folio can read: the index skips it with a warning, and opening it
//!   anyway shows it as UTF-8 with U+FFFD.

use std::borrow::Cow;

use encoding_rs::{BIG5, Encoding, GB18030, UTF_16BE, UTF_16LE};

/// How many bytes of a file decide its encoding: some 1,300 Chinese characters, plenty to tell
/// GB18030 from Big5 and damage from another encoding, and small enough that indexing, which
/// reads and checks this much of every file, costs little more than opening it.
pub const SAMPLE: usize = 4 * 1024;

/// The text encoding of a file, as [`sniff`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// UTF-8 (bad bytes, if any, become U+FFFD).
    Utf8,
    /// Another encoding folio decodes: GB18030, Big5, UTF-16.
    Other(&'static Encoding),
    /// Not text in any encoding folio knows.
    Unknown,
}

impl Charset {
    /// The encoding's name (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE`), `None` when unknown.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Charset::Utf8 => Some("UTF-8"),
            Charset::Other(encoding) => Some(encoding.name()),
            Charset::Unknown => None,
        }
    }
}

/// The encoding of a file that starts with `sample` (its first [`SAMPLE`] bytes or more;
/// `complete` when that is the whole file, so that a character cut at its end is not the
/// sample's doing).
pub fn sniff(sample: &[u8], complete: bool) -> Charset {
    if let Some((encoding, _)) = Encoding::for_bom(sample)
        && (encoding == UTF_16LE || encoding == UTF_16BE)
    {
        return Charset::Other(encoding);
    }
    // One fast pass decides nearly every file: valid UTF-8, or valid but for a character the
    // end of the sample cut. Only damaged text takes the slower count.
    let valid = match simdutf8::compat::from_utf8(sample) {
        Ok(_) => true,
        Err(err) => err.error_len().is_none() || mostly_utf8(sample),
    };
    if valid {
        return Charset::Utf8;
    }
    let big5_like = trail_bytes_below_a1(sample);
    let candidates = if big5_like {
        [BIG5, GB18030]
    } else {
        [GB18030, BIG5]
    };
    for encoding in candidates {
        if let Some(text) = decode_strict(encoding, sample, complete)
            && mostly_chinese(&text)
        {
            return Charset::Other(encoding);
        }
    }
    Charset::Unknown
}

/// The text of a whole file, in the encoding its first bytes show (UTF-8 with U+FFFD for
/// what is not text).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    decode_in(sniff(sample, sample.len() == bytes.len()), bytes)
}

/// `bytes` decoded in `encoding` (a byte-order mark dropped), with U+FFFD for bad bytes.
pub fn decode_in(charset: Charset, bytes: &[u8]) -> Cow<'_, str> {
    match charset {
        Charset::Other(encoding) => encoding.decode_with_bom_removal(bytes).0,
        // Valid UTF-8, nearly every file, is checked with SIMD and borrowed as it is.
        Charset::Utf8 | Charset::Unknown => match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        },
    }
}

/// True when `bytes` is UTF-8 but for at most one bad byte sequence in a hundred characters
/// (a sequence cut by the end of `bytes` is not counted: the sample may end inside it).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut bad = 0usize;
    let mut chars = 0usize;
    let mut chunks = bytes.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        chars += chunk.valid().chars().count();
        let last = chunks.peek().is_none();
        let fine = chunk.invalid().is_empty() || (last && cut_at_end(chunk.invalid()));
        if !fine {
            bad += 1;
        }
    }
    bad == 0 || bad * 100 <= chars
}

/// How many bytes of `bytes` hold whole UTF-8 characters: all but a character cut at the end.
pub fn whole_chars(bytes: &[u8]) -> usize {
    match bytes.utf8_chunks().last() {
        Some(chunk) if !chunk.invalid().is_empty() && cut_at_end(chunk.invalid()) => {
            bytes.len() - chunk.invalid().len()
        }
        _ => bytes.len(),
    }
}

/// True when `invalid` could be the start of a UTF-8 character cut short.
fn cut_at_end(invalid: &[u8]) -> bool {
    let needed = match invalid[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return false,
    };
    invalid.len() < needed && invalid[1..].iter().all(|b| (0x80..=0xBF).contains(b))
}

/// `bytes` in `encoding` when they hold no error (a character cut by the end of an incomplete
/// sample is left out).
fn decode_strict(encoding: &'static Encoding, bytes: &[u8], complete: bool) -> Option<String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text =
        String::with_capacity(decoder.max_utf8_buffer_length_without_replacement(bytes.len())?);
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut text, complete);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Some(text),
        _ => None,
    }
}

/// True when most non-ASCII characters of `text` (general punctuation aside) are Chinese,
/// Japanese or Korean: ideographs, kana, hangul, CJK and full-width punctuation.
fn mostly_chinese(text: &str) -> bool {
    let mut cjk = 0usize;
    let mut other = 0usize;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        match c {
            '\u{2000}'..='\u{206F}' | '\u{00B7}' => {}
            '\u{2E80}'..='\u{9FFF}'
            | '\u{AC00}'..='\u{D7AF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FFEF}'
            | '\u{20000}'..='\u{3FFFF}' => cjk += 1,
            _ => other += 1,
        }
    }
    cjk > 0 && cjk >= 4 * other
}

/// True when many double-byte characters have a second byte below 0xA1: Big5 rather than GB.
fn trail_bytes_below_a1(bytes: &[u8]) -> bool {
    let (mut low, mut pairs) = (0usize, 0usize);
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] < 0x81 {
            i += 1;
            continue;
        }
        let trail = bytes[i + 1];
        if trail.is_ascii_digit() {
            i += 4; // a GB18030 four-byte sequence
            continue;
        }
        pairs += 1;
        if trail < 0xA1 {
            low += 1;
        }
        i += 2;
    }
    pairs > 0 && low * 4 > pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "# 微信暂停新用户注册，官方紧急回应！\n\n> 原文：https://example.org/a\n\n近日，有网友反应：“微信”——注册……\n";

    #[test]
    fn utf8_is_utf8_even_cut_or_slightly_damaged() {
        assert_eq!(sniff(ARTICLE.as_bytes(), true), Charset::Utf8);
        let bytes = ARTICLE.as_bytes();
        // Cut inside the last character: the sample, or the file (truncated download).
        let cut = &bytes[..bytes.len() - 20];
        assert_eq!(sniff(cut, false), Charset::Utf8);
        assert_eq!(sniff(cut, true), Charset::Utf8);
        let mut damaged = ARTICLE.repeat(10).into_bytes();
        damaged[100] = 0xFF;
        assert_eq!(sniff(&damaged, true), Charset::Utf8);
        assert!(decode(&damaged).contains('\u{FFFD}'));
        assert_eq!(whole_chars(&"标题".as_bytes()[..4]), 3);
        assert_eq!(whole_chars(b"a\xffb"), 3);
        assert_eq!(whole_chars(bytes), bytes.len());
    }

    #[test]
    fn gb18030_and_big5_are_told_and_decoded() {
        let (gb, _, _) = GB18030.encode(ARTICLE);
        assert_eq!(sniff(&gb, true), Charset::Other(GB18030));
        assert_eq!(decode(&gb), ARTICLE);
        let traditional = "# 微軟發佈新版本，開發者們紛紛表示關注與討論\n\n這是一個測試文章，內容講述臺灣的鐵路與電腦。\n";
        let (big5, _, _) = BIG5.encode(traditional);
        assert_eq!(sniff(&big5, true), Charset::Other(BIG5));
        assert_eq!(decode(&big5), traditional);
        // Cut in the middle of a character at the end of a sample.
        assert_eq!(sniff(&gb[..gb.len() - 3], false), Charset::Other(GB18030));
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in ARTICLE.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(sniff(&bytes, true), Charset::Other(UTF_16LE));
        assert_eq!(decode(&bytes), ARTICLE);
    }

    #[test]
    fn latin1_and_junk_are_not_text() {
        assert_eq!(sniff(b"# caf\xe9\n", true), Charset::Unknown);
        assert_eq!(
            sniff(
                b"# Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve \xe0 la fran\xe7aise\n",
                true
            ),
            Charset::Unknown
        );
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(sniff(&junk, true), Charset::Unknown);
        assert!(decode(&junk).contains('\u{FFFD}'));
    }
}
