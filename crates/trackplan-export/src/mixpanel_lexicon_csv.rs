//! `mixpanel-lexicon-csv`: the CSV layout Lexicon imports and exports: an event row, then one row
//! per property of the event; the user profile's properties as `profile` rows. Names Mixpanel
//! keeps for its own events and properties are left out, as in `mixpanel-lexicon`.

use crate::left_out::LeftOut;
use crate::mixpanel_lexicon::{kept_by_mixpanel, reserved_by_mixpanel, Entity, RESERVED_EVENTS};
use crate::text::{examples, to_bytes};
use crate::view::{Prop, View};
use trackplan_core::model::{PropertyType, TypeSet};

pub const HEADER: [&str; 20] = [
    "Entity Type",
    "Entity Name",
    "Entity Display Name",
    "Entity Description",
    "Event Volume",
    "Event Query Volume",
    "Event Tags",
    "Event Hidden",
    "Event Dropped",
    "Property Name",
    "Property Display Name",
    "Property Description",
    "Property Volume",
    "Property Query Volume",
    "Property Type",
    "Property Example Values",
    "Property Hidden",
    "Property Dropped",
    "Property Required",
    "Property Sensitive",
];

pub fn write(view: &View) -> (Vec<u8>, Vec<LeftOut>) {
    let mut left_out = Vec::new();
    let mut rows: Vec<[String; 20]> = Vec::new();
    for event in &view.events {
        if reserved_by_mixpanel(&event.name.text, Entity::Event) {
            left_out.push(LeftOut::new(1, RESERVED_EVENTS));
            continue;
        }
        let mut row: [String; 20] = Default::default();
        row[0] = "event".into();
        row[1] = event.name.text.clone();
        row[3] = text(event.common.description.as_ref().map(|d| d.value.as_str()));
        row[6] = event
            .common
            .tags
            .iter()
            .map(|t| t.value.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        row[7] = flag(event.is_deprecated());
        row[8] = flag(false);
        rows.push(row);
        let props = kept_by_mixpanel(
            view.event_properties_with_super(event),
            Entity::EventProperty,
            &mut left_out,
        );
        for prop in props {
            rows.push(property_row(
                "event",
                &event.name.text,
                &prop,
                &mut left_out,
            ));
        }
    }
    let user_properties = kept_by_mixpanel(
        view.user_properties.iter().map(|d| Prop::of(d)).collect(),
        Entity::UserProperty,
        &mut left_out,
    );
    for prop in &user_properties {
        rows.push(property_row("profile", "$user", prop, &mut left_out));
    }
    (to_bytes(&HEADER, &rows), left_out)
}

fn property_row(
    entity_type: &str,
    entity: &str,
    prop: &Prop,
    left_out: &mut Vec<LeftOut>,
) -> [String; 20] {
    let mut row: [String; 20] = Default::default();
    row[0] = entity_type.into();
    row[1] = entity.into();
    row[9] = prop.name.into();
    row[11] = text(prop.description());
    let types = prop.def.ty.as_ref().map(|t| t.value).unwrap_or_default();
    row[14] = lexicon_type(types).unwrap_or_else(|| {
        if !types.is_any() && !types.is_empty() {
            left_out.push(LeftOut::new(1, "types of properties with several types"));
        }
        String::new()
    });
    row[15] = examples(&prop.examples());
    row[16] = flag(prop.def.is_deprecated());
    row[17] = flag(false);
    row[18] = flag(prop.required);
    row[19] = flag(prop.def.is_pii());
    row
}

/// Lexicon's name of a type: String, Numeric, Boolean, Date, List, Object.
pub fn lexicon_type(types: TypeSet) -> Option<String> {
    let mut names: Vec<&str> = types
        .words()
        .map(|ty| match ty {
            PropertyType::String => "String",
            PropertyType::Number | PropertyType::Integer => "Numeric",
            PropertyType::Boolean => "Boolean",
            PropertyType::Datetime => "Date",
            PropertyType::List => "List",
            PropertyType::Object => "Object",
            PropertyType::Any => "",
        })
        .collect();
    names.dedup();
    match names[..] {
        [one] if !one.is_empty() => Some(one.to_string()),
        _ => None,
    }
}

fn flag(value: bool) -> String {
    if value { "true" } else { "false" }.to_string()
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}
