//! RudderStack `rudder-cli` data-catalog projects: YAML documents `{version, kind, metadata, spec}`
//! of the kinds `properties`, `events`, `categories`, `custom-types` and `tracking-plan` (`tp`), in
//! spec `rudder/v1` (`#property:id` references, snake_case config) or `rudder/v0.1`
//! (`#/properties/group/id`, camelCase `propConfig`). A project holding both keeps the v1 files.
//!
//! Catalogue properties become the dictionary (custom types resolved into them), events keep
//! their description and go to a file per category, tracking-plan rules give each event its
//! property references, required flags, nested properties and closed events. Identify rules'
//! properties are user properties. Variants have no place in the format: each case's properties
//! are added to the event as optional, and the cases are written in the event's notes.

use crate::input::Input;
use crate::plan::PlanBuilder;
use crate::report::Report;
use crate::schema::{key, said, set, text, SchemaMapper};
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;

struct Catalog {
    /// Property id → its spec.
    properties: HashMap<String, Value>,
    custom_types: HashMap<String, Value>,
    events: Vec<Value>,
    categories: HashMap<String, String>,
    plans: Vec<(String, Value)>,
}

/// The id a reference ends with (`#property:id`, `#/properties/group/id`).
fn ref_id(reference: &str) -> &str {
    reference.rsplit(['/', ':']).next().unwrap_or(reference)
}

fn reference_of(item: &Value) -> Option<&str> {
    text(item, "property").or_else(|| text(item, "$ref"))
}

pub(crate) fn import(inputs: &[Input], report: &mut Report) -> Option<PlanBuilder> {
    let mut documents = Vec::new();
    for input in inputs {
        match input.yaml() {
            Ok(document) => {
                let version = text(&document, "version").unwrap_or_default().to_string();
                if text(&document, "kind").is_none() || key(&document, "spec").is_none() {
                    report.skip(&input.path, "not a rudder-cli file: no `kind` and `spec`");
                    continue;
                }
                documents.push((input.path.as_str(), version, document));
            }
            Err(error) => report.skip(&input.path, error),
        }
    }
    if documents.is_empty() {
        return None;
    }
    if documents.iter().any(|(_, v, _)| v == "rudder/v1") {
        documents.retain(|(path, version, _)| {
            let keep = version == "rudder/v1";
            if !keep {
                report.kept(
                    "file of the same project in spec rudder/v0.1 (its rudder/v1 files are imported)",
                    path.to_string(),
                );
            }
            keep
        });
    }
    let mut catalog = Catalog {
        properties: HashMap::new(),
        custom_types: HashMap::new(),
        events: Vec::new(),
        categories: HashMap::new(),
        plans: Vec::new(),
    };
    for (path, _, document) in &documents {
        let spec = key(document, "spec").cloned().unwrap_or(Value::Null);
        match text(document, "kind").unwrap_or_default() {
            "properties" => collect(&spec, "properties", &mut catalog.properties),
            "custom-types" => collect(&spec, "types", &mut catalog.custom_types),
            "events" => catalog.events.extend(
                key(&spec, "events")
                    .and_then(Value::as_sequence)
                    .cloned()
                    .unwrap_or_default(),
            ),
            "categories" => {
                for category in key(&spec, "categories")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten()
                {
                    if let Some(id) = text(category, "id") {
                        let name = text(category, "name").unwrap_or(id);
                        catalog.categories.insert(id.to_string(), name.to_string());
                    }
                }
            }
            "tracking-plan" | "tp" => catalog.plans.push((path.to_string(), spec)),
            other => report.skip(
                path.to_string(),
                format!("a rudder-cli file of kind `{other}`, which the importer does not know"),
            ),
        }
    }
    let mut plan = PlanBuilder::new(Some("rudderstack"));
    let root = Value::Null;
    // The dictionary: every catalogue property. RudderStack may hold several properties of one
    // name (ids `profile_id` and `profile_id_2`, as `trackplan export` writes when two events
    // define a name differently): the first id's definition goes to the dictionary, and the
    // others are defined in each event that uses them, so that no definition is lost.
    let mut ids: Vec<&String> = catalog.properties.keys().collect();
    ids.sort();
    let mut local = LocalDefinitions::new();
    for id in ids {
        let spec = &catalog.properties[id];
        let name = said(spec, "name").unwrap_or_else(|| id.clone());
        let at = format!("property {name}");
        let schema = json_schema(spec, &catalog, report, &at, 0);
        let mut definition = SchemaMapper::new(report, &root).definition(&schema, false, &at);
        if let Some(members) = member_references(spec, &catalog) {
            // The members of an object custom type are catalogue properties: dictionary references.
            set(&mut definition, "properties", Value::Mapping(members));
        }
        match plan.properties.get(name.as_str()) {
            Some(existing) if *existing != Value::Mapping(definition.clone()) => {
                local.insert(id.clone(), definition);
            }
            _ => plan.add_property(false, &name, definition, report, &at),
        }
    }
    // Names of all properties first, so that nested references read as names.
    let name_of = |id: &str| -> String {
        catalog
            .properties
            .get(id)
            .and_then(|p| said(p, "name"))
            .unwrap_or_else(|| id.to_string())
    };
    // Events, in the order of the files.
    let mut event_names: HashMap<String, String> = HashMap::new();
    for event in &catalog.events {
        let Some(id) = text(event, "id") else {
            continue;
        };
        let kind = text(event, "event_type").unwrap_or("track");
        let name = said(event, "name").unwrap_or_else(|| id.to_string());
        event_names.insert(id.to_string(), name.clone());
        if kind == "identify" {
            report.kept(
                "identify event (its rule's properties are the user properties)",
                format!("event {name}"),
            );
            continue;
        }
        if kind == "group" {
            report.loss(
                "group event (the format has no group profiles)",
                format!("event {name}"),
            );
            continue;
        }
        let mut entry = Mapping::new();
        if let Some(description) = said(event, "description") {
            set(&mut entry, "description", description);
        }
        if kind != "track" {
            set(
                &mut entry,
                "tags",
                Value::Sequence(vec![format!("rudderstack:{kind}").into()]),
            );
        }
        let category = text(event, "category").map(|c| {
            let id = ref_id(c);
            catalog
                .categories
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        });
        plan.add_event(
            category.as_deref(),
            &name,
            entry,
            report,
            &format!("event {name}"),
        );
    }
    let mut plan_names = Vec::new();
    for (path, spec) in &catalog.plans {
        if let Some(name) = said(spec, "display_name") {
            plan_names.push(name);
        }
        if plan.description.is_none() {
            plan.description = said(spec, "description");
        }
        for rule in key(spec, "rules")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let target = key(rule, "event");
            let reference = target
                .and_then(|t| t.as_str().or_else(|| text(t, "$ref")))
                .unwrap_or_default();
            let id = ref_id(reference);
            let name = event_names
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string());
            let at = format!("{path} › rule {}", text(rule, "id").unwrap_or(&name));
            let kind = catalog
                .events
                .iter()
                .find(|e| text(e, "id") == Some(id))
                .and_then(|e| text(e, "event_type"))
                .unwrap_or("track");
            let items = key(rule, "properties")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default();
            if kind == "identify" {
                for item in &items {
                    let pid = ref_id(reference_of(item).unwrap_or_default()).to_string();
                    let pname = name_of(&pid);
                    let definition = local.get(&pid).or_else(|| {
                        plan.properties
                            .get(pname.as_str())
                            .and_then(Value::as_mapping)
                    });
                    if let Some(definition) = definition.cloned() {
                        plan.add_property(true, &pname, definition, report, &at);
                    }
                }
                continue;
            }
            if kind == "group" {
                for item in &items {
                    let pid = ref_id(reference_of(item).unwrap_or_default()).to_string();
                    report.loss(
                        "group trait (the format has no group profiles)",
                        format!("{at} › {}", name_of(&pid)),
                    );
                }
                continue;
            }
            if !plan.has_event(&name) {
                plan.add_event(None, &name, Mapping::new(), report, &at);
            }
            let properties = entries(&items, &plan.properties, &local, &name_of, report, &at, 0);
            let closed = match target {
                Some(t @ Value::Mapping(_)) => {
                    key(t, "allow_unplanned").and_then(Value::as_bool) == Some(false)
                }
                _ => key(rule, "additional_properties").and_then(Value::as_bool) == Some(false),
            };
            if let Some(identity) = text(rule, "identity_section").filter(|s| *s != "properties") {
                report.loss(format!("`identity_section: {identity}`"), at.clone());
            }
            let variants = key(rule, "variants")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default();
            let Some(event) = plan.event_mut(&name) else {
                continue;
            };
            let mut properties = properties;
            let mut notes = Vec::new();
            for variant in &variants {
                notes.push(variant_notes(variant, &name_of));
                report.kept(
                    "variant (its cases are in the event's notes; their properties are optional in the event)",
                    at.clone(),
                );
                let mut case_items: Vec<Value> = Vec::new();
                for case in key(variant, "cases")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten()
                {
                    case_items.extend(
                        key(case, "properties")
                            .and_then(Value::as_sequence)
                            .cloned()
                            .unwrap_or_default(),
                    );
                }
                case_items.extend(
                    key(variant, "default")
                        .and_then(Value::as_sequence)
                        .cloned()
                        .unwrap_or_default(),
                );
                for item in case_items {
                    let pid = ref_id(reference_of(&item).unwrap_or_default()).to_string();
                    let pname = name_of(&pid);
                    if !properties.contains_key(pname.as_str()) {
                        properties.insert(pname.into(), property_use(&local, &pid, false));
                    }
                }
            }
            if !properties.is_empty() {
                set(event, "properties", Value::Mapping(properties));
            }
            if closed {
                set(event, "additional_properties", false);
            }
            if !notes.is_empty() {
                set(event, "notes", notes.join("\n"));
            }
        }
    }
    if plan_names.len() == 1 {
        plan.name = plan_names.pop();
    }
    Some(plan)
}

/// The members of the object custom type a property has, as nested dictionary references.
fn member_references(spec: &Value, catalog: &Catalog) -> Option<Mapping> {
    let custom = match key(spec, "type") {
        Some(Value::String(t)) if t.starts_with('#') => catalog.custom_types.get(ref_id(t))?,
        _ => return None,
    };
    let members = key(custom, "properties")?.as_sequence()?;
    let mut out = Mapping::new();
    for member in members {
        let id = ref_id(reference_of(member)?);
        let name = catalog
            .properties
            .get(id)
            .and_then(|p| said(p, "name"))
            .unwrap_or_else(|| id.to_string());
        let required = key(member, "required").and_then(Value::as_bool) == Some(true);
        out.insert(
            name.into(),
            if required { "required" } else { "optional" }.into(),
        );
    }
    Some(out)
}

/// The definitions of the catalogue properties whose name the dictionary holds with another
/// definition, by id: an event that uses one defines it itself.
type LocalDefinitions = HashMap<String, Mapping>;

/// A rule's use of a property: `required`/`optional` from the dictionary, or, for a property
/// whose name the dictionary holds with another definition, that definition in the event.
fn property_use(local: &LocalDefinitions, id: &str, required: bool) -> Value {
    match local.get(id) {
        Some(definition) => inline(definition, required),
        None => Value::String(if required { "required" } else { "optional" }.into()),
    }
}

/// A definition written in an event: `type`, `required`, then the rest.
fn inline(definition: &Mapping, required: bool) -> Value {
    let mut entry = Mapping::new();
    if let Some(ty) = definition.get("type") {
        entry.insert("type".into(), ty.clone());
    }
    if required {
        set(&mut entry, "required", true);
    }
    for (k, v) in definition {
        if k.as_str() != Some("type") {
            entry.insert(k.clone(), v.clone());
        }
    }
    Value::Mapping(entry)
}

/// Whether a `type` (a word or a list of words) allows an object.
fn allows_objects(ty: &Value) -> bool {
    let object = |word: &Value| matches!(word.as_str(), Some("object" | "any"));
    match ty {
        Value::Sequence(words) => words.iter().any(object),
        word => object(word),
    }
}

fn collect(spec: &Value, list: &str, into: &mut HashMap<String, Value>) {
    for item in key(spec, list)
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        if let Some(id) = text(item, "id") {
            into.insert(id.to_string(), item.clone());
        }
    }
}

/// A rule's property list as an event's (or object's) `properties`: dictionary references, or,
/// with nested properties, an object defined here from the dictionary's definition.
fn entries(
    items: &[Value],
    dictionary: &Mapping,
    local: &LocalDefinitions,
    name_of: &dyn Fn(&str) -> String,
    report: &mut Report,
    at: &str,
    depth: usize,
) -> Mapping {
    let mut out = Mapping::new();
    for item in items {
        let Some(reference) = reference_of(item) else {
            report.loss(
                "rule property without a `property` reference",
                at.to_string(),
            );
            continue;
        };
        let id = ref_id(reference);
        let name = name_of(id);
        let required = key(item, "required").and_then(Value::as_bool) == Some(true);
        let nested = key(item, "properties").and_then(Value::as_sequence);
        let value = match nested {
            Some(nested) if depth < 16 => {
                let mut definition = local
                    .get(id)
                    .or_else(|| dictionary.get(name.as_str()).and_then(Value::as_mapping))
                    .cloned()
                    .unwrap_or_default();
                // Nested properties make it an object; a type that allows objects already (a
                // string or an object, say) stays.
                if !definition.get("type").is_some_and(allows_objects) {
                    set(&mut definition, "type", "object");
                    definition.remove("items");
                }
                let inner = entries(
                    nested,
                    dictionary,
                    local,
                    name_of,
                    report,
                    &format!("{at} › {name}"),
                    depth + 1,
                );
                if !inner.is_empty() {
                    set(&mut definition, "properties", Value::Mapping(inner));
                }
                inline(&definition, required)
            }
            _ => property_use(local, id, required),
        };
        out.insert(Value::String(name), value);
    }
    out
}

/// A RudderStack property (or custom type) as a JSON Schema, custom types resolved.
fn json_schema(
    spec: &Value,
    catalog: &Catalog,
    report: &mut Report,
    at: &str,
    depth: usize,
) -> Value {
    let mut schema = Mapping::new();
    let declared: Vec<String> = match key(spec, "types").or_else(|| key(spec, "type")) {
        Some(Value::Sequence(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(t)) => t
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    let mut types = Vec::new();
    for t in declared {
        if t.starts_with('#') {
            let custom = catalog.custom_types.get(ref_id(&t));
            match custom {
                Some(custom) if depth < 8 => {
                    let base = json_schema(custom, catalog, report, at, depth + 1);
                    for (k, v) in base.as_mapping().cloned().unwrap_or_default() {
                        if k.as_str() == Some("type") {
                            match v {
                                Value::Sequence(ts) => types.extend(ts),
                                other => types.push(other),
                            }
                        } else if k.as_str() != Some("description")
                            || said(spec, "description").is_none()
                        {
                            schema.insert(k, v);
                        }
                    }
                }
                _ => report.loss(
                    format!("custom type `{t}` that the project does not define"),
                    at.to_string(),
                ),
            }
        } else {
            types.push(Value::String(t));
        }
    }
    // Every type is how RudderStack says "any" (and how `trackplan export` writes `type: any`).
    const EVERY_TYPE: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];
    if EVERY_TYPE
        .iter()
        .all(|t| types.iter().any(|v| v.as_str() == Some(t)))
    {
        types.retain(|v| v.as_str() == Some("null"));
        types.push(Value::String("any".into()));
    }
    if !types.is_empty() {
        schema.insert("type".into(), Value::Sequence(types));
    }
    if let Some(description) = said(spec, "description") {
        set(&mut schema, "description", description);
    }
    let config = key(spec, "config").or_else(|| key(spec, "propConfig"));
    for (k, v) in config.and_then(Value::as_mapping).into_iter().flatten() {
        let name = k.as_str().unwrap_or_default();
        let json_name = match name {
            "min_length" => "minLength",
            "max_length" => "maxLength",
            "multiple_of" => "multipleOf",
            "min_items" => "minItems",
            "max_items" => "maxItems",
            "unique_items" => "uniqueItems",
            "exclusive_minimum" => "exclusiveMinimum",
            "exclusive_maximum" => "exclusiveMaximum",
            "item_types" | "itemTypes" | "item_type" | "itemType" => {
                schema.insert("items".into(), item_schema(v, catalog, report, at, depth));
                continue;
            }
            other => other,
        };
        schema.insert(json_name.into(), v.clone());
    }
    if let Some(items) = key(spec, "item_types").or_else(|| key(spec, "item_type")) {
        schema.insert(
            "items".into(),
            item_schema(items, catalog, report, at, depth),
        );
    }
    // A custom object type lists its properties by reference: nested dictionary references.
    if let Some(members) = key(spec, "properties").and_then(Value::as_sequence) {
        let mut properties = Mapping::new();
        let mut required = Vec::new();
        for member in members {
            let id = ref_id(reference_of(member).unwrap_or_default()).to_string();
            let member_spec = catalog.properties.get(&id).cloned().unwrap_or(Value::Null);
            let name = said(&member_spec, "name").unwrap_or_else(|| id.clone());
            let definition = if depth < 8 {
                json_schema(
                    &member_spec,
                    catalog,
                    report,
                    &format!("{at} › {name}"),
                    depth + 1,
                )
            } else {
                Value::Mapping(Mapping::new())
            };
            if key(member, "required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.clone()));
            }
            properties.insert(Value::String(name), definition);
        }
        schema.insert("properties".into(), Value::Mapping(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Sequence(required));
        }
    }
    if let Some(variants) = key(spec, "variants").and_then(Value::as_sequence) {
        let name_of = |id: &str| {
            catalog
                .properties
                .get(id)
                .and_then(|p| said(p, "name"))
                .unwrap_or_else(|| id.to_string())
        };
        let notes: Vec<String> = variants
            .iter()
            .map(|v| variant_notes(v, &name_of))
            .collect();
        set(&mut schema, "$comment", notes.join("\n"));
        report.kept(
            "variant of a custom type (its cases are in the property's notes)",
            at.to_string(),
        );
    }
    Value::Mapping(schema)
}

fn item_schema(
    items: &Value,
    catalog: &Catalog,
    report: &mut Report,
    at: &str,
    depth: usize,
) -> Value {
    let mut spec = Mapping::new();
    spec.insert(
        "types".into(),
        match items {
            Value::String(s) => Value::Sequence(vec![Value::String(s.clone())]),
            other => other.clone(),
        },
    );
    json_schema(
        &Value::Mapping(spec),
        catalog,
        report,
        &format!("{at} › items"),
        depth + 1,
    )
}

/// A variant written out for the event's notes.
fn variant_notes(variant: &Value, name_of: &dyn Fn(&str) -> String) -> String {
    let discriminator = name_of(ref_id(text(variant, "discriminator").unwrap_or_default()));
    let mut lines = vec![format!("Variants on `{discriminator}`:")];
    let list = |items: Option<&Value>| -> String {
        items
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .map(|item| {
                let name = name_of(ref_id(reference_of(item).unwrap_or_default()));
                let required = key(item, "required").and_then(Value::as_bool) == Some(true);
                format!(
                    "{name} ({})",
                    if required { "required" } else { "optional" }
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for case in key(variant, "cases")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let matches: Vec<String> = key(case, "match")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .map(crate::schema::compact)
            .collect();
        let mut line = format!(
            "- {} (when {discriminator} is {}): {}",
            text(case, "display_name").unwrap_or("case"),
            matches.join(" or "),
            list(key(case, "properties"))
        );
        if let Some(description) = said(case, "description") {
            line.push_str(&format!(". {description}"));
        }
        lines.push(line);
    }
    if let Some(default) = key(variant, "default") {
        lines.push(format!("- otherwise: {}", list(Some(default))));
    }
    lines.join("\n")
}
