//! Flags numbers below `min`, above `max` or not a multiple of `multiple_of`.
//!
//! ## What it does
//! Counts the numeric values outside the property's `min` and `max` (inclusive), or that are not a
//! whole multiple of its `multiple_of` (within rounding: `0.3` is a multiple of `0.1`).
//!
//! ## Why is this bad?
//! A negative price or a quantity of zero is a bug that skews every sum and average built on it.
//!
//! ## Example
//! ```yaml
//! events:
//!   Product Added:
//!     description: A product went into the cart.
//!     properties:
//!       quantity: {type: integer, min: 1, description: Units added.}
//! ```
//! ```json
//! {"event": "Product Added", "properties": {"distinct_id": "u1", "quantity": 0}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Product Added", "properties": {"distinct_id": "u1", "quantity": 1}}
//! ```

use super::prelude::*;

declare_audit_rule!("range-violation", Error);

pub(crate) fn violates(spec: &PropSpec, number: f64) -> bool {
    if spec.min.is_some_and(|min| number < min) || spec.max.is_some_and(|max| number > max) {
        return true;
    }
    let Some(step) = spec.multiple_of else { return false };
    let quotient = number / step;
    // Within rounding error of a whole multiple, as `trackplan check` reads the plan's examples.
    (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0)
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    let bound = |b: Option<f64>| b.map_or("…".to_string(), |b| b.to_string());
    let (min, max) = f.spec.map_or((None, None), |s| (s.min, s.max));
    let step = f.spec.and_then(|s| s.multiple_of).map(|m| format!(", in steps of {m}")).unwrap_or_default();
    format!(
        "`{}` of `{}` is sent with numbers outside {} to {}{step}",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default(),
        bound(min),
        bound(max)
    )
}
