//! The rules: one file each, registered in [`RULES`].
//!
//! A rule's `//!` doc comment, in fixed sections (What it does / Why is this bad? / Example / Use
//! instead), is its documentation everywhere: `trackplan explain`, the generated `docs/rules.md` and the
//! editor's hover on a diagnostic. Rules that concern one file alone (`check_file`) run when the file
//! is read, so their findings are cached with it; the others (`check_plan`) see the whole plan.

use crate::diagnostic::{Diagnostic, Severity};
use crate::index::Index;
use crate::model::Plan;
use crate::span::SourceFile;
use crate::syntax::SyntaxTree;

/// What a plan-wide rule sees.
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub index: &'a Index<'a>,
}

pub trait Rule: Sync {
    /// The stable kebab-case name.
    fn name(&self) -> &'static str;
    fn default_severity(&self) -> Severity;
    /// Findings that depend on one file alone.
    fn check_file(&self, _source: &SourceFile, _tree: &SyntaxTree, _out: &mut Vec<Diagnostic>) {}
    /// Findings that need the whole plan.
    fn check_plan(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// A registered rule with its documentation.
pub struct RuleEntry {
    pub rule: &'static dyn Rule,
    source: &'static str,
}

impl RuleEntry {
    pub fn name(&self) -> &'static str {
        self.rule.name()
    }

    pub fn default_severity(&self) -> Severity {
        self.rule.default_severity()
    }

    /// The rule's documentation: its file's `//!` comment, as Markdown.
    pub fn doc(&self) -> String {
        let mut doc = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            doc.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            doc.push('\n');
        }
        doc.trim().to_string()
    }

    /// The first sentence of the doc: what the rule flags.
    pub fn summary(&self) -> String {
        self.doc().lines().next().unwrap_or_default().to_string()
    }
}

macro_rules! rules {
    ($($module:ident: $rule:ident,)*) => {
        $(pub mod $module;)*

        /// Every rule, in the order they are documented.
        pub static RULES: &[RuleEntry] = &[
            $(RuleEntry { rule: &$module::$rule, source: include_str!(concat!(stringify!($module), ".rs")) },)*
        ];
    };
}

rules! {
    yaml_syntax: YamlSyntax,
    duplicate_key: DuplicateKey,
    unsupported_yaml: UnsupportedYaml,
    limit_exceeded: LimitExceeded,
    unknown_key: UnknownKey,
    invalid_value: InvalidValue,
    missing_field: MissingField,
    duplicate_definition: DuplicateDefinition,
    unknown_reference: UnknownReference,
    event_name_case: EventNameCase,
    property_name_case: PropertyNameCase,
    reserved_name: ReservedName,
    name_too_long: NameTooLong,
    too_many_properties: TooManyProperties,
    similar_names: SimilarNames,
    type_mismatch: TypeMismatch,
    missing_description: MissingDescription,
    missing_owner: MissingOwner,
    kpi_unmeasured: KpiUnmeasured,
    flow_without_kpi: FlowWithoutKpi,
    orphan_event: OrphanEvent,
    unused_property: UnusedProperty,
    identity_unset: IdentityUnset,
    pii_unflagged: PiiUnflagged,
    deprecated_reference: DeprecatedReference,
    property_type_conflict: PropertyTypeConflict,
    unused_ignore: UnusedIgnore,
}

pub fn find(name: &str) -> Option<&'static RuleEntry> {
    RULES.iter().find(|r| r.name() == name)
}

/// Runs the per-file rules on one file.
pub fn check_file(source: &SourceFile, tree: &SyntaxTree, out: &mut Vec<Diagnostic>) {
    for entry in RULES {
        entry.rule.check_file(source, tree, out);
    }
}

/// Runs the plan-wide rules.
///
/// Rules are independent of one another, so on a large plan they run on the available cores (the
/// caller sorts the findings, so the order they arrive in does not matter).
pub fn check_plan(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    /// Below this many references, starting threads costs more than it saves.
    const PARALLEL_FROM: usize = 20_000;
    let threads = if cx.index.references().len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    run_plan_rules(cx, out, threads);
}

fn run_plan_rules(cx: &Context<'_>, out: &mut Vec<Diagnostic>, threads: usize) {
    let found = crate::parallel::map_on(threads, RULES, |entry| {
        let mut found = Vec::new();
        entry.rule.check_plan(cx, &mut found);
        found
    });
    out.extend(found.into_iter().flatten());
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
        };
        let run = |threads| {
            let mut out = Vec::new();
            run_plan_rules(&cx, &mut out, threads);
            out.sort_by_key(|d| (d.span, d.rule, d.message.clone()));
            out
        };
        let sequential = run(1);
        assert!(sequential.len() > 1000, "{}", sequential.len());
        assert_eq!(sequential, run(3));
    }
}

/// What rule files share.
mod prelude {
    pub use super::{Context, Rule};
    pub use crate::diagnostic::{Diagnostic, Edit, Severity};
    pub use crate::model::*;
    pub use crate::span::{SourceFile, Span, Spanned};
    pub use crate::syntax::{SyntaxIssue, SyntaxTree};
}
