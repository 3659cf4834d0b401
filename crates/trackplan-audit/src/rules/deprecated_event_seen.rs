//! Flags events the plan deprecates that are still sent.
//!
//! ## What it does
//! Counts the events whose plan entry has `status: deprecated`. The share is of all events read.
//!
//! ## Why is this bad?
//! A deprecated event was replaced or dropped on purpose; data still arriving under it means an old
//! client or a code path was missed, and reports that moved to the replacement miss those users.
//!
//! ## Example
//! ```yaml
//! events:
//!   Purchase: {description: Replaced by Order Completed., status: deprecated}
//! ```
//! ```json
//! {"event": "Purchase", "properties": {"distinct_id": "u1"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"type": "track", "event": "Order Completed", "userId": "u1", "properties": {}}
//! ```

use super::prelude::*;

declare_audit_rule!("deprecated-event-seen", Warning);

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!("deprecated event `{}` is still sent", f.event.unwrap_or_default())
}
