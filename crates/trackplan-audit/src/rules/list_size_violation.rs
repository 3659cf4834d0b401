//! Flags lists with fewer items than `min_items`, more than `max_items`, or repeated items.
//!
//! ## What it does
//! Counts the list values whose number of items is outside the property's `min_items` and
//! `max_items` (inclusive), and, with `unique_items: true`, lists that hold an item twice.
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
    spec.unique_items && items.iter().enumerate().any(|(i, item)| items[..i].contains(item))
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
