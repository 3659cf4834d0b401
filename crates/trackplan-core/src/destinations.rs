//! What each destination (`destinations:` in the root file) reserves and limits, declared once:
//! `reserved-name`, `name-too-long`, `too-many-properties`, and the cross-event property rules
//! (`similar-names`, `property-type-conflict`) ask the plan's destinations instead of assuming
//! Mixpanel; `trackplan audit` asks it which properties a destination adds by itself and how long
//! a value it keeps. A plan that names no destination is a Mixpanel plan.

use crate::schema::Destination;

/// The facts the rules need about one destination.
#[derive(Debug, PartialEq, Eq)]
pub struct DestinationInfo {
    pub destination: Destination,
    /// The tool's name in messages: "Mixpanel".
    pub name: &'static str,
    /// Prefixes the tool reserves for its own event and property names (`$`, `mp_`).
    pub reserved_prefixes: &'static [&'static str],
    /// Names the tool reserves for its own events and properties.
    pub reserved_names: &'static [&'static str],
    /// Prefixes and names reserved for the tool's own events only.
    pub reserved_event_prefixes: &'static [&'static str],
    pub reserved_event_names: &'static [&'static str],
    /// Reserved profile properties a plan may define under `user_properties`.
    pub profile_properties: &'static [&'static str],
    /// The longest event or property name the tool keeps whole.
    pub max_name_chars: Option<usize>,
    /// The most properties the tool keeps on one event.
    pub max_properties_per_event: Option<usize>,
    /// The longest string value (in characters) the tool keeps whole; it cuts longer ones.
    pub max_string_chars: Option<usize>,
    /// One property name means one property across all events (Mixpanel's Lexicon): types and
    /// spellings of a name are compared across events. Tools that keep each event's properties
    /// apart (a schema or table per event) do not.
    pub shares_property_names: bool,
}

/// Mixpanel's reserved profile properties, which a plan may define under `user_properties`.
pub const MIXPANEL_PROFILE_PROPERTIES: &[&str] = &[
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

/// The table, in the order of [`Destination`]'s words.
const DESTINATIONS: &[DestinationInfo] = &[
    DestinationInfo {
        destination: Destination::Mixpanel,
        name: "Mixpanel",
        reserved_prefixes: &["$", "mp_"],
        reserved_names: &["distinct_id", "time", "token"],
        reserved_event_prefixes: &[],
        reserved_event_names: &[],
        profile_properties: MIXPANEL_PROFILE_PROPERTIES,
        max_name_chars: Some(255),
        max_properties_per_event: Some(255),
        max_string_chars: Some(255),
        shares_property_names: true,
    },
    // Segment keeps a schema per event in Protocols and a table per event in warehouses, and
    // passes names on to the tools behind it (name those tools too for their rules).
    DestinationInfo {
        destination: Destination::Segment,
        name: "Segment",
        reserved_prefixes: &[],
        reserved_names: &[],
        reserved_event_prefixes: &[],
        reserved_event_names: &[],
        profile_properties: &[],
        max_name_chars: None,
        max_properties_per_event: None,
        max_string_chars: None,
        shares_property_names: false,
    },
    // Amplitude's SDKs send `$identify` and `$groupidentify` for profile updates and
    // `revenue_amount` for revenue, name their automatic events `[Amplitude] ...`, truncate strings
    // at 1,024 characters and drop property maps of more than 1,000 keys.
    DestinationInfo {
        destination: Destination::Amplitude,
        name: "Amplitude",
        reserved_prefixes: &[],
        reserved_names: &[],
        reserved_event_prefixes: &["[Amplitude]"],
        reserved_event_names: &["$identify", "$groupidentify", "revenue_amount"],
        profile_properties: &[],
        max_name_chars: Some(1024),
        max_properties_per_event: Some(1000),
        max_string_chars: Some(1024),
        shares_property_names: true,
    },
    // RudderStack's data catalog defines each property once, with its type, for every event.
    DestinationInfo {
        destination: Destination::Rudderstack,
        name: "RudderStack",
        reserved_prefixes: &[],
        reserved_names: &[],
        reserved_event_prefixes: &[],
        reserved_event_names: &[],
        profile_properties: &[],
        max_name_chars: None,
        max_properties_per_event: None,
        max_string_chars: None,
        shares_property_names: true,
    },
    // Snowplow validates each event against its own self-describing schema.
    DestinationInfo {
        destination: Destination::Snowplow,
        name: "Snowplow",
        reserved_prefixes: &[],
        reserved_names: &[],
        reserved_event_prefixes: &[],
        reserved_event_names: &[],
        profile_properties: &[],
        max_name_chars: None,
        max_properties_per_event: None,
        max_string_chars: None,
        shares_property_names: false,
    },
    // Any other tool: nothing reserved, no limits, each event on its own.
    DestinationInfo {
        destination: Destination::Generic,
        name: "the destination",
        reserved_prefixes: &[],
        reserved_names: &[],
        reserved_event_prefixes: &[],
        reserved_event_names: &[],
        profile_properties: &[],
        max_name_chars: None,
        max_properties_per_event: None,
        max_string_chars: None,
        shares_property_names: false,
    },
];

impl Destination {
    pub fn info(self) -> &'static DestinationInfo {
        &DESTINATIONS[self as usize]
    }
}

/// Why a destination keeps a name for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    Prefix(&'static str),
    Name,
}

/// The destinations of one plan, asked together: a rule applies when it applies to any of them.
#[derive(Clone, Debug)]
pub struct Destinations(Vec<&'static DestinationInfo>);

impl Destinations {
    pub fn new(destinations: &[Destination]) -> Destinations {
        let mut infos: Vec<&'static DestinationInfo> =
            destinations.iter().map(|d| d.info()).collect();
        infos.sort_by_key(|i| i.destination);
        infos.dedup_by_key(|i| i.destination);
        Destinations(infos)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static DestinationInfo> + '_ {
        self.0.iter().copied()
    }

    /// The first destination that keeps an event (`is_event`) or property name for itself, and
    /// how. `profile`: the name stands under `user_properties`, where a destination's reserved
    /// profile properties are allowed.
    pub fn reserving(
        &self,
        name: &str,
        is_event: bool,
        profile: bool,
    ) -> Option<(&'static DestinationInfo, Reservation)> {
        self.iter().find_map(|info| {
            if profile && info.profile_properties.contains(&name) {
                return None;
            }
            let event_prefixes = if is_event {
                info.reserved_event_prefixes
            } else {
                &[]
            };
            let prefix = info
                .reserved_prefixes
                .iter()
                .chain(event_prefixes)
                .find(|p| name.starts_with(**p));
            if let Some(prefix) = prefix {
                return Some((info, Reservation::Prefix(prefix)));
            }
            let event_names = if is_event {
                info.reserved_event_names
            } else {
                &[]
            };
            let mut reserved = info.reserved_names.iter().chain(event_names);
            reserved
                .any(|n| *n == name)
                .then_some((info, Reservation::Name))
        })
    }

    /// The smallest limit of a kind among the destinations, with the destination that sets it.
    pub fn smallest(
        &self,
        limit: impl Fn(&DestinationInfo) -> Option<usize>,
    ) -> Option<(usize, &'static DestinationInfo)> {
        self.iter()
            .filter_map(|info| Some((limit(info)?, info)))
            .min_by_key(|(limit, _)| *limit)
    }

    /// The first destination that keeps one property per name across events, if any.
    pub fn sharing_property_names(&self) -> Option<&'static DestinationInfo> {
        self.iter().find(|info| info.shares_property_names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Word;

    #[test]
    fn the_table_follows_the_words() {
        for &destination in Destination::ALL {
            assert_eq!(destination.info().destination, destination);
        }
    }

    #[test]
    fn each_destination_reserves_its_own_names() {
        let mixpanel = Destinations::new(&[Destination::Mixpanel]);
        assert_eq!(
            mixpanel
                .reserving("time", false, false)
                .map(|(i, r)| (i.name, r)),
            Some(("Mixpanel", Reservation::Name))
        );
        assert_eq!(mixpanel.reserving("$email", false, true), None);
        let snowplow = Destinations::new(&[Destination::Snowplow]);
        assert_eq!(snowplow.reserving("time", false, false), None);
        let amplitude = Destinations::new(&[Destination::Amplitude]);
        assert!(amplitude
            .reserving("[Amplitude] Page Viewed", true, false)
            .is_some());
        assert_eq!(
            amplitude.reserving("[Amplitude] Page Viewed", false, false),
            None
        );
        let both = Destinations::new(&[Destination::Snowplow, Destination::Amplitude]);
        assert_eq!(
            both.smallest(|i| i.max_name_chars).map(|(n, _)| n),
            Some(1024)
        );
        assert_eq!(
            both.sharing_property_names().map(|i| i.name),
            Some("Amplitude")
        );
    }
}
