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
use serde_json::{json, Value};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use trackplan_audit::AuditPlan;
use trackplan_bench::events::{clean_properties, mixpanel_line};
use trackplan_bench::watch;

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

fn ecommerce() -> Result<AuditPlan> {
    let dir = repo().join("plans/ecommerce");
    let files = yaml_files(&dir)?;
    let parsed = files
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            Arc::new(trackplan_core::parse_file(
                trackplan_core::FileId(i as u32),
                name,
                text.as_str(),
            ))
        })
        .collect();
    Ok(AuditPlan::new(&trackplan_core::Plan::new(parsed)))
}

/// The template's YAML files, by their name in the plan.
fn yaml_files(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let name = path.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read_to_string(&path)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes the stream, with a violation in one event of 20.
fn generate(plan: &AuditPlan, events: u64, path: &Path) -> Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let planned: Vec<usize> = (0..plan.events.len())
        .filter(|i| !plan.events[*i].is_deprecated())
        .collect();
    for n in 0..events {
        // Violations go to every event in turn (one line of 20 carries one).
        let turn = if n % 20 == 7 { n / 20 } else { n };
        let index = planned[turn as usize % planned.len()];
        let name = &plan.events[index].name;
        let mut properties = clean_properties(plan, index, n);
        let line = match (n % 20 == 7).then_some((n / 20) % 7) {
            Some(0) => {
                let key = properties
                    .keys()
                    .find(|k| *k != "distinct_id" && *k != "time")
                    .cloned();
                if let Some(key) = key {
                    properties.insert(key, json!({"unexpected": [1, 2]}));
                }
                mixpanel_line(name, properties)
            }
            Some(1) => {
                properties.insert("platform".into(), json!("smart_fridge"));
                mixpanel_line(name, properties)
            }
            Some(2) => {
                if let Some((required, _)) = plan.events[index].properties.required.first() {
                    properties.remove(required);
                }
                mixpanel_line(name, properties)
            }
            Some(3) => {
                properties.insert(format!("debug_flag_{}", n % 3), Value::Bool(true));
                mixpanel_line(name, properties)
            }
            Some(4) => {
                properties.insert("distinct_id".into(), json!("undefined"));
                mixpanel_line(name, properties)
            }
            Some(5) => mixpanel_line(&format!("{name} V2"), properties),
            Some(_) => "{\"event\": \"Order Completed\", \"properties\": {".to_string(),
            None => mixpanel_line(name, properties),
        };
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// The best of three runs of `trackplan audit` on a file: (wall time, peak kB, findings).
fn run_audit(file: &Path) -> Result<(Duration, u64, usize)> {
    let mut best: Option<(Duration, u64, usize)> = None;
    for _ in 0..3 {
        let started = Instant::now();
        let mut child = Command::new(binary()?)
            .args(["audit", "--plan"])
            .arg(repo().join("plans/ecommerce"))
            .args(["--format", "json", "--fail-on", "never"])
            .arg(file)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut stdout = child.stdout.take().context("stdout")?;
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
        });
        let (time, peak) = watch(child, started)?;
        let report: Value = serde_json::from_str(&reader.join().unwrap()?)?;
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
    let plan = ecommerce()?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("events.ndjson");
    generate(&plan, events, &file)?;
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
