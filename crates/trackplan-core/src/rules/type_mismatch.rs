//! Flags enum values or examples that do not match the property's declared type.
//!
//! ## What it does
//! Checks each `enum` value and each example against the property's `type` (`string`, `number`,
//! `integer`, `boolean`, `datetime` as an ISO 8601 date or date-time string, `list`, `object`, or
//! `any`), against `min`, `max` and `multiple_of`, against `min_length`, `max_length` and `format`
//! for strings, and against a list's `items` type, `min_items`, `max_items` and `unique_items`.
//! `null` fits only a property with `nullable: true`. Where an event narrows a dictionary property's
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
use crate::formats::is_iso8601;

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
                .with_related(ty.span, format!("`{name}` is declared `{}` here", ty.value))
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
        PropertyType::Any => "any value fits",
    }
}

/// Why `value` does not fit the definition, if it does not, and what to do.
fn mismatch(types: TypeSet, def: &PropertyDef, value: &Value) -> Option<(String, String)> {
    if *value == Value::Null && def.is_nullable() {
        return None;
    }
    if let Some((problem, ty)) = type_problem(types, def.items.as_ref(), value) {
        let help = match (value, ty) {
            (Value::Null, _) => "add `nullable: true` if the value may be `null`",
            (_, Some(ty)) => help(ty),
            (_, None) => "write a value of one of the listed types",
        };
        return Some((problem, help.to_string()));
    }
    match value {
        Value::Int(i) => number_problem(def, *i as f64),
        Value::Float(f) => number_problem(def, *f),
        Value::Str(text) => string_problem(def, text),
        Value::List(items) => list_problem(def, items),
        _ => None,
    }
}

fn number_problem(def: &PropertyDef, number: f64) -> Option<(String, String)> {
    let range = || {
        let bound = |b: &Option<Spanned<f64>>| b.as_ref().map_or("…".to_string(), |b| b.value.to_string());
        format!("allowed values run from {} to {}", bound(&def.min), bound(&def.max))
    };
    match (&def.min, &def.max) {
        (Some(min), _) if number < min.value => return Some((format!("is below the minimum {}", min.value), range())),
        (_, Some(max)) if number > max.value => return Some((format!("is above the maximum {}", max.value), range())),
        _ => {}
    }
    let step = def.multiple_of.as_ref()?.value;
    let quotient = number / step;
    // Within rounding error of a whole multiple: `0.3` is a multiple of `0.1`.
    let whole = (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0);
    (!whole).then(|| (format!("is not a multiple of {step}"), format!("allowed values are whole multiples of {step}")))
}

fn string_problem(def: &PropertyDef, text: &str) -> Option<(String, String)> {
    let length = text.chars().count() as i64;
    let range = || format!("values have {} characters", bounds(&def.min_length, &def.max_length));
    match (&def.min_length, &def.max_length) {
        (Some(min), _) if length < min.value => return Some((format!("is shorter than the minimum length {}", min.value), range())),
        (_, Some(max)) if length > max.value => return Some((format!("is longer than the maximum length {}", max.value), range())),
        _ => {}
    }
    let format = def.format.as_ref()?.value;
    (!format.accepts(text)).then(|| {
        (format!("is not in the `{format}` format"), format!("write it like `{}`", format.example()))
    })
}

fn list_problem(def: &PropertyDef, items: &[Value]) -> Option<(String, String)> {
    let count = items.len() as i64;
    let range = || format!("lists have {} items", bounds(&def.min_items, &def.max_items));
    match (&def.min_items, &def.max_items) {
        (Some(min), _) if count < min.value => return Some((format!("has fewer than {} items", min.value), range())),
        (_, Some(max)) if count > max.value => return Some((format!("has more than {} items", max.value), range())),
        _ => {}
    }
    if def.unique_items.as_ref().is_some_and(|u| u.value) {
        let repeated = items.iter().enumerate().find(|(i, item)| items[..*i].contains(item));
        if let Some((_, item)) = repeated {
            return Some((format!("has the item {} twice", shown(item)), "`unique_items: true`: each item appears once".to_string()));
        }
    }
    None
}

/// "2 to 5", "at least 2", "at most 5".
fn bounds(low: &Option<Spanned<i64>>, high: &Option<Spanned<i64>>) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!("{} to {}", low.value, high.value),
        (Some(low), None) => format!("at least {}", low.value),
        (None, Some(high)) => format!("at most {}", high.value),
        (None, None) => "any number of".to_string(),
    }
}

/// Why `value` fits none of `types` (with `items` for a list), if it does not; with the type
/// when there is only one.
fn type_problem(types: TypeSet, items: Option<&Items>, value: &Value) -> Option<(String, Option<PropertyType>)> {
    let problems: Vec<String> = types.words().map_while(|ty| fits(ty, items, value).err()).collect();
    if problems.len() < types.words().count() {
        return None;
    }
    match (types.single(), problems.as_slice()) {
        (Some(ty), [problem]) => Some((problem.clone(), Some(ty))),
        _ => Some((format!("is {}, not {}", value.kind(), list_of_types(types)), None)),
    }
}

/// `integer or string`.
fn list_of_types(types: TypeSet) -> String {
    let words: Vec<&str> = types.words().map(PropertyType::as_str).collect();
    words.join(" or ")
}

/// Whether `value` is of type `ty` (with `items` for a list), and why not.
fn fits(ty: PropertyType, items: Option<&Items>, value: &Value) -> Result<(), String> {
    let fits = match (ty, value) {
        (_, Value::Null) => false,
        (PropertyType::Any, _) => true,
        (PropertyType::String, Value::Str(_)) => true,
        (PropertyType::Number, Value::Int(_) | Value::Float(_)) => true,
        (PropertyType::Integer, Value::Int(_)) => true,
        (PropertyType::Integer, Value::Float(f)) => f.fract() == 0.0 && f.is_finite(),
        (PropertyType::Boolean, Value::Bool(_)) => true,
        (PropertyType::Datetime, Value::Str(s)) => is_iso8601(s),
        (PropertyType::List, Value::List(values)) => {
            let item_types = match items {
                Some(Items::Type(t)) => Some(TypeSet::of(t.value)),
                Some(Items::Definition(d)) => d.ty.as_ref().map(|t| t.value),
                None => None,
            };
            if let Some(item_types) = item_types {
                let bad = values.iter().find(|v| type_problem(item_types, None, v).is_some());
                if let Some(bad) = bad {
                    let expected = list_of_types(item_types);
                    return Err(format!("has item {} that is not {expected}", shown(bad)));
                }
            }
            true
        }
        (PropertyType::Object, Value::Map(_)) => true,
        _ => false,
    };
    if fits {
        return Ok(());
    }
    Err(match (ty, value) {
        (PropertyType::Datetime, Value::Str(_)) => "is not an ISO 8601 date or date-time".to_string(),
        _ => format!("is {}, not {}", value.kind(), ty.as_str()),
    })
}
