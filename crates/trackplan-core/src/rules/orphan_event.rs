//! Flags an event that is in no flow and linked to no KPI.
//!
//! ## What it does
//! Reports an event that appears in no flow's `steps` or `alternatives`, has no `kpis`, and is not
//! used as an identity point (`identity.identify` or `identity.reset`). Deprecated events are exempt:
//! leaving the flows is what deprecation does.
//!
//! ## Why is this bad?
//! An event that serves no flow and no KPI is collected "just in case". It costs implementation time,
//! Mixpanel's event budget and reviewers' attention, and nobody notices when it breaks.
//!
//! ## Example
//! ```yaml
//! events:
//!   Footer Link Clicked: {description: Fired when any footer link is clicked.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Footer Link Clicked:
//!     description: Fired when any footer link is clicked.
//!     kpis: [help-center-deflection]
//! ```

use super::prelude::*;

declare_rule!(OrphanEvent, "orphan-event", Info);

impl Rule for OrphanEvent {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for event in cx.plan.events() {
            if event.is_deprecated() || !event.kpis.is_empty() {
                continue;
            }
            let used = cx
                .index
                .references_to(EntityKind::Event, &event.name.text)
                .iter()
                .any(|r| {
                    matches!(
                        r.site,
                        RefSite::FlowStep | RefSite::FlowAlternative | RefSite::Identify | RefSite::Reset
                    )
                });
            if !used {
                out.push(
                    Diagnostic::new(
                        RULE,
                        event.name.span,
                        format!("event `{}` is in no flow and linked to no KPI", event.name.text),
                    )
                    .with_help("add it to the steps of the flow it belongs to, or link the KPI it measures with `kpis:`"),
                );
            }
        }
    }
}
