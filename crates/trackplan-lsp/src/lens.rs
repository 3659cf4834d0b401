//! Code lenses: above each KPI, event and dictionary property, how much of the plan uses it
//! (`3 flows · 2 KPIs`, `used by 12 events`). Clicking one runs [`FIND_REFERENCES`] with the
//! document and the name's position: the editor's extension (VS Code) or plugin (Neovim) turns it
//! into the editor's own find-references there. The server does not execute the command itself.

use crate::convert;
use crate::world::World;
use serde_json::json;
use tower_lsp::lsp_types::{CodeLens, CodeLensParams, Command};
use trackplan_core::ide::lenses;

/// The command a lens carries: arguments are the document's URI and the name's position.
pub const FIND_REFERENCES: &str = "trackplan.findReferences";

pub fn code_lenses(world: &World, params: CodeLensParams) -> Option<Vec<CodeLens>> {
    let unit = world.state().unit();
    let uri = params.text_document.uri;
    let (analysis, id) = world.analysis_for(&uri)?;
    let file = analysis.plan.file(id)?;
    Some(
        lenses(&analysis.plan, id)
            .into_iter()
            .map(|lens| {
                let range = convert::range(&file.source, lens.span, unit);
                CodeLens {
                    range,
                    command: Some(Command {
                        title: lens.title,
                        command: FIND_REFERENCES.into(),
                        arguments: Some(vec![json!(uri), json!(range.start)]),
                    }),
                    data: None,
                }
            })
            .collect(),
    )
}
