//! The streaming driver: inputs are read and split on the calling thread, chunks are audited on
//! the other cores, and their tallies merged in input order. At most a few chunks are in flight,
//! so memory does not grow with the input.

use crate::check::Checker;
use crate::frame::{Chunk, ChunkPool, Framer, Item};
use crate::report::Report;
use crate::rules::{malformed_line, AuditRule};
use crate::spec::AuditPlan;
use crate::tally::{EventRef, Key, PropRef, Tally};
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

/// Records nested deeper than this are not parsed (they are malformed lines), which keeps the
/// recursion of parsing and checking shallow.
pub const MAX_DEPTH: usize = 128;
const READ_BLOCK: usize = 1 << 18;

/// One input: a name for examples (`events.ndjson`, `<stdin>`) and its bytes, plain or gzip.
pub struct Input {
    pub name: String,
    pub reader: Box<dyn Read + Send>,
}

/// How an audit runs.
pub struct Options {
    /// Threads that audit chunks (the reading thread comes on top).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// Audits every input against the plan and returns the report.
pub fn audit(plan: &AuditPlan, inputs: Vec<Input>, options: &Options) -> Report {
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let tally = audit_tally(plan, inputs, options);
    Report::new(plan, tally, &names)
}

/// Audits every input into one tally.
pub fn audit_tally(plan: &AuditPlan, inputs: Vec<Input>, options: &Options) -> Tally {
    let threads = options.threads.max(1);
    let (chunk_tx, chunk_rx) = sync_channel::<(u64, Chunk)>(threads * 2);
    let (tally_tx, tally_rx) = sync_channel::<(u64, Tally)>(threads * 2);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    // Enough spare chunks for every one in flight: the channel's, one per worker, the reader's.
    let pool = ChunkPool::new(threads * 3 + 1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let chunk_rx = Arc::clone(&chunk_rx);
            let tally_tx = tally_tx.clone();
            let pool = pool.clone();
            scope.spawn(move || {
                worker(plan, &chunk_rx, &pool, |seq, tally| {
                    tally_tx.send((seq, tally)).is_ok()
                })
            });
        }
        drop(tally_tx);
        let merger = scope.spawn(move || merge_in_order(plan, tally_rx));
        let mut seq = 0u64;
        let mut send = |chunk: Chunk| {
            // A send fails only when every worker is gone (a worker panicked): stop feeding.
            let _ = chunk_tx.send((seq, chunk));
            seq += 1;
        };
        for (number, input) in inputs.into_iter().enumerate() {
            read_input(number as u32, input.reader, &pool, &mut send);
        }
        drop(chunk_tx);
        merger
            .join()
            .unwrap_or_else(|_| Tally::new(plan.events.len()))
    })
}

/// Reads one input to its end (or its first read error) through the framer.
fn read_input(
    number: u32,
    reader: Box<dyn Read + Send>,
    pool: &ChunkPool,
    send: &mut dyn FnMut(Chunk),
) {
    let mut framer = Framer::with_pool(number, pool.clone());
    let mut reader = match decompressed(reader) {
        Ok(reader) => reader,
        Err(error) => {
            framer.finish(Some(read_problem(&error)), send);
            return;
        }
    };
    let mut block = vec![0u8; READ_BLOCK];
    let error = loop {
        match reader.read(&mut block) {
            Ok(0) => break None,
            Ok(n) => framer.feed(&block[..n], send),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Some(read_problem(&e)),
        }
    };
    framer.finish(error, send);
}

/// The input as it is, or decompressed when it starts with gzip's magic bytes.
fn decompressed(reader: Box<dyn Read + Send>) -> io::Result<Box<dyn Read + Send>> {
    let mut buffered = BufReader::with_capacity(READ_BLOCK, reader);
    let head = buffered.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(buffered)))
    } else {
        Ok(Box::new(buffered))
    }
}

fn read_problem(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => {
            "the compressed input ends early (a truncated gzip file); the lines before were read"
                .to_string()
        }
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("the compressed input is damaged ({error}); the lines before were read")
        }
        _ => format!("reading stopped: {error}"),
    }
}

/// Takes chunks until there are none, auditing each into a tally of its own (and handing the
/// chunk back to the pool).
fn worker(
    plan: &AuditPlan,
    chunks: &Mutex<Receiver<(u64, Chunk)>>,
    pool: &ChunkPool,
    mut send: impl FnMut(u64, Tally) -> bool,
) {
    let checker = Checker { plan };
    let mut buffers = simd_json::Buffers::new(1 << 16);
    loop {
        let next = match chunks.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok((seq, mut chunk)) = next else { return };
        let mut tally = Tally::new(plan.events.len());
        audit_chunk(&checker, &mut chunk, &mut buffers, &mut tally);
        pool.give(chunk);
        if !send(seq, tally) {
            return;
        }
    }
}

/// Audits the records of one chunk.
pub(crate) fn audit_chunk(
    checker: &Checker<'_>,
    chunk: &mut Chunk,
    buffers: &mut simd_json::Buffers,
    tally: &mut Tally,
) {
    let input = chunk.input;
    for item in &chunk.items {
        match item {
            Item::Problem { line, why } => malformed(tally, input, *line, why.clone()),
            Item::Record { start, end, line } => {
                let bytes = &mut chunk.data[*start..*end];
                if let Some(depth) = too_deep(bytes) {
                    malformed(tally, input, *line, format!("nested {depth} levels deep; records over {MAX_DEPTH} levels are not read"));
                    continue;
                }
                match simd_json::value::borrowed::to_value_with_buffers(bytes, buffers) {
                    Ok(value) => checker.record(&value, input, *line, tally),
                    Err(error) => malformed(
                        tally,
                        input,
                        *line,
                        format!("not JSON: {}", json_error(&error)),
                    ),
                }
            }
        }
    }
}

fn json_error(error: &simd_json::Error) -> String {
    let text = error.to_string();
    if text.contains("UTF") || text.contains("Utf8") {
        "the line is not valid UTF-8".to_string()
    } else {
        text
    }
}

fn malformed(tally: &mut Tally, input: u32, line: u64, why: String) {
    tally.records += 1;
    tally.malformed += 1;
    let key = Key {
        rule: AuditRule::MalformedLine,
        event: EventRef::None,
        property: PropRef::None,
    };
    tally.add(key, malformed_line::DEFAULT_SEVERITY, input, line, || why);
}

/// The nesting depth of a record over [`MAX_DEPTH`], if it is that deep. Most records have few
/// brackets at all, which is checked first.
fn too_deep(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2_iter(b'[', b'{', bytes).nth(MAX_DEPTH)?;
    let (mut depth, mut deepest, mut in_string, mut escape) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escape, b) {
                (true, _) => escape = false,
                (false, b'\\') => escape = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (deepest > MAX_DEPTH).then_some(deepest)
}

/// Merges the tallies of chunks in their order in the input (they arrive in any order).
fn merge_in_order(plan: &AuditPlan, tallies: Receiver<(u64, Tally)>) -> Tally {
    let mut total = Tally::new(plan.events.len());
    let mut waiting: BTreeMap<u64, Tally> = BTreeMap::new();
    let mut next = 0u64;
    for (seq, tally) in tallies {
        waiting.insert(seq, tally);
        while let Some(tally) = waiting.remove(&next) {
            total.merge(tally);
            next += 1;
        }
    }
    // Chunks after one that was lost (a worker that panicked) still count.
    for (_, tally) in waiting {
        total.merge(tally);
    }
    total
}
