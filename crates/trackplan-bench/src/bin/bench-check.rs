//! Times `trackplan check` on a generated plan of 5,000 events x 20 properties over 50 files.
//!
//! Usage: `cargo build --release && cargo run --release -p trackplan-bench --bin bench-check [RUNS]`.
//! It runs the release binary as a user would (a new process per run, output to a pipe) after one
//! warm-up run, and prints min, median, p95 and max wall time. With `BENCH_PLAN_DIR=DIR` the plan
//! is written to DIR and kept there (for other measurements of the same plan), else to a temporary
//! folder.

use anyhow::{bail, Context, Result};
use std::process::{Command, Stdio};
use std::time::Instant;
use trackplan_bench::{write_plan, PlanSize};

fn main() -> Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(20);
    let binary =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/trackplan");
    if !binary.is_file() {
        bail!("build the release binary first: cargo build --release");
    }
    let temporary = tempfile::tempdir()?;
    let kept = std::env::var_os("BENCH_PLAN_DIR").map(std::path::PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temporary.path());
    let size = PlanSize::LARGE;
    write_plan(dir, size)?;
    let bytes: u64 = walk_size(dir);
    let run = || -> Result<f64> {
        let start = Instant::now();
        let output = Command::new(&binary)
            .args(["check", "--format", "json"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .output()
            .context("run trackplan")?;
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        let report: String = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() || !report.contains("\"errors\": 0") {
            bail!(
                "the generated plan does not check clean:\n{}",
                &report[..report.len().min(2000)]
            );
        }
        Ok(elapsed)
    };
    run()?;
    let mut times: Vec<f64> = (0..runs).map(|_| run()).collect::<Result<_>>()?;
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "trackplan check: {} events x {} properties over {} files ({:.1} MB), {runs} runs",
        size.events,
        size.properties_per_event,
        size.files,
        bytes as f64 / 1e6
    );
    println!(
        "wall time ms: min {:.1}, median {:.1}, p95 {:.1}, max {:.1}",
        times[0],
        at(0.5),
        at(0.95),
        times[times.len() - 1]
    );
    Ok(())
}

fn walk_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_size(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}
