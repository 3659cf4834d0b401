//! Flags a `# trackplan-ignore:` comment that silences nothing.
//!
//! ## What it does
//! A comment `# trackplan-ignore: RULE[, RULE]` on an entity's key line silences those rules for that
//! entity (its key and everything under it). A rule named in such a comment that silenced no finding —
//! because the problem was fixed, the comment is on the wrong line, or the rule name is misspelt — is
//! reported. Rules turned `off` in `lint:` are not reported here.
//!
//! ## Why is this bad?
//! Stale suppressions hide the next real problem of the same kind on that entity, and misspelt ones
//! silence nothing while looking as if they did.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:  # trackplan-ignore: missing-owner
//!     owner: growth
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Order Completed:
//!     owner: growth
//! ```

use super::prelude::*;
use crate::suggest::did_you_mean;

declare_rule!(UnusedIgnore, "unused-ignore", Info);

impl Rule for UnusedIgnore {}

/// The finding for a rule name in an ignore comment that silenced nothing.
pub fn diagnostic(rule: &Name) -> Diagnostic {
    if super::find(&rule.text).is_some() {
        return Diagnostic::new(
            RULE,
            rule.span,
            format!("`# trackplan-ignore: {}` silences nothing here", rule.text),
        )
        .with_help("remove it, or put it on the key line of the entity the finding is about");
    }
    let d = Diagnostic::new(RULE, rule.span, format!("unknown rule `{}` in trackplan-ignore", rule.text));
    match did_you_mean(&rule.text, super::RULES.iter().map(|r| r.name())) {
        Some(suggestion) => d
            .with_help(format!("did you mean `{suggestion}`?"))
            .with_fix(
                format!("Replace with `{suggestion}`"),
                vec![Edit {
                    span: rule.span,
                    new_text: suggestion.to_string(),
                }],
            ),
        None => d.with_help("`trackplan rules` lists the rules"),
    }
}
