//! Flags a file over 10 MB or nesting deeper than 64 levels.
//!
//! ## What it does
//! A file larger than 10 MB is not read at all; a mapping or list nested deeper than 64 levels is not
//! read below that depth. Both are reported.
//!
//! ## Why is this bad?
//! No hand-written tracking plan comes near these sizes; a file that does is generated, corrupted or
//! hostile, and reading it would make the editor and CI slow or run out of memory.
//!
//! ## Example
//! ```yaml,ignore
//! properties:
//!   cart:
//!     type: object
//!     properties:
//!       # ... 70 levels of nested objects
//! ```
//!
//! ## Use instead
//! Split large plans into several files of the plan folder, and flatten deep objects into properties of
//! their own (`cart_item_count`, `cart_value`).

use super::prelude::*;
use crate::syntax::{MAX_DEPTH, MAX_FILE_BYTES};

declare_rule!(LimitExceeded, "limit-exceeded", Error);

impl Rule for LimitExceeded {
        fn check_file(&self, file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
        let source = file.source;
        let tree = file.tree;
        for issue in &tree.issues {
            match issue {
                SyntaxIssue::TooLarge { bytes } => out.push(
                    Diagnostic::new(
                        RULE,
                        Span::file_start(source.id),
                        format!(
                            "file is {:.1} MB, over the {} MB limit; it was not read",
                            *bytes as f64 / (1024.0 * 1024.0),
                            MAX_FILE_BYTES / (1024 * 1024)
                        ),
                    )
                    .with_help("split the plan over several files of the plan folder"),
                ),
                SyntaxIssue::TooDeep { span } => out.push(
                    Diagnostic::new(
                        RULE,
                        *span,
                        format!("nesting deeper than {MAX_DEPTH} levels; what is below was not read"),
                    )
                    .with_help("flatten the structure"),
                ),
                _ => {}
            }
        }
    }
}
