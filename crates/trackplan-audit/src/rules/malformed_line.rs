//! Flags input lines that are not events: not JSON, or JSON of no known shape.
//!
//! ## What it does
//! Counts the lines (or, in a JSON array, the elements) that cannot be read as an event: text that is
//! not JSON or not UTF-8, JSON that is not an object or not in the shape of Mixpanel, Segment,
//! RudderStack or Snowplow, a line longer than 8 MiB or nested more than 128 levels deep, a JSON array
//! that is never closed and a compressed file that ends early. The example's value says what is wrong
//! with the line. A malformed line never stops the audit: the next line is read.
//!
//! ## Why is this bad?
//! Lines that cannot be read are events lost from every report; many of them mean the export or the
//! capture is broken.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed: {description: The payment went through.}
//! ```
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1"
//! ```
//!
//! ## Use instead
//! ```json
//! {"event": "Order Completed", "properties": {"distinct_id": "u1"}}
//! ```

use super::prelude::*;

declare_audit_rule!("malformed-line", Error);

pub(crate) fn message(f: &Facts<'_>) -> String {
    let _ = f;
    "lines that are not events of a known shape".to_string()
}
