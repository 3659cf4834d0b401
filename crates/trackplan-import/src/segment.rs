//! Segment Protocols tracking plans, in the four layouts Typewriter has read: local plans
//! (`events: [{name, description, rules}]`, v5 and v6), the Config API (`rules: {events: [...],
//! identify_traits, group_traits, global}`, v7 and v8's plan-v1) and the Public API (`rules:
//! [{key, type, version, jsonSchema, labels}]`, v8).
//!
//! TRACK, PAGE and SCREEN rules become events (labels become `key:value` tags), IDENTIFY traits
//! user properties, the global rule the super properties. GROUP traits have no place in the
//! format: they are reported.

use crate::input::Input;
use crate::plan::PlanBuilder;
use crate::report::Report;
use crate::schema::{key, said, set, text, SchemaMapper};
use serde_yaml::{Mapping, Value};

/// One rule of any layout, its schema not yet read.
struct Rule<'v> {
    name: String,
    kind: String,
    version: i64,
    schema: &'v Value,
    description: Option<String>,
    labels: Option<&'v Value>,
    deprecated: bool,
}

impl<'v> Rule<'v> {
    /// A TRACK rule of the local and Config API layouts: `{name, description, version, rules}`.
    fn of_event(event: &'v Value) -> Rule<'v> {
        Rule {
            name: text(event, "name").unwrap_or_default().to_string(),
            kind: "TRACK".into(),
            version: key(event, "version").and_then(Value::as_i64).unwrap_or(1),
            schema: key(event, "rules").unwrap_or(&Value::Null),
            description: said(event, "description"),
            labels: key(event, "rules").and_then(|r| key(r, "labels")),
            deprecated: false,
        }
    }
}

pub(crate) fn import(inputs: &[Input], report: &mut Report) -> Option<PlanBuilder> {
    let mut plan = PlanBuilder::new(Some("segment"));
    let mut read_any = false;
    let mut names = Vec::new();
    for input in inputs {
        let Some(document) = input.json_or_skip(report) else {
            continue;
        };
        let Some(rules) = rules_of(&document) else {
            report.skip(
                &input.path,
                "not a Segment tracking plan: no `events` list and no `rules`",
            );
            continue;
        };
        read_any = true;
        if let Some(name) = said(&document, "display_name").or_else(|| said(&document, "name")) {
            names.push(name);
        }
        if plan.description.is_none() {
            plan.description = said(&document, "description");
        }
        add_rules(&mut plan, &document, rules, &input.path, report);
    }
    if !read_any {
        return None;
    }
    if names.len() == 1 {
        plan.name = names.pop();
    }
    Some(plan)
}

fn rules_of(document: &Value) -> Option<Vec<Rule<'_>>> {
    let mut rules = Vec::new();
    if let Some(events) = key(document, "events").and_then(Value::as_sequence) {
        rules.extend(events.iter().map(Rule::of_event));
        return Some(rules);
    }
    match key(document, "rules")? {
        Value::Mapping(config) => {
            let events = config.get("events").and_then(Value::as_sequence);
            rules.extend(events.into_iter().flatten().map(Rule::of_event));
            for (section, kind) in [
                ("identify_traits", "IDENTIFY"),
                ("group_traits", "GROUP"),
                ("global", "COMMON"),
            ] {
                match config.get(section) {
                    // A list of trait schemas (`identify_traits: [{name, rules}]`) or one schema.
                    Some(Value::Sequence(items)) => {
                        for item in items {
                            rules.push(Rule {
                                name: text(item, "name").unwrap_or(section).to_string(),
                                kind: kind.into(),
                                version: 1,
                                schema: key(item, "rules").unwrap_or(item),
                                description: None,
                                labels: None,
                                deprecated: false,
                            });
                        }
                    }
                    Some(schema @ Value::Mapping(_)) => rules.push(Rule {
                        name: section.into(),
                        kind: kind.into(),
                        version: 1,
                        schema: key(schema, "rules").unwrap_or(schema),
                        description: None,
                        labels: None,
                        deprecated: false,
                    }),
                    _ => {}
                }
            }
        }
        Value::Sequence(public) => {
            for rule in public {
                let schema = key(rule, "jsonSchema").unwrap_or(&Value::Null);
                let deprecated = text(rule, "deprecatedAt")
                    .is_some_and(|at| !at.is_empty() && !at.starts_with("0001-"));
                rules.push(Rule {
                    name: text(rule, "key")
                        .or_else(|| key(schema, "eventMetadata").and_then(|m| text(m, "name")))
                        .unwrap_or_default()
                        .to_string(),
                    kind: text(rule, "type").unwrap_or("TRACK").to_ascii_uppercase(),
                    version: key(rule, "version").and_then(Value::as_i64).unwrap_or(1),
                    schema,
                    description: said(schema, "description"),
                    labels: key(rule, "labels").or_else(|| key(schema, "labels")),
                    deprecated,
                });
            }
        }
        _ => return None,
    }
    Some(rules)
}

/// The rule's `properties`, `traits` and `context` sections, or its properties when the schema
/// lists them directly (some Public API plans do).
fn section<'v>(schema: &'v Value, name: &str) -> Option<&'v Value> {
    let top = key(schema, "properties")?.as_mapping()?;
    let sectioned = !top.is_empty()
        && top
            .keys()
            .filter_map(Value::as_str)
            .all(|k| ["context", "properties", "traits"].contains(&k));
    if sectioned {
        top.get(name)
    } else if name == "properties" {
        Some(schema)
    } else {
        None
    }
}

fn add_rules(
    plan: &mut PlanBuilder,
    document: &Value,
    rules: Vec<Rule<'_>>,
    path: &str,
    report: &mut Report,
) {
    // The highest version of each rule is the current one.
    let mut latest: Vec<&Rule<'_>> = Vec::new();
    for rule in &rules {
        match latest
            .iter_mut()
            .find(|r| r.name == rule.name && r.kind == rule.kind)
        {
            Some(current) if current.version < rule.version => *current = rule,
            Some(_) => {}
            None => latest.push(rule),
        }
    }
    let older = rules.len() - latest.len();
    for _ in 0..older {
        report.kept(
            "older version of a rule (only the highest version is imported; the plan's history is git's)",
            path.to_string(),
        );
    }
    for rule in latest {
        let at = format!("{path} › {} {}", rule.kind.to_lowercase(), rule.name);
        let mut mapper = SchemaMapper::new(report, document);
        if let Some(context) = section(rule.schema, "context") {
            if key(context, "properties")
                .is_some_and(|p| p.as_mapping().is_some_and(|m| !m.is_empty()))
            {
                mapper.report.loss(
                    "`context` rules (the format plans event properties only)",
                    at.clone(),
                );
            }
        }
        match rule.kind.as_str() {
            "TRACK" | "PAGE" | "SCREEN" => {
                let mut event = Mapping::new();
                if let Some(description) = &rule.description {
                    set(&mut event, "description", description.clone());
                }
                if rule.deprecated {
                    set(&mut event, "status", "deprecated");
                }
                let mut tags = labels(rule.labels);
                if rule.kind != "TRACK" {
                    tags.push(Value::String(format!(
                        "segment:{}",
                        rule.kind.to_lowercase()
                    )));
                }
                if !tags.is_empty() {
                    set(&mut event, "tags", Value::Sequence(tags));
                }
                if let Some(properties) = section(rule.schema, "properties") {
                    let members = mapper.members(properties, &at);
                    if !members.properties.is_empty() {
                        set(&mut event, "properties", Value::Mapping(members.properties));
                    }
                    if members.closed {
                        set(&mut event, "additional_properties", false);
                    }
                }
                if let Some(traits) = section(rule.schema, "traits") {
                    if key(traits, "properties")
                        .is_some_and(|p| p.as_mapping().is_some_and(|m| !m.is_empty()))
                    {
                        mapper
                            .report
                            .loss("`traits` rules of a track event", at.clone());
                    }
                }
                plan.add_event(None, &rule.name, event, report, &at);
            }
            "IDENTIFY" => {
                let traits = section(rule.schema, "traits").unwrap_or(&Value::Null);
                let members = mapper.members(traits, &at);
                for (name, definition) in members.properties {
                    let name = name.as_str().unwrap_or_default().to_string();
                    let mut definition = definition.as_mapping().cloned().unwrap_or_default();
                    definition.remove("required");
                    plan.add_property(true, &name, definition, report, &at);
                }
            }
            "COMMON" => {
                let properties = section(rule.schema, "properties").unwrap_or(&Value::Null);
                let members = mapper.members(properties, &at);
                for (name, definition) in members.properties {
                    let name = name.as_str().unwrap_or_default().to_string();
                    let mut definition = definition.as_mapping().cloned().unwrap_or_default();
                    definition.remove("required");
                    plan.add_property(false, &name, definition, report, &at);
                    if !plan.super_properties.contains(&name) {
                        plan.super_properties.push(name);
                    }
                }
            }
            "GROUP" => {
                let traits = section(rule.schema, "traits").unwrap_or(&Value::Null);
                for name in key(traits, "properties")
                    .and_then(Value::as_mapping)
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                {
                    mapper.report.loss(
                        "group trait (the format has no group profiles)",
                        format!("{at} › {}", name.as_str().unwrap_or_default()),
                    );
                }
            }
            other => report.loss(format!("rule of type `{other}`"), at),
        }
    }
}

/// Segment labels (`{area: account}`) as tags (`area:account`).
fn labels(labels: Option<&Value>) -> Vec<Value> {
    let Some(labels) = labels.and_then(Value::as_mapping) else {
        return Vec::new();
    };
    let mut tags: Vec<String> = labels
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => s.clone(),
                other => crate::schema::compact(other),
            };
            format!("{}:{value}", k.as_str().unwrap_or_default())
        })
        .collect();
    tags.sort();
    tags.into_iter().map(Value::String).collect()
}
