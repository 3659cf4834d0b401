//! Finding plans and their files on disk: the filesystem walk the CLI and the language server share.
//!
//! Which files belong to a plan is the core's decision ([`plan_files`]); this crate only walks
//! folders: it skips what git ignores (`.gitignore` and `.git/info/exclude` inside a git work tree)
//! and never follows symlinks, which only a walker can see. A folder it cannot read (permissions, a
//! path longer than the system allows) is reported, never silently left out: `check` must not pass
//! a plan it did not read.

use std::path::{Path, PathBuf};
use trackplan_core::plan_files;
use trackplan_core::ROOT_FILE_NAME;

/// A folder (or file) the walk could not read, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {}: {reason}", path.display())]
pub struct Unreadable {
    pub path: PathBuf,
    pub reason: String,
}

/// What a walk found, and what it could not read.
#[derive(Debug)]
pub struct Found<T> {
    pub items: Vec<T>,
    pub unreadable: Vec<Unreadable>,
}

impl<T> Found<T> {
    /// Everything, or the first place that could not be read.
    pub fn complete(self) -> Result<Vec<T>, Unreadable> {
        match self.unreadable.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(self.items),
        }
    }
}

/// A file of a plan on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanFile {
    /// Where it is.
    pub path: PathBuf,
    /// Relative to the plan folder, `/`-separated, bytes that are not UTF-8 as `\xNN`
    /// ([`plan_files::escaped_name`]): its name in the plan and in messages.
    pub name: String,
}

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

/// An error of the walk as the place and the reason, in words for people.
fn unreadable(error: &ignore::Error, fallback: &Path) -> Unreadable {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    let reason = match error.io_error() {
        Some(io) => io_reason(io),
        None => error.to_string(),
    };
    Unreadable {
        path: path_of(error).unwrap_or(fallback).to_path_buf(),
        reason,
    }
}

/// An I/O error's reason in lowercase, without the `(os error N)` suffix.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => return "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => return "permission denied".into(),
        // ENAMETOOLONG: a name or the whole path is longer than the system allows.
        std::io::ErrorKind::InvalidFilename => {
            return "the path is longer than the system allows".into()
        }
        _ => {}
    }
    let text = error.to_string();
    let text = text
        .find(" (os error")
        .map_or(text.as_str(), |at| &text[..at]);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every plan folder below `dir`, nested plans included (hidden and git-ignored folders skipped),
/// sorted; and the folders that could not be read.
pub fn plans_below(dir: &Path) -> Found<PathBuf> {
    let mut found = Vec::new();
    let mut unreadable_dirs = Vec::new();
    for entry in walker(dir, true).build() {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file())
                    && entry.file_name() == ROOT_FILE_NAME
                {
                    found.extend(entry.path().parent().map(normalize));
                }
            }
            Err(error) => unreadable_dirs.push(unreadable(&error, dir)),
        }
    }
    found.sort();
    found.dedup();
    Found {
        items: found,
        unreadable: unreadable_dirs,
    }
}

/// The files of the plan in `root`, sorted by name; and the folders of the plan that could not be
/// read.
pub fn plan_files(root: &Path) -> Found<PlanFile> {
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
    let mut files = Vec::new();
    let mut unreadable_dirs = Vec::new();
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let name = relative_path(root, entry.path());
                if belongs(root, &name) {
                    files.push(PlanFile {
                        path: entry.into_path(),
                        name,
                    });
                }
            }
            Err(error) => unreadable_dirs.push(unreadable(&error, root)),
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Found {
        items: files,
        unreadable: unreadable_dirs,
    }
}

/// The names of the plan's files that could be listed ([`plan_files`] without what could not be
/// read): what an editor shows while a folder is unreadable.
pub fn plan_file_paths(root: &Path) -> Vec<String> {
    plan_files(root).items.into_iter().map(|f| f.name).collect()
}

/// Whether a path relative to a plan folder is one of its files, by name and place (git-ignore is
/// the walker's business).
pub fn belongs(root: &Path, relative: &str) -> bool {
    plan_files::belongs_to_plan(relative, |dir| {
        root.join(dir).join(ROOT_FILE_NAME).is_file()
    })
}

/// `path` relative to `root`, with `/` separators; bytes that are not UTF-8 as `\xNN`.
pub fn relative_path(root: &Path, path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| plan_files::escaped_name(c.as_os_str().as_bytes()))
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
        let below = plans_below(dir.path()).complete().unwrap();
        assert_eq!(below, [root.clone(), root.join("nested")]);
        assert_eq!(enclosing_plan(&root.join("events")), Some(root.clone()));
        assert_eq!(enclosing_plan(dir.path()), None);
    }

    #[test]
    fn a_name_that_is_not_utf8_is_listed_with_its_real_path() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("trackplan.yaml"), "");
        let latin1 = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(b"latin1-\xe9.yaml"));
        std::fs::write(&latin1, "").unwrap();
        let files = plan_files(dir.path()).complete().unwrap();
        assert_eq!(files[0].name, "latin1-\\xe9.yaml");
        assert_eq!(files[0].path, latin1);
    }
}
