//! `--format github`: GitHub Actions workflow commands, which annotate the pull request's files.

use super::{display_path, git_root, locate, Report};
use std::fmt::Write;
use std::path::Path;
use trackplan_core::Severity;

pub fn render(report: &Report, cwd: &Path) -> String {
    let mut out = String::new();
    for (plan, d) in report.diagnostics() {
        let Some(at) = locate(plan, d.span) else {
            continue;
        };
        let base = git_root(&plan.root).unwrap_or_else(|| cwd.to_path_buf());
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
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&display_path(&at.path, &base)),
            at.line,
            at.column,
            at.end_line,
            at.end_column,
            property(&format!("trackplan {}", d.rule)),
            data(&message)
        );
    }
    out
}

/// Escapes a workflow-command message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
