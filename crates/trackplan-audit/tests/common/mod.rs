//! Plans for the audit tests: read from a folder through the core's parser, as the CLI reads them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use trackplan_audit::{AuditPlan, Finding, Report};
use trackplan_core::{parse_file, FileId, Plan};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The plan in `dir`, with `extra` files (name, text) added to it.
pub fn load(dir: &Path, extra: &[(&str, &str)]) -> Plan {
    let files = trackplan_fs::plan_files(dir).items;
    let mut parsed: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let text = std::fs::read_to_string(&f.path).unwrap();
            Arc::new(parse_file(FileId(i as u32), &f.name, text))
        })
        .collect();
    for (j, (name, text)) in extra.iter().enumerate() {
        parsed.push(Arc::new(parse_file(
            FileId((files.len() + j) as u32),
            name,
            *text,
        )));
    }
    Plan::new(parsed)
}

/// A plan of one root file.
pub fn plan_of(yaml: &str) -> AuditPlan {
    let text = if yaml.trim_start().starts_with("trackplan:") {
        yaml.to_string()
    } else {
        format!("trackplan: 1\nname: Example\n{yaml}")
    };
    AuditPlan::new(&Plan::new(vec![Arc::new(parse_file(
        FileId(0),
        "trackplan.yaml",
        text,
    ))]))
}

pub fn find<'r>(
    report: &'r Report,
    rule: &str,
    event: Option<&str>,
    property: Option<&str>,
) -> Option<&'r Finding> {
    report.findings.iter().find(|f| {
        f.rule.as_str() == rule && f.event.as_deref() == event && f.property.as_deref() == property
    })
}

/// `rule event property count` lines, for comparing whole reports.
pub fn lines(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f.rule,
                f.event.as_deref().unwrap_or("-"),
                f.property.as_deref().unwrap_or("-"),
                f.count
            )
        })
        .collect()
}
