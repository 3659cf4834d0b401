//! Flags lists with fewer items than `min_items`, more than `max_items`, or repeated items.
//!
//! ## What it does
//! Counts the list values whose number of items is outside the property's `min_items` and
//! `max_items` (inclusive), and, with `unique_items: true`, lists that hold an item twice. Items are
//! compared as JSON values, as JSON Schema's `uniqueItems` compares them: `1` and `1.0` are one
//! item, and so are two objects with the same members in another order.
//!
//! ## Why is this bad?
//! An empty list of products on a purchase, or the same product listed twice, makes counts per item
//! wrong.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: The payment went through.
//!     properties:
//!       product_ids: {type: list, items: string, min_items: 1, unique_items: true, description: The products.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "product_ids": ["a", "a"]}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1", "product_ids": ["a", "b"]}}
//! ```

use super::prelude::*;

declare_audit_rule!("list-size-violation", Error);

pub(crate) fn violates(spec: &PropSpec, items: &[Value<'_>]) -> bool {
    let count = items.len() as i64;
    if spec.min_items.is_some_and(|min| count < min) || spec.max_items.is_some_and(|max| count > max) {
        return true;
    }
    spec.unique_items && has_repeats(items)
}

/// Whether two items are one JSON value, as JSON Schema's `uniqueItems` compares them: numbers by
/// value (`1` is `1.0`, `-0.0` is `0.0`), objects whatever the order of their members. Each item
/// is written once in a canonical form, so a long list costs one pass, not one per pair.
fn has_repeats(items: &[Value<'_>]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.iter().any(|item| {
        let mut key = String::new();
        canonical(item, &mut key);
        !seen.insert(key)
    })
}

fn canonical(value: &Value<'_>, out: &mut String) {
    use std::fmt::Write;
    match value {
        Value::Static(node) => match node.cast_f64() {
            Some(number) if !matches!(node, StaticNode::Bool(_)) => {
                let _ = write!(out, "{:?}", number + 0.0);
            }
            _ => out.push_str(&Value::Static(*node).encode()),
        },
        Value::String(text) => out.push_str(&Value::String(text.clone()).encode()),
        Value::Array(items) => {
            out.push('[');
            for item in items.iter() {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<_> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (key, member) in sorted {
                out.push_str(&Value::String(key.clone()).encode());
                out.push(':');
                canonical(member, out);
                out.push(',');
            }
            out.push('}');
        }
    }
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    let bound = |b: Option<i64>| b.map_or("…".to_string(), |b| b.to_string());
    let (min, max) = f.spec.map_or((None, None), |s| (s.min_items, s.max_items));
    let unique = if f.spec.is_some_and(|s| s.unique_items) { ", each item once" } else { "" };
    format!(
        "`{}` of `{}` is sent with lists outside {} to {} items{unique}",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default(),
        bound(min),
        bound(max)
    )
}
