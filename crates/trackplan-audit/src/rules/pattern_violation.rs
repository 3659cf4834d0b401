//! Flags string values that do not match the property's `pattern`.
//!
//! ## What it does
//! Counts the string values the property's regular expression does not match (anywhere in the
//! string, as JSON Schema reads `pattern`: anchor it with `^` and `$` to match the whole). A pattern
//! the regular-expression engine cannot read is not checked.
//!
//! ## Why is this bad?
//! Ids and codes that break their pattern (`PRD-1` where `prd_1` is expected) do not join with the
//! tables they refer to.
//!
//! ## Example
//! ```yaml
//! events:
//!   Product Viewed:
//!     description: A product page opened.
//!     properties:
//!       product_id: {type: string, pattern: '^prd_[0-9]+$', description: The product.}
//! ```
//! ```json
//! {"event": "Product Viewed", "properties": {"distinct_id": "u1", "product_id": "PRD-1"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Product Viewed", "properties": {"distinct_id": "u1", "product_id": "prd_1"}}
//! ```

use super::prelude::*;

declare_audit_rule!("pattern-violation", Error);

pub(crate) fn violates(spec: &PropSpec, text: &str) -> bool {
    spec.pattern.as_ref().is_some_and(|p| !p.is_match(text))
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    let pattern = f.spec.and_then(|s| s.pattern_text.as_deref()).unwrap_or_default();
    format!(
        "`{}` of `{}` is sent with values that do not match `{pattern}`",
        f.property.unwrap_or_default(),
        f.event.unwrap_or_default()
    )
}
