//! The body of Mixpanel's Lexicon Schemas API: `{"entries": [{"entityType": "event" | "profile",
//! "name", "schemaJson": {description, properties, required, metadata: {"com.mixpanel": {...}}}}]}`
//! (or the list response, `{"results": [...]}`). Events keep their description, tags, owners (as
//! teams), display name (in notes), hidden (a tag) and dropped (deprecated); profile properties
//! are the user properties.

use crate::input::Input;
use crate::plan::{slug, PlanBuilder};
use crate::report::Report;
use crate::schema::{key, said, set, text, SchemaMapper};
use serde_yaml::{Mapping, Value};
use trackplan_core::destinations::Destinations;
use trackplan_core::schema::Destination;

pub(crate) fn import(inputs: &[Input], report: &mut Report) -> Option<PlanBuilder> {
    let mut plan = PlanBuilder::new(Some("mixpanel"));
    let mut read_any = false;
    for input in inputs {
        let Some(document) = input.json_or_skip(report) else {
            continue;
        };
        let entries = key(&document, "entries")
            .or_else(|| key(&document, "results"))
            .or(Some(&document).filter(|d| d.is_sequence()))
            .and_then(Value::as_sequence);
        let Some(entries) = entries else {
            report.skip(&input.path, "not a Lexicon Schemas body: no `entries` list");
            continue;
        };
        read_any = true;
        for (index, entry) in entries.iter().enumerate() {
            let name = text(entry, "name").unwrap_or_default().to_string();
            let at = format!("{} › entries[{index}] {name}", input.path);
            let schema = key(entry, "schemaJson").cloned().unwrap_or(Value::Null);
            let metadata = key(&schema, "metadata")
                .and_then(|m| key(m, "com.mixpanel"))
                .cloned()
                .unwrap_or(Value::Null);
            match text(entry, "entityType").unwrap_or_default() {
                "event" => {
                    let event = event_of(&schema, &metadata, &mut plan, report, &at);
                    plan.add_event(None, &name, event, report, &at);
                }
                "profile" => {
                    let mut without = schema.clone();
                    if let Some(m) = without.as_mapping_mut() {
                        m.remove("required");
                        m.remove("metadata");
                    }
                    let members = SchemaMapper::new(report, &without).members(&without, &at);
                    for (property, definition) in members.properties {
                        let pname = property.as_str().unwrap_or_default();
                        let mut definition = definition.as_mapping().cloned().unwrap_or_default();
                        property_metadata(&schema, pname, &mut definition);
                        plan.add_property(true, pname, definition, report, &at);
                    }
                }
                other => report.loss(format!("Lexicon entity of type `{other}`"), at),
            }
        }
    }
    read_any.then_some(plan)
}

fn event_of(
    schema: &Value,
    metadata: &Value,
    plan: &mut PlanBuilder,
    report: &mut Report,
    at: &str,
) -> Mapping {
    let mut event = Mapping::new();
    if let Some(description) = said(schema, "description") {
        set(&mut event, "description", description);
    }
    let owners: Vec<Value> = key(metadata, "owners")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|owner| {
            let name = said(owner, "name").or_else(|| said(owner, "email"))?;
            let id = slug(&name);
            let mut team = Mapping::new();
            set(&mut team, "name", name);
            if let Some(email) = said(owner, "email") {
                set(&mut team, "contact", email);
            }
            plan.teams.insert(id.clone().into(), Value::Mapping(team));
            Some(Value::String(id))
        })
        .collect();
    match owners.len() {
        0 => {}
        1 => set(&mut event, "owner", owners[0].clone()),
        _ => set(&mut event, "owners", Value::Sequence(owners)),
    }
    if key(metadata, "dropped").and_then(Value::as_bool) == Some(true) {
        set(&mut event, "status", "deprecated");
    }
    let mut tags: Vec<Value> = key(metadata, "tags")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    if key(metadata, "hidden").and_then(Value::as_bool) == Some(true) {
        tags.push("hidden".into());
    }
    if !tags.is_empty() {
        set(&mut event, "tags", Value::Sequence(tags));
    }
    if let Some(display) = said(metadata, "displayName") {
        set(&mut event, "notes", format!("Display name: {display}"));
    }
    let mut without = schema.clone();
    if let Some(m) = without.as_mapping_mut() {
        m.remove("metadata");
    }
    let members = SchemaMapper::new(report, &without).members(&without, at);
    let mixpanel = Destinations::new(&[Destination::Mixpanel]);
    let mut properties = Mapping::new();
    for (property, definition) in members.properties {
        let pname = property.as_str().unwrap_or_default().to_string();
        if mixpanel.reserving(&pname, false, false).is_some() {
            report.kept(
                "Mixpanel's own property (`$`, `mp_`, `distinct_id`, `time`, `token`), sent by Mixpanel: not planned",
                format!("{at} › {pname}"),
            );
            continue;
        }
        let mut definition = definition.as_mapping().cloned().unwrap_or_default();
        property_metadata(schema, &pname, &mut definition);
        properties.insert(property, Value::Mapping(definition));
    }
    if !properties.is_empty() {
        set(&mut event, "properties", Value::Mapping(properties));
    }
    if members.closed {
        set(&mut event, "additional_properties", false);
    }
    event
}

/// A property's `metadata.com.mixpanel`: display name to notes, hidden to a tag, dropped to
/// deprecated.
fn property_metadata(schema: &Value, name: &str, definition: &mut Mapping) {
    let Some(metadata) = key(schema, "properties")
        .and_then(|p| key(p, name))
        .and_then(|p| key(p, "metadata"))
        .and_then(|m| key(m, "com.mixpanel"))
    else {
        return;
    };
    if let Some(display) = said(metadata, "displayName") {
        set(definition, "notes", format!("Display name: {display}"));
    }
    if key(metadata, "hidden").and_then(Value::as_bool) == Some(true) {
        set(definition, "tags", Value::Sequence(vec!["hidden".into()]));
    }
    if key(metadata, "dropped").and_then(Value::as_bool) == Some(true) {
        set(definition, "deprecated", true);
    }
}
