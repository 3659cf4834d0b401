//! What the plan format expects at a path of keys, and which key of a syntax tree is at an offset.
//!
//! A path is the keys from the top of a file down to a place: `["events", "Order Completed",
//! "status"]`. [`expect_at`] walks the format table of [`crate::schema`] along it, so completion and
//! hover follow the same table as the reader.

use crate::model::EntityKind;
use crate::schema::{self, LintLevel, Place, PropertyType, Requiredness, Shape, Word};
use crate::span::Span;
use crate::syntax::{Node, NodeKind};

/// Where the cursor stands relative to the last key of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Typing a key of the mapping the path leads to.
    Key,
    /// Typing the value (or a list item) of the last key of the path.
    Value,
}

/// What the format expects at a place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A key of a place.
    Key(Place),
    /// A name defined in a namespace (a reference, or an event's property entry).
    Name(EntityKind),
    /// The key of a new definition: nothing to offer.
    NewName,
    /// A rule name (a key of `lint:`).
    RuleName,
    /// One of these words.
    Word(&'static [&'static str]),
    /// A value of a property's `enum` (the property, and the event when it stands in one).
    EnumValue {
        property: String,
        event: Option<String>,
    },
    /// Free text or anything the format does not know: nothing to offer.
    Nothing,
}

/// A state of the walk along a path.
#[derive(Clone, Copy, Debug)]
enum State {
    /// A mapping of a place's keys.
    Object(Place),
    /// The value of a key of this shape.
    Value(Shape),
    /// One entry of an event's `properties:` (a shorthand word or a mapping).
    EventProperty,
    /// An entry of `lint:`.
    LintEntry,
    Unknown,
}

const BOOLEANS: &[&str] = &["true", "false"];
const VERSIONS: &[&str] = &["1"];

/// What the format expects at `slot` of `path` in a root file (`is_root`) or another plan file.
pub fn expect_at(path: &[String], is_root: bool, slot: Slot) -> Expect {
    let mut state = State::Object(if is_root {
        Place::Root
    } else {
        Place::PartFile
    });
    let mut event: Option<String> = None;
    let mut property: Option<String> = None;
    for segment in path {
        state = match state {
            State::Object(place) => key_state(place, segment),
            State::Value(Shape::Object(place)) => key_state(place, segment),
            State::Value(Shape::Items) => key_state(Place::Property, segment),
            State::Value(Shape::Collection(place)) => {
                match place {
                    Place::Event => {
                        event = Some(segment.clone());
                        property = None;
                    }
                    Place::Property => property = Some(segment.clone()),
                    _ => {}
                }
                State::Object(place)
            }
            State::Value(Shape::PropertyEntries) => {
                property = Some(segment.clone());
                State::EventProperty
            }
            // A mapping entry of an event's or object's properties: an inline definition or a
            // reference with overrides; the inline keys are the larger set.
            State::EventProperty => key_state(Place::InlineProperty, segment),
            State::Value(Shape::Lint) => State::LintEntry,
            State::Value(Shape::Alternatives) => {
                State::Value(Shape::ReferenceList(EntityKind::Event))
            }
            _ => State::Unknown,
        };
    }
    match slot {
        Slot::Key => match state {
            State::Object(place) | State::Value(Shape::Object(place)) => Expect::Key(place),
            State::Value(Shape::Items) => Expect::Key(Place::Property),
            State::Value(Shape::Collection(_)) | State::Value(Shape::Alternatives) => {
                Expect::NewName
            }
            State::Value(Shape::PropertyEntries) => Expect::Name(EntityKind::Property),
            State::EventProperty => Expect::Key(Place::InlineProperty),
            State::Value(Shape::Lint) => Expect::RuleName,
            _ => Expect::Nothing,
        },
        Slot::Value => match state {
            State::Value(Shape::Word(words)) | State::Value(Shape::WordList(words)) => {
                Expect::Word(words)
            }
            State::Value(Shape::Reference(ns)) | State::Value(Shape::ReferenceList(ns)) => {
                Expect::Name(ns)
            }
            State::Value(Shape::Boolean) => Expect::Word(BOOLEANS),
            State::Value(Shape::Version) => Expect::Word(VERSIONS),
            State::Value(Shape::Items) | State::Value(Shape::Types) => {
                Expect::Word(PropertyType::WORDS)
            }
            State::Value(Shape::Values) => match property {
                Some(property) => Expect::EnumValue { property, event },
                None => Expect::Nothing,
            },
            State::EventProperty => Expect::Word(Requiredness::WORDS),
            State::LintEntry => Expect::Word(LintLevel::WORDS),
            _ => Expect::Nothing,
        },
    }
}

fn key_state(place: Place, key: &str) -> State {
    match schema::key_doc(place, key) {
        Some(doc) => match doc.shape {
            Shape::Object(place) => State::Object(place),
            shape => State::Value(shape),
        },
        None => State::Unknown,
    }
}

/// The key of a tree under an offset, with the path of keys leading to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyAt {
    /// The keys from the top down to the mapping that holds the key (the key itself excluded).
    pub path: Vec<String>,
    pub key: String,
    pub span: Span,
}

/// The mapping key whose text contains `offset`, if any.
pub fn key_at(root: &Node, offset: usize) -> Option<KeyAt> {
    let mut path = Vec::new();
    let mut node = root;
    loop {
        if !node.span.contains(offset) {
            return None;
        }
        match &node.kind {
            NodeKind::Mapping(entries) => {
                let entry = entries.iter().find(|e| e.span().contains(offset))?;
                let key = entry.key.as_str()?.to_string();
                if entry.key.span.contains(offset) {
                    return Some(KeyAt {
                        path,
                        key,
                        span: entry.key.span,
                    });
                }
                path.push(key);
                node = &entry.value;
            }
            NodeKind::Sequence(items) => {
                node = items.iter().find(|n| n.span.contains(offset))?;
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Status;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn follows_the_format_table() {
        assert_eq!(expect_at(&[], true, Slot::Key), Expect::Key(Place::Root));
        assert_eq!(
            expect_at(&path(&["events", "A"]), false, Slot::Key),
            Expect::Key(Place::Event)
        );
        assert_eq!(
            expect_at(&path(&["events", "A", "status"]), false, Slot::Value),
            Expect::Word(Status::WORDS)
        );
        assert_eq!(
            expect_at(&path(&["events", "A", "properties"]), false, Slot::Key),
            Expect::Name(EntityKind::Property)
        );
        assert_eq!(
            expect_at(
                &path(&["events", "A", "properties", "p"]),
                false,
                Slot::Value
            ),
            Expect::Word(Requiredness::WORDS)
        );
        assert_eq!(
            expect_at(
                &path(&["events", "A", "properties", "p", "enum"]),
                false,
                Slot::Value
            ),
            Expect::EnumValue {
                property: "p".into(),
                event: Some("A".into())
            }
        );
        assert_eq!(
            expect_at(
                &path(&["flows", "f", "alternatives", "x"]),
                false,
                Slot::Value
            ),
            Expect::Name(EntityKind::Event)
        );
        assert_eq!(
            expect_at(&path(&["lint", "orphan-event"]), true, Slot::Value),
            Expect::Word(LintLevel::WORDS)
        );
        assert_eq!(
            expect_at(&path(&["lint"]), true, Slot::Key),
            Expect::RuleName
        );
        assert_eq!(
            expect_at(&path(&["identity", "identify"]), true, Slot::Value),
            Expect::Name(EntityKind::Event)
        );
        assert_eq!(
            expect_at(&path(&["kpis", "k", "owner"]), false, Slot::Value),
            Expect::Name(EntityKind::Team)
        );
        assert_eq!(
            expect_at(&path(&["properties", "p", "items"]), false, Slot::Value),
            Expect::Word(PropertyType::WORDS)
        );
        assert_eq!(
            expect_at(&path(&["properties", "p", "items"]), false, Slot::Key),
            Expect::Key(Place::Property)
        );
        assert_eq!(
            expect_at(&path(&["nope"]), false, Slot::Key),
            Expect::Nothing
        );
    }
}
