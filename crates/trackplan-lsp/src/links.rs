//! Document links: each URL of a `links:` entry opens in the browser.

use crate::convert;
use crate::world::World;
use tower_lsp::lsp_types::{DocumentLink, DocumentLinkParams, Url};
use trackplan_core::ide::links;
use trackplan_core::Span;

/// A quoted scalar's span without its quotes: the link underlines the URL itself.
fn unquoted(text: &str, span: Span) -> Span {
    let written = text.as_bytes().get(span.start as usize..span.end as usize);
    match written {
        Some([open @ (b'"' | b'\''), .., close]) if open == close => Span {
            start: span.start + 1,
            end: span.end - 1,
            ..span
        },
        _ => span,
    }
}

pub fn document_links(world: &World, params: DocumentLinkParams) -> Option<Vec<DocumentLink>> {
    let unit = world.state().unit();
    let (analysis, id) = world.analysis_for(&params.text_document.uri)?;
    let file = analysis.plan.file(id)?;
    Some(
        links(file.whole_part())
            .into_iter()
            // A URL the reader rejected has a finding; only those that parse become links.
            .filter_map(|link| {
                let target = Url::parse(link.url.value.trim()).ok()?;
                Some(DocumentLink {
                    range: convert::range(
                        &file.source,
                        unquoted(&file.source.text, link.url.span),
                        unit,
                    ),
                    target: Some(target),
                    tooltip: Some(link.label.value.clone()),
                    data: None,
                })
            })
            .collect(),
    )
}
