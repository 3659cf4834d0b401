//! The rules: one file each, registered in [`RULES`].
//!
//! A rule's `//!` doc comment, in fixed sections (What it does / Why is this bad? / Example / Use
//! instead), is its documentation everywhere: `trackplan explain`, the generated `docs/rules.md` and the
//! editor's hover on a diagnostic. Rules that concern one file alone (`check_file`) run when the file
//! is read, so their findings are cached with it; the others (`check_plan`) see the whole plan.

use crate::date::Date;
use crate::destinations::Destinations;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::Index;
use crate::model::{FilePart, ModelIssue, Plan};
pub use crate::rule_names::RuleName;
use crate::span::SourceFile;
use crate::syntax::SyntaxTree;

/// What a per-file rule sees: the file's text, its syntax tree, its model and what the reader found
/// that does not fit the format.
pub struct FileFacts<'a> {
    pub source: &'a SourceFile,
    pub tree: &'a SyntaxTree,
    pub part: &'a FilePart,
    pub issues: &'a [ModelIssue],
}

/// What a plan-wide rule sees.
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub index: &'a Index<'a>,
    /// Today's date, when the caller gave it (`expired` needs it).
    pub today: Option<Date>,
}

impl Context<'_> {
    /// The plan's destinations, which decide reserved names, limits and the cross-event rules.
    pub fn destinations(&self) -> Destinations {
        Destinations::new(&self.plan.destinations())
    }
}

/// What a rule checks. Its name and default severity are declared with it (`declare_rule!`).
pub trait Rule: Sync {
    /// Findings that depend on one file alone.
    fn check_file(&self, _file: &FileFacts<'_>, _out: &mut Vec<Diagnostic>) {}
    /// Findings that need the whole plan.
    fn check_plan(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// A registered rule with its documentation.
pub struct RuleEntry {
    pub rule: &'static dyn Rule,
    name: &'static str,
    default_severity: Severity,
    source: &'static str,
}

impl RuleEntry {
    /// The stable kebab-case name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The severity the rule reports at unless the plan's `lint:` sets another.
    pub fn default_severity(&self) -> Severity {
        self.default_severity
    }

    /// The rule's documentation: its file's `//!` comment, as Markdown.
    pub fn doc(&self) -> String {
        // `yaml,ignore` marks an example the doc tests skip; readers see a YAML block.
        self.source_doc().replace("```yaml,ignore\n", "```yaml\n")
    }

    /// The doc comment as written, with the test markers of its code blocks.
    pub fn source_doc(&self) -> String {
        module_doc(self.source)
    }

    /// The first sentence of the doc: what the rule flags.
    pub fn summary(&self) -> String {
        self.doc().lines().next().unwrap_or_default().to_string()
    }
}

/// Declares a rule in its own file: its struct, its stable name (the one place the name is
/// written) and the severity it reports at unless the plan's `lint:` sets another.
macro_rules! declare_rule {
    ($rule:ident, $name:literal, $severity:ident) => {
        pub struct $rule;

        const RULE: RuleName = RuleName::$rule;

        /// The rule's stable name.
        pub const NAME: &str = $name;

        /// The severity the rule reports at unless the plan's `lint:` sets another.
        pub const DEFAULT_SEVERITY: Severity = Severity::$severity;
    };
}

macro_rules! rules {
    ($($module:ident: $rule:ident,)*) => {
        $(pub mod $module;)*

        /// Every rule, in the order they are documented (the order of [`RuleName::ALL`]).
        pub static RULES: &[RuleEntry] = &[
            $(RuleEntry {
                rule: &$module::$rule,
                name: $module::NAME,
                default_severity: $module::DEFAULT_SEVERITY,
                source: include_str!(concat!(stringify!($module), ".rs")),
            },)*
        ];

        impl RuleName {
            /// The rule's stable kebab-case name, as its file declares it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( RuleName::$rule => $module::NAME, )*
                }
            }
        }
    };
}

crate::rule_names::rule_table!(rules);

impl RuleName {
    /// The rule of a name.
    pub fn parse(name: &str) -> Option<RuleName> {
        RuleName::ALL.iter().copied().find(|r| r.as_str() == name)
    }

    /// The rule's entry in [`RULES`].
    pub fn entry(self) -> &'static RuleEntry {
        &RULES[self as usize]
    }
}

impl std::fmt::Display for RuleName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for RuleName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<RuleName> for &str {
    fn eq(&self, other: &RuleName) -> bool {
        *self == other.as_str()
    }
}

/// A source file's `//!` comment (its first lines), as Markdown: where every rule, the plan's and
/// the audit's, keeps its documentation.
pub fn module_doc(source: &str) -> String {
    let mut doc = String::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        doc.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        doc.push('\n');
    }
    doc.trim().to_string()
}

pub fn find(name: &str) -> Option<&'static RuleEntry> {
    RULES.iter().find(|r| r.name() == name)
}

/// Runs the per-file rules on one file.
pub fn check_file(file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
    for entry in RULES {
        entry.rule.check_file(file, out);
    }
}

/// Runs the plan-wide rules that `enabled` accepts (the plan's `lint:` section turns some off).
///
/// Rules are independent of one another, so on a large plan they run on the available cores (the
/// caller sorts the findings, so the order they arrive in does not matter).
pub fn check_plan(cx: &Context<'_>, enabled: impl Fn(RuleName) -> bool, out: &mut Vec<Diagnostic>) {
    /// Below this many references, starting threads costs more than it saves.
    const PARALLEL_FROM: usize = 20_000;
    let threads = if cx.index.references().len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    let rules: Vec<&RuleEntry> = RuleName::ALL
        .iter()
        .filter(|r| enabled(**r))
        .map(|r| r.entry())
        .collect();
    run_plan_rules(cx, &rules, out, threads);
}

fn run_plan_rules(
    cx: &Context<'_>,
    rules: &[&RuleEntry],
    out: &mut Vec<Diagnostic>,
    threads: usize,
) {
    let found = crate::parallel::map_on(threads, rules, |entry| {
        let mut found = Vec::new();
        entry.rule.check_plan(cx, &mut found);
        found
    });
    // Sized once: a large plan has millions of findings, and growing by doubling would hold up to
    // twice their room at the peak.
    out.reserve_exact(found.iter().map(Vec::len).sum());
    for found in found {
        out.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_file, FileId, Plan};
    use std::sync::Arc;

    #[test]
    fn rules_find_the_same_on_one_thread_and_on_several() {
        let mut text =
            String::from("trackplan: 1\nname: X\nconventions: {event_case: title}\nevents:\n");
        for i in 0..300 {
            text.push_str(&format!("  event {i}:\n    kpis: [kpi-{i}]\n    properties: {{p{i}: required, $x: optional}}\n"));
        }
        let plan = Plan::new(vec![Arc::new(parse_file(
            FileId(0),
            "trackplan.yaml",
            text,
        ))]);
        let index = Index::new(&plan);
        let cx = Context {
            plan: &plan,
            index: &index,
            today: None,
        };
        let rules: Vec<&RuleEntry> = RULES.iter().collect();
        let run = |threads| {
            let mut out = Vec::new();
            run_plan_rules(&cx, &rules, &mut out, threads);
            out.sort_by_key(|d| (d.span, d.rule.as_str(), d.message.clone()));
            out
        };
        let sequential = run(1);
        assert!(sequential.len() > 1000, "{}", sequential.len());
        assert_eq!(sequential, run(3));
    }
}

/// What rule files share.
mod prelude {
    pub use super::{Context, FileFacts, Rule, RuleName};
    pub use crate::destinations::{DestinationInfo, Reservation};
    pub use crate::diagnostic::{Diagnostic, Edit, Severity};
    pub use crate::model::*;
    pub use crate::span::{SourceFile, Span, Spanned};
    pub use crate::syntax::SyntaxIssue;
}
