//! Flags an event name that breaks the plan's `conventions.event_case`.
//!
//! ## What it does
//! When `conventions.event_case` is set, every event name must follow it: `title` (every
//! space-separated word starts with an uppercase letter or a digit; acronyms are fine: "SSO Login
//! Completed"), `lower` (lowercase words separated by single spaces), `snake`, `kebab`, `camel` or
//! `pascal`. Without `conventions` no case rule runs. The quick fix renames the event and every
//! reference to it.
//!
//! ## Why is this bad?
//! Mixpanel event names are case-sensitive: "Order Completed" and "order completed" are two events,
//! and mixed conventions make the event list hard to search and easy to duplicate.
//!
//! ## Example
//! ```yaml
//! conventions: {event_case: title}
//! events:
//!   order completed: {description: Fired when payment succeeds.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! conventions: {event_case: title}
//! events:
//!   Order Completed: {description: Fired when payment succeeds.}
//! ```

use super::prelude::*;
use crate::case;

declare_rule!(EventNameCase, "event-name-case", Warning);

impl Rule for EventNameCase {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(convention) = cx.plan.conventions().event_case else {
            return;
        };
        for event in cx.plan.events() {
            let name = &event.name.text;
            if case::follows(name, convention.value) {
                continue;
            }
            out.push(case_diagnostic(
                RULE,
                &event.name,
                "event",
                convention.value,
                cx.index.rename_edits(EntityKind::Event, name, &case::convert(name, convention.value)),
            ));
        }
    }
}

/// The finding of both case rules; the fix renames the name with `edits`.
pub(super) fn case_diagnostic(
    rule: RuleName,
    name: &Name,
    noun: &str,
    convention: Case,
    edits: Vec<Edit>,
) -> Diagnostic {
    let fixed = case::convert(&name.text, convention);
    let d = Diagnostic::new(
        rule,
        name.span,
        format!("{noun} name `{}` is not {} case", name.text, convention.as_str()),
    );
    if fixed.is_empty() || fixed == name.text || !case::follows(&fixed, convention) {
        return d.with_help(format!("the plan's conventions ask for {} case", convention.as_str()));
    }
    d.with_help(format!("rename it to `{fixed}`"))
        .with_fix(format!("Rename to `{fixed}`"), edits)
}
