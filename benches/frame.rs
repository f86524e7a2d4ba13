//! The cost of one frame where an archive is extreme: a 100,000-character title in the list,
//! 100,000 links open in the links overlay, 100,000 skipped files in the F2 overlay, drawn at 100x30 on ratatui's TestBackend.
//! A frame must stay under 16 ms whatever the archive holds: `cargo bench --bench frame`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use folio::archive::library::Skipped;
use folio::archive::synth::bare_article as article;
use folio::find::titles::Matcher;
use folio::tui::app::{Action, App, Effect};
use folio::tui::ranker::Ranked;
use folio::tui::view::Screen;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Applies `action`, ranking at once when it asks for a ranking.
fn apply(app: &mut App, action: Action) {
    if let Effect::Rank(request) = app.update(action) {
        let titles: Vec<&str> = app.articles.iter().map(|a| a.title()).collect();
        let matches = Matcher::new(&request.query).rank(titles.iter().copied());
        app.update(Action::Ranked(Ranked {
            epoch: request.epoch,
            query: request.query.clone(),
            matches: matches.into(),
            covered: titles.len(),
            complete: true,
        }));
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("one frame at 100x30");
    g.sample_size(10);

    // The list: a title of 100,000 characters, Chinese with Latin, matched near its end.
    let dir = tempfile::tempdir().unwrap();
    let mut long = "标题很长 title ".repeat(100_000 / 14);
    long.push_str("zebra");
    let titles = vec![
        article("long.md", &long),
        article("short.md", "短标题 zebra"),
    ];
    std::fs::write(dir.path().join("long.md"), "# 长\n").unwrap();
    std::fs::write(dir.path().join("short.md"), "# 短\n").unwrap();
    let mut app = App::new(dir.path(), "", false);
    apply(&mut app, Action::Indexed(titles, Vec::new()));
    for c in "zebra".chars() {
        apply(&mut app, Action::Type(c));
    }
    let mut screen = Screen::new();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    g.bench_function("a 100,000-character title, matched", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| screen.draw(frame, black_box(&mut app)))
                .unwrap();
        })
    });

    // The links overlay over an article of 100,000 links.
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("# 链接很多的文章\n\n");
    for i in 0..100_000 {
        body.push_str(&format!("[链接 {i}](https://example.org/{i}) "));
    }
    std::fs::write(dir.path().join("links.md"), &body).unwrap();
    let mut app = App::new(Path::new(dir.path()), "", false);
    apply(
        &mut app,
        Action::Indexed(vec![article("links.md", "链接很多的文章")], Vec::new()),
    );
    let mut screen = Screen::new();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|frame| screen.draw(frame, &mut app)).unwrap();
    apply(&mut app, Action::Enter);
    terminal.draw(|frame| screen.draw(frame, &mut app)).unwrap();
    apply(&mut app, Action::Links);
    let links = app.layout.as_ref().map_or(0, |layout| layout.links.len());
    assert_eq!(links, 100_000, "the article is laid out with its links");
    g.bench_function("the links overlay with 100,000 links", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| screen.draw(frame, black_box(&mut app)))
                .unwrap();
        })
    });

    // The skipped-files overlay (F2) over an archive that skipped 100,000 files.
    let skipped = (0..100_000)
        .map(|i| Skipped {
            path: format!("docs/{i}/空文件.md"),
            reason: "empty file".into(),
        })
        .collect();
    let mut app = App::new(Path::new(dir.path()), "", false);
    apply(
        &mut app,
        Action::Indexed(vec![article("links.md", "链接很多的文章")], skipped),
    );
    apply(&mut app, Action::ToggleSkipped);
    let mut screen = Screen::new();
    g.bench_function("the skipped-files overlay with 100,000 files", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| screen.draw(frame, black_box(&mut app)))
                .unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
