//! Folding ranges (each top-level key, each entity, each property of an event) and selection ranges
//! (from the name under the cursor out to its property, entity, section and the whole file), both
//! from the file's outline.

use crate::convert;
use crate::world::World;
use tower_lsp::lsp_types::{
    FoldingRange, FoldingRangeKind, FoldingRangeParams, SelectionRange, SelectionRangeParams,
};
use trackplan_core::ide::{outline, OutlineItem};
use trackplan_core::{ColumnUnit, SourceFile, Span};

pub fn folding_ranges(world: &World, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let unit = world.state().unit();
    let (analysis, id) = world.analysis_for(&params.text_document.uri)?;
    let file = analysis.plan.file(id)?;
    let tree = analysis.tree(file);
    let mut out = Vec::new();
    let mut stack: Vec<OutlineItem> = outline(file.whole_part(), &tree);
    while let Some(item) = stack.pop() {
        let range = convert::range(&file.source, item.range, unit);
        // What spans one line has nothing to fold.
        if range.end.line > range.start.line {
            out.push(FoldingRange {
                start_line: range.start.line,
                start_character: None,
                end_line: range.end.line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: Some(item.name.clone()),
            });
        }
        stack.extend(item.children);
    }
    out.sort_by_key(|r| (r.start_line, std::cmp::Reverse(r.end_line)));
    Some(out)
}

pub fn selection_ranges(
    world: &World,
    params: SelectionRangeParams,
) -> Option<Vec<SelectionRange>> {
    let unit = world.state().unit();
    let (analysis, id) = world.analysis_for(&params.text_document.uri)?;
    let file = analysis.plan.file(id)?;
    let tree = analysis.tree(file);
    let items = outline(file.whole_part(), &tree);
    let whole = Span::new(id, 0, file.source.text.len());
    Some(
        params
            .positions
            .into_iter()
            .map(|position| {
                let offset = convert::offset(&file.source, position, unit);
                // From the outside in: the file, then each outline item holding the cursor.
                let mut spans = vec![whole];
                let mut level: &[OutlineItem] = &items;
                while let Some(item) = level.iter().find(|i| holds(i.range, offset)) {
                    spans.push(item.range);
                    if item.selection.start as usize <= offset
                        && offset <= item.selection.end as usize
                        && item.children.iter().all(|c| !holds(c.range, offset))
                    {
                        spans.push(item.selection);
                    }
                    level = &item.children;
                }
                spans.dedup();
                chain(&file.source, unit, &spans, position)
            })
            .collect(),
    )
}

fn holds(span: Span, offset: usize) -> bool {
    span.start as usize <= offset && offset <= span.end as usize
}

/// The selection range of the innermost span, each parent the span around it. A cursor outside
/// every span (past the end of the text) gets an empty range there.
fn chain(
    source: &SourceFile,
    unit: ColumnUnit,
    spans: &[Span],
    position: tower_lsp::lsp_types::Position,
) -> SelectionRange {
    let mut current: Option<SelectionRange> = None;
    for span in spans {
        current = Some(SelectionRange {
            range: convert::range(source, *span, unit),
            parent: current.map(Box::new),
        });
    }
    current.unwrap_or(SelectionRange {
        range: tower_lsp::lsp_types::Range::new(position, position),
        parent: None,
    })
}
