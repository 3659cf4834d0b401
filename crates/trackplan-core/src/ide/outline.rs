//! A file's outline: its top-level keys, and under each section the entities it defines (an event
//! with its properties). The server turns it into LSP document symbols.

use crate::model::{EntityKind, Event, FilePart, PropertyDef};
use crate::schema::SymbolKind;
use crate::span::Span;
use crate::syntax::SyntaxTree;

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq)]
pub struct OutlineItem {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// The whole entry.
    pub range: Span,
    /// The name (a key).
    pub selection: Span,
    pub children: Vec<OutlineItem>,
}

/// What an outline entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    /// A section of entities (`events:`).
    Section,
    /// `super_properties:`.
    List,
    /// Any other top-level key (`name:`, `identity:`).
    Key,
    /// A definition, shown as its kind's symbol.
    Entity(SymbolKind),
    /// A property of an event.
    Field,
}

/// The outline of a file whose model is `part` and whose syntax tree is `tree`.
pub fn outline(part: &FilePart, tree: &SyntaxTree) -> Vec<OutlineItem> {
    let Some(root) = tree.root.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in root.as_mapping().unwrap_or_default() {
        let Some(key) = entry.key_str() else {
            continue;
        };
        let kind = EntityKind::of_section(key);
        let children: Vec<OutlineItem> = kind
            .map(|kind| {
                part.definitions(kind)
                    .map(|definition| {
                        let name = definition.name();
                        OutlineItem {
                            name: name.text.clone(),
                            detail: detail(&definition),
                            kind: OutlineKind::Entity(kind.info().symbol),
                            range: definition.common().entry_span,
                            selection: name.span,
                            children: definition
                                .get::<Event>()
                                .map(event_properties)
                                .unwrap_or_default(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let item_kind = match (kind, key) {
            (Some(_), _) => OutlineKind::Section,
            (None, "super_properties") => OutlineKind::List,
            _ => OutlineKind::Key,
        };
        out.push(OutlineItem {
            name: key.to_string(),
            detail: (!children.is_empty()).then(|| children.len().to_string()),
            kind: item_kind,
            range: entry.span(),
            selection: entry.key.span,
            children,
        });
    }
    out
}

/// What the outline says beside a name: an event's status, a property's type, the display name of
/// an entity keyed by id.
fn detail(definition: &crate::model::Definition<'_>) -> Option<String> {
    if let Some(event) = definition.get::<Event>() {
        return event.status.as_ref().map(|s| s.value.as_str().to_string());
    }
    if let Some(property) = definition.get::<PropertyDef>() {
        return property.ty.as_ref().map(|t| t.value.to_string());
    }
    definition.entity.display_name().map(|n| n.value.clone())
}

fn event_properties(event: &Event) -> Vec<OutlineItem> {
    event
        .properties
        .iter()
        .map(|p| OutlineItem {
            name: p.name.text.clone(),
            detail: None,
            kind: OutlineKind::Field,
            range: p.entry_span,
            selection: p.name.span,
            children: Vec::new(),
        })
        .collect()
}
