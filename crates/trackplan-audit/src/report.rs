//! The findings of an audit, as every output shows them: rule, severity, event, property, count,
//! share of the event's volume, first examples; and the summary.

use crate::facts::Facts;
use crate::rules::{self, AuditRule};
use crate::spec::AuditPlan;
use crate::tally::{EventRef, PropRef, Tally};
use serde::Serialize;
use trackplan_core::model::Status;
use trackplan_core::Severity;

/// The name identify calls are reported under.
pub const IDENTIFY: &str = "identify";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Example {
    pub file: String,
    pub line: u64,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: AuditRule,
    #[serde(serialize_with = "severity_word")]
    pub severity: Severity,
    pub event: Option<String>,
    pub property: Option<String>,
    pub count: u64,
    pub share: f64,
    pub examples: Vec<Example>,
    /// The finding in a sentence (with "did you mean" for an unplanned event).
    pub message: String,
}

fn severity_word<S: serde::Serializer>(severity: &Severity, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(severity.as_str())
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub events_read: u64,
    pub lines_malformed: u64,
    pub events_planned_seen: u64,
    pub events_planned_total: u64,
    /// Events seen per planned event, in plan order.
    pub events: Vec<EventCount>,
    pub flows: Vec<Coverage>,
    pub kpis: Vec<Coverage>,
    /// Identify calls among `events_read`.
    pub identify_calls: u64,
    /// Page, screen, group and alias calls: read, not audited, not in `events_read`.
    pub other_calls: u64,
    /// Events a destination sends by itself (`$identify`): not audited, not in `events_read`.
    pub automatic_events: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventCount {
    pub event: String,
    pub status: Option<String>,
    pub count: u64,
}

/// How many of a flow's or a KPI's events were seen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Coverage {
    pub name: String,
    pub events_seen: usize,
    pub events_total: usize,
    /// Its events never seen.
    pub missing: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub version: u32,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Report {
    /// The report of a whole input. `inputs` names the inputs by their number.
    pub fn new(plan: &AuditPlan, tally: Tally, inputs: &[String]) -> Report {
        let volume = |event: &EventRef| -> u64 {
            match event {
                EventRef::None => tally.records,
                EventRef::Planned(i) => tally.planned[*i as usize],
                EventRef::Unplanned(_) => tally.events,
                EventRef::Identify => tally.identify_calls,
            }
        };
        let names: Vec<&str> = plan.events.iter().map(|e| e.name.as_str()).collect();
        let limits = plan.limits(crate::shape::Shape::Mixpanel);
        let strings = limits
            .max_string_chars
            .map(|(n, d)| format!("{d} keeps ({n} characters)"));
        let properties = limits
            .max_properties
            .map(|(n, d)| format!("{d} keeps ({n})"));
        let mut findings: Vec<Finding> = Vec::new();
        for (key, count) in &tally.findings {
            let event = match &key.event {
                EventRef::None => None,
                EventRef::Planned(i) => Some(plan.events[*i as usize].name.clone()),
                EventRef::Unplanned(name) => Some(name.to_string()),
                EventRef::Identify => Some(IDENTIFY.to_string()),
            };
            let (property, spec) = match &key.property {
                PropRef::None => (None, None),
                PropRef::Planned(id) => (
                    Some(plan.property(*id).path.clone()),
                    Some(plan.property(*id)),
                ),
                PropRef::Unplanned(name) => (Some(name.to_string()), None),
                PropRef::Field(field) => (Some(field.to_string()), None),
            };
            // The share of the events a whole-event finding is about: all events read.
            let denominator = match key.rule {
                AuditRule::UnplannedEvent | AuditRule::DeprecatedEventSeen => tally.events,
                _ => volume(&key.event),
            };
            let suggestion = match (key.rule, &event) {
                (AuditRule::UnplannedEvent, Some(name)) => {
                    trackplan_core::suggest::did_you_mean(name, names.iter().copied())
                }
                _ => None,
            };
            let facts = Facts {
                event: event.as_deref(),
                property: property.as_deref(),
                spec,
                suggestion,
                limit_of_strings: strings.as_deref(),
                limit_of_properties: properties.as_deref(),
            };
            let message = rules::message(key.rule, &facts);
            findings.push(Finding {
                rule: key.rule,
                severity: count.severity,
                event,
                property,
                count: count.count,
                share: share(count.count, denominator),
                examples: count
                    .examples
                    .iter()
                    .map(|e| Example {
                        file: inputs.get(e.input as usize).cloned().unwrap_or_default(),
                        line: e.line,
                        value: e.value.clone(),
                    })
                    .collect(),
                message,
            });
        }
        for (i, spec) in plan.events.iter().enumerate() {
            if tally.planned[i] > 0 {
                continue;
            }
            let severity = match spec.status {
                Some(Status::Implemented) => Severity::Warning,
                None => Severity::Info,
                Some(_) => continue,
            };
            let facts = Facts {
                event: Some(&spec.name),
                property: None,
                spec: None,
                suggestion: None,
                limit_of_strings: None,
                limit_of_properties: None,
            };
            findings.push(Finding {
                rule: AuditRule::EventNeverSeen,
                severity,
                event: Some(spec.name.clone()),
                property: None,
                count: 0,
                share: 0.0,
                examples: Vec::new(),
                message: rules::message(AuditRule::EventNeverSeen, &facts),
            });
        }
        findings.sort_by(|a, b| {
            severity_rank(a.severity)
                .cmp(&severity_rank(b.severity))
                .then(a.rule.cmp(&b.rule))
                .then_with(|| a.event.cmp(&b.event))
                .then_with(|| a.property.cmp(&b.property))
        });
        let coverage = |(name, events): &(String, Vec<u32>)| Coverage {
            name: name.clone(),
            events_seen: events
                .iter()
                .filter(|e| tally.planned[**e as usize] > 0)
                .count(),
            events_total: events.len(),
            missing: events
                .iter()
                .filter(|e| tally.planned[**e as usize] == 0)
                .map(|e| plan.events[*e as usize].name.clone())
                .collect(),
        };
        let summary = Summary {
            events_read: tally.events,
            lines_malformed: tally.malformed,
            events_planned_seen: tally.planned.iter().filter(|c| **c > 0).count() as u64,
            events_planned_total: plan.events.len() as u64,
            events: plan
                .events
                .iter()
                .zip(&tally.planned)
                .map(|(e, count)| EventCount {
                    event: e.name.clone(),
                    status: e.status.map(|s| s.as_str().to_string()),
                    count: *count,
                })
                .collect(),
            flows: plan.flows.iter().map(coverage).collect(),
            kpis: plan.kpis.iter().map(coverage).collect(),
            identify_calls: tally.identify_calls,
            other_calls: tally.other_calls,
            automatic_events: tally.automatic_events,
        };
        Report {
            version: 1,
            findings,
            summary,
        }
    }

    /// Whether a finding at `level` or above was made.
    pub fn fails_at(&self, level: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| severity_rank(f.severity) <= severity_rank(level))
    }
}

/// Errors first.
pub fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// `count / total`, rounded to four decimals (0 of nothing is 0).
fn share(count: u64, total: u64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    (count as f64 / total as f64 * 10_000.0).round() / 10_000.0
}
