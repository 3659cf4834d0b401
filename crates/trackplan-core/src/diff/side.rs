//! Matching entities by name: each plan's definitions by kind and name, and the names of a kind sorted
//! into added, removed and defined on both sides.

use crate::model::{Definition, Entity, EntityKind, Plan};
use crate::span::Span;
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::collections::BTreeSet;

/// One plan's definitions by kind and name (the first definition wins, as everywhere in the core).
pub(super) struct Side<'a> {
    pub plan: &'a Plan,
    /// Indexed by `EntityKind as usize`; made when a kind is first looked into (a diff usually
    /// touches one or two kinds, and a changelog makes a diff per commit).
    by_name: Vec<OnceCell<FxHashMap<&'a str, &'a dyn Entity>>>,
}

impl<'a> Side<'a> {
    pub fn new(plan: &'a Plan) -> Side<'a> {
        let by_name = EntityKind::ALL.iter().map(|_| OnceCell::new()).collect();
        Side { plan, by_name }
    }

    /// The definition of a name of a kind, as its model type.
    pub fn get<T: Entity + 'static>(&self, kind: EntityKind, name: &str) -> Option<&'a T> {
        let names = self.by_name[kind as usize].get_or_init(|| {
            let mut map = FxHashMap::default();
            for definition in self.plan.definitions(kind) {
                map.entry(definition.name().text.as_str())
                    .or_insert(definition.entity);
            }
            map
        });
        let entity = *names.get(name)?;
        Definition { kind, entity }.get()
    }

    /// The text of an entry of this plan.
    fn text(&self, span: Span) -> Option<&'a str> {
        self.plan.file(span.file).map(|f| f.source.slice(span))
    }
}

/// An entity written the same way on both sides says the same: nothing to compare. Most entities of
/// a changed file are unchanged, so this keeps long changelogs fast.
pub(super) fn same_entry(old: &Side, new: &Side, old_entry: Span, new_entry: Span) -> bool {
    match (old.text(old_entry), new.text(new_entry)) {
        (Some(o), Some(n)) => !o.is_empty() && o == n,
        _ => false,
    }
}

/// The names of one kind that may have changed, sorted out by the sides that define them.
pub(super) struct Matched<'a, T> {
    /// Defined in the new plan only.
    pub added: BTreeSet<&'a str>,
    /// Defined in the old plan only.
    pub removed: BTreeSet<&'a str>,
    /// Defined on both sides and written differently, in name order.
    pub both: Vec<(&'a T, &'a T)>,
}

impl<'a, T: Entity + 'static> Matched<'a, T> {
    pub fn new(
        old: &Side<'a>,
        new: &Side<'a>,
        kind: EntityKind,
        names: &BTreeSet<&'a str>,
    ) -> Matched<'a, T> {
        let mut matched = Matched {
            added: BTreeSet::new(),
            removed: BTreeSet::new(),
            both: Vec::new(),
        };
        for &name in names {
            match (old.get::<T>(kind, name), new.get::<T>(kind, name)) {
                (None, Some(_)) => {
                    matched.added.insert(name);
                }
                (Some(_), None) => {
                    matched.removed.insert(name);
                }
                (Some(o), Some(n)) => {
                    if !same_entry(old, new, o.common().entry_span, n.common().entry_span) {
                        matched.both.push((o, n));
                    }
                }
                (None, None) => {}
            }
        }
        matched
    }
}
