//! `markdown`: the plan as a data dictionary for a wiki: goals and KPIs, flows, identity, every
//! event with its properties in a table, the super properties, the user properties and the teams.

use crate::left_out::LeftOut;
use crate::text::examples;
use crate::view::{Prop, View};
use std::fmt::Write as _;
use trackplan_core::model::{Common, Items};

pub fn write(view: &View) -> (Vec<u8>, Vec<LeftOut>) {
    let mut out = String::new();
    let plan = view.plan;
    let _ = writeln!(out, "# {}\n", escape(view.title()));
    if let Some(description) = &view.description {
        let _ = writeln!(out, "{}\n", escape(description));
    }
    let mut goals: Vec<_> = plan.goals().collect();
    goals.sort_by(|a, b| a.id.text.cmp(&b.id.text));
    if !goals.is_empty() {
        out.push_str("## Goals\n\n");
        for goal in goals {
            let name = goal.name.as_ref().map_or("", |n| n.value.as_str());
            let _ = writeln!(out, "### {} (`{}`)\n", escape(name), goal.id.text);
            common(&mut out, &goal.common);
        }
    }
    let mut kpis: Vec<_> = plan.kpis().collect();
    kpis.sort_by(|a, b| a.id.text.cmp(&b.id.text));
    if !kpis.is_empty() {
        out.push_str("## KPIs\n\n");
        for kpi in kpis {
            let name = kpi.name.as_ref().map_or("", |n| n.value.as_str());
            let _ = writeln!(out, "### {} (`{}`)\n", escape(name), kpi.id.text);
            if let Some(goal) = &kpi.goal {
                let _ = writeln!(out, "- Goal: `{}`", goal.name);
            }
            if let Some(definition) = &kpi.definition {
                let _ = writeln!(out, "- Definition: {}", escape(&definition.value));
            }
            if let Some(priority) = &kpi.priority {
                let _ = writeln!(out, "- Priority: {}", priority.value);
            }
            common(&mut out, &kpi.common);
        }
    }
    let mut flows: Vec<_> = plan.flows().collect();
    flows.sort_by(|a, b| a.id.text.cmp(&b.id.text));
    if !flows.is_empty() {
        out.push_str("## Flows\n\n");
        for flow in flows {
            let name = flow.name.as_ref().map_or("", |n| n.value.as_str());
            let _ = writeln!(out, "### {} (`{}`)\n", escape(name), flow.id.text);
            if !flow.kpis.is_empty() {
                let _ = writeln!(out, "- KPIs: {}", codes(flow.kpis.iter().map(|k| &*k.name)));
            }
            if !flow.steps.is_empty() {
                let _ = writeln!(
                    out,
                    "- Steps: {}",
                    steps(flow.steps.iter().map(|s| &*s.name))
                );
            }
            for alternative in &flow.alternatives {
                let _ = writeln!(
                    out,
                    "- Alternative `{}`: {}",
                    alternative.id.text,
                    steps(alternative.steps.iter().map(|s| &*s.name))
                );
            }
            common(&mut out, &flow.common);
        }
    }
    if let Some(identity) = plan.identity() {
        if identity.id_merge.is_some()
            || !identity.identify.is_empty()
            || !identity.reset.is_empty()
        {
            out.push_str("## Identity\n\n");
            if let Some(id_merge) = &identity.id_merge {
                let _ = writeln!(out, "- ID merge: {}", id_merge.value.as_str());
            }
            if !identity.identify.is_empty() {
                let names = identity.identify.iter().map(|r| &*r.name);
                let _ = writeln!(out, "- Identify after: {}", codes(names));
            }
            if !identity.reset.is_empty() {
                let _ = writeln!(
                    out,
                    "- Reset after: {}",
                    codes(identity.reset.iter().map(|r| &*r.name))
                );
            }
            if let Some(notes) = &identity.notes {
                let _ = writeln!(out, "- Notes: {}", escape(&notes.value));
            }
            out.push('\n');
        }
    }
    if !view.events.is_empty() {
        out.push_str("## Events\n\n");
    }
    for event in &view.events {
        let _ = writeln!(out, "### {}\n", escape(&event.name.text));
        if let Some(status) = &event.status {
            let _ = writeln!(out, "- Status: {}", status.value.as_str());
        }
        if let Some(replaced_by) = &event.replaced_by {
            let _ = writeln!(out, "- Replaced by: `{}`", replaced_by.name);
        }
        if !event.platforms.is_empty() {
            let platforms: Vec<&str> = event.platforms.iter().map(|p| p.value.as_str()).collect();
            let _ = writeln!(out, "- Platforms: {}", platforms.join(", "));
        }
        if !event.kpis.is_empty() {
            let _ = writeln!(
                out,
                "- KPIs: {}",
                codes(event.kpis.iter().map(|k| &*k.name))
            );
        }
        if let Some(sensitivity) = &event.sensitivity {
            let _ = writeln!(out, "- Sensitivity: {}", sensitivity.value.as_str());
        }
        if let Some(expires) = &event.expires {
            let _ = writeln!(out, "- Expires: {}", expires.value);
        }
        let closed = view.event_is_closed(event);
        if closed {
            out.push_str("- Closed: nothing may be sent beyond the properties below\n");
        }
        common(&mut out, &event.common);
        let props = view.event_properties(event);
        properties_table(&mut out, &props);
    }
    if !view.super_properties.is_empty() {
        out.push_str("## Super properties\n\nSent with every event.\n\n");
        let props: Vec<Prop> = view.super_properties.iter().map(|d| Prop::of(d)).collect();
        properties_table(&mut out, &props);
    }
    if !view.user_properties.is_empty() {
        out.push_str("## User properties\n\n");
        let props: Vec<Prop> = view.user_properties.iter().map(|d| Prop::of(d)).collect();
        properties_table(&mut out, &props);
    }
    let mut teams: Vec<_> = plan.teams().collect();
    teams.sort_by(|a, b| a.id.text.cmp(&b.id.text));
    if !teams.is_empty() {
        out.push_str("## Teams\n\n");
        for team in teams {
            let name = team.name.as_ref().map_or("", |n| n.value.as_str());
            let _ = writeln!(out, "### {} (`{}`)\n", escape(name), team.id.text);
            if let Some(contact) = &team.contact {
                let _ = writeln!(out, "- Contact: {}", escape(&contact.value));
            }
            common(&mut out, &team.common);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    (out.into_bytes(), Vec::new())
}

/// Owner, tags, links, description and notes of any entity, then a blank line.
fn common(out: &mut String, common: &Common) {
    let owners: Vec<&str> = View::owner_ids(common);
    if !owners.is_empty() {
        let _ = writeln!(out, "- Owner: {}", codes(owners.into_iter()));
    }
    if !common.tags.is_empty() {
        let _ = writeln!(
            out,
            "- Tags: {}",
            codes(common.tags.iter().map(|t| &*t.value))
        );
    }
    for link in &common.links {
        let _ = writeln!(out, "- [{}]({})", escape(&link.label.value), link.url.value);
    }
    if let Some(description) = &common.description {
        let _ = writeln!(out, "\n{}", escape(&description.value));
    }
    if let Some(notes) = &common.notes {
        let _ = writeln!(out, "\n> {}", escape(&notes.value).replace('\n', "\n> "));
    }
    out.push('\n');
}

fn properties_table(out: &mut String, props: &[Prop]) {
    if props.is_empty() {
        return;
    }
    out.push_str("| Property | Type | Required | Description | Values |\n|---|---|---|---|---|\n");
    for prop in props {
        row(out, "", prop);
    }
    out.push('\n');
}

fn row(out: &mut String, prefix: &str, prop: &Prop) {
    let def = prop.def;
    let ty = def
        .ty
        .as_ref()
        .map(|t| t.value.to_string())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "| {}`{}` | {} | {} | {} | {} |",
        prefix,
        cell(prop.name).replace('|', "\\|"),
        cell(&ty),
        if prop.required { "yes" } else { "no" },
        cell(&escape(prop.description().unwrap_or_default())),
        cell(&values(prop).replace('|', "\\|"))
    );
}

/// Everything the plan says about a property's values, in one cell.
fn values(prop: &Prop) -> String {
    let def = prop.def;
    let mut parts: Vec<String> = Vec::new();
    if let Some(values) = prop.enum_values() {
        parts.push(format!("one of {}", examples(&values)));
    }
    if def.is_nullable() {
        parts.push("may be null".into());
    }
    if let Some(format) = &def.format {
        parts.push(format!("format {}", format.value.as_str()));
    }
    if let Some(pattern) = &def.pattern {
        parts.push(format!("matches `{}`", pattern.value));
    }
    let bounds = [
        ("min", def.min.as_ref().map(|v| v.value.to_string())),
        ("max", def.max.as_ref().map(|v| v.value.to_string())),
        (
            "multiple of",
            def.multiple_of.as_ref().map(|v| v.value.to_string()),
        ),
        (
            "min length",
            def.min_length.as_ref().map(|v| v.value.to_string()),
        ),
        (
            "max length",
            def.max_length.as_ref().map(|v| v.value.to_string()),
        ),
        (
            "min items",
            def.min_items.as_ref().map(|v| v.value.to_string()),
        ),
        (
            "max items",
            def.max_items.as_ref().map(|v| v.value.to_string()),
        ),
    ];
    for (label, value) in bounds {
        if let Some(value) = value {
            parts.push(format!("{label} {value}"));
        }
    }
    if def.unique_items.as_ref().is_some_and(|u| u.value) {
        parts.push("unique items".into());
    }
    match &def.items {
        Some(Items::Type(ty)) => parts.push(format!("items: {}", ty.value.as_str())),
        Some(Items::Definition(items)) => parts.push(format!(
            "items: {} {}",
            items
                .ty
                .as_ref()
                .map(|t| t.value.to_string())
                .unwrap_or_default(),
            nested_names(&items.properties)
        )),
        None => {}
    }
    if !def.properties.is_empty() {
        parts.push(format!("properties {}", nested_names(&def.properties)));
    }
    if def.is_pii() {
        parts.push("personal data".into());
    } else if def.pii.as_ref().is_some_and(|p| !p.value) {
        parts.push("not personal data".into());
    }
    if let Some(sensitivity) = &def.sensitivity {
        parts.push(format!("sensitivity {}", sensitivity.value.as_str()));
    }
    if def.is_deprecated() {
        parts.push("deprecated".into());
    }
    if let Some(replaced_by) = &def.replaced_by {
        parts.push(format!("replaced by `{}`", replaced_by.name));
    }
    if let Some(expires) = &def.expires {
        parts.push(format!("expires {}", expires.value));
    }
    let examples_of = prop.examples();
    if !examples_of.is_empty() {
        parts.push(format!("e.g. {}", examples(&examples_of)));
    }
    if let Some(notes) = prop.notes() {
        parts.push(format!("note: {notes}"));
    }
    parts.join("; ")
}

fn nested_names(entries: &[trackplan_core::model::EventProperty]) -> String {
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            let mark = if e.is_required() { "" } else { "?" };
            format!("`{}`{mark}", e.name.text)
        })
        .collect();
    format!("{{{}}}", names.join(", "))
}

fn codes<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn steps<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Text that Markdown would otherwise read as markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A table cell holds one line.
fn cell(text: &str) -> String {
    text.replace('\n', " ")
}
