//! Flags an event or property name longer than a destination keeps.
//!
//! ## What it does
//! Mixpanel limits event names, property names and string values to 255 characters, Amplitude to
//! 1,024. Names longer than the smallest limit among the plan's destinations (`destinations:`,
//! Mixpanel when absent) are reported; destinations without a limit (Segment, RudderStack,
//! Snowplow, `generic`) add none.
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

impl Rule for NameTooLong {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some((max, info)) = cx.destinations().smallest(|i| i.max_name_chars) else {
            return;
        };
        let names = cx
            .plan
            .events()
            .map(|e| ("event", &e.name))
            .chain(cx.index.property_definitions().iter().map(|(_, d)| ("property", &d.name)));
        for (noun, name) in names {
            // A name of at most `max` bytes has at most `max` characters.
            if name.text.len() <= max {
                continue;
            }
            let length = name.text.chars().count();
            if length > max {
                out.push(
                    Diagnostic::new(
                        RULE,
                        name.span,
                        format!("{noun} name is {length} characters long, over {}'s limit of {max}", info.name),
                    )
                    .with_help("use a short name and put the detail in `description`"),
                );
            }
        }
    }
}
