//! Flags an event or property name over 255 characters.
//!
//! ## What it does
//! Mixpanel limits event names, property names and string values to 255 characters. Names longer than
//! that are reported.
//!
//! ## Why is this bad?
//! Mixpanel truncates longer names, so two long names that share their first 255 characters become one
//! event, and the name in the plan no longer matches the name in reports.
//!
//! ## Example
//! ```yaml
//! events:
//!   "User Completed The Onboarding Checklist After Connecting Their Calendar, Importing Their Contacts From A Spreadsheet, Inviting At Least Three Teammates To The Workspace And Scheduling Their First Meeting Within Seven Days Of Starting The Free Trial On The Web App": {}
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Onboarding Completed:
//!     description: Fired when the user has finished every step of the onboarding checklist.
//! ```

use super::prelude::*;

declare_rule!(NameTooLong, "name-too-long", Error);

pub const MAX_NAME_CHARS: usize = 255;

impl Rule for NameTooLong {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let names = cx
            .plan
            .events()
            .map(|e| ("event", &e.name))
            .chain(cx.index.property_definitions().iter().map(|(_, d)| ("property", &d.name)));
        for (noun, name) in names {
            // A name of at most 255 bytes has at most 255 characters.
            if name.text.len() <= MAX_NAME_CHARS {
                continue;
            }
            let length = name.text.chars().count();
            if length > MAX_NAME_CHARS {
                out.push(
                    Diagnostic::new(
                        RULE,
                        name.span,
                        format!("{noun} name is {length} characters long, over Mixpanel's limit of {MAX_NAME_CHARS}"),
                    )
                    .with_help("use a short name and put the detail in `description`"),
                );
            }
        }
    }
}
