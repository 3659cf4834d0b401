//! Flags a key the plan format does not define, suggesting the nearest one.
//!
//! ## What it does
//! Every mapping of a plan has a fixed set of keys (see `docs/plan-format.md`). A key outside that set
//! is reported with a "did you mean" suggestion when a known key is close; a root-only key (such as
//! `identity`) in another file of the plan is reported with a pointer to `trackplan.yaml`. Rule names
//! under `lint:` are checked the same way.
//!
//! ## Why is this bad?
//! An unknown key is almost always a typo, and a typo'd key is silently ignored by everything that
//! reads the plan: `descripton:` leaves the event undocumented, `ownr:` leaves it unowned.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     descripton: Fired when payment succeeds.
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Order Completed:
//!     description: Fired when payment succeeds.
//! ```

use super::prelude::*;
use crate::schema::{self, Place};
use crate::suggest::did_you_mean;

declare_rule!(UnknownKey, "unknown-key", Error);

impl Rule for UnknownKey {
    fn check_file(&self, file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
        for issue in file.issues {
            match issue {
                ModelIssue::UnknownKey { span, key, place } => {
                    out.push(diagnostic(*span, key, *place))
                }
                ModelIssue::UnknownRule { span, name } => out.push(unknown_rule(*span, name)),
                _ => {}
            }
        }
    }
}

/// A key that `place` does not allow.
fn diagnostic(span: Span, text: &str, place: Place) -> Diagnostic {
    let mut d = Diagnostic::new(RULE, span, format!("unknown key `{text}` {}", place.location()));
    if place == Place::PartFile && schema::is_root_only(text) {
        return d.with_help(format!("`{text}` belongs in the plan's root file, trackplan.yaml"));
    }
    if text.contains(' ') {
        return d.with_help(
            "if this is the rest of a text value, quote the text: inside `{...}` a comma ends a value",
        );
    }
    if place == Place::Property && text == "required" {
        return d.with_help(
            "whether a property is required is said per event, in the event's `properties:` (`name: required`)",
        );
    }
    if place == Place::PropertyReference && schema::key_doc(Place::InlineProperty, text).is_some() {
        return d.with_help(format!(
            "a mapping without `type` refers to the dictionary property; add `type:` to define the property for this event only, or set `{text}` in the dictionary"
        ));
    }
    let keys = schema::keys(place);
    let known = keys.iter().map(|k| k.key);
    match did_you_mean(text, known) {
        Some(suggestion) => {
            d = d.with_help(format!("did you mean `{suggestion}`?"));
            d.with_fix(
                format!("Replace with `{suggestion}`"),
                vec![Edit {
                    span,
                    new_text: suggestion.to_string(),
                }],
            )
        }
        None => {
            let list: Vec<String> = keys.iter().map(|k| format!("`{}`", k.key)).collect();
            d.with_help(format!("allowed here: {}", list.join(", ")))
        }
    }
}

/// A rule name under `lint:` that is not a rule.
fn unknown_rule(span: Span, text: &str) -> Diagnostic {
    let d = Diagnostic::new(RULE, span, format!("unknown rule `{text}`"));
    match did_you_mean(text, super::RULES.iter().map(|r| r.name())) {
        Some(suggestion) => d
            .with_help(format!("did you mean `{suggestion}`?"))
            .with_fix(
                format!("Replace with `{suggestion}`"),
                vec![Edit {
                    span,
                    new_text: suggestion.to_string(),
                }],
            ),
        None => d.with_help("`trackplan rules` lists the rules"),
    }
}
