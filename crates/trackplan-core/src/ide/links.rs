//! The `links:` of a file (format 1.1): every entity's, and those of properties defined inside
//! events and objects. The server turns each URL into a document link.

use crate::model::{
    EntityKind, EventProperty, EventPropertyKind, FilePart, Items, Link, PropertyDef,
};

/// Every link a file writes, in file order.
pub fn links(part: &FilePart) -> Vec<&Link> {
    let mut out = Vec::new();
    for &kind in EntityKind::ALL {
        for definition in part.definitions(kind) {
            out.extend(definition.common().links.iter());
            if let Some(event) = definition.get::<crate::model::Event>() {
                nested(&event.properties, &mut out);
            }
            if let Some(property) = definition.get::<PropertyDef>() {
                inside(property, &mut out);
            }
        }
    }
    out.sort_by_key(|link| link.url.span.start);
    out
}

/// The links of the properties defined in a list of properties, at any depth.
fn nested<'a>(properties: &'a [EventProperty], out: &mut Vec<&'a Link>) {
    for property in properties {
        if let EventPropertyKind::Inline(def) = &property.kind {
            out.extend(def.common.links.iter());
            inside(def, out);
        }
    }
}

/// The links of what a property defines inside itself: its nested properties and its items.
fn inside<'a>(def: &'a PropertyDef, out: &mut Vec<&'a Link>) {
    nested(&def.properties, out);
    if let Some(Items::Definition(items)) = &def.items {
        out.extend(items.common.links.iter());
        inside(items, out);
    }
}
