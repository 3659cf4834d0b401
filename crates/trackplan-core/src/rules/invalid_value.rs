//! Flags a value of the wrong shape, or a word that is not one of the allowed ones.
//!
//! ## What it does
//! Checks every value against the format: lists where lists belong, `true`/`false` for flags, numbers
//! for `min`/`max`, the allowed words for `type`, `status`, `platforms`, the cases and the severities,
//! kebab-case ids for teams, goals, KPIs, flows and alternatives, and names that are strings. A name
//! that YAML reads as a number, boolean or null (`404`, `true`, `~`) is reported with a hint to quote
//! it.
//!
//! ## Why is this bad?
//! A value of the wrong shape means something else than intended or nothing at all: `status: done` is
//! no status, `platforms: web` is one string rather than a list, and an event named `404` is sent as
//! the number 404 by some SDKs and as the string "404" by others.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     status: done
//!     platforms: web
//! flows:
//!   Checkout Flow:
//!     name: Checkout
//!     steps: [404]
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Order Completed:
//!     status: implemented
//!     platforms: [web]
//! flows:
//!   checkout:
//!     name: Checkout
//!     steps: ["404"]
//! ```

use super::prelude::*;
use crate::case;
use crate::suggest::did_you_mean;
use crate::syntax::Node;

pub struct InvalidValue;

pub const NAME: &str = "invalid-value";

impl Rule for InvalidValue {
    fn name(&self) -> &'static str {
        NAME
    }

    fn default_severity(&self) -> Severity {
        Severity::Error
    }
}

/// A value that is not of the expected shape.
pub fn wrong_shape(node: &Node, expected: &str) -> Diagnostic {
    let found = match node.as_str() {
        Some(text) if !text.is_empty() && text.chars().count() <= 40 && !text.contains('\n') => {
            format!("`{text}` ({})", node.shape())
        }
        _ => node.shape().to_string(),
    };
    Diagnostic::new(NAME, node.span, format!("expected {expected}, found {found}"))
}

/// A name with leading or trailing white space, which Mixpanel keeps as part of the name.
pub fn padded_name(node: &Node, text: &str) -> Diagnostic {
    let trimmed = text.trim();
    Diagnostic::new(
        NAME,
        node.span,
        format!("name `{text}` has leading or trailing spaces"),
    )
    .with_help("Mixpanel keeps them, so the name would not match what the code sends")
    .with_fix(
        format!("Trim to `{trimmed}`"),
        vec![Edit {
            span: node.span,
            new_text: crate::syntax::quote_if_needed(trimmed),
        }],
    )
}

/// A property field that does not apply to the property's type (`min` on a string, say).
pub fn field_not_for_type(key: &Node, field: &str, applies_to: &str, ty: &str) -> Diagnostic {
    Diagnostic::new(
        NAME,
        key.span,
        format!("`{field}` applies to {applies_to} properties, not to `{ty}`"),
    )
    .with_help(format!("remove `{field}` or change the property's `type`"))
}

/// A value that is not one of `words`.
pub fn not_a_word(node: &Node, words: &[&str]) -> Diagnostic {
    let list = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
    let found = match node.as_str() {
        Some(text) if !text.is_empty() => format!("`{text}`"),
        _ => node.shape().to_string(),
    };
    let d = Diagnostic::new(NAME, node.span, format!("expected one of {list}, found {found}"));
    match node.as_str().and_then(|text| did_you_mean(text, words.iter().copied())) {
        Some(suggestion) => d
            .with_help(format!("did you mean `{suggestion}`?"))
            .with_fix(
                format!("Replace with `{suggestion}`"),
                vec![Edit {
                    span: node.span,
                    new_text: suggestion.to_string(),
                }],
            ),
        None => d,
    }
}

/// A name that YAML reads as a number, boolean or null.
pub fn name_not_string(node: &Node) -> Diagnostic {
    let text = node.as_str().unwrap_or_default();
    let quoted = format!("\"{text}\"");
    Diagnostic::new(
        NAME,
        node.span,
        format!("`{text}` is read as {}, not as a name", node.shape()),
    )
    .with_help(format!("names are strings: quote it as {quoted}"))
    .with_fix(
        format!("Quote as {quoted}"),
        vec![Edit {
            span: node.span,
            new_text: quoted,
        }],
    )
}

pub fn unsupported_version(node: &Node, found: &str) -> Diagnostic {
    Diagnostic::new(
        NAME,
        node.span,
        format!("unsupported plan format version {found}"),
    )
    .with_help("this version of trackplan reads format `1`")
}

/// An id of a team, goal, KPI, flow or alternative that is not kebab-case.
pub fn not_kebab_id(name: &Name, noun: &str) -> Diagnostic {
    let suggestion = case::convert(&name.text, Case::Kebab);
    let d = Diagnostic::new(
        NAME,
        name.span,
        format!("`{}` is not a kebab-case {noun} id", name.text),
    );
    if case::is_kebab_id(&suggestion) {
        d.with_help(format!(
            "ids are lowercase words joined by `-`, such as `{suggestion}`; put the display name in `name:`"
        ))
    } else {
        d.with_help("ids are lowercase words joined by `-`; put the display name in `name:`")
    }
}
