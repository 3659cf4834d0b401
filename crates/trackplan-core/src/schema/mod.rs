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
pub use words::{
    Case, Destination, Format, IdMerge, LintLevel, Platform, PropertyType, Requiredness,
    Sensitivity, Status, Word,
};

macro_rules! places {
    ($( $(#[$doc:meta])* $place:ident => $schema_name:literal, $location:literal; )*) => {
        /// A place in a plan file where a mapping of known keys stands.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Place {
            $( $(#[$doc])* $place, )*
        }

        impl Place {
            pub const ALL: &'static [Place] = &[ $( Place::$place, )* ];

            /// The name of its definition in the JSON Schemas (`#/$defs/kpi`).
            pub fn schema_name(self) -> &'static str {
                match self {
                    $( Place::$place => $schema_name, )*
                }
            }

            /// Where it stands, for messages: "in a KPI".
            pub fn location(self) -> &'static str {
                match self {
                    $( Place::$place => $location, )*
                }
            }
        }
    };
}

places! {
    /// The top of `trackplan.yaml`.
    Root => "root", "in the root file";
    /// The top of any other file of the plan.
    PartFile => "planFile", "at the top of a plan file";
    Conventions => "conventions", "in `conventions`";
    Identity => "identity", "in `identity`";
    Team => "team", "in a team";
    Goal => "goal", "in a goal";
    Kpi => "kpi", "in a KPI";
    Flow => "flow", "in a flow";
    Event => "event", "in an event";
    /// A property definition in `properties:` or `user_properties:` (or a list's `items`).
    Property => "property", "in a property definition";
    /// A property defined inline in an event or an object (a mapping with `type`).
    InlineProperty => "inlineProperty", "in a property definition";
    /// A mapping without `type` in an event's or an object's `properties:`: a dictionary
    /// reference with overrides.
    PropertyReference => "propertyReference", "in a reference to a dictionary property";
}

/// What a key's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// An integer at least this large.
    Integer(i64),
    Number,
    /// A number above zero.
    PositiveNumber,
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
    /// An event's or an object's `properties`: dictionary references and definitions of its own.
    PropertyEntries,
    /// A property's `type`: a type word, a list of them, or `any`.
    Types,
    /// `links`: a label to an absolute URL.
    Links,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
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
    /// Keys of the same place that say the same thing another way (`owner` and `owners`): at most
    /// one of them may be given.
    pub excludes: &'static [&'static str],
}

impl KeyDoc {
    /// The key applies to properties of these types only (`min` to numbers).
    pub(crate) const fn for_types(mut self, types: &'static [PropertyType]) -> KeyDoc {
        self.for_types = types;
        self
    }

    /// The key may not stand beside these keys.
    pub(crate) const fn excluding(mut self, keys: &'static [&'static str]) -> KeyDoc {
        self.excludes = keys;
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
        excludes: &[],
    }
}

pub(crate) const fn required(key: &'static str, shape: Shape, doc: &'static str) -> KeyDoc {
    KeyDoc {
        key,
        shape,
        required: true,
        doc,
        for_types: &[],
        excludes: &[],
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
