//! Flags anchors, aliases, merge keys, tags and multiple documents, which the plan format leaves out.
//!
//! ## What it does
//! Reports every anchor (`&name`), alias (`*name`), merge key (`<<`), tag (`!!str`, `!custom`) and any
//! YAML document after the first. Aliases are never expanded.
//!
//! ## Why is this bad?
//! A plan is read by people in reviews and spreadsheets as much as by tools. Aliases hide where a value
//! comes from, make a change in one place silently change others, and let a few lines expand into
//! gigabytes (the "billion laughs" attack). Tags change how values are typed behind the reader's back.
//!
//! ## Example
//! ```yaml
//! properties:
//!   price: &money {type: number, description: Amount in the order currency}
//!   discount: *money
//! ```
//!
//! ## Use instead
//! ```yaml
//! properties:
//!   price: {type: number, description: Amount in the order currency}
//!   discount: {type: number, description: Discount in the order currency}
//! ```

use super::prelude::*;
use crate::syntax::Unsupported;

declare_rule!(UnsupportedYaml, "unsupported-yaml", Error);

impl Rule for UnsupportedYaml {
        fn check_file(&self, file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
        let tree = file.tree;
        for issue in &tree.issues {
            let SyntaxIssue::Unsupported { what, span } = issue else {
                continue;
            };
            let (message, help) = match what {
                Unsupported::Anchor => (
                    "anchors (`&name`) are not part of the plan format",
                    "write the value out where it is used",
                ),
                Unsupported::Alias => (
                    "aliases (`*name`) are not part of the plan format and are not expanded",
                    "write the value out instead of referring to an anchor",
                ),
                Unsupported::MergeKey => (
                    "merge keys (`<<`) are not part of the plan format",
                    "write the merged keys out in this mapping",
                ),
                Unsupported::Tag => (
                    "tags (`!name`) are not part of the plan format",
                    "remove the tag; quote the value if it must be a string",
                ),
                Unsupported::MultipleDocuments => (
                    "a plan file holds one YAML document; this `---` starts another, which is not read",
                    "move the second document into a file of its own",
                ),
            };
            out.push(Diagnostic::new(RULE, *span, message).with_help(help));
        }
    }
}
