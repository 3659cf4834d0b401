//! Comparing properties: a dictionary or user property, an event's property as the event sees it
//! (the dictionary's definition with the event's overrides), and nested ones.

use super::emit::{text, At, Differ, Values};
use super::fields::{field, sorted, value_strings, CommonView, Field, Levels, Shape, Tell, Way};
use super::kind::{Kind, Level};
use crate::model::{
    Date, EntityKind, Event, EventProperty, EventPropertyKind, Format, Items, PropertyDef,
    Reference, Sensitivity, TypeSet, Value,
};
use crate::span::{Span, Spanned};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

/// The fields of a property definition that matter for a diff, borrowed from the model.
#[derive(Clone, Default)]
pub(super) struct View<'a> {
    ty: Option<TypeSet>,
    ty_span: Option<Span>,
    items: Option<&'a Items>,
    enum_values: Option<&'a [Spanned<Value>]>,
    required: Option<bool>,
    required_span: Option<Span>,
    nullable: Option<&'a Spanned<bool>>,
    examples: &'a [Spanned<Value>],
    pattern: Option<&'a Spanned<String>>,
    min_length: Option<&'a Spanned<i64>>,
    max_length: Option<&'a Spanned<i64>>,
    format: Option<&'a Spanned<Format>>,
    min: Option<&'a Spanned<f64>>,
    max: Option<&'a Spanned<f64>>,
    multiple_of: Option<&'a Spanned<f64>>,
    min_items: Option<&'a Spanned<i64>>,
    max_items: Option<&'a Spanned<i64>>,
    unique_items: Option<&'a Spanned<bool>>,
    pii: bool,
    sensitivity: Option<&'a Spanned<Sensitivity>>,
    deprecated: bool,
    replaced_by: Option<&'a Reference>,
    expires: Option<&'a Spanned<Date>>,
    additional_properties: Option<&'a Spanned<bool>>,
    common: CommonView<'a>,
    nested: &'a [EventProperty],
}

impl<'a> View<'a> {
    pub fn of(def: &'a PropertyDef) -> View<'a> {
        View {
            ty: def.ty.as_ref().map(|t| t.value),
            ty_span: def.ty.as_ref().map(|t| t.span),
            items: def.items.as_ref(),
            enum_values: def.enum_values.as_deref(),
            required: def.required.as_ref().map(|r| r.value),
            required_span: def.required.as_ref().map(|r| r.span),
            nullable: def.nullable.as_ref(),
            examples: &def.examples,
            pattern: def.pattern.as_ref(),
            min_length: def.min_length.as_ref(),
            max_length: def.max_length.as_ref(),
            format: def.format.as_ref(),
            min: def.min.as_ref(),
            max: def.max.as_ref(),
            multiple_of: def.multiple_of.as_ref(),
            min_items: def.min_items.as_ref(),
            max_items: def.max_items.as_ref(),
            unique_items: def.unique_items.as_ref(),
            pii: def.is_pii(),
            sensitivity: def.sensitivity.as_ref(),
            deprecated: def.is_deprecated(),
            replaced_by: def.replaced_by.as_ref(),
            expires: def.expires.as_ref(),
            additional_properties: def.additional_properties.as_ref(),
            common: CommonView::of(&def.common),
            nested: &def.properties,
        }
    }

    /// Everything but spans and names, as text: equal for definitions that say the same.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        use std::fmt::Write;
        let value = |v: Option<&Spanned<i64>>| v.map(|v| v.value);
        let _ = write!(
            out,
            "type={:?};items={:?};enum={:?};required={:?};description={:?};examples={:?};pattern={:?};min={:?};max={:?};pii={};deprecated={};replaced_by={:?};notes={:?};tags={:?};owner={:?};",
            self.ty,
            self.items.map(|i| match i {
                Items::Type(t) => t.value.as_str().to_string(),
                Items::Definition(d) => View::of(d).canonical(),
            }),
            self.enum_values.map(|v| sorted(&value_strings(v))),
            self.required,
            self.common.description.map(|d| &d.value),
            sorted(&value_strings(self.examples)),
            self.pattern.map(|p| &p.value),
            self.min.map(|m| m.value),
            self.max.map(|m| m.value),
            self.pii,
            self.deprecated,
            self.replaced_by.map(|r| &r.name),
            self.common.notes.map(|n| &n.value),
            sorted(&self.common.tags.iter().map(|t| t.value.clone()).collect::<Vec<_>>()),
            self.common.owner.map(|o| &o.name),
        );
        // Format 1.1's fields, only when set, so that a definition without them reads as before.
        let more = [
            ("nullable", self.nullable.map(|n| n.value.to_string())),
            ("min_length", value(self.min_length).map(|v| v.to_string())),
            ("max_length", value(self.max_length).map(|v| v.to_string())),
            ("format", self.format.map(|f| f.value.to_string())),
            ("multiple_of", self.multiple_of.map(|m| m.value.to_string())),
            ("min_items", value(self.min_items).map(|v| v.to_string())),
            ("max_items", value(self.max_items).map(|v| v.to_string())),
            (
                "unique_items",
                self.unique_items.map(|u| u.value.to_string()),
            ),
            ("sensitivity", self.sensitivity.map(|s| s.value.to_string())),
            ("expires", self.expires.map(|e| e.value.to_string())),
            (
                "additional_properties",
                self.additional_properties.map(|a| a.value.to_string()),
            ),
        ];
        for (key, value) in more {
            if let Some(value) = value {
                let _ = write!(out, "{key}={value};");
            }
        }
        if !self.common.owners.is_empty() {
            let owners: Vec<&str> = self.common.owners.iter().map(|o| o.name.as_str()).collect();
            let _ = write!(
                out,
                "owners={:?};",
                sorted(&owners.iter().map(|o| o.to_string()).collect::<Vec<_>>())
            );
        }
        for link in self.common.links {
            let _ = write!(out, "link={}={};", link.label.value, link.url.value);
        }
        let mut nested: Vec<&EventProperty> = self.nested.iter().collect();
        nested.sort_by(|a, b| a.name.text.cmp(&b.name.text));
        for entry in nested {
            let _ = write!(out, "[{}:{}]", entry.name.text, entry_canonical(entry));
        }
        out
    }
}

/// What an entry of a `properties:` mapping says, without its name: a reference with its
/// overrides, or a definition of its own.
pub(super) fn entry_canonical(entry: &EventProperty) -> String {
    let how = match &entry.kind {
        EventPropertyKind::Reference { overrides, .. } => format!(
            "ref;description={:?};enum={:?};examples={:?};notes={:?}",
            overrides.description.as_ref().map(|d| &d.value),
            overrides
                .enum_values
                .as_ref()
                .map(|v| sorted(&value_strings(v))),
            sorted(&value_strings(&overrides.examples)),
            overrides.notes.as_ref().map(|n| &n.value),
        ),
        EventPropertyKind::Inline(def) => View::of(def).canonical(),
    };
    format!("{}:{how}", entry.is_required())
}

fn items_type(items: Option<&Items>) -> Option<TypeSet> {
    match items? {
        Items::Type(t) => Some(TypeSet::of(t.value)),
        Items::Definition(d) => d.ty.as_ref().map(|t| t.value),
    }
}

type ViewField = Field<for<'x, 'y> fn(&'x View<'y>) -> Shape<'x>>;

const DROPPING_IS_SAFE: Levels = Levels::SafeWhenDropped(Level::Dangerous);

static TYPE: ViewField = field!("type" => Tell::Types, |v| Shape::Types(v.ty, v.ty_span));

/// Told when the type stays: a list that changes into another type says so once.
static ITEM_TYPE: ViewField = field!("items" as "item type" => Tell::Types,
    |v| Shape::Types(items_type(v.items), None));

/// Only an event's property is required or not.
static REQUIRED: ViewField = field!("required" => Tell::Flag {
        on: Way(Kind::PropertyRequired, Level::Breaking, " is now required"),
        off: Way(Kind::PropertyOptional, Level::Safe, " is now optional"),
    }, |v| Shape::Flag(v.required.unwrap_or(false), v.required_span));

/// The constraints and notes of a property, after its enum and common fields.
static PROPERTY_FIELDS: &[ViewField] = &[
    field!("examples" => Tell::at(Kind::ExamplesChanged, Level::Safe), |v| Shape::Values(v.examples)),
    field!("pattern" => Tell::Change(Kind::PatternChanged, DROPPING_IS_SAFE), |v| Shape::Text(v.pattern)),
    field!("min" => Tell::Change(Kind::RangeChanged, DROPPING_IS_SAFE), |v| Shape::real(v.min)),
    field!("max" => Tell::Change(Kind::RangeChanged, DROPPING_IS_SAFE), |v| Shape::real(v.max)),
    field!("pii" => Tell::Flag {
        on: Way(Kind::PiiChanged, Level::Safe, " is now flagged as personal data (pii)"),
        off: Way(Kind::PiiChanged, Level::Safe, " is no longer flagged as personal data (pii)"),
    }, |v| Shape::Flag(v.pii, None)),
    field!("nullable" => Tell::Flag {
        on: Way(Kind::PropertyNullable, Level::Dangerous, " may now be null"),
        off: Way(Kind::PropertyNotNullable, Level::Breaking, " may no longer be null"),
    }, |v| Shape::Flag(v.nullable.is_some_and(|n| n.value), v.nullable.map(|n| n.span))),
    field!("min_length" => Tell::Change(Kind::LengthChanged, Levels::Bound { upper: false, level: Level::Breaking }),
        |v| Shape::integer_of(v.min_length)),
    field!("max_length" => Tell::Change(Kind::LengthChanged, Levels::Bound { upper: true, level: Level::Breaking }),
        |v| Shape::integer_of(v.max_length)),
    field!("format" => Tell::Change(Kind::FormatChanged, Levels::SafeWhenDropped(Level::Breaking)),
        |v| Shape::Word(v.format.map(|f| f.value.as_str()), v.format.map(|f| f.span))),
    field!("multiple_of" => Tell::Change(Kind::MultipleOfChanged, Levels::Step(Level::Breaking)),
        |v| Shape::real(v.multiple_of)),
    field!("min_items" => Tell::Change(Kind::ListSizeChanged, Levels::Bound { upper: false, level: Level::Breaking }),
        |v| Shape::integer_of(v.min_items)),
    field!("max_items" => Tell::Change(Kind::ListSizeChanged, Levels::Bound { upper: true, level: Level::Breaking }),
        |v| Shape::integer_of(v.max_items)),
    field!("unique_items" => Tell::Flag {
        on: Way(Kind::ListSizeChanged, Level::Breaking, " now takes each item once (unique_items)"),
        off: Way(Kind::ListSizeChanged, Level::Safe, " may now repeat items"),
    }, |v| Shape::Flag(v.unique_items.is_some_and(|u| u.value), v.unique_items.map(|u| u.span))),
    field!("sensitivity" => Tell::at(Kind::SensitivityChanged, Level::Safe),
        |v| Shape::Word(v.sensitivity.map(|s| s.value.as_str()), v.sensitivity.map(|s| s.span))),
    field!("expires" as "expiry date" => Tell::at(Kind::ExpiresChanged, Level::Safe), |v| Shape::Date(v.expires)),
];

/// Told unless the property is replaced by another at the same time.
static DEPRECATED: ViewField = field!("deprecated" => Tell::Flag {
        on: Way(Kind::PropertyDeprecated, Level::Dangerous, " deprecated"),
        off: Way(Kind::PropertyUndeprecated, Level::Safe, " is no longer deprecated"),
    }, |v| Shape::Flag(v.deprecated, None));

/// The entries of two lists paired by name (the first entry of a name counts), in name order.
fn paired<'p, T>(
    old: &'p [T],
    new: &'p [T],
    name: impl Fn(&'p T) -> &'p str,
) -> Vec<(&'p str, Option<&'p T>, Option<&'p T>)> {
    let by_name = |items: &'p [T]| -> BTreeMap<&'p str, &'p T> {
        items.iter().rev().map(|item| (name(item), item)).collect()
    };
    let (old, new) = (by_name(old), by_name(new));
    let names: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    names
        .into_iter()
        .map(|n| (n, old.get(n).copied(), new.get(n).copied()))
        .collect()
}

fn required_word(property: &EventProperty) -> &'static str {
    if property.is_required() {
        "required"
    } else {
        "optional"
    }
}

impl<'a> Differ<'a> {
    /// Compares two definitions of one property. `event`: the property of an event (where
    /// `required` means something).
    pub fn compare_views(&mut self, at: &At, o: &View<'a>, n: &View<'a>, event: bool) {
        self.field(at, &TYPE, o, n);
        if o.ty == n.ty {
            self.field(at, &ITEM_TYPE, o, n);
        }
        if let (Some(Items::Definition(od)), Some(Items::Definition(nd))) = (o.items, n.items) {
            let child = at.child("[]", Some(od.common.entry_span), Some(nd.common.entry_span));
            self.compare_views(&child, &View::of(od), &View::of(nd), false);
        }
        if event {
            self.field(at, &REQUIRED, o, n);
        }
        self.enums(at, o, n);
        self.common(at, o.common, n.common);
        self.fields(at, PROPERTY_FIELDS, o, n);
        if !self.replacement(at, o, n) {
            self.field(at, &DEPRECATED, o, n);
        }
        self.closedness(at, o.additional_properties, n.additional_properties);
        self.nested(at, o.nested, n.nested);
    }

    /// A property's `replaced_by`; says whether it names a new replacement. A top-level property
    /// given one is a rename, told by the rename pass.
    fn replacement(&mut self, at: &At, o: &View<'a>, n: &View<'a>) -> bool {
        let orb = o.replaced_by.map(|r| r.name.as_str());
        let nrb = n.replaced_by.map(|r| r.name.as_str());
        let renamed_now = nrb.is_some() && nrb != orb;
        match n.replaced_by {
            Some(target) if renamed_now && at.property.is_some() => {
                let values = Values {
                    old: orb.map(text),
                    new: Some(text(&target.name)),
                    new_span: Some(target.span),
                };
                let summary = format!("{} is replaced by `{}`", at.subject(), target.name);
                let kind = Kind::PropertyRenamed;
                self.emit(
                    at,
                    kind,
                    Level::Breaking,
                    Some("replaced_by"),
                    values,
                    summary,
                );
            }
            _ => self.replacement_dropped(at, o.replaced_by, n.replaced_by),
        }
        renamed_now
    }

    /// A deprecated event or property no longer names its replacement.
    pub fn replacement_dropped(
        &mut self,
        at: &At,
        old: Option<&Reference>,
        new: Option<&Reference>,
    ) {
        let (Some(old), None) = (old, new) else {
            return;
        };
        let values = Values {
            old: Some(text(&old.name)),
            new: None,
            new_span: None,
        };
        let summary = format!(
            "{} no longer names its replacement (was `{}`)",
            at.subject(),
            old.name
        );
        let kind = Kind::ReplacedByChanged;
        self.emit(
            at,
            kind,
            Level::Dangerous,
            Some("replaced_by"),
            values,
            summary,
        );
    }

    fn nested(&mut self, at: &At, old: &'a [EventProperty], new: &'a [EventProperty]) {
        if old.is_empty() && new.is_empty() {
            return;
        }
        for (name, o, n) in paired(old, new, |p| p.name.text.as_str()) {
            let child = at.child(name, o.map(|p| p.name.span), n.map(|p| p.name.span));
            match (o, n) {
                (None, Some(p)) => {
                    let kind = Kind::ObjectPropertyAdded;
                    let (level, detail) = match p.is_required() {
                        true => (Level::Breaking, Some(" (required)".to_string())),
                        false => (Level::Safe, None),
                    };
                    self.added_removed(&child, kind, level, true, detail);
                }
                (Some(_), None) => {
                    let kind = Kind::ObjectPropertyRemoved;
                    self.added_removed(&child, kind, Level::Breaking, false, None);
                }
                (Some(o), Some(n)) => self.compare_entries(&child, o, n),
                (None, None) => {}
            }
        }
    }

    /// One entry of `properties:` on both sides, as its event or object sees it.
    fn compare_entries(&mut self, at: &At, old: &'a EventProperty, new: &'a EventProperty) {
        let both_references = matches!(old.kind, EventPropertyKind::Reference { .. })
            && matches!(new.kind, EventPropertyKind::Reference { .. });
        // Two references to the dictionary are read against the same (new) dictionary, so that a
        // change to the dictionary is told once, at the dictionary.
        let ov = self.event_view(old, both_references);
        let nv = self.event_view(new, true);
        self.compare_views(at, &ov, &nv, true);
    }

    fn enums(&mut self, at: &At, o: &View<'a>, n: &View<'a>) {
        let all = |values: &[Spanned<Value>]| {
            Some(Json::Array(
                values.iter().map(|v| v.value.to_json()).collect(),
            ))
        };
        let (kind, level, values, summary) = match (o.enum_values, n.enum_values) {
            (None, None) => return,
            (None, Some(values)) => (
                Kind::EnumAdded,
                Level::Dangerous,
                Values {
                    old: None,
                    new: all(values),
                    new_span: values.first().map(|v| v.span),
                },
                format!("{} now takes only the values of an enum", at.subject()),
            ),
            (Some(values), None) => (
                Kind::EnumRemoved,
                Level::Safe,
                Values {
                    old: all(values),
                    new: None,
                    new_span: None,
                },
                format!("{} no longer has an enum: it takes any value", at.subject()),
            ),
            (Some(ov), Some(nv)) => {
                let missing = |values: &'a [Spanned<Value>], from: &'a [Spanned<Value>]| {
                    values
                        .iter()
                        .filter(move |v| !from.iter().any(|f| f.value == v.value))
                };
                for value in missing(nv, ov) {
                    let values = Values {
                        old: None,
                        new: Some(value.value.to_json()),
                        new_span: Some(value.span),
                    };
                    let summary = format!(
                        "value `{}` added to the enum of {}",
                        value.value,
                        at.subject()
                    );
                    let kind = Kind::EnumValueAdded;
                    self.emit(at, kind, Level::Safe, Some("enum"), values, summary);
                }
                for value in missing(ov, nv) {
                    let values = Values {
                        old: Some(value.value.to_json()),
                        new: None,
                        new_span: nv.first().map(|v| v.span),
                    };
                    let summary = format!(
                        "value `{}` removed from the enum of {}",
                        value.value,
                        at.subject()
                    );
                    let kind = Kind::EnumValueRemoved;
                    self.emit(at, kind, Level::Breaking, Some("enum"), values, summary);
                }
                return;
            }
        };
        self.emit(at, kind, level, Some("enum"), values, summary);
    }

    /// The properties of an event that is on both sides.
    pub fn event_properties(&mut self, at: &At, o: &'a Event, n: &'a Event) {
        for (name, op, np) in paired(&o.properties, &n.properties, |p| p.name.text.as_str()) {
            let child = at.child(name, op.map(|p| p.name.span), np.map(|p| p.name.span));
            match (op, np) {
                (None, Some(p)) => {
                    let word = required_word(p);
                    let level = if p.is_required() {
                        Level::Breaking
                    } else {
                        Level::Safe
                    };
                    let values = Values {
                        old: None,
                        new: Some(text(word)),
                        new_span: None,
                    };
                    let summary = format!("property `{name}` ({word}) added to {}", at.subject());
                    let kind = Kind::EventPropertyAdded;
                    self.emit(&child, kind, level, None, values, summary);
                }
                (Some(p), None) => {
                    let values = Values {
                        old: Some(text(required_word(p))),
                        new: None,
                        new_span: None,
                    };
                    let summary = format!("property `{name}` removed from {}", at.subject());
                    let kind = Kind::EventPropertyRemoved;
                    self.emit(&child, kind, Level::Breaking, None, values, summary);
                }
                (Some(op), Some(np)) => self.compare_entries(&child, op, np),
                (None, None) => {}
            }
        }
    }

    /// The effective definition of an event's property: inline, or the dictionary's with the
    /// event's overrides. `new_side`: which plan's dictionary to read (falling back to the other).
    fn event_view(&self, property: &'a EventProperty, new_side: bool) -> View<'a> {
        let mut view = match &property.kind {
            EventPropertyKind::Inline(def) => View::of(def),
            EventPropertyKind::Reference {
                reference,
                overrides,
            } => {
                let name = reference.name.as_str();
                let (first, second) = if new_side {
                    (&self.new, &self.old)
                } else {
                    (&self.old, &self.new)
                };
                let dictionary = EntityKind::Property;
                let base = first
                    .get::<PropertyDef>(dictionary, name)
                    .or_else(|| second.get(dictionary, name));
                let mut view = base.map(View::of).unwrap_or_default();
                if overrides.description.is_some() {
                    view.common.description = overrides.description.as_ref();
                }
                if !overrides.examples.is_empty() {
                    view.examples = &overrides.examples;
                }
                if let Some(values) = &overrides.enum_values {
                    view.enum_values = Some(values);
                }
                if overrides.notes.is_some() {
                    view.common.notes = overrides.notes.as_ref();
                }
                view
            }
        };
        view.required = Some(property.is_required());
        view.required_span = property.required.as_ref().map(|r| r.span);
        view
    }
}
