//! `trackplan export --format sql`: the DuckDB query run with DuckDB and the Spark query run with
//! Apache Spark in local mode (both installed by scripts/setup-test-deps.sh), over events
//! generated from every template with violations planted, nested properties included, find the
//! same counts per rule, event and property as `trackplan audit --format json` on the same
//! events, for the rules the query covers (docs/audit.md); the BigQuery and Snowflake queries are
//! parsed by sqlglot in their dialect.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use trackplan_audit::spec::AuditPlan;
use trackplan_bench::events::{clean_properties, mixpanel_line};
use trackplan_core::model::Status;
use trackplan_core::schema::Word;

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
    // Nested: an object's members and a list's items, each record counted once.
    for player in [
        json!({}),
        json!({"volume": 11}),
        json!({"volume": "x"}),
        json!({"volume": 2.5}),
        json!({"volume": null}),
        json!({"volume": 1, "zz_extra": 1, "$browser": "Chrome"}),
    ] {
        lines.push(line(with(clean(6), "probe_player", Some(player))));
    }
    for tags in [json!([1, "a"]), json!([null, null]), json!(["a", 2, 3])] {
        lines.push(line(with(clean(7), "probe_tags", Some(tags))));
    }
    lines.extend(list_of_objects(plan));
    // Formats, list sizes, the destination's limits and user ids.
    for email in [
        "ada@example",
        "ada.example.com",
        "a b@example.com",
        "x@-bad.example",
        "ok@example.com.",
        "x@a..b",
    ] {
        lines.push(line(with(clean(8), "probe_email", Some(json!(email)))));
    }
    for tags in [
        json!([]),
        json!(["a", "b", "c", "d"]),
        json!(["a", "a"]),
        json!([1, 1.0]),
        json!([0, -0.0]),
        json!(["1", 1]),
        json!([{"a": 1}, {"a": 1}]),
    ] {
        lines.push(line(with(clean(9), "probe_tags", Some(tags))));
    }
    for size in [
        json!([1, 2.5]),
        json!([1.0, 2.5]),
        json!({"h": [2.0], "w": 1}),
        json!([2.5, 1]),
        json!([1, 2.5, 3]),
        json!({"w": 1, "h": [2], "d": 3}),
        json!({"w": 1, "h": 2}),
        json!("auto"),
        json!("Auto"),
    ] {
        lines.push(line(with(clean(9), "probe_size", Some(size))));
    }
    let long = "x".repeat(300);
    for note in [long.clone(), "x".repeat(255), "é".repeat(200)] {
        lines.push(line(with(clean(10), "probe_note", Some(json!(note)))));
    }
    // A long string the type refuses is `wrong-type` only; a long ISO 8601 one is over.
    lines.push(line(with(clean(10), "probe_amount", Some(json!(long)))));
    lines.push(line(with(clean(10), "probe_when", Some(json!(long)))));
    let long_moment = format!("2024-05-01T12:30:00.{}Z", "1".repeat(300));
    lines.push(line(with(
        clean(10),
        "probe_when",
        Some(json!(long_moment)),
    )));
    lines.push(line(with(clean(10), "zz_long", Some(json!(long)))));
    lines.push(line(with(clean(10), "$zz_long", Some(json!(long)))));
    lines.push(line(with(
        clean(10),
        "probe_player",
        Some(json!({"volume": 1, "zz_long": long})),
    )));
    let mut many = clean(11);
    for k in 0..300 {
        many.insert(format!("zz_{k}"), json!(k));
    }
    lines.push(line(many));
    for id in [
        None,
        Some(Value::Null),
        Some(json!("anonymous")),
        Some(json!(" Undefined\u{a0}")),
        Some(json!("[]")),
        Some(json!(0)),
        Some(json!(-1.0)),
        Some(json!(true)),
        Some(json!([])),
        Some(json!({})),
        Some(json!("\u{ff2e}\u{ff35}\u{ff2c}\u{ff2c}")),
        Some(json!("nullx")),
        Some(json!(7)),
    ] {
        lines.push(line(with(clean(12), "distinct_id", id)));
    }
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

/// For the first planned property that is a list of objects (the e-commerce template's
/// `products`): items with a member of the wrong type and an unplanned member, and a null item.
fn list_of_objects(plan: &AuditPlan) -> Vec<String> {
    for (index, event) in plan.events.iter().enumerate() {
        let mut names: Vec<(&String, &u32)> = event.properties.by_name.iter().collect();
        names.sort();
        for (name, id) in names {
            let Some(item) = plan.property(*id).items else {
                continue;
            };
            let Some(object) = &plan.property(item).object else {
                continue;
            };
            let mut members: Vec<&String> = object.by_name.keys().collect();
            members.sort();
            let bad: Map<String, Value> = members
                .iter()
                .map(|m| (m.to_string(), json!([])))
                .chain([("zz_member".to_string(), json!(1))])
                .collect();
            let items = json!([bad.clone(), bad, null]);
            return (0..2)
                .map(|n| {
                    let p = clean_properties(plan, index, n);
                    mixpanel_line(&event.name, with(p, name, Some(items.clone())))
                })
                .collect();
        }
    }
    Vec::new()
}

type Counts = BTreeMap<(String, String, String), u64>;

fn key(row: &Value) -> (String, String, String) {
    let text = |v: &Value| v.as_str().unwrap_or("-").to_string();
    (
        text(&row["rule"]),
        text(&row["event"]),
        text(&row["property"]),
    )
}

/// A template with the audit probe, its events, and what `trackplan audit` finds in them (the
/// rules the query covers).
struct Case {
    template: &'static str,
    dir: tempfile::TempDir,
    expected: Counts,
}

const TEMPLATES: [&str; 5] = ["blank", "ecommerce", "media", "saas", "fintech"];

fn case(template: &'static str) -> Case {
    let probe = std::fs::read_to_string(repo().join("tests/fixtures/audit/probe.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan_dir = dir.path().join("plan");
    copy_dir(&repo().join("plans").join(template), &plan_dir);
    std::fs::write(plan_dir.join("audit-probe.yaml"), &probe).unwrap();
    let plan = AuditPlan::new(&load(&plan_dir));
    std::fs::write(dir.path().join("events.ndjson"), events(&plan)).unwrap();
    audited(template, dir)
}

/// The formats plan (tests/fixtures/audit/formats.yaml, as a plan's root) and one event per text near some format:
/// every property holds the same text, so each format judges every text.
fn formats_case() -> Case {
    let dir = tempfile::tempdir().unwrap();
    let plan_dir = dir.path().join("plan");
    std::fs::create_dir_all(&plan_dir).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/audit/formats.yaml"),
        plan_dir.join("trackplan.yaml"),
    )
    .unwrap();
    let plan = AuditPlan::new(&load(&plan_dir));
    let names: Vec<&String> = plan.events[0].properties.by_name.keys().collect();
    let lines: Vec<String> = format_texts()
        .into_iter()
        .map(|text| {
            let mut properties = clean_properties(&plan, 0, 0);
            for name in &names {
                properties.insert(name.to_string(), json!(text));
            }
            mixpanel_line("Formats Seen", properties)
        })
        .collect();
    std::fs::write(dir.path().join("events.ndjson"), lines.join("\n") + "\n").unwrap();
    audited("formats", dir)
}

/// Values of each format and near misses: built in the format with random parts, or cut, grown,
/// or with a character that matters to some format (white space of every kind included) put in or
/// swapped, by a fixed random sequence.
fn format_texts() -> Vec<String> {
    let seeds = [
        "ada@example.com",
        "a@b@c.d",
        "x@a-.b",
        "https://example.com/page",
        "HTTP://a",
        "http:///x",
        "mailto:a@b.c",
        "3f2c8a6e-9b1d-4c7e-8f00-12AB34CD56EF",
        "192.0.2.1",
        "01.1.1.1",
        "2001:db8::1",
        "::",
        "1:2:3:4:5:6:7:8",
        "::ffff:192.0.2.1",
        "1:2:3:4:5:6::1.2.3.4",
        "2024-02-29",
        "2023-02-29",
        "2000-02-29",
        "2024-04-31",
        "2024-05-01T12:30:00.5+02:00",
        "2024-05-01T12:30:00Z",
        "12:30:00",
        "12:30:00Z",
        "shop.example.com",
        "localhost.",
    ];
    let swaps: Vec<String> = [
        "", "\n", " ", "\u{a0}", "\u{2028}", "\u{3000}", "é", ":", ".", "@", "-", "/", "Z", "T",
        "+", "0", "f", "g",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut below = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut texts: Vec<String> = seeds.iter().map(|s| s.to_string()).collect();
    // Values built to be in a format, or near its edges (days past a month's end, 256, `:::`).
    let hex = |n: usize| format!("{n:x}");
    for _ in 0..150 {
        let date = format!(
            "{:04}-{:02}-{:02}",
            below(10_000),
            1 + below(12),
            1 + below(31)
        );
        let time = format!("{:02}:{:02}:{:02}", below(24), below(60), below(60));
        let offset = ["Z", "+02:00", "-11:30", ""][below(4)];
        let fraction = ["", ".5", ".123456"][below(3)];
        let octets: Vec<String> = (0..4).map(|_| below(260).to_string()).collect();
        let groups: Vec<String> = (0..below(9)).map(|_| hex(below(0x1_0000))).collect();
        let gap = below(groups.len() + 2);
        let ipv6 = if gap > groups.len() {
            groups.join(":")
        } else {
            format!("{}::{}", groups[..gap].join(":"), groups[gap..].join(":"))
        };
        let label = |n: usize| -> String {
            (0..n)
                .map(|i| ["a", "b", "7", "-"][(i * 7 + n) % 4])
                .collect()
        };
        let host = format!("{}.{}", label(1 + below(8)), label(1 + below(4)));
        let uuid: String = (0..36)
            .map(|i| match i {
                8 | 13 | 18 | 23 => '-',
                _ => char::from_digit(below(16) as u32, 16).unwrap(),
            })
            .collect();
        texts.extend([
            date.clone(),
            format!("{date}T{time}{fraction}{offset}"),
            format!("{time}{fraction}{offset}"),
            octets.join("."),
            ipv6.clone(),
            format!("{ipv6}:{}", octets.join(".")),
            host.clone(),
            format!("u{}@{host}", below(100)),
            format!("https://{host}/p?q={}", below(100)),
            uuid,
        ]);
    }
    let long_host = vec!["a".repeat(63); 4].join(".");
    texts.push(format!("x@{long_host}"));
    texts.push(format!("{long_host}."));
    for _ in 0..3000 {
        let mut text: Vec<char> = seeds[below(seeds.len())].chars().collect();
        for _ in 0..1 + below(2) {
            let at = below(text.len() + 1);
            let swap: Vec<char> = swaps[below(swaps.len())].chars().collect();
            if below(2) == 0 || at == text.len() {
                text.splice(at..at, swap);
            } else {
                text.splice(at..at + 1, swap);
            }
        }
        texts.push(text.into_iter().collect());
    }
    texts
}

/// What `trackplan audit` finds in the case's events, for the rules the query covers.
fn audited(template: &'static str, dir: tempfile::TempDir) -> Case {
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
        let k = key(finding);
        if trackplan_audit::sql::SQL_RULES.contains(&k.0.as_str()) {
            expected.insert(k, finding["count"].as_u64().unwrap());
        }
    }
    Case {
        template,
        dir,
        expected,
    }
}

/// `trackplan export` of the case's plan as SQL, before `--dialect`.
const SQL_EXPORT: [&str; 5] = ["export", "--plan", "plan", "--format", "sql"];

/// `trackplan export --format sql --dialect DIALECT` into the case's folder; the file's path.
fn export(case: &Case, dialect: &str) -> PathBuf {
    let file = format!("audit-{dialect}.sql");
    let args: Vec<&str> = SQL_EXPORT
        .iter()
        .copied()
        .chain(["--dialect", dialect, "--out", &file])
        .collect();
    let export = trackplan(case.dir.path(), &args);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    case.dir.path().join(file)
}

/// The findings a query wrote, one JSON object a line, against what the audit found.
fn assert_same_counts(case: &Case, engine: &str, findings: &str) {
    let mut found = Counts::new();
    for row in findings.lines() {
        let row: Value = serde_json::from_str(row).unwrap();
        found.insert(key(&row), row["count"].as_u64().unwrap());
    }
    assert_eq!(found, case.expected, "{engine}, template {}", case.template);
    if case.template == "formats" {
        // Every format both accepts and refuses some of the texts.
        let events = std::fs::read_to_string(case.dir.path().join("events.ndjson"))
            .unwrap()
            .lines()
            .count() as u64;
        for format in trackplan_core::model::Format::ALL {
            let property = format!("f_{}", format.as_str().replace('-', "_"));
            let refused = found
                .iter()
                .find(|(k, _)| k.0 == "format-violation" && k.2 == property)
                .map_or(0, |(_, n)| *n);
            assert!(
                refused >= 100 && refused + 100 <= events,
                "{engine}: {property} refused {refused} of {events}: too few on one side"
            );
        }
        return;
    }
    let rules: std::collections::BTreeSet<&str> = found.keys().map(|k| k.0.as_str()).collect();
    for rule in [
        "unplanned-event",
        "missing-required-property",
        "unplanned-property",
        "wrong-type",
        "unexpected-null",
        "length-violation",
        "range-violation",
        "format-violation",
        "list-size-violation",
        "value-over-limit",
        "missing-distinct-id",
        "invalid-distinct-id",
    ] {
        assert!(
            rules.contains(rule),
            "{engine}, {}: nothing planted for {rule}",
            case.template
        );
    }
    // Lists and maps in an enum are compared item by item and member by member: five of the
    // nine planted values are outside it.
    let enum_key = (
        "enum-violation".to_string(),
        "Audit Probe".to_string(),
        "probe_size".to_string(),
    );
    assert_eq!(
        found.get(&enum_key),
        Some(&5),
        "{engine}, {}",
        case.template
    );
    // A long string is over the limit only where the property's type takes it.
    let over = |property: &str| {
        let key = (
            "value-over-limit".to_string(),
            "Audit Probe".to_string(),
            property.to_string(),
        );
        found.get(&key).copied()
    };
    assert_eq!(over("probe_when"), Some(1), "{engine}, {}", case.template);
    assert_eq!(over("probe_amount"), None, "{engine}, {}", case.template);
    assert_eq!(over("probe_note"), Some(1), "{engine}, {}", case.template);
    for nested in [
        "probe_player.volume",
        "probe_player.zz_extra",
        "probe_tags[]",
    ] {
        assert!(
            found.keys().any(|k| k.2 == nested),
            "{engine}, {}: no finding on {nested}",
            case.template
        );
    }
}

fn cache(name: &str) -> PathBuf {
    let dir = repo().join(".ci/cache").join(name);
    assert!(
        dir.is_dir(),
        "run scripts/setup-test-deps.sh first (it installs {name})"
    );
    dir
}

fn python(script: &str, args: &[&std::ffi::OsStr], pythonpath: &Path) -> String {
    let run = Command::new("python3")
        .arg(repo().join("tests/support").join(script))
        .args(args)
        .env("PYTHONPATH", pythonpath)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{script}: {}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).unwrap()
}

#[test]
fn duckdb_finds_what_the_audit_finds() {
    let duckdb = cache("duckdb");
    for case in TEMPLATES.into_iter().map(case).chain([formats_case()]) {
        let query = export(&case, "duckdb");
        let events = case.dir.path().join("events.ndjson");
        let findings = python(
            "run_sql_duckdb.py",
            &[query.as_os_str(), events.as_os_str()],
            &duckdb,
        );
        assert_same_counts(&case, "duckdb", &findings);
    }
}

#[test]
fn spark_finds_what_the_audit_finds() {
    let pyspark = cache("pyspark");
    let cases: Vec<Case> = TEMPLATES
        .into_iter()
        .map(case)
        .chain([formats_case()])
        .collect();
    let mut args = Vec::new();
    for case in &cases {
        args.push(export(case, "spark").into_os_string());
        args.push(case.dir.path().join("events.ndjson").into_os_string());
        args.push(case.dir.path().join("spark.ndjson").into_os_string());
    }
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    // One Spark session for every template: starting one takes seconds.
    python("run_sql_spark.py", &args, &pyspark);
    for case in &cases {
        let findings = std::fs::read_to_string(case.dir.path().join("spark.ndjson")).unwrap();
        assert_same_counts(case, "spark", &findings);
    }
}

#[test]
fn bigquery_and_snowflake_queries_parse_in_their_dialect() {
    let sqlglot = cache("sqlglot");
    let cases: Vec<Case> = TEMPLATES
        .into_iter()
        .map(case)
        .chain([formats_case()])
        .collect();
    for dialect in ["bigquery", "snowflake"] {
        let files: Vec<PathBuf> = cases.iter().map(|c| export(c, dialect)).collect();
        let mut args = vec![std::ffi::OsStr::new(dialect)];
        args.extend(files.iter().map(|f| f.as_os_str()));
        let said = python("parse_sql.py", &args, &sqlglot);
        assert!(
            said.contains(&format!("6 {dialect} queries parsed")),
            "{said}"
        );
    }
}

#[test]
fn every_dialect_is_exported() {
    let case = case("blank");
    for dialect in trackplan_audit::sql::Dialect::ALL {
        let query = std::fs::read_to_string(export(&case, dialect.name())).unwrap();
        assert!(query.contains("WITH source AS ("), "{}", dialect.name());
    }
}

#[test]
fn a_missing_or_unknown_dialect_is_a_usage_error() {
    let case = case("blank");
    let missing = trackplan(case.dir.path(), &SQL_EXPORT);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("--format sql needs --dialect (duckdb, spark, bigquery or snowflake)"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
    let unknown = trackplan(
        case.dir.path(),
        &[SQL_EXPORT.as_slice(), &["--dialect", "oracle"]].concat(),
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("possible values: duckdb, spark, bigquery, snowflake"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}
