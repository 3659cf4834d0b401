//! From a file's content to a [`ParsedFile`]: the one way every adapter reads a plan file (the CLI
//! from disk, the language server from the editor's buffers and the disk, history from git blobs).
//!
//! Reading is three steps, each of its own layer: the syntax tree ([`crate::syntax`]), the model
//! with the issues found on the way ([`crate::model::lower_file`]), and the per-file rules that turn
//! both into diagnostics ([`crate::rules::check_file`]).

use crate::model::{lower_file, FilePart, ParsedFile};
use crate::rules::{self, FileFacts};
use crate::span::{FileId, SourceFile};
use crate::syntax::{self, SyntaxIssue, SyntaxTree, MAX_FILE_BYTES};
use std::sync::Arc;

/// A file's content, as an adapter has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Text (an editor buffer, or a file that is UTF-8).
    Text(Arc<str>),
    /// Bytes that may not be UTF-8: read with replacement characters, and reported.
    Bytes(Arc<[u8]>),
    /// A file too large to read, by its size in bytes: it is not read at all.
    TooLarge(usize),
}

impl Content {
    /// The content of a file of `len` bytes that `read` returns when asked: not read when too
    /// large.
    pub fn of_size<B: AsRef<[u8]>, E>(
        len: u64,
        read: impl FnOnce() -> Result<B, E>,
    ) -> Result<Content, E> {
        if len > MAX_FILE_BYTES as u64 {
            return Ok(Content::TooLarge(len.try_into().unwrap_or(usize::MAX)));
        }
        read().map(|bytes| Content::from_bytes(bytes.as_ref()))
    }

    /// Bytes already read (copied once): text when they are UTF-8.
    pub fn from_bytes(bytes: &[u8]) -> Content {
        if bytes.len() > MAX_FILE_BYTES {
            return Content::TooLarge(bytes.len());
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Content::Text(text.into()),
            Err(_) => Content::Bytes(bytes.into()),
        }
    }

    /// Reads the content as the file at `path` (relative to the plan folder, with `/`).
    pub fn parse(&self, id: FileId, path: &str) -> ParsedFile {
        match self {
            Content::Text(text) => parse_file(id, path, text.clone()),
            Content::Bytes(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => parse_file(id, path, text),
                Err(error) => {
                    // Offsets shift where replacement characters stand; the valid prefix is
                    // unchanged, and the first bad byte is where the finding points.
                    let text = String::from_utf8_lossy(bytes);
                    let source = SourceFile::new(id, path, text.as_ref());
                    let mut tree = syntax::parse(id, &source.text);
                    let offset = error.valid_up_to();
                    tree.issues.insert(0, SyntaxIssue::NotUtf8 { offset });
                    finish(source, tree)
                }
            },
            Content::TooLarge(bytes) => {
                let tree = SyntaxTree {
                    root: None,
                    issues: vec![SyntaxIssue::TooLarge { bytes: *bytes }],
                };
                finish(SourceFile::new(id, path, ""), tree)
            }
        }
    }
}

/// Reads one file of a plan from its text. `path` is relative to the plan folder, with `/`.
pub fn parse_file(id: FileId, path: &str, text: impl Into<Arc<str>>) -> ParsedFile {
    let source = SourceFile::new(id, path, text);
    let tree = syntax::parse(id, &source.text);
    finish(source, tree)
}

fn finish(source: SourceFile, tree: SyntaxTree) -> ParsedFile {
    let (mut part, issues): (FilePart, _) = lower_file(&source, &tree);
    part.suppressions = crate::suppress::collect(&source, &tree);
    let mut diagnostics = Vec::new();
    rules::check_file(
        &FileFacts {
            source: &source,
            tree: &tree,
            part: &part,
            issues: &issues,
        },
        &mut diagnostics,
    );
    let syntax_issues = tree.issues.clone();
    ParsedFile::new(source, Some(tree), syntax_issues, part, diagnostics)
}
