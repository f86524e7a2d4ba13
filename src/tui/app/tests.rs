//! The state's tests: the interface driven by actions alone, as keys and arrivals would.

use super::*;
use crate::archive::synth::bare_article as article;
use crate::find::titles::Matcher;
use crate::tui::ranker::{RankRequest, Ranked};

fn titles() -> Vec<Article> {
    vec![
        article("a.md", "微信暂停新用户注册"),
        article("b.md", "Rust 排版指南"),
        article("c.md", "茶与水"),
        article("d.md", "Writing Rust"),
        article("e.md", "A rusty gate"),
    ]
}

/// Runs a ranking request the way the worker does, synchronously.
fn run(app: &App, request: &RankRequest) -> Action {
    let titles: Vec<&str> = app.articles.iter().map(|a| a.title()).collect();
    let matches = Matcher::new(&request.query).rank(titles.iter().copied());
    Action::Ranked(Ranked {
        epoch: request.epoch,
        query: request.query.clone(),
        matches: matches.into(),
        covered: titles.len(),
        complete: true,
    })
}

/// Applies `action`, running any ranking it asks for at once.
fn apply(app: &mut App, action: Action) -> Effect {
    match app.update(action) {
        Effect::Rank(request) => {
            let answer = run(app, &request);
            app.update(answer)
        }
        other => other,
    }
}

fn loaded(piped: bool) -> App {
    let mut app = App::new(Path::new("docs"), "", piped);
    apply(&mut app, Action::Indexed(titles(), Vec::new()));
    app
}

fn rows(app: &App) -> Vec<&str> {
    app.list
        .matches
        .iter()
        .map(|m| app.articles[m.index].title())
        .collect()
}

fn type_str(app: &mut App, text: &str) {
    for c in text.chars() {
        apply(app, Action::Type(c));
    }
}

#[test]
fn articles_fill_the_list_as_they_arrive() {
    let mut app = App::new(Path::new("docs"), "", false);
    assert!(app.list.matches.is_empty());
    apply(
        &mut app,
        Action::Indexed(titles()[..2].to_vec(), Vec::new()),
    );
    assert_eq!(app.list.matches.len(), 2);
    apply(
        &mut app,
        Action::Indexed(titles()[2..].to_vec(), Vec::new()),
    );
    assert_eq!(rows(&app).len(), 5);
    assert!(app.indexing);
}

#[test]
fn typing_filters_and_editing_keys_widen_again() {
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    assert_eq!(rows(&app).len(), 3);
    assert!(!rows(&app).contains(&"茶与水"));
    apply(&mut app, Action::Backspace);
    assert_eq!(app.list.query, "rus");
    type_str(&mut app, "t gate");
    assert_eq!(rows(&app), vec!["A rusty gate"]);
    apply(&mut app, Action::DeleteWord);
    assert_eq!(app.list.query, "rust ");
    assert_eq!(rows(&app).len(), 3);
    apply(&mut app, Action::ClearQuery);
    assert_eq!(app.list.query, "");
    assert_eq!(rows(&app).len(), 5);
}

#[test]
fn the_query_line_edits_at_its_cursor() {
    let mut app = loaded(false);
    let edit = |app: &mut App, e| apply(app, Action::Line(e));
    type_str(&mut app, "rust gate");
    for _ in 0..5 {
        edit(&mut app, LineEdit::Left);
    }
    type_str(&mut app, "y");
    assert_eq!(app.list.query, "rusty gate");
    assert_eq!(rows(&app), vec!["A rusty gate"]);
    edit(&mut app, LineEdit::Start);
    type_str(&mut app, "茶");
    assert_eq!(
        (app.list.query.as_str(), app.list.cursor),
        ("茶rusty gate", 3)
    );
    edit(&mut app, LineEdit::Delete);
    assert_eq!(app.list.query, "茶usty gate");
    apply(&mut app, Action::Backspace);
    assert_eq!((app.list.query.as_str(), app.list.cursor), ("usty gate", 0));
    edit(&mut app, LineEdit::WordRight);
    assert_eq!(app.list.cursor, 4);
    edit(&mut app, LineEdit::WordRight);
    assert_eq!(app.list.cursor, 9);
    edit(&mut app, LineEdit::WordLeft);
    assert_eq!(app.list.cursor, 5);
    edit(&mut app, LineEdit::KillToEnd);
    assert_eq!(app.list.query, "usty ");
    edit(&mut app, LineEdit::Left);
    apply(&mut app, Action::ClearQuery);
    assert_eq!((app.list.query.as_str(), app.list.cursor), (" ", 0));
    edit(&mut app, LineEdit::End);
    type_str(&mut app, "water tea");
    edit(&mut app, LineEdit::WordLeft);
    apply(&mut app, Action::DeleteWord);
    assert_eq!(app.list.query, " tea");
    edit(&mut app, LineEdit::Right);
    assert_eq!(app.list.cursor, 2);
    // Moves change no rows and ask for no ranking.
    assert_eq!(app.update(Action::Line(LineEdit::End)), Effect::None);
}

#[test]
fn a_query_that_extends_the_last_one_ranks_only_its_matches() {
    let mut app = loaded(false);
    type_str(&mut app, "ru");
    let Effect::Rank(request) = app.update(Action::Type('s')) else {
        panic!("expected a ranking");
    };
    let (base, covered) = request.base.clone().expect("extends \"ru\"");
    assert_eq!(covered, 5);
    assert_eq!(base.len(), 3);
    // A shorter query cannot start from the longer one's matches.
    app.update(run(&app, &request));
    app.update(Action::ClearQuery);
    let Effect::Rank(shorter) = app.update(Action::Type('u')) else {
        panic!("expected a ranking");
    };
    assert_eq!(shorter.base.map(|(m, _)| m.len()), None);
}

#[test]
fn backspace_to_a_query_ranked_before_needs_no_ranking() {
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    let three = rows(&app).len();
    type_str(&mut app, " ga");
    assert_eq!(rows(&app), vec!["A rusty gate"]);
    for _ in 0..3 {
        assert_eq!(app.update(Action::Backspace), Effect::None);
    }
    assert_eq!(app.list.query, "rust");
    assert_eq!(rows(&app).len(), three);
    // A longer query starts from the longest earlier query it extends.
    let Effect::Rank(request) = app.update(Action::Type('y')) else {
        panic!("expected a ranking");
    };
    assert_eq!(request.base.map(|(m, _)| m.len()), Some(three));
}

#[test]
fn stale_rankings_are_dropped() {
    let mut app = loaded(false);
    let Effect::Rank(old) = app.update(Action::Type('茶')) else {
        panic!()
    };
    let stale = run(&app, &old);
    app.update(Action::Backspace);
    app.update(Action::Type('x'));
    app.update(stale);
    assert_eq!(app.list.matches_query, "");
    assert_eq!(rows(&app).len(), 5);
}

#[test]
fn an_early_answer_shows_until_the_whole_one_and_is_never_ranked_from() {
    let mut app = loaded(false);
    let Effect::Rank(request) = app.update(Action::Type('r')) else {
        panic!("expected a ranking");
    };
    let Action::Ranked(whole) = run(&app, &request) else {
        unreachable!()
    };
    let early = Ranked {
        matches: whole.matches[..1].to_vec().into(),
        complete: false,
        ..whole.clone()
    };
    app.update(Action::Ranked(early.clone()));
    assert_eq!(rows(&app).len(), 1, "the early answer is shown");
    // The next key ranks from scratch: the early answer lacks titles it did not score.
    let Effect::Rank(longer) = app.update(Action::Type('u')) else {
        panic!("expected a ranking");
    };
    assert!(longer.base.is_none());
    app.update(Action::Backspace);
    app.update(Action::Ranked(early.clone()));
    app.update(Action::Ranked(whole.clone()));
    assert_eq!(rows(&app).len(), whole.matches.len());
    // A late early answer does not hide the whole one.
    app.update(Action::Ranked(early));
    assert_eq!(rows(&app).len(), whole.matches.len());
    // Backspace back to the query finds the whole answer kept, never the early one.
    app.update(Action::Type('u'));
    assert_eq!(app.update(Action::Backspace), Effect::None);
    assert_eq!(rows(&app).len(), whole.matches.len());
}

#[test]
fn movement_is_clamped_and_keeps_the_selection_on_screen() {
    let mut app = loaded(false);
    app.update(Action::Viewport {
        list_rows: 2,
        reading_rows: 10,
        reading_lines: 30,
        overlay_end: 0,
    });
    app.update(Action::Move(-1));
    assert_eq!(app.list.selected, 0);
    app.update(Action::Move(3));
    assert_eq!((app.list.selected, app.list.offset), (3, 2));
    app.update(Action::MovePage(1));
    assert_eq!(app.list.selected, 4);
    app.update(Action::First);
    assert_eq!((app.list.selected, app.list.offset), (0, 0));
    app.update(Action::Last);
    assert_eq!((app.list.selected, app.list.offset), (4, 3));
}

#[test]
fn reading_pane_scrolls_within_the_article() {
    let mut app = loaded(false);
    app.update(Action::Enter);
    assert_eq!(app.focus, Focus::Reading);
    app.update(Action::Viewport {
        list_rows: 5,
        reading_rows: 10,
        reading_lines: 25,
        overlay_end: 0,
    });
    assert_eq!(app.reading_percent(), 40);
    app.update(Action::ScrollPage(1));
    assert_eq!(app.reading_scroll, 9);
    app.update(Action::Bottom);
    assert_eq!((app.reading_scroll, app.reading_percent()), (15, 100));
    app.update(Action::Scroll(-1));
    assert_eq!(app.reading_scroll, 14);
    app.update(Action::Top);
    assert_eq!(app.reading_scroll, 0);
    app.update(Action::ScrollHalf(1));
    assert_eq!(app.reading_scroll, 5);
    app.update(Action::ScrollHalf(-1));
    assert_eq!(app.reading_scroll, 0);
    app.update(Action::WheelReading(2));
    assert_eq!(app.reading_scroll, 6);
    // The next article starts at its top.
    app.update(Action::NextArticle(1));
    assert_eq!((app.list.selected, app.reading_scroll), (1, 0));
    app.update(Action::NextArticle(-1));
    app.update(Action::NextArticle(-1));
    assert_eq!(app.list.selected, 0);
    app.update(Action::Back);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn how_the_interface_ends_depends_on_stdout() {
    let mut app = loaded(false);
    assert_eq!(app.update(Action::Back), Effect::Exit(Exit::Quit));
    assert_eq!(app.update(Action::Enter), Effect::None);
    assert_eq!(
        app.update(Action::Interrupt),
        Effect::Exit(Exit::Interrupted)
    );

    let mut piped = loaded(true);
    assert_eq!(piped.update(Action::Back), Effect::Exit(Exit::Cancelled));
    piped.update(Action::Move(2));
    assert_eq!(piped.update(Action::Tab), Effect::None);
    assert_eq!(piped.focus, Focus::Reading);
    assert_eq!(piped.update(Action::Enter), Effect::Exit(Exit::Chosen(2)));
    assert_eq!(piped.update(Action::Back), Effect::None);
    assert_eq!(piped.update(Action::Back), Effect::Exit(Exit::Cancelled));
}

#[test]
fn enter_with_no_match_does_nothing() {
    let mut app = loaded(true);
    type_str(&mut app, "zzz9");
    assert!(app.list.matches.is_empty());
    assert_eq!(app.update(Action::Enter), Effect::None);
    assert_eq!(app.update(Action::Tab), Effect::None);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn overlays_take_the_keys_until_closed() {
    let mut app = loaded(false);
    app.skipped = vec![
        Skipped {
            path: "x.md".into(),
            reason: "empty file".into(),
        },
        Skipped {
            path: "y.md".into(),
            reason: "not UTF-8 text".into(),
        },
    ];
    app.update(Action::ToggleHelp);
    assert_eq!(app.overlay, Some(Overlay::Help(0)));
    app.update(Action::Type('a'));
    assert_eq!(app.list.query, "");
    app.update(Action::ToggleSkipped);
    assert_eq!(app.overlay, Some(Overlay::Skipped(0)));
    // It scrolls as far as the screen measured says its last entry is on its last row.
    app.update(Action::Viewport {
        list_rows: 3,
        reading_rows: 3,
        reading_lines: 3,
        overlay_end: 1,
    });
    app.update(Action::Move(5));
    assert_eq!(app.overlay, Some(Overlay::Skipped(1)));
    assert_eq!(app.update(Action::Back), Effect::None);
    assert_eq!(app.overlay, None);
    assert_eq!(
        app.update(Action::Interrupt),
        Effect::Exit(Exit::Interrupted)
    );
}

#[test]
fn finishing_settles_the_order_without_moving_the_selection() {
    let mut app = loaded(false);
    app.update(Action::Viewport {
        list_rows: 3,
        reading_rows: 3,
        reading_lines: 3,
        overlay_end: 0,
    });
    app.update(Action::Move(3)); // "Writing Rust", on screen row 2
    assert_eq!(app.list.selected - app.list.offset, 2);
    let mut ordered = titles();
    ordered.reverse();
    let library = Library {
        root: PathBuf::from("docs"),
        articles: ordered,
        skipped: Vec::new(),
        stamps: Vec::new(),
    };
    apply(&mut app, Action::Finished(library));
    assert!(!app.indexing);
    assert_eq!(rows(&app)[0], "A rusty gate");
    let selected = app.selected_article().unwrap();
    assert_eq!(app.articles[selected].title(), "Writing Rust");
    // Row 1 now: as near its old screen row as the list allows.
    assert_eq!((app.list.selected, app.list.offset), (1, 0));
}

#[test]
fn finishing_with_a_query_keeps_the_selected_article() {
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    app.update(Action::Move(1));
    let chosen = app.articles[app.selected_article().unwrap()]
        .title()
        .to_string();
    let mut ordered = titles();
    ordered.reverse();
    let library = Library {
        root: PathBuf::from("docs"),
        articles: ordered,
        skipped: Vec::new(),
        stamps: Vec::new(),
    };
    apply(&mut app, Action::Finished(library));
    assert_eq!(rows(&app).len(), 3);
    assert_eq!(
        app.articles[app.selected_article().unwrap()].title(),
        chosen
    );
}

#[test]
fn a_selection_never_moved_stays_on_the_top_row() {
    let mut app = loaded(false);
    let mut ordered = titles();
    ordered.reverse();
    let library = Library {
        root: PathBuf::from("docs"),
        articles: ordered,
        skipped: Vec::new(),
        stamps: Vec::new(),
    };
    apply(&mut app, Action::Finished(library));
    assert_eq!((app.list.selected, app.list.offset), (0, 0));
    assert_eq!(
        app.articles[app.selected_article().unwrap()].title(),
        "A rusty gate"
    );
}

#[test]
fn an_empty_archive_ends_the_interface() {
    let mut app = App::new(Path::new("docs"), "", false);
    let effect = app.update(Action::Finished(Library::default()));
    assert_eq!(effect, Effect::Exit(Exit::NoArticles));
}

#[test]
fn a_starting_query_ranks_once_articles_arrive() {
    let mut app = App::new(Path::new("docs"), "茶", false);
    assert!(matches!(app.initial_effect(), Effect::Rank(_)));
    apply(&mut app, Action::Indexed(titles(), Vec::new()));
    assert_eq!(rows(&app), vec!["茶与水"]);
}

/// Ctrl-t from the titles: the search text mode asks for.
fn to_text_mode(app: &mut App) -> crate::tui::searcher::TextRequest {
    let Effect::Search(request) = apply(app, Action::ToggleMode) else {
        panic!("text mode asks for a search");
    };
    request
}

/// A text answer to `request`: these articles, each with an empty best line.
fn text_answer(request: &crate::tui::searcher::TextRequest, articles: &[usize]) -> Action {
    use crate::tui::searcher::{BestLine, Searched, TextRow};
    Action::Searched(Searched {
        epoch: request.epoch,
        query: request.query.clone(),
        rows: articles
            .iter()
            .map(|&article| TextRow {
                article,
                best: BestLine::default(),
            })
            .collect(),
        covered: 5,
        done: true,
    })
}

#[test]
fn text_mode_shows_the_text_answer_drops_stale_ones_and_toggles_back() {
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    assert_eq!(rows(&app).len(), 3);
    let first = to_text_mode(&mut app);
    assert_eq!(app.list.mode, Mode::Text);
    assert!(
        app.text_index.is_some(),
        "the status line says the index opens"
    );
    apply(&mut app, text_answer(&first, &[2]));
    assert_eq!(rows(&app), vec!["茶与水"]);
    assert!(app.list.lines.is_some());
    let Effect::Search(second) = apply(&mut app, Action::Type('y')) else {
        panic!("each keystroke asks for a search");
    };
    assert!(second.generation > first.generation);
    // The answer for "rust" comes late: dropped.
    apply(&mut app, text_answer(&first, &[0, 1]));
    assert_eq!(rows(&app), vec!["茶与水"]);
    apply(&mut app, text_answer(&second, &[3]));
    assert_eq!(rows(&app), vec!["Writing Rust"]);
    // Back to the titles: ranked as titles, not narrowed from the text answer.
    apply(&mut app, Action::ToggleMode);
    assert_eq!(app.list.mode, Mode::Titles);
    assert_eq!(rows(&app), vec!["A rusty gate"]);
    assert!(app.list.lines.is_none());
}

#[test]
fn opening_a_text_result_primes_the_search_in_the_article() {
    let mut app = loaded(false);
    type_str(&mut app, "rust -gate");
    let request = to_text_mode(&mut app);
    apply(&mut app, text_answer(&request, &[1]));
    apply(&mut app, Action::Enter);
    assert_eq!(app.focus, Focus::Reading);
    assert_eq!(app.search.query, "rust -gate");
    assert_eq!(app.search.terms, vec!["rust".to_string()]);
    assert!(app.search.go_to_first);
    // `]` to the next result: it too opens at its first hit.
    app.search.go_to_first = false;
    apply(&mut app, text_answer(&request, &[1, 3]));
    apply(&mut app, Action::NextArticle(1));
    assert_eq!(app.selected_article(), Some(3));
    assert!(app.search.go_to_first);
    // A title opened in titles mode leaves the search alone.
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    apply(&mut app, Action::Enter);
    assert!(app.search.terms.is_empty() && !app.search.go_to_first);
}

#[test]
fn best_lines_that_come_later_fill_their_rows() {
    use crate::tui::searcher::{BestLine, Lined};
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    let request = to_text_mode(&mut app);
    apply(&mut app, text_answer(&request, &[1, 3]));
    let line = BestLine {
        line: 7,
        text: "a rust line".into(),
        hits: vec![2, 3, 4, 5],
    };
    let lined = |covered, from| Lined {
        epoch: request.epoch,
        query: request.query.clone(),
        covered,
        from,
        lines: vec![line.clone()],
    };
    // For an answer over fewer articles: other rows, not taken.
    apply(&mut app, Action::Lined(lined(4, 1)));
    assert_eq!(app.list.lines.as_ref().unwrap()[1], BestLine::default());
    apply(&mut app, Action::Lined(lined(5, 1)));
    assert_eq!(app.list.lines.as_ref().unwrap()[1], line);
    assert_eq!(app.list.lines.as_ref().unwrap()[0], BestLine::default());
    // Past the last row: nothing.
    apply(&mut app, Action::Lined(lined(5, 9)));
    assert_eq!(app.list.lines.as_ref().unwrap().len(), 2);
}

#[test]
fn rows_found_so_far_grow_then_the_final_order_keeps_the_chosen_row_under_the_cursor() {
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    let request = to_text_mode(&mut app);
    let so_far = |articles: &[usize]| {
        let Action::Searched(mut searched) = text_answer(&request, articles) else {
            unreachable!()
        };
        searched.done = false;
        Action::Searched(searched)
    };
    apply(&mut app, so_far(&[0, 1]));
    assert!(!app.list.text_done, "the count says the search goes on");
    assert_eq!(app.list.matches.len(), 2);
    apply(&mut app, Action::Move(1));
    assert_eq!(app.selected_article(), Some(1));
    // More found: added below, the selection stays on its article and row.
    apply(&mut app, so_far(&[0, 1, 3]));
    assert_eq!((app.list.selected, app.selected_article()), (1, Some(1)));
    // The final order: the chosen article stays selected, where it now ranks.
    apply(&mut app, text_answer(&request, &[3, 0, 1]));
    assert!(app.list.text_done);
    assert_eq!(app.selected_article(), Some(1));
    assert_eq!(rows(&app).len(), 3);
    // The same query searched again (more articles indexed): fewer rows found so far do not
    // replace the whole answer.
    apply(&mut app, so_far(&[0]));
    assert!(app.list.text_done);
    assert_eq!(rows(&app).len(), 3);
}

#[test]
fn a_large_article_opens_at_its_first_hit_when_that_lies_past_its_first_part() {
    use crate::render::width::AmbiWidth;
    let mut app = loaded(false);
    type_str(&mut app, "rust");
    let request = to_text_mode(&mut app);
    apply(&mut app, text_answer(&request, &[1]));
    apply(&mut app, Action::Enter);
    // Laid out in two steps: the first part holds no hit, the whole has it at its end.
    let paragraphs: String = (0..300).map(|i| format!("第 {i} 段。\n\n")).collect();
    let doc = crate::render::markdown::parse(&format!("{paragraphs}Rust 在这里。\n\n{paragraphs}"));
    let first = crate::render::document::Document {
        blocks: doc.blocks[..100].to_vec(),
        links: doc.links.clone(),
        footnotes: Vec::new(),
    };
    let first = Arc::new(crate::render::wrap::layout(&first, 40, AmbiWidth::Single));
    let whole = Arc::new(crate::render::wrap::layout(&doc, 40, AmbiWidth::Single));
    let hit_line = whole
        .lines
        .iter()
        .position(|l| l.plain_text().contains("Rust"))
        .unwrap();
    let frame = |app: &mut App, layout: &Arc<Layout>, done: bool| {
        app.update(Action::Viewport {
            list_rows: 5,
            reading_rows: 10,
            reading_lines: layout.lines.len(),
            overlay_end: 0,
        });
        app.update(Action::Layout(Some(Arc::clone(layout)), done));
    };
    frame(&mut app, &first, false);
    frame(&mut app, &first, false);
    assert!(app.notice.is_none(), "no `not found` for the first part");
    frame(&mut app, &whole, true);
    assert_eq!(app.reading_scroll, hit_line - 5, "the hit centred");
    assert_eq!(app.search.current, Some(0));
    // Further frames leave the reader where they scroll to.
    app.update(Action::Scroll(-3));
    frame(&mut app, &whole, true);
    assert_eq!(app.reading_scroll, hit_line - 8);
}
