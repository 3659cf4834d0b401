//! The audit of one record against the plan: what each rule finds in it, counted once per record.

use crate::rules::{self, AuditRule};
use crate::shape::{classify, is_null, Record, UserId};
use crate::spec::{AuditPlan, Limits, ObjectSpec, PropId};
use crate::tally::{cut, EventRef, Key, PropRef, Tally, MAX_NAME_CHARS, MAX_VALUE_CHARS};
use simd_json::prelude::*;
use simd_json::value::borrowed::{Object, Value};
use trackplan_core::Severity;

/// What one rule found in one record.
pub struct Hit<'v> {
    pub rule: AuditRule,
    pub property: PropRef,
    pub severity: Severity,
    pub value: Shown<'v>,
}

/// An example's value, rendered only when the finding still wants examples.
pub enum Shown<'v> {
    Json(&'v Value<'v>),
    Text(String),
}

impl Shown<'_> {
    pub fn render(&self) -> String {
        match self {
            Shown::Json(Value::String(s)) => {
                // Cut before encoding: a value may be megabytes long.
                let short = cut(s, MAX_VALUE_CHARS);
                Value::String(short.into()).encode()
            }
            Shown::Json(value) => cut(&value.encode(), MAX_VALUE_CHARS),
            Shown::Text(text) => cut(text, MAX_VALUE_CHARS),
        }
    }
}

/// Audits records against one plan; holds the scratch space of one thread.
pub struct Checker<'p> {
    pub plan: &'p AuditPlan,
}

impl<'p> Checker<'p> {
    /// Audits one parsed record from input `input`, line `line`, into `tally`.
    pub fn record(&self, value: &Value<'_>, input: u32, line: u64, tally: &mut Tally) {
        tally.records += 1;
        let mut hits = Vec::new();
        let event = match classify(value) {
            Record::Unknown(why) => {
                tally.malformed += 1;
                let key = Key {
                    rule: AuditRule::MalformedLine,
                    event: EventRef::None,
                    property: PropRef::None,
                };
                tally.add(
                    key,
                    rules::malformed_line::DEFAULT_SEVERITY,
                    input,
                    line,
                    || why.to_string(),
                );
                return;
            }
            Record::OtherCall => {
                tally.other_calls += 1;
                return;
            }
            Record::Identify { traits, ids } => {
                tally.events += 1;
                tally.identify_calls += 1;
                self.identity(&ids, true, &mut hits);
                if let Some(traits) = traits {
                    let limits = self.plan.limits(crate::shape::Shape::Segment);
                    self.object(&self.plan.user, traits, limits, false, "", &mut hits);
                }
                EventRef::Identify
            }
            Record::Event {
                shape,
                name,
                properties,
                ids,
                has_identity,
            } => {
                let limits = self.plan.limits(shape);
                let planned = match shape {
                    crate::shape::Shape::Snowplow => self.plan.event_loosely(name),
                    _ => self.plan.event(name),
                };
                let Some(index) = planned else {
                    if limits.is_automatic_event(name) {
                        tally.automatic_events += 1;
                        return;
                    }
                    tally.events += 1;
                    tally.count_unplanned(name);
                    let event = EventRef::Unplanned(cut(name, MAX_NAME_CHARS).into());
                    let key = Key {
                        rule: AuditRule::UnplannedEvent,
                        event,
                        property: PropRef::None,
                    };
                    tally.add(
                        key,
                        rules::unplanned_event::DEFAULT_SEVERITY,
                        input,
                        line,
                        || Value::String(cut(name, MAX_VALUE_CHARS).into()).encode(),
                    );
                    return;
                };
                tally.events += 1;
                tally.planned[index as usize] += 1;
                let spec = &self.plan.events[index as usize];
                if spec.is_deprecated() {
                    hits.push(Hit {
                        rule: AuditRule::DeprecatedEventSeen,
                        property: PropRef::None,
                        severity: rules::deprecated_event_seen::DEFAULT_SEVERITY,
                        value: Shown::Text(Value::String(name.into()).encode()),
                    });
                }
                self.identity(&ids, has_identity, &mut hits);
                let empty = Object::default();
                let properties = properties.unwrap_or(&empty);
                self.object(&spec.properties, properties, limits, true, "", &mut hits);
                // `hits` borrows `empty`: count them before it goes.
                self.count(hits, EventRef::Planned(index), input, line, tally);
                return;
            }
        };
        self.count(hits, event, input, line, tally);
    }

    /// Counts each (rule, property) once for the record, with its first value.
    fn count(
        &self,
        mut hits: Vec<Hit<'_>>,
        event: EventRef,
        input: u32,
        line: u64,
        tally: &mut Tally,
    ) {
        hits.sort_by(|a, b| (a.rule, &a.property).cmp(&(b.rule, &b.property)));
        hits.dedup_by(|later, first| later.rule == first.rule && later.property == first.property);
        for hit in hits {
            let key = Key {
                rule: hit.rule,
                event: event.clone(),
                property: hit.property,
            };
            tally.add(key, hit.severity, input, line, || hit.value.render());
        }
    }

    /// `missing-distinct-id` and `invalid-distinct-id`.
    fn identity<'v>(&self, ids: &[UserId<'v>], has_identity: bool, hits: &mut Vec<Hit<'v>>) {
        if !has_identity {
            return;
        }
        let mut any = false;
        for id in ids {
            if is_null(id.value) {
                continue;
            }
            any = true;
            if rules::invalid_distinct_id::is_rejected(id.value) {
                hits.push(Hit {
                    rule: AuditRule::InvalidDistinctId,
                    property: PropRef::Field(id.field),
                    severity: rules::invalid_distinct_id::DEFAULT_SEVERITY,
                    value: Shown::Json(id.value),
                });
            }
        }
        if !any {
            let fields: Vec<&str> = ids.iter().map(|i| i.field).collect();
            hits.push(Hit {
                rule: AuditRule::MissingDistinctId,
                property: PropRef::None,
                severity: rules::missing_distinct_id::DEFAULT_SEVERITY,
                value: Shown::Text(if fields.is_empty() {
                    "no user id".to_string()
                } else {
                    format!("{} null", fields.join(" and "))
                }),
            });
        }
    }

    /// The properties of an event (`top`: super properties and the destination's automatic
    /// properties are planned too, and the event's own limits apply), of an identify call's traits,
    /// or of an object property (`path`: its dotted path, which names its unplanned properties).
    fn object<'v>(
        &self,
        spec: &ObjectSpec,
        object: &'v Object<'v>,
        limits: &Limits,
        top: bool,
        path: &str,
        hits: &mut Vec<Hit<'v>>,
    ) {
        for (key, value) in object.iter() {
            let key: &str = key;
            let planned = spec.by_name.get(key).copied().or_else(|| {
                top.then(|| self.plan.supers_by_name.get(key).copied())
                    .flatten()
            });
            match planned {
                Some(id) => self.value(id, value, limits, hits),
                None if top && limits.is_automatic(key) => {}
                None => {
                    let name = if path.is_empty() {
                        cut(key, MAX_NAME_CHARS)
                    } else {
                        cut(&format!("{path}.{key}"), MAX_NAME_CHARS)
                    };
                    let severity = if spec.closed {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    hits.push(Hit {
                        rule: AuditRule::UnplannedProperty,
                        property: PropRef::Unplanned(name.as_str().into()),
                        severity,
                        value: Shown::Json(value),
                    });
                    if let Value::String(text) = value {
                        if rules::value_over_limit::string_over(limits, text) {
                            hits.push(Hit {
                                rule: AuditRule::ValueOverLimit,
                                property: PropRef::Unplanned(name.into()),
                                severity: rules::value_over_limit::DEFAULT_SEVERITY,
                                value: Shown::Json(value),
                            });
                        }
                    }
                }
            }
        }
        for (name, id) in &spec.required {
            if object.get(name.as_str()).is_none() {
                hits.push(Hit {
                    rule: AuditRule::MissingRequiredProperty,
                    property: PropRef::Planned(*id),
                    severity: rules::missing_required_property::DEFAULT_SEVERITY,
                    value: Shown::Text("absent".to_string()),
                });
            }
        }
        if top {
            for (name, id) in &self.plan.super_properties {
                if object.get(name.as_str()).is_none() {
                    hits.push(Hit {
                        rule: AuditRule::MissingSuperProperty,
                        property: PropRef::Planned(*id),
                        severity: rules::missing_super_property::DEFAULT_SEVERITY,
                        value: Shown::Text("absent".to_string()),
                    });
                }
            }
            if let Some((max, _)) = limits.max_properties {
                if object.len() > max {
                    hits.push(Hit {
                        rule: AuditRule::ValueOverLimit,
                        property: PropRef::None,
                        severity: rules::value_over_limit::DEFAULT_SEVERITY,
                        value: Shown::Text(format!("{} properties", object.len())),
                    });
                }
            }
        }
    }

    /// One value against its property's definition.
    fn value<'v>(
        &self,
        id: PropId,
        value: &'v Value<'v>,
        limits: &Limits,
        hits: &mut Vec<Hit<'v>>,
    ) {
        let spec = self.plan.property(id);
        let mut hit = |rule: AuditRule, severity: Severity| {
            hits.push(Hit {
                rule,
                property: PropRef::Planned(id),
                severity,
                value: Shown::Json(value),
            })
        };
        if is_null(value) {
            if !spec.nullable {
                hit(
                    AuditRule::UnexpectedNull,
                    rules::unexpected_null::DEFAULT_SEVERITY,
                );
            }
            return;
        }
        if let Some(types) = spec.types {
            if !rules::wrong_type::fits(types, value) {
                hit(AuditRule::WrongType, rules::wrong_type::DEFAULT_SEVERITY);
                return;
            }
        }
        if rules::enum_violation::violates(spec, value) {
            hit(
                AuditRule::EnumViolation,
                rules::enum_violation::DEFAULT_SEVERITY,
            );
        }
        match value {
            Value::String(text) => {
                if rules::length_violation::violates(spec, text) {
                    hit(
                        AuditRule::LengthViolation,
                        rules::length_violation::DEFAULT_SEVERITY,
                    );
                }
                if rules::pattern_violation::violates(spec, text) {
                    hit(
                        AuditRule::PatternViolation,
                        rules::pattern_violation::DEFAULT_SEVERITY,
                    );
                }
                if rules::format_violation::violates(spec, text) {
                    hit(
                        AuditRule::FormatViolation,
                        rules::format_violation::DEFAULT_SEVERITY,
                    );
                }
                if rules::value_over_limit::string_over(limits, text) {
                    hit(
                        AuditRule::ValueOverLimit,
                        rules::value_over_limit::DEFAULT_SEVERITY,
                    );
                }
            }
            Value::Static(node) => {
                if let Some(number) = node.cast_f64() {
                    if rules::range_violation::violates(spec, number) {
                        hit(
                            AuditRule::RangeViolation,
                            rules::range_violation::DEFAULT_SEVERITY,
                        );
                    }
                }
            }
            Value::Array(items) => {
                if rules::list_size_violation::violates(spec, items) {
                    hit(
                        AuditRule::ListSizeViolation,
                        rules::list_size_violation::DEFAULT_SEVERITY,
                    );
                }
                if let Some(item_spec) = spec.items {
                    for item in items.iter() {
                        self.value(item_spec, item, limits, hits);
                    }
                }
            }
            Value::Object(object) => {
                if let Some(nested) = &spec.object {
                    self.object(nested, object, limits, false, &spec.path, hits);
                }
            }
        }
    }
}
