//! How the SQL export grows with the plan: for generated one-file plans of growing size, the size
//! of `trackplan export --format sql --dialect duckdb`, the time to write it, and the time and peak
//! memory DuckDB needs to plan and run it over a table of two events (so the figures are the
//! query's own cost, not the data's).
//!
//! Usage: `cargo build --release && cargo run --release -p trackplan-bench --bin bench-sql-export`
//! (DuckDB from `.ci/cache/duckdb`, installed by scripts/setup-test-deps.sh).

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;
use trackplan_bench::{compare::duckdb_dir, run_measured, write_plan, PlanSize};

fn main() -> Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let trackplan = repo.join("target/release/trackplan");
    if !trackplan.is_file() {
        bail!("build the release binary first: cargo build --release");
    }
    let duckdb = duckdb_dir()?;
    let runner = repo.join("tests/support/run_sql_duckdb.py");
    let scratch = tempfile::tempdir()?;
    let events = scratch.path().join("events.ndjson");
    std::fs::write(
        &events,
        "{\"event\": \"Object 0 Viewed\", \"properties\": {\"distinct_id\": \"u1\", \"zz\": 1}}\n\
         {\"event\": \"Not Planned\", \"properties\": {}}\n",
    )?;
    println!(
        "| events x properties | SQL | export | DuckDB: plan and run | DuckDB peak memory | rows |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for events_planned in [250, 500, 1_000, 2_000] {
        let size = PlanSize {
            events: events_planned,
            properties_per_event: 20,
            files: 1,
        };
        let dir = scratch.path().join(format!("plan-{events_planned}"));
        write_plan(&dir, size)?;
        let query = scratch.path().join(format!("audit-{events_planned}.sql"));
        let export = run_measured(
            Command::new(&trackplan)
                .args(["export", "--format", "sql", "--dialect", "duckdb", "--plan"])
                .arg(&dir)
                .arg("--out")
                .arg(&query)
                .stderr(std::process::Stdio::null()),
        )?;
        if !export.status.success() {
            bail!("trackplan export failed on {events_planned} events");
        }
        let bytes = std::fs::metadata(&query)?.len();
        let run = run_measured(
            Command::new("python3")
                .arg(&runner)
                .arg(&query)
                .arg(&events)
                .env("PYTHONPATH", &duckdb),
        )
        .context("python3 with DuckDB")?;
        if !run.status.success() {
            bail!("DuckDB failed on {events_planned} events");
        }
        println!(
            "| {events_planned} x 20 | {:.1} MB | {:.2} s | {:.1} s | {:.1} GB | {} |",
            bytes as f64 / 1e6,
            export.wall.as_secs_f64(),
            run.wall.as_secs_f64(),
            run.peak_kb as f64 / 1e6,
            run.stdout.lines().count()
        );
    }
    Ok(())
}
