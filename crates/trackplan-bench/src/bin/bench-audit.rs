//! `trackplan audit` on a generated stream of e-commerce events.
//!
//! Usage: `cargo build --release && cargo run --release -p trackplan-bench --bin bench-audit
//! [EVENTS]` (default 1,000,000; `TRACKPLAN_BIN=path` measures another build).
//! Writes EVENTS events of the e-commerce template (`plans/ecommerce`) in Mixpanel's export shape,
//! every planned event in turn with all its properties, and plants a violation in one event of
//! 20 (a wrong type, an enum value not allowed, a missing required property, an unplanned
//! property, a placeholder distinct id, an unplanned event, a malformed line), then runs the
//! release binary on the file (plain and gzip) as a user would, printing the best wall time of
//! three runs, events per second and the peak resident memory. It also times parsing the lines
//! alone, on one thread, with simd-json (what the audit uses) and with serde_json.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use trackplan_bench::events::{read_plan, write_planted_stream};
use trackplan_bench::run_measured;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("TRACKPLAN_BIN") {
        return Ok(PathBuf::from(path));
    }
    let binary = repo().join("target/release/trackplan");
    if !binary.is_file() {
        bail!("build the release binary first: cargo build --release");
    }
    Ok(binary)
}

/// The best of three runs of `trackplan audit` on a file: (wall time, peak kB, findings).
fn run_audit(file: &Path) -> Result<(Duration, u64, usize)> {
    let mut best: Option<(Duration, u64, usize)> = None;
    for _ in 0..3 {
        let run = run_measured(
            Command::new(binary()?)
                .args(["audit", "--plan"])
                .arg(repo().join("plans/ecommerce"))
                .args(["--format", "json", "--fail-on", "never"])
                .arg(file),
        )?;
        let (time, peak) = (run.wall, run.peak_kb);
        let report: Value = serde_json::from_str(&run.stdout)?;
        let findings = report["findings"].as_array().map_or(0, Vec::len);
        best = Some(match best {
            Some(b) if b.0 <= time => (b.0, b.1.max(peak), findings),
            Some(b) => (time, b.1.max(peak), findings),
            None => (time, peak, findings),
        });
    }
    best.context("no run")
}

fn parse_alone(file: &Path) -> Result<(Duration, Duration)> {
    let lines: Vec<Vec<u8>> = std::io::BufReader::new(std::fs::File::open(file)?)
        .split(b'\n')
        .collect::<std::io::Result<_>>()?;
    let started = Instant::now();
    let mut buffers = simd_json::Buffers::new(1 << 16);
    let mut parsed = 0usize;
    for line in &lines {
        let mut copy = line.clone();
        parsed += simd_json::value::borrowed::to_value_with_buffers(&mut copy, &mut buffers).is_ok()
            as usize;
    }
    let simd = started.elapsed();
    let started = Instant::now();
    for line in &lines {
        let _copy = line.clone();
        parsed += serde_json::from_slice::<Value>(line).is_ok() as usize;
    }
    let serde = started.elapsed();
    std::hint::black_box(parsed);
    Ok((simd, serde))
}

fn main() -> Result<()> {
    let events: u64 = std::env::args()
        .nth(1)
        .map_or(Ok(1_000_000), |a| a.replace(['_', ','], "").parse())?;
    let plan = read_plan(&repo().join("plans/ecommerce"))?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("events.ndjson");
    write_planted_stream(&plan, events, &file)?;
    let size = std::fs::metadata(&file)?.len();
    let gz = dir.path().join("events.ndjson.gz");
    let status = Command::new("gzip")
        .args(["-k", "-1"])
        .arg(&file)
        .status()?;
    if !status.success() {
        bail!("gzip failed");
    }
    println!(
        "{events} events, {:.0} MB ({:.0} MB gzip), {} cores",
        size as f64 / 1e6,
        std::fs::metadata(&gz)?.len() as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| input | wall time (best of 3) | events/s | MB/s | peak memory | findings |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, path) in [("NDJSON", &file), ("NDJSON, gzip", &gz)] {
        let (time, peak, findings) = run_audit(path)?;
        let seconds = time.as_secs_f64();
        println!(
            "| {label} | {seconds:.2} s | {:.0} | {:.0} | {:.0} MB | {findings} |",
            events as f64 / seconds,
            size as f64 / 1e6 / seconds,
            peak as f64 / 1024.0
        );
    }
    let (simd, serde) = parse_alone(&file)?;
    println!(
        "\nparsing alone, one thread: simd-json {:.2} s ({:.0} events/s), serde_json::Value {:.2} s ({:.0} events/s)",
        simd.as_secs_f64(),
        events as f64 / simd.as_secs_f64(),
        serde.as_secs_f64(),
        events as f64 / serde.as_secs_f64()
    );
    Ok(())
}
