//! Finding plan folders and their files on disk.
//!
//! The same walk as `trackplan check` ([`trackplan_fs`]), plus what the server needs to notice
//! changes on disk.

use std::path::{Path, PathBuf};
use std::time::SystemTime;
use trackplan_core::Content;

pub use trackplan_fs::{belongs, enclosing_plan, normalize, plan_file_paths, relative_path};

/// The plans of a workspace folder: the one it is inside of, and every plan below it. Folders that
/// cannot be read are logged; the editor works with the plans it can see.
pub fn plans_in_folder(dir: &Path) -> Vec<PathBuf> {
    let below = trackplan_fs::plans_below(dir);
    for unreadable in &below.unreadable {
        tracing::warn!("{unreadable}");
    }
    if let Some(root) = enclosing_plan(dir) {
        let mut plans = vec![root.clone()];
        // Nested plans below the folder are plans of their own.
        plans.extend(below.items.into_iter().filter(|p| *p != root));
        return plans;
    }
    below.items
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

/// A file's content read from disk: `None` when it cannot be read; a file too large to read is
/// not read (the core reports it).
pub fn read(path: &Path) -> Option<Content> {
    let len = std::fs::metadata(path).ok()?.len();
    Content::of_size(len, || std::fs::read(path)).ok()
}
