//! The line breaker's tests, in a file of their own so that `breaks.rs` holds the breaker only.

use super::*;
use crate::render::width::str_width;

fn lines(text: &str, width: usize) -> Vec<String> {
    Breaker::plain(text, Style::default(), AmbiWidth::Single)
        .fill(width)
        .into_iter()
        .map(|f| f.spans.iter().map(|s| s.text.as_str()).collect())
        .collect()
}

fn check_fits(ls: &[String], width: usize) {
    for l in ls {
        assert!(
            str_width(l, AmbiWidth::Single) <= width,
            "{l:?} wider than {width}"
        );
    }
}

#[test]
fn chinese_breaks_between_ideographs() {
    let ls = lines("微信个人账号的新用户注册入口已经关闭", 10);
    assert_eq!(ls, ["微信个人账", "号的新用户", "注册入口已", "经关闭"]);
}

#[test]
fn closing_punctuation_never_starts_a_line() {
    // 。 would land at column 11: the ideograph before it goes along.
    let ls = lines("一二三四五。", 10);
    assert_eq!(ls, ["一二三四", "五。"]);
    let ls = lines("近日有网友反应。微信账号", 10);
    assert_eq!(ls, ["近日有网友", "反应。微信", "账号"]);
    let ls = lines("一二三四五，」》六七八九十", 10);
    assert_eq!(ls, ["一二三四", "五，」》六", "七八九十"]);
    // From 8 columns up: below that, `成）。”` (7 columns, no break allowed inside) cannot
    // fit on a line and must be split somewhere forbidden.
    for w in 8..30 {
        let ls = lines(
            "他说：“尊敬的用户您好，目前平台系统正在进行技术升级（预计 8 月初完成）。”然后……——就这样。",
            w,
        );
        check_fits(&ls, w);
        for l in &ls[1..] {
            let c = l.chars().next().unwrap();
            assert!(!no_line_start(c), "width {w}: line starts with {c}: {ls:?}");
        }
        for l in &ls {
            let c = l.chars().next_back().unwrap();
            assert!(!no_line_end(c), "width {w}: line ends with {c}: {ls:?}");
        }
    }
}

#[test]
fn opening_punctuation_never_ends_a_line() {
    let ls = lines("一二三四《微信平台》", 10);
    assert_eq!(ls, ["一二三四", "《微信平", "台》"]);
    let ls = lines("一二三四“清风计划”", 10);
    assert_eq!(ls, ["一二三四", "“清风计划”"]);
}

#[test]
fn ellipsis_and_dash_pairs_stay_whole() {
    let ls = lines("一二三四……五六", 9);
    assert_eq!(ls, ["一二三", "四……五六"]);
    let ls = lines("一二三四——五六", 9);
    assert_eq!(ls, ["一二三四", "——五六"]);
}

#[test]
fn english_breaks_at_spaces_and_words_stay_whole() {
    let ls = lines("Microsoft Windows is an operating system", 12);
    assert_eq!(ls, ["Microsoft", "Windows is", "an operating", "system"]);
    let ls = lines("在 2021 微信公开课 Pro 版 Microsoft 之夜上", 16);
    check_fits(&ls, 16);
    assert!(ls.iter().any(|l| l.contains("Microsoft")));
}

#[test]
fn long_words_split_only_when_longer_than_the_line() {
    let ls = lines("a Pneumonoultramicroscopicsilicovolcanoconiosis b", 20);
    assert_eq!(
        ls,
        [
            "a",
            "Pneumonoultramicrosc",
            "opicsilicovolcanocon",
            "iosis b"
        ]
    );
}

#[test]
fn urls_split_after_separators() {
    let url = "https://mp.weixin.qq.com/s?__biz=MzIyMDYwMTk0Mw==&mid=2247518040&idx=5";
    let ls = lines(url, 20);
    check_fits(&ls, 20);
    assert_eq!(ls.concat(), url);
    for l in &ls[..ls.len() - 1] {
        let c = l.chars().next_back().unwrap();
        assert!(c.is_ascii_punctuation(), "{ls:?}");
    }
    assert_eq!(ls[0], "https://mp.weixin.");
    let ls = lines(&format!("原文链接 {url} 之后"), 20);
    check_fits(&ls, 20);
    assert_eq!(ls[0], "原文链接 https://mp.");
}

#[test]
fn what_counts_as_a_url() {
    for u in [
        "https://a.b/c",
        "www.x.org",
        "mp.weixin.qq.com/s?x=1",
        "a.io/",
    ] {
        assert!(is_url(u), "{u}");
    }
    for u in ["img/a.png", "TCP/IP", "3.3/4", "e.g.", "and/or", "v1.2/x"] {
        assert!(!is_url(u), "{u}");
    }
}

#[test]
fn wide_glyph_never_straddles_the_edge() {
    let ls = lines("abc中文字", 6);
    assert_eq!(ls, ["abc中", "文字"]);
    let ls = lines("aaaaa中", 6);
    assert_eq!(ls, ["aaaaa", "中"]);
}

#[test]
fn emoji_clusters_are_never_split() {
    let fam = "👨\u{200D}👩\u{200D}👧";
    let text = format!("{fam}{fam}🇨🇳👍🏽1\u{FE0F}\u{20E3}e\u{301}");
    for w in 2..8 {
        let ls = lines(&text, w);
        check_fits(&ls, w);
        // Joiners, selectors and skin tones go (their widths differ between terminals);
        // what they joined stays, and no cluster left is split.
        assert_eq!(ls.concat(), "👨👩👧👨👩👧🇨🇳👍1\u{20E3}e\u{301}");
        for l in &ls {
            assert!(!l.starts_with('\u{200D}') && !l.starts_with('\u{301}'));
        }
    }
}

#[test]
fn controls_tabs_and_soft_hyphens() {
    let ls = lines("a\tb\x1b[31mc\u{9b}d\u{202E}e\u{AD}f\u{7}", 40);
    assert_eq!(ls, ["a   b␛[31mc\u{FFFD}def␇"]);
}

#[test]
fn soft_breaks_join_chinese_and_space_english() {
    let inl = vec![
        Inline::Text("中文".into(), Style::default()),
        Inline::SoftBreak,
        Inline::Text("继续 and".into(), Style::default()),
        Inline::SoftBreak,
        Inline::Text("more".into(), Style::default()),
    ];
    let b = Breaker::new(&inl, AmbiWidth::Single);
    let l: String = b.fill(80)[0]
        .spans
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(l, "中文继续 and more");
}

#[test]
fn space_runs_collapse_and_never_start_a_line() {
    let ls = lines(
        "https://www.mhlw.go.jp/content/001040752.pdf          。下一句",
        20,
    );
    check_fits(&ls, 20);
    for l in &ls {
        assert!(!l.starts_with(' ') && !l.starts_with('。'), "{ls:?}");
    }
    assert_eq!(lines("a     b", 20), ["a b"]);
}

#[test]
fn hard_breaks_end_lines() {
    let inl = vec![
        Inline::Text("一".into(), Style::default()),
        Inline::HardBreak,
        Inline::Text("  二".into(), Style::default()),
    ];
    let f = Breaker::new(&inl, AmbiWidth::Single).fill(80);
    assert_eq!(f.len(), 2);
    assert_eq!(f[1].spans[0].text, "二");
    assert!(!f[1].wrapped, "a hard break is not a wrap");
}

#[test]
fn a_100k_char_line_is_fast() {
    let text = "中文字符测试，".repeat(15_000);
    let t = std::time::Instant::now();
    let ls = lines(&text, 40);
    assert!(ls.len() > 5000);
    let word = "x".repeat(100_000);
    let ls = lines(&word, 40);
    assert_eq!(ls.len(), 2500);
    assert!(t.elapsed().as_secs() < 5);
}

#[test]
fn widths_for_tables() {
    let b = Breaker::plain(
        "数据 visualization 很重要",
        Style::default(),
        AmbiWidth::Single,
    );
    assert_eq!(
        b.natural_width(),
        str_width("数据 visualization 很重要", AmbiWidth::Single)
    );
    assert_eq!(b.min_width(), "visualization".len());
}

#[test]
fn an_opening_quote_with_a_space_after_it_does_not_end_a_line() {
    // As translation tools write it: a space after “.
    let text = "然后运行“ cargo 命令”，然后运行“ cargo build ”命令。";
    for width in 8..40 {
        let ls = lines(text, width);
        check_fits(&ls, width);
        for l in &ls {
            let end = l.trim_end().chars().next_back();
            assert!(!end.is_some_and(no_line_end), "{width}: {ls:?}");
        }
    }
    assert_eq!(lines("运行“ cargo", 10), ["运行", "“ cargo"]);
}
