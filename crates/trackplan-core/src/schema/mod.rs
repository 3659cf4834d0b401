//! The plan format as data: which keys each place allows, what their values are, and what they mean.
//!
//! This table is the single source of the format's shape. The reader uses it for `unknown-key` and
//! `missing-field`, the language server for key completion and hover, and [`json_schema`] turns it into
//! the published JSON Schemas (a test keeps the files in `schemas/` equal to its output).

mod json_schema;
mod kinds;

pub use json_schema::json_schema;
pub(crate) use kinds::entity_kinds;
pub use kinds::{EntityKind, KeyedBy, KindInfo, SymbolKind, KINDS};

/// A place in a plan file where a mapping of known keys stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// The top of `trackplan.yaml`.
    Root,
    /// The top of any other file of the plan.
    PartFile,
    Conventions,
    Identity,
    Team,
    Goal,
    Kpi,
    Flow,
    Event,
    /// A property definition in `properties:` or `user_properties:` (or `items`/nested properties).
    Property,
    /// A property defined inline in an event (a mapping with `type`).
    InlineProperty,
    /// A mapping without `type` in an event's `properties:`: a dictionary reference with overrides.
    PropertyReference,
}

/// What a key's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// An integer at least this large.
    Integer(i64),
    Number,
    Boolean,
    /// One of these words.
    Word(&'static [&'static str]),
    /// A list of these words.
    WordList(&'static [&'static str]),
    /// A list of strings (tags).
    TextList,
    /// A name defined in a namespace.
    Reference(EntityKind),
    /// A list of names defined in a namespace.
    ReferenceList(EntityKind),
    /// A mapping of ids or names to objects of a place.
    Collection(Place),
    /// An object of a place.
    Object(Place),
    /// `lint:`: rule name to severity.
    Lint,
    /// A flow's `alternatives`: id to a list of event names.
    Alternatives,
    /// An event's `properties`.
    EventProperties,
    /// A list's `items`: a type word or a property definition.
    Items,
    /// A list of values of the property's type.
    Values,
    /// The version of the format (always 1).
    Version,
}

#[derive(Clone, Copy, Debug)]
pub struct KeyDoc {
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub doc: &'static str,
}

const fn key(key: &'static str, shape: Shape, doc: &'static str) -> KeyDoc {
    KeyDoc {
        key,
        shape,
        required: false,
        doc,
    }
}

const fn required(key: &'static str, shape: Shape, doc: &'static str) -> KeyDoc {
    KeyDoc {
        key,
        shape,
        required: true,
        doc,
    }
}

pub const CASES: &[&str] = &["title", "snake", "camel", "pascal", "kebab", "lower"];
pub const STATUSES: &[&str] = &["proposed", "planned", "implemented", "deprecated"];
pub const PLATFORMS: &[&str] = &[
    "web",
    "mobile-web",
    "ios",
    "android",
    "server",
    "desktop",
    "tv",
];
pub const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "datetime", "list", "object",
];
pub const ID_MERGE: &[&str] = &["simplified", "original"];
pub const SEVERITIES: &[&str] = &["error", "warning", "info", "off"];
pub const REQUIREDNESS: &[&str] = &["required", "optional"];

const DESCRIPTION: &str =
    "What this is and why it exists, in plain words for every team that reads the plan.";
const NOTES: &str = "Cross-team notes: implementation caveats, analysis tips, history.";
const TAGS: &str = "Free-form labels for grouping and search.";
const OWNER: &str = "The team responsible for this (a team id from `teams`).";

const COLLECTION_KEYS: [KeyDoc; 8] = [
    key("teams", Shape::Collection(Place::Team), "The teams that own parts of the plan, keyed by kebab-case id."),
    key("goals", Shape::Collection(Place::Goal), "The business goals the plan serves, keyed by kebab-case id. Design the plan from these, not from the app's screens."),
    key("kpis", Shape::Collection(Place::Kpi), "The KPIs that measure the goals, keyed by kebab-case id. Each names its goal, a definition and a priority (1 = onboarding focus)."),
    key("flows", Shape::Collection(Place::Flow), "The user flows that move the KPIs, as ordered event steps with alternative paths, keyed by kebab-case id."),
    key("events", Shape::Collection(Place::Event), "The events (user actions), keyed by the exact name sent to Mixpanel."),
    key("properties", Shape::Collection(Place::Property), "The shared event-property dictionary, keyed by the exact property name."),
    key("user_properties", Shape::Collection(Place::Property), "User profile properties. Mixpanel's reserved profile properties (`$email`, `$name`, ...) are allowed here."),
    key("super_properties", Shape::ReferenceList(EntityKind::Property), "Dictionary properties registered once and sent with every event."),
];

const ROOT_KEYS: [KeyDoc; 14] = [
    required(
        "trackplan",
        Shape::Version,
        "The version of the plan format. Always `1`.",
    ),
    required(
        "name",
        Shape::Text,
        "The plan's name, usually the product's.",
    ),
    key(
        "description",
        Shape::Text,
        "Why this plan exists and which onboarding use cases it covers first.",
    ),
    key(
        "conventions",
        Shape::Object(Place::Conventions),
        "Naming conventions for event and property names. No case rule runs without them.",
    ),
    key(
        "lint",
        Shape::Lint,
        "Severity per rule: `error`, `warning`, `info` or `off`.",
    ),
    key(
        "identity",
        Shape::Object(Place::Identity),
        "Where anonymous users become identified (identify) and where identity is reset (logout).",
    ),
    COLLECTION_KEYS[0],
    COLLECTION_KEYS[1],
    COLLECTION_KEYS[2],
    COLLECTION_KEYS[3],
    COLLECTION_KEYS[4],
    COLLECTION_KEYS[5],
    COLLECTION_KEYS[6],
    COLLECTION_KEYS[7],
];

const CONVENTION_KEYS: [KeyDoc; 2] = [
    key("event_case", Shape::Word(CASES), "Case convention for event names: `title` (Order Completed), `snake`, `camel`, `pascal`, `kebab` or `lower` (order completed)."),
    key("property_case", Shape::Word(CASES), "Case convention for property names (reserved `$` profile properties are exempt)."),
];

const IDENTITY_KEYS: [KeyDoc; 4] = [
    key("id_merge", Shape::Word(ID_MERGE), "Mixpanel ID Merge flavour: `simplified` ($device_id/$user_id) or `original` ($identify, $create_alias, $merge)."),
    key("identify", Shape::ReferenceList(EntityKind::Event), "Events after which the app calls `identify(user_id)`: sign-up and login."),
    key("reset", Shape::ReferenceList(EntityKind::Event), "Events after which the app calls `reset()`: logout."),
    key("notes", Shape::Text, "Where the user id comes from and other identity caveats."),
];

const TEAM_KEYS: [KeyDoc; 5] = [
    required("name", Shape::Text, "The team's display name."),
    key(
        "contact",
        Shape::Text,
        "How to reach the team: a channel, a mailing list.",
    ),
    key("description", Shape::Text, DESCRIPTION),
    key("notes", Shape::Text, NOTES),
    key("tags", Shape::TextList, TAGS),
];

const GOAL_KEYS: [KeyDoc; 5] = [
    required("name", Shape::Text, "The goal's display name."),
    key("description", Shape::Text, DESCRIPTION),
    key("owner", Shape::Reference(EntityKind::Team), OWNER),
    key("notes", Shape::Text, NOTES),
    key("tags", Shape::TextList, TAGS),
];

const KPI_KEYS: [KeyDoc; 8] = [
    required("name", Shape::Text, "The KPI's display name."),
    key(
        "goal",
        Shape::Reference(EntityKind::Goal),
        "The business goal this KPI measures (a goal id).",
    ),
    key(
        "definition",
        Shape::Text,
        "How the KPI is computed: numerator, denominator, window.",
    ),
    key(
        "priority",
        Shape::Integer(1),
        "1 = highest: part of the onboarding focus.",
    ),
    key("owner", Shape::Reference(EntityKind::Team), OWNER),
    key("description", Shape::Text, DESCRIPTION),
    key("notes", Shape::Text, NOTES),
    key("tags", Shape::TextList, TAGS),
];

const FLOW_KEYS: [KeyDoc; 8] = [
    required("name", Shape::Text, "The flow's display name."),
    key("description", Shape::Text, DESCRIPTION),
    key(
        "kpis",
        Shape::ReferenceList(EntityKind::Kpi),
        "The KPIs this flow moves (KPI ids).",
    ),
    key(
        "steps",
        Shape::ReferenceList(EntityKind::Event),
        "The events of the main path, in order.",
    ),
    key(
        "alternatives",
        Shape::Alternatives,
        "Other paths to the same outcome: an id for each, with its events in order.",
    ),
    key("owner", Shape::Reference(EntityKind::Team), OWNER),
    key("notes", Shape::Text, NOTES),
    key("tags", Shape::TextList, TAGS),
];

const EVENT_KEYS: [KeyDoc; 9] = [
    key("description", Shape::Text, "What the user did, and exactly when the event fires."),
    key("owner", Shape::Reference(EntityKind::Team), OWNER),
    key("status", Shape::Word(STATUSES), "Where the event is: `proposed`, `planned`, `implemented` or `deprecated`."),
    key("platforms", Shape::WordList(PLATFORMS), "Where the event is sent from."),
    key("kpis", Shape::ReferenceList(EntityKind::Kpi), "KPIs this event measures directly (KPI ids)."),
    key("properties", Shape::EventProperties, "The event's properties: `name: required|optional` for dictionary properties, a mapping without `type` to override them, or a mapping with `type` for a property local to this event."),
    key("replaced_by", Shape::Reference(EntityKind::Event), "The event that replaces this deprecated one (this is what makes a rename visible in history)."),
    key("notes", Shape::Text, NOTES),
    key("tags", Shape::TextList, TAGS),
];

const TYPE_DOC: &str = "The data type: `string`, `number`, `integer`, `boolean`, `datetime`, `list` or `object` (Mixpanel: String, Numeric, Boolean, Date, List, Object).";

const PROPERTY_KEYS: [KeyDoc; 15] = [
    required("type", Shape::Word(TYPES), TYPE_DOC),
    key("description", Shape::Text, DESCRIPTION),
    key("enum", Shape::Values, "The only values allowed."),
    key(
        "examples",
        Shape::Values,
        "Typical values, for implementers and analysts.",
    ),
    key(
        "pattern",
        Shape::Text,
        "A regular expression string values match.",
    ),
    key("min", Shape::Number, "The smallest allowed number."),
    key("max", Shape::Number, "The largest allowed number."),
    key("pii", Shape::Boolean, "The property holds personal data."),
    key(
        "deprecated",
        Shape::Boolean,
        "The property should no longer be sent.",
    ),
    key(
        "replaced_by",
        Shape::Reference(EntityKind::Property),
        "The property that replaces this deprecated one.",
    ),
    key(
        "items",
        Shape::Items,
        "For a `list`: the type of its items, or a whole property definition (a list of objects).",
    ),
    key(
        "properties",
        Shape::Collection(Place::Property),
        "For an `object`: its nested properties.",
    ),
    key("owner", Shape::Reference(EntityKind::Team), OWNER),
    key("notes", Shape::Text, NOTES),
    key("tags", Shape::TextList, TAGS),
];

const REQUIRED_DOC: &str =
    "Whether every occurrence of the event must carry this property (default false).";

const INLINE_PROPERTY_KEYS: [KeyDoc; 16] = [
    PROPERTY_KEYS[0],
    key("required", Shape::Boolean, REQUIRED_DOC),
    PROPERTY_KEYS[1],
    PROPERTY_KEYS[2],
    PROPERTY_KEYS[3],
    PROPERTY_KEYS[4],
    PROPERTY_KEYS[5],
    PROPERTY_KEYS[6],
    PROPERTY_KEYS[7],
    PROPERTY_KEYS[8],
    PROPERTY_KEYS[9],
    PROPERTY_KEYS[10],
    PROPERTY_KEYS[11],
    PROPERTY_KEYS[12],
    PROPERTY_KEYS[13],
    PROPERTY_KEYS[14],
];

const PROPERTY_REFERENCE_KEYS: [KeyDoc; 5] = [
    key("required", Shape::Boolean, REQUIRED_DOC),
    key(
        "description",
        Shape::Text,
        "What the property means for this event, when the dictionary's description is not enough.",
    ),
    key("examples", Shape::Values, "Typical values for this event."),
    key(
        "enum",
        Shape::Values,
        "Narrows the dictionary's allowed values to a subset for this event.",
    ),
    key("notes", Shape::Text, NOTES),
];

/// The keys allowed at a place.
pub fn keys(place: Place) -> &'static [KeyDoc] {
    match place {
        Place::Root => &ROOT_KEYS,
        Place::PartFile => &COLLECTION_KEYS,
        Place::Conventions => &CONVENTION_KEYS,
        Place::Identity => &IDENTITY_KEYS,
        Place::Team => &TEAM_KEYS,
        Place::Goal => &GOAL_KEYS,
        Place::Kpi => &KPI_KEYS,
        Place::Flow => &FLOW_KEYS,
        Place::Event => &EVENT_KEYS,
        Place::Property => &PROPERTY_KEYS,
        Place::InlineProperty => &INLINE_PROPERTY_KEYS,
        Place::PropertyReference => &PROPERTY_REFERENCE_KEYS,
    }
}

pub fn key_doc(place: Place, name: &str) -> Option<&'static KeyDoc> {
    keys(place).iter().find(|k| k.key == name)
}

/// Keys that only the root file may hold.
pub fn is_root_only(name: &str) -> bool {
    key_doc(Place::Root, name).is_some() && key_doc(Place::PartFile, name).is_none()
}
