//! Flags string values shorter than `min_length` or longer than `max_length`.
//!
//! ## What it does
//! Counts the string values whose length in characters (Unicode scalar values) is outside the
//! property's `min_length` and `max_length`, inclusive.
//!
//! ## Why is this bad?
//! An empty search term or a country code of five letters is a bug in the code that sends it.
//!
//! ## Example
//! ```yaml
//! events:
//!   Products Searched:
//!     description: A search ran.
//!     properties:
//!       query: {type: string, min_length: 1, description: The words searched.}
//! ```
//! ```json
//! {"event": "Products Searched", "properties": {"distinct_id": "u1", "query": ""}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Products Searched", "properties": {"distinct_id": "u1", "query": "shoes"}}
//! ```

use super::prelude::*;

declare_audit_rule!("length-violation", Error);

pub(crate) fn violates(spec: &PropSpec, text: &str) -> bool {
    if spec.min_length.is_none() && spec.max_length.is_none() {
        return false;
    }
    let length = text.chars().count() as i64;
    spec.min_length.is_some_and(|min| length < min) || spec.max_length.is_some_and(|max| length > max)
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    let bound = |b: Option<i64>| b.map_or("…".to_string(), |b| b.to_string());
    let (min, max) = f.spec.map_or((None, None), |s| (s.min_length, s.max_length));
    format!(
        "`{}` of `{}` is sent with strings outside {} to {} characters",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default(),
        bound(min),
        bound(max)
    )
}
