//! `trackplan diff [BASE [HEAD]]`: the semantic diff of a plan between two revisions, or between a
//! revision and the work tree, for pull-request review.

use super::render::{self, DiffReport, Label, PlanChanges};
use super::{locate, PlanDir, Several};
use crate::discover::{self, UsageError};
use crate::render::Color;
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use trackplan_core::diff::{self, Level};
use trackplan_core::Plan;
use trackplan_git::{Loader, PlanAt, Repo, Revision};

#[derive(Args)]
pub struct DiffArgs {
    /// The revision to compare from (default: the merge base of HEAD and the default branch:
    /// origin/HEAD, else main, else master)
    base: Option<String>,
    /// The revision to compare to (default: the work tree, uncommitted and untracked plan files
    /// included)
    head: Option<String>,
    /// The plan folder, a file in it, or a folder with plans below it (default: the plan of the
    /// current folder, else every plan below it)
    #[arg(long, value_name = "DIR")]
    plan: Option<PathBuf>,
    /// Compare from the merge base of BASE and HEAD, as a pull request does (without BASE, the merge
    /// base with the default branch is always used)
    #[arg(long)]
    merge_base: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The lowest level of change that makes the exit code 1
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// When to color human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Lines for a terminal
    Human,
    /// A pull-request comment
    Markdown,
    /// A versioned JSON document (see docs/review.md)
    Json,
    /// GitHub Actions workflow commands that annotate the changed lines
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Breaking,
    Dangerous,
}

/// The newer side of the comparison.
enum Head {
    WorkTree,
    Revision(Revision),
}

pub fn run(args: &DiffArgs, cwd: &Path) -> Result<ExitCode> {
    let head_rev = args.head.as_deref().unwrap_or("HEAD");
    let (repo, plans) = locate(args.plan.as_deref(), cwd, head_rev, &Several::Each)?;
    let head = match &args.head {
        Some(rev) => Head::Revision(repo.resolve(rev)?),
        None if repo.workdir().is_some() => Head::WorkTree,
        None => Head::Revision(repo.resolve("HEAD")?),
    };
    let head_commit = match &head {
        Head::Revision(rev) => rev.clone(),
        Head::WorkTree => repo.resolve("HEAD")?,
    };
    let base = match &args.base {
        Some(rev) => {
            let rev = repo.resolve(rev)?;
            if args.merge_base {
                repo.merge_base(&rev, &head_commit)?
            } else {
                rev
            }
        }
        None => {
            let default = repo.default_branch()?;
            repo.merge_base(&default, &head_commit)?
        }
    };
    let mut loader = Loader::new();
    let mut report = DiffReport {
        base: label(&repo, &base),
        head: match &head {
            Head::WorkTree => Label {
                name: "work tree".to_string(),
                commit: None,
                short: None,
            },
            Head::Revision(rev) => label(&repo, rev),
        },
        plans: Vec::new(),
    };
    for plan in plans {
        let old = repo.plan_at(base.id, &plan.dir, &mut loader)?;
        let new = match &head {
            Head::Revision(rev) => repo.plan_at(rev.id, &plan.dir, &mut loader)?,
            Head::WorkTree => match &plan.disk {
                Some(root) => PlanAt::Plan(discover::load_plan(root)?.plan),
                None => PlanAt::Absent,
            },
        };
        report
            .plans
            .push(compare(&plan, old, new, &report.base, &report.head)?);
    }
    let output = match args.format {
        Format::Human => {
            let color = args.color.enabled();
            render::human(&report, color)
        }
        Format::Markdown => render::markdown(&report),
        Format::Json => render::json(&report),
        Format::Github => render::github(&report),
    };
    crate::output::print(&output)?;
    let threshold = args.fail_on.map(|f| match f {
        FailOn::Breaking => Level::Breaking,
        FailOn::Dangerous => Level::Dangerous,
    });
    let failed = threshold.is_some_and(|threshold| {
        report
            .plans
            .iter()
            .flat_map(|p| &p.changes)
            .any(|c| c.level >= threshold)
    });
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn label(repo: &Repo, rev: &Revision) -> Label {
    let info = repo.commit_info(rev.id).ok();
    Label {
        name: rev.name.clone(),
        commit: Some(rev.id.to_string()),
        short: info.map(|i| i.short_id),
    }
}

fn compare(
    dir: &PlanDir,
    old: PlanAt,
    new: PlanAt,
    base: &Label,
    head: &Label,
) -> Result<PlanChanges> {
    let readable = |plan: PlanAt, side: &Label| -> Result<Option<Plan>> {
        match plan {
            PlanAt::Absent => Ok(None),
            PlanAt::Plan(plan) => {
                if let Some(failure) = diff::parse_failure(&plan) {
                    bail!(UsageError(format!(
                        "the plan in {} does not parse at {}: {}; fix it (`trackplan check` tells more) or compare other revisions",
                        dir.shown(),
                        side.describe(),
                        failure_in(dir, &failure)
                    )));
                }
                Ok(Some(plan))
            }
        }
    };
    let old = readable(old, base)?;
    let new = readable(new, head)?;
    let note = match (&old, &new) {
        (None, None) => Some(format!(
            "there is no plan in {} at {} nor at {}",
            dir.shown(),
            base.describe(),
            head.describe()
        )),
        (None, Some(_)) => Some(format!(
            "the plan is new: {} has no plan in {}",
            base.describe(),
            dir.shown()
        )),
        (Some(_), None) => Some(format!(
            "the plan was removed: {} has no plan in {}",
            head.describe(),
            dir.shown()
        )),
        _ => None,
    };
    let old = old.unwrap_or_default();
    let new = new.unwrap_or_default();
    let changes = diff::diff(&old, &new);
    let name = [&new, &old]
        .iter()
        .find_map(|p| p.settings().name.map(|n| n.value));
    Ok(PlanChanges {
        dir: dir.dir.clone(),
        name,
        changes,
        old,
        new,
        note,
    })
}

fn failure_in(dir: &PlanDir, failure: &diff::ParseFailure) -> String {
    format!(
        "{}:{}:{}: {}",
        dir.repo_path(&failure.path),
        failure.line,
        failure.column,
        failure.message
    )
}
