//! `trackplan audit`: are the events true to the plan?
//!
//! Events are read as a stream (newline-delimited JSON or a JSON array, plain or gzip) and each
//! record's shape is recognised on its own: a Mixpanel export line, a Segment or RudderStack
//! `track` or `identify` call, or Snowplow self-describing JSON. Each is checked against the plan
//! compiled once ([`AuditPlan`]), on all cores, with counts and first examples per rule, event and
//! property ([`Report`]). Memory does not grow with the input: records are read in chunks of about
//! a megabyte, a few at a time, and findings about names the plan does not know are bounded.
//!
//! The crate opens no files: callers hand it readers ([`Input`]); the rules ([`rules`]) are
//! documented like the plan's rules and shown by `trackplan explain`.

mod check;
mod facts;
mod frame;
pub mod report;
pub mod rules;
mod run;
mod shape;
pub mod spec;
pub mod sql;
pub mod tally;

pub use frame::MAX_RECORD_BYTES;
pub use report::{Coverage, EventCount, Example, Finding, Report, Summary};
pub use rules::{AuditRule, AUDIT_RULES};
pub use run::{audit, audit_tally, Input, Options, MAX_DEPTH};
pub use spec::AuditPlan;

/// Audits events given as text (newline-delimited JSON or a JSON array) on the calling thread and
/// one more: for tests and small inputs.
pub fn audit_text(plan: &AuditPlan, name: &str, text: &[u8]) -> Report {
    let input = Input {
        name: name.to_string(),
        reader: Box::new(std::io::Cursor::new(text.to_vec())),
    };
    audit(plan, vec![input], &Options { threads: 1 })
}
