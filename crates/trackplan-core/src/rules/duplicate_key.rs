//! Flags a key given twice in one mapping.
//!
//! ## What it does
//! Reports the second (and any later) occurrence of a key within the same mapping, pointing at the
//! first. Only the first occurrence is read.
//!
//! ## Why is this bad?
//! YAML readers disagree on which occurrence wins (most keep the last, silently), so two tools can see
//! two different plans. Usually one of the two was meant to be another name.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     description: Fired when payment succeeds.
//!   Order Completed:
//!     description: Fired when the order is confirmed.
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Order Completed:
//!     description: Fired when payment succeeds.
//!   Order Confirmed:
//!     description: Fired when the order is confirmed.
//! ```

use super::prelude::*;
use crate::syntax::{walk, NodeKind};
use rustc_hash::FxHashMap as HashMap;

declare_rule!(DuplicateKey, "duplicate-key", Error);

impl Rule for DuplicateKey {
        fn check_file(&self, file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
        let tree = file.tree;
        let Some(root) = &tree.root else { return };
        walk(root, &mut |node| {
            let NodeKind::Mapping(entries) = &node.kind else {
                return;
            };
            let mut first: HashMap<&str, Span> = HashMap::default();
            for (i, entry) in entries.iter().enumerate() {
                let Some(key) = entry.key_str() else { continue };
                // Most mappings are small: looking back is cheaper than hashing.
                let earlier = if entries.len() <= 16 {
                    entries[..i].iter().find(|e| e.key_str() == Some(key)).map(|e| e.key.span)
                } else {
                    first.get(key).copied()
                };
                match earlier {
                    None => {
                        if entries.len() > 16 {
                            first.insert(key, entry.key.span);
                        }
                    }
                    Some(earlier) => out.push(
                        Diagnostic::new(RULE, entry.key.span, format!("duplicate key `{key}`"))
                            .with_related(earlier, "first given here")
                            .with_help("remove one of them or rename it; only the first is read"),
                    ),
                }
            }
        });
    }
}
