//! Flags an event, property, KPI or flow without a description.
//!
//! ## What it does
//! Reports events, dictionary properties, user properties, properties defined inline in an event, KPIs
//! and flows that have no `description`. A KPI's `definition` (how it is computed) does not count as
//! its description (why it matters).
//!
//! ## Why is this bad?
//! The plan is the shared document between product, marketing, data and engineering. An event without
//! a description is implemented by guesswork ("fired on click or on success?") and analysed by
//! guesswork.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     owner: growth
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Order Completed:
//!     owner: growth
//!     description: Fired when the payment provider confirms the payment, once per order.
//! ```

use super::prelude::*;

declare_rule!(MissingDescription, "missing-description", Warning);

impl Rule for MissingDescription {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut report = |noun: &str, name: &Name, common: &Common| {
            let empty = common.description.as_ref().is_none_or(|d| d.value.trim().is_empty());
            if empty {
                out.push(
                    Diagnostic::new(RULE, name.span, format!("{noun} `{}` has no description", name.text))
                        .with_help(help(noun)),
                );
            }
        };
        for event in cx.plan.events() {
            report("event", &event.name, &event.common);
        }
        for &(site, def) in cx.index.property_definitions() {
            let noun = match site {
                PropertySite::Dictionary => "property",
                PropertySite::User => "user property",
                PropertySite::Inline(_) => "property",
                PropertySite::Nested => continue,
            };
            report(noun, &def.name, &def.common);
        }
        for kpi in cx.plan.kpis() {
            report("KPI", &kpi.id, &kpi.common);
        }
        for flow in cx.plan.flows() {
            report("flow", &flow.id, &flow.common);
        }
    }
}

/// What a description of this kind of entity says.
fn help(noun: &str) -> &'static str {
    match noun {
        "event" => "add `description:` saying what the user did and exactly when the event fires",
        "user property" => "add `description:` saying what it records about the user and when it is set",
        "KPI" => "add `description:` saying why the KPI matters (`definition` says how it is computed)",
        "flow" => "add `description:` saying the journey in a sentence: who does what, to what end",
        _ => "add `description:` saying what the value means, with its unit or format where it has one",
    }
}
