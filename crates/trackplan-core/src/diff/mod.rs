//! The semantic diff of two plans: what changed for the code that sends events and the reports that
//! read them, as a list of [`Change`]s with stable kind names and levels.
//!
//! Plans are compared through the model the parser builds (the same as `check` reads), never as text:
//! entities are matched by name across files, so moving an event to another file is no change, and
//! comments, quoting, key order and line wrapping are invisible. Files that are the same on both sides
//! (same path and text) are not looked into, which keeps a long changelog fast.

mod compare;
mod kind;
mod links;
#[cfg(test)]
mod tests;

pub use kind::{Entity, Kind, Level};

use crate::model::{ParsedFile, Plan};
use crate::rules::RuleName;
use crate::span::{ColumnUnit, Span};
use serde::Serialize;

/// One change between two plans.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub level: Level,
    pub entity: Entity,
    /// The entity's name: an event or property name, a KPI, goal, flow or team id, the plan's name
    /// for plan settings, `identity` or `conventions`. For a rename, the old name.
    pub name: String,
    /// For changes inside a property: its path within the entity (`revenue` for an event's property,
    /// `address.city` or `items[]` for nested ones).
    pub property: Option<String>,
    /// The field that changed (`type`, `enum`, `description`, `steps`, `alternatives.buy-now`,
    /// `identify`, ...), when the change is about one field.
    pub field: Option<String>,
    /// The value before and after (a string, a list of strings, a number or a boolean); `None` where
    /// the field or entity did not exist.
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
    /// One line that says what changed, for people.
    pub summary: String,
    /// The KPIs and flows the change touches, in either plan (sorted).
    pub kpis: Vec<String>,
    pub flows: Vec<String>,
    /// Where the change stands in the old and the new plan (a span of that plan's files).
    #[serde(skip)]
    pub old_span: Option<Span>,
    #[serde(skip)]
    pub new_span: Option<Span>,
}

/// Compares two plans. The result is sorted by entity type, name and property; it is empty when the
/// plans say the same thing, however differently their files are written.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    compare::run(old, new)
}

/// Number of changes per level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub dangerous: usize,
    pub safe: usize,
}

impl Counts {
    pub fn of(changes: &[Change]) -> Counts {
        let mut counts = Counts::default();
        for change in changes {
            match change.level {
                Level::Breaking => counts.breaking += 1,
                Level::Dangerous => counts.dangerous += 1,
                Level::Safe => counts.safe += 1,
            }
        }
        counts
    }

    pub fn get(&self, level: Level) -> usize {
        match level {
            Level::Breaking => self.breaking,
            Level::Dangerous => self.dangerous,
            Level::Safe => self.safe,
        }
    }

    pub fn total(&self) -> usize {
        self.breaking + self.dangerous + self.safe
    }
}

/// Why a plan cannot be compared: one of its files does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParseFailure {
    /// The file's path relative to the plan folder.
    pub path: String,
    /// 1-based line and column (Unicode characters).
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// The first file of a plan that does not parse (YAML syntax error, not UTF-8, too large to read).
/// Such a plan is only partly read, so comparing it would report whatever was not read as removed.
pub fn parse_failure(plan: &Plan) -> Option<ParseFailure> {
    plan.files.iter().find_map(|f| file_parse_failure(f))
}

/// [`parse_failure`] for one file.
pub fn file_parse_failure(file: &ParsedFile) -> Option<ParseFailure> {
    let too_large = file
        .syntax_issues
        .iter()
        .any(|i| matches!(i, crate::syntax::SyntaxIssue::TooLarge { .. }));
    let diagnostic = file.diagnostics.iter().find(|d| {
        d.rule == RuleName::YamlSyntax
            || (too_large
                && d.rule == RuleName::LimitExceeded
                && d.span.start == 0
                && d.span.end == 0)
    })?;
    let at = file.source.lines().line_col(
        &file.source.text,
        diagnostic.span.start as usize,
        ColumnUnit::Char,
    );
    Some(ParseFailure {
        path: file.source.path.clone(),
        line: at.line + 1,
        column: at.col + 1,
        message: diagnostic.message.clone(),
    })
}
