//! The history commands: `trackplan diff`, `trackplan changelog` and `trackplan log`. They find the
//! repository and the plan folders, read revisions through `trackplan-git`, and render.

pub mod changelog;
pub mod diff;
pub mod log;
pub mod progress;
pub mod render;

use crate::discover::{self, UsageError};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use trackplan_fs::{enclosing_plan, normalize, plans_below};
use trackplan_git::Repo;

/// A plan folder as the history commands see it.
pub struct PlanDir {
    /// Relative to the repository root, `/`-separated (`""`: the root itself).
    pub dir: String,
    /// The folder in the work tree, when it is there.
    pub disk: Option<PathBuf>,
}

impl PlanDir {
    /// The folder for messages: `plans/shop`, or `.` for the repository root.
    pub fn shown(&self) -> &str {
        if self.dir.is_empty() {
            "."
        } else {
            &self.dir
        }
    }

    /// A path of the plan's files (relative to the plan folder) relative to the repository root.
    pub fn repo_path(&self, file: &str) -> String {
        if self.dir.is_empty() {
            file.to_string()
        } else {
            format!("{}/{file}", self.dir)
        }
    }
}

/// What a command does when no `--plan` is given and several plans lie below the current folder.
pub enum Several {
    /// Handle each of them (`diff`: one section per plan).
    Each,
    /// Ask for `--plan`, listing them as commands to run: the command's name and arguments before
    /// `--plan` (`changelog`, `log`: one history at a time reads best).
    AskFor(String),
}

/// Opens the repository and finds the plan folders the command is about: `--plan` (a plan folder, a
/// file in one, or a folder with plans below it), else the plan of the current folder, else the plan
/// or plans below it, as `trackplan check` finds them. A path that is not in the work tree (a plan
/// deleted since, or a bare repository) names a folder of the repository's tree; in a bare
/// repository without `--plan`, every plan in `rev`'s tree is used.
pub fn locate(
    plan: Option<&Path>,
    cwd: &Path,
    rev: &str,
    several: &Several,
) -> Result<(Repo, Vec<PlanDir>)> {
    // `components` drops `.` and a final `/`, so messages name `--plan .` as the folder itself.
    let start: PathBuf = plan
        .map_or_else(|| cwd.to_path_buf(), |p| cwd.join(p))
        .components()
        .collect();
    let on_disk = start.exists();
    let probe = if on_disk {
        start.clone()
    } else {
        start
            .ancestors()
            .find(|p| p.exists())
            .unwrap_or(cwd)
            .to_path_buf()
    };
    let repo = Repo::discover(&probe)?;
    let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
        // A bare repository: plan folders are paths in the tree.
        let dirs = match plan {
            Some(p) => vec![tree_path(p)],
            None => {
                let head = repo.resolve(rev)?;
                let found = repo.plans_in(head.id)?;
                if found.is_empty() {
                    bail!(UsageError(format!(
                        "no trackplan.yaml in the tree of `{rev}`; name the plan folder with --plan"
                    )));
                }
                found
            }
        };
        return Ok((
            repo,
            dirs.into_iter()
                .map(|dir| PlanDir { dir, disk: None })
                .collect(),
        ));
    };
    if !on_disk {
        let Some(dir) = repo.relative_to_workdir(&start) else {
            bail!(UsageError(format!(
                "{} is not inside the git work tree at {}",
                start.display(),
                workdir.display()
            )));
        };
        return Ok((repo, vec![PlanDir { dir, disk: None }]));
    }
    let roots = match plan {
        Some(path) => discover::plan_roots(&[path.to_path_buf()], cwd)?,
        None => plans_of_the_current_folder(cwd, several)?,
    };
    let mut dirs = Vec::new();
    for root in roots {
        let Some(dir) = repo.relative_to_workdir(&root) else {
            bail!(UsageError(format!(
                "the plan in {} is not inside the git work tree at {}; run the command in that \
                 repository, or name a plan of this one with --plan",
                root.display(),
                workdir.display()
            )));
        };
        dirs.push(PlanDir {
            dir,
            disk: Some(root),
        });
    }
    Ok((repo, dirs))
}

/// Without `--plan`: the plan holding the current folder, else the one plan below it, else (by
/// `several`) every plan below it or an error that lists them. Each error names `--plan`.
fn plans_of_the_current_folder(cwd: &Path, several: &Several) -> Result<Vec<PathBuf>> {
    if let Some(root) = enclosing_plan(cwd) {
        return Ok(vec![root]);
    }
    let below = plans_below(cwd)
        .complete()
        .map_err(|e| UsageError(e.to_string()))?;
    match (below.len(), several) {
        (0, _) => bail!(UsageError(format!(
            "no trackplan.yaml found in {}, any parent folder or below it; name the plan folder with \
             --plan DIR (also a folder of a plan deleted since), or run `trackplan init` to create a plan",
            cwd.display()
        ))),
        (1, _) | (_, Several::Each) => Ok(below),
        (n, Several::AskFor(command)) => {
            let base = normalize(cwd);
            let choices: Vec<String> = below
                .iter()
                .map(|root| {
                    let shown = root.strip_prefix(&base).unwrap_or(root);
                    format!("\n  trackplan {command} --plan {}", shown.display())
                })
                .collect();
            bail!(UsageError(format!(
                "there are {n} plans below {}; name one with --plan:{}",
                cwd.display(),
                choices.concat()
            )))
        }
    }
}

/// A path given for a bare repository, as a tree path.
fn tree_path(path: &Path) -> String {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
        .trim_matches('/')
        .to_string()
}
