//! The changelog of a plan folder: a walk of history, newest first, telling for each commit that
//! changed the plan what changed.
//!
//! Three passes keep it fast. The walk compares the plan folder's tree id with the parent's and keeps
//! only commits where it differs, reading no file. The files of the kept revisions are then parsed
//! once each, on all cores. Last, each kept commit's plan is compared with its parent's, on all cores.

use crate::commit::RawCommit;
use crate::load::{FileRef, Loader, PlanAt};
use crate::repo::{CommitInfo, Repo, Revision};
use crate::{Error, Progress, Result};
use git2::Oid;
use std::collections::{HashMap, HashSet};
use trackplan_core::diff::{self, Change, ParseFailure};
use trackplan_core::Plan;

/// What to walk.
#[derive(Clone, Debug, Default)]
pub struct ChangelogOptions {
    /// The plan folder, relative to the repository root, `/`-separated (`""`: the root).
    pub plan_dir: String,
    /// Leave out this revision and its ancestors (`from..to`).
    pub from: Option<String>,
    /// Where to start (default `HEAD`).
    pub to: Option<String>,
    /// Walk every parent of merges, not only the first.
    pub all_parents: bool,
}

/// The history of a plan, newest first.
#[derive(Debug)]
pub struct Changelog {
    pub plan_dir: String,
    pub to: Revision,
    pub from: Option<Revision>,
    pub entries: Vec<Entry>,
    /// The repository is a shallow clone: history may stop early (see [`Outcome::ShallowBoundary`]).
    pub shallow: bool,
    /// Commits walked.
    pub commits: usize,
    /// Commits that changed the plan's files but not what the plan says (comments, formatting, order).
    pub unchanged: usize,
    /// The tags met on the walk, newest first: each is a release holding the entries whose
    /// `release` names it.
    pub releases: Vec<Release>,
}

/// A tag met on the walk.
#[derive(Debug)]
pub struct Release {
    pub name: String,
    pub commit: CommitInfo,
}

/// One commit that changed the plan.
#[derive(Debug)]
pub struct Entry {
    pub commit: CommitInfo,
    /// Tags pointing at this commit.
    pub tags: Vec<String>,
    /// The first release (tag) that contains this commit along the walk; `None`: not released yet.
    pub release: Option<String>,
    pub outcome: Outcome,
}

#[derive(Debug)]
pub enum Outcome {
    /// The plan changed; `compared_with` names the commit compared with when it is not the parent
    /// (the parent's plan did not parse).
    Changed {
        changes: Vec<Change>,
        compared_with: Option<String>,
    },
    /// The plan folder appeared (in a root commit, or mid-history): everything in it is new.
    Created { changes: Vec<Change> },
    /// The plan folder was removed.
    Removed { changes: Vec<Change> },
    /// The plan does not parse at this commit; it is skipped, and the next commit is compared with
    /// the last one that parses.
    Unreadable(ParseFailure),
    /// A shallow clone's history starts here: what came before is not in the clone, so nothing is
    /// said about what this commit changed.
    ShallowBoundary,
}

/// What a kept commit is compared with.
#[derive(Clone, Copy, Debug)]
enum Base {
    /// The parent's plan folder (`None`: it had none).
    Parent { id: Oid, tree: Option<Oid> },
    /// A root commit: nothing before.
    Root,
    /// A shallow clone's boundary: unknown.
    Boundary,
}

struct Kept {
    id: Oid,
    /// In `all_parents` mode, a merge's other parents' plan trees: only what the merge changed
    /// against every parent is its own (as `git log --cc` shows it).
    other_parents: Vec<Option<Oid>>,
    tree: Option<Oid>,
    base: Base,
    release: Option<String>,
}

impl Repo {
    /// Walks the history of a plan folder.
    pub fn changelog(
        &self,
        options: &ChangelogOptions,
        progress: &dyn Progress,
    ) -> Result<Changelog> {
        self.read_changelog(options, progress)
            .map_err(|e| e.in_plan(&options.plan_dir))
    }

    fn read_changelog(
        &self,
        options: &ChangelogOptions,
        progress: &dyn Progress,
    ) -> Result<Changelog> {
        let to = self.resolve(options.to.as_deref().unwrap_or("HEAD"))?;
        let from = options
            .from
            .as_deref()
            .map(|f| self.resolve(f))
            .transpose()?;
        let tags = self.tags()?;
        let mut walker = Walker {
            repo: self,
            plan_dir: &options.plan_dir,
            trees: HashMap::new(),
        };

        // 1. Which commits changed the plan folder's tree.
        progress.phase("walking history", None);
        let walk = self.commits_to_walk(to.id, from.as_ref().map(|f| f.id), options.all_parents)?;
        let mut kept = Vec::new();
        let mut commits = 0;
        let mut release: Option<String> = None;
        let mut release_commits: Vec<(String, Oid)> = Vec::new();
        for (id, commit) in walk {
            commits += 1;
            progress.advance(1);
            if let Some(names) = tags.get(&id) {
                release = names.first().cloned();
                release_commits.push((names[0].clone(), id));
            }
            let tree = walker.tree_of_commit(id, &commit)?;
            let parents = &commit.parents;
            let mut other_parents = Vec::new();
            let base = match parents.first() {
                None if self.is_shallow_boundary(id) => Base::Boundary,
                None => Base::Root,
                Some(&first) => match walker.tree_of(first) {
                    Ok(parent_tree) => {
                        if options.all_parents && parents.len() > 1 {
                            // A merge that takes one side's plan as it is changed nothing itself:
                            // that side's commits tell the changes.
                            let mut same = parent_tree == tree;
                            for &other in &parents[1..] {
                                let other_tree = walker.tree_of(other).ok().flatten();
                                same |= other_tree == tree;
                                other_parents.push(other_tree);
                            }
                            if same {
                                continue;
                            }
                        }
                        Base::Parent {
                            id: first,
                            tree: parent_tree,
                        }
                    }
                    Err(Error::MissingObject { .. }) if self.is_shallow() => Base::Boundary,
                    Err(error) => return Err(error),
                },
            };
            let unchanged = match base {
                Base::Parent { tree: parent, .. } => parent == tree,
                Base::Root | Base::Boundary => tree.is_none(),
            };
            if !unchanged {
                kept.push(Kept {
                    id,
                    tree,
                    base,
                    other_parents,
                    release: release.clone(),
                });
            }
        }

        // 2. Parse every file of every revision needed, once.
        let mut loader = Loader::for_history();
        let mut trees: Vec<Oid> = Vec::new();
        for k in &kept {
            trees.extend(k.tree);
            trees.extend(k.other_parents.iter().flatten());
            if let Base::Parent { tree: Some(t), .. } = k.base {
                trees.push(t);
            }
        }
        let mut unique = HashSet::new();
        trees.retain(|t| unique.insert(*t));
        let mut files: Vec<FileRef> = Vec::new();
        for tree in &trees {
            files.extend(loader.listing(self, *tree)?.iter().cloned());
        }
        loader.load(self, files.iter(), progress)?;

        // 3. Compare.
        enum Job {
            Done(Outcome),
            Diff {
                old: Plan,
                new: Plan,
                kind: DiffKind,
                /// A merge's other parents (see `Kept::other_parents`).
                others: Vec<Plan>,
            },
        }
        #[derive(Clone, Copy)]
        enum DiffKind {
            Changed(Option<Oid>),
            Created,
            Removed,
        }
        let plan_of = |loader: &mut Loader, tree: Oid| -> Result<Plan> {
            match loader.plan(self, tree, &crate::NoProgress)? {
                PlanAt::Plan(plan) => Ok(plan),
                PlanAt::Absent => Ok(Plan::default()),
            }
        };
        let mut jobs = Vec::with_capacity(kept.len());
        for k in &kept {
            let job = match (k.tree, k.base) {
                (Some(tree), base) => {
                    let new = plan_of(&mut loader, tree)?;
                    if let Some(failure) = diff::parse_failure(&new) {
                        Job::Done(Outcome::Unreadable(failure))
                    } else {
                        match base {
                            Base::Boundary => Job::Done(Outcome::ShallowBoundary),
                            Base::Root | Base::Parent { tree: None, .. } => Job::Diff {
                                old: Plan::default(),
                                new,
                                kind: DiffKind::Created,
                                others: Vec::new(),
                            },
                            Base::Parent {
                                id,
                                tree: Some(parent_tree),
                            } => {
                                let old = plan_of(&mut loader, parent_tree)?;
                                if diff::parse_failure(&old).is_none() {
                                    let mut others = Vec::new();
                                    for tree in k.other_parents.iter() {
                                        let plan = match tree {
                                            Some(tree) => plan_of(&mut loader, *tree)?,
                                            None => Plan::default(),
                                        };
                                        if diff::parse_failure(&plan).is_none() {
                                            others.push(plan);
                                        }
                                    }
                                    Job::Diff {
                                        old,
                                        new,
                                        kind: DiffKind::Changed(None),
                                        others,
                                    }
                                } else {
                                    match walker.readable_ancestor(id, &mut loader)? {
                                        Ancestor::Plan(at, old) => Job::Diff {
                                            old,
                                            new,
                                            kind: DiffKind::Changed(Some(at)),
                                            others: Vec::new(),
                                        },
                                        Ancestor::Nothing => Job::Diff {
                                            old: Plan::default(),
                                            new,
                                            kind: DiffKind::Created,
                                            others: Vec::new(),
                                        },
                                        Ancestor::Boundary => Job::Done(Outcome::ShallowBoundary),
                                    }
                                }
                            }
                        }
                    }
                }
                (
                    None,
                    Base::Parent {
                        id,
                        tree: Some(parent_tree),
                    },
                ) => {
                    let old = plan_of(&mut loader, parent_tree)?;
                    let old = if diff::parse_failure(&old).is_none() {
                        Some(old)
                    } else {
                        match walker.readable_ancestor(id, &mut loader)? {
                            Ancestor::Plan(_, old) => Some(old),
                            Ancestor::Nothing | Ancestor::Boundary => None,
                        }
                    };
                    match old {
                        Some(old) => Job::Diff {
                            old,
                            new: Plan::default(),
                            kind: DiffKind::Removed,
                            others: Vec::new(),
                        },
                        None => Job::Done(Outcome::Removed {
                            changes: Vec::new(),
                        }),
                    }
                }
                (None, _) => continue,
            };
            jobs.push((k, job));
        }
        let diffs = parallel_map(&jobs, progress, |(_, job)| match job {
            Job::Diff {
                old, new, others, ..
            } => {
                let mut changes = diff::diff(old, new);
                for other in others {
                    let against: Vec<Change> = diff::diff(other, new);
                    changes.retain(|c| against.iter().any(|a| same_change(a, c)));
                }
                Some(changes)
            }
            Job::Done(_) => None,
        });
        let mut entries = Vec::new();
        let mut unchanged = 0;
        for ((k, job), changes) in jobs.into_iter().zip(diffs) {
            let outcome = match (job, changes) {
                (Job::Done(outcome), _) => outcome,
                (Job::Diff { kind, .. }, Some(changes)) => match kind {
                    DiffKind::Changed(_) if changes.is_empty() => {
                        unchanged += 1;
                        continue;
                    }
                    DiffKind::Changed(at) => Outcome::Changed {
                        changes,
                        compared_with: match at {
                            Some(at) => Some(self.commit_info(at)?.short_id),
                            None => None,
                        },
                    },
                    DiffKind::Created => Outcome::Created { changes },
                    DiffKind::Removed => Outcome::Removed { changes },
                },
                (Job::Diff { .. }, None) => unreachable!("every comparison is made"),
            };
            entries.push(Entry {
                commit: self.commit_info(k.id)?,
                tags: tags.get(&k.id).cloned().unwrap_or_default(),
                release: k.release.clone(),
                outcome,
            });
        }
        let releases = release_commits
            .into_iter()
            .map(|(name, id)| {
                Ok(Release {
                    name,
                    commit: self.commit_info(id)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Changelog {
            releases,
            plan_dir: options.plan_dir.clone(),
            to,
            from,
            entries,
            shallow: self.is_shallow(),
            commits,
            unchanged,
        })
    }
}

impl Repo {
    /// The commits of the walk, newest first, each read once: the first-parent chain from `to`, or
    /// with `all_parents` every commit reachable from it, no parent before its children and
    /// otherwise newest (committer date) first, as `git log --date-order` shows them; without the
    /// commits reachable from `hide`. A shallow clone's walk ends at its boundary.
    fn commits_to_walk(
        &self,
        to: Oid,
        hide: Option<Oid>,
        all_parents: bool,
    ) -> Result<Vec<(Oid, RawCommit)>> {
        let hidden = match hide {
            Some(id) => self.ancestors(id)?,
            None => HashSet::new(),
        };
        // A parent that is not there ends a shallow clone's walk; elsewhere it is damage.
        let read = |id: Oid| match self.raw_commit(id) {
            Err(Error::MissingObject { .. }) if self.is_shallow() => Ok(None),
            other => other.map(Some),
        };
        if !all_parents {
            let mut out = Vec::new();
            let mut next = Some(to);
            while let Some(id) = next.filter(|id| !hidden.contains(id)) {
                let Some(commit) = read(id)? else { break };
                next = commit.parents.first().copied();
                out.push((id, commit));
            }
            return Ok(out);
        }
        // Every reachable commit, in the order first met, then Kahn's algorithm by date.
        let mut found: Vec<(Oid, RawCommit)> = Vec::new();
        let mut index: HashMap<Oid, usize> = HashMap::new();
        let mut stack = vec![to];
        while let Some(id) = stack.pop() {
            if hidden.contains(&id) || index.contains_key(&id) {
                continue;
            }
            let Some(commit) = read(id)? else { continue };
            stack.extend(commit.parents.iter().rev());
            index.insert(id, found.len());
            found.push((id, commit));
        }
        let mut children = vec![0usize; found.len()];
        for (_, commit) in &found {
            for parent in &commit.parents {
                if let Some(&i) = index.get(parent) {
                    children[i] += 1;
                }
            }
        }
        let key = |i: usize| (found[i].1.committer_time.unwrap_or(0), std::cmp::Reverse(i));
        let mut ready: std::collections::BinaryHeap<_> = (0..found.len())
            .filter(|&i| children[i] == 0)
            .map(|i| (key(i), i))
            .collect();
        let mut order = Vec::with_capacity(found.len());
        while let Some((_, i)) = ready.pop() {
            order.push(i);
            for parent in &found[i].1.parents {
                if let Some(&p) = index.get(parent) {
                    children[p] -= 1;
                    if children[p] == 0 {
                        ready.push((key(p), p));
                    }
                }
            }
        }
        let mut slots: Vec<Option<(Oid, RawCommit)>> = found.into_iter().map(Some).collect();
        Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
    }
}

/// The same change seen from two parents of a merge (the old values may differ).
fn same_change(a: &Change, b: &Change) -> bool {
    a.kind == b.kind
        && a.entity == b.entity
        && a.name == b.name
        && a.property == b.property
        && a.field == b.field
        && a.new == b.new
}

enum Ancestor {
    Plan(Oid, Plan),
    /// The plan folder did not exist before, or history starts with the plan unreadable.
    Nothing,
    /// A shallow clone's history ends before a readable plan.
    Boundary,
}

struct Walker<'r> {
    repo: &'r Repo,
    plan_dir: &'r str,
    /// The plan folder's tree id per commit.
    trees: HashMap<Oid, Option<Oid>>,
}

impl Walker<'_> {
    fn tree_of_commit(&mut self, id: Oid, commit: &RawCommit) -> Result<Option<Oid>> {
        if let Some(tree) = self.trees.get(&id) {
            return Ok(*tree);
        }
        let tree = self.repo.plan_tree_of(commit, self.plan_dir)?;
        self.trees.insert(id, tree);
        Ok(tree)
    }

    fn tree_of(&mut self, commit: Oid) -> Result<Option<Oid>> {
        if let Some(tree) = self.trees.get(&commit) {
            return Ok(*tree);
        }
        let tree = self.repo.plan_tree(commit, self.plan_dir)?;
        self.trees.insert(commit, tree);
        Ok(tree)
    }

    /// The nearest first-parent ancestor of `start` (itself included) whose plan parses.
    fn readable_ancestor(&mut self, start: Oid, loader: &mut Loader) -> Result<Ancestor> {
        let mut current = start;
        loop {
            let Some(tree) = self.tree_of(current)? else {
                return Ok(Ancestor::Nothing);
            };
            if let PlanAt::Plan(plan) = loader.plan(self.repo, tree, &crate::NoProgress)? {
                if diff::parse_failure(&plan).is_none() {
                    return Ok(Ancestor::Plan(current, plan));
                }
            }
            let commit = self.repo.raw_commit(current)?;
            match commit.parents.first().copied() {
                Some(parent) => current = parent,
                None if self.repo.is_shallow_boundary(current) => return Ok(Ancestor::Boundary),
                None => return Ok(Ancestor::Nothing),
            }
        }
    }
}

/// Maps `f` over `items` on all cores, keeping the order, advancing the progress bar.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    progress: &dyn Progress,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    progress.phase("comparing revisions", Some(items.len() as u64));
    trackplan_core::parallel::map(items, |item| {
        let result = f(item);
        progress.advance(1);
        result
    })
}
