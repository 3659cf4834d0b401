//! `snowplow`: an Iglu self-describing JSON Schema per event, at `schemas/VENDOR/NAME/jsonschema/
//! VERSION`. An event that already is an Iglu schema keeps its identity: the vendor, name and
//! version of its `iglu` link, else the vendor and name of a `VENDOR/NAME` event name (what
//! `trackplan import --from snowplow` writes) at 1-0-0. Any other event goes under the vendor
//! given with `--vendor`, else `com.example`, at 1-0-0. The schema's name is the
//! event's name in snake case (Iglu allows letters, digits, `_` and `-`). Self-describing schemas
//! are draft-04: `examples` and `deprecated` are not written.

use crate::json_schema::{object_schema, pretty, strip_keywords};
use crate::left_out::LeftOut;
use crate::text::unique;
use crate::view::View;
use crate::{File, Options};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};
use trackplan_core::model::Event;

pub const SELF_DESCRIBING: &str =
    "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
pub const DEFAULT_VENDOR: &str = "com.example";
const VERSION: &str = "1-0-0";

pub fn write(view: &View, options: &Options) -> (Vec<File>, Vec<LeftOut>, Vec<String>) {
    let mut warnings = Vec::new();
    let needs_vendor = view.events.iter().any(|e| identity_of(e).is_none());
    let vendor = match &options.vendor {
        Some(vendor) => vendor.clone(),
        None if !needs_vendor => DEFAULT_VENDOR.to_string(),
        None => {
            warnings.push(format!(
                "no --vendor given: the schemas are under `{DEFAULT_VENDOR}`; give your organisation's reversed domain name (com.acme)"
            ));
            DEFAULT_VENDOR.to_string()
        }
    };
    let mut left_out = Vec::new();
    let mut names_left_out = 0;
    // Names are unique per vendor: `com.a/install` and `com.b/install` are different schemas.
    let mut taken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    for event in &view.events {
        let identity = identity_of(event);
        let (vendor, name, version) = match &identity {
            Some(identity) => (
                identity.vendor.clone(),
                unique(
                    identity.name.clone(),
                    taken.entry(identity.vendor.clone()).or_default(),
                ),
                identity.version.clone(),
            ),
            None => (
                vendor.clone(),
                unique(
                    schema_name(&event.name.text),
                    taken.entry(vendor.clone()).or_default(),
                ),
                VERSION.to_string(),
            ),
        };
        let props = view.event_properties(event);
        let mut schema = object_schema(view, &props, view.event_is_closed(event));
        strip_keywords(&mut schema, &["examples", "deprecated"]);
        let object = schema.as_object_mut().expect("an object schema");
        object.insert("$schema".into(), SELF_DESCRIBING.into());
        let description = event
            .common
            .description
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_else(|| event.name.text.clone());
        object.insert("description".into(), description.into());
        let mut this = Map::new();
        this.insert("vendor".into(), vendor.clone().into());
        this.insert("name".into(), name.clone().into());
        this.insert("format".into(), "jsonschema".into());
        this.insert("version".into(), version.clone().into());
        object.insert("self".into(), this.into());
        // The import names an event `VENDOR/NAME`, or by the `title` when the schema's name is
        // that title in snake case; any other exact name has no place to come back from.
        if event.name.text != format!("{vendor}/{name}") {
            if is_named_after(&name, &event.name.text) {
                object.insert("title".into(), event.name.text.clone().into());
            } else {
                names_left_out += 1;
            }
        }
        files.push(File {
            path: format!("schemas/{vendor}/{name}/jsonschema/{version}"),
            bytes: pretty(&Json::Object(
                schema.as_object().cloned().unwrap_or_default(),
            )),
        });
    }
    if names_left_out > 0 {
        left_out.push(LeftOut::new(
            names_left_out,
            "event names that are not their Iglu schema's (they come back as VENDOR/NAME)",
        ));
    }
    if !view.super_properties.is_empty() {
        left_out.push(LeftOut::new(
            view.super_properties.len(),
            "super properties",
        ));
    }
    if !view.user_properties.is_empty() {
        left_out.push(LeftOut::new(view.user_properties.len(), "user properties"));
    }
    (files, left_out, warnings)
}

/// The Iglu identity an event already has.
struct Identity {
    vendor: String,
    name: String,
    version: String,
}

/// From the event's `iglu` link (`iglu:com.acme/checkout/jsonschema/1-0-2`), else from a
/// `VENDOR/NAME` event name.
fn identity_of(event: &Event) -> Option<Identity> {
    let from_link = event
        .common
        .links
        .iter()
        .filter(|l| l.label.value == "iglu")
        .find_map(|l| {
            let uri = l.url.value.strip_prefix("iglu:")?;
            let mut parts = uri.split('/');
            let (vendor, name, format, version) =
                (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            let version_ok = version.split('-').count() == 3
                && version
                    .split('-')
                    .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            (parts.next().is_none()
                && format == "jsonschema"
                && is_vendor(vendor)
                && is_iglu_name(name)
                && version_ok)
                .then(|| Identity {
                    vendor: vendor.to_string(),
                    name: name.to_string(),
                    version: version.to_string(),
                })
        });
    from_link.or_else(|| {
        let (vendor, name) = event.name.text.split_once('/')?;
        (is_vendor(vendor) && is_iglu_name(name)).then(|| Identity {
            vendor: vendor.to_string(),
            name: name.to_string(),
            version: VERSION.to_string(),
        })
    })
}

fn is_iglu_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether a schema name is the event's name in snake case (`note_created`, or `note_created_2`
/// when two events would share it), which is how the import reads the `title` back.
fn is_named_after(schema: &str, event: &str) -> bool {
    if !event.chars().any(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let base = schema_name(event);
    schema == base
        || schema
            .strip_prefix(&base)
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// `Order Completed` → `order_completed`.
fn schema_name(event: &str) -> String {
    let mut out = String::new();
    for c in event.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "event".to_string()
    } else {
        out
    }
}

/// An Iglu vendor: dot-separated parts of ASCII letters, digits, `-` and `_` (`com.acme`).
pub fn is_vendor(vendor: &str) -> bool {
    !vendor.is_empty()
        && vendor.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_vendors() {
        assert_eq!(schema_name("Order Completed"), "order_completed");
        assert_eq!(
            schema_name("42_--terrible==\\\"event'++name~!3"),
            "42_terrible_event_name_3"
        );
        assert_eq!(schema_name("   "), "event");
        assert!(is_vendor("com.acme") && is_vendor("io.my-co_2"));
        assert!(
            !is_vendor("../etc") && !is_vendor("com..acme") && !is_vendor("") && !is_vendor("a/b")
        );
    }
}
