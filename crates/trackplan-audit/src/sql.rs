//! `trackplan export --format sql`: the audit as one query, for events that live in a warehouse.
//!
//! The query reads a table with a text column `event` and a JSON column `properties` (the shape
//! of a Mixpanel raw export, which the audit reads the same way: the destination's automatic
//! properties are never unplanned, its automatic events are skipped) and returns the findings of
//! the rules about one event's name and its top-level properties, as `rule`, `event`,
//! `property`, `count`, `example`, with the meaning [`crate::check`] gives them: one count per
//! event and (rule, property), a null counts only as `unexpected-null`, a value of the wrong type
//! only as `wrong-type`. Nested properties, identities, limits and formats are left to
//! `trackplan audit` ([`SQL_RULES`] lists what the query covers).

use crate::shape::Shape;
use crate::spec::{AuditPlan, ObjectSpec, PropId, PropSpec};
use std::fmt::Write;
use trackplan_core::model::{PropertyType, Status, Value};

/// The SQL dialects the query is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
}

/// The rules the query finds; the others are left to `trackplan audit`.
pub const SQL_RULES: &[&str] = &[
    "unplanned-event",
    "deprecated-event-seen",
    "event-never-seen",
    "missing-required-property",
    "missing-super-property",
    "unplanned-property",
    "unexpected-null",
    "wrong-type",
    "enum-violation",
    "range-violation",
    "length-violation",
    "pattern-violation",
];

/// `iso8601` as `trackplan_core::formats::is_iso8601` reads it: a date, optionally a time of
/// minutes, seconds and a fraction, and `Z` or an offset.
const ISO8601: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$";

/// The query over `table` (a table name, quoted by the caller if it needs quoting).
pub fn query(plan: &AuditPlan, dialect: Dialect, table: &str) -> String {
    let Dialect::DuckDb = dialect;
    let limits = plan.limits(Shape::Mixpanel);
    let mut parts: Vec<String> = Vec::new();

    let planned: Vec<String> = plan.events.iter().map(|e| text(&e.name)).collect();
    let automatic_event = automatic(
        "event",
        limits
            .destinations
            .iter()
            .flat_map(|i| i.reserved_prefixes.iter().chain(i.reserved_event_prefixes)),
        limits
            .destinations
            .iter()
            .flat_map(|i| i.reserved_names.iter().chain(i.reserved_event_names)),
    );
    parts.push(format!(
        "SELECT 'unplanned-event' AS rule, event, CAST(NULL AS VARCHAR) AS property, \
         CAST(to_json(event) AS VARCHAR) AS example FROM source \
         WHERE event IS NOT NULL AND {} AND NOT ({automatic_event})",
        if planned.is_empty() {
            "TRUE".to_string()
        } else {
            format!("event NOT IN ({})", planned.join(", "))
        }
    ));
    let deprecated: Vec<String> = plan
        .events
        .iter()
        .filter(|e| e.is_deprecated())
        .map(|e| text(&e.name))
        .collect();
    if !deprecated.is_empty() {
        parts.push(format!(
            "SELECT 'deprecated-event-seen', event, NULL, CAST(to_json(event) AS VARCHAR) \
             FROM source WHERE event IN ({})",
            in_list(&deprecated)
        ));
    }

    let automatic_property = automatic(
        "key",
        limits
            .destinations
            .iter()
            .flat_map(|i| i.reserved_prefixes.iter()),
        limits
            .destinations
            .iter()
            .flat_map(|i| i.reserved_names.iter()),
    );
    let mut planned_keys = Vec::new();
    for event in &plan.events {
        let name = text(&event.name);
        let properties = &event.properties;
        for (key, id) in event_properties(plan, properties) {
            planned_keys.push(format!("({name}, {})", text(&key)));
            checks(plan, &name, &key, id, &mut parts);
        }
        for (key, _) in &properties.required {
            parts.push(format!(
                "SELECT 'missing-required-property', event, {}, 'absent' FROM source \
                 WHERE event = {name} AND {} IS NULL",
                text(key),
                json_type(key)
            ));
        }
        for (key, _) in &plan.super_properties {
            parts.push(format!(
                "SELECT 'missing-super-property', event, {}, 'absent' FROM source \
                 WHERE event = {name} AND {} IS NULL",
                text(key),
                json_type(key)
            ));
        }
    }
    let planned_keys = if planned_keys.is_empty() {
        "SELECT CAST(NULL AS VARCHAR) AS event, CAST(NULL AS VARCHAR) AS key WHERE FALSE"
            .to_string()
    } else {
        format!(
            "SELECT * FROM (VALUES {}) AS planned(event, key)",
            planned_keys.join(", ")
        )
    };
    parts.push(format!(
        "SELECT 'unplanned-property', sent.event, sent.key, \
         CAST(json_extract(sent.properties, '$.' || to_json(sent.key)) AS VARCHAR) \
         FROM (SELECT event, properties, unnest(json_keys(properties)) AS key FROM source \
         WHERE event IN ({}) AND json_type(properties) = 'OBJECT') AS sent \
         WHERE NOT EXISTS (SELECT 1 FROM planned_keys AS p WHERE p.event = sent.event AND p.key = sent.key) \
         AND NOT ({})",
        in_list(&planned),
        automatic_property.replace("key", "sent.key")
    ));

    let never: Vec<String> = plan
        .events
        .iter()
        .filter(|e| matches!(e.status, None | Some(Status::Implemented)))
        .map(|e| format!("({})", text(&e.name)))
        .collect();
    let never_seen = if never.is_empty() {
        String::new()
    } else {
        format!(
            "\nUNION ALL\nSELECT 'event-never-seen', planned.event, NULL, 0, NULL \
             FROM (VALUES {}) AS planned(event) \
             WHERE planned.event NOT IN (SELECT event FROM source WHERE event IS NOT NULL)",
            never.join(", ")
        )
    };

    let mut sql = String::new();
    let _ = writeln!(
        sql,
        "-- trackplan audit as SQL (DuckDB): the findings of the rules {} over `{table}`.",
        SQL_RULES.join(", ")
    );
    let _ = writeln!(
        sql,
        "-- The others (nested properties, user ids, limits, formats) are left to `trackplan audit`."
    );
    let _ = writeln!(
        sql,
        "WITH source AS (SELECT CAST(event AS VARCHAR) AS event, CAST(properties AS JSON) AS properties FROM {table}),"
    );
    let _ = writeln!(sql, "planned_keys AS ({planned_keys}),");
    let _ = writeln!(sql, "findings AS (");
    let _ = writeln!(sql, "{}", union_all(&parts));
    let _ = writeln!(sql, ")");
    let _ = write!(
        sql,
        "SELECT rule, event, property, COUNT(*) AS count, MIN(example) AS example \
         FROM findings GROUP BY rule, event, property{never_seen}\nORDER BY rule, event, property;\n"
    );
    sql
}

/// The parts one after the other, as a balanced tree of `UNION ALL`: SQL parsers nest a flat
/// chain as deep as it is long, and a plan makes thousands of parts.
fn union_all(parts: &[String]) -> String {
    match parts {
        [] => "SELECT NULL, NULL, NULL, NULL WHERE FALSE".to_string(),
        [one] => one.clone(),
        _ => {
            let (left, right) = parts.split_at(parts.len() / 2);
            format!(
                "SELECT * FROM ({})\nUNION ALL\nSELECT * FROM ({})",
                union_all(left),
                union_all(right)
            )
        }
    }
}

/// An event's planned top-level properties with the super properties it does not plan itself,
/// sorted by name.
fn event_properties(plan: &AuditPlan, properties: &ObjectSpec) -> Vec<(String, PropId)> {
    let mut all: Vec<(String, PropId)> = properties
        .by_name
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    for (key, id) in &plan.super_properties {
        if !properties.by_name.contains_key(key) {
            all.push((key.clone(), *id));
        }
    }
    all.sort();
    all
}

/// The checks of one value: `unexpected-null`, else `wrong-type`, else the constraints.
fn checks(plan: &AuditPlan, event: &str, key: &str, id: PropId, parts: &mut Vec<String>) {
    let spec = plan.property(id);
    let ty = json_type(key);
    let value = format!("CAST(json_extract(properties, {}) AS VARCHAR)", path(key));
    let string = format!("json_extract_string(properties, {})", path(key));
    let number = format!("TRY_CAST({value} AS DOUBLE)");
    let select = |rule: &str, condition: &str| {
        format!(
            "SELECT '{rule}', event, {}, {value} FROM source WHERE event = {event} AND {condition}",
            text(key)
        )
    };
    if !spec.nullable {
        parts.push(select("unexpected-null", &format!("{ty} = 'NULL'")));
    }
    let fits = fits(spec, &ty, &string, &number);
    let present = format!("{ty} IS NOT NULL AND {ty} <> 'NULL'");
    if fits != "TRUE" {
        parts.push(select("wrong-type", &format!("{present} AND NOT ({fits})")));
    }
    let checked = format!("{present} AND ({fits})");
    if let Some(allowed) = &spec.enum_values {
        if let Some(within) = enum_condition(allowed, &ty, &string, &number) {
            parts.push(select(
                "enum-violation",
                &format!("{checked} AND NOT ({within})"),
            ));
        }
    }
    let is_string = format!("{ty} = 'VARCHAR'");
    let mut length = Vec::new();
    if let Some(min) = spec.min_length {
        length.push(format!("length({string}) < {min}"));
    }
    if let Some(max) = spec.max_length {
        length.push(format!("length({string}) > {max}"));
    }
    if !length.is_empty() {
        parts.push(select(
            "length-violation",
            &format!("{checked} AND {is_string} AND ({})", length.join(" OR ")),
        ));
    }
    if let (Some(_), Some(pattern)) = (&spec.pattern, &spec.pattern_text) {
        parts.push(select(
            "pattern-violation",
            &format!(
                "{checked} AND {is_string} AND NOT regexp_matches({string}, {})",
                text(pattern)
            ),
        ));
    }
    let is_number = format!("{ty} IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT')");
    let mut range = Vec::new();
    if let Some(min) = spec.min {
        range.push(format!("{number} < {}", float(min)));
    }
    if let Some(max) = spec.max {
        range.push(format!("{number} > {}", float(max)));
    }
    if let Some(step) = spec.multiple_of {
        let quotient = format!("({number} / {})", float(step));
        range.push(format!(
            "abs({quotient} - round({quotient})) > 1e-9 * greatest(abs({quotient}), 1.0)"
        ));
    }
    if !range.is_empty() {
        parts.push(select(
            "range-violation",
            &format!("{checked} AND {is_number} AND ({})", range.join(" OR ")),
        ));
    }
}

/// The value fits one of the property's types (`TRUE` when any value does).
fn fits(spec: &PropSpec, ty: &str, string: &str, number: &str) -> String {
    let Some(types) = spec.types else {
        return "TRUE".to_string();
    };
    if types.is_any() {
        return "TRUE".to_string();
    }
    let words: Vec<String> = types
        .words()
        .map(|word| match word {
            PropertyType::Any => "TRUE".to_string(),
            PropertyType::String => format!("{ty} = 'VARCHAR'"),
            PropertyType::Datetime => format!(
                "({ty} = 'VARCHAR' AND regexp_matches({string}, {}))",
                text(ISO8601)
            ),
            PropertyType::Boolean => format!("{ty} = 'BOOLEAN'"),
            PropertyType::Number => format!("{ty} IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT')"),
            PropertyType::Integer => format!(
                "({ty} IN ('BIGINT', 'UBIGINT', 'HUGEINT') OR ({ty} = 'DOUBLE' AND isfinite({number}) AND {number} = floor({number})))"
            ),
            PropertyType::List => format!("{ty} = 'ARRAY'"),
            PropertyType::Object => format!("{ty} = 'OBJECT'"),
        })
        .collect();
    words.join(" OR ")
}

/// The value is one of the allowed ones; `None` when a list or a map is allowed (left to
/// `trackplan audit`, which compares them item by item).
fn enum_condition(allowed: &[Value], ty: &str, string: &str, number: &str) -> Option<String> {
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    let mut booleans = Vec::new();
    for value in allowed {
        match value {
            Value::Null => {}
            Value::Bool(b) => booleans.push(b.to_string()),
            Value::Int(i) => numbers.push(float(*i as f64)),
            Value::Float(f) => numbers.push(float(*f)),
            Value::Str(s) => strings.push(text(s)),
            Value::List(_) | Value::Map(_) => return None,
        }
    }
    let mut any = Vec::new();
    if !strings.is_empty() {
        any.push(format!(
            "({ty} = 'VARCHAR' AND {string} IN ({}))",
            strings.join(", ")
        ));
    }
    if !numbers.is_empty() {
        any.push(format!(
            "({ty} IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT') AND {number} IN ({}))",
            numbers.join(", ")
        ));
    }
    if !booleans.is_empty() {
        any.push(format!(
            "({ty} = 'BOOLEAN' AND CAST({string} AS BOOLEAN) IN ({}))",
            booleans.join(", ")
        ));
    }
    Some(if any.is_empty() {
        "FALSE".to_string()
    } else {
        any.join(" OR ")
    })
}

/// A condition on `column` for the destinations' reserved prefixes and names.
fn automatic<'a>(
    column: &str,
    prefixes: impl Iterator<Item = &'a &'a str>,
    names: impl Iterator<Item = &'a &'a str>,
) -> String {
    let mut any: Vec<String> = prefixes
        .map(|p| format!("starts_with({column}, {})", text(p)))
        .collect();
    let names: Vec<String> = names.map(|n| text(n)).collect();
    if !names.is_empty() {
        any.push(format!("{column} IN ({})", names.join(", ")));
    }
    if any.is_empty() {
        "FALSE".to_string()
    } else {
        any.join(" OR ")
    }
}

/// DuckDB's JSON type of a top-level property: `NULL` (a JSON null), `VARCHAR`, …, or SQL NULL
/// when the property is absent.
fn json_type(key: &str) -> String {
    format!("json_type(properties, {})", path(key))
}

/// The JSON path of a top-level property, its name quoted (names hold spaces and dots).
fn path(key: &str) -> String {
    let quoted = serde_json::Value::String(key.to_string()).to_string();
    text(&format!("$.{quoted}"))
}

fn in_list(items: &[String]) -> String {
    if items.is_empty() {
        "NULL".to_string()
    } else {
        items.join(", ")
    }
}

/// A SQL string literal.
fn text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A number literal SQL reads as a double.
fn float(f: f64) -> String {
    let shown = format!("{f:?}");
    if shown.contains(['e', 'E']) || shown.contains('.') {
        format!("CAST({shown} AS DOUBLE)")
    } else {
        format!("CAST({shown}.0 AS DOUBLE)")
    }
}
