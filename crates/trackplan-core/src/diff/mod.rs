//! The semantic diff of two plans: what changed for the code that sends events and the reports that
//! read them, as a list of [`Change`]s with stable kind names and levels.
//!
//! Plans are compared through the model the parser builds (the same as `check` reads), never as text:
//! entities are matched by name across files, so moving an event to another file is no change, and
//! comments, quoting, key order and line wrapping are invisible. Files that are the same on both sides
//! (same path and text) are not looked into, which keeps a long changelog fast.

mod change;
mod compare;
mod kind;
mod links;
#[cfg(test)]
mod tests;

pub use change::{Change, Counts};
pub use kind::{Entity, Kind, Level};

use crate::model::{ParsedFile, Plan};
use crate::rules::RuleName;
use crate::span::ColumnUnit;
use serde::Serialize;

/// Compares two plans. The result is sorted by entity type, name and property; it is empty when the
/// plans say the same thing, however differently their files are written.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    compare::run(old, new)
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
