//! Where a sheet's property rows go: the dictionary, or the events that define a property their
//! own way, and what each event's use of a dictionary property says of its own.

use super::Occurrence;
use crate::plan::PlanBuilder;
use crate::report::Report;
use crate::schema::set;
use serde_yaml::{Mapping, Value};

/// Properties met in one event only, or with one definition everywhere, go to the dictionary and
/// events refer to them; a name defined differently by some events is defined in those events.
pub(super) fn place_properties(
    plan: &mut PlanBuilder,
    mut occurrences: Vec<Occurrence>,
    report: &mut Report,
) {
    // A row of the property itself (a super or user property) is its dictionary definition, so
    // it goes first: an event's row that differs from it is then that event's own description.
    occurrences.sort_by_key(|o| o.event.is_some());
    for occurrence in &occurrences {
        let at = occurrence.event.clone().map_or_else(
            || occurrence.name.clone(),
            |e| format!("event {e} › {}", occurrence.name),
        );
        if occurrence.user {
            plan.add_property(
                true,
                &occurrence.name,
                occurrence.definition.clone(),
                report,
                &at,
            );
            continue;
        }
        let Some(event) = &occurrence.event else {
            plan.add_property(
                false,
                &occurrence.name,
                occurrence.definition.clone(),
                report,
                &at,
            );
            if !plan.super_properties.contains(&occurrence.name) {
                plan.super_properties.push(occurrence.name.clone());
            }
            continue;
        };
        let entry = match plan
            .properties
            .get(occurrence.name.as_str())
            .and_then(Value::as_mapping)
        {
            None => {
                // An event's use cannot take a description or examples away from the
                // dictionary's: when another event's row of the same property leaves one blank,
                // the dictionary goes without, and this event has it as its own.
                let mut definition = occurrence.definition.clone();
                let mut own = |field: &str| {
                    let blank_elsewhere = occurrences.iter().any(|other| {
                        other.event.is_some()
                            && !other.user
                            && other.name == occurrence.name
                            && !other.definition.contains_key(field)
                            && shape(&other.definition) == shape(&occurrence.definition)
                    });
                    if blank_elsewhere {
                        definition.remove(field)
                    } else {
                        None
                    }
                };
                let (description, examples) = (own("description"), own("examples"));
                plan.properties
                    .insert(occurrence.name.clone().into(), Value::Mapping(definition));
                reference(occurrence.required, description, examples)
            }
            Some(first) if shape(first) == shape(&occurrence.definition) => {
                let own = |field: &str| {
                    occurrence
                        .definition
                        .get(field)
                        .filter(|d| first.get(field) != Some(*d))
                        .cloned()
                };
                reference(occurrence.required, own("description"), own("examples"))
            }
            Some(_) => {
                let mut inline = occurrence.definition.clone();
                if occurrence.required {
                    inline.insert("required".into(), true.into());
                }
                Value::Mapping(inline)
            }
        };
        if let Some(event) = plan.event_mut(event) {
            let properties = match event.get_mut("properties") {
                Some(Value::Mapping(p)) => p,
                _ => {
                    set(event, "properties", Value::Mapping(Mapping::new()));
                    event
                        .get_mut("properties")
                        .and_then(Value::as_mapping_mut)
                        .expect("just set")
                }
            };
            if properties.contains_key(occurrence.name.as_str()) {
                report.loss("property listed twice for one event (the first kept)", at);
            } else {
                properties.insert(occurrence.name.clone().into(), entry);
            }
        }
    }
}

/// A definition less what an event's use of it may give as its own (description, examples).
fn shape(definition: &Mapping) -> Mapping {
    let mut d = definition.clone();
    d.remove("description");
    d.remove("examples");
    d
}

/// An event's use of a dictionary property, with the description and examples it has of its own.
fn reference(required: bool, description: Option<Value>, examples: Option<Value>) -> Value {
    if description.is_none() && examples.is_none() {
        return Value::String(if required { "required" } else { "optional" }.into());
    }
    let mut m = Mapping::new();
    if required {
        set(&mut m, "required", true);
    }
    if let Some(description) = description {
        m.insert("description".into(), description);
    }
    if let Some(examples) = examples {
        m.insert("examples".into(), examples);
    }
    Value::Mapping(m)
}
