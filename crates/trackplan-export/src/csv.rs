//! `csv`: the Mixpanel tracking-plan spreadsheet (the template Mixpanel's guide links: event name
//! and definition, platform, property name and definition, data type, sample values), with the
//! KPIs, flows, owner, status, required and PII columns teams add to it, and the plan's
//! destinations on each event row. An event row, then one
//! row per property; the super properties and user properties follow as rows of their own kind.

use crate::left_out::LeftOut;
use crate::text::{examples, to_bytes};
use crate::view::{Prop, View};
use trackplan_core::model::Event;

pub const HEADER: [&str; 15] = [
    "Entity",
    "Event Name",
    "Event Definition",
    "KPIs",
    "Flows",
    "Owner",
    "Status",
    "Platform",
    "Destinations",
    "Property Name",
    "Property Definition",
    "Data Type",
    "Required",
    "Sample Values",
    "PII",
];

pub fn write(view: &View) -> (Vec<u8>, Vec<LeftOut>) {
    let mut rows: Vec<[String; 15]> = Vec::new();
    // On every event row, so that the plan comes back with its tools (and each event says where
    // it goes, as a sheet reader expects).
    let destinations = join(view.destinations.iter().map(|d| d.as_str()));
    for event in &view.events {
        let mut row: [String; 15] = Default::default();
        row[0] = "event".into();
        row[1] = event.name.text.clone();
        row[2] = event
            .common
            .description
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_default();
        row[3] = join(event.kpis.iter().map(|k| k.name.as_str()));
        row[4] = join(flows_of(view, event).into_iter());
        row[5] = join(View::owner_ids(&event.common).into_iter());
        row[6] = event
            .status
            .as_ref()
            .map(|s| s.value.as_str().to_string())
            .unwrap_or_default();
        row[7] = join(event.platforms.iter().map(|p| p.value.as_str()));
        row[8] = destinations.clone();
        rows.push(row);
        for prop in view.event_properties(event) {
            rows.push(property_row("event property", &event.name.text, &prop));
        }
    }
    for def in &view.super_properties {
        rows.push(property_row("super property", "", &Prop::of(def)));
    }
    for def in &view.user_properties {
        rows.push(property_row("user property", "", &Prop::of(def)));
    }
    (to_bytes(&HEADER, &rows), Vec::new())
}

fn property_row(entity: &str, event: &str, prop: &Prop) -> [String; 15] {
    let mut row: [String; 15] = Default::default();
    row[0] = entity.into();
    row[1] = event.into();
    row[5] = join(View::owner_ids(&prop.def.common).into_iter());
    row[9] = prop.name.into();
    row[10] = prop.description().unwrap_or_default().into();
    row[11] = prop
        .def
        .ty
        .as_ref()
        .map(|t| t.value.to_string())
        .unwrap_or_default();
    row[12] = if prop.required { "yes" } else { "no" }.into();
    row[13] = examples(&prop.examples());
    row[14] = match &prop.def.pii {
        Some(pii) if pii.value => "yes".into(),
        Some(_) => "no".into(),
        None if prop.def.is_pii() => "yes".into(),
        None => String::new(),
    };
    row
}

/// The ids of the flows whose steps or alternatives name the event, sorted.
fn flows_of<'a>(view: &View<'a>, event: &Event) -> Vec<&'a str> {
    let mut ids: Vec<&str> = view
        .plan
        .flows()
        .filter(|f| f.all_steps().any(|s| s.name == event.name.text))
        .map(|f| f.id.text.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}
