//! Flags property values of a type the plan does not allow.
//!
//! ## What it does
//! Counts the values that fit none of the property's types: `string`, `number` (any JSON number),
//! `integer` (a whole number; `3.0` fits), `boolean`, `datetime` (a string of an ISO 8601 date or
//! date-time), `list`, `object`; `any` takes every value. A list's items are checked against `items`
//! (named `tags[]`). `null` is never a wrong type: it is `unexpected-null`. A value of the wrong type
//! is not checked further (no enum, range or length finding for it).
//!
//! ## Why is this bad?
//! A number sent as a string (`"19.99"`) cannot be summed or averaged, and the destination then holds
//! two types under one name.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: The payment went through.
//!     properties:
//!       revenue: {type: number, description: The total.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "revenue": "19.99"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "revenue": 19.99}}
//! ```

use super::prelude::*;

declare_audit_rule!("wrong-type", Error);

use trackplan_core::formats::is_iso8601;
use trackplan_core::model::{PropertyType, TypeSet};

/// Whether a value (not `null`) is of one of the types.
pub(crate) fn fits(types: TypeSet, value: &Value<'_>) -> bool {
    types.is_any() || types.words().any(|ty| fits_one(ty, value))
}

fn fits_one(ty: PropertyType, value: &Value<'_>) -> bool {
    match (ty, value) {
        (PropertyType::Any, _) => true,
        (PropertyType::String, Value::String(_)) => true,
        (PropertyType::Datetime, Value::String(s)) => is_iso8601(s),
        (PropertyType::Boolean, Value::Static(StaticNode::Bool(_))) => true,
        (PropertyType::Number, Value::Static(n)) => n.cast_f64().is_some() && !matches!(n, StaticNode::Bool(_)),
        (PropertyType::Integer, Value::Static(StaticNode::I64(_) | StaticNode::U64(_))) => true,
        (PropertyType::Integer, Value::Static(StaticNode::F64(f))) => f.fract() == 0.0 && f.is_finite(),
        (PropertyType::List, Value::Array(_)) => true,
        (PropertyType::Object, Value::Object(_)) => true,
        _ => false,
    }
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    let expected = f.spec.and_then(|s| s.types).map_or("its type".to_string(), |t| t.to_string());
    format!(
        "`{}` of `{}` is sent with values that are not {expected}",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default()
    )
}
