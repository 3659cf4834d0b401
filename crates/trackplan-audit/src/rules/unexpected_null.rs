//! Flags properties sent as `null` that the plan does not make `nullable`.
//!
//! ## What it does
//! Counts the `null` values of properties without `nullable: true`. A `null` is only this finding:
//! never also a missing property, a wrong type or a format problem.
//!
//! ## Why is this bad?
//! `null` is how broken lookups look in tracking code (`user.plan` before the user loaded); a
//! property that should always have a value but holds `null` hides that bug in every report.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: The payment went through.
//!     properties:
//!       coupon: {type: string, description: The coupon used.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "coupon": null}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1"}}
//! ```

use super::prelude::*;

declare_audit_rule!("unexpected-null", Error);

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!(
        "`{}` of `{}` is sent as null, and the plan does not make it nullable",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default()
    )
}
