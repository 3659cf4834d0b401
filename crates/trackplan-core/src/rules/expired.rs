//! Flags an event or property whose `expires` date has passed.
//!
//! ## What it does
//! Reports events and property definitions (dictionary, user, inline and nested) whose `expires`
//! date is before today. Deprecated events and properties are exempt: they are already on their way
//! out. Today is the date of the machine that runs the check.
//!
//! ## Why is this bad?
//! An expiry date is a promise made when the data was planned: "we collect this until the
//! experiment ends", "until the data review is renewed". Past it, the app keeps sending data nobody
//! agreed to keep, or the plan still lists what the app no longer sends.
//!
//! ## Example
//! ```yaml
//! events:
//!   Onboarding Experiment Viewed:
//!     description: Fired when the new onboarding variant is shown.
//!     expires: 2024-03-31
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Onboarding Experiment Viewed:
//!     description: Fired when the new onboarding variant is shown; no longer sent since April 2024.
//!     status: deprecated
//!     expires: 2024-03-31
//! ```

use super::prelude::*;

declare_rule!(Expired, "expired", Warning);

impl Rule for Expired {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(today) = cx.today else { return };
        let events = cx
            .plan
            .events()
            .filter(|e| !e.is_deprecated())
            .filter_map(|e| Some(("event", &e.name, e.expires.as_ref()?)));
        let properties = cx
            .index
            .property_definitions()
            .iter()
            .filter(|(_, d)| !d.is_deprecated())
            .filter_map(|(site, d)| {
                let noun = if *site == PropertySite::User {
                    "user property"
                } else {
                    "property"
                };
                Some((noun, &d.name, d.expires.as_ref()?))
            });
        for (noun, name, expires) in events.chain(properties) {
            if expires.value < today {
                out.push(
                    Diagnostic::new(
                        RULE,
                        expires.span,
                        format!("{noun} `{}` expired on {}", name.text, expires.value),
                    )
                    .with_related(name.span, format!("the {noun} is defined here"))
                    .with_help("stop sending it and mark it deprecated, or move `expires` to a later date if it is still needed"),
                );
            }
        }
    }
}
