//! Finding plans on disk and reading their files.
//!
//! Which files belong to a plan is the core's decision ([`plan_files`]); this module only walks the
//! filesystem: it skips what git ignores and never follows symlinks.

use anyhow::{bail, Context, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use trackplan_core::{Content, FileId, ParsedFile, Plan};
use trackplan_fs::{enclosing_plan, io_reason, normalize, plan_files, plans_below, PlanFile};

/// A plan read from disk.
pub struct LoadedPlan {
    /// The plan folder (holding `trackplan.yaml`).
    pub root: PathBuf,
    pub plan: Plan,
}

impl LoadedPlan {
    /// The absolute path of one of the plan's files.
    pub fn path_of(&self, file: &ParsedFile) -> PathBuf {
        self.root.join(&file.source.path)
    }
}

/// An error the CLI reports with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The plan folders to handle for the paths given on the command line (none: the current folder's
/// plan), in a stable order without repeats. Files that belong to no plan are skipped with a note.
pub fn plan_roots(paths: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>> {
    let mut roots = BTreeSet::new();
    if paths.is_empty() {
        match enclosing_plan(cwd) {
            Some(root) => {
                roots.insert(root);
            }
            None => {
                // Only a hint: the plans that can be seen will do.
                let below = plans_below(cwd).items;
                let hint = match below.first() {
                    Some(first) => format!(
                        "; there {} below it: run `trackplan check .` to check {}, or `trackplan check {}`",
                        if below.len() == 1 { "is a plan" } else { "are plans" },
                        if below.len() == 1 { "it" } else { "them all" },
                        first.strip_prefix(normalize(cwd)).unwrap_or(first).display()
                    ),
                    None => " (run `trackplan init` to create a plan)".to_string(),
                };
                bail!(UsageError(format!(
                    "no trackplan.yaml found in {} or any parent folder{hint}",
                    cwd.display()
                )))
            }
        }
    }
    for path in paths {
        let absolute = cwd.join(path);
        let metadata = std::fs::metadata(&absolute).map_err(|e| {
            UsageError(format!("cannot read {}: {}", path.display(), io_reason(&e)))
        })?;
        let start = if metadata.is_dir() {
            absolute.clone()
        } else {
            absolute.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        if let Some(root) = enclosing_plan(&start) {
            roots.insert(root);
        } else if metadata.is_dir() {
            let below = plans_below(&absolute).complete().map_err(unreadable)?;
            if below.is_empty() {
                bail!(UsageError(format!(
                    "no plan found in {}: no trackplan.yaml in it, above it or below it",
                    path.display()
                )));
            }
            roots.extend(below);
        } else {
            crate::output::note(format_args!(
                "note: {} belongs to no plan; skipped",
                path.display()
            ));
        }
    }
    if roots.is_empty() {
        bail!(UsageError("no plan found for the given paths".into()));
    }
    Ok(roots.into_iter().collect())
}

/// A folder the walk could not read: an error (exit 2), never a plan passed without it.
fn unreadable(error: trackplan_fs::Unreadable) -> UsageError {
    UsageError(error.to_string())
}

/// Reads and parses every file of the plan in `root`. Files are parsed in parallel; ids follow the
/// sorted paths so output never depends on thread timing. A folder of the plan that cannot be read is
/// an error: the plan would pass without its files.
pub fn load_plan(root: &Path) -> Result<LoadedPlan> {
    let files = plan_files(root).complete().map_err(unreadable)?;
    let read = |(i, file): (usize, &PlanFile)| -> Result<ParsedFile> {
        let id = FileId(i as u32);
        let cannot_read = |e: std::io::Error| {
            UsageError(format!(
                "cannot read {}: {}",
                file.path.display(),
                io_reason(&e)
            ))
        };
        let size = std::fs::metadata(&file.path).map_err(cannot_read)?.len();
        let content = Content::of_size(size, || std::fs::read(&file.path)).map_err(cannot_read)?;
        let mut parsed = content.parse(id, &file.name);
        // Nothing after reading needs the syntax tree (the model and the findings are made), and
        // on a large plan it is a good part of the memory.
        parsed.drop_tree();
        Ok(parsed)
    };
    // Threads take the next file from a shared counter, largest files first, so that one thread is
    // not left with the big ones; results go back in path order.
    let mut order: Vec<usize> = (0..files.len()).collect();
    let size = |i: &usize| std::fs::metadata(&files[*i].path).map_or(0, |m| m.len());
    order.sort_by_key(|i| std::cmp::Reverse(size(i)));
    let mut results: Vec<(usize, Result<ParsedFile>)> =
        trackplan_core::parallel::map(&order, |&i| (i, read((i, &files[i]))));
    results.sort_by_key(|(i, _)| *i);
    let results = results.into_iter().map(|(_, r)| r);
    let files = results
        .into_iter()
        .map(|r| r.map(Arc::new))
        .collect::<Result<Vec<_>>>()
        .with_context(|| format!("reading the plan in {}", root.display()))?;
    Ok(LoadedPlan {
        root: root.to_path_buf(),
        plan: Plan::new(files),
    })
}
