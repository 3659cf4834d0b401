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
use crate::model::Whose;

declare_rule!(MissingField, "missing-field", Error);

impl Rule for MissingField {
    fn check_file(&self, file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
        // In a file that was not read to its end, entities may be cut short: whatever they seem
        // to lack is no finding.
        if file.tree.issues.iter().any(SyntaxIssue::stops_reading) {
            return;
        }
        for issue in file.issues {
            match issue {
                ModelIssue::MissingField { at, key, whose } => out.push(missing(*at, key, *whose)),
                ModelIssue::EmptyField { at, key, whose } => out.push(empty(*at, key, *whose)),
                _ => {}
            }
        }
    }

    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.plan.root_file().is_none() && !cx.plan.files.is_empty() {
            out.push(no_root_file(cx.plan.anchor_span()));
        }
    }
}

/// A plan without a root file. Adapters report it too where the plan has no file to anchor it to
/// (a folder whose `trackplan.yaml` is a symbolic link, which is never followed).
pub fn no_root_file(at: Span) -> Diagnostic {
    Diagnostic::new(RULE, at, "the plan has no trackplan.yaml")
        .with_help("a plan folder holds a root file trackplan.yaml with `trackplan: 1` and `name:`")
}

fn whose_words(whose: Whose) -> String {
    match whose {
        Whose::RootFile => "the root file".into(),
        Whose::PlanFile => "a plan file".into(),
        Whose::Section(section) => section.into(),
        Whose::This(noun) => format!("this {noun}"),
    }
}

fn missing(at: Span, key: &str, whose: Whose) -> Diagnostic {
    let example = match key {
        "trackplan" => "trackplan: 1",
        "name" => "name: ...",
        "type" => "type: string",
        _ => "",
    };
    let d = Diagnostic::new(RULE, at, format!("missing `{key}` in {}", whose_words(whose)));
    if example.is_empty() {
        d
    } else {
        d.with_help(format!("add `{example}`"))
    }
}

/// A required key that is given with no value.
fn empty(at: Span, key: &str, whose: Whose) -> Diagnostic {
    Diagnostic::new(RULE, at, format!("`{key}` is empty in {}", whose_words(whose)))
        .with_help(format!("give `{key}` a value"))
}
