//! `mixpanel-lexicon`: the body of Mixpanel's Lexicon Schemas API batch request (`POST
//! /projects/{id}/schemas`): an entry per event and one for the user profile (`$user`). Only the
//! keys Mixpanel documents are written; what has no place there (enums, patterns, ranges, nested
//! properties, several types) is counted as left out, and so are events and properties named as
//! Mixpanel's own (`token`, `$…`), which a plan sent to other tools may have.

use crate::json_schema::{json_type, pretty};
use crate::left_out::LeftOut;
use crate::view::{Prop, View};
use crate::Options;
use serde_json::{json, Map, Value as Json};
use trackplan_core::destinations::Destinations;
use trackplan_core::model::{Common, PropertyDef, PropertyType};
use trackplan_core::schema::Destination;
use trackplan_core::Plan;

/// One entry of the batch: `{"entityType", "name", "schemaJson"}`.
#[derive(Clone, Debug, PartialEq)]
pub struct LexiconEntry {
    /// `event` or `profile`.
    pub entity_type: &'static str,
    pub name: String,
    pub schema_json: Json,
}

impl LexiconEntry {
    pub fn to_json(&self) -> Json {
        json!({"entityType": self.entity_type, "name": self.name, "schemaJson": self.schema_json})
    }

    /// How many of Mixpanel's rate-limited "events and properties updated" the entry counts for.
    pub fn updates(&self) -> usize {
        1 + self.schema_json["properties"]
            .as_object()
            .map_or(0, |p| p.len())
    }
}

/// The name of the user profile's entry.
pub const PROFILE_NAME: &str = "$user";

pub fn write(view: &View, options: &Options) -> (Vec<u8>, Vec<LeftOut>) {
    let (entries, left_out) = entries(view, options);
    (pretty(&body(&entries, false)), left_out)
}

/// The batch body: `{"entries": [...], "truncate": false}`.
pub fn body(entries: &[LexiconEntry], truncate: bool) -> Json {
    let entries: Vec<Json> = entries.iter().map(LexiconEntry::to_json).collect();
    json!({"entries": entries, "truncate": truncate})
}

/// The plan's entries, events by name then the profile, with what they could not hold.
pub fn lexicon_entries(plan: &Plan, options: &Options) -> (Vec<LexiconEntry>, Vec<LeftOut>) {
    let view = View::new(plan);
    let (entries, mut left_out) = entries(&view, options);
    left_out.extend(crate::left_out::facets_left_out(
        &view,
        crate::keeps(crate::Format::MixpanelLexicon),
    ));
    (entries, crate::left_out::merge(left_out))
}

fn entries(view: &View, options: &Options) -> (Vec<LexiconEntry>, Vec<LeftOut>) {
    let mut left_out = Vec::new();
    let mut entries = Vec::new();
    for event in &view.events {
        if reserved_by_mixpanel(&event.name.text, Entity::Event) {
            left_out.push(LeftOut::new(1, RESERVED_EVENTS));
            continue;
        }
        let expired = match (&event.expires, options.today) {
            (Some(expires), Some(today)) => expires.value < today,
            _ => false,
        };
        let deprecated = event.is_deprecated();
        let props = kept_by_mixpanel(
            view.event_properties_with_super(event),
            Entity::EventProperty,
            &mut left_out,
        );
        let mut schema = properties_schema(&props, options, &mut left_out);
        let mut metadata = Map::new();
        metadata.insert("$source".into(), "trackplan".into());
        metadata.insert("hidden".into(), deprecated.into());
        metadata.insert("dropped".into(), (deprecated && expired).into());
        let tags: Vec<Json> = event
            .common
            .tags
            .iter()
            .map(|t| t.value.clone().into())
            .collect();
        if !tags.is_empty() {
            metadata.insert("tags".into(), tags.into());
        }
        let owners = owners(view, &event.common);
        if !owners.is_empty() {
            metadata.insert("owners".into(), owners.into());
        }
        let object = schema.as_object_mut().expect("a schema object");
        if let Some(description) = &event.common.description {
            object.insert("description".into(), description.value.clone().into());
        }
        if view.event_is_closed(event) {
            object.insert("additionalProperties".into(), false.into());
        }
        object.insert("metadata".into(), json!({"com.mixpanel": metadata}));
        entries.push(LexiconEntry {
            entity_type: "event",
            name: event.name.text.clone(),
            schema_json: schema,
        });
    }
    if !view.user_properties.is_empty() {
        let props = kept_by_mixpanel(
            view.user_properties.iter().map(|d| Prop::of(d)).collect(),
            Entity::UserProperty,
            &mut left_out,
        );
        let mut schema = properties_schema(&props, options, &mut left_out);
        schema.as_object_mut().expect("a schema object").insert(
            "metadata".into(),
            json!({"com.mixpanel": {"$source": "trackplan"}}),
        );
        entries.push(LexiconEntry {
            entity_type: "profile",
            name: PROFILE_NAME.into(),
            schema_json: schema,
        });
    }
    (entries, left_out)
}

/// What a name stands for, as Mixpanel reserves names differently for each.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entity {
    Event,
    EventProperty,
    UserProperty,
}

pub(crate) const RESERVED_EVENTS: &str = "events named as Mixpanel's own (names it reserves)";
const RESERVED_PROPERTIES: &str =
    "properties named as Mixpanel's own (names it reserves, such as `token`)";

/// Whether Mixpanel keeps the name for itself (`$…`, `mp_…`, `distinct_id`, `time`, `token`;
/// its profile properties such as `$email` are the plan's to describe). A plan sent elsewhere
/// may use these names, but Lexicon must not describe Mixpanel's own properties as the plan's.
pub(crate) fn reserved_by_mixpanel(name: &str, entity: Entity) -> bool {
    Destinations::new(&[Destination::Mixpanel])
        .reserving(
            name,
            entity == Entity::Event,
            entity == Entity::UserProperty,
        )
        .is_some()
}

/// The properties whose names Mixpanel leaves to the plan; the others are counted as left out.
pub(crate) fn kept_by_mixpanel<'p>(
    props: Vec<Prop<'p>>,
    entity: Entity,
    left_out: &mut Vec<LeftOut>,
) -> Vec<Prop<'p>> {
    let (reserved, kept): (Vec<Prop>, Vec<Prop>) = props
        .into_iter()
        .partition(|p| reserved_by_mixpanel(p.name, entity));
    if !reserved.is_empty() {
        left_out.push(LeftOut::new(reserved.len(), RESERVED_PROPERTIES));
    }
    kept
}

/// `{"properties": {...}, "required": [...]}` of an event or the profile.
fn properties_schema(props: &[Prop], options: &Options, left_out: &mut Vec<LeftOut>) -> Json {
    let mut properties = Map::new();
    let mut required: Vec<&str> = Vec::new();
    for prop in props {
        properties.insert(prop.name.into(), property(prop, options, left_out));
        if prop.required {
            required.push(prop.name);
        }
    }
    required.sort_unstable();
    let mut schema = Map::new();
    schema.insert("properties".into(), properties.into());
    if !required.is_empty() {
        schema.insert("required".into(), required.into());
    }
    Json::Object(schema)
}

fn property(prop: &Prop, options: &Options, left_out: &mut Vec<LeftOut>) -> Json {
    let def = prop.def;
    let mut schema = Map::new();
    let types = def.ty.as_ref().map(|t| t.value).unwrap_or_default();
    if !types.is_any() && !types.is_empty() {
        let mut words: Vec<&str> = types.words().map(json_type).collect();
        words.dedup();
        if let [one] = words[..] {
            schema.insert("type".into(), one.into());
            if types.single() == Some(PropertyType::Datetime) {
                schema.insert("format".into(), "date-time".into());
            }
        } else {
            left_out.push(LeftOut::new(1, "types of properties with several types"));
        }
    }
    if let Some(format) = &def.format {
        schema.insert("format".into(), format.value.as_str().into());
    }
    if let Some(description) = prop.description() {
        schema.insert("description".into(), description.into());
    }
    let examples: Vec<Json> = prop.examples().iter().map(|v| v.to_json()).collect();
    if !examples.is_empty() {
        schema.insert("examples".into(), examples.into());
    }
    count_constraints(prop, left_out);
    let expired = match (&def.expires, options.today) {
        (Some(expires), Some(today)) => expires.value < today,
        _ => false,
    };
    schema.insert(
        "metadata".into(),
        json!({"com.mixpanel": {
            "hidden": def.is_deprecated(),
            "dropped": def.is_deprecated() && expired,
        }}),
    );
    Json::Object(schema)
}

/// What Lexicon has no key for, counted once per property that states it.
fn count_constraints(prop: &Prop, left_out: &mut Vec<LeftOut>) {
    let def: &PropertyDef = prop.def;
    let checks: [(bool, &str); 6] = [
        (prop.enum_values().is_some(), "enums"),
        (def.is_nullable(), "nullable flags"),
        (def.pattern.is_some(), "patterns"),
        (
            def.min_length.is_some()
                || def.max_length.is_some()
                || def.min_items.is_some()
                || def.max_items.is_some()
                || def.unique_items.is_some(),
            "length and size limits",
        ),
        (
            def.min.is_some() || def.max.is_some() || def.multiple_of.is_some(),
            "number ranges",
        ),
        (
            !def.properties.is_empty() || def.items.is_some(),
            "nested properties and list items",
        ),
    ];
    for (stated, what) in checks {
        if stated {
            left_out.push(LeftOut::new(1, what));
        }
    }
}

/// `owners: [{name, email}]` from the owning teams (the e-mail when the team's contact is one).
fn owners(view: &View, common: &Common) -> Vec<Json> {
    View::owner_ids(common)
        .into_iter()
        .map(|id| {
            let team = view.team(id);
            let name = team
                .and_then(|t| t.name.as_ref())
                .map_or(id, |n| n.value.as_str());
            let mut owner = Map::new();
            owner.insert("name".into(), name.into());
            if let Some(contact) = team.and_then(|t| t.contact.as_ref()) {
                if trackplan_core::model::Format::Email.accepts(&contact.value) {
                    owner.insert("email".into(), contact.value.clone().into());
                }
            }
            Json::Object(owner)
        })
        .collect()
}
