//! Test helpers: fixtures with several files, and a plain-text rendering of diagnostics to snapshot.

#![allow(dead_code)]

use std::sync::Arc;
use trackplan_core::{
    check_with, parse_file, CheckOptions, ColumnUnit, Date, Diagnostic, FileId, Plan,
};

/// The day the tests check on, so that `expired` findings do not depend on the calendar.
pub const TODAY: &str = "2025-06-01";

/// Checks a plan as on [`TODAY`].
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    let today = Date::parse(TODAY).expect("a date");
    check_with(plan, &CheckOptions { today: Some(today) })
}

/// A plan from fixture text. Lines `# file: PATH` start a new file; text before the first marker is
/// `trackplan.yaml`.
pub fn plan_from_fixture(text: &str) -> Plan {
    let mut files: Vec<(String, String)> = vec![("trackplan.yaml".into(), String::new())];
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.trim_end().strip_prefix("# file: ") {
            files.push((path.trim().to_string(), String::new()));
        } else {
            files.last_mut().unwrap().1.push_str(line);
        }
    }
    if files[0].1.trim().is_empty() && files.len() > 1 {
        files.remove(0);
    }
    Plan::new(
        files
            .into_iter()
            .enumerate()
            .map(|(i, (path, text))| Arc::new(parse_file(FileId(i as u32), &path, text)))
            .collect(),
    )
}

/// Diagnostics as text: `path:line:col: severity[rule]: message`, the source line with carets, then
/// help, related locations and fixes.
pub fn render(plan: &Plan, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let at = |span: trackplan_core::Span| {
        let file = plan.file(span.file).expect("span in a plan file");
        let text = &file.source.text;
        let lc = file
            .source
            .lines()
            .line_col(text, span.start as usize, ColumnUnit::Char);
        (file, lc.line as usize, lc.col as usize)
    };
    for d in diagnostics {
        let (file, line, col) = at(d.span);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            file.source.path,
            line + 1,
            col + 1,
            d.severity,
            d.rule,
            d.message
        ));
        let text = &file.source.text;
        let range = file.source.lines().line_range(text, line);
        let line_text = &text[range.clone()];
        let width = text[d.span.start as usize
            ..(d.span.end as usize)
                .min(range.end)
                .max(d.span.start as usize)]
            .chars()
            .count()
            .max(1);
        out.push_str(&format!(
            "    | {line_text}\n    | {}{}\n",
            " ".repeat(col),
            "^".repeat(width)
        ));
        if let Some(help) = &d.help {
            out.push_str(&format!("    = help: {help}\n"));
        }
        for related in &d.related {
            let (file, line, col) = at(related.span);
            out.push_str(&format!(
                "    = related: {}:{}:{}: {}\n",
                file.source.path,
                line + 1,
                col + 1,
                related.message
            ));
        }
        if let Some(fix) = &d.fix {
            out.push_str(&format!("    = fix: {}\n", fix.title));
            for edit in &fix.edits {
                let (file, line, col) = at(edit.span);
                out.push_str(&format!(
                    "        {}:{}:{}: {:?} -> {:?}\n",
                    file.source.path,
                    line + 1,
                    col + 1,
                    file.source.slice(edit.span),
                    edit.new_text
                ));
            }
        }
    }
    out
}

/// Checks fixture text and renders its diagnostics.
pub fn check_fixture(text: &str) -> (Vec<Diagnostic>, String) {
    let plan = plan_from_fixture(text);
    let diagnostics = check(&plan);
    let rendered = render(&plan, &diagnostics);
    (diagnostics, rendered)
}
