//! Hover cards: what the plan says of an entity, and where it is linked from, in Markdown.
//!
//! Every kind of entity has a card ([`Card`]); [`card`] finds the entity of a kind by name and
//! shows its card, or says it is not defined.

use crate::model::*;
use crate::schema::entity_kinds;
use crate::span::Spanned;
use std::fmt::Write;

/// The Markdown card of one kind of entity.
trait Card {
    fn card(&self, kind: EntityKind, plan: &Plan) -> String;
}

macro_rules! card_of_kind {
    ($( $kind:ident => $section:ident, $ty:ident, $($rest:tt),*; )*) => {
        /// The Markdown card of the entity of a kind named `name` (the first definition, as
        /// everywhere); for a name the plan does not define, a card that says so.
        pub fn card(plan: &Plan, kind: EntityKind, name: &str) -> Option<String> {
            Some(match kind {
                $( EntityKind::$kind => match plan.$section().find(|e| e.name().text == name) {
                    Some(entity) => entity.card(kind, plan),
                    None => undefined(kind.noun(), name),
                }, )*
            })
        }
    };
}
entity_kinds!(card_of_kind);

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
    if !common.links.is_empty() {
        let links = common
            .links
            .iter()
            .map(|l| format!("[{}]({})", l.label.value, l.url.value));
        let _ = write!(out, "\n\n*Links:* {}", list(links, 10));
    }
}

/// The owners, each by the team's display name where the plan gives one (with its id), else by id.
fn owner_text(common: &Common, plan: &Plan) -> String {
    let owners: Vec<String> = common
        .owners()
        .map(|owner| {
            let team_name = plan
                .teams()
                .find(|t| t.id.text == owner.name)
                .and_then(|t| t.name.as_ref())
                .map(|n| n.value.trim())
                .filter(|n| !n.is_empty() && *n != owner.name);
            match team_name {
                Some(name) => format!("{name} ({})", code(&owner.name)),
                None => code(&owner.name),
            }
        })
        .collect();
    match owners.as_slice() {
        [] => String::new(),
        [one] => format!(" · owner {one}"),
        several => format!(" · owners {}", several.join(", ")),
    }
}

/// The entries of an event's or an object's `properties:`: name, type, required, own or from the
/// dictionary (empty when there are none).
fn entries_line(entries: &[EventProperty], plan: &Plan) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let props = entries.iter().map(|p| {
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
            let _ = write!(s, " {ty}");
        }
        if p.is_required() {
            s.push_str(" required");
        }
        if inline {
            s.push_str(" (own)");
        }
        s
    });
    format!(
        "\n\n**Properties** ({}): {}",
        entries.len(),
        list(props, 25)
    )
}

/// What the plan says of an entity's life and data: sensitivity, whether it is closed, expiry.
fn status_text(
    sensitivity: Option<&Spanned<Sensitivity>>,
    closed: bool,
    expires: Option<&Spanned<Date>>,
) -> String {
    let mut out = String::new();
    if let Some(sensitivity) = sensitivity {
        let _ = write!(out, " · sensitivity `{}`", sensitivity.value);
    }
    if closed {
        out.push_str(" · closed (no other properties)");
    }
    if let Some(expires) = expires {
        let _ = write!(out, " · expires {}", expires.value);
    }
    out
}

/// The limits a property's values keep, in one line (empty when it sets none).
fn constraints_line(def: &PropertyDef) -> String {
    let range = |low: Option<String>, high: Option<String>, unit: &str| match (low, high) {
        (Some(low), Some(high)) => Some(format!("{low} to {high}{unit}")),
        (Some(low), None) => Some(format!("at least {low}{unit}")),
        (None, Some(high)) => Some(format!("at most {high}{unit}")),
        (None, None) => None,
    };
    let text = |n: &Option<Spanned<i64>>| n.as_ref().map(|n| n.value.to_string());
    let number = |n: &Option<Spanned<f64>>| n.as_ref().map(|n| n.value.to_string());
    let mut parts: Vec<String> = Vec::new();
    parts.extend(range(number(&def.min), number(&def.max), ""));
    if let Some(step) = &def.multiple_of {
        parts.push(format!("multiples of {}", step.value));
    }
    parts.extend(range(
        text(&def.min_length),
        text(&def.max_length),
        " characters",
    ));
    if let Some(format) = &def.format {
        parts.push(format!("format `{}`", format.value));
    }
    parts.extend(range(text(&def.min_items), text(&def.max_items), " items"));
    if def.unique_items.as_ref().is_some_and(|u| u.value) {
        parts.push("unique items".into());
    }
    if def.is_nullable() {
        parts.push("may be `null`".into());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("\n\n*Values:* {}", parts.join(" · "))
    }
}

/// The heading of an entity keyed by an id: its display name, its noun and its id.
fn heading(kind: EntityKind, entity: &dyn Entity) -> String {
    let id = entity.name().text.as_str();
    let title = entity.display_name().map_or(id, |n| n.value.as_str());
    format!("### {title}\n*{}* {}", kind.noun(), code(id))
}

fn undefined(noun: &str, name: &str) -> String {
    format!("### {name}\n*{noun}* — not defined in this plan")
}

impl Card for Event {
    fn card(&self, _: EntityKind, plan: &Plan) -> String {
        let name = self.name.text.as_str();
        let mut out = format!("### {name}\n*event*");
        if let Some(status) = &self.status {
            let _ = write!(out, " · status `{}`", status.value.as_str());
        }
        out.push_str(&owner_text(&self.common, plan));
        let closed = self
            .additional_properties
            .as_ref()
            .map_or(plan.closed_by_default(), |a| !a.value);
        out.push_str(&status_text(
            self.sensitivity.as_ref(),
            closed,
            self.expires.as_ref(),
        ));
        if !self.platforms.is_empty() {
            let _ = write!(
                out,
                " · {}",
                list(
                    self.platforms.iter().map(|p| p.value.as_str().to_string()),
                    10
                )
            );
        }
        common_lines(&mut out, &self.common);
        out.push_str(&entries_line(&self.properties, plan));
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
        // Each KPI once: those the event names itself, then those of its flows (two flows serving
        // the same KPI name it once).
        let mut seen: Vec<&str> = Vec::new();
        let mut kpis: Vec<String> = Vec::new();
        for kpi in &self.kpis {
            if !seen.contains(&kpi.name.as_str()) {
                seen.push(&kpi.name);
                kpis.push(code(&kpi.name));
            }
        }
        for kpi in &via_flows {
            if !seen.contains(&kpi.as_str()) {
                seen.push(kpi);
                kpis.push(format!("{} (via a flow)", code(kpi)));
            }
        }
        if !kpis.is_empty() {
            let _ = write!(out, "\n\n**KPIs**: {}", list(kpis, 15));
        }
        let identity = plan.identity();
        if identity.is_some_and(|i| i.identify.iter().any(|r| r.name == name)) {
            out.push_str("\n\nCalls `identify(user_id)` after this self.");
        }
        if identity.is_some_and(|i| i.reset.iter().any(|r| r.name == name)) {
            out.push_str("\n\nCalls `reset()` after this self.");
        }
        if let Some(replaced_by) = &self.replaced_by {
            let _ = write!(out, "\n\nReplaced by {}.", code(&replaced_by.name));
        }
        out
    }
}

impl Card for PropertyDef {
    fn card(&self, namespace: EntityKind, plan: &Plan) -> String {
        let name = self.name.text.as_str();
        let noun = namespace.noun();
        let mut out = format!("### {name}\n*{noun}*");
        if let Some(ty) = &self.ty {
            let _ = write!(out, " · type `{}`", ty.value);
            if let Some(Items::Type(items)) = &self.items {
                let _ = write!(out, " of `{}`", items.value.as_str());
            }
        }
        if self.is_pii() {
            out.push_str(" · **PII**");
        }
        if self.is_deprecated() {
            out.push_str(" · deprecated");
        }
        out.push_str(&owner_text(&self.common, plan));
        definition_lines(&mut out, self, plan);
        if !self.examples.is_empty() {
            let _ = write!(
                out,
                "\n\n*Examples:* {}",
                list(
                    self.examples.iter().map(|v| code(&value_text(&v.value))),
                    10
                )
            );
        }
        if let Some(pattern) = &self.pattern {
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
        out
    }
}

/// A property defined inline in an event (a mapping with `type`), when its name is under the cursor.
pub fn inline_property_at(file: &ParsedFile, offset: usize) -> Option<(&Event, &PropertyDef)> {
    file.parts()
        .flat_map(|p| p.events.iter())
        .find_map(|event| {
            event.properties.iter().find_map(|p| match &p.kind {
                EventPropertyKind::Inline(def) if def.name.span.contains(offset) => {
                    Some((event, &**def))
                }
                _ => None,
            })
        })
}

/// An object whose `additional_properties` (or the plan's default) closes it.
fn is_closed_object(def: &PropertyDef, plan: &Plan) -> bool {
    let is_object = def
        .ty
        .as_ref()
        .is_some_and(|t| t.value.has(PropertyType::Object));
    is_object
        && def
            .additional_properties
            .as_ref()
            .map_or(plan.closed_by_default(), |a| !a.value)
}

pub fn inline_property_card(event: &Event, def: &PropertyDef, plan: &Plan) -> String {
    let mut out = format!(
        "### {}\n*property of* {}",
        def.name.text,
        code(&event.name.text)
    );
    if let Some(ty) = &def.ty {
        let _ = write!(out, " · type `{}`", ty.value);
    }
    if def.required.as_ref().is_some_and(|r| r.value) {
        out.push_str(" · required");
    }
    if def.is_pii() {
        out.push_str(" · **PII**");
    }
    definition_lines(&mut out, def, plan);
    out
}

/// What a property definition's card says after its heading line, wherever it is defined (the
/// dictionary or an event): sensitivity, closed, expiry, description and notes, constraints,
/// nested properties, enum.
fn definition_lines(out: &mut String, def: &PropertyDef, plan: &Plan) {
    out.push_str(&status_text(
        def.sensitivity.as_ref(),
        is_closed_object(def, plan),
        def.expires.as_ref(),
    ));
    common_lines(out, &def.common);
    out.push_str(&constraints_line(def));
    out.push_str(&entries_line(&def.properties, plan));
    if let Some(values) = &def.enum_values {
        let _ = write!(
            out,
            "\n\n**Enum**: {}",
            list(values.iter().map(|v| code(&value_text(&v.value))), 30)
        );
    }
}

fn value_text(value: &Value) -> String {
    match value.to_json() {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

impl Card for Kpi {
    fn card(&self, kind: EntityKind, plan: &Plan) -> String {
        let id = self.id.text.as_str();
        let mut out = heading(kind, self);
        if let Some(priority) = &self.priority {
            let _ = write!(out, " · priority {}", priority.value);
            if priority.value == 1 {
                out.push_str(" (onboarding focus)");
            }
        }
        if let Some(goal) = &self.goal {
            let _ = write!(out, " · goal {}", code(&goal.name));
        }
        out.push_str(&owner_text(&self.common, plan));
        if let Some(definition) = &self.definition {
            let _ = write!(out, "\n\n**Definition**: {}", definition.value.trim());
        }
        common_lines(&mut out, &self.common);
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
        out
    }
}

impl Card for Goal {
    fn card(&self, kind: EntityKind, plan: &Plan) -> String {
        let id = self.id.text.as_str();
        let mut out = heading(kind, self);
        out.push_str(&owner_text(&self.common, plan));
        common_lines(&mut out, &self.common);
        let kpis: Vec<String> = plan
            .kpis()
            .filter(|k| k.goal.as_ref().is_some_and(|g| g.name == id))
            .map(|k| code(&k.id.text))
            .collect();
        if !kpis.is_empty() {
            let _ = write!(out, "\n\n**KPIs**: {}", list(kpis, 20));
        }
        out
    }
}

impl Card for Flow {
    fn card(&self, kind: EntityKind, plan: &Plan) -> String {
        let mut out = heading(kind, self);
        out.push_str(&owner_text(&self.common, plan));
        common_lines(&mut out, &self.common);
        if !self.kpis.is_empty() {
            let _ = write!(
                out,
                "\n\n**KPIs**: {}",
                list(self.kpis.iter().map(|k| code(&k.name)), 15)
            );
        }
        if !self.steps.is_empty() {
            let steps: Vec<String> = self.steps.iter().map(|s| s.name.clone()).collect();
            let _ = write!(out, "\n\n**Steps**: {}", steps.join(" → "));
        }
        for alternative in &self.alternatives {
            let steps: Vec<String> = alternative.steps.iter().map(|s| s.name.clone()).collect();
            let _ = write!(out, "\n\n*{}*: {}", alternative.id.text, steps.join(" → "));
        }
        out
    }
}

impl Card for Team {
    fn card(&self, kind: EntityKind, plan: &Plan) -> String {
        let id = self.id.text.as_str();
        let mut out = heading(kind, self);
        if let Some(contact) = &self.contact {
            let _ = write!(out, " · {}", contact.value);
        }
        common_lines(&mut out, &self.common);
        let owns = |c: &Common| c.owner.as_ref().is_some_and(|o| o.name == id);
        let events = plan.events().filter(|e| owns(&e.common)).count();
        let kpis = plan.kpis().filter(|k| owns(&k.common)).count();
        let flows = plan.flows().filter(|f| owns(&f.common)).count();
        let goals = plan.goals().filter(|g| owns(&g.common)).count();
        let _ = write!(
            out,
            "\n\n**Owns**: {events} events, {flows} flows, {kpis} KPIs, {goals} goals"
        );
        out
    }
}
