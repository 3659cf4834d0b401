//! Flags one property name given different types (dictionary vs inline, or two events).
//!
//! ## What it does
//! Collects every definition of an event property name — the dictionary's and those defined inline in
//! events — and reports definitions whose `type` differs from the first one seen (the dictionary's,
//! when there is one), naming the event or the dictionary that says otherwise. It runs when a
//! destination of the plan keeps one property per name across events (Mixpanel, the default;
//! Amplitude; RudderStack); Segment, Snowplow and `generic` keep each event's properties apart, so a
//! plan sent only there gets no finding.
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

/// The first definition of a name, which later ones are compared with.
struct First<'a> {
    ty: &'a Spanned<TypeSet>,
    /// The event that defines it, or `None` for the dictionary.
    event: Option<&'a Event>,
}

impl First<'_> {
    fn place(&self) -> String {
        match self.event {
            Some(event) => format!("event `{}`", event.name.text),
            None => "the dictionary".to_string(),
        }
    }
}

impl Rule for PropertyTypeConflict {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(info) = cx.destinations().sharing_property_names() else {
            return;
        };
        // Dictionary definitions first, so that they are the reference type.
        let mut first: HashMap<&str, First<'_>> = HashMap::default();
        for def in cx.plan.properties() {
            if let Some(ty) = &def.ty {
                first.entry(&def.name.text).or_insert(First { ty, event: None });
            }
        }
        for &(site, def) in cx.index.property_definitions() {
            let PropertySite::Inline(event) = site else { continue };
            let Some(ty) = &def.ty else { continue };
            match first.get(def.name.text.as_str()) {
                None => {
                    first.insert(&def.name.text, First { ty, event: Some(event) });
                }
                Some(earlier) if earlier.ty.value != ty.value => {
                    let place = earlier.place();
                    out.push(
                        Diagnostic::new(
                            RULE,
                            ty.span,
                            format!(
                                "property `{}` is `{}` in event `{}` but `{}` in {place}",
                                def.name.text, ty.value, event.name.text, earlier.ty.value
                            ),
                        )
                        .with_related(earlier.ty.span, format!("declared `{}` in {place}", earlier.ty.value))
                        .with_help(format!("{} keeps one type per property name: use one type, or another name", info.name)),
                    )
                }
                Some(_) => {}
            }
        }
    }
}
