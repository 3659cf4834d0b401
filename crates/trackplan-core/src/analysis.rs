//! The one entry point every adapter uses: a plan in, its findings out.

use crate::diagnostic::{Diagnostic, Severity};
use crate::index::Index;
use crate::model::{LintLevel, Plan, Suppression};
use crate::rules::{self, unused_ignore, Context, RuleName};
use crate::span::FileId;
use rustc_hash::FxHashMap as HashMap;

/// Checks a plan: the per-file findings made while reading its files, then the plan-wide rules;
/// severities follow the rules' defaults and the plan's `lint:` section, and `# trackplan-ignore`
/// comments silence what they name. Sorted by file (plan order), position and rule.
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = plan
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().cloned())
        .collect();
    let index = Index::new(plan);
    rules::check_plan(
        &Context {
            plan,
            index: &index,
        },
        &mut diagnostics,
    );

    let levels = levels(plan);
    diagnostics.retain_mut(|d| match level_of(&levels, d.rule) {
        Some(severity) => {
            d.severity = severity;
            true
        }
        None => false,
    });
    apply_suppressions(plan, &levels, &mut diagnostics);

    let order: HashMap<FileId, usize> = plan
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id(), i))
        .collect();
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| (order.get(&d.span.file).copied(), d.span.start, d.span.end);
        key(a)
            .cmp(&key(b))
            .then(a.rule.as_str().cmp(b.rule.as_str()))
            .then(a.message.cmp(&b.message))
    });
    diagnostics.dedup();
    diagnostics
}

type Levels = HashMap<RuleName, LintLevel>;

fn levels(plan: &Plan) -> Levels {
    let mut levels = Levels::default();
    for setting in plan.settings().lint {
        if let Some(rule) = RuleName::parse(&setting.rule.text) {
            levels.insert(rule, setting.level.value);
        }
    }
    levels
}

/// The severity a rule reports at, or `None` when it is off.
fn level_of(levels: &Levels, rule: RuleName) -> Option<Severity> {
    let default = rule.entry().default_severity();
    match levels.get(&rule) {
        None => Some(default),
        Some(LintLevel::Error) => Some(Severity::Error),
        Some(LintLevel::Warning) => Some(Severity::Warning),
        Some(LintLevel::Info) => Some(Severity::Info),
        Some(LintLevel::Off) => None,
    }
}

fn apply_suppressions(plan: &Plan, levels: &Levels, diagnostics: &mut Vec<Diagnostic>) {
    let suppressions: Vec<&Suppression> =
        plan.parts().flat_map(|p| p.suppressions.iter()).collect();
    if suppressions.is_empty() {
        return;
    }
    // used[i][j]: rule j of suppression i silenced something.
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.rules.len()])
        .collect();
    diagnostics.retain(|d| {
        let mut silenced = false;
        for (i, s) in suppressions.iter().enumerate() {
            if !s.scope.contains_span(d.span) {
                continue;
            }
            for (j, rule) in s.rules.iter().enumerate() {
                if rule.text == d.rule.as_str() {
                    used[i][j] = true;
                    silenced = true;
                }
            }
        }
        !silenced
    });
    if let Some(severity) = level_of(levels, RuleName::UnusedIgnore) {
        for (s, used) in suppressions.iter().zip(used) {
            for (rule, used) in s.rules.iter().zip(used) {
                let off =
                    RuleName::parse(&rule.text).is_some_and(|r| level_of(levels, r).is_none());
                if !used && !off {
                    let mut d = unused_ignore::diagnostic(rule);
                    d.severity = severity;
                    diagnostics.push(d);
                }
            }
        }
    }
}
