//! Output formats of `trackplan check`.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::discover::LoadedPlan;
use std::path::{Path, PathBuf};
use trackplan_core::baseline::Entry;
use trackplan_core::{ColumnUnit, Diagnostic, ParsedFile, Severity, Span};

/// When to color human output (`--color`).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// `auto`: when standard output is a terminal and `NO_COLOR` is not set.
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// The diagnostics of each plan checked.
pub struct Report {
    pub plans: Vec<(LoadedPlan, Vec<Diagnostic>)>,
    /// The baselines the plans were checked against (their findings are left out of `plans`).
    pub baselines: Vec<BaselineUse>,
}

/// A baseline a plan was checked against.
pub struct BaselineUse {
    /// The plan folder.
    pub plan: PathBuf,
    /// The baseline file.
    pub file: PathBuf,
    /// How many findings the baseline held (not reported).
    pub known: usize,
    /// Its entries that no longer occur.
    pub gone: Vec<Entry>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics()
            .filter(|(_, d)| d.severity == severity)
            .count()
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = (&LoadedPlan, &Diagnostic)> {
        self.plans
            .iter()
            .flat_map(|(plan, diagnostics)| diagnostics.iter().map(move |d| (plan, d)))
    }
}

/// A span as 1-based lines and Unicode-character columns, end exclusive: what every output format
/// prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Position {
    pub fn of(file: &ParsedFile, span: Span) -> Position {
        let text = &file.source.text;
        let lines = file.source.lines();
        let start = lines.line_col(text, span.start as usize, ColumnUnit::Char);
        let end = lines.line_col(text, span.end as usize, ColumnUnit::Char);
        Position {
            line: start.line + 1,
            column: start.col + 1,
            end_line: end.line + 1,
            end_column: end.col + 1,
        }
    }

    /// The first character of a file.
    pub const FILE_START: Position = Position {
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    };
}

/// A span's position with its file's path.
pub struct Location {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Where a span is. A span in no file of the plan (a plan whose root file could not be read has no
/// file to report on) is at the start of the plan's root file.
pub fn locate(plan: &LoadedPlan, span: Span) -> Location {
    let Some(file) = plan.plan.file(span.file) else {
        return Location {
            path: plan.root.join(trackplan_core::ROOT_FILE_NAME),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        };
    };
    let Position {
        line,
        column,
        end_line,
        end_column,
    } = Position::of(file, span);
    Location {
        path: plan.path_of(file),
        line,
        column,
        end_line,
        end_column,
    }
}

/// `path` relative to `base` when it lies below it, else as it is; always with `/`.
pub fn display_path(path: &Path, base: &Path) -> String {
    let relative = match path.strip_prefix(base) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => pathdiff(path, base).unwrap_or_else(|| path.to_path_buf()),
    };
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A relative path from `base` to `path` with `..` steps, when both are absolute.
fn pathdiff(path: &Path, base: &Path) -> Option<PathBuf> {
    if !path.is_absolute() || !base.is_absolute() {
        return None;
    }
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &path[common..] {
        out.push(component);
    }
    Some(out)
}

/// The root of the git work tree holding `path`, if any (a `.git` folder or file).
pub fn git_root(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}
