//! The keys of each place, as typed sets: each key is a variant of its place's key enum paired with
//! its documentation (shape, whether it is required, what it means). The reader matches on the
//! enums, so every `match` on keys is exhaustive and a key that is added but not read does not
//! compile; completion, hover, `unknown-key` and the JSON Schemas read the same rows.

use super::*;

/// The keys allowed at one place, in the order they are documented.
#[derive(Debug)]
pub struct KeySet<K: 'static> {
    pub place: Place,
    pub entries: &'static [(K, KeyDoc)],
}

impl<K: Copy + PartialEq> KeySet<K> {
    /// The key written as `text`, with its documentation.
    pub fn parse(&self, text: &str) -> Option<(K, &'static KeyDoc)> {
        self.entries
            .iter()
            .find(|(_, doc)| doc.key == text)
            .map(|(key, doc)| (*key, doc))
    }

    pub fn docs(&self) -> impl Iterator<Item = &'static KeyDoc> {
        self.entries.iter().map(|(_, doc)| doc)
    }
}

/// Fields that many entities carry, read into `model::Common`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommonKey {
    Description,
    Notes,
    Tags,
    Owner,
    Owners,
    Links,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootKey {
    Trackplan,
    Name,
    Description,
    Conventions,
    Lint,
    Identity,
    Destinations,
    AdditionalProperties,
    Baseline,
    /// The section of a kind of entity (`events:`).
    Section(EntityKind),
    SuperProperties,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConventionsKey {
    EventCase,
    PropertyCase,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityKey {
    IdMerge,
    Identify,
    Reset,
    Notes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamKey {
    Name,
    Contact,
    Common(CommonKey),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoalKey {
    Name,
    Common(CommonKey),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KpiKey {
    Name,
    Goal,
    Definition,
    Priority,
    Common(CommonKey),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowKey {
    Name,
    Kpis,
    Steps,
    Alternatives,
    Common(CommonKey),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKey {
    Status,
    Platforms,
    Kpis,
    Properties,
    AdditionalProperties,
    ReplacedBy,
    Expires,
    Sensitivity,
    Common(CommonKey),
}

/// The keys of a property definition; `Required` only where the definition is an event's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertyKey {
    Type,
    Required,
    Nullable,
    Enum,
    Examples,
    Pattern,
    MinLength,
    MaxLength,
    Format,
    Min,
    Max,
    MultipleOf,
    MinItems,
    MaxItems,
    UniqueItems,
    Pii,
    Sensitivity,
    Deprecated,
    ReplacedBy,
    Expires,
    Items,
    Properties,
    AdditionalProperties,
    Common(CommonKey),
}

/// The keys of a mapping without `type` in an event's `properties:` (a dictionary reference that
/// says more for this event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertyReferenceKey {
    Required,
    Description,
    Examples,
    Enum,
    Notes,
}

const DESCRIPTION: &str =
    "What this is and why it exists, in plain words for every team that reads the plan.";
const NOTES: &str = "Cross-team notes: implementation caveats, analysis tips, history.";
const TAGS: &str = "Free-form labels for grouping and search.";
const OWNER: &str = "The team responsible for this (a team id from `teams`).";
const OWNERS: &str = "The teams responsible for this, when there are several (team ids from `teams`); instead of `owner`.";
const LINKS: &str =
    "Links to read more, by label: `{bug: https://..., dashboard: https://...}` (absolute URLs).";
const EXPIRES: &str = "The date (`YYYY-MM-DD`) after which this should no longer be collected; `expired` reports it once past.";
const SENSITIVITY: &str = "How sensitive the data is: `public`, `internal`, `personal` (what `pii: true` means) or `highly-sensitive`.";
const CLOSED: &str = "`false`: nothing may be sent beyond the planned properties (and the destination's automatic ones). Default: the root file's `additional_properties`, else `true`.";

const fn common(key: CommonKey) -> KeyDoc {
    match key {
        CommonKey::Description => self::key("description", Shape::Text, DESCRIPTION),
        CommonKey::Notes => self::key("notes", Shape::Text, NOTES),
        CommonKey::Tags => self::key("tags", Shape::TextList, TAGS),
        CommonKey::Owner => {
            self::key("owner", Shape::Reference(EntityKind::Team), OWNER).excluding(&["owners"])
        }
        CommonKey::Owners => self::key("owners", Shape::ReferenceList(EntityKind::Team), OWNERS)
            .excluding(&["owner"]),
        CommonKey::Links => self::key("links", Shape::Links, LINKS),
    }
}

macro_rules! root_entries {
    ($( $kind:ident => $section:ident, $ty:ident, $keyed:ident, $noun:literal, $plural:literal,
        $heading:literal, $stable:literal, $place:ident, $symbol:ident, $doc:literal; )*) => {
        const ROOT_ENTRIES: [(RootKey, KeyDoc); ROOT_ONLY + SECTIONS] = [
            (RootKey::Trackplan, required("trackplan", Shape::Version, "The version of the plan format. Always `1`.")),
            (RootKey::Name, required("name", Shape::Text, "The plan's name, usually the product's.")),
            (RootKey::Description, key("description", Shape::Text, "Why this plan exists and which onboarding use cases it covers first.")),
            (RootKey::Conventions, key("conventions", Shape::Object(Place::Conventions), "Naming conventions for event and property names. No case rule runs without them.")),
            (RootKey::Lint, key("lint", Shape::Lint, "Severity per rule: `error`, `warning`, `info` or `off`.")),
            (RootKey::Identity, key("identity", Shape::Object(Place::Identity), "Where anonymous users become identified (identify) and where identity is reset (logout).")),
            (RootKey::Destinations, key("destinations", Shape::WordList(Destination::WORDS), "The tools the events are sent to: `mixpanel` (the default), `segment`, `amplitude`, `rudderstack`, `snowplow`, `generic`. Reserved names, limits and the cross-event property rules follow them.")),
            (RootKey::AdditionalProperties, key("additional_properties", Shape::Boolean, "The plan-wide default for events and object properties: `false` closes them (nothing beyond the planned properties). Default `true`.")),
            (RootKey::Baseline, key("baseline", Shape::Text, "A baseline file (`trackplan check --write-baseline FILE`), relative to this folder: `check` and the editor report only findings it does not list.")),
            $( (RootKey::Section(EntityKind::$kind), key(stringify!($section), Shape::Collection(Place::$place), $doc)), )*
            (RootKey::SuperProperties, key("super_properties", Shape::ReferenceList(EntityKind::Property), "Dictionary properties registered once and sent with every event.")),
        ];
    };
}
entity_kinds!(root_entries);

/// The root file: settings, then the sections every file may hold.
pub const ROOT: KeySet<RootKey> = KeySet {
    place: Place::Root,
    entries: &ROOT_ENTRIES,
};

/// The root file's own settings come first in [`ROOT_ENTRIES`], then the sections.
const ROOT_ONLY: usize = 9;
/// The sections: one per kind of entity, and `super_properties`.
const SECTIONS: usize = EntityKind::ALL.len() + 1;

const PART_FILE_ENTRIES: [(RootKey, KeyDoc); SECTIONS] = {
    let mut out = [ROOT_ENTRIES[ROOT_ONLY]; SECTIONS];
    let mut i = 0;
    while i < SECTIONS {
        out[i] = ROOT_ENTRIES[ROOT_ONLY + i];
        i += 1;
    }
    out
};

/// Any other file of the plan: the sections only.
pub const PART_FILE: KeySet<RootKey> = KeySet {
    place: Place::PartFile,
    entries: &PART_FILE_ENTRIES,
};

pub const CONVENTIONS: KeySet<ConventionsKey> = KeySet {
    place: Place::Conventions,
    entries: &[
        (ConventionsKey::EventCase, key("event_case", Shape::Word(Case::WORDS), "Case convention for event names: `title` (Order Completed), `snake`, `camel`, `pascal`, `kebab` or `lower` (order completed).")),
        (ConventionsKey::PropertyCase, key("property_case", Shape::Word(Case::WORDS), "Case convention for property names (reserved `$` profile properties are exempt).")),
    ],
};

pub const IDENTITY: KeySet<IdentityKey> = KeySet {
    place: Place::Identity,
    entries: &[
        (IdentityKey::IdMerge, key("id_merge", Shape::Word(IdMerge::WORDS), "Mixpanel ID Merge flavour: `simplified` ($device_id/$user_id) or `original` ($identify, $create_alias, $merge).")),
        (IdentityKey::Identify, key("identify", Shape::ReferenceList(EntityKind::Event), "Events after which the app calls `identify(user_id)`: sign-up and login.")),
        (IdentityKey::Reset, key("reset", Shape::ReferenceList(EntityKind::Event), "Events after which the app calls `reset()`: logout.")),
        (IdentityKey::Notes, key("notes", Shape::Text, "Where the user id comes from and other identity caveats.")),
    ],
};

pub const TEAM: KeySet<TeamKey> = KeySet {
    place: Place::Team,
    entries: &[
        (
            TeamKey::Name,
            required("name", Shape::Text, "The team's display name."),
        ),
        (
            TeamKey::Contact,
            key(
                "contact",
                Shape::Text,
                "How to reach the team: a channel, a mailing list.",
            ),
        ),
        (
            TeamKey::Common(CommonKey::Description),
            common(CommonKey::Description),
        ),
        (TeamKey::Common(CommonKey::Notes), common(CommonKey::Notes)),
        (TeamKey::Common(CommonKey::Tags), common(CommonKey::Tags)),
        (TeamKey::Common(CommonKey::Links), common(CommonKey::Links)),
    ],
};

pub const GOAL: KeySet<GoalKey> = KeySet {
    place: Place::Goal,
    entries: &[
        (
            GoalKey::Name,
            required("name", Shape::Text, "The goal's display name."),
        ),
        (
            GoalKey::Common(CommonKey::Description),
            common(CommonKey::Description),
        ),
        (GoalKey::Common(CommonKey::Owner), common(CommonKey::Owner)),
        (
            GoalKey::Common(CommonKey::Owners),
            common(CommonKey::Owners),
        ),
        (GoalKey::Common(CommonKey::Notes), common(CommonKey::Notes)),
        (GoalKey::Common(CommonKey::Tags), common(CommonKey::Tags)),
        (GoalKey::Common(CommonKey::Links), common(CommonKey::Links)),
    ],
};

pub const KPI: KeySet<KpiKey> = KeySet {
    place: Place::Kpi,
    entries: &[
        (
            KpiKey::Name,
            required("name", Shape::Text, "The KPI's display name."),
        ),
        (
            KpiKey::Goal,
            key(
                "goal",
                Shape::Reference(EntityKind::Goal),
                "The business goal this KPI measures (a goal id).",
            ),
        ),
        (
            KpiKey::Definition,
            key(
                "definition",
                Shape::Text,
                "How the KPI is computed: numerator, denominator, window.",
            ),
        ),
        (
            KpiKey::Priority,
            key(
                "priority",
                Shape::Integer(1),
                "1 = highest: part of the onboarding focus.",
            ),
        ),
        (KpiKey::Common(CommonKey::Owner), common(CommonKey::Owner)),
        (KpiKey::Common(CommonKey::Owners), common(CommonKey::Owners)),
        (
            KpiKey::Common(CommonKey::Description),
            common(CommonKey::Description),
        ),
        (KpiKey::Common(CommonKey::Notes), common(CommonKey::Notes)),
        (KpiKey::Common(CommonKey::Tags), common(CommonKey::Tags)),
        (KpiKey::Common(CommonKey::Links), common(CommonKey::Links)),
    ],
};

pub const FLOW: KeySet<FlowKey> = KeySet {
    place: Place::Flow,
    entries: &[
        (
            FlowKey::Name,
            required("name", Shape::Text, "The flow's display name."),
        ),
        (
            FlowKey::Common(CommonKey::Description),
            common(CommonKey::Description),
        ),
        (
            FlowKey::Kpis,
            key(
                "kpis",
                Shape::ReferenceList(EntityKind::Kpi),
                "The KPIs this flow moves (KPI ids).",
            ),
        ),
        (
            FlowKey::Steps,
            key(
                "steps",
                Shape::ReferenceList(EntityKind::Event),
                "The events of the main path, in order.",
            ),
        ),
        (
            FlowKey::Alternatives,
            key(
                "alternatives",
                Shape::Alternatives,
                "Other paths to the same outcome: an id for each, with its events in order.",
            ),
        ),
        (FlowKey::Common(CommonKey::Owner), common(CommonKey::Owner)),
        (
            FlowKey::Common(CommonKey::Owners),
            common(CommonKey::Owners),
        ),
        (FlowKey::Common(CommonKey::Notes), common(CommonKey::Notes)),
        (FlowKey::Common(CommonKey::Tags), common(CommonKey::Tags)),
        (FlowKey::Common(CommonKey::Links), common(CommonKey::Links)),
    ],
};

pub const EVENT: KeySet<EventKey> = KeySet {
    place: Place::Event,
    entries: &[
        (EventKey::Common(CommonKey::Description), key("description", Shape::Text, "What the user did, and exactly when the event fires.")),
        (EventKey::Common(CommonKey::Owner), common(CommonKey::Owner)),
        (EventKey::Common(CommonKey::Owners), common(CommonKey::Owners)),
        (EventKey::Status, key("status", Shape::Word(Status::WORDS), "Where the event is: `proposed`, `planned`, `implemented` or `deprecated`.")),
        (EventKey::Platforms, key("platforms", Shape::WordList(Platform::WORDS), "Where the event is sent from.")),
        (EventKey::Kpis, key("kpis", Shape::ReferenceList(EntityKind::Kpi), "KPIs this event measures directly (KPI ids).")),
        (EventKey::Properties, key("properties", Shape::PropertyEntries, "The event's properties: `name: required|optional` for dictionary properties, a mapping without `type` to override them, or a mapping with `type` for a property local to this event.")),
        (EventKey::AdditionalProperties, key("additional_properties", Shape::Boolean, CLOSED)),
        (EventKey::ReplacedBy, key("replaced_by", Shape::Reference(EntityKind::Event), "The event that replaces this deprecated one (this is what makes a rename visible in history).")),
        (EventKey::Expires, key("expires", Shape::Date, EXPIRES)),
        (EventKey::Sensitivity, key("sensitivity", Shape::Word(Sensitivity::WORDS), "How sensitive the most sensitive data the event carries is: `public`, `internal`, `personal` or `highly-sensitive`.")),
        (EventKey::Common(CommonKey::Notes), common(CommonKey::Notes)),
        (EventKey::Common(CommonKey::Tags), common(CommonKey::Tags)),
        (EventKey::Common(CommonKey::Links), common(CommonKey::Links)),
    ],
};

const TYPE_DOC: &str = "The data type: `string`, `number`, `integer`, `boolean`, `datetime`, `list` or `object` (Mixpanel: String, Numeric, Boolean, Date, List, Object); a list of them for a value of several types (`[integer, string]`), or `any`.";
const NUMBERS: &[PropertyType] = &[PropertyType::Number, PropertyType::Integer];
const STRINGS: &[PropertyType] = &[PropertyType::String];
const LISTS: &[PropertyType] = &[PropertyType::List];
const OBJECTS: &[PropertyType] = &[PropertyType::Object];
const REQUIRED_DOC: &str =
    "Whether every occurrence of the event must carry this property (default false).";

const INLINE_PROPERTY_ENTRIES: [(PropertyKey, KeyDoc); 29] = [
    (PropertyKey::Type, required("type", Shape::Types, TYPE_DOC)),
    (PropertyKey::Required, key("required", Shape::Boolean, REQUIRED_DOC)),
    (PropertyKey::Nullable, key("nullable", Shape::Boolean, "`true`: the value may be `null` (whether the property must be sent at all is `required`). Default `false`.")),
    (PropertyKey::Common(CommonKey::Description), common(CommonKey::Description)),
    (PropertyKey::Enum, key("enum", Shape::Values, "The only values allowed.")),
    (PropertyKey::Examples, key("examples", Shape::Values, "Typical values, for implementers and analysts.")),
    (PropertyKey::Pattern, key("pattern", Shape::Text, "A regular expression string values match.").for_types(STRINGS)),
    (PropertyKey::MinLength, key("min_length", Shape::Integer(0), "The fewest characters a string value has.").for_types(STRINGS)),
    (PropertyKey::MaxLength, key("max_length", Shape::Integer(0), "The most characters a string value has.").for_types(STRINGS)),
    (PropertyKey::Format, key("format", Shape::Word(Format::WORDS), "The format string values follow: `email`, `uri`, `uuid`, `ipv4`, `ipv6`, `date`, `date-time`, `time` or `hostname`.").for_types(STRINGS)),
    (PropertyKey::Min, key("min", Shape::Number, "The smallest allowed number.").for_types(NUMBERS)),
    (PropertyKey::Max, key("max", Shape::Number, "The largest allowed number.").for_types(NUMBERS)),
    (PropertyKey::MultipleOf, key("multiple_of", Shape::PositiveNumber, "Numbers are whole multiples of this (`0.01` for amounts in cents).").for_types(NUMBERS)),
    (PropertyKey::MinItems, key("min_items", Shape::Integer(0), "The fewest items a list has.").for_types(LISTS)),
    (PropertyKey::MaxItems, key("max_items", Shape::Integer(0), "The most items a list has.").for_types(LISTS)),
    (PropertyKey::UniqueItems, key("unique_items", Shape::Boolean, "`true`: no item appears twice in a list.").for_types(LISTS)),
    (PropertyKey::Pii, key("pii", Shape::Boolean, "The property holds personal data.")),
    (PropertyKey::Sensitivity, key("sensitivity", Shape::Word(Sensitivity::WORDS), SENSITIVITY)),
    (PropertyKey::Deprecated, key("deprecated", Shape::Boolean, "The property should no longer be sent.")),
    (PropertyKey::ReplacedBy, key("replaced_by", Shape::Reference(EntityKind::Property), "The property that replaces this deprecated one.")),
    (PropertyKey::Expires, key("expires", Shape::Date, EXPIRES)),
    (PropertyKey::Items, key("items", Shape::Items, "For a `list`: the type of its items, or a whole property definition (a list of objects).").for_types(LISTS)),
    (PropertyKey::Properties, key("properties", Shape::PropertyEntries, "For an `object`: its nested properties, written as an event's are (`name: required` for a dictionary property, or a definition with `type`).").for_types(OBJECTS)),
    (PropertyKey::AdditionalProperties, key("additional_properties", Shape::Boolean, CLOSED).for_types(OBJECTS)),
    (PropertyKey::Common(CommonKey::Owner), common(CommonKey::Owner)),
    (PropertyKey::Common(CommonKey::Owners), common(CommonKey::Owners)),
    (PropertyKey::Common(CommonKey::Notes), common(CommonKey::Notes)),
    (PropertyKey::Common(CommonKey::Tags), common(CommonKey::Tags)),
    (PropertyKey::Common(CommonKey::Links), common(CommonKey::Links)),
];

/// Keys of an inline definition.
const INLINE_KEYS: usize = INLINE_PROPERTY_ENTRIES.len();

/// A property definition of the dictionary, of `user_properties` or of a list's `items`: an
/// inline definition's keys without `required`, which is said per event (or per object).
const fn without_required(
    entries: [(PropertyKey, KeyDoc); INLINE_KEYS],
) -> [(PropertyKey, KeyDoc); INLINE_KEYS - 1] {
    let mut out = [entries[0]; INLINE_KEYS - 1];
    let (mut from, mut to) = (0, 0);
    while from < entries.len() {
        if !matches!(entries[from].0, PropertyKey::Required) {
            out[to] = entries[from];
            to += 1;
        }
        from += 1;
    }
    out
}

const PROPERTY_ENTRIES: [(PropertyKey, KeyDoc); INLINE_KEYS - 1] =
    without_required(INLINE_PROPERTY_ENTRIES);

/// A property definition in `properties:` or `user_properties:` (or a list's `items`).
pub const PROPERTY: KeySet<PropertyKey> = KeySet {
    place: Place::Property,
    entries: &PROPERTY_ENTRIES,
};

/// A property defined inline in an event or an object (a mapping with `type`).
pub const INLINE_PROPERTY: KeySet<PropertyKey> = KeySet {
    place: Place::InlineProperty,
    entries: &INLINE_PROPERTY_ENTRIES,
};

pub const PROPERTY_REFERENCE: KeySet<PropertyReferenceKey> = KeySet {
    place: Place::PropertyReference,
    entries: &[
        (PropertyReferenceKey::Required, key("required", Shape::Boolean, REQUIRED_DOC)),
        (PropertyReferenceKey::Description, key("description", Shape::Text, "What the property means for this event, when the dictionary's description is not enough.")),
        (PropertyReferenceKey::Examples, key("examples", Shape::Values, "Typical values for this event.")),
        (PropertyReferenceKey::Enum, key("enum", Shape::Values, "Narrows the dictionary's allowed values to a subset for this event.")),
        (PropertyReferenceKey::Notes, key("notes", Shape::Text, NOTES)),
    ],
};

/// The documentation of the keys allowed at a place.
pub fn docs(place: Place) -> Vec<&'static KeyDoc> {
    match place {
        Place::Root => ROOT.docs().collect(),
        Place::PartFile => PART_FILE.docs().collect(),
        Place::Conventions => CONVENTIONS.docs().collect(),
        Place::Identity => IDENTITY.docs().collect(),
        Place::Team => TEAM.docs().collect(),
        Place::Goal => GOAL.docs().collect(),
        Place::Kpi => KPI.docs().collect(),
        Place::Flow => FLOW.docs().collect(),
        Place::Event => EVENT.docs().collect(),
        Place::Property => PROPERTY.docs().collect(),
        Place::InlineProperty => INLINE_PROPERTY.docs().collect(),
        Place::PropertyReference => PROPERTY_REFERENCE.docs().collect(),
    }
}
