//! Splitting a byte stream into records, with bounded memory: lines of newline-delimited JSON, or
//! the elements of a JSON array (which may span lines). The stream is fed in blocks; records are
//! copied into chunks of about a megabyte that threads audit in parallel. A record longer than
//! [`MAX_RECORD_BYTES`] is skipped (and reported), never held.

use memchr::memchr;
use std::sync::{Arc, Mutex};

/// The longest record kept; a longer one is a malformed line.
pub const MAX_RECORD_BYTES: usize = 8 << 20;
/// A chunk is handed on once it holds this many bytes or records.
const CHUNK_BYTES: usize = 1 << 20;
const CHUNK_ITEMS: usize = 8192;

/// One thing a chunk holds, in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A record's bytes (`data[start..end]`) and the line it starts on.
    Record { start: usize, end: usize, line: u64 },
    /// A problem of the input itself, at a line.
    Problem { line: u64, why: String },
}

/// Records of one input, ready to audit.
#[derive(Debug, Default)]
pub struct Chunk {
    pub input: u32,
    pub data: Vec<u8>,
    pub items: Vec<Item>,
}

/// Chunks the workers are done with, handed back to the reader: refilling their buffers is
/// cheaper than asking for fresh memory for every chunk (which the kernel zeroes page by page).
#[derive(Clone, Default)]
pub struct ChunkPool {
    spare: Arc<Mutex<Vec<Chunk>>>,
    keep: usize,
}

impl ChunkPool {
    /// A pool that keeps at most `keep` chunks.
    pub fn new(keep: usize) -> ChunkPool {
        ChunkPool {
            spare: Arc::default(),
            keep,
        }
    }

    /// Hands a chunk back, unless the pool is full or the chunk grew large around a long record
    /// (so the pool never holds more than a few ordinary chunks).
    pub fn give(&self, chunk: Chunk) {
        if chunk.data.capacity() > 4 * CHUNK_BYTES {
            return;
        }
        if let Ok(mut spare) = self.spare.lock() {
            if spare.len() < self.keep {
                spare.push(chunk);
            }
        }
    }

    /// An empty chunk for `input`, recycled when one is spare.
    fn take(&self, input: u32) -> Chunk {
        let recycled = self.spare.lock().ok().and_then(|mut spare| spare.pop());
        let mut chunk = recycled.unwrap_or_else(|| Chunk {
            data: Vec::with_capacity(CHUNK_BYTES + CHUNK_BYTES / 4),
            items: Vec::with_capacity(CHUNK_ITEMS),
            ..Chunk::default()
        });
        chunk.input = input;
        chunk.data.clear();
        chunk.items.clear();
        chunk
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Lines,
    Array(ArrayState),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ArrayState {
    /// After `[` or `,`: an element or `]` comes next.
    Between,
    InElement,
    /// After `]`: only white space (or another array).
    After,
    /// Text after the array was reported; the rest is ignored.
    Garbage,
}

/// Splits one input into records.
pub struct Framer {
    input: u32,
    mode: Option<Mode>,
    /// The line the next byte is on (1-based).
    line: u64,
    started: bool,
    pool: ChunkPool,
    chunk: Chunk,
    /// The record being read: where it starts in `chunk.data`, its line, its length so far.
    record: Option<(usize, u64)>,
    record_len: usize,
    skipping: bool,
    // JSON array scanning.
    depth: usize,
    in_string: bool,
    escape: bool,
    /// The element is a scalar (it did not start with `{` or `[`).
    scalar: bool,
    array_line: u64,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl Framer {
    /// A framer that takes its chunks from `pool` when it has one spare.
    pub fn with_pool(input: u32, pool: ChunkPool) -> Framer {
        Framer {
            input,
            mode: None,
            line: 1,
            started: false,
            chunk: pool.take(input),
            pool,
            record: None,
            record_len: 0,
            skipping: false,
            depth: 0,
            in_string: false,
            escape: false,
            scalar: false,
            array_line: 0,
        }
    }

    /// Reads the next block of the input; full chunks go to `emit`.
    pub fn feed(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(Chunk)) {
        if !self.started {
            self.started = true;
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        while self.mode.is_none() {
            let Some((&first, rest)) = bytes.split_first() else {
                return;
            };
            if is_space(first) {
                if first == b'\n' {
                    self.line += 1;
                }
                bytes = rest;
            } else if first == b'[' {
                self.mode = Some(Mode::Array(ArrayState::Between));
                self.array_line = self.line;
                bytes = rest;
            } else {
                self.mode = Some(Mode::Lines);
            }
        }
        match self.mode {
            Some(Mode::Lines) => self.feed_lines(bytes, emit),
            _ => self.feed_array(bytes, emit),
        }
    }

    fn feed_lines(&mut self, bytes: &[u8], emit: &mut dyn FnMut(Chunk)) {
        let mut pos = 0;
        while pos < bytes.len() {
            match memchr(b'\n', &bytes[pos..]) {
                Some(i) => {
                    self.take(&bytes[pos..pos + i]);
                    self.end_record(emit);
                    self.line += 1;
                    pos += i + 1;
                }
                None => {
                    self.take(&bytes[pos..]);
                    break;
                }
            }
        }
    }

    /// Adds bytes to the current record (starting one at the current line).
    fn take(&mut self, piece: &[u8]) {
        if self.record.is_none() {
            self.record = Some((self.chunk.data.len(), self.line));
            self.record_len = 0;
            self.skipping = false;
        }
        self.record_len += piece.len();
        if self.skipping {
            return;
        }
        if self.record_len > MAX_RECORD_BYTES {
            self.skipping = true;
            let (start, _) = self.record.unwrap_or_default();
            self.chunk.data.truncate(start);
            return;
        }
        self.chunk.data.extend_from_slice(piece);
    }

    /// Ends the current record: kept, reported as too long, or dropped when blank.
    fn end_record(&mut self, emit: &mut dyn FnMut(Chunk)) {
        let Some((start, line)) = self.record.take() else {
            return;
        };
        if self.skipping {
            self.skipping = false;
            let why = format!(
                "the record is {} bytes long; records over {} MiB are not read",
                self.record_len,
                MAX_RECORD_BYTES >> 20
            );
            self.chunk.items.push(Item::Problem { line, why });
        } else if self.chunk.data[start..].iter().all(|b| is_space(*b)) {
            self.chunk.data.truncate(start);
        } else {
            let end = self.chunk.data.len();
            self.chunk.items.push(Item::Record { start, end, line });
        }
        if self.chunk.data.len() >= CHUNK_BYTES || self.chunk.items.len() >= CHUNK_ITEMS {
            let next = self.pool.take(self.input);
            emit(std::mem::replace(&mut self.chunk, next));
        }
    }

    fn problem(&mut self, line: u64, why: String) {
        self.chunk.items.push(Item::Problem { line, why });
    }

    fn feed_array(&mut self, bytes: &[u8], emit: &mut dyn FnMut(Chunk)) {
        // Where the current element's bytes start in `bytes` (copied at its end or the block's).
        let mut segment = self.record.map(|_| 0);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let Some(Mode::Array(state)) = self.mode else {
                return;
            };
            match state {
                ArrayState::Between => {
                    if b == b']' {
                        self.mode = Some(Mode::Array(ArrayState::After));
                    } else if b != b',' && !is_space(b) {
                        self.mode = Some(Mode::Array(ArrayState::InElement));
                        self.record = Some((self.chunk.data.len(), self.line));
                        self.record_len = 0;
                        self.skipping = false;
                        self.depth = 0;
                        self.in_string = false;
                        self.escape = false;
                        self.scalar = b != b'{' && b != b'[';
                        segment = Some(i);
                        continue; // read the byte as the element's first
                    }
                }
                ArrayState::InElement => {
                    if let Some(end) = self.scan(b) {
                        // `end`: the element ends before (false) or after (true) this byte.
                        let stop = if end { i + 1 } else { i };
                        if let Some(start) = segment.take() {
                            self.take(&bytes[start..stop]);
                        }
                        self.end_record(emit);
                        self.mode = Some(Mode::Array(if !end && b == b']' {
                            ArrayState::After
                        } else {
                            ArrayState::Between
                        }));
                    }
                }
                ArrayState::After => {
                    if b == b'[' {
                        self.mode = Some(Mode::Array(ArrayState::Between));
                        self.array_line = self.line;
                    } else if !is_space(b) {
                        let line = self.line;
                        self.problem(line, "text after the end of the JSON array".to_string());
                        self.mode = Some(Mode::Array(ArrayState::Garbage));
                    }
                }
                ArrayState::Garbage => {}
            }
            if b == b'\n' {
                self.line += 1;
            }
            i += 1;
        }
        if let Some(start) = segment {
            self.take(&bytes[start..]);
        }
    }

    /// Reads one byte of an element: `Some(true)` when it is the element's last, `Some(false)` when
    /// the element ended just before it (a scalar followed by `,`, `]` or white space).
    fn scan(&mut self, b: u8) -> Option<bool> {
        if self.in_string {
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
                if self.scalar && self.depth == 0 {
                    return Some(true);
                }
            }
            return None;
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Some(true);
                }
            }
            b',' | b']' | b'}' if self.depth == 0 => return Some(false),
            _ if is_space(b) && self.depth == 0 && self.scalar => return Some(false),
            _ => {}
        }
        None
    }

    /// Ends the input; `error` is why reading stopped early, if it did.
    pub fn finish(mut self, error: Option<String>, emit: &mut dyn FnMut(Chunk)) {
        let array_line = self.array_line;
        match self.mode {
            // A line cut by a read error is not read: the error is reported at it instead.
            Some(Mode::Lines) | None if error.is_some() => {
                if let Some((start, line)) = self.record.take() {
                    self.chunk.data.truncate(start);
                    self.line = line;
                }
            }
            Some(Mode::Lines) | None => self.end_record(emit),
            Some(Mode::Array(ArrayState::InElement)) => {
                let (start, line) = self
                    .record
                    .take()
                    .unwrap_or((self.chunk.data.len(), self.line));
                self.chunk.data.truncate(start);
                self.problem(
                    line,
                    format!("the input ends inside this element: the JSON array opened on line {array_line} is never closed"),
                );
            }
            Some(Mode::Array(ArrayState::Between)) => {
                self.problem(
                    array_line,
                    "the JSON array opened here is never closed".to_string(),
                );
            }
            Some(Mode::Array(_)) => {}
        }
        if let Some(why) = error {
            let line = self.line;
            self.problem(line, why);
        }
        if !self.chunk.items.is_empty() {
            emit(std::mem::take(&mut self.chunk));
        }
    }
}
