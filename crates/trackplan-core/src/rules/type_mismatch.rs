//! Flags enum values or examples that do not match the property's declared type.
//!
//! ## What it does
//! Checks each `enum` value and each example against the property's `type` (`string`, `number`,
//! `integer`, `boolean`, `datetime` as an ISO 8601 date or date-time string, `list`, `object`), against
//! `min` and `max`, and against a list's `items` type. Where an event narrows a dictionary property's
//! `enum` or gives examples, those are checked against the dictionary definition, and the narrowed
//! enum must be a subset of the dictionary's.
//!
//! ## Why is this bad?
//! The examples are what implementers copy. A `"5"` given as an example of an integer property ends up
//! sent as a string, and Mixpanel then holds two types under one property name.
//!
//! ## Example
//! ```yaml
//! properties:
//!   quantity: {type: integer, description: Units ordered, examples: ["2", 1.5]}
//! ```
//!
//! ## Use instead
//! ```yaml
//! properties:
//!   quantity: {type: integer, description: Units ordered, examples: [2, 3]}
//! ```

use super::prelude::*;

declare_rule!(TypeMismatch, "type-mismatch", Error);

impl Rule for TypeMismatch {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(_, def) in cx.index.property_definitions() {
            let values = def.enum_values.iter().flatten().map(|v| ("enum value", v));
            let examples = def.examples.iter().map(|v| ("example", v));
            for (what, value) in values.chain(examples) {
                self.check_value(def, what, value, out);
            }
        }
        for event in cx.plan.events() {
            for property in &event.properties {
                let EventPropertyKind::Reference { reference, overrides } = &property.kind else {
                    continue;
                };
                if overrides.examples.is_empty() && overrides.enum_values.is_none() {
                    continue;
                }
                let Some(def) = cx.index.property(&reference.name) else {
                    continue;
                };
                for value in &overrides.examples {
                    self.check_value(def, "example", value, out);
                }
                for value in overrides.enum_values.iter().flatten() {
                    self.check_value(def, "enum value", value, out);
                    if let Some(allowed) = &def.enum_values {
                        if !allowed.iter().any(|a| a.value == value.value) {
                            out.push(
                                Diagnostic::new(
                                    RULE,
                                    value.span,
                                    format!("`{}` is not one of the values property `{}` allows", value.value, def.name.text),
                                )
                                .with_related(def.name.span, "the dictionary definition")
                                .with_help("an event may only narrow the dictionary's enum to a subset"),
                            );
                        }
                    }
                }
            }
        }
    }
}

impl TypeMismatch {
    fn check_value(&self, def: &PropertyDef, what: &str, value: &Spanned<Value>, out: &mut Vec<Diagnostic>) {
        let Some(ty) = &def.ty else { return };
        let name = &def.name.text;
        if let Some((problem, help)) = mismatch(ty.value, def, &value.value) {
            out.push(
                Diagnostic::new(
                    RULE,
                    value.span,
                    format!("{what} {} of `{name}` {problem}", shown(&value.value)),
                )
                .with_related(ty.span, format!("`{name}` is declared `{}` here", ty.value.as_str()))
                .with_help(help),
            );
        }
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::Str(s) => format!("\"{s}\""),
        other => format!("`{other}`"),
    }
}

fn help(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::String => "quote values that YAML would read as numbers or booleans",
        PropertyType::Datetime => "write dates as ISO 8601 strings, such as \"2024-05-01\" or \"2024-05-01T12:30:00Z\"",
        PropertyType::Integer => "write whole numbers without quotes",
        PropertyType::Number => "write numbers without quotes",
        PropertyType::Boolean => "write `true` or `false` without quotes",
        PropertyType::List => "write a list, such as `[a, b]`",
        PropertyType::Object => "write a mapping, such as `{key: value}`",
    }
}

/// Why `value` does not fit the definition, if it does not, and what to do.
fn mismatch(ty: PropertyType, def: &PropertyDef, value: &Value) -> Option<(String, String)> {
    if let Some(problem) = type_problem(ty, def.items.as_ref(), value) {
        return Some((problem, help(ty).to_string()));
    }
    let number = match value {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => return None,
    };
    let range = || {
        let bound = |b: &Option<Spanned<f64>>| b.as_ref().map_or("…".to_string(), |b| b.value.to_string());
        format!("allowed values run from {} to {}", bound(&def.min), bound(&def.max))
    };
    match (&def.min, &def.max) {
        (Some(min), _) if number < min.value => Some((format!("is below the minimum {}", min.value), range())),
        (_, Some(max)) if number > max.value => Some((format!("is above the maximum {}", max.value), range())),
        _ => None,
    }
}

/// Why `value` is not of type `ty` (with `items` for a list), if it is not.
fn type_problem(ty: PropertyType, items: Option<&Items>, value: &Value) -> Option<String> {
    let fits = match (ty, value) {
        (PropertyType::String, Value::Str(_)) => true,
        (PropertyType::Number, Value::Int(_) | Value::Float(_)) => true,
        (PropertyType::Integer, Value::Int(_)) => true,
        (PropertyType::Integer, Value::Float(f)) => f.fract() == 0.0 && f.is_finite(),
        (PropertyType::Boolean, Value::Bool(_)) => true,
        (PropertyType::Datetime, Value::Str(s)) => is_iso8601(s),
        (PropertyType::List, Value::List(values)) => {
            let item_ty = match items {
                Some(Items::Type(t)) => Some(t.value),
                Some(Items::Definition(d)) => d.ty.as_ref().map(|t| t.value),
                None => None,
            };
            if let Some(item_ty) = item_ty {
                let bad = values.iter().find(|v| type_problem(item_ty, None, v).is_some());
                if let Some(bad) = bad {
                    return Some(format!("has item {} that is not {}", shown(bad), item_ty.as_str()));
                }
            }
            true
        }
        (PropertyType::Object, Value::Map(_)) => true,
        _ => false,
    };
    (!fits).then(|| match (ty, value) {
        (PropertyType::Datetime, Value::Str(_)) => "is not an ISO 8601 date or date-time".to_string(),
        _ => format!("is {}, not {}", value.kind(), ty.as_str()),
    })
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM`, optional seconds and fraction, and
/// an optional `Z` or `+HH:MM` offset.
fn is_iso8601(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 10 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !matches!(b[10], b'T' | b' ') || b.len() < 16 || !digits(11..13) || b[13] != b':' || !digits(14..16) {
        return false;
    }
    let mut i = 16;
    if b.get(i) == Some(&b':') {
        if !digits(i + 1..i + 3) {
            return false;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    }
    match &b[i..] {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_iso8601;

    #[test]
    fn recognises_iso_dates() {
        assert!(is_iso8601("2024-05-01"));
        assert!(is_iso8601("2024-05-01T12:30:00Z"));
        assert!(is_iso8601("2024-05-01 12:30:00.123+02:00"));
        assert!(!is_iso8601("2024-13-01"));
        assert!(!is_iso8601("yesterday"));
        assert!(!is_iso8601("2024-05-01T12"));
    }
}
