//! `trackplan check`.

use crate::discover::{self, LoadedPlan};
use crate::output;
use crate::render::{self, Color, Report};
use anyhow::Result;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use trackplan_core::Severity;

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
                let diagnostics = trackplan_core::check(&loaded.plan);
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
