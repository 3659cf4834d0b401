//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.

use super::{display_path, git_root, locate, Location, Report};
use crate::output::write_json_streaming;
use serde::Serialize;
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
        .map(|(plan, d, base)| {
            let at = locate(plan, d.span);
            let location = |loc: &Location, end: bool| PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: display_path(&loc.path, base),
                    uri_base_id: "%SRCROOT%",
                },
                region: Region {
                    end_column: end.then_some(loc.end_column),
                    end_line: end.then_some(loc.end_line),
                    start_column: loc.column,
                    start_line: loc.line,
                },
            };
            let related = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| RelatedLocation {
                    id: i,
                    message: Text {
                        text: r.message.clone(),
                    },
                    physical_location: location(&locate(plan, r.span), false),
                })
                .collect();
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            SarifResult {
                level: level(d.severity),
                locations: [ResultLocation {
                    physical_location: location(&at, true),
                }],
                message: Text { text },
                related_locations: related,
                rule_id: d.rule.as_str(),
                rule_index: RULES.iter().position(|r| r.name() == d.rule),
            }
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

// A result. Fields in alphabetical order: the order the format has always printed them in.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    level: &'static str,
    locations: [ResultLocation; 1],
    message: Text,
    related_locations: Vec<RelatedLocation>,
    rule_id: &'static str,
    rule_index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    message: Text,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    start_column: u32,
    start_line: u32,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
