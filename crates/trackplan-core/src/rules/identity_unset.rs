//! Flags a plan with user properties or sign-up/login events but no identify events.
//!
//! ## What it does
//! When the plan defines user profile properties, or an event whose name says sign up, register, log in
//! or sign in, `identity.identify` must list the events after which the app calls `identify(user_id)`.
//! Events whose name says the step failed, was cancelled, or only started, was submitted or was
//! shown (`Login Failed`, `Sign Up Cancelled`, `Login Started`, `Sign In Submitted`, `Sign Up
//! Viewed`) are not places where a user becomes known: they neither raise the finding nor are
//! proposed in its help.
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
const IDENTIFYING: &[&str] = &["signup", "signedup", "login", "loggedin", "signin", "signedin"];

/// Words of event names where a user becomes known (whole words: `Push Registration` is none).
const REGISTERING: &[&str] = &["register", "registered", "registers", "registration"];

/// Words of an event name that say the user did not become known at that event: the step failed,
/// was cancelled, or only started or was shown.
const NOT_DONE: &[&str] = &[
    "fail", "failed", "failure", "fails", "error", "errored", "denied", "rejected", "invalid",
    "cancel", "canceled", "cancelled", "cancellation", "abandoned", "dismissed", "start", "started",
    "begin", "began", "begun", "initiated", "attempt", "attempted", "submitted", "requested",
    "view", "viewed", "shown",
    "displayed", "opened", "clicked", "tapped", "prompted",
];

/// An event after which the app may call identify(): its name says sign up or log in, and does
/// not say that it failed, was cancelled or only started.
fn identifies(name: &str) -> bool {
    let folded = fold(name);
    let has = |words: &[&str]| {
        crate::case::word_slices(name).any(|word| words.iter().any(|w| word.eq_ignore_ascii_case(w)))
    };
    // Searchers made once: this runs on every event name at every check, and `str::contains`
    // prepares its search anew on each call.
    static IDENTIFYING_FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| IDENTIFYING.iter().map(memchr::memmem::Finder::new).collect());
    let identifying = IDENTIFYING_FINDERS
        .iter()
        .any(|finder| finder.find(folded.as_bytes()).is_some());
    (identifying || has(REGISTERING)) && !has(NOT_DONE)
}

impl Rule for IdentityUnset {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let has_identify = cx.plan.identity().is_some_and(|i| !i.identify.is_empty());
        if has_identify {
            return;
        }
        let identifying_event = cx
            .plan
            .events()
            .find(|e| identifies(&e.name.text));
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
            .filter(|n| identifies(n))
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
