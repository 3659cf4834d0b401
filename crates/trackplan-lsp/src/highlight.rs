//! Document highlight: the definition and every reference of the name under the cursor, in this
//! file.

use crate::convert;
use crate::world::World;
use tower_lsp::lsp_types::{DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams};

pub fn highlight(world: &World, params: DocumentHighlightParams) -> Option<Vec<DocumentHighlight>> {
    let pos = params.text_document_position_params;
    let at = convert::at(world, &pos.text_document.uri, pos.position)?;
    let occurrence = at.occurrence()?;
    let source = &at.parsed().source;
    let highlights = at
        .analysis
        .symbols()
        .occurrences(occurrence.namespace, &occurrence.name)
        .filter(|o| o.span.file == at.file)
        .map(|o| DocumentHighlight {
            range: convert::range(source, o.span, at.unit),
            kind: Some(if o.is_definition() {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        })
        .collect();
    Some(highlights)
}
