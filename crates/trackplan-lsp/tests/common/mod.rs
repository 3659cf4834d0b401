//! A test client that talks to the server in-process over real JSON-RPC: Content-Length framed JSON
//! over an in-memory pipe. It drains everything the server sends (answering the server's requests),
//! keeps the latest diagnostics per file, and reads fixtures with a `$0` cursor marker.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};
use tower_lsp::lsp_types::{Position, Url};

/// Generous: turns a hang into a failure, never a latency criterion.
pub const TIMEOUT: Duration = Duration::from_secs(30);

type Waiters = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

pub struct Client {
    writer: Arc<tokio::sync::Mutex<tokio::io::WriteHalf<tokio::io::DuplexStream>>>,
    waiters: Waiters,
    next_id: Mutex<i64>,
    notifications: tokio::sync::Mutex<mpsc::UnboundedReceiver<Value>>,
    /// The latest `publishDiagnostics` params per URI.
    pub diagnostics: Arc<Mutex<HashMap<String, Value>>>,
    pub server: tokio::task::JoinHandle<bool>,
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
}

async fn write_message(
    writer: &tokio::sync::Mutex<tokio::io::WriteHalf<tokio::io::DuplexStream>>,
    message: &Value,
) {
    let body = serde_json::to_vec(message).unwrap();
    let mut w = writer.lock().await;
    let _ = w
        .write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await;
    let _ = w.write_all(&body).await;
    let _ = w.flush().await;
}

/// Options of the simulated client.
#[derive(Clone)]
pub struct Options {
    pub utf8: bool,
    pub watch: bool,
    pub init_options: Value,
    /// The client pulls diagnostics (and can be asked to pull again).
    pub pull: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            utf8: false,
            watch: true,
            init_options: json!({}),
            pull: false,
        }
    }
}

/// A fixture: files separated by `//- path` lines; one `$0` marks the cursor.
pub struct Fixture {
    pub files: Vec<(String, String)>,
    pub cursor: Option<(String, usize)>,
}

impl Fixture {
    pub fn parse(text: &str) -> Fixture {
        let mut files: Vec<(String, String)> = Vec::new();
        for line in text.split_inclusive('\n') {
            if let Some(path) = line.strip_prefix("//- ") {
                files.push((path.trim().to_string(), String::new()));
            } else if let Some((_, content)) = files.last_mut() {
                content.push_str(line);
            } else if !line.trim().is_empty() {
                files.push(("trackplan.yaml".into(), line.to_string()));
            }
        }
        let mut cursor = None;
        for (path, content) in &mut files {
            if let Some(at) = content.find("$0") {
                content.replace_range(at..at + 2, "");
                cursor = Some((path.clone(), at));
            }
        }
        Fixture { files, cursor }
    }
}

/// Line and UTF-16 column of a byte offset.
pub fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(line, col as u32)
}

impl Client {
    /// Writes the fixture's files to a temporary folder and starts an initialized server on it.
    pub async fn start(fixture: &Fixture, options: Options) -> Client {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for (path, content) in &fixture.files {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, content).unwrap();
        }
        let (client_io, server_io) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_io);
        let server = tokio::spawn(trackplan_lsp::serve(server_read, server_write));
        let (client_read, client_write) = tokio::io::split(client_io);
        let writer = Arc::new(tokio::sync::Mutex::new(client_write));
        let waiters: Waiters = Arc::new(Mutex::new(HashMap::new()));
        let diagnostics = Arc::new(Mutex::new(HashMap::new()));
        let (tx, rx) = mpsc::unbounded_channel();
        {
            let writer = writer.clone();
            let waiters = waiters.clone();
            let diagnostics = diagnostics.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(client_read);
                loop {
                    let mut length = None;
                    loop {
                        let mut line = String::new();
                        match reader.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        let line = line.trim_end();
                        if line.is_empty() {
                            break;
                        }
                        if let Some(value) = line.strip_prefix("Content-Length: ") {
                            length = value.parse::<usize>().ok();
                        }
                    }
                    let mut body = vec![0; length.expect("a Content-Length header")];
                    if reader.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let message: Value = serde_json::from_slice(&body).expect("valid JSON");
                    let has_method = message.get("method").is_some();
                    match (message.get("id").cloned(), has_method) {
                        (Some(id), true) => {
                            // A request from the server: answer it so it never waits.
                            write_message(
                                &writer,
                                &json!({"jsonrpc": "2.0", "id": id, "result": null}),
                            )
                            .await;
                            let _ = tx.send(message);
                        }
                        (Some(id), false) => {
                            let id = id.as_i64().unwrap_or(-1);
                            if let Some(waiter) = waiters.lock().unwrap().remove(&id) {
                                let _ = waiter.send(message);
                            }
                        }
                        (None, _) => {
                            if message["method"] == "textDocument/publishDiagnostics" {
                                let uri = message["params"]["uri"].as_str().unwrap().to_string();
                                diagnostics
                                    .lock()
                                    .unwrap()
                                    .insert(uri, message["params"].clone());
                            }
                            let _ = tx.send(message);
                        }
                    }
                }
            });
        }
        let client = Client {
            writer,
            waiters,
            next_id: Mutex::new(1),
            notifications: tokio::sync::Mutex::new(rx),
            diagnostics,
            server,
            dir,
            root,
        };
        let mut general = json!({});
        if options.utf8 {
            general = json!({"positionEncodings": ["utf-8", "utf-16"]});
        }
        let result = client
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": null,
                    "workspaceFolders": [{"uri": Url::from_file_path(&client.root).unwrap(), "name": "test"}],
                    "initializationOptions": options.init_options,
                    "capabilities": {
                        "general": general,
                        "workspace": if options.pull {
                            json!({"didChangeWatchedFiles": {"dynamicRegistration": options.watch}, "diagnostic": {"refreshSupport": true}})
                        } else {
                            json!({"didChangeWatchedFiles": {"dynamicRegistration": options.watch}})
                        },
                        "textDocument": if options.pull {
                            json!({"completion": {"completionItem": {"snippetSupport": false}}, "diagnostic": {}})
                        } else {
                            json!({"completion": {"completionItem": {"snippetSupport": false}}})
                        }
                    }
                }),
            )
            .await
            .expect("initialize succeeds");
        assert!(result["capabilities"].is_object());
        client.notify("initialized", json!({})).await;
        client
    }

    pub fn uri(&self, path: &str) -> Url {
        Url::from_file_path(self.root.join(path)).unwrap()
    }

    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }

    /// Sends a request and waits for its answer: the result, or the error object.
    pub async fn request(&self, method: &str, params: Value) -> Result<Value, Value> {
        let id = {
            let mut next = self.next_id.lock().unwrap();
            *next += 1;
            *next
        };
        let (tx, rx) = oneshot::channel();
        self.waiters.lock().unwrap().insert(id, tx);
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        write_message(&self.writer, &message).await;
        let response = tokio::time::timeout(TIMEOUT, rx)
            .await
            .unwrap_or_else(|_| panic!("{method} got no answer in {TIMEOUT:?}"))
            .expect("the reader is alive");
        match response.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(response["result"].clone()),
        }
    }

    pub async fn notify(&self, method: &str, params: Value) {
        let mut message = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        write_message(&self.writer, &message).await;
    }

    pub async fn open(&self, path: &str) {
        let text = std::fs::read_to_string(self.path(path)).unwrap();
        self.open_text(path, &text, 1).await;
    }

    pub async fn open_text(&self, path: &str, text: &str, version: i32) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": self.uri(path), "languageId": "yaml", "version": version, "text": text}}),
        )
        .await;
    }

    /// Replaces a range of an open document (positions as the client sends them).
    pub async fn change(&self, path: &str, version: i32, range: (Position, Position), text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": self.uri(path), "version": version},
                "contentChanges": [{"range": {"start": range.0, "end": range.1}, "text": text}]
            }),
        )
        .await;
    }

    /// Waits until the diagnostics of a file satisfy `ready`; returns them.
    pub async fn wait_diagnostics(&self, path: &str, ready: impl Fn(&Value) -> bool) -> Value {
        let uri = self.uri(path).to_string();
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(params) = self.diagnostics.lock().unwrap().get(&uri) {
                if ready(params) {
                    return params.clone();
                }
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "diagnostics of {path} never became ready; last: {:#}",
                    self.diagnostics
                        .lock()
                        .unwrap()
                        .get(&uri)
                        .cloned()
                        .unwrap_or(Value::Null)
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Drops the notifications received so far.
    pub async fn drain(&self) -> Vec<Value> {
        let mut rx = self.notifications.lock().await;
        let mut out = Vec::new();
        while let Ok(message) = rx.try_recv() {
            out.push(message);
        }
        out
    }

    pub async fn shutdown(self) {
        self.request("shutdown", Value::Null).await.unwrap();
        self.notify("exit", Value::Null).await;
        let clean = tokio::time::timeout(TIMEOUT, self.server)
            .await
            .expect("the server stops after exit")
            .unwrap();
        assert!(clean, "exit after shutdown is a clean exit");
    }
}

/// The rule names of published diagnostics with their ranges, one per line.
pub fn render_diagnostics(params: &Value) -> String {
    params["diagnostics"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|d| {
                    format!(
                        "{}:{}-{}:{} {} {}",
                        d["range"]["start"]["line"],
                        d["range"]["start"]["character"],
                        d["range"]["end"]["line"],
                        d["range"]["end"]["character"],
                        d["code"].as_str().unwrap_or(""),
                        d["message"]
                            .as_str()
                            .unwrap_or("")
                            .lines()
                            .next()
                            .unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

pub fn has_code(params: &Value, code: &str) -> bool {
    params["diagnostics"]
        .as_array()
        .is_some_and(|l| l.iter().any(|d| d["code"] == code))
}

pub fn rel(root: &Path, uri: &str) -> String {
    let path = Url::parse(uri).unwrap().to_file_path().unwrap();
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}
