//! Hover: a Markdown card for the event, KPI, goal, flow, property or team under the cursor
//! (definition or reference), the documentation of a key, and the explanation of a diagnostic's
//! rule (the text of `trackplan explain`).

use crate::convert;
use crate::world::World;
use std::fmt::Write;
use tower_lsp::lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use trackplan_core::ide::{self, Expect, Slot};
use trackplan_core::model::*;
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
        sections.insert(0, inline_property_card(event, def));
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

fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn list(items: impl IntoIterator<Item = String>, limit: usize) -> String {
    let items: Vec<String> = items.into_iter().collect();
    let mut out = items
        .iter()
        .take(limit)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > limit {
        let _ = write!(out, " and {} more", items.len() - limit);
    }
    out
}

fn common_lines(out: &mut String, common: &Common) {
    if let Some(description) = &common.description {
        let _ = write!(out, "\n\n{}", description.value.trim());
    }
    if let Some(notes) = &common.notes {
        let _ = write!(out, "\n\n*Notes:* {}", notes.value.trim());
    }
    if !common.tags.is_empty() {
        let _ = write!(
            out,
            "\n\n*Tags:* {}",
            list(common.tags.iter().map(|t| code(&t.value)), 20)
        );
    }
}

fn owner_text(common: &Common) -> String {
    match &common.owner {
        Some(owner) => format!(" · owner {}", code(&owner.name)),
        None => String::new(),
    }
}

/// The Markdown card of a name.
pub fn card(plan: &Plan, namespace: EntityKind, name: &str) -> Option<String> {
    match namespace {
        EntityKind::Event => event_card(plan, name),
        EntityKind::Property | EntityKind::UserProperty => property_card(plan, namespace, name),
        EntityKind::Kpi => kpi_card(plan, name),
        EntityKind::Goal => goal_card(plan, name),
        EntityKind::Flow => flow_card(plan, name),
        EntityKind::Team => team_card(plan, name),
    }
}

fn undefined(noun: &str, name: &str) -> String {
    format!("### {name}\n*{noun}* — not defined in this plan")
}

fn event_card(plan: &Plan, name: &str) -> Option<String> {
    let Some(event) = plan.events().find(|e| e.name.text == name) else {
        return Some(undefined("event", name));
    };
    let mut out = format!("### {name}\n*event*");
    if let Some(status) = &event.status {
        let _ = write!(out, " · status `{}`", status.value.as_str());
    }
    out.push_str(&owner_text(&event.common));
    if !event.platforms.is_empty() {
        let _ = write!(
            out,
            " · {}",
            list(
                event.platforms.iter().map(|p| p.value.as_str().to_string()),
                10
            )
        );
    }
    common_lines(&mut out, &event.common);
    if !event.properties.is_empty() {
        let props = event.properties.iter().map(|p| {
            let (ty, inline) = match &p.kind {
                EventPropertyKind::Inline(def) => (def.ty.as_ref().map(|t| t.value), true),
                EventPropertyKind::Reference { .. } => (
                    plan.properties()
                        .find(|d| d.name.text == p.name.text)
                        .and_then(|d| d.ty.as_ref().map(|t| t.value)),
                    false,
                ),
            };
            let mut s = code(&p.name.text);
            if let Some(ty) = ty {
                let _ = write!(s, " {}", ty.as_str());
            }
            if p.is_required() {
                s.push_str(" required");
            }
            if inline {
                s.push_str(" (own)");
            }
            s
        });
        let _ = write!(
            out,
            "\n\n**Properties** ({}): {}",
            event.properties.len(),
            list(props, 25)
        );
    }
    let mut flows = Vec::new();
    let mut via_flows: Vec<String> = Vec::new();
    for flow in plan.flows() {
        let mut roles = Vec::new();
        if let Some(i) = flow.steps.iter().position(|s| s.name == name) {
            roles.push(format!("step {} of {}", i + 1, flow.steps.len()));
        }
        for alternative in &flow.alternatives {
            if alternative.steps.iter().any(|s| s.name == name) {
                roles.push(format!("path {}", code(&alternative.id.text)));
            }
        }
        if !roles.is_empty() {
            flows.push(format!("{} ({})", code(&flow.id.text), roles.join(", ")));
            via_flows.extend(flow.kpis.iter().map(|k| k.name.clone()));
        }
    }
    if !flows.is_empty() {
        let _ = write!(out, "\n\n**Flows**: {}", list(flows, 15));
    }
    let mut kpis: Vec<String> = event.kpis.iter().map(|k| code(&k.name)).collect();
    for kpi in via_flows {
        let shown = code(&kpi);
        if !kpis.contains(&shown) {
            kpis.push(format!("{shown} (via a flow)"));
        }
    }
    if !kpis.is_empty() {
        let _ = write!(out, "\n\n**KPIs**: {}", list(kpis, 15));
    }
    let identity = plan.identity();
    if identity.is_some_and(|i| i.identify.iter().any(|r| r.name == name)) {
        out.push_str("\n\nCalls `identify(user_id)` after this event.");
    }
    if identity.is_some_and(|i| i.reset.iter().any(|r| r.name == name)) {
        out.push_str("\n\nCalls `reset()` after this event.");
    }
    if let Some(replaced_by) = &event.replaced_by {
        let _ = write!(out, "\n\nReplaced by {}.", code(&replaced_by.name));
    }
    Some(out)
}

fn property_card(plan: &Plan, namespace: EntityKind, name: &str) -> Option<String> {
    let noun = namespace.noun();
    let def = match namespace {
        EntityKind::UserProperty => plan.user_properties().find(|d| d.name.text == name),
        _ => plan.properties().find(|d| d.name.text == name),
    };
    let Some(def) = def else {
        return Some(undefined(noun, name));
    };
    let mut out = format!("### {name}\n*{noun}*");
    if let Some(ty) = &def.ty {
        let _ = write!(out, " · type `{}`", ty.value.as_str());
        if let Some(Items::Type(items)) = &def.items {
            let _ = write!(out, " of `{}`", items.value.as_str());
        }
    }
    if def.is_pii() {
        out.push_str(" · **PII**");
    }
    if def.is_deprecated() {
        out.push_str(" · deprecated");
    }
    out.push_str(&owner_text(&def.common));
    common_lines(&mut out, &def.common);
    if let Some(values) = &def.enum_values {
        let _ = write!(
            out,
            "\n\n**Enum**: {}",
            list(values.iter().map(|v| code(&value_text(&v.value))), 30)
        );
    }
    if !def.examples.is_empty() {
        let _ = write!(
            out,
            "\n\n*Examples:* {}",
            list(def.examples.iter().map(|v| code(&value_text(&v.value))), 10)
        );
    }
    if let Some(pattern) = &def.pattern {
        let _ = write!(out, "\n\n*Pattern:* {}", code(&pattern.value));
    }
    if namespace == EntityKind::Property {
        let mut events = Vec::new();
        for event in plan.events() {
            if let Some(p) = event.properties.iter().find(|p| p.name.text == name) {
                if matches!(p.kind, EventPropertyKind::Reference { .. }) {
                    events.push(if p.is_required() {
                        format!("{} (required)", code(&event.name.text))
                    } else {
                        code(&event.name.text)
                    });
                }
            }
        }
        let is_super = plan.super_properties().any(|r| r.name == name);
        if is_super {
            out.push_str("\n\nA **super property**: sent with every event.");
        }
        if !events.is_empty() {
            let _ = write!(
                out,
                "\n\n**Used by {} event{}**: {}",
                events.len(),
                if events.len() == 1 { "" } else { "s" },
                list(events, 12)
            );
        }
    }
    Some(out)
}

/// A property defined inline in an event (a mapping with `type`), when its name is under the cursor.
fn inline_property_at(
    file: &trackplan_core::ParsedFile,
    offset: usize,
) -> Option<(&Event, &PropertyDef)> {
    file.part.events.iter().find_map(|event| {
        event.properties.iter().find_map(|p| match &p.kind {
            EventPropertyKind::Inline(def) if def.name.span.contains(offset) => {
                Some((event, &**def))
            }
            _ => None,
        })
    })
}

fn inline_property_card(event: &Event, def: &PropertyDef) -> String {
    let mut out = format!(
        "### {}\n*property of* {}",
        def.name.text,
        code(&event.name.text)
    );
    if let Some(ty) = &def.ty {
        let _ = write!(out, " · type `{}`", ty.value.as_str());
    }
    if def.required.as_ref().is_some_and(|r| r.value) {
        out.push_str(" · required");
    }
    if def.is_pii() {
        out.push_str(" · **PII**");
    }
    common_lines(&mut out, &def.common);
    if let Some(values) = &def.enum_values {
        let _ = write!(
            out,
            "\n\n**Enum**: {}",
            list(values.iter().map(|v| code(&value_text(&v.value))), 30)
        );
    }
    out
}

fn value_text(value: &Value) -> String {
    match value.to_json() {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

fn kpi_card(plan: &Plan, id: &str) -> Option<String> {
    let Some(kpi) = plan.kpis().find(|k| k.id.text == id) else {
        return Some(undefined("KPI", id));
    };
    let title = kpi.name.as_ref().map_or(id, |n| n.value.as_str());
    let mut out = format!("### {title}\n*KPI* {}", code(id));
    if let Some(priority) = &kpi.priority {
        let _ = write!(out, " · priority {}", priority.value);
        if priority.value == 1 {
            out.push_str(" (onboarding focus)");
        }
    }
    if let Some(goal) = &kpi.goal {
        let _ = write!(out, " · goal {}", code(&goal.name));
    }
    out.push_str(&owner_text(&kpi.common));
    if let Some(definition) = &kpi.definition {
        let _ = write!(out, "\n\n**Definition**: {}", definition.value.trim());
    }
    common_lines(&mut out, &kpi.common);
    let flows: Vec<&Flow> = plan
        .flows()
        .filter(|f| f.kpis.iter().any(|k| k.name == id))
        .collect();
    if !flows.is_empty() {
        let _ = write!(
            out,
            "\n\n**Flows**: {}",
            list(flows.iter().map(|f| code(&f.id.text)), 15)
        );
    }
    let mut events: Vec<String> = plan
        .events()
        .filter(|e| e.kpis.iter().any(|k| k.name == id))
        .map(|e| code(&e.name.text))
        .collect();
    for flow in &flows {
        for step in flow.all_steps() {
            let shown = code(&step.name);
            if !events.contains(&shown) {
                events.push(shown);
            }
        }
    }
    if !events.is_empty() {
        let _ = write!(out, "\n\n**Events**: {}", list(events, 20));
    }
    Some(out)
}

fn goal_card(plan: &Plan, id: &str) -> Option<String> {
    let Some(goal) = plan.goals().find(|g| g.id.text == id) else {
        return Some(undefined("goal", id));
    };
    let title = goal.name.as_ref().map_or(id, |n| n.value.as_str());
    let mut out = format!("### {title}\n*goal* {}", code(id));
    out.push_str(&owner_text(&goal.common));
    common_lines(&mut out, &goal.common);
    let kpis: Vec<String> = plan
        .kpis()
        .filter(|k| k.goal.as_ref().is_some_and(|g| g.name == id))
        .map(|k| code(&k.id.text))
        .collect();
    if !kpis.is_empty() {
        let _ = write!(out, "\n\n**KPIs**: {}", list(kpis, 20));
    }
    Some(out)
}

fn flow_card(plan: &Plan, id: &str) -> Option<String> {
    let Some(flow) = plan.flows().find(|f| f.id.text == id) else {
        return Some(undefined("flow", id));
    };
    let title = flow.name.as_ref().map_or(id, |n| n.value.as_str());
    let mut out = format!("### {title}\n*flow* {}", code(id));
    out.push_str(&owner_text(&flow.common));
    common_lines(&mut out, &flow.common);
    if !flow.kpis.is_empty() {
        let _ = write!(
            out,
            "\n\n**KPIs**: {}",
            list(flow.kpis.iter().map(|k| code(&k.name)), 15)
        );
    }
    if !flow.steps.is_empty() {
        let steps: Vec<String> = flow.steps.iter().map(|s| s.name.clone()).collect();
        let _ = write!(out, "\n\n**Steps**: {}", steps.join(" → "));
    }
    for alternative in &flow.alternatives {
        let steps: Vec<String> = alternative.steps.iter().map(|s| s.name.clone()).collect();
        let _ = write!(out, "\n\n*{}*: {}", alternative.id.text, steps.join(" → "));
    }
    Some(out)
}

fn team_card(plan: &Plan, id: &str) -> Option<String> {
    let Some(team) = plan.teams().find(|t| t.id.text == id) else {
        return Some(undefined("team", id));
    };
    let title = team.name.as_ref().map_or(id, |n| n.value.as_str());
    let mut out = format!("### {title}\n*team* {}", code(id));
    if let Some(contact) = &team.contact {
        let _ = write!(out, " · {}", contact.value);
    }
    common_lines(&mut out, &team.common);
    let owns = |c: &Common| c.owner.as_ref().is_some_and(|o| o.name == id);
    let events = plan.events().filter(|e| owns(&e.common)).count();
    let kpis = plan.kpis().filter(|k| owns(&k.common)).count();
    let flows = plan.flows().filter(|f| owns(&f.common)).count();
    let goals = plan.goals().filter(|g| owns(&g.common)).count();
    let _ = write!(
        out,
        "\n\n**Owns**: {events} events, {flows} flows, {kpis} KPIs, {goals} goals"
    );
    Some(out)
}
