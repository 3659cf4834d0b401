//! Flags an event or KPI without an owner.
//!
//! ## What it does
//! Reports events and KPIs that have no `owner` (a team id from `teams`) and no `owners` (several
//! of them).
//!
//! ## Why is this bad?
//! A plan is kept alive by people. When an event breaks or a KPI moves, someone has to be asked; an
//! unowned event is the one nobody notices is gone.
//!
//! ## Example
//! ```yaml
//! kpis:
//!   checkout-conversion:
//!     name: Checkout conversion
//! ```
//!
//! ## Use instead
//! ```yaml
//! kpis:
//!   checkout-conversion:
//!     name: Checkout conversion
//!     owner: growth
//! ```

use super::prelude::*;

declare_rule!(MissingOwner, "missing-owner", Warning);

impl Rule for MissingOwner {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let owned = cx
            .plan
            .events()
            .map(|e| ("event", &e.name, &e.common))
            .chain(cx.plan.kpis().map(|k| ("KPI", &k.id, &k.common)));
        let teams: Vec<&str> = cx.index.names(EntityKind::Team).collect();
        for (noun, name, common) in owned {
            if !common.has_owner() {
                let help = match teams.as_slice() {
                    [] => "define a team under `teams:` and name it in `owner:`".to_string(),
                    some => format!("add `owner:` with one of the teams: {}", some.join(", ")),
                };
                out.push(
                    Diagnostic::new(RULE, name.span, format!("{noun} `{}` has no owner", name.text))
                        .with_help(help),
                );
            }
        }
    }
}
