//! What every entity has ([`Entity`]), and the per-kind structures made from the table of kinds
//! (`schema::entity_kinds!`): the fields of [`FilePart`] and the accessors of [`Plan`].

use super::*;
use crate::schema::entity_kinds;
use std::any::Any;

/// What every kind of entity has: a name (its id or exact name), the common fields and the
/// references it makes ([`References`]). The typed struct behind a `dyn Entity` is reached with
/// [`Definition::get`].
pub trait Entity: References + AsAny + std::fmt::Debug + Sync {
    /// The key that names it: a kebab-case id or the exact name sent.
    fn name(&self) -> &Name;

    fn common(&self) -> &Common;

    /// The display name (`name:`) of an entity keyed by an id.
    fn display_name(&self) -> Option<&Spanned<String>> {
        None
    }
}

/// The references an entity makes.
pub trait References {
    /// Every reference, nested definitions included, in the order they are written.
    fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        let _ = out;
    }
}

/// Lets a `dyn Entity` be turned back into its struct.
pub trait AsAny {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A definition of a name in any namespace.
#[derive(Clone, Copy, Debug)]
pub struct Definition<'a> {
    pub kind: EntityKind,
    pub entity: &'a dyn Entity,
}

impl<'a> Definition<'a> {
    pub fn name(&self) -> &'a Name {
        self.entity.name()
    }

    pub fn namespace(&self) -> EntityKind {
        self.kind
    }

    pub fn common(&self) -> &'a Common {
        self.entity.common()
    }

    /// The definition as its struct (`Event`, `PropertyDef`, `Kpi`, ...), when it is one.
    pub fn get<T: Entity + 'static>(&self) -> Option<&'a T> {
        self.entity.as_any().downcast_ref()
    }
}

macro_rules! define_entities {
    ($( $kind:ident => $section:ident, $ty:ident, $keyed:ident, $noun:literal, $($rest:tt),*; )*) => {
        /// Everything one file defines.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct FilePart {
            pub root: RootSettings,
            $( pub $section: Vec<$ty>, )*
            pub super_properties: Vec<Reference>,
            pub suppressions: Vec<Suppression>,
        }

        impl FilePart {
            /// How many entities of a kind the file defines.
            pub fn count(&self, kind: EntityKind) -> usize {
                match kind {
                    $( EntityKind::$kind => self.$section.len(), )*
                }
            }

            /// The entity of a kind at a position of its section.
            pub fn entity(&self, kind: EntityKind, position: usize) -> Option<&dyn Entity> {
                match kind {
                    $( EntityKind::$kind => self.$section.get(position).map(|e| e as &dyn Entity), )*
                }
            }
        }

        impl Plan {
            $(
                #[doc = concat!("Every ", $noun, " of the plan, in plan order.")]
                pub fn $section(&self) -> impl Iterator<Item = &$ty> {
                    self.parts().flat_map(|p| p.$section.iter())
                }
            )*
        }
    };
}
entity_kinds!(define_entities);

macro_rules! append_sections {
    ($( $kind:ident => $section:ident, $($rest:tt),*; )*) => {
        impl FilePart {
            /// Adds what `other` defines after what this part defines (its settings replace these
            /// when it has any: only one part of a file holds the root's keys).
            pub fn append(&mut self, other: FilePart) {
                let FilePart {
                    root,
                    $( mut $section, )*
                    mut super_properties,
                    mut suppressions,
                } = other;
                if root != Default::default() {
                    self.root = root;
                }
                $( self.$section.append(&mut $section); )*
                self.super_properties.append(&mut super_properties);
                self.suppressions.append(&mut suppressions);
            }
        }
    };
}
entity_kinds!(append_sections);

impl FilePart {
    /// The definitions of a kind in this file, in order of appearance.
    pub fn definitions(&self, kind: EntityKind) -> impl Iterator<Item = Definition<'_>> {
        (0..self.count(kind)).filter_map(move |i| {
            self.entity(kind, i)
                .map(|entity| Definition { kind, entity })
        })
    }

    /// Every reference the file makes, wherever it stands.
    pub fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        out.extend(self.root.identity.identify.iter());
        out.extend(self.root.identity.reset.iter());
        out.extend(self.super_properties.iter());
        for &kind in EntityKind::ALL {
            for definition in self.definitions(kind) {
                definition.entity.references(out);
            }
        }
    }
}

impl Plan {
    /// The definitions of a kind, in plan order (root file first, then by path; within a file, in
    /// order of appearance).
    pub fn definitions(&self, kind: EntityKind) -> impl Iterator<Item = Definition<'_>> {
        self.parts().flat_map(move |p| p.definitions(kind))
    }

    /// Every reference of the plan, wherever it stands.
    pub fn references(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        for part in self.parts() {
            part.references(&mut out);
        }
        out
    }
}

/// [`Entity`] for kinds keyed by an id, with their display name in `name:`.
macro_rules! keyed_by_id {
    ($($ty:ident),*) => {$(
        impl Entity for $ty {
            fn name(&self) -> &Name {
                &self.id
            }
            fn common(&self) -> &Common {
                &self.common
            }
            fn display_name(&self) -> Option<&Spanned<String>> {
                self.name.as_ref()
            }
        }
    )*};
}
keyed_by_id!(Team, Goal, Kpi, Flow);

/// [`Entity`] for kinds keyed by the exact name sent.
macro_rules! keyed_by_name {
    ($($ty:ident),*) => {$(
        impl Entity for $ty {
            fn name(&self) -> &Name {
                &self.name
            }
            fn common(&self) -> &Common {
                &self.common
            }
        }
    )*};
}
keyed_by_name!(Event, PropertyDef);

impl References for Team {
    fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        out.extend(self.common.owners());
    }
}

impl References for Goal {
    fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        out.extend(self.common.owners());
    }
}

impl References for Kpi {
    fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        out.extend(self.goal.iter());
        out.extend(self.common.owners());
    }
}

impl References for Flow {
    fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        out.extend(self.kpis.iter());
        out.extend(self.all_steps());
        out.extend(self.common.owners());
    }
}

impl References for Event {
    fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        out.extend(self.kpis.iter());
        out.extend(self.replaced_by.iter());
        out.extend(self.common.owners());
        entry_references(&self.properties, out);
    }
}

/// The references of the entries of a `properties:` mapping, and of the definitions among them.
fn entry_references<'a>(entries: &'a [EventProperty], out: &mut Vec<&'a Reference>) {
    for entry in entries {
        match &entry.kind {
            EventPropertyKind::Reference { reference, .. } => out.push(reference),
            EventPropertyKind::Inline(def) => def.references(out),
        }
    }
}

impl References for PropertyDef {
    fn references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        out.extend(self.replaced_by.iter());
        out.extend(self.common.owners());
        if let Some(Items::Definition(items)) = &self.items {
            items.references(out);
        }
        entry_references(&self.properties, out);
    }
}
