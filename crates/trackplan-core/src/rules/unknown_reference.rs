//! Flags a reference to a name the plan does not define, suggesting the nearest one.
//!
//! ## What it does
//! Checks every reference: flow `steps` and `alternatives`, `identity.identify` and `identity.reset`
//! (events); `kpis` on flows and events (KPIs); a KPI's `goal` (goals); every `owner` (teams);
//! `super_properties` and event property entries (the property dictionary); `replaced_by` (events or
//! properties). A reference to a name that is not defined is reported, with "did you mean" when a
//! defined name is close.
//!
//! ## Why is this bad?
//! A flow step that names no event cannot be built as a funnel; a typo in an event's property list
//! means the property is never documented, typed or validated; an owner that is not a team has nobody
//! to ask.
//!
//! ## Example
//! ```yaml
//! events:
//!   Product Viewed: {description: Fired when a product page opens.}
//!   Order Completed: {description: Fired when payment succeeds.}
//! flows:
//!   purchase:
//!     name: Purchase
//!     steps: [Product Viewed, Order Complted]
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Product Viewed: {description: Fired when a product page opens.}
//!   Order Completed: {description: Fired when payment succeeds.}
//! flows:
//!   purchase:
//!     name: Purchase
//!     steps: [Product Viewed, Order Completed]
//! ```

use super::prelude::*;
use crate::suggest::did_you_mean;

declare_rule!(UnknownReference, "unknown-reference", Error);

impl Rule for UnknownReference {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for reference in cx.index.references() {
            let namespace = reference.namespace;
            if cx.index.is_defined(namespace, &reference.name) || reads_as_non_string(cx, reference) {
                continue;
            }
            let noun = namespace.noun();
            let message = match reference.site {
                RefSite::EventProperty | RefSite::NestedProperty => format!("property `{}` is not in the property dictionary", reference.name),
                RefSite::SuperProperty => format!("super property `{}` is not in the property dictionary", reference.name),
                _ => format!("unknown {noun} `{}`", reference.name),
            };
            let mut d = Diagnostic::new(RULE, reference.span, message);
            match did_you_mean(&reference.name, cx.index.names(namespace)) {
                Some(suggestion) => {
                    let file = cx.plan.file(reference.span.file);
                    let original = file.map_or("", |f| f.source.slice(reference.span));
                    d = d
                        .with_help(format!("did you mean `{suggestion}`?"))
                        .with_fix(
                            format!("Replace with `{suggestion}`"),
                            vec![Edit {
                                span: reference.span,
                                new_text: crate::syntax::requote(original, suggestion),
                            }],
                        );
                }
                None => {
                    let help = match reference.site {
                        RefSite::EventProperty => "define it under `properties:`, or give it a `type` here to define it for this event only".to_string(),
                        RefSite::NestedProperty => "define it under `properties:`, or give it a `type` here to define it for this object only".to_string(),
                        _ => format!("define it under `{}:`", namespace.section()),
                    };
                    d = d.with_help(help);
                }
            }
            out.push(d);
        }
    }
}


/// A name YAML reads as a number, boolean or null is already an `invalid-value` with a fix to quote
/// it; reporting it as unknown too would only repeat the finding.
fn reads_as_non_string(cx: &Context<'_>, reference: &Reference) -> bool {
    let Some(file) = cx.plan.file(reference.span.file) else {
        return false;
    };
    let written = file.source.slice(reference.span);
    !matches!(
        crate::syntax::ScalarValue::resolve(written, crate::syntax::ScalarStyle::Plain),
        crate::syntax::ScalarValue::Str(_)
    ) && !written.starts_with(['"', '\''])
}
