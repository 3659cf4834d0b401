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
use trackplan_core::ide;
use trackplan_core::model::EntityKind;
use trackplan_core::rules::RuleName;
use trackplan_core::Edit;

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

/// The edit that adds a stub definition of `name` to the file that holds most definitions of its
/// kind.
pub fn stub(
    analysis: &Analysis,
    kind: EntityKind,
    name: &str,
    fallback: trackplan_core::FileId,
) -> Option<Edit> {
    let target = ide::stub_target(&analysis.plan, kind, fallback)?;
    ide::stub_edit(target, &analysis.tree(target), kind, name)
}
