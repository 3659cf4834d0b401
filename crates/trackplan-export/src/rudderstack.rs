//! `rudderstack`: a `rudder-cli` data-catalog project in the v1 spec: `properties.yaml` (one
//! property per name and definition), `events.yaml` and `tracking-plan.yaml` (an event rule per
//! event, with its properties, the super properties and nested ones, and whether it is closed).

use crate::left_out::LeftOut;
use crate::text::unique;
use crate::view::{Prop, View};
use crate::File;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeSet;
use trackplan_core::model::{Items, PropertyDef, PropertyType, TypeSet};

const VERSION: &str = "rudder/v1";

struct Catalog {
    /// Catalog properties: id and entry, in the order first used.
    properties: Vec<(String, Json)>,
    taken: BTreeSet<String>,
    left_out: Vec<LeftOut>,
}

pub fn write(view: &View) -> (Vec<File>, Vec<LeftOut>) {
    let mut catalog = Catalog {
        properties: Vec::new(),
        taken: BTreeSet::new(),
        left_out: Vec::new(),
    };
    let mut event_ids = BTreeSet::new();
    let mut events = Vec::new();
    let mut rules = Vec::new();
    for event in &view.events {
        let id = unique(slug(&event.name.text), &mut event_ids);
        let mut entry = Map::new();
        entry.insert("id".into(), id.clone().into());
        entry.insert("name".into(), event.name.text.clone().into());
        entry.insert("event_type".into(), "track".into());
        if let Some(description) = &event.common.description {
            entry.insert("description".into(), description.value.clone().into());
        }
        events.push(Json::Object(entry));
        let props = view.event_properties_with_super(event);
        let properties = rule_properties(view, &props, &mut catalog);
        let mut rule = Map::new();
        rule.insert("type".into(), "event_rule".into());
        rule.insert("id".into(), format!("{id}_rule").into());
        rule.insert("event".into(), format!("#event:{id}").into());
        rule.insert(
            "additional_properties".into(),
            (!view.event_is_closed(event)).into(),
        );
        if !properties.is_empty() {
            rule.insert("properties".into(), properties.into());
        }
        rules.push(Json::Object(rule));
    }
    if !view.user_properties.is_empty() {
        catalog
            .left_out
            .push(LeftOut::new(view.user_properties.len(), "user properties"));
    }
    let plan_id = {
        let id = slug(&view.name);
        if id.is_empty() {
            "tracking_plan".to_string()
        } else {
            id
        }
    };
    let mut spec = Map::new();
    spec.insert("id".into(), plan_id.clone().into());
    spec.insert("display_name".into(), view.title().into());
    if let Some(description) = &view.description {
        spec.insert("description".into(), description.clone().into());
    }
    spec.insert("rules".into(), rules.into());
    let properties: Vec<Json> = catalog.properties.into_iter().map(|(_, p)| p).collect();
    let files = vec![
        File {
            path: "properties.yaml".into(),
            bytes: document(
                "properties",
                "properties",
                json!({ "properties": properties }),
            ),
        },
        File {
            path: "events.yaml".into(),
            bytes: document("events", "events", json!({ "events": events })),
        },
        File {
            path: "tracking-plan.yaml".into(),
            bytes: document("tracking-plan", &plan_id, Json::Object(spec)),
        },
    ];
    (files, catalog.left_out)
}

/// A rule's `properties:` list, registering each property in the catalog.
fn rule_properties(view: &View, props: &[Prop], catalog: &mut Catalog) -> Vec<Json> {
    let mut out = Vec::new();
    for prop in props {
        if prop
            .overrides
            .is_some_and(|o| o.enum_values.is_some() || o.description.is_some())
        {
            catalog.left_out.push(LeftOut::new(
                1,
                "descriptions and enums narrowed for one event",
            ));
        }
        let id = catalog.register(prop.name, prop.def);
        let mut entry = Map::new();
        entry.insert("property".into(), format!("#property:{id}").into());
        entry.insert("required".into(), prop.required.into());
        let nested = view.resolve_all(&prop.def.properties);
        if !nested.is_empty() {
            entry.insert(
                "properties".into(),
                rule_properties(view, &nested, catalog).into(),
            );
        }
        if matches!(&prop.def.items, Some(Items::Definition(items)) if !items.properties.is_empty())
        {
            catalog
                .left_out
                .push(LeftOut::new(1, "properties of list items"));
        }
        out.push(Json::Object(entry));
    }
    out
}

impl Catalog {
    /// The id of the catalog property for this name and definition, added when new.
    fn register(&mut self, name: &str, def: &PropertyDef) -> String {
        let mut entry = property_entry(name, def);
        if let Some((id, _)) = self.properties.iter().find(|(_, p)| {
            let mut p = p.clone();
            p.as_object_mut().map(|o| o.remove("id"));
            p == entry
        }) {
            return id.clone();
        }
        let id = unique(slug(name), &mut self.taken);
        entry
            .as_object_mut()
            .expect("an entry")
            .insert("id".into(), id.clone().into());
        self.properties.push((id.clone(), entry));
        id
    }
}

/// A catalog property: name, description, type(s), item type(s) and config.
fn property_entry(name: &str, def: &PropertyDef) -> Json {
    let mut entry = Map::new();
    entry.insert("name".into(), name.into());
    if let Some(description) = &def.common.description {
        entry.insert("description".into(), description.value.clone().into());
    }
    let types = def.ty.as_ref().map(|t| t.value).unwrap_or_default();
    let mut words = rudder_types(types);
    if def.is_nullable() {
        words.push("null");
    }
    match &words[..] {
        [one] => {
            entry.insert("type".into(), (*one).into());
        }
        _ => {
            entry.insert("types".into(), words.clone().into());
        }
    }
    // The item type is written the same way whether the plan gives it alone or as a definition
    // (whose other fields RudderStack has no place for), so that a re-export is the same bytes.
    let item_types = match &def.items {
        Some(Items::Type(ty)) => Some(rudder_types(TypeSet::of(ty.value))),
        Some(Items::Definition(items)) => Some(rudder_types(
            items.ty.as_ref().map(|t| t.value).unwrap_or_default(),
        )),
        None => None,
    };
    match item_types.as_deref() {
        Some([one]) => {
            entry.insert("item_type".into(), (*one).into());
        }
        Some(items) => {
            entry.insert("item_types".into(), items.to_vec().into());
        }
        None => {}
    }
    let mut config = Map::new();
    if let Some(values) = &def.enum_values {
        let values: Vec<Json> = values.iter().map(|v| v.value.to_json()).collect();
        config.insert("enum".into(), values.into());
    }
    if let Some(format) = &def.format {
        config.insert("format".into(), format.value.as_str().into());
    } else if types.single() == Some(PropertyType::Datetime) {
        config.insert("format".into(), "date-time".into());
    }
    if let Some(pattern) = &def.pattern {
        config.insert("pattern".into(), pattern.value.clone().into());
    }
    for (key, value) in [
        ("min_length", &def.min_length),
        ("max_length", &def.max_length),
        ("min_items", &def.min_items),
        ("max_items", &def.max_items),
    ] {
        if let Some(value) = value {
            config.insert(key.into(), value.value.into());
        }
    }
    for (key, value) in [
        ("minimum", &def.min),
        ("maximum", &def.max),
        ("multiple_of", &def.multiple_of),
    ] {
        if let Some(value) = value {
            config.insert(key.into(), crate::json_schema::number(value.value));
        }
    }
    if def.unique_items.as_ref().is_some_and(|u| u.value) {
        config.insert("unique_items".into(), true.into());
    }
    if !config.is_empty() {
        entry.insert("config".into(), config.into());
    }
    Json::Object(entry)
}

/// RudderStack's type words for a set of the plan's (`any`: every one of them).
fn rudder_types(types: TypeSet) -> Vec<&'static str> {
    let all = ["array", "boolean", "integer", "number", "object", "string"];
    if types.is_any() || types.is_empty() {
        return all.to_vec();
    }
    let mut words: Vec<&str> = types
        .words()
        .map(|ty| match ty {
            PropertyType::String | PropertyType::Datetime => "string",
            PropertyType::Number => "number",
            PropertyType::Integer => "integer",
            PropertyType::Boolean => "boolean",
            PropertyType::List => "array",
            PropertyType::Object | PropertyType::Any => "object",
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// An id: lower-case letters, digits and `_` (`Order Completed` → `order_completed`).
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() && !name.is_empty() {
        "property".to_string()
    } else {
        out
    }
}

/// `version`, `kind`, `metadata` and `spec`, in that order.
fn document(kind: &str, name: &str, spec: Json) -> Vec<u8> {
    let mut top = serde_yaml::Mapping::new();
    top.insert("version".into(), VERSION.into());
    top.insert("kind".into(), kind.into());
    let mut metadata = serde_yaml::Mapping::new();
    metadata.insert("name".into(), name.into());
    top.insert("metadata".into(), metadata.into());
    top.insert(
        "spec".into(),
        serde_yaml::to_value(&spec).expect("JSON converts to YAML"),
    );
    serde_yaml::to_string(&top)
        .expect("YAML values serialize")
        .into_bytes()
}
