//! Document symbols (the file's outline, by section) and workspace symbols (every definition of
//! every plan, filtered by a fuzzy query).

use crate::convert;
use crate::world::World;
use tower_lsp::lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolInformation, SymbolKind,
    WorkspaceSymbolParams,
};
use trackplan_core::model::*;
use trackplan_core::{ColumnUnit, SourceFile, Span};

fn kind_of(namespace: Namespace) -> SymbolKind {
    match namespace {
        Namespace::Event => SymbolKind::EVENT,
        Namespace::Property | Namespace::UserProperty => SymbolKind::PROPERTY,
        Namespace::Kpi => SymbolKind::CONSTANT,
        Namespace::Goal => SymbolKind::OBJECT,
        Namespace::Flow => SymbolKind::FUNCTION,
        Namespace::Team => SymbolKind::STRUCT,
    }
}

#[allow(deprecated, clippy::too_many_arguments)]
fn symbol(
    source: &SourceFile,
    unit: ColumnUnit,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    range: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    let range = if range.contains_span(selection) {
        range
    } else {
        selection
    };
    DocumentSymbol {
        name: if name.is_empty() {
            "\"\"".into()
        } else {
            name.to_string()
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: convert::range(source, range, unit),
        selection_range: convert::range(source, selection, unit),
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
    let source = &file.source;
    let part = &file.part;
    let tree = analysis.tree(file);
    let root = tree.root.as_ref()?;
    let mut out = Vec::new();
    for entry in root.as_mapping().unwrap_or_default() {
        let Some(key) = entry.key_str() else {
            continue;
        };
        let definition = |namespace: Namespace,
                          name: &Name,
                          common: &Common,
                          detail: Option<String>,
                          children| {
            symbol(
                source,
                unit,
                &name.text,
                detail,
                kind_of(namespace),
                common.entry_span,
                name.span,
                children,
            )
        };
        let children: Vec<DocumentSymbol> = match key {
            "events" => part
                .events
                .iter()
                .map(|e| {
                    let props = e
                        .properties
                        .iter()
                        .map(|p| {
                            symbol(
                                source,
                                unit,
                                &p.name.text,
                                None,
                                SymbolKind::FIELD,
                                p.entry_span,
                                p.name.span,
                                Vec::new(),
                            )
                        })
                        .collect();
                    let detail = e.status.as_ref().map(|s| s.value.as_str().to_string());
                    definition(Namespace::Event, &e.name, &e.common, detail, props)
                })
                .collect(),
            "properties" => part
                .properties
                .iter()
                .map(|p| {
                    let detail = p.ty.as_ref().map(|t| t.value.as_str().to_string());
                    definition(Namespace::Property, &p.name, &p.common, detail, Vec::new())
                })
                .collect(),
            "user_properties" => part
                .user_properties
                .iter()
                .map(|p| {
                    let detail = p.ty.as_ref().map(|t| t.value.as_str().to_string());
                    definition(
                        Namespace::UserProperty,
                        &p.name,
                        &p.common,
                        detail,
                        Vec::new(),
                    )
                })
                .collect(),
            "kpis" => part
                .kpis
                .iter()
                .map(|k| {
                    definition(
                        Namespace::Kpi,
                        &k.id,
                        &k.common,
                        k.name.as_ref().map(|n| n.value.clone()),
                        Vec::new(),
                    )
                })
                .collect(),
            "goals" => part
                .goals
                .iter()
                .map(|g| {
                    definition(
                        Namespace::Goal,
                        &g.id,
                        &g.common,
                        g.name.as_ref().map(|n| n.value.clone()),
                        Vec::new(),
                    )
                })
                .collect(),
            "flows" => part
                .flows
                .iter()
                .map(|f| {
                    definition(
                        Namespace::Flow,
                        &f.id,
                        &f.common,
                        f.name.as_ref().map(|n| n.value.clone()),
                        Vec::new(),
                    )
                })
                .collect(),
            "teams" => part
                .teams
                .iter()
                .map(|t| {
                    definition(
                        Namespace::Team,
                        &t.id,
                        &t.common,
                        t.name.as_ref().map(|n| n.value.clone()),
                        Vec::new(),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let kind = match key {
            "events" | "properties" | "user_properties" | "kpis" | "goals" | "flows" | "teams" => {
                SymbolKind::NAMESPACE
            }
            "super_properties" => SymbolKind::ARRAY,
            _ => SymbolKind::KEY,
        };
        let detail = (!children.is_empty()).then(|| format!("{}", children.len()));
        out.push(symbol(
            source,
            unit,
            key,
            detail,
            kind,
            entry.span(),
            entry.key.span,
            children,
        ));
    }
    Some(DocumentSymbolResponse::Nested(out))
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
