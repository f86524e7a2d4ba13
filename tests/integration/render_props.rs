//! Property tests of the layout over generated text that mixes Chinese, Latin words,
//! punctuation, emoji sequences, combining marks, URLs, tabs and control characters: every line
//! fits, nothing is lost or reordered, no control character survives.

use folio::render::breaks::Breaker;
use folio::render::document::Inline;
use folio::render::sanitize::{is_unsafe, is_width_unstable, visible_symbol};
use folio::render::style::Style;
use folio::render::width::{AmbiWidth, str_width};
use folio::render::wrap::render_plain;
use proptest::prelude::*;

/// One piece of generated text.
fn fragment(markdown_safe: bool) -> impl Strategy<Value = String> {
    let cjk = proptest::collection::vec(0x4E00u32..0x9FA5, 1..30)
        .prop_map(|v| v.into_iter().filter_map(char::from_u32).collect::<String>());
    let word = "[A-Za-z]{1,14}".prop_map(|w| w);
    let punct = proptest::sample::select(vec![
        "，", "。", "、", "；", "：", "？", "！", "（", "）", "《", "》", "「", "」", "“", "”",
        "‘", "’", "……", "——", "·", "%", ",", ".", "!", "?", "(", ")", "'", "\"",
    ])
    .prop_map(str::to_string);
    let emoji = proptest::sample::select(vec![
        "👨\u{200D}👩\u{200D}👧",
        "🇨🇳",
        "🇯🇵",
        "👍🏽",
        "1\u{FE0F}\u{20E3}",
        "❤\u{FE0F}",
        "☺\u{FE0E}",
        "🏳\u{FE0F}\u{200D}🌈",
        "ｶﾀｶﾅ",
        "ＡＢＣ",
        "한글",
    ])
    .prop_map(str::to_string);
    let combining = proptest::sample::select(vec!["e\u{301}", "a\u{308}\u{301}", "n\u{303}"])
        .prop_map(str::to_string);
    let url = "[a-z]{1,8}".prop_map(|s| format!("https://example.com/{s}/path?q={s}&x=1-2"));
    let space = proptest::sample::select(vec![" ", " ", "  ", "\t", "\u{200B}", "\u{3000}"])
        .prop_map(str::to_string);
    let control = proptest::sample::select(vec![
        "\x1b[31m",
        "\x07",
        "\u{9b}",
        "\x7f",
        "\u{202E}",
        "\r",
        "\u{AD}",
        "\x08",
        "\u{85}",
        "\x1b]0;t\x07",
    ])
    .prop_map(str::to_string);
    let long = "[a-z]{30,90}".prop_map(|w| w);
    let mut options = vec![
        cjk.boxed(),
        word.boxed(),
        punct.boxed(),
        emoji.boxed(),
        combining.boxed(),
        url.boxed(),
        space.boxed(),
        long.boxed(),
    ];
    if !markdown_safe {
        options.push(control.boxed());
    }
    proptest::strategy::Union::new(options)
}

fn text(markdown_safe: bool) -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(markdown_safe), 1..60).prop_map(|v| v.concat())
}

/// What the text's visible content should be: controls shown or dropped, blanks removed.
fn expected_content(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c == '\t' || c == '\n' || is_width_unstable(c) {
                None
            } else if is_unsafe(c) {
                visible_symbol(c)
            } else {
                Some(c)
            }
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn lines_fit_and_keep_every_char_in_order(s in text(false), width in 1usize..120) {
        for ambi in [AmbiWidth::Single, AmbiWidth::Double] {
            let b = Breaker::new(&[Inline::Text(s.clone(), Style::default())], ambi);
            let lines = b.fill(width);
            let mut content = String::new();
            for filled in &lines {
                let line: String = filled.spans.iter().map(|s| s.text.as_str()).collect();
                prop_assert!(str_width(&line, ambi) <= width.max(2), "{line:?} > {width}");
                prop_assert!(!line.chars().any(is_unsafe), "control in {line:?}");
                content.push_str(&line);
            }
            let got: String = content.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(got, expected_content(&s));
        }
    }

    #[test]
    fn paragraphs_and_quotes_render_whole(s in text(true), width in 20usize..120, quote in any::<bool>()) {
        // Markdown would read `\` escapes, entities and the like: the generated text has none
        // of those, so the article's text must come out whole.
        // Leading blanks would make an indented code block.
        let s = s.trim_start().to_string();
        let md = if quote { format!("> {s}") } else { s.clone() };
        let out = render_plain(&md, width, AmbiWidth::Single);
        for line in out.lines() {
            prop_assert!(str_width(line, AmbiWidth::Single) <= width, "{line:?} > {width}");
        }
        let got: String = out.chars().filter(|c| !c.is_whitespace() && *c != '│').collect();
        // `"` and `'` may be read as Markdown link-title quotes only inside links: none here.
        prop_assert_eq!(got, expected_content(&s));
    }

    #[test]
    fn any_markdown_at_any_width_fits_and_is_safe(
        s in proptest::collection::vec(
            prop_oneof![
                text(false),
                proptest::sample::select(vec![
                    "\n", "\n\n", "# ", "## ", "> ", ">> ", "- ", "1. ", "  - ", "**", "*", "`",
                    "```\n", "~~", "| a | 中 |\n|---|---|\n| ", " |\n", "[链接](http://x/y)",
                    "![图](img/a.png)", "<br>", "<mdspan>", "</mdspan>", "<video></video>",
                    "[^1]", "\n[^1]: 注\n", "---\n", "\t",
                ]).prop_map(str::to_string),
            ],
            1..40,
        ).prop_map(|v| v.concat()),
        width in 0usize..120,
    ) {
        for ambi in [AmbiWidth::Single, AmbiWidth::Double] {
            let out = render_plain(&s, width, ambi);
            for line in out.lines() {
                prop_assert!(str_width(line, ambi) <= width.max(2), "{line:?} > {width}");
                prop_assert!(!line.chars().any(is_unsafe), "control in {line:?}");
            }
        }
    }
}
