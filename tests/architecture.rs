//! The shape of the code, checked: what ARCHITECTURE.md promises about layering must stay true as
//! features are added.
//!
//! - No module imports one that imports it back, directly or through others: between the top-level
//!   modules of a crate (`crate::model` → `crate::rules` → `crate::model`), and between the sibling
//!   modules of one parent (`diff::compare` → `diff::links` → `diff::compare`). A parent that
//!   declares its children and re-exports them is not an import.
//! - No source file of a crate is longer than 800 lines (tests and benches aside).
//! - At most one enum lists the seven kinds of entity (`EntityKind`, made from the table).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn crates() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join("crates");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("crates/")
        .map(|e| e.expect("entry").path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

type ModPath = Vec<String>;

/// Each file's module path in its crate (`src/model/lower.rs` → `["model", "lower"]`).
fn modules(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(src)
                .expect("below src")
                .with_extension("");
            let mut parts: ModPath = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            match parts.last().map(String::as_str) {
                Some("lib" | "main") if parts.len() == 1 => parts.clear(),
                Some("mod") => {
                    parts.pop();
                }
                _ => {}
            }
            (parts, path)
        })
        .collect()
}

/// Code without comments (a path in a doc comment is no import).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest module path of `mods` that `parts` starts with.
fn module_of(parts: &[String], mods: &BTreeMap<ModPath, PathBuf>) -> Option<ModPath> {
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].to_vec())
        .find(|candidate| mods.contains_key(candidate))
}

/// The path segments that follow `at` in `text` (`a::b::{c, d::e}` gives `a::b`, `a::b::c` and
/// `a::b::d::e`).
fn paths_after(text: &str, at: usize) -> Vec<Vec<String>> {
    let rest = &text[at..];
    let mut segments = Vec::new();
    let mut chars = rest.char_indices().peekable();
    let mut current = String::new();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            current.push(c);
        } else if rest[i..].starts_with("::") {
            chars.next();
            segments.push(std::mem::take(&mut current));
            if rest[i + 2..].starts_with('{') {
                let close = rest[i + 2..].find('}').map_or(rest.len(), |j| i + 2 + j);
                let mut out = Vec::new();
                for item in rest[i + 3..close].split(',') {
                    let mut path = segments.clone();
                    path.extend(
                        item.split("::")
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty() && s != "self" && s != "*"),
                    );
                    out.push(path);
                }
                return out;
            }
        } else {
            break;
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    vec![segments]
}

/// The modules a file refers to through `crate::` and `super::` paths.
fn references(me: &ModPath, text: &str, mods: &BTreeMap<ModPath, PathBuf>) -> BTreeSet<ModPath> {
    let text = code(text);
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        for path in paths_after(&text, at + "crate::".len()) {
            out.extend(module_of(&path, mods));
        }
    }
    for (at, _) in text.match_indices("super::") {
        if text[..at].ends_with("super::") {
            continue;
        }
        let mut ups = 0;
        let mut end = at;
        while text[end..].starts_with("super::") {
            ups += 1;
            end += "super::".len();
        }
        if ups > me.len() {
            continue;
        }
        let base = me[..me.len() - ups].to_vec();
        for rest in paths_after(&text, end) {
            let mut path = base.clone();
            path.extend(rest);
            if let Some(target) = module_of(&path, mods) {
                if target.len() >= base.len() {
                    out.insert(target);
                }
            }
        }
    }
    out
}

/// The strongly connected components of more than one node (Tarjan).
fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<ModPath, usize>,
        low: BTreeMap<ModPath, usize>,
        stack: Vec<ModPath>,
        found: Vec<Vec<ModPath>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: &ModPath) {
            let n = self.index.len();
            self.index.insert(v.clone(), n);
            self.low.insert(v.clone(), n);
            self.stack.push(v.clone());
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v.clone(), low);
                } else if self.stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v.clone(), low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    let done = w == *v;
                    component.push(w);
                    if done {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let mut found = Vec::new();
    for src in crates() {
        let mods = modules(&src);
        let mut top: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        let mut siblings: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        for (me, path) in &mods {
            let text = std::fs::read_to_string(path).expect("source");
            for target in references(me, &text, &mods) {
                if me.is_empty() || target.is_empty() {
                    continue;
                }
                if me[0] != target[0] {
                    top.entry(me[..1].to_vec())
                        .or_default()
                        .insert(target[..1].to_vec());
                }
                let shared = me.iter().zip(&target).take_while(|(a, b)| a == b).count();
                if shared < me.len() && shared < target.len() {
                    siblings
                        .entry(me[..=shared].to_vec())
                        .or_default()
                        .insert(target[..=shared].to_vec());
                }
            }
        }
        for graph in [&top, &siblings] {
            for cycle in cycles(graph) {
                let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
                found.push(format!("{}: {}", src.display(), names.join(" <-> ")));
            }
        }
    }
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn the_cycle_check_finds_cycles() {
    let mods: BTreeMap<ModPath, PathBuf> = [vec![], vec!["a".into()], vec!["b".into()]]
        .into_iter()
        .map(|m| (m, PathBuf::new()))
        .collect();
    let a = references(&vec!["a".into()], "use crate::b::{Thing, other};", &mods);
    let b = references(&vec!["b".into()], "fn f() { crate::a::g() }", &mods);
    let graph: BTreeMap<ModPath, BTreeSet<ModPath>> =
        [(vec!["a".into()], a), (vec!["b".into()], b)].into();
    assert_eq!(cycles(&graph).len(), 1);
}

#[test]
fn no_source_file_is_longer_than_800_lines() {
    let mut long = Vec::new();
    for src in crates() {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for file in files {
            let lines = std::fs::read_to_string(&file)
                .expect("source")
                .lines()
                .count();
            if lines > MAX_LINES {
                long.push(format!("{} has {lines} lines", file.display()));
            }
        }
    }
    assert!(long.is_empty(), "split these by job:\n{}", long.join("\n"));
}

#[test]
fn one_enum_lists_the_kinds_of_entity() {
    let kinds = [
        "Team",
        "Goal",
        "Kpi",
        "Flow",
        "Event",
        "Property",
        "UserProperty",
    ];
    let mut found = Vec::new();
    for src in crates() {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for file in files {
            let text = code(&std::fs::read_to_string(&file).expect("source"));
            for (at, _) in text.match_indices("enum ") {
                let Some(open) = text[at..].find('{') else {
                    continue;
                };
                let Some(close) = text[at + open..].find("\n}") else {
                    continue;
                };
                let body = &text[at + open..at + open + close];
                let variants: BTreeSet<&str> = body
                    .lines()
                    .map(|l| {
                        l.trim()
                            .trim_end_matches(',')
                            .split(['(', ' '])
                            .next()
                            .unwrap_or("")
                    })
                    .collect();
                if kinds.iter().all(|k| variants.contains(k)) {
                    let name = text[at + 5..at + open].trim();
                    found.push(format!("{}: enum {name}", file.display()));
                }
            }
        }
    }
    assert!(
        found.len() <= 1,
        "the kinds of entity are listed by more than one enum (iterate the table instead):\n{}",
        found.join("\n")
    );
}
