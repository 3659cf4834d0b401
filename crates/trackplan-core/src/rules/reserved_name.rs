//! Flags a custom event or property that uses a Mixpanel-reserved name or the `$`/`mp_` prefix.
//!
//! ## What it does
//! Event and property names starting with `$` or `mp_` are Mixpanel's own, as are `distinct_id`,
//! `time` and `token`. Under `user_properties`, Mixpanel's reserved profile properties (`$name`,
//! `$first_name`, `$last_name`, `$email`, `$phone`, `$avatar`, `$created`, and the geolocation ones
//! `$city`, `$region`, `$country_code`, `$timezone`) are allowed and encouraged; any other `$` name is
//! reported.
//!
//! ## Why is this bad?
//! Mixpanel gives reserved names special meaning: a custom `time` property overwrites the event time,
//! a custom `$`-event can be hidden or merged with Mixpanel's own, and `distinct_id` decides which user
//! the event belongs to.
//!
//! ## Example
//! ```yaml
//! properties:
//!   time: {type: datetime, description: When the order was placed.}
//! user_properties:
//!   $plan: {type: string, description: The subscription plan.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! properties:
//!   ordered_at: {type: datetime, description: When the order was placed.}
//! user_properties:
//!   plan: {type: string, description: The subscription plan.}
//! ```

use super::prelude::*;

declare_rule!(ReservedName, "reserved-name", Error);

/// Names Mixpanel reserves without a prefix.
const RESERVED: &[&str] = &["distinct_id", "time", "token"];

/// Reserved profile properties a plan may define under `user_properties`.
pub const PROFILE_PROPERTIES: &[&str] = &[
    "$name",
    "$first_name",
    "$last_name",
    "$email",
    "$phone",
    "$avatar",
    "$created",
    "$city",
    "$region",
    "$country_code",
    "$timezone",
];

impl Rule for ReservedName {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for event in cx.plan.events() {
            if let Some(why) = reserved(&event.name.text) {
                out.push(
                    Diagnostic::new(RULE, event.name.span, format!("event name `{}` {why}", event.name.text))
                        .with_help("choose a name of your own; Mixpanel's own events are sent by its SDKs"),
                );
            }
        }
        for &(site, def) in cx.index.property_definitions() {
            let name = &def.name.text;
            if site == PropertySite::User && PROFILE_PROPERTIES.contains(&name.as_str()) {
                continue;
            }
            let Some(why) = reserved(name) else { continue };
            let help = if site == PropertySite::User && name.starts_with('$') {
                format!(
                    "the reserved profile properties are {}; drop the `$` for a property of your own",
                    PROFILE_PROPERTIES.join(", ")
                )
            } else {
                "choose a name of your own".to_string()
            };
            out.push(
                Diagnostic::new(RULE, def.name.span, format!("property name `{name}` {why}"))
                    .with_help(help),
            );
        }
    }
}

fn reserved(name: &str) -> Option<&'static str> {
    if name.starts_with('$') {
        Some("uses the `$` prefix Mixpanel reserves")
    } else if name.starts_with("mp_") {
        Some("uses the `mp_` prefix Mixpanel reserves")
    } else if RESERVED.contains(&name) {
        Some("is reserved by Mixpanel")
    } else {
        None
    }
}
