//! Findings of the checker: what is wrong, where, why, and how to fix it.

pub use crate::rule_names::RuleName;
use crate::span::{HasSpans, Span};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Another place that explains a diagnostic (the first definition of a duplicate, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// A text replacement; fixes are minimal edits on spans and never re-serialize a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

/// A machine-applicable fix offered with a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// A large plan can have millions of findings (one per event without a description, say), so a
/// finding is kept small: its help is most often a fixed text and is then not copied, and its fix,
/// which few findings have, is boxed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: RuleName,
    /// Filled from the rule's default and the plan's `lint:` section when the analysis finishes.
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub help: Option<Cow<'static, str>>,
    pub related: Vec<Related>,
    pub fix: Option<Box<Fix>>,
}

/// The most characters of a `quoted` name a message shows; a longer one is cut with `…`, so that a
/// finding's size does not grow with the size of what it is about (a 1 MB key, say).
pub const MAX_NAME_SHOWN: usize = 80;

/// `text` with every `quoted` stretch longer than [`MAX_NAME_SHOWN`] characters cut.
pub fn cut_long_names(text: String) -> String {
    if text.len() <= MAX_NAME_SHOWN {
        return text;
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    let mut quoted = false;
    let mut changed = false;
    while let Some(at) = rest.find('`') {
        let (piece, after) = (&rest[..at], &rest[at + 1..]);
        match piece.char_indices().nth(MAX_NAME_SHOWN) {
            Some((cut, _)) if quoted => {
                out.push_str(&piece[..cut]);
                out.push('…');
                changed = true;
            }
            _ => out.push_str(piece),
        }
        out.push('`');
        quoted = !quoted;
        rest = after;
    }
    if !changed {
        return text;
    }
    out.push_str(rest);
    out
}

impl Diagnostic {
    pub fn new(rule: RuleName, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: cut_long_names(message.into()),
            span,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Diagnostic {
        self.help = Some(match help.into() {
            Cow::Owned(text) => Cow::Owned(cut_long_names(text)),
            fixed => fixed,
        });
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            span,
            message: cut_long_names(message.into()),
        });
        self
    }

    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Diagnostic {
        self.fix = Some(Box::new(Fix {
            title: cut_long_names(title.into()),
            edits,
        }));
        self
    }
}

impl HasSpans for Diagnostic {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Diagnostic {
            rule: _,
            severity: _,
            message: _,
            span,
            help: _,
            related,
            fix,
        } = self;
        f(span);
        for related in related {
            f(&mut related.span);
        }
        if let Some(fix) = fix {
            for edit in &mut fix.edits {
                f(&mut edit.span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_names_are_cut_in_messages() {
        let huge = "A".repeat(10_000);
        let message = cut_long_names(format!("unknown event `{huge}`; see `{huge}` and more"));
        let cut = format!("`{}…`", "A".repeat(MAX_NAME_SHOWN));
        assert_eq!(message, format!("unknown event {cut}; see {cut} and more"));
        let short =
            "a message about `Order Completed` that is longer than eighty characters in all";
        assert_eq!(cut_long_names(short.to_string()), short);
        // Text outside quotes is never cut, nor is an unclosed quote.
        let open = format!("{huge} `{huge}");
        assert_eq!(cut_long_names(open.clone()).len(), open.len());
    }
}
