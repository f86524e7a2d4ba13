//! Fuzzing by property (issue 7): arbitrary bytes and text to the header parser, the loader,
//! the decoder, the Markdown-to-Document step and the layout at random widths. No panic, a
//! title is never empty, every laid-out line fits its width and holds no control character.

use std::path::Path;

use folio::archive::decode;
use folio::archive::heads::parse_header;
use folio::archive::read::read_article;
use folio::render::sanitize::is_unsafe;
use folio::render::width::{AmbiWidth, str_width};
use folio::render::{markdown, wrap};
use proptest::prelude::*;

/// Text that is mostly Markdown syntax, Chinese and controls, with any char thrown in.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(vec![
            "\n", "\n\n", "\r\n", "# ", "## ", "=\n", "---\n", "> ", "- ", "1. ", "* ", "  ",
            "\t", "**", "*", "_", "`", "```\n", "~~~", "~~", "[", "]", "(", ")", "![", "<", ">",
            "</", "<!--yml\n", "-->\n", "<!--", "title: ", "日期：", "分类：", "> 原文：",
            "https://x.org/a", "| ", " |", "|---|", "[^1]", "[^1]: ", "\\", "&amp;", "&#x1b;",
            "<br>", "<mdspan datatext=\"x\">", "</mdspan>", "\u{FEFF}", "\x1b[31m", "\x1b]0;t\x07",
            "\u{9b}", "\u{202E}", "\u{AD}", "\u{200D}", "👨\u{200D}👩", "e\u{301}", "中文",
            "汉字没有空格的长段落", "ｶﾀｶﾅ", "한글",
        ]).prop_map(str::to_string),
        2 => any::<char>().prop_map(String::from),
        1 => "[a-z]{1,20}",
    ];
    proptest::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

/// Bytes as hostile files hold them: arbitrary, or text in some encoding cut anywhere.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..3000),
        (markdownish(), any::<prop::sample::Index>(), 0u8..4).prop_map(|(text, cut, how)| {
            let bytes = match how {
                0 => encoding_rs::GB18030.encode(&text).0.into_owned(),
                1 => encoding_rs::BIG5.encode(&text).0.into_owned(),
                _ => text.into_bytes(),
            };
            let end = if bytes.is_empty() {
                0
            } else {
                cut.index(bytes.len() + 1)
            };
            bytes[..end].to_vec()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_header_parser_takes_any_text_and_any_prefix(
        text in prop_oneof![markdownish(), any::<String>()],
        cut in any::<prop::sample::Index>(),
    ) {
        let header = parse_header(&text, true);
        prop_assert!(!header.title("stem").is_empty());
        let mut end = cut.index(text.len() + 1);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let partial = parse_header(&text[..end], false);
        prop_assert!(!partial.title("stem").is_empty());
    }

    #[test]
    fn the_loader_takes_any_file(bytes in file_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        std::fs::write(&path, &bytes).unwrap();
        match read_article(&path, Path::new("x.md")) {
            Ok(article) => prop_assert!(!article.title().is_empty()),
            Err(reason) => prop_assert!(!reason.is_empty()),
        }
        let _ = decode::sniff(&bytes, true);
        // Decoding is total: a string out of any bytes, the empty one only out of nothing.
        let text = decode::decode(&bytes);
        prop_assert!(!text.is_empty() || bytes.len() <= 3);
    }

    #[test]
    fn any_text_parses_and_lays_out_within_any_width(
        text in prop_oneof![markdownish(), any::<String>()],
        width in 0usize..130,
    ) {
        let doc = markdown::parse(&text);
        for ambi in [AmbiWidth::Single, AmbiWidth::Double] {
            for line in wrap::wrap(&doc, width, ambi) {
                let shown = line.plain_text();
                prop_assert!(line.width_in(ambi) <= width.max(2), "{shown:?} wider than {width}");
                prop_assert_eq!(str_width(&shown, ambi), line.width_in(ambi));
                prop_assert!(!shown.chars().any(is_unsafe), "control in {shown:?}");
            }
        }
    }

    #[test]
    fn any_bytes_decode_and_lay_out(bytes in file_bytes(), width in 20usize..100) {
        let out = wrap::render_plain(&decode::decode(&bytes), width, AmbiWidth::Single);
        for line in out.lines() {
            prop_assert!(str_width(line, AmbiWidth::Single) <= width, "{line:?}");
            prop_assert!(!line.chars().any(is_unsafe), "control in {line:?}");
        }
    }
}
