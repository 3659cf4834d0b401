//! Comparing the plan's Lexicon entries with the project's current schemas, so that only what
//! differs is sent and the command can say what it added and changed.
//!
//! Mixpanel keeps metadata the plan does not send (it merges a re-upload with what it has), so a
//! current schema matches when it holds everything the entry says; only its list of properties
//! must be the same.

use serde_json::Value;
use std::collections::HashMap;
use trackplan_export::LexiconEntry;

#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Added,
    /// What differs: `properties a, b`, `description`, `metadata`.
    Changed(Vec<String>),
}

/// What publishing will do.
pub struct Plan<'a> {
    pub entries: Vec<(&'a LexiconEntry, Change)>,
    pub unchanged: usize,
    /// Schemas of the project the plan does not define (deleted by `--replace`).
    pub extra: Vec<String>,
}

pub fn all_new(entries: &[LexiconEntry]) -> Plan<'_> {
    Plan {
        entries: entries.iter().map(|e| (e, Change::Added)).collect(),
        unchanged: 0,
        extra: Vec::new(),
    }
}

pub fn changes<'a>(entries: &'a [LexiconEntry], current: &[Value]) -> Plan<'a> {
    let mut by_key: HashMap<(String, String), &Value> = HashMap::new();
    for schema in current {
        let key = (
            schema["entityType"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            schema["name"].as_str().unwrap_or_default().to_string(),
        );
        by_key.insert(key, &schema["schemaJson"]);
    }
    let mut plan = Plan {
        entries: Vec::new(),
        unchanged: 0,
        extra: Vec::new(),
    };
    for entry in entries {
        let key = (entry.entity_type.to_string(), entry.name.clone());
        match by_key.remove(&key) {
            None => plan.entries.push((entry, Change::Added)),
            Some(remote) => {
                let differences = differences(&entry.schema_json, remote);
                if differences.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.entries.push((entry, Change::Changed(differences)));
                }
            }
        }
    }
    let mut extra: Vec<(String, String)> = by_key.into_keys().collect();
    extra.sort();
    plan.extra = extra
        .into_iter()
        .map(|(kind, name)| match kind.as_str() {
            "profile" => "user properties".to_string(),
            "event" => format!("event `{name}`"),
            _ => format!("{kind} `{name}`"),
        })
        .collect();
    plan
}

/// The top-level parts of the entry's schema that the current one does not hold.
fn differences(local: &Value, remote: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(local) = local.as_object() else {
        return out;
    };
    for (key, value) in local {
        let theirs = remote.get(key).unwrap_or(&Value::Null);
        if key == "properties" {
            let mine = value.as_object().cloned().unwrap_or_default();
            let theirs = theirs.as_object().cloned().unwrap_or_default();
            let mut names: Vec<&String> = mine
                .iter()
                .filter(|(name, def)| !theirs.get(*name).is_some_and(|t| holds(t, def)))
                .map(|(name, _)| name)
                .chain(theirs.keys().filter(|name| !mine.contains_key(*name)))
                .collect();
            names.sort();
            names.dedup();
            if !names.is_empty() {
                let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
                out.push(format!("properties {}", names.join(", ")));
            }
        } else if !holds(theirs, value) {
            out.push(key.clone());
        }
    }
    out
}

/// `theirs` says everything `mine` says (objects may hold more keys).
fn holds(theirs: &Value, mine: &Value) -> bool {
    match (theirs, mine) {
        (Value::Object(theirs), Value::Object(mine)) => mine
            .iter()
            .all(|(k, v)| theirs.get(k).is_some_and(|t| holds(t, v))),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => theirs == mine,
    }
}

impl<'a> Plan<'a> {
    pub fn to_send(&self) -> Vec<&'a LexiconEntry> {
        self.entries.iter().map(|(e, _)| *e).collect()
    }

    /// `added event ...`, `changed event ...: properties a, b`, then the counts.
    pub fn report(&self, replace: bool) -> String {
        let all: Vec<&LexiconEntry> = self.to_send();
        self.report_for(&all, replace)
    }

    /// The report of the entries that were sent.
    pub fn report_for(&self, sent: &[&LexiconEntry], replace: bool) -> String {
        let mut text = String::new();
        let (mut added, mut changed) = (0, 0);
        for (entry, change) in &self.entries {
            if !sent.iter().any(|s| std::ptr::eq(*s, *entry)) {
                continue;
            }
            let what = super::describe(entry);
            match change {
                Change::Added => {
                    added += 1;
                    text.push_str(&format!("{} {what}\n", change.verb()));
                }
                Change::Changed(parts) => {
                    changed += 1;
                    text.push_str(&format!("{} {what}: {}\n", change.verb(), parts.join("; ")));
                }
            }
        }
        let mut counts = format!(
            "{added} added, {changed} changed, {} unchanged",
            self.unchanged
        );
        if replace {
            for extra in &self.extra {
                text.push_str(&format!("deleted {extra}\n"));
            }
            counts.push_str(&format!(", {} deleted", self.extra.len()));
        }
        text.push_str(&counts);
        text.push('\n');
        text
    }
}
