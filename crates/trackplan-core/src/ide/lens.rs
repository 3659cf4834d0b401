//! Code lenses: above each KPI, event and dictionary property of a file, how much of the plan uses
//! it (`3 flows · 2 KPIs`, `used by 12 events`). The server turns each into a lens whose command
//! finds the name's references.

use crate::model::{EntityKind, Plan, RefSite, References};
use crate::span::{FileId, Span};
use rustc_hash::{FxHashMap, FxHashSet};

/// One lens: the name it stands on and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    /// The definition's name (the key).
    pub span: Span,
    pub namespace: EntityKind,
    pub title: String,
}

/// `1 flow`, `3 flows`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the plan says of each name, counted once for every lens of a file.
#[derive(Default)]
struct Uses<'a> {
    /// Per event: the flows it is a step of (in a path or not).
    flows_of_event: FxHashMap<&'a str, FxHashSet<&'a str>>,
    /// Per event: the KPIs it serves, itself or through its flows.
    kpis_of_event: FxHashMap<&'a str, FxHashSet<&'a str>>,
    /// Per KPI: the flows that serve it.
    flows_of_kpi: FxHashMap<&'a str, FxHashSet<&'a str>>,
    /// Per KPI: the events that serve it, themselves or as steps of its flows.
    events_of_kpi: FxHashMap<&'a str, FxHashSet<&'a str>>,
    /// Per dictionary property: the events that list it (directly or in a nested object).
    events_of_property: FxHashMap<&'a str, FxHashSet<&'a str>>,
}

impl<'a> Uses<'a> {
    fn new(plan: &'a Plan) -> Uses<'a> {
        let mut uses = Uses::default();
        for flow in plan.flows() {
            let id = flow.id.text.as_str();
            for step in flow.all_steps() {
                let event = step.name.as_str();
                uses.flows_of_event.entry(event).or_default().insert(id);
                for kpi in &flow.kpis {
                    uses.kpis_of_event
                        .entry(event)
                        .or_default()
                        .insert(&kpi.name);
                    uses.events_of_kpi
                        .entry(&kpi.name)
                        .or_default()
                        .insert(event);
                }
            }
            for kpi in &flow.kpis {
                uses.flows_of_kpi.entry(&kpi.name).or_default().insert(id);
            }
        }
        let mut references = Vec::new();
        for event in plan.events() {
            let name = event.name.text.as_str();
            for kpi in &event.kpis {
                uses.kpis_of_event
                    .entry(name)
                    .or_default()
                    .insert(&kpi.name);
                uses.events_of_kpi
                    .entry(&kpi.name)
                    .or_default()
                    .insert(name);
            }
            references.clear();
            event.references(&mut references);
            for reference in &references {
                if reference.namespace == EntityKind::Property
                    && matches!(
                        reference.site,
                        RefSite::EventProperty | RefSite::NestedProperty
                    )
                {
                    uses.events_of_property
                        .entry(&reference.name)
                        .or_default()
                        .insert(name);
                }
            }
        }
        uses
    }

    fn size(map: &FxHashMap<&str, FxHashSet<&str>>, name: &str) -> usize {
        map.get(name).map_or(0, |set| set.len())
    }
}

/// The lenses of one file of the plan, in file order.
pub fn lenses(plan: &Plan, file: FileId) -> Vec<Lens> {
    let Some(file) = plan.file(file) else {
        return Vec::new();
    };
    // Part by part: a file read in pieces is not put together for its lenses.
    let kpis = || file.parts().flat_map(|p| p.kpis.iter());
    let events = || file.parts().flat_map(|p| p.events.iter());
    let properties = || file.parts().flat_map(|p| p.properties.iter());
    if kpis().next().is_none() && events().next().is_none() && properties().next().is_none() {
        return Vec::new();
    }
    let uses = Uses::new(plan);
    let mut out = Vec::new();
    for kpi in kpis() {
        let id = kpi.id.text.as_str();
        out.push(Lens {
            span: kpi.id.span,
            namespace: EntityKind::Kpi,
            title: format!(
                "{} · {}",
                count(Uses::size(&uses.flows_of_kpi, id), "flow", "flows"),
                count(Uses::size(&uses.events_of_kpi, id), "event", "events")
            ),
        });
    }
    for event in events() {
        let name = event.name.text.as_str();
        out.push(Lens {
            span: event.name.span,
            namespace: EntityKind::Event,
            title: format!(
                "{} · {}",
                count(Uses::size(&uses.flows_of_event, name), "flow", "flows"),
                count(Uses::size(&uses.kpis_of_event, name), "KPI", "KPIs")
            ),
        });
    }
    for property in properties() {
        let name = property.name.text.as_str();
        out.push(Lens {
            span: property.name.span,
            namespace: EntityKind::Property,
            title: format!(
                "used by {}",
                count(
                    Uses::size(&uses.events_of_property, name),
                    "event",
                    "events"
                )
            ),
        });
    }
    out.sort_by_key(|lens| lens.span.start);
    out
}
