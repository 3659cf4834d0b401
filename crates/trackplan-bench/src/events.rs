//! Event streams generated from a plan, for the audit's tests and benchmark: events that fit the
//! plan exactly (every planned property with a value its definition accepts), in Mixpanel's
//! export shape, into which callers plant violations.

use serde_json::{json, Map, Value};
use trackplan_audit::spec::{AuditPlan, PropId};
use trackplan_core::model::{Format, PropertyType};

/// A value the property's definition accepts; `n` varies it where the definition allows.
pub fn valid_value(plan: &AuditPlan, id: PropId, n: u64) -> Value {
    let spec = plan.property(id);
    if let Some(values) = &spec.enum_values {
        if let Some(first) = values.get(n as usize % values.len().max(1)) {
            return first.to_json();
        }
    }
    if let Some(example) = spec.examples.first() {
        return example.to_json();
    }
    let ty = spec
        .types
        .and_then(|t| t.words().find(|w| *w != PropertyType::Any))
        .unwrap_or(PropertyType::String);
    match ty {
        PropertyType::String | PropertyType::Any => {
            if let Some(format) = spec.format {
                return json!(format_value(format, n));
            }
            let min = spec.min_length.unwrap_or(1).max(1) as usize;
            let max = spec.max_length.map_or(usize::MAX, |m| m as usize);
            let text = format!("v{n}");
            let text: String = text
                .chars()
                .cycle()
                .take(min.max(text.len()).min(max))
                .collect();
            json!(text)
        }
        PropertyType::Number | PropertyType::Integer => {
            let low = spec.min.unwrap_or(1.0);
            let mut value = match spec.multiple_of {
                Some(step) => (low / step).ceil() * step,
                None => low.ceil(),
            };
            if let Some(max) = spec.max {
                value = value.min(max);
            }
            if ty == PropertyType::Integer || value.fract() == 0.0 {
                json!(value as i64)
            } else {
                json!(value)
            }
        }
        PropertyType::Boolean => json!(n % 2 == 0),
        PropertyType::Datetime => json!("2024-05-01T12:30:00Z"),
        PropertyType::List => {
            let count = spec.min_items.unwrap_or(1).max(1) as u64;
            let items: Vec<Value> = (0..count)
                .map(|i| match spec.items {
                    Some(item) => valid_value(plan, item, n + i),
                    None => json!(format!("item{i}")),
                })
                .collect();
            Value::Array(items)
        }
        PropertyType::Object => {
            let mut object = Map::new();
            if let Some(nested) = &spec.object {
                let mut names: Vec<(&String, &PropId)> = nested.by_name.iter().collect();
                names.sort();
                for (name, id) in names {
                    let path = &plan.property(*id).path;
                    let _ = path;
                    object.insert(name.clone(), valid_value(plan, *id, n));
                }
            }
            Value::Object(object)
        }
    }
}

fn format_value(format: Format, n: u64) -> String {
    match format {
        Format::Email => format!("user{n}@example.com"),
        _ => format.example().to_string(),
    }
}

/// The properties of a clean event: the super properties, then every planned property.
pub fn clean_properties(plan: &AuditPlan, event: usize, n: u64) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("distinct_id".into(), json!(format!("user-{}", n % 5000)));
    properties.insert("time".into(), json!(1_714_566_600 + n));
    for (name, id) in &plan.super_properties {
        properties.insert(name.clone(), valid_value(plan, *id, n));
    }
    let mut names: Vec<(&String, &PropId)> = plan.events[event].properties.by_name.iter().collect();
    names.sort();
    for (name, id) in names {
        properties.insert(name.clone(), valid_value(plan, *id, n));
    }
    properties
}

/// One line of Mixpanel's export shape.
pub fn mixpanel_line(name: &str, properties: Map<String, Value>) -> String {
    json!({"event": name, "properties": properties}).to_string()
}
