//! Event streams generated from a plan, for the audit's tests and benchmark: events that fit the
//! plan exactly (every planned property with a value its definition accepts), in Mixpanel's
//! export shape, into which callers plant violations.

use serde_json::{json, Map, Value};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
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

/// The plan of a template folder (`plans/ecommerce`), read through the core parser.
pub fn read_plan(dir: &Path) -> std::io::Result<AuditPlan> {
    let files = yaml_files(dir)?;
    let parsed = files
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            Arc::new(trackplan_core::parse_file(
                trackplan_core::FileId(i as u32),
                name,
                text.as_str(),
            ))
        })
        .collect();
    Ok(AuditPlan::new(&trackplan_core::Plan::new(parsed)))
}

/// The folder's YAML files, by their name in the plan.
fn yaml_files(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, std::fs::read_to_string(&path)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes `events` lines in Mixpanel's export shape, every planned event in turn with all its
/// properties, with a violation planted in one line of 20: in turn a wrong type, an enum value not
/// allowed, a missing required property, an unplanned property, a placeholder distinct id, an
/// unplanned event and a malformed line. The stream of the audit benchmarks.
pub fn write_planted_stream(plan: &AuditPlan, events: u64, path: &Path) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let planned: Vec<usize> = (0..plan.events.len())
        .filter(|i| !plan.events[*i].is_deprecated())
        .collect();
    for n in 0..events {
        // Violations go to every event in turn (one line of 20 carries one).
        let turn = if n % 20 == 7 { n / 20 } else { n };
        let index = planned[turn as usize % planned.len()];
        let name = &plan.events[index].name;
        let mut properties = clean_properties(plan, index, n);
        let line = match (n % 20 == 7).then_some((n / 20) % 7) {
            Some(0) => {
                let key = properties
                    .keys()
                    .find(|k| *k != "distinct_id" && *k != "time")
                    .cloned();
                if let Some(key) = key {
                    properties.insert(key, json!({"unexpected": [1, 2]}));
                }
                mixpanel_line(name, properties)
            }
            Some(1) => {
                properties.insert("platform".into(), json!("smart_fridge"));
                mixpanel_line(name, properties)
            }
            Some(2) => {
                if let Some((required, _)) = plan.events[index].properties.required.first() {
                    properties.remove(required);
                }
                mixpanel_line(name, properties)
            }
            Some(3) => {
                properties.insert(format!("debug_flag_{}", n % 3), Value::Bool(true));
                mixpanel_line(name, properties)
            }
            Some(4) => {
                properties.insert("distinct_id".into(), json!("undefined"));
                mixpanel_line(name, properties)
            }
            Some(5) => mixpanel_line(&format!("{name} V2"), properties),
            Some(_) => "{\"event\": \"Order Completed\", \"properties\": {".to_string(),
            None => mixpanel_line(name, properties),
        };
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
