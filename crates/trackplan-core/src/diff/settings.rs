//! What the plan says as a whole: the root file's settings (format version, name, description,
//! `lint:`, naming conventions, identity) and the super properties.

use super::emit::{describe_list, list, set, text, At, Differ, Values};
use super::fields::{field, Fields, Shape, Tell, Way};
use super::kind::{Entity, Kind, Level};
use super::links::Touch;
use crate::model::{Destination, Identity, LintSetting, Plan, Reference, RootSettings};
use crate::span::Span;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

static PLAN_FIELDS: &Fields<RootSettings> = &[
    field!("name" => Tell::at(Kind::NameChanged, Level::Safe), |s| Shape::text(&s.name)),
    field!("description" => Tell::at(Kind::DescriptionChanged, Level::Safe), |s| Shape::text(&s.description)),
    field!("baseline" => Tell::at(Kind::BaselineChanged, Level::Safe), |s| Shape::text(&s.baseline)),
];

/// What a plan that had no root file says for the first time changes nothing that existed.
static SETTINGS_THAT_MATTER: &Fields<RootSettings> = &[
    field!("destinations" => Tell::at(Kind::DestinationsChanged, Level::Dangerous), destinations),
    field!("additional_properties" => Tell::Flag {
        on: Way(Kind::DefaultClosedChanged, Level::Breaking,
            " now closes events and object properties that do not say (additional_properties: false)"),
        off: Way(Kind::DefaultClosedChanged, Level::Safe, " no longer closes events and object properties by default"),
    }, |s| Shape::Flag(s.additional_properties.as_ref().is_some_and(|a| !a.value),
        s.additional_properties.as_ref().map(|a| a.span))),
];

static IDENTITY_FIELDS: &Fields<Identity> =
    &[field!("notes" => Tell::at(Kind::NotesChanged, Level::Safe), |i| Shape::text(&i.notes))];

/// The destinations a plan's settings mean: Mixpanel alone when they name none.
fn destinations(settings: &RootSettings) -> Shape<'_> {
    if settings.destinations.is_empty() {
        let mixpanel = Destination::Mixpanel.as_str();
        return Shape::Set(vec![crate::span::Spanned::new(mixpanel, Span::default())]);
    }
    Shape::words(&settings.destinations, |d| d.as_str())
}

/// "`snake`", or "none" where unset.
fn word(word: Option<&str>) -> String {
    word.map_or("none".to_string(), |w| format!("`{w}`"))
}

fn names(refs: &[Reference]) -> Vec<&str> {
    refs.iter().map(|r| r.name.as_str()).collect()
}

impl<'a> Differ<'a> {
    pub fn root_settings(&mut self) {
        let (old_plan, new_plan) = (self.old.plan, self.new.plan);
        let (old, new) = (old_plan.settings(), new_plan.settings());
        // A plan that had no root file gets its settings for the first time: nothing existing
        // followed the old ones.
        let fresh = old_plan.root_file().is_none();
        let level = |level: Level| if fresh { Level::Safe } else { level };
        let root_span = |plan: &Plan| plan.root_file().map(|f| Span::file_start(f.id()));
        let (old_root, new_root) = (root_span(old_plan), root_span(new_plan));
        let plan_name = new.name.as_ref().or(old.name.as_ref());
        let plan_name = plan_name.map_or("plan", |n| n.value.as_str());
        let at = At::new(Entity::Plan, plan_name, old_root, new_root);
        let (ov, nv) = (
            old.version.as_ref().map(|v| v.value),
            new.version.as_ref().map(|v| v.value),
        );
        // A plan that appears or goes has no version change to speak of.
        if ov != nv && old_root.is_some() && new_root.is_some() {
            let show = |v: Option<i64>| v.map_or("none".to_string(), |v| v.to_string());
            let values = Values {
                old: ov.map(Json::from),
                new: nv.map(Json::from),
                new_span: new.version.as_ref().map(|v| v.span),
            };
            let summary = format!(
                "plan format version changed from {} to {}",
                show(ov),
                show(nv)
            );
            let (kind, level) = (Kind::FormatVersionChanged, level(Level::Dangerous));
            self.emit(&at, kind, level, Some("trackplan"), values, summary);
        }
        self.fields(&at, PLAN_FIELDS, &old, &new);
        if !fresh {
            self.fields(&at, SETTINGS_THAT_MATTER, &old, &new);
        }
        self.lint(&at, &old.lint, &new.lint);

        let at = At::new(Entity::Conventions, "conventions", old_root, new_root);
        let (oc, nc) = (&old.conventions, &new.conventions);
        let conventions = [
            ("event_case", &oc.event_case, &nc.event_case),
            ("property_case", &oc.property_case, &nc.property_case),
        ];
        for (field, o, n) in conventions {
            let (ov, nv) = (
                o.as_ref().map(|c| c.value.as_str()),
                n.as_ref().map(|c| c.value.as_str()),
            );
            if ov == nv {
                continue;
            }
            let values = Values {
                old: ov.map(text),
                new: nv.map(text),
                new_span: n.as_ref().map(|c| c.span),
            };
            let summary = format!("{field} changed from {} to {}", word(ov), word(nv));
            let (kind, level) = (Kind::ConventionsChanged, level(Level::Dangerous));
            self.emit(&at, kind, level, Some(field), values, summary);
        }
        let at = At::new(
            Entity::Identity,
            "identity",
            old.identity_span,
            new.identity_span,
        );
        self.identity(at, &old.identity, &new.identity, level(Level::Breaking));
    }

    fn lint(&mut self, at: &At, old: &[LintSetting], new: &[LintSetting]) {
        let mut o: BTreeMap<&str, &str> = BTreeMap::new();
        for s in old {
            o.entry(s.rule.text.as_str())
                .or_insert(s.level.value.as_str());
        }
        let mut n: BTreeMap<&str, (&str, Span)> = BTreeMap::new();
        for s in new {
            n.entry(s.rule.text.as_str())
                .or_insert((s.level.value.as_str(), s.level.span));
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
            let values = Values {
                old: ov.map(text),
                new: nv.map(text),
                new_span: n.get(rule).map(|(_, s)| *s),
            };
            let field = format!("lint.{rule}");
            self.emit(
                at,
                Kind::LintChanged,
                Level::Safe,
                Some(&field),
                values,
                summary,
            );
        }
    }

    fn identity(&mut self, mut at: At, old: &Identity, new: &Identity, level: Level) {
        let (om, nm) = (
            old.id_merge.as_ref().map(|m| m.value.as_str()),
            new.id_merge.as_ref().map(|m| m.value.as_str()),
        );
        if om != nm {
            at.touch = Touch::Events(
                [&old.identify, &new.identify, &old.reset, &new.reset]
                    .into_iter()
                    .flat_map(|refs| names(refs))
                    .map(str::to_string)
                    .collect(),
            );
            let values = Values {
                old: om.map(text),
                new: nm.map(text),
                new_span: new.id_merge.as_ref().map(|m| m.span),
            };
            let summary = format!("ID merge changed from {} to {}", word(om), word(nm));
            self.emit(
                &at,
                Kind::IdentityChanged,
                level,
                Some("id_merge"),
                values,
                summary,
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
            let values = Values {
                old: Some(list(o_names)),
                new: Some(list(n_names)),
                new_span: n.first().map(|r| r.span),
            };
            self.emit(
                &at,
                Kind::IdentityChanged,
                level,
                Some(field),
                values,
                summary,
            );
        }
        at.touch = Touch::Nothing;
        self.fields(&at, IDENTITY_FIELDS, old, new);
    }

    pub fn super_properties(&mut self) {
        let old: Vec<&Reference> = self.old.plan.super_properties().collect();
        let new: Vec<&Reference> = self.new.plan.super_properties().collect();
        let os = set(old.iter().map(|r| r.name.as_str()));
        let ns = set(new.iter().map(|r| r.name.as_str()));
        for r in new.iter().filter(|r| !os.contains(r.name.as_str())) {
            let at = At::new(Entity::SuperProperty, &r.name, None, Some(r.span));
            self.added_removed(&at, Kind::SuperPropertyAdded, Level::Safe, true, None);
        }
        for r in old.iter().filter(|r| !ns.contains(r.name.as_str())) {
            let at = At::new(Entity::SuperProperty, &r.name, Some(r.span), None);
            let kind = Kind::SuperPropertyRemoved;
            self.added_removed(&at, kind, Level::Breaking, false, None);
        }
    }
}
