//! The kinds of entity a plan defines, declared once.
//!
//! [`entity_kinds!`] is the one table of kinds: a row per kind with its section key, the model type
//! that holds one definition, whether it is keyed by a kebab-case id or by the exact name sent, its
//! nouns, its heading, its stable name, the schema place of its keys and its symbol kind. It is an
//! "x-macro": it hands the rows to another macro, so each structure that has something per kind is
//! generated from the same rows instead of listing the kinds by hand. [`EntityKind`] and [`KINDS`] are
//! made here; the model's `FilePart` fields and `Plan` accessors are made in `model/entity.rs`.
//! Everything else iterates [`EntityKind::ALL`].

use super::Place;
use serde::{Serialize, Serializer};
use std::fmt;

/// Calls `$then!` with the rows of the table, in the order of a plan's sections (and of the tables
/// of changes in a diff). A row: `Kind => section, ModelType, keyed-by, "noun", "nouns", "Heading",
/// "stable-name", Place, SymbolKind, "documentation of the section key";`.
macro_rules! entity_kinds {
    ($then:ident) => {
        $then! {
            Team => teams, Team, Id, "team", "teams", "Teams", "team", Team, Struct,
                "The teams that own parts of the plan, keyed by kebab-case id.";
            Goal => goals, Goal, Id, "goal", "goals", "Goals", "goal", Goal, Object,
                "The business goals the plan serves, keyed by kebab-case id. Design the plan from these, not from the app's screens.";
            Kpi => kpis, Kpi, Id, "KPI", "KPIs", "KPIs", "kpi", Kpi, Constant,
                "The KPIs that measure the goals, keyed by kebab-case id. Each names its goal, a definition and a priority (1 = onboarding focus).";
            Flow => flows, Flow, Id, "flow", "flows", "Flows", "flow", Flow, Function,
                "The user flows that move the KPIs, as ordered event steps with alternative paths, keyed by kebab-case id.";
            Event => events, Event, Name, "event", "events", "Events", "event", Event, Event,
                "The events (user actions), keyed by the exact name sent to Mixpanel.";
            Property => properties, PropertyDef, Name, "property", "properties", "Properties",
                "property", Property, Property,
                "The shared event-property dictionary, keyed by the exact property name.";
            UserProperty => user_properties, PropertyDef, Name, "user property", "user properties",
                "User properties", "user-property", Property, Property,
                "User profile properties. Mixpanel's reserved profile properties (`$email`, `$name`, ...) are allowed here.";
        }
    };
}
pub(crate) use entity_kinds;

/// How the entities of a kind are keyed in their section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyedBy {
    /// A kebab-case id, with the display name in `name:` (teams, goals, KPIs, flows).
    Id,
    /// The exact name sent to the analytics tool (events, properties).
    Name,
}

/// What an editor shows an entity as (mapped to the LSP's symbol kinds by the server).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Struct,
    Object,
    Constant,
    Function,
    Event,
    Property,
}

/// One row of the table.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: EntityKind,
    /// The section that defines entities of this kind (`events`).
    pub section: &'static str,
    pub keyed_by: KeyedBy,
    /// "event", "KPI", "user property": for messages.
    pub noun: &'static str,
    /// "events", "KPIs", "user properties".
    pub plural: &'static str,
    /// "Events", "User properties": a heading for a list of them.
    pub heading: &'static str,
    /// The stable kebab-case name used in JSON output (`user-property`).
    pub stable_name: &'static str,
    /// Where the keys of a definition are described in the schema.
    pub place: Place,
    pub symbol: SymbolKind,
    /// What the section holds (the documentation of its key).
    pub doc: &'static str,
}

macro_rules! define_kinds {
    ($( $kind:ident => $section:ident, $ty:ident, $keyed:ident, $noun:literal, $plural:literal,
        $heading:literal, $stable:literal, $place:ident, $symbol:ident, $doc:literal; )*) => {
        /// A kind of entity. Kinds are also the plan's namespaces: a name is unique within its kind.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EntityKind {
            $( $kind, )*
        }

        /// The table, indexed by `EntityKind as usize`.
        pub const KINDS: &[KindInfo] = &[
            $( KindInfo {
                kind: EntityKind::$kind,
                section: stringify!($section),
                keyed_by: KeyedBy::$keyed,
                noun: $noun,
                plural: $plural,
                heading: $heading,
                stable_name: $stable,
                place: Place::$place,
                symbol: SymbolKind::$symbol,
                doc: $doc,
            }, )*
        ];

        impl EntityKind {
            /// Every kind, in the table's order.
            pub const ALL: &'static [EntityKind] = &[ $( EntityKind::$kind, )* ];
        }
    };
}
entity_kinds!(define_kinds);

impl EntityKind {
    pub fn info(self) -> &'static KindInfo {
        &KINDS[self as usize]
    }

    /// "event", "property", "KPI", ... for messages.
    pub fn noun(self) -> &'static str {
        self.info().noun
    }

    /// The section that defines names of this kind.
    pub fn section(self) -> &'static str {
        self.info().section
    }

    /// Keyed by an id (kebab-case) rather than by the exact name sent to the analytics tool.
    pub fn is_id(self) -> bool {
        self.info().keyed_by == KeyedBy::Id
    }

    /// The stable kebab-case name (`event`, `user-property`).
    pub fn as_str(self) -> &'static str {
        self.info().stable_name
    }

    /// The kind a section defines.
    pub fn of_section(section: &str) -> Option<EntityKind> {
        KINDS.iter().find(|k| k.section == section).map(|k| k.kind)
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EntityKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_kind() {
        for (i, info) in KINDS.iter().enumerate() {
            assert_eq!(info.kind as usize, i);
            assert_eq!(EntityKind::of_section(info.section), Some(info.kind));
        }
        assert_eq!(EntityKind::ALL.len(), KINDS.len());
    }
}
