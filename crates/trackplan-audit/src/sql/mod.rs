//! `trackplan export --format sql`: the audit as one query, for events that live in a warehouse.
//!
//! The query reads a table with a text column `event` and a JSON column `properties` (the shape
//! of a Mixpanel raw export, which the audit reads the same way: the destination's automatic
//! properties are never unplanned, its automatic events are skipped) and returns the findings of
//! the rules about one event's name and its properties, nested ones included (named by their
//! dotted path, a list's items by `[]`), as `rule`, `event`, `property`, `count`, `example`, with
//! the meaning [`crate::check`] gives them: one count per record and (rule, property), a null
//! counts only as `unexpected-null`, a value of the wrong type only as `wrong-type`. The user id
//! is the `distinct_id` property, the limits are Mixpanel's. Only `malformed-line` is left to
//! `trackplan audit` ([`SQL_RULES`] lists what the query covers).
//!
//! The query is written once; what differs between dialects is a table of small functions
//! ([`dialect`]).

mod dialect;
mod formats;
mod value;

pub use dialect::Dialect;

use crate::shape::Shape;
use crate::spec::{AuditPlan, ObjectSpec, PropId, PropSpec};
use dialect::Syntax;
use std::fmt::Write;
use trackplan_core::model::Status;
use value::{text_fit, TextFit, ISO8601};

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
    "format-violation",
    "list-size-violation",
    "value-over-limit",
    "missing-distinct-id",
    "invalid-distinct-id",
];

/// The query over `table` (a table name, quoted by the caller if it needs quoting).
pub fn query(plan: &AuditPlan, dialect: Dialect, table: &str) -> String {
    let mut query = Query {
        plan,
        s: dialect.syntax(),
        checks: Vec::new(),
        scopes: 0,
    };
    query.event_names();
    query.unplanned_top_level();
    for event in &plan.events {
        query.event(&event.name, &event.properties);
    }
    query.finish(table)
}

/// Where the values a check reads are: the rows of `from` that meet `guard` (and are of the
/// planned `event`, a literal, when there is one), each one record (`per_record: false`: the
/// events themselves) or one item of a record's list (`true`: a record is counted once, by the
/// `record` column).
#[derive(Clone)]
struct Scope {
    from: String,
    event: Option<String>,
    guard: String,
    per_record: bool,
}

/// What checks read in one scan: `from`, whether per record, whether by planned event.
type ScanKey<'c> = (&'c str, bool, bool);

/// One check: a finding, or NULL, for each row of its scope.
struct Check {
    from: String,
    event: Option<String>,
    per_record: bool,
    finding: String,
}

struct Query<'p> {
    plan: &'p AuditPlan,
    s: &'static Syntax,
    checks: Vec<Check>,
    /// Names of subqueries and list items made so far (each gets a number of its own).
    scopes: usize,
}

impl Query<'_> {
    fn lit(&self, text: &str) -> String {
        (self.s.literal)(text)
    }

    /// A regular expression as a literal the engine reads as the audit does.
    fn regex(&self, pattern: &str) -> String {
        self.lit(&(self.s.regex)(pattern))
    }

    fn null_text(&self) -> String {
        format!("CAST(NULL AS {})", self.s.text_type)
    }

    fn is(&self, json: &str, kind: &str) -> String {
        format!("{} = '{kind}'", (self.s.type_of)(json))
    }

    fn is_number(&self, json: &str) -> String {
        let kinds: Vec<String> = self
            .s
            .types
            .numbers
            .iter()
            .map(|k| format!("'{k}'"))
            .collect();
        format!("{} IN ({})", (self.s.type_of)(json), kinds.join(", "))
    }

    fn is_null(&self, json: &str) -> String {
        self.is(json, self.s.types.null)
    }

    /// One check: the rows of `scope` where `condition` holds are findings of `rule` on
    /// `property` (a SQL expression), with the value `example`.
    fn part(&mut self, scope: &Scope, rule: &str, property: &str, example: &str, condition: &str) {
        let finding = (self.s.finding)(&format!("'{rule}'"), property, example);
        self.checks.push(Check {
            from: scope.from.clone(),
            event: scope.event.clone(),
            per_record: scope.per_record,
            finding: format!(
                "CASE WHEN {} AND {condition} THEN {finding} END",
                scope.guard
            ),
        });
    }

    /// `unplanned-event` and `deprecated-event-seen`.
    fn event_names(&mut self) {
        let limits = self.plan.limits(Shape::Mixpanel);
        let automatic = self.automatic(
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
        let planned = self.planned_events();
        let all = Scope {
            from: "source".to_string(),
            event: None,
            guard: "event IS NOT NULL".to_string(),
            per_record: false,
        };
        let example = (self.s.text_as_json)("event");
        let null = self.null_text();
        self.part(
            &all,
            "unplanned-event",
            &null,
            &example,
            &format!("event NOT IN ({planned}) AND NOT ({automatic})"),
        );
        let deprecated: Vec<String> = self
            .plan
            .events
            .iter()
            .filter(|e| e.is_deprecated())
            .map(|e| self.lit(&e.name))
            .collect();
        if !deprecated.is_empty() {
            self.part(
                &all,
                "deprecated-event-seen",
                &null,
                &example,
                &format!("event IN ({})", deprecated.join(", ")),
            );
        }
    }

    fn planned_events(&self) -> String {
        let planned: Vec<String> = self.plan.events.iter().map(|e| self.lit(&e.name)).collect();
        in_list(&planned)
    }

    /// `unplanned-property` at the top level, for every planned event in one part: a property
    /// neither the event nor the super properties plan, that the destination does not add.
    fn unplanned_top_level(&mut self) {
        let limits = self.plan.limits(Shape::Mixpanel);
        let automatic = self.automatic(
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
        // Per planned event: its keys, and those whose planned type refuses a string (all
        // strings, or, for `datetime`, those not in ISO 8601): such a string is `wrong-type`,
        // never over the limit.
        let mut planned = String::new();
        let mut refusing = String::new();
        for event in &self.plan.events {
            let top = top_level(self.plan, &event.properties);
            let keys: Vec<String> = top.iter().map(|(key, _)| self.lit(key)).collect();
            if !keys.is_empty() {
                let name = self.lit(&event.name);
                let _ = write!(planned, " WHEN {name} THEN key IN ({})", keys.join(", "));
            }
            let refused: Vec<String> = top
                .iter()
                .filter_map(|(key, id)| {
                    let key = self.lit(key);
                    match self.plan.property(*id).types.map(text_fit) {
                        Some(TextFit::Never) => Some(format!("key = {key}")),
                        Some(TextFit::Iso8601) => Some(format!(
                            "(key = {key} AND NOT {})",
                            (self.s.matches)(&(self.s.as_text)("value"), &self.regex(ISO8601))
                        )),
                        Some(TextFit::Always) | None => None,
                    }
                })
                .collect();
            if !refused.is_empty() {
                let name = self.lit(&event.name);
                let _ = write!(refusing, " WHEN {name} THEN {}", refused.join(" OR "));
            }
        }
        let by_event = |branches: String| {
            if branches.is_empty() {
                "FALSE".to_string()
            } else {
                format!("(CASE event{branches} ELSE FALSE END)")
            }
        };
        let (planned, refusing) = (by_event(planned), by_event(refusing));
        let members = (self.s.members)(
            "event",
            "source",
            "properties",
            &format!(
                "event IN ({}) AND {}",
                self.planned_events(),
                self.is("properties", self.s.types.object)
            ),
        );
        self.scopes += 1;
        let sent = Scope {
            from: format!("({members}) AS members{}", self.scopes),
            event: None,
            guard: "TRUE".to_string(),
            per_record: false,
        };
        let example = (self.s.json_text)("value");
        self.part(
            &sent,
            "unplanned-property",
            "key",
            &example,
            &format!("NOT {planned} AND NOT ({automatic})"),
        );
        // The string limit of every top-level value, planned or not, in this one scan (planned
        // ones as `value` would check them: those their type takes).
        if let Some(over) = self.string_over_limit("value") {
            let condition =
                format!("({planned} OR NOT ({automatic})) AND {over} AND NOT {refusing}");
            self.part(&sent, "value-over-limit", "key", &example, &condition);
        }
    }

    /// The checks of one planned event's properties.
    fn event(&mut self, name: &str, properties: &ObjectSpec) {
        let scope = Scope {
            from: "source".to_string(),
            event: Some(self.lit(name)),
            guard: "TRUE".to_string(),
            per_record: false,
        };
        for (key, id) in top_level(self.plan, properties) {
            let json = (self.s.field)("properties", &key);
            self.value(&scope, id, &json, true);
        }
        self.required(&scope, properties, "properties");
        for (key, id) in self.plan.super_properties.clone() {
            let absent = format!("{} IS NULL", (self.s.field)("properties", &key));
            let name = self.lit(&self.plan.property(id).path);
            self.part(&scope, "missing-super-property", &name, "'absent'", &absent);
        }
        if let Some((max, _)) = self.plan.limits(Shape::Mixpanel).max_properties {
            let count = (self.s.member_count)("properties");
            let shown = format!("CAST({count} AS {}) || ' properties'", self.s.text_type);
            let is_object = self.is("properties", self.s.types.object);
            let condition = format!("{is_object} AND {count} > {max}");
            let null = self.null_text();
            self.part(&scope, "value-over-limit", &null, &shown, &condition);
        }
        self.identity(&scope);
    }

    /// `missing-distinct-id` and `invalid-distinct-id`: the user id of a Mixpanel event is its
    /// `distinct_id` property.
    fn identity(&mut self, scope: &Scope) {
        let id = (self.s.field)("properties", "distinct_id");
        let absent = format!("{id} IS NULL");
        let shown = format!("CASE WHEN {absent} THEN 'no user id' ELSE 'distinct_id null' END");
        let missing = format!("({absent} OR {})", self.is_null(&id));
        let null = self.null_text();
        self.part(scope, "missing-distinct-id", &null, &shown, &missing);
        let t = &self.s.types;
        let text = (self.s.as_text)(&id);
        let rejected = [
            format!(
                "({} AND {})",
                self.is(&id, t.string),
                (self.s.matches)(&text, &self.regex(&placeholder_pattern()))
            ),
            self.is(&id, t.boolean),
            format!(
                "({} AND {} IN ({}, {}))",
                self.is_number(&id),
                (self.s.as_double)(&id),
                self.float(0.0),
                self.float(-1.0)
            ),
            format!(
                "({} AND {} = 0)",
                self.is(&id, t.list),
                (self.s.list_length)(&id)
            ),
            format!(
                "({} AND {} = 0)",
                self.is(&id, t.object),
                (self.s.member_count)(&id)
            ),
        ];
        let condition = format!("{id} IS NOT NULL AND ({})", rejected.join(" OR "));
        let property = self.lit("distinct_id");
        let example = (self.s.json_text)(&id);
        self.part(
            scope,
            "invalid-distinct-id",
            &property,
            &example,
            &condition,
        );
    }

    /// `missing-required-property` for the members of the object `json`.
    fn required(&mut self, scope: &Scope, object: &ObjectSpec, json: &str) {
        for (key, id) in &object.required {
            let absent = format!("{} IS NULL", (self.s.field)(json, key));
            let name = self.lit(&self.plan.property(*id).path);
            self.part(
                scope,
                "missing-required-property",
                &name,
                "'absent'",
                &absent,
            );
        }
    }

    /// The members of a nested object (`spec` the object's property): its planned ones checked,
    /// required ones looked for, the others unplanned.
    fn nested_object(&mut self, scope: &Scope, spec: &PropSpec, object: &ObjectSpec, json: &str) {
        let mut planned: Vec<(&String, &PropId)> = object.by_name.iter().collect();
        planned.sort();
        for (key, id) in &planned {
            let member = (self.s.field)(json, key);
            self.value(scope, **id, &member, false);
        }
        self.required(scope, object, json);
        let columns = if scope.per_record {
            "record, event"
        } else {
            "event"
        };
        let members = (self.s.members)(columns, &scope.from, json, &self.rows_of(scope));
        self.scopes += 1;
        let sent = Scope {
            from: format!("({members}) AS members{}", self.scopes),
            event: None,
            guard: "TRUE".to_string(),
            per_record: scope.per_record,
        };
        let keys: Vec<String> = planned.iter().map(|(k, _)| self.lit(k)).collect();
        let unplanned = if keys.is_empty() {
            "TRUE".to_string()
        } else {
            format!("key NOT IN ({})", keys.join(", "))
        };
        let name = format!("{} || key", self.lit(&format!("{}.", spec.path)));
        let example = (self.s.json_text)("value");
        self.part(&sent, "unplanned-property", &name, &example, &unplanned);
        if let Some(over) = self.string_over_limit("value") {
            let condition = format!("{unplanned} AND {over}");
            self.part(&sent, "value-over-limit", &name, &example, &condition);
        }
    }

    /// The condition on the rows of `from` that are the scope's.
    fn rows_of(&self, scope: &Scope) -> String {
        match &scope.event {
            Some(event) => format!("event = {event} AND {}", scope.guard),
            None => scope.guard.clone(),
        }
    }

    /// The items of the list `json` in the rows of `scope` where `condition` holds, one row each
    /// with the record it comes from; and the column that holds the item.
    fn items(&mut self, scope: &Scope, condition: &str, json: &str) -> (Scope, String) {
        self.scopes += 1;
        let n = self.scopes;
        let node = format!("item{n}");
        let rows = format!("{} AND {condition}", self.rows_of(scope));
        let (from, guard) = if scope.per_record {
            (scope.from.clone(), rows)
        } else {
            (
                format!(
                    "(SELECT {} AS record, event, properties FROM {} WHERE {rows}) AS records{n}",
                    self.s.record_id, scope.from
                ),
                "TRUE".to_string(),
            )
        };
        let rows = (self.s.items)("record, event", &from, json, &node, &guard);
        let items = Scope {
            from: format!("({rows}) AS items{n}"),
            event: None,
            guard: "TRUE".to_string(),
            per_record: true,
        };
        (items, node)
    }

    /// A condition on `column` for the destinations' reserved prefixes and names.
    fn automatic<'a>(
        &self,
        column: &str,
        prefixes: impl Iterator<Item = &'a &'a str>,
        names: impl Iterator<Item = &'a &'a str>,
    ) -> String {
        let mut any: Vec<String> = prefixes
            .map(|p| (self.s.starts_with)(column, &self.lit(p)))
            .collect();
        let names: Vec<String> = names.map(|n| self.lit(n)).collect();
        if !names.is_empty() {
            any.push(format!("{column} IN ({})", names.join(", ")));
        }
        if any.is_empty() {
            "FALSE".to_string()
        } else {
            any.join(" OR ")
        }
    }

    /// A number literal the dialect reads as a double.
    fn float(&self, f: f64) -> String {
        let shown = format!("{f:?}");
        let shown = if shown.contains(['e', 'E']) || shown.contains('.') {
            shown
        } else {
            format!("{shown}.0")
        };
        format!("CAST({shown} AS {})", self.s.double_type)
    }

    /// The checks as one scan per place they read (and a list of findings per planned event):
    /// each `from` is read once, however many checks read it.
    fn scans(&self) -> Vec<String> {
        // By (from, per_record, by event), in the order first seen.
        let mut groups: Vec<(ScanKey, Vec<&Check>)> = Vec::new();
        for check in &self.checks {
            let key = (check.from.as_str(), check.per_record, check.event.is_some());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, checks)) => checks.push(check),
                None => groups.push((key, vec![check])),
            }
        }
        let mut scans = Vec::new();
        for (n, ((from, per_record, by_event), checks)) in groups.into_iter().enumerate() {
            let findings = if by_event {
                let mut events: Vec<(&str, Vec<String>)> = Vec::new();
                for check in checks {
                    let event = check.event.as_deref().unwrap_or_default();
                    match events.iter_mut().find(|(e, _)| *e == event) {
                        Some((_, items)) => items.push(check.finding.clone()),
                        None => events.push((event, vec![check.finding.clone()])),
                    }
                }
                let mut case = "CASE event".to_string();
                for (event, items) in events {
                    let _ = write!(case, " WHEN {event} THEN {}", (self.s.findings)(&items));
                }
                case + " END"
            } else {
                let items: Vec<String> = checks.iter().map(|c| c.finding.clone()).collect();
                (self.s.findings)(&items)
            };
            let columns = if per_record { "record, event" } else { "event" };
            let found = (self.s.found)(columns, from, &findings);
            scans.push(if per_record {
                format!(
                    "SELECT rule, event, property, MIN(example) AS example FROM ({found}) AS found{n} \
                     GROUP BY record, event, rule, property"
                )
            } else {
                format!("SELECT rule, event, property, example FROM ({found}) AS found{n}")
            });
        }
        scans
    }

    fn finish(self, table: &str) -> String {
        let s = self.s;
        let never: Vec<String> = self
            .plan
            .events
            .iter()
            .filter(|e| matches!(e.status, None | Some(Status::Implemented)))
            .map(|e| self.lit(&e.name))
            .collect();
        let null = self.null_text();
        let never_seen = if never.is_empty() {
            String::new()
        } else {
            format!(
                "\nUNION ALL\nSELECT 'event-never-seen' AS rule, event, {null} AS property, 0 AS count, {null} AS example \
                 FROM {} WHERE event NOT IN (SELECT event FROM source WHERE event IS NOT NULL)",
                (s.names)(&never)
            )
        };
        let mut sql = String::new();
        let _ = writeln!(
            sql,
            "-- trackplan audit as SQL ({}): the findings of the rules {} over `{table}`.",
            s.label,
            SQL_RULES.join(", ")
        );
        let _ = writeln!(
            sql,
            "-- `malformed-line` is left to `trackplan audit`: a table holds no lines."
        );
        let _ = writeln!(sql, "WITH source AS ({}),", (s.source)(table));
        let _ = writeln!(sql, "findings AS (");
        let _ = writeln!(sql, "{}", union_all(&self.scans()));
        let _ = writeln!(sql, ")");
        let _ = write!(
            sql,
            "SELECT rule, event, property, COUNT(*) AS count, MIN(example) AS example \
             FROM findings GROUP BY rule, event, property{never_seen}\nORDER BY rule, event, property;\n"
        );
        sql
    }
}

/// The scans one after the other, as a balanced tree of `UNION ALL`: SQL parsers nest a flat
/// chain as deep as it is long, and a large plan with many lists and objects makes many scans.
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
fn top_level(plan: &AuditPlan, properties: &ObjectSpec) -> Vec<(String, PropId)> {
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

/// The placeholder user ids `invalid-distinct-id` rejects, as one pattern: any of them in any
/// case of its ASCII letters (as `eq_ignore_ascii_case`), or nothing, between white space.
fn placeholder_pattern() -> String {
    let space = format!("[{}]*", formats::WHITE_SPACE);
    let words: Vec<String> = crate::rules::invalid_distinct_id::REJECTED
        .iter()
        .filter(|word| !word.is_empty())
        .map(|word| {
            word.chars()
                .map(|c| match c {
                    c if c.is_ascii_alphabetic() => {
                        format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                    }
                    '[' | ']' | '{' | '}' | '.' => format!("\\{c}"),
                    c => c.to_string(),
                })
                .collect()
        })
        .collect();
    format!("^{space}({})?{space}$", words.join("|"))
}

fn in_list(items: &[String]) -> String {
    if items.is_empty() {
        "NULL".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder_pattern;
    use crate::rules::invalid_distinct_id::{is_rejected, REJECTED};
    use simd_json::value::borrowed::Value;

    #[test]
    fn the_placeholder_pattern_rejects_what_the_audit_rejects() {
        let pattern = regex::Regex::new(&placeholder_pattern()).unwrap();
        let mut texts = vec![
            "user-1".to_string(),
            "nullx".to_string(),
            "x null".to_string(),
            "\u{ff2e}\u{ff35}\u{ff2c}\u{ff2c}".to_string(),
            // A Kelvin sign lower-cases to `k` in Unicode, not in ASCII.
            "un\u{212a}nown".to_string(),
            "[ ]".to_string(),
            "{}}".to_string(),
            "n.a".to_string(),
        ];
        for word in REJECTED {
            texts.push(word.to_string());
            texts.push(word.to_uppercase());
            texts.push(format!("{word}{word}"));
            for space in [" ", "\t", "\n", "\u{a0}", "\u{2028}", "\u{3000}", "_"] {
                texts.push(format!("{space}{word}{space}"));
            }
        }
        let mut rejected = 0;
        for text in &texts {
            let audit = is_rejected(&Value::String(text.as_str().into()));
            rejected += usize::from(audit);
            assert_eq!(pattern.is_match(text), audit, "{text:?}");
        }
        assert!(rejected > REJECTED.len() * 3, "{rejected}");
    }
}
