//! The one place that reads the core's model: a [`Plan`] and its findings in, the page's records
//! out. It walks the core's table of entity kinds ([`EntityKind::ALL`]) and what every entity has
//! ([`model::Entity`]); what a kind says besides (an event's properties, a flow's steps) is read from
//! its struct, and a kind this module does not know yet gets a page of its common fields. Every
//! other module of this crate works on the records.

use crate::data::{
    At, Common, Event, Fields, Flow, Identity, Items, KindInfo, Kpi, Overrides, PlanInfo, Problem,
    PropertyDef, PropertyUse, Record, Team,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use trackplan_core::model::{
    self, Definition, EntityKind, EventPropertyKind, PropertyOverrides, Reference,
};
use trackplan_core::span::Spanned;
use trackplan_core::{Diagnostic, FileId, Plan, Span};

/// The commits that changed each entity, keyed by kind key and id (see [`crate::history`]).
pub type HistoryByEntity = PerEntity<Vec<(usize, Vec<usize>)>>;

/// Something per entity, keyed by kind key and id.
type PerEntity<T> = FxHashMap<(String, String), T>;

/// The plan as the page shows it.
pub struct Read {
    pub plan: PlanInfo,
    pub files: Vec<String>,
    pub kinds: Vec<KindInfo>,
    /// The records of each kind, by section key.
    pub entities: BTreeMap<&'static str, Vec<Record>>,
    pub problems: Vec<Problem>,
    /// The commits of properties defined inside events only (they have no record of their own).
    pub inline_history: BTreeMap<String, Vec<(usize, Vec<usize>)>>,
}

/// Where things are: file ids to indexes of the page's file list, spans to lines.
struct Locator<'p> {
    plan: &'p Plan,
    index: FxHashMap<FileId, usize>,
}

impl<'p> Locator<'p> {
    fn new(plan: &'p Plan) -> Locator<'p> {
        let index = plan
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id(), i))
            .collect();
        Locator { plan, index }
    }

    fn at(&self, span: Span) -> Option<At> {
        let file = self.plan.file(span.file)?;
        let line = file.source.lines().line_of(span.start as usize) as u32 + 1;
        Some(At(*self.index.get(&span.file)?, line))
    }
}

/// Reads the plan. `history` holds each entity's commits; they are moved into the records.
pub fn read(plan: &Plan, diagnostics: &[Diagnostic], mut history: HistoryByEntity) -> Read {
    let locate = Locator::new(plan);
    let plan_info = plan_info(plan, &locate);

    // Each kind's definitions, the first of each name (a second is a `duplicate-definition`).
    let mut definitions: Vec<(EntityKind, Definition<'_>)> = Vec::new();
    let mut seen: FxHashSet<(EntityKind, &str)> = FxHashSet::default();
    for &kind in EntityKind::ALL {
        for definition in plan.definitions(kind) {
            if seen.insert((kind, definition.name().text.as_str())) {
                definitions.push((kind, definition));
            }
        }
    }

    let (problems, mut problems_of) = problems(plan, diagnostics, &locate);
    let mut entities: BTreeMap<&'static str, Vec<Record>> = EntityKind::ALL
        .iter()
        .map(|kind| (kind.section(), Vec::new()))
        .collect();
    for (kind, definition) in &definitions {
        let name = definition.name();
        let c = definition.common();
        let key = (kind.as_str().to_string(), name.text.clone());
        let record = Record {
            common: Common {
                id: name.text.clone(),
                description: text(&c.description),
                notes: text(&c.notes),
                tags: c.tags.iter().map(|t| t.value.clone()).collect(),
                owners: c
                    .owner
                    .iter()
                    .chain(&c.owners)
                    .map(|o| o.name.clone())
                    .collect(),
                links: c
                    .links
                    .iter()
                    .map(|l| (l.label.value.clone(), l.url.value.clone()))
                    .collect(),
                at: locate.at(name.span),
                problems: problems_of.remove(&key).unwrap_or_default(),
                history: history.remove(&key).unwrap_or_default(),
            },
            name: definition.entity.display_name().map(|n| n.value.clone()),
            fields: fields(definition, &locate),
        };
        entities.entry(kind.section()).or_default().push(record);
    }

    let mut inline_history = BTreeMap::new();
    for event in plan.events() {
        for property in &event.properties {
            let name = &property.name.text;
            let inline = matches!(property.kind, EventPropertyKind::Inline(_));
            if inline && !seen.contains(&(EntityKind::Property, name.as_str())) {
                let key = (EntityKind::Property.as_str().to_string(), name.clone());
                if let Some(commits) = history.remove(&key) {
                    inline_history.insert(name.clone(), commits);
                }
            }
        }
    }

    Read {
        plan: plan_info,
        files: plan.files.iter().map(|f| f.source.path.clone()).collect(),
        kinds: EntityKind::ALL
            .iter()
            .map(|kind| {
                let info = kind.info();
                KindInfo {
                    key: kind.as_str(),
                    noun: info.noun,
                    plural: info.plural,
                    heading: info.heading,
                    section: info.section,
                    by_id: kind.is_id(),
                }
            })
            .collect(),
        entities,
        problems,
        inline_history,
    }
}

fn plan_info(plan: &Plan, locate: &Locator<'_>) -> PlanInfo {
    let settings = plan.settings();
    let identity = plan.identity().filter(|i| {
        i.id_merge.is_some() || !i.identify.is_empty() || !i.reset.is_empty() || i.notes.is_some()
    });
    PlanInfo {
        name: settings.name.map(|n| n.value),
        description: settings.description.map(|d| d.value),
        dir: String::new(),
        format_version: settings.version.map(|v| v.value),
        event_case: settings.conventions.event_case.map(|c| c.value.as_str()),
        property_case: settings.conventions.property_case.map(|c| c.value.as_str()),
        identity: identity.map(|i| Identity {
            id_merge: i.id_merge.as_ref().map(|m| m.value.as_str()),
            identify: names(&i.identify),
            reset: names(&i.reset),
            notes: text(&i.notes),
            at: settings.identity_span.and_then(|s| locate.at(s)),
        }),
        super_properties: unique(plan.super_properties().map(|r| r.name.clone())),
        lint: settings
            .lint
            .iter()
            .map(|l| (l.rule.text.clone(), l.level.value.as_str()))
            .collect(),
        at: plan
            .root_file()
            .and_then(|f| locate.at(Span::file_start(f.id()))),
        history: Vec::new(),
    }
}

/// The findings, each with the entity whose definition holds it; and per entity, its findings.
fn problems(
    plan: &Plan,
    diagnostics: &[Diagnostic],
    locate: &Locator<'_>,
) -> (Vec<Problem>, PerEntity<Vec<usize>>) {
    let mut entries: Vec<(Span, EntityKind, &str)> = EntityKind::ALL
        .iter()
        .flat_map(|&kind| {
            plan.definitions(kind)
                .map(move |d| (d.common().entry_span, kind, d.name().text.as_str()))
        })
        .collect();
    entries.sort_by_key(|(span, _, _)| (span.file, span.start));
    let mut problems = Vec::with_capacity(diagnostics.len());
    let mut problems_of: PerEntity<Vec<usize>> = FxHashMap::default();
    for diagnostic in diagnostics {
        let Some(at) = locate.at(diagnostic.span) else {
            continue;
        };
        let d = diagnostic.span;
        // Entries of one file do not overlap: the last one starting before the finding is the only
        // one that may hold it.
        let before = entries.partition_point(|(s, _, _)| (s.file, s.start) <= (d.file, d.start));
        let holder = before
            .checked_sub(1)
            .map(|i| entries[i])
            .filter(|(s, _, _)| s.contains_span(d));
        if let Some((_, kind, name)) = holder {
            problems_of
                .entry((kind.as_str().to_string(), name.to_string()))
                .or_default()
                .push(problems.len());
        }
        problems.push(Problem {
            rule: diagnostic.rule.as_str(),
            severity: diagnostic.severity.as_str(),
            message: diagnostic.message.clone(),
            help: diagnostic.help.as_deref().map(str::to_string),
            at,
            entity: holder.map(|(_, kind, name)| (kind.as_str(), name.to_string())),
        });
    }
    (problems, problems_of)
}

/// What a definition says besides the common fields, read from its struct.
fn fields(definition: &Definition<'_>, locate: &Locator<'_>) -> Fields {
    if let Some(t) = definition.get::<model::Team>() {
        return Fields::Team(Team {
            contact: text(&t.contact),
        });
    }
    if let Some(k) = definition.get::<model::Kpi>() {
        return Fields::Kpi(Kpi {
            goal: k.goal.as_ref().map(|g| g.name.clone()),
            definition: text(&k.definition),
            priority: k.priority.as_ref().map(|p| p.value),
        });
    }
    if let Some(f) = definition.get::<model::Flow>() {
        return Fields::Flow(Flow {
            kpis: names(&f.kpis),
            steps: names(&f.steps),
            alternatives: f
                .alternatives
                .iter()
                .map(|a| (a.id.text.clone(), names(&a.steps)))
                .collect(),
        });
    }
    if let Some(e) = definition.get::<model::Event>() {
        return Fields::Event(Event {
            status: e.status.as_ref().map(|s| s.value.as_str()),
            platforms: e.platforms.iter().map(|p| p.value.as_str()).collect(),
            kpis: names(&e.kpis),
            replaced_by: e.replaced_by.as_ref().map(|r| r.name.clone()),
            sensitivity: e.sensitivity.as_ref().map(|s| s.value.as_str()),
            expires: e.expires.as_ref().map(|d| d.value.to_string()),
            props: e
                .properties
                .iter()
                .map(|p| property_use(p, locate))
                .collect(),
        });
    }
    if let Some(p) = definition.get::<model::PropertyDef>() {
        return Fields::Property(property(p, locate, false));
    }
    Fields::None {}
}

fn property_use(p: &model::EventProperty, locate: &Locator<'_>) -> PropertyUse {
    let (ov, def) = match &p.kind {
        EventPropertyKind::Reference { overrides, .. } => (overrides_of(overrides), None),
        EventPropertyKind::Inline(def) => (None, Some(Box::new(property(def, locate, true)))),
    };
    PropertyUse {
        n: p.name.text.clone(),
        req: p.required.as_ref().map(|r| r.value),
        ov,
        def,
    }
}

fn overrides_of(o: &PropertyOverrides) -> Option<Overrides> {
    let overrides = Overrides {
        description: text(&o.description),
        examples: o.examples.iter().map(|v| v.value.to_json()).collect(),
        enum_values: o
            .enum_values
            .as_ref()
            .map(|values| values.iter().map(|v| v.value.to_json()).collect()),
        notes: text(&o.notes),
    };
    let empty = overrides.description.is_none()
        && overrides.examples.is_empty()
        && overrides.enum_values.is_none()
        && overrides.notes.is_none();
    (!empty).then_some(overrides)
}

/// A property definition's fields. `own_common`: the definition is not a dictionary entry (inline in
/// an event, or nested), so its description and notes are written here rather than in a record's
/// common fields.
fn property(p: &model::PropertyDef, locate: &Locator<'_>, own_common: bool) -> PropertyDef {
    PropertyDef {
        ty: p.ty.as_ref().map(|t| t.value.to_string()),
        enum_values: p
            .enum_values
            .as_ref()
            .map(|values| values.iter().map(|v| v.value.to_json()).collect()),
        examples: p.examples.iter().map(|v| v.value.to_json()).collect(),
        pattern: text(&p.pattern),
        min: p.min.as_ref().map(|m| m.value),
        max: p.max.as_ref().map(|m| m.value),
        pii: p.is_pii(),
        sensitivity: p.sensitivity.as_ref().map(|s| s.value.as_str()),
        expires: p.expires.as_ref().map(|d| d.value.to_string()),
        deprecated: p.is_deprecated(),
        replaced_by: p.replaced_by.as_ref().map(|r| r.name.clone()),
        items: p.items.as_ref().map(|items| match items {
            model::Items::Type(t) => Items::Type(t.value.as_str()),
            model::Items::Definition(def) => {
                Items::Definition(Box::new(property(def, locate, true)))
            }
        }),
        // A nested dictionary reference (`customer_id: required`) is listed by its name; the
        // dictionary's page says the rest.
        properties: p
            .properties
            .iter()
            .map(|nested| {
                let def = match &nested.kind {
                    EventPropertyKind::Inline(def) => property(def, locate, true),
                    EventPropertyKind::Reference { .. } => PropertyDef::default(),
                };
                (nested.name.text.clone(), def)
            })
            .collect(),
        description: if own_common {
            text(&p.common.description)
        } else {
            None
        },
        notes: if own_common {
            text(&p.common.notes)
        } else {
            None
        },
        at: if own_common {
            locate.at(p.name.span)
        } else {
            None
        },
    }
}

fn text(value: &Option<Spanned<String>>) -> Option<String> {
    value.as_ref().map(|v| v.value.clone())
}

fn names(references: &[Reference]) -> Vec<String> {
    references.iter().map(|r| r.name.clone()).collect()
}

fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = FxHashSet::default();
    names.filter(|n| seen.insert(n.clone())).collect()
}
