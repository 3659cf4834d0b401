//! Flags events that arrive under a name the plan does not have.
//!
//! ## What it does
//! Counts the events whose name is not an event of the plan, one finding per name, with the nearest
//! planned name when one is close ("did you mean"). Events a destination sends by itself
//! (Mixpanel's `$`- and `mp_`-prefixed events such as `$identify`) are not reported. A Snowplow
//! event is matched by its schema's name, also when it writes the plan's words another way
//! (`order_completed` for `Order Completed`). The share is of all events read.
//!
//! ## Why is this bad?
//! An event nobody planned is either a typo (`Order Complete` next to `Order Completed`), which splits
//! one report into two, or a feature that shipped without review: nobody knows what it means, and
//! nobody owns it.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed: {description: The payment went through.}
//! ```
//! ```json
//! {"event": "Order Complete", "properties": {"distinct_id": "u1"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1"}}
//! ```

use super::prelude::*;

declare_audit_rule!("unplanned-event", Warning);

pub(crate) fn message(f: &Facts<'_>) -> String {
    let name = f.event.unwrap_or_default();
    match f.suggestion {
        Some(near) => format!("event `{name}` is not in the plan; did you mean `{near}`?"),
        None => format!("event `{name}` is not in the plan"),
    }
}
