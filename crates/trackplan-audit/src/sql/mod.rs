//! `trackplan export --format sql`: the audit as one query, for events that live in a warehouse.
//!
//! The query reads a table with a text column `event` and a JSON column `properties` (the shape
//! of a Mixpanel raw export, which the audit reads the same way: the destination's automatic
//! properties are never unplanned, its automatic events are skipped) and returns the findings of
//! the rules about one event's name and its properties, nested ones included (named by their
//! dotted path, a list's items by `[]`), as `rule`, `event`, `property`, `count`, `example`, with
//! the meaning [`crate::check`] gives them: one count per record and (rule, property), a null
//! counts only as `unexpected-null`, a value of the wrong type only as `wrong-type`. Identities,
//! limits, formats and list sizes are left to `trackplan audit` ([`SQL_RULES`] lists what the
//! query covers).
//!
//! The query is written once; what differs between dialects is a table of small functions
//! ([`dialect`]).

mod dialect;

pub use dialect::Dialect;

use crate::shape::Shape;
use crate::spec::{AuditPlan, ObjectSpec, PropId, PropSpec};
use dialect::Syntax;
use std::fmt::Write;
use trackplan_core::model::{PropertyType, Status, Value};

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
        let mut branches = String::new();
        for event in &self.plan.events {
            let keys: Vec<String> = top_level(self.plan, &event.properties)
                .into_iter()
                .map(|(key, _)| self.lit(&key))
                .collect();
            let planned = if keys.is_empty() {
                "FALSE".to_string()
            } else {
                format!("key IN ({})", keys.join(", "))
            };
            let _ = write!(branches, " WHEN {} THEN {planned}", self.lit(&event.name));
        }
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
            guard: format!("NOT (CASE event{branches} ELSE FALSE END)"),
            per_record: false,
        };
        let example = (self.s.json_text)("value");
        self.part(
            &sent,
            "unplanned-property",
            "key",
            &example,
            &format!("NOT ({automatic})"),
        );
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
            self.value(&scope, id, &json);
        }
        self.required(&scope, properties, "properties");
        for (key, id) in self.plan.super_properties.clone() {
            let absent = format!("{} IS NULL", (self.s.field)("properties", &key));
            let name = self.lit(&self.plan.property(id).path);
            self.part(&scope, "missing-super-property", &name, "'absent'", &absent);
        }
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
            self.value(scope, **id, &member);
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
    }

    /// The checks of one value (`json`, absent when SQL NULL): `unexpected-null`, else
    /// `wrong-type`, else the constraints, then its nested properties or its list's items.
    fn value(&mut self, scope: &Scope, id: PropId, json: &str) {
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
            if let Some(within) = self.enum_condition(allowed, json, &text, &number) {
                check(self, "enum-violation", format!("NOT ({within})"));
            }
        }
        let is_string = self.is(json, self.s.types.string);
        let length = (self.s.char_length)(&text);
        let mut outside = Vec::new();
        if let Some(min) = spec.min_length {
            outside.push(format!("{length} < {min}"));
        }
        if let Some(max) = spec.max_length {
            outside.push(format!("{length} > {max}"));
        }
        if !outside.is_empty() {
            check(
                self,
                "length-violation",
                format!("{is_string} AND ({})", outside.join(" OR ")),
            );
        }
        if let (Some(_), Some(pattern)) = (&spec.pattern, &spec.pattern_text) {
            let matches = (self.s.matches)(&text, &self.lit(pattern));
            check(
                self,
                "pattern-violation",
                format!("{is_string} AND NOT {matches}"),
            );
        }
        let is_number = self.is_number(json);
        let mut outside = Vec::new();
        if let Some(min) = spec.min {
            outside.push(format!("{number} < {}", self.float(min)));
        }
        if let Some(max) = spec.max {
            outside.push(format!("{number} > {}", self.float(max)));
        }
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
            let is_list = self.is(json, self.s.types.list);
            let (items, node) = self.items(scope, &format!("{checked} AND {is_list}"), json);
            self.value(&items, item, &node);
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
                    (self.s.matches)(text, &self.lit(ISO8601))
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

    /// The value is one of the allowed ones; `None` when a list or a map is allowed (left to
    /// `trackplan audit`, which compares them item by item).
    fn enum_condition(
        &self,
        allowed: &[Value],
        json: &str,
        text: &str,
        number: &str,
    ) -> Option<String> {
        let mut strings = Vec::new();
        let mut numbers = Vec::new();
        let mut booleans = Vec::new();
        for value in allowed {
            match value {
                Value::Null => {}
                Value::Bool(b) => booleans.push(b.to_string()),
                Value::Int(i) => numbers.push(self.float(*i as f64)),
                Value::Float(f) => numbers.push(self.float(*f)),
                Value::Str(s) => strings.push(self.lit(s)),
                Value::List(_) | Value::Map(_) => return None,
            }
        }
        let t = &self.s.types;
        let mut any = Vec::new();
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
        Some(if any.is_empty() {
            "FALSE".to_string()
        } else {
            any.join(" OR ")
        })
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
            "-- The others (user ids, limits, formats, list sizes) are left to `trackplan audit`."
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

fn in_list(items: &[String]) -> String {
    if items.is_empty() {
        "NULL".to_string()
    } else {
        items.join(", ")
    }
}
