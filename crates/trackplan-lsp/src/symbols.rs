//! Document symbols (the file's outline, by section) and workspace symbols (every definition of
//! every plan, filtered by a fuzzy query).

use crate::convert;
use crate::world::World;
use tower_lsp::lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolInformation, SymbolKind,
    WorkspaceSymbolParams,
};
use trackplan_core::ide::{outline, OutlineItem, OutlineKind};
use trackplan_core::model::EntityKind;
use trackplan_core::{ColumnUnit, SourceFile};

fn kind_of(kind: EntityKind) -> SymbolKind {
    symbol_kind(kind.info().symbol)
}

fn symbol_kind(kind: trackplan_core::schema::SymbolKind) -> SymbolKind {
    use trackplan_core::schema::SymbolKind as Core;
    match kind {
        Core::Event => SymbolKind::EVENT,
        Core::Property => SymbolKind::PROPERTY,
        Core::Constant => SymbolKind::CONSTANT,
        Core::Object => SymbolKind::OBJECT,
        Core::Function => SymbolKind::FUNCTION,
        Core::Struct => SymbolKind::STRUCT,
    }
}

fn outline_kind(kind: OutlineKind) -> SymbolKind {
    match kind {
        OutlineKind::Section => SymbolKind::NAMESPACE,
        OutlineKind::List => SymbolKind::ARRAY,
        OutlineKind::Key => SymbolKind::KEY,
        OutlineKind::Entity(kind) => symbol_kind(kind),
        OutlineKind::Field => SymbolKind::FIELD,
    }
}

#[allow(deprecated)]
fn symbol(source: &SourceFile, unit: ColumnUnit, item: OutlineItem) -> DocumentSymbol {
    let range = if item.range.contains_span(item.selection) {
        item.range
    } else {
        item.selection
    };
    let children: Vec<DocumentSymbol> = item
        .children
        .into_iter()
        .map(|child| symbol(source, unit, child))
        .collect();
    DocumentSymbol {
        name: if item.name.is_empty() {
            "\"\"".into()
        } else {
            item.name
        },
        detail: item.detail,
        kind: outline_kind(item.kind),
        tags: None,
        deprecated: None,
        range: convert::range(source, range, unit),
        selection_range: convert::range(source, item.selection, unit),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn document_symbols(
    world: &World,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let unit = world.state().unit();
    let (analysis, id) = world.analysis_for(&params.text_document.uri)?;
    let file = analysis.plan.file(id)?;
    let tree = analysis.tree(file);
    tree.root.as_ref()?;
    let symbols = outline(file.whole_part(), &tree)
        .into_iter()
        .map(|item| symbol(&file.source, unit, item))
        .collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

/// Whether the letters of `query` appear in `name` in order, ignoring case.
fn fuzzy(query: &str, name: &str) -> bool {
    let mut name = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .all(|q| name.any(|c| c == q))
}

const LIMIT: usize = 500;

#[allow(deprecated)]
pub fn workspace_symbols(
    world: &World,
    params: WorkspaceSymbolParams,
) -> Option<Vec<SymbolInformation>> {
    let unit = world.state().unit();
    let plans = world.state().plans.len();
    let mut out = Vec::new();
    for plan in 0..plans {
        let Some(analysis) = world.analysis(plan) else {
            continue;
        };
        for o in analysis.symbols().all() {
            if !o.is_definition() || o.inline || !fuzzy(&params.query, &o.name) {
                continue;
            }
            let Some(location) = convert::location(&analysis, o.span, unit) else {
                continue;
            };
            out.push(SymbolInformation {
                name: o.name.to_string(),
                kind: kind_of(o.namespace),
                tags: None,
                deprecated: None,
                location,
                container_name: Some(o.namespace.section().to_string()),
            });
            if out.len() >= LIMIT {
                return Some(out);
            }
        }
    }
    Some(out)
}
