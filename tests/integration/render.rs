//! The screens a user sees, drawn on ratatui's `TestBackend`: each test asserts the text (and,
//! for highlights, the style) of the cells, not only that drawing succeeded.

use folio::find::titles::Titles;
use std::path::{Path, PathBuf};

use folio::archive::library::Library;
use folio::tui::app::{Action, App, Effect};
use folio::tui::{ranker, theme, view::Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-articles")
}

/// An interface on the archive at `dir`, indexing over, with `query` typed.
fn app_on(dir: &Path, query: &str) -> App {
    let library = Library::load(dir).expect("archive");
    let mut app = App::new(dir, "", false);
    apply(&mut app, Action::Finished(library));
    for c in query.chars() {
        apply(&mut app, Action::Type(c));
    }
    app
}

/// Applies `action`, running any ranking it asks for at once, as the worker would.
fn apply(app: &mut App, action: Action) {
    if let Effect::Rank(request) = app.update(action) {
        let titles = Titles::new(app.articles.iter().map(|a| a.title()));
        let ranked = ranker::rank(&titles, &request, || false, |_| {}).expect("not cancelled");
        app.update(Action::Ranked(ranked));
    }
}

/// A test terminal of this size with `app` drawn on it.
fn drawn(app: &mut App, screen: &mut Screen, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| screen.draw(frame, app)).unwrap();
    terminal
}

/// The rows of the screen as text, a wide glyph once (not followed by its second cell).
fn rows(buffer: &Buffer) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0;
            while x < area.width {
                let symbol = buffer[(x, y)].symbol();
                row.push_str(symbol);
                x += (symbol.width() as u16).max(1);
            }
            row
        })
        .collect()
}

/// The columns of a row's text in `region` (as `rows` gives it) where `needle` starts.
fn column_of(row: &str, needle: &str) -> u16 {
    let at = row
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in {row:?}"));
    row[..at].width() as u16
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    rows(terminal.backend().buffer()).join("\n")
}

#[test]
fn the_list_narrows_to_the_query_and_highlights_matched_characters() {
    let mut app = app_on(&samples(), "潮汐");
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let buffer = terminal.backend().buffer();
    let rows = rows(buffer);
    assert!(rows[0].starts_with("> 潮汐"), "{}", rows[0]);
    assert!(rows[0].contains(" 1/17"), "{}", rows[0]);
    assert!(rows[1].starts_with("> 河口的潮汐"), "{}", rows[1]);
    assert_eq!(
        rows[2].split('│').next().unwrap().trim(),
        "",
        "one row: {}",
        rows[2]
    );
    // "河口的" takes columns 2..8; the matched 潮 and 汐 are at 8 and 10.
    for (x, symbol, matched) in [
        (2, "河", false),
        (6, "的", false),
        (8, "潮", true),
        (10, "汐", true),
    ] {
        let cell = &buffer[(x, 1)];
        assert_eq!(cell.symbol(), symbol, "column {x}");
        assert_eq!(
            cell.fg == theme::MATCHED.fg.unwrap(),
            matched,
            "column {x}: {cell:?}"
        );
        assert_eq!(
            cell.bg,
            theme::SELECTED.bg.unwrap(),
            "the selected row's background"
        );
    }
}

#[test]
fn mixed_latin_and_chinese_matches_are_highlighted_where_they_are_drawn() {
    let mut app = app_on(&samples(), "rust 排版");
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let buffer = terminal.backend().buffer();
    let rows = rows(buffer);
    assert!(rows[0].contains(" 1/17"), "{}", rows[0]);
    // A 40-column list gives the title the whole row (no date, no category).
    let list = rows[1].split('│').next().unwrap();
    assert_eq!(list.trim_end(), "> 用 Rust 做中文排版的几点体会", "{list}");
    let r = column_of(&rows[1], "Rust");
    let pai = column_of(&rows[1], "排版");
    assert_eq!((r, pai), (5, 16));
    let matched = |x: u16| buffer[(x, 1)].fg == theme::MATCHED.fg.unwrap();
    assert!((r..r + 4).all(matched), "Rust highlighted");
    assert!(matched(pai) && matched(pai + 2), "排版 highlighted");
    assert!(!matched(2) && !matched(pai - 2), "用 and 文 are not");
}

#[test]
fn an_empty_query_lists_every_title_in_the_default_order() {
    let mut app = app_on(&samples(), "");
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let rows = rows(terminal.backend().buffer());
    assert!(rows[0].contains(" 17/17"));
    assert!(
        rows[1].starts_with("> 江上渡口：一条河流的慢时光"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].starts_with("  茶与水：泡一杯茶，要先找水"),
        "{}",
        rows[2]
    );
    assert!(
        rows[19].starts_with(" Enter read · Esc quit · F1 keys"),
        "{}",
        rows[19]
    );
}

#[test]
fn the_reading_pane_shows_the_seed_article() {
    let Some(seed) = crate::common::shared("seed/000_fbd974c81cc069e5.md")
        .and_then(|file| file.parent().map(Path::to_path_buf))
    else {
        return;
    };
    let mut app = app_on(&seed, "");
    let mut screen = Screen::new();
    // The preview beside the list, while browsing.
    let terminal = drawn(&mut app, &mut screen, 120, 30);
    let rows = rows(terminal.backend().buffer());
    // The list takes 48 columns; the reading pane's text starts after its border and margin.
    let pane: Vec<&str> = rows
        .iter()
        .map(|r| r.split_once('│').map_or("", |(_, right)| right))
        .collect();
    assert!(
        rows[1].starts_with("> 微信暂停新用户注册，官方紧急回应！"),
        "{}",
        rows[1]
    );
    assert_eq!(pane[0].trim_end(), " 微信暂停新用户注册，官方紧急回应！");
    assert!(
        pane[1]
            .trim_start()
            .starts_with("http://mp.weixin.qq.com/s?__biz="),
        "{}",
        pane[1]
    );
    assert!(
        pane[1].trim_end().ends_with('…'),
        "a long URL is cut: {}",
        pane[1]
    );
    let body = pane[3..29].join("\n");
    // The title heading and the source quote are said in the header, not again.
    assert!(!body.contains("# 微信暂停新用户注册"), "{body}");
    assert!(!body.contains("mp.weixin.qq.com/s?__biz="), "{body}");
    assert!(
        body.contains("近日，有网友反应：微信个人账号的新用户注册入口已经关闭，"),
        "{body}"
    );
    // Every line of the pane fits it: nothing spills over the right edge.
    for row in &rows[..29] {
        assert!(row.width() <= 120, "{row}");
    }
    assert!(rows[29].starts_with(" Enter read"), "{}", rows[29]);
    assert!(rows[29].trim_end().ends_with('%'), "{}", rows[29]);
}

#[test]
fn the_reading_pane_scrolls_a_sample_article() {
    let mut app = app_on(&samples(), "潮汐");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    let first = screen_text(&drawn(&mut app, &mut screen, 100, 10));
    // The article has the screen: its header on the first row, no list.
    assert!(first.starts_with(" 河口的潮汐"), "{first}");
    assert!(
        !first.contains('│') || !first.lines().next().unwrap().contains('│'),
        "{first}"
    );
    assert!(
        first.contains("https://example.org/rivers/estuary-tides"),
        "{first}"
    );
    assert!(first.contains("河流在入海之前"), "{first}");
    let top_percent = app.reading_percent();
    assert!(top_percent < 100);
    apply(&mut app, Action::ScrollPage(1));
    let paged = screen_text(&drawn(&mut app, &mut screen, 100, 10));
    assert!(!paged.contains("河流在入海之前"), "{paged}");
    assert!(app.reading_percent() > top_percent);
    apply(&mut app, Action::Bottom);
    let end = drawn(&mut app, &mut screen, 100, 10);
    assert!(rows(end.backend().buffer())[9].trim_end().ends_with("100%"));
    apply(&mut app, Action::Top);
    assert_eq!(screen_text(&drawn(&mut app, &mut screen, 100, 10)), first);
}

#[test]
fn a_narrow_terminal_stacks_the_reading_pane_under_the_list() {
    let mut app = app_on(&samples(), "");
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, 40, 12);
    let rows = rows(terminal.backend().buffer());
    let expected_top = [
        ">                                  17/17",
        "> 江上渡口：一条河流的慢时光           ",
        "  茶与水：泡一杯茶，要先找水           ",
        "  Notes on Setting Type for Screens    ",
        "────────────────────────────────────────",
        " 江上渡口：一条河流的慢时光            ",
    ];
    for (row, expected) in rows.iter().zip(expected_top) {
        assert_eq!(row.trim_end(), expected.trim_end());
    }
    assert!(
        rows[6].starts_with(" https://example.com/essays/"),
        "{}",
        rows[6]
    );
    assert!(rows[6].trim_end().ends_with('…'), "{}", rows[6]);
    assert!(
        rows[11].starts_with(" Enter read · Esc quit · F1 keys"),
        "{}",
        rows[11]
    );
    for row in &rows {
        assert!(row.width() <= 40, "{row}");
    }
}

#[test]
fn chinese_titles_are_cut_at_the_edge_never_through_a_glyph() {
    let dir = tempfile::tempdir().unwrap();
    let title = "这是一个非常非常长的中文标题用来看截断是否正确处理宽字符的边界";
    std::fs::write(dir.path().join("long.md"), format!("# {title}\n\n正文。\n")).unwrap();
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    // 40 columns: 2 for the marker, 38 for the title: 18 glyphs and `…` (37), one cell blank.
    let terminal = drawn(&mut app, &mut screen, 40, 12);
    let buffer = terminal.backend().buffer();
    assert_eq!(
        rows(buffer)[1],
        format!("> {}… ", title.chars().take(18).collect::<String>())
    );
    assert_eq!(buffer[(38, 1)].symbol(), "…");
    assert_eq!(buffer[(39, 1)].symbol(), " ");
    // 41 columns: 39 for the title: 19 glyphs and `…`, exactly full.
    let terminal = drawn(&mut app, &mut screen, 41, 12);
    let row = rows(terminal.backend().buffer())[1].clone();
    assert_eq!(
        row,
        format!("> {}…", title.chars().take(19).collect::<String>())
    );
    // The header above the article is cut the same way.
    let header = rows(terminal.backend().buffer())[5].clone();
    assert_eq!(
        header.trim_end(),
        format!(" {}…", title.chars().take(19).collect::<String>())
    );
}

#[test]
fn a_resize_lays_the_screen_out_again() {
    let mut app = app_on(&samples(), "");
    let mut screen = Screen::new();
    apply(&mut app, Action::Move(15));
    let mut terminal = drawn(&mut app, &mut screen, 120, 24);
    let wide = rows(terminal.backend().buffer());
    assert!(wide[0].contains('│'), "side by side: {}", wide[0]);
    terminal.backend_mut().resize(50, 14);
    terminal.draw(|frame| screen.draw(frame, &mut app)).unwrap();
    let narrow = rows(terminal.backend().buffer());
    assert_eq!(narrow.len(), 14);
    assert!(!narrow[0].contains('│'), "stacked: {}", narrow[0]);
    assert!(
        narrow.iter().any(|r| r.starts_with("─────")),
        "a rule between the panes"
    );
    // The selected row (the 16th title) is still on screen, and marked.
    let selected = narrow
        .iter()
        .find(|r| r.starts_with("> ") && !r.starts_with(">  "))
        .unwrap();
    assert!(selected.contains("清晨的编辑器"), "{selected}");
    for row in &narrow {
        assert!(row.width() <= 50, "{row}");
    }
}

#[test]
fn the_help_window_lists_the_keys() {
    let mut app = app_on(&samples(), "");
    let mut screen = Screen::new();
    apply(&mut app, Action::ToggleHelp);
    // Every page of the help: it scrolls where the screen is too short for it.
    let mut text = String::new();
    for _ in 0..folio::tui::keymap::help_lines() {
        text.push_str(&screen_text(&drawn(&mut app, &mut screen, 100, 30)));
        apply(&mut app, Action::Move(1));
    }
    for wanted in [
        "Keys",
        "C-w C-u C-k",
        "] [",
        "next, previous article",
        "F2",
        "C-c",
    ] {
        assert!(text.contains(wanted), "{wanted} in\n{text}");
    }
    apply(&mut app, Action::CloseOverlay);
    assert!(!screen_text(&drawn(&mut app, &mut screen, 100, 30)).contains("Keys"));
}

#[test]
fn skipped_files_show_as_a_count_and_a_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), "# 好文章\n").unwrap();
    std::fs::write(dir.path().join("empty.md"), "").unwrap();
    std::fs::write(dir.path().join("latin1.md"), b"# caf\xe9\n").unwrap();
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 12));
    assert!(text.contains("2 skipped (F2)"), "{text}");
    apply(&mut app, Action::ToggleSkipped);
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 12));
    assert!(text.contains("2 files skipped"), "{text}");
    assert!(text.contains("empty.md: empty file"), "{text}");
    let reason = format!("latin1.md: {}", folio::archive::read::NOT_TEXT);
    assert!(text.contains(&reason), "{text}");
}

#[test]
fn titles_with_escape_sequences_are_drawn_harmless() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.md"), "# red \x1b[31malert\x07\n").unwrap();
    let mut app = app_on(dir.path(), "alert");
    let mut screen = Screen::new();
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 10));
    assert!(text.contains("> red ␛[31malert␇"), "{text}");
    assert!(!text.contains('\x1b'));
}

#[test]
fn pinyin_matches_are_highlighted_on_the_characters_they_took() {
    let mut app = app_on(&samples(), "shikebiao");
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let buffer = terminal.backend().buffer();
    let rows = rows(buffer);
    assert!(rows[1].starts_with("> 读一张列车时刻表"), "{}", rows[1]);
    // 读一张列车 take columns 2..12; 时刻表 (shi ke biao) are at 12, 14 and 16.
    for (x, symbol, matched) in [
        (10, "车", false),
        (12, "时", true),
        (14, "刻", true),
        (16, "表", true),
    ] {
        let cell = &buffer[(x, 1)];
        assert_eq!(cell.symbol(), symbol, "column {x}");
        assert_eq!(cell.fg == theme::MATCHED.fg.unwrap(), matched, "column {x}");
    }
}

/// The rust-typesetting sample, open in the reading pane of a 100×20 screen.
fn reading_rust_article() -> (App, Screen) {
    let mut app = app_on(&samples(), "rust 排版");
    app.update(Action::Enter);
    let mut screen = Screen::new();
    drawn(&mut app, &mut screen, 100, 20);
    (app, screen)
}

#[test]
fn search_in_the_article_highlights_hits_and_cycles_with_n() {
    let (mut app, mut screen) = reading_rust_article();
    app.update(Action::SearchStart);
    for c in "宽度".chars() {
        app.update(Action::SearchType(c));
    }
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    assert!(screen_text(&terminal).contains("/宽度"), "the prompt shows");
    app.update(Action::SearchCommit);
    let total = app.search.hits.len();
    assert!(total >= 2, "{total} hits");
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let buffer = terminal.backend().buffer();
    let rows = rows(buffer);
    assert!(rows[19].contains(&format!("1/{total}")), "{}", rows[19]);
    // Every hit on screen is highlighted where its characters are drawn, and only there.
    // The article has the screen: its text starts after a column of margin.
    let mut seen = 0;
    for (y, row) in rows.iter().enumerate().take(19).skip(1) {
        let text = row.as_str();
        if let Some(at) = text.find("宽度") {
            let x = text[..at].width() as u16;
            // (A wide glyph's second cell is never sent to the terminal: only its first counts.)
            for dx in [0, 2] {
                let cell = &buffer[(x + dx, y as u16)];
                assert!(
                    cell.bg == theme::SEARCH_HIT.bg.unwrap()
                        || cell.bg == theme::SEARCH_CURRENT.bg.unwrap(),
                    "row {y} column {}: {cell:?} {row:?} {:?}",
                    x + dx,
                    app.search.hits
                );
            }
            assert_ne!(buffer[(x - 1, y as u16)].bg, theme::SEARCH_HIT.bg.unwrap());
            seen += 1;
        }
    }
    assert!(seen >= 1, "a hit on screen:\n{}", rows.join("\n"));
    // n goes forward and wraps to the first; N from the first wraps to the last.
    for _ in 0..total {
        app.update(Action::SearchNext(1));
    }
    assert_eq!(app.search.current, Some(0));
    app.update(Action::SearchNext(-1));
    assert_eq!(app.search.current, Some(total - 1));
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    assert!(
        screen_text(&terminal).contains(&format!("{total}/{total}")),
        "{}",
        screen_text(&terminal)
    );
    // The hit jumped to is in the middle of the pane (or as near as the end allows).
    let hit = app.search.hits[total - 1].clone();
    assert!(hit.line() >= app.reading_scroll && hit.line() < app.reading_scroll + app.reading_rows);
    // Smart case: an upper-case letter matches case exactly.
    app.update(Action::SearchStart);
    for c in "RUST".chars() {
        app.update(Action::SearchType(c));
    }
    app.update(Action::SearchCommit);
    assert!(app.search.hits.is_empty());
}

#[test]
fn the_outline_lists_headings_and_enter_jumps_to_one() {
    let (mut app, mut screen) = reading_rust_article();
    app.update(Action::Outline);
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let text = screen_text(&terminal);
    for heading in ["先数清楚宽度", "不要在标点前面断行", "小结"] {
        assert!(text.contains(heading), "{text}");
    }
    app.update(Action::Move(1));
    app.update(Action::Enter);
    assert_eq!(app.overlay, None);
    let layout = app.layout.clone().unwrap();
    let line = layout.headings[1].line;
    assert_eq!(
        app.reading_scroll,
        line.min(app.reading_lines - app.reading_rows)
    );
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    assert!(screen_text(&terminal).contains("## 不要在标点前面断行"));
}

#[test]
fn the_links_list_opens_or_copies_a_link() {
    let (mut app, mut screen) = reading_rust_article();
    app.update(Action::Links);
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let url = "https://example.org/rust/cjk-typesetting-notes";
    // The source, folded into the header, has no `[n]` in the text: listed by its URL alone.
    let text = screen_text(&terminal);
    assert!(text.contains(&format!("│    {url}")), "{text}");
    assert!(!text.contains("[1]"), "{text}");
    assert_eq!(app.update(Action::Enter), Effect::Open(url.into()));
    assert_eq!(app.update(Action::Yank), Effect::Copy(url.into()));
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    assert!(screen_text(&terminal).contains("copied https://example.org"));
}

#[test]
fn ambiguous_characters_take_two_cells_when_asked_at_40_columns() {
    use folio::render::width::AmbiWidth;
    use folio::tui::view::Look;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("q.md"),
        "# “引号”标题\n\n他说：“省略号……占两格。”\n",
    )
    .unwrap();
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::with_look(Look {
        ambi: AmbiWidth::Double,
        ..Look::default()
    });
    let terminal = drawn(&mut app, &mut screen, 40, 16);
    let buffer = terminal.backend().buffer();
    // The list row: “ at column 2 has two cells, so 引 starts at 4.
    assert_eq!(buffer[(2, 1)].symbol(), "“");
    assert_eq!(buffer[(4, 1)].symbol(), "引");
    assert_eq!(buffer[(8, 1)].symbol(), "”");
    assert_eq!(buffer[(10, 1)].symbol(), "标");
    let text = rows(buffer).join("\n");
    assert!(text.contains("省略号"), "{text}");
    // Ambiguous glyphs outside the laid-out text (the pane's border, the rule) are drawn
    // narrow, so that nothing after them moves.
    assert!(!text.contains('─'), "{text}");
    assert!(text.contains("-----"), "{text}");
    let mut single = Screen::new();
    let terminal = drawn(&mut app, &mut single, 40, 16);
    assert_eq!(terminal.backend().buffer()[(3, 1)].symbol(), "引");
}

#[test]
fn the_interface_lists_in_the_sort_order_asked() {
    use folio::archive::order::{SortKey, sort_articles};
    let mut library = Library::load(&samples()).expect("archive");
    sort_articles(&mut library.articles, SortKey::Title);
    let mut app = App::new(&samples(), "", false);
    apply(&mut app, Action::Finished(library));
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let rows = rows(terminal.backend().buffer());
    assert!(
        rows[1].starts_with("> Notes on Setting Type"),
        "{}",
        rows[1]
    );
}

#[test]
fn no_color_draws_emphasis_only_and_keeps_the_selection_visible() {
    use folio::tui::view::Look;
    let mut app = app_on(&samples(), "潮汐");
    let mut screen = Screen::with_look(Look {
        no_color: true,
        ..Look::default()
    });
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let buffer = terminal.backend().buffer();
    for cell in &buffer.content {
        assert_eq!(
            (cell.fg, cell.bg),
            (ratatui::style::Color::Reset, ratatui::style::Color::Reset)
        );
    }
    assert!(
        buffer[(4, 1)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn a_hit_the_wrap_splits_is_found_and_highlighted_on_both_lines() {
    let mut split_seen = 0;
    for width in 80..=130u16 {
        let mut app = app_on(&samples(), "渡口");
        app.update(Action::Enter);
        let mut screen = Screen::new();
        drawn(&mut app, &mut screen, width, 24);
        app.update(Action::SearchStart);
        for c in "二十多公里".chars() {
            app.update(Action::SearchType(c));
        }
        app.update(Action::SearchCommit);
        assert_eq!(app.search.hits.len(), 1, "at {width} columns");
        let terminal = drawn(&mut app, &mut screen, width, 24);
        let buffer = terminal.backend().buffer();
        let hit = &app.search.hits[0];
        // n scrolled to it: each of its pieces is on screen, highlighted.
        for piece in &hit.pieces {
            assert!(
                piece.line >= app.reading_scroll
                    && piece.line < app.reading_scroll + app.reading_rows,
                "at {width} columns: {hit:?} scrolled to {}",
                app.reading_scroll
            );
            let highlighted = (0..width)
                .any(|x| (0..24).any(|y| buffer[(x, y)].bg == theme::SEARCH_CURRENT.bg.unwrap()));
            assert!(highlighted, "at {width} columns");
        }
        if hit.pieces.len() == 2 {
            split_seen += 1;
            let rows_with_hit: Vec<u16> = (0..24)
                .filter(|&y| {
                    (0..width).any(|x| buffer[(x, y)].bg == theme::SEARCH_CURRENT.bg.unwrap())
                })
                .collect();
            assert_eq!(
                rows_with_hit.len(),
                2,
                "both lines marked at {width} columns"
            );
        }
    }
    assert!(split_seen > 0, "some width splits the phrase");
}

/// The box an overlay draws: the columns of its left and right borders, its first and last
/// rows. Found from its right side (the left may be what is broken): the corners `┐` `┘`,
/// then the bottom border leftwards.
fn overlay_edges(buffer: &Buffer) -> (u16, u16, u16, u16) {
    let area = buffer.area;
    for y in 0..area.height {
        for x in (0..area.width).rev() {
            if buffer[(x, y)].symbol() == "┐" {
                let bottom = (y + 1..area.height)
                    .find(|&b| buffer[(x, b)].symbol() == "┘")
                    .expect("bottom right corner");
                let mut left = x - 1;
                while left > 0 && buffer[(left, bottom)].symbol() == "─" {
                    left -= 1;
                }
                return (left, x, y, bottom);
            }
        }
    }
    panic!("no overlay on screen:\n{}", rows(buffer).join("\n"));
}

#[test]
fn overlays_keep_their_borders_over_wide_characters() {
    let dir = tempfile::tempdir().unwrap();
    // Titles of ideographs starting at even and odd columns, so that every overlay's left
    // and right edges fall in the middle of some wide character below them.
    for i in 0..30 {
        let pad = "a".repeat(i % 3);
        let body = format!(
            "# {pad}渡口的石阶一共三十六级涨水的时候淹掉一半枯水的时候又全部露出来{i}\n\n\
             ## 第一节\n\n{pad}小镇在江的北岸，镇上的人去南岸办事，向来不走大桥，而是坐渡船，\
             大桥在下游二十多公里的地方，开车要绕四十分钟。[链接](https://example.com/{i})\n\n\
             ## 第二节\n\n台阶缝里长着一层薄薄的青苔，摆渡的老周说，看青苔长到哪一级。\n"
        );
        std::fs::write(dir.path().join(format!("{i:02}.md")), body).unwrap();
    }
    std::fs::write(dir.path().join("empty.md"), "").unwrap();
    std::fs::write(dir.path().join("latin1.md"), b"# caf\xe9\n").unwrap();
    let overlays = [
        Action::Outline,
        Action::Links,
        Action::ToggleHelp,
        Action::ToggleSkipped,
    ];
    for overlay in overlays {
        let name = format!("{overlay:?}");
        let mut app = app_on(dir.path(), "");
        app.update(Action::Enter);
        let mut screen = Screen::new();
        // Two frames, as the terminal gets them: the panes, then the overlay over them.
        let mut terminal = drawn(&mut app, &mut screen, 100, 30);
        apply(&mut app, overlay);
        terminal.draw(|frame| screen.draw(frame, &mut app)).unwrap();
        let buffer = terminal.backend().buffer();
        let (left, right, top, bottom) = overlay_edges(buffer);
        let text = rows(buffer).join("\n");
        for y in top..=bottom {
            for (x, glyphs) in [(left, ["┌", "│", "└"]), (right, ["┐", "│", "┘"])] {
                let symbol = buffer[(x, y)].symbol();
                assert!(
                    glyphs.contains(&symbol),
                    "{name}: row {y} column {x} is {symbol:?}:\n{text}"
                );
                // A wide glyph just left of the edge would cover it on the terminal.
                assert!(
                    x == 0 || buffer[(x - 1, y)].symbol().width() < 2,
                    "{name}: row {y}: a wide glyph over the border at {x}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn the_status_line_says_each_part_once_and_names_the_search_term() {
    let (mut app, mut screen) = reading_rust_article();
    app.update(Action::SearchStart);
    for c in "宽度".chars() {
        app.update(Action::SearchType(c));
    }
    app.update(Action::SearchCommit);
    let total = app.search.hits.len();
    let status = rows(drawn(&mut app, &mut screen, 100, 20).backend().buffer())[19].clone();
    assert!(status.contains(&format!("1/{total} · ")), "{status}");
    assert!(!status.contains("·  ·"), "a doubled separator: {status}");
    // `]`: the next article; the term is still searched, and named.
    apply(&mut app, Action::NextArticle(1));
    let status = rows(drawn(&mut app, &mut screen, 100, 20).backend().buffer())[19].clone();
    assert!(!status.contains("-/"), "{status}");
    assert!(status.contains("/宽度"), "the term is named: {status}");
    assert!(!status.contains("·  ·"), "a doubled separator: {status}");
}

#[test]
fn the_skipped_list_shows_each_reason_in_full_and_stops_at_its_last_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), "# 好文章\n").unwrap();
    let deep = "a-folder-with-a-rather-long-name/and-another-one-below-it/and-a-third";
    std::fs::create_dir_all(dir.path().join(deep)).unwrap();
    for i in 0..20 {
        std::fs::write(
            dir.path().join(format!("{deep}/latin1-{i:02}.md")),
            b"# caf\xe9\n",
        )
        .unwrap();
    }
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    apply(&mut app, Action::ToggleSkipped);
    let text = screen_text(&drawn(&mut app, &mut screen, 80, 16));
    // The first entry's reason, wrapped onto the next row rather than cut.
    let joined: String = text.lines().map(|l| l.trim_matches([' ', '│'])).collect();
    let reason = folio::archive::read::NOT_TEXT.replace(' ', "");
    assert!(joined.replace(' ', "").contains(&reason), "{text}");
    assert!(!text.contains('…'), "nothing cut: {text}");
    // Scrolling far down stops with the last entry on the box's last row, the box full.
    for _ in 0..50 {
        apply(&mut app, Action::Move(1));
    }
    let rows = rows(drawn(&mut app, &mut screen, 80, 16).backend().buffer());
    let bottom = rows.iter().rposition(|r| r.contains('└')).unwrap();
    let last_text = rows[bottom - 1].trim_matches([' ', '│']).to_string();
    assert!(!last_text.is_empty(), "{rows:#?}");
    let box_rows: Vec<&String> = rows
        .iter()
        .filter(|r| r.contains("│ ") || r.contains("latin1"))
        .collect();
    assert!(
        box_rows.iter().any(|r| r.contains("latin1-19")),
        "the last entry shows: {rows:#?}"
    );
    assert!(
        rows[bottom - 1].contains("(UTF-8") || rows[bottom - 1].contains("UTF-16)"),
        "the last row ends the last entry: {rows:#?}"
    );
}

#[test]
fn emoji_sequences_are_drawn_in_a_form_every_terminal_measures_alike() {
    let dir = tempfile::tempdir().unwrap();
    let title = "一家人 👨\u{200D}👩\u{200D}👧 与 ❤\u{FE0F} 与 👍\u{1F3FD} 的故事";
    std::fs::write(
        dir.path().join("a.md"),
        format!("# {title}\n\n正文 👨\u{200D}👩\u{200D}👧 ❤\u{FE0F}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("b.md"), "# 另一篇\n\n正文\n").unwrap();
    let mut app = app_on(dir.path(), "");
    app.update(Action::Enter);
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, 100, 12);
    let buffer = terminal.backend().buffer();
    // Nothing whose width terminals disagree on is sent: no joiner, selector or skin tone.
    for y in 0..12 {
        for x in 0..100 {
            let symbol = buffer[(x, y)].symbol();
            assert!(
                !symbol
                    .chars()
                    .any(folio::render::sanitize::is_width_unstable),
                "{symbol:?} at {x},{y}"
            );
        }
    }
    let text = rows(buffer).join("\n");
    assert!(text.contains("👨👩👧"), "{text}");
    // The pane border stands in one column on every row.
    let border: Vec<u16> = (1..11)
        .filter_map(|y| (0..100).find(|&x| buffer[(x, y)].symbol() == "│"))
        .collect();
    assert!(
        border.windows(2).all(|w| w[0] == w[1]),
        "{border:?}\n{text}"
    );
}

#[test]
fn the_article_gets_the_screen_and_esc_goes_back_to_the_list_as_it_was() {
    let mut app = app_on(&samples(), "渡口");
    let mut screen = Screen::new();
    apply(&mut app, Action::Move(0));
    let selected = app.selected_article();
    let browsing = rows(drawn(&mut app, &mut screen, 80, 24).backend().buffer());
    apply(&mut app, Action::Enter);
    let reading = rows(drawn(&mut app, &mut screen, 80, 24).backend().buffer());
    // One header line: the title, then the source (and date, category where there are).
    assert!(reading[0].starts_with(" 江上渡口"), "{}", reading[0]);
    assert!(reading[0].contains("example.com/essays"), "{}", reading[0]);
    // At 80x24 at least 20 rows of text: all but the header and the status line.
    assert_eq!(app.reading_rows, 22);
    let text_rows = reading[1..23]
        .iter()
        .filter(|r| !r.trim().is_empty())
        .count();
    assert!(text_rows >= 15, "{reading:#?}");
    assert!(
        !reading.iter().any(|r| r.starts_with("> 渡口")),
        "the list is hidden"
    );
    // Esc and Backspace (both Action::Back in the key table) go back to the list as it was.
    apply(&mut app, Action::Back);
    let again = rows(drawn(&mut app, &mut screen, 80, 24).backend().buffer());
    assert_eq!(again, browsing, "the list as it was left");
    assert_eq!(app.selected_article(), selected);
}

#[test]
fn the_reader_says_title_metadata_and_source_once() {
    let mut app = app_on(&samples(), "rust 排版");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 24));
    // (The header shows it from its host on where the whole URL does not fit.)
    let source = "example.org/rust/cjk";
    assert_eq!(text.matches(source).count(), 1, "{text}");
    assert_eq!(
        text.matches("用 Rust 做中文排版的几点体会").count(),
        1,
        "{text}"
    );
    assert!(
        !text.contains("title:") && !text.contains("原文："),
        "{text}"
    );
    // The header says them: title, date, category, source.
    let header = text.lines().next().unwrap();
    assert!(
        header.contains("2024-05-27") && header.contains("技术"),
        "{header}"
    );
    // `cat --plain` has no header: it keeps every block.
    let plain = folio::render::wrap::render_plain(
        &std::fs::read_to_string(samples().join("docs/rust-typesetting.md")).unwrap(),
        100,
        folio::render::width::AmbiWidth::Single,
    );
    assert!(plain.contains("title: 用 Rust 做中文排版的几点体会") && plain.contains("原文："));
}

#[test]
fn the_outline_marks_the_section_being_read_and_skips_empty_headings() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("# 长文章\n\n##\n\n## 第一节\n\n");
    for i in 0..40 {
        body.push_str(&format!("第一节第 {i} 段。\n\n"));
    }
    body.push_str("## 第二节\n\n");
    for i in 0..40 {
        body.push_str(&format!("第二节第 {i} 段。\n\n"));
    }
    std::fs::write(dir.path().join("a.md"), body).unwrap();
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    drawn(&mut app, &mut screen, 80, 24);
    apply(&mut app, Action::Bottom);
    apply(&mut app, Action::Outline);
    let text = screen_text(&drawn(&mut app, &mut screen, 80, 24));
    // Level-2 items are indented by two; the current one is marked `>` before the indent.
    assert!(
        text.contains(">   第二节"),
        "the section being read: {text}"
    );
    assert!(text.contains("    第一节"), "{text}");
    assert!(!text.contains(">   第一节"), "{text}");
    // The empty `##` is not an item: the outline holds exactly the two sections.
    let layout = app.layout.as_ref().unwrap();
    let names: Vec<&str> = layout.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(names, ["第一节", "第二节"]);
    // Enter jumps to the section selected: the one being read.
    apply(&mut app, Action::Enter);
    assert!(screen_text(&drawn(&mut app, &mut screen, 80, 24)).contains("第二节"));
}

#[test]
fn the_links_overlay_shows_each_links_text_beside_its_url() {
    let mut app = app_on(&samples(), "setting");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    drawn(&mut app, &mut screen, 120, 30);
    apply(&mut app, Action::Links);
    let text = screen_text(&drawn(&mut app, &mut screen, 120, 30));
    assert!(
        text.contains("Requirements for Chinese Text Layout  https://www.w3.org/TR/clreq/"),
        "{text}"
    );
}

#[test]
fn the_help_lists_every_key_even_on_a_short_screen() {
    let mut app = app_on(&samples(), "rust 排版");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    drawn(&mut app, &mut screen, 80, 24);
    apply(&mut app, Action::ToggleHelp);
    let mut seen = String::new();
    for _ in 0..folio::tui::keymap::help_lines() {
        seen.push_str(&screen_text(&drawn(&mut app, &mut screen, 80, 24)));
        apply(&mut app, Action::Move(1));
    }
    for (_, keys) in folio::tui::keymap::help() {
        for line in keys {
            assert!(
                seen.contains(line.text.as_str()),
                "{:?} never shown",
                line.text
            );
            assert!(
                seen.contains(&format!("{:<20}", line.keys)),
                "{:?}",
                line.keys
            );
        }
    }
    assert!(seen.contains("C-d C-u"), "the less keys");
}

#[test]
fn a_terminal_shrunk_to_one_cell_and_back_during_a_search_loses_nothing() {
    // Issue 15: every size, however small, draws without a panic, and the state survives.
    let mut app = app_on(&samples(), "渡口");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    drawn(&mut app, &mut screen, 100, 30);
    apply(&mut app, Action::SearchStart);
    for c in "渡船".chars() {
        apply(&mut app, Action::SearchType(c));
    }
    apply(&mut app, Action::SearchCommit);
    let before = screen_text(&drawn(&mut app, &mut screen, 100, 30));
    assert!(before.contains("/渡船 1/"), "{before}");
    for overlay in [
        None,
        Some(Action::Outline),
        Some(Action::Links),
        Some(Action::ToggleHelp),
    ] {
        if let Some(open) = overlay {
            apply(&mut app, open);
        }
        for (width, height) in [(1, 1), (2, 1), (1, 3), (3, 2), (0, 0), (7, 4)] {
            drawn(&mut app, &mut screen, width, height);
            apply(&mut app, Action::SearchNext(1));
        }
        apply(&mut app, Action::CloseOverlay);
    }
    let after = screen_text(&drawn(&mut app, &mut screen, 100, 30));
    assert!(after.contains("/渡船"), "the search survives:\n{after}");
    assert!(after.contains("docs/river-ferry.md"), "{after}");
}

#[test]
fn articles_that_change_while_folio_runs_are_read_as_they_are_now() {
    // Issue 15: deleted, rewritten, made unreadable, the whole DIR removed: a message in the
    // pane, never a panic, and the list goes on.
    let dir = tempfile::tempdir().unwrap();
    for (name, title) in [
        ("a.md", "# 甲文章\n"),
        ("b.md", "# 乙文章\n"),
        ("c.md", "# 丙文章\n"),
    ] {
        std::fs::write(dir.path().join(name), title).unwrap();
    }
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    std::fs::remove_file(dir.path().join("a.md")).unwrap();
    std::fs::write(dir.path().join("b.md"), "# 乙文章，改过了\n\n新的正文。\n").unwrap();
    apply(&mut app, Action::Enter);
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 30));
    assert!(text.contains("cannot read a.md"), "{text}");
    apply(&mut app, Action::NextArticle(1));
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 30));
    assert!(
        text.contains("新的正文"),
        "the article as it is now:\n{text}"
    );
    drop(dir);
    apply(&mut app, Action::NextArticle(1));
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 30));
    assert!(text.contains("cannot read c.md"), "{text}");
}

/// A library of the tree `files` (path, date, category), indexing over, and the list drawn at
/// `width` columns (the list pane is 2/5 of it, at most 70): the list's rows.
fn list_rows_of(files: &[(&str, &str, &str)], width: u16) -> Vec<String> {
    let tree = crate::common::Tree::new();
    let tree = files.iter().fold(tree, |tree, (name, date, category)| {
        let title = format!("An article called {name} with a title long enough to be cut short");
        tree.file(
            name,
            format!("---\ndate: {date}\ncategory: {category}\n---\n# {title}\n"),
        )
    });
    let mut app = app_on(tree.path(), "");
    let mut screen = Screen::new();
    let terminal = drawn(&mut app, &mut screen, width, 8);
    // The list ends where the reading pane's border starts.
    rows(terminal.backend().buffer())[1..=files.len()]
        .iter()
        .map(|row| row.split('│').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_column_with_the_same_value_on_every_row_gives_its_room_to_the_titles() {
    // Other times of one day are the same day: the list shows days.
    let same = [
        ("a.md", "2024-05-27 08:00:00", "未分类"),
        ("b.md", "2024-05-27 14:54:03", "未分类"),
        ("c.md", "2024-05-27 23:59:00", "未分类"),
    ];
    for row in list_rows_of(&same, 160) {
        assert!(
            !row.contains("2024") && !row.contains("未分类"),
            "no date, no category: {row}"
        );
        assert!(row.contains("with a title long enough"), "{row}");
    }
}

#[test]
fn a_column_whose_values_differ_is_shown_and_the_other_is_not() {
    let days = [
        ("a.md", "2024-05-27 08:00:00", "未分类"),
        ("b.md", "2024-05-29 14:54:03", "未分类"),
    ];
    let rows = list_rows_of(&days, 160);
    assert!(rows[0].trim_end().ends_with(" 2024-05-27"), "{}", rows[0]);
    assert!(rows[1].trim_end().ends_with(" 2024-05-29"), "{}", rows[1]);
    assert!(rows.iter().all(|row| !row.contains("未分类")), "{rows:?}");
    let categories = [
        ("a.md", "2024-05-27 08:00:00", "技术"),
        ("b.md", "2024-05-27 14:54:03", "交通"),
    ];
    let rows = list_rows_of(&categories, 160);
    assert!(rows[0].trim_end().ends_with("… 技术"), "{}", rows[0]);
    assert!(rows[1].trim_end().ends_with("… 交通"), "{}", rows[1]);
    assert!(rows.iter().all(|row| !row.contains("2024")), "{rows:?}");
}

#[test]
fn under_sixty_columns_the_list_shows_titles_only() {
    let differing = [
        ("a.md", "2024-05-27 08:00:00", "技术"),
        ("b.md", "2023-01-02 14:54:03", "交通"),
    ];
    // 150 columns: a 60-column list shows both; 149: a 59-column list shows neither.
    let wide = list_rows_of(&differing, 150);
    assert!(
        wide[0].trim_end().ends_with(" 2024-05-27 技术"),
        "{}",
        wide[0]
    );
    for row in list_rows_of(&differing, 149) {
        assert!(
            !row.contains("20") && !row.contains("技术") && !row.contains("交通"),
            "{row}"
        );
        assert!(row.contains("with a title long enough"), "{row}");
    }
}

#[test]
fn while_indexing_the_columns_wait_for_every_article_and_then_appear_once() {
    let tree = crate::common::Tree::new()
        .file(
            "a.md",
            "---\ndate: 2024-05-27\ncategory: 技术\n---\n# Alpha\n",
        )
        .file(
            "b.md",
            "---\ndate: 2023-01-02\ncategory: 交通\n---\n# Beta\n",
        );
    let library = Library::load(tree.path()).expect("archive");
    let mut app = App::new(tree.path(), "", false);
    let mut screen = Screen::new();
    // The first batch differs already, and still the rows wait for the end of indexing.
    apply(
        &mut app,
        Action::Indexed(library.articles.clone(), Vec::new()),
    );
    let text = screen_text(&drawn(&mut app, &mut screen, 160, 6));
    assert!(text.contains("Alpha") && !text.contains("技术"), "{text}");
    apply(&mut app, Action::Finished(library));
    let terminal = drawn(&mut app, &mut screen, 160, 6);
    let rows = rows(terminal.backend().buffer());
    let list = rows[1].split('│').next().unwrap();
    assert!(list.trim_end().ends_with("2024-05-27 技术"), "{list}");
    let at = column_of(&rows[1], "技术");
    assert_eq!(
        terminal.backend().buffer()[(at, 1)].fg,
        theme::DIM.fg.unwrap(),
        "the metadata is dim"
    );
}

/// The samples' library, and the interface on them in text mode (no query yet).
fn samples_in_text_mode() -> (Library, App) {
    let dir = samples();
    let mut app = App::new(&dir, "", false);
    apply(
        &mut app,
        Action::Finished(Library::load(&dir).expect("archive")),
    );
    app.start_in_text_mode();
    (Library::load(&dir).expect("archive"), app)
}

#[test]
fn a_text_result_row_shows_its_best_line_with_the_hits_highlighted() {
    use folio::tui::searcher;
    let (library, mut app) = samples_in_text_mode();
    // Each keystroke asks the worker for a search: answered here as it answers.
    for c in "渡口".chars() {
        if let Effect::Search(request) = app.update(Action::Type(c))
            && let Some(searched) = searcher::search(&library, None, &request)
        {
            app.update(Action::Searched(searched));
        }
    }
    let mut screen = Screen::new();
    // While a search runs, the query line says so.
    app.update(Action::Type('x'));
    let waiting = screen_text(&drawn(&mut app, &mut screen, 100, 20));
    assert!(waiting.starts_with("text> 渡口x"), "{waiting}");
    assert!(
        waiting.lines().next().unwrap().contains(" searching…"),
        "{waiting}"
    );
    app.update(Action::Backspace);
    let terminal = drawn(&mut app, &mut screen, 100, 20);
    let buffer = terminal.backend().buffer();
    let rows = rows(buffer);
    assert!(rows[0].starts_with("text> 渡口"), "{}", rows[0]);
    assert!(rows[0].contains(" 2 articles"), "{}", rows[0]);
    // The second result holds 渡口 only in its text: its row shows the line, the hit in view.
    let list = rows[2].split('│').next().unwrap();
    assert!(list.starts_with("  后记：一篇不在目录…"), "{list}");
    assert!(list.contains("了渡口、铁路"), "{list}");
    let x = column_of(&rows[2], "渡口");
    for (dx, symbol, matched) in [(0, "渡", true), (2, "口", true), (4, "、", false)] {
        let cell = &buffer[(x + dx, 2)];
        assert_eq!(cell.symbol(), symbol, "column {}", x + dx);
        assert_eq!(
            cell.fg == theme::MATCHED.fg.unwrap(),
            matched,
            "column {}: {cell:?}",
            x + dx
        );
    }
}

#[test]
fn link_references_are_numbered_without_a_gap_in_text_list_and_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let md = "# 链接\n\n> 原文：[原文链接](https://src.example/x)\n\n\
              先看[第一篇](https://a.example/1)，再看 <https://b.example/2> 和\
              [https://e.example/5](https://e.example/5)，\
              最后[第三篇](https://c.example/3)和[第四篇](https://d.example/4)。\n";
    std::fs::write(dir.path().join("a.md"), md).unwrap();
    // `cat`: every block, the source quote's link included: [1] to [4], in order, no gap.
    let plain = folio::render::wrap::render_plain(md, 100, folio::render::width::AmbiWidth::Single);
    for (n, text, url) in [
        (1, "原文链接", "https://src.example/x"),
        (2, "第一篇", "https://a.example/1"),
        (3, "第三篇", "https://c.example/3"),
        (4, "第四篇", "https://d.example/4"),
    ] {
        assert!(plain.contains(&format!("{text}[{n}]")), "{plain}");
        assert!(plain.contains(&format!("[{n}] {url}")), "{plain}");
    }
    assert!(!plain.contains("[5]") && !plain.contains("[6]"), "{plain}");
    // The reader folds the source quote into its header: the text's references start at [1].
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 24));
    for (n, text_of, url) in [
        (1, "第一篇", "https://a.example/1"),
        (2, "第三篇", "https://c.example/3"),
        (3, "第四篇", "https://d.example/4"),
    ] {
        assert!(text.contains(&format!("{text_of}[{n}]")), "{text}");
        assert!(text.contains(&format!("[{n}] {url}")), "{text}");
    }
    assert!(!text.contains("[4]"), "{text}");
    assert!(
        !text.contains("https://b.example/2[") && !text.contains("] https://b."),
        "{text}"
    );
    // The links overlay numbers them the same; the links without a reference come after,
    // without a number.
    apply(&mut app, Action::Links);
    let overlay = screen_text(&drawn(&mut app, &mut screen, 100, 24));
    for line in [
        "[1] 第一篇  https://a.example/1",
        "[2] 第三篇  https://c.example/3",
        "[3] 第四篇  https://d.example/4",
    ] {
        assert!(overlay.contains(line), "{line:?} in {overlay}");
    }
    assert!(
        !overlay.contains("[4]") && !overlay.contains("[5]"),
        "{overlay}"
    );
    assert!(overlay.contains("https://b.example/2"), "{overlay}");
}

#[test]
fn overlays_scrolled_past_their_end_move_back_at_the_first_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), "# 好文章\n").unwrap();
    for i in 0..40 {
        std::fs::write(dir.path().join(format!("latin1-{i:02}.md")), b"# caf\xe9\n").unwrap();
    }
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    for open in [Action::ToggleHelp, Action::ToggleSkipped] {
        apply(&mut app, open);
        let top = screen_text(&drawn(&mut app, &mut screen, 80, 24));
        for _ in 0..200 {
            apply(&mut app, Action::Move(1));
        }
        let bottom = screen_text(&drawn(&mut app, &mut screen, 80, 24));
        assert_ne!(bottom, top, "j scrolls");
        // One more j changes nothing: the end is where the last entry is on the last row.
        apply(&mut app, Action::Move(1));
        assert_eq!(screen_text(&drawn(&mut app, &mut screen, 80, 24)), bottom);
        // One k moves at once, by one row.
        apply(&mut app, Action::Move(-1));
        let up = screen_text(&drawn(&mut app, &mut screen, 80, 24));
        assert_ne!(up, bottom, "k after many j moves at once");
        apply(&mut app, Action::CloseOverlay);
    }
}

#[test]
fn a_source_quote_that_is_only_a_link_is_said_once_in_the_reader() {
    // The towardsdatascience archive's shape: `> [url without scheme](url)` under the title.
    let dir = tempfile::tempdir().unwrap();
    let md = "# 探索提示学习\n\n\
              > [`example.com/exploring-prompt-learning/`](https://example.com/exploring-prompt-learning/)\n\n\
              强化学习在 AI 模型构建中的应用。\n";
    std::fs::write(dir.path().join("a.md"), md).unwrap();
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    let text = screen_text(&drawn(&mut app, &mut screen, 100, 24));
    assert_eq!(text.matches("example.com/exploring").count(), 1, "{text}");
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("https://example.com/exploring"),
        "{text}"
    );
    assert!(text.lines().nth(1).unwrap().contains("强化学习"), "{text}");
}

#[test]
fn the_header_keeps_the_sources_host_in_sight_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let md = "<!--yml\n分类: 未分类\n日期: 2024-05-27 15:21:25\n-->\n\n\
              # 变少而更快：全球生育率不仅在下降，而且在崩溃的边缘\n\n\
              > 来源：<https://chrisdown.name/2020/01/13/1195725856-and-friends.html>\n\n\
              正文。\n";
    std::fs::write(dir.path().join("a.md"), md).unwrap();
    let mut app = app_on(dir.path(), "");
    let mut screen = Screen::new();
    apply(&mut app, Action::Enter);
    let text = screen_text(&drawn(&mut app, &mut screen, 80, 24));
    let header = text.lines().next().unwrap();
    // Before: `2024-05-27 15:21:25 · 未分类 ·…`, the source reduced to `…`.
    assert!(
        header.contains("2024-05-27 · 未分类 · chrisdown.name"),
        "{header}"
    );
}

#[test]
fn rows_found_so_far_show_with_a_growing_count_then_the_final_count() {
    use folio::tui::searcher::{self, Searched};
    let (library, mut app) = samples_in_text_mode();
    let mut request = None;
    for c in "渡口".chars() {
        if let Effect::Search(asked) = app.update(Action::Type(c)) {
            request = Some(asked);
        }
    }
    let last = searcher::search(&library, None, &request.unwrap()).expect("a query");
    // What a running search found so far: its first row, not yet ranked.
    let so_far = Searched {
        rows: last.rows[..1].to_vec(),
        done: false,
        ..last.clone()
    };
    app.update(Action::Searched(so_far));
    let mut screen = Screen::new();
    let running = screen_text(&drawn(&mut app, &mut screen, 100, 20));
    let query_line = running.lines().next().unwrap();
    assert!(query_line.contains(" searching… 1 article"), "{running}");
    assert!(
        running.lines().nth(1).unwrap().starts_with("> "),
        "{running}"
    );
    app.update(Action::Searched(last));
    let done = screen_text(&drawn(&mut app, &mut screen, 100, 20));
    let query_line = done.lines().next().unwrap();
    assert!(query_line.contains(" 2 articles"), "{done}");
    assert!(!query_line.contains("searching"), "{done}");
}
