//! `--format github`: GitHub Actions workflow commands, which annotate the pull request's files.

use super::{display_path, git_root, locate, Position, Report};
use crate::discover::LoadedPlan;
use std::io::{self, Write};
use std::path::Path;
use trackplan_core::{Diagnostic, Severity};

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    for (plan, diagnostics) in &report.plans {
        let base = git_root(&plan.root).unwrap_or_else(|| cwd.to_path_buf());
        for d in diagnostics {
            write_one(plan, d, &base, out)?;
        }
    }
    for baseline in &report.baselines {
        let file = display_path(&baseline.file, cwd);
        for entry in &baseline.gone {
            let message = format!(
                "{} at {} no longer occurs: {}\nhelp: `trackplan check --write-baseline {file}` removes it from the baseline",
                entry.rule,
                entry.place(),
                entry.message
            );
            out.write_all(
                workflow_command("notice", None, "trackplan baseline", &message).as_bytes(),
            )?;
        }
    }
    Ok(())
}

fn write_one(
    plan: &LoadedPlan,
    d: &Diagnostic,
    base: &Path,
    out: &mut dyn Write,
) -> io::Result<()> {
    {
        let at = locate(plan, d.span);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let position = Position {
            line: at.line,
            column: at.column,
            end_line: at.end_line,
            end_column: at.end_column,
        };
        let file = display_path(&at.path, base);
        out.write_all(
            workflow_command(
                command,
                Some((&file, position)),
                &format!("trackplan {}", d.rule),
                &message,
            )
            .as_bytes(),
        )
    }
}

/// One workflow command line (`::error file=...,line=...::message`), escaped; without a file it
/// annotates the run rather than a line.
pub fn workflow_command(
    command: &str,
    at: Option<(&str, Position)>,
    title: &str,
    message: &str,
) -> String {
    match at {
        Some((file, p)) => format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(file),
            p.line,
            p.column,
            p.end_line,
            p.end_column,
            property(title),
            data(message)
        ),
        None => format!("::{command} title={}::{}\n", property(title), data(message)),
    }
}

/// Escapes a workflow-command message.
pub(crate) fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
pub(crate) fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
