//! The wire in front of tower-lsp: reads `Content-Length` framed JSON-RPC from the client, answers
//! what cannot be read itself, and hands tower-lsp only well-formed messages.
//!
//! tower-lsp 0.20 ends its read loop at the first frame its codec cannot decode (after one
//! `-32700` reply), so a single bad frame — a body that is not JSON, a missing or wrong
//! `Content-Length`, a header without a colon, `"jsonrpc": "1.0"` — would end the server. This
//! layer keeps serving instead: a body that is not JSON is answered `-32700` (parse error), a JSON
//! value that is not a JSON-RPC message `-32600` (invalid request, with its `id` when it has one),
//! and reading resumes at the next `Content-Length` header. A frame whose length is too large is
//! noticed as soon as a complete JSON object is followed by something else, so a client waiting for
//! an answer is not left waiting. Lone UTF-16 surrogate escapes (`"\ud83d"`), which some clients
//! send in document text and JSON cannot hold, are read as U+FFFD, one UTF-16 unit as before, so
//! positions after them stay right.
//!
//! Output from tower-lsp and from this layer goes through one writer, whole frames at a time.

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// The longest header block read before giving up on it (real ones are under 100 bytes).
const MAX_HEADER_BYTES: usize = 8 * 1024;
/// What is searched for to find the start of the next message.
const HEADER_NAME: &[u8] = b"content-length";

/// A frame to write to the client.
pub type Frame = Vec<u8>;

/// `Content-Length` framing of a body.
pub fn frame(body: &[u8]) -> Frame {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// What the reader found in the input.
#[derive(Debug, PartialEq)]
pub enum Read {
    /// A well-formed JSON-RPC message for tower-lsp (its body).
    Message(Vec<u8>),
    /// Something to answer with an error (a whole response body).
    Reply(Vec<u8>),
}

/// The framing state machine: bytes in, messages and error replies out.
#[derive(Default)]
pub struct Reader {
    buffer: Vec<u8>,
    /// The body length of the frame being read, once its headers are read.
    body: Option<usize>,
    /// How far the body has been scanned for the end of its JSON value.
    scan: JsonScan,
    /// After a bad frame: bytes are skipped up to the next `Content-Length` header, which may not
    /// have arrived yet.
    skipping: bool,
}

impl Reader {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete message or reply, if the buffered bytes hold one.
    pub fn next_read(&mut self) -> Option<Read> {
        loop {
            if self.skipping {
                match find_ignoring_case(&self.buffer, HEADER_NAME) {
                    Some(at) => {
                        self.buffer.drain(..at);
                        self.skipping = false;
                    }
                    None => {
                        // Keep what may be the start of a header cut in two.
                        let keep = (HEADER_NAME.len() - 1).min(self.buffer.len());
                        self.buffer.drain(..self.buffer.len() - keep);
                        return None;
                    }
                }
            }
            let Some(length) = self.body else {
                match self.headers()? {
                    Ok(length) => {
                        self.body = Some(length);
                        self.scan = JsonScan::default();
                        continue;
                    }
                    Err(reply) => return Some(reply),
                }
            };
            if self.buffer.len() >= length {
                self.body = None;
                let body: Vec<u8> = self.buffer[..length].to_vec();
                match read_message(&body) {
                    Ok(message) => {
                        self.buffer.drain(..length);
                        return Some(Read::Message(message));
                    }
                    Err(reply) => {
                        // The length may have been wrong: the next header may start inside.
                        self.resync(1);
                        return Some(Read::Reply(reply));
                    }
                }
            }
            // A body shorter than its length says: a complete object followed by more text.
            if let Some(end) = self.scan.advance(&self.buffer) {
                let after = self.buffer[end..]
                    .iter()
                    .position(|b| !b.is_ascii_whitespace());
                if let Some(after) = after {
                    self.body = None;
                    let reply = error_reply(
                        -32700,
                        "Parse error",
                        format!(
                            "the Content-Length header says {length} bytes, but the message ends after {end}"
                        ),
                        Value::Null,
                    );
                    self.buffer.drain(..end + after);
                    self.resync(0);
                    return Some(Read::Reply(reply));
                }
            }
            return None;
        }
    }

    /// Reads a header block: the body length, an error reply, or `None` to wait for more bytes.
    fn headers(&mut self) -> Option<Result<usize, Read>> {
        let end = find_blank_line(&self.buffer);
        let Some((block_end, body_start)) = end else {
            if self.buffer.len() > MAX_HEADER_BYTES {
                self.resync(1);
                return Some(Err(Read::Reply(error_reply(
                    -32700,
                    "Parse error",
                    "a header block of more than 8 KiB".into(),
                    Value::Null,
                ))));
            }
            return None;
        };
        let block = String::from_utf8_lossy(&self.buffer[..block_end]).into_owned();
        let mut length = None;
        let mut problem = None;
        for line in block.split('\n').map(|l| l.trim_end_matches('\r')) {
            if line.is_empty() {
                continue;
            }
            let Some((name, value)) = line.split_once(':') else {
                problem = Some(format!("a header without a colon: {:?}", shorten(line)));
                break;
            };
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        problem = Some(format!(
                            "Content-Length is not a number: {:?}",
                            shorten(value.trim())
                        ));
                        break;
                    }
                }
            }
        }
        let problem = match (problem, length) {
            (None, Some(length)) => {
                self.buffer.drain(..body_start);
                return Some(Ok(length));
            }
            (Some(problem), _) => problem,
            (None, None) => "a message without a Content-Length header".to_string(),
        };
        self.buffer.drain(..body_start);
        self.resync(0);
        Some(Err(Read::Reply(error_reply(
            -32700,
            "Parse error",
            problem,
            Value::Null,
        ))))
    }

    /// Skips bytes from `from` on up to the next `Content-Length` header.
    fn resync(&mut self, from: usize) {
        let from = from.min(self.buffer.len());
        self.buffer.drain(..from);
        self.skipping = true;
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// The end of the first blank line: (where the header block ends, where the body starts).
fn find_blank_line(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'\n') {
        let newline = i + at;
        let rest = &bytes[newline + 1..];
        if rest.starts_with(b"\r\n") {
            return Some((newline, newline + 3));
        }
        if rest.starts_with(b"\n") {
            return Some((newline, newline + 2));
        }
        i = newline + 1;
    }
    None
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Where a JSON object or array that starts a body ends, found incrementally as bytes arrive.
#[derive(Default)]
struct JsonScan {
    at: usize,
    depth: usize,
    started: bool,
    in_string: bool,
    escaped: bool,
    /// The body does not start with `{` or `[`: its end cannot be told early.
    unknown: bool,
    end: Option<usize>,
}

impl JsonScan {
    fn advance(&mut self, bytes: &[u8]) -> Option<usize> {
        if self.unknown {
            return None;
        }
        while self.end.is_none() && self.at < bytes.len() {
            let b = bytes[self.at];
            self.at += 1;
            if !self.started {
                match b {
                    b'{' | b'[' => {
                        self.started = true;
                        self.depth = 1;
                    }
                    b if b.is_ascii_whitespace() => {}
                    _ => {
                        self.unknown = true;
                        return None;
                    }
                }
                continue;
            }
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    // A document's text is one long string: jump to the next byte that matters
                    // rather than look at each (the scan was most of the work of a big didOpen).
                    _ => match memchr::memchr2(b'"', b'\\', &bytes[self.at..]) {
                        Some(skip) => self.at += skip,
                        None => self.at = bytes.len(),
                    },
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.end = Some(self.at);
                    }
                }
                _ => {}
            }
        }
        self.end
    }
}

/// A body as a message for tower-lsp, or the error reply it gets.
fn read_message(body: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let (value, body) = match serde_json::from_slice::<Value>(body) {
        Ok(value) => (value, body.to_vec()),
        Err(error) => {
            // Lone surrogate escapes, as U+FFFD.
            let repaired = replace_lone_surrogates(body);
            match repaired.map(|b| (serde_json::from_slice::<Value>(&b), b)) {
                Some((Ok(value), repaired)) => {
                    tracing::warn!("read lone UTF-16 surrogates in a message as U+FFFD");
                    (value, repaired)
                }
                _ => {
                    return Err(error_reply(
                        -32700,
                        "Parse error",
                        format!("the message is not JSON: {error}"),
                        Value::Null,
                    ))
                }
            }
        }
    };
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    if !value.is_object() {
        return Err(error_reply(
            -32600,
            "Invalid Request",
            "a message must be a JSON object (batches are not supported)".into(),
            Value::Null,
        ));
    }
    // What tower-lsp's own decoder accepts: a response, or a request or notification.
    let why = match value.get("jsonrpc") {
        Some(Value::String(v)) if v == "2.0" => {
            "not a JSON-RPC request, notification or response".to_string()
        }
        Some(other) => format!("the JSON-RPC version must be \"2.0\", not {other}"),
        None => "the \"jsonrpc\": \"2.0\" member is missing".to_string(),
    };
    use serde::Deserialize;
    let readable = tower_lsp::jsonrpc::Request::deserialize(&value).is_ok()
        || tower_lsp::jsonrpc::Response::deserialize(&value).is_ok();
    if !readable {
        return Err(error_reply(-32600, "Invalid Request", why, id));
    }
    Ok(body)
}

/// `body` with every `\uD800`-`\uDFFF` escape that is not half of a pair replaced by `\uFFFD`
/// (the same length); `None` when there is none.
fn replace_lone_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = body.to_vec();
    let mut changed = false;
    let mut in_string = false;
    let mut i = 0;
    let unit = |bytes: &[u8], at: usize| -> Option<u16> {
        if bytes.get(at) != Some(&b'\\') || bytes.get(at + 1) != Some(&b'u') {
            return None;
        }
        let hex = std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?;
        u16::from_str_radix(hex, 16).ok()
    };
    while i < out.len() {
        match out[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => {
                let Some(first) = unit(&out, i) else {
                    i += 2;
                    continue;
                };
                let high = (0xD800..0xDC00).contains(&first);
                let low = (0xDC00..0xE000).contains(&first);
                if high && unit(&out, i + 6).is_some_and(|u| (0xDC00..0xE000).contains(&u)) {
                    i += 12;
                } else if high || low {
                    out[i + 2..i + 6].copy_from_slice(b"FFFD");
                    changed = true;
                    i += 6;
                } else {
                    i += 6;
                }
            }
            _ => i += 1,
        }
    }
    changed.then_some(out)
}

/// A JSON-RPC error response body.
fn error_reply(code: i64, message: &str, detail: String, id: Value) -> Vec<u8> {
    tracing::warn!("answered a message that could not be read: {detail}");
    serde_json::to_vec(&json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code, "message": message, "data": detail},
    }))
    .expect("JSON values serialize")
}

/// Reads the client's input until it ends: messages go to tower-lsp (framed again on `to_server`),
/// error replies to the client's writer.
pub async fn read_input<I, S>(mut input: I, mut to_server: S, replies: mpsc::UnboundedSender<Frame>)
where
    I: AsyncRead + Unpin,
    S: AsyncWrite + Unpin,
{
    let mut reader = Reader::default();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        reader.push(&chunk[..n]);
        while let Some(read) = reader.next_read() {
            match read {
                Read::Message(body) => {
                    if to_server.write_all(&frame(&body)).await.is_err() {
                        return;
                    }
                }
                Read::Reply(body) => {
                    let _ = replies.send(frame(&body));
                }
            }
        }
        let _ = to_server.flush().await;
    }
    let _ = to_server.shutdown().await;
}

/// Forwards tower-lsp's output (well-formed frames) to the client's writer, frame by frame.
pub async fn forward_output<R>(mut from_server: R, frames: mpsc::UnboundedSender<Frame>)
where
    R: AsyncRead + Unpin,
{
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match from_server.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        buffer.extend_from_slice(&chunk[..n]);
        // tower-lsp writes `Content-Length: N\r\n\r\n` and N bytes.
        while let Some((block_end, body_start)) = find_blank_line(&buffer) {
            let headers = String::from_utf8_lossy(&buffer[..block_end]);
            let length = headers
                .split('\n')
                .find_map(|l| l.trim().strip_prefix("Content-Length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buffer.len() < body_start + length {
                break;
            }
            let rest = buffer.split_off(body_start + length);
            let whole = std::mem::replace(&mut buffer, rest);
            if frames.send(whole).is_err() {
                return;
            }
        }
    }
}

/// Writes frames to the client as they come, each flushed.
pub async fn write_output<O>(output: O, mut frames: mpsc::UnboundedReceiver<Frame>)
where
    O: AsyncWrite,
{
    let mut output = Box::pin(output);
    while let Some(frame) = frames.recv().await {
        if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> Vec<Read> {
        let mut reader = Reader::default();
        let mut out = Vec::new();
        // Byte by byte: framing never depends on how the input is cut.
        for byte in input {
            reader.push(&[*byte]);
            while let Some(read) = reader.next_read() {
                out.push(read);
            }
        }
        out
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const GOOD: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#;

    fn codes(reads: &[Read]) -> Vec<i64> {
        reads
            .iter()
            .map(|r| match r {
                Read::Message(_) => 0,
                Read::Reply(body) => {
                    let value: Value = serde_json::from_slice(body).unwrap();
                    value["error"]["code"].as_i64().unwrap()
                }
            })
            .collect()
    }

    /// Where the scan says an object ends, fed whole and fed byte by byte.
    fn scanned_end(text: &str) -> (Option<usize>, Option<usize>) {
        let whole = JsonScan::default().advance(text.as_bytes());
        let mut scan = JsonScan::default();
        let mut by_byte = None;
        for end in 1..=text.len() {
            by_byte = scan.advance(&text.as_bytes()[..end]);
        }
        (whole, by_byte)
    }

    #[test]
    fn the_end_of_an_object_is_found_past_brackets_and_escapes_in_strings() {
        let object = r#"{"text":"a \"}] {[\\","more":["\\\"",{"k":"}"}]}"#;
        for tail in ["", " ", "{\"next\":1}", "Content-Length: 2"] {
            let text = format!("{object}{tail}");
            assert_eq!(
                scanned_end(&text),
                (Some(object.len()), Some(object.len())),
                "{text}"
            );
        }
        // Not yet closed: no end.
        assert_eq!(scanned_end(&object[..object.len() - 1]), (None, None));
    }

    #[test]
    fn bad_frames_are_answered_and_reading_resumes_at_the_next_header() {
        let cases: Vec<(String, Vec<i64>)> = vec![
            // Not JSON.
            (
                format!("Content-Length: 1\r\n\r\nx{}", framed(GOOD)),
                vec![-32700, 0],
            ),
            // No Content-Length.
            (
                format!("Content-Type: x\r\n\r\n{{}}{}", framed(GOOD)),
                vec![-32700, 0],
            ),
            // Not a number.
            (
                format!("Content-Length: ten\r\n\r\n{{}}{}", framed(GOOD)),
                vec![-32700, 0],
            ),
            // A header without a colon.
            (
                format!("Content-Length 5\r\n\r\n{{}}{}", framed(GOOD)),
                vec![-32700, 0],
            ),
            // Too small.
            (
                format!("Content-Length: 5\r\n\r\n{GOOD}{}", framed(GOOD)),
                vec![-32700, 0],
            ),
            // Too large: noticed when the object ends and something else follows.
            (
                format!("Content-Length: 999\r\n\r\n{GOOD}{}", framed(GOOD)),
                vec![-32700, 0],
            ),
            // JSON, but not JSON-RPC 2.0.
            (
                format!(
                    "{}{}",
                    framed(r#"{"jsonrpc":"1.0","id":7,"method":"initialize"}"#),
                    framed(GOOD)
                ),
                vec![-32600, 0],
            ),
            (
                format!("{}{}", framed("[1, 2]"), framed(GOOD)),
                vec![-32600, 0],
            ),
            // Garbage between frames.
            (format!("garbage\r\n\r\n{}", framed(GOOD)), vec![-32700, 0]),
        ];
        for (input, expected) in cases {
            let reads = read_all(input.as_bytes());
            assert_eq!(codes(&reads), expected, "{input:?}");
            assert_eq!(reads.last(), Some(&Read::Message(GOOD.as_bytes().to_vec())));
        }
        // An invalid request keeps its id in the answer.
        let reads = read_all(framed(r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#).as_bytes());
        let Read::Reply(body) = &reads[0] else {
            panic!()
        };
        let value: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(value["id"], 7);
    }

    #[test]
    fn lone_surrogates_are_read_as_replacement_characters() {
        let body = r#"{"jsonrpc":"2.0","method":"x","params":{"text":"a\ud83d b \ude00 \ud83d\ude00 \\ud83d"}}"#;
        let reads = read_all(framed(body).as_bytes());
        let [Read::Message(message)] = &reads[..] else {
            panic!("{reads:?}")
        };
        let value: Value = serde_json::from_slice(message).unwrap();
        assert_eq!(
            value["params"]["text"],
            "a\u{fffd} b \u{fffd} \u{1f600} \\ud83d"
        );
    }
}
