//! Flags a dictionary property that no event uses.
//!
//! ## What it does
//! Reports a property of the `properties:` dictionary that no event lists and that is not a super
//! property. Deprecated properties are exempt.
//!
//! ## Why is this bad?
//! The dictionary documents what is sent. A property nobody sends misleads analysts looking for data
//! that does not exist, and usually means an event forgot to list it.
//!
//! ## Example
//! ```yaml
//! properties:
//!   coupon_code: {type: string, description: The coupon applied at checkout.}
//! events:
//!   Order Completed: {description: Fired when payment succeeds.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! properties:
//!   coupon_code: {type: string, description: The coupon applied at checkout.}
//! events:
//!   Order Completed:
//!     description: Fired when payment succeeds.
//!     properties:
//!       coupon_code: optional
//! ```

use super::prelude::*;

declare_rule!(UnusedProperty, "unused-property", Info);

impl Rule for UnusedProperty {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for def in cx.plan.properties() {
            if def.is_deprecated() {
                continue;
            }
            let used = cx
                .index
                .references_to(EntityKind::Property, &def.name.text)
                .iter()
                .any(|r| matches!(r.site, RefSite::EventProperty | RefSite::NestedProperty | RefSite::SuperProperty));
            if !used {
                out.push(
                    Diagnostic::new(
                        RULE,
                        def.name.span,
                        format!("property `{}` is used by no event", def.name.text),
                    )
                    .with_help("list it in the `properties:` of the events that send it, or in `super_properties`"),
                );
            }
        }
    }
}
