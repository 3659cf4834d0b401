//! Flags an event with more properties than a destination keeps.
//!
//! ## What it does
//! Counts the properties an event is sent with — its own and the plan's super properties — and reports
//! events over the smallest limit among the plan's destinations: Mixpanel's 255 (the default), or
//! Amplitude's 1,000. Segment, RudderStack, Snowplow and `generic` set no limit.
//!
//! ## Why is this bad?
//! Mixpanel drops properties past the limit (Amplitude drops them all), so some of the data the plan
//! promises never arrives.
//!
//! ## Example
//! ```yaml,ignore
//! events:
//!   Form Submitted:
//!     properties:
//!       field_1: optional
//!       # ... through field_300
//! ```
//!
//! ## Use instead
//! Send a list or object property (`fields: {type: list, items: string}`) or split the event by form.

use super::prelude::*;
use rustc_hash::FxHashSet as HashSet;

declare_rule!(TooManyProperties, "too-many-properties", Error);

impl Rule for TooManyProperties {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some((max, info)) = cx.destinations().smallest(|i| i.max_properties_per_event) else {
            return;
        };
        let supers: HashSet<&str> = cx.plan.super_properties().map(|r| r.name.as_str()).collect();
        for event in cx.plan.events() {
            if event.properties.len() + supers.len() <= max {
                continue;
            }
            let own: HashSet<&str> = event.properties.iter().map(|p| p.name.text.as_str()).collect();
            let total = own.union(&supers).count();
            if total > max {
                out.push(
                    Diagnostic::new(
                        RULE,
                        event.name.span,
                        format!(
                            "event `{}` is sent with {total} properties ({} of its own, {} super properties), over {}'s limit of {max}",
                            event.name.text,
                            own.len(),
                            supers.len(),
                            info.name
                        ),
                    )
                    .with_help("group related values into a list or object property, or split the event"),
                );
            }
        }
    }
}
