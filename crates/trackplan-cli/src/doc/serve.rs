//! `trackplan doc --serve`: the page on 127.0.0.1, made again when a plan file changes (or HEAD
//! moves), with the open pages told to reload through server-sent events.
//!
//! A small HTTP/1.1 server on the standard library: two addresses (`/`, the page; `/events`, the
//! reload announcements), a thread per connection, and a thread that polls the plan's files. It
//! answers only requests addressed to 127.0.0.1 or localhost, so a web page elsewhere cannot read the
//! plan through DNS rebinding.

use super::Source;
use crate::discover::UsageError;
use anyhow::Result;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};
use trackplan_doc::Live;

/// How often the plan's files are looked at.
const POLL: Duration = Duration::from_millis(250);
/// How long an idle announcement stream waits before a keep-alive comment (which also notices
/// closed pages).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

struct Current {
    html: Arc<String>,
    version: u64,
}

struct Shared {
    current: Mutex<Current>,
    changed: Condvar,
    port: u16,
}

pub fn run(source: &mut Source, port: u16) -> Result<ExitCode> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            UsageError(format!(
                "port {port} is in use: choose another with --port (--port 0 picks a free one)"
            ))
        } else {
            UsageError(format!("cannot listen on 127.0.0.1:{port}: {e}"))
        }
    })?;
    let port = listener.local_addr()?.port();
    // Taken before the first page is made: a change made while it is made, or right after the
    // address is printed, is a change.
    let seen = fingerprint(source);
    let shared = Arc::new(Shared {
        current: Mutex::new(Current {
            html: build(source, 1),
            version: 1,
        }),
        changed: Condvar::new(),
        port,
    });
    // Written at once and never fatal: whoever started the server may stop reading its output.
    let _ = write!(
        std::io::stdout(),
        "serving the documentation of the plan in {} on http://127.0.0.1:{port}/\n\
         the page reloads when a plan file changes; press Ctrl-C to stop\n",
        source.shown()
    );
    let _ = std::io::stdout().flush();
    std::thread::scope(|scope| {
        let watched = shared.clone();
        scope.spawn(move || watch(source, &watched, seen));
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let shared = shared.clone();
            std::thread::spawn(move || handle(stream, &shared));
        }
    });
    Ok(ExitCode::SUCCESS)
}

/// The page at a version, or a page that says what went wrong (and reloads once it is fixed).
fn build(source: &mut Source, version: u64) -> Arc<String> {
    let live = Live {
        events: "/events".to_string(),
        version,
    };
    match source.page(Some(live)) {
        Ok(page) => Arc::new(page.html),
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            Arc::new(error_page(&format!("{error:#}"), version))
        }
    }
}

fn error_page(message: &str, version: u64) -> String {
    let message = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'\">\
         <title>trackplan doc: the plan cannot be read</title><link rel=\"icon\" href=\"data:,\"></head>\
         <body><main><h1>The plan cannot be read</h1><pre>{message}</pre>\
         <p>This page reloads when the plan's files change.</p></main>\
         <script>new EventSource('/events').onmessage = (e) => {{ if (Number(e.data) !== {version}) location.reload(); }};</script>\
         </body></html>"
    )
}

/// What the plan's files look like from outside (path, size, time of change) and where HEAD is:
/// when it changes, the page is made again.
#[derive(PartialEq)]
struct Fingerprint {
    files: Vec<(String, u64, Option<SystemTime>)>,
    head: Option<String>,
}

fn fingerprint(source: &Source) -> Fingerprint {
    let root = source.root();
    let files = trackplan_fs::plan_file_paths(root)
        .into_iter()
        .map(|path| {
            let metadata = std::fs::metadata(root.join(&path)).ok();
            let len = metadata.as_ref().map_or(0, |m| m.len());
            let modified = metadata.and_then(|m| m.modified().ok());
            (path, len, modified)
        })
        .collect();
    Fingerprint {
        files,
        head: source.head(),
    }
}

fn watch(source: &mut Source, shared: &Shared, mut last: Fingerprint) {
    loop {
        std::thread::sleep(POLL);
        let now = fingerprint(source);
        if now == last {
            continue;
        }
        // An editor saving several files, or writing one in steps: let it finish.
        std::thread::sleep(POLL);
        last = fingerprint(source);
        let version = shared.current.lock().map_or(0, |c| c.version) + 1;
        let html = build(source, version);
        if let Ok(mut current) = shared.current.lock() {
            current.html = html;
            current.version = version;
        }
        shared.changed.notify_all();
        let _ = writeln!(std::io::stderr(), "the plan changed: the page is updated");
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(head) = read_head(&mut stream) else {
        return;
    };
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default();
    let target = first.next().unwrap_or_default();
    let host = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then(|| value.trim().to_ascii_lowercase())
    });
    let port = shared.port;
    let allowed = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !host.is_some_and(|h| allowed.contains(&h)) {
        respond(
            &mut stream,
            "403 Forbidden",
            "text/plain",
            b"forbidden\n",
            true,
        );
        return;
    }
    if method != "GET" && method != "HEAD" {
        respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"method not allowed\n",
            true,
        );
        return;
    }
    let body = method == "GET";
    match target.split('?').next().unwrap_or_default() {
        "/" | "/index.html" => {
            let html = shared.current.lock().map(|c| c.html.clone()).ok();
            let html = html.unwrap_or_default();
            respond(
                &mut stream,
                "200 OK",
                "text/html; charset=utf-8",
                html.as_bytes(),
                body,
            );
        }
        "/events" if body => announce(stream, shared),
        _ => respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            body,
        ),
    }
}

/// The request line and headers, up to the blank line (at most 16 kB).
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buffer).ok()?;
        if n == 0 || head.len() > 16 * 1024 {
            return None;
        }
        head.extend_from_slice(&buffer[..n]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, content: &[u8], body: bool) {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        content.len()
    );
    let _ = stream.write_all(header.as_bytes());
    if body {
        let _ = stream.write_all(content);
    }
    let _ = stream.flush();
}

/// Server-sent events: the current version at once, then each new one, until the page goes away.
fn announce(mut stream: TcpStream, shared: &Shared) {
    let header =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                  X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if stream.write_all(header.as_bytes()).is_err() {
        return;
    }
    let mut seen = 0;
    loop {
        let version = {
            let Ok(current) = shared.current.lock() else {
                return;
            };
            let Ok((current, _)) = shared
                .changed
                .wait_timeout_while(current, KEEP_ALIVE, |c| c.version == seen)
            else {
                return;
            };
            current.version
        };
        let message = if version == seen {
            ": keep-alive\n\n".to_string()
        } else {
            seen = version;
            format!("data: {version}\n\n")
        };
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}
