//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.

use super::{display_path, git_root, locate, Report};
use crate::output::write_json_streaming;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use trackplan_core::rules::RULES;
use trackplan_core::Severity;

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.name(),
                "shortDescription": {"text": rule.summary()},
                "fullDescription": {"text": rule.doc()},
                "help": {"text": rule.doc(), "markdown": rule.doc()},
                "defaultConfiguration": {"level": level(rule.default_severity())},
            })
        })
        .collect();
    let bases: Vec<PathBuf> = report
        .plans
        .iter()
        .map(|(plan, _)| git_root(&plan.root).unwrap_or_else(|| cwd.to_path_buf()))
        .collect();
    let results = report
        .plans
        .iter()
        .zip(&bases)
        .flat_map(|((plan, diagnostics), base)| diagnostics.iter().map(move |d| (plan, d, base)))
        .filter_map(|(plan, d, base)| {
            let at = locate(plan, d.span)?;
            let location = |path: &Path, line: u32, column: u32, end: Option<(u32, u32)>| {
                let mut region = json!({"startLine": line, "startColumn": column});
                if let Some((end_line, end_column)) = end {
                    region["endLine"] = json!(end_line);
                    region["endColumn"] = json!(end_column);
                }
                json!({
                    "physicalLocation": {
                        "artifactLocation": {"uri": display_path(path, base), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                })
            };
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    let loc = locate(plan, r.span)?;
                    let mut value = location(&loc.path, loc.line, loc.column, None);
                    value["id"] = json!(i);
                    value["message"] = json!({"text": r.message});
                    Some(value)
                })
                .collect();
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            Some(json!({
                "ruleId": d.rule,
                "ruleIndex": RULES.iter().position(|r| r.name() == d.rule),
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [location(&at.path, at.line, at.column, Some((at.end_line, at.end_column)))],
                "relatedLocations": related,
            }))
        });
    const RESULTS: &str = "@results";
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "trackplan",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/trackplan/trackplan",
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the git repository."}}},
            "results": RESULTS,
        }],
    });
    write_json_streaming(out, &sarif, RESULTS, results)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
