//! Go to definition (from a reference to the name's definition: steps to events, KPI references
//! to KPIs, shorthand properties to the dictionary, owners to teams...) and find references.

use crate::convert;
use crate::world::World;
use tower_lsp::lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, ReferenceParams,
};

pub fn definition(world: &World, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let pos = params.text_document_position_params;
    let at = convert::at(world, &pos.text_document.uri, pos.position)?;
    let occurrence = at.occurrence()?;
    let locations: Vec<Location> = at
        .analysis
        .symbols()
        .definitions(occurrence.namespace, &occurrence.name)
        .filter_map(|o| convert::location(&at.analysis, o.span, at.unit))
        .collect();
    match locations.len() {
        0 => None,
        1 => Some(GotoDefinitionResponse::Scalar(
            locations.into_iter().next()?,
        )),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    }
}

pub fn references(world: &World, params: ReferenceParams) -> Option<Vec<Location>> {
    let pos = params.text_document_position;
    let at = convert::at(world, &pos.text_document.uri, pos.position)?;
    let occurrence = at.occurrence()?;
    let include_declaration = params.context.include_declaration;
    Some(
        at.analysis
            .symbols()
            .occurrences(occurrence.namespace, &occurrence.name)
            .filter(|o| include_declaration || !o.is_definition())
            .filter_map(|o| convert::location(&at.analysis, o.span, at.unit))
            .collect(),
    )
}
