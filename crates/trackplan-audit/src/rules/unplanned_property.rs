//! Flags properties sent with an event that its plan entry does not list.
//!
//! ## What it does
//! Counts, per event and property name, the properties that are neither the event's own, nor super
//! properties, nor added by the destination itself (Mixpanel's `$`- and `mp_`-prefixed properties and
//! `distinct_id`, `time`, `token`; Segment's `context` and ids stand outside `properties`). Nested
//! properties of an object that lists its own are checked too, by dotted path. An identify call's
//! traits are checked against `user_properties`. The finding is an error on a closed event or object
//! (`additional_properties: false`), a warning otherwise.
//!
//! ## Why is this bad?
//! A property nobody planned has no definition, no owner and no type: analysts guess what it means,
//! and a closed event promised the destination it would never carry one.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: The payment went through.
//!     additional_properties: false
//!     properties:
//!       order_id: {type: string, description: The order.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "order_id": "o-1", "coupon": "X"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "order_id": "o-1", "$os": "iOS"}}
//! ```

use super::prelude::*;

declare_audit_rule!("unplanned-property", Warning);

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!(
        "`{}` is sent with property `{}`, which the plan does not list for it",
        f.event.unwrap_or_default(),
        f.property.unwrap_or_default()
    )
}
