//! Measures `trackplan doc` on the generated plan of 5,000 events x 20 properties over 50 files: the
//! time to write the page, its size, and in Debian's Chromium (driven by `tests/browser/bench-doc.mjs`
//! with playwright-core) the time until the page is shown and answers, opening the map and an entity,
//! and the time from a keystroke in the search box to the results painted.
//!
//! Usage: `cargo build --release && cargo run --release -p trackplan-bench --bin bench-doc [RUNS]`
//! (`scripts/setup-test-deps.sh` installs Chromium and the npm packages). With `--write DIR EVENTS`
//! it only writes a generated plan of that many events into DIR, for looking at the page by hand.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;
use trackplan_bench::{write_plan, PlanSize};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--write") {
        let (Some(dir), Some(events)) = (args.get(1), args.get(2)) else {
            bail!("usage: bench-doc --write DIR EVENTS");
        };
        let events: usize = events.parse().context("EVENTS is a number")?;
        let size = PlanSize {
            events,
            properties_per_event: 20,
            files: (events / 100).clamp(3, 50),
        };
        return Ok(write_plan(Path::new(dir), size)?);
    }
    let runs: usize = args.first().map(|a| a.parse()).transpose()?.unwrap_or(10);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let binary = root.join("target/release/trackplan");
    if !binary.is_file() {
        bail!("build the release binary first: cargo build --release");
    }
    let dir = tempfile::tempdir()?;
    let plan = dir.path().join("plan");
    let size = PlanSize::LARGE;
    write_plan(&plan, size)?;
    let page = dir.path().join("plan.html");
    let write = || -> Result<f64> {
        let start = Instant::now();
        let output = Command::new(&binary)
            .args(["doc", "--no-history", "--out"])
            .arg(&page)
            .current_dir(&plan)
            .stderr(Stdio::null())
            .output()
            .context("run trackplan doc")?;
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        if !output.status.success() {
            bail!("trackplan doc failed");
        }
        Ok(elapsed)
    };
    write()?;
    let mut times: Vec<f64> = (0..runs).map(|_| write()).collect::<Result<_>>()?;
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let bytes = std::fs::metadata(&page)?.len();
    println!(
        "trackplan doc: {} events x {} properties over {} files, {runs} runs",
        size.events, size.properties_per_event, size.files
    );
    println!(
        "page: {:.2} MB; writing it, wall time ms: min {:.0}, median {:.0}, p95 {:.0}, max {:.0}",
        bytes as f64 / 1e6,
        times[0],
        at(0.5),
        at(0.95),
        times[times.len() - 1]
    );
    let status = Command::new("node")
        .arg(root.join("tests/browser/bench-doc.mjs"))
        .arg(&page)
        .arg(runs.to_string())
        .status()
        .context("run node tests/browser/bench-doc.mjs (scripts/setup-test-deps.sh installs what it needs)")?;
    if !status.success() {
        bail!("the browser part of the benchmark failed");
    }
    Ok(())
}
