//! `trackplan check`.

use crate::discover::{self, LoadedPlan};
use crate::output;
use crate::render::{self, Color, Report};
use anyhow::Result;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;
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
    let plans: Vec<LoadedPlan> = roots
        .iter()
        .map(|root| discover::load_plan(root))
        .collect::<Result<_>>()?;
    let report = Report {
        plans: plans
            .into_iter()
            .map(|loaded| {
                let options = CheckOptions {
                    today: Some(Date::of(SystemTime::now())),
                };
                let mut diagnostics = trackplan_core::check_with(&loaded.plan, &options);
                explain_missing_root_file(&loaded, &mut diagnostics);
                (loaded, diagnostics)
            })
            .collect(),
    };
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
