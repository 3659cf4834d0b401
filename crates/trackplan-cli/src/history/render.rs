//! Output of `trackplan diff`: human, markdown (a pull-request comment), json and github; and the
//! pieces the changelog shares (value formatting, a change as JSON).

use crate::render::github::workflow_command;
use crate::render::Position;
use serde_json::{json, Value as Json};
use std::fmt::Write;
use trackplan_core::diff::words::{word_diff, Piece};
use trackplan_core::diff::{Change, Counts, Entity, Level};
use trackplan_core::{Plan, Span};

/// The hidden marker a bot looks for to update its comment instead of adding one.
pub const MARKER: &str = "<!-- trackplan-diff -->";

/// A side of the comparison.
pub struct Label {
    /// As given (`main`, `HEAD~1`), as chosen (`merge-base(main, HEAD)`), or `work tree`.
    pub name: String,
    pub commit: Option<String>,
    pub short: Option<String>,
}

impl Label {
    /// `main (a1b2c3d)`, or `the work tree`.
    pub fn describe(&self) -> String {
        match &self.short {
            Some(short) => format!("{} ({short})", self.name),
            None => format!("the {}", self.name),
        }
    }

    fn markdown(&self) -> String {
        match &self.short {
            Some(short) => format!("{} (`{short}`)", code(&self.name)),
            None => format!("the {}", self.name),
        }
    }

    fn to_json(&self) -> Json {
        json!({ "rev": self.name, "commit": self.commit })
    }
}

/// One plan's changes, with both plans for locations.
pub struct PlanChanges {
    /// The plan folder, relative to the repository root.
    pub dir: String,
    pub name: Option<String>,
    pub changes: Vec<Change>,
    pub old: Plan,
    pub new: Plan,
    /// Said when one side has no plan.
    pub note: Option<String>,
}

pub struct DiffReport {
    pub base: Label,
    pub head: Label,
    pub plans: Vec<PlanChanges>,
}

impl DiffReport {
    fn counts(&self) -> Counts {
        let all: Vec<Change> = self
            .plans
            .iter()
            .flat_map(|p| p.changes.iter().cloned())
            .collect();
        Counts::of(&all)
    }
}

/// A place in a plan file: path relative to the repository root, 1-based line and column.
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl PlanChanges {
    fn repo_path(&self, file: &str) -> String {
        if self.dir.is_empty() {
            file.to_string()
        } else {
            format!("{}/{file}", self.dir)
        }
    }

    fn locate(&self, plan: &Plan, span: Span) -> Option<Location> {
        let file = plan.file(span.file)?;
        let p = Position::of(file, span);
        Some(Location {
            file: self.repo_path(&file.source.path),
            line: p.line,
            column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
        })
    }

    pub fn new_location(&self, change: &Change) -> Option<Location> {
        self.locate(&self.new, change.new_span?)
    }

    pub fn old_location(&self, change: &Change) -> Option<Location> {
        self.locate(&self.old, change.old_span?)
    }

    /// Where to annotate a change in the new plan: where it is written, else (for something removed)
    /// the start of the file it was removed from, else the start of the root file.
    fn annotation(&self, change: &Change) -> Option<Location> {
        if let Some(at) = self.new_location(change) {
            return Some(at);
        }
        let old_path = change
            .old_span
            .and_then(|s| self.old.file(s.file))
            .map(|f| f.source.path.as_str());
        let file = self
            .new
            .files
            .iter()
            .find(|f| Some(f.source.path.as_str()) == old_path)
            .or_else(|| self.new.files.first())?;
        let start = Position::FILE_START;
        Some(Location {
            file: self.repo_path(&file.source.path),
            line: start.line,
            column: start.column,
            end_line: start.end_line,
            end_column: start.end_column,
        })
    }

    fn title(&self) -> String {
        let dir = if self.dir.is_empty() { "." } else { &self.dir };
        match &self.name {
            Some(name) => format!("{name} ({dir})"),
            None => dir.to_string(),
        }
    }
}

// ----- values --------------------------------------------------------------------------------------

/// Fields whose values are prose (shown as text, shortened) rather than names (shown as code).
fn is_prose(field: Option<&str>) -> bool {
    matches!(
        field,
        Some("description" | "notes" | "definition" | "name" | "contact")
    )
}

/// Text with its control characters (ESC, BEL, ... from a commit subject or a quoted name) written
/// as escapes (`\x1b`), so that nothing printed can move a terminal's cursor or ring it.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

fn push_printable(out: &mut String, c: char) {
    match c {
        c if c.is_control() && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// Markdown text that cannot break a table, open HTML, or mention anyone.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '\\' => out.push_str("\\\\"),
            '*' | '_' | '[' | ']' | '`' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => push_printable(&mut out, c),
        }
    }
    out
}

/// A name as inline code (safe in a table cell).
pub fn code(text: &str) -> String {
    if text.contains('`') || text.contains('\n') {
        return escape(text);
    }
    format!("`{}`", printable(text).replace('|', "\\|"))
}

/// Text longer than this (white space squeezed) is shown as a word diff rather than old → new.
const LONG_TEXT: usize = 80;

/// Unchanged words kept on each side of a change in a word diff.
const WORD_CONTEXT: usize = 4;

/// The word diff of a change of long prose (a description, notes), when it is one: both sides are
/// text and one of them is too long to show whole.
fn long_text_diff(c: &Change) -> Option<Vec<Piece>> {
    if !is_prose(c.field.as_deref()) {
        return None;
    }
    let (Some(Json::String(old)), Some(Json::String(new))) = (&c.old, &c.new) else {
        return None;
    };
    let long = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count() + 1)
            .sum::<usize>()
            > LONG_TEXT + 1
    };
    (long(old) || long(new)).then(|| word_diff(old, new, WORD_CONTEXT))
}

/// A word diff in words: `[-removed-]{+added+}` as `git diff --word-diff` writes it, `…` for
/// unchanged words left out; with `color`, removed words are red and added ones green.
fn words_plain(pieces: &[Piece], color: bool) -> String {
    let words: Vec<String> = pieces
        .iter()
        .map(|piece| match (piece, color) {
            // The words are shown as written, but a control character in them never reaches the
            // terminal or the log.
            (Piece::Same(text), _) => printable(text).into_owned(),
            (Piece::Removed(text), false) => format!("[-{}-]", printable(text)),
            (Piece::Added(text), false) => format!("{{+{}+}}", printable(text)),
            (Piece::Removed(text), true) => format!("\x1b[31m[-{}-]\x1b[0m", printable(text)),
            (Piece::Added(text), true) => format!("\x1b[32m{{+{}+}}\x1b[0m", printable(text)),
            (Piece::Elided, _) => "…".to_string(),
        })
        .collect();
    words.join(" ")
}

/// A word diff in Markdown: ~~removed~~ **added**.
fn words_markdown(pieces: &[Piece]) -> String {
    let words: Vec<String> = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Same(text) => escape(text),
            Piece::Removed(text) => format!("~~{}~~", escape(text)),
            Piece::Added(text) => format!("**{}**", escape(text)),
            Piece::Elided => "…".to_string(),
        })
        .collect();
    words.join(" ")
}

fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A value in a markdown cell.
fn markdown_value(value: Option<&Json>, prose: bool) -> String {
    match value {
        None => "—".to_string(),
        Some(Json::String(s)) if prose => escape(&shorten(s, 80)),
        Some(Json::String(s)) => code(s),
        Some(Json::Array(items)) if items.is_empty() => "(none)".to_string(),
        Some(Json::Array(items)) => items
            .iter()
            .map(|i| markdown_value(Some(i), false))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Json::Null) => "null".to_string(),
        Some(other) => code(&other.to_string()),
    }
}

/// A value for a terminal.
fn plain_value(value: Option<&Json>) -> String {
    match value {
        None => "-".to_string(),
        Some(Json::String(s)) => shorten(s, 60),
        Some(Json::Array(items)) => {
            let items: Vec<String> = items.iter().map(|i| plain_value(Some(i))).collect();
            format!("[{}]", items.join(", "))
        }
        Some(other) => other.to_string(),
    }
}

/// The mark a level gets in Markdown: the pull-request comment and the changelog use the same.
pub fn emoji(level: Level) -> &'static str {
    match level {
        Level::Breaking => "🔴",
        Level::Dangerous => "🟠",
        Level::Safe => "🟢",
    }
}

/// "2 breaking, 1 dangerous, 4 safe" (levels without changes left out).
pub fn count_words(counts: &Counts) -> String {
    let parts: Vec<String> = Level::ALL
        .iter()
        .filter(|l| counts.get(**l) > 0)
        .map(|l| format!("{} {l}", counts.get(*l)))
        .collect();
    if parts.is_empty() {
        "no changes".to_string()
    } else {
        parts.join(", ")
    }
}

/// A change as JSON, without locations (the changelog's entries use this as it is).
pub fn change_json(change: &Change) -> Json {
    json!({
        "kind": change.kind.as_str(),
        "level": change.level.as_str(),
        "entity": change.entity.as_str(),
        "name": change.name,
        "property": change.property,
        "field": change.field,
        "old": change.old,
        "new": change.new,
        "summary": change.summary,
        "kpis": change.kpis,
        "flows": change.flows,
    })
}

pub fn counts_json(counts: &Counts) -> Json {
    json!({
        "breaking": counts.breaking,
        "dangerous": counts.dangerous,
        "safe": counts.safe,
    })
}

// ----- markdown ------------------------------------------------------------------------------------

/// Rows of one level group as tables per entity type.
pub fn markdown_tables(out: &mut String, changes: &[&Change], heading: &str) {
    for entity in Entity::all() {
        let mut rows: Vec<&&Change> = changes.iter().filter(|c| c.entity == entity).collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|c| std::cmp::Reverse(c.level));
        let _ = writeln!(out, "{heading} {}\n", entity.heading());
        let noun = entity.noun();
        let mut column = noun[..1].to_uppercase();
        column.push_str(&noun[1..]);
        let _ = writeln!(
            out,
            "| Level | Change | {column} | Field | Old → New | KPIs | Flows |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for c in rows {
            let mut name = code(&c.name);
            if let Some(property) = &c.property {
                let _ = write!(name, " › {}", code(property));
            }
            let prose = is_prose(c.field.as_deref());
            let list =
                |items: &[String]| items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ");
            let values = match long_text_diff(c) {
                Some(pieces) => words_markdown(&pieces),
                None => format!(
                    "{} → {}",
                    markdown_value(c.old.as_ref(), prose),
                    markdown_value(c.new.as_ref(), prose)
                ),
            };
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} | {values} | {} | {} |",
                emoji(c.level),
                c.level,
                code(c.kind.as_str()),
                name,
                c.field.as_deref().map(code).unwrap_or_default(),
                list(&c.kpis),
                list(&c.flows),
            );
        }
        out.push('\n');
    }
}

pub fn markdown(report: &DiffReport) -> String {
    let mut out = String::new();
    let counts = report.counts();
    let _ = writeln!(out, "{MARKER}");
    let verdict = if counts.breaking > 0 {
        Level::Breaking
    } else if counts.dangerous > 0 {
        Level::Dangerous
    } else {
        Level::Safe
    };
    if counts.total() == 0 {
        let _ = writeln!(out, "### ⚪ Tracking plan: no changes\n");
    } else {
        let _ = writeln!(
            out,
            "### {} Tracking plan: {}\n",
            emoji(verdict),
            count_words(&counts)
        );
    }
    let _ = writeln!(
        out,
        "Compares {} with {}.\n",
        report.base.markdown(),
        report.head.markdown()
    );
    let several = report.plans.len() > 1;
    let heading = if several { "#####" } else { "####" };
    for plan in &report.plans {
        if several {
            let plan_counts = Counts::of(&plan.changes);
            let _ = writeln!(
                out,
                "#### {}: {}\n",
                escape(&plan.title()),
                count_words(&plan_counts)
            );
        }
        if let Some(note) = &plan.note {
            let _ = writeln!(out, "_{}_\n", escape(note));
        }
        if plan.changes.is_empty() {
            if plan.note.is_none() {
                let _ = writeln!(
                    out,
                    "The plan says the same on both sides (comment and formatting edits are not changes).\n"
                );
            }
            continue;
        }
        let important: Vec<&Change> = plan
            .changes
            .iter()
            .filter(|c| c.level > Level::Safe)
            .collect();
        let safe: Vec<&Change> = plan
            .changes
            .iter()
            .filter(|c| c.level == Level::Safe)
            .collect();
        markdown_tables(&mut out, &important, heading);
        if !safe.is_empty() {
            let what = if safe.len() == 1 {
                "1 safe change".to_string()
            } else {
                format!("{} safe changes", safe.len())
            };
            let _ = writeln!(out, "<details>\n<summary>{what}</summary>\n");
            markdown_tables(&mut out, &safe, heading);
            let _ = writeln!(out, "</details>\n");
        }
    }
    let _ = writeln!(
        out,
        "<sub>🔴 breaking: code that sends events or reports that read them become wrong · 🟠 dangerous: they may · 🟢 safe: nothing existing changes meaning. Generated by <code>trackplan diff</code>.</sub>"
    );
    out
}

// ----- json -----------------------------------------------------------------------------------------

fn location_json(at: Option<Location>) -> Json {
    match at {
        Some(at) => json!({ "file": at.file, "line": at.line, "column": at.column }),
        None => Json::Null,
    }
}

pub fn json(report: &DiffReport) -> String {
    let plans: Vec<Json> = report
        .plans
        .iter()
        .map(|plan| {
            let changes: Vec<Json> = plan
                .changes
                .iter()
                .map(|c| {
                    let mut value = change_json(c);
                    value["location"] = location_json(plan.new_location(c));
                    value["old_location"] = location_json(plan.old_location(c));
                    value
                })
                .collect();
            json!({
                "path": plan.dir,
                "name": plan.name,
                "note": plan.note,
                "summary": counts_json(&Counts::of(&plan.changes)),
                "changes": changes,
            })
        })
        .collect();
    let output = json!({
        "version": 1,
        "base": report.base.to_json(),
        "head": report.head.to_json(),
        "summary": counts_json(&report.counts()),
        "plans": plans,
    });
    serde_json::to_string_pretty(&output).expect("JSON values serialize") + "\n"
}

// ----- github ---------------------------------------------------------------------------------------

pub fn github(report: &DiffReport) -> String {
    let mut out = String::new();
    for plan in &report.plans {
        for c in &plan.changes {
            let command = match c.level {
                Level::Breaking => "error",
                Level::Dangerous => "warning",
                Level::Safe => "notice",
            };
            let mut message = format!("{} change: {}", c.level, printable(&c.summary));
            if let Some(pieces) = long_text_diff(c) {
                message.push_str(&format!("\n{}", words_plain(&pieces, false)));
            }
            if !c.kpis.is_empty() || !c.flows.is_empty() {
                message.push_str(&format!("\ntouches {}", touches(c)));
            }
            let title = format!("trackplan {}", c.kind);
            let at = plan.annotation(c);
            let at = at.as_ref().map(|at| {
                let position = Position {
                    line: at.line,
                    column: at.column,
                    end_line: at.end_line,
                    end_column: at.end_column,
                };
                (at.file.as_str(), position)
            });
            out.push_str(&workflow_command(command, at, &title, &message));
        }
    }
    out
}

fn touches(c: &Change) -> String {
    let mut parts = Vec::new();
    if !c.kpis.is_empty() {
        parts.push(format!("KPIs {}", c.kpis.join(", ")));
    }
    if !c.flows.is_empty() {
        parts.push(format!("flows {}", c.flows.join(", ")));
    }
    parts.join("; ")
}

// ----- human ----------------------------------------------------------------------------------------

pub struct Paint {
    pub color: bool,
}

impl Paint {
    pub fn level(&self, level: Level) -> String {
        let word = format!("{:<9}", level.as_str());
        if !self.color {
            return word;
        }
        let code = match level {
            Level::Breaking => "1;31",
            Level::Dangerous => "1;33",
            Level::Safe => "32",
        };
        format!("\x1b[{code}m{word}\x1b[0m")
    }

    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// One change for a terminal: level, summary, kind; then old -> new and what it touches.
pub fn human_change(out: &mut String, paint: &Paint, c: &Change, indent: &str, at: Option<String>) {
    let _ = writeln!(
        out,
        "{indent}{} {} {}",
        paint.level(c.level),
        printable(&c.summary),
        paint.dim(&format!("[{}]", c.kind))
    );
    let pad = format!("{indent}{:<9} ", "");
    if let Some(pieces) = long_text_diff(c) {
        let _ = writeln!(out, "{pad}{}", words_plain(&pieces, paint.color));
    }
    if c.old.is_some() && c.new.is_some() && !is_prose(c.field.as_deref()) {
        let _ = writeln!(
            out,
            "{pad}{}",
            paint.dim(&printable(&format!(
                "{} -> {}",
                plain_value(c.old.as_ref()),
                plain_value(c.new.as_ref())
            )))
        );
    }
    let mut details = Vec::new();
    if let Some(at) = at {
        details.push(at);
    }
    if !c.kpis.is_empty() || !c.flows.is_empty() {
        details.push(format!("touches {}", touches(c)));
    }
    if !details.is_empty() {
        let _ = writeln!(out, "{pad}{}", paint.dim(&details.join(" · ")));
    }
}

pub fn human(report: &DiffReport, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "comparing {} with {}",
            report.base.describe(),
            report.head.describe()
        ))
    );
    for plan in &report.plans {
        let _ = writeln!(
            out,
            "\n{}: {}",
            paint.bold(&plan.title()),
            count_words(&Counts::of(&plan.changes))
        );
        if let Some(note) = &plan.note {
            let _ = writeln!(out, "  note: {note}");
        }
        let mut changes: Vec<&Change> = plan.changes.iter().collect();
        changes.sort_by_key(|c| std::cmp::Reverse(c.level));
        for c in changes {
            let at = plan
                .new_location(c)
                .map(|at| format!("at {}:{}", at.file, at.line))
                .or_else(|| {
                    plan.old_location(c)
                        .map(|at| format!("was at {}:{}", at.file, at.line))
                });
            human_change(&mut out, &paint, c, "  ", at);
        }
    }
    if report.plans.len() > 1 {
        let _ = writeln!(out, "\nin all: {}", count_words(&report.counts()));
    }
    out
}
