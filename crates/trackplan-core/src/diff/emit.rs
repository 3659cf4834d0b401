//! Emission: where a change stands ([`At`]), how it is worded, and the list of changes being made
//! ([`Differ`]), which [`Differ::finish`] links to KPIs and flows and sorts.

use super::change::Change;
use super::kind::{Entity, Kind, Level};
use super::links::{self, Touch};
use super::side::Side;
use crate::model::EntityKind;
use crate::span::Span;
use serde_json::Value as Json;
use std::collections::BTreeSet;

/// Both plans, and the changes found so far with what each touches.
pub(super) struct Differ<'a> {
    pub old: Side<'a>,
    pub new: Side<'a>,
    out: Vec<(Change, Touch)>,
}

/// The entity (and property inside it) being compared.
#[derive(Clone)]
pub(super) struct At {
    pub entity: Entity,
    pub name: String,
    pub property: Option<String>,
    pub touch: Touch,
    pub old_span: Option<Span>,
    pub new_span: Option<Span>,
}

impl At {
    pub fn new(entity: Entity, name: &str, old_span: Option<Span>, new_span: Option<Span>) -> At {
        let touch = match entity {
            Entity::Kind(EntityKind::Event) => Touch::Events(vec![name.to_string()]),
            Entity::Kind(EntityKind::Property) => Touch::Property(name.to_string()),
            Entity::Kind(EntityKind::Kpi) => Touch::Kpi(name.to_string()),
            Entity::Kind(EntityKind::Flow) => Touch::Flow(name.to_string()),
            Entity::Kind(EntityKind::Goal) => Touch::Goal(name.to_string()),
            _ => Touch::Nothing,
        };
        At {
            entity,
            name: name.to_string(),
            property: None,
            touch,
            old_span,
            new_span,
        }
    }

    /// A property inside this entity (or inside the current property).
    pub fn child(&self, name: &str, old_span: Option<Span>, new_span: Option<Span>) -> At {
        let property = match &self.property {
            Some(parent) if name == "[]" => format!("{parent}[]"),
            Some(parent) => format!("{parent}.{name}"),
            None => name.to_string(),
        };
        At {
            property: Some(property),
            old_span: old_span.or(self.old_span),
            new_span: new_span.or(self.new_span),
            ..self.clone()
        }
    }

    /// "event `X`", "property `p` of event `X`", "KPI `k`", ...
    pub fn subject(&self) -> String {
        let entity = self.entity.noun();
        match (&self.property, self.entity) {
            (None, Entity::Plan) => "the plan".to_string(),
            (None, Entity::Identity | Entity::Conventions) => entity.to_string(),
            (None, _) => format!("{entity} `{}`", self.name),
            (Some(path), Entity::Kind(EntityKind::Event)) => {
                format!("property `{path}` of event `{}`", self.name)
            }
            (
                Some(path),
                Entity::Kind(EntityKind::Property) | Entity::Kind(EntityKind::UserProperty),
            ) => {
                let sep = if path.starts_with("[]") { "" } else { "." };
                format!("{entity} `{}{sep}{path}`", self.name)
            }
            (Some(path), _) => format!("`{path}` of {entity} `{}`", self.name),
        }
    }
}

/// A field's old and new value, as JSON, and where the new one is written.
pub(super) struct Values {
    pub old: Option<Json>,
    pub new: Option<Json>,
    pub new_span: Option<Span>,
}

pub(super) fn text(s: &str) -> Json {
    Json::String(s.to_string())
}

pub(super) fn list<'s>(items: impl IntoIterator<Item = &'s str>) -> Json {
    Json::Array(items.into_iter().map(text).collect())
}

pub(super) fn set<'s>(items: impl IntoIterator<Item = &'s str>) -> BTreeSet<&'s str> {
    items.into_iter().collect()
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a list of names changed, for summaries: "added `a`; removed `b`", or "reordered".
pub(super) fn describe_list(old: &[&str], new: &[&str]) -> String {
    let (o, n) = (set(old.iter().copied()), set(new.iter().copied()));
    let added: Vec<&str> = new.iter().copied().filter(|s| !o.contains(s)).collect();
    let removed: Vec<&str> = old.iter().copied().filter(|s| !n.contains(s)).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", quoted(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", quoted(&removed)));
    }
    if parts.is_empty() {
        parts.push("reordered".to_string());
    } else if o.len() == old.len() && n.len() == new.len() {
        let kept_old: Vec<&str> = old.iter().copied().filter(|s| n.contains(s)).collect();
        let kept_new: Vec<&str> = new.iter().copied().filter(|s| o.contains(s)).collect();
        if kept_old != kept_new {
            parts.push("reordered the rest".to_string());
        }
    }
    parts.join("; ")
}

impl<'a> Differ<'a> {
    pub fn new(old: Side<'a>, new: Side<'a>) -> Differ<'a> {
        Differ {
            old,
            new,
            out: Vec::new(),
        }
    }

    pub fn emit(
        &mut self,
        at: &At,
        kind: Kind,
        level: Level,
        field: Option<&str>,
        values: Values,
        summary: String,
    ) {
        let change = Change {
            kind,
            level,
            entity: at.entity,
            name: at.name.clone(),
            property: at.property.clone(),
            field: field.map(str::to_string),
            old: values.old,
            new: values.new,
            summary,
            kpis: Vec::new(),
            flows: Vec::new(),
            old_span: at.old_span,
            new_span: values.new_span.or(at.new_span),
        };
        self.out.push((change, at.touch.clone()));
    }

    /// The entity or property at `at` was added (or removed); `extra` is said after that.
    pub fn added_removed(
        &mut self,
        at: &At,
        kind: Kind,
        level: Level,
        added: bool,
        extra: Option<String>,
    ) {
        let what = if added { "added" } else { "removed" };
        let mut summary = format!("{} {what}", at.subject());
        if let Some(extra) = extra {
            summary.push_str(&extra);
        }
        let name = Some(text(at.property.as_deref().unwrap_or(&at.name)));
        let (old, new) = if added { (None, name) } else { (name, None) };
        let values = Values {
            old,
            new,
            new_span: None,
        };
        self.emit(at, kind, level, None, values, summary);
    }

    /// The changes, with the KPIs and flows each touches in either plan, sorted by entity type,
    /// name and property (changes of one entity keep the order they were found in).
    pub fn finish(mut self) -> Vec<Change> {
        let mut changes = Vec::with_capacity(self.out.len());
        for (mut change, touch) in std::mem::take(&mut self.out) {
            let mut kpis = BTreeSet::new();
            let mut flows = BTreeSet::new();
            links::collect(self.old.plan, &touch, &mut kpis, &mut flows);
            links::collect(self.new.plan, &touch, &mut kpis, &mut flows);
            change.kpis = kpis.into_iter().collect();
            change.flows = flows.into_iter().collect();
            changes.push(change);
        }
        changes.sort_by(|a, b| {
            (a.entity, &a.name, &a.property).cmp(&(b.entity, &b.name, &b.property))
        });
        changes
    }
}
