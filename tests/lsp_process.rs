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

// A client that sends what it should not: the server answers and keeps serving.

fn send_raw(child: &mut Child, bytes: &[u8]) {
    let stdin = child.stdin.as_mut().unwrap();
    stdin.write_all(bytes).unwrap();
    stdin.flush().unwrap();
}

fn framed(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The next response (a message without a method) whose id is `id`, answering the server's own
/// requests on the way; other messages are passed over.
fn response_to(child: &mut Child, reader: &mut impl BufRead, id: &Value) -> Value {
    loop {
        let message = receive(reader).expect("the server is still there");
        if message.get("method").is_some() {
            if message.get("id").is_some() {
                send(
                    child,
                    json!({"jsonrpc": "2.0", "id": message["id"], "result": null}),
                );
            }
            continue;
        }
        if &message["id"] == id {
            return message;
        }
    }
}

/// `shutdown`, then `exit`: the process must end with code 0.
fn shut_down(child: &mut Child, reader: &mut impl BufRead) {
    send(
        child,
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    response_to(child, reader, &json!(2));
    send(child, json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(wait(child), 0);
}

fn start_initialized() -> (
    tempfile::TempDir,
    Child,
    BufReader<std::process::ChildStdout>,
) {
    let dir = plan_dir();
    let mut child = start(dir.path());
    let reader = BufReader::new(child.stdout.take().unwrap());
    (dir, child, reader)
}

#[test]
fn a_frame_that_is_not_json_is_answered_and_the_next_initialize_is_served() {
    let (dir, mut child, mut reader) = start_initialized();
    // The issue's reproduction: a one-byte body that is not JSON, then `initialize`.
    send_raw(&mut child, b"Content-Length: 1\r\n\r\nx");
    let error = response_to(&mut child, &mut reader, &Value::Null);
    assert_eq!(error["error"]["code"], -32700, "{error}");
    initialize(&mut child, &mut reader, dir.path());
    shut_down(&mut child, &mut reader);
}

#[test]
fn every_kind_of_bad_frame_is_answered_and_skipped() {
    let (dir, mut child, mut reader) = start_initialized();
    initialize(&mut child, &mut reader, dir.path());
    let request = |id: i64| {
        serde_json::to_string(&json!({"jsonrpc": "2.0", "id": id, "method": "workspace/symbol", "params": {"query": "f"}})).unwrap()
    };
    let good = request(0);
    let bad: Vec<(&str, Vec<u8>, i64)> = vec![
        (
            "a body that is not JSON",
            b"Content-Length: 3\r\n\r\n{x}".to_vec(),
            -32700,
        ),
        (
            "no Content-Length",
            format!("Content-Type: application/json\r\n\r\n{good}").into_bytes(),
            -32700,
        ),
        (
            "a length that is not a number",
            format!("Content-Length: many\r\n\r\n{good}").into_bytes(),
            -32700,
        ),
        (
            "a length too small",
            format!("Content-Length: 9\r\n\r\n{good}").into_bytes(),
            -32700,
        ),
        (
            "a length too large",
            format!("Content-Length: 100000\r\n\r\n{good}").into_bytes(),
            -32700,
        ),
        (
            // The end of the object is found past brackets and escaped quotes inside strings.
            "a length too large, with brackets and escapes in strings",
            format!(
                "Content-Length: 100000\r\n\r\n{}",
                serde_json::to_string(&json!({"jsonrpc": "2.0", "id": 99, "method": "workspace/symbol", "params": {"query": "f\"}]\\\\ {[\\\""}}))
                    .unwrap()
            )
            .into_bytes(),
            -32700,
        ),
        (
            "a header without a colon",
            format!("Content-Length {}\r\n\r\n{good}", good.len()).into_bytes(),
            -32700,
        ),
        (
            "JSON-RPC 1.0",
            framed(r#"{"jsonrpc":"1.0","id":"old","method":"initialize"}"#),
            -32600,
        ),
        ("a batch", framed("[]"), -32600),
        (
            "bytes that are not UTF-8",
            b"Content-Length: 4\r\n\r\n\"\xff\xfe\"".to_vec(),
            -32700,
        ),
    ];
    for (i, (what, bytes, code)) in bad.into_iter().enumerate() {
        send_raw(&mut child, &bytes);
        let id = 100 + i as i64;
        send_raw(&mut child, &framed(&request(id)));
        // The bad frame's answer, then the next request's.
        let expected_id = if code == -32600 && what == "JSON-RPC 1.0" {
            json!("old")
        } else {
            Value::Null
        };
        let error = response_to(&mut child, &mut reader, &expected_id);
        assert_eq!(error["error"]["code"], code, "{what}: {error}");
        let answer = response_to(&mut child, &mut reader, &json!(id));
        assert!(answer["result"].is_array(), "{what}: {answer}");
    }
    shut_down(&mut child, &mut reader);
}

#[test]
fn a_lone_surrogate_in_opened_text_is_read_as_a_replacement_character() {
    let (dir, mut child, mut reader) = start_initialized();
    initialize(&mut child, &mut reader, dir.path());
    let uri = format!(
        "file://{}",
        dir.path()
            .canonicalize()
            .unwrap()
            .join("trackplan.yaml")
            .display()
    );
    // What some clients send for half an emoji: an escape JSON cannot hold as text.
    let text = r#"trackplan: 1\nname: Process \ud83d\nflows:\n  f:\n    name: F\n    steps: [Nope \ud83d]\n"#;
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"yaml","version":7,"text":"{text}"}}}}}}"#
    );
    send_raw(&mut child, &framed(&body));
    loop {
        let message = receive(&mut reader).expect("diagnostics of the opened text");
        if message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["version"] == 7
        {
            let text = message.to_string();
            assert!(text.contains("Nope \u{fffd}"), "{text}");
            break;
        }
        if message.get("method").is_some() && message.get("id").is_some() {
            send(
                &mut child,
                json!({"jsonrpc": "2.0", "id": message["id"], "result": null}),
            );
        }
    }
    shut_down(&mut child, &mut reader);
}

#[test]
fn dollar_requests_get_method_not_found_and_dollar_notifications_nothing() {
    let (dir, mut child, mut reader) = start_initialized();
    initialize(&mut child, &mut reader, dir.path());
    send(
        &mut child,
        json!({"jsonrpc": "2.0", "method": "$/somethingNew", "params": {}}),
    );
    send(
        &mut child,
        json!({"jsonrpc": "2.0", "id": 5, "method": "$/somethingNew", "params": {}}),
    );
    let answer = response_to(&mut child, &mut reader, &json!(5));
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    shut_down(&mut child, &mut reader);
}

#[test]
fn shutdown_with_null_params_is_accepted_and_exit_then_ends_with_code_0() {
    let (dir, mut child, mut reader) = start_initialized();
    initialize(&mut child, &mut reader, dir.path());
    send(
        &mut child,
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}),
    );
    let answer = response_to(&mut child, &mut reader, &json!(2));
    assert!(answer.get("error").is_none(), "{answer}");
    send(
        &mut child,
        json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
    );
    assert_eq!(wait(&mut child), 0);
}
