//! Per-field comparison. Each compared field of an entity is one row of its table ([`field!`]): its
//! key, how a change of it is told (kind and level) and how to read it as a [`Shape`] of value.
//! Comparing, the JSON of the values, where the change is written and its wording are written once
//! per shape, so that a new field of an entity is one row. The tables: [`COMMON_FIELDS`] here, the
//! entities' in `entities.rs`, a property's in `property.rs`, the plan's in `settings.rs`.

use super::emit::{describe_list, list, set, text, At, Differ, Values};
use super::kind::{Kind, Level};
use crate::model::{Common, Date, Link, Reference, TypeSet, Value};
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
    /// A word of a closed set (an event's status), and where it is written.
    Word(Option<&'static str>, Option<Span>),
    /// A property's types, and where they are written.
    Types(Option<TypeSet>, Option<Span>),
    /// Links by label.
    Links(&'x [Link]),
    /// A calendar date (`expires`).
    Date(Option<&'x Spanned<Date>>),
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
    Types(Option<TypeSet>),
    Links(Vec<(&'x str, &'x str)>),
    Date(Option<Date>),
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

    pub fn integer_of(value: Option<&Spanned<i64>>) -> Shape<'x> {
        Shape::Number(value.map(|n| Spanned::new(Number::Int(n.value), n.span)))
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
            Shape::Types(types, _) => Key::Types(*types),
            Shape::Date(date) => Key::Date(date.map(|d| d.value)),
            Shape::Links(links) => {
                let mut pairs: Vec<(&str, &str)> = links
                    .iter()
                    .map(|l| (l.label.value.as_str(), l.url.value.as_str()))
                    .collect();
                pairs.sort();
                Key::Links(pairs)
            }
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
            Shape::Types(types, _) => types.is_some(),
            Shape::Links(links) => !links.is_empty(),
            Shape::Date(date) => date.is_some(),
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
            Shape::Links(links) => links.iter().map(|l| l.label.value.as_str()).collect(),
            Shape::Values(_)
            | Shape::Number(_)
            | Shape::Flag(..)
            | Shape::Types(..)
            | Shape::Date(_) => Vec::new(),
        }
    }

    /// The value in a summary's "changed from X to Y".
    fn shown(&self) -> String {
        match self {
            Shape::Number(n) => n
                .as_ref()
                .map_or("none".to_string(), |n| n.value.to_string()),
            Shape::Word(w, _) => w.unwrap_or("unset").to_string(),
            Shape::Types(types, _) => types.map_or("unset".to_string(), |t| t.to_string()),
            Shape::Date(date) => date.map_or("none".to_string(), |d| d.value.to_string()),
            Shape::Flag(on, _) => on.to_string(),
            Shape::Text(_)
            | Shape::Reference(_)
            | Shape::Set(_)
            | Shape::Sequence(_)
            | Shape::Links(_) => self.names().join(", "),
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
            Shape::Types(types, _) => types.map(|t| match t.single() {
                Some(word) => text(word.as_str()),
                None => list(t.words().map(|w| w.as_str())),
            }),
            Shape::Flag(on, _) => Some(Json::Bool(*on)),
            Shape::Date(date) => date.map(|d| text(&d.value.to_string())),
            Shape::Links(links) => Some(Json::Object(
                links
                    .iter()
                    .map(|l| (l.label.value.clone(), text(&l.url.value)))
                    .collect(),
            )),
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
            Shape::Links(links) => links.first().map(|l| l.label.span),
            Shape::Date(date) => date.map(|d| d.span),
            Shape::Word(_, span) | Shape::Flag(_, span) | Shape::Types(_, span) => *span,
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
            Shape::Values(_) | Shape::Links(_) => format!("{label} of {subject} changed"),
            Shape::Number(_)
            | Shape::Word(..)
            | Shape::Flag(..)
            | Shape::Types(..)
            | Shape::Date(_) => format!(
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

/// An event or object closed (`additional_properties: false`) or opened.
pub(super) const CLOSED: Tell = Tell::Flag {
    on: Way(
        Kind::PropertiesClosed,
        Level::Breaking,
        " is now closed: nothing is sent beyond its planned properties",
    ),
    off: Way(Kind::PropertiesOpened, Level::Safe, " is no longer closed"),
};

/// How a change of a field is told.
#[derive(Clone, Copy)]
pub(super) enum Tell {
    /// One kind of change, at a level that may depend on how the value changed.
    Change(Kind, Levels),
    /// The subject followed by these words ("event `X` deprecated"), whatever the values.
    Words(Way),
    /// Turned on or off: each way has its kind, its level and the words said after the subject.
    Flag { on: Way, off: Way },
    /// A property's types: widened, narrowed, or changed.
    Types,
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
    /// A limit: safe when it lets more values through (a lower bound lowered or dropped, an upper
    /// bound raised or dropped), else this level. `upper`: the bound is a maximum.
    Bound {
        upper: bool,
        level: Level,
    },
    /// A step (`multiple_of`): safe when dropped or when the new step divides the old one (every
    /// value allowed before still is), else this level.
    Step(Level),
}

impl Levels {
    fn level(self, old: &Shape, new: &Shape) -> Level {
        match self {
            Levels::Always(level) => level,
            Levels::SafeWhenDropped(level) if new.is_set() => level,
            Levels::SafeWhenOnlyAdded(level) if !set(old.names()).is_subset(&set(new.names())) => {
                level
            }
            Levels::Bound { upper, level } => match (old.number(), new.number()) {
                (_, None) => Level::Safe,
                (None, Some(_)) => level,
                (Some(o), Some(n)) if (n > o) == upper => Level::Safe,
                (Some(_), Some(_)) => level,
            },
            Levels::Step(level) => match (old.number(), new.number()) {
                (_, None) => Level::Safe,
                (Some(o), Some(n)) if is_multiple(o, n) => Level::Safe,
                _ => level,
            },
            Levels::SafeWhenDropped(_) | Levels::SafeWhenOnlyAdded(_) => Level::Safe,
        }
    }
}

/// `value` is a whole multiple of `step` (within rounding: `0.3` of `0.1`).
fn is_multiple(value: f64, step: f64) -> bool {
    let quotient = value / step;
    (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
}

impl Shape<'_> {
    /// The number it holds, if it is one.
    fn number(&self) -> Option<f64> {
        match self {
            Shape::Number(Some(n)) => Some(match n.value {
                Number::Int(i) => i as f64,
                Number::Real(r) => r,
            }),
            _ => None,
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
    pub owners: &'a [Reference],
    pub links: &'a [Link],
}

impl<'a> CommonView<'a> {
    pub fn of(common: &'a Common) -> CommonView<'a> {
        CommonView {
            description: common.description.as_ref(),
            notes: common.notes.as_ref(),
            tags: &common.tags,
            owner: common.owner.as_ref(),
            owners: &common.owners,
            links: &common.links,
        }
    }
}

type CommonFields = [Field<for<'x, 'y> fn(&'x CommonView<'y>) -> Shape<'x>>];

pub(super) static COMMON_FIELDS: &CommonFields = &[
    field!("description" => Tell::at(Kind::DescriptionChanged, Level::Safe), |c| Shape::Text(c.description)),
    field!("notes" => Tell::at(Kind::NotesChanged, Level::Safe), |c| Shape::Text(c.notes)),
    field!("tags" => Tell::at(Kind::TagsChanged, Level::Safe), |c| Shape::words(c.tags, String::as_str)),
    field!("owner" => Tell::at(Kind::OwnerChanged, Level::Safe), |c| Shape::Reference(c.owner)),
    field!("owners" => Tell::at(Kind::OwnerChanged, Level::Safe), |c| Shape::references(c.owners)),
    field!("links" => Tell::at(Kind::LinksChanged, Level::Safe), |c| Shape::Links(c.links)),
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

    /// Whether an event or object is closed, when its `additional_properties` changed: read with
    /// each side's plan-wide default where it says nothing (a change of the default itself is told
    /// once, with the plan's settings).
    pub fn closedness(
        &mut self,
        at: &At,
        old: Option<&Spanned<bool>>,
        new: Option<&Spanned<bool>>,
    ) {
        if old.map(|a| a.value) == new.map(|a| a.value) {
            return;
        }
        let closed = |written: Option<&Spanned<bool>>, plan: &crate::model::Plan| {
            written.map_or(plan.closed_by_default(), |a| !a.value)
        };
        let (o, n) = (closed(old, self.old.plan), closed(new, self.new.plan));
        let spec = Spec {
            key: "additional_properties",
            label: "additional_properties",
            tell: CLOSED,
        };
        self.compare(
            at,
            &spec,
            Shape::Flag(o, None),
            Shape::Flag(n, new.map(|a| a.span)),
        );
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
            Tell::Types => {
                let (kind, level) = types_change(&old, &new);
                (kind, level, old.summary(&new, spec.label, &subject))
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

/// How a property's types changed: fewer types is narrower (what was sent may be wrong now), more
/// types wider (reports may see new types), anything else a change of type.
fn types_change(old: &Shape, new: &Shape) -> (Kind, Level) {
    match (old, new) {
        (Shape::Types(Some(o), _), Shape::Types(Some(n), _)) if n.within(*o) => {
            (Kind::PropertyTypeNarrowed, Level::Breaking)
        }
        (Shape::Types(Some(o), _), Shape::Types(Some(n), _)) if o.within(*n) => {
            (Kind::PropertyTypeWidened, Level::Dangerous)
        }
        _ => (Kind::PropertyTypeChanged, Level::Breaking),
    }
}
