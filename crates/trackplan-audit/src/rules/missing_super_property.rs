//! Flags events sent without one of the plan's super properties.
//!
//! ## What it does
//! Counts, per event and super property, the events that lack a property listed in
//! `super_properties` (which are registered once and sent with every event). Identify calls are not
//! checked.
//!
//! ## Why is this bad?
//! Super properties are how every report splits by platform, app version or plan; an event without
//! them falls out of every such breakdown, usually because it is sent before the registration or
//! from a server that does not register them.
//!
//! ## Example
//! ```yaml
//! super_properties: [platform]
//! properties:
//!   platform: {type: string, description: The client.}
//! events:
//!   Order Completed: {description: The payment went through.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "platform": "web"}}
//! ```

use super::prelude::*;

declare_audit_rule!("missing-super-property", Warning);

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!(
        "`{}` is sent without super property `{}`",
        f.event.unwrap_or_default(),
        f.property.unwrap_or_default()
    )
}
