//! `trackplan audit` against the two other ways of checking a stream of events with what
//! `trackplan export` writes: ajv (the JSON Schema validator of ajv-cli, npm) on the exported JSON
//! Schema, and DuckDB (PyPI) running the exported SQL. One stream of the e-commerce template, with
//! violations planted, is generated once and given to each; every tool runs as its own process,
//! and its wall time (start to exit) and peak resident memory are measured from outside.
//!
//! The tools need, beyond the release binary: `npm ci` in `crates/trackplan-bench/compare` (done
//! here when its lock file changed, as scripts/setup-test-deps.sh does) and DuckDB in
//! `.ci/cache/duckdb` (installed by scripts/setup-test-deps.sh, the version the tests use).

use crate::events::{read_plan, write_planted_stream};
use crate::{run_measured, Measured};
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What to run and where.
pub struct Options {
    /// The `trackplan` binary to measure.
    pub trackplan: PathBuf,
    /// Events in the generated stream.
    pub events: u64,
    /// Runs of trackplan audit and ajv; the table gives the median.
    pub runs: usize,
    /// Runs of DuckDB (its query takes minutes on a large stream).
    pub duckdb_runs: usize,
    /// Events validated by ajv-cli one process each (its cost per invocation).
    pub sample: usize,
    /// A scratch folder for the stream and the exported files.
    pub dir: PathBuf,
}

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub tool: String,
    /// The command, with the file names of the scratch folder.
    pub command: String,
    /// Median wall time over the runs.
    pub wall: Duration,
    /// Events this row's tool read in that time.
    pub events: u64,
    /// Median peak resident memory in kB (0 where the row has no process of its own).
    pub peak_kb: u64,
    /// What the tool found, in its own terms.
    pub result: String,
}

impl Row {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// The measurements of one run of the comparison.
#[derive(Debug)]
pub struct Report {
    pub events: u64,
    pub bytes: u64,
    pub rows: Vec<Row>,
    /// Tool and version, as each reports it.
    pub versions: Vec<(String, String)>,
    /// What each tool found in the last run: `audit_findings`, `ajv` (the streaming script's
    /// counts), `ajv_cli_events`, `duckdb` (run-duckdb.py's output).
    pub found: Value,
}

pub const AUDIT: &str = "trackplan audit";
pub const AJV: &str = "ajv (library, streaming NDJSON)";
pub const AJV_CLI_ARRAY: &str = "ajv-cli (the stream as one JSON array)";
pub const AJV_CLI_EACH: &str = "ajv-cli (one process per event)";
pub const DUCKDB: &str = "DuckDB: load + query (whole process)";
pub const DUCKDB_LOAD: &str = "DuckDB: load alone (read_json into `events`)";
pub const DUCKDB_QUERY: &str = "DuckDB: query alone (table in memory)";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn compare_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("compare")
}

/// DuckDB as scripts/setup-test-deps.sh installs it for the tests.
pub fn duckdb_dir() -> Result<PathBuf> {
    let dir = repo().join(".ci/cache/duckdb");
    if !dir.is_dir() {
        bail!("run scripts/setup-test-deps.sh first (it installs duckdb into .ci/cache/duckdb)");
    }
    Ok(dir)
}

/// `npm ci` in the compare folder when its lock file changed since the last install (the marker
/// is the one scripts/setup-test-deps.sh writes, so either installs for the other).
fn node_modules() -> Result<PathBuf> {
    let dir = compare_dir();
    let hash = output(Command::new("sha256sum").arg(dir.join("package-lock.json")))?;
    let hash = hash
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let marker = dir.join("node_modules/.trackplan-lock-hash");
    if std::fs::read_to_string(&marker)
        .ok()
        .as_deref()
        .map(str::trim)
        != Some(hash.as_str())
    {
        eprintln!("bench: npm ci in crates/trackplan-bench/compare");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .context("run npm")?;
        if !status.success() {
            bail!("npm ci failed in {}", dir.display());
        }
        std::fs::write(&marker, format!("{hash}\n"))?;
    }
    Ok(dir.join("node_modules"))
}

fn output(command: &mut Command) -> Result<String> {
    let out = command
        .output()
        .with_context(|| format!("run {command:?}"))?;
    if !out.status.success() {
        bail!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A schema for one record `{"event", "properties"}` that picks the exported schema of the event by
/// its name (`if` the name is X `then` the properties follow `#/$defs/X`) and rejects other names:
/// the exported document with this at its root (the exported root constrains nothing).
fn record_schema(exported: &Value) -> Value {
    let names: Vec<&String> = exported["$defs"]
        .as_object()
        .map(|defs| defs.keys().filter(|k| *k != "$user").collect())
        .unwrap_or_default();
    let pointer = |name: &str| {
        let escaped = name.replace('~', "~0").replace('/', "~1");
        let mut encoded = String::new();
        for byte in escaped.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    encoded.push(byte as char)
                }
                _ => {
                    let _ = write!(encoded, "%{byte:02X}");
                }
            }
        }
        format!("#/$defs/{encoded}")
    };
    let branches: Vec<Value> = names
        .iter()
        .map(|name| {
            json!({
                "if": {"properties": {"event": {"const": name}}},
                "then": {"properties": {"properties": {"$ref": pointer(name)}}}
            })
        })
        .collect();
    json!({
        "type": "object",
        "required": ["event", "properties"],
        "properties": {"event": {"enum": names}},
        "allOf": branches
    })
}

/// The exported document with the record schema, or a list of records, at its root.
fn dispatching_schema(exported: &Value, list: bool) -> Value {
    let mut schema = exported.clone();
    let record = record_schema(exported);
    let root = if list {
        json!({"type": "array", "items": record})
    } else {
        record
    };
    if let (Some(schema), Some(root)) = (schema.as_object_mut(), root.as_object()) {
        for (key, value) in root {
            schema.insert(key.clone(), value.clone());
        }
    }
    schema
}

/// Writes the lines that are JSON as one JSON array (ajv-cli reads one document per file) and the
/// first `sample` of them one file each; returns how many lines the array holds.
fn write_json_forms(events: &Path, array: &Path, sample_dir: &Path, sample: usize) -> Result<u64> {
    std::fs::create_dir_all(sample_dir)?;
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(array)?);
    out.write_all(b"[")?;
    let mut written = 0u64;
    for line in std::io::BufReader::new(std::fs::File::open(events)?).split(b'\n') {
        let line = line?;
        if serde_json::from_slice::<Value>(&line).is_err() {
            continue;
        }
        if written > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(&line)?;
        if (written as usize) < sample {
            std::fs::write(sample_dir.join(format!("{written:03}.json")), &line)?;
        }
        written += 1;
    }
    out.write_all(b"]\n")?;
    out.flush()?;
    Ok(written)
}

fn median<T: Ord + Copy>(values: &mut [T]) -> T {
    values.sort();
    values[values.len() / 2]
}

fn median_f64(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn row(tool: &str, command: String, events: u64, runs: &[Measured], result: String) -> Row {
    let mut walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    let mut peaks: Vec<u64> = runs.iter().map(|r| r.peak_kb).collect();
    Row {
        tool: tool.to_string(),
        command,
        wall: median(&mut walls),
        events,
        peak_kb: median(&mut peaks),
        result,
    }
}

fn expect_exit(run: &Measured, what: &str, allowed: &[i32]) -> Result<()> {
    match run.status.code() {
        Some(code) if allowed.contains(&code) => Ok(()),
        _ => bail!("{what} failed ({})", run.status),
    }
}

/// One line on standard error per measured run, so a long benchmark shows where it is.
fn progress(tool: &str, run: &Measured) {
    eprintln!(
        "bench: {tool}: {:.3} s, {:.0} MB",
        run.wall.as_secs_f64(),
        run.peak_kb as f64 / 1024.0
    );
}

/// Generates the stream, exports the schema and the query, runs trackplan audit and ajv `runs`
/// times in turn (so a change of load on the machine falls on all of them alike), then DuckDB.
pub fn run(options: &Options) -> Result<Report> {
    let dir = &options.dir;
    let plan_dir = repo().join("plans/ecommerce");
    let plan = read_plan(&plan_dir)?;
    let events_file = dir.join("events.ndjson");
    write_planted_stream(&plan, options.events, &events_file)?;
    let bytes = std::fs::metadata(&events_file)?.len();

    let trackplan = &options.trackplan;
    for (format, file) in [("json-schema", "plan.schema.json"), ("sql", "audit.sql")] {
        let mut export = Command::new(trackplan);
        export
            .args(["export", "--plan"])
            .arg(&plan_dir)
            .args(["--format", format]);
        if format == "sql" {
            export.args(["--dialect", "duckdb"]);
        }
        output(export.arg("--out").arg(dir.join(file)))?;
    }
    let exported: Value = serde_json::from_slice(&std::fs::read(dir.join("plan.schema.json"))?)?;
    std::fs::write(
        dir.join("records.schema.json"),
        serde_json::to_vec(&dispatching_schema(&exported, true))?,
    )?;
    std::fs::write(
        dir.join("record.schema.json"),
        serde_json::to_vec(&dispatching_schema(&exported, false))?,
    )?;
    let array_events = write_json_forms(
        &events_file,
        &dir.join("events.json"),
        &dir.join("sample"),
        options.sample,
    )?;

    let modules = node_modules()?;
    let ajv_cli = modules.join("ajv-cli/dist/index.js");
    let stream_script = compare_dir().join("validate-stream.js");
    let duckdb = duckdb_dir()?;
    let duckdb_script = compare_dir().join("run-duckdb.py");
    let ajv_cli_args = |schema: &str, data: &str| -> Vec<String> {
        [
            "validate",
            "--spec=draft2020",
            "-c",
            "ajv-formats",
            "--all-errors",
            "--errors=line",
            "-s",
            schema,
            "-d",
            data,
        ]
        .map(String::from)
        .to_vec()
    };

    let mut audit_runs = Vec::new();
    let mut ajv_runs = Vec::new();
    let mut ajv_cli_runs = Vec::new();
    let mut duckdb_runs = Vec::new();
    let (mut loads, mut queries) = (Vec::new(), Vec::new());
    let (mut findings, mut ajv_counts, mut duckdb_counts) = (0, Value::Null, Value::Null);
    for _ in 0..options.runs.max(1) {
        let run = run_measured(
            Command::new(trackplan)
                .args(["audit", "--plan"])
                .arg(&plan_dir)
                .args(["--format", "json", "--fail-on", "never"])
                .arg(&events_file),
        )?;
        expect_exit(&run, "trackplan audit", &[0])?;
        let report: Value = serde_json::from_str(&run.stdout)?;
        findings = report["findings"].as_array().map_or(0, Vec::len);
        progress(AUDIT, &run);
        audit_runs.push(run);

        let run = run_measured(
            Command::new("node")
                .arg(&stream_script)
                .arg(dir.join("plan.schema.json"))
                .arg(&events_file),
        )?;
        expect_exit(&run, "node validate-stream.js", &[0])?;
        ajv_counts = serde_json::from_str(&run.stdout)?;
        progress(AJV, &run);
        ajv_runs.push(run);

        // ajv-cli exits with 1 when the data is invalid, as it is here.
        let run = run_measured(
            Command::new("node")
                .arg(&ajv_cli)
                .args(ajv_cli_args("records.schema.json", "events.json"))
                .current_dir(dir)
                .stderr(std::process::Stdio::null()),
        )?;
        expect_exit(&run, "ajv-cli validate", &[0, 1])?;
        progress(AJV_CLI_ARRAY, &run);
        ajv_cli_runs.push(run);
    }

    for _ in 0..options.duckdb_runs.max(1) {
        let run = run_measured(
            Command::new("python3")
                .arg(&duckdb_script)
                .arg(dir.join("audit.sql"))
                .arg(&events_file)
                .env("PYTHONPATH", &duckdb),
        )?;
        expect_exit(&run, "run-duckdb.py", &[0])?;
        duckdb_counts = serde_json::from_str(&run.stdout)?;
        loads.push(duckdb_counts["load_seconds"].as_f64().unwrap_or(0.0));
        queries.push(duckdb_counts["query_seconds"].as_f64().unwrap_or(0.0));
        progress(DUCKDB, &run);
        duckdb_runs.push(run);
    }

    let mut each_runs = Vec::new();
    for n in 0..options.sample.min(array_events as usize) {
        let run = run_measured(
            Command::new("node")
                .arg(&ajv_cli)
                .args(ajv_cli_args(
                    "record.schema.json",
                    &format!("sample/{n:03}.json"),
                ))
                .current_dir(dir)
                .stderr(std::process::Stdio::null()),
        )?;
        expect_exit(&run, "ajv-cli validate (one event)", &[0, 1])?;
        each_runs.push(run);
    }
    let each_valid = each_runs.iter().filter(|r| r.status.success()).count();

    let loaded = duckdb_counts["events"].as_u64().unwrap_or(0);
    let count = |v: &Value, key: &str| v[key].as_u64().unwrap_or(0);
    let mut rows =
        vec![
        row(
            AUDIT,
            "trackplan audit --plan plans/ecommerce --format json --fail-on never events.ndjson"
                .into(),
            options.events,
            &audit_runs,
            format!("{findings} findings"),
        ),
        row(
            AJV,
            "node validate-stream.js plan.schema.json events.ndjson".into(),
            options.events,
            &ajv_runs,
            format!(
                "{} invalid, {} unplanned, {} malformed",
                count(&ajv_counts, "invalid"),
                count(&ajv_counts, "unplanned"),
                count(&ajv_counts, "malformed")
            ),
        ),
        row(
            AJV_CLI_ARRAY,
            format!("ajv {}", ajv_cli_args("records.schema.json", "events.json").join(" ")),
            array_events,
            &ajv_cli_runs,
            format!("{array_events} events (lines that are JSON), invalid"),
        ),
        row(
            AJV_CLI_EACH,
            format!("ajv {}", ajv_cli_args("record.schema.json", "sample/NNN.json").join(" ")),
            1,
            &each_runs,
            format!(
                "median of {} processes; {each_valid} valid",
                each_runs.len()
            ),
        ),
        row(
            DUCKDB,
            "python3 run-duckdb.py audit.sql events.ndjson".into(),
            options.events,
            &duckdb_runs,
            format!(
                "{} rows loaded, {} finding rows",
                loaded,
                count(&duckdb_counts, "findings")
            ),
        ),
    ];
    let duckdb_peak = rows[rows.len() - 1].peak_kb;
    for (tool, seconds) in [
        (DUCKDB_LOAD, median_f64(&mut loads)),
        (DUCKDB_QUERY, median_f64(&mut queries)),
    ] {
        rows.push(Row {
            tool: tool.into(),
            command: "(timed inside run-duckdb.py)".into(),
            wall: Duration::from_secs_f64(seconds),
            events: if tool == DUCKDB_LOAD {
                options.events
            } else {
                loaded
            },
            peak_kb: duckdb_peak,
            result: "peak is the whole process's".into(),
        });
    }

    let versions = vec![
        (
            "trackplan".into(),
            output(Command::new(trackplan).arg("--version"))?,
        ),
        (
            "node".into(),
            output(Command::new("node").arg("--version"))?,
        ),
        ("ajv".into(), package_version(&modules, "ajv")?),
        ("ajv-cli".into(), package_version(&modules, "ajv-cli")?),
        (
            "ajv-formats".into(),
            package_version(&modules, "ajv-formats")?,
        ),
        (
            "python".into(),
            output(Command::new("python3").arg("--version"))?,
        ),
        (
            "duckdb".into(),
            duckdb_counts["duckdb"].as_str().unwrap_or("?").to_string(),
        ),
    ];
    Ok(Report {
        events: options.events,
        bytes,
        rows,
        versions,
        found: json!({
            "audit_findings": findings,
            "ajv": ajv_counts,
            "ajv_cli_events": array_events,
            "duckdb": duckdb_counts,
        }),
    })
}

fn package_version(modules: &Path, package: &str) -> Result<String> {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(modules.join(package).join("package.json"))?)?;
    Ok(manifest["version"].as_str().unwrap_or("?").to_string())
}

impl Report {
    fn find(&self, tool: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.tool == tool)
    }

    /// The table in Markdown, then the ratios and the versions.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} events, {:.0} MB of NDJSON\n",
            self.events,
            self.bytes as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "| tool | wall time | events/s | peak memory | result |\n|---|---:|---:|---:|---|"
        );
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| {} | {:.3} s | {:.0} | {} | {} |",
                row.tool,
                row.wall.as_secs_f64(),
                row.events_per_second(),
                if row.peak_kb == 0 {
                    "-".to_string()
                } else {
                    format!("{:.0} MB", row.peak_kb as f64 / 1024.0)
                },
                row.result
            );
        }
        if let Some(audit) = self.find(AUDIT) {
            let rate = audit.events_per_second();
            let fastest_ajv = [AJV, AJV_CLI_ARRAY, AJV_CLI_EACH]
                .iter()
                .filter_map(|t| self.find(t))
                .map(Row::events_per_second)
                .fold(0.0, f64::max);
            let _ = writeln!(
                out,
                "\ntrackplan audit: {:.1}x the fastest ajv (goal 5x)",
                rate / fastest_ajv.max(1e-9)
            );
            for tool in [DUCKDB, DUCKDB_QUERY] {
                if let Some(other) = self.find(tool) {
                    let _ = writeln!(
                        out,
                        "trackplan audit: {:.1}x {tool} (goal 1x)",
                        rate / other.events_per_second().max(1e-9)
                    );
                }
            }
        }
        let _ = writeln!(out, "\ncommands (in the scratch folder):");
        for row in &self.rows {
            if !row.command.starts_with('(') {
                let _ = writeln!(out, "  {}: {}", row.tool, row.command);
            }
        }
        let versions: Vec<String> = self
            .versions
            .iter()
            .map(|(tool, version)| format!("{tool} {version}"))
            .collect();
        let _ = writeln!(out, "\nversions: {}", versions.join(", "));
        out
    }
}
