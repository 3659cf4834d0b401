//! `--format human`: rustc-style diagnostics with the source line, a caret and related locations.

use super::{display_path, Report};
use crate::discover::LoadedPlan;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::collections::BTreeMap;
use std::path::Path;
use trackplan_core::{Diagnostic, FileId, ParsedFile, Severity, Span};

pub fn render(report: &Report, cwd: &Path, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for (plan, d) in report.diagnostics() {
        out.push_str(&render_one(plan, d, cwd, &renderer));
        out.push_str("\n\n");
    }
    out.push_str(&summary(report, cwd));
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// One annotation to draw: where, how, and its label.
struct Mark<'a> {
    span: Span,
    primary: bool,
    label: &'a str,
}

fn render_one(plan: &LoadedPlan, d: &Diagnostic, cwd: &Path, renderer: &Renderer) -> String {
    let mut by_file: BTreeMap<(bool, FileId), Vec<Mark<'_>>> = BTreeMap::new();
    by_file.entry((false, d.span.file)).or_default().push(Mark {
        span: d.span,
        primary: true,
        label: "",
    });
    for related in &d.related {
        let key = if related.span.file == d.span.file {
            (false, d.span.file)
        } else {
            (true, related.span.file)
        };
        by_file.entry(key).or_default().push(Mark {
            span: related.span,
            primary: false,
            label: &related.message,
        });
    }
    let mut group = Group::with_title(
        level(d.severity)
            .primary_title(d.message.as_str())
            .id(d.rule.as_str()),
    );
    let mut sources = Vec::new();
    for ((_, file_id), marks) in &by_file {
        let Some(file) = plan.plan.file(*file_id) else {
            continue;
        };
        sources.push((excerpt(file, marks), display_path(&plan.path_of(file), cwd)));
    }
    for ((text, first_line, marks), path) in &sources {
        let mut snippet = Snippet::source(text.as_str())
            .line_start(*first_line)
            .path(path.as_str());
        for (range, primary, label) in marks {
            let kind = if *primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let annotation = kind.span(range.clone());
            snippet = snippet.annotation(if label.is_empty() {
                annotation
            } else {
                annotation.label(*label)
            });
        }
        group = group.element(snippet);
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    renderer.render(&report)
}

type Excerpt<'a> = (String, usize, Vec<(std::ops::Range<usize>, bool, &'a str)>);

/// The lines of a file that the marks touch, with the marks' ranges made relative to them. Empty
/// spans are widened to one character so the caret shows.
fn excerpt<'a>(file: &ParsedFile, marks: &[Mark<'a>]) -> Excerpt<'a> {
    let text = &*file.source.text;
    let lines = file.source.lines();
    let first = marks
        .iter()
        .map(|m| lines.line_of(m.span.start as usize))
        .min()
        .unwrap_or(0);
    let last = marks
        .iter()
        .map(|m| lines.line_of(m.span.end as usize))
        .max()
        .unwrap_or(0);
    let start = lines.line_start(first);
    let end = lines.line_range(text, last).end;
    let slice = &text[start..end.max(start)];
    let ranges = marks
        .iter()
        .map(|m| {
            let mut s = (m.span.start as usize).clamp(start, end) - start;
            let mut e = (m.span.end as usize).clamp(start, end) - start;
            if e <= s {
                match slice[s..].chars().next() {
                    Some(c) if c != '\n' && c != '\r' => e = s + c.len_utf8(),
                    _ => {
                        // At the end of a line: point at its last character instead.
                        if let Some((i, _)) = slice[..s].char_indices().next_back() {
                            s = i;
                            e = slice[i..].chars().next().map_or(i, |c| i + c.len_utf8());
                        }
                    }
                }
            }
            (s..e, m.primary, m.label)
        })
        .collect();
    (slice.to_string(), first + 1, ranges)
}

fn summary(report: &Report, cwd: &Path) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    let plans: Vec<String> = report
        .plans
        .iter()
        .map(|(plan, _)| {
            let shown = display_path(&plan.root, cwd);
            if shown.is_empty() {
                ".".to_string()
            } else {
                shown
            }
        })
        .collect();
    let files: usize = report.plans.iter().map(|(p, _)| p.plan.files.len()).sum();
    let checked = format!(
        "checked {} ({} {}, {} {})",
        plans.join(", "),
        report.plans.len(),
        plural(report.plans.len(), "plan"),
        files,
        plural(files, "file")
    );
    if errors + warnings + infos == 0 {
        return format!("{checked}: no problems found\n");
    }
    format!(
        "{checked}: {errors} {}, {warnings} {}, {infos} {}\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(infos, "info")
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
