//! Flags a plan with user properties or sign-up/login events but no identify events.
//!
//! ## What it does
//! When the plan defines user profile properties, or an event whose name says sign up, register, log in
//! or sign in, `identity.identify` must list the events after which the app calls `identify(user_id)`.
//!
//! ## Why is this bad?
//! Mixpanel only ties anonymous activity to a user when the app identifies them at sign-up and login.
//! Without it, every funnel that crosses sign-up breaks in two, and profile properties land on
//! anonymous device ids.
//!
//! ## Example
//! ```yaml
//! events:
//!   Sign Up Completed: {description: Fired when the account is created.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! identity:
//!   id_merge: simplified
//!   identify: [Sign Up Completed, Logged In]
//!   reset: [Logged Out]
//! events:
//!   Sign Up Completed: {description: Fired when the account is created.}
//! ```

use super::prelude::*;
use crate::suggest::fold;

declare_rule!(IdentityUnset, "identity-unset", Warning);

/// Folded name fragments of events where a user becomes known.
const IDENTIFYING: &[&str] = &["signup", "signedup", "regist", "login", "loggedin", "signin", "signedin"];

impl Rule for IdentityUnset {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let has_identify = cx.plan.identity().is_some_and(|i| !i.identify.is_empty());
        if has_identify {
            return;
        }
        let identifying_event = cx
            .plan
            .events()
            .find(|e| {
                let folded = fold(&e.name.text);
                IDENTIFYING.iter().any(|f| folded.contains(f))
            });
        let first_user_property = cx.plan.user_properties().next();
        let (reason, related) = match (identifying_event, first_user_property) {
            (Some(event), _) => (format!("event `{}` signs users up or in", event.name.text), event.name.span),
            (None, Some(property)) => ("the plan has user profile properties".to_string(), property.name.span),
            (None, None) => return,
        };
        let at = cx
            .plan
            .root_file()
            .and_then(|f| f.part.root.identity_span)
            .unwrap_or_else(|| cx.plan.anchor_span());
        let candidates: Vec<&str> = cx
            .plan
            .events()
            .map(|e| e.name.text.as_str())
            .filter(|n| IDENTIFYING.iter().any(|f| fold(n).contains(f)))
            .collect();
        let help = if candidates.is_empty() {
            "add `identity: {identify: [...], reset: [...]}` naming the events after which the app calls identify() and reset()".to_string()
        } else {
            format!("add `identity: {{identify: [{}]}}`", candidates.join(", "))
        };
        out.push(
            Diagnostic::new(RULE, at, format!("the plan names no identify events, but {reason}"))
                .with_related(related, "here")
                .with_help(help),
        );
    }
}
