//! `--format json`: one versioned JSON object, for tools.

use super::{display_path, locate, Report};
use crate::output::write_json_streaming;
use serde::Serialize;
use serde_json::json;
use std::io::{self, Write};
use std::path::Path;
use trackplan_core::Severity;

/// One finding. Fields in alphabetical order: the order the format has always printed them in.
#[derive(Serialize)]
struct Finding<'a> {
    column: u32,
    end_column: u32,
    end_line: u32,
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    line: u32,
    message: &'a str,
    related: Vec<RelatedFinding<'a>>,
    rule: &'a str,
    severity: &'a str,
}

#[derive(Serialize)]
struct RelatedFinding<'a> {
    column: u32,
    file: String,
    line: u32,
    message: &'a str,
}

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = report.diagnostics().map(|(plan, d)| {
        let at = locate(plan, d.span);
        let related = d
            .related
            .iter()
            .map(|r| {
                let loc = locate(plan, r.span);
                RelatedFinding {
                    column: loc.column,
                    file: display_path(&loc.path, cwd),
                    line: loc.line,
                    message: &r.message,
                }
            })
            .collect();
        Finding {
            column: at.column,
            end_column: at.end_column,
            end_line: at.end_line,
            file: display_path(&at.path, cwd),
            help: d.help.as_deref(),
            line: at.line,
            message: &d.message,
            related,
            rule: d.rule.as_str(),
            severity: d.severity.as_str(),
        }
    });
    const DIAGNOSTICS: &str = "@diagnostics";
    let mut envelope = json!({
        "version": 1,
        "diagnostics": DIAGNOSTICS,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "infos": report.count(Severity::Info),
        },
    });
    // Only with a baseline, so that the output of a plan without one stays as it was.
    if !report.baselines.is_empty() {
        let baselines: Vec<serde_json::Value> = report
            .baselines
            .iter()
            .map(|b| {
                json!({
                    "plan": display_path(&b.plan, cwd),
                    "file": display_path(&b.file, cwd),
                    "known": b.known,
                    "gone": b.gone,
                })
            })
            .collect();
        envelope["baselines"] = json!(baselines);
    }
    write_json_streaming(out, &envelope, DIAGNOSTICS, diagnostics)
}
