//! The comparison itself: which names to look at, how each entity's fields compare, renames, levels
//! and wording.

use super::links::{self, Touch};
use super::{Change, Entity, Kind, Level};
use crate::model::*;
use crate::span::{Span, Spanned};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

pub(super) fn run(old: &Plan, new: &Plan) -> Vec<Change> {
    let scope = Scope::new(old, new);
    if !scope.any {
        return Vec::new();
    }
    let mut differ = Differ {
        old: Side::new(old),
        new: Side::new(new),
        out: Vec::new(),
    };
    if scope.root {
        differ.root_settings();
    }
    differ.teams(&scope.names[&EntityKind::Team]);
    differ.goals(&scope.names[&EntityKind::Goal]);
    differ.kpis(&scope.names[&EntityKind::Kpi], &scope.flow_kpis);
    differ.flows(&scope.names[&EntityKind::Flow]);
    differ.events(&scope.names[&EntityKind::Event]);
    differ.properties(&scope.names[&EntityKind::Property], EntityKind::Property);
    differ.properties(
        &scope.names[&EntityKind::UserProperty],
        EntityKind::UserProperty,
    );
    differ.super_properties();
    differ.finish()
}

// ----- what to look at -----------------------------------------------------------------------------

/// The names defined in files that differ between the two plans: only those can have changed.
struct Scope<'a> {
    any: bool,
    /// The root file differs.
    root: bool,
    names: HashMap<EntityKind, BTreeSet<&'a str>>,
    /// KPIs listed by flows of files that differ: their flows may have changed.
    flow_kpis: BTreeSet<&'a str>,
}

fn same_file(a: &Arc<ParsedFile>, b: &Arc<ParsedFile>) -> bool {
    Arc::ptr_eq(a, b) || (a.source.path == b.source.path && a.source.text == b.source.text)
}

impl<'a> Scope<'a> {
    fn new(old: &'a Plan, new: &'a Plan) -> Scope<'a> {
        let mut scope = Scope {
            any: false,
            root: false,
            names: EntityKind::ALL
                .iter()
                .map(|ns| (*ns, BTreeSet::new()))
                .collect(),
            flow_kpis: BTreeSet::new(),
        };
        // The same file object on both sides (a history reader shares them), else the same path
        // and text.
        let pointer = |f: &Arc<ParsedFile>| Arc::as_ptr(f) as usize;
        let old_files: FxHashSet<usize> = old.files.iter().map(pointer).collect();
        let old_by_path: FxHashMap<&str, &Arc<ParsedFile>> = old
            .files
            .iter()
            .map(|f| (f.source.path.as_str(), f))
            .collect();
        let mut shared: FxHashSet<usize> =
            FxHashSet::with_capacity_and_hasher(new.files.len(), Default::default());
        for file in &new.files {
            if old_files.contains(&pointer(file)) {
                shared.insert(pointer(file));
                continue;
            }
            match old_by_path.get(file.source.path.as_str()) {
                Some(o) if same_file(o, file) => {
                    shared.insert(pointer(o));
                }
                _ => scope.add(file),
            }
        }
        for file in &old.files {
            if !shared.contains(&pointer(file)) {
                scope.add(file);
            }
        }
        scope
    }

    fn add(&mut self, file: &'a ParsedFile) {
        self.any = true;
        self.root |= file.source.is_root();
        let part = &file.part;
        let mut add = |ns: EntityKind, name: &'a Name| {
            self.names.get_mut(&ns).unwrap().insert(name.text.as_str());
        };
        part.teams.iter().for_each(|t| add(EntityKind::Team, &t.id));
        part.goals.iter().for_each(|g| add(EntityKind::Goal, &g.id));
        part.kpis.iter().for_each(|k| add(EntityKind::Kpi, &k.id));
        part.flows.iter().for_each(|f| add(EntityKind::Flow, &f.id));
        part.events
            .iter()
            .for_each(|e| add(EntityKind::Event, &e.name));
        part.properties
            .iter()
            .for_each(|p| add(EntityKind::Property, &p.name));
        part.user_properties
            .iter()
            .for_each(|p| add(EntityKind::UserProperty, &p.name));
        for flow in &part.flows {
            self.flow_kpis
                .extend(flow.kpis.iter().map(|k| k.name.as_str()));
        }
    }
}

/// One plan's definitions by name (the first definition wins, as everywhere in the core).
struct Side<'a> {
    plan: &'a Plan,
    events: FxHashMap<&'a str, &'a Event>,
    properties: FxHashMap<&'a str, &'a PropertyDef>,
    user_properties: FxHashMap<&'a str, &'a PropertyDef>,
    kpis: FxHashMap<&'a str, &'a Kpi>,
    goals: FxHashMap<&'a str, &'a Goal>,
    flows: FxHashMap<&'a str, &'a Flow>,
    teams: FxHashMap<&'a str, &'a Team>,
}

fn by_name<'a, T>(
    items: impl Iterator<Item = &'a T>,
    name: impl Fn(&'a T) -> &'a Name,
) -> FxHashMap<&'a str, &'a T> {
    let mut map = FxHashMap::default();
    for item in items {
        map.entry(name(item).text.as_str()).or_insert(item);
    }
    map
}

impl<'a> Side<'a> {
    fn new(plan: &'a Plan) -> Side<'a> {
        Side {
            plan,
            events: by_name(plan.events(), |e| &e.name),
            properties: by_name(plan.properties(), |p| &p.name),
            user_properties: by_name(plan.user_properties(), |p| &p.name),
            kpis: by_name(plan.kpis(), |k| &k.id),
            goals: by_name(plan.goals(), |g| &g.id),
            flows: by_name(plan.flows(), |f| &f.id),
            teams: by_name(plan.teams(), |t| &t.id),
        }
    }

    /// The text of an entry of this plan.
    fn text(&self, span: Span) -> Option<&'a str> {
        self.plan.file(span.file).map(|f| f.source.slice(span))
    }

    fn dictionary(&self, ns: EntityKind) -> &FxHashMap<&'a str, &'a PropertyDef> {
        if ns == EntityKind::UserProperty {
            &self.user_properties
        } else {
            &self.properties
        }
    }
}

// ----- where a change stands -------------------------------------------------------------------------

/// The entity (and property inside it) being compared.
#[derive(Clone)]
struct At {
    entity: Entity,
    name: String,
    property: Option<String>,
    touch: Touch,
    old_span: Option<Span>,
    new_span: Option<Span>,
}

impl At {
    fn new(entity: Entity, name: &str, old_span: Option<Span>, new_span: Option<Span>) -> At {
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
    fn child(&self, name: &str, old_span: Option<Span>, new_span: Option<Span>) -> At {
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
    fn subject(&self) -> String {
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
struct Values {
    old: Option<Json>,
    new: Option<Json>,
    new_span: Option<Span>,
}

fn text(s: &str) -> Json {
    Json::String(s.to_string())
}

fn list<'s>(items: impl IntoIterator<Item = &'s str>) -> Json {
    Json::Array(items.into_iter().map(text).collect())
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn opt_text(s: &Option<Spanned<String>>) -> Option<&str> {
    s.as_ref().map(|s| s.value.as_str())
}

fn ref_name(r: &Option<Reference>) -> Option<&str> {
    r.as_ref().map(|r| r.name.as_str())
}

fn names(refs: &[Reference]) -> Vec<&str> {
    refs.iter().map(|r| r.name.as_str()).collect()
}

fn set<'s>(items: impl IntoIterator<Item = &'s str>) -> BTreeSet<&'s str> {
    items.into_iter().collect()
}

/// How a list of names changed, for summaries: "added `a`; removed `b`", or "reordered".
fn describe_list(old: &[&str], new: &[&str]) -> String {
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

// ----- the differ -------------------------------------------------------------------------------------

struct Differ<'a> {
    old: Side<'a>,
    new: Side<'a>,
    out: Vec<(Change, Touch)>,
}

/// How a rename was recognised.
#[derive(Clone, Copy)]
enum RenameHow {
    ReplacedBy,
    Identical,
}

impl<'a> Differ<'a> {
    /// An entity written the same way on both sides says the same: nothing to compare. Most
    /// entities of a changed file are unchanged, so this keeps long changelogs fast.
    fn same_entry(&self, old: Span, new: Span) -> bool {
        match (self.old.text(old), self.new.text(new)) {
            (Some(o), Some(n)) => !o.is_empty() && o == n,
            _ => false,
        }
    }

    fn emit(
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

    fn finish(mut self) -> Vec<Change> {
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

    /// A text field: added, removed or changed.
    #[allow(clippy::too_many_arguments)]
    fn text_field(
        &mut self,
        at: &At,
        kind: Kind,
        level: Level,
        field: &str,
        old: Option<&str>,
        new: Option<&Spanned<String>>,
    ) {
        let new_text = new.map(|s| s.value.as_str());
        if old == new_text {
            return;
        }
        let what = match (old, new_text) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        };
        let summary = format!("{field} of {} {what}", at.subject());
        self.emit(
            at,
            kind,
            level,
            Some(field),
            Values {
                old: old.map(text),
                new: new_text.map(text),
                new_span: new.map(|s| s.span),
            },
            summary,
        );
    }

    fn common(&mut self, at: &At, old: &Common, new: &Common) {
        self.text_field(
            at,
            Kind::DescriptionChanged,
            Level::Safe,
            "description",
            opt_text(&old.description),
            new.description.as_ref(),
        );
        self.text_field(
            at,
            Kind::NotesChanged,
            Level::Safe,
            "notes",
            opt_text(&old.notes),
            new.notes.as_ref(),
        );
        let old_tags: Vec<&str> = old.tags.iter().map(|t| t.value.as_str()).collect();
        let new_tags: Vec<&str> = new.tags.iter().map(|t| t.value.as_str()).collect();
        if set(old_tags.iter().copied()) != set(new_tags.iter().copied()) {
            let summary = format!(
                "tags of {}: {}",
                at.subject(),
                describe_list(&old_tags, &new_tags)
            );
            self.emit(
                at,
                Kind::TagsChanged,
                Level::Safe,
                Some("tags"),
                Values {
                    old: Some(list(old_tags)),
                    new: Some(list(new_tags)),
                    new_span: new.tags.first().map(|t| t.span),
                },
                summary,
            );
        }
        self.reference_field(
            at,
            Kind::OwnerChanged,
            Level::Safe,
            "owner",
            old.owner.as_ref(),
            new.owner.as_ref(),
        );
    }

    fn reference_field(
        &mut self,
        at: &At,
        kind: Kind,
        level: Level,
        field: &str,
        old: Option<&Reference>,
        new: Option<&Reference>,
    ) {
        let (o, n) = (old.map(|r| r.name.as_str()), new.map(|r| r.name.as_str()));
        if o == n {
            return;
        }
        let summary = match (o, n) {
            (Some(o), Some(n)) => {
                format!("{field} of {} changed from `{o}` to `{n}`", at.subject())
            }
            (None, Some(n)) => format!("{field} of {} set to `{n}`", at.subject()),
            (Some(o), None) => format!("{field} `{o}` of {} removed", at.subject()),
            (None, None) => unreachable!(),
        };
        self.emit(
            at,
            kind,
            level,
            Some(field),
            Values {
                old: o.map(text),
                new: n.map(text),
                new_span: new.map(|r| r.span),
            },
            summary,
        );
    }

    fn added_removed(
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
        let name = at.property.as_deref().unwrap_or(&at.name);
        let values = if added {
            Values {
                old: None,
                new: Some(text(name)),
                new_span: None,
            }
        } else {
            Values {
                old: Some(text(name)),
                new: None,
                new_span: None,
            }
        };
        self.emit(at, kind, level, None, values, summary);
    }

    // ----- root settings ---------------------------------------------------------------------------

    fn root_settings(&mut self) {
        let (old, new) = (self.old.plan.settings(), self.new.plan.settings());
        // A plan that had no root file gets its settings for the first time: nothing existing
        // followed the old ones.
        let fresh = self.old.plan.root_file().is_none();
        let level = |level: Level| if fresh { Level::Safe } else { level };
        let root_span = |plan: &Plan| plan.root_file().map(|f| Span::file_start(f.id()));
        let plan_name = opt_text(&new.name)
            .or(opt_text(&old.name))
            .unwrap_or("plan")
            .to_string();
        let at = At::new(
            Entity::Plan,
            &plan_name,
            root_span(self.old.plan),
            root_span(self.new.plan),
        );
        let (ov, nv) = (
            old.version.as_ref().map(|v| v.value),
            new.version.as_ref().map(|v| v.value),
        );
        // A plan that appears or goes has no version change to speak of.
        let both = self.old.plan.root_file().is_some() && self.new.plan.root_file().is_some();
        if ov != nv && both {
            self.emit(
                &at,
                Kind::FormatVersionChanged,
                level(Level::Dangerous),
                Some("trackplan"),
                Values {
                    old: ov.map(Json::from),
                    new: nv.map(Json::from),
                    new_span: new.version.as_ref().map(|v| v.span),
                },
                format!(
                    "plan format version changed from {} to {}",
                    ov.map_or("none".to_string(), |v| v.to_string()),
                    nv.map_or("none".to_string(), |v| v.to_string())
                ),
            );
        }
        self.text_field(
            &at,
            Kind::NameChanged,
            Level::Safe,
            "name",
            opt_text(&old.name),
            new.name.as_ref(),
        );
        self.text_field(
            &at,
            Kind::DescriptionChanged,
            Level::Safe,
            "description",
            opt_text(&old.description),
            new.description.as_ref(),
        );
        self.lint(&at, &old.lint, &new.lint);

        let at = At::new(
            Entity::Conventions,
            "conventions",
            root_span(self.old.plan),
            root_span(self.new.plan),
        );
        let conventions = [
            (
                "event_case",
                &old.conventions.event_case,
                &new.conventions.event_case,
            ),
            (
                "property_case",
                &old.conventions.property_case,
                &new.conventions.property_case,
            ),
        ];
        for (field, o, n) in conventions {
            let (ov, nv) = (o.as_ref().map(|c| c.value), n.as_ref().map(|c| c.value));
            if ov == nv {
                continue;
            }
            let word =
                |c: Option<Case>| c.map_or("none".to_string(), |c| format!("`{}`", c.as_str()));
            self.emit(
                &at,
                Kind::ConventionsChanged,
                level(Level::Dangerous),
                Some(field),
                Values {
                    old: ov.map(|c| text(c.as_str())),
                    new: nv.map(|c| text(c.as_str())),
                    new_span: n.as_ref().map(|c| c.span),
                },
                format!("{field} changed from {} to {}", word(ov), word(nv)),
            );
        }
        self.identity(
            &old.identity,
            &new.identity,
            old.identity_span,
            new.identity_span,
            level(Level::Breaking),
        );
    }

    fn lint(&mut self, at: &At, old: &[LintSetting], new: &[LintSetting]) {
        let level = |l: LintLevel| match l {
            LintLevel::Error => "error",
            LintLevel::Warning => "warning",
            LintLevel::Info => "info",
            LintLevel::Off => "off",
        };
        let mut o: BTreeMap<&str, &str> = BTreeMap::new();
        for s in old {
            o.entry(s.rule.text.as_str())
                .or_insert(level(s.level.value));
        }
        let mut n: BTreeMap<&str, (&str, Span)> = BTreeMap::new();
        for s in new {
            n.entry(s.rule.text.as_str())
                .or_insert((level(s.level.value), s.level.span));
        }
        let rules: BTreeSet<&str> = o.keys().chain(n.keys()).copied().collect();
        for rule in rules {
            let (ov, nv) = (o.get(rule).copied(), n.get(rule).map(|(l, _)| *l));
            if ov == nv {
                continue;
            }
            let summary = format!(
                "severity of rule `{rule}` changed from {} to {}",
                ov.unwrap_or("its default"),
                nv.unwrap_or("its default")
            );
            self.emit(
                at,
                Kind::LintChanged,
                Level::Safe,
                Some(&format!("lint.{rule}")),
                Values {
                    old: ov.map(text),
                    new: nv.map(text),
                    new_span: n.get(rule).map(|(_, s)| *s),
                },
                summary,
            );
        }
    }

    fn identity(
        &mut self,
        old: &Identity,
        new: &Identity,
        old_span: Option<Span>,
        new_span: Option<Span>,
        level: Level,
    ) {
        let mut at = At::new(Entity::Identity, "identity", old_span, new_span);
        let word = |m: &Option<Spanned<IdMerge>>| m.as_ref().map(|m| m.value.as_str());
        let (om, nm) = (word(&old.id_merge), word(&new.id_merge));
        if om != nm {
            at.touch = Touch::Events(
                names(&old.identify)
                    .into_iter()
                    .chain(names(&new.identify))
                    .chain(names(&old.reset))
                    .chain(names(&new.reset))
                    .map(str::to_string)
                    .collect(),
            );
            let word = |m: Option<&str>| m.map_or("none".to_string(), |m| format!("`{m}`"));
            self.emit(
                &at,
                Kind::IdentityChanged,
                level,
                Some("id_merge"),
                Values {
                    old: om.map(text),
                    new: nm.map(text),
                    new_span: new.id_merge.as_ref().map(|m| m.span),
                },
                format!("ID merge changed from {} to {}", word(om), word(nm)),
            );
        }
        for (field, call, o, n) in [
            ("identify", "identify()", &old.identify, &new.identify),
            ("reset", "reset()", &old.reset, &new.reset),
        ] {
            let (o_names, n_names) = (names(o), names(n));
            let (os, ns) = (set(o_names.iter().copied()), set(n_names.iter().copied()));
            if os == ns {
                continue;
            }
            at.touch = Touch::Events(
                os.symmetric_difference(&ns)
                    .map(|s| s.to_string())
                    .collect(),
            );
            let summary = format!(
                "events after which {call} is called: {}",
                describe_list(&o_names, &n_names)
            );
            self.emit(
                &at,
                Kind::IdentityChanged,
                level,
                Some(field),
                Values {
                    old: Some(list(o_names)),
                    new: Some(list(n_names)),
                    new_span: n.first().map(|r| r.span),
                },
                summary,
            );
        }
        at.touch = Touch::Nothing;
        self.text_field(
            &at,
            Kind::NotesChanged,
            Level::Safe,
            "notes",
            opt_text(&old.notes),
            new.notes.as_ref(),
        );
    }

    // ----- teams, goals, KPIs, flows ----------------------------------------------------------------

    /// The shared shape of comparing an entity keyed by id: an addition or a removal is reported
    /// here; an entry whose text did not change is no change; otherwise both sides are returned for
    /// the caller to compare field by field.
    fn matched<'p, T: Keyed>(
        &mut self,
        entity: Entity,
        name: &str,
        pair: (Option<&'p T>, Option<&'p T>),
        added: Kind,
        removed: (Kind, Level),
    ) -> Option<(At, &'p T, &'p T)> {
        match pair {
            (None, Some(new)) => {
                let at = At::new(entity, name, None, Some(new.id().span));
                self.added_removed(&at, added, Level::Safe, true, None);
                None
            }
            (Some(old), None) => {
                let at = At::new(entity, name, Some(old.id().span), None);
                self.added_removed(&at, removed.0, removed.1, false, None);
                None
            }
            (Some(old), Some(new)) if self.same_entry(old.entry_span(), new.entry_span()) => None,
            (Some(old), Some(new)) => {
                let at = At::new(entity, name, Some(old.id().span), Some(new.id().span));
                Some((at, old, new))
            }
            (None, None) => None,
        }
    }

    fn teams(&mut self, names: &BTreeSet<&str>) {
        for &name in names {
            let pair = (
                self.old.teams.get(name).copied(),
                self.new.teams.get(name).copied(),
            );
            let removed = (Kind::TeamRemoved, Level::Dangerous);
            let Some((at, o, n)) = self.matched(
                Entity::Kind(EntityKind::Team),
                name,
                pair,
                Kind::TeamAdded,
                removed,
            ) else {
                continue;
            };
            self.text_field(
                &at,
                Kind::NameChanged,
                Level::Safe,
                "name",
                opt_text(&o.name),
                n.name.as_ref(),
            );
            self.text_field(
                &at,
                Kind::TeamContactChanged,
                Level::Safe,
                "contact",
                opt_text(&o.contact),
                n.contact.as_ref(),
            );
            self.common(&at, &o.common, &n.common);
        }
    }

    fn goals(&mut self, names: &BTreeSet<&str>) {
        for &name in names {
            let pair = (
                self.old.goals.get(name).copied(),
                self.new.goals.get(name).copied(),
            );
            let removed = (Kind::GoalRemoved, Level::Dangerous);
            let Some((at, o, n)) = self.matched(
                Entity::Kind(EntityKind::Goal),
                name,
                pair,
                Kind::GoalAdded,
                removed,
            ) else {
                continue;
            };
            self.text_field(
                &at,
                Kind::NameChanged,
                Level::Safe,
                "name",
                opt_text(&o.name),
                n.name.as_ref(),
            );
            self.common(&at, &o.common, &n.common);
        }
    }

    fn kpis(&mut self, names: &BTreeSet<&str>, flow_kpis: &BTreeSet<&str>) {
        for &name in names {
            let pair = (
                self.old.kpis.get(name).copied(),
                self.new.kpis.get(name).copied(),
            );
            let removed = (Kind::KpiRemoved, Level::Breaking);
            let Some((at, o, n)) = self.matched(
                Entity::Kind(EntityKind::Kpi),
                name,
                pair,
                Kind::KpiAdded,
                removed,
            ) else {
                continue;
            };
            self.text_field(
                &at,
                Kind::NameChanged,
                Level::Safe,
                "name",
                opt_text(&o.name),
                n.name.as_ref(),
            );
            self.text_field(
                &at,
                Kind::KpiDefinitionChanged,
                Level::Dangerous,
                "definition",
                opt_text(&o.definition),
                n.definition.as_ref(),
            );
            self.reference_field(
                &at,
                Kind::KpiGoalChanged,
                Level::Safe,
                "goal",
                o.goal.as_ref(),
                n.goal.as_ref(),
            );
            let (op, np) = (
                o.priority.as_ref().map(|p| p.value),
                n.priority.as_ref().map(|p| p.value),
            );
            if op != np {
                let show = |p: Option<i64>| p.map_or("none".to_string(), |p| p.to_string());
                self.emit(
                    &at,
                    Kind::KpiPriorityChanged,
                    Level::Safe,
                    Some("priority"),
                    Values {
                        old: op.map(Json::from),
                        new: np.map(Json::from),
                        new_span: n.priority.as_ref().map(|p| p.span),
                    },
                    format!(
                        "priority of {} changed from {} to {}",
                        at.subject(),
                        show(op),
                        show(np)
                    ),
                );
            }
            self.common(&at, &o.common, &n.common);
        }
        // Re-mapping: the flows that list a KPI changed (KPIs added or removed say so themselves).
        for &name in flow_kpis {
            let (Some(o), Some(n)) = (
                self.old.kpis.get(name).copied(),
                self.new.kpis.get(name).copied(),
            ) else {
                continue;
            };
            let old_flows = links::flows_of_kpi(self.old.plan, name);
            let new_flows = links::flows_of_kpi(self.new.plan, name);
            if old_flows == new_flows {
                continue;
            }
            let (of, nf): (Vec<&str>, Vec<&str>) = (
                old_flows.iter().copied().collect(),
                new_flows.iter().copied().collect(),
            );
            let at = At::new(
                Entity::Kind(EntityKind::Kpi),
                name,
                Some(o.id.span),
                Some(n.id.span),
            );
            let summary = format!(
                "flows that move {}: {}",
                at.subject(),
                describe_list(&of, &nf)
            );
            self.emit(
                &at,
                Kind::KpiFlowsChanged,
                Level::Dangerous,
                Some("flows"),
                Values {
                    old: Some(list(of)),
                    new: Some(list(nf)),
                    new_span: None,
                },
                summary,
            );
        }
    }

    fn flows(&mut self, names: &BTreeSet<&str>) {
        for &name in names {
            let pair = (
                self.old.flows.get(name).copied(),
                self.new.flows.get(name).copied(),
            );
            let removed = (Kind::FlowRemoved, Level::Breaking);
            let Some((at, o, n)) = self.matched(
                Entity::Kind(EntityKind::Flow),
                name,
                pair,
                Kind::FlowAdded,
                removed,
            ) else {
                continue;
            };
            self.flow_pair(&at, o, n);
        }
    }

    fn flow_pair(&mut self, at: &At, o: &Flow, n: &Flow) {
        self.text_field(
            at,
            Kind::NameChanged,
            Level::Safe,
            "name",
            opt_text(&o.name),
            n.name.as_ref(),
        );
        self.steps(at, "steps", "steps", Some(&o.steps), Some(&n.steps));
        let o_alts: BTreeMap<&str, &Alternative> = o
            .alternatives
            .iter()
            .map(|a| (a.id.text.as_str(), a))
            .collect();
        let n_alts: BTreeMap<&str, &Alternative> = n
            .alternatives
            .iter()
            .map(|a| (a.id.text.as_str(), a))
            .collect();
        let ids: BTreeSet<&str> = o_alts.keys().chain(n_alts.keys()).copied().collect();
        for id in ids {
            let (oa, na) = (o_alts.get(id), n_alts.get(id));
            let field = format!("alternatives.{id}");
            let label = format!("alternative `{id}`");
            self.steps(
                at,
                &field,
                &label,
                oa.map(|a| a.steps.as_slice()),
                na.map(|a| a.steps.as_slice()),
            );
        }
        self.common(at, &o.common, &n.common);
    }

    fn steps(
        &mut self,
        at: &At,
        field: &str,
        label: &str,
        old: Option<&[Reference]>,
        new: Option<&[Reference]>,
    ) {
        let o = old.map(names);
        let n = new.map(names);
        if o == n {
            return;
        }
        let summary = match (&o, &n) {
            (None, Some(_)) => format!("{label} added to {}", at.subject()),
            (Some(_), None) => format!("{label} removed from {}", at.subject()),
            (Some(o), Some(n)) => {
                format!("{label} of {}: {}", at.subject(), describe_list(o, n))
            }
            (None, None) => return,
        };
        let new_span = new.and_then(|steps| steps.first()).map(|r| r.span);
        self.emit(
            at,
            Kind::FlowStepsChanged,
            Level::Dangerous,
            Some(field),
            Values {
                old: o.map(list),
                new: n.map(list),
                new_span,
            },
            summary,
        );
    }

    // ----- events ------------------------------------------------------------------------------------

    fn events(&mut self, names: &BTreeSet<&'a str>) {
        let mut added: BTreeSet<&str> = BTreeSet::new();
        let mut removed: BTreeSet<&str> = BTreeSet::new();
        let mut both: Vec<(&'a Event, &'a Event)> = Vec::new();
        for &name in names {
            match (
                self.old.events.get(name).copied(),
                self.new.events.get(name).copied(),
            ) {
                (None, Some(_)) => {
                    added.insert(name);
                }
                (Some(_), None) => {
                    removed.insert(name);
                }
                (Some(o), Some(n)) => {
                    if !self.same_entry(o.common.entry_span, n.common.entry_span) {
                        both.push((o, n));
                    }
                }
                (None, None) => {}
            }
        }
        // Renames announced with `replaced_by`: the replacement is part of the rename.
        let mut renames: Vec<(&'a Event, &'a str, RenameHow)> = Vec::new();
        for (o, n) in &both {
            if let Some(target) = ref_name(&n.replaced_by) {
                if ref_name(&o.replaced_by) != Some(target) && target != n.name.text {
                    renames.push((o, target, RenameHow::ReplacedBy));
                    added.remove(target);
                }
            }
        }
        // Renames by identity: removed while an identical event appears under a new name.
        let pairs = pair_identical(
            &removed,
            &added,
            |name| event_signature(self.old.events[name]),
            |name| event_signature(self.new.events[name]),
        );
        for (old_name, new_name) in &pairs {
            removed.remove(old_name);
            added.remove(new_name);
            renames.push((self.old.events[old_name], *new_name, RenameHow::Identical));
        }

        for (o, n) in both {
            self.event_pair(o, n);
        }
        for (o, target, how) in renames {
            let new_event = self.new.events.get(target).copied();
            let mut at = At::new(
                Entity::Kind(EntityKind::Event),
                &o.name.text,
                Some(o.name.span),
                new_event.map(|e| e.name.span),
            );
            at.touch = Touch::Events(vec![o.name.text.clone(), target.to_string()]);
            let summary = match how {
                RenameHow::ReplacedBy => format!(
                    "event `{}` renamed to `{target}` (deprecated with replaced_by)",
                    o.name.text
                ),
                RenameHow::Identical => format!(
                    "event `{}` renamed to `{target}` (removed, and an identical event added)",
                    o.name.text
                ),
            };
            let field = match how {
                RenameHow::ReplacedBy => Some("replaced_by"),
                RenameHow::Identical => None,
            };
            let new_span = match how {
                RenameHow::ReplacedBy => self
                    .new
                    .events
                    .get(o.name.text.as_str())
                    .and_then(|e| e.replaced_by.as_ref())
                    .map(|r| r.span),
                RenameHow::Identical => None,
            };
            self.emit(
                &at,
                Kind::EventRenamed,
                Level::Breaking,
                field,
                Values {
                    old: Some(text(&o.name.text)),
                    new: Some(text(target)),
                    new_span,
                },
                summary,
            );
            if let (RenameHow::Identical, Some(n)) = (how, new_event) {
                // Same description and properties; whatever else differs is told under the new name.
                self.event_pair(o, n);
            }
        }
        for name in added {
            let event = self.new.events[name];
            let at = At::new(
                Entity::Kind(EntityKind::Event),
                name,
                None,
                Some(event.name.span),
            );
            let count = event.properties.len();
            let extra = match count {
                0 => None,
                1 => Some(" with 1 property".to_string()),
                n => Some(format!(" with {n} properties")),
            };
            self.added_removed(&at, Kind::EventAdded, Level::Safe, true, extra);
        }
        for name in removed {
            let event = self.old.events[name];
            let at = At::new(
                Entity::Kind(EntityKind::Event),
                name,
                Some(event.name.span),
                None,
            );
            self.added_removed(&at, Kind::EventRemoved, Level::Breaking, false, None);
        }
    }

    fn event_pair(&mut self, o: &'a Event, n: &'a Event) {
        let at = At::new(
            Entity::Kind(EntityKind::Event),
            &n.name.text,
            Some(o.name.span),
            Some(n.name.span),
        );
        let (orb, nrb) = (ref_name(&o.replaced_by), ref_name(&n.replaced_by));
        let renamed_now = nrb.is_some() && nrb != orb && nrb != Some(n.name.text.as_str());
        if orb.is_some() && nrb.is_none() {
            self.emit(
                &at,
                Kind::ReplacedByChanged,
                Level::Dangerous,
                Some("replaced_by"),
                Values {
                    old: orb.map(text),
                    new: None,
                    new_span: None,
                },
                format!(
                    "{} no longer names its replacement (was `{}`)",
                    at.subject(),
                    orb.unwrap_or_default()
                ),
            );
        }
        let (os, ns) = (
            o.status.as_ref().map(|s| s.value),
            n.status.as_ref().map(|s| s.value),
        );
        if os != ns {
            let values = Values {
                old: os.map(|s| text(s.as_str())),
                new: ns.map(|s| text(s.as_str())),
                new_span: n.status.as_ref().map(|s| s.span),
            };
            if ns == Some(Status::Deprecated) {
                if !renamed_now {
                    let summary = format!("{} deprecated", at.subject());
                    self.emit(
                        &at,
                        Kind::EventDeprecated,
                        Level::Dangerous,
                        Some("status"),
                        values,
                        summary,
                    );
                }
            } else {
                let level = match (os, ns) {
                    (Some(o), Some(n)) if o != Status::Deprecated && n < o => Level::Dangerous,
                    _ => Level::Safe,
                };
                let word = |s: Option<Status>| s.map_or("unset", |s| s.as_str());
                let summary = format!(
                    "status of {} changed from {} to {}",
                    at.subject(),
                    word(os),
                    word(ns)
                );
                self.emit(
                    &at,
                    Kind::StatusChanged,
                    level,
                    Some("status"),
                    values,
                    summary,
                );
            }
        }
        let op: Vec<&str> = o.platforms.iter().map(|p| p.value.as_str()).collect();
        let np: Vec<&str> = n.platforms.iter().map(|p| p.value.as_str()).collect();
        let (ops, nps) = (set(op.iter().copied()), set(np.iter().copied()));
        if ops != nps {
            let level = if ops.is_subset(&nps) {
                Level::Safe
            } else {
                Level::Dangerous
            };
            let summary = format!("platforms of {}: {}", at.subject(), describe_list(&op, &np));
            self.emit(
                &at,
                Kind::EventPlatformsChanged,
                level,
                Some("platforms"),
                Values {
                    old: Some(list(op)),
                    new: Some(list(np)),
                    new_span: n.platforms.first().map(|p| p.span),
                },
                summary,
            );
        }
        let (ok, nk) = (names(&o.kpis), names(&n.kpis));
        if set(ok.iter().copied()) != set(nk.iter().copied()) {
            let summary = format!("KPIs of {}: {}", at.subject(), describe_list(&ok, &nk));
            self.emit(
                &at,
                Kind::EventKpisChanged,
                Level::Dangerous,
                Some("kpis"),
                Values {
                    old: Some(list(ok)),
                    new: Some(list(nk)),
                    new_span: n.kpis.first().map(|k| k.span),
                },
                summary,
            );
        }
        self.common(&at, &o.common, &n.common);
        self.event_properties(&at, o, n);
    }

    fn event_properties(&mut self, at: &At, o: &'a Event, n: &'a Event) {
        let om: BTreeMap<&str, &EventProperty> = o
            .properties
            .iter()
            .rev()
            .map(|p| (p.name.text.as_str(), p))
            .collect();
        let nm: BTreeMap<&str, &EventProperty> = n
            .properties
            .iter()
            .rev()
            .map(|p| (p.name.text.as_str(), p))
            .collect();
        let all: BTreeSet<&str> = om.keys().chain(nm.keys()).copied().collect();
        for name in all {
            match (om.get(name), nm.get(name)) {
                (None, Some(p)) => {
                    let child = at.child(name, None, Some(p.name.span));
                    let required = p.is_required();
                    let (level, word) = if required {
                        (Level::Breaking, "required")
                    } else {
                        (Level::Safe, "optional")
                    };
                    let summary = format!("property `{name}` ({word}) added to {}", at.subject());
                    self.emit(
                        &child,
                        Kind::EventPropertyAdded,
                        level,
                        None,
                        Values {
                            old: None,
                            new: Some(text(word)),
                            new_span: None,
                        },
                        summary,
                    );
                }
                (Some(p), None) => {
                    let child = at.child(name, Some(p.name.span), None);
                    let summary = format!("property `{name}` removed from {}", at.subject());
                    let word = if p.is_required() {
                        "required"
                    } else {
                        "optional"
                    };
                    self.emit(
                        &child,
                        Kind::EventPropertyRemoved,
                        Level::Breaking,
                        None,
                        Values {
                            old: Some(text(word)),
                            new: None,
                            new_span: None,
                        },
                        summary,
                    );
                }
                (Some(op), Some(np)) => {
                    let child = at.child(name, Some(op.name.span), Some(np.name.span));
                    let both_references = matches!(op.kind, EventPropertyKind::Reference { .. })
                        && matches!(np.kind, EventPropertyKind::Reference { .. });
                    // Two references to the dictionary are read against the same (new) dictionary, so
                    // that a change to the dictionary is told once, at the dictionary.
                    let (ov, nv) = if both_references {
                        (self.event_view(op, true), self.event_view(np, true))
                    } else {
                        (self.event_view(op, false), self.event_view(np, true))
                    };
                    self.compare_views(&child, &ov, &nv, true);
                }
                (None, None) => {}
            }
        }
    }

    /// The effective definition of an event's property: inline, or the dictionary's with the event's
    /// overrides. `new_side`: which plan's dictionary to read (falling back to the other one).
    fn event_view(&self, property: &'a EventProperty, new_side: bool) -> View<'a> {
        let mut view = match &property.kind {
            EventPropertyKind::Inline(def) => View::of(def),
            EventPropertyKind::Reference {
                reference,
                overrides,
            } => {
                let name = reference.name.as_str();
                let (first, second) = if new_side {
                    (&self.new, &self.old)
                } else {
                    (&self.old, &self.new)
                };
                let base = first
                    .properties
                    .get(name)
                    .or_else(|| second.properties.get(name))
                    .copied();
                let mut view = base.map(View::of).unwrap_or_default();
                if overrides.description.is_some() {
                    view.description = overrides.description.as_ref();
                }
                if !overrides.examples.is_empty() {
                    view.examples = &overrides.examples;
                }
                if let Some(values) = &overrides.enum_values {
                    view.enum_values = Some(values);
                }
                if overrides.notes.is_some() {
                    view.notes = overrides.notes.as_ref();
                }
                view
            }
        };
        view.required = Some(property.is_required());
        view.required_span = property.required.as_ref().map(|r| r.span);
        view
    }

    // ----- properties ----------------------------------------------------------------------------------

    fn properties(&mut self, names: &BTreeSet<&'a str>, ns: EntityKind) {
        let (entity, added_kind, removed_kind, renamed_kind) = if ns == EntityKind::UserProperty {
            (
                Entity::Kind(EntityKind::UserProperty),
                Kind::UserPropertyAdded,
                Kind::UserPropertyRemoved,
                Kind::UserPropertyRenamed,
            )
        } else {
            (
                Entity::Kind(EntityKind::Property),
                Kind::PropertyAdded,
                Kind::PropertyRemoved,
                Kind::PropertyRenamed,
            )
        };
        let mut added: BTreeSet<&str> = BTreeSet::new();
        let mut removed: BTreeSet<&str> = BTreeSet::new();
        let mut both: Vec<(&'a PropertyDef, &'a PropertyDef)> = Vec::new();
        for &name in names {
            match (
                self.old.dictionary(ns).get(name).copied(),
                self.new.dictionary(ns).get(name).copied(),
            ) {
                (None, Some(_)) => {
                    added.insert(name);
                }
                (Some(_), None) => {
                    removed.insert(name);
                }
                (Some(o), Some(n)) => {
                    if !self.same_entry(o.common.entry_span, n.common.entry_span) {
                        both.push((o, n));
                    }
                }
                (None, None) => {}
            }
        }
        let mut renames: Vec<(&'a PropertyDef, String, RenameHow)> = Vec::new();
        for (o, n) in &both {
            if let Some(target) = ref_name(&n.replaced_by) {
                if ref_name(&o.replaced_by) != Some(target) && target != n.name.text {
                    renames.push((o, target.to_string(), RenameHow::ReplacedBy));
                    added.remove(target);
                }
            }
        }
        let old_dict = self.old.dictionary(ns);
        let new_dict = self.new.dictionary(ns);
        let pairs = pair_identical(
            &removed,
            &added,
            |name| property_signature(old_dict[name]),
            |name| property_signature(new_dict[name]),
        );
        for (old_name, new_name) in &pairs {
            removed.remove(old_name);
            added.remove(new_name);
            renames.push((
                old_dict[old_name],
                new_name.to_string(),
                RenameHow::Identical,
            ));
        }

        for (o, n) in both {
            let at = At::new(entity, &n.name.text, Some(o.name.span), Some(n.name.span));
            self.compare_views(&at, &View::of(o), &View::of(n), false);
        }
        for (o, target, how) in renames {
            let new_def = self.new.dictionary(ns).get(target.as_str()).copied();
            let mut at = At::new(
                entity,
                &o.name.text,
                Some(o.name.span),
                new_def.map(|d| d.name.span),
            );
            if entity == Entity::Kind(EntityKind::Property) {
                at.touch = Touch::Property(o.name.text.clone());
            }
            let noun = entity.noun();
            let summary = match how {
                RenameHow::ReplacedBy => format!(
                    "{noun} `{}` renamed to `{target}` (deprecated with replaced_by)",
                    o.name.text
                ),
                RenameHow::Identical => format!(
                    "{noun} `{}` renamed to `{target}` (removed, and an identical {noun} added)",
                    o.name.text
                ),
            };
            let field = match how {
                RenameHow::ReplacedBy => Some("replaced_by"),
                RenameHow::Identical => None,
            };
            self.emit(
                &at,
                renamed_kind,
                Level::Breaking,
                field,
                Values {
                    old: Some(text(&o.name.text)),
                    new: Some(text(&target)),
                    new_span: None,
                },
                summary,
            );
        }
        for name in added {
            let def = self.new.dictionary(ns)[name];
            let at = At::new(entity, name, None, Some(def.name.span));
            let extra = def.ty.as_ref().map(|t| format!(" ({})", t.value.as_str()));
            self.added_removed(&at, added_kind, Level::Safe, true, extra);
        }
        for name in removed {
            let def = self.old.dictionary(ns)[name];
            let at = At::new(entity, name, Some(def.name.span), None);
            self.added_removed(&at, removed_kind, Level::Breaking, false, None);
        }
    }

    fn super_properties(&mut self) {
        let old: Vec<&Reference> = self.old.plan.super_properties().collect();
        let new: Vec<&Reference> = self.new.plan.super_properties().collect();
        let os = set(old.iter().map(|r| r.name.as_str()));
        let ns = set(new.iter().map(|r| r.name.as_str()));
        for r in &new {
            if !os.contains(r.name.as_str()) {
                let at = At::new(Entity::SuperProperty, &r.name, None, Some(r.span));
                self.added_removed(&at, Kind::SuperPropertyAdded, Level::Safe, true, None);
            }
        }
        for r in &old {
            if !ns.contains(r.name.as_str()) {
                let at = At::new(Entity::SuperProperty, &r.name, Some(r.span), None);
                self.added_removed(
                    &at,
                    Kind::SuperPropertyRemoved,
                    Level::Breaking,
                    false,
                    None,
                );
            }
        }
    }

    /// Compares two definitions of one property. `event`: the property of an event (where
    /// `required` means something).
    fn compare_views(&mut self, at: &At, o: &View<'a>, n: &View<'a>, event: bool) {
        if o.ty != n.ty {
            let word = |t: Option<PropertyType>| t.map_or("unset", |t| t.as_str());
            let summary = format!(
                "type of {} changed from {} to {}",
                at.subject(),
                word(o.ty),
                word(n.ty)
            );
            self.emit(
                at,
                Kind::PropertyTypeChanged,
                Level::Breaking,
                Some("type"),
                Values {
                    old: o.ty.map(|t| text(t.as_str())),
                    new: n.ty.map(|t| text(t.as_str())),
                    new_span: n.ty_span,
                },
                summary,
            );
        }
        let (oi, ni) = (items_type(o.items), items_type(n.items));
        if oi != ni && o.ty == n.ty {
            let word = |t: Option<PropertyType>| t.map_or("unset", |t| t.as_str());
            let summary = format!(
                "item type of {} changed from {} to {}",
                at.subject(),
                word(oi),
                word(ni)
            );
            self.emit(
                at,
                Kind::PropertyTypeChanged,
                Level::Breaking,
                Some("items"),
                Values {
                    old: oi.map(|t| text(t.as_str())),
                    new: ni.map(|t| text(t.as_str())),
                    new_span: None,
                },
                summary,
            );
        }
        if let (Some(Items::Definition(od)), Some(Items::Definition(nd))) = (o.items, n.items) {
            let child = at.child("[]", Some(od.common.entry_span), Some(nd.common.entry_span));
            self.compare_views(&child, &View::of(od), &View::of(nd), false);
        }
        if event {
            let (or, nr) = (o.required.unwrap_or(false), n.required.unwrap_or(false));
            if or != nr {
                let (kind, level, word) = if nr {
                    (Kind::PropertyRequired, Level::Breaking, "required")
                } else {
                    (Kind::PropertyOptional, Level::Safe, "optional")
                };
                let summary = format!("{} is now {word}", at.subject());
                self.emit(
                    at,
                    kind,
                    level,
                    Some("required"),
                    Values {
                        old: Some(Json::Bool(or)),
                        new: Some(Json::Bool(nr)),
                        new_span: n.required_span,
                    },
                    summary,
                );
            }
        }
        self.enums(at, o, n);
        self.text_field(
            at,
            Kind::DescriptionChanged,
            Level::Safe,
            "description",
            o.description.map(|d| d.value.as_str()),
            n.description,
        );
        self.text_field(
            at,
            Kind::NotesChanged,
            Level::Safe,
            "notes",
            o.notes.map(|d| d.value.as_str()),
            n.notes,
        );
        let ot: Vec<&str> = o.tags.iter().map(|t| t.value.as_str()).collect();
        let nt: Vec<&str> = n.tags.iter().map(|t| t.value.as_str()).collect();
        if set(ot.iter().copied()) != set(nt.iter().copied()) {
            let summary = format!("tags of {}: {}", at.subject(), describe_list(&ot, &nt));
            self.emit(
                at,
                Kind::TagsChanged,
                Level::Safe,
                Some("tags"),
                Values {
                    old: Some(list(ot)),
                    new: Some(list(nt)),
                    new_span: n.tags.first().map(|t| t.span),
                },
                summary,
            );
        }
        self.reference_field(
            at,
            Kind::OwnerChanged,
            Level::Safe,
            "owner",
            o.owner,
            n.owner,
        );
        let (oe, ne) = (value_strings(o.examples), value_strings(n.examples));
        if sorted(&oe) != sorted(&ne) {
            let summary = format!("examples of {} changed", at.subject());
            self.emit(
                at,
                Kind::ExamplesChanged,
                Level::Safe,
                Some("examples"),
                Values {
                    old: Some(Json::Array(
                        o.examples.iter().map(|v| v.value.to_json()).collect(),
                    )),
                    new: Some(Json::Array(
                        n.examples.iter().map(|v| v.value.to_json()).collect(),
                    )),
                    new_span: n.examples.first().map(|v| v.span),
                },
                summary,
            );
        }
        let (op, np) = (
            o.pattern.map(|p| p.value.as_str()),
            n.pattern.map(|p| p.value.as_str()),
        );
        if op != np {
            let level = if np.is_none() {
                Level::Safe
            } else {
                Level::Dangerous
            };
            let what = match (op, np) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            self.emit(
                at,
                Kind::PatternChanged,
                level,
                Some("pattern"),
                Values {
                    old: op.map(text),
                    new: np.map(text),
                    new_span: n.pattern.map(|p| p.span),
                },
                format!("pattern of {} {what}", at.subject()),
            );
        }
        for (field, ob, nb) in [("min", o.min, n.min), ("max", o.max, n.max)] {
            let (ov, nv) = (ob.map(|b| b.value), nb.map(|b| b.value));
            if ov == nv {
                continue;
            }
            let level = if nv.is_none() {
                Level::Safe
            } else {
                Level::Dangerous
            };
            let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
            self.emit(
                at,
                Kind::RangeChanged,
                level,
                Some(field),
                Values {
                    old: ov.and_then(serde_json::Number::from_f64).map(Json::Number),
                    new: nv.and_then(serde_json::Number::from_f64).map(Json::Number),
                    new_span: nb.map(|b| b.span),
                },
                format!(
                    "{field} of {} changed from {} to {}",
                    at.subject(),
                    show(ov),
                    show(nv)
                ),
            );
        }
        if o.pii != n.pii {
            let summary = if n.pii {
                format!("{} is now flagged as personal data (pii)", at.subject())
            } else {
                format!(
                    "{} is no longer flagged as personal data (pii)",
                    at.subject()
                )
            };
            self.emit(
                at,
                Kind::PiiChanged,
                Level::Safe,
                Some("pii"),
                Values {
                    old: Some(Json::Bool(o.pii)),
                    new: Some(Json::Bool(n.pii)),
                    new_span: None,
                },
                summary,
            );
        }
        // Deprecation. A top-level dictionary rename (`replaced_by` newly set) is told by the caller.
        let orb = o.replaced_by.map(|r| r.name.as_str());
        let nrb = n.replaced_by.map(|r| r.name.as_str());
        let renamed_now = nrb.is_some() && nrb != orb;
        let top_level = at.property.is_none();
        if renamed_now && !top_level {
            let target = nrb.unwrap_or_default();
            self.emit(
                at,
                Kind::PropertyRenamed,
                Level::Breaking,
                Some("replaced_by"),
                Values {
                    old: orb.map(text),
                    new: Some(text(target)),
                    new_span: n.replaced_by.map(|r| r.span),
                },
                format!("{} is replaced by `{target}`", at.subject()),
            );
        } else if orb.is_some() && nrb.is_none() {
            self.emit(
                at,
                Kind::ReplacedByChanged,
                Level::Dangerous,
                Some("replaced_by"),
                Values {
                    old: orb.map(text),
                    new: None,
                    new_span: None,
                },
                format!(
                    "{} no longer names its replacement (was `{}`)",
                    at.subject(),
                    orb.unwrap_or_default()
                ),
            );
        }
        if o.deprecated != n.deprecated && !renamed_now {
            let (kind, level, summary) = if n.deprecated {
                (
                    Kind::PropertyDeprecated,
                    Level::Dangerous,
                    format!("{} deprecated", at.subject()),
                )
            } else {
                (
                    Kind::PropertyUndeprecated,
                    Level::Safe,
                    format!("{} is no longer deprecated", at.subject()),
                )
            };
            self.emit(
                at,
                kind,
                level,
                Some("deprecated"),
                Values {
                    old: Some(Json::Bool(o.deprecated)),
                    new: Some(Json::Bool(n.deprecated)),
                    new_span: None,
                },
                summary,
            );
        }
        self.nested(at, o.nested, n.nested);
    }

    fn nested(&mut self, at: &At, old: &'a [PropertyDef], new: &'a [PropertyDef]) {
        if old.is_empty() && new.is_empty() {
            return;
        }
        let om: BTreeMap<&str, &PropertyDef> = old
            .iter()
            .rev()
            .map(|p| (p.name.text.as_str(), p))
            .collect();
        let nm: BTreeMap<&str, &PropertyDef> = new
            .iter()
            .rev()
            .map(|p| (p.name.text.as_str(), p))
            .collect();
        let all: BTreeSet<&str> = om.keys().chain(nm.keys()).copied().collect();
        for name in all {
            match (om.get(name), nm.get(name)) {
                (None, Some(p)) => {
                    let child = at.child(name, None, Some(p.name.span));
                    self.added_removed(&child, Kind::ObjectPropertyAdded, Level::Safe, true, None);
                }
                (Some(p), None) => {
                    let child = at.child(name, Some(p.name.span), None);
                    self.added_removed(
                        &child,
                        Kind::ObjectPropertyRemoved,
                        Level::Breaking,
                        false,
                        None,
                    );
                }
                (Some(o), Some(n)) => {
                    let child = at.child(name, Some(o.name.span), Some(n.name.span));
                    self.compare_views(&child, &View::of(o), &View::of(n), false);
                }
                (None, None) => {}
            }
        }
    }

    fn enums(&mut self, at: &At, o: &View<'a>, n: &View<'a>) {
        match (o.enum_values, n.enum_values) {
            (None, None) => {}
            (None, Some(values)) => {
                let summary = format!("{} now takes only the values of an enum", at.subject());
                self.emit(
                    at,
                    Kind::EnumAdded,
                    Level::Dangerous,
                    Some("enum"),
                    Values {
                        old: None,
                        new: Some(Json::Array(
                            values.iter().map(|v| v.value.to_json()).collect(),
                        )),
                        new_span: values.first().map(|v| v.span),
                    },
                    summary,
                );
            }
            (Some(values), None) => {
                let summary = format!("{} no longer has an enum: it takes any value", at.subject());
                self.emit(
                    at,
                    Kind::EnumRemoved,
                    Level::Safe,
                    Some("enum"),
                    Values {
                        old: Some(Json::Array(
                            values.iter().map(|v| v.value.to_json()).collect(),
                        )),
                        new: None,
                        new_span: None,
                    },
                    summary,
                );
            }
            (Some(ov), Some(nv)) => {
                for value in nv {
                    if !ov.iter().any(|o| o.value == value.value) {
                        let summary = format!(
                            "value `{}` added to the enum of {}",
                            value.value,
                            at.subject()
                        );
                        self.emit(
                            at,
                            Kind::EnumValueAdded,
                            Level::Safe,
                            Some("enum"),
                            Values {
                                old: None,
                                new: Some(value.value.to_json()),
                                new_span: Some(value.span),
                            },
                            summary,
                        );
                    }
                }
                for value in ov {
                    if !nv.iter().any(|n| n.value == value.value) {
                        let summary = format!(
                            "value `{}` removed from the enum of {}",
                            value.value,
                            at.subject()
                        );
                        self.emit(
                            at,
                            Kind::EnumValueRemoved,
                            Level::Breaking,
                            Some("enum"),
                            Values {
                                old: Some(value.value.to_json()),
                                new: None,
                                new_span: nv.first().map(|v| v.span),
                            },
                            summary,
                        );
                    }
                }
            }
        }
    }
}

// ----- property views ---------------------------------------------------------------------------------

/// The fields of a property definition that matter for a diff, borrowed from the model.
#[derive(Clone, Default)]
struct View<'a> {
    ty: Option<PropertyType>,
    ty_span: Option<Span>,
    items: Option<&'a Items>,
    enum_values: Option<&'a [Spanned<Value>]>,
    required: Option<bool>,
    required_span: Option<Span>,
    description: Option<&'a Spanned<String>>,
    examples: &'a [Spanned<Value>],
    pattern: Option<&'a Spanned<String>>,
    min: Option<&'a Spanned<f64>>,
    max: Option<&'a Spanned<f64>>,
    pii: bool,
    deprecated: bool,
    replaced_by: Option<&'a Reference>,
    notes: Option<&'a Spanned<String>>,
    tags: &'a [Spanned<String>],
    owner: Option<&'a Reference>,
    nested: &'a [PropertyDef],
}

impl<'a> View<'a> {
    fn of(def: &'a PropertyDef) -> View<'a> {
        View {
            ty: def.ty.as_ref().map(|t| t.value),
            ty_span: def.ty.as_ref().map(|t| t.span),
            items: def.items.as_ref(),
            enum_values: def.enum_values.as_deref(),
            required: def.required.as_ref().map(|r| r.value),
            required_span: def.required.as_ref().map(|r| r.span),
            description: def.common.description.as_ref(),
            examples: &def.examples,
            pattern: def.pattern.as_ref(),
            min: def.min.as_ref(),
            max: def.max.as_ref(),
            pii: def.is_pii(),
            deprecated: def.is_deprecated(),
            replaced_by: def.replaced_by.as_ref(),
            notes: def.common.notes.as_ref(),
            tags: &def.common.tags,
            owner: def.common.owner.as_ref(),
            nested: &def.properties,
        }
    }

    /// Everything but spans and names, as text: equal for definitions that say the same.
    fn canonical(&self) -> String {
        let mut out = String::new();
        use std::fmt::Write;
        let _ = write!(
            out,
            "type={:?};items={:?};enum={:?};required={:?};description={:?};examples={:?};pattern={:?};min={:?};max={:?};pii={};deprecated={};replaced_by={:?};notes={:?};tags={:?};owner={:?};",
            self.ty,
            self.items.map(|i| match i {
                Items::Type(t) => t.value.as_str().to_string(),
                Items::Definition(d) => View::of(d).canonical(),
            }),
            self.enum_values.map(|v| sorted(&value_strings(v))),
            self.required,
            self.description.map(|d| &d.value),
            sorted(&value_strings(self.examples)),
            self.pattern.map(|p| &p.value),
            self.min.map(|m| m.value),
            self.max.map(|m| m.value),
            self.pii,
            self.deprecated,
            self.replaced_by.map(|r| &r.name),
            self.notes.map(|n| &n.value),
            sorted(&self.tags.iter().map(|t| t.value.clone()).collect::<Vec<_>>()),
            self.owner.map(|o| &o.name),
        );
        let mut nested: Vec<&PropertyDef> = self.nested.iter().collect();
        nested.sort_by(|a, b| a.name.text.cmp(&b.name.text));
        for def in nested {
            let _ = write!(out, "[{}:{}]", def.name.text, View::of(def).canonical());
        }
        out
    }
}

fn items_type(items: Option<&Items>) -> Option<PropertyType> {
    match items? {
        Items::Type(t) => Some(t.value),
        Items::Definition(d) => d.ty.as_ref().map(|t| t.value),
    }
}

fn value_strings(values: &[Spanned<Value>]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.value.to_json().to_string())
        .collect()
}

fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values
}

// ----- renames by identity ---------------------------------------------------------------------------

/// What an event says, without its name: its description and properties. `None` when it says nothing
/// that could tell it apart (no description, no properties).
fn event_signature(event: &Event) -> Option<String> {
    if event.common.description.is_none() && event.properties.is_empty() {
        return None;
    }
    let mut properties: Vec<String> = event
        .properties
        .iter()
        .map(|p| {
            let how = match &p.kind {
                EventPropertyKind::Reference { overrides, .. } => format!(
                    "ref;description={:?};enum={:?};examples={:?};notes={:?}",
                    overrides.description.as_ref().map(|d| &d.value),
                    overrides
                        .enum_values
                        .as_ref()
                        .map(|v| sorted(&value_strings(v))),
                    sorted(&value_strings(&overrides.examples)),
                    overrides.notes.as_ref().map(|n| &n.value),
                ),
                EventPropertyKind::Inline(def) => View::of(def).canonical(),
            };
            format!("{}:{}:{how}", p.name.text, p.is_required())
        })
        .collect();
    properties.sort();
    Some(format!(
        "{:?}\u{0}{}",
        event.common.description.as_ref().map(|d| &d.value),
        properties.join("\u{0}")
    ))
}

/// What a property definition says, without its name; `None` without a description (a bare
/// `{type: string}` says too little to recognise a rename).
fn property_signature(def: &PropertyDef) -> Option<String> {
    def.common.description.as_ref()?;
    Some(View::of(def).canonical())
}

/// Pairs each removed name with the one added name whose signature is the same, when that match is
/// unique on both sides.
fn pair_identical<'n>(
    removed: &BTreeSet<&'n str>,
    added: &BTreeSet<&'n str>,
    old_signature: impl Fn(&str) -> Option<String>,
    new_signature: impl Fn(&str) -> Option<String>,
) -> Vec<(&'n str, &'n str)> {
    if removed.is_empty() || added.is_empty() {
        return Vec::new();
    }
    let mut old_by: HashMap<String, Vec<&str>> = HashMap::new();
    for &name in removed {
        if let Some(sig) = old_signature(name) {
            old_by.entry(sig).or_default().push(name);
        }
    }
    let mut new_by: HashMap<String, Vec<&str>> = HashMap::new();
    for &name in added {
        if let Some(sig) = new_signature(name) {
            new_by.entry(sig).or_default().push(name);
        }
    }
    let mut pairs: Vec<(&str, &str)> = old_by
        .iter()
        .filter_map(
            |(sig, olds)| match (olds.as_slice(), new_by.get(sig).map(Vec::as_slice)) {
                ([o], Some([n])) => Some((*o, *n)),
                _ => None,
            },
        )
        .collect();
    pairs.sort();
    pairs
}

/// Entities keyed by an id (teams, goals, KPIs, flows): what [`Differ::matched`] needs of them.
trait Keyed {
    fn id(&self) -> &Name;
    fn entry_span(&self) -> Span;
}

macro_rules! keyed {
    ($($ty:ty),*) => {$(
        impl Keyed for $ty {
            fn id(&self) -> &Name {
                &self.id
            }
            fn entry_span(&self) -> Span {
                self.common.entry_span
            }
        }
    )*};
}

keyed!(Team, Goal, Kpi, Flow);
