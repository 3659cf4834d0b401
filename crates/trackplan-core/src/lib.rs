//! The core of trackplan: reads a plan's files into a typed model, indexes its names, runs the rules
//! and compares plans. It does no IO and knows nothing of terminals, LSP or git: the CLI, the
//! language server and the history reader are thin adapters over these entry points:
//!
//! - [`parse_file`] and [`Content::parse`] read one file (cacheable by content),
//! - [`Plan::new`] puts a plan's files together, [`check`] checks it,
//! - [`plan_files::belongs_to_plan`] decides which files form a plan,
//! - [`Index`] and [`Symbols`] answer where names are defined and used.

pub mod analysis;
pub mod baseline;
pub mod case;
pub mod date;
pub mod destinations;
pub mod diagnostic;
pub mod diff;
pub mod formats;
pub mod ide;
pub mod index;
pub mod model;
pub mod parallel;
pub mod pieces;
pub mod plan_files;
pub mod read;
mod rule_names;
pub mod rules;
pub mod schema;
pub mod span;
pub mod suggest;
pub mod suppress;
pub mod syntax;

pub use analysis::{check, check_with, CheckOptions};
pub use date::Date;
pub use diagnostic::{Diagnostic, Edit, Fix, Related, Severity};
pub use index::{Index, Occurrence, Symbols};
pub use model::{ParsedFile, Plan};
pub use read::{parse_file, Content};
pub use span::{ColumnUnit, FileId, LineCol, LineIndex, SourceFile, Span};

/// The name of a plan's root file.
pub const ROOT_FILE_NAME: &str = "trackplan.yaml";
