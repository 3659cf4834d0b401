//! The language server benchmark (a bench binary, not a test).
//!
//! 1. A generated plan of 5,000 events x 20 properties over 50 files: after warm-up, p50 and p95 of
//!    completion, hover, definition, references, rename, and the time from a `didChange` to its
//!    `publishDiagnostics`; peak memory (RSS) of the server process.
//! 2. A one-file plan of 2,000 events, the same operations on trackplan and on yaml-language-server
//!    (npm) given the plan's JSON Schema (`trackplan schema --root`), and the ratios.
//!
//! Both servers run as child processes over stdio and are driven by the same client code. Run it
//! with `scripts/bench-lsp.sh`, which installs yaml-language-server into `.ci/cache/` first; without
//! it (`YAML_LS` unset) the comparison is skipped. `BENCH_ITERATIONS` sets the measured iterations.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const SERVE_ENV: &str = "TRACKPLAN_BENCH_SERVE";
const TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    if std::env::var_os(SERVE_ENV).is_some() {
        // The child process: the same server `trackplan lsp` runs.
        let code = trackplan_lsp::run_stdio().expect("the server runs");
        std::process::exit(code);
    }
    // `cargo bench` passes `--bench`; nothing else to parse.
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let work = tempfile::tempdir().expect("a temp dir");

    let big = work.path().join("big");
    generate(&big, 5000, 20, 50);
    println!("## Plan of 5,000 events x 20 properties over 50 files ({iterations} iterations after warm-up)\n");
    let ours = run_trackplan(&big, &Scenario::big(&big), iterations);
    print_table(&[("trackplan", &ours)], &[]);
    println!();

    let small = work.path().join("one-file");
    generate(&small, 2000, 20, 1);
    let schema = work.path().join("trackplan.schema.json");
    std::fs::write(
        &schema,
        serde_json::to_string_pretty(&trackplan_core::schema::json_schema(true)).unwrap(),
    )
    .unwrap();
    // The modeline points yaml-language-server at the schema; trackplan reads it as a comment.
    let root_file = small.join("trackplan.yaml");
    let text = std::fs::read_to_string(&root_file).unwrap();
    std::fs::write(
        &root_file,
        format!(
            "# yaml-language-server: $schema={}\n{text}",
            schema.display()
        ),
    )
    .unwrap();
    println!("## One-file plan of 2,000 events: trackplan vs yaml-language-server ({iterations} iterations after warm-up)\n");
    let scenario = Scenario::one_file(&small);
    let ours = run_trackplan(&small, &scenario, iterations);
    match std::env::var_os("YAML_LS") {
        Some(yaml_ls) => {
            // yaml-language-server takes seconds per operation on this plan: fewer iterations.
            let their_iterations: usize = std::env::var("BENCH_YAML_LS_ITERATIONS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(iterations.min(30));
            println!("(yaml-language-server: {their_iterations} iterations after warm-up)\n");
            let theirs = run_server(
                Command::new("node").arg(yaml_ls).arg("--stdio"),
                &small,
                &scenario,
                their_iterations,
                true,
            );
            print_table(
                &[("trackplan", &ours), ("yaml-language-server", &theirs)],
                &[(&ours, &theirs)],
            );
        }
        None => {
            print_table(&[("trackplan", &ours)], &[]);
            println!("\n(yaml-language-server not measured: run scripts/bench-lsp.sh)");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The generated plans

fn generate(dir: &Path, events: usize, properties_per_event: usize, files: usize) {
    std::fs::create_dir_all(dir.join("events")).unwrap();
    let kpis = 50;
    let dictionary = 300;
    let flows = events / 10;
    let mut root = String::from(
        "trackplan: 1\nname: Generated\ndescription: A generated plan for the benchmark.\nconventions:\n  event_case: title\n  property_case: snake\nteams:\n",
    );
    for t in 0..5 {
        root.push_str(&format!(
            "  team-{t}:\n    name: Team {t}\n    description: Team number {t}.\n"
        ));
    }
    root.push_str("goals:\n");
    for g in 0..5 {
        root.push_str(&format!("  goal-{g}:\n    name: Goal {g}\n    description: Goal number {g}.\n    owner: team-{g}\n"));
    }
    root.push_str("kpis:\n");
    for k in 0..kpis {
        root.push_str(&format!(
            "  kpi-{k}:\n    name: KPI {k}\n    description: KPI number {k}.\n    goal: goal-{}\n    definition: Ratio {k}, 7 days\n    priority: {}\n    owner: team-{}\n",
            k % 5,
            1 + k % 3,
            k % 5
        ));
    }
    let mut props = String::from("super_properties: [prop_0000, prop_0001]\nproperties:\n");
    for p in 0..dictionary {
        props.push_str(&format!(
            "  prop_{p:04}:\n    type: string\n    description: Property number {p}.\n"
        ));
        if p % 10 == 0 {
            props.push_str("    enum: [alpha, beta, gamma]\n");
        }
    }
    let mut flow_text = String::from("flows:\n");
    for f in 0..flows {
        let steps: Vec<String> = (0..10).map(|s| event_name(f * 10 + s)).collect();
        flow_text.push_str(&format!(
            "  flow-{f}:\n    name: Flow {f}\n    description: Flow number {f}.\n    owner: team-{}\n    kpis: [kpi-{}]\n    steps: [{}]\n",
            f % 5,
            f % kpis,
            steps.join(", ")
        ));
    }
    let per_file = events.div_ceil(files);
    let mut event_files: Vec<String> = vec![String::from("events:\n"); files];
    for e in 0..events {
        let text = &mut event_files[e / per_file];
        text.push_str(&format!(
            "  {}:\n    description: Fired when thing {e} happens, after the server confirms it.\n    owner: team-{}\n    status: implemented\n    platforms: [web, ios, android]\n    kpis: [kpi-{}]\n    properties:\n",
            event_name(e),
            e % 5,
            e % kpis
        ));
        for j in 0..properties_per_event {
            let p = (e * 7 + j * 13) % dictionary;
            let required = if j % 3 == 0 { "optional" } else { "required" };
            text.push_str(&format!("      prop_{p:04}: {required}\n"));
        }
    }
    if files == 1 {
        // Everything in the root file.
        let body = |s: &str| s.to_string();
        let all = format!(
            "{root}{}{}{}",
            body(&props),
            body(&flow_text),
            event_files[0]
        );
        std::fs::write(dir.join("trackplan.yaml"), all).unwrap();
        let _ = std::fs::remove_dir(dir.join("events"));
    } else {
        std::fs::write(dir.join("trackplan.yaml"), root).unwrap();
        std::fs::write(dir.join("properties.yaml"), props).unwrap();
        std::fs::write(dir.join("flows.yaml"), flow_text).unwrap();
        for (i, text) in event_files.iter().enumerate() {
            std::fs::write(dir.join(format!("events/events-{i:02}.yaml")), text).unwrap();
        }
    }
}

fn event_name(n: usize) -> String {
    const VERBS: [&str; 5] = ["Viewed", "Started", "Completed", "Clicked", "Saved"];
    format!("Thing {n:04} {}", VERBS[n % 5])
}

/// Where each request goes, as (file, line, column) with the text of the line for checking.
struct Scenario {
    /// Event names in a flow's steps (completion, hover, definition).
    steps: Target,
    /// A dictionary property's definition (references, rename).
    property: Target,
    /// A file edited for didChange -> publishDiagnostics.
    edited: Target,
}

struct Target {
    path: PathBuf,
    line: u32,
    character: u32,
}

fn find(path: &Path, needle: &str, skip: usize) -> Target {
    let text = std::fs::read_to_string(path).unwrap();
    for (line, content) in text.lines().enumerate() {
        if let Some(col) = content.find(needle) {
            return Target {
                path: path.to_path_buf(),
                line: line as u32,
                character: (col + skip) as u32,
            };
        }
    }
    panic!("{needle:?} not in {}", path.display());
}

impl Scenario {
    fn big(dir: &Path) -> Scenario {
        Scenario {
            steps: steps_target(&dir.join("flows.yaml"), "  flow-250:"),
            property: find(&dir.join("properties.yaml"), "  prop_0042:", 4),
            edited: find(
                &dir.join("events/events-25.yaml"),
                "description: Fired when thing 2550 ",
                30,
            ),
        }
    }

    fn one_file(dir: &Path) -> Scenario {
        let root = dir.join("trackplan.yaml");
        Scenario {
            steps: steps_target(&root, "  flow-100:"),
            property: find(&root, "  prop_0042:", 4),
            edited: find(&root, "description: Fired when thing 1000 ", 30),
        }
    }
}

/// Inside the second step of a flow's `steps: [...]` (the flow's key line is `key`).
fn steps_target(path: &Path, key: &str) -> Target {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == key).expect("the flow");
    let (offset, line) = lines[start..]
        .iter()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("steps: ["))
        .expect("the flow's steps");
    let second = line.find(", ").unwrap() + 2;
    Target {
        path: path.to_path_buf(),
        line: (start + offset) as u32,
        character: second as u32 + 3,
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal LSP client over a child's stdio

struct Server {
    child: Child,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Answers to server requests for `workspace/configuration`.
    settings: Value,
    pending_notifications: Vec<Value>,
}

impl Server {
    fn start(command: &mut Command, settings: Value) -> Server {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(match std::env::var_os("BENCH_SERVER_LOG") {
                Some(path) => Stdio::from(
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(path)
                        .expect("the log file"),
                ),
                None => Stdio::null(),
            })
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(value) = serde_json::from_slice::<Value>(&body) {
                    if tx.send(value).is_err() {
                        return;
                    }
                }
            }
        });
        Server {
            child,
            incoming: rx,
            next_id: 0,
            settings,
            pending_notifications: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let stdin = self.child.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(&body).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Handles one incoming message; returns it when it is not a server request.
    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(message) => {
                if message.get("method").is_some() && message.get("id").is_some() {
                    let result = if message["method"] == "workspace/configuration" {
                        let items = message["params"]["items"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default();
                        Value::Array(
                            items
                                .iter()
                                .map(|i| {
                                    let section = i["section"].as_str().unwrap_or("");
                                    self.settings.get(section).cloned().unwrap_or(Value::Null)
                                })
                                .collect(),
                        )
                    } else {
                        Value::Null
                    };
                    self.send(json!({"jsonrpc": "2.0", "id": message["id"], "result": result}));
                    return self.next(deadline);
                }
                Some(message)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server went away"),
        }
    }

    fn request(&mut self, method: &str, params: Value) -> (Duration, Value) {
        self.next_id += 1;
        let id = self.next_id;
        let started = Instant::now();
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = started + TIMEOUT;
        loop {
            let message = self
                .next(deadline)
                .unwrap_or_else(|| panic!("{method} got no answer"));
            if message["id"] == id && message.get("method").is_none() {
                return (started.elapsed(), message);
            }
            self.pending_notifications.push(message);
        }
    }

    /// Waits for diagnostics of `uri` (with `version` when the server sends versions).
    fn wait_diagnostics(&mut self, uri: &str, version: Option<i64>, started: Instant) -> Duration {
        let deadline = started + TIMEOUT;
        loop {
            let message = self.next(deadline).expect("diagnostics arrive");
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                let v = message["params"]["version"].as_i64();
                if version.is_none() || v.is_none() || v == version {
                    return started.elapsed();
                }
            }
        }
    }

    /// Reads messages until none comes for `quiet`.
    fn settle(&mut self, quiet: Duration) {
        while self.next(Instant::now() + quiet).is_some() {}
        self.pending_notifications.clear();
    }

    fn peak_rss_kib(&self) -> Option<u64> {
        self.status_kib("VmHWM:")
    }

    fn rss_kib(&self) -> Option<u64> {
        self.status_kib("VmRSS:")
    }

    fn status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find(|l| l.starts_with(field))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Durations of one operation.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[index]
    }
}

struct Results {
    ops: Vec<(&'static str, Samples, String)>,
    startup: Duration,
    peak_rss_kib: Option<u64>,
    startup_rss_kib: Option<u64>,
    end_rss_kib: Option<u64>,
}

/// `trackplan lsp` itself when `TRACKPLAN_BIN` names the binary (what the script does, so the
/// allocator and build are the shipped ones); otherwise this binary serving the same server.
fn run_trackplan(dir: &Path, scenario: &Scenario, iterations: usize) -> Results {
    let mut command = match std::env::var_os("TRACKPLAN_BIN") {
        Some(bin) => {
            let mut command = Command::new(bin);
            command.arg("lsp");
            command
        }
        None => {
            let mut command = Command::new(std::env::current_exe().unwrap());
            command.env(SERVE_ENV, "1");
            command
        }
    };
    command.env(
        "TRACKPLAN_LOG",
        std::env::var("BENCH_SERVER_LOG_LEVEL").unwrap_or("warn".into()),
    );
    run_server(&mut command, dir, scenario, iterations, false)
}

fn run_server(
    command: &mut Command,
    dir: &Path,
    scenario: &Scenario,
    iterations: usize,
    yaml_ls: bool,
) -> Results {
    let settings = json!({
        "yaml": {
            "validate": true, "hover": true, "completion": true, "format": {"enable": false},
            "schemaStore": {"enable": false}, "maxItemsComputed": 100000
        },
        "[yaml]": null, "editor": {"tabSize": 2}
    });
    let mut server = Server::start(command, settings.clone());
    let root = uri(dir);
    let started = Instant::now();
    let (_, init) = server.request(
        "initialize",
        json!({
            "processId": std::process::id(), "rootUri": root,
            "workspaceFolders": [{"uri": root, "name": "bench"}],
            "capabilities": {
                "workspace": {"configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true}},
                "textDocument": {
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "completion": {"completionItem": {"snippetSupport": true, "documentationFormat": ["markdown"]}},
                    "rename": {"prepareSupport": true},
                    "publishDiagnostics": {"relatedInformation": true, "versionSupport": true}
                }
            }
        }),
    );
    assert!(init.get("result").is_some(), "initialize: {init}");
    server.notify("initialized", json!({}));
    if yaml_ls {
        server.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": settings}),
        );
    }
    // Open the files the scenario uses.
    let mut opened: HashMap<PathBuf, (String, i64)> = HashMap::new();
    for target in [&scenario.steps, &scenario.property, &scenario.edited] {
        if opened.contains_key(&target.path) {
            continue;
        }
        let text = std::fs::read_to_string(&target.path).unwrap();
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(&target.path), "languageId": "yaml", "version": 1, "text": text}}),
        );
        opened.insert(target.path.clone(), (text, 1));
    }
    // Ready: the edited file's first diagnostics.
    server.wait_diagnostics(&uri(&scenario.edited.path), None, started);
    let startup = started.elapsed();
    server.settle(Duration::from_millis(500));
    let startup_rss_kib = server.rss_kib();

    let at = |t: &Target| json!({"textDocument": {"uri": uri(&t.path)}, "position": {"line": t.line, "character": t.character}});
    let requests: Vec<(&'static str, &'static str, Value)> = vec![
        ("completion", "textDocument/completion", at(&scenario.steps)),
        ("hover", "textDocument/hover", at(&scenario.steps)),
        ("definition", "textDocument/definition", at(&scenario.steps)),
        ("references", "textDocument/references", {
            let mut p = at(&scenario.property);
            p["context"] = json!({"includeDeclaration": true});
            p
        }),
        ("rename", "textDocument/rename", {
            let mut p = at(&scenario.property);
            p["newName"] = json!("prop_renamed");
            p
        }),
    ];
    let mut ops = Vec::new();
    let warmup = if yaml_ls { 5 } else { 20 };
    for (name, method, params) in requests {
        let mut samples = Samples::default();
        let mut answer = String::new();
        for i in 0..warmup + iterations {
            let (elapsed, response) = server.request(method, params.clone());
            if i >= warmup {
                samples.0.push(elapsed);
            }
            if i == 0 {
                answer = describe(&response);
            }
        }
        server.pending_notifications.clear();
        ops.push((name, samples, answer));
    }
    // didChange -> publishDiagnostics on the edited file: insert a character, then remove it.
    let mut samples = Samples::default();
    let edited = uri(&scenario.edited.path);
    let (line, character) = (scenario.edited.line, scenario.edited.character);
    for i in 0..warmup + iterations {
        let version = {
            let entry = opened.get_mut(&scenario.edited.path).unwrap();
            entry.1 += 1;
            entry.1
        };
        let (range, text) = if i % 2 == 0 {
            (
                json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}),
                "x",
            )
        } else {
            (
                json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 1}}),
                "",
            )
        };
        let started = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": edited, "version": version}, "contentChanges": [{"range": range, "text": text}]}),
        );
        let elapsed = server.wait_diagnostics(&edited, Some(version), started);
        if i >= warmup {
            samples.0.push(elapsed);
        }
        // Let the server finish with the other files before the next edit.
        server.settle(Duration::from_millis(30));
    }
    ops.push(("didChange → diagnostics", samples, String::new()));
    let peak_rss_kib = server.peak_rss_kib();
    let end_rss_kib = server.rss_kib();
    server.stop();
    Results {
        ops,
        startup,
        peak_rss_kib,
        startup_rss_kib,
        end_rss_kib,
    }
}

/// A short description of an answer, to show what each server actually returned.
fn describe(response: &Value) -> String {
    if let Some(error) = response.get("error") {
        return format!("error: {}", error["message"].as_str().unwrap_or("?"));
    }
    let result = &response["result"];
    match result {
        Value::Null => "null".into(),
        Value::Array(list) => format!("{} items", list.len()),
        Value::Object(o) if o.contains_key("items") => {
            format!("{} items", o["items"].as_array().map_or(0, |a| a.len()))
        }
        Value::Object(o) if o.contains_key("changes") || o.contains_key("documentChanges") => {
            let edits: usize = o.get("changes").and_then(|c| c.as_object()).map_or(0, |c| {
                c.values()
                    .map(|v| v.as_array().map_or(0, |a| a.len()))
                    .sum()
            });
            format!("{edits} edits")
        }
        Value::Object(o) if o.contains_key("contents") => "a card".into(),
        Value::Object(o) if o.contains_key("uri") => "1 location".into(),
        _ => "an answer".into(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn print_table(servers: &[(&str, &Results)], ratios: &[(&Results, &Results)]) {
    let mut header = String::from("| operation |");
    let mut rule = String::from("|---|");
    for (name, _) in servers {
        header.push_str(&format!(" {name} p50 | {name} p95 | {name} answer |"));
        rule.push_str("---:|---:|---|");
    }
    if !ratios.is_empty() {
        header.push_str(" ratio p50 | ratio p95 |");
        rule.push_str("---:|---:|");
    }
    println!("{header}\n{rule}");
    let count = servers[0].1.ops.len();
    for i in 0..count {
        let name = servers[0].1.ops[i].0;
        let mut row = format!("| {name} |");
        for (_, results) in servers {
            let (_, samples, answer) = &results.ops[i];
            row.push_str(&format!(
                " {} | {} | {} |",
                ms(samples.percentile(0.5)),
                ms(samples.percentile(0.95)),
                answer
            ));
        }
        for (ours, theirs) in ratios {
            let ratio = |p: f64| {
                let a = ours.ops[i].1.percentile(p).as_secs_f64();
                let b = theirs.ops[i].1.percentile(p).as_secs_f64();
                if a > 0.0 {
                    format!("{:.1}x", b / a)
                } else {
                    "-".into()
                }
            };
            row.push_str(&format!(" {} | {} |", ratio(0.5), ratio(0.95)));
        }
        println!("{row}");
    }
    let mut row = String::from("| start-up to first diagnostics |");
    for (_, results) in servers {
        row.push_str(&format!(" {} | | |", ms(results.startup)));
    }
    if !ratios.is_empty() {
        row.push_str(" | |");
    }
    println!("{row}");
    let mb =
        |kib: Option<u64>| kib.map_or("?".to_string(), |k| format!("{:.1} MB", k as f64 / 1024.0));
    for (label, field) in [("RSS after start-up", 0), ("RSS at the end", 1)] {
        let mut row = format!("| {label} |");
        for (_, results) in servers {
            let value = if field == 0 {
                results.startup_rss_kib
            } else {
                results.end_rss_kib
            };
            row.push_str(&format!(" {} | | |", mb(value)));
        }
        if !ratios.is_empty() {
            row.push_str(" | |");
        }
        println!("{row}");
    }
    let mut row = String::from("| peak RSS of the server |");
    for (_, results) in servers {
        row.push_str(&format!(" {} | | |", mb(results.peak_rss_kib)));
    }
    if let [(ours, theirs)] = ratios {
        match (ours.peak_rss_kib, theirs.peak_rss_kib) {
            (Some(a), Some(b)) => row.push_str(&format!(" {:.1}x | |", b as f64 / a as f64)),
            _ => row.push_str(" | |"),
        }
    }
    println!("{row}");
}
