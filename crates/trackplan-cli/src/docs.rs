//! Documentation generated from the rule table: `trackplan rules` and docs/rules.md.

use trackplan_audit::AUDIT_RULES;
use trackplan_core::rules::RULES;

/// One line per rule: name, default severity, what it flags.
pub fn rules_table() -> String {
    RULES
        .iter()
        .map(|rule| {
            format!(
                "{:<24} {:<8} {}\n",
                rule.name(),
                rule.default_severity().as_str(),
                rule.summary()
            )
        })
        .collect()
}

/// A rule as its documentation page shows it.
struct Page {
    name: &'static str,
    severity: &'static str,
    summary: String,
    doc: String,
}

/// docs/rules.md: an index, then each rule's documentation. A test keeps the file equal to this.
pub fn rules_markdown() -> String {
    pages(
        "<!-- Generated from the rules' doc comments by `trackplan rules --markdown`; do not edit. -->\n\n# Rules\n\n\
         Every rule has a stable name and a default severity. A plan's `lint:` section changes the \
         severity (`error`, `warning`, `info`) or turns a rule `off`; a `# trackplan-ignore: RULE` comment \
         on an entity's key line silences a rule for that entity. `trackplan explain RULE` prints a rule's \
         page in the terminal.\n\n",
        RULES.iter().map(|rule| Page {
            name: rule.name(),
            severity: rule.default_severity().as_str(),
            summary: rule.summary(),
            doc: rule.doc(),
        }),
    )
}

/// `trackplan rules --audit`: the rules of `trackplan audit`, one a line.
pub fn audit_rules_table() -> String {
    AUDIT_RULES
        .iter()
        .map(|rule| {
            format!(
                "{:<26} {:<8} {}\n",
                rule.name(),
                rule.default_severity().as_str(),
                rule.summary()
            )
        })
        .collect()
}

/// docs/audit-rules.md: the audit rules' pages. A test keeps the file equal to this.
pub fn audit_rules_markdown() -> String {
    pages(
        "<!-- Generated from the audit rules' doc comments by `trackplan rules --audit --markdown`; do not edit. -->\n\n# Audit rules\n\n\
         The rules of `trackplan audit`, which checks events against the plan ([audit.md](audit.md)). \
         Each has a stable name and a default severity; `trackplan explain RULE` prints its page in the \
         terminal. Each Example shows a plan and events that raise the rule, and Use instead events \
         that do not.\n\n",
        AUDIT_RULES.iter().map(|rule| Page {
            name: rule.name(),
            severity: rule.default_severity().as_str(),
            summary: rule.summary(),
            doc: rule.doc(),
        }),
    )
}

/// An introduction, an index of the rules, then each rule's page.
fn pages(intro: &str, rules: impl Iterator<Item = Page>) -> String {
    let rules: Vec<Page> = rules.collect();
    let mut out = format!("{intro}| rule | default | flags |\n|---|---|---|\n");
    for rule in &rules {
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} |\n",
            rule.name,
            rule.severity,
            rule.summary.trim_end_matches('.')
        ));
    }
    for rule in &rules {
        let (summary, body) = rule.doc.split_once('\n').unwrap_or((&rule.doc, ""));
        // Rule pages nest under the rule's heading.
        let body = body.trim().replace("\n## ", "\n### ");
        let body = body
            .strip_prefix("## ")
            .map(|b| format!("### {b}"))
            .unwrap_or(body);
        out.push_str(&format!(
            "\n## {}\n\nDefault severity: **{}**. {summary}\n\n{body}\n",
            rule.name, rule.severity,
        ));
    }
    out
}
