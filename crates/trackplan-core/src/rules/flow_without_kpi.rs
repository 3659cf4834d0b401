//! Flags a flow that moves no KPI.
//!
//! ## What it does
//! Reports a flow whose `kpis` list is absent or empty.
//!
//! ## Why is this bad?
//! Tracking plans should be designed from the business perspective, not the application's: a flow is
//! in the plan because it moves a KPI. A flow that serves no KPI is either missing its link or
//! collecting data nobody needs.
//!
//! ## Example
//! ```yaml
//! flows:
//!   purchase:
//!     name: Purchase funnel
//!     steps: [Product Viewed, Order Completed]
//! ```
//!
//! ## Use instead
//! ```yaml
//! flows:
//!   purchase:
//!     name: Purchase funnel
//!     kpis: [checkout-conversion]
//!     steps: [Product Viewed, Order Completed]
//! ```

use super::prelude::*;

declare_rule!(FlowWithoutKpi, "flow-without-kpi", Warning);

impl Rule for FlowWithoutKpi {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for flow in cx.plan.flows() {
            if flow.kpis.is_empty() {
                out.push(
                    Diagnostic::new(RULE, flow.id.span, format!("flow `{}` moves no KPI", flow.id.text))
                        .with_help("list the KPIs this flow moves in `kpis:`"),
                );
            }
        }
    }
}
