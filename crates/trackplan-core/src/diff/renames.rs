//! Renames, found by one pass for every kind of entity that can be renamed (events, properties, user
//! properties): a definition deprecated in favour of another (`replaced_by`), or removed while an
//! identical one appears under a new name.

use super::emit::{text, At, Differ, Values};
use super::kind::{Entity, EntityChanges, Level};
use super::links::Touch;
use super::property::{entry_canonical, View};
use super::side::{Matched, Side};
use crate::model::{EntityKind, Event, Flow, Goal, Kpi, PropertyDef, Reference, Team};
use crate::span::Span;
use std::collections::{BTreeSet, HashMap};

/// What the rename pass needs of an entity. Entities that say neither a replacement nor enough to
/// be recognised under another name keep the defaults.
pub(super) trait Renamable: crate::model::Entity {
    /// The definition this one is deprecated in favour of.
    fn replaced_by(&self) -> Option<&Reference> {
        None
    }

    /// What the definition says without its name, to recognise it under another; `None` where it
    /// says too little.
    fn signature(&self) -> Option<String> {
        None
    }

    /// Where a rename announced with `replaced_by` is written in the new plan, given the new
    /// definition of the old name (`None`: at the definition of the new name).
    fn replacement_span(_replaced: Option<&Self>) -> Option<Span> {
        None
    }

    /// What a rename touches besides what the old name touches.
    fn rename_touch(_old: &str, _new: &str) -> Option<Touch> {
        None
    }
}

impl Renamable for Team {}
impl Renamable for Goal {}
impl Renamable for Kpi {}
impl Renamable for Flow {}

impl Renamable for Event {
    fn replaced_by(&self) -> Option<&Reference> {
        self.replaced_by.as_ref()
    }

    /// Its description and properties; `None` when it has neither.
    fn signature(&self) -> Option<String> {
        if self.common.description.is_none() && self.properties.is_empty() {
            return None;
        }
        let mut properties: Vec<String> = self
            .properties
            .iter()
            .map(|p| format!("{}:{}", p.name.text, entry_canonical(p)))
            .collect();
        properties.sort();
        Some(format!(
            "{:?}\u{0}{}",
            self.common.description.as_ref().map(|d| &d.value),
            properties.join("\u{0}")
        ))
    }

    fn replacement_span(replaced: Option<&Event>) -> Option<Span> {
        Some(replaced?.replaced_by.as_ref()?.span)
    }

    /// A renamed event touches what either name is part of.
    fn rename_touch(old: &str, new: &str) -> Option<Touch> {
        Some(Touch::Events(vec![old.to_string(), new.to_string()]))
    }
}

impl Renamable for PropertyDef {
    fn replaced_by(&self) -> Option<&Reference> {
        self.replaced_by.as_ref()
    }

    /// All it says; `None` without a description (a bare `{type: string}` says too little to
    /// recognise a rename).
    fn signature(&self) -> Option<String> {
        self.common.description.as_ref()?;
        Some(View::of(self).canonical())
    }
}

/// How a rename was recognised.
#[derive(Clone, Copy)]
pub(super) enum How {
    ReplacedBy,
    Identical,
}

pub(super) struct Rename<'a, T> {
    pub old: &'a T,
    /// The new name.
    pub target: &'a str,
    pub how: How,
}

/// The renames among the names of a kind; their names are no longer told as added or removed.
pub(super) fn find<'a, T: Renamable + 'static>(
    old: &Side<'a>,
    new: &Side<'a>,
    kind: EntityKind,
    matched: &mut Matched<'a, T>,
) -> Vec<Rename<'a, T>> {
    let mut renames = Vec::new();
    if EntityChanges::of(kind).renamed.is_none() {
        return renames;
    }
    // Renames announced with `replaced_by`: the replacement is part of the rename.
    for &(o, n) in &matched.both {
        let Some(target) = n.replaced_by().map(|r| r.name.as_str()) else {
            continue;
        };
        if o.replaced_by().map(|r| r.name.as_str()) != Some(target) && target != n.name().text {
            renames.push(Rename {
                old: o,
                target,
                how: How::ReplacedBy,
            });
            matched.added.remove(target);
        }
    }
    // Renames by identity: removed while an identical definition appears under a new name.
    let pairs = pair_identical(
        &matched.removed,
        &matched.added,
        |name| old.get::<T>(kind, name)?.signature(),
        |name| new.get::<T>(kind, name)?.signature(),
    );
    for (old_name, new_name) in pairs {
        matched.removed.remove(old_name);
        matched.added.remove(new_name);
        if let Some(o) = old.get::<T>(kind, old_name) {
            renames.push(Rename {
                old: o,
                target: new_name,
                how: How::Identical,
            });
        }
    }
    renames
}

/// Pairs each removed name with the one added name whose signature is the same, when that match is
/// unique on both sides.
fn pair_identical<'n>(
    removed: &BTreeSet<&'n str>,
    added: &BTreeSet<&'n str>,
    old_signature: impl Fn(&str) -> Option<String>,
    new_signature: impl Fn(&str) -> Option<String>,
) -> Vec<(&'n str, &'n str)> {
    if removed.is_empty() || added.is_empty() {
        return Vec::new();
    }
    let by_signature = |names: &BTreeSet<&'n str>, signature: &dyn Fn(&str) -> Option<String>| {
        let mut by: HashMap<String, Vec<&'n str>> = HashMap::new();
        for &name in names {
            if let Some(sig) = signature(name) {
                by.entry(sig).or_default().push(name);
            }
        }
        by
    };
    let old_by = by_signature(removed, &old_signature);
    let new_by = by_signature(added, &new_signature);
    let mut pairs: Vec<(&str, &str)> = old_by
        .iter()
        .filter_map(
            |(sig, olds)| match (olds.as_slice(), new_by.get(sig).map(Vec::as_slice)) {
                ([o], Some([n])) => Some((*o, *n)),
                _ => None,
            },
        )
        .collect();
    pairs.sort();
    pairs
}

impl<'a> Differ<'a> {
    /// Tells a rename, under the old name.
    pub fn rename<T: Renamable + 'static>(&mut self, kind: EntityKind, rename: &Rename<'a, T>) {
        let Some(renamed) = EntityChanges::of(kind).renamed else {
            return;
        };
        let (old, target) = (rename.old.name(), rename.target);
        let new_span = self.new.get::<T>(kind, target).map(|d| d.name().span);
        let mut at = At::new(Entity::Kind(kind), &old.text, Some(old.span), new_span);
        if let Some(touch) = T::rename_touch(&old.text, target) {
            at.touch = touch;
        }
        let noun = kind.noun();
        let (field, how, new_span) = match rename.how {
            How::ReplacedBy => (
                Some("replaced_by"),
                "deprecated with replaced_by".to_string(),
                T::replacement_span(self.new.get::<T>(kind, &old.text)),
            ),
            How::Identical => (
                None,
                format!("removed, and an identical {noun} added"),
                None,
            ),
        };
        let values = Values {
            old: Some(text(&old.text)),
            new: Some(text(target)),
            new_span,
        };
        let summary = format!("{noun} `{}` renamed to `{target}` ({how})", old.text);
        self.emit(&at, renamed, Level::Breaking, field, values, summary);
    }
}
