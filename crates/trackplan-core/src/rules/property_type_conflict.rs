//! Flags one property name given different types (dictionary vs inline, or two events).
//!
//! ## What it does
//! Collects every definition of an event property name — the dictionary's and those defined inline in
//! events — and reports definitions whose `type` differs from the first one seen (the dictionary's,
//! when there is one).
//!
//! ## Why is this bad?
//! Mixpanel's Lexicon keeps one type per property name across all events. If `plan` is a string in one
//! event and an object in another, filters and breakdowns on it break for one of them.
//!
//! ## Example
//! ```yaml
//! properties:
//!   price: {type: number, description: Price in the order currency.}
//! events:
//!   Product Viewed:
//!     properties:
//!       price: {type: string, description: Formatted price.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! properties:
//!   price: {type: number, description: Price in the order currency.}
//! events:
//!   Product Viewed:
//!     properties:
//!       price: required
//!       price_label: {type: string, description: Formatted price.}
//! ```

use super::prelude::*;
use rustc_hash::FxHashMap as HashMap;

declare_rule!(PropertyTypeConflict, "property-type-conflict", Warning);

impl Rule for PropertyTypeConflict {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Dictionary definitions first, so that they are the reference type.
        let mut first: HashMap<&str, (&Spanned<PropertyType>, &'static str)> = HashMap::default();
        for def in cx.plan.properties() {
            if let Some(ty) = &def.ty {
                first.entry(&def.name.text).or_insert((ty, "the dictionary"));
            }
        }
        for &(site, def) in cx.index.property_definitions() {
            let PropertySite::Inline(event) = site else { continue };
            let Some(ty) = &def.ty else { continue };
            match first.get(def.name.text.as_str()) {
                None => {
                    first.insert(&def.name.text, (ty, "another event"));
                }
                Some((earlier, where_)) if earlier.value != ty.value => out.push(
                    Diagnostic::new(
                        RULE,
                        ty.span,
                        format!(
                            "property `{}` is `{}` in event `{}` but `{}` in {where_}",
                            def.name.text,
                            ty.value.as_str(),
                            event.name.text,
                            earlier.value.as_str()
                        ),
                    )
                    .with_related(earlier.span, format!("declared `{}` here", earlier.value.as_str()))
                    .with_help("Mixpanel keeps one type per property name: use one type, or another name"),
                ),
                Some(_) => {}
            }
        }
    }
}
