//! Per rule: `fixtures/rules/<rule>/invalid.yaml` must raise the rule (snapshot of every diagnostic)
//! and `valid.yaml` must check clean.

mod support;

use std::path::Path;
use trackplan_core::rules::RULES;

fn fixture_dir(rule: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(rule)
}

#[test]
fn every_rule_has_a_valid_and_an_invalid_fixture() {
    let missing: Vec<String> = RULES
        .iter()
        .flat_map(|r| ["valid.yaml", "invalid.yaml"].map(|f| fixture_dir(r.name()).join(f)))
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "missing fixtures:\n{}",
        missing.join("\n")
    );
}

#[test]
fn invalid_fixtures_raise_their_rule() {
    for rule in RULES {
        let path = fixture_dir(rule.name()).join("invalid.yaml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (diagnostics, rendered) = support::check_fixture(&text);
        assert!(
            diagnostics.iter().any(|d| d.rule == rule.name()),
            "{} does not raise {}:\n{rendered}",
            path.display(),
            rule.name()
        );
        insta::assert_snapshot!(format!("{}-invalid", rule.name()), rendered);
    }
}

#[test]
fn valid_fixtures_check_clean() {
    let mut failures = String::new();
    for rule in RULES {
        let path = fixture_dir(rule.name()).join("valid.yaml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (diagnostics, rendered) = support::check_fixture(&text);
        if !diagnostics.is_empty() {
            failures.push_str(&format!("{} is not clean:\n{rendered}\n", path.display()));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn rule_docs_have_the_fixed_sections() {
    for rule in RULES {
        let doc = rule.doc();
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(doc.contains(section), "{} lacks {section}", rule.name());
        }
        assert!(
            !rule.summary().is_empty(),
            "{} has no summary line",
            rule.name()
        );
    }
}
