//! Thousands of random edits (insertions, deletions, garbage characters, multi-byte characters,
//! positions past the end, reversed ranges) to open documents of a real template: the server never
//! panics, answers every request in between, and in the end publishes exactly what `trackplan
//! check` says about the edited text.
//!
//! `TRACKPLAN_FUZZ_SEED` and `TRACKPLAN_FUZZ_EDITS` change the seed and the number of edits.

mod common;

use common::{Client, Fixture, Options};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;
use tower_lsp::lsp_types::Position;
use trackplan_core::{ColumnUnit, FileId, LineCol, LineIndex, Plan};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SNIPPETS: &[&str] = &[
    "events:\n",
    "  ",
    "    ",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "<<: ",
    "|\n",
    ">-\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{0}",
    "\u{feff}",
    "\u{fffd}",
    "é",
    "😀",
    "e\u{301}",
    "中文",
    "Order Completed",
    "steps: [",
    "kpis: [",
    "owner: ",
    "status: ",
    "type: ",
    "properties:\n",
    "product_id: required\n",
    "---\n",
    "...\n",
    "~",
    "404",
    "true",
    "\u{7f}",
    "\u{2028}",
    "\\",
    "%",
    "@",
];

/// Where a random position lands: usually inside the text, sometimes past a line's end or past the
/// last line, sometimes inside a surrogate pair.
fn position(rng: &mut Rng, text: &str) -> Position {
    let lines = text.split('\n').count() as u32;
    match rng.below(10) {
        0 => Position::new(lines + rng.below(5) as u32, rng.below(50) as u32),
        1 => Position::new(
            rng.below(lines as usize + 1) as u32,
            500 + rng.below(50) as u32,
        ),
        2 => Position::new(u32::MAX - rng.below(2) as u32, u32::MAX),
        _ => {
            let line = rng.below(lines as usize) as u32;
            let width: usize = text
                .split('\n')
                .nth(line as usize)
                .map_or(0, |l| l.chars().map(char::len_utf16).sum());
            Position::new(line, rng.below(width + 2) as u32)
        }
    }
}

/// The client's view of the same edit: clamped positions, as the server clamps them.
fn apply(text: &mut String, start: Position, end: Position, new_text: &str) {
    let index = LineIndex::new(text);
    let offset = |p: Position| {
        index.offset(
            text,
            LineCol {
                line: p.line,
                col: p.character,
            },
            ColumnUnit::Utf16,
        )
    };
    let (mut a, mut b) = (offset(start), offset(end));
    if b < a {
        std::mem::swap(&mut a, &mut b);
    }
    text.replace_range(a..b, new_text);
}

fn template_fixture() -> Fixture {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/ecommerce");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    Fixture {
        files,
        cursor: None,
    }
}

fn check_output(files: &[(String, String)]) -> Vec<(String, u32, u32, String)> {
    let parsed: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            Arc::new(trackplan_core::parse_file(
                FileId(i as u32),
                path,
                text.as_str(),
            ))
        })
        .collect();
    let plan = Plan::new(parsed);
    let mut out: Vec<_> = trackplan_core::check(&plan)
        .into_iter()
        .map(|d| {
            let file = plan.file(d.span.file).unwrap();
            let start = file.source.lines().line_col(
                &file.source.text,
                d.span.start as usize,
                ColumnUnit::Utf16,
            );
            (
                file.source.path.clone(),
                start.line,
                start.col,
                d.rule.to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn random_edits_never_break_the_server() {
    let seed: u64 = std::env::var("TRACKPLAN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_1234_abcd);
    let edits: usize = std::env::var("TRACKPLAN_FUZZ_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    eprintln!("random edits: seed {seed}, {edits} edits");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut fixture = template_fixture();
        let client = Client::start(&fixture, Options::default()).await;
        let open = ["trackplan.yaml", "flows.yaml", "events/checkout.yaml"];
        for path in open {
            client.open(path).await;
        }
        let on_disk = fixture.files.clone();
        let mut rng = Rng(seed);
        let mut versions = [1i32; 3];
        for step in 0..edits {
            let which = rng.below(open.len());
            let path = open[which];
            if step % 400 == 399 {
                // Close the file (the server goes back to the disk's text) and open it again.
                client
                    .notify("textDocument/didClose", json!({"textDocument": {"uri": client.uri(path)}}))
                    .await;
                let disk = on_disk.iter().find(|(p, _)| p == path).unwrap().1.clone();
                fixture.files.iter_mut().find(|(p, _)| p == path).unwrap().1 = disk.clone();
                versions[which] = 1;
                client.open_text(path, &disk, 1).await;
                let query = ["", "ord", "zz", "Thing", "\u{0}", "😀"][rng.below(6)];
                let symbols = client.request("workspace/symbol", json!({"query": query})).await;
                assert!(symbols.is_ok(), "workspace/symbol {query:?}: {symbols:?}");
                continue;
            }
            let text = &mut fixture.files.iter_mut().find(|(p, _)| p == path).unwrap().1;
            let start = position(&mut rng, text);
            let end = match rng.below(4) {
                0 => start,
                1 => position(&mut rng, text),
                _ => Position::new(start.line, start.character.saturating_add(rng.below(12) as u32)),
            };
            let new_text: String = match rng.below(6) {
                0 => String::new(),
                1 => (0..rng.below(6))
                    .map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('\u{fffd}'))
                    .collect(),
                _ => (0..1 + rng.below(3)).map(|_| rng.pick(SNIPPETS)).collect(),
            };
            apply(text, start, end, &new_text);
            versions[which] += 1;
            client.change(path, versions[which], (start, end), &new_text).await;
            if step % 25 == 0 {
                // Requests in between are answered (an error would be a panic in a handler).
                let at = position(&mut rng, text);
                let params = json!({"textDocument": {"uri": client.uri(path)}, "position": at});
                for method in [
                    "textDocument/completion",
                    "textDocument/hover",
                    "textDocument/definition",
                    "textDocument/documentHighlight",
                    "textDocument/prepareRename",
                ] {
                    let result = client.request(method, params.clone()).await;
                    assert!(result.is_ok(), "step {step}: {method} at {at:?} failed: {result:?}");
                }
                let mut references = params.clone();
                references["context"] = json!({"includeDeclaration": true});
                assert!(client.request("textDocument/references", references).await.is_ok());
                let symbols = json!({"textDocument": {"uri": client.uri(path)}});
                assert!(client.request("textDocument/documentSymbol", symbols).await.is_ok());
                let range = json!({"start": at, "end": at});
                let actions = json!({"textDocument": {"uri": client.uri(path)}, "range": range, "context": {"diagnostics": []}});
                assert!(client.request("textDocument/codeAction", actions).await.is_ok());
            }
        }
        // Still responsive, and the last diagnostics are exactly those of check on the final text.
        for (i, path) in open.iter().enumerate() {
            let version = versions[i];
            client.wait_diagnostics(path, |p| p["version"] == version).await;
        }
        // Give the last batches for closed files time to land.
        let expected = check_output(&fixture.files);
        let deadline = tokio::time::Instant::now() + common::TIMEOUT;
        loop {
            let mut published: Vec<(String, u32, u32, String)> = Vec::new();
            for (uri, params) in client.diagnostics.lock().unwrap().iter() {
                let path = common::rel(&client.root, uri);
                for d in params["diagnostics"].as_array().unwrap() {
                    published.push((
                        path.clone(),
                        d["range"]["start"]["line"].as_u64().unwrap() as u32,
                        d["range"]["start"]["character"].as_u64().unwrap() as u32,
                        d["code"].as_str().unwrap().to_string(),
                    ));
                }
            }
            published.sort();
            if published == expected {
                break;
            }
            if tokio::time::Instant::now() > deadline {
                assert_eq!(published, expected, "published diagnostics match check");
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let hover = client
            .request("textDocument/hover", json!({"textDocument": {"uri": client.uri("flows.yaml")}, "position": {"line": 0, "character": 0}}))
            .await;
        assert!(hover.is_ok());
        let _: Value = hover.unwrap();
        client.shutdown().await;
    });
}
