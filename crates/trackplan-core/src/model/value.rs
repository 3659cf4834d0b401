//! Values written in a plan (`enum`, `examples`): kept as YAML gave them, for type checks and diffs.

use crate::syntax::{Node, NodeKind, ScalarValue};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn from_node(node: &Node) -> Value {
        match &node.kind {
            NodeKind::Scalar { .. } => match node.scalar_value() {
                Some(ScalarValue::Null) | None => Value::Null,
                Some(ScalarValue::Bool(b)) => Value::Bool(b),
                Some(ScalarValue::Int(i)) => Value::Int(i),
                Some(ScalarValue::Float(f)) => Value::Float(f),
                Some(ScalarValue::Str(s)) => Value::Str(s.to_string()),
            },
            NodeKind::Sequence(items) => Value::List(items.iter().map(Value::from_node).collect()),
            NodeKind::Mapping(entries) => Value::Map(
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.key_str().unwrap_or_default().to_string(),
                            Value::from_node(&e.value),
                        )
                    })
                    .collect(),
            ),
            NodeKind::Alias => Value::Null,
        }
    }

    /// "a string", "an integer", ... for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => s.clone().into(),
            Value::List(items) => items.iter().map(Value::to_json).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            other => write!(f, "{}", other.to_json()),
        }
    }
}
