//! Which tool's shape a record has, decided per record: a Mixpanel export line
//! (`{"event", "properties"}`), a Segment or RudderStack call (`{"type": "track" | "identify", ...}`)
//! or Snowplow self-describing JSON (`{"schema": "iglu:...", "data": ...}`).

use simd_json::value::borrowed::{Object, Value};
use simd_json::StaticNode;

/// The shape of a record: which destination's automatic properties and limits apply to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Mixpanel,
    Segment,
    Snowplow,
}

/// An id of the user the record names, and the field it came from.
pub struct UserId<'v> {
    pub field: &'static str,
    pub value: &'v Value<'v>,
}

/// What one record is.
pub enum Record<'v> {
    /// An event: its name as sent, its properties, and the user ids it carries.
    Event {
        shape: Shape,
        name: &'v str,
        properties: Option<&'v Object<'v>>,
        /// The fields that name the user (present ones, `null` included).
        ids: Vec<UserId<'v>>,
        /// Whether the shape says who the user is at all (bare Snowplow JSON does not).
        has_identity: bool,
    },
    /// A Segment or RudderStack `identify` call: traits of the user's profile.
    Identify {
        traits: Option<&'v Object<'v>>,
        ids: Vec<UserId<'v>>,
    },
    /// A call of another kind (`page`, `screen`, `group`, `alias`): not audited.
    OtherCall,
    /// Not an event of a known shape: why.
    Unknown(&'static str),
}

fn get<'v>(object: &'v Object<'v>, key: &str) -> Option<&'v Value<'v>> {
    object.get(key)
}

fn string<'v>(value: Option<&'v Value<'v>>) -> Option<&'v str> {
    match value {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

fn object<'v>(value: Option<&'v Value<'v>>) -> Option<&'v Object<'v>> {
    match value {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    }
}

fn ids<'v>(object: &'v Object<'v>, fields: &[&'static str]) -> Vec<UserId<'v>> {
    fields
        .iter()
        .filter_map(|field| get(object, field).map(|value| UserId { field, value }))
        .collect()
}

/// Reads what a parsed record is.
pub fn classify<'v>(value: &'v Value<'v>) -> Record<'v> {
    let Value::Object(record) = value else {
        return Record::Unknown("a record must be a JSON object");
    };
    if let Some(kind) = get(record, "type") {
        let Some(kind) = string(Some(kind)) else {
            return Record::Unknown("`type` must be a string such as \"track\"");
        };
        let segment_ids = || ids(record, &["userId", "anonymousId"]);
        return match kind {
            "track" => match string(get(record, "event")) {
                Some(name) => Record::Event {
                    shape: Shape::Segment,
                    name,
                    properties: object(get(record, "properties")),
                    ids: segment_ids(),
                    has_identity: true,
                },
                None => Record::Unknown("a track call without an `event` name"),
            },
            "identify" => Record::Identify {
                traits: object(get(record, "traits")).or_else(|| {
                    object(object(get(record, "context")).and_then(|c| get(c, "traits")))
                }),
                ids: segment_ids(),
            },
            "page" | "screen" | "group" | "alias" => Record::OtherCall,
            _ => Record::Unknown(
                "an unknown call `type` (track, identify, page, screen, group or alias)",
            ),
        };
    }
    if let Some(schema) = string(get(record, "schema")) {
        return snowplow(record, schema);
    }
    if let Some(event) = get(record, "event") {
        let Some(name) = string(Some(event)) else {
            return Record::Unknown("`event` must be a string");
        };
        let properties = object(get(record, "properties"));
        return Record::Event {
            shape: Shape::Mixpanel,
            name,
            properties,
            ids: properties.map_or_else(Vec::new, |p| ids(p, &["distinct_id"])),
            has_identity: true,
        };
    }
    Record::Unknown(
        "not an event: no `event` (Mixpanel), `type` (Segment, RudderStack) or `schema` (Snowplow)",
    )
}

/// Snowplow: `{"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
/// "data": {"schema": "iglu:com.acme/order_completed/jsonschema/1-0-0", "data": {...}}}`, or the
/// inner self-describing JSON alone. The event is the schema's name.
fn snowplow<'v>(record: &'v Object<'v>, schema: &'v str) -> Record<'v> {
    let Some(name) = iglu_name(schema) else {
        return Record::Unknown("`schema` is not an Iglu URI (iglu:vendor/name/jsonschema/1-0-0)");
    };
    let data = get(record, "data");
    if name == "unstruct_event" {
        let inner = object(data);
        return match inner.and_then(|i| string(get(i, "schema"))) {
            Some(inner_schema) => {
                snowplow_event(record, inner_schema, inner.and_then(|i| get(i, "data")))
            }
            None => Record::Unknown("an unstruct_event without a self-describing `data`"),
        };
    }
    snowplow_event(record, schema, data)
}

fn snowplow_event<'v>(
    record: &'v Object<'v>,
    schema: &'v str,
    data: Option<&'v Value<'v>>,
) -> Record<'v> {
    let Some(name) = iglu_name(schema) else {
        return Record::Unknown("`schema` is not an Iglu URI (iglu:vendor/name/jsonschema/1-0-0)");
    };
    let fields = ["user_id", "domain_userid", "network_userid"];
    let ids = ids(record, &fields);
    let has_identity = !ids.is_empty();
    Record::Event {
        shape: Shape::Snowplow,
        name,
        properties: object(data),
        ids,
        has_identity,
    }
}

/// `iglu:com.acme/order_completed/jsonschema/1-0-0` → `order_completed`.
fn iglu_name(schema: &str) -> Option<&str> {
    let rest = schema.strip_prefix("iglu:")?;
    let mut parts = rest.split('/');
    let (_vendor, name, _format, _version) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    (!name.is_empty()).then_some(name)
}

/// Whether a JSON value is `null`.
pub fn is_null(value: &Value<'_>) -> bool {
    matches!(value, Value::Static(StaticNode::Null))
}
