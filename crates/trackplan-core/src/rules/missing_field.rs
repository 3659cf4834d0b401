//! Flags a required field that is absent.
//!
//! ## What it does
//! Reports a missing `trackplan:` (format version) or `name:` in the root file, a missing `name:` on a
//! team, goal, KPI or flow, a missing `type:` on a dictionary or user property, and a plan with no
//! `trackplan.yaml` at all.
//!
//! ## Why is this bad?
//! Without the format version, tools cannot know how to read the plan; without a display name, reports
//! and the editor show bare ids; without a type, nobody knows what to send and Mixpanel's Lexicon
//! cannot be set up.
//!
//! ## Example
//! ```yaml
//! name: Acme Shop
//! properties:
//!   order_id:
//!     description: The order's id.
//! ```
//!
//! ## Use instead
//! ```yaml
//! trackplan: 1
//! name: Acme Shop
//! properties:
//!   order_id:
//!     type: string
//!     description: The order's id.
//! ```

use super::prelude::*;

pub struct MissingField;

pub const NAME: &str = "missing-field";

impl Rule for MissingField {
    fn name(&self) -> &'static str {
        NAME
    }

    fn default_severity(&self) -> Severity {
        Severity::Error
    }
}

pub fn diagnostic(at: Span, key: &str, what: &str) -> Diagnostic {
    let example = match key {
        "trackplan" => "trackplan: 1",
        "name" => "name: ...",
        "type" => "type: string",
        _ => "",
    };
    let d = Diagnostic::new(NAME, at, format!("missing `{key}` in {what}"));
    if example.is_empty() {
        d
    } else {
        d.with_help(format!("add `{example}`"))
    }
}

/// A required key that is given with no value.
pub fn empty(at: Span, key: &str, what: &str) -> Diagnostic {
    Diagnostic::new(NAME, at, format!("`{key}` is empty in {what}"))
        .with_help(format!("give `{key}` a value"))
}

pub fn no_root_file(at: Span) -> Diagnostic {
    Diagnostic::new(NAME, at, "the plan has no trackplan.yaml")
        .with_help("a plan folder holds a root file trackplan.yaml with `trackplan: 1` and `name:`")
}
