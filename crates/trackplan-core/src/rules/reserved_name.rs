//! Flags a custom event or property that uses a name or prefix a destination reserves.
//!
//! ## What it does
//! Reports event and property names that a destination of the plan (`destinations:`, Mixpanel when
//! absent) keeps for itself. Mixpanel reserves the `$` and `mp_` prefixes and `distinct_id`, `time`
//! and `token`; under `user_properties`, its reserved profile properties (`$name`, `$first_name`,
//! `$last_name`, `$email`, `$phone`, `$avatar`, `$created`, and the geolocation ones `$city`,
//! `$region`, `$country_code`, `$timezone`) are allowed and encouraged, and any other `$` name is
//! reported. Amplitude reserves the event names `$identify`, `$groupidentify` and `revenue_amount`
//! and the `[Amplitude]` prefix of its automatic events. Segment, RudderStack, Snowplow and
//! `generic` reserve nothing, so a plan sent only there gets no finding.
//!
//! ## Why is this bad?
//! A destination gives its reserved names special meaning: in Mixpanel a custom `time` property
//! overwrites the event time, a custom `$`-event can be hidden or merged with Mixpanel's own, and
//! `distinct_id` decides which user the event belongs to.
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

impl Rule for ReservedName {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let destinations = cx.destinations();
        for event in cx.plan.events() {
            let name = &event.name.text;
            if let Some((info, how)) = destinations.reserving(name, true, false) {
                out.push(
                    Diagnostic::new(RULE, event.name.span, format!("event name `{name}` {}", why(info, how)))
                        .with_help(format!("choose a name of your own; {}'s own events are sent by its SDKs", info.name)),
                );
            }
        }
        for &(site, def) in cx.index.property_definitions() {
            let name = &def.name.text;
            let profile = site == PropertySite::User;
            let Some((info, how)) = destinations.reserving(name, false, profile) else { continue };
            let help = if profile && !info.profile_properties.is_empty() && how == Reservation::Prefix("$") {
                format!(
                    "the reserved profile properties are {}; drop the `$` for a property of your own",
                    info.profile_properties.join(", ")
                )
            } else {
                "choose a name of your own".to_string()
            };
            out.push(
                Diagnostic::new(RULE, def.name.span, format!("property name `{name}` {}", why(info, how)))
                    .with_help(help),
            );
        }
    }
}

fn why(info: &DestinationInfo, how: Reservation) -> String {
    match how {
        Reservation::Prefix(prefix) => format!("uses the `{prefix}` prefix {} reserves", info.name),
        Reservation::Name => format!("is reserved by {}", info.name),
    }
}
