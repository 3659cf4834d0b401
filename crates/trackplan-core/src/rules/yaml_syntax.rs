//! Flags a file that is not valid YAML.
//!
//! ## What it does
//! Reports where the YAML parser stopped, with its explanation. Everything read before that point is
//! still checked, so one typo does not hide the rest of the plan.
//!
//! ## Why is this bad?
//! A file that does not parse cannot be read by any tool: the rest of the file is invisible to the
//! checker, to the editor and to the changelog until it is fixed.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     platforms: [web, ios
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Order Completed:
//!     platforms: [web, ios]
//! ```

use super::prelude::*;

declare_rule!(YamlSyntax, "yaml-syntax", Error);

impl Rule for YamlSyntax {
        fn check_file(&self, file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
        let source = file.source;
        let tree = file.tree;
        for issue in &tree.issues {
            if let SyntaxIssue::NotUtf8 { offset } = issue {
                let at = *offset;
                out.push(
                    Diagnostic::new(
                        RULE,
                        Span::new(source.id, at, at + '\u{FFFD}'.len_utf8()),
                        format!("the file is not valid UTF-8 (first bad byte at offset {at})"),
                    )
                    .with_help("plan files are UTF-8 text; save the file as UTF-8"),
                );
            }
            if let SyntaxIssue::Error {
                message,
                span,
                unclosed,
            } = issue
            {
                let mut diagnostic = Diagnostic::new(RULE, *span, format!("invalid YAML: {message}"));
                if let Some(open) = unclosed {
                    let bracket = source.slice(*open);
                    let close = if bracket.starts_with('{') { "}" } else { "]" };
                    diagnostic = diagnostic
                        .with_related(*open, format!("this `{bracket}` is never closed"))
                        .with_help(format!("close it with `{close}` on its line"));
                } else if let Some(help) = help_for(source, *span, message) {
                    diagnostic = diagnostic.with_help(help);
                }
                out.push(diagnostic);
            }
        }
    }
}

fn help_for(source: &SourceFile, span: Span, message: &str) -> Option<&'static str> {
    let line = source.lines().line_of(span.start as usize);
    let text = &source.text[source.lines().line_range(&source.text, line)];
    // A word, not a part of one: "found unprintable character" is not about tabs.
    let words = || message.split(|c: char| !c.is_ascii_alphabetic());
    if text.starts_with('\t') || words().any(|w| w == "tab" || w == "tabs") {
        return Some("YAML does not allow tabs for indentation: indent with spaces");
    }
    if message.contains("unprintable") {
        return Some("the file holds a control character YAML does not allow (such as a NUL byte), comments included: remove it");
    }
    if message.contains("mapping values are not allowed") || message.contains("':'") {
        return Some("a value that contains `: ` must be quoted, and keys at one level must line up");
    }
    if message.contains("did not find expected") || message.contains("while parsing a flow") {
        return Some("check that every `[` and `{` is closed and every quote ends");
    }
    None
}
