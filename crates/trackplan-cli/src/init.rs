//! `trackplan init`: writes a plan folder from a template embedded in the binary.

use crate::discover::UsageError;
use anyhow::{bail, Context, Result};
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

pub fn template_names() -> Vec<&'static str> {
    TEMPLATES.iter().map(|(name, _)| *name).collect()
}

pub fn files(template: &str) -> Option<&'static [(&'static str, &'static str)]> {
    TEMPLATES
        .iter()
        .find(|(name, _)| *name == template)
        .map(|(_, files)| *files)
}

/// Writes the template's files into `dir`, refusing when any of them exists already.
pub fn run(dir: &Path, template: &str) -> Result<Vec<String>> {
    let Some(files) = files(template) else {
        bail!(UsageError(format!(
            "unknown template `{template}`; the templates are: {}",
            template_names().join(", ")
        )));
    };
    let existing: Vec<&str> = files
        .iter()
        .map(|(relative, _)| *relative)
        .filter(|relative| dir.join(relative).symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        bail!(UsageError(format!(
            "refusing to overwrite existing files in {}: {}",
            dir.display(),
            existing.join(", ")
        )));
    }
    let mut written = Vec::new();
    for (relative, contents) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        // `create_new` so that a file appearing meanwhile is never overwritten either.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        std::io::Write::write_all(&mut file, contents.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(relative.to_string());
    }
    Ok(written)
}
