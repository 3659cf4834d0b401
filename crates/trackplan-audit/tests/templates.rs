//! Streams generated from every template (with `tests/fixtures/audit/probe.yaml` added, whose
//! event carries the constraints the templates do not use), with violations of every kind planted
//! at known lines: the audit must find exactly those, with their counts and first examples.

mod common;

use common::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use trackplan_audit::spec::AuditPlan;
use trackplan_audit::{audit, Input, Options};
use trackplan_bench::events::{clean_properties, mixpanel_line, valid_value};
use trackplan_core::model::{PropertyType, Status};

const TEMPLATES: &[&str] = &["blank", "ecommerce", "media", "saas", "fintech"];

/// A stream being written, and what was planted in it.
struct Stream {
    lines: Vec<String>,
    /// (rule, event, property) → lines planted on.
    planted: std::collections::BTreeMap<(String, String, String), Vec<u64>>,
}

impl Stream {
    fn push(&mut self, line: String) -> u64 {
        self.lines.push(line);
        self.lines.len() as u64
    }

    /// Writes `times` lines made by `make`, each planting `rule` on `event`/`property`.
    fn plant(
        &mut self,
        times: usize,
        rule: &str,
        event: &str,
        property: &str,
        make: impl Fn(u64) -> String,
    ) {
        for _ in 0..times {
            let n = self.lines.len() as u64;
            let line = self.push(make(n));
            self.planted
                .entry((rule.into(), event.into(), property.into()))
                .or_default()
                .push(line);
        }
    }
}

fn event_index(plan: &AuditPlan, name: &str) -> usize {
    plan.event(name).unwrap() as usize
}

/// An event of the template (not the probe's) with a property that `pick` accepts.
fn find_property(
    plan: &AuditPlan,
    never: &str,
    pick: impl Fn(&trackplan_audit::spec::PropSpec) -> bool,
) -> Option<(usize, String)> {
    plan.events.iter().enumerate().find_map(|(i, e)| {
        if e.name.starts_with("Audit Probe") || e.name == never {
            return None;
        }
        let mut names: Vec<_> = e.properties.by_name.iter().collect();
        names.sort();
        names
            .into_iter()
            .find(|(_, id)| pick(plan.property(**id)))
            .map(|(name, _)| (i, name.clone()))
    })
}

fn with(mut properties: Map<String, Value>, key: &str, value: Option<Value>) -> Map<String, Value> {
    match value {
        Some(value) => properties.insert(key.to_string(), value),
        None => properties.remove(key),
    };
    properties
}

fn generate(plan: &AuditPlan) -> (Stream, String) {
    let mut s = Stream {
        lines: Vec::new(),
        planted: Default::default(),
    };
    // The implemented event left out, so that it is never seen.
    let never = plan
        .events
        .iter()
        .rev()
        .filter(|e| !e.name.starts_with("Audit Probe"))
        .find(|e| e.status == Some(Status::Implemented))
        .or_else(|| plan.events.iter().rev().find(|e| e.status.is_none()))
        // A proposed event left out (the blank template's are all proposed) is no finding.
        .or_else(|| {
            plan.events
                .iter()
                .find(|e| !e.name.starts_with("Audit Probe"))
        })
        .map(|e| e.name.clone())
        .unwrap();
    // Every other event, clean, three times.
    for round in 0..3 {
        for (i, event) in plan.events.iter().enumerate() {
            if event.name == never || event.is_deprecated() {
                continue;
            }
            let n = (round * 100 + i) as u64;
            s.push(mixpanel_line(&event.name, clean_properties(plan, i, n)));
        }
    }
    let probe = event_index(plan, "Audit Probe");
    let clean_probe = |n: u64| clean_properties(plan, probe, n);
    let probe_line = |props: Map<String, Value>| mixpanel_line("Audit Probe", props);

    s.plant(2, "unplanned-event", "Zz Unplanned", "-", |_| {
        mixpanel_line("Zz Unplanned", clean_probe(0))
    });
    s.plant(
        1,
        "deprecated-event-seen",
        "Audit Probe Retired",
        "-",
        |_| {
            let mut p = Map::new();
            p.insert("distinct_id".into(), json!("u-1"));
            for (name, id) in &plan.super_properties {
                p.insert(name.clone(), valid_value(plan, *id, 0));
            }
            mixpanel_line("Audit Probe Retired", p)
        },
    );
    s.plant(
        3,
        "missing-required-property",
        "Audit Probe",
        "probe_code",
        |n| probe_line(with(clean_probe(n), "probe_code", None)),
    );
    s.plant(2, "unplanned-property", "Audit Probe", "zz_extra", |n| {
        probe_line(with(clean_probe(n), "zz_extra", Some(json!(1))))
    });
    s.plant(2, "length-violation", "Audit Probe", "probe_code", |n| {
        probe_line(with(clean_probe(n), "probe_code", Some(json!("toolong"))))
    });
    s.plant(1, "format-violation", "Audit Probe", "probe_email", |n| {
        probe_line(with(
            clean_probe(n),
            "probe_email",
            Some(json!("not an address")),
        ))
    });
    s.plant(4, "range-violation", "Audit Probe", "probe_amount", |n| {
        let bad = [json!(-1), json!(101), json!(0.3), json!(1000)][n as usize % 4].clone();
        probe_line(with(clean_probe(n), "probe_amount", Some(bad)))
    });
    s.plant(2, "list-size-violation", "Audit Probe", "probe_tags", |n| {
        let bad = if n % 2 == 0 {
            json!([])
        } else {
            json!(["a", "a"])
        };
        probe_line(with(clean_probe(n), "probe_tags", Some(bad)))
    });
    s.plant(1, "value-over-limit", "Audit Probe", "probe_note", |n| {
        probe_line(with(
            clean_probe(n),
            "probe_note",
            Some(json!("x".repeat(300))),
        ))
    });
    s.plant(2, "wrong-type", "Audit Probe", "probe_player.volume", |n| {
        probe_line(with(
            clean_probe(n),
            "probe_player",
            Some(json!({"volume": "loud"})),
        ))
    });
    s.plant(
        1,
        "unplanned-property",
        "Audit Probe",
        "probe_player.bass",
        |n| {
            probe_line(with(
                clean_probe(n),
                "probe_player",
                Some(json!({"volume": 3, "bass": 1})),
            ))
        },
    );
    // A null where the property is nullable is no finding; in the template, it is.
    s.push(probe_line(with(
        clean_probe(7),
        "probe_note",
        Some(Value::Null),
    )));

    // On the template's own events.
    if let Some((i, name)) = find_property(plan, &never, |p| {
        p.enum_values.is_some()
            && p.types
                .is_some_and(|t| t.single() == Some(PropertyType::String))
    }) {
        let event = plan.events[i].name.clone();
        s.plant(3, "enum-violation", &event, &name, |n| {
            mixpanel_line(
                &event,
                with(
                    clean_properties(plan, i, n),
                    &name,
                    Some(json!("zz-not-allowed")),
                ),
            )
        });
    }
    if let Some((i, name)) = find_property(plan, &never, |p| {
        p.pattern.is_some() && p.enum_values.is_none() && p.min_length.is_none()
    }) {
        let event = plan.events[i].name.clone();
        s.plant(2, "pattern-violation", &event, &name, |n| {
            mixpanel_line(
                &event,
                with(clean_properties(plan, i, n), &name, Some(json!("!!"))),
            )
        });
    }
    if let Some((i, name)) = find_property(plan, &never, |p| {
        p.types
            .is_some_and(|t| t.single() == Some(PropertyType::String))
            && !p.nullable
    }) {
        let event = plan.events[i].name.clone();
        s.plant(2, "wrong-type", &event, &name, |n| {
            mixpanel_line(
                &event,
                with(clean_properties(plan, i, n), &name, Some(json!(12345))),
            )
        });
        // A null counts only as unexpected-null: never also wrong-type or missing.
        s.plant(3, "unexpected-null", &event, &name, |n| {
            mixpanel_line(
                &event,
                with(clean_properties(plan, i, n), &name, Some(Value::Null)),
            )
        });
    }
    let first = plan
        .events
        .iter()
        .position(|e| !e.name.starts_with("Audit Probe") && e.name != never)
        .unwrap();
    let first_name = plan.events[first].name.clone();
    {
        s.plant(2, "missing-distinct-id", &first_name, "-", |n| {
            mixpanel_line(
                &first_name,
                with(clean_properties(plan, first, n), "distinct_id", None),
            )
        });
        s.plant(3, "invalid-distinct-id", &first_name, "distinct_id", |n| {
            let bad = [
                json!("undefined"),
                json!(0),
                json!("00000000-0000-0000-0000-000000000000"),
            ][n as usize % 3]
                .clone();
            mixpanel_line(
                &first_name,
                with(clean_properties(plan, first, n), "distinct_id", Some(bad)),
            )
        });
        if let Some((name, _)) = plan.super_properties.first() {
            s.plant(2, "missing-super-property", &first_name, name, |n| {
                mixpanel_line(
                    &first_name,
                    with(clean_properties(plan, first, n), name, None),
                )
            });
        }
    }
    s.plant(2, "malformed-line", "-", "-", |_| {
        "{\"event\": \"Audit Probe\", \"properties\": {".to_string()
    });
    (s, never)
}

#[test]
fn every_template_with_every_kind_of_violation() {
    let probe = std::fs::read_to_string(repo().join("tests/fixtures/audit/probe.yaml")).unwrap();
    let mut rules_planted = BTreeSet::new();
    for template in TEMPLATES {
        let plan = load(
            &repo().join("plans").join(template),
            &[("audit-probe.yaml", &probe)],
        );
        let plan = AuditPlan::new(&plan);
        let (stream, never) = generate(&plan);
        let text = stream.lines.join("\n") + "\n";
        // Two threads and small inputs: the chunks' tallies are merged in order.
        let inputs = vec![Input {
            name: "events.ndjson".into(),
            reader: Box::new(std::io::Cursor::new(text.into_bytes())),
        }];
        let report = audit(&plan, inputs, &Options { threads: 2 });
        let mut expected: Vec<String> = stream
            .planted
            .iter()
            .map(|((rule, event, property), lines)| {
                format!("{rule} {event} {property} {}", lines.len())
            })
            .collect();
        let status = plan.events[event_index(&plan, &never)].status;
        if matches!(status, None | Some(Status::Implemented)) {
            expected.push(format!("event-never-seen {never} - 0"));
        }
        expected.sort();
        let mut found = lines(&report);
        found.sort();
        assert_eq!(found, expected, "template {template}");
        for ((rule, event, property), planted) in &stream.planted {
            rules_planted.insert(rule.clone());
            let event = (event != "-").then_some(event.as_str());
            let property = (property != "-").then_some(property.as_str());
            let finding = find(&report, rule, event, property).unwrap();
            let shown: Vec<u64> = finding.examples.iter().map(|e| e.line).collect();
            assert_eq!(
                shown,
                planted.iter().copied().take(3).collect::<Vec<_>>(),
                "{template} {rule}"
            );
            assert!(finding.examples.iter().all(|e| e.file == "events.ndjson"));
        }
        let wrong_type = find(
            &report,
            "wrong-type",
            Some("Audit Probe"),
            Some("probe_player.volume"),
        )
        .unwrap();
        assert_eq!(wrong_type.examples[0].value, "\"loud\"");
        let closed = find(
            &report,
            "unplanned-property",
            Some("Audit Probe"),
            Some("zz_extra"),
        )
        .unwrap();
        assert_eq!(
            closed.severity,
            trackplan_core::Severity::Error,
            "the probe event is closed"
        );
        let summary = &report.summary;
        assert_eq!(summary.lines_malformed, 2);
        assert_eq!(summary.events_planned_total, plan.events.len() as u64);
        assert_eq!(
            summary.events_planned_seen,
            plan.events.len() as u64 - 1,
            "{template}: all but {never}"
        );
        // Shares are of the event's volume.
        let probes = summary
            .events
            .iter()
            .find(|e| e.event == "Audit Probe")
            .unwrap()
            .count;
        let missing = find(
            &report,
            "missing-required-property",
            Some("Audit Probe"),
            Some("probe_code"),
        )
        .unwrap();
        assert_eq!(
            missing.share,
            ((3.0 / probes as f64) * 10_000.0).round() / 10_000.0
        );
    }
    let all: BTreeSet<String> = trackplan_audit::AuditRule::ALL
        .iter()
        .map(|r| r.as_str().to_string())
        .collect();
    let mut missing: Vec<_> = all.difference(&rules_planted).cloned().collect();
    missing.retain(|r| r != "event-never-seen");
    assert!(missing.is_empty(), "rules never planted: {missing:?}");
}
