//! Comparing the entities of one kind: which names were added, removed, renamed or changed, then
//! each changed entity field by field, with its kind's table of fields and what is particular to it
//! (a flow's alternatives, an event's status and properties, the flows that move a KPI).

use super::emit::{describe_list, list, At, Differ, Values};
use super::fields::{field, CommonView, Fields, Levels, Shape, Spec, Tell, Way};
use super::kind::{Entity, EntityChanges, Kind, Level};
use super::links;
use super::property::View;
use super::renames::{self, How, Renamable};
use super::side::Matched;
use crate::model::{EntityKind, Event, Flow, Goal, Kpi, PropertyDef, Status, Team};
use std::collections::{BTreeMap, BTreeSet};

/// How the entities of one model type are compared, besides their display name.
pub(super) trait Compared: Renamable + Sized + 'static {
    /// Compares two definitions of one name whose text differs.
    fn compare<'a>(differ: &mut Differ<'a>, at: &At, old: &'a Self, new: &'a Self);

    /// What "X added" goes on with (" with 3 properties").
    fn added_detail(&self) -> Option<String> {
        None
    }
}

/// Compares the names of a kind found in files that differ.
pub(super) fn compare_kind<'a, T: Compared>(
    differ: &mut Differ<'a>,
    kind: EntityKind,
    names: &BTreeSet<&'a str>,
) {
    let mut matched = Matched::<T>::new(&differ.old, &differ.new, kind, names);
    let renames = renames::find(&differ.old, &differ.new, kind, &mut matched);
    for &(old, new) in &matched.both {
        compare_pair(differ, kind, old, new);
    }
    for rename in &renames {
        differ.rename(kind, rename);
        if let (How::Identical, Some(new)) = (rename.how, differ.new.get(kind, rename.target)) {
            // Same signature; whatever else differs is told under the new name.
            compare_pair(differ, kind, rename.old, new);
        }
    }
    let changes = EntityChanges::of(kind);
    for &name in &matched.added {
        if let Some(new) = differ.new.get::<T>(kind, name) {
            let at = At::new(Entity::Kind(kind), name, None, Some(new.name().span));
            let detail = new.added_detail();
            differ.added_removed(&at, changes.added, Level::Safe, true, detail);
        }
    }
    for &name in &matched.removed {
        if let Some(old) = differ.old.get::<T>(kind, name) {
            let at = At::new(Entity::Kind(kind), name, Some(old.name().span), None);
            differ.added_removed(&at, changes.removed, changes.removal, false, None);
        }
    }
}

const DISPLAY_NAME: Spec = Spec {
    key: "name",
    label: "name",
    tell: Tell::at(Kind::NameChanged, Level::Safe),
};

fn compare_pair<'a, T: Compared>(
    differ: &mut Differ<'a>,
    kind: EntityKind,
    old: &'a T,
    new: &'a T,
) {
    let name = new.name();
    let at = At::new(
        Entity::Kind(kind),
        &name.text,
        Some(old.name().span),
        Some(name.span),
    );
    let (old_name, new_name) = (old.display_name(), new.display_name());
    differ.compare(
        &at,
        &DISPLAY_NAME,
        Shape::Text(old_name),
        Shape::Text(new_name),
    );
    T::compare(differ, &at, old, new);
}

fn common<'a, T: Compared>(differ: &mut Differ<'a>, at: &At, old: &'a T, new: &'a T) {
    differ.common(
        at,
        CommonView::of(old.common()),
        CommonView::of(new.common()),
    );
}

static TEAM_FIELDS: &Fields<Team> = &[
    field!("contact" => Tell::at(Kind::TeamContactChanged, Level::Safe), |t| Shape::text(&t.contact)),
];

impl Compared for Team {
    fn compare<'a>(differ: &mut Differ<'a>, at: &At, old: &'a Team, new: &'a Team) {
        differ.fields(at, TEAM_FIELDS, old, new);
        common(differ, at, old, new);
    }
}

impl Compared for Goal {
    fn compare<'a>(differ: &mut Differ<'a>, at: &At, old: &'a Goal, new: &'a Goal) {
        common(differ, at, old, new);
    }
}

static KPI_FIELDS: &Fields<Kpi> = &[
    field!("definition" => Tell::at(Kind::KpiDefinitionChanged, Level::Dangerous), |k| Shape::text(&k.definition)),
    field!("goal" => Tell::at(Kind::KpiGoalChanged, Level::Safe), |k| Shape::reference(&k.goal)),
    field!("priority" => Tell::at(Kind::KpiPriorityChanged, Level::Safe), |k| Shape::integer(&k.priority)),
];

impl Compared for Kpi {
    fn compare<'a>(differ: &mut Differ<'a>, at: &At, old: &'a Kpi, new: &'a Kpi) {
        differ.fields(at, KPI_FIELDS, old, new);
        common(differ, at, old, new);
    }
}

const STEPS_CHANGED: Tell = Tell::at(Kind::FlowStepsChanged, Level::Dangerous);

static FLOW_FIELDS: &Fields<Flow> =
    &[field!("steps" => STEPS_CHANGED, |f| Shape::steps(Some(&f.steps)))];

impl Compared for Flow {
    fn compare<'a>(differ: &mut Differ<'a>, at: &At, old: &'a Flow, new: &'a Flow) {
        differ.fields(at, FLOW_FIELDS, old, new);
        // Alternatives by id (the last of an id counts), each a list of steps of its own.
        let by_id = |flow: &'a Flow| -> BTreeMap<&'a str, &'a [_]> {
            flow.alternatives
                .iter()
                .map(|a| (a.id.text.as_str(), a.steps.as_slice()))
                .collect()
        };
        let (o, n) = (by_id(old), by_id(new));
        let ids: BTreeSet<&str> = o.keys().chain(n.keys()).copied().collect();
        for id in ids {
            let (key, label) = (format!("alternatives.{id}"), format!("alternative `{id}`"));
            let spec = Spec {
                key: &key,
                label: &label,
                tell: STEPS_CHANGED,
            };
            let steps = |alternatives: &BTreeMap<_, _>| Shape::steps(alternatives.get(id).copied());
            differ.compare(at, &spec, steps(&o), steps(&n));
        }
        common(differ, at, old, new);
    }
}

static EVENT_FIELDS: &Fields<Event> = &[
    field!("platforms" => Tell::Change(Kind::EventPlatformsChanged, Levels::SafeWhenOnlyAdded(Level::Dangerous)), |e| Shape::words(&e.platforms, |p| p.as_str())),
    field!("kpis" as "KPIs" => Tell::at(Kind::EventKpisChanged, Level::Dangerous), |e| Shape::references(&e.kpis)),
    field!("sensitivity" => Tell::at(Kind::SensitivityChanged, Level::Safe),
        |e| Shape::Word(e.sensitivity.as_ref().map(|s| s.value.as_str()), e.sensitivity.as_ref().map(|s| s.span))),
    field!("expires" as "expiry date" => Tell::at(Kind::ExpiresChanged, Level::Safe), |e| Shape::Date(e.expires.as_ref())),
];

impl Compared for Event {
    fn compare<'a>(differ: &mut Differ<'a>, at: &At, old: &'a Event, new: &'a Event) {
        differ.replacement_dropped(at, old.replaced_by.as_ref(), new.replaced_by.as_ref());
        status(differ, at, old, new);
        differ.fields(at, EVENT_FIELDS, old, new);
        common(differ, at, old, new);
        let closed = (&old.additional_properties, &new.additional_properties);
        differ.closedness(at, closed.0.as_ref(), closed.1.as_ref());
        differ.event_properties(at, old, new);
    }

    fn added_detail(&self) -> Option<String> {
        match self.properties.len() {
            0 => None,
            1 => Some(" with 1 property".to_string()),
            n => Some(format!(" with {n} properties")),
        }
    }
}

/// An event's status: forward is safe, backward dangerous; deprecated is a change of its own, not
/// told when the event is renamed (`replaced_by`) at the same time.
fn status(differ: &mut Differ, at: &At, old: &Event, new: &Event) {
    let (os, ns) = (
        old.status.as_ref().map(|s| s.value),
        new.status.as_ref().map(|s| s.value),
    );
    if os == ns {
        return;
    }
    let word = |s: Option<Status>| s.map(Status::as_str);
    let shapes = (
        Shape::Word(word(os), None),
        Shape::Word(word(ns), new.status.as_ref().map(|s| s.span)),
    );
    let tell = if ns == Some(Status::Deprecated) {
        let (orb, nrb) = (old.replaced_by.as_ref(), new.replaced_by.as_ref());
        let (orb, nrb) = (orb.map(|r| &r.name), nrb.map(|r| &r.name));
        if nrb.is_some() && nrb != orb && nrb != Some(&new.name.text) {
            return;
        }
        Tell::Words(Way(Kind::EventDeprecated, Level::Dangerous, " deprecated"))
    } else {
        let backward = matches!((os, ns), (Some(o), Some(n)) if o != Status::Deprecated && n < o);
        let level = if backward {
            Level::Dangerous
        } else {
            Level::Safe
        };
        Tell::at(Kind::StatusChanged, level)
    };
    let spec = Spec {
        key: "status",
        label: "status",
        tell,
    };
    differ.compare(at, &spec, shapes.0, shapes.1);
}

impl Compared for PropertyDef {
    fn compare<'a>(differ: &mut Differ<'a>, at: &At, old: &'a Self, new: &'a Self) {
        differ.compare_views(at, &View::of(old), &View::of(new), false);
    }

    fn added_detail(&self) -> Option<String> {
        self.ty.as_ref().map(|t| format!(" ({})", t.value))
    }
}

impl<'a> Differ<'a> {
    /// KPIs listed by flows of files that differ: the flows that move them may have changed (KPIs
    /// added or removed say so themselves).
    pub fn kpi_flows(&mut self, names: &BTreeSet<&str>) {
        let kind = EntityKind::Kpi;
        for &name in names {
            let (Some(o), Some(n)) = (
                self.old.get::<Kpi>(kind, name),
                self.new.get::<Kpi>(kind, name),
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
            let at = At::new(Entity::Kind(kind), name, Some(o.id.span), Some(n.id.span));
            let summary = format!(
                "flows that move {}: {}",
                at.subject(),
                describe_list(&of, &nf)
            );
            let values = Values {
                old: Some(list(of)),
                new: Some(list(nf)),
                new_span: None,
            };
            let kind = Kind::KpiFlowsChanged;
            self.emit(&at, kind, Level::Dangerous, Some("flows"), values, summary);
        }
    }
}
