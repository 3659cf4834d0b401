//! A local stand-in of Mixpanel's Lexicon Schemas API on 127.0.0.1: `GET` and `POST
//! /api/app/projects/{id}/schemas`, with the project's schemas kept in memory. It checks every
//! request (the service account's basic auth, the body's shape, the batch size) and records it
//! with its time, so tests can check the rate; scripted faults answer the next requests with 401,
//! 429 (with `Retry-After`), 500, or a connection closed without an answer.

use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const PROJECT: &str = "4242";
pub const USERNAME: &str = "trackplan-ci.a1b2c3.mp-service-account";
pub const SECRET: &str = "s3cr3t-N0t-T0-B3-Pr1nt3d";

#[derive(Clone, Debug)]
pub enum Fault {
    Status(u16, Option<u64>),
    Drop,
}

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub authorized: bool,
    pub body: Value,
    pub at: Instant,
    /// Events and properties the batch updates (Mixpanel's rate-limited unit).
    pub updates: usize,
}

#[derive(Default)]
pub struct State {
    /// The project's schemas by (entity type, name).
    pub schemas: BTreeMap<(String, String), Value>,
    pub requests: Vec<Request>,
    /// Faults for the next POSTs, in order.
    pub post_faults: VecDeque<Fault>,
    /// POSTs answered normally before the faults apply.
    pub clean_posts: usize,
    /// Faults for the next GETs, in order.
    pub get_faults: VecDeque<Fault>,
    /// What the server found wrong in a request.
    pub violations: Vec<String>,
}

pub struct FakeMixpanel {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl FakeMixpanel {
    pub fn start() -> FakeMixpanel {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/api/app", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &state);
                });
            }
        });
        FakeMixpanel { url, state }
    }

    pub fn posts(&self) -> Vec<Request> {
        let state = self.state.lock().unwrap();
        state
            .requests
            .iter()
            .filter(|r| r.method == "POST")
            .cloned()
            .collect()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn violations(&self) -> Vec<String> {
        self.state.lock().unwrap().violations.clone()
    }
}

fn expected_auth() -> String {
    let pair = format!("{USERNAME}:{SECRET}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

fn handle(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut length = 0;
    let mut auth = String::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "authorization" => auth = value.trim().to_string(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let authorized = auth == expected_auth();
    let updates = batch_updates(&body);
    let mut state = state.lock().unwrap();
    state.requests.push(Request {
        method: method.clone(),
        authorized,
        body: body.clone(),
        at: Instant::now(),
        updates,
    });
    let fault = match method.as_str() {
        "POST" if state.clean_posts > 0 => {
            state.clean_posts -= 1;
            None
        }
        "POST" => state.post_faults.pop_front(),
        _ => state.get_faults.pop_front(),
    };
    let mut out = stream;
    match fault {
        Some(Fault::Drop) => return Ok(()),
        Some(Fault::Status(status, retry_after)) => {
            let extra = retry_after
                .map(|s| format!("Retry-After: {s}\r\n"))
                .unwrap_or_default();
            return respond(
                &mut out,
                status,
                &extra,
                &json!({"status": "error", "error": "scripted"}),
            );
        }
        None => {}
    }
    if !authorized {
        return respond(
            &mut out,
            401,
            "",
            &json!({"status": "error", "error": "Unauthorized"}),
        );
    }
    if path != format!("/api/app/projects/{PROJECT}/schemas") {
        state.violations.push(format!("unknown path {path}"));
        return respond(&mut out, 404, "", &json!({"status": "error"}));
    }
    match method.as_str() {
        "GET" => {
            let results: Vec<Value> = state
                .schemas
                .iter()
                .map(|((kind, name), schema)| json!({"entityType": kind, "name": name, "schemaJson": schema}))
                .collect();
            respond(
                &mut out,
                200,
                "",
                &json!({"results": results, "status": "ok"}),
            )
        }
        "POST" => {
            if let Err(problem) = check_body(&body) {
                state.violations.push(problem.clone());
                return respond(
                    &mut out,
                    400,
                    "",
                    &json!({"status": "error", "error": problem}),
                );
            }
            if updates > 4000 {
                state
                    .violations
                    .push(format!("a batch of {updates} updates"));
            }
            let mut deleted = 0;
            if body["truncate"] == true {
                deleted = state.schemas.len();
                state.schemas.clear();
            }
            let entries = body["entries"].as_array().unwrap();
            for entry in entries {
                let key = (
                    entry["entityType"].as_str().unwrap().to_string(),
                    entry["name"].as_str().unwrap().to_string(),
                );
                state.schemas.insert(key, entry["schemaJson"].clone());
            }
            let added = entries.len();
            respond(
                &mut out,
                200,
                "",
                &json!({"results": {"added": added, "deleted": deleted}, "status": "ok"}),
            )
        }
        _ => respond(&mut out, 405, "", &json!({"status": "error"})),
    }
}

fn batch_updates(body: &Value) -> usize {
    body["entries"].as_array().map_or(0, |entries| {
        entries
            .iter()
            .map(|e| {
                1 + e["schemaJson"]["properties"]
                    .as_object()
                    .map_or(0, |p| p.len())
            })
            .sum()
    })
}

/// The documented shape: `{"entries": [{"entityType", "name", "schemaJson"}], "truncate"}`.
fn check_body(body: &Value) -> Result<(), String> {
    let object = body.as_object().ok_or("the body is not a JSON object")?;
    for key in object.keys() {
        if key != "entries" && key != "truncate" {
            return Err(format!("unknown key {key}"));
        }
    }
    if !object.get("truncate").is_none_or(Value::is_boolean) {
        return Err("truncate is not a boolean".into());
    }
    let entries = object
        .get("entries")
        .and_then(Value::as_array)
        .ok_or("no entries")?;
    for entry in entries {
        let entry = entry.as_object().ok_or("an entry is not an object")?;
        let mut keys: Vec<&str> = entry.keys().map(String::as_str).collect();
        keys.sort_unstable();
        if keys != ["entityType", "name", "schemaJson"] {
            return Err(format!("an entry with keys {keys:?}"));
        }
        if !matches!(entry["entityType"].as_str(), Some("event" | "profile")) {
            return Err("an entityType other than event or profile".into());
        }
    }
    Ok(())
}

fn respond(out: &mut TcpStream, status: u16, extra: &str, body: &Value) -> std::io::Result<()> {
    let body = serde_json::to_string(body).unwrap();
    write!(
        out,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    out.flush()
}
