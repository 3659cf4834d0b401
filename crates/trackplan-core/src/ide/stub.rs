//! Stub definitions: the quick fix that defines a name a plan uses but does not define, written
//! where the kind's other definitions are and indented as they are.

use crate::diagnostic::Edit;
use crate::model::{Case, EntityKind, ParsedFile, Plan};
use crate::span::{FileId, Span};
use crate::syntax::{quote_if_needed, NodeKind, SyntaxTree};

/// The lines of a stub definition, relative to the entry's indentation (`step` more for fields);
/// events, properties and KPIs have stubs.
fn stub_lines(kind: EntityKind, name: &str) -> Option<Vec<(usize, String)>> {
    let key = format!("{}:", quote_if_needed(name));
    Some(match kind {
        EntityKind::Event => vec![
            (0, key),
            (
                1,
                "description: TODO say when exactly this event is sent".into(),
            ),
            (1, "status: proposed".into()),
        ],
        EntityKind::Property => vec![
            (0, key),
            (1, "type: string".into()),
            (1, "description: TODO say what this property holds".into()),
        ],
        EntityKind::Kpi => {
            let title = crate::case::convert(name, Case::Title);
            let title = if title.is_empty() {
                name.to_string()
            } else {
                title
            };
            vec![
                (0, key),
                (1, format!("name: {}", quote_if_needed(&title))),
                (1, "definition: TODO numerator / denominator, window".into()),
            ]
        }
        _ => return None,
    })
}

/// The file a stub definition of a kind goes to: the one that holds most definitions of the kind,
/// else the root file, else `fallback` (the file where the name is used).
pub fn stub_target(plan: &Plan, kind: EntityKind, fallback: FileId) -> Option<&ParsedFile> {
    let mut target: Option<&ParsedFile> = None;
    for file in &plan.files {
        let count = |f: &ParsedFile| f.parts().map(|p| p.count(kind)).sum::<usize>();
        if count(file) > target.map_or(0, count) {
            target = Some(file);
        }
    }
    target
        .or_else(|| plan.root_file())
        .or_else(|| plan.file(fallback))
}

/// The edit that adds a stub definition of `name` to `target`, whose syntax tree is `tree`:
/// after the last entry of the kind's section, indented as its entries are, or a new section at
/// the end. `None` for a kind without stubs, or a section written in flow style (`{...}`).
pub fn stub_edit(
    target: &ParsedFile,
    tree: &SyntaxTree,
    kind: EntityKind,
    name: &str,
) -> Option<Edit> {
    let namespace = kind;
    stub_lines(kind, name)?;
    let text = &target.source.text;
    let lines = target.source.lines();
    let column = |offset: usize| offset - lines.line_start(lines.line_of(offset));
    let section = namespace.section();
    let line_break = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let entry = tree
        .root
        .as_ref()
        .and_then(|root| root.as_mapping())
        .and_then(|entries| entries.iter().find(|e| e.key_str() == Some(section)));
    let render = |indent: usize, step: usize| -> String {
        stub_lines(namespace, name)
            .unwrap_or_default()
            .into_iter()
            .map(|(level, line)| format!("{}{line}", " ".repeat(indent + level * step)))
            .collect::<Vec<_>>()
            .join(line_break)
    };
    match entry {
        Some(entry) => match &entry.value.kind {
            NodeKind::Mapping(entries) if !entries.is_empty() => {
                if text[entry.value.span.range()].starts_with('{') {
                    return None;
                }
                let first = &entries[0];
                let indent = column(first.key.span.start as usize);
                let step = match first.value.as_mapping() {
                    Some([inner, ..]) if !text[first.value.span.range()].starts_with('{') => {
                        column(inner.key.span.start as usize)
                            .saturating_sub(indent)
                            .max(1)
                    }
                    _ => 2,
                };
                let last = entries.last()?;
                let end = (last.span().end as usize).max(1) - 1;
                let line = lines.line_of(end);
                let at = lines.line_range(text, line).end;
                Some(Edit {
                    span: Span::new(target.id(), at, at),
                    new_text: format!("{line_break}{}", render(indent, step)),
                })
            }
            _ if entry.value.is_empty_scalar() => {
                let indent = column(entry.key.span.start as usize) + 2;
                let line = lines.line_of(entry.key.span.start as usize);
                let at = lines.line_range(text, line).end;
                Some(Edit {
                    span: Span::new(target.id(), at, at),
                    new_text: format!("{line_break}{}", render(indent, 2)),
                })
            }
            _ => None,
        },
        None => {
            let at = text.len();
            let lead = if text.is_empty() || text.ends_with(['\n', '\r']) {
                ""
            } else {
                line_break
            };
            Some(Edit {
                span: Span::new(target.id(), at, at),
                new_text: format!("{lead}{section}:{line_break}{}{line_break}", render(2, 2)),
            })
        }
    }
}
