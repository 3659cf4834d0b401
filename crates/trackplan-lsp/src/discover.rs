//! Finding plan folders and their files on disk.
//!
//! The same walk as `trackplan check`: which files belong to a plan is the core's decision
//! ([`plan_files`]); this module skips what git ignores and never follows symlinks.

use std::path::{Path, PathBuf};
use std::time::SystemTime;
use trackplan_core::plan_files;
use trackplan_core::syntax::MAX_FILE_BYTES;
use trackplan_core::ROOT_FILE_NAME;

/// The nearest folder at or above `dir` that holds `trackplan.yaml`.
pub fn enclosing_plan(dir: &Path) -> Option<PathBuf> {
    let mut current = Some(dir);
    while let Some(dir) = current {
        if dir.join(ROOT_FILE_NAME).is_file() {
            return Some(normalize(dir));
        }
        current = dir.parent();
    }
    None
}

pub fn normalize(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The plans of a workspace folder: the one it is inside of, or every plan below it.
pub fn plans_in_folder(dir: &Path) -> Vec<PathBuf> {
    if let Some(root) = enclosing_plan(dir) {
        let mut plans = vec![root.clone()];
        // Nested plans below the folder are plans of their own.
        plans.extend(plans_below(dir).into_iter().filter(|p| *p != root));
        return plans;
    }
    plans_below(dir)
}

/// Every plan folder below `dir` (hidden and git-ignored folders skipped).
pub fn plans_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(false)
        .parents(true)
        .follow_links(false)
        .build();
    for entry in walker.flatten() {
        if entry.file_type().is_some_and(|t| t.is_file()) && entry.file_name() == ROOT_FILE_NAME {
            if let Some(parent) = entry.path().parent() {
                found.push(normalize(parent));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The files of the plan in `root`, relative to it with `/` separators, sorted.
pub fn plan_file_paths(root: &Path) -> Vec<String> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(false)
        .parents(true)
        .follow_links(false)
        .filter_entry({
            let root = root.to_path_buf();
            move |entry| {
                if entry.path() == root || !entry.file_type().is_some_and(|t| t.is_dir()) {
                    return true;
                }
                let relative = relative_path(&root, entry.path());
                plan_files::should_enter(&relative, entry.path().join(ROOT_FILE_NAME).is_file())
            }
        })
        .build();
    let mut paths: Vec<String> = walker
        .flatten()
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(|entry| relative_path(root, entry.path()))
        .filter(|relative| belongs(root, relative))
        .collect();
    paths.sort();
    paths
}

/// Whether a path relative to a plan folder is one of its files (by name and place; git-ignore is
/// the walker's business).
pub fn belongs(root: &Path, relative: &str) -> bool {
    plan_files::belongs_to_plan(relative, |dir| {
        root.join(dir).join(ROOT_FILE_NAME).is_file()
    })
}

pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a file on disk looks like, to notice changes without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub modified: Option<SystemTime>,
    pub len: u64,
}

pub fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    Some(Stamp {
        modified: metadata.modified().ok(),
        len: metadata.len(),
    })
}

/// A file's text read from disk: `None` when it cannot be read; too large files are reported by the
/// core.
pub enum DiskText {
    Text(String),
    Bytes(Vec<u8>),
    TooLarge(usize),
}

pub fn read(path: &Path) -> Option<DiskText> {
    let len = std::fs::metadata(path).ok()?.len() as usize;
    if len > MAX_FILE_BYTES {
        return Some(DiskText::TooLarge(len));
    }
    let bytes = std::fs::read(path).ok()?;
    Some(match String::from_utf8(bytes) {
        Ok(text) => DiskText::Text(text),
        Err(error) => DiskText::Bytes(error.into_bytes()),
    })
}
