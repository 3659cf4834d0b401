//! The plan as the exporters read it: events, user properties and super properties in a stable
//! order, dictionary references resolved to their definitions with the event's overrides, and
//! whether each event and object is closed.

use std::collections::HashMap;
use trackplan_core::model::{
    Destination, Event, EventProperty, EventPropertyKind, OverrideFields, PropertyDef, Team, Value,
};
use trackplan_core::Plan;

pub struct View<'a> {
    pub plan: &'a Plan,
    /// The plan's name (empty when it has none).
    pub name: String,
    pub description: Option<String>,
    /// Events by exact name (the first definition of a name), sorted by name.
    pub events: Vec<&'a Event>,
    /// User properties sorted by name.
    pub user_properties: Vec<&'a PropertyDef>,
    /// The super properties, resolved, in the order listed (each once).
    pub super_properties: Vec<&'a PropertyDef>,
    pub destinations: Vec<Destination>,
    dictionary: HashMap<&'a str, &'a PropertyDef>,
    teams: HashMap<&'a str, &'a Team>,
    closed_by_default: bool,
}

/// A property of an event or an object, resolved: the definition and what the entry says over it.
#[derive(Clone, Copy, Debug)]
pub struct Prop<'a> {
    pub name: &'a str,
    pub required: bool,
    pub def: &'a PropertyDef,
    /// The event's overrides of a dictionary property (`None` for definitions of its own).
    pub overrides: Option<&'a OverrideFields>,
}

impl<'a> Prop<'a> {
    /// A definition standing on its own (dictionary, user or super property).
    pub fn of(def: &'a PropertyDef) -> Prop<'a> {
        Prop {
            name: &def.name.text,
            required: false,
            def,
            overrides: None,
        }
    }

    pub fn description(&self) -> Option<&'a str> {
        self.overrides
            .and_then(|o| o.description.as_ref())
            .or(self.def.common.description.as_ref())
            .map(|d| d.value.as_str())
    }

    pub fn examples(&self) -> Vec<&'a Value> {
        let own = self.overrides.map(|o| &o.examples[..]).unwrap_or(&[]);
        let examples = if own.is_empty() {
            &self.def.examples[..]
        } else {
            own
        };
        examples.iter().map(|e| &e.value).collect()
    }

    pub fn enum_values(&self) -> Option<Vec<&'a Value>> {
        self.overrides
            .and_then(|o| o.enum_values.as_ref())
            .or(self.def.enum_values.as_ref())
            .map(|values| values.iter().map(|v| &v.value).collect())
    }

    pub fn notes(&self) -> Option<&'a str> {
        self.overrides
            .and_then(|o| o.notes.as_ref())
            .or(self.def.common.notes.as_ref())
            .map(|n| n.value.as_str())
    }
}

impl<'a> View<'a> {
    pub fn new(plan: &'a Plan) -> View<'a> {
        let settings = plan.settings();
        let mut dictionary = HashMap::new();
        for def in plan.properties() {
            dictionary.entry(def.name.text.as_str()).or_insert(def);
        }
        let mut teams = HashMap::new();
        for team in plan.teams() {
            teams.entry(team.id.text.as_str()).or_insert(team);
        }
        let mut events: Vec<&Event> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for event in plan.events() {
            if seen.insert(event.name.text.as_str()) {
                events.push(event);
            }
        }
        events.sort_by(|a, b| a.name.text.cmp(&b.name.text));
        let mut user_properties: Vec<&PropertyDef> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for def in plan.user_properties() {
            if seen.insert(def.name.text.as_str()) {
                user_properties.push(def);
            }
        }
        user_properties.sort_by(|a, b| a.name.text.cmp(&b.name.text));
        let mut super_properties: Vec<&PropertyDef> = Vec::new();
        for reference in plan.super_properties() {
            if let Some(def) = dictionary.get(reference.name.as_str()) {
                if !super_properties
                    .iter()
                    .any(|d| d.name.text == def.name.text)
                {
                    super_properties.push(def);
                }
            }
        }
        View {
            plan,
            name: settings.name.map(|n| n.value).unwrap_or_default(),
            description: settings.description.map(|d| d.value),
            events,
            user_properties,
            super_properties,
            destinations: plan.destinations(),
            dictionary,
            teams,
            closed_by_default: plan.closed_by_default(),
        }
    }

    /// The plan's name, or "Tracking plan" for a plan without one (formats that need a title).
    pub fn title(&self) -> &str {
        if self.name.is_empty() {
            "Tracking plan"
        } else {
            &self.name
        }
    }

    pub fn dictionary_property(&self, name: &str) -> Option<&'a PropertyDef> {
        self.dictionary.get(name).copied()
    }

    pub fn team(&self, id: &str) -> Option<&'a Team> {
        self.teams.get(id).copied()
    }

    /// An entry of an event's or an object's `properties:`, resolved; `None` for a reference to a
    /// name the dictionary does not define.
    pub fn resolve(&self, entry: &'a EventProperty) -> Option<Prop<'a>> {
        let required = entry.is_required();
        match &entry.kind {
            EventPropertyKind::Inline(def) => Some(Prop {
                name: &entry.name.text,
                required: required || def.required.as_ref().is_some_and(|r| r.value),
                def,
                overrides: None,
            }),
            EventPropertyKind::Reference { overrides, .. } => {
                let def = self.dictionary_property(&entry.name.text)?;
                Some(Prop {
                    name: &entry.name.text,
                    required,
                    def,
                    overrides: Some(&**overrides),
                })
            }
        }
    }

    /// Entries resolved, in the order written; references to undefined names are skipped.
    pub fn resolve_all(&self, entries: &'a [EventProperty]) -> Vec<Prop<'a>> {
        entries.iter().filter_map(|e| self.resolve(e)).collect()
    }

    /// An event's own properties, resolved, in the order written.
    pub fn event_properties(&self, event: &'a Event) -> Vec<Prop<'a>> {
        self.resolve_all(&event.properties)
    }

    /// Every property an event is sent with: its own, then the super properties it does not
    /// define itself.
    pub fn event_properties_with_super(&self, event: &'a Event) -> Vec<Prop<'a>> {
        let mut props = self.event_properties(event);
        for def in &self.super_properties {
            if !props.iter().any(|p| p.name == def.name.text) {
                props.push(Prop::of(def));
            }
        }
        props
    }

    /// Nothing may be sent with the event beyond its planned properties (section 10.2).
    pub fn event_is_closed(&self, event: &Event) -> bool {
        match &event.additional_properties {
            Some(open) => !open.value,
            None => self.closed_by_default,
        }
    }

    pub fn object_is_closed(&self, def: &PropertyDef) -> bool {
        match &def.additional_properties {
            Some(open) => !open.value,
            None => self.closed_by_default,
        }
    }

    /// The properties every event of the plan carries without the plan listing them: what its
    /// destinations add by themselves (section 7.1), as exact names and name prefixes.
    pub fn automatic_properties(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let mut names = Vec::new();
        let mut prefixes = Vec::new();
        for destination in &self.destinations {
            // A destination's automatic properties are the names it reserves for itself: only
            // Mixpanel's `$`, `mp_`, `distinct_id`, `time` and `token` today.
            let info = destination.info();
            names.extend(info.reserved_names.iter().copied());
            prefixes.extend(info.reserved_prefixes.iter().copied());
        }
        names.sort_unstable();
        names.dedup();
        prefixes.sort_unstable();
        prefixes.dedup();
        (names, prefixes)
    }

    /// An event's owning teams, as their ids.
    pub fn owner_ids(common: &'a trackplan_core::model::Common) -> Vec<&'a str> {
        common.owners().map(|r| r.name.as_str()).collect()
    }
}
