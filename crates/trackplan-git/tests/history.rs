//! The history reader against golden repositories the tests build with `git`: plan folders that
//! appear mid-history, skipped commits, blobs parsed once, unparseable revisions, merges, shallow
//! clones, linked worktrees, bare repositories and repositories libgit2 cannot read.

mod support;

use support::{run_git, GitRepo};
use trackplan_core::diff::Kind;
use trackplan_git::{ChangelogOptions, Error, Loader, NoProgress, Outcome, PlanAt, Repo};

const ROOT: &str = "trackplan: 1\nname: Shop\nsuper_properties: [platform]\nproperties:\n  platform: {type: string, description: Client}\n";

fn events(names: &[&str]) -> String {
    let mut text = String::from("events:\n");
    for name in names {
        text.push_str(&format!(
            "  {name}:\n    description: {name} happened.\n    properties:\n      platform: optional\n"
        ));
    }
    text
}

fn options(plan_dir: &str) -> ChangelogOptions {
    ChangelogOptions {
        plan_dir: plan_dir.to_string(),
        ..ChangelogOptions::default()
    }
}

/// (subject, outcome word, kinds) per entry, newest first.
fn outline(repo: &Repo, options: &ChangelogOptions) -> Vec<String> {
    let log = repo.changelog(options, &NoProgress).expect("a changelog");
    log.entries
        .iter()
        .map(|e| {
            let (word, kinds) = match &e.outcome {
                Outcome::Changed {
                    changes,
                    compared_with,
                } => (
                    match compared_with {
                        Some(_) => "changed(after skip)",
                        None => "changed",
                    },
                    changes.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(),
                ),
                Outcome::Created { changes } => {
                    ("created", changes.iter().map(|c| c.kind.as_str()).collect())
                }
                Outcome::Removed { changes } => {
                    ("removed", changes.iter().map(|c| c.kind.as_str()).collect())
                }
                Outcome::Unreadable(f) => ("unreadable", vec![f.path.as_str()]),
                Outcome::ShallowBoundary => ("boundary", vec![]),
            };
            format!("{}: {word} {}", e.commit.summary, kinds.join(" "))
        })
        .collect()
}

/// A history with a plan folder that appears mid-history, unrelated commits, a move, a comment-only
/// edit, a broken revision and its fix, and the plan's removal.
fn history() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.write("README.md", "# Shop\n");
    repo.commit("Start the project");
    repo.write("plan/trackplan.yaml", ROOT);
    repo.write(
        "plan/events/a.yaml",
        &events(&["Order Completed", "Cart Viewed"]),
    );
    repo.commit("Add the plan");
    repo.write("src/app.js", "track('Order Completed')\n");
    repo.commit("Unrelated code change");
    repo.write("plan/events/a.yaml", &events(&["Order Completed"]));
    repo.write("plan/events/b.yaml", &events(&["Cart Viewed"]));
    repo.commit("Move an event to another file");
    repo.edit(
        "plan/trackplan.yaml",
        "name: Shop\n",
        "# The shop.\nname: Shop # display name\n",
    );
    repo.commit("Comment the plan");
    repo.write("plan/events/b.yaml", "events:\n  Cart Viewed: [\n");
    repo.commit("Half-typed edit");
    repo.write(
        "plan/events/b.yaml",
        &events(&["Cart Viewed", "Checkout Started"]),
    );
    repo.commit("Add checkout");
    repo.write("plan/notes.md", "not part of the plan\n");
    repo.commit("Notes beside the plan");
    repo.remove("plan");
    repo.commit("Remove the plan");
    repo
}

#[test]
fn changelog_of_a_plan_that_appears_is_broken_and_goes() {
    let golden = history();
    let repo = Repo::discover(golden.path()).unwrap();
    assert_eq!(
        outline(&repo, &options("plan")),
        [
            "Remove the plan: removed name-changed event-removed event-removed event-removed property-removed super-property-removed",
            "Add checkout: changed(after skip) event-added",
            "Half-typed edit: unreadable events/b.yaml",
            "Add the plan: created name-changed event-added event-added property-added super-property-added",
        ]
    );
    let log = repo.changelog(&options("plan"), &NoProgress).unwrap();
    assert_eq!(log.commits, 9);
    // The move, the comment and the notes changed the folder, not what the plan says.
    assert_eq!(log.unchanged, 3);
}

#[test]
fn unchanged_commits_are_skipped_before_any_parse_and_blobs_parse_once() {
    let golden = history();
    let repo = Repo::discover(golden.path()).unwrap();
    let log = repo.changelog(&options("plan"), &NoProgress).unwrap();
    assert_eq!(log.entries.len(), 4);
    // Distinct (blob, path) pairs in the revisions compared: trackplan.yaml (2 versions), a.yaml
    // (2), b.yaml (3). Reading each revision again from a fresh loader parses exactly those.
    let mut loader = Loader::new();
    for rev in [
        "HEAD~1", "HEAD~2", "HEAD~3", "HEAD~4", "HEAD~5", "HEAD~6", "HEAD~7",
    ] {
        let id = repo.resolve(rev).unwrap().id;
        repo.plan_at(id, "plan", &mut loader).unwrap();
    }
    assert_eq!(loader.parses(), 7);
    // Reading them all again parses nothing.
    for rev in ["HEAD~1", "HEAD~4"] {
        let id = repo.resolve(rev).unwrap().id;
        repo.plan_at(id, "plan", &mut loader).unwrap();
    }
    assert_eq!(loader.parses(), 7);
}

#[test]
fn plan_at_a_revision() {
    let golden = history();
    let repo = Repo::discover(golden.path()).unwrap();
    let mut loader = Loader::new();
    let first = repo.resolve("HEAD~8").unwrap().id;
    assert!(matches!(
        repo.plan_at(first, "plan", &mut loader).unwrap(),
        PlanAt::Absent
    ));
    let with_notes = repo.resolve("HEAD~1").unwrap().id;
    let PlanAt::Plan(plan) = repo.plan_at(with_notes, "plan", &mut loader).unwrap() else {
        panic!("a plan")
    };
    let paths: Vec<&str> = plan.files.iter().map(|f| f.source.path.as_str()).collect();
    // The root file first; notes.md is not a plan file.
    assert_eq!(paths, ["trackplan.yaml", "events/a.yaml", "events/b.yaml"]);
    assert_eq!(plan.events().count(), 3);
}

#[test]
fn from_and_to_limit_the_walk() {
    let golden = history();
    let repo = Repo::discover(golden.path()).unwrap();
    let options = ChangelogOptions {
        plan_dir: "plan".into(),
        from: Some("HEAD~3".into()),
        to: Some("HEAD~1".into()),
        all_parents: false,
    };
    assert_eq!(
        outline(&repo, &options),
        ["Add checkout: changed(after skip) event-added"]
    );
}

fn merge_history() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.write("plan/trackplan.yaml", ROOT);
    repo.write("plan/events.yaml", &events(&["Order Completed"]));
    repo.commit("Add the plan");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "plan/events.yaml",
        &events(&["Order Completed", "Cart Viewed"]),
    );
    repo.commit("Add Cart Viewed");
    repo.write(
        "plan/events.yaml",
        &events(&["Order Completed", "Cart Viewed", "Checkout Started"]),
    );
    repo.commit("Add Checkout Started");
    repo.checkout(&["main"]);
    repo.write("README.md", "docs\n");
    repo.commit("Docs on main");
    repo.merge("feature", "Merge branch 'feature'");
    repo
}

#[test]
fn merges_first_parent_and_all_parents() {
    let golden = merge_history();
    let repo = Repo::discover(golden.path()).unwrap();
    assert_eq!(
        outline(&repo, &options("plan")),
        [
            "Merge branch 'feature': changed event-added event-added",
            "Add the plan: created name-changed event-added property-added super-property-added",
        ]
    );
    let all = ChangelogOptions {
        all_parents: true,
        ..options("plan")
    };
    assert_eq!(
        outline(&repo, &all),
        [
            "Add Checkout Started: changed event-added",
            "Add Cart Viewed: changed event-added",
            "Add the plan: created name-changed event-added property-added super-property-added",
        ]
    );
}

#[test]
fn shallow_clone_marks_its_boundary() {
    let golden = history();
    let clone = golden.shallow_clone(3, &[]);
    let path = clone.path().join("clone");
    let repo = Repo::discover(&path).unwrap();
    assert!(repo.is_shallow());
    // HEAD~2 ("Add checkout") is where this clone's history starts: not "everything added".
    assert_eq!(
        outline(&repo, &options("plan")),
        [
            "Remove the plan: removed name-changed event-removed event-removed event-removed property-removed super-property-removed",
            "Add checkout: boundary ",
        ]
    );
    // A base that is not in the clone.
    match repo.resolve("HEAD~5") {
        Err(error @ Error::NotInShallowClone(_)) => {
            assert!(
                error.to_string().contains("fetch the full history"),
                "{error}"
            )
        }
        other => panic!("expected NotInShallowClone, got {other:?}"),
    }
}

#[test]
fn shallow_clone_without_the_merge_base() {
    let golden = merge_history();
    // Only the feature branch, one commit deep, and main one commit deep: no common ancestor.
    let clone = golden.shallow_clone(1, &["--no-single-branch"]);
    let path = clone.path().join("clone");
    let repo = Repo::discover(&path).unwrap();
    let main = repo.resolve("origin/main").unwrap();
    let feature = repo.resolve("origin/feature").unwrap();
    let error = repo.merge_base(&main, &feature).unwrap_err();
    assert!(matches!(error, Error::ShallowMergeBase(..)), "{error:?}");
    assert!(
        error.to_string().contains("git fetch --unshallow"),
        "{error}"
    );
}

#[test]
fn linked_worktree_and_bare_repository() {
    let golden = merge_history();
    let worktrees = tempfile::tempdir().unwrap();
    let tree = worktrees.path().join("wt");
    golden.git(&["worktree", "add", "-q", tree.to_str().unwrap(), "feature"]);
    let repo = Repo::discover(&tree.join("plan")).unwrap();
    assert_eq!(
        std::fs::canonicalize(repo.workdir().unwrap()).unwrap(),
        std::fs::canonicalize(&tree).unwrap()
    );
    // The worktree's HEAD is the feature branch.
    assert_eq!(
        outline(&repo, &options("plan"))[0],
        "Add Checkout Started: changed event-added"
    );
    assert_eq!(
        repo.relative_to_workdir(&tree.join("plan")).unwrap(),
        "plan"
    );

    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("shop.git");
    run_git(
        bare.path(),
        0,
        &[
            "clone",
            "-q",
            "--bare",
            golden.path().to_str().unwrap(),
            bare_path.to_str().unwrap(),
        ],
    );
    let repo = Repo::discover(&bare_path).unwrap();
    assert!(repo.workdir().is_none());
    let head = repo.resolve("HEAD").unwrap();
    assert_eq!(repo.plans_in(head.id).unwrap(), ["plan"]);
    assert_eq!(outline(&repo, &options("plan")).len(), 2);
}

#[test]
fn repositories_that_cannot_be_read() {
    let nothing = tempfile::tempdir().unwrap();
    let error = Repo::discover(nothing.path()).err().expect("no repository");
    assert!(matches!(error, Error::NotARepository(_)), "{error:?}");

    // A repository in a format libgit2 does not know (reftable refs).
    let reftable = tempfile::tempdir().unwrap();
    run_git(
        reftable.path(),
        0,
        &["init", "-q", "--ref-format=reftable", "r"],
    );
    let error = Repo::discover(&reftable.path().join("r"))
        .err()
        .expect("unreadable");
    assert!(matches!(error, Error::Unreadable { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("cannot read the git repository at "),
        "{error}"
    );

    // A damaged one: HEAD is garbage.
    let damaged = GitRepo::new();
    std::fs::write(damaged.join(".git/HEAD"), "garbage\n").unwrap();
    let error = match Repo::discover(damaged.path()) {
        Err(error) => error,
        Ok(repo) => repo.resolve("HEAD").unwrap_err(),
    };
    assert!(!error.to_string().is_empty());

    // No commits yet.
    let empty = GitRepo::new();
    let repo = Repo::discover(empty.path()).unwrap();
    assert!(matches!(repo.resolve("HEAD"), Err(Error::NoCommits)));
    assert!(matches!(
        repo.resolve("nope"),
        Err(Error::UnknownRevision(_))
    ));
}

#[test]
fn a_missing_object_is_an_error_not_a_panic() {
    let mut golden = GitRepo::new();
    golden.write("plan/trackplan.yaml", ROOT);
    golden.commit("Add the plan");
    golden.write("plan/events.yaml", &events(&["Order Completed"]));
    golden.commit("Add an event");
    // Delete the blob of events.yaml from the object store.
    let blob = golden.git(&["rev-parse", "HEAD:plan/events.yaml"]);
    std::fs::remove_file(golden.join(&format!(".git/objects/{}/{}", &blob[..2], &blob[2..])))
        .unwrap();
    let repo = Repo::discover(golden.path()).unwrap();
    let error = repo.changelog(&options("plan"), &NoProgress).unwrap_err();
    assert!(matches!(error, Error::MissingObject { .. }), "{error:?}");
    assert!(error.to_string().contains("git fsck"), "{error}");
}

#[test]
fn renames_are_seen_across_commits() {
    let mut golden = GitRepo::new();
    let event = |name: &str| {
        format!("{ROOT}events:\n  {name}:\n    description: An account was created.\n")
    };
    golden.write("trackplan.yaml", &event("Signed Up"));
    golden.commit("Add the plan at the root");
    golden.write("trackplan.yaml", &event("Sign Up Completed"));
    golden.commit("Rename the event");
    let repo = Repo::discover(golden.path()).unwrap();
    let log = repo.changelog(&options(""), &NoProgress).unwrap();
    let Outcome::Changed { changes, .. } = &log.entries[0].outcome else {
        panic!("a change")
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, Kind::EventRenamed);
    assert_eq!(changes[0].name, "Signed Up");
}
