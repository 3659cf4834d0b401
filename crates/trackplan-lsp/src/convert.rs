//! Conversions between the core's byte spans and LSP positions, in the negotiated encoding.

use tower_lsp::lsp_types::{Location, Position, Range};
use trackplan_core::{ColumnUnit, LineCol, ParsedFile, SourceFile, Span};

use crate::world::Analysis;

pub fn offset(file: &SourceFile, pos: Position, unit: ColumnUnit) -> usize {
    file.lines().offset(
        &file.text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        unit,
    )
}

pub fn position(file: &SourceFile, offset: usize, unit: ColumnUnit) -> Position {
    let lc = file.lines().line_col(&file.text, offset, unit);
    Position::new(lc.line, lc.col)
}

pub fn range(file: &SourceFile, span: Span, unit: ColumnUnit) -> Range {
    Range::new(
        position(file, span.start as usize, unit),
        position(file, span.end as usize, unit),
    )
}

/// The file of the analysis a span points into.
pub fn file_of(analysis: &Analysis, span: Span) -> Option<&ParsedFile> {
    analysis.plan.file(span.file)
}

pub fn location(analysis: &Analysis, span: Span, unit: ColumnUnit) -> Option<Location> {
    let file = file_of(analysis, span)?;
    let uri = analysis.uri(span.file)?.clone();
    Some(Location::new(uri, range(&file.source, span, unit)))
}

/// A cursor in a file of an analysed plan.
pub struct At {
    pub analysis: std::sync::Arc<Analysis>,
    pub file: trackplan_core::FileId,
    pub offset: usize,
    pub unit: ColumnUnit,
}

impl At {
    pub fn parsed(&self) -> &ParsedFile {
        self.analysis
            .plan
            .file(self.file)
            .expect("the cursor's file is in its analysis")
    }

    /// The name under the cursor, if any.
    pub fn occurrence(&self) -> Option<&trackplan_core::Occurrence> {
        self.analysis.symbols().at(self.file, self.offset)
    }
}

/// The analysis of the document at `uri`, made for its current text, and the cursor's offset.
pub fn at(
    world: &crate::world::World,
    uri: &tower_lsp::lsp_types::Url,
    pos: Position,
) -> Option<At> {
    let unit = world.state().unit();
    let (analysis, file) = world.analysis_for(uri)?;
    let parsed = analysis.plan.file(file)?;
    let offset = offset(&parsed.source, pos, unit);
    Some(At {
        analysis,
        file,
        offset,
        unit,
    })
}
