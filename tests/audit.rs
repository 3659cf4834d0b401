//! `trackplan audit` end to end: inputs from files and stdin, each output format, exit codes,
//! `explain` for audit rules, the generated docs/audit-rules.md, and a 100 MB line read with
//! bounded memory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn trackplan(cwd: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run trackplan");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const EVENTS: &str = concat!(
    r#"{"event": "Product Viewed", "properties": {"distinct_id": "u1", "product_id": "PRD-1"}}"#,
    "\n",
    r#"{"event": "Order Complete", "properties": {"distinct_id": "u1"}}"#,
    "\n",
    "not json\n",
);

#[test]
fn json_output_has_the_documented_shape() {
    let out = trackplan(
        &repo(),
        &["audit", "--plan", "plans/ecommerce", "--format", "json"],
        EVENTS.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["version"], 1);
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&report), ["findings", "summary", "version"]);
    for finding in report["findings"].as_array().unwrap() {
        assert_eq!(
            keys(finding),
            ["count", "event", "examples", "message", "property", "rule", "severity", "share"]
        );
        for example in finding["examples"].as_array().unwrap() {
            assert_eq!(keys(example), ["file", "line", "value"]);
        }
    }
    let summary = &report["summary"];
    assert_eq!(summary["events_read"], 2);
    assert_eq!(summary["lines_malformed"], 1);
    assert_eq!(summary["events_planned_seen"], 1);
    assert!(summary["events_planned_total"].as_u64().unwrap() > 30);
    let unplanned = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "unplanned-event")
        .unwrap();
    assert_eq!(unplanned["event"], "Order Complete");
    assert_eq!(unplanned["property"], serde_json::Value::Null);
    assert_eq!(
        unplanned["examples"][0],
        serde_json::json!({"file": "<stdin>", "line": 2, "value": "\"Order Complete\""})
    );
    assert!(unplanned["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `Order Completed`"));
}

#[test]
fn human_markdown_and_github_outputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("events.ndjson"), EVENTS).unwrap();
    let plan = repo().join("plans/ecommerce");
    let plan = plan.to_str().unwrap();
    let human = trackplan(dir.path(), &["audit", "--plan", plan, "events.ndjson"], b"");
    let human = text(&human.stdout);
    assert!(human.starts_with("rule "), "{human}");
    assert!(
        human.contains("pattern-violation          error     Product Viewed"),
        "{human}"
    );
    assert!(human.contains("events.ndjson:3 not JSON"), "{human}");
    assert!(
        human.contains("2 events read (0 identify calls), 1 malformed lines; 1 of "),
        "{human}"
    );
    let markdown = trackplan(
        dir.path(),
        &[
            "audit",
            "--plan",
            plan,
            "--format",
            "markdown",
            "events.ndjson",
        ],
        b"",
    );
    let markdown = text(&markdown.stdout);
    assert!(
        markdown.contains("| rule | severity | event | property | count | share | first example |")
    );
    assert!(markdown.contains("| `unplanned-event` | warning | Order Complete | - | 1 | 50.0% | `events.ndjson:2 \"Order Complete\"` |"), "{markdown}");
    let github = trackplan(
        dir.path(),
        &[
            "audit",
            "--plan",
            plan,
            "--format",
            "github",
            "events.ndjson",
        ],
        b"",
    );
    let github = text(&github.stdout);
    assert!(
        github.contains(
            "::error file=events.ndjson,line=1,title=trackplan audit%3A pattern-violation::"
        ),
        "{github}"
    );
    assert!(
        github.contains("::notice title=trackplan audit::2 events read"),
        "{github}"
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    let clean = r#"{"type": "track", "event": "Logged Out", "userId": "u1", "properties": {"platform": "web", "app_version": "1.2.3", "storefront": "gb", "is_logged_in": true, "logout_trigger": "user"}}"#;
    let run = |args: &[&str], input: &str| {
        let mut all = vec!["audit", "--plan", "plans/ecommerce"];
        all.extend_from_slice(args);
        trackplan(&repo(), &all, input.as_bytes()).status.code()
    };
    // Only warnings: the implemented events never seen.
    assert_eq!(run(&[], clean), Some(0));
    assert_eq!(run(&["--fail-on", "warning"], clean), Some(1));
    assert_eq!(run(&["--fail-on", "never"], EVENTS), Some(0));
    assert_eq!(run(&["no-such-file.ndjson"], ""), Some(2));
    let out = trackplan(
        &repo(),
        &["audit", "--plan", "plans/ecommerce", "no-such-file.ndjson"],
        b"",
    );
    assert!(
        text(&out.stderr).contains("cannot read no-such-file.ndjson"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn explain_knows_the_audit_rules_and_check_does_not_run_them() {
    let out = trackplan(&repo(), &["explain", "unexpected-null"], b"");
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(
            "# unexpected-null\n\nDefault severity: error (a rule of `trackplan audit`"
        ),
        "{page}"
    );
    assert!(page.contains("## Use instead"));
    let typo = trackplan(&repo(), &["explain", "unexpected-nul"], b"");
    assert!(text(&typo.stderr).contains("did you mean `unexpected-null`"));
    let listed = text(&trackplan(&repo(), &["rules", "--audit"], b"").stdout);
    assert_eq!(listed.lines().count(), trackplan_audit::AUDIT_RULES.len());
    let plan_rules = text(&trackplan(&repo(), &["rules"], b"").stdout);
    assert!(!plan_rules.contains("unexpected-null"));
}

#[test]
fn audit_rules_doc_is_up_to_date() {
    let output = trackplan(&repo(), &["rules", "--audit", "--markdown"], b"");
    let expected = text(&output.stdout);
    let file = repo().join("docs/audit-rules.md");
    if std::env::var_os("TRACKPLAN_UPDATE_DOCS").is_some() {
        std::fs::write(&file, &expected).unwrap();
    }
    assert!(
        std::fs::read_to_string(&file).unwrap_or_default() == expected,
        "docs/audit-rules.md is stale: run `TRACKPLAN_UPDATE_DOCS=1 cargo test --test audit` and commit it"
    );
}

/// A 100 MB line and 10,000-deep nesting through the binary: reported, the next line read, and the
/// process's peak memory far below the input's size (measured by Python's `getrusage`).
#[test]
fn a_hundred_megabyte_line_is_read_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ndjson");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        file.write_all(b"{\"event\": \"Nope\", \"properties\": {\"x\": \"")
            .unwrap();
        let block = vec![b'a'; 1 << 20];
        for _ in 0..100 {
            file.write_all(&block).unwrap();
        }
        file.write_all(b"\"}}\n").unwrap();
        let deep = format!(
            "{{\"event\": \"Nope\", \"properties\": {{\"x\": {}1{}}}}}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        file.write_all(deep.as_bytes()).unwrap();
        file.write_all(b"{\"event\": \"Nope\", \"properties\": {\"distinct_id\": \"u1\"}}\n")
            .unwrap();
    }
    let script = "import resource, subprocess, sys\n\
                  r = subprocess.run(sys.argv[1:], capture_output=True)\n\
                  sys.stdout.buffer.write(r.stdout)\n\
                  print('peak_kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let out = Command::new("python3")
        .args([
            "-c",
            script,
            env!("CARGO_BIN_EXE_trackplan"),
            "audit",
            "--plan",
        ])
        .arg(repo().join("plans/blank"))
        .args(["--format", "json"])
        .arg(&path)
        .output()
        .expect("python3 (scripts/setup-test-deps.sh)");
    let stdout = text(&out.stdout);
    let (json, peak) = stdout.rsplit_once("peak_kib ").unwrap();
    let peak_kib: u64 = peak.trim().parse().unwrap();
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    let malformed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "malformed-line")
        .unwrap();
    assert_eq!(malformed["count"], 2);
    assert_eq!(malformed["examples"][0]["line"], 1);
    assert_eq!(malformed["examples"][1]["line"], 2);
    assert_eq!(
        report["summary"]["events_read"], 1,
        "the line after them is read"
    );
    assert!(
        peak_kib < 120 * 1024,
        "peak memory {peak_kib} KiB for a 100 MB line"
    );
}
