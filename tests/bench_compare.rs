//! The driver of `bench-audit-compare` (crates/trackplan-bench) on a small stream: `trackplan
//! audit`, ajv on the exported JSON Schema (the streaming script and ajv-cli) and DuckDB on the
//! exported SQL each run on the same generated events and find the planted violations. A smoke
//! test of the benchmark: no time or memory figure is judged here (docs/benchmarks.md has them).

use trackplan_bench::compare::{run, Options, AJV, AJV_CLI_ARRAY, AJV_CLI_EACH, AUDIT, DUCKDB};

#[test]
fn every_tool_of_the_audit_benchmark_runs_on_a_small_stream() {
    let dir = tempfile::tempdir().unwrap();
    // 280 events: 14 carry a planted violation, two of each kind, two of them malformed lines.
    let report = run(&Options {
        trackplan: env!("CARGO_BIN_EXE_trackplan").into(),
        events: 280,
        runs: 1,
        duckdb_runs: 1,
        sample: 2,
        dir: dir.path().to_path_buf(),
    })
    .unwrap_or_else(|e| panic!("{e:#} (run scripts/setup-test-deps.sh first)"));

    let found = &report.found;
    assert!(found["audit_findings"].as_u64().unwrap() >= 6, "{found}");
    let ajv = &found["ajv"];
    assert_eq!(ajv["events"], 278, "{ajv}");
    assert_eq!(ajv["malformed"], 2, "{ajv}");
    assert_eq!(ajv["unplanned"], 2, "{ajv}");
    // A wrong type, an enum value not allowed and a missing required property, twice each.
    assert!(ajv["invalid"].as_u64().unwrap() >= 6, "{ajv}");
    assert_eq!(found["ajv_cli_events"], 278, "{found}");
    let duckdb = &found["duckdb"];
    // DuckDB's reader keeps a malformed line as a row of NULLs (the query passes over them).
    assert_eq!(duckdb["events"], 280, "{duckdb}");
    assert!(duckdb["findings"].as_u64().unwrap() >= 4, "{duckdb}");

    let table = report.table();
    for tool in [AUDIT, AJV, AJV_CLI_ARRAY, AJV_CLI_EACH, DUCKDB] {
        assert!(table.contains(&format!("| {tool} |")), "{table}");
    }
    assert!(table.contains("x the fastest ajv"), "{table}");
    assert!(table.contains("versions: trackplan"), "{table}");
}
