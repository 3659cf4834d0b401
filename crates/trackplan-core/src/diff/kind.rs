//! The kinds of change, their stable names and levels.
//!
//! A kind's name never changes once released (CI configurations and bots match on it), exactly like a
//! rule's name. The table in `docs/review.md` lists every kind with its level and is checked against
//! [`Kind::ALL`] by a test.

use crate::model::EntityKind;
use serde::{Serialize, Serializer};
use std::fmt;

/// How much a change can hurt, judged for both sides of the plan: the code that sends events and the
/// reports that read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing that exists changes meaning.
    Safe,
    /// An existing implementation or report may become wrong.
    Dangerous,
    /// An existing implementation or report becomes wrong.
    Breaking,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Breaking, Level::Dangerous, Level::Safe];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Safe => "safe",
            Level::Dangerous => "dangerous",
            Level::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a change is about: one of the entity kinds, or a part of the root file's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    /// The root file's own settings: format version, name, description, `lint:`.
    Plan,
    Conventions,
    Identity,
    /// A team, goal, KPI, flow, event, property or user property.
    Kind(EntityKind),
    SuperProperty,
}

impl Entity {
    /// Every subject of a change, in the order tables of changes are shown.
    pub fn all() -> impl Iterator<Item = Entity> {
        [Entity::Plan, Entity::Conventions, Entity::Identity]
            .into_iter()
            .chain(EntityKind::ALL.iter().map(|&k| Entity::Kind(k)))
            .chain([Entity::SuperProperty])
    }

    /// The stable name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Plan => "plan",
            Entity::Conventions => "conventions",
            Entity::Identity => "identity",
            Entity::Kind(kind) => kind.as_str(),
            Entity::SuperProperty => "super-property",
        }
    }

    /// "event", "KPI", "user property", ... for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Entity::Kind(kind) => kind.noun(),
            Entity::SuperProperty => "super property",
            other => other.as_str(),
        }
    }

    /// A heading for a table of changes of this entity type.
    pub fn heading(self) -> &'static str {
        match self {
            Entity::Plan => "Plan settings",
            Entity::Conventions => "Naming conventions",
            Entity::Identity => "Identity",
            Entity::Kind(kind) => kind.info().heading,
            Entity::SuperProperty => "Super properties",
        }
    }
}

impl From<EntityKind> for Entity {
    fn from(kind: EntityKind) -> Entity {
        Entity::Kind(kind)
    }
}

impl Serialize for Entity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $levels:literal, $what:literal; )*) => {
        /// A kind of change. Its name (`<entity>-<change>`) is stable.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $( $(#[$doc])* $variant, )*
        }

        impl Kind {
            pub const ALL: &'static [Kind] = &[ $( Kind::$variant, )* ];

            /// The stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self { $( Kind::$variant => $name, )* }
            }

            /// The level or levels a change of this kind can have, as documented.
            pub fn levels(self) -> &'static str {
                match self { $( Kind::$variant => $levels, )* }
            }

            /// One sentence: what the kind reports.
            pub fn what(self) -> &'static str {
                match self { $( Kind::$variant => $what, )* }
            }

            pub fn find(name: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.as_str() == name)
            }
        }
    };
}

kinds! {
    EventAdded = "event-added", "safe", "A new event.";
    EventRemoved = "event-removed", "breaking", "An event is no longer in the plan.";
    EventRenamed = "event-renamed", "breaking",
        "An event is deprecated in favour of another (`replaced_by`), or removed while an identical event (same description and properties) appears under a new name.";
    EventDeprecated = "event-deprecated", "dangerous", "An event's status became `deprecated` (without a `replaced_by`).";
    StatusChanged = "status-changed", "safe, dangerous",
        "An event's status changed: forward (proposed -> planned -> implemented) or out of `deprecated` is safe, backward is dangerous.";
    ReplacedByChanged = "replaced-by-changed", "dangerous", "A deprecated event or property no longer names its replacement.";
    EventPlatformsChanged = "event-platforms-changed", "safe, dangerous",
        "An event's platforms changed: platforms added is safe, platforms removed is dangerous.";
    EventKpisChanged = "event-kpis-changed", "dangerous", "The KPIs an event links to directly changed.";
    EventPropertyAdded = "event-property-added", "safe, breaking",
        "A property was added to an existing event: optional is safe, required is breaking.";
    EventPropertyRemoved = "event-property-removed", "breaking", "A property was removed from an event.";
    PropertyAdded = "property-added", "safe", "A property was added to the property dictionary.";
    PropertyRemoved = "property-removed", "breaking", "A property was removed from the property dictionary.";
    PropertyRenamed = "property-renamed", "breaking",
        "A dictionary property is deprecated in favour of another (`replaced_by`), or removed while an identical one appears under a new name.";
    PropertyDeprecated = "property-deprecated", "dangerous", "A property is now marked `deprecated: true`.";
    PropertyUndeprecated = "property-undeprecated", "safe", "A property is no longer marked deprecated.";
    UserPropertyAdded = "user-property-added", "safe", "A user (profile) property was added.";
    UserPropertyRemoved = "user-property-removed", "breaking", "A user (profile) property was removed.";
    UserPropertyRenamed = "user-property-renamed", "breaking",
        "A user property is deprecated in favour of another, or removed while an identical one appears under a new name.";
    SuperPropertyAdded = "super-property-added", "safe", "A property was added to `super_properties`.";
    SuperPropertyRemoved = "super-property-removed", "breaking", "A property was removed from `super_properties`.";
    ObjectPropertyAdded = "object-property-added", "safe, breaking",
        "A nested property was added to an `object` property (or to a list's item definition): optional is safe, required is breaking.";
    ObjectPropertyRemoved = "object-property-removed", "breaking", "A nested property was removed from an `object` property.";
    PropertyTypeChanged = "property-type-changed", "breaking", "A property's `type` (or a list's `items` type) changed.";
    PropertyTypeWidened = "property-type-widened", "dangerous",
        "Types were added to a property's type list, or it became `any`: what is sent stays right, reports may see values of a new type.";
    PropertyTypeNarrowed = "property-type-narrowed", "breaking",
        "Types were removed from a property's type list (or `any` became a list): code that sends a removed type is wrong.";
    PropertyRequired = "property-required", "breaking", "An event (or object) property became required.";
    PropertyOptional = "property-optional", "safe", "An event (or object) property became optional.";
    PropertyNullable = "property-nullable", "dangerous", "A property may now be `null` (`nullable: true`): reports may see nulls.";
    PropertyNotNullable = "property-not-nullable", "breaking", "A property may no longer be `null`: code that sends `null` is wrong.";
    EnumValueAdded = "enum-value-added", "safe", "A value was added to a property's `enum`.";
    EnumValueRemoved = "enum-value-removed", "breaking", "A value was removed from a property's `enum`.";
    EnumAdded = "enum-added", "dangerous", "A property that took any value now has an `enum`.";
    EnumRemoved = "enum-removed", "safe", "A property's `enum` was dropped: it takes any value.";
    PatternChanged = "pattern-changed", "safe, dangerous", "A property's `pattern` was added or changed (dangerous) or dropped (safe).";
    RangeChanged = "range-changed", "safe, dangerous", "A property's `min` or `max` was added or changed (dangerous) or dropped (safe).";
    MultipleOfChanged = "multiple-of-changed", "safe, breaking",
        "A number property's `multiple_of` changed: dropped, or a step that divides the old one, is safe; any other is breaking.";
    LengthChanged = "length-changed", "safe, breaking",
        "A string property's `min_length` or `max_length` changed: a wider range is safe, a narrower one breaking.";
    FormatChanged = "format-changed", "safe, breaking", "A string property's `format` was added or changed (breaking) or dropped (safe).";
    ListSizeChanged = "list-size-changed", "safe, breaking",
        "A list property's `min_items`, `max_items` or `unique_items` changed: looser is safe, stricter breaking.";
    PropertiesClosed = "properties-closed", "breaking",
        "An event or object property became closed (`additional_properties: false`): code that sends other properties is wrong.";
    PropertiesOpened = "properties-opened", "safe", "An event or object property is no longer closed.";
    SensitivityChanged = "sensitivity-changed", "safe", "An event's or property's `sensitivity` changed.";
    ExpiresChanged = "expires-changed", "safe", "When an event or property expires (`expires`) changed.";
    PiiChanged = "pii-changed", "safe", "A property's `pii` flag changed.";
    ExamplesChanged = "examples-changed", "safe", "A property's `examples` changed.";
    DescriptionChanged = "description-changed", "safe", "A description changed (any entity).";
    NotesChanged = "notes-changed", "safe", "Cross-team notes changed (any entity).";
    TagsChanged = "tags-changed", "safe", "Tags changed (any entity).";
    OwnerChanged = "owner-changed", "safe", "The owning team changed (`owner` or `owners`, any entity).";
    LinksChanged = "links-changed", "safe", "Links (`links:`) changed (any entity).";
    NameChanged = "name-changed", "safe", "A display name changed (plan, team, goal, KPI, flow).";
    KpiAdded = "kpi-added", "safe", "A new KPI.";
    KpiRemoved = "kpi-removed", "breaking", "A KPI is no longer in the plan.";
    KpiFlowsChanged = "kpi-flows-changed", "dangerous", "A KPI is moved by other flows than before (flows' `kpis` lists changed).";
    KpiDefinitionChanged = "kpi-definition-changed", "dangerous", "A KPI's `definition` changed: the reports that compute it may need to change.";
    KpiGoalChanged = "kpi-goal-changed", "safe", "A KPI now serves another goal.";
    KpiPriorityChanged = "kpi-priority-changed", "safe", "A KPI's priority changed.";
    GoalAdded = "goal-added", "safe", "A new goal.";
    GoalRemoved = "goal-removed", "dangerous", "A goal is no longer in the plan (KPIs may still point to it).";
    FlowAdded = "flow-added", "safe", "A new flow.";
    FlowRemoved = "flow-removed", "breaking", "A flow is no longer in the plan: the funnel reports built on it lose their definition.";
    FlowStepsChanged = "flow-steps-changed", "dangerous", "A flow's steps or one of its alternatives gained, lost or reordered steps.";
    TeamAdded = "team-added", "safe", "A new team.";
    TeamRemoved = "team-removed", "dangerous", "A team is no longer in the plan (entities may still name it as owner).";
    TeamContactChanged = "team-contact-changed", "safe", "A team's contact changed.";
    IdentityChanged = "identity-changed", "breaking", "The events after which `identify` or `reset` is called, or the ID merge flavour, changed.";
    ConventionsChanged = "conventions-changed", "dangerous", "A naming convention (`event_case`, `property_case`) changed.";
    LintChanged = "lint-changed", "safe", "A rule's severity in `lint:` changed.";
    DestinationsChanged = "destinations-changed", "dangerous",
        "The tools the plan's events go to (`destinations:`) changed: reserved names, limits and checks follow them.";
    DefaultClosedChanged = "default-closed-changed", "safe, breaking",
        "The plan-wide `additional_properties` changed: closing by default is breaking, opening safe.";
    BaselineChanged = "baseline-changed", "safe", "The baseline file the plan names (`baseline:`) changed.";
    FormatVersionChanged = "format-version-changed", "dangerous", "The plan format version (`trackplan:`) changed.";
}

impl Kind {
    /// The change that adds an entity of a kind.
    pub fn added(kind: EntityKind) -> Kind {
        EntityChanges::of(kind).added
    }

    /// The change that removes an entity of a kind.
    pub fn removed(kind: EntityKind) -> Kind {
        EntityChanges::of(kind).removed
    }
}

/// The changes told about whole entities of one kind.
pub(super) struct EntityChanges {
    pub added: Kind,
    pub removed: Kind,
    /// How much removing one hurts: a removed team or goal leaves only dangling names behind.
    pub removal: Level,
    /// Kinds whose entities can be renamed (deprecated with `replaced_by`, or removed while an
    /// identical one appears under a new name).
    pub renamed: Option<Kind>,
}

impl EntityChanges {
    pub fn of(kind: EntityKind) -> EntityChanges {
        use Kind::*;
        let (added, removed, removal, renamed) = match kind {
            EntityKind::Team => (TeamAdded, TeamRemoved, Level::Dangerous, None),
            EntityKind::Goal => (GoalAdded, GoalRemoved, Level::Dangerous, None),
            EntityKind::Kpi => (KpiAdded, KpiRemoved, Level::Breaking, None),
            EntityKind::Flow => (FlowAdded, FlowRemoved, Level::Breaking, None),
            EntityKind::Event => (
                EventAdded,
                EventRemoved,
                Level::Breaking,
                Some(EventRenamed),
            ),
            EntityKind::Property => (
                PropertyAdded,
                PropertyRemoved,
                Level::Breaking,
                Some(PropertyRenamed),
            ),
            EntityKind::UserProperty => (
                UserPropertyAdded,
                UserPropertyRemoved,
                Level::Breaking,
                Some(UserPropertyRenamed),
            ),
        };
        EntityChanges {
            added,
            removed,
            removal,
            renamed,
        }
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
