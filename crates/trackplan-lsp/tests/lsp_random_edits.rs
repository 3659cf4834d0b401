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

#[path = "../../../tests/support/rng.rs"]
mod rng;
use rng::Rng;

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

/// The seed and the number of edits: `TRACKPLAN_FUZZ_SEED` and `TRACKPLAN_FUZZ_EDITS`, else these.
fn fuzz_settings(seed: u64, edits: usize) -> (u64, usize) {
    let read = |name: &str| std::env::var(name).ok().and_then(|s| s.parse().ok());
    (
        read("TRACKPLAN_FUZZ_SEED").unwrap_or(seed),
        read("TRACKPLAN_FUZZ_EDITS").map_or(edits, |n| n as usize),
    )
}

#[test]
fn random_edits_never_break_the_server() {
    let (seed, edits) = fuzz_settings(0x5eed_1234_abcd, 3000);
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

/// A one-file plan: teams, KPIs, a dictionary, flows and `events` events, with a few findings
/// (an unknown step, an event without a description, an unused property).
fn one_file_plan(events: usize) -> String {
    let mut text = String::from(
        "# One file holds the whole plan.\ntrackplan: 1\nname: One file\nconventions:\n  event_case: title\n  property_case: snake\nteams:\n  growth:\n    name: Growth\n  web: {name: Web}\nkpis:\n",
    );
    for k in 0..5 {
        text.push_str(&format!(
            "  kpi-{k}:\n    name: KPI {k}\n    description: KPI number {k}.\n    owner: growth\n"
        ));
    }
    text.push_str("properties:\n");
    for p in 0..30 {
        text.push_str(&format!(
            "  prop_{p:02}:\n    type: string\n    description: Property {p}.\n"
        ));
    }
    text.push_str("flows:\n");
    for f in 0..events / 10 {
        let steps: Vec<String> = (0..4)
            .map(|s| format!("Thing {} Viewed", f * 10 + s))
            .collect();
        text.push_str(&format!(
            "  flow-{f}: # a comment\n    name: Flow {f}\n    kpis: [kpi-{}]\n    steps: [{}]\n\n",
            f % 5,
            steps.join(", ")
        ));
    }
    text.push_str(
        "  broken:\n    name: Broken\n    steps: [Thing 0 Viewed, Thing Nowhere]\nevents:\n",
    );
    for e in 0..events {
        let description = if e % 17 == 3 {
            String::new()
        } else {
            format!("    description: \"Fired when thing {e} is seen.\"\n")
        };
        text.push_str(&format!(
            "  Thing {e} Viewed:\n{description}    owner: growth\n    kpis: [kpi-{}]\n    properties:\n      prop_{:02}: required\n      prop_{:02}: optional\n",
            e % 5,
            e % 25,
            (e * 7) % 25
        ));
    }
    text
}

/// One random edit as an editor makes them: a few characters typed or deleted, a line removed or
/// duplicated, a line indented or dedented, an entry copied elsewhere. Returns the byte range
/// replaced and the new text.
fn entry_edit(rng: &mut Rng, text: &str) -> (std::ops::Range<usize>, String) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        return (0..0, "trackplan: 1\n".into());
    }
    let line = rng.below(lines.len());
    let start: usize = lines[..line].iter().map(|l| l.len()).sum();
    let this = lines[line];
    let boundaries: Vec<usize> = this.char_indices().map(|(i, _)| start + i).collect();
    let at = boundaries[rng.below(boundaries.len())];
    match rng.below(8) {
        0..=2 => {
            let typed = [
                "a",
                " ",
                "_",
                ": ",
                "#",
                "\"",
                "[",
                "]",
                "- ",
                "é",
                "Thing 1 Viewed",
                "\n  ",
            ];
            (at..at, typed[rng.below(typed.len())].to_string())
        }
        3 => {
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            (at..end, String::new())
        }
        4 => (start..start + this.len(), String::new()),
        5 => (start..start, this.to_string()),
        6 => {
            if this.starts_with("  ") && rng.below(2) == 0 {
                (start..start + 2, String::new())
            } else {
                (start..start, "  ".into())
            }
        }
        _ => {
            // The entry this line starts (up to the next line as little or less indented), copied
            // to the start of another line.
            let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
            let end = line
                + 1
                + lines[line + 1..]
                    .iter()
                    .take_while(|l| l.trim().is_empty() || indent(l) > indent(this))
                    .count();
            let block: String = lines[line..end].concat();
            let to: usize = lines[..rng.below(lines.len() + 1)]
                .iter()
                .map(|l| l.len())
                .sum();
            (to..to, block)
        }
    }
}

/// What `trackplan check` says of a one-file plan, as the server publishes it: range, rule, message.
fn check_one_file(text: &str) -> Vec<(u32, u32, u32, u32, String, String)> {
    let file = Arc::new(trackplan_core::parse_file(
        FileId(0),
        "trackplan.yaml",
        text,
    ));
    let plan = Plan::new(vec![file.clone()]);
    let mut out: Vec<_> = trackplan_core::check(&plan)
        .into_iter()
        .map(|d| {
            let at = |offset: u32| {
                file.source
                    .lines()
                    .line_col(&file.source.text, offset as usize, ColumnUnit::Utf16)
            };
            let (start, end) = (at(d.span.start), at(d.span.end));
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            (
                start.line,
                start.col,
                end.line,
                end.col,
                d.rule.to_string(),
                message,
            )
        })
        .collect();
    out.sort();
    out
}

fn published(params: &Value) -> Vec<(u32, u32, u32, u32, String, String)> {
    let number = |v: &Value| v.as_u64().unwrap() as u32;
    let mut out: Vec<_> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let range = &d["range"];
            (
                number(&range["start"]["line"]),
                number(&range["start"]["character"]),
                number(&range["end"]["line"]),
                number(&range["end"]["character"]),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The server reads an open file in pieces (one per entry, reusing those an edit did not touch);
/// after every edit of a one-file plan its diagnostics for that version are exactly those of
/// `trackplan check` on the same text.
#[test]
fn one_file_plan_diagnostics_equal_check_after_every_edit() {
    // Each edit here waits for its diagnostics: a tenth of the edits of the test above.
    let (seed, edits) = fuzz_settings(0x0e16_0f11e, 3000);
    let edits = (edits / 10).max(1);
    eprintln!("one-file random edits: seed {seed}, {edits} edits");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let original = one_file_plan(120);
        let fixture = Fixture {
            files: vec![("trackplan.yaml".into(), original.clone())],
            cursor: None,
        };
        let client = Client::start(&fixture, Options::default()).await;
        client.open("trackplan.yaml").await;
        let first = client
            .wait_diagnostics("trackplan.yaml", |p| p["version"] == 1)
            .await;
        assert_eq!(published(&first), check_one_file(&original));
        assert!(
            !published(&first).is_empty(),
            "the plan has findings to compare"
        );
        let mut rng = Rng(seed);
        let mut text = original.clone();
        for step in 0..edits {
            let version = step as i32 + 2;
            let (range, new_text) = if step % 50 == 49 {
                // Back to the original now and then, so that edits start again from valid YAML.
                (0..text.len(), original.clone())
            } else {
                entry_edit(&mut rng, &text)
            };
            let (start, end) = (
                common::position_of(&text, range.start),
                common::position_of(&text, range.end),
            );
            text.replace_range(range, &new_text);
            client
                .change("trackplan.yaml", version, (start, end), &new_text)
                .await;
            let params = client
                .wait_diagnostics("trackplan.yaml", |p| p["version"] == version)
                .await;
            let expected = check_one_file(&text);
            if published(&params) != expected {
                let shown: String = text.chars().take(4000).collect();
                assert_eq!(
                    published(&params),
                    expected,
                    "step {step} (seed {seed}), text:\n{shown}"
                );
            }
        }
        client.shutdown().await;
    });
}
