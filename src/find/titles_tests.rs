//! The tests of title ranking (`titles.rs`), in a file of their own so that the ranking reads
//! on its own.

use super::*;
use crate::find::prepared::{Row, char_bits};
use nucleo_matcher::Utf32String;

fn ranked(query: &str, titles: &[&str]) -> Vec<usize> {
    indices(&Matcher::new(query).rank(titles.iter().copied()))
}

fn indices(matches: &[Match]) -> Vec<usize> {
    matches.iter().map(|m| m.index).collect()
}

/// The order nucleo gives without folio's masks, pinyin or fast paths: every title scored
/// as written.
fn unmasked(m: &Matcher, titles: &[&str]) -> Vec<usize> {
    let mut scratch = Scratch::new();
    let scored = titles.iter().enumerate().filter_map(|(index, title)| {
        let item = Utf32String::from(*title);
        m.for_each_atom(
            item.slice(..),
            &mut scratch.engine,
            &mut scratch.padded,
            |i, atom, haystack, engine| {
                let score = atom.score(haystack, engine)?;
                Some(score + m.prefix_bonus(i, haystack))
            },
        )
        .map(|score| Match { index, score })
    });
    indices(&best_first(scored.collect()))
}

/// The order of each title prepared and ranked on its own, merged: what a batch of
/// prepared titles (sharing pinyin tables, in chunks) must give too.
fn one_at_a_time(m: &Matcher, titles: &[&str]) -> Vec<usize> {
    let scored = titles.iter().enumerate().filter_map(|(index, title)| {
        let alone = m.rank_titles(&Titles::new([*title]));
        alone.first().map(|found| Match {
            index,
            score: found.score,
        })
    });
    indices(&best_first(scored.collect()))
}

#[test]
fn best_match_first_and_non_matches_dropped() {
    let titles = ["A rusty gate", "Rust 排版指南", "茶与水", "r u s t"];
    let order = ranked("rust", &titles);
    assert!(!order.contains(&2));
    assert_eq!(order.len(), 3);
    // A contiguous match at a word start beats letters strewn over the title.
    assert_eq!(order.last(), Some(&3));
}

#[test]
fn smart_case() {
    let titles = ["rust notes", "Rust notes"];
    assert_eq!(ranked("rust", &titles).len(), 2);
    assert_eq!(ranked("Rust", &titles), vec![1]);
}

#[test]
fn every_term_must_match_and_fzf_operators_work() {
    let titles = ["微信暂停新用户注册", "微信支付", "新用户指南"];
    assert_eq!(ranked("微信 注册", &titles), vec![0]);
    assert_eq!(ranked("微信 !支付", &titles), vec![0]);
    assert_eq!(ranked("^新用户", &titles), vec![2]);
    assert_eq!(ranked("支付$", &titles), vec![1]);
    // Exact terms at the very end of a title that is not ASCII.
    assert_eq!(ranked("'注册", &titles), vec![0]);
    assert_eq!(
        Matcher::new("'注册").positions("微信暂停新用户注册"),
        vec![7, 8]
    );
}

#[test]
fn ties_keep_the_given_order() {
    let titles = ["same title", "other", "same title", "same title"];
    assert_eq!(ranked("same", &titles), vec![0, 2, 3]);
}

#[test]
fn empty_query_matches_all_in_order() {
    assert_eq!(ranked("  ", &["b", "a"]), vec![0, 1]);
}

#[test]
fn positions_are_char_indices() {
    let m = Matcher::new("注册");
    assert_eq!(m.positions("微信暂停新用户注册"), vec![7, 8]);
    // After a ZWJ family (five chars, one cluster) the indices still count chars.
    let m = Matcher::new("ab");
    assert_eq!(m.positions("👨‍👩‍👧 ab"), vec![6, 7]);
    assert_eq!(Matcher::new("zz").positions("abc"), Vec::<usize>::new());
}

#[test]
fn prepared_titles_rank_like_plain_ones_with_case_and_diacritics() {
    let titles = ["Café Über", "cafe uber", "CAFE", "咖啡馆 Café", "茶"];
    for query in [
        "cafe", "Cafe", "café", "über", "uber", "UBER", "咖啡", "zz", "'cafe", "!茶",
    ] {
        let m = Matcher::new(query);
        assert_eq!(
            indices(&m.rank_titles(&Titles::new(titles))),
            unmasked(&m, &titles),
            "{query}"
        );
    }
}

#[test]
fn reordered_titles_rank_as_titles_prepared_in_that_order() {
    let mut rng = crate::archive::synth::Rng::new(7);
    let mut generated: Vec<String> = (0..2000)
        .map(|_| crate::archive::synth::title(&mut rng))
        .collect();
    generated.push("北京大学 Rust".into());
    generated.push(String::new());
    // A permutation that moves nearly every title: reversed, then odd places first.
    let reversed: Vec<usize> = (0..generated.len()).rev().collect();
    let order: Vec<usize> = reversed
        .iter()
        .skip(1)
        .step_by(2)
        .chain(reversed.iter().step_by(2))
        .copied()
        .collect();
    let reordered = Titles::new(generated.iter().map(String::as_str)).reordered(&order);
    let fresh = Titles::new(order.iter().map(|&i| generated[i].as_str()));
    assert_eq!(reordered.len(), fresh.len());
    for query in ["r", "bjdx", "rust 数据", "北京", "zzz", "!r"] {
        let m = Matcher::new(query);
        assert_eq!(m.rank_titles(&reordered), m.rank_titles(&fresh), "{query}");
    }
}

#[test]
fn one_char_terms_rank_as_nucleo_ranks_them() {
    // Titles without pinyin: nucleo's order as it is.
    let titles = [
        "Café Über",
        "cafe uber",
        "CAFE",
        "a/b c",
        "ｃａｆé",
        "x",
        "ſ Ŕ r",
        "R2-D2",
    ];
    for query in [
        "c", "C", "é", "u", "r", "R", "2", "-", "/", "x", "s", "f ｃ",
    ] {
        let m = Matcher::new(query);
        assert_eq!(
            indices(&m.rank_titles(&Titles::new(titles))),
            unmasked(&m, &titles),
            "{query}"
        );
    }
    // Generated titles, with pinyin: the same matches and scores as without the fast path.
    let mut rng = crate::archive::synth::Rng::new(11);
    let generated: Vec<String> = (0..3000)
        .map(|_| crate::archive::synth::title(&mut rng))
        .collect();
    let prepared = Titles::new(generated.iter().map(String::as_str));
    for query in ["r", "a", "e", "s", "R", "数", "r 数据", "d 据", "'r", "!r"] {
        let fast = Matcher::new(query);
        let mut slow = Matcher::new(query);
        slow.one_char.iter_mut().for_each(|one| *one = None);
        let ranked = fast.rank_titles(&prepared);
        assert!(!ranked.is_empty(), "{query}");
        assert_eq!(ranked, slow.rank_titles(&prepared), "{query}");
    }
}

#[test]
fn pinyin_finds_chinese_titles_after_the_plain_matches() {
    let titles = [
        "北京大学的早晨",
        "bjdx notes",
        "微信暂停新用户注册",
        "银行行长",
        "茶与水",
    ];
    assert_eq!(ranked("bjdx", &titles), vec![1, 0]);
    assert_eq!(ranked("beijing", &titles), vec![0]);
    assert_eq!(ranked("wx暂停", &titles), vec![2]);
    assert_eq!(ranked("hangzhang", &titles), vec![3]);
    assert_eq!(ranked("yinhang", &titles), vec![3]);
    assert_eq!(ranked("wx !注册", &titles), Vec::<usize>::new());
    assert_eq!(ranked("bjdx 早晨", &titles), vec![0]);
    let m = Matcher::new("bjdx");
    assert_eq!(m.positions("北京大学的早晨"), vec![0, 1, 2, 3]);
    assert_eq!(
        Matcher::new("wx暂停").positions("微信暂停新用户注册"),
        vec![0, 1, 2, 3]
    );
    // A batch of prepared titles (shared pinyin tables) ranks as each title alone does.
    for query in ["bjdx", "beijing", "wx暂停", "hz", "cha", "xing", "b !水"] {
        let m = Matcher::new(query);
        assert_eq!(
            indices(&m.rank_titles(&Titles::new(titles))),
            one_at_a_time(&m, &titles),
            "{query}"
        );
    }
}

#[test]
fn original_titles_match_below_equal_title_matches() {
    let titles = Titles::with_originals([
        (
            "Meta 出售了近 2000 万个 Quest 头戴设备",
            Some("Meta Has Sold Nearly 20M Quest Headsets Retention Struggles Remain"),
        ),
        ("Retention struggles", None),
        ("茶与水", Some("water for tea")),
        ("头戴设备的历史", Some("A history of retention")),
    ]);
    let ranked = |query: &str| indices(&Matcher::new(query).rank_titles(&titles));
    assert_eq!(ranked("headsets retention"), vec![0]);
    // The same match on a title and on an original title: the title's first.
    assert_eq!(ranked("retention struggles"), vec![1, 0]);
    assert_eq!(ranked("water"), vec![2]);
    assert_eq!(ranked("quest"), vec![0]);
    // An excluded term in the title is not brought back by the original title.
    assert_eq!(ranked("retention !头戴"), vec![1]);
    // The original titles move with their titles.
    let reordered = titles.reordered(&[3, 2, 1, 0]);
    assert_eq!(
        indices(&Matcher::new("headsets").rank_titles(&reordered)),
        vec![3]
    );
}

#[test]
fn latin_and_pinyin_rank_on_one_scale() {
    let titles = [
        "why you say so",
        "YUI 压缩器",
        "云原生集成：随着现代网络",
        "Rust 内存模型",
        "内存计算的重要时刻",
        "2024 年财务报告 Zig 编程语言",
        "编程语言的可扩展性",
        "Rust 编程语言",
        "北京大学的早晨",
        "bjdx notes",
    ];
    // Initials of a title's start first, then initials after white space, then letters
    // scattered over words.
    assert_eq!(ranked("yys", &titles), vec![2, 1, 0]);
    assert_eq!(ranked("bcyy", &titles), vec![6, 5, 7]);
    // 内 reads nèi (ruì is too rare to match `r`).
    assert_eq!(ranked("rust 内存", &titles), vec![3]);
    assert_eq!(ranked("rust bc", &titles), vec![7]);
    // As written and by pinyin on one scale: whole words typed beat initials.
    assert_eq!(ranked("bjdx", &titles), vec![9, 8]);
    assert_eq!(ranked("beijing", &titles), vec![8]);
    assert_eq!(ranked("rust", &titles), vec![3, 7]);
    assert_eq!(ranked("zig bc", &titles), vec![5]);
}

#[test]
fn which_queries_narrow_which() {
    assert!(narrows("ru", "rus"));
    assert!(narrows("rust ", "rust 排"));
    assert!(narrows("", "a"));
    assert!(narrows("^ru", "^rus"));
    assert!(!narrows("rus", "ru"));
    assert!(!narrows("!a", "!ab"));
    assert!(!narrows("x !a", "x !ab"));
    assert!(narrows("x !a ", "x !a b"));
    assert!(!narrows("a$", "a$b"));
    assert!(!narrows("a\\", "a\\ b"));
}

#[test]
fn char_bits_cover_every_form_the_matcher_compares() {
    use nucleo_matcher::chars::{normalize, to_lower_case};
    for c in (0..0x3_0000u32).filter_map(char::from_u32) {
        let bits = char_bits(c);
        for form in [
            c,
            to_lower_case(c),
            normalize(c),
            to_lower_case(normalize(c)),
        ] {
            assert_ne!(bits & char_bit(form), 0, "U+{:04X}", u32::from(c));
        }
    }
}

#[test]
fn the_fast_conversion_agrees_with_nucleos() {
    for title in [
        "微信暂停新用户注册，官方紧急回应！",
        "Rust 排版 — “引号” ｶﾀｶﾅ",
        "e\u{301}x",
        "👨‍👩‍👧 a",
        "한글",
    ] {
        let mut buffer = Vec::new();
        let mut theirs = Vec::new();
        assert_eq!(
            utf32(title, &mut buffer),
            Utf32Str::new(title, &mut theirs),
            "{title}"
        );
    }
}

#[test]
fn a_subset_ranks_like_the_whole() {
    let titles = ["rust", "rusty", "trust", "crust", "dust"];
    let m = Matcher::new("rust");
    let whole = m.rank(titles.iter().copied());
    let prepared = Titles::new(titles);
    assert_eq!(m.rank_titles(&prepared), whole);
    let previous: Vec<usize> = Matcher::new("rus")
        .rank_titles(&prepared)
        .iter()
        .map(|m| m.index)
        .collect();
    assert_eq!(m.rank_subset(&prepared, &previous), whole);
}

/// Checks that `m` scores every title of `titles` (prepared as `prepared`) as the better
/// of its score as written and its pinyin score computed everywhere; gives the number of
/// titles `skipped` says the fast paths did not score by pinyin.
fn assert_pinyin_skips_change_nothing(
    m: &Matcher,
    titles: &[String],
    prepared: &Titles,
    skipped: impl Fn(&Row, Option<u16>) -> bool,
) -> usize {
    let tables = m.tables(prepared);
    let mut scratch = Scratch::new();
    let mut count = 0;
    for (index, title) in titles.iter().enumerate() {
        let mut buffer = Vec::new();
        let item = prepared.text(index, &mut buffer);
        let plain = m.score_kept_atom(0, prepared.kept(index), &mut scratch);
        let by_pinyin = match (item, &m.pinyin[0], &tables.0[0]) {
            (Utf32Str::Unicode(chars), Some(term), Some(table)) => {
                term.score(chars, &prepared.readings, table)
            }
            _ => None,
        };
        let expected = plain.max(by_pinyin).map(u32::from);
        let got = m.score_title(prepared, index, &tables, &mut scratch);
        assert_eq!(
            got,
            expected,
            "{:?} in {title:?}",
            m.pattern.atoms[0].needle_text()
        );
        count += usize::from(skipped(&prepared.rows[index], plain));
    }
    count
}

#[test]
fn one_letter_scores_are_the_better_of_as_written_and_pinyin_on_generated_titles() {
    // Titles whose readings lack the letter skip the pinyin score: the same scores as
    // computing it everywhere.
    let mut rng = crate::archive::synth::Rng::new(5);
    let titles: Vec<String> = (0..2000)
        .map(|_| crate::archive::synth::title(&mut rng))
        .collect();
    let prepared = Titles::new(titles.iter().map(String::as_str));
    let mut skipped = 0;
    for letter in ('a'..='z').chain('A'..='Z') {
        let m = Matcher::new(&letter.to_string());
        skipped += assert_pinyin_skips_change_nothing(&m, &titles, &prepared, |row, plain| {
            plain.is_some() && m.ends[0].is_some_and(|ends| row.initials & ends.first_initial == 0)
        });
    }
    assert!(
        skipped > 1000,
        "only {skipped} skipped: the test compares little"
    );
}

#[test]
fn an_escaped_space_joins_a_term_next_to_chinese_characters() {
    // nucleo-matcher 0.3.1 kept the backslash in a needle that is not ASCII.
    let titles = Titles::new(["用 Rust 写一个 grep：入门", "Rust写作"]);
    for query in ["rust\\ 写", "一个\\ grep", "^用\\ rust"] {
        let found: Vec<usize> = Matcher::new(query)
            .rank_titles(&titles)
            .iter()
            .map(|m| m.index)
            .collect();
        assert!(found.contains(&0), "{query}: {found:?}");
    }
    let found = Matcher::new("!rust\\ 写").rank_titles(&titles);
    assert_eq!(found.iter().map(|m| m.index).collect::<Vec<_>>(), [1]);
}

#[test]
fn ascii_terms_score_through_the_stand_in_as_nucleo_scores_the_title() {
    let mut rng = crate::archive::synth::Rng::new(11);
    let mut titles: Vec<String> = (0..3000)
        .map(|_| crate::archive::synth::title(&mut rng))
        .collect();
    titles.extend([
        "Café 与 rust".into(),
        "Ｒｕｓｔ 全角".into(),
        "（Ru）：数据".into(),
    ]);
    let prepared = Titles::new(titles.iter().map(String::as_str));
    let mut through_stand_in = 0;
    for query in ["ru", "Rust", "RU", "st", "rs", "ab", "xyz", "e1", "r-u"] {
        let m = Matcher::new(query);
        assert!(m.stand_ins[0].is_some(), "{query}");
        let mut scratch = Scratch::new();
        for (index, title) in titles.iter().enumerate() {
            let mut buffer = Vec::new();
            let item = prepared.text(index, &mut buffer);
            let got = m.score_kept_atom(0, prepared.kept(index), &mut scratch);
            let atom = &m.pattern.atoms[0];
            let expected = atom
                .score(item, &mut scratch.engine)
                .map(|score| score + m.prefix_bonus(0, item));
            assert_eq!(got, expected, "{query:?} in {title:?}");
            through_stand_in += usize::from(matches!(item, Utf32Str::Unicode(_)));
        }
    }
    assert!(through_stand_in > 10_000, "{through_stand_in}");
}

#[test]
fn the_counting_sort_orders_as_a_stable_sort() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for len in [0, 1, 63, 64, 65, 1000, 20_000] {
        for spread in [1, 7, 300, 70_000] {
            let matches: Vec<Match> = (0..len)
                .map(|index| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    Match {
                        index,
                        score: (state % spread) as u32,
                    }
                })
                .collect();
            let mut expected = matches.clone();
            expected.sort_by_key(|m| std::cmp::Reverse(m.score));
            assert_eq!(
                best_first(matches),
                expected,
                "{len} matches, scores below {spread}"
            );
        }
    }
}

#[test]
fn pinyin_scores_skipped_by_the_ends_check_are_the_scores_it_would_give() {
    // Titles that cannot start or end a term by pinyin skip the pinyin score: the same
    // scores as computing it everywhere.
    let mut rng = crate::archive::synth::Rng::new(9);
    let mut titles: Vec<String> = (0..3000)
        .map(|_| crate::archive::synth::title(&mut rng))
        .collect();
    titles.extend(
        [
            "绿色女性略读",
            "旅行 nv 与 lv",
            "Lv 绿",
            "北京大学",
            "云原生：喷墨打印机简史",
            "r如u",
        ]
        .map(String::from),
    );
    let prepared = Titles::new(titles.iter().map(String::as_str));
    let mut skipped = 0;
    for query in [
        "ru", "rust", "Ru", "bjdx", "beijing", "sh", "zhong", "xy", "lv", "lu", "nv", "lve", "lue",
        "lü", "lüe", "ymd", "pmdy", "wx暂停", "r如", "数据k", "e1",
    ] {
        let m = Matcher::new(query);
        skipped += assert_pinyin_skips_change_nothing(&m, &titles, &prepared, |row, _| {
            m.may_match_pinyin(row.pinyin_mask)
                && m.ends[0].is_some_and(|ends| !ends.may_match(row))
        });
    }
    assert!(
        skipped > 2000,
        "only {skipped} skipped: the test compares little"
    );
}

#[test]
fn titles_prepared_in_pieces_and_joined_rank_as_titles_prepared_whole() {
    let mut rng = crate::archive::synth::Rng::new(13);
    let given: Vec<(String, Option<String>)> = (0..20_000)
        .map(|i| {
            let title = crate::archive::synth::title(&mut rng);
            let original = (i % 3 != 0).then(|| crate::archive::synth::original_title(&mut rng));
            (title, original)
        })
        .collect();
    let whole = Titles::with_originals(given.iter().map(|(t, o)| (t.as_str(), o.as_deref())));
    // Three arrivals of different sizes, the later ones joined to titles already prepared.
    let push = |titles: &mut Titles, (title, original): &(String, Option<String>)| {
        titles.push_with(title, original.as_deref());
    };
    let mut joined = Titles::default();
    joined.extend_in_parallel(&given[..100], push);
    joined.extend_in_parallel(&given[100..12_000], push);
    joined.extend_in_parallel(&given[12_000..], push);
    assert_eq!(joined.len(), whole.len());
    for query in [
        "r",
        "ru",
        "bjdx",
        "数据",
        "rust 数据",
        "!r",
        "'rust",
        "yys",
        "Data",
    ] {
        let m = Matcher::new(query);
        // Not assert_eq: the lists are long.
        assert!(m.rank_titles(&joined) == m.rank_titles(&whole), "{query}");
    }
}

#[test]
fn a_title_too_long_for_nucleos_matrix_of_chars_scores_as_nucleo_scores_it() {
    // nucleo scores a match range of 9,000 chars greedily (its matrix of chars is full), where
    // its matrix of bytes would still hold the range: the stand-in must not be used there.
    let title = format!("a中b{} ab", "中".repeat(9000));
    let m = Matcher::new("ab");
    let prepared = Titles::new([title.as_str()]);
    let mut buffer = Vec::new();
    let item = prepared.text(0, &mut buffer);
    let mut scratch = Scratch::new();
    let got = m.score_kept_atom(0, prepared.kept(0), &mut scratch);
    let expected = m.pattern.atoms[0]
        .score(item, &mut scratch.engine)
        .map(|score| score + m.prefix_bonus(0, item));
    assert_eq!(got, expected);
}

#[test]
fn a_term_typed_with_u_umlaut_finds_its_syllables() {
    // 绿 reads lü and 略 lüe: typed with ü as written, with v or with u, they are found.
    let titles = ["绿色", "略读", "茶"];
    for query in ["lü", "lv", "lu", "lüe", "lve", "lue", "lüs"] {
        let found = ranked(query, &titles);
        assert!(!found.is_empty(), "{query}: nothing found");
    }
    assert_eq!(ranked("lüs", &titles), [0]);
    assert_eq!(ranked("lüe", &titles), [1]);
}

#[test]
fn titles_with_chars_beyond_the_basic_plane_rank_as_nucleo_ranks_them() {
    // Kept apart from the titles held as UTF-16 (an ideograph of extension B, an emoji, a
    // mathematical letter), in one list with them, joined from pieces too.
    let titles = [
        "𠀀数据 Rust",
        "数据 Rust",
        "😀 rust 表情",
        "𝐑ust 数学",
        "数𠀀据",
        "plain rust",
        "数据𠀀",
    ];
    let mut joined = Titles::default();
    let push = |prepared: &mut Titles, title: &&str| prepared.push(title);
    joined.extend_in_parallel(&titles[..3], push);
    joined.extend_in_parallel(&titles[3..], push);
    for query in [
        "数据", "𠀀", "rust", "'rust", "😀", "数据$", "!𠀀", "^数", "r 数",
    ] {
        let m = Matcher::new(query);
        let expected = unmasked(&m, &titles);
        assert_eq!(
            indices(&m.rank_titles(&Titles::new(titles))),
            expected,
            "{query}"
        );
        assert_eq!(indices(&m.rank_titles(&joined)), expected, "{query} joined");
    }
    assert_eq!(ranked("𠀀", &titles), [0, 4, 6]);
}

#[test]
fn a_subset_given_best_first_ranks_like_the_whole_on_generated_titles() {
    // The previous query's matches come best first: ties must still keep the titles' order.
    let mut rng = crate::archive::synth::Rng::new(17);
    let titles: Vec<String> = (0..5000)
        .map(|_| crate::archive::synth::title(&mut rng))
        .collect();
    let prepared = Titles::new(titles.iter().map(String::as_str));
    for (earlier, later) in [("r", "ru"), ("ru", "rus"), ("s", "sj"), ("数", "数据")] {
        let previous: Vec<usize> = indices(&Matcher::new(earlier).rank_titles(&prepared));
        let m = Matcher::new(later);
        assert!(
            m.rank_subset(&prepared, &previous) == m.rank_titles(&prepared),
            "{later} after {earlier}"
        );
    }
}
