//! The published JSON Schemas (`schemas/*.json`), made from the schema table.

use super::*;
use serde_json::{json, Map, Value};

/// The JSON Schema (draft 2020-12) of a root file (`root = true`) or of another plan file.
///
/// It checks shapes and allowed words only; references across files, conventions and every other rule
/// need the language server or `trackplan check`.
pub fn json_schema(root: bool) -> Value {
    let place = if root { Place::Root } else { Place::PartFile };
    let mut defs = Map::new();
    // Every place below the top of a file is a definition the top refers to.
    for &place in Place::ALL {
        if !matches!(place, Place::Root | Place::PartFile) {
            defs.insert(place.schema_name().into(), object_schema(place));
        }
    }
    defs.insert(
        "value".into(),
        json!({"description": "A value of the property's type.", "type": ["string", "number", "integer", "boolean", "array", "object"]}),
    );
    let mut schema = object_schema(place);
    let object = schema.as_object_mut().expect("object schema");
    let mut head = Map::new();
    head.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    head.insert(
        "$id".into(),
        json!(if root {
            "https://trackplan.dev/schemas/v1/trackplan.schema.json"
        } else {
            "https://trackplan.dev/schemas/v1/plan-file.schema.json"
        }),
    );
    head.insert(
        "title".into(),
        json!(if root {
            "trackplan root file (trackplan.yaml), format 1"
        } else {
            "trackplan plan file (any other *.yaml of a plan folder), format 1"
        }),
    );
    head.extend(std::mem::take(object));
    head.insert("$defs".into(), Value::Object(defs));
    Value::Object(head)
}

fn object_schema(place: Place) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for key in keys(place) {
        let mut schema = shape_schema(key.shape);
        schema
            .as_object_mut()
            .expect("shape schema is an object")
            .insert("description".into(), json!(key.doc));
        properties.insert(key.key.into(), schema);
        if key.required {
            required.push(key.key);
        }
    }
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    // Keys that say the same thing another way: not both.
    let exclusive: Vec<Value> = keys(place)
        .iter()
        .flat_map(|k| k.excludes.iter().map(move |other| (k.key, *other)))
        .filter(|(key, other)| key < other)
        .map(|(key, other)| json!({"not": {"required": [key, other]}}))
        .collect();
    if !exclusive.is_empty() {
        schema["allOf"] = Value::Array(exclusive);
    }
    schema
}

fn reference(place: Place) -> Value {
    json!({"$ref": format!("#/$defs/{}", place.schema_name())})
}

fn shape_schema(shape: Shape) -> Value {
    let name = json!({"type": "string", "minLength": 1});
    match shape {
        Shape::Text => json!({"type": "string"}),
        Shape::Integer(min) => json!({"type": "integer", "minimum": min}),
        Shape::Number => json!({"type": "number"}),
        Shape::PositiveNumber => json!({"type": "number", "exclusiveMinimum": 0}),
        Shape::Boolean => json!({"type": "boolean"}),
        Shape::Word(words) => json!({"enum": words}),
        Shape::WordList(words) => json!({"type": "array", "items": {"enum": words}}),
        Shape::TextList => json!({"type": "array", "items": {"type": "string"}}),
        Shape::Reference(_) => name,
        Shape::ReferenceList(_) => json!({"type": "array", "items": name}),
        // An event may be written with nothing under it yet (`Signed Up:`); the checker then asks for
        // its description and owner, as the schema cannot.
        Shape::Collection(Place::Event) => json!({
            "type": ["object", "null"],
            "additionalProperties": {"anyOf": [reference(Place::Event), {"type": "null"}]},
        }),
        Shape::Collection(place) => json!({
            "type": ["object", "null"],
            "additionalProperties": reference(place),
        }),
        Shape::Object(place) => reference(place),
        Shape::Lint => json!({
            "type": "object",
            "additionalProperties": {"enum": ["error", "warning", "info", "off", false]},
        }),
        Shape::Alternatives => json!({
            "type": "object",
            "additionalProperties": {"type": "array", "items": name},
        }),
        Shape::PropertyEntries => json!({
            "type": ["object", "null"],
            "additionalProperties": {
                "anyOf": [
                    {"enum": Requiredness::WORDS},
                    {"allOf": [{"required": ["type"]}, reference(Place::InlineProperty)]},
                    {"allOf": [{"not": {"required": ["type"]}}, reference(Place::PropertyReference)]},
                ]
            },
        }),
        Shape::Items => {
            json!({"anyOf": [{"enum": PropertyType::WORDS}, reference(Place::Property)]})
        }
        Shape::Values => json!({"type": "array", "items": {"$ref": "#/$defs/value"}}),
        Shape::Types => json!({"anyOf": [
            {"enum": PropertyType::WORDS},
            {"type": "array", "items": {"enum": PropertyType::WORDS}, "minItems": 1, "uniqueItems": true},
        ]}),
        Shape::Links => json!({
            "type": "object",
            "additionalProperties": {"type": "string", "format": "uri"},
        }),
        // YAML reads `2024-05-01` as a string; JSON Schema's `date` format says which strings.
        Shape::Date => json!({"type": "string", "format": "date"}),
        Shape::Version => json!({"const": 1}),
    }
}
