//! A local stand-in of the parts of GitHub the action talks to, on 127.0.0.1: the REST API's
//! issue comments and latest release, and release downloads. Plain HTTP/1.1, one request per
//! connection; it records every request so that tests can say what was (not) posted.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Comment {
    pub id: u64,
    pub body: String,
    pub user: String,
}

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub body: String,
}

#[derive(Default)]
pub struct State {
    /// The comments of each pull request, by number.
    pub comments: BTreeMap<u64, Vec<Comment>>,
    pub requests: Vec<Request>,
    /// Answer 403 to comment writes, as GitHub does for a fork's read-only token.
    pub read_only: bool,
    next_id: u64,
    /// The latest release's tag and the files of releases, by tag and name.
    pub latest: Option<String>,
    pub downloads: BTreeMap<(String, String), PathBuf>,
}

impl State {
    pub fn add_comment(&mut self, pr: u64, user: &str, body: &str) -> u64 {
        self.next_id += 1;
        let id = 1000 + self.next_id;
        self.comments.entry(pr).or_default().push(Comment {
            id,
            body: body.to_string(),
            user: user.to_string(),
        });
        id
    }

    /// The requests that changed something (POST, PATCH, ...).
    pub fn writes(&self) -> Vec<&Request> {
        self.requests.iter().filter(|r| r.method != "GET").collect()
    }
}

pub struct FakeGitHub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl FakeGitHub {
    /// Starts the stand-in; it serves until the test process ends.
    pub fn start() -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        FakeGitHub { url, state }
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut length = 0usize;
    let mut authorized = false;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" {
            break;
        }
        let lower = header.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("authorization: bearer ") {
            authorized = true;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body = String::from_utf8_lossy(&body).into_owned();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let (status, content_type, payload) = {
        let mut state = state.lock().unwrap();
        state.requests.push(Request {
            method: method.clone(),
            path: target.clone(),
            body: body.clone(),
        });
        route(&mut state, &method, path, query, &body, authorized)
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    )?;
    stream.write_all(&payload)?;
    stream.flush()
}

type Response = (&'static str, &'static str, Vec<u8>);

fn json_response(status: &'static str, value: Value) -> Response {
    (status, "application/json", value.to_string().into_bytes())
}

fn comment_json(c: &Comment) -> Value {
    json!({ "id": c.id, "body": c.body, "user": { "login": c.user }, "html_url": format!("https://github.test/comment/{}", c.id) })
}

fn route(
    state: &mut State,
    method: &str,
    path: &str,
    query: &str,
    body: &str,
    authorized: bool,
) -> Response {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let not_found = || json_response("404 Not Found", json!({ "message": "Not Found" }));
    let forbidden = || {
        json_response(
            "403 Forbidden",
            json!({ "message": "Resource not accessible by integration" }),
        )
    };
    match (method, segments.as_slice()) {
        ("GET", ["repos", _, _, "issues", number, "comments"]) => {
            let Ok(number) = number.parse::<u64>() else {
                return not_found();
            };
            let param = |name: &str, default: usize| {
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(default)
            };
            let (per_page, page) = (param("per_page", 30), param("page", 1));
            let all = state.comments.get(&number).cloned().unwrap_or_default();
            let page: Vec<Value> = all
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(comment_json)
                .collect();
            json_response("200 OK", Value::Array(page))
        }
        ("POST", ["repos", _, _, "issues", number, "comments"]) => {
            if state.read_only || !authorized {
                return forbidden();
            }
            let Ok(number) = number.parse::<u64>() else {
                return not_found();
            };
            let text = serde_json::from_str::<Value>(body).unwrap_or_default()["body"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let id = state.add_comment(number, "github-actions[bot]", &text);
            let created = state.comments[&number].iter().find(|c| c.id == id).unwrap();
            json_response("201 Created", comment_json(created))
        }
        ("PATCH", ["repos", _, _, "issues", "comments", id]) => {
            if state.read_only || !authorized {
                return forbidden();
            }
            let text = serde_json::from_str::<Value>(body).unwrap_or_default()["body"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let found = state
                .comments
                .values_mut()
                .flatten()
                .find(|c| id.parse() == Ok(c.id));
            match found {
                Some(comment) => {
                    comment.body = text;
                    let value = comment_json(comment);
                    json_response("200 OK", value)
                }
                None => not_found(),
            }
        }
        ("GET", ["repos", _, _, "releases", "latest"]) => match &state.latest {
            Some(tag) => json_response("200 OK", json!({ "tag_name": tag, "name": tag })),
            None => not_found(),
        },
        ("GET", [_, _, "releases", "download", tag, name]) => {
            match state.downloads.get(&(tag.to_string(), name.to_string())) {
                Some(file) => match std::fs::read(file) {
                    Ok(bytes) => ("200 OK", "application/octet-stream", bytes),
                    Err(_) => not_found(),
                },
                None => not_found(),
            }
        }
        _ => not_found(),
    }
}
