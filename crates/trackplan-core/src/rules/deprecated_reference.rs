//! Flags a flow, KPI or identity point that relies on a deprecated event or property.
//!
//! ## What it does
//! Reports flow steps and alternatives, `identity` lists and event `kpis` links that name an event with
//! `status: deprecated`, and event property entries and super properties that name a dictionary
//! property with `deprecated: true`. When the deprecated name has a `replaced_by`, the fix uses it.
//!
//! ## Why is this bad?
//! A deprecated event is on its way out of the code. A funnel or KPI built on it will silently drop to
//! zero when it is removed.
//!
//! ## Example
//! ```yaml
//! events:
//!   Purchase: {status: deprecated, replaced_by: Order Completed}
//!   Order Completed: {status: implemented}
//! flows:
//!   purchase: {name: Purchase, steps: [Product Viewed, Purchase]}
//! ```
//!
//! ## Use instead
//! ```yaml
//! flows:
//!   purchase: {name: Purchase, steps: [Product Viewed, Order Completed]}
//! ```

use super::prelude::*;

declare_rule!(DeprecatedReference, "deprecated-reference", Warning);

impl Rule for DeprecatedReference {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let any_deprecated = cx.plan.events().any(|e| e.is_deprecated())
            || cx.plan.properties().any(|p| p.is_deprecated());
        if !any_deprecated {
            return;
        }
        for reference in cx.index.references() {
            let (deprecated_at, replacement) = match (reference.namespace, reference.site) {
                (
                    EntityKind::Event,
                    RefSite::FlowStep | RefSite::FlowAlternative | RefSite::Identify | RefSite::Reset,
                ) => match cx.index.event(&reference.name) {
                    Some(event) if event.is_deprecated() => (event.name.span, event.replaced_by.as_ref()),
                    _ => continue,
                },
                (EntityKind::Property, RefSite::EventProperty | RefSite::NestedProperty | RefSite::SuperProperty) => {
                    match cx.index.property(&reference.name) {
                        Some(def) if def.is_deprecated() => (def.name.span, def.replaced_by.as_ref()),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            out.push(self.diagnostic(cx, reference, deprecated_at, replacement));
        }
        // A KPI relies on the deprecated events that claim to measure it.
        for event in cx.plan.events().filter(|e| e.is_deprecated()) {
            for kpi in &event.kpis {
                out.push(
                    Diagnostic::new(
                        RULE,
                        kpi.span,
                        format!("KPI `{}` is measured by deprecated event `{}`", kpi.name, event.name.text),
                    )
                    .with_help(match &event.replaced_by {
                        Some(r) => format!("link the KPI from `{}` instead", r.name),
                        None => "link the KPI from the event that replaces this one".to_string(),
                    }),
                );
            }
        }
    }
}

impl DeprecatedReference {
    fn diagnostic(
        &self,
        cx: &Context<'_>,
        reference: &Reference,
        deprecated_at: Span,
        replacement: Option<&Reference>,
    ) -> Diagnostic {
        let noun = reference.namespace.noun();
        let d = Diagnostic::new(
            RULE,
            reference.span,
            format!("{noun} `{}` is deprecated", reference.name),
        )
        .with_related(deprecated_at, "deprecated here");
        match replacement {
            Some(new) => {
                let original = cx.plan.file(reference.span.file).map_or("", |f| f.source.slice(reference.span));
                d.with_help(format!("use `{}`, which replaces it", new.name)).with_fix(
                    format!("Replace with `{}`", new.name),
                    vec![Edit {
                        span: reference.span,
                        new_text: crate::syntax::requote(original, &new.name),
                    }],
                )
            }
            None => d.with_help(format!("use the {noun} that replaces it, and say which in `replaced_by`")),
        }
    }
}
