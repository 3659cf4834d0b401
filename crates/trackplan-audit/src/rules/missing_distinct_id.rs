//! Flags events and identify calls that do not say which user sent them.
//!
//! ## What it does
//! Counts the records without a user id: a Mixpanel event without `distinct_id` in its properties, a
//! Segment or RudderStack call with neither `userId` nor `anonymousId` (a `null` id counts as none).
//! A Snowplow event is checked when it carries `user_id`, `domain_userid` or `network_userid` (bare
//! self-describing JSON carries no user).
//!
//! ## Why is this bad?
//! An event without a user cannot be counted in funnels, retention or any per-user report, and
//! Mixpanel does not accept it.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed: {description: The payment went through.}
//! ```
//! ```json
//! {"type": "track", "event": "Order Completed", "userId": null, "properties": {}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"type": "track", "event": "Order Completed", "userId": null, "anonymousId": "a-7f3", "properties": {}}
//! ```

use super::prelude::*;

declare_audit_rule!("missing-distinct-id", Error);

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!("`{}` is sent without a user id", f.event.unwrap_or_default())
}
