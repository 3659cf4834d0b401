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
    refuse_links_outside(dir, files.iter().map(|(relative, _)| *relative))?;
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

/// Refuses to write through a symbolic link inside `dir` that leads out of it (`events/ ->
/// /elsewhere`): `init` writes into the folder it is given and nowhere else.
fn refuse_links_outside<'a>(dir: &Path, files: impl Iterator<Item = &'a str>) -> Result<()> {
    let Ok(target) = dir.canonicalize() else {
        // The folder does not exist yet: there is no link in it to follow.
        return Ok(());
    };
    for relative in files {
        let mut at = dir.to_path_buf();
        for component in Path::new(relative).components() {
            at.push(component);
            let Ok(metadata) = at.symlink_metadata() else {
                break;
            };
            if !metadata.file_type().is_symlink() {
                continue;
            }
            let inside = at
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&target));
            if !inside {
                let shown = at.strip_prefix(dir).unwrap_or(&at);
                let points_to = std::fs::read_link(&at)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| "somewhere unreadable".to_string());
                bail!(UsageError(format!(
                    "refusing to write {relative}: {} is a symbolic link to {points_to}, outside {}",
                    shown.display(),
                    dir.display()
                )));
            }
        }
    }
    Ok(())
}
