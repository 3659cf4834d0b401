//! Per-field comparison. Each compared field of an entity is one row of its table ([`field!`]): its
//! key, how a change of it is told (kind and level) and how to read it as a [`Shape`] of value.
//! Comparing, the JSON of the values, where the change is written and its wording are written once
//! per shape, so that a new field of an entity is one row. The tables: [`COMMON_FIELDS`] here, the
//! entities' in `entities.rs`, a property's in `property.rs`, the plan's in `settings.rs`.

use super::emit::{describe_list, list, set, text, At, Differ, Values};
use super::kind::{Kind, Level};
use crate::model::{Common, Reference, Value};
use crate::span::{Span, Spanned};
use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::fmt;

/// A field's value on one side, in one of the shapes the diff compares and tells.
pub(super) enum Shape<'x> {
    /// Free text: told as added, removed or changed.
    Text(Option<&'x Spanned<String>>),
    /// A reference to another entity, by name.
    Reference(Option<&'x Reference>),
    /// Words or names whose order does not matter (tags, platforms, an event's KPIs).
    Set(Vec<Spanned<&'x str>>),
    /// Names in order (a flow's steps); `None` where the list is not there.
    Sequence(Option<Vec<Spanned<&'x str>>>),
    /// Values whose order does not matter (examples).
    Values(&'x [Spanned<Value>]),
    Number(Option<Spanned<Number>>),
    /// A word of a closed set (a property's type), and where it is written.
    Word(Option<&'static str>, Option<Span>),
    /// Yes or no, and where it is written.
    Flag(bool, Option<Span>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Number {
    Int(i64),
    Real(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(n) => n.fmt(f),
            Number::Real(n) => n.fmt(f),
        }
    }
}

/// What makes two values the same: text and names by value, sets whatever their order.
#[derive(PartialEq)]
enum Key<'x> {
    Name(Option<&'x str>),
    Set(BTreeSet<&'x str>),
    Sequence(Option<Vec<&'x str>>),
    Values(Vec<String>),
    Number(Option<Number>),
    Flag(bool),
}

fn spanned_names<'x>(items: impl Iterator<Item = (&'x str, Span)>) -> Vec<Spanned<&'x str>> {
    items.map(|(name, span)| Spanned::new(name, span)).collect()
}

impl<'x> Shape<'x> {
    pub fn text(value: &'x Option<Spanned<String>>) -> Shape<'x> {
        Shape::Text(value.as_ref())
    }

    pub fn reference(value: &'x Option<Reference>) -> Shape<'x> {
        Shape::Reference(value.as_ref())
    }

    /// Words of any kind (tags as written, platforms of a closed set).
    pub fn words<W>(words: &'x [Spanned<W>], word: impl Fn(&'x W) -> &'x str) -> Shape<'x> {
        Shape::Set(spanned_names(
            words.iter().map(|w| (word(&w.value), w.span)),
        ))
    }

    pub fn references(references: &'x [Reference]) -> Shape<'x> {
        Shape::Set(spanned_names(
            references.iter().map(|r| (r.name.as_str(), r.span)),
        ))
    }

    pub fn steps(references: Option<&'x [Reference]>) -> Shape<'x> {
        Shape::Sequence(
            references.map(|refs| spanned_names(refs.iter().map(|r| (r.name.as_str(), r.span)))),
        )
    }

    pub fn integer(value: &Option<Spanned<i64>>) -> Shape<'x> {
        Shape::Number(
            value
                .as_ref()
                .map(|n| Spanned::new(Number::Int(n.value), n.span)),
        )
    }

    pub fn real(value: Option<&Spanned<f64>>) -> Shape<'x> {
        Shape::Number(value.map(|n| Spanned::new(Number::Real(n.value), n.span)))
    }

    fn key(&self) -> Key<'x> {
        match self {
            Shape::Text(t) => Key::Name(t.map(|t| t.value.as_str())),
            Shape::Reference(r) => Key::Name(r.map(|r| r.name.as_str())),
            Shape::Word(w, _) => Key::Name(*w),
            Shape::Set(items) => Key::Set(items.iter().map(|i| i.value).collect()),
            Shape::Sequence(items) => {
                Key::Sequence(items.as_ref().map(|i| i.iter().map(|i| i.value).collect()))
            }
            Shape::Values(values) => Key::Values(sorted(&value_strings(values))),
            Shape::Number(n) => Key::Number(n.as_ref().map(|n| n.value)),
            Shape::Flag(on, _) => Key::Flag(*on),
        }
    }

    /// Says something: text written, a flag on, a list not empty.
    fn is_set(&self) -> bool {
        match self {
            Shape::Text(t) => t.is_some(),
            Shape::Reference(r) => r.is_some(),
            Shape::Set(items) => !items.is_empty(),
            Shape::Sequence(items) => items.is_some(),
            Shape::Values(values) => !values.is_empty(),
            Shape::Number(n) => n.is_some(),
            Shape::Word(w, _) => w.is_some(),
            Shape::Flag(on, _) => *on,
        }
    }

    /// The names or words it holds, in order.
    fn names(&self) -> Vec<&'x str> {
        match self {
            Shape::Text(t) => t.iter().map(|t| t.value.as_str()).collect(),
            Shape::Reference(r) => r.iter().map(|r| r.name.as_str()).collect(),
            Shape::Set(items) => items.iter().map(|i| i.value).collect(),
            Shape::Sequence(items) => items.iter().flatten().map(|i| i.value).collect(),
            Shape::Word(w, _) => w.iter().copied().collect(),
            Shape::Values(_) | Shape::Number(_) | Shape::Flag(..) => Vec::new(),
        }
    }

    /// The value in a summary's "changed from X to Y".
    fn shown(&self) -> String {
        match self {
            Shape::Number(n) => n
                .as_ref()
                .map_or("none".to_string(), |n| n.value.to_string()),
            Shape::Word(w, _) => w.unwrap_or("unset").to_string(),
            Shape::Flag(on, _) => on.to_string(),
            Shape::Text(_) | Shape::Reference(_) | Shape::Set(_) | Shape::Sequence(_) => {
                self.names().join(", ")
            }
            Shape::Values(_) => self.json().map_or(String::new(), |j| j.to_string()),
        }
    }

    fn json(&self) -> Option<Json> {
        match self {
            Shape::Text(t) => t.map(|t| text(&t.value)),
            Shape::Reference(r) => r.map(|r| text(&r.name)),
            Shape::Set(items) => Some(list(items.iter().map(|i| i.value))),
            Shape::Sequence(items) => items.as_ref().map(|i| list(i.iter().map(|i| i.value))),
            Shape::Values(values) => Some(Json::Array(
                values.iter().map(|v| v.value.to_json()).collect(),
            )),
            Shape::Number(n) => n.as_ref().and_then(|n| match n.value {
                Number::Int(i) => Some(Json::from(i)),
                Number::Real(r) => serde_json::Number::from_f64(r).map(Json::Number),
            }),
            Shape::Word(w, _) => w.map(text),
            Shape::Flag(on, _) => Some(Json::Bool(*on)),
        }
    }

    /// Where the value is written.
    fn span(&self) -> Option<Span> {
        match self {
            Shape::Text(t) => t.map(|t| t.span),
            Shape::Reference(r) => r.map(|r| r.span),
            Shape::Set(items) => items.first().map(|i| i.span),
            Shape::Sequence(items) => items.as_ref().and_then(|i| i.first()).map(|i| i.span),
            Shape::Values(values) => values.first().map(|v| v.span),
            Shape::Number(n) => n.as_ref().map(|n| n.span),
            Shape::Word(_, span) | Shape::Flag(_, span) => *span,
        }
    }

    /// "description of event `X` changed", "tags of KPI `k`: added `a`", ...
    fn summary(&self, new: &Shape, label: &str, subject: &str) -> String {
        match self {
            Shape::Text(_) if !self.is_set() => format!("{label} of {subject} added"),
            Shape::Text(_) if !new.is_set() => format!("{label} of {subject} removed"),
            Shape::Text(_) => format!("{label} of {subject} changed"),
            Shape::Reference(_) => match (self.names().first(), new.names().first()) {
                (Some(o), None) => format!("{label} `{o}` of {subject} removed"),
                (None, Some(n)) => format!("{label} of {subject} set to `{n}`"),
                (o, n) => format!(
                    "{label} of {subject} changed from `{}` to `{}`",
                    o.unwrap_or(&""),
                    n.unwrap_or(&"")
                ),
            },
            Shape::Sequence(_) if !self.is_set() => format!("{label} added to {subject}"),
            Shape::Sequence(_) if !new.is_set() => format!("{label} removed from {subject}"),
            Shape::Set(_) | Shape::Sequence(_) => format!(
                "{label} of {subject}: {}",
                describe_list(&self.names(), &new.names())
            ),
            Shape::Values(_) => format!("{label} of {subject} changed"),
            Shape::Number(_) | Shape::Word(..) | Shape::Flag(..) => format!(
                "{label} of {subject} changed from {} to {}",
                self.shown(),
                new.shown()
            ),
        }
    }
}

pub(super) fn value_strings(values: &[Spanned<Value>]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.value.to_json().to_string())
        .collect()
}

pub(super) fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values
}

/// How a change of a field is told.
#[derive(Clone, Copy)]
pub(super) enum Tell {
    /// One kind of change, at a level that may depend on how the value changed.
    Change(Kind, Levels),
    /// The subject followed by these words ("event `X` deprecated"), whatever the values.
    Words(Way),
    /// Turned on or off: each way has its kind, its level and the words said after the subject.
    Flag { on: Way, off: Way },
}

#[derive(Clone, Copy)]
pub(super) struct Way(pub Kind, pub Level, pub &'static str);

/// How much a change of a field hurts.
#[derive(Clone, Copy)]
pub(super) enum Levels {
    Always(Level),
    /// Safe when the field is dropped (what it restricted no longer is), else this level.
    SafeWhenDropped(Level),
    /// Safe when values were only added (an event sent from more platforms), else this level.
    SafeWhenOnlyAdded(Level),
}

impl Levels {
    fn level(self, old: &Shape, new: &Shape) -> Level {
        match self {
            Levels::Always(level) => level,
            Levels::SafeWhenDropped(level) if new.is_set() => level,
            Levels::SafeWhenOnlyAdded(level) if !set(old.names()).is_subset(&set(new.names())) => {
                level
            }
            Levels::SafeWhenDropped(_) | Levels::SafeWhenOnlyAdded(_) => Level::Safe,
        }
    }
}

impl Tell {
    /// A change of one kind, always at `level`.
    pub const fn at(kind: Kind, level: Level) -> Tell {
        Tell::Change(kind, Levels::Always(level))
    }
}

/// A compared field: its key (as [`Change::field`](super::Change) names it), its name in summaries
/// and how its change is told.
pub(super) struct Spec<'l> {
    pub key: &'l str,
    pub label: &'l str,
    pub tell: Tell,
}

/// A row of a table of fields: a field, and how to read it from an entity.
pub(super) struct Field<R> {
    pub spec: Spec<'static>,
    pub read: R,
}

/// How a field is read from an entity of type `T`.
pub(super) type Read<T> = for<'x> fn(&'x T) -> Shape<'x>;

/// The table of an entity type's fields, in the order their changes are told.
pub(super) type Fields<T> = [Field<Read<T>>];

/// A row: `field!("key" => tell, read)`, or `field!("key" as "label" => tell, read)` where a
/// summary names the field otherwise than its key ("KPIs", "item type").
macro_rules! field {
    ($key:literal => $tell:expr, $read:expr) => {
        field!($key as $key => $tell, $read)
    };
    ($key:literal as $label:literal => $tell:expr, $read:expr) => {
        $crate::diff::fields::Field {
            spec: $crate::diff::fields::Spec { key: $key, label: $label, tell: $tell },
            read: $read,
        }
    };
}
pub(super) use field;

/// The fields every entity has, borrowed: from its [`Common`], or from a property as an event sees
/// it (with the event's own description and notes).
#[derive(Clone, Copy, Default)]
pub(super) struct CommonView<'a> {
    pub description: Option<&'a Spanned<String>>,
    pub notes: Option<&'a Spanned<String>>,
    pub tags: &'a [Spanned<String>],
    pub owner: Option<&'a Reference>,
}

impl<'a> CommonView<'a> {
    pub fn of(common: &'a Common) -> CommonView<'a> {
        CommonView {
            description: common.description.as_ref(),
            notes: common.notes.as_ref(),
            tags: &common.tags,
            owner: common.owner.as_ref(),
        }
    }
}

type CommonFields = [Field<for<'x, 'y> fn(&'x CommonView<'y>) -> Shape<'x>>];

pub(super) static COMMON_FIELDS: &CommonFields = &[
    field!("description" => Tell::at(Kind::DescriptionChanged, Level::Safe), |c| Shape::Text(c.description)),
    field!("notes" => Tell::at(Kind::NotesChanged, Level::Safe), |c| Shape::Text(c.notes)),
    field!("tags" => Tell::at(Kind::TagsChanged, Level::Safe), |c| Shape::words(c.tags, String::as_str)),
    field!("owner" => Tell::at(Kind::OwnerChanged, Level::Safe), |c| Shape::Reference(c.owner)),
];

impl<'a> Differ<'a> {
    /// Compares the fields of a table, in order.
    pub fn fields<T>(&mut self, at: &At, rows: &Fields<T>, old: &T, new: &T) {
        for row in rows {
            self.field(at, row, old, new);
        }
    }

    pub fn field<T>(&mut self, at: &At, row: &Field<Read<T>>, old: &T, new: &T) {
        self.compare(at, &row.spec, (row.read)(old), (row.read)(new));
    }

    /// The fields every entity has.
    pub fn common(&mut self, at: &At, old: CommonView, new: CommonView) {
        self.fields(at, COMMON_FIELDS, &old, &new);
    }

    /// Compares a field's two values, and tells how it changed when they differ.
    pub fn compare(&mut self, at: &At, spec: &Spec, old: Shape, new: Shape) {
        if old.key() == new.key() {
            return;
        }
        let subject = at.subject();
        let (kind, level, summary) = match spec.tell {
            Tell::Change(kind, levels) => (
                kind,
                levels.level(&old, &new),
                old.summary(&new, spec.label, &subject),
            ),
            Tell::Words(Way(kind, level, words)) => (kind, level, format!("{subject}{words}")),
            Tell::Flag { on, off } => {
                let Way(kind, level, words) = if new.is_set() { on } else { off };
                (kind, level, format!("{subject}{words}"))
            }
        };
        let values = Values {
            old: old.json(),
            new: new.json(),
            new_span: new.span(),
        };
        self.emit(at, kind, level, Some(spec.key), values, summary);
    }
}
