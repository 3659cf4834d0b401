//! Flags string values that are not in the property's `format`.
//!
//! ## What it does
//! Counts the string values that the property's `format` (`email`, `uri`, `uuid`, `ipv4`, `ipv6`,
//! `date`, `date-time`, `time`, `hostname`) does not accept, read as `trackplan check` reads the
//! plan's examples.
//!
//! ## Why is this bad?
//! A `uuid` property holding `12345`, or a `date` holding `01/05/2024`, does not join, sort or parse
//! where the data is used.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: The payment went through.
//!     properties:
//!       order_id: {type: string, format: uuid, description: The order.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "order_id": "12345"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "order_id": "3f2c8a6e-9b1d-4c7e-8f00-12ab34cd56ef"}}
//! ```

use super::prelude::*;

declare_audit_rule!("format-violation", Error);

pub(crate) fn violates(spec: &PropSpec, text: &str) -> bool {
    spec.format.is_some_and(|f| !f.accepts(text))
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    let format = f.spec.and_then(|s| s.format).map_or("its", |f| f.as_str());
    format!(
        "`{}` of `{}` is sent with values not in the `{format}` format",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default()
    )
}
