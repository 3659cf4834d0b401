//! Flags property values that are not among the values the plan's `enum` allows.
//!
//! ## What it does
//! Counts the values (of the right type) that equal none of the property's `enum` values, or of the
//! narrower `enum` an event gives a dictionary property. Numbers compare by value (`1` equals `1.0`).
//!
//! ## Why is this bad?
//! Reports group by these values: `Paypal` next to `paypal` splits one bar into two, and a value
//! nobody planned has no meaning anyone agreed on.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: The payment went through.
//!     properties:
//!       payment_method: {type: string, enum: [card, paypal], description: How it was paid.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "payment_method": "Paypal"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "payment_method": "paypal"}}
//! ```

use super::prelude::*;

declare_audit_rule!("enum-violation", Error);

use trackplan_core::model::Value as PlanValue;

/// The value is none of the allowed ones.
pub(crate) fn violates(spec: &PropSpec, value: &Value<'_>) -> bool {
    spec.enum_values
        .as_ref()
        .is_some_and(|allowed| !allowed.iter().any(|a| equal(a, value)))
}

/// A value written in the plan and one sent.
fn equal(planned: &PlanValue, sent: &Value<'_>) -> bool {
    match (planned, sent) {
        (PlanValue::Null, Value::Static(StaticNode::Null)) => true,
        (PlanValue::Bool(a), Value::Static(StaticNode::Bool(b))) => a == b,
        (PlanValue::Int(a), Value::Static(StaticNode::I64(b))) => a == b,
        (PlanValue::Int(a), Value::Static(StaticNode::U64(b))) => u64::try_from(*a).is_ok_and(|a| a == *b),
        (PlanValue::Int(a), Value::Static(StaticNode::F64(b))) => (*a as f64) == *b,
        (PlanValue::Float(a), Value::Static(n)) if !matches!(n, StaticNode::Bool(_)) => n.cast_f64() == Some(*a),
        (PlanValue::Str(a), Value::String(b)) => a == b,
        (PlanValue::List(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| equal(x, y)),
        (PlanValue::Map(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k.as_str()).is_some_and(|w| equal(v, w)))
        }
        _ => false,
    }
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    let allowed = f
        .spec
        .and_then(|s| s.enum_values.as_ref())
        .map(|v| v.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    format!(
        "`{}` of `{}` is sent with values outside its enum ({allowed})",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default()
    )
}
