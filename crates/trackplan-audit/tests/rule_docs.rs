//! Every audit rule's page is a test: the plan and events of its Example raise the rule, the
//! events of its Use instead (against the same plan) do not.

mod common;

use common::plan_of;
use trackplan_audit::{audit_text, AUDIT_RULES};

/// The code blocks of one section of a rule's page, by language.
fn blocks<'d>(doc: &'d str, section: &str, language: &str) -> Vec<&'d str> {
    let start = doc
        .find(&format!("## {section}\n"))
        .unwrap_or_else(|| panic!("no {section}"));
    let rest = &doc[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    let section = &rest[..end];
    let fence = format!("```{language}\n");
    section
        .match_indices(&fence)
        .map(|(at, _)| {
            let body = &section[at + fence.len()..];
            &body[..body.find("```").unwrap()]
        })
        .collect()
}

#[test]
fn every_rule_has_the_four_sections_and_its_examples_hold() {
    for rule in AUDIT_RULES {
        let doc = rule.doc();
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(doc.contains(section), "{}: no {section}", rule.name());
        }
        let plan = blocks(&doc, "Example", "yaml");
        assert_eq!(plan.len(), 1, "{}: one plan in Example", rule.name());
        let plan = plan_of(plan[0]);
        let raises = blocks(&doc, "Example", "json");
        let fine = blocks(&doc, "Use instead", "json");
        assert_eq!((raises.len(), fine.len()), (1, 1), "{}", rule.name());
        let report = audit_text(&plan, "example.ndjson", raises[0].as_bytes());
        assert!(
            report.findings.iter().any(|f| f.rule == rule.rule),
            "{}: the Example does not raise it: {:?}",
            rule.name(),
            report.findings
        );
        let report = audit_text(&plan, "example.ndjson", fine[0].as_bytes());
        assert!(
            !report.findings.iter().any(|f| f.rule == rule.rule),
            "{}: Use instead raises it: {:?}",
            rule.name(),
            report.findings
        );
    }
}
