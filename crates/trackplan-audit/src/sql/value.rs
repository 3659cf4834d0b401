//! The checks of one value against its property's definition: `unexpected-null`, `wrong-type`,
//! then the constraints (enum, length, pattern, format, range, list size, the destination's
//! string limit), then its nested properties or its list's items.

use super::{formats, Query, Scope};
use crate::shape::Shape;
use crate::spec::{PropId, PropSpec};
use trackplan_core::model::{Format, PropertyType, TypeSet, Value};

/// `iso8601` as `trackplan_core::formats::is_iso8601` reads it: a date, optionally a time of
/// minutes, seconds and a fraction, and `Z` or an offset.
pub(super) const ISO8601: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$";

impl Query<'_> {
    /// The checks of one value (`json`, absent when SQL NULL): `unexpected-null`, else
    /// `wrong-type`, else the constraints, then its nested properties or its list's items.
    /// `top`: an event's own property, whose string limit the scan of the event's members checks
    /// (`unplanned_top_level`), once for all of them.
    pub(super) fn value(&mut self, scope: &Scope, id: PropId, json: &str, top: bool) {
        let plan = self.plan;
        let spec = plan.property(id);
        let name = self.lit(&spec.path);
        let example = (self.s.json_text)(json);
        let null = self.is_null(json);
        if !spec.nullable {
            self.part(scope, "unexpected-null", &name, &example, &null);
        }
        let text = (self.s.as_text)(json);
        let number = (self.s.as_double)(json);
        let fits = self.fits(spec, json, &text, &number);
        let present = format!("{json} IS NOT NULL AND NOT ({null})");
        if fits != "TRUE" {
            self.part(
                scope,
                "wrong-type",
                &name,
                &example,
                &format!("{present} AND NOT ({fits})"),
            );
        }
        let checked = format!("{present} AND ({fits})");
        let check = |q: &mut Self, rule: &str, condition: String| {
            q.part(
                scope,
                rule,
                &name,
                &example,
                &format!("{checked} AND {condition}"),
            )
        };
        if let Some(allowed) = &spec.enum_values {
            let within = self.enum_condition(allowed, json, &text, &number);
            check(self, "enum-violation", format!("NOT ({within})"));
        }
        let is_string = self.is(json, self.s.types.string);
        let length = (self.s.char_length)(&text);
        let outside = out_of_bounds(&length, spec.min_length, spec.max_length);
        if !outside.is_empty() {
            check(
                self,
                "length-violation",
                format!("{is_string} AND ({})", outside.join(" OR ")),
            );
        }
        if let (Some(_), Some(pattern)) = (&spec.pattern, &spec.pattern_text) {
            let matches = (self.s.matches)(&text, &self.regex(pattern));
            check(
                self,
                "pattern-violation",
                format!("{is_string} AND NOT {matches}"),
            );
        }
        let is_number = self.is_number(json);
        let float = |f: Option<f64>| f.map(|f| self.float(f));
        let mut outside = out_of_bounds(&number, float(spec.min), float(spec.max));
        if let Some(step) = spec.multiple_of {
            let quotient = format!("({number} / {})", self.float(step));
            outside.push(format!(
                "abs({quotient} - round({quotient})) > 1e-9 * greatest(abs({quotient}), 1.0)"
            ));
        }
        if !outside.is_empty() {
            check(
                self,
                "range-violation",
                format!("{is_number} AND ({})", outside.join(" OR ")),
            );
        }
        if let Some(format) = spec.format {
            let within = self.in_format(format, &text);
            check(
                self,
                "format-violation",
                format!("{is_string} AND NOT ({within})"),
            );
        }
        let may_be_text = spec.types.map_or(TextFit::Always, text_fit) != TextFit::Never;
        if let Some(over) = self.string_over_limit(json).filter(|_| may_be_text && !top) {
            check(self, "value-over-limit", over);
        }
        let is_list = self.is(json, self.s.types.list);
        let count = (self.s.list_length)(json);
        let mut outside = out_of_bounds(&count, spec.min_items, spec.max_items);
        if spec.unique_items {
            let distinct = (self.s.distinct_items)(json, &self.item_key("item"));
            outside.push(format!("{count} > {distinct}"));
        }
        if !outside.is_empty() {
            check(
                self,
                "list-size-violation",
                format!("{is_list} AND ({})", outside.join(" OR ")),
            );
        }
        if let Some(object) = &spec.object {
            let inside = Scope {
                guard: format!(
                    "{} AND {checked} AND {}",
                    scope.guard,
                    self.is(json, self.s.types.object)
                ),
                ..scope.clone()
            };
            self.nested_object(&inside, spec, object, json);
        }
        if let Some(item) = spec.items {
            let (items, node) = self.items(scope, &format!("{checked} AND {is_list}"), json);
            self.value(&items, item, &node, false);
        }
    }

    /// The text is in the format: it matches each of the format's patterns that it must and none
    /// of the others.
    fn in_format(&self, format: Format, text: &str) -> String {
        let patterns = formats::patterns(format);
        let all = patterns
            .all
            .iter()
            .map(|p| (self.s.matches)(text, &self.regex(p)));
        let none = patterns
            .none
            .iter()
            .map(|p| format!("NOT {}", (self.s.matches)(text, &self.regex(p))));
        all.chain(none).collect::<Vec<_>>().join(" AND ")
    }

    /// A string longer than the destinations keep (`value-over-limit`), when they set a limit.
    pub(super) fn string_over_limit(&self, json: &str) -> Option<String> {
        let (max, _) = self.plan.limits(Shape::Mixpanel).max_string_chars?;
        let length = (self.s.char_length)(&(self.s.as_text)(json));
        Some(format!(
            "{} AND {length} > {max}",
            self.is(json, self.s.types.string)
        ))
    }

    /// What tells a list's items apart as `trackplan audit` does (`unique_items`): a string by its
    /// text, a number by its value (`1` and `1.0` are one item, as in JSON Schema), a list or an
    /// object by its JSON text.
    fn item_key(&self, item: &str) -> String {
        let t = &self.s.types;
        let text = self.s.text_type;
        format!(
            "CASE WHEN {} THEN 's' || {} WHEN {} THEN 'n' || CAST({} + {} AS {text}) \
             WHEN {} THEN 'b' || {} WHEN {} THEN 'z' ELSE 'j' || {} END",
            self.is(item, t.string),
            (self.s.as_text)(item),
            self.is_number(item),
            (self.s.as_double)(item),
            // `-0.0 + 0.0` is `0.0`: the two zeros are one number.
            self.float(0.0),
            self.is(item, t.boolean),
            (self.s.json_text)(item),
            self.is_null(item),
            (self.s.json_text)(item),
        )
    }

    /// The value fits one of the property's types (`TRUE` when any value does).
    fn fits(&self, spec: &PropSpec, json: &str, text: &str, number: &str) -> String {
        let Some(types) = spec.types else {
            return "TRUE".to_string();
        };
        if types.is_any() {
            return "TRUE".to_string();
        }
        let t = &self.s.types;
        let words: Vec<String> = types
            .words()
            .map(|word| match word {
                PropertyType::Any => "TRUE".to_string(),
                PropertyType::String => self.is(json, t.string),
                PropertyType::Datetime => format!(
                    "({} AND {})",
                    self.is(json, t.string),
                    (self.s.matches)(text, &self.regex(ISO8601))
                ),
                PropertyType::Boolean => self.is(json, t.boolean),
                PropertyType::Number => self.is_number(json),
                PropertyType::Integer => {
                    format!("({} AND {number} = round({number}))", self.is_number(json))
                }
                PropertyType::List => self.is(json, t.list),
                PropertyType::Object => self.is(json, t.object),
            })
            .collect();
        words.join(" OR ")
    }

    /// The value is one of the allowed ones.
    fn enum_condition(&self, allowed: &[Value], json: &str, text: &str, number: &str) -> String {
        let mut strings = Vec::new();
        let mut numbers = Vec::new();
        let mut booleans = Vec::new();
        let mut any = Vec::new();
        for value in allowed {
            match value {
                Value::Null => {}
                Value::Bool(b) => booleans.push(b.to_string()),
                Value::Int(i) => numbers.push(self.float(*i as f64)),
                Value::Float(f) => numbers.push(self.float(*f)),
                Value::Str(s) => strings.push(self.lit(s)),
                Value::List(_) | Value::Map(_) => any.push(self.equals(json, value)),
            }
        }
        let t = &self.s.types;
        if !strings.is_empty() {
            any.push(format!(
                "({} AND {text} IN ({}))",
                self.is(json, t.string),
                strings.join(", ")
            ));
        }
        if !numbers.is_empty() {
            any.push(format!(
                "({} AND {number} IN ({}))",
                self.is_number(json),
                numbers.join(", ")
            ));
        }
        if !booleans.is_empty() {
            any.push(format!(
                "({} AND {} IN ({}))",
                self.is(json, t.boolean),
                (self.s.as_boolean)(json),
                booleans.join(", ")
            ));
        }
        if any.is_empty() {
            "FALSE".to_string()
        } else {
            any.join(" OR ")
        }
    }

    /// The value `json` is the plan's `value`, compared as `trackplan audit` compares an enum's
    /// lists and maps: item by item, member by member (in any order), numbers by value.
    fn equals(&self, json: &str, value: &Value) -> String {
        let t = &self.s.types;
        match value {
            Value::Null => self.is_null(json),
            Value::Bool(b) => format!(
                "({} AND {} = {b})",
                self.is(json, t.boolean),
                (self.s.as_boolean)(json)
            ),
            Value::Int(i) => self.number_equals(json, *i as f64),
            Value::Float(f) => self.number_equals(json, *f),
            Value::Str(s) => format!(
                "({} AND {} = {})",
                self.is(json, t.string),
                (self.s.as_text)(json),
                self.lit(s)
            ),
            Value::List(items) => {
                let mut all = vec![
                    self.is(json, t.list),
                    format!("{} = {}", (self.s.list_length)(json), items.len()),
                ];
                for (i, item) in items.iter().enumerate() {
                    all.push(self.equals(&(self.s.item_at)(json, i), item));
                }
                format!("({})", all.join(" AND "))
            }
            Value::Map(members) => {
                let mut all = vec![
                    self.is(json, t.object),
                    format!("{} = {}", (self.s.member_count)(json), members.len()),
                ];
                for (key, member) in members {
                    all.push(self.equals(&(self.s.field)(json, key), member));
                }
                format!("({})", all.join(" AND "))
            }
        }
    }

    fn number_equals(&self, json: &str, number: f64) -> String {
        format!(
            "({} AND {} = {})",
            self.is_number(json),
            (self.s.as_double)(json),
            self.float(number)
        )
    }
}

/// The conditions under which `value` is below `min` or above `max` (none when neither is set).
fn out_of_bounds<T: std::fmt::Display>(value: &str, min: Option<T>, max: Option<T>) -> Vec<String> {
    let below = min.map(|min| format!("{value} < {min}"));
    let above = max.map(|max| format!("{value} > {max}"));
    below.into_iter().chain(above).collect()
}

/// Which strings a property's types take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TextFit {
    Always,
    /// `datetime` only: the strings in ISO 8601.
    Iso8601,
    Never,
}

pub(super) fn text_fit(types: TypeSet) -> TextFit {
    if types.is_any() {
        return TextFit::Always;
    }
    let mut fit = TextFit::Never;
    for word in types.words() {
        match word {
            PropertyType::Any | PropertyType::String => return TextFit::Always,
            PropertyType::Datetime => fit = TextFit::Iso8601,
            _ => {}
        }
    }
    fit
}
