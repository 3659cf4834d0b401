//! `segment`: a Segment Protocols tracking plan in the Public API's shape: a TRACK rule per event
//! whose JSON Schema (draft-07) nests the event's properties under `properties.properties`, beside
//! `context` and `traits`, and an IDENTIFY rule whose `traits` are the user properties. Tags become
//! labels (`area:checkout` is the label `area: checkout`).

use crate::json_schema::{object_schema, pretty};
use crate::left_out::LeftOut;
use crate::view::{Prop, View};
use serde_json::{json, Map, Value as Json};

const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

pub fn write(view: &View) -> (Vec<u8>, Vec<LeftOut>) {
    let mut rules = Vec::new();
    for event in &view.events {
        let props = view.event_properties_with_super(event);
        let properties = object_schema(view, &props, view.event_is_closed(event));
        let mut schema = Map::new();
        schema.insert("$schema".into(), DRAFT_07.into());
        schema.insert("type".into(), "object".into());
        if let Some(description) = &event.common.description {
            schema.insert("description".into(), description.value.clone().into());
        }
        let requires = properties.get("required").is_some();
        schema.insert(
            "properties".into(),
            json!({"context": {}, "traits": {"type": "object"}, "properties": properties}),
        );
        if requires {
            schema.insert("required".into(), json!(["properties"]));
        }
        let mut rule = Map::new();
        rule.insert("key".into(), event.name.text.clone().into());
        rule.insert("type".into(), "TRACK".into());
        rule.insert("version".into(), 1.into());
        rule.insert("jsonSchema".into(), schema.into());
        let labels = labels(event.common.tags.iter().map(|t| t.value.as_str()));
        if !labels.is_empty() {
            rule.insert("labels".into(), labels.into());
        }
        rules.push(Json::Object(rule));
    }
    if !view.user_properties.is_empty() {
        let props: Vec<Prop> = view.user_properties.iter().map(|d| Prop::of(d)).collect();
        let traits = object_schema(view, &props, false);
        rules.push(json!({
            "type": "IDENTIFY",
            "version": 1,
            "jsonSchema": {
                "$schema": DRAFT_07,
                "type": "object",
                "properties": {"context": {}, "traits": traits, "properties": {}},
            },
        }));
    }
    let mut plan = Map::new();
    plan.insert("name".into(), view.title().into());
    if let Some(description) = &view.description {
        plan.insert("description".into(), description.clone().into());
    }
    plan.insert("type".into(), "LIVE".into());
    plan.insert("rules".into(), rules.into());
    (pretty(&Json::Object(plan)), Vec::new())
}

/// Segment's labels from tags: `key:value` is that label; a tag without `:` is a label with an
/// empty value.
fn labels<'a>(tags: impl Iterator<Item = &'a str>) -> Map<String, Json> {
    tags.map(|tag| match tag.split_once(':') {
        Some((key, value)) => (key.trim().to_string(), Json::from(value.trim())),
        None => (tag.to_string(), Json::from("")),
    })
    .collect()
}
