//! `json-schema`: one JSON Schema (draft 2020-12) whose `$defs` hold a schema per event, keyed by
//! the event's exact name, and one for the user properties (`$user`). The root constrains nothing;
//! a validator checks an event's properties against `{"$ref": "#/$defs/<name>"}`.

use crate::left_out::LeftOut;
use crate::view::{Prop, View};
use serde_json::{json, Map, Value as Json};
use trackplan_core::model::{Items, PropertyDef, PropertyType, TypeSet};

pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
/// The `$defs` key of the user properties' schema.
pub const USER_KEY: &str = "$user";

pub fn write(view: &View) -> (Vec<u8>, Vec<LeftOut>) {
    let mut left_out = Vec::new();
    let mut defs = Map::new();
    let (automatic_names, automatic_prefixes) = view.automatic_properties();
    for event in &view.events {
        if event.name.text == USER_KEY {
            left_out.push(LeftOut::new(
                1,
                "events named `$user` (the key of user properties)",
            ));
            continue;
        }
        let props = view.event_properties_with_super(event);
        let mut schema = object_schema(view, &props, view.event_is_closed(event));
        let object = schema.as_object_mut().expect("an object schema");
        object.insert("title".into(), event.name.text.clone().into());
        if let Some(description) = &event.common.description {
            object.insert("description".into(), description.value.clone().into());
        }
        if event.is_deprecated() {
            object.insert("deprecated".into(), true.into());
        }
        let properties = object
            .entry("properties")
            .or_insert_with(|| Json::Object(Map::new()))
            .as_object_mut()
            .expect("properties is an object");
        for name in &automatic_names {
            properties
                .entry(name.to_string())
                .or_insert_with(|| json!({"description": "Sent by the destination itself."}));
        }
        if view.event_is_closed(event) && !automatic_prefixes.is_empty() {
            let patterns: Map<String, Json> = automatic_prefixes
                .iter()
                .map(|p| (format!("^{}", regex_escape(p)), json!({})))
                .collect();
            object.insert("patternProperties".into(), patterns.into());
        }
        defs.insert(event.name.text.clone(), schema);
    }
    if !view.user_properties.is_empty() {
        let props: Vec<Prop> = view.user_properties.iter().map(|d| Prop::of(d)).collect();
        let mut schema = object_schema(view, &props, false);
        let object = schema.as_object_mut().expect("an object schema");
        object.insert("title".into(), "User properties".into());
        defs.insert(USER_KEY.into(), schema);
    }
    let mut root = Map::new();
    root.insert("$schema".into(), DRAFT.into());
    root.insert("title".into(), view.title().into());
    if let Some(description) = &view.description {
        root.insert("description".into(), description.clone().into());
    }
    root.insert("$defs".into(), defs.into());
    (pretty(&Json::Object(root)), left_out)
}

/// Pretty JSON with a final newline; keys come sorted (serde_json's map is ordered by key).
pub fn pretty(value: &Json) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}

/// The schema of an object whose properties are `props` (an event, an object property).
pub fn object_schema(view: &View, props: &[Prop], closed: bool) -> Json {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for prop in props {
        properties.insert(prop.name.to_string(), property_schema(view, prop));
        if prop.required {
            required.push(Json::from(prop.name));
        }
    }
    let mut object = Map::new();
    object.insert("type".into(), "object".into());
    object.insert("properties".into(), properties.into());
    if !required.is_empty() {
        required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        object.insert("required".into(), required.into());
    }
    if closed {
        object.insert("additionalProperties".into(), false.into());
    }
    Json::Object(object)
}

/// The schema of one property as this event or object uses it.
fn property_schema(view: &View, prop: &Prop) -> Json {
    let mut schema = definition_schema(view, prop.def, prop.enum_values());
    let object = schema
        .as_object_mut()
        .expect("a property schema is an object");
    match prop.description() {
        Some(description) => {
            object.insert("description".into(), description.into());
        }
        None => {
            object.remove("description");
        }
    }
    let examples: Vec<Json> = prop.examples().iter().map(|v| v.to_json()).collect();
    if examples.is_empty() {
        object.remove("examples");
    } else {
        object.insert("examples".into(), examples.into());
    }
    schema
}

/// The schema of a definition: types, nullability and every constraint format 1.1 can state.
fn definition_schema(
    view: &View,
    def: &PropertyDef,
    enum_values: Option<Vec<&trackplan_core::model::Value>>,
) -> Json {
    let types = def.ty.as_ref().map(|t| t.value).unwrap_or_default();
    let nullable = def.is_nullable();
    let mut schema = Map::new();
    if let Some(description) = &def.common.description {
        schema.insert("description".into(), description.value.clone().into());
    }
    type_keywords(types, nullable, &mut schema);
    if let Some(values) = enum_values {
        let mut values: Vec<Json> = values.iter().map(|v| v.to_json()).collect();
        if nullable && !values.contains(&Json::Null) {
            values.push(Json::Null);
        }
        schema.insert("enum".into(), values.into());
    }
    if !def.examples.is_empty() {
        let examples: Vec<Json> = def.examples.iter().map(|e| e.value.to_json()).collect();
        schema.insert("examples".into(), examples.into());
    }
    if let Some(pattern) = &def.pattern {
        schema.insert("pattern".into(), pattern.value.clone().into());
    }
    let integers = [
        ("minLength", &def.min_length),
        ("maxLength", &def.max_length),
        ("minItems", &def.min_items),
        ("maxItems", &def.max_items),
    ];
    for (key, value) in integers {
        if let Some(value) = value {
            schema.insert(key.into(), value.value.into());
        }
    }
    let numbers = [
        ("minimum", &def.min),
        ("maximum", &def.max),
        ("multipleOf", &def.multiple_of),
    ];
    for (key, value) in numbers {
        if let Some(value) = value {
            schema.insert(key.into(), number(value.value));
        }
    }
    if let Some(format) = &def.format {
        schema.insert("format".into(), format.value.as_str().into());
    }
    if def.unique_items.as_ref().is_some_and(|u| u.value) {
        schema.insert("uniqueItems".into(), true.into());
    }
    if def.is_deprecated() {
        schema.insert("deprecated".into(), true.into());
    }
    match &def.items {
        Some(Items::Type(ty)) => {
            let mut items = Map::new();
            type_keywords(TypeSet::of(ty.value), false, &mut items);
            schema.insert("items".into(), items.into());
        }
        Some(Items::Definition(items)) => {
            let props = view.resolve_all(&items.properties);
            let mut item_schema = definition_schema(view, items, None);
            merge_object(view, items, &props, &mut item_schema);
            schema.insert("items".into(), item_schema);
        }
        None => {}
    }
    let mut schema = Json::Object(schema);
    if types.allows(PropertyType::Object) && !types.is_any() {
        let props = view.resolve_all(&def.properties);
        merge_object(view, def, &props, &mut schema);
    }
    schema
}

/// Adds an object definition's nested properties, required list and closure.
fn merge_object(view: &View, def: &PropertyDef, props: &[Prop], schema: &mut Json) {
    if props.is_empty() && !view.object_is_closed(def) {
        return;
    }
    let nested = object_schema(view, props, view.object_is_closed(def));
    let target = schema.as_object_mut().expect("a schema object");
    for (key, value) in nested.as_object().expect("an object schema") {
        if key != "type" {
            target.insert(key.clone(), value.clone());
        }
    }
}

/// `type` (and `format` for a datetime) for a set of type words.
fn type_keywords(types: TypeSet, nullable: bool, schema: &mut Map<String, Json>) {
    if types.is_any() || types.is_empty() {
        if !nullable {
            // `any` is any value but null (format 1.1, section 10.1).
            schema.insert("not".into(), json!({"type": "null"}));
        }
        return;
    }
    let mut words: Vec<&str> = Vec::new();
    for ty in types.words() {
        let word = json_type(ty);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    if types.has(PropertyType::Datetime) && !types.has(PropertyType::String) {
        schema.insert("format".into(), "date-time".into());
    }
    if nullable {
        words.push("null");
    }
    words.sort_unstable();
    let ty: Json = match words.as_slice() {
        [one] => (*one).into(),
        _ => words.into_iter().map(Json::from).collect(),
    };
    schema.insert("type".into(), ty);
}

pub fn json_type(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::String | PropertyType::Datetime => "string",
        PropertyType::Number => "number",
        PropertyType::Integer => "integer",
        PropertyType::Boolean => "boolean",
        PropertyType::List => "array",
        PropertyType::Object | PropertyType::Any => "object",
    }
}

/// The largest integer a double holds exactly (JavaScript's `Number.MAX_SAFE_INTEGER`), a bound
/// real schemas use; every whole number up to it is written as an integer.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A number as JSON: whole numbers without a fraction (`0`, not `0.0`).
pub fn number(value: f64) -> Json {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
        Json::from(value as i64)
    } else {
        serde_json::Number::from_f64(value)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Removes keywords from a schema and every schema inside it (not from the names of properties,
/// which are data: a property may be called `examples`).
pub fn strip_keywords(schema: &mut Json, keywords: &[&str]) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    for keyword in keywords {
        object.remove(*keyword);
    }
    for (key, value) in object.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" => {
                if let Some(children) = value.as_object_mut() {
                    for child in children.values_mut() {
                        strip_keywords(child, keywords);
                    }
                }
            }
            "items" | "not" => strip_keywords(value, keywords),
            _ => {}
        }
    }
}
