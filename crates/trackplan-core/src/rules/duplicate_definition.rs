//! Flags the same event, property, KPI, flow, goal or team defined twice, in one file or across files.
//!
//! ## What it does
//! Names are unique within each namespace (events, properties, user properties, KPIs, goals, flows,
//! teams) across all the files of a plan. Every definition after the first is reported with the
//! location of the first. (Two definitions in one mapping are a `duplicate-key`.)
//!
//! ## Why is this bad?
//! Two definitions of one event disagree sooner or later (two descriptions, two property lists), and
//! nobody can tell which one the code and the reports follow.
//!
//! ## Example
//! ```yaml
//! # events/checkout.yaml
//! events:
//!   Order Completed: {description: Fired when payment succeeds.}
//! # events/orders.yaml
//! events:
//!   Order Completed: {description: Fired when the order is saved.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! # events/checkout.yaml
//! events:
//!   Order Completed: {description: Fired when payment succeeds.}
//! ```

use super::prelude::*;
use rustc_hash::FxHashMap as HashMap;

declare_rule!(DuplicateDefinition, "duplicate-definition", Error);

impl Rule for DuplicateDefinition {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &namespace in EntityKind::ALL {
            let mut first: HashMap<&str, Span> = HashMap::default();
            for definition in cx.index.all(namespace) {
                let name = definition.name();
                match first.get(name.text.as_str()) {
                    None => {
                        first.insert(&name.text, name.span);
                    }
                    Some(&earlier) => out.push(
                        Diagnostic::new(
                            RULE,
                            name.span,
                            format!("{} `{}` is defined more than once", namespace.noun(), name.text),
                        )
                        .with_related(earlier, "first defined here")
                        .with_help("names are unique across all files of a plan: merge the two or rename one"),
                    ),
                }
            }
        }
    }
}
