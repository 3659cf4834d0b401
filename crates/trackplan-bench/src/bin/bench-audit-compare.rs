//! `trackplan audit` against ajv on the exported JSON Schema and DuckDB on the exported SQL, on
//! one generated stream of e-commerce events with violations planted (see `compare.rs`).
//!
//! Usage: `cargo build --release && cargo run --release -p trackplan-bench --bin
//! bench-audit-compare [EVENTS] [RUNS] [DUCKDB_RUNS] [DIR]` (default 1,000,000 events; 3 runs of trackplan audit
//! and ajv, the median shown; 1 run of DuckDB, whose query takes minutes; the files in a temporary
//! folder, or in DIR, kept; `TRACKPLAN_BIN=path` measures another build). Needs scripts/setup-test-deps.sh
//! (DuckDB) and Node with npm (ajv, installed on first use into crates/trackplan-bench/compare).

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use trackplan_bench::compare::{run, Options};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let events: u64 = args
        .next()
        .map_or(Ok(1_000_000), |a| a.replace(['_', ','], "").parse())?;
    let runs: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let duckdb_runs: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let trackplan = match std::env::var_os("TRACKPLAN_BIN") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/trackplan"),
    };
    if !trackplan.is_file() {
        bail!("build the release binary first: cargo build --release");
    }
    let scratch = tempfile::tempdir()?;
    let dir = match args.next() {
        Some(dir) => PathBuf::from(dir),
        None => scratch.path().to_path_buf(),
    };
    std::fs::create_dir_all(&dir)?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let report = run(&Options {
        trackplan,
        events,
        runs,
        duckdb_runs,
        sample: 10,
        dir,
    })?;
    print!("{}", report.table());
    println!(
        "cores: {}; load average before: {}, after: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}
