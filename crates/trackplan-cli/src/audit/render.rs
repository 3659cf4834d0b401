//! The outputs of `trackplan audit`: a table, JSON (docs/audit.md), Markdown for a pull request,
//! and GitHub Actions annotations.

use crate::render::github::{data, property};
use std::io::{self, Write};
use trackplan_audit::{Finding, Report};

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn first_example(finding: &Finding) -> String {
    finding
        .examples
        .first()
        .map(|e| format!("{}:{} {}", e.file, e.line, e.value))
        .unwrap_or_default()
}

fn dash(text: &Option<String>) -> &str {
    text.as_deref().unwrap_or("-")
}

/// "12,345".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn summary_lines(report: &Report) -> Vec<String> {
    let s = &report.summary;
    let mut lines = vec![format!(
        "{} events read ({} identify calls), {} malformed lines; {} of {} planned events seen",
        thousands(s.events_read),
        thousands(s.identify_calls),
        thousands(s.lines_malformed),
        s.events_planned_seen,
        s.events_planned_total
    )];
    if s.other_calls > 0 || s.automatic_events > 0 {
        lines.push(format!(
            "not audited: {} page, screen, group or alias calls, {} events the destination sends itself",
            thousands(s.other_calls),
            thousands(s.automatic_events)
        ));
    }
    for (what, coverage) in [("flow", &s.flows), ("KPI", &s.kpis)] {
        for c in coverage.iter() {
            let missing = if c.missing.is_empty() {
                String::new()
            } else {
                format!(" (never seen: {})", c.missing.join(", "))
            };
            lines.push(format!(
                "{what} {}: {} of {} events seen{missing}",
                c.name, c.events_seen, c.events_total
            ));
        }
    }
    lines
}

/// A table: one row per finding, then the summary.
pub fn human(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "rule",
        "severity",
        "event",
        "property",
        "count",
        "share",
        "first example",
    ];
    let rows: Vec<[String; 7]> = report
        .findings
        .iter()
        .map(|f| {
            [
                f.rule.to_string(),
                f.severity.as_str().to_string(),
                dash(&f.event).to_string(),
                dash(&f.property).to_string(),
                thousands(f.count),
                percent(f.share),
                first_example(f),
            ]
        })
        .collect();
    if rows.is_empty() {
        writeln!(out, "no findings: the events match the plan")?;
    } else {
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count()).min(60);
            }
        }
        let line = |cells: &[String]| {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let cell = trackplan_audit::tally::cut(cell, 60);
                if i + 1 == cells.len() {
                    text.push_str(&cell);
                } else {
                    let pad = widths[i].saturating_sub(cell.chars().count());
                    text.push_str(&cell);
                    text.push_str(&" ".repeat(pad + 2));
                }
            }
            text.trim_end().to_string()
        };
        writeln!(out, "{}", line(&header.map(String::from)))?;
        for row in &rows {
            writeln!(out, "{}", line(row))?;
        }
        writeln!(out)?;
    }
    for line in summary_lines(report) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

pub fn json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    writeln!(out)
}

/// Markdown cells: pipes escaped, line breaks flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn markdown(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## trackplan audit\n")?;
    for line in summary_lines(report) {
        writeln!(out, "- {}", cell(&line))?;
    }
    writeln!(out)?;
    if report.findings.is_empty() {
        return writeln!(out, "No findings: the events match the plan.");
    }
    writeln!(
        out,
        "| rule | severity | event | property | count | share | first example |"
    )?;
    writeln!(out, "|---|---|---|---|---:|---:|---|")?;
    for f in &report.findings {
        let example = first_example(f);
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            f.rule,
            f.severity.as_str(),
            cell(dash(&f.event)),
            cell(dash(&f.property)),
            thousands(f.count),
            percent(f.share),
            if example.is_empty() {
                String::new()
            } else {
                format!("`{}`", cell(&example).replace('`', "'"))
            }
        )?;
    }
    Ok(())
}

/// One annotation per finding, at its first example's line.
pub fn github(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        let command = match f.severity {
            trackplan_core::Severity::Error => "error",
            trackplan_core::Severity::Warning => "warning",
            trackplan_core::Severity::Info => "notice",
        };
        let message = format!(
            "{} ({} times, {} of the events)",
            f.message,
            thousands(f.count),
            percent(f.share)
        );
        let title = format!("trackplan audit: {}", f.rule);
        match f.examples.first() {
            Some(e) if e.file != "<stdin>" => writeln!(
                out,
                "::{command} file={},line={},title={}::{}",
                property(&e.file),
                e.line,
                property(&title),
                data(&format!("{message}\nfirst example: {}", e.value))
            )?,
            _ => writeln!(
                out,
                "::{command} title={}::{}",
                property(&title),
                data(&message)
            )?,
        }
    }
    let summary = summary_lines(report).join("\n");
    writeln!(out, "::notice title=trackplan audit::{}", data(&summary))
}
