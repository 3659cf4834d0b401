//! `# trackplan-ignore: RULE[, RULE]` comments: finding them and the entry each one covers.

use crate::model::{Name, Suppression};
use crate::span::{SourceFile, Span};
use crate::syntax::{comment_start, Node, NodeKind, SyntaxTree};

const MARKER: &str = "trackplan-ignore:";

/// Every ignore comment of a file, with the entry whose key line holds it.
pub fn collect(source: &SourceFile, tree: &SyntaxTree) -> Vec<Suppression> {
    let text = &*source.text;
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let lines = source.lines();
    let mut out = Vec::new();
    for line in 0..lines.line_count() {
        let range = lines.line_range(text, line);
        let Some(comment_at) = comment_start(&text[range.clone()]) else {
            continue;
        };
        let comment_start = range.start + comment_at;
        let body = text[comment_start + 1..range.end].trim_start();
        let Some(list) = body.strip_prefix(MARKER) else {
            continue;
        };
        let list_start = range.end - list.len();
        let mut rules = Vec::new();
        let mut offset = list_start;
        for piece in list.split(',') {
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                let start = offset + (piece.len() - piece.trim_start().len());
                rules.push(Name {
                    text: trimmed.to_string(),
                    span: Span::new(source.id, start, start + trimmed.len()),
                });
            }
            offset += piece.len() + 1;
        }
        let comment = Span::new(source.id, comment_start, range.end);
        let scope = tree
            .root
            .as_ref()
            .and_then(|root| scope_on_line(root, source, line))
            .unwrap_or(Span::new(source.id, comment_start, comment_start));
        out.push(Suppression {
            rules,
            comment,
            scope,
        });
    }
    out
}

/// The outermost entry whose key starts on `line`; failing that, the outermost list item there.
fn scope_on_line(root: &Node, source: &SourceFile, line: usize) -> Option<Span> {
    let lines = source.lines();
    let covers = |span: Span| {
        lines.line_of(span.start as usize) <= line && line <= lines.line_of(span.end as usize)
    };
    let mut item = None;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Mapping(entries) => {
                for entry in entries {
                    if lines.line_of(entry.key.span.start as usize) == line {
                        return Some(entry.span());
                    }
                }
                stack.extend(entries.iter().map(|e| &e.value).filter(|v| covers(v.span)));
            }
            NodeKind::Sequence(items) => {
                for child in items {
                    if item.is_none() && lines.line_of(child.span.start as usize) == line {
                        item = Some(child.span);
                    }
                }
                stack.extend(items.iter().filter(|c| covers(c.span)));
            }
            _ => {}
        }
    }
    item
}
