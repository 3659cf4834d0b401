//! JSON Schema (drafts 4 to 2020-12, as Segment, Snowplow, Mixpanel and hand-written schemas use
//! it) to property definitions: the one mapping every JSON-based importer shares.
//!
//! Each keyword has a place in the format or is reported; `$ref`s are followed inside the document
//! with a stack that catches loops, and a budget bounds the work a hostile schema can cause.

use crate::report::Report;
use serde_yaml::{Mapping, Value};

/// Nested definitions deeper than this are kept as `object`/`list` without their insides (each
/// level is two levels of YAML, and plan files are read to 64 levels).
const MAX_DEPTH: usize = 20;
/// Definitions built for one document at most (a `$ref` graph may expand exponentially).
const MAX_DEFINITIONS: usize = 100_000;

const FORMATS: [&str; 9] = [
    "email",
    "uri",
    "uuid",
    "ipv4",
    "ipv6",
    "date",
    "date-time",
    "time",
    "hostname",
];

/// Keywords that carry no meaning for a plan (identifiers, the metaschema) and vendor extensions
/// the importers read themselves.
const IGNORED: [&str; 9] = [
    "metadata",
    "$schema",
    "$id",
    "id",
    "self",
    "key",
    "eventMetadata",
    "labels",
    "$defs",
];

pub(crate) fn key<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    value.as_mapping()?.get(name)
}

pub(crate) fn text<'v>(value: &'v Value, name: &str) -> Option<&'v str> {
    key(value, name)?.as_str()
}

/// A string of a mapping, trimmed, when it says something.
pub(crate) fn said(value: &Value, name: &str) -> Option<String> {
    text(value, name)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub(crate) fn set(mapping: &mut Mapping, name: &str, value: impl Into<Value>) {
    mapping.insert(Value::String(name.to_string()), value.into());
}

/// A JSON Schema type word as a plan type word; `None` for `null`.
fn type_word(word: &str) -> Option<Option<&'static str>> {
    Some(match word {
        "string" => Some("string"),
        "number" => Some("number"),
        "integer" => Some("integer"),
        "boolean" => Some("boolean"),
        "array" => Some("list"),
        "object" => Some("object"),
        "any" => Some("any"),
        "null" => None,
        _ => return None,
    })
}

/// Which fields apply to which types (as the format's keys say).
fn applies(field: &str, words: &[&str]) -> bool {
    let for_types: &[&str] = match field {
        "pattern" | "min_length" | "max_length" | "format" => &["string"],
        "min" | "max" | "multiple_of" => &["number", "integer"],
        "min_items" | "max_items" | "unique_items" | "items" => &["list"],
        "properties" | "additional_properties" => &["object"],
        _ => return true,
    };
    words.iter().any(|w| *w == "any" || for_types.contains(w))
}

pub(crate) struct SchemaMapper<'a> {
    pub report: &'a mut Report,
    /// The document `$ref`s point into.
    root: &'a Value,
    /// The `$ref`s being followed to one schema, to catch `$ref` → `$ref` loops.
    refs: Vec<String>,
    /// The `$ref`s whose definitions are being built, to catch a schema that contains itself.
    open: Vec<String>,
    built: usize,
    budget_reported: bool,
}

/// An object schema's members as an event's or object's `properties`, and whether it is closed.
pub(crate) struct Members {
    pub properties: Mapping,
    pub closed: bool,
}

impl<'a> SchemaMapper<'a> {
    pub fn new(report: &'a mut Report, root: &'a Value) -> SchemaMapper<'a> {
        SchemaMapper {
            report,
            root,
            refs: Vec::new(),
            open: Vec::new(),
            built: 0,
            budget_reported: false,
        }
    }

    /// The members of an object schema (`properties`, `required`, `additionalProperties`), `at`
    /// naming the place for the report (`event Order Completed`).
    pub fn members(&mut self, schema: &Value, at: &str) -> Members {
        let schema = self.flatten(schema, at);
        self.members_of(&schema, at, 0)
    }

    fn members_of(&mut self, schema: &Value, at: &str, depth: usize) -> Members {
        let mut properties = Mapping::new();
        let required: Vec<&str> = key(schema, "required")
            .and_then(Value::as_sequence)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(members) = key(schema, "properties").and_then(Value::as_mapping) {
            for (name, sub) in members {
                let Some(name) = name.as_str() else { continue };
                let place = format!("{at} › {name}");
                if name.trim().is_empty() {
                    self.report
                        .loss("property without a name (a blank key)", place);
                    continue;
                }
                let definition =
                    self.definition_at(sub, required.contains(&name), &place, depth + 1);
                properties.insert(Value::String(name.to_string()), Value::Mapping(definition));
            }
        }
        for name in &required {
            let listed = key(schema, "properties")
                .and_then(Value::as_mapping)
                .is_some_and(|m| m.contains_key(*name));
            if !listed {
                self.report.loss(
                    "`required` name with no definition under `properties`",
                    format!("{at} › {name}"),
                );
            }
        }
        let closed = match key(schema, "additionalProperties") {
            Some(Value::Bool(false)) => true,
            Some(Value::Bool(true)) | None => false,
            Some(_) => {
                self.report.loss(
                    "`additionalProperties` given as a schema (the object is kept open)",
                    at.to_string(),
                );
                false
            }
        };
        Members { properties, closed }
    }

    /// A property definition from a schema.
    pub fn definition(&mut self, schema: &Value, required: bool, at: &str) -> Mapping {
        self.definition_at(schema, required, at, 0)
    }

    fn definition_at(&mut self, schema: &Value, required: bool, at: &str, depth: usize) -> Mapping {
        let Some(reference) = text(schema, "$ref").map(str::to_string) else {
            return self.build(schema, required, at, depth);
        };
        if self.open.contains(&reference) {
            self.report.loss(
                format!("`$ref` loop (`{reference}` contains itself; the inner one kept as `any`)"),
                at.to_string(),
            );
            let mut d = any();
            if required {
                set(&mut d, "required", true);
            }
            return d;
        }
        self.open.push(reference);
        let d = self.build(schema, required, at, depth);
        self.open.pop();
        d
    }

    fn build(&mut self, schema: &Value, required: bool, at: &str, depth: usize) -> Mapping {
        self.built += 1;
        if self.built > MAX_DEFINITIONS {
            if !self.budget_reported {
                self.budget_reported = true;
                self.report.loss(
                    format!("schema that expands to more than {MAX_DEFINITIONS} definitions (the rest kept as `any`)"),
                    at.to_string(),
                );
            }
            return any();
        }
        let schema = self.flatten(schema, at);
        let schema = &schema;
        let (mut words, mut nullable) = self.types_of(schema, at);
        let enum_values = key(schema, "enum")
            .and_then(Value::as_sequence)
            .cloned()
            .or_else(|| key(schema, "const").map(|c| vec![c.clone()]));
        if enum_values
            .as_ref()
            .is_some_and(|v| v.contains(&Value::Null))
        {
            nullable = true;
        }
        if words.is_empty() {
            words = infer_types(schema, enum_values.as_deref());
            // A schema that says nothing of the type accepts null too, unless it says
            // `not: {type: null}` (how an export writes a non-nullable `any`).
            if words == ["any"] && enum_values.is_none() && !forbids_null_only(schema) {
                nullable = true;
            }
        }
        let mut d = Mapping::new();
        set(
            &mut d,
            "type",
            if words.len() == 1 {
                Value::String(words[0].to_string())
            } else {
                Value::Sequence(words.iter().map(|w| Value::String(w.to_string())).collect())
            },
        );
        if required {
            set(&mut d, "required", true);
        }
        if nullable {
            set(&mut d, "nullable", true);
        }
        let mut notes = Vec::new();
        match (said(schema, "description"), said(schema, "title")) {
            (Some(description), title) => {
                set(&mut d, "description", description.clone());
                if let Some(title) = title.filter(|t| *t != description) {
                    notes.push(format!("Title: {title}"));
                }
            }
            (None, Some(title)) => set(&mut d, "description", title),
            (None, None) => {}
        }
        if let Some(values) = enum_values {
            let fitting: Vec<Value> = values
                .into_iter()
                .filter(|v| {
                    let fits = fits(v, &words, nullable);
                    if !fits {
                        self.report
                            .loss("`enum` value that does not fit the type", at.to_string());
                    }
                    fits
                })
                .collect();
            if !fitting.is_empty() {
                set(&mut d, "enum", Value::Sequence(fitting));
            }
        }
        if let Some(examples) = key(schema, "examples").and_then(Value::as_sequence) {
            let fitting: Vec<Value> = examples
                .iter()
                .filter(|v| fits(v, &words, nullable))
                .cloned()
                .collect();
            if fitting.len() < examples.len() {
                self.report
                    .loss("example that does not fit the type", at.to_string());
            }
            if !fitting.is_empty() {
                set(&mut d, "examples", Value::Sequence(fitting));
            }
        }
        self.bounds(schema, &words, &mut d, at);
        if let Some(format) = text(schema, "format") {
            if !FORMATS.contains(&format) {
                self.report
                    .loss(format!("unknown `format` `{format}`"), at.to_string());
            } else if applies("format", &words) {
                set(&mut d, "format", format);
            } else {
                self.report
                    .loss("`format` on a value that is not a string", at.to_string());
            }
        }
        if let Some(default) = key(schema, "default") {
            notes.push(format!("Default: {}", compact(default)));
        }
        if let Some(comment) = said(schema, "$comment") {
            notes.push(comment);
        }
        self.items(schema, &words, &mut d, at, depth);
        if applies("properties", &words) {
            if depth >= MAX_DEPTH {
                if key(schema, "properties").is_some() {
                    self.report.loss(
                        format!("properties nested deeper than {MAX_DEPTH} levels"),
                        at.to_string(),
                    );
                }
            } else {
                let members = self.members_of(schema, at, depth);
                if !members.properties.is_empty() {
                    set(&mut d, "properties", Value::Mapping(members.properties));
                }
                if members.closed {
                    set(&mut d, "additional_properties", false);
                }
            }
        } else if key(schema, "properties").is_some() {
            self.report.loss(
                "`properties` on a value that is not an object",
                at.to_string(),
            );
        }
        self.unknown_keywords(schema, at);
        if !notes.is_empty() {
            set(&mut d, "notes", notes.join("\n"));
        }
        d
    }

    /// Numbers, lengths and list sizes.
    fn bounds(&mut self, schema: &Value, words: &[&str], d: &mut Mapping, at: &str) {
        const FIELDS: [(&str, &str); 9] = [
            ("pattern", "pattern"),
            ("minLength", "min_length"),
            ("maxLength", "max_length"),
            ("minimum", "min"),
            ("maximum", "max"),
            ("multipleOf", "multiple_of"),
            ("minItems", "min_items"),
            ("maxItems", "max_items"),
            ("uniqueItems", "unique_items"),
        ];
        for (source, field) in FIELDS {
            let Some(value) = key(schema, source) else {
                continue;
            };
            if !applies(field, words) {
                self.report.loss(
                    format!("`{source}` on a type it does not apply to"),
                    at.to_string(),
                );
                continue;
            }
            let fits = match field {
                "pattern" => value.is_string(),
                "unique_items" => value.is_bool(),
                "min_length" | "max_length" | "min_items" | "max_items" => value.is_u64(),
                "multiple_of" => value.as_f64().is_some_and(|n| n > 0.0),
                _ => value.is_number(),
            };
            if fits {
                set(d, field, value.clone());
            } else {
                self.report.loss(
                    format!("`{source}` with a value of the wrong kind"),
                    at.to_string(),
                );
            }
        }
        // An exclusive bound is an inclusive one for integers; for numbers the format has none.
        for (source, field, step) in [
            ("exclusiveMinimum", "min", 1i64),
            ("exclusiveMaximum", "max", -1),
        ] {
            let Some(value) = key(schema, source) else {
                continue;
            };
            let bound = match value {
                Value::Bool(false) => continue,
                Value::Bool(true) => {
                    let inclusive = if field == "min" { "minimum" } else { "maximum" };
                    key(schema, inclusive).and_then(Value::as_i64)
                }
                other => other.as_i64(),
            };
            match bound {
                Some(bound) if words == ["integer"] => set(d, field, bound + step),
                _ => self.report.loss(
                    format!("`{source}` on a value that is not an integer (the format's bounds are inclusive)"),
                    at.to_string(),
                ),
            }
        }
    }

    fn items(&mut self, schema: &Value, words: &[&str], d: &mut Mapping, at: &str, depth: usize) {
        let Some(items) = key(schema, "items") else {
            return;
        };
        if !applies("items", words) {
            self.report
                .loss("`items` on a value that is not a list", at.to_string());
            return;
        }
        let item_schema = match items {
            Value::Sequence(tuple) => {
                self.report.loss(
                    "`items` given as a list of schemas (a tuple; kept as the first item's schema)",
                    at.to_string(),
                );
                match tuple.first() {
                    Some(first) => first.clone(),
                    None => return,
                }
            }
            Value::Mapping(_) => items.clone(),
            _ => return,
        };
        if depth >= MAX_DEPTH {
            self.report.loss(
                format!("list items nested deeper than {MAX_DEPTH} levels"),
                at.to_string(),
            );
            return;
        }
        let item = self.definition_at(&item_schema, false, &format!("{at} › items"), depth + 1);
        let simple = item.len() == 1 && item.get("type").is_some_and(Value::is_string);
        set(
            d,
            "items",
            if simple {
                item.get("type").cloned().unwrap_or(Value::Null)
            } else {
                Value::Mapping(item)
            },
        );
    }

    fn unknown_keywords(&mut self, schema: &Value, at: &str) {
        const KNOWN: [&str; 30] = [
            "type",
            "description",
            "title",
            "enum",
            "const",
            "examples",
            "default",
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "minItems",
            "maxItems",
            "uniqueItems",
            "format",
            "items",
            "properties",
            "required",
            "additionalProperties",
            "$comment",
            "$ref",
            "allOf",
            "oneOf",
            "anyOf",
            "definitions",
            "additionalItems",
        ];
        let Some(mapping) = schema.as_mapping() else {
            return;
        };
        for name in mapping.keys().filter_map(Value::as_str) {
            if KNOWN.contains(&name) || IGNORED.contains(&name) {
                continue;
            }
            if name == "not" && forbids_null_only(schema) {
                continue;
            }
            self.report
                .loss(format!("JSON Schema keyword `{name}`"), at.to_string());
        }
        if mapping.get("additionalItems").is_some() {
            self.report
                .loss("JSON Schema keyword `additionalItems`", at.to_string());
        }
    }

    /// The types a schema names, and whether it allows `null`.
    fn types_of(&mut self, schema: &Value, at: &str) -> (Vec<&'static str>, bool) {
        let listed: Vec<&str> = match key(schema, "type") {
            Some(Value::String(word)) => vec![word.as_str()],
            Some(Value::Sequence(words)) => words.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let mut words = Vec::new();
        let mut nullable = false;
        for word in listed {
            match type_word(word) {
                Some(Some(w)) => {
                    if !words.contains(&w) {
                        words.push(w);
                    }
                }
                Some(None) => nullable = true,
                None => self
                    .report
                    .loss(format!("unknown type `{word}`"), at.to_string()),
            }
        }
        if words.contains(&"any") {
            words = vec!["any"];
        }
        // `type: null` alone: a value that is always null; the closest the format has is `any`.
        if words.is_empty() && nullable && key(schema, "type").is_some() {
            self.report.loss(
                "type `null` alone (kept as a nullable `any`)",
                at.to_string(),
            );
            words.push("any");
        }
        (words, nullable)
    }

    /// The schema with its `$ref`, `allOf`, `oneOf` and `anyOf` folded in, as one schema.
    fn flatten(&mut self, schema: &Value, at: &str) -> Value {
        let Some(mapping) = schema.as_mapping() else {
            if !matches!(schema, Value::Bool(true)) {
                self.report.loss(
                    "schema that is not an object (kept as `any`)",
                    at.to_string(),
                );
            }
            return Value::Mapping(Mapping::new());
        };
        if !["$ref", "allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| mapping.contains_key(*k))
        {
            return schema.clone();
        }
        let mut out = mapping.clone();
        if let Some(reference) = out.remove("$ref") {
            let target = self.follow(&reference, at);
            // Beside a `$ref`, a description says what this use of it means: it wins.
            out = merge(target, out, self.report, at);
        }
        if let Some(Value::Sequence(all)) = out.remove("allOf") {
            for sub in all {
                let sub = self.flatten(&sub, at);
                out = merge(
                    out,
                    sub.as_mapping().cloned().unwrap_or_default(),
                    self.report,
                    at,
                );
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Sequence(alternatives)) = out.remove(keyword) {
                out = self.alternatives(out, &alternatives, keyword, at);
            }
        }
        Value::Mapping(out)
    }

    /// `oneOf`/`anyOf`: one alternative besides `null` is that schema (nullable); several become a
    /// type list, and what else they say is reported.
    fn alternatives(
        &mut self,
        mut out: Mapping,
        alternatives: &[Value],
        keyword: &str,
        at: &str,
    ) -> Mapping {
        let flattened: Vec<Value> = alternatives.iter().map(|a| self.flatten(a, at)).collect();
        let (nulls, others): (Vec<&Value>, Vec<&Value>) = flattened
            .iter()
            .partition(|a| key(a, "type").and_then(Value::as_str) == Some("null"));
        let mut types: Vec<Value> = match out.get("type") {
            Some(Value::String(t)) => vec![Value::String(t.clone())],
            Some(Value::Sequence(ts)) => ts.clone(),
            _ => Vec::new(),
        };
        if !nulls.is_empty() {
            types.push(Value::String("null".into()));
        }
        if let [only] = others.as_slice() {
            let mut merged = merge(
                out,
                only.as_mapping().cloned().unwrap_or_default(),
                self.report,
                at,
            );
            if !nulls.is_empty() {
                let mut with_null = match merged.get("type") {
                    Some(Value::String(t)) => vec![Value::String(t.clone())],
                    Some(Value::Sequence(ts)) => ts.clone(),
                    _ => Vec::new(),
                };
                with_null.push(Value::String("null".into()));
                merged.insert("type".into(), Value::Sequence(with_null));
            }
            return merged;
        }
        for alternative in others {
            let alternative_types = match key(alternative, "type") {
                Some(Value::String(t)) => vec![Value::String(t.clone())],
                Some(Value::Sequence(ts)) => ts.clone(),
                _ => vec![Value::String("any".into())],
            };
            for t in alternative_types {
                if !types.contains(&t) {
                    types.push(t);
                }
            }
            let said_more = alternative.as_mapping().is_some_and(|m| {
                m.keys()
                    .filter_map(Value::as_str)
                    .any(|k| !["type", "description", "title", "$comment"].contains(&k))
            });
            if said_more {
                self.report.loss(
                    format!("`{keyword}` alternative's constraints besides its type (the alternatives are kept as a type list)"),
                    at.to_string(),
                );
            }
        }
        out.insert("type".into(), Value::Sequence(types));
        out
    }

    /// The schema a `$ref` points to, flattened; `{}` (any) for a loop or a reference outside the
    /// document, which are reported.
    fn follow(&mut self, reference: &Value, at: &str) -> Mapping {
        let Some(reference) = reference.as_str() else {
            self.report
                .loss("`$ref` that is not a string", at.to_string());
            return Mapping::new();
        };
        if self.refs.iter().any(|r| r == reference) || self.refs.len() >= MAX_DEPTH {
            self.report.loss(
                format!("`$ref` loop (`{reference}` refers back to itself; kept as `any`)"),
                at.to_string(),
            );
            return Mapping::new();
        }
        let Some(target) = pointer(self.root, reference) else {
            self.report.loss(
                format!("`$ref` outside the document or to nothing (`{reference}`; kept as `any`)"),
                at.to_string(),
            );
            return Mapping::new();
        };
        self.refs.push(reference.to_string());
        let flattened = self.flatten(target, at);
        self.refs.pop();
        flattened.as_mapping().cloned().unwrap_or_default()
    }
}

/// `b`'s keys over `a`'s: `properties` and `required` are joined, and a keyword both give
/// differently keeps `b`'s (reported, unless it is only words: description, title).
fn merge(mut a: Mapping, b: Mapping, report: &mut Report, at: &str) -> Mapping {
    for (k, v) in b {
        let name = k.as_str().unwrap_or_default().to_string();
        match (a.get_mut(&k), &v) {
            (Some(Value::Mapping(mine)), Value::Mapping(theirs)) if name == "properties" => {
                for (pk, pv) in theirs {
                    mine.insert(pk.clone(), pv.clone());
                }
            }
            (Some(Value::Sequence(mine)), Value::Sequence(theirs)) if name == "required" => {
                for r in theirs {
                    if !mine.contains(r) {
                        mine.push(r.clone());
                    }
                }
            }
            (Some(existing), _) if *existing != v => {
                if !["description", "title", "$comment"].contains(&name.as_str()) {
                    report.loss(
                        format!("`{name}` given twice in combined schemas (the last kept)"),
                        at.to_string(),
                    );
                }
                *existing = v;
            }
            _ => {
                a.insert(k, v);
            }
        }
    }
    a
}

/// A JSON pointer inside the document (`#/definitions/x`).
fn pointer<'v>(root: &'v Value, reference: &str) -> Option<&'v Value> {
    let path = reference.strip_prefix('#')?;
    if path.is_empty() {
        return Some(root);
    }
    let mut here = root;
    for part in path.strip_prefix('/')?.split('/') {
        let part = part.replace("~1", "/").replace("~0", "~");
        here = match here {
            Value::Mapping(m) => m.get(part.as_str())?,
            Value::Sequence(s) => s.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(here)
}

fn any() -> Mapping {
    let mut d = Mapping::new();
    set(&mut d, "type", "any");
    d
}

/// Types from what a schema says besides `type`.
fn infer_types(schema: &Value, enum_values: Option<&[Value]>) -> Vec<&'static str> {
    if key(schema, "properties").is_some() {
        return vec!["object"];
    }
    if key(schema, "items").is_some() {
        return vec!["list"];
    }
    if let Some(values) = enum_values {
        let mut words = Vec::new();
        for value in values {
            let word = match value {
                Value::String(_) => "string",
                Value::Bool(_) => "boolean",
                Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                Value::Number(_) => "number",
                Value::Sequence(_) => "list",
                Value::Mapping(_) => "object",
                _ => continue,
            };
            if !words.contains(&word) {
                words.push(word);
            }
        }
        if words.contains(&"integer") && words.contains(&"number") {
            words.retain(|w| *w != "integer");
        }
        if !words.is_empty() {
            return words;
        }
    }
    vec!["any"]
}

/// `not: {type: null}`: the schema only forbids null.
fn forbids_null_only(schema: &Value) -> bool {
    key(schema, "not")
        .and_then(Value::as_mapping)
        .is_some_and(|not| {
            not.len() == 1 && not.get("type").and_then(Value::as_str) == Some("null")
        })
}

/// A value fits a definition of these types (the format's `type-mismatch` on types alone).
fn fits(value: &Value, words: &[&str], nullable: bool) -> bool {
    let has = |w: &str| words.contains(&"any") || words.contains(&w);
    match value {
        Value::Null => nullable,
        Value::Bool(_) => has("boolean"),
        Value::Number(n) => {
            has("number") || (has("integer") && n.as_f64().is_some_and(|f| f.fract() == 0.0))
        }
        Value::String(_) => has("string"),
        Value::Sequence(_) => has("list"),
        Value::Mapping(_) => has("object"),
        Value::Tagged(_) => false,
    }
}

/// A value on one line, as JSON writes it.
pub(crate) fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
