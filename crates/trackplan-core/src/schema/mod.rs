//! The plan format as data: which keys each place allows, what their values are, and what they mean.
//!
//! This table is the single source of the format's shape. The reader uses it for `unknown-key` and
//! `missing-field`, the language server for key completion and hover, and [`json_schema`] turns it into
//! the published JSON Schemas (a test keeps the files in `schemas/` equal to its output).

mod json_schema;
pub mod keys;
mod kinds;
mod words;

pub use json_schema::json_schema;
pub use keys::*;
pub(crate) use kinds::entity_kinds;
pub use kinds::{EntityKind, KeyedBy, KindInfo, SymbolKind, KINDS};
pub use words::{Case, IdMerge, LintLevel, Platform, PropertyType, Requiredness, Status, Word};

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
    /// The property types this key applies to (empty: every type, or not a property's key).
    pub for_types: &'static [PropertyType],
}

impl KeyDoc {
    /// The key applies to properties of these types only (`min` to numbers).
    pub(crate) const fn for_types(mut self, types: &'static [PropertyType]) -> KeyDoc {
        self.for_types = types;
        self
    }
}

pub(crate) const fn key(key: &'static str, shape: Shape, doc: &'static str) -> KeyDoc {
    KeyDoc {
        key,
        shape,
        required: false,
        doc,
        for_types: &[],
    }
}

pub(crate) const fn required(key: &'static str, shape: Shape, doc: &'static str) -> KeyDoc {
    KeyDoc {
        key,
        shape,
        required: true,
        doc,
        for_types: &[],
    }
}

/// The documentation of the keys allowed at a place, in the order they are documented.
pub fn keys(place: Place) -> Vec<&'static KeyDoc> {
    keys::docs(place)
}

pub fn key_doc(place: Place, name: &str) -> Option<&'static KeyDoc> {
    keys(place).into_iter().find(|k| k.key == name)
}

/// Keys that only the root file may hold.
pub fn is_root_only(name: &str) -> bool {
    ROOT.parse(name).is_some() && PART_FILE.parse(name).is_none()
}
