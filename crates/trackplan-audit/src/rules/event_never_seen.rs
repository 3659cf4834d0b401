//! Flags planned events that the events read never hold.
//!
//! ## What it does
//! Reports each event of the plan that did not occur once in the events read: a warning when its
//! `status` is `implemented` (the product should be sending it), information when it has no status.
//! Events that are `proposed`, `planned` or `deprecated` are not expected, so their absence is not
//! reported. The count is 0.
//!
//! ## Why is this bad?
//! An implemented event that never arrives is a broken implementation or a dead feature: every
//! report and KPI built on it shows zero.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed: {description: The payment went through., status: implemented}
//!   Cart Viewed: {description: The cart page opened., status: implemented}
//! ```
//! ```json
//! {"event": "Cart Viewed", "properties": {"distinct_id": "u1"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Cart Viewed", "properties": {"distinct_id": "u1"}}
//! {"event": "Order Completed", "properties": {"distinct_id": "u1"}}
//! ```

use super::prelude::*;

declare_audit_rule!("event-never-seen", Warning);

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!("planned event `{}` was never seen", f.event.unwrap_or_default())
}
