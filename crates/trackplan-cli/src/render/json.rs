//! `--format json`: one versioned JSON object, for tools.

use super::{display_path, locate, Report};
use crate::output::write_json_streaming;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::Path;
use trackplan_core::Severity;

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = report.diagnostics().filter_map(|(plan, d)| {
        let at = locate(plan, d.span)?;
        let related: Vec<Value> = d
            .related
            .iter()
            .filter_map(|r| {
                let loc = locate(plan, r.span)?;
                Some(json!({
                    "file": display_path(&loc.path, cwd),
                    "line": loc.line,
                    "column": loc.column,
                    "message": r.message,
                }))
            })
            .collect();
        let mut object = json!({
            "rule": d.rule,
            "severity": d.severity.as_str(),
            "message": d.message,
            "file": display_path(&at.path, cwd),
            "line": at.line,
            "column": at.column,
            "end_line": at.end_line,
            "end_column": at.end_column,
            "related": related,
        });
        if let Some(help) = &d.help {
            object["help"] = json!(help);
        }
        Some(object)
    });
    const DIAGNOSTICS: &str = "@diagnostics";
    let envelope = json!({
        "version": 1,
        "diagnostics": DIAGNOSTICS,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "infos": report.count(Severity::Info),
        },
    });
    write_json_streaming(out, &envelope, DIAGNOSTICS, diagnostics)
}
