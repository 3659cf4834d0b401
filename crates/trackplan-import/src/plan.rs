//! The plan an importer builds, and its files: the root file, events split by the group the source
//! gives them (category, vendor, source), the property dictionary and the user properties.

use crate::report::Report;
use crate::schema::set;
use crate::yaml;
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;

/// A file of the plan: its path inside the plan folder (`/`-separated) and its YAML text.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanFile {
    pub path: String,
    pub text: String,
}

pub(crate) struct PlanBuilder {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The root file's `destinations` (none: the format's default, Mixpanel).
    pub destinations: Vec<String>,
    pub teams: Mapping,
    pub kpis: Mapping,
    pub flows: Mapping,
    /// Events in the order met, each with the file it goes to.
    events: Vec<(String, String, Mapping)>,
    event_index: HashMap<String, usize>,
    pub properties: Mapping,
    pub super_properties: Vec<String>,
    pub user_properties: Mapping,
}

impl PlanBuilder {
    pub fn new(destination: Option<&'static str>) -> PlanBuilder {
        PlanBuilder {
            name: None,
            description: None,
            destinations: destination.into_iter().map(str::to_string).collect(),
            teams: Mapping::new(),
            kpis: Mapping::new(),
            flows: Mapping::new(),
            events: Vec::new(),
            event_index: HashMap::new(),
            properties: Mapping::new(),
            super_properties: Vec::new(),
            user_properties: Mapping::new(),
        }
    }

    pub fn has_event(&self, name: &str) -> bool {
        self.event_index.contains_key(name)
    }

    /// Adds an event to the file of `group` (`None`: `events.yaml`); an event already added keeps
    /// its first definition, and the second is reported.
    pub fn add_event(
        &mut self,
        group: Option<&str>,
        name: &str,
        event: Mapping,
        report: &mut Report,
        at: &str,
    ) {
        if name.trim().is_empty() {
            report.loss("event without a name", at.to_string());
            return;
        }
        if self.event_index.contains_key(name) {
            report.loss(
                "event defined twice (the first definition kept)",
                at.to_string(),
            );
            return;
        }
        let file = match group.map(slug).filter(|s| !s.is_empty()) {
            Some(group) => format!("events/{group}.yaml"),
            None => "events.yaml".to_string(),
        };
        self.event_index.insert(name.to_string(), self.events.len());
        self.events.push((file, name.to_string(), event));
    }

    pub fn event_mut(&mut self, name: &str) -> Option<&mut Mapping> {
        let index = *self.event_index.get(name)?;
        Some(&mut self.events[index].2)
    }

    /// Adds a property to the dictionary (`user`: to the user properties); a second definition of
    /// a name is reported unless it is the same.
    pub fn add_property(
        &mut self,
        user: bool,
        name: &str,
        definition: Mapping,
        report: &mut Report,
        at: &str,
    ) {
        let section = if user {
            &mut self.user_properties
        } else {
            &mut self.properties
        };
        if name.trim().is_empty() {
            report.loss("property without a name", at.to_string());
            return;
        }
        match section.get(name) {
            Some(existing) if *existing == Value::Mapping(definition.clone()) => {}
            Some(_) => report.loss(
                "property defined twice with different definitions (the first kept)",
                at.to_string(),
            ),
            None => {
                section.insert(Value::String(name.to_string()), Value::Mapping(definition));
            }
        }
    }

    /// The plan's files, root file first; counts what was imported into the report.
    pub fn files(self, report: &mut Report) -> Vec<PlanFile> {
        report.events = self.events.len();
        report.properties = self.properties.len()
            + self.user_properties.len()
            + self
                .events
                .iter()
                .map(|(_, _, e)| {
                    e.get("properties")
                        .and_then(Value::as_mapping)
                        .map_or(0, |p| p.len())
                })
                .sum::<usize>();
        let mut root = Mapping::new();
        set(&mut root, "trackplan", 1);
        set(
            &mut root,
            "name",
            self.name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "Imported plan".to_string()),
        );
        if let Some(description) = self.description.filter(|d| !d.trim().is_empty()) {
            set(&mut root, "description", description);
        }
        if !self.destinations.is_empty() {
            let words = self.destinations.into_iter().map(Value::String).collect();
            set(&mut root, "destinations", Value::Sequence(words));
        }
        for (section, entries) in [
            ("teams", self.teams),
            ("kpis", self.kpis),
            ("flows", self.flows),
        ] {
            if !entries.is_empty() {
                set(&mut root, section, Value::Mapping(entries));
            }
        }
        let mut files = vec![PlanFile {
            path: trackplan_core::ROOT_FILE_NAME.to_string(),
            text: yaml::write(&root),
        }];
        let mut by_file: Vec<(String, Mapping)> = Vec::new();
        for (file, name, event) in self.events {
            let events = match by_file.iter_mut().find(|(f, _)| *f == file) {
                Some((_, events)) => events,
                None => {
                    by_file.push((file, Mapping::new()));
                    &mut by_file.last_mut().expect("just pushed").1
                }
            };
            events.insert(Value::String(name), Value::Mapping(event));
        }
        by_file.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, events) in by_file {
            let mut document = Mapping::new();
            set(&mut document, "events", Value::Mapping(events));
            files.push(PlanFile {
                path,
                text: yaml::write(&document),
            });
        }
        if !self.properties.is_empty() || !self.super_properties.is_empty() {
            let mut document = Mapping::new();
            if !self.super_properties.is_empty() {
                let names = self
                    .super_properties
                    .into_iter()
                    .map(Value::String)
                    .collect();
                set(&mut document, "super_properties", Value::Sequence(names));
            }
            if !self.properties.is_empty() {
                set(&mut document, "properties", Value::Mapping(self.properties));
            }
            files.push(PlanFile {
                path: "properties.yaml".to_string(),
                text: yaml::write(&document),
            });
        }
        if !self.user_properties.is_empty() {
            let mut document = Mapping::new();
            set(
                &mut document,
                "user_properties",
                Value::Mapping(self.user_properties),
            );
            files.push(PlanFile {
                path: "user-properties.yaml".to_string(),
                text: yaml::write(&document),
            });
        }
        files
    }
}

/// A group's name as a file name: lower case, words joined by `-`, dots kept (`com.adjust`).
pub(crate) fn slug(group: &str) -> String {
    let mut out = String::new();
    for c in group.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    trimmed.chars().take(80).collect()
}
