//! What a format could not hold, counted: the CLI says it on stderr ("left out: 4 KPIs, ...").

use crate::view::View;
use trackplan_core::model::{Common, PropertyDef};

/// Something a format left out, and how many of it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeftOut {
    pub count: usize,
    /// What, in the plural: "KPIs", "notes", "types of properties with several types".
    pub what: String,
}

impl LeftOut {
    pub fn new(count: usize, what: impl Into<String>) -> LeftOut {
        LeftOut {
            count,
            what: what.into(),
        }
    }
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.what, self.count)
    }
}

/// Parts of a plan that some formats hold and others do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    Goals,
    Kpis,
    Flows,
    Teams,
    Identity,
    /// `owner`/`owners` of events and properties.
    EventOwners,
    Status,
    Platforms,
    Tags,
    Notes,
    Links,
    Expires,
    Sensitivity,
    Pii,
    Examples,
    ReplacedBy,
}

impl Facet {
    pub const ALL: &'static [Facet] = &[
        Facet::Goals,
        Facet::Kpis,
        Facet::Flows,
        Facet::Teams,
        Facet::Identity,
        Facet::EventOwners,
        Facet::Status,
        Facet::Platforms,
        Facet::Tags,
        Facet::Notes,
        Facet::Links,
        Facet::Expires,
        Facet::Sensitivity,
        Facet::Pii,
        Facet::Examples,
        Facet::ReplacedBy,
    ];

    fn what(self) -> &'static str {
        match self {
            Facet::Goals => "goals",
            Facet::Kpis => "KPIs",
            Facet::Flows => "flows",
            Facet::Teams => "teams",
            Facet::Identity => "identity settings",
            Facet::EventOwners => "owners of events and properties",
            Facet::Status => "event statuses",
            Facet::Platforms => "event platforms",
            Facet::Tags => "tags",
            Facet::Notes => "notes",
            Facet::Links => "links",
            Facet::Expires => "expiry dates",
            Facet::Sensitivity => "sensitivity grades",
            Facet::Pii => "personal-data flags",
            Facet::Examples => "examples",
            Facet::ReplacedBy => "replaced_by links",
        }
    }

    /// How many of it the plan has.
    fn count(self, view: &View) -> usize {
        let plan = view.plan;
        let commons = || {
            plan.teams()
                .map(|t| &t.common)
                .chain(plan.goals().map(|g| &g.common))
                .chain(plan.kpis().map(|k| &k.common))
                .chain(plan.flows().map(|f| &f.common))
                .chain(plan.events().map(|e| &e.common))
                .chain(definitions(view).into_iter().map(|d| &d.common))
        };
        let count_commons = |has: fn(&Common) -> bool| commons().filter(|c| has(c)).count();
        let count_defs = |has: fn(&PropertyDef) -> bool| {
            definitions(view).into_iter().filter(|d| has(d)).count()
        };
        match self {
            Facet::Goals => plan.goals().count(),
            Facet::Kpis => plan.kpis().count(),
            Facet::Flows => plan.flows().count(),
            Facet::Teams => plan.teams().count(),
            Facet::Identity => {
                let identity = plan.identity().cloned().unwrap_or_default();
                usize::from(
                    identity.id_merge.is_some()
                        || !identity.identify.is_empty()
                        || !identity.reset.is_empty()
                        || identity.notes.is_some(),
                )
            }
            Facet::EventOwners => {
                plan.events().filter(|e| e.common.has_owner()).count()
                    + count_defs(|d| d.common.has_owner())
            }
            Facet::Status => plan.events().filter(|e| e.status.is_some()).count(),
            Facet::Platforms => plan.events().filter(|e| !e.platforms.is_empty()).count(),
            Facet::Tags => count_commons(|c| !c.tags.is_empty()),
            Facet::Notes => count_commons(|c| c.notes.is_some()),
            Facet::Links => count_commons(|c| !c.links.is_empty()),
            Facet::Expires => {
                plan.events().filter(|e| e.expires.is_some()).count()
                    + count_defs(|d| d.expires.is_some())
            }
            Facet::Sensitivity => {
                plan.events().filter(|e| e.sensitivity.is_some()).count()
                    + count_defs(|d| d.sensitivity.is_some())
            }
            Facet::Pii => count_defs(|d| d.pii.is_some()),
            Facet::Examples => count_defs(|d| !d.examples.is_empty()),
            Facet::ReplacedBy => {
                plan.events().filter(|e| e.replaced_by.is_some()).count()
                    + count_defs(|d| d.replaced_by.is_some())
            }
        }
    }
}

fn definitions<'a>(view: &View<'a>) -> Vec<&'a PropertyDef> {
    view.plan
        .property_definitions()
        .into_iter()
        .map(|(_, def)| def)
        .collect()
}

/// The facets the format does not keep, with how many of each the plan has.
pub fn facets_left_out(view: &View, keeps: &[Facet]) -> Vec<LeftOut> {
    Facet::ALL
        .iter()
        .filter(|f| !keeps.contains(f))
        .filter_map(|f| {
            let count = f.count(view);
            (count > 0).then(|| LeftOut::new(count, f.what()))
        })
        .collect()
}

/// Adds up what is said twice, in a stable order (by what).
pub fn merge(items: Vec<LeftOut>) -> Vec<LeftOut> {
    let mut merged: std::collections::BTreeMap<String, usize> = Default::default();
    for item in items {
        *merged.entry(item.what).or_default() += item.count;
    }
    merged
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(what, count)| LeftOut { count, what })
        .collect()
}
