//! Rename with prepareRename: an event, KPI, goal, flow, property or team, at its definition and
//! every reference across the plan's files. The edits replace the names alone: comments, quoting
//! style and layout stay; a new name that YAML would misread is quoted.

use crate::convert;
use crate::world::{Analysis, World};
use std::collections::HashMap;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::{
    PrepareRenameResponse, RenameParams, TextDocumentPositionParams, TextEdit, Url, WorkspaceEdit,
};
use trackplan_core::{ColumnUnit, Edit};

pub fn prepare(
    world: &World,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some(at) = convert::at(world, &params.text_document.uri, params.position) else {
        return Ok(None);
    };
    let Some(occurrence) = at.occurrence() else {
        return Ok(None);
    };
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(&at.parsed().source, occurrence.span, at.unit),
        placeholder: occurrence.name.to_string(),
    }))
}

pub fn rename(world: &World, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let pos = params.text_document_position;
    let Some(at) = convert::at(world, &pos.text_document.uri, pos.position) else {
        return Ok(None);
    };
    let Some(occurrence) = at.occurrence() else {
        return Err(Error::invalid_params("there is no name to rename here"));
    };
    let new_name = params.new_name;
    if new_name.trim().is_empty() {
        return Err(Error::invalid_params("a name cannot be empty"));
    }
    if new_name.contains(['\n', '\r']) {
        return Err(Error::invalid_params("a name cannot span lines"));
    }
    if *new_name == *occurrence.name {
        return Ok(Some(WorkspaceEdit::default()));
    }
    let symbols = at.analysis.symbols();
    if symbols
        .definitions(occurrence.namespace, &new_name)
        .next()
        .is_some()
    {
        return Err(Error::invalid_params(format!(
            "the plan already defines the {} `{new_name}`",
            occurrence.namespace.noun()
        )));
    }
    let edits = symbols.rename_edits(
        &at.analysis.plan,
        occurrence.namespace,
        &occurrence.name,
        &new_name,
    );
    Ok(Some(workspace_edit(&at.analysis, &edits, at.unit)))
}

/// The core's edits (spans in the analysed files) as a workspace edit.
pub fn workspace_edit(analysis: &Analysis, edits: &[Edit], unit: ColumnUnit) -> WorkspaceEdit {
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for edit in edits {
        let (Some(file), Some(uri)) = (
            analysis.plan.file(edit.span.file),
            analysis.uri(edit.span.file),
        ) else {
            continue;
        };
        changes.entry(uri.clone()).or_default().push(TextEdit {
            range: convert::range(&file.source, edit.span, unit),
            new_text: edit.new_text.clone(),
        });
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}
