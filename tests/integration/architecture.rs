//! The shape of `src/`, checked: the rules ARCHITECTURE.md states about which file may use which.
//!
//! A cycle between two files (`a` uses `b`, `b` uses `a`) makes neither readable alone, and a
//! folder does not hide one. These tests read the sources as text: every path a file names
//! (`use` lines, braces expanded, and paths in code) is resolved to the file that defines it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One source file: its module path (`["render", "wrap"]`) and its code, without comments
/// and without its `#[cfg(test)]` tail.
struct Source {
    file: PathBuf,
    module: Vec<String>,
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
        .into_iter()
        .filter(|file| !file.ends_with("main.rs"))
        .map(|file| {
            let relative = file.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            let text = fs::read_to_string(&file).unwrap();
            let code = text
                .split("#[cfg(test)]")
                .next()
                .unwrap()
                .lines()
                .map(|line| match line.find("//") {
                    Some(at) => &line[..at],
                    None => line,
                })
                .collect::<Vec<_>>()
                .join("\n");
            Source { file, module, code }
        })
        .collect()
}

/// Every path named in `code`, as written (`crate::render::wrap::Line`, `super::theme`,
/// `view::Screen`), with `use` braces expanded.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before_ok = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
        let tail = &rest[at + 4..];
        let Some(end) = tail.find(';') else { break };
        if before_ok {
            expand("", tail[..end].trim(), &mut out);
        }
        rest = &tail[end..];
    }
    let is_path = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut start = None;
    for (at, c) in code.char_indices().chain([(code.len(), ' ')]) {
        match (start, is_path(c)) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                let word = &code[from..at];
                let after_colon = code[..from].ends_with(':');
                if word.contains("::") && !after_colon {
                    out.push(word.trim_end_matches(':').to_string());
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e` (the nesting is the source's, not an
/// archive's, so recursion is bounded by what we write).
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = format!("{prefix}{}", &tree[..open]);
        // Prose that reads like a `use` (in a string, say) may not close its braces.
        let close = tree
            .rfind('}')
            .filter(|&close| close > open)
            .unwrap_or(tree.len());
        let inner = &tree[open + 1..close];
        let mut depth = 0;
        let mut from = 0;
        for (at, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&head, &inner[from..at], out);
                    from = at + 1;
                }
                _ => {}
            }
        }
        expand(&head, &inner[from..], out);
    } else if !tree.is_empty() {
        let path = format!("{prefix}{tree}");
        let path = path.split(" as ").next().unwrap().trim().to_string();
        out.push(path.trim_end_matches("::self").to_string());
    }
}

/// The file each source depends on, by module path.
fn dependencies(sources: &[Source]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    let mut graph = BTreeMap::new();
    for source in sources {
        let mut uses = BTreeSet::new();
        for path in paths(&source.code) {
            let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
            let absolute: Vec<String> = match parts.first() {
                Some(&"crate") => parts[1..].iter().map(|s| s.to_string()).collect(),
                Some(&"super") => {
                    let mut base = source.module.clone();
                    let mut rest = &parts[..];
                    while rest.first() == Some(&"super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    base.extend(rest.iter().map(|s| s.to_string()));
                    base
                }
                Some(&"self") => {
                    let mut base = source.module.clone();
                    base.extend(parts[1..].iter().map(|s| s.to_string()));
                    base
                }
                Some(first) => {
                    let mut child = source.module.clone();
                    child.push(first.to_string());
                    if !modules.contains(&child) {
                        continue;
                    }
                    child.extend(parts[1..].iter().map(|s| s.to_string()));
                    child
                }
                None => continue,
            };
            let owner = (0..=absolute.len())
                .rev()
                .map(|n| absolute[..n].to_vec())
                .find(|m| modules.contains(m));
            if let Some(owner) = owner
                && owner != source.module
            {
                uses.insert(owner);
            }
        }
        graph.insert(source.module.clone(), uses);
    }
    graph
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "lib".into()
    } else {
        module.join("::")
    }
}

#[test]
fn no_file_imports_a_file_that_imports_it() {
    let graph = dependencies(&sources());
    // Tarjan-free: a file is in a cycle when it can reach itself. Depth-first with an explicit
    // stack; the graph is small.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(Vec<String>, Vec<Vec<String>>)> =
            vec![(start.clone(), vec![start.clone()])];
        while let Some((at, trail)) = stack.pop() {
            for next in &graph[&at] {
                if next == start {
                    let mut names: Vec<String> = trail.iter().map(|m| name(m)).collect();
                    names.push(name(start));
                    cycles.push(names.join(" → "));
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles between files:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    // Text that only looks like a path list is read without a panic.
    assert!(paths("let s = \"use } {a\"; use x::{y;").len() < 10);
    let a = Source {
        file: "a.rs".into(),
        module: vec!["a".into()],
        code: "use crate::b::{self, X};".into(),
    };
    let b = Source {
        file: "b.rs".into(),
        module: vec!["b".into()],
        code: "fn f() { crate::a::g() }".into(),
    };
    let graph = dependencies(&[a, b]);
    assert!(graph[&vec!["a".to_string()]].contains(&vec!["b".to_string()]));
    assert!(graph[&vec!["b".to_string()]].contains(&vec!["a".to_string()]));
}

#[test]
fn only_the_interface_knows_a_terminal_exists() {
    for source in sources() {
        if source.module.first().map(String::as_str) == Some("tui") {
            continue;
        }
        for library in ["ratatui", "crossterm"] {
            assert!(
                !source.code.contains(&format!("{library}::")),
                "{} uses {library}: only src/tui may",
                source.file.display()
            );
        }
    }
}

#[test]
fn long_files_say_why_they_are_one_file() {
    for source in sources() {
        let text = fs::read_to_string(&source.file).unwrap();
        if text.lines().count() > 900 {
            let head: String = text.lines().take_while(|l| l.starts_with("//!")).collect();
            assert!(
                head.contains("one file"),
                "{} is over 900 lines and its header does not say why it is one file",
                source.file.display()
            );
        }
    }
}
