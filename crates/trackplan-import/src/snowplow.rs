//! Snowplow Iglu self-describing schemas: a folder `schemas/VENDOR/NAME/FORMAT/VERSION`, several
//! versions side by side. The latest version of each schema becomes an event named `VENDOR/NAME`
//! (or by its `title` when the schema's name is that title in snake case, as `trackplan export`
//! writes it), in `events/VENDOR.yaml`, with its Iglu URI (vendor, name and version) as the link
//! `iglu`.
//! Schemas in another format than JSON Schema (Avro, Thrift) are skipped and named.

use crate::input::Input;
use crate::plan::PlanBuilder;
use crate::report::Report;
use crate::schema::{key, said, set, text, SchemaMapper};
use serde_yaml::{Mapping, Value};

struct Schema<'i> {
    vendor: String,
    name: String,
    version: [u64; 3],
    path: &'i str,
    document: Value,
}

pub(crate) fn import(inputs: &[Input], report: &mut Report) -> Option<PlanBuilder> {
    let mut latest: Vec<Schema<'_>> = Vec::new();
    let mut read_any = false;
    for input in inputs {
        let in_path = path_parts(&input.path);
        if let Some((_, _, format, _)) = &in_path {
            if format != "jsonschema" {
                report.skip(
                    &input.path,
                    format!("an Iglu schema in the `{format}` format (only JSON Schema can be imported)"),
                );
                continue;
            }
        }
        let Some(document) = input.json_or_skip(report) else {
            continue;
        };
        let self_ = key(&document, "self");
        let vendor = self_
            .and_then(|s| text(s, "vendor"))
            .map(str::to_string)
            .or_else(|| in_path.as_ref().map(|p| p.0.clone()));
        let name = self_
            .and_then(|s| text(s, "name"))
            .map(str::to_string)
            .or_else(|| in_path.as_ref().map(|p| p.1.clone()));
        let version_text = self_
            .and_then(|s| text(s, "version"))
            .map(str::to_string)
            .or_else(|| in_path.as_ref().map(|p| p.3.clone()));
        let format = self_
            .and_then(|s| text(s, "format"))
            .unwrap_or("jsonschema");
        let (Some(vendor), Some(name), Some(version_text)) = (vendor, name, version_text) else {
            report.skip(
                &input.path,
                "not a self-describing schema: no `self` with vendor, name and version, and not at schemas/VENDOR/NAME/jsonschema/VERSION",
            );
            continue;
        };
        if format != "jsonschema" {
            report.skip(
                &input.path,
                format!(
                    "an Iglu schema in the `{format}` format (only JSON Schema can be imported)"
                ),
            );
            continue;
        }
        let Some(version) = parse_version(&version_text) else {
            report.skip(
                &input.path,
                format!("the version `{version_text}` is not MODEL-REVISION-ADDITION"),
            );
            continue;
        };
        read_any = true;
        let schema = Schema {
            vendor,
            name,
            version,
            path: &input.path,
            document,
        };
        match latest
            .iter_mut()
            .find(|s| s.vendor == schema.vendor && s.name == schema.name)
        {
            Some(current) => {
                let older = if current.version < schema.version {
                    std::mem::replace(current, schema)
                } else {
                    schema
                };
                report.kept(
                    "older version of a schema (the latest is imported; its Iglu URI is the event's `iglu` link)",
                    older.path.to_string(),
                );
            }
            None => latest.push(schema),
        }
    }
    if !read_any {
        return None;
    }
    latest.sort_by(|a, b| (&a.vendor, &a.name).cmp(&(&b.vendor, &b.name)));
    let mut plan = PlanBuilder::new(Some("snowplow"));
    for schema in &latest {
        // `trackplan export --format snowplow` keeps an event's exact name as the `title` of
        // the schema it names after it (`Note Created` → `note_created`): that name comes back.
        let event_name = said(&schema.document, "title")
            .filter(|title| names_the_schema(title, &schema.name))
            .unwrap_or_else(|| format!("{}/{}", schema.vendor, schema.name));
        let at = format!("{} › {event_name}", schema.path);
        let mut event = Mapping::new();
        // An export gives an event without a description its name as one (Iglu requires one).
        if let Some(description) =
            said(&schema.document, "description").filter(|d| *d != event_name)
        {
            set(&mut event, "description", description);
        }
        let mut mapper = SchemaMapper::new(report, &schema.document);
        let members = mapper.members(&schema.document, &at);
        if !members.properties.is_empty() {
            set(&mut event, "properties", Value::Mapping(members.properties));
        }
        if members.closed {
            set(&mut event, "additional_properties", false);
        }
        let [model, revision, addition] = schema.version;
        let mut links = Mapping::new();
        set(
            &mut links,
            "iglu",
            format!(
                "iglu:{}/{}/jsonschema/{model}-{revision}-{addition}",
                schema.vendor, schema.name
            ),
        );
        set(&mut event, "links", Value::Mapping(links));
        plan.add_event(Some(&schema.vendor), &event_name, event, report, &at);
    }
    Some(plan)
}

/// Whether an Iglu schema name is the title in snake case, as the export names a schema after an
/// event (`Note Created` → `note_created`, or `note_created_2` when that name is taken).
fn names_the_schema(title: &str, name: &str) -> bool {
    let snake = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_");
    !snake.is_empty()
        && (name == snake
            || name.strip_prefix(&snake).is_some_and(|rest| {
                rest.strip_prefix('_')
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            }))
}

/// `…/schemas/VENDOR/NAME/FORMAT/VERSION` (or the last four parts of any path).
fn path_parts(path: &str) -> Option<(String, String, String, String)> {
    let parts: Vec<&str> = path.split('/').collect();
    let [.., vendor, name, format, version] = parts.as_slice() else {
        return None;
    };
    parse_version(version)?;
    Some((
        vendor.to_string(),
        name.to_string(),
        format.to_string(),
        version.to_string(),
    ))
}

fn parse_version(text: &str) -> Option<[u64; 3]> {
    let mut parts = text.split('-').map(|p| p.parse::<u64>().ok());
    let version = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some(version)
}
