//! Flags events sent without a property the plan makes required.
//!
//! ## What it does
//! Counts the events that lack a property their plan entry marks `required` (at the top level, or
//! inside an object, named by its dotted path: `player.volume`). A property sent as `null` is
//! present: it counts only as `unexpected-null`.
//!
//! ## Why is this bad?
//! Reports break down by required properties; an event without one falls into "(not set)" and
//! every chart built on it undercounts.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: The payment went through.
//!     properties:
//!       order_id: {type: string, required: true, description: The order.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "order_id": "o-1"}}
//! ```

use super::prelude::*;

declare_audit_rule!("missing-required-property", Error);

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!(
        "`{}` events are sent without required property `{}`",
        f.event.unwrap_or_default(),
        f.property.unwrap_or_default()
    )
}
