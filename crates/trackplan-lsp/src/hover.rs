//! Hover: a Markdown card for the event, KPI, goal, flow, property or team under the cursor
//! (definition or reference), the documentation of a key, and the explanation of a diagnostic's
//! rule (the text of `trackplan explain`).

use crate::convert;
use crate::world::World;
use tower_lsp::lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use trackplan_core::ide::{self, card, inline_property_at, inline_property_card, Expect, Slot};
use trackplan_core::schema;

pub fn hover(world: &World, params: HoverParams) -> Option<Hover> {
    let pos = params.text_document_position_params;
    let at = convert::at(world, &pos.text_document.uri, pos.position)?;
    let plan = &at.analysis.plan;
    let mut sections: Vec<String> = Vec::new();
    let mut range = None;

    for d in at.analysis.diagnostics() {
        if d.span.file == at.file && d.span.contains(at.offset) {
            let rule = d.rule.entry();
            sections.push(format!(
                "**{}** ({}): {}\n\n{}",
                rule.name(),
                d.severity,
                d.message,
                rule.doc()
            ));
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
