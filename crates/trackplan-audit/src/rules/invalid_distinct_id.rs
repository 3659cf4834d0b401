//! Flags user ids that Mixpanel rejects as placeholders.
//!
//! ## What it does
//! Counts the user ids (`distinct_id`, `userId`, `anonymousId`, Snowplow's user ids) that are one of
//! the placeholder values Mixpanel will not merge identities on, in any case: `anonymous`, `anon`,
//! `null`, `nil`, `none`, `undefined`, `unknown`, `n/a`, `na`, `<nil>`, `0`, `-1`, `true`, `false`,
//! `[]`, `{}`, the all-zero UUID `00000000-0000-0000-0000-000000000000`, an empty string, and the
//! JSON values `0`, `-1`, `true`, `false`, `[]` and `{}`.
//!
//! ## Why is this bad?
//! A placeholder id puts every user who sent it into one giant user: their funnels, retention and
//! profiles merge into nonsense.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed: {description: The payment went through.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "undefined"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u-18342"}}
//! ```

use super::prelude::*;

declare_audit_rule!("invalid-distinct-id", Error);

/// The placeholder ids, lower-cased.
pub(crate) const REJECTED: &[&str] = &[
    "00000000-0000-0000-0000-000000000000",
    "anon",
    "anonymous",
    "nil",
    "none",
    "null",
    "n/a",
    "na",
    "undefined",
    "unknown",
    "<nil>",
    "0",
    "-1",
    "true",
    "false",
    "[]",
    "{}",
    "",
];

/// Whether a user id (not `null`) is a placeholder.
pub(crate) fn is_rejected(id: &Value<'_>) -> bool {
    match id {
        Value::String(text) => {
            let text = text.trim();
            text.len() <= 36 && REJECTED.iter().any(|r| r.eq_ignore_ascii_case(text))
        }
        Value::Static(StaticNode::Bool(_)) => true,
        Value::Static(StaticNode::I64(n)) => *n == 0 || *n == -1,
        Value::Static(StaticNode::U64(n)) => *n == 0,
        Value::Static(StaticNode::F64(n)) => *n == 0.0 || *n == -1.0,
        Value::Static(StaticNode::Null) => false,
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
    }
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    format!(
        "`{}` is sent with a placeholder `{}` that Mixpanel rejects",
        f.event.unwrap_or_default(),
        f.property.unwrap_or("user id")
    )
}
