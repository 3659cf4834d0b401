//! `trackplan check`.

use crate::discover::{self, LoadedPlan, UsageError};
use crate::output;
use crate::render::{self, BaselineUse, Color, Report};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;
use trackplan_core::baseline::Baseline;
use trackplan_core::rules::missing_field;
use trackplan_core::{CheckOptions, Date, Diagnostic, FileId, Severity, Span};

#[derive(Args)]
pub struct CheckArgs {
    /// Plan folders, files of plans, or folders with plans below them (default: the plan of the
    /// current folder)
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The lowest severity that makes the exit code non-zero
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// When to color human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Report only findings this baseline file does not hold, and list its entries that no longer
    /// occur (default: the plan's `baseline:`, if it names one)
    #[arg(long, value_name = "FILE", conflicts_with = "no_baseline")]
    baseline: Option<PathBuf>,
    /// Report every finding, even with a `baseline:` in the plan
    #[arg(long)]
    no_baseline: bool,
    /// Record today's findings in this file (a baseline), and print nothing else
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "no_baseline"])]
    write_baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

/// A plan folder whose `trackplan.yaml` is not one of its files — a symbolic link (never followed)
/// or a git-ignored file — has no root file, which is `missing-field` as the format says. With no
/// other file there is nothing for the core to report it on, so it is reported here, at the path.
fn explain_missing_root_file(loaded: &LoadedPlan, diagnostics: &mut Vec<Diagnostic>) {
    if loaded.plan.root_file().is_some() {
        return;
    }
    let path = loaded.root.join(trackplan_core::ROOT_FILE_NAME);
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    let why = if is_link {
        "trackplan.yaml is a symbolic link, and a plan's files are never read through links: put the file itself in the plan folder"
    } else {
        "trackplan.yaml is ignored by git here, so it is not part of the plan: remove it from the ignored paths"
    };
    let no_root = missing_field::no_root_file(Span::file_start(FileId(u32::MAX))).with_help(why);
    match diagnostics
        .iter_mut()
        .find(|d| d.rule == no_root.rule && d.message == no_root.message)
    {
        Some(found) => found.help = no_root.help,
        None => diagnostics.insert(0, no_root),
    }
}

pub fn run(args: &CheckArgs, cwd: &Path) -> Result<ExitCode> {
    let roots = discover::plan_roots(&args.paths, cwd)?;
    if roots.len() > 1 && (args.baseline.is_some() || args.write_baseline.is_some()) {
        bail!(UsageError(
            "a baseline file belongs to one plan: check the plans one at a time with --baseline or --write-baseline".into()
        ));
    }
    let plans: Vec<LoadedPlan> = roots
        .iter()
        .map(|root| discover::load_plan(root))
        .collect::<Result<_>>()?;
    let options = CheckOptions {
        today: Some(Date::of(SystemTime::now())),
    };
    let mut report = Report {
        plans: Vec::new(),
        baselines: Vec::new(),
    };
    for loaded in plans {
        let mut diagnostics = trackplan_core::check_with(&loaded.plan, &options);
        explain_missing_root_file(&loaded, &mut diagnostics);
        if let Some(file) = &args.write_baseline {
            return write_baseline(&loaded, &diagnostics, &cwd.join(file), cwd);
        }
        let baseline_file = match (&args.baseline, args.no_baseline) {
            (Some(file), _) => Some((cwd.join(file), false)),
            (None, false) => loaded
                .plan
                .settings()
                .baseline
                .map(|file| (loaded.root.join(&file.value), true)),
            (None, true) => None,
        };
        let diagnostics = match baseline_file {
            Some((file, from_plan)) => {
                let baseline = read_baseline(&file, from_plan, cwd)?;
                let applied = baseline.apply(&loaded.plan, diagnostics);
                report.baselines.push(BaselineUse {
                    plan: loaded.root.clone(),
                    file,
                    known: applied.known,
                    gone: applied.gone,
                });
                applied.new
            }
            None => diagnostics,
        };
        report.plans.push((loaded, diagnostics));
    }
    // Written as it is rendered: a large report is never held in memory whole.
    output::to_stdout(|out| match args.format {
        Format::Human => render::human::render(&report, cwd, args.color.enabled(), out),
        Format::Json => render::json::render(&report, cwd, out),
        Format::Github => render::github::render(&report, cwd, out),
        Format::Sarif => render::sarif::render(&report, cwd, out),
    })?;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let failed = report.diagnostics().any(|(_, d)| d.severity >= threshold);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--write-baseline`: the plan's findings, as a baseline file.
fn write_baseline(
    loaded: &LoadedPlan,
    diagnostics: &[Diagnostic],
    file: &Path,
    cwd: &Path,
) -> Result<ExitCode> {
    let baseline = Baseline::of(&loaded.plan, diagnostics);
    std::fs::write(file, baseline.to_json())
        .with_context(|| format!("cannot write the baseline {}", file.display()))?;
    let shown = render::display_path(file, cwd);
    let count = baseline.entries.len();
    println!(
        "wrote {count} finding{} to {shown}; `trackplan check --baseline {shown}` (or `baseline: {}` in trackplan.yaml) reports only new ones",
        if count == 1 { "" } else { "s" },
        render::display_path(file, &loaded.root)
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads a baseline file; `from_plan`: the plan's `baseline:` names it.
fn read_baseline(file: &Path, from_plan: bool, cwd: &Path) -> Result<Baseline> {
    let shown = render::display_path(file, cwd);
    let whose = if from_plan {
        " (named by `baseline:` in trackplan.yaml)"
    } else {
        ""
    };
    let text = std::fs::read_to_string(file).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("no such file; write it with `trackplan check --write-baseline {shown}`")
            }
            _ => e.to_string(),
        };
        UsageError(format!("cannot read the baseline {shown}{whose}: {hint}"))
    })?;
    Baseline::from_json(&text)
        .map_err(|e| UsageError(format!("cannot read the baseline {shown}{whose}: {e}")).into())
}
