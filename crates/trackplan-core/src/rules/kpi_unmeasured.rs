//! Flags a KPI that no flow or event measures.
//!
//! ## What it does
//! Reports a KPI that is listed in no flow's `kpis` and in no event's `kpis`.
//!
//! ## Why is this bad?
//! The plan is designed from business goals down: each KPI is mapped to the user flows that move it,
//! and the flows to events. A KPI with nothing under it cannot be computed from the data the plan
//! collects.
//!
//! ## Example
//! ```yaml
//! kpis:
//!   weekly-active-teams: {name: Weekly active teams, owner: growth}
//! flows:
//!   onboarding: {name: Onboarding, kpis: [], steps: [Signed Up]}
//! ```
//!
//! ## Use instead
//! ```yaml
//! kpis:
//!   weekly-active-teams: {name: Weekly active teams, owner: growth}
//! flows:
//!   onboarding: {name: Onboarding, kpis: [weekly-active-teams], steps: [Signed Up]}
//! ```

use super::prelude::*;

declare_rule!(KpiUnmeasured, "kpi-unmeasured", Warning);

impl Rule for KpiUnmeasured {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for kpi in cx.plan.kpis() {
            let measured = cx
                .index
                .references_to(EntityKind::Kpi, &kpi.id.text)
                .iter()
                .any(|r| matches!(r.site, RefSite::FlowKpi | RefSite::EventKpi));
            if !measured {
                out.push(
                    Diagnostic::new(
                        RULE,
                        kpi.id.span,
                        format!("KPI `{}` is not measured by any flow or event", kpi.id.text),
                    )
                    .with_help("list it in the `kpis:` of the flows that move it, or of the events that measure it"),
                );
            }
        }
    }
}
