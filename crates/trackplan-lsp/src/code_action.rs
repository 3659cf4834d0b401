//! Code actions: the fixes the core attaches to diagnostics (the "did you mean" of
//! `unknown-reference` and `unknown-key`, the case-convention renames of `event-name-case` and
//! `property-name-case`, which rename every reference too), and a stub definition for an undefined
//! event, property or KPI, added to the file that holds most of that section, indented like its
//! siblings. Every inserted name is quoted when YAML needs it.

use crate::convert;
use crate::diagnostics::to_lsp;
use crate::rename::workspace_edit;
use crate::world::{Analysis, World};
use tower_lsp::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
};
use trackplan_core::model::EntityKind;
use trackplan_core::rules::RuleName;
use trackplan_core::syntax::{quote_if_needed, NodeKind};
use trackplan_core::{Edit, ParsedFile, Span};

pub fn code_actions(world: &World, params: CodeActionParams) -> Option<CodeActionResponse> {
    // Every action here is a quick fix: a client asking only for other kinds (`source`,
    // `refactor`) gets none, as the protocol's `only` filter says.
    if let Some(only) = &params.context.only {
        let quickfix = CodeActionKind::QUICKFIX;
        let quickfix = quickfix.as_str();
        let wanted = only.iter().any(|kind| {
            let kind = kind.as_str();
            kind.is_empty() || quickfix == kind || quickfix.starts_with(&format!("{kind}."))
        });
        if !wanted {
            return Some(Vec::new());
        }
    }
    let at = convert::at(world, &params.text_document.uri, params.range.start)?;
    let source = &at.parsed().source;
    let end = convert::offset(source, params.range.end, at.unit).max(at.offset);
    let config = world.state().config.clone();
    let mut actions = Vec::new();
    for d in at.analysis.diagnostics() {
        if d.span.file != at.file
            || (d.span.end as usize) < at.offset
            || (d.span.start as usize) > end
        {
            continue;
        }
        let lsp = to_lsp(&at.analysis, d, at.unit, &config);
        if let Some(fix) = &d.fix {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: lsp.clone().map(|l| vec![l]),
                edit: Some(workspace_edit(&at.analysis, &fix.edits, at.unit)),
                is_preferred: Some(true),
                ..Default::default()
            }));
        }
        if d.rule == RuleName::UnknownReference {
            let Some(occurrence) = at.analysis.symbols().at(d.span.file, d.span.start as usize)
            else {
                continue;
            };
            if occurrence.span != d.span {
                continue;
            }
            let namespace = occurrence.namespace;
            if !matches!(
                namespace,
                EntityKind::Event | EntityKind::Property | EntityKind::Kpi
            ) {
                continue;
            }
            if let Some(edit) = stub(&at.analysis, namespace, &occurrence.name, at.file) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Define {} `{}`", namespace.noun(), occurrence.name),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: lsp.map(|l| vec![l]),
                    edit: Some(workspace_edit(&at.analysis, &[edit], at.unit)),
                    is_preferred: Some(d.fix.is_none()),
                    ..Default::default()
                }));
            }
        }
    }
    Some(actions)
}

/// How many definitions of a namespace a file holds.
fn count(file: &ParsedFile, namespace: EntityKind) -> usize {
    let part = &file.part;
    match namespace {
        EntityKind::Event => part.events.len(),
        EntityKind::Property => part.properties.len(),
        EntityKind::Kpi => part.kpis.len(),
        _ => 0,
    }
}

/// The lines of a stub definition, relative to the entry's indentation (`step` more for fields).
fn stub_lines(namespace: EntityKind, name: &str) -> Vec<(usize, String)> {
    let key = format!("{}:", quote_if_needed(name));
    match namespace {
        EntityKind::Event => vec![
            (0, key),
            (
                1,
                "description: TODO say when exactly this event is sent".into(),
            ),
            (1, "status: proposed".into()),
        ],
        EntityKind::Property => vec![
            (0, key),
            (1, "type: string".into()),
            (1, "description: TODO say what this property holds".into()),
        ],
        _ => {
            let title = trackplan_core::case::convert(name, trackplan_core::model::Case::Title);
            let title = if title.is_empty() {
                name.to_string()
            } else {
                title
            };
            vec![
                (0, key),
                (1, format!("name: {}", quote_if_needed(&title))),
                (1, "definition: TODO numerator / denominator, window".into()),
            ]
        }
    }
}

/// The edit that adds a stub definition of `name`.
pub fn stub(
    analysis: &Analysis,
    namespace: EntityKind,
    name: &str,
    fallback: trackplan_core::FileId,
) -> Option<Edit> {
    let plan = &analysis.plan;
    let mut target: Option<&ParsedFile> = None;
    for file in &plan.files {
        if count(file, namespace) > target.map_or(0, |t| count(t, namespace)) {
            target = Some(file);
        }
    }
    let target = target
        .or_else(|| plan.root_file())
        .or_else(|| plan.file(fallback))?;
    let text = &target.source.text;
    let lines = target.source.lines();
    let column = |offset: usize| offset - lines.line_start(lines.line_of(offset));
    let section = namespace.section();
    let line_break = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let tree = analysis.tree(target);
    let entry = tree
        .root
        .as_ref()
        .and_then(|root| root.as_mapping())
        .and_then(|entries| entries.iter().find(|e| e.key_str() == Some(section)));
    let render = |indent: usize, step: usize| -> String {
        stub_lines(namespace, name)
            .into_iter()
            .map(|(level, line)| format!("{}{line}", " ".repeat(indent + level * step)))
            .collect::<Vec<_>>()
            .join(line_break)
    };
    match entry {
        Some(entry) => match &entry.value.kind {
            NodeKind::Mapping(entries) if !entries.is_empty() => {
                if text[entry.value.span.range()].starts_with('{') {
                    return None;
                }
                let first = &entries[0];
                let indent = column(first.key.span.start as usize);
                let step = match first.value.as_mapping() {
                    Some([inner, ..]) if !text[first.value.span.range()].starts_with('{') => {
                        column(inner.key.span.start as usize)
                            .saturating_sub(indent)
                            .max(1)
                    }
                    _ => 2,
                };
                let last = entries.last()?;
                let end = (last.span().end as usize).max(1) - 1;
                let line = lines.line_of(end);
                let at = lines.line_range(text, line).end;
                Some(Edit {
                    span: Span::new(target.id(), at, at),
                    new_text: format!("{line_break}{}", render(indent, step)),
                })
            }
            _ if entry.value.is_empty_scalar() => {
                let indent = column(entry.key.span.start as usize) + 2;
                let line = lines.line_of(entry.key.span.start as usize);
                let at = lines.line_range(text, line).end;
                Some(Edit {
                    span: Span::new(target.id(), at, at),
                    new_text: format!("{line_break}{}", render(indent, 2)),
                })
            }
            _ => None,
        },
        None => {
            let at = text.len();
            let lead = if text.is_empty() || text.ends_with(['\n', '\r']) {
                ""
            } else {
                line_break
            };
            Some(Edit {
                span: Span::new(target.id(), at, at),
                new_text: format!("{lead}{section}:{line_break}{}{line_break}", render(2, 2)),
            })
        }
    }
}
