//! The plan's history on the page: the changelog as `trackplan changelog` computes it, and for each
//! entity the commits that changed it.
//!
//! A change belongs to the page of the entity it names; a change to an event's property also to
//! that property's page, and a change to `super_properties` to the property's. Renames are followed
//! back in time: the changelog is newest first, so once `Old` was renamed to `New`, the older
//! changes of `Old` also belong to `New`'s page (and to `Old`'s, when it is still in the plan as a
//! deprecated entry).

use crate::data::{History, HistoryChange, HistoryEntry};
use crate::read::HistoryByEntity;
use rustc_hash::{FxHashMap, FxHashSet};
use trackplan_core::diff::{Change, Entity, Kind};
use trackplan_core::model::EntityKind;
use trackplan_git::{Changelog, Outcome};

/// The page key of plan-wide changes (settings, conventions, identity).
pub const PLAN_KEY: &str = "plan";

/// The changelog as page data, and the commits of each entity.
pub fn read(log: &Changelog, head: &str) -> (History, HistoryByEntity) {
    let mut by_entity: HistoryByEntity = FxHashMap::default();
    let mut followers: FxHashMap<(String, String), FxHashSet<(String, String)>> =
        FxHashMap::default();
    let mut entries = Vec::with_capacity(log.entries.len());
    for (index, entry) in log.entries.iter().enumerate() {
        let (status, changes, compared_with, error): (_, &[Change], _, _) = match &entry.outcome {
            Outcome::Changed {
                changes,
                compared_with,
            } => ("changed", changes, compared_with.clone(), None),
            Outcome::Created { changes } => ("created", changes, None, None),
            Outcome::Removed { changes } => ("removed", changes, None, None),
            Outcome::Unreadable(failure) => {
                let path = if log.plan_dir.is_empty() {
                    failure.path.clone()
                } else {
                    format!("{}/{}", log.plan_dir, failure.path)
                };
                let error = format!(
                    "{path}:{}:{}: {}",
                    failure.line, failure.column, failure.message
                );
                ("unreadable", &[][..], None, Some(error))
            }
            Outcome::ShallowBoundary => ("shallow-boundary", &[][..], None, None),
        };
        let mut per_page: FxHashMap<(String, String), Vec<usize>> = FxHashMap::default();
        for (c, change) in changes.iter().enumerate() {
            for page in pages(change, &mut followers) {
                per_page.entry(page).or_default().push(c);
            }
        }
        for (page, changes) in per_page {
            by_entity.entry(page).or_default().push((index, changes));
        }
        let commit = &entry.commit;
        entries.push(HistoryEntry {
            commit: commit.id.clone(),
            short: commit.short_id.clone(),
            author: commit.author.clone(),
            date: commit.date(),
            subject: commit.summary.clone(),
            tags: entry.tags.clone(),
            release: entry.release.clone(),
            status,
            compared_with,
            error,
            changes: changes
                .iter()
                .map(|c| HistoryChange {
                    kind: c.kind.as_str(),
                    level: c.level.as_str(),
                    entity: c.entity.as_str(),
                    name: c.name.clone(),
                    property: c.property.clone(),
                    summary: c.summary.clone(),
                })
                .collect(),
        });
    }
    // Newest first on every page, as in the changelog.
    for commits in by_entity.values_mut() {
        commits.sort_by_key(|(entry, _)| *entry);
    }
    let history = History {
        dir: log.plan_dir.clone(),
        head: head.to_string(),
        head_commit: log.to.id.to_string(),
        shallow: log.shallow,
        commits: log.commits,
        unchanged: log.unchanged,
        entries,
    };
    (history, by_entity)
}

/// The page key of an entity kind of the diff: super properties are properties; plan settings,
/// conventions and identity are the plan's.
fn page_kind(entity: Entity) -> &'static str {
    match entity {
        Entity::Kind(kind) => kind.as_str(),
        Entity::SuperProperty => EntityKind::Property.as_str(),
        Entity::Plan | Entity::Conventions | Entity::Identity => PLAN_KEY,
    }
}

fn is_rename(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::EventRenamed | Kind::PropertyRenamed | Kind::UserPropertyRenamed
    )
}

/// The pages a change belongs to; records renames for the older changes.
fn pages(
    change: &Change,
    followers: &mut FxHashMap<(String, String), FxHashSet<(String, String)>>,
) -> FxHashSet<(String, String)> {
    let kind = page_kind(change.entity).to_string();
    let name = if kind == PLAN_KEY {
        String::new()
    } else {
        change.name.clone()
    };
    let targets = |followers: &FxHashMap<_, FxHashSet<(String, String)>>, key: (String, String)| {
        let mut out: FxHashSet<(String, String)> = followers.get(&key).cloned().unwrap_or_default();
        out.insert(key);
        out
    };
    let mut out = targets(followers, (kind.clone(), name.clone()));
    if is_rename(change.kind) {
        if let Some(new) = change.new.as_ref().and_then(|v| v.as_str()) {
            let newer = targets(followers, (kind.clone(), new.to_string()));
            out.extend(newer.iter().cloned());
            followers
                .entry((kind.clone(), name.clone()))
                .or_default()
                .extend(newer);
        }
    }
    if change.entity == Entity::Kind(EntityKind::Event) {
        if let Some(path) = &change.property {
            let property = path.split(['.', '[']).next().unwrap_or(path);
            let key = (
                EntityKind::Property.as_str().to_string(),
                property.to_string(),
            );
            out.extend(targets(followers, key));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackplan_core::diff::Level;

    fn change(kind: Kind, entity: Entity, name: &str) -> Change {
        Change {
            kind,
            level: Level::Safe,
            entity,
            name: name.to_string(),
            property: None,
            field: None,
            old: None,
            new: None,
            summary: String::new(),
            kpis: Vec::new(),
            flows: Vec::new(),
            old_span: None,
            new_span: None,
        }
    }

    fn keys(pages: FxHashSet<(String, String)>) -> Vec<String> {
        let mut out: Vec<String> = pages.into_iter().map(|(k, n)| format!("{k}/{n}")).collect();
        out.sort();
        out
    }

    #[test]
    fn a_change_belongs_to_its_entity_and_to_the_property_it_touches() {
        let mut followers = FxHashMap::default();
        let mut added = change(
            Kind::EventPropertyAdded,
            Entity::Kind(EntityKind::Event),
            "Order Completed",
        );
        added.property = Some("shipping.city".into());
        assert_eq!(
            keys(pages(&added, &mut followers)),
            ["event/Order Completed", "property/shipping"]
        );
        let listed = change(Kind::SuperPropertyAdded, Entity::SuperProperty, "platform");
        assert_eq!(keys(pages(&listed, &mut followers)), ["property/platform"]);
        let settings = change(Kind::IdentityChanged, Entity::Identity, "identity");
        assert_eq!(keys(pages(&settings, &mut followers)), ["plan/"]);
    }

    #[test]
    fn older_changes_follow_a_rename_to_the_new_name() {
        let mut followers = FxHashMap::default();
        // Newest first: the rename, then an older change of the old name.
        let mut renamed = change(
            Kind::EventRenamed,
            Entity::Kind(EntityKind::Event),
            "Order Placed",
        );
        renamed.new = Some("Order Completed".into());
        assert_eq!(
            keys(pages(&renamed, &mut followers)),
            ["event/Order Completed", "event/Order Placed"]
        );
        let older = change(
            Kind::DescriptionChanged,
            Entity::Kind(EntityKind::Event),
            "Order Placed",
        );
        assert_eq!(
            keys(pages(&older, &mut followers)),
            ["event/Order Completed", "event/Order Placed"]
        );
        // A rename further back is followed through both.
        let mut first = change(
            Kind::EventRenamed,
            Entity::Kind(EntityKind::Event),
            "Purchase",
        );
        first.new = Some("Order Placed".into());
        pages(&first, &mut followers);
        let oldest = change(
            Kind::EventAdded,
            Entity::Kind(EntityKind::Event),
            "Purchase",
        );
        assert_eq!(
            keys(pages(&oldest, &mut followers)),
            [
                "event/Order Completed",
                "event/Order Placed",
                "event/Purchase"
            ]
        );
        // Another kind of the same name is another entity.
        let kpi = change(
            Kind::KpiAdded,
            Entity::Kind(EntityKind::Kpi),
            "Order Placed",
        );
        assert_eq!(keys(pages(&kpi, &mut followers)), ["kpi/Order Placed"]);
    }
}
