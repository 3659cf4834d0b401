//! Flags values longer, and events with more properties, than a destination keeps.
//!
//! ## What it does
//! Counts the string values longer than the smallest limit of the plan's destinations and of the
//! destination whose shape the events have (Mixpanel: 255 characters; Amplitude: 1,024), and the
//! events with more properties than it keeps (Mixpanel: 255; Amplitude: 1,000; the property is then
//! empty). The limits are the ones `trackplan check` applies to names (`docs/plan-format.md`, section
//! 7.1).
//!
//! ## Why is this bad?
//! The destination cuts the value or drops the properties past its limit without telling anyone: a
//! URL or a list of ids arrives cut in the middle.
//!
//! ## Example
//! ```yaml
//! events:
//!   Page Viewed:
//!     description: A page opened.
//!     properties:
//!       url: {type: string, description: The page's address.}
//! ```
//! ```json
//! {"event": "Page Viewed", "properties": {"distinct_id": "u1", "url": "https://example.com/?q=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Page Viewed", "properties": {"distinct_id": "u1", "url": "https://example.com/?q=shoes"}}
//! ```

use super::prelude::*;

declare_audit_rule!("value-over-limit", Warning);

use crate::spec::Limits;

/// A string longer than the destinations keep.
pub(crate) fn string_over(limits: &Limits, text: &str) -> bool {
    // Counting characters costs a pass over the string: only strings that may be too long.
    limits
        .max_string_chars
        .is_some_and(|(max, _)| text.len() > max && text.chars().count() > max)
}

pub(crate) fn message(f: &Facts<'_>) -> String {
    match f.property {
        Some(property) => format!(
            "`{property}` of `{}` is sent with strings longer than {}",
            f.event.unwrap_or_default(),
            f.limit_of_strings.unwrap_or("the destination keeps")
        ),
        None => format!(
            "`{}` is sent with more properties than {}",
            f.event.unwrap_or_default(),
            f.limit_of_properties.unwrap_or("the destination keeps")
        ),
    }
}
