//! A change between two plans, and how many changes there are of each level.

use super::kind::{Entity, Kind, Level};
use crate::span::Span;
use serde::Serialize;

/// One change between two plans.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub level: Level,
    pub entity: Entity,
    /// The entity's name: an event or property name, a KPI, goal, flow or team id, the plan's name
    /// for plan settings, `identity` or `conventions`. For a rename, the old name.
    pub name: String,
    /// For changes inside a property: its path within the entity (`revenue` for an event's property,
    /// `address.city` or `items[]` for nested ones).
    pub property: Option<String>,
    /// The field that changed (`type`, `enum`, `description`, `steps`, `alternatives.buy-now`,
    /// `identify`, ...), when the change is about one field.
    pub field: Option<String>,
    /// The value before and after (a string, a list of strings, a number or a boolean); `None` where
    /// the field or entity did not exist.
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
    /// One line that says what changed, for people.
    pub summary: String,
    /// The KPIs and flows the change touches, in either plan (sorted).
    pub kpis: Vec<String>,
    pub flows: Vec<String>,
    /// Where the change stands in the old and the new plan (a span of that plan's files).
    #[serde(skip)]
    pub old_span: Option<Span>,
    #[serde(skip)]
    pub new_span: Option<Span>,
}

/// Number of changes per level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub dangerous: usize,
    pub safe: usize,
}

impl Counts {
    pub fn of(changes: &[Change]) -> Counts {
        let mut counts = Counts::default();
        for change in changes {
            match change.level {
                Level::Breaking => counts.breaking += 1,
                Level::Dangerous => counts.dangerous += 1,
                Level::Safe => counts.safe += 1,
            }
        }
        counts
    }

    pub fn get(&self, level: Level) -> usize {
        match level {
            Level::Breaking => self.breaking,
            Level::Dangerous => self.dangerous,
            Level::Safe => self.safe,
        }
    }

    pub fn total(&self) -> usize {
        self.breaking + self.dangerous + self.safe
    }
}
