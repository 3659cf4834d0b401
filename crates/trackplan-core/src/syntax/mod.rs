//! The spanned YAML tree every plan file is read into.
//!
//! Plans are read with saphyr-parser's event API into this small tree. Unlike a YAML loader it keeps
//! duplicate keys (so they can be reported with both locations), never expands aliases (so an alias
//! bomb costs nothing), records anchors, tags and merge keys instead of honouring them, bounds nesting
//! depth and file size, and when the YAML is broken keeps everything read before the error, so that a
//! half-typed buffer still yields a useful partial tree.

mod quotes;
mod scalar;

pub use quotes::comment_start;
pub(crate) use quotes::Quotes;
pub use scalar::{needs_quotes, quote_if_needed, requote, ScalarValue};

use crate::span::{FileId, HasSpans, Span};
use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle};

/// Files larger than this are not parsed (`limit-exceeded`).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Mappings and sequences nested deeper than this are not read (`limit-exceeded`).
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `Box<str>` rather than `String`: a tree holds hundreds of thousands of scalars, and a box is
    /// smaller and never over-allocated.
    Scalar {
        value: Box<str>,
        style: ScalarStyle,
    },
    Mapping(Vec<Entry>),
    Sequence(Vec<Node>),
    /// An alias (`*name`); never expanded.
    Alias,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// From the first to the last character of the node (for a scalar: including quotes, anchor
    /// and tag).
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// The key and its value.
    pub fn span(&self) -> Span {
        self.key.span.cover(self.value.span)
    }

    /// The key's text when it is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_str()
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The value a scalar denotes under the YAML 1.2 core schema (quoted scalars are strings).
    pub fn scalar_value(&self) -> Option<ScalarValue<'_>> {
        match &self.kind {
            NodeKind::Scalar { value, style } => Some(ScalarValue::resolve(value, *style)),
            _ => None,
        }
    }

    /// A scalar that is written as nothing at all (`key:` with no value).
    pub fn is_empty_scalar(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, style: ScalarStyle::Plain } if value.is_empty())
    }

    /// Short description of the node's shape, for messages ("a mapping", "a list", "a string", ...).
    pub fn shape(&self) -> &'static str {
        match &self.kind {
            NodeKind::Mapping(_) => "a mapping",
            NodeKind::Sequence(_) => "a list",
            NodeKind::Alias => "an alias",
            NodeKind::Scalar { .. } => match self.scalar_value() {
                Some(ScalarValue::Null) => "nothing (null)",
                Some(ScalarValue::Bool(_)) => "a boolean",
                Some(ScalarValue::Int(_)) => "an integer",
                Some(ScalarValue::Float(_)) => "a number",
                _ => "a string",
            },
        }
    }

    /// All entries of a mapping under a given key (more than one when the key is duplicated).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?.iter().find(|e| e.key_str() == Some(key))
    }
}

/// YAML features the plan format leaves out; reported by `unsupported-yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsupported {
    Anchor,
    Alias,
    Tag,
    MergeKey,
    MultipleDocuments,
}

/// What went wrong while reading a file, besides the tree itself.
#[derive(Clone, Debug, PartialEq)]
pub enum SyntaxIssue {
    /// The YAML does not parse; `span` is where the parser stopped, `unclosed` the `[` or `{` still
    /// open there (the usual cause when the error shows up lines later).
    Error {
        message: String,
        span: Span,
        unclosed: Option<Span>,
    },
    Unsupported {
        what: Unsupported,
        span: Span,
    },
    TooDeep {
        span: Span,
    },
    TooLarge {
        bytes: usize,
    },
    /// The file's bytes are not UTF-8; it was read with replacement characters from `offset` on.
    NotUtf8 {
        offset: usize,
    },
}

impl SyntaxIssue {
    /// The file was not read to its end (a syntax error, or too large or too deep to read whole):
    /// whatever its entities seem to lack may be in the part that was not read.
    pub fn stops_reading(&self) -> bool {
        matches!(
            self,
            SyntaxIssue::Error { .. } | SyntaxIssue::TooLarge { .. } | SyntaxIssue::TooDeep { .. }
        )
    }
}

impl HasSpans for SyntaxIssue {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        match self {
            SyntaxIssue::Error {
                message: _,
                span,
                unclosed,
            } => {
                f(span);
                unclosed.each_span(f);
            }
            SyntaxIssue::Unsupported { what: _, span } | SyntaxIssue::TooDeep { span } => f(span),
            // Offsets of a file that was not read as text (these files are never read in pieces).
            SyntaxIssue::TooLarge { .. } | SyntaxIssue::NotUtf8 { .. } => {}
        }
    }
}

/// A parsed file: the tree (absent for an empty file or one too large to read) and the issues.
#[derive(Clone, Debug, Default)]
pub struct SyntaxTree {
    pub root: Option<Node>,
    pub issues: Vec<SyntaxIssue>,
}

/// Parses one YAML file into the spanned tree. Never fails and never panics.
pub fn parse(file: FileId, text: &str) -> SyntaxTree {
    if text.len() > MAX_FILE_BYTES {
        return SyntaxTree {
            root: None,
            issues: vec![SyntaxIssue::TooLarge { bytes: text.len() }],
        };
    }
    let offsets = CharOffsets::new(text);
    let mut builder = TreeBuilder {
        file,
        text,
        offsets: &offsets,
        stack: Vec::new(),
        root: None,
        issues: Vec::new(),
        documents: 0,
        skip_depth: 0,
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => break,
            Some(Ok((event, span))) => builder.event(event, span),
            Some(Err(error)) => {
                let at = offsets.byte(error.marker().index());
                let end = next_char_end(text, at);
                let unclosed = builder.stack.iter().rev().find_map(|open| {
                    let start = match open {
                        Open::Mapping { start, .. } | Open::Sequence { start, .. } => *start,
                    };
                    (start.start < start.end).then_some(start)
                });
                builder.issues.push(SyntaxIssue::Error {
                    message: error.info().to_string(),
                    span: Span::new(file, at, end),
                    unclosed,
                });
                break;
            }
        }
    }
    builder.finish()
}

fn next_char_end(text: &str, at: usize) -> usize {
    text[at.min(text.len())..]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8())
}

/// saphyr reports positions in characters; spans are in bytes. Only non-ASCII text needs a table.
struct CharOffsets {
    table: Option<Vec<u32>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let table = (!text.is_ascii()).then(|| {
            let mut table: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
            table.push(text.len() as u32);
            table
        });
        CharOffsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(table) => table.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

enum Open {
    Mapping {
        start: Span,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
    },
    Sequence {
        start: Span,
        items: Vec<Node>,
    },
}

struct TreeBuilder<'a> {
    file: FileId,
    text: &'a str,
    offsets: &'a CharOffsets,
    stack: Vec<Open>,
    root: Option<Node>,
    issues: Vec<SyntaxIssue>,
    documents: usize,
    /// While > 0, events belong to a subtree deeper than [`MAX_DEPTH`] and are dropped.
    skip_depth: usize,
}

impl TreeBuilder<'_> {
    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(
            self.file,
            self.offsets.byte(span.start.index()),
            self.offsets.byte(span.end.index()),
        )
    }

    fn event(&mut self, event: Event<'_>, raw_span: saphyr_parser::Span) {
        let span = self.span(raw_span);
        if self.skip_depth > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => self.skip_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => {
                    self.skip_depth -= 1;
                    if self.skip_depth == 0 {
                        // The whole too-deep subtree stands as an empty scalar.
                        self.push(Node {
                            kind: NodeKind::Scalar {
                                value: Box::default(),
                                style: ScalarStyle::Plain,
                            },
                            span,
                        });
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents == 2 {
                    self.issues.push(SyntaxIssue::Unsupported {
                        what: Unsupported::MultipleDocuments,
                        span,
                    });
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let quoted = matches!(style, SaphyrStyle::SingleQuoted | SaphyrStyle::DoubleQuoted);
                let span = self.scalar_span(span, value.is_empty(), quoted);
                self.note_properties(anchor, tag.is_some(), span);
                let style = match style {
                    SaphyrStyle::Plain => ScalarStyle::Plain,
                    SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    SaphyrStyle::Literal => ScalarStyle::Literal,
                    SaphyrStyle::Folded => ScalarStyle::Folded,
                };
                self.push(Node {
                    kind: NodeKind::Scalar {
                        value: value.into_owned().into_boxed_str(),
                        style,
                    },
                    span,
                });
            }
            Event::Alias(_) => {
                self.issues.push(SyntaxIssue::Unsupported {
                    what: Unsupported::Alias,
                    span,
                });
                self.push(Node {
                    kind: NodeKind::Alias,
                    span,
                });
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                self.note_properties(anchor, tag.is_some(), span);
                if self.stack.len() >= MAX_DEPTH {
                    self.issues.push(SyntaxIssue::TooDeep { span });
                    self.skip_depth = 1;
                    return;
                }
                self.stack.push(if is_mapping {
                    Open::Mapping {
                        start: span,
                        entries: Vec::new(),
                        pending_key: None,
                    }
                } else {
                    Open::Sequence {
                        start: span,
                        items: Vec::new(),
                    }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(open) = self.stack.pop() {
                    let node = close(open, Some(span));
                    self.push(node);
                }
            }
            _ => {}
        }
    }

    /// A scalar's span without what the parser read past it: the line breaks and indentation
    /// before the next token (where multi-line and block scalars end). A scalar written as nothing
    /// (plain, or a block scalar without content), which the parser places at the next token or
    /// across the blank lines before it, stands where its text ends. So a scalar's span depends
    /// only on the text up to its end, never on what follows it.
    fn scalar_span(&self, mut span: Span, empty: bool, quoted: bool) -> Span {
        let bytes = self.text.as_bytes();
        let blank = |at: u32| {
            matches!(
                bytes.get(at as usize - 1),
                Some(b' ' | b'\t' | b'\n' | b'\r')
            )
        };
        let floor = if empty && !quoted { 0 } else { span.start };
        while span.end > floor && blank(span.end) {
            span.end -= 1;
        }
        if empty && !quoted {
            // A mapping's empty value is then placed at its key's end (see `push`).
            span.start = span.end;
        }
        span
    }

    fn note_properties(&mut self, anchor: usize, tagged: bool, span: Span) {
        if anchor > 0 {
            self.issues.push(SyntaxIssue::Unsupported {
                what: Unsupported::Anchor,
                span,
            });
        }
        if tagged {
            self.issues.push(SyntaxIssue::Unsupported {
                what: Unsupported::Tag,
                span,
            });
        }
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                // Only the first document counts; later ones were reported.
                if self.root.is_none() && self.documents <= 1 {
                    self.root = Some(node);
                }
            }
            Some(Open::Sequence { items, .. }) => items.push(node),
            Some(Open::Mapping {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    if node.as_str() == Some("<<")
                        && matches!(
                            &node.kind,
                            NodeKind::Scalar {
                                style: ScalarStyle::Plain,
                                ..
                            }
                        )
                    {
                        self.issues.push(SyntaxIssue::Unsupported {
                            what: Unsupported::MergeKey,
                            span: node.span,
                        });
                    }
                    *pending_key = Some(node);
                }
                Some(key) => {
                    let mut value = node;
                    if value.is_empty_scalar() && value.span.start == value.span.end {
                        // `key:` with nothing after it: the value stands right after the key.
                        value.span =
                            Span::new(key.span.file, key.span.end as usize, key.span.end as usize);
                    }
                    entries.push(Entry { key, value })
                }
            },
        }
    }

    /// Closes what is still open after an error, so everything read so far is kept.
    fn finish(mut self) -> SyntaxTree {
        while let Some(open) = self.stack.pop() {
            let node = close(open, None);
            self.push(node);
        }
        SyntaxTree {
            root: self.root,
            issues: self.issues,
        }
    }
}

fn close(open: Open, end: Option<Span>) -> Node {
    match open {
        Open::Mapping {
            start,
            mut entries,
            pending_key,
        } => {
            if let Some(key) = pending_key {
                // A key whose value was never read (broken YAML): keep it with an empty value.
                let value = Node {
                    kind: NodeKind::Scalar {
                        value: Box::default(),
                        style: ScalarStyle::Plain,
                    },
                    span: Span::new(key.span.file, key.span.end as usize, key.span.end as usize),
                };
                entries.push(Entry { key, value });
            }
            let span = container_span(
                start,
                end,
                entries.first().map(|e| e.key.span),
                entries.last().map(|e| e.value.span),
            );
            Node {
                kind: NodeKind::Mapping(entries),
                span,
            }
        }
        Open::Sequence { start, items } => {
            let span = container_span(
                start,
                end,
                items.first().map(|n| n.span),
                items.last().map(|n| n.span),
            );
            Node {
                kind: NodeKind::Sequence(items),
                span,
            }
        }
    }
}

/// Block collections start with an empty span at their first child and end with an empty span at the
/// next line; flow collections have real brackets. The span runs from the first character of the
/// collection to the last character of its content (or its closing bracket).
fn container_span(start: Span, end: Option<Span>, first: Option<Span>, last: Option<Span>) -> Span {
    let mut span = start;
    if let Some(first) = first {
        span = span.cover(first);
    }
    if let Some(last) = last {
        span = span.cover(last);
    }
    if let Some(end) = end {
        // A flow collection's closing bracket has a real (non-empty) span.
        if end.start < end.end {
            span = span.cover(end);
        }
    }
    span
}

/// Walks every node of a tree, parents before children.
pub fn walk<'a>(node: &'a Node, visit: &mut impl FnMut(&'a Node)) {
    visit(node);
    match &node.kind {
        NodeKind::Mapping(entries) => {
            for entry in entries {
                walk(&entry.key, visit);
                walk(&entry.value, visit);
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                walk(item, visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
