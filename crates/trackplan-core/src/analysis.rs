//! The one entry point every adapter uses: a plan in, its findings out.

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::Index;
use crate::model::{LintLevel, Plan, Suppression};
use crate::rules::{self, unused_ignore, Context, RuleName};
use crate::span::FileId;
use rustc_hash::FxHashMap as HashMap;

/// What a check needs beyond the plan. The core reads no clock: adapters pass today's date.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Today, for `expired` (without it, `expired` reports nothing).
    pub today: Option<Date>,
}

/// Checks a plan without a date (see [`check_with`]).
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    check_with(plan, &CheckOptions::default())
}

/// Checks a plan: the per-file findings made while reading its files, then the plan-wide rules;
/// severities follow the rules' defaults and the plan's `lint:` section, and `# trackplan-ignore`
/// comments silence what they name. Sorted by file (plan order), position and rule.
pub fn check_with(plan: &Plan, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = plan
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().cloned())
        .collect();
    let levels = levels(plan);
    let index = Index::new(plan);
    rules::check_plan(
        &Context {
            plan,
            index: &index,
            today: options.today,
        },
        |rule| level_of(&levels, rule).is_some(),
        &mut diagnostics,
    );

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
    sort_stably(&mut diagnostics, |a, b| {
        let key = |d: &Diagnostic| (order.get(&d.span.file).copied(), d.span.start, d.span.end);
        key(a)
            .cmp(&key(b))
            .then(a.rule.as_str().cmp(b.rule.as_str()))
            .then(a.message.cmp(&b.message))
    });
    diagnostics.dedup();
    diagnostics
}

/// A stable sort that needs room for one index per finding rather than for half the findings (as
/// `sort_by` does): a large plan can have millions of findings.
fn sort_stably(
    items: &mut [Diagnostic],
    compare: impl Fn(&Diagnostic, &Diagnostic) -> std::cmp::Ordering,
) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare(&items[a], &items[b]));
    // Position `i` takes the item now at `order[i]`: follow each cycle of the permutation, marking
    // positions done by pointing them at themselves.
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn the_sort_by_index_keeps_equal_findings_in_order_like_sort_by() {
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 10, 257] {
            let items: Vec<Diagnostic> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let start = (seed >> 33) as u32 % 8;
                    let at = Span::new(FileId(0), start as usize, 9);
                    Diagnostic::new(RuleName::OrphanEvent, at, format!("{i}"))
                })
                .collect();
            let by_start = |a: &Diagnostic, b: &Diagnostic| a.span.start.cmp(&b.span.start);
            let mut expected = items.clone();
            expected.sort_by(by_start);
            let mut sorted = items;
            sort_stably(&mut sorted, by_start);
            assert_eq!(sorted, expected);
        }
    }
}
