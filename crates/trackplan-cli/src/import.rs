//! `trackplan import`: other tools' plans in, a plan folder out (written whole or not at all).

use crate::output;
use crate::render;
use anyhow::{bail, Context, Result};
use clap::builder::PossibleValuesParser;
use clap::Args;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;
use trackplan_core::baseline::Baseline;
use trackplan_core::{CheckOptions, Date, Severity};
use trackplan_import::{Format, Input, Options, MAX_INPUT_BYTES};

#[derive(Args)]
pub struct ImportArgs {
    /// The format of the inputs (docs/import.md describes each)
    #[arg(long, value_parser = PossibleValuesParser::new(Format::ALL.map(Format::name)))]
    from: String,
    /// Files or folders to import (from a folder, every file of the format below it)
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The plan folder to write; it must not exist or be empty
    #[arg(long, value_name = "DIR", default_value = "tracking-plan")]
    out: PathBuf,
    /// The plan's name (default: the name the source holds, else "Imported plan")
    #[arg(long)]
    name: Option<String>,
    /// Also write the baseline of the imported plan's findings to FILE, so that `check` reports
    /// only new ones
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Exit 1 when some input file was skipped
    #[arg(long)]
    strict: bool,
}

pub fn run(args: &ImportArgs, cwd: &Path) -> Result<ExitCode> {
    let format = Format::from_name(&args.from).expect("clap accepts the format names only");
    let out = cwd.join(&args.out);
    if out.exists() && (!out.is_dir() || std::fs::read_dir(&out)?.next().is_some()) {
        bail!(crate::discover::UsageError(format!(
            "{} already exists and is not an empty folder: choose another --out, or remove it",
            render::display_path(&out, cwd)
        )));
    }
    let mut unreadable = Vec::new();
    let mut inputs = Vec::new();
    for path in &args.inputs {
        let full = cwd.join(path);
        let shown = render::display_path(&full, cwd);
        match std::fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_dir() => read_folder(&full, format, &mut inputs, &mut unreadable),
            Ok(_) => match read_capped(&full) {
                Ok(bytes) => inputs.push(Input::new(shown, bytes)),
                Err(e) => unreadable.push(format!("{shown}: {e}")),
            },
            Err(e) => unreadable.push(format!("{shown}: {e}")),
        }
    }
    for problem in &unreadable {
        output::note(format_args!("skipped {problem}"));
    }
    if inputs.is_empty() {
        bail!(crate::discover::UsageError(format!(
            "no {} input to import",
            format.name()
        )));
    }
    let options = Options {
        name: args.name.clone(),
    };
    let imported = match trackplan_import::import(format, &inputs, &options) {
        Ok(imported) => imported,
        Err(nothing) => {
            output::print(&nothing.report.to_text())?;
            bail!(nothing);
        }
    };
    let plan = imported.plan();
    let diagnostics = trackplan_core::check_with(
        &plan,
        &CheckOptions {
            today: Some(Date::of(SystemTime::now())),
        },
    );
    let mut files = imported.files.clone();
    if let Some(file) = &args.baseline {
        // A baseline inside the plan folder is named in its root file, so `check` uses it.
        if let Ok(inside) = cwd.join(file).strip_prefix(&out) {
            let inside = inside.to_string_lossy().replace('\\', "/");
            files[0]
                .text
                .push_str(&format!("baseline: {}\n", serde_json::to_string(&inside)?));
        }
    }
    write_atomically(&out, &files)?;
    let mut text = imported.report.to_text();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let shown_out = render::display_path(&out, cwd);
    text.push_str(&format!(
        "wrote the plan to {shown_out} ({} file{}); `trackplan check {shown_out}` finds {errors} error{} and {warnings} other finding{}\n",
        imported.files.len(),
        plural(imported.files.len()),
        plural(errors),
        plural(warnings)
    ));
    if let Some(file) = &args.baseline {
        let file = cwd.join(file);
        let baseline = Baseline::of(&plan, &diagnostics);
        std::fs::write(&file, baseline.to_json())
            .with_context(|| format!("cannot write the baseline {}", file.display()))?;
        let hint = if file.starts_with(&out) {
            "trackplan.yaml names it, so `check` reports only new findings".to_string()
        } else {
            format!(
                "add `baseline: {}` to trackplan.yaml so that `check` reports only new ones",
                pathdiff(&file, &out)
            )
        };
        text.push_str(&format!(
            "wrote {} finding{} to {}; {hint}\n",
            baseline.entries.len(),
            plural(baseline.entries.len()),
            render::display_path(&file, cwd)
        ));
    }
    output::print(&text)?;
    let skipped = !imported.report.skipped.is_empty() || !unreadable.is_empty();
    Ok(if skipped && args.strict {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `file` as the plan folder `out` would name it (relative when inside it).
fn pathdiff(file: &Path, out: &Path) -> String {
    file.strip_prefix(out)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| file.display().to_string())
}

/// At most one byte more than an import reads, so that a huge file is refused, not loaded.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The files of the format below a folder, sorted, named relative to it; links are not followed.
fn read_folder(dir: &Path, format: Format, inputs: &mut Vec<Input>, unreadable: &mut Vec<String>) {
    let mut stack = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(folder) = stack.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) => {
                unreadable.push(format!("{}: {e}", folder.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let relative = path
                .strip_prefix(dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if relative.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && format.reads_file(&relative) {
                found.push((relative, path));
            }
        }
    }
    found.sort();
    for (relative, path) in found {
        match read_capped(&path) {
            Ok(bytes) => inputs.push(Input::new(relative, bytes)),
            Err(e) => unreadable.push(format!("{relative}: {e}")),
        }
    }
}

/// Writes the plan into a new folder beside `out`, then renames it to `out`: a failure midway
/// leaves no half-written plan.
fn write_atomically(out: &Path, files: &[trackplan_import::PlanFile]) -> Result<()> {
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    let temp = parent.join(format!(".{name}.import-{}", std::process::id()));
    let written = (|| -> Result<()> {
        std::fs::create_dir(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        for file in files {
            let path = temp.join(&file.path);
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder)
                    .with_context(|| format!("cannot create {}", folder.display()))?;
            }
            std::fs::write(&path, &file.text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        if out.is_dir() {
            // An empty folder given as --out: replaced by the written one.
            std::fs::remove_dir(out)
                .with_context(|| format!("cannot replace {}", out.display()))?;
        }
        std::fs::rename(&temp, out)
            .with_context(|| format!("cannot move the plan into {}", out.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    written
}
