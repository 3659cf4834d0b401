//! Time (and memory) against the size of one file: the plans of issue 8 at growing sizes, so that
//! growth can be read off as linear or not.
//!
//! Usage: `cargo build --release && cargo run --release -p trackplan-bench --bin bench-scale`
//! (`TRACKPLAN_BIN=path` measures another build).
//! Runs the release binary as a user would (a new process per run, output to a pipe that is read
//! and thrown away) and prints one table row per case: the best wall time of three runs and the
//! peak resident memory (`VmHWM` from `/proc`, read while the process runs).
//!
//! The cases:
//! - a plan written on one line (`events: {E0: {}, E1: {}, ...}`), `trackplan check` in human
//!   format;
//! - the same plans opened by `trackplan lsp`: time from `initialized` to the plan's diagnostics;
//! - a flow step naming an unknown event of 1, 2 and 3 MB among 1,000 to 3,000 events ("did you
//!   mean" and the message);
//! - plans of tiny events (`E0: {}` one per line) of 2.5, 5 and 10 MB, in every output format.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use trackplan_bench::watch;

fn binary() -> Result<PathBuf> {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/trackplan");
    if !binary.is_file() {
        bail!("build the release binary first: cargo build --release");
    }
    Ok(binary)
}

/// `trackplan check` on a plan folder: the best of three runs (wall time, peak kB).
fn check(dir: &Path, format: &str) -> Result<(Duration, u64)> {
    let mut best: Option<(Duration, u64)> = None;
    for _ in 0..3 {
        let started = Instant::now();
        let mut child = Command::new(binary()?)
            .args(["check", "--format", format])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut stdout = child.stdout.take().unwrap();
        let drain = std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let result = watch(child, started)?;
        drain.join().unwrap()?;
        best = Some(match best {
            Some(b) if b.0 <= result.0 => (b.0, b.1.max(result.1)),
            _ => (result.0, best.map_or(result.1, |b| b.1.max(result.1))),
        });
    }
    Ok(best.unwrap())
}

fn write_plan(dir: &Path, text: &str) -> Result<u64> {
    std::fs::write(dir.join("trackplan.yaml"), text)?;
    Ok(text.len() as u64)
}

fn one_line(events: usize) -> String {
    let entries: Vec<String> = (0..events).map(|i| format!("E{i}: {{}}")).collect();
    format!(
        "trackplan: 1\nname: One line\nevents: {{{}}}\n",
        entries.join(", ")
    )
}

fn row(case: &str, size: u64, time: Duration, peak_kb: Option<u64>) {
    let memory = peak_kb.map_or("".to_string(), |kb| format!("{:.0} MB", kb as f64 / 1024.0));
    println!(
        "| {case} | {:.2} MB | {:.2} s | {memory} |",
        size as f64 / 1e6,
        time.as_secs_f64()
    );
}

// ----- the language server ------------------------------------------------------------------------

fn send(child: &mut Child, message: &Value) -> Result<()> {
    let body = serde_json::to_vec(message)?;
    let stdin = child.stdin.as_mut().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n", body.len())?;
    stdin.write_all(&body)?;
    stdin.flush()?;
    Ok(())
}

fn receive(reader: &mut impl BufRead) -> Result<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            bail!("the server closed its output");
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = Some(value.parse::<usize>()?);
        }
    }
    let mut body = vec![0; length.context("a Content-Length header")?];
    reader.read_exact(&mut body)?;
    Ok(serde_json::from_slice(&body)?)
}

/// From `initialized` to the plan's diagnostics (the best of three runs).
fn lsp(dir: &Path) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let mut child = Command::new(binary()?)
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let uri = format!("file://{}", dir.canonicalize()?.display());
        send(
            &mut child,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "processId": null, "rootUri": uri, "capabilities": {},
                "workspaceFolders": [{"uri": uri, "name": "bench"}]}}),
        )?;
        while receive(&mut reader)?["id"] != 1 {}
        let started = Instant::now();
        send(
            &mut child,
            &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        )?;
        loop {
            let message = receive(&mut reader)?;
            if message.get("method").is_some() && message.get("id").is_some() {
                send(
                    &mut child,
                    &json!({"jsonrpc": "2.0", "id": message["id"], "result": null}),
                )?;
            }
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| !d.is_empty())
            {
                break;
            }
        }
        best = best.min(started.elapsed());
        send(
            &mut child,
            &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        )?;
        while receive(&mut reader)?["id"] != 2 {}
        send(&mut child, &json!({"jsonrpc": "2.0", "method": "exit"}))?;
        child.wait()?;
    }
    Ok(best)
}

fn main() -> Result<()> {
    binary()?;
    println!("| case | plan | time | peak memory |");
    println!("|---|---:|---:|---:|");
    for events in [10_000, 20_000, 40_000] {
        let dir = tempfile::tempdir()?;
        let size = write_plan(dir.path(), &one_line(events))?;
        let (time, peak) = check(dir.path(), "human")?;
        row(
            &format!("one line, {events} events: `check`"),
            size,
            time,
            Some(peak),
        );
    }
    for events in [5_000, 10_000, 20_000] {
        let dir = tempfile::tempdir()?;
        let size = write_plan(dir.path(), &one_line(events))?;
        row(
            &format!("one line, {events} events: `lsp` to diagnostics"),
            size,
            lsp(dir.path())?,
            None,
        );
    }
    for (megabytes, events) in [(1, 1_000), (2, 2_000), (3, 3_000)] {
        let dir = tempfile::tempdir()?;
        let mut text = String::from("trackplan: 1\nname: Unknown step\nevents:\n");
        for i in 0..events {
            text.push_str(&format!("  Event number {i}: {{}}\n"));
        }
        let name = "Event number 1".repeat(megabytes * 1_000_000 / 14);
        text.push_str(&format!("flows:\n  f:\n    name: F\n    steps: [{name}]\n"));
        let size = write_plan(dir.path(), &text)?;
        let (time, peak) = check(dir.path(), "human")?;
        row(
            &format!("a {megabytes} MB unknown step, {events} events: `check`"),
            size,
            time,
            Some(peak),
        );
    }
    for megabytes in [2.5, 5.0, 10.0] {
        let dir = tempfile::tempdir()?;
        let mut text = String::from("trackplan: 1\nname: Tiny\nevents:\n");
        let mut events = 0;
        while (text.len() as f64) < megabytes * 1e6 - 16.0 {
            text.push_str(&format!("  E{events}: {{}}\n"));
            events += 1;
        }
        let size = write_plan(dir.path(), &text)?;
        for format in ["human", "json", "github", "sarif"] {
            let (time, peak) = check(dir.path(), format)?;
            row(
                &format!("{events} tiny events: `check --format {format}`"),
                size,
                time,
                Some(peak),
            );
        }
    }
    Ok(())
}
