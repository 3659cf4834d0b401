//! `trackplan audit`: events from files or stdin checked against the plan (the work is the
//! `trackplan-audit` crate's; this opens the inputs, draws the progress bar and prints).

mod render;

use crate::discover::{self, UsageError};
use crate::output;
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use trackplan_audit::{AuditPlan, Input, Options};
use trackplan_core::Severity;

#[derive(Args)]
pub struct AuditArgs {
    /// Files of events: newline-delimited JSON or a JSON array, plain or gzip (none, or `-`:
    /// standard input)
    files: Vec<PathBuf>,
    /// The plan folder (default: the plan of the current folder)
    #[arg(long, value_name = "DIR")]
    plan: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The lowest severity that makes the exit code non-zero
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever the findings
    Never,
}

pub fn run(args: &AuditArgs, cwd: &Path) -> Result<ExitCode> {
    let root = crate::one_plan_root(args.plan.as_deref(), cwd, "audit")?;
    let loaded = discover::load_plan(&root)?;
    let plan = AuditPlan::new(&loaded.plan);
    let bar = progress_bar(&args.files, cwd);
    let inputs = open_inputs(&args.files, cwd, bar.as_ref())?;
    let report = trackplan_audit::audit(&plan, inputs, &Options::default());
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    output::to_stdout(|out| match args.format {
        Format::Human => render::human(&report, out),
        Format::Json => render::json(&report, out),
        Format::Markdown => render::markdown(&report, out),
        Format::Github => render::github(&report, out),
    })?;
    let level = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = level.is_some_and(|level| report.fails_at(level));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every input opened before any is read: a path that cannot be opened is an error (exit 2), not
/// a finding, so that a typo never passes as an empty audit.
fn open_inputs(files: &[PathBuf], cwd: &Path, bar: Option<&ProgressBar>) -> Result<Vec<Input>> {
    let stdin = Path::new("-");
    let files: Vec<&Path> = if files.is_empty() {
        vec![stdin]
    } else {
        files.iter().map(PathBuf::as_path).collect()
    };
    let mut inputs = Vec::new();
    for file in files {
        let (name, reader): (String, Box<dyn Read + Send>) = if file == stdin {
            ("<stdin>".to_string(), Box::new(std::io::stdin()))
        } else {
            let opened = std::fs::File::open(cwd.join(file)).map_err(|e| {
                UsageError(format!(
                    "cannot read {}: {}",
                    file.display(),
                    trackplan_fs::io_reason(&e)
                ))
            })?;
            if opened.metadata().is_ok_and(|m| m.is_dir()) {
                bail!(UsageError(format!(
                    "{} is a folder, not a file of events",
                    file.display()
                )));
            }
            (file.display().to_string(), Box::new(opened))
        };
        let reader = match bar {
            Some(bar) => Box::new(bar.wrap_read(reader)),
            None => reader,
        };
        inputs.push(Input { name, reader });
    }
    Ok(inputs)
}

/// A bar of the bytes read, on stderr when it is a terminal (a spinner when reading stdin).
fn progress_bar(files: &[PathBuf], cwd: &Path) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let sizes: Option<u64> = if files.is_empty() || files.iter().any(|f| f == Path::new("-")) {
        None
    } else {
        files
            .iter()
            .map(|f| std::fs::metadata(cwd.join(f)).ok().map(|m| m.len()))
            .sum()
    };
    let bar = ProgressBar::with_draw_target(sizes, ProgressDrawTarget::stderr());
    let style = match sizes {
        Some(_) => ProgressStyle::with_template(
            "auditing [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
        )
        .map(|s| s.progress_chars("=> ")),
        None => ProgressStyle::with_template("{spinner} auditing: {bytes} {bytes_per_sec}"),
    };
    bar.set_style(style.unwrap_or_else(|_| ProgressStyle::default_bar()));
    Some(bar)
}
