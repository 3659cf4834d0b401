//! The order of the comparison: what to look at, the root file's settings, the entities of each
//! kind, then what spans kinds (the flows that move a KPI, the super properties).

use super::change::Change;
use super::emit::Differ;
use super::entities::compare_kind;
use super::scope::Scope;
use super::side::Side;
use crate::model::*;
use crate::schema::entity_kinds;
use std::collections::BTreeSet;

pub(super) fn run(old: &Plan, new: &Plan) -> Vec<Change> {
    let scope = Scope::new(old, new);
    if !scope.any {
        return Vec::new();
    }
    let mut differ = Differ::new(Side::new(old), Side::new(new));
    if scope.root {
        differ.root_settings();
    }
    for &kind in EntityKind::ALL {
        compare_by_type(&mut differ, kind, scope.names(kind));
    }
    differ.kpi_flows(&scope.flow_kpis);
    differ.super_properties();
    differ.finish()
}

/// Reads the kind and model type of each row of the table, whatever columns follow.
macro_rules! compare_by_type {
    ($( $kind:ident => $section:ident, $ty:ident, $($rest:expr),*; )*) => {
        /// Compares the names of a kind as definitions of its model type.
        fn compare_by_type<'a>(differ: &mut Differ<'a>, kind: EntityKind, names: &BTreeSet<&'a str>) {
            match kind {
                $( EntityKind::$kind => compare_kind::<$ty>(differ, kind, names), )*
            }
        }
    };
}
entity_kinds!(compare_by_type);
