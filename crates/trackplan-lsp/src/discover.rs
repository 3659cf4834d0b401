//! Finding plan folders and their files on disk.
//!
//! The same walk as `trackplan check` ([`trackplan_fs`]), plus what the server needs to notice
//! changes on disk.

use std::path::{Path, PathBuf};
use std::time::SystemTime;
use trackplan_core::syntax::MAX_FILE_BYTES;

pub use trackplan_fs::{belongs, enclosing_plan, normalize, plan_file_paths, relative_path};

/// The plans of a workspace folder: the one it is inside of, and every plan below it.
pub fn plans_in_folder(dir: &Path) -> Vec<PathBuf> {
    if let Some(root) = enclosing_plan(dir) {
        let mut plans = vec![root.clone()];
        // Nested plans below the folder are plans of their own.
        plans.extend(
            trackplan_fs::plans_below(dir)
                .into_iter()
                .filter(|p| *p != root),
        );
        return plans;
    }
    trackplan_fs::plans_below(dir)
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
