//! A folder of JSON Schemas, one per event (named by its `title`, else by its file name), or a
//! bundle: one document whose `$defs` (or `definitions`) hold one schema per event, keyed by the
//! event's name, as `trackplan export --format json-schema` writes it. A bundle's `$defs` entry
//! titled as user properties becomes the user properties.

use crate::input::Input;
use crate::plan::PlanBuilder;
use crate::report::Report;
use crate::schema::{key, said, set, SchemaMapper};
use serde_yaml::{Mapping, Value};

pub(crate) fn import(inputs: &[Input], report: &mut Report) -> Option<PlanBuilder> {
    let mut plan = PlanBuilder::new(Some("generic"));
    let mut read_any = false;
    for input in inputs {
        let Some(document) = input.json_or_skip(report) else {
            continue;
        };
        if !document.is_mapping() {
            report.skip(
                &input.path,
                "not a JSON Schema: the document is not an object",
            );
            continue;
        }
        read_any = true;
        let definitions = key(&document, "$defs")
            .or_else(|| key(&document, "definitions"))
            .and_then(Value::as_mapping);
        let is_bundle =
            key(&document, "properties").is_none() && definitions.is_some_and(|d| !d.is_empty());
        if is_bundle {
            if plan.name.is_none() {
                plan.name = said(&document, "title");
            }
            if plan.description.is_none() {
                plan.description = said(&document, "description");
            }
            let mut referenced = Vec::new();
            references(&document, &mut referenced);
            for (name, schema) in definitions.into_iter().flatten() {
                // A definition other schemas refer to is a building block, not an event.
                let key_name = name.as_str().unwrap_or_default();
                if referenced
                    .iter()
                    .any(|r| r.rsplit('/').next() == Some(key_name))
                {
                    continue;
                }
                let name = said(schema, "title")
                    .unwrap_or_else(|| name.as_str().unwrap_or_default().to_string());
                let at = format!("{} › $defs › {name}", input.path);
                if name.eq_ignore_ascii_case("user properties") || name == "$user" {
                    let members = SchemaMapper::new(report, &document).members(schema, &at);
                    for (property, mut definition) in members.properties {
                        if let Some(d) = definition.as_mapping_mut() {
                            d.remove("required");
                        }
                        let definition = definition.as_mapping().cloned().unwrap_or_default();
                        plan.add_property(
                            true,
                            property.as_str().unwrap_or_default(),
                            definition,
                            report,
                            &at,
                        );
                    }
                    continue;
                }
                let event = event_of(schema, &document, report, &at);
                plan.add_event(None, &name, event, report, &at);
            }
        } else {
            let stem = input.path.rsplit('/').next().unwrap_or(&input.path);
            let stem = stem
                .strip_suffix(".schema.json")
                .or_else(|| stem.strip_suffix(".json"))
                .unwrap_or(stem);
            let name = said(&document, "title").unwrap_or_else(|| stem.to_string());
            let at = format!("{} › {name}", input.path);
            let event = event_of(&document, &document, report, &at);
            // A folder's sub-folder is the group the event belongs to.
            let group = input
                .path
                .rsplit_once('/')
                .map(|(folder, _)| folder.replace('/', "-"));
            plan.add_event(group.as_deref(), &name, event, report, &at);
        }
    }
    read_any.then_some(plan)
}

/// Every `$ref` of a document.
fn references(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Mapping(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    (Some("$ref"), Value::String(r)) => into.push(r.clone()),
                    _ => references(v, into),
                }
            }
        }
        Value::Sequence(s) => s.iter().for_each(|v| references(v, into)),
        _ => {}
    }
}

fn event_of(schema: &Value, document: &Value, report: &mut Report, at: &str) -> Mapping {
    let mut event = Mapping::new();
    if let Some(description) = said(schema, "description") {
        set(&mut event, "description", description);
    }
    let members = SchemaMapper::new(report, document).members(schema, at);
    if !members.properties.is_empty() {
        set(&mut event, "properties", Value::Mapping(members.properties));
    }
    if members.closed {
        set(&mut event, "additional_properties", false);
    }
    event
}
