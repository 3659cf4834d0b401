//! One input file and the ways it is read: as UTF-8 text, as JSON, as YAML.

use serde_yaml::{Mapping, Value};
use trackplan_core::syntax::{self, NodeKind, ScalarValue, SyntaxIssue};
use trackplan_core::{ColumnUnit, FileId, LineIndex};

/// Inputs larger than this are refused with a message rather than read.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// An input file: its path as the user sees it (relative to the folder given, `/`-separated, for
/// files found in a folder) and its bytes.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Input {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Input {
        Input {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// The text, or where it stops being UTF-8.
    pub fn text(&self) -> Result<&str, String> {
        if self.bytes.len() > MAX_INPUT_BYTES {
            return Err(format!(
                "{}: the file has {} bytes, more than the {} MB an import reads",
                self.path,
                self.bytes.len(),
                MAX_INPUT_BYTES / (1024 * 1024)
            ));
        }
        std::str::from_utf8(&self.bytes).map_err(|e| {
            let valid = e.valid_up_to();
            // The prefix up to the bad byte is valid UTF-8, so lines and columns can be counted in it.
            let before = std::str::from_utf8(&self.bytes[..valid]).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!(
                "{}:{line}:{column}: the file is not UTF-8 (byte 0x{:02x} at offset {valid}); save it as UTF-8 and import again",
                self.path, self.bytes[valid]
            )
        })
    }

    /// The file read as JSON (keys kept in their order).
    pub fn json(&self) -> Result<Value, String> {
        let text = self.text()?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str::<Value>(text).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Eof => {
                    "the JSON ends too early (is the file cut short?)"
                }
                _ => "invalid JSON",
            };
            format!(
                "{}:{}:{}: {what}: {e}",
                self.path,
                e.line(),
                e.column().max(1)
            )
        })
    }

    /// The file read as JSON, or `None` with the file skipped in the report (and why).
    pub(crate) fn json_or_skip(&self, report: &mut crate::Report) -> Option<Value> {
        match self.json() {
            Ok(document) => Some(document),
            Err(error) => {
                report.skip(&self.path, error);
                None
            }
        }
    }

    /// The file read as YAML, through the core's reader (the one YAML reader of the project):
    /// scalars resolved as YAML 1.2 reads them.
    pub fn yaml(&self) -> Result<Value, String> {
        let text = self.text()?;
        let tree = syntax::parse(FileId(0), text);
        let lines = LineIndex::new(text);
        for issue in &tree.issues {
            let (message, offset) = match issue {
                SyntaxIssue::Error { message, span, .. } => (message.clone(), span.start as usize),
                SyntaxIssue::TooDeep { span } => {
                    ("nested too deeply".to_string(), span.start as usize)
                }
                SyntaxIssue::TooLarge { bytes } => {
                    (format!("too large to read ({bytes} bytes)"), 0)
                }
                SyntaxIssue::NotUtf8 { offset } => ("not UTF-8".to_string(), *offset),
                SyntaxIssue::Unsupported { .. } => continue,
            };
            let at = lines.line_col(text, offset, ColumnUnit::Char);
            return Err(format!(
                "{}:{}:{}: invalid YAML: {message}",
                self.path,
                at.line + 1,
                at.col + 1
            ));
        }
        Ok(tree.root.as_ref().map(node_value).unwrap_or(Value::Null))
    }
}

fn node_value(node: &syntax::Node) -> Value {
    match &node.kind {
        NodeKind::Scalar { .. } => match node.scalar_value() {
            Some(ScalarValue::Null) | None => Value::Null,
            Some(ScalarValue::Bool(b)) => Value::Bool(b),
            Some(ScalarValue::Int(i)) => Value::Number(i.into()),
            Some(ScalarValue::Float(f)) => Value::Number(f.into()),
            Some(ScalarValue::Str(s)) => Value::String(s.to_string()),
        },
        NodeKind::Mapping(entries) => {
            let mut mapping = Mapping::new();
            for entry in entries {
                mapping.insert(node_value(&entry.key), node_value(&entry.value));
            }
            Value::Mapping(mapping)
        }
        NodeKind::Sequence(items) => Value::Sequence(items.iter().map(node_value).collect()),
        NodeKind::Alias => Value::Null,
    }
}
