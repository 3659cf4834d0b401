//! `trackplan export --format sql --dialect duckdb`: the query, run with DuckDB (installed by
//! scripts/setup-test-deps.sh) over events generated from every template with violations planted,
//! finds the same counts per rule, event and property as `trackplan audit --format json` on the
//! same events, for the rules the query covers (docs/audit.md).

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use trackplan_audit::spec::AuditPlan;
use trackplan_bench::events::{clean_properties, mixpanel_line};
use trackplan_core::model::Status;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn trackplan(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run trackplan")
}

/// The plan of a folder, read as the binary reads it (through the core parser).
fn load(dir: &Path) -> trackplan_core::Plan {
    let files = trackplan_fs::plan_files(dir).items;
    let parsed = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let text = std::fs::read_to_string(&f.path).unwrap();
            std::sync::Arc::new(trackplan_core::parse_file(
                trackplan_core::FileId(i as u32),
                &f.name,
                text,
            ))
        })
        .collect();
    trackplan_core::Plan::new(parsed)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn with(mut properties: Map<String, Value>, key: &str, value: Option<Value>) -> Map<String, Value> {
    match value {
        Some(value) => properties.insert(key.to_string(), value),
        None => properties.remove(key),
    };
    properties
}

/// Clean events of every planned event but the last, and violations of each covered rule.
fn events(plan: &AuditPlan) -> String {
    let mut lines = Vec::new();
    // An implemented event left out, so that it is never seen (the blank template's are proposed).
    let never = plan
        .events
        .iter()
        .rposition(|e| {
            e.name != "Audit Probe" && matches!(e.status, None | Some(Status::Implemented))
        })
        .unwrap_or(usize::MAX);
    for round in 0..2u64 {
        for (i, event) in plan.events.iter().enumerate() {
            if i != never {
                lines.push(mixpanel_line(
                    &event.name,
                    clean_properties(plan, i, round * 100 + i as u64),
                ));
            }
        }
    }
    let probe = plan.event("Audit Probe").unwrap() as usize;
    let clean = |n: u64| clean_properties(plan, probe, n);
    let line = |p: Map<String, Value>| mixpanel_line("Audit Probe", p);
    lines.push(mixpanel_line("Zz Unplanned", clean(0)));
    lines.push(mixpanel_line("$mp_web_page_view", clean(0)));
    for n in 0..3 {
        lines.push(line(with(clean(n), "probe_code", None)));
    }
    lines.push(line(with(clean(1), "zz_extra", Some(json!(1)))));
    lines.push(line(with(clean(1), "$browser", Some(json!("Chrome")))));
    lines.push(line(with(clean(2), "probe_code", Some(json!("toolong")))));
    lines.push(line(with(clean(2), "probe_code", Some(json!("x")))));
    for bad in [json!(-1), json!(101), json!(0.3), json!(1000), json!(50.5)] {
        lines.push(line(with(clean(3), "probe_amount", Some(bad))));
    }
    lines.push(line(with(clean(4), "probe_amount", Some(json!("12")))));
    lines.push(line(with(clean(4), "probe_code", Some(Value::Null))));
    lines.push(line(with(clean(4), "probe_note", Some(Value::Null))));
    lines.push(line(with(clean(5), "probe_tags", Some(json!("a")))));
    lines.push(line(with(clean(5), "probe_player", Some(json!([])))));
    // The template's own properties: a wrong type and a null on every property of one event.
    let first = plan
        .events
        .iter()
        .position(|e| !e.name.starts_with("Audit Probe"))
        .unwrap();
    let mut names: Vec<&String> = plan.events[first].properties.by_name.keys().collect();
    names.sort();
    for (k, name) in names.into_iter().enumerate() {
        let p = clean_properties(plan, first, k as u64);
        lines.push(mixpanel_line(
            &plan.events[first].name,
            with(p.clone(), name, Some(json!(12345))),
        ));
        lines.push(mixpanel_line(
            &plan.events[first].name,
            with(p.clone(), name, Some(json!("zz-not-allowed"))),
        ));
        lines.push(mixpanel_line(
            &plan.events[first].name,
            with(p.clone(), name, Some(json!("!!"))),
        ));
        lines.push(mixpanel_line(
            &plan.events[first].name,
            with(p, name, Some(Value::Null)),
        ));
    }
    lines.join("\n") + "\n"
}

type Counts = BTreeMap<(String, String, String), u64>;

fn key(row: &Value, event: &str, property: &str) -> (String, String, String) {
    let text = |v: &Value| v.as_str().unwrap_or("-").to_string();
    (text(&row["rule"]), text(&row[event]), text(&row[property]))
}

#[test]
fn duckdb_finds_what_the_audit_finds() {
    let duckdb = repo().join(".ci/cache/duckdb");
    assert!(
        duckdb.is_dir(),
        "run scripts/setup-test-deps.sh first (it installs duckdb)"
    );
    let probe = std::fs::read_to_string(repo().join("tests/fixtures/audit/probe.yaml")).unwrap();
    for template in ["blank", "ecommerce", "media", "saas", "fintech"] {
        let dir = tempfile::tempdir().unwrap();
        let plan_dir = dir.path().join("plan");
        copy_dir(&repo().join("plans").join(template), &plan_dir);
        std::fs::write(plan_dir.join("audit-probe.yaml"), &probe).unwrap();
        let plan = AuditPlan::new(&load(&plan_dir));
        std::fs::write(dir.path().join("events.ndjson"), events(&plan)).unwrap();

        let audit = trackplan(
            dir.path(),
            &[
                "audit",
                "--plan",
                "plan",
                "--format",
                "json",
                "events.ndjson",
            ],
        );
        let report: Value = serde_json::from_slice(&audit.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&audit.stderr)));
        let mut expected = Counts::new();
        for finding in report["findings"].as_array().unwrap() {
            let k = key(finding, "event", "property");
            let nested = k.2.contains('.') || k.2.contains("[]");
            if trackplan_audit::sql::SQL_RULES.contains(&k.0.as_str()) && !nested {
                expected.insert(k, finding["count"].as_u64().unwrap());
            }
        }

        let export = trackplan(
            dir.path(),
            &[
                "export",
                "--plan",
                "plan",
                "--format",
                "sql",
                "--dialect",
                "duckdb",
                "--out",
                "audit.sql",
            ],
        );
        assert!(
            export.status.success(),
            "{}",
            String::from_utf8_lossy(&export.stderr)
        );
        let run = Command::new("python3")
            .arg(repo().join("tests/support/run_sql_duckdb.py"))
            .args(["audit.sql", "events.ndjson"])
            .current_dir(dir.path())
            .env("PYTHONPATH", &duckdb)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{template}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let mut found = Counts::new();
        for row in String::from_utf8(run.stdout).unwrap().lines() {
            let row: Value = serde_json::from_str(row).unwrap();
            found.insert(
                key(&row, "event", "property"),
                row["count"].as_u64().unwrap(),
            );
        }
        assert_eq!(found, expected, "template {template}");
        let rules: std::collections::BTreeSet<&str> = found.keys().map(|k| k.0.as_str()).collect();
        for rule in [
            "unplanned-event",
            "missing-required-property",
            "unplanned-property",
            "wrong-type",
            "unexpected-null",
            "length-violation",
            "range-violation",
        ] {
            assert!(
                rules.contains(rule),
                "{template}: nothing planted for {rule}"
            );
        }
    }
}
