//! What the reader finds that does not fit the format, as typed facts. The reader records them and
//! reads on; the rules (`unknown-key`, `invalid-value`, `missing-field`) turn them into diagnostics,
//! as `yaml-syntax` and its siblings turn the syntax layer's issues into theirs.

use super::TypeSet;
use crate::schema::{EntityKind, Place, PropertyType, Sensitivity};
use crate::span::Span;
use crate::syntax::Node;

/// A value as found, for messages about it: its text (when it is a scalar) and its shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub text: Option<Box<str>>,
    /// "a mapping", "a list", "a string", "an integer", ...
    pub shape: &'static str,
}

impl Found {
    pub fn of(node: &Node) -> Found {
        Found {
            text: node.as_str().map(Box::from),
            shape: node.shape(),
        }
    }
}

/// What a value should have been.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The top of a file: a mapping of sections.
    Sections,
    /// A mapping key that is not a scalar.
    StringKey,
    Version,
    Text,
    Boolean,
    Number,
    /// A number above zero.
    PositiveNumber,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// `links:`: a mapping of labels to URLs.
    Links,
    /// An absolute URL (a link).
    Url,
    /// A list of destinations.
    DestinationList,
    /// A type word or a list of them.
    Types,
    /// An integer at least this large.
    IntegerFrom(i64),
    TextList,
    PlatformList,
    ValueList,
    /// A list of names of a kind.
    NameList(EntityKind),
    /// A name (a key or list item).
    Name,
    /// The name of an entity of a kind.
    NameOf(EntityKind),
    Conventions,
    Lint,
    Identity,
    /// A section: a mapping of names of a kind to their definitions.
    Definitions(EntityKind),
    /// The body of an entity (its noun).
    EntityFields(&'static str),
    Alternatives,
    /// An event's `properties:`.
    EventProperties,
}

/// A help that goes with a value of the wrong shape.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeHint {
    /// A number or boolean where text belongs: quote it.
    QuoteAsText(Box<str>),
    /// A single value where a list belongs: the list to write.
    WriteAList(Box<str>),
    /// `properties: [a, b]` on an event.
    PropertiesOneByOne,
}

/// Whose fields a required key belongs to, for `missing `name` in ...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    RootFile,
    PlanFile,
    /// A root-only section: `conventions`, `identity`.
    Section(&'static str),
    /// An entity, by its noun: "this team".
    This(&'static str),
}

/// One thing the reader found that does not fit the format.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelIssue {
    /// A value of the wrong shape (`invalid-value`).
    WrongShape {
        span: Span,
        found: Found,
        expected: Expected,
        hint: Option<ShapeHint>,
    },
    /// A value that is not one of the allowed words (`invalid-value`).
    NotAWord {
        span: Span,
        found: Found,
        words: &'static [&'static str],
        /// Where the words are an event property's shorthand.
        shorthand: bool,
    },
    /// A name with leading or trailing spaces (`invalid-value`).
    PaddedName { span: Span, text: Box<str> },
    /// A name that YAML reads as a number, boolean or null (`invalid-value`).
    NameNotString { span: Span, found: Found },
    /// A format version other than 1 (`invalid-value`).
    UnsupportedVersion { span: Span, found: i64 },
    /// A property field that does not apply to the property's type (`invalid-value`).
    FieldNotForType {
        span: Span,
        field: &'static str,
        applies_to: &'static [PropertyType],
        types: TypeSet,
    },
    /// `null` in a type list (`invalid-value`): `nullable: true` says that.
    NullInTypeList { span: Span },
    /// Two keys that say the same thing (`owner` and `owners`) on one entity (`invalid-value`),
    /// at the second written.
    ExclusiveKeys {
        span: Span,
        key: &'static str,
        other: &'static str,
    },
    /// A link that is not an absolute URL (`invalid-value`).
    NotAnAbsoluteUrl { span: Span, text: Box<str> },
    /// `pii` says the opposite of `sensitivity` (`invalid-value`), at `sensitivity`.
    PiiContradictsSensitivity {
        span: Span,
        pii: bool,
        sensitivity: Sensitivity,
    },
    /// A lower bound above its upper bound (`min_length: 5` with `max_length: 2`), at the lower
    /// one (`invalid-value`).
    BoundsReversed {
        span: Span,
        low: &'static str,
        high: &'static str,
    },
    /// An id that is not kebab-case (`invalid-value`); `noun` says what it identifies.
    NotKebabId {
        span: Span,
        id: Box<str>,
        noun: &'static str,
    },
    /// A key the place does not allow (`unknown-key`).
    UnknownKey {
        span: Span,
        key: Box<str>,
        place: Place,
    },
    /// A rule name under `lint:` that is no rule (`unknown-key`).
    UnknownRule { span: Span, name: Box<str> },
    /// A required key that is absent (`missing-field`).
    MissingField {
        at: Span,
        key: &'static str,
        whose: Whose,
    },
    /// A required key given with no value (`missing-field`).
    EmptyField {
        at: Span,
        key: &'static str,
        whose: Whose,
    },
}
