//! Finding plans and their files on disk: the filesystem walk the CLI and the language server share.
//!
//! Which files belong to a plan is the core's decision ([`plan_files`]); this crate only walks
//! folders: it skips what git ignores (`.gitignore` and `.git/info/exclude` inside a git work tree)
//! and never follows symlinks, which only a walker can see.

use std::path::{Path, PathBuf};
use trackplan_core::plan_files;
use trackplan_core::ROOT_FILE_NAME;

/// The nearest folder at or above `dir` that holds `trackplan.yaml`.
pub fn enclosing_plan(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|dir| dir.join(ROOT_FILE_NAME).is_file())
        .map(normalize)
}

/// The canonical form of a path when it exists, so that one plan is never seen twice.
pub fn normalize(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn walker(dir: &Path, hidden: bool) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(hidden)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(false)
        .parents(true)
        .follow_links(false);
    builder
}

/// Every plan folder below `dir`, nested plans included (hidden and git-ignored folders skipped),
/// sorted.
pub fn plans_below(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walker(dir, true)
        .build()
        .flatten()
        .filter(|entry| {
            entry.file_type().is_some_and(|t| t.is_file()) && entry.file_name() == ROOT_FILE_NAME
        })
        .filter_map(|entry| entry.path().parent().map(normalize))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The files of the plan in `root`, relative to it with `/` separators, sorted.
pub fn plan_file_paths(root: &Path) -> Vec<String> {
    let mut builder = walker(root, false);
    builder.filter_entry({
        let root = root.to_path_buf();
        move |entry| {
            if entry.path() == root || !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            let relative = relative_path(&root, entry.path());
            plan_files::should_enter(&relative, entry.path().join(ROOT_FILE_NAME).is_file())
        }
    });
    let mut paths: Vec<String> = builder
        .build()
        .flatten()
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(|entry| relative_path(root, entry.path()))
        .filter(|relative| belongs(root, relative))
        .collect();
    paths.sort();
    paths
}

/// Whether a path relative to a plan folder is one of its files, by name and place (git-ignore is
/// the walker's business).
pub fn belongs(root: &Path, relative: &str) -> bool {
    plan_files::belongs_to_plan(relative, |dir| {
        root.join(dir).join(ROOT_FILE_NAME).is_file()
    })
}

/// `path` relative to `root`, with `/` separators.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_plans_and_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("plans/shop");
        write(&root.join("trackplan.yaml"), "");
        write(&root.join("events/a.yaml"), "");
        write(&root.join("events/.b.yaml"), "");
        write(&root.join("notes.md"), "");
        write(&root.join("nested/trackplan.yaml"), "");
        write(&root.join("nested/c.yaml"), "");
        assert_eq!(plan_file_paths(&root), ["events/a.yaml", "trackplan.yaml"]);
        let root = normalize(&root);
        assert_eq!(plans_below(dir.path()), [root.clone(), root.join("nested")]);
        assert_eq!(enclosing_plan(&root.join("events")), Some(root.clone()));
        assert_eq!(enclosing_plan(dir.path()), None);
    }
}
