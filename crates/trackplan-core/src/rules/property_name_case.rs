//! Flags a property name that breaks the plan's `conventions.property_case`.
//!
//! ## What it does
//! When `conventions.property_case` is set, every property name (dictionary, user properties,
//! properties defined inline in events, nested object properties) must follow it. Mixpanel's reserved
//! `$` profile properties (`$email`, `$name`, ...) are exempt. The quick fix renames the property and
//! every reference to it.
//!
//! ## Why is this bad?
//! Property names are case-sensitive in Mixpanel: `orderId` and `order_id` become two properties that
//! each hold half the data.
//!
//! ## Example
//! ```yaml
//! conventions: {property_case: snake}
//! properties:
//!   orderId: {type: string, description: The order's id.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! conventions: {property_case: snake}
//! properties:
//!   order_id: {type: string, description: The order's id.}
//! ```

use super::event_name_case::case_diagnostic;
use super::prelude::*;
use crate::case;

declare_rule!(PropertyNameCase, "property-name-case", Warning);

impl Rule for PropertyNameCase {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(convention) = cx.plan.conventions().property_case else {
            return;
        };
        for &(site, def) in cx.index.property_definitions() {
            let name = &def.name.text;
            if name.starts_with('$') || name.ends_with("[]") || case::follows(name, convention.value) {
                continue;
            }
            let fixed = case::convert(name, convention.value);
            let edits = match site {
                PropertySite::Dictionary => cx.index.rename_edits(EntityKind::Property, name, &fixed),
                PropertySite::User => cx.index.rename_edits(EntityKind::UserProperty, name, &fixed),
                PropertySite::Inline(_) | PropertySite::Nested => {
                    let original = cx.plan.file(def.name.span.file).map_or("", |f| f.source.slice(def.name.span));
                    vec![Edit {
                        span: def.name.span,
                        new_text: crate::syntax::requote(original, &fixed),
                    }]
                }
            };
            out.push(case_diagnostic(RULE, &def.name, "property", convention.value, edits));
        }
    }
}
