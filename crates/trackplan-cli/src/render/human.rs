//! `--format human`: rustc-style diagnostics with the source line, a caret and related locations.
//!
//! A snippet costs in proportion to what it shows, never to the length of the lines it comes
//! from: a long line (a plan written on one line, say) is shown as a window around each mark, cut
//! with `...` at either end as rustc does, and marks far apart get a snippet each.

use super::{display_path, BaselineUse, Report};
use crate::discover::LoadedPlan;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;
use trackplan_core::{ColumnUnit, Diagnostic, FileId, ParsedFile, Severity, Span};

/// Lines longer than this (in bytes) are shown as a window around their marks.
const LONG_LINE: usize = 512;
/// Bytes of a long line shown before and after a mark.
const CONTEXT: usize = 32;
/// The most of a mark shown in a long line.
const MARK_SHOWN: usize = 64;
/// A mark over more lines or bytes than these is shown by its first line.
const MARK_LINES: usize = 16;
const MARK_BYTES: usize = 4096;
/// Marks in one file share a snippet (the lines between folded) when the text between their lines
/// is at most this long; farther apart, each gets its own.
const SHARED_GAP: usize = 4096;
/// What stands for the hidden part of a cut line.
const ELLIPSIS: &str = "...";

pub fn render(report: &Report, cwd: &Path, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for (plan, d) in report.diagnostics() {
        out.write_all(render_one(plan, d, cwd, &renderer).as_bytes())?;
        out.write_all(b"\n\n")?;
    }
    for baseline in &report.baselines {
        out.write_all(baseline_notes(baseline, cwd).as_bytes())?;
    }
    out.write_all(summary(report, cwd).as_bytes())
}

/// What a baseline left out, and which of its entries no longer occur.
fn baseline_notes(baseline: &BaselineUse, cwd: &Path) -> String {
    let file = display_path(&baseline.file, cwd);
    let mut out = String::new();
    if !baseline.gone.is_empty() {
        let count = baseline.gone.len();
        out.push_str(&format!(
            "note: {count} {} of the baseline {file} no longer {}; `trackplan check --write-baseline {file}` removes {}:\n",
            if count == 1 { "entry" } else { "entries" },
            if count == 1 { "occurs" } else { "occur" },
            if count == 1 { "it" } else { "them" },
        ));
        for entry in &baseline.gone {
            out.push_str(&format!(
                "  {} at {}: {}\n",
                entry.rule,
                entry.place(),
                entry.message
            ));
        }
        out.push('\n');
    }
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
    let mut sources: Vec<(Excerpt<'_>, String)> = Vec::new();
    for ((_, file_id), marks) in &by_file {
        let Some(file) = plan.plan.file(*file_id) else {
            // A plan-wide finding of a plan with no file to show: where its root file should be.
            let at = super::locate(plan, Span::file_start(*file_id));
            group = group.element(
                Origin::path(display_path(&at.path, cwd))
                    .line(at.line as usize)
                    .char_column(at.column as usize),
            );
            continue;
        };
        let path = display_path(&plan.path_of(file), cwd);
        for excerpt in excerpts(file, marks) {
            sources.push((excerpt, path.clone()));
        }
    }
    // A snippet whose first line is cut would get its column counted from the cut: it is given a
    // placeholder path, replaced afterwards by the path with the line's true column.
    let placeholder = |i: usize| format!("\u{F8FF}{i}\u{F8FF}");
    for (i, (excerpt, path)) in sources.iter().enumerate() {
        let shown_path = match excerpt.hidden_chars {
            Some(_) => placeholder(i),
            None => path.clone(),
        };
        let mut snippet = Snippet::source(excerpt.text.as_str())
            .line_start(excerpt.first_line + 1)
            .path(shown_path);
        for (range, primary, label) in &excerpt.marks {
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
        group = group.element(Level::HELP.message(help.as_ref()));
    }
    let report: Vec<Group<'_>> = vec![group];
    let mut rendered = renderer.render(&report);
    for (i, (excerpt, path)) in sources.iter().enumerate() {
        if let Some(hidden) = excerpt.hidden_chars {
            rendered = restore_origin(&rendered, &placeholder(i), path, excerpt.first_line, hidden);
        }
    }
    rendered
}

/// Replaces `PLACEHOLDER:LINE:COLUMN` with the path and the column in the whole line: on the
/// snippet's first line (the cut one) the ellipsis stands for `hidden` characters.
fn restore_origin(
    rendered: &str,
    placeholder: &str,
    path: &str,
    first_line: usize,
    hidden: usize,
) -> String {
    let Some(at) = rendered.find(placeholder) else {
        return rendered.to_string();
    };
    let after = &rendered[at + placeholder.len()..];
    let numbers = |text: &str| -> Option<(usize, usize, usize)> {
        let text = text.strip_prefix(':')?;
        let line_len = text.bytes().take_while(u8::is_ascii_digit).count();
        let line = text[..line_len].parse().ok()?;
        let text = text[line_len..].strip_prefix(':')?;
        let column_len = text.bytes().take_while(u8::is_ascii_digit).count();
        let column = text[..column_len].parse().ok()?;
        Some((line, column, 2 + line_len + column_len))
    };
    let mut out = String::with_capacity(rendered.len());
    out.push_str(&rendered[..at]);
    out.push_str(path);
    match numbers(after) {
        Some((line, column, len)) => {
            let column = if line == first_line + 1 {
                (column + hidden).saturating_sub(ELLIPSIS.chars().count())
            } else {
                column
            };
            out.push_str(&format!(":{line}:{column}"));
            out.push_str(&after[len..]);
        }
        None => out.push_str(after),
    }
    out
}

/// A stretch of a file to show: its text, the 0-based line it starts on, the marks' ranges in the
/// text, and, when the first line is cut, how many characters of that line are hidden before it.
struct Excerpt<'a> {
    text: String,
    first_line: usize,
    marks: Vec<(Range<usize>, bool, &'a str)>,
    hidden_chars: Option<usize>,
}

/// A mark reduced to what is shown of it, with the bytes of the file its snippet covers.
struct Shown<'a> {
    start: usize,
    end: usize,
    window: Range<usize>,
    primary: bool,
    label: &'a str,
}

/// The snippets that show a file's marks: the snippet with the primary mark first, then the others
/// in file order.
fn excerpts<'a>(file: &ParsedFile, marks: &[Mark<'a>]) -> Vec<Excerpt<'a>> {
    let text = &*file.source.text;
    let lines = file.source.lines();
    let line_is_long = |line: usize| lines.line_range(text, line).len() > LONG_LINE;
    let mut shown: Vec<Shown<'a>> = marks
        .iter()
        .map(|m| {
            let start = floor_char(text, (m.span.start as usize).min(text.len()));
            let mut end = floor_char(text, (m.span.end as usize).clamp(start, text.len()));
            let first = lines.line_of(start);
            if lines.line_of(end) - first > MARK_LINES || end - start > MARK_BYTES {
                end = lines.line_range(text, first).end.max(start);
            }
            let last = lines.line_of(end);
            if end - start > MARK_SHOWN && (line_is_long(first) || line_is_long(last)) {
                end = floor_char(text, start + MARK_SHOWN).min(lines.line_range(text, first).end);
                end = end.max(start);
            }
            let last = lines.line_of(end);
            let first_range = lines.line_range(text, first);
            let last_range = lines.line_range(text, last);
            let window_start = if line_is_long(first) {
                floor_char(text, start.saturating_sub(CONTEXT).max(first_range.start))
            } else {
                first_range.start
            };
            let window_end = if line_is_long(last) {
                ceil_char(text, (end + CONTEXT).min(last_range.end))
            } else {
                last_range.end
            };
            Shown {
                start,
                end,
                window: window_start..window_end.max(window_start),
                primary: m.primary,
                label: m.label,
            }
        })
        .collect();
    shown.sort_by_key(|s| (s.window.start, s.window.end));
    // Group marks whose windows overlap, or whose whole lines are separated by little text.
    let mut groups: Vec<(Range<usize>, Vec<Shown<'a>>)> = Vec::new();
    for s in shown {
        if let Some((window, members)) = groups.last_mut() {
            let at_line_ends = lines.line_range(text, lines.line_of(window.end)).end == window.end
                && lines.line_start(lines.line_of(s.window.start)) == s.window.start;
            let close = s.window.start <= window.end
                || (at_line_ends && s.window.start - window.end <= SHARED_GAP);
            if close && s.window.end.max(window.end) - window.start <= SHARED_GAP + MARK_BYTES {
                window.end = window.end.max(s.window.end);
                members.push(s);
                continue;
            }
        }
        groups.push((s.window.clone(), vec![s]));
    }
    let mut out: Vec<Excerpt<'a>> = groups
        .into_iter()
        .map(|(window, members)| excerpt(file, window, members))
        .collect();
    if let Some(primary) = out
        .iter()
        .position(|e| e.marks.iter().any(|(_, primary, _)| *primary))
    {
        let first = out.remove(primary);
        out.insert(0, first);
    }
    out
}

/// The text of a window with `...` where its lines are cut, and the marks' ranges in it. Empty
/// spans are widened to one character so the caret shows.
fn excerpt<'a>(file: &ParsedFile, window: Range<usize>, members: Vec<Shown<'a>>) -> Excerpt<'a> {
    let text = &*file.source.text;
    let lines = file.source.lines();
    let first_line = lines.line_of(window.start);
    let cut_before = window.start > lines.line_start(first_line);
    let cut_after = window.end < lines.line_range(text, lines.line_of(window.end)).end;
    let mut shown = String::with_capacity(window.len() + 2 * ELLIPSIS.len());
    if cut_before {
        shown.push_str(ELLIPSIS);
    }
    let offset = shown.len();
    shown.push_str(&text[window.clone()]);
    let body_end = shown.len();
    if cut_after {
        shown.push_str(ELLIPSIS);
    }
    let marks = members
        .iter()
        .map(|m| {
            let mut s = m.start.clamp(window.start, window.end) - window.start + offset;
            let mut e = m.end.clamp(window.start, window.end) - window.start + offset;
            if e <= s {
                match shown[s..body_end].chars().next() {
                    Some(c) if c != '\n' && c != '\r' => e = s + c.len_utf8(),
                    _ => {
                        // At the end of a line: point at its last character instead.
                        if let Some((i, _)) = shown[offset..s].char_indices().next_back() {
                            s = offset + i;
                            e = shown[s..].chars().next().map_or(s, |c| s + c.len_utf8());
                        }
                    }
                }
            }
            (s..e, m.primary, m.label)
        })
        .collect();
    let hidden_chars =
        cut_before.then(|| lines.line_col(text, window.start, ColumnUnit::Char).col as usize);
    Excerpt {
        text: shown,
        first_line,
        marks,
        hidden_chars,
    }
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
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
    let known: usize = report.baselines.iter().map(|b| b.known).sum();
    let in_baseline = if report.baselines.is_empty() {
        String::new()
    } else {
        format!(" ({known} more in the baseline)")
    };
    if errors + warnings + infos == 0 {
        let none = if report.baselines.is_empty() {
            "no problems found"
        } else {
            "no new problems"
        };
        return format!("{checked}: {none}{in_baseline}\n");
    }
    format!(
        "{checked}: {errors} {}, {warnings} {}, {infos} {}{in_baseline}\n",
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
