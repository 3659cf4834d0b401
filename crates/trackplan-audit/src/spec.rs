//! The plan compiled for auditing: each event's properties as flat tables of checks, dictionary
//! references resolved, nested properties named by their dotted path.

use crate::shape::Shape;
use regex::Regex;
use rustc_hash::FxHashMap;
use trackplan_core::destinations::Destinations;
use trackplan_core::model::{
    Destination, Event, EventPropertyKind, Format, Items, PropertyDef, Status, TypeSet, Value,
};
use trackplan_core::Plan;

/// A property's place in [`AuditPlan::properties`].
pub type PropId = u32;

/// How deep dictionary references may nest inside objects before compiling stops (a dictionary
/// object that names itself would otherwise never end).
const MAX_NESTING: usize = 16;

/// The checks of one property (at any depth).
#[derive(Debug)]
pub struct PropSpec {
    /// `price`, `player.volume`, `items[].sku`.
    pub path: String,
    pub types: Option<TypeSet>,
    pub nullable: bool,
    pub enum_values: Option<Vec<Value>>,
    /// The plan's examples (for generated events; never checked here).
    pub examples: Vec<Value>,
    pub pattern: Option<Regex>,
    pub pattern_text: Option<String>,
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub format: Option<Format>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub multiple_of: Option<f64>,
    pub min_items: Option<i64>,
    pub max_items: Option<i64>,
    pub unique_items: bool,
    /// A list's items.
    pub items: Option<PropId>,
    /// An object's nested properties.
    pub object: Option<ObjectSpec>,
}

/// The properties of an event, an object or the user profile.
#[derive(Debug, Default)]
pub struct ObjectSpec {
    pub by_name: FxHashMap<String, PropId>,
    pub required: Vec<(String, PropId)>,
    /// `additional_properties: false`: an unplanned property is an error, not a warning.
    pub closed: bool,
}

#[derive(Debug)]
pub struct EventSpec {
    pub name: String,
    pub status: Option<Status>,
    pub properties: ObjectSpec,
}

impl EventSpec {
    pub fn is_deprecated(&self) -> bool {
        self.status == Some(Status::Deprecated)
    }
}

/// The destination facts that apply to events of one shape: the plan's destinations and the one
/// whose shape the events have (a Mixpanel export went through Mixpanel).
#[derive(Debug, Clone)]
pub struct Limits {
    pub destinations: Destinations,
    pub max_string_chars: Option<(usize, &'static str)>,
    pub max_properties: Option<(usize, &'static str)>,
}

impl Limits {
    fn new(plan_destinations: &[Destination], shape: Option<Destination>) -> Limits {
        let mut all = plan_destinations.to_vec();
        all.extend(shape);
        let destinations = Destinations::new(&all);
        let max_string_chars = destinations
            .smallest(|i| i.max_string_chars)
            .map(|(n, i)| (n, i.name));
        let max_properties = destinations
            .smallest(|i| i.max_properties_per_event)
            .map(|(n, i)| (n, i.name));
        Limits {
            destinations,
            max_string_chars,
            max_properties,
        }
    }

    /// A property the destination adds to events by itself (Mixpanel's `$`- and `mp_`-prefixed
    /// ones, `distinct_id`, `time`, `token`): never unplanned.
    pub fn is_automatic(&self, property: &str) -> bool {
        self.destinations
            .reserving(property, false, false)
            .is_some()
    }

    /// An event the destination sends by itself (`$identify`, `$mp_web_page_view`).
    pub fn is_automatic_event(&self, event: &str) -> bool {
        self.destinations.reserving(event, true, false).is_some()
    }
}

/// The plan, ready to audit events against.
#[derive(Debug)]
pub struct AuditPlan {
    pub events: Vec<EventSpec>,
    by_name: FxHashMap<String, u32>,
    /// Event names lower-cased without separators, for Snowplow's schema names.
    by_loose_name: FxHashMap<String, u32>,
    pub properties: Vec<PropSpec>,
    /// Super properties: sent with every event, checked against their dictionary definition.
    pub super_properties: Vec<(String, PropId)>,
    pub supers_by_name: FxHashMap<String, PropId>,
    /// `user_properties`, against which identify calls' traits are checked.
    pub user: ObjectSpec,
    /// Flows and the events of their steps and alternatives.
    pub flows: Vec<(String, Vec<u32>)>,
    /// KPIs and their events: events that name them and steps of flows that name them.
    pub kpis: Vec<(String, Vec<u32>)>,
    limits: [Limits; 3],
}

impl AuditPlan {
    pub fn new(plan: &Plan) -> AuditPlan {
        let mut compiler = Compiler {
            plan,
            dictionary: plan
                .properties()
                .map(|d| (d.name.text.as_str(), d))
                .collect(),
            properties: Vec::new(),
            closed_by_default: plan.closed_by_default(),
        };
        let mut events = Vec::new();
        let mut by_name = FxHashMap::default();
        for event in plan.events() {
            if by_name.contains_key(&event.name.text) {
                continue;
            }
            by_name.insert(event.name.text.clone(), events.len() as u32);
            events.push(compiler.event(event));
        }
        let mut by_loose_name = FxHashMap::default();
        for (i, event) in events.iter().enumerate() {
            by_loose_name.entry(loose(&event.name)).or_insert(i as u32);
        }
        let mut super_properties = Vec::new();
        for reference in plan.super_properties() {
            if let Some(def) = compiler.dictionary.get(reference.name.as_str()).copied() {
                if super_properties.iter().any(|(n, _)| *n == reference.name) {
                    continue;
                }
                let id = compiler.definition(def, &reference.name, None, 0);
                super_properties.push((reference.name.clone(), id));
            }
        }
        let mut user = ObjectSpec {
            closed: compiler.closed_by_default,
            ..ObjectSpec::default()
        };
        for def in plan.user_properties() {
            let id = compiler.definition(def, &def.name.text, None, 0);
            user.by_name.entry(def.name.text.clone()).or_insert(id);
        }
        let lookup = |name: &str| by_name.get(name).copied();
        let flows: Vec<(String, Vec<u32>)> = plan
            .flows()
            .map(|f| {
                let mut steps: Vec<u32> = f.all_steps().filter_map(|s| lookup(&s.name)).collect();
                dedup_keep_order(&mut steps);
                (f.id.text.clone(), steps)
            })
            .collect();
        let kpis = plan
            .kpis()
            .map(|k| {
                let id = &k.id.text;
                let mut measured: Vec<u32> = plan
                    .events()
                    .filter(|e| e.kpis.iter().any(|r| r.name == *id))
                    .filter_map(|e| lookup(&e.name.text))
                    .collect();
                for flow in plan
                    .flows()
                    .filter(|f| f.kpis.iter().any(|r| r.name == *id))
                {
                    measured.extend(flow.all_steps().filter_map(|s| lookup(&s.name)));
                }
                dedup_keep_order(&mut measured);
                (id.clone(), measured)
            })
            .collect();
        let destinations = plan.destinations();
        let supers_by_name = super_properties.iter().cloned().collect();
        AuditPlan {
            events,
            by_name,
            by_loose_name,
            properties: compiler.properties,
            super_properties,
            supers_by_name,
            user,
            flows,
            kpis,
            limits: [
                Limits::new(&destinations, Some(Destination::Mixpanel)),
                Limits::new(&destinations, Some(Destination::Segment)),
                Limits::new(&destinations, Some(Destination::Snowplow)),
            ],
        }
    }

    /// The planned event of a name as sent.
    pub fn event(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// The planned event a Snowplow schema name stands for: the same name, or the same words
    /// (`order_completed` is `Order Completed`).
    pub fn event_loosely(&self, name: &str) -> Option<u32> {
        self.event(name)
            .or_else(|| self.by_loose_name.get(&loose(name)).copied())
    }

    pub fn property(&self, id: PropId) -> &PropSpec {
        &self.properties[id as usize]
    }

    pub fn limits(&self, shape: Shape) -> &Limits {
        &self.limits[match shape {
            Shape::Mixpanel => 0,
            Shape::Segment => 1,
            Shape::Snowplow => 2,
        }]
    }
}

/// `Order Completed`, `order_completed` and `orderCompleted` all read `ordercompleted`.
fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn dedup_keep_order(ids: &mut Vec<u32>) {
    let mut seen = rustc_hash::FxHashSet::default();
    ids.retain(|id| seen.insert(*id));
}

struct Compiler<'p> {
    plan: &'p Plan,
    dictionary: FxHashMap<&'p str, &'p PropertyDef>,
    properties: Vec<PropSpec>,
    closed_by_default: bool,
}

impl<'p> Compiler<'p> {
    fn event(&mut self, event: &'p Event) -> EventSpec {
        let closed = event
            .additional_properties
            .as_ref()
            .map_or(self.closed_by_default, |a| !a.value);
        let _ = self.plan;
        EventSpec {
            name: event.name.text.clone(),
            status: event.status.as_ref().map(|s| s.value),
            properties: self.object(&event.properties, closed, "", 0),
        }
    }

    /// The entries of an event's or an object's `properties:`, paths under `prefix`.
    fn object(
        &mut self,
        entries: &'p [trackplan_core::model::EventProperty],
        closed: bool,
        prefix: &str,
        depth: usize,
    ) -> ObjectSpec {
        let mut object = ObjectSpec {
            closed,
            ..ObjectSpec::default()
        };
        for entry in entries {
            let name = &entry.name.text;
            if object.by_name.contains_key(name) {
                continue;
            }
            let path = format!("{prefix}{name}");
            let id = match &entry.kind {
                EventPropertyKind::Inline(def) => self.definition(def, &path, None, depth),
                EventPropertyKind::Reference {
                    reference,
                    overrides,
                } => match self.dictionary.get(reference.name.as_str()).copied() {
                    Some(def) => {
                        self.definition(def, &path, overrides.enum_values.as_deref(), depth)
                    }
                    // An unknown reference (`check` reports it): the name is planned, any value.
                    None => self.push(PropSpec::any(path)),
                },
            };
            if entry.is_required() {
                object.required.push((name.clone(), id));
            }
            object.by_name.insert(name.clone(), id);
        }
        object
    }

    fn definition(
        &mut self,
        def: &'p PropertyDef,
        path: &str,
        narrowed_enum: Option<&[trackplan_core::span::Spanned<Value>]>,
        depth: usize,
    ) -> PropId {
        let mut spec = PropSpec::any(path.to_string());
        spec.types = def.ty.as_ref().map(|t| t.value);
        spec.nullable = def.is_nullable();
        let values = narrowed_enum.or(def.enum_values.as_deref());
        spec.enum_values = values.map(|v| v.iter().map(|s| s.value.clone()).collect());
        spec.examples = def.examples.iter().map(|e| e.value.clone()).collect();
        if let Some(pattern) = &def.pattern {
            // A pattern the regex engine cannot read is not checked (JSON Schema's patterns are
            // ECMA-262; the common subset reads the same).
            spec.pattern = Regex::new(&pattern.value).ok();
            spec.pattern_text = Some(pattern.value.clone());
        }
        let int = |v: &Option<trackplan_core::span::Spanned<i64>>| v.as_ref().map(|s| s.value);
        let float = |v: &Option<trackplan_core::span::Spanned<f64>>| v.as_ref().map(|s| s.value);
        spec.min_length = int(&def.min_length);
        spec.max_length = int(&def.max_length);
        spec.format = def.format.as_ref().map(|f| f.value);
        spec.min = float(&def.min);
        spec.max = float(&def.max);
        spec.multiple_of = float(&def.multiple_of).filter(|m| *m > 0.0);
        spec.min_items = int(&def.min_items);
        spec.max_items = int(&def.max_items);
        spec.unique_items = def.unique_items.as_ref().is_some_and(|u| u.value);
        if depth < MAX_NESTING {
            spec.items = match &def.items {
                Some(Items::Type(ty)) => {
                    let mut item = PropSpec::any(format!("{path}[]"));
                    item.types = Some(TypeSet::of(ty.value));
                    Some(self.push(item))
                }
                Some(Items::Definition(items)) => {
                    Some(self.definition(items, &format!("{path}[]"), None, depth + 1))
                }
                None => None,
            };
            // An object without nested properties is not looked into (unless it is closed).
            let closed_here = def.additional_properties.as_ref().is_some_and(|a| !a.value);
            if !def.properties.is_empty() || closed_here {
                let closed = def
                    .additional_properties
                    .as_ref()
                    .map_or(self.closed_by_default, |a| !a.value);
                spec.object =
                    Some(self.object(&def.properties, closed, &format!("{path}."), depth + 1));
            }
        }
        self.push(spec)
    }

    fn push(&mut self, spec: PropSpec) -> PropId {
        self.properties.push(spec);
        (self.properties.len() - 1) as PropId
    }
}

impl PropSpec {
    fn any(path: String) -> PropSpec {
        PropSpec {
            path,
            types: None,
            nullable: false,
            enum_values: None,
            examples: Vec::new(),
            pattern: None,
            pattern_text: None,
            min_length: None,
            max_length: None,
            format: None,
            min: None,
            max: None,
            multiple_of: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            items: None,
            object: None,
        }
    }
}
