//! The semantic diff of two plans: what changed for the code that sends events and the reports that
//! read them, as a list of [`Change`]s with stable kind names and levels.
//!
//! Plans are compared through the model the parser builds (the same as `check` reads), never as text:
//! entities are matched by name across files, so moving an event to another file is no change, and
//! comments, quoting, key order and line wrapping are invisible. Files that are the same on both sides
//! (same path and text) are not looked into, which keeps a long changelog fast.
//!
//! The comparison is split by job; each module uses only modules listed before it:
//! - `change.rs`, `kind.rs`: what a change is, its kinds and levels, the changes of whole entities;
//! - `links.rs`: the KPIs and flows a change touches;
//! - `scope.rs`: the names to look at, those defined in files that differ;
//! - `side.rs`: matching entities by name across the two plans;
//! - `emit.rs`: where a change stands, its wording, and the list of changes being made;
//! - `fields.rs`: per-field comparison, from a table of each entity type's fields (one row each);
//! - `property.rs`: properties, as the dictionary and as an event sees them;
//! - `renames.rs`: one rename pass for every kind that can be renamed;
//! - `entities.rs`: the entities of each kind, added, removed, renamed or compared field by field;
//! - `settings.rs`: the root file's settings and the super properties;
//! - `run.rs`: the order of it all;
//! - `words.rs`: word-level differences of long text, for the outputs to show.

mod change;
mod emit;
mod entities;
mod fields;
mod kind;
mod links;
mod property;
mod renames;
mod run;
mod scope;
mod settings;
mod side;
#[cfg(test)]
mod tests;
pub mod words;

pub use change::{Change, Counts};
pub use kind::{Entity, Kind, Level};

use crate::model::{ParsedFile, Plan};
use crate::rules::RuleName;
use crate::span::ColumnUnit;
use serde::Serialize;

/// Compares two plans. The result is sorted by entity type, name and property; it is empty when the
/// plans say the same thing, however differently their files are written.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    run::run(old, new)
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
