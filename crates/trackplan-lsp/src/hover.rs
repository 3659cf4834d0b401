//! Hover: a Markdown card for the event, KPI, goal, flow, property or team under the cursor
//! (definition or reference), the documentation of a key, and for each finding under the cursor its
//! message with the rule's one-line summary and where its documentation is (the configured docs
//! URL, else `trackplan explain RULE`).

use crate::convert;
use crate::world::{Config, World};
use tower_lsp::lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use trackplan_core::ide::{self, card, inline_property_at, inline_property_card, Expect, Slot};
use trackplan_core::schema;

pub fn hover(world: &World, params: HoverParams) -> Option<Hover> {
    let pos = params.text_document_position_params;
    let at = convert::at(world, &pos.text_document.uri, pos.position)?;
    let plan = &at.analysis.plan;
    let mut sections: Vec<String> = Vec::new();
    let mut range = None;

    let config = world.state().config.clone();
    for d in at.analysis.diagnostics() {
        if d.span.file == at.file && d.span.contains(at.offset) {
            sections.push(finding(d, &config));
        }
    }

    let inline = at.occurrence().is_some_and(|o| o.inline);
    if let (Some(occurrence), false) = (at.occurrence(), inline) {
        range = Some(convert::range(
            &at.parsed().source,
            occurrence.span,
            at.unit,
        ));
        if let Some(card) = card(plan, occurrence.namespace, &occurrence.name) {
            sections.insert(0, card);
        }
    } else if let Some((event, def)) = inline_property_at(at.parsed(), at.offset) {
        range = Some(convert::range(&at.parsed().source, def.name.span, at.unit));
        sections.insert(0, inline_property_card(event, def, plan));
    } else if let Some(root) = &at.analysis.tree(at.parsed()).root {
        if let Some(key) = ide::key_at(root, at.offset) {
            let is_root = at.parsed().source.is_root();
            match ide::expect_at(&key.path, is_root, Slot::Key) {
                Expect::Key(place) => {
                    if let Some(doc) = schema::key_doc(place, &key.key) {
                        range = Some(convert::range(&at.parsed().source, key.span, at.unit));
                        let required = if doc.required { " (required)" } else { "" };
                        sections.insert(0, format!("`{}`{required}\n\n{}", doc.key, doc.doc));
                    }
                }
                Expect::RuleName => {
                    if let Some(rule) = trackplan_core::rules::find(&key.key) {
                        range = Some(convert::range(&at.parsed().source, key.span, at.unit));
                        sections.insert(
                            0,
                            format!(
                                "**{}** (default: {})\n\n{}",
                                rule.name(),
                                rule.default_severity(),
                                rule.doc()
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range,
    })
}

/// A finding under the cursor: its message, and its rule's summary with a way to its documentation
/// (the whole documentation is one click or one command away, not pasted into every hover).
fn finding(d: &trackplan_core::Diagnostic, config: &Config) -> String {
    let rule = d.rule.entry();
    let name = rule.name();
    let more = match config.rule_url(name) {
        Some(url) => format!("[Documentation of `{name}`]({url})"),
        None => format!("Documentation: `trackplan explain {name}`"),
    };
    let help = d
        .help
        .as_ref()
        .map(|help| format!("\n\n*help*: {help}"))
        .unwrap_or_default();
    format!(
        "**{name}** ({}): {}{help}\n\n{} {more}",
        d.severity,
        d.message,
        rule.summary()
    )
}
