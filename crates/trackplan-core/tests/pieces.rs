//! A file read in pieces (`pieces::PieceReader`, what the language server does with a large open
//! file) is the file read whole: the same model, the same findings, the same `check`, before and
//! after thousands of random edits made one after another on the same reader (so that cached pieces
//! are reused), on the one-file templates and on the multi-file ones put into one file.
//!
//! `TRACKPLAN_FUZZ_SEED` and `TRACKPLAN_FUZZ_EDITS` change the seed and the number of edits.

use std::path::Path;
use std::sync::Arc;
use trackplan_core::pieces::PieceReader;
use trackplan_core::{check, parse_file, Diagnostic, FileId, ParsedFile, Plan};

#[path = "../../../tests/support/rng.rs"]
mod rng;
use rng::Rng;

fn sorted(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut out = diagnostics.to_vec();
    out.sort_by(|a, b| {
        (a.span, a.rule.as_str(), &a.message).cmp(&(b.span, b.rule.as_str(), &b.message))
    });
    out
}

/// Reads `text` both ways and compares everything; returns whether it was read in pieces.
#[track_caller]
fn assert_same(reader: &mut PieceReader, path: &str, text: &str) -> bool {
    let text: Arc<str> = text.into();
    let mut whole = parse_file(FileId(3), path, text.clone());
    whole.drop_tree();
    let pieces = reader.read(FileId(3), path, &text);
    let context = || {
        let shown: String = text.chars().take(3000).collect();
        format!("{path}, read in {:?}:\n{shown}", reader.last_read())
    };
    assert_eq!(pieces.source.text, whole.source.text);
    assert_eq!(pieces.source.path, whole.source.path);
    assert_eq!(pieces.id(), whole.id());
    assert!(pieces.tree.is_none());
    if pieces.whole_part() != whole.whole_part() {
        // The first difference, readably.
        let (a, b) = (
            format!("{:#?}", pieces.whole_part()),
            format!("{:#?}", whole.whole_part()),
        );
        let line = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let show = |s: &str| {
            s.lines()
                .skip(line.saturating_sub(8))
                .take(16)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "models differ\npieces:\n{}\nwhole:\n{}\n{}",
            show(&a),
            show(&b),
            context()
        );
    }
    assert_eq!(pieces.syntax_issues, whole.syntax_issues, "{}", context());
    assert_eq!(
        sorted(&pieces.diagnostics),
        sorted(&whole.diagnostics),
        "{}",
        context()
    );
    let plan = |file: ParsedFile| Plan::new(vec![Arc::new(file)]);
    assert_eq!(check(&plan(pieces)), check(&plan(whole)), "{}", context());
    reader.last_read().pieces > 0
}

/// A plan folder put into one file: the root file's keys, then each section once with the entries
/// of every file that has it (comments before a file's first key go with it).
fn one_file(dir: &Path) -> String {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                paths.push(path);
            }
        }
    }
    paths.sort_by_key(|p| (!p.ends_with("trackplan.yaml"), p.clone()));
    let mut blocks: Vec<(String, String)> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap();
        let mut current: Option<usize> = None;
        let mut pending = String::new();
        for line in text.split_inclusive('\n') {
            if !line.starts_with([' ', '#', '\n']) {
                let key = line.split(':').next().unwrap().to_string();
                let i = match blocks.iter().position(|(k, _)| *k == key) {
                    Some(i) => {
                        blocks[i].1.push_str(&pending);
                        i
                    }
                    None => {
                        blocks.push((key, format!("{pending}{line}")));
                        blocks.len() - 1
                    }
                };
                pending.clear();
                current = Some(i);
            } else {
                match current {
                    Some(i) => blocks[i].1.push_str(line),
                    None => pending.push_str(line),
                }
            }
        }
    }
    blocks.into_iter().map(|(_, body)| body).collect()
}

fn templates() -> Vec<(String, String)> {
    let plans = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans");
    let mut out = Vec::new();
    for name in ["ecommerce", "saas", "media", "fintech", "blank"] {
        out.push((name.to_string(), one_file(&plans.join(name))));
    }
    out
}

#[test]
fn templates_in_one_file_read_in_pieces_as_whole() {
    for (name, text) in templates() {
        let mut reader = PieceReader::default();
        let split = assert_same(&mut reader, "trackplan.yaml", &text);
        let pieces = reader.last_read().pieces;
        // The blank template has no entries: nothing to split.
        assert!(
            split && pieces > 20 || name == "blank",
            "{name}: {pieces} pieces"
        );
        // Read again: nothing is parsed.
        assert_eq!(assert_same(&mut reader, "trackplan.yaml", &text), split);
        if split {
            assert_eq!(reader.last_read().parsed, 0, "{name}");
            assert_eq!(reader.last_read().placed, 0, "{name}");
            // A character typed in the last description of an entry: that entry is parsed again,
            // and only it and the entries after it are placed in the file again.
            let line = text.rfind("\n    description: ").expect("a description") + 1;
            let end = line + text[line..].find('\n').unwrap();
            let typed = format!("{}x{}", &text[..end], &text[end..]);
            assert_same(&mut reader, "trackplan.yaml", &typed);
            let stats = reader.last_read();
            assert!(stats.carried_over, "{name}: {stats:?}");
            assert_eq!(stats.parsed, 1, "{name}: {stats:?}");
            assert!(
                stats.placed >= 1 && stats.placed * 2 < stats.pieces,
                "{name}: {stats:?}"
            );
        }
        // As a part file: the root's own keys are findings there, the same both ways.
        assert_same(&mut PieceReader::default(), "all.yaml", &text);
    }
}

#[test]
fn files_whose_split_is_uncertain_read_whole_and_alike() {
    let cases = [
        // A quoted scalar of the rest that runs over a section into a later key.
        "trackplan: 1\nname: \"a\nevents:\n  A: b\"\nfoo: x\"\n",
        "trackplan: 1\nname: \"a\nevents:\n  A: {}\nfoo: b\"\n",
        // A flow collection of the rest that does the same.
        "trackplan: 1\nname: [a,\nevents:\n  A: {}\nfoo: b]\n",
        // An unclosed quote in an entry that a later entry closes.
        "trackplan: 1\nevents:\n  A:\n    description: \"x\n  B: y\"\n",
        // A section first: a missing `trackplan` is reported at the first key.
        "events:\n  A: {}\n  B: {}\nname: x\n",
        // An ignore comment on a section's key line covers every entry.
        "trackplan: 1\nevents: # trackplan-ignore: missing-description\n  A: {}\n  B: {description: b}\n",
        "trackplan: 1\nevents: # trackplan-ignore: missing-description, orphan-event\n  A: {description: a}\n",
        // Duplicate entries and sections.
        "trackplan: 1\nevents:\n  A: {}\n  A: {description: a}\n",
        "trackplan: 1\nevents:\n  A: {}\nevents:\n  B: {}\n",
        // A syntax error in one entry.
        "trackplan: 1\nevents:\n  A: {}\n  B: [\n  C: {}\n",
        // A merge key and a tab.
        "trackplan: 1\nevents:\n  A:\n    <<: {description: x}\n  B: {}\n",
        "trackplan: 1\nevents:\n  A:\n\tdescription: x\n",
        // An empty key at the entry indentation: the parser places the null key at the end of
        // the token before it, which the piece does not hold (found by the random edits).
        "trackplan: 1\nevents:\n  A:\n    properties:\n  :     auth_method:\n        required: false\n",
        // An entry that reads as two.
        "trackplan: 1\nevents:\n  A: x\n   B: y\n",
        // No final line break, comments everywhere, an empty section.
        "# head\ntrackplan: 1\n# between\nevents:\n  # first\n  A: {}\n  # after A\nkpis:\n  # none\nflows:\n  f: {name: F, steps: [A]}",
    ];
    for text in cases {
        assert_same(&mut PieceReader::default(), "trackplan.yaml", text);
        assert_same(&mut PieceReader::default(), "events.yaml", text);
    }
}

const SNIPPETS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    ": ",
    "#",
    " # trackplan-ignore: missing-description",
    " # trackplan-ignore: orphan-event, unknown-reference",
    "- ",
    "  ",
    "|",
    ">-",
    "\n",
    "\n  ",
    "\n    ",
    "Order Completed",
    "x",
    "é",
    "😀",
    "\t",
    "&a",
    "*a",
    "!t",
    "<<: ",
    "~",
    "null",
    "---",
    "?",
    "%",
    "\u{0}",
];

/// One random edit, usually of the kinds an editor makes (a word, a line, an entry moved or
/// copied); the text stays mostly valid YAML so that most reads are made in pieces.
fn edit(rng: &mut Rng, text: &mut String) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        text.push_str("trackplan: 1\n");
        return;
    }
    let line = rng.below(lines.len());
    let start: usize = lines[..line].iter().map(|l| l.len()).sum();
    let this = lines[line];
    // The lines of the entry this line is in (up to the next line as little or less indented).
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let block_end = line
        + 1
        + lines[line + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > indent(this))
            .count();
    let block_len: usize = lines[line..block_end].iter().map(|l| l.len()).sum();
    let block = text[start..start + block_len].to_string();
    let char_at = |rng: &mut Rng| {
        let offsets: Vec<usize> = this.char_indices().map(|(i, _)| i).collect();
        start + offsets[rng.below(offsets.len())]
    };
    match rng.below(10) {
        // Type a character or a snippet inside a line.
        0..=3 => {
            let at = char_at(rng);
            let snippet = if rng.below(3) == 0 {
                SNIPPETS[rng.below(SNIPPETS.len())]
            } else {
                ["a", "b", " ", "e", "_", "-"][rng.below(6)]
            };
            text.insert_str(at, snippet);
        }
        // Delete a character, a line or a block.
        4 => {
            let at = char_at(rng);
            let len = text[at..].chars().next().map_or(0, char::len_utf8);
            text.replace_range(at..at + len, "");
        }
        5 => text.replace_range(start..start + this.len(), ""),
        6 => text.replace_range(start..start + block_len, ""),
        // Copy a block (an entry given twice, or one renamed after) or move it elsewhere.
        7 => {
            let copy = if rng.below(2) == 0 {
                block.clone()
            } else {
                block.replacen(':', "x:", 1)
            };
            let to = lines[..rng.below(lines.len() + 1)]
                .iter()
                .map(|l| l.len())
                .sum();
            text.insert_str(to, &copy);
        }
        // Indent or dedent a line.
        8 => {
            if this.starts_with("  ") && rng.below(2) == 0 {
                text.replace_range(start..start + 2, "");
            } else {
                text.insert_str(start, "  ");
            }
        }
        // Undo damage now and then: a known good text comes back.
        _ => {}
    }
}

#[test]
fn random_edits_read_in_pieces_as_whole() {
    let seed: u64 = std::env::var("TRACKPLAN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x1e55_0416);
    let edits: usize = std::env::var("TRACKPLAN_FUZZ_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(250);
    eprintln!("random edits in pieces: seed {seed}, {edits} edits per template");
    let mut rng = Rng(seed);
    for (name, original) in templates() {
        let mut reader = PieceReader::default();
        let mut text = original.clone();
        // The last text read in pieces: edits often go back to it, so that reads go from pieces
        // to whole and back again.
        let mut good = original.clone();
        let (mut in_pieces, mut cached, mut carried) = (0, 0, 0);
        for step in 0..edits {
            if step % 200 == 199 {
                text = original.clone();
            } else if rng.below(3) == 0 {
                text = good.clone();
            }
            edit(&mut rng, &mut text);
            let path = if step % 7 == 3 {
                "part.yaml"
            } else {
                "trackplan.yaml"
            };
            if assert_same(&mut reader, path, &text) {
                good = text.clone();
                in_pieces += 1;
                let stats = reader.last_read();
                if stats.parsed < stats.pieces / 2 {
                    cached += 1;
                }
                carried += usize::from(stats.carried_over);
            }
        }
        eprintln!(
            "{name}: {in_pieces} of {edits} reads in pieces, {cached} mostly from the cache, \
             {carried} with the layout carried over"
        );
        if name != "blank" {
            assert!(
                in_pieces * 4 > edits,
                "{name}: only {in_pieces} reads in pieces"
            );
            assert!(
                cached * 8 > edits,
                "{name}: only {cached} reads used the cache"
            );
            assert!(
                carried * 20 > edits,
                "{name}: only {carried} reads carried the layout over"
            );
        }
    }
}

/// A layout carried over from the previous text is the layout found afresh, and the pieces other
/// than the one it names have the same texts as before.
#[test]
fn carried_over_layouts_are_the_layouts_found_afresh() {
    use trackplan_core::pieces::{layout, relayout};
    let mut rng = Rng(0x0ca7_7135);
    for (name, original) in templates() {
        let mut text = original.clone();
        let (mut carried, mut tried) = (0, 0);
        for step in 0..400 {
            if step % 50 == 49 {
                text = original.clone();
            }
            let before = text.clone();
            edit(&mut rng, &mut text);
            let Some(old) = layout(&before) else {
                continue;
            };
            tried += 1;
            let Some(relaid) = relayout(&before, &old, &text) else {
                continue;
            };
            carried += 1;
            let fresh = layout(&text);
            assert_eq!(
                Some(&relaid.layout),
                fresh.as_ref(),
                "{name}: carried over wrongly, from:\n{before}\nto:\n{text}"
            );
            let piece = |t: &str, p: &trackplan_core::pieces::EntryPiece| {
                format!("{}{}", &t[p.header.clone()], &t[p.body.clone()])
            };
            for (i, (a, b)) in old.entries.iter().zip(&relaid.layout.entries).enumerate() {
                if Some(i) != relaid.entry {
                    assert_eq!(piece(&before, a), piece(&text, b), "{name}: piece {i}");
                }
            }
        }
        if name != "blank" {
            assert!(
                carried * 5 > tried,
                "{name}: {carried} of {tried} carried over"
            );
        }
    }
}
