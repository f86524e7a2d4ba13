//! Snapshot tests of `cat --plain` output: the seed article and every sample article, at widths
//! 20, 40 and 80, plus one styled rendering. Review changes with `cargo insta review` (or run
//! with `INSTA_UPDATE=always` and read the diff in git): a snapshot is only right once a person
//! has looked at it.

use crate::common::markdown_files;
use std::path::{Path, PathBuf};

use folio::render::markdown::parse;
use folio::render::style::{Role, Style};
use folio::render::width::AmbiWidth;
use folio::render::wrap::{render_plain, wrap};

const WIDTHS: [usize; 3] = [20, 40, 80];

/// A snapshot name from a path: letters and digits kept, the rest `_`.
fn snapshot_name(rel: &Path) -> String {
    rel.to_string_lossy()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

fn check_widths(text: &str, width: usize, what: &str) {
    for line in text.lines() {
        let w = folio::render::width::str_width(line, AmbiWidth::Single);
        assert!(w <= width, "{what}: line wider than {width}: {line:?}");
    }
}

#[test]
fn seed_article_plain() {
    let Some(dir) = crate::common::shared("seed") else {
        return;
    };
    let files = markdown_files(&dir);
    assert!(!files.is_empty(), "no seed article under {}", dir.display());
    for path in files {
        let md = std::fs::read_to_string(&path).expect("seed article is UTF-8");
        let name = snapshot_name(path.strip_prefix(&dir).unwrap());
        for w in WIDTHS {
            let out = render_plain(&md, w, AmbiWidth::Single);
            check_widths(&out, w, &name);
            insta::assert_snapshot!(format!("seed_{name}_w{w}"), out);
        }
    }
}

/// The samples are `sample-articles/` beside the manifest, or `FOLIO_SAMPLE_ARTICLES`.
#[test]
fn sample_articles_plain() {
    let dir = std::env::var_os("FOLIO_SAMPLE_ARTICLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-articles"));
    let files = markdown_files(&dir);
    if files.is_empty() {
        println!("skipping: no sample articles under {}", dir.display());
        return;
    }
    for path in files {
        let name = snapshot_name(path.strip_prefix(&dir).unwrap());
        if matches!(
            path.file_name().and_then(|f| f.to_str()),
            Some("SUMMARY.md" | "README.md" | "NAV.md")
        ) {
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable sample");
        let md = String::from_utf8_lossy(&bytes);
        for w in WIDTHS {
            let out = render_plain(&md, w, AmbiWidth::Single);
            check_widths(&out, w, &name);
            insta::assert_snapshot!(format!("sample_{name}_w{w}"), out);
        }
    }
}

/// How a styled span is written in the styled snapshot: `{role+flags|text}`.
fn mark(style: Style, text: &str) -> String {
    let mut tags = Vec::new();
    match style.role {
        Role::Text => {}
        Role::Heading(l) => tags.push(format!("h{l}")),
        r => tags.push(format!("{r:?}")),
    }
    for (on, t) in [
        (style.bold, "b"),
        (style.italic, "i"),
        (style.strike, "s"),
        (style.code, "code"),
    ] {
        if on {
            tags.push(t.to_string());
        }
    }
    if style.link != 0 {
        tags.push(format!("link{}", style.link));
    }
    if tags.is_empty() {
        text.to_string()
    } else {
        format!("{{{}|{text}}}", tags.join("+"))
    }
}

#[test]
fn seed_article_styled() {
    let Some(path) = crate::common::shared("seed/000_fbd974c81cc069e5.md") else {
        return;
    };
    let md = std::fs::read_to_string(&path).expect("the seed article is UTF-8");
    let lines = wrap(&parse(&md), 80, AmbiWidth::Single);
    let out: Vec<String> = lines
        .iter()
        .map(|l| l.spans.iter().map(|s| mark(s.style, &s.text)).collect())
        .collect();
    insta::assert_snapshot!("seed_styled_w80", out.join("\n"));
}
