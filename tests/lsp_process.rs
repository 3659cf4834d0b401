//! `trackplan lsp` as a process: stdout carries only the protocol (Content-Length framed JSON),
//! logs go to stderr, and the process exits after `exit` without waiting for more input: code 0
//! after a shutdown request, 1 without one.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Generous: a hang becomes a failure; this is no latency criterion.
const TIMEOUT: Duration = Duration::from_secs(60);

fn send(child: &mut Child, message: Value) {
    let body = serde_json::to_vec(&message).unwrap();
    let stdin = child.stdin.as_mut().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
    stdin.write_all(&body).unwrap();
    stdin.flush().unwrap();
}

/// Reads one framed message; panics on anything that is not a frame.
fn receive(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let value = line
            .strip_prefix("Content-Length: ")
            .unwrap_or_else(|| panic!("stdout holds something that is not a header: {line:?}"));
        length = Some(value.parse::<usize>().unwrap());
    }
    let mut body = vec![0; length.expect("a Content-Length header")];
    reader.read_exact(&mut body).unwrap();
    Some(serde_json::from_slice(&body).expect("the body is JSON"))
}

fn start(dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .arg("lsp")
        .current_dir(dir)
        .env("TRACKPLAN_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("trackplan lsp starts")
}

fn wait(child: &mut Child) -> i32 {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("trackplan lsp did not exit after `exit`");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn plan_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trackplan.yaml"),
        "trackplan: 1\nname: Process\nflows:\n  f:\n    name: F\n    steps: [Nope]\n",
    )
    .unwrap();
    dir
}

fn initialize(child: &mut Child, reader: &mut impl BufRead, dir: &Path) {
    let uri = format!("file://{}", dir.canonicalize().unwrap().display());
    send(
        child,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": uri, "capabilities": {},
            "workspaceFolders": [{"uri": uri, "name": "p"}]
        }}),
    );
    let answer = receive(reader).expect("an answer to initialize");
    assert_eq!(answer["id"], 1);
    assert_eq!(answer["result"]["serverInfo"]["name"], "trackplan");
    send(
        child,
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
}

#[test]
fn speaks_only_the_protocol_on_stdout_and_exits_cleanly_after_shutdown() {
    let dir = plan_dir();
    let mut child = start(dir.path());
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    initialize(&mut child, &mut reader, dir.path());
    // The diagnostics of the plan arrive without opening anything.
    loop {
        let message = receive(&mut reader).expect("the server keeps talking");
        if message["method"] == "textDocument/publishDiagnostics" {
            let codes: Vec<&str> = message["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["code"].as_str())
                .collect();
            assert!(codes.contains(&"unknown-reference"), "{message}");
            break;
        }
        if message.get("id").is_some() && message.get("method").is_some() {
            // A request from the server (registering watchers): answer it.
            send(
                &mut child,
                json!({"jsonrpc": "2.0", "id": message["id"], "result": null}),
            );
        }
    }
    send(
        &mut child,
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    loop {
        let message = receive(&mut reader).expect("an answer to shutdown");
        if message["id"] == 2 {
            break;
        }
    }
    // `exit` and no more input (stdin stays open): the process must still end.
    send(&mut child, json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(wait(&mut child), 0);
    while let Some(message) = receive(&mut reader) {
        assert!(message.is_object());
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("ready"), "logs go to stderr: {stderr}");
}

#[test]
fn exit_without_shutdown_ends_with_code_1() {
    let dir = plan_dir();
    let mut child = start(dir.path());
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    initialize(&mut child, &mut reader, dir.path());
    send(&mut child, json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(wait(&mut child), 1);
}
