//! Per rule, as tests of their own (so one failing rule hides no other):
//!
//! - `fixtures::<rule>`: `fixtures/rules/<rule>/invalid.yaml` must raise the rule (snapshot of every
//!   diagnostic) and `valid.yaml` must check clean; so must `invalid-<case>.yaml` and
//!   `valid-<case>.yaml`, pairs for one more situation of the rule (another destination, say);
//! - `docs::<rule>`: the rule's documentation has the fixed sections, its Example raises the rule and
//!   its "Use instead" does not. Each ```` ```yaml ```` block is read as a file of a minimal plan: the
//!   root file when it holds a root-only key (`trackplan`, `name`, `conventions`, `identity`, ...),
//!   else another file beside a root of `trackplan: 1` and `name: Example`; `# path.yaml` lines split
//!   a block into several files; ```` ```yaml,ignore ```` blocks are fragments and are skipped (see
//!   [`files_from_doc_block`]).

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use support::check;
use trackplan_core::rules::{RuleEntry, RULES};
use trackplan_core::{parse_file, schema, Diagnostic, FileId, Plan, ROOT_FILE_NAME};

/// Generates the per-rule tests from the rules' module names (`src/rules/<name>.rs`, whose rule is
/// named with `-` for `_`). [`every_rule_is_tested`] keeps this list equal to [`RULES`].
macro_rules! per_rule_tests {
    ($($rule:ident,)*) => {
        /// The rules the tests below were generated for.
        const TESTED_RULES: &[&str] = &[$(stringify!($rule),)*];

        mod fixtures {
            $(
                #[test]
                fn $rule() {
                    super::check_fixtures(super::rule(stringify!($rule)));
                }
            )*
        }

        mod docs {
            $(
                #[test]
                fn $rule() {
                    super::check_docs(super::rule(stringify!($rule)));
                }
            )*
        }
    };
}

per_rule_tests! {
    yaml_syntax,
    duplicate_key,
    unsupported_yaml,
    limit_exceeded,
    unknown_key,
    invalid_value,
    missing_field,
    duplicate_definition,
    unknown_reference,
    event_name_case,
    property_name_case,
    reserved_name,
    name_too_long,
    too_many_properties,
    similar_names,
    type_mismatch,
    missing_description,
    missing_owner,
    kpi_unmeasured,
    flow_without_kpi,
    orphan_event,
    unused_property,
    identity_unset,
    pii_unflagged,
    deprecated_reference,
    property_type_conflict,
    expired,
    unused_ignore,
}

fn rule_name(module: &str) -> String {
    module.replace('_', "-")
}

fn rule(module: &str) -> &'static RuleEntry {
    let name = rule_name(module);
    trackplan_core::rules::find(&name).unwrap_or_else(|| panic!("no rule named `{name}`"))
}

#[test]
fn every_rule_is_tested() {
    let tested: Vec<String> = TESTED_RULES.iter().map(|m| rule_name(m)).collect();
    let registered: Vec<&str> = RULES.iter().map(|r| r.name()).collect();
    let untested: Vec<&&str> = registered
        .iter()
        .filter(|name| !tested.iter().any(|t| t == *name))
        .collect();
    let unknown: Vec<&String> = tested
        .iter()
        .filter(|t| !registered.contains(&t.as_str()))
        .collect();
    assert!(
        untested.is_empty() && unknown.is_empty(),
        "`per_rule_tests!` must list every rule of `RULES`: add {untested:?}, remove {unknown:?}"
    );
}

fn fixture_dir(rule: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(rule)
}

fn read_fixture(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

/// The fixture files of a rule whose names start with `prefix` (`invalid.yaml`,
/// `invalid-destinations.yaml`, ...), sorted.
fn fixture_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name.strip_prefix(prefix).is_some_and(|rest| {
                rest == ".yaml" || rest.starts_with('-') && rest.ends_with(".yaml")
            })
        })
        .collect();
    files.sort();
    files
}

/// The snapshot is asserted here, at the top level of this file, so its name stays `rules__<rule>-invalid`
/// (`rules__<rule>-invalid-<case>` for `invalid-<case>.yaml`) whichever test calls it (insta names
/// snapshots after the module of the assertion).
fn check_fixtures(rule: &RuleEntry) {
    let dir = fixture_dir(rule.name());

    let invalid = fixture_files(&dir, "invalid");
    assert!(!invalid.is_empty(), "{} has no invalid.yaml", dir.display());
    for invalid in invalid {
        let (diagnostics, rendered) = support::check_fixture(&read_fixture(&invalid));
        assert!(
            diagnostics.iter().any(|d| d.rule == rule.name()),
            "{} does not raise {}:\n{rendered}",
            invalid.display(),
            rule.name()
        );
        let stem = invalid
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        insta::assert_snapshot!(format!("{}-{stem}", rule.name()), rendered);
    }

    let valid = fixture_files(&dir, "valid");
    assert!(!valid.is_empty(), "{} has no valid.yaml", dir.display());
    for valid in valid {
        let (diagnostics, rendered) = support::check_fixture(&read_fixture(&valid));
        assert!(
            diagnostics.is_empty(),
            "{} is not clean:\n{rendered}",
            valid.display()
        );
    }
}

/// The sections every rule's documentation has, in this order.
const DOC_SECTIONS: [&str; 4] = ["What it does", "Why is this bad?", "Example", "Use instead"];

fn check_docs(rule: &RuleEntry) {
    let name = rule.name();
    assert!(!rule.summary().is_empty(), "{name} has no summary line");
    let doc = rule.source_doc();
    let sections = doc_sections(&doc);
    let headings: Vec<&str> = sections.iter().map(|(heading, _)| *heading).collect();
    assert_eq!(
        headings, DOC_SECTIONS,
        "{name}: the doc's `## ` sections must be exactly these, in this order"
    );
    let body = |heading: &str| {
        sections
            .iter()
            .find(|(h, _)| *h == heading)
            .map(|(_, body)| body.as_str())
            .unwrap_or_default()
    };

    let example = match code_blocks(name, "Example", body("Example")).as_slice() {
        [block] => block.clone(),
        blocks => panic!(
            "{name}: the Example must hold exactly one ```yaml block, not {}",
            blocks.len()
        ),
    };
    if !example.ignored {
        let (files, diagnostics, rendered) = check_doc_block(&example.text);
        assert!(
            diagnostics.iter().any(|d| d.rule == name),
            "{name}: its doc's Example does not raise it.\n{}\ndiagnostics:\n{rendered}",
            describe(&files)
        );
    }

    // "Use instead" may be prose alone, where no short plan shows the remedy.
    let use_instead = code_blocks(name, "Use instead", body("Use instead"));
    assert!(
        use_instead.len() <= 1,
        "{name}: \"Use instead\" holds {} code blocks, at most one is allowed",
        use_instead.len()
    );
    if let Some(block) = use_instead.first().filter(|b| !b.ignored) {
        let (files, diagnostics, rendered) = check_doc_block(&block.text);
        assert!(
            diagnostics.iter().all(|d| d.rule != name),
            "{name}: its doc's \"Use instead\" still raises it.\n{}\ndiagnostics:\n{rendered}",
            describe(&files)
        );
    }
}

/// The doc's `## ` sections: heading and body. Text before the first heading (the summary) is left out.
fn doc_sections(doc: &str) -> Vec<(&str, String)> {
    let mut sections: Vec<(&str, String)> = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        match line.strip_prefix("## ").filter(|_| !in_code) {
            Some(heading) => sections.push((heading.trim(), String::new())),
            None => {
                if let Some((_, body)) = sections.last_mut() {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    sections
}

#[derive(Clone, Debug)]
struct CodeBlock {
    text: String,
    /// Marked ```` ```yaml,ignore ````: a fragment that cannot stand alone as a plan file.
    ignored: bool,
}

/// The fenced code blocks of a section. Only ```` ```yaml ```` and ```` ```yaml,ignore ```` are
/// allowed, so that a block in another language is not silently left untested.
fn code_blocks(rule: &str, section: &str, body: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut lines = body.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim().strip_prefix("```") else {
            continue;
        };
        let ignored = match info.trim() {
            "yaml" => false,
            "yaml,ignore" => true,
            other => panic!(
                "{rule}: code block ```{other} in {section}; write ```yaml, or ```yaml,ignore for a \
                 fragment that cannot stand alone"
            ),
        };
        let mut text = String::new();
        loop {
            match lines.next() {
                Some(line) if line.trim() == "```" => break,
                Some(line) => {
                    text.push_str(line);
                    text.push('\n');
                }
                None => panic!("{rule}: unclosed code block in {section}"),
            }
        }
        blocks.push(CodeBlock { text, ignored });
    }
    blocks
}

/// Checks the plan a doc block stands for: its files (path and text), diagnostics, and diagnostics
/// rendered.
fn check_doc_block(block: &str) -> (Vec<(String, String)>, Vec<Diagnostic>, String) {
    let files = files_from_doc_block(block);
    let plan = Plan::new(
        files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| Arc::new(parse_file(FileId(i as u32), path, text.as_str())))
            .collect(),
    );
    let diagnostics = check(&plan);
    let rendered = support::render(&plan, &diagnostics);
    (files, diagnostics, rendered)
}

/// The text of a minimal root file, added when a doc block holds no root file of its own.
const MINIMAL_ROOT: &str = "trackplan: 1\nname: Example\n";

/// A doc block read as the files (path and text) of a minimal plan:
///
/// - A comment line that is only a file path (`# events/checkout.yaml`) starts a file of that path,
///   so one block can show two files; text before the first such line is one file without a path.
/// - A file without a path is the root file `trackplan.yaml` when one of its top-level keys may only
///   stand in the root (`trackplan`, `name`, `conventions`, `identity`, `lint`, ...: see
///   [`schema::is_root_only`]); it is then read exactly as written, so an Example can show a root file
///   that lacks `trackplan:`. Otherwise it is `example.yaml`, another file of the plan.
/// - When no file is the root, a minimal root `trackplan: 1` / `name: Example` is added: the plan has
///   no conventions, no identity and no lint settings unless the block gives them.
fn files_from_doc_block(block: &str) -> Vec<(String, String)> {
    let mut files: Vec<(Option<String>, String)> = vec![(None, String::new())];
    for line in block.split_inclusive('\n') {
        match file_path_comment(line) {
            Some(path) => files.push((Some(path.to_string()), String::new())),
            None => files
                .last_mut()
                .expect("one file at least")
                .1
                .push_str(line),
        }
    }
    if files[0].1.trim().is_empty() && files.len() > 1 {
        files.remove(0);
    }
    let mut files: Vec<(String, String)> = files
        .into_iter()
        .map(|(path, text)| {
            let path = path.unwrap_or_else(|| {
                let root = top_level_keys(&text).any(schema::is_root_only);
                if root { ROOT_FILE_NAME } else { "example.yaml" }.to_string()
            });
            (path, text)
        })
        .collect();
    if !files.iter().any(|(path, _)| path == ROOT_FILE_NAME) {
        files.insert(0, (ROOT_FILE_NAME.to_string(), MINIMAL_ROOT.to_string()));
    }
    files
}

/// `events/checkout.yaml` from the line `# events/checkout.yaml`.
fn file_path_comment(line: &str) -> Option<&str> {
    let path = line.trim_end().strip_prefix("# ")?;
    let is_path = !path.is_empty()
        && !path.contains(char::is_whitespace)
        && (path.ends_with(".yaml") || path.ends_with(".yml"));
    is_path.then_some(path)
}

/// The keys of a file's top-level mapping, as written at the start of a line (doc examples write
/// top-level keys plainly, one per line).
fn top_level_keys(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|line| !line.starts_with([' ', '\t', '#', '-']))
        .filter_map(|line| line.split_once(':'))
        .map(|(key, _)| key.trim().trim_matches(['"', '\'']))
}

/// A plan's files, for a failure message.
fn describe(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(path, text)| format!("--- {path}\n{text}"))
        .collect()
}

#[test]
fn doc_blocks_become_files_of_a_minimal_plan() {
    let root = (ROOT_FILE_NAME.to_string(), MINIMAL_ROOT.to_string());
    let file = |path: &str, text: &str| (path.to_string(), text.to_string());
    assert_eq!(
        files_from_doc_block("events:\n  A: {}\n"),
        [root.clone(), file("example.yaml", "events:\n  A: {}\n")]
    );
    assert_eq!(
        files_from_doc_block("conventions: {event_case: title}\nevents:\n  a: {}\n"),
        [file(
            ROOT_FILE_NAME,
            "conventions: {event_case: title}\nevents:\n  a: {}\n"
        )]
    );
    assert_eq!(
        files_from_doc_block("# events/a.yaml\nevents:\n  A: {}\n# events/b.yml\nevents: {}\n"),
        [
            root,
            file("events/a.yaml", "events:\n  A: {}\n"),
            file("events/b.yml", "events: {}\n"),
        ]
    );
}

#[test]
fn doc_code_blocks_are_yaml_or_ignored_yaml() {
    let blocks = code_blocks(
        "r",
        "Example",
        "text\n```yaml\na: 1\n```\n```yaml,ignore\n# ...\n```\n",
    );
    let read: Vec<(&str, bool)> = blocks
        .iter()
        .map(|b| (b.text.as_str(), b.ignored))
        .collect();
    assert_eq!(read, [("a: 1\n", false), ("# ...\n", true)]);
    let other = std::panic::catch_unwind(|| code_blocks("r", "Example", "```yml\na: 1\n```\n"));
    assert!(other.is_err(), "a ```yml block must not pass untested");
}
