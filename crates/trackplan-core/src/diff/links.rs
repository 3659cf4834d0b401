//! Which KPIs and flows a change touches, found when a change is made (a diff usually has few), by
//! following the links of one plan: events to the flows that list them, flows and events to their
//! KPIs, properties to the events that use them, goals to their KPIs.

use crate::model::{EventPropertyKind, Plan};
use std::collections::BTreeSet;

/// What a change is attached to, for finding the KPIs and flows it touches.
#[derive(Clone, Debug, Default)]
pub(super) enum Touch {
    #[default]
    Nothing,
    Events(Vec<String>),
    Property(String),
    Kpi(String),
    Flow(String),
    Goal(String),
}

/// The flows whose `kpis` list a KPI.
pub(super) fn flows_of_kpi<'a>(plan: &'a Plan, kpi: &str) -> BTreeSet<&'a str> {
    plan.flows()
        .filter(|f| f.kpis.iter().any(|k| k.name == kpi))
        .map(|f| f.id.text.as_str())
        .collect()
}

/// Adds the KPIs and flows `touch` reaches in `plan`.
pub(super) fn collect(
    plan: &Plan,
    touch: &Touch,
    kpis: &mut BTreeSet<String>,
    flows: &mut BTreeSet<String>,
) {
    match touch {
        Touch::Nothing => {}
        Touch::Events(events) => {
            let names: BTreeSet<&str> = events.iter().map(String::as_str).collect();
            collect_events(plan, &names, kpis, flows);
        }
        Touch::Property(property) => {
            let names: BTreeSet<&str> = plan
                .events()
                .filter(|e| {
                    e.properties.iter().any(|p| {
                        matches!(&p.kind, EventPropertyKind::Reference { reference, .. } if reference.name == *property)
                    })
                })
                .map(|e| e.name.text.as_str())
                .collect();
            collect_events(plan, &names, kpis, flows);
        }
        Touch::Kpi(kpi) => collect_kpi(plan, kpi, kpis, flows),
        Touch::Flow(flow) => {
            flows.insert(flow.clone());
            for f in plan.flows().filter(|f| f.id.text == *flow) {
                kpis.extend(f.kpis.iter().map(|k| k.name.clone()));
            }
        }
        Touch::Goal(goal) => {
            for kpi in plan.kpis() {
                if kpi.goal.as_ref().is_some_and(|g| g.name == *goal) {
                    collect_kpi(plan, &kpi.id.text, kpis, flows);
                }
            }
        }
    }
}

fn collect_kpi(plan: &Plan, kpi: &str, kpis: &mut BTreeSet<String>, flows: &mut BTreeSet<String>) {
    kpis.insert(kpi.to_string());
    flows.extend(flows_of_kpi(plan, kpi).into_iter().map(str::to_string));
}

fn collect_events(
    plan: &Plan,
    names: &BTreeSet<&str>,
    kpis: &mut BTreeSet<String>,
    flows: &mut BTreeSet<String>,
) {
    if names.is_empty() {
        return;
    }
    for event in plan.events() {
        if names.contains(event.name.text.as_str()) {
            kpis.extend(event.kpis.iter().map(|k| k.name.clone()));
        }
    }
    for flow in plan.flows() {
        if flow.all_steps().any(|s| names.contains(s.name.as_str())) {
            flows.insert(flow.id.text.clone());
            kpis.extend(flow.kpis.iter().map(|k| k.name.clone()));
        }
    }
}
