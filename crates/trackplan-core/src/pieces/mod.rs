//! Splitting a plan file into pieces that each parse, with the core's own parser, to exactly the
//! entities the whole file defines: one piece per entry of a collection section (`events:`,
//! `properties:`, ...), and one for the rest.
//!
//! A commit usually edits a few entries of a file of hundreds. Parsing pieces and caching them by
//! text means a new version of a file costs the parse of its changed entries only, which is what
//! makes a long changelog fast. The split is only made when the file's shape makes it certain that
//! each piece reads as it does in the whole file: plain block mappings, two-level indentation, no
//! tabs, no CR line ends, no anchors, aliases, tags, directives or document markers, no repeated
//! key at the top level or within a section (the whole file reads only the first). Anything else is
//! parsed whole, as is every file whose pieces do not all parse (so that a syntax error is reported
//! where the whole file has it). Every byte of the file is in one of the pieces, comments included,
//! so that a character YAML rejects anywhere makes a piece fail as it makes the whole file fail.

mod read;

pub use read::{PieceReader, ReadStats};

use crate::model::EntityKind;
use std::ops::Range;

/// Where the pieces of a file stand: byte ranges of its text, each made of whole lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The rest of the file, in file order: comments and blank lines before the first key, the
    /// top-level keys that are not sections of entities, and sections without entries.
    pub rest: Vec<Range<usize>>,
    /// One per entry of a section of entities, in file order.
    pub entries: Vec<EntryPiece>,
    /// Whether the file's first top-level key is in the rest (a reader reports a missing required
    /// key at the first key of the file).
    pub first_key_in_rest: bool,
}

/// One entry of a section, read as its section's key line followed by the entry's lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryPiece {
    pub kind: EntityKind,
    /// The section's key line, line break included.
    pub header: Range<usize>,
    /// The entry's lines with the comment and blank lines that follow it (the first entry of a
    /// section also holds those before it).
    pub body: Range<usize>,
}

/// The pieces of a file as texts, in file order (the rest first, when there is one), or `None`
/// when it must be parsed whole.
pub fn split(text: &str) -> Option<Vec<String>> {
    let layout = layout(text)?;
    let mut pieces = Vec::with_capacity(layout.entries.len() + 1);
    let mut rest = String::new();
    for range in &layout.rest {
        rest.push_str(&text[range.clone()]);
        if !rest.ends_with('\n') {
            rest.push('\n');
        }
    }
    if !rest.is_empty() || layout.entries.is_empty() {
        pieces.push(rest);
    }
    for entry in &layout.entries {
        let (header, body) = (&text[entry.header.clone()], &text[entry.body.clone()]);
        let mut piece = String::with_capacity(header.len() + body.len() + 1);
        piece.push_str(header);
        piece.push_str(body);
        if !piece.ends_with('\n') {
            piece.push('\n');
        }
        pieces.push(piece);
    }
    Some(pieces)
}

/// Where the pieces of a file stand, or `None` when it must be parsed whole.
pub fn layout(text: &str) -> Option<Layout> {
    if memchr::memchr2(b'\t', b'\r', text.as_bytes()).is_some()
        || (!text.is_ascii() && has_unusual_breaks(text))
        || special_anywhere(text)
    {
        return None;
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let offset_of = |line: &str| line.as_ptr() as usize - text.as_ptr() as usize;
    let mut layout = Layout {
        rest: Vec::new(),
        entries: Vec::new(),
        first_key_in_rest: true,
    };
    let mut push_rest = |range: Range<usize>| match layout.rest.last_mut() {
        // Adjacent ranges of the rest are one.
        Some(last) if last.end == range.start => last.end = range.end,
        _ => layout.rest.push(range),
    };
    let mut entries_out: Vec<EntryPiece> = Vec::new();
    let mut seen_keys: Vec<&str> = Vec::new();
    let mut first_key = true;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let content = content_of(line);
        if content.is_empty() || content.starts_with('#') {
            // Comments and blank lines before the first key.
            let start = offset_of(line);
            push_rest(start..start + line.len());
            i += 1;
            continue;
        }
        if indent_of(line) != 0 || looks_special(line) {
            return None;
        }
        let (key, after) = top_level_key(line)?;
        if seen_keys.contains(&key) {
            return None;
        }
        seen_keys.push(key);
        // The block of this key: every following line that is blank, a comment, or indented.
        let mut end = i + 1;
        while end < lines.len() {
            let l = lines[end];
            let c = content_of(l);
            if !c.is_empty() && !c.starts_with('#') && indent_of(l) == 0 {
                break;
            }
            if looks_special(l) {
                return None;
            }
            end += 1;
        }
        let block = &lines[i + 1..end];
        let inline = after.trim();
        // The sections of entities: their entries are independent definitions.
        let kind =
            EntityKind::of_section(key).filter(|_| inline.is_empty() || inline.starts_with('#'));
        let entries = match kind {
            Some(_) => Some(entries(block, offset_of)?),
            None => None,
        };
        let key_start = offset_of(line);
        let block_end = block
            .last()
            .map_or(key_start + line.len(), |l| offset_of(l) + l.len());
        match (kind, entries) {
            (Some(kind), Some(entries)) if !entries.is_empty() => {
                if has_repeated_key(text, &entries) {
                    return None;
                }
                if first_key {
                    layout.first_key_in_rest = false;
                }
                // Each piece repeats the section's key line, with whatever comment it holds.
                let header = key_start..key_start + line.len();
                entries_out.extend(entries.into_iter().map(|body| EntryPiece {
                    kind,
                    header: header.clone(),
                    body,
                }));
            }
            // Not a section, or a section without entries (comments only): read with the rest.
            _ => push_rest(key_start..block_end),
        }
        first_key = false;
        i = end;
    }
    layout.entries = entries_out;
    Some(layout)
}

/// The layout of `new`, carried over from the layout of `old` without reading the whole text,
/// when the edit between them only changes lines inside one entry that are indented deeper than
/// the entry's key, and those lines hold nothing [`layout`] looks at (no tab, CR, unusual line
/// break, comment, blank line, document marker, directive, complex key, anchor, alias or tag): the
/// split is then the same, each range after the edit moved by the change in length. `None` when
/// that cannot be told; [`layout`] then reads the whole text. An editor's keystrokes are almost
/// always such edits, and this costs a comparison of the two texts instead of a walk over every
/// line of a large file.
pub fn relayout(old: &str, old_layout: &Layout, new: &str) -> Option<Relaid> {
    let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
    let prefix = common_prefix(old_bytes, new_bytes);
    let room = old_bytes.len().min(new_bytes.len()) - prefix;
    let suffix = common_suffix(&old_bytes[prefix..], &new_bytes[prefix..]).min(room);
    if prefix == old_bytes.len() && prefix == new_bytes.len() {
        return Some(Relaid {
            layout: old_layout.clone(),
            entry: None,
        });
    }
    // The whole lines the edit touches: from the start of the line it starts in to the end of the
    // line it ends in (that line break is in the common suffix, so both texts have it).
    let line_start = memchr::memrchr(b'\n', &new_bytes[..prefix]).map_or(0, |i| i + 1);
    let new_end = new_bytes.len() - suffix;
    let new_line_end = memchr::memchr(b'\n', &new_bytes[new_end.max(prefix)..])
        .map_or(new_bytes.len(), |i| new_end.max(prefix) + i + 1);
    let old_line_end = new_line_end + old_bytes.len() - new_bytes.len();
    let entry = old_layout
        .entries
        .iter()
        .position(|e| e.body.start <= line_start && old_line_end <= e.body.end)?;
    let key_indent = {
        let body = &old[old_layout.entries[entry].body.clone()];
        let key_line = body
            .split_inclusive('\n')
            .find(|l| !content_of(l).is_empty() && !content_of(l).starts_with('#'))?;
        indent_of(key_line)
    };
    let deep_lines_only = |lines: &str| {
        !lines.is_empty()
            && memchr::memchr2(b'\t', b'\r', lines.as_bytes()).is_none()
            && (lines.is_ascii() || !has_unusual_breaks(lines))
            && !special_anywhere(lines)
            && lines.split_inclusive('\n').all(|line| {
                let content = content_of(line);
                !content.is_empty()
                    && !content.starts_with('#')
                    && indent_of(line) > key_indent
                    && !looks_special(line)
            })
    };
    if !deep_lines_only(&old[line_start..old_line_end])
        || !deep_lines_only(&new[line_start..new_line_end])
    {
        return None;
    }
    let moved = |offset: usize| {
        if offset >= old_line_end {
            offset + new_bytes.len() - old_bytes.len()
        } else {
            offset
        }
    };
    let moved_range = |range: &Range<usize>| moved(range.start)..moved(range.end);
    Some(Relaid {
        layout: Layout {
            rest: old_layout.rest.iter().map(moved_range).collect(),
            entries: old_layout
                .entries
                .iter()
                .map(|e| EntryPiece {
                    kind: e.kind,
                    header: moved_range(&e.header),
                    body: moved_range(&e.body),
                })
                .collect(),
            first_key_in_rest: old_layout.first_key_in_rest,
        },
        entry: Some(entry),
    })
}

/// How many bytes two texts share at their start: compared a block at a time (a `memcmp`), then
/// byte by byte in the first block that differs.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 128;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes two texts share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 128;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// A layout carried over by [`relayout`], with the one entry piece whose text changed (`None`
/// when the texts are the same).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relaid {
    pub layout: Layout,
    pub entry: Option<usize>,
}

/// Unicode line breaks YAML does not know but a reader might (NEL, LS, PS): parse whole.
fn has_unusual_breaks(text: &str) -> bool {
    text.contains(['\u{85}', '\u{2028}', '\u{2029}', '\u{feff}'])
}

/// The line without its indentation and line break (spaces only: tabs never get here).
fn content_of(line: &str) -> &str {
    line.trim_start_matches(' ').trim_end_matches(['\n', ' '])
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Directives, document markers and complex keys at the start of a line (`%`, `---`, `...`, `?`).
/// A false alarm only means the file is parsed whole.
fn looks_special(line: &str) -> bool {
    if line.starts_with('%') || line.starts_with("---") || line.starts_with("...") {
        return true;
    }
    let trimmed = line.trim_start_matches(' ');
    trimmed.starts_with("? ") || trimmed.starts_with("?\n") || trimmed == "?"
}

/// Anchors, aliases and tags anywhere (`&`, `*`, `!` starting a word), as far as a cheap look can
/// tell; "Terms & Conditions" is not one.
fn special_anywhere(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'&', b'*', b'!', bytes).any(|i| {
        let before = if i == 0 { b' ' } else { bytes[i - 1] };
        let after = bytes.get(i + 1).copied().unwrap_or(b' ');
        matches!(before, b' ' | b'\n' | b'[' | b'{' | b',' | b':' | b'-')
            && !matches!(after, b' ' | b'\n')
    })
}

/// A top-level `key:` line: the key (a plain word) and what follows the colon.
fn top_level_key(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end_matches('\n');
    let colon = line.find(':')?;
    let key = &line[..colon];
    let after = &line[colon + 1..];
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'$');
    (plain && (after.is_empty() || after.starts_with(' '))).then_some((key, after))
}

/// Splits a section's block into its entries: the byte range of each (with the comment and blank
/// lines that follow it; the first also holds those before it). `None` when an entry line does not
/// clearly start a mapping key at the block's indentation.
fn entries(block: &[&str], offset_of: impl Fn(&str) -> usize) -> Option<Vec<Range<usize>>> {
    let mut indent = None;
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut leading: Option<usize> = None;
    for line in block {
        let start = offset_of(line);
        let end = start + line.len();
        let content = content_of(line);
        if content.is_empty() || content.starts_with('#') {
            match out.last_mut() {
                Some(entry) => entry.end = end,
                None => {
                    leading.get_or_insert(start);
                }
            }
            continue;
        }
        let n = indent_of(line);
        let block_indent = *indent.get_or_insert(n);
        if n < block_indent || block_indent == 0 {
            return None;
        }
        if n == block_indent {
            if !starts_key(&line[n..]) {
                return None;
            }
            out.push(leading.take().unwrap_or(start)..end);
        } else {
            out.last_mut()?.end = end;
        }
    }
    Some(out)
}

/// Whether two entries of a section have the same key, or keys whose sameness a cheap look cannot
/// tell (a double-quoted key with escapes): the whole file then decides which one is read.
fn has_repeated_key(text: &str, entries: &[Range<usize>]) -> bool {
    let mut keys: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(entries.len());
    for entry in entries {
        let Some(line) = text[entry.clone()]
            .split_inclusive('\n')
            .find(|l| !content_of(l).is_empty() && !content_of(l).starts_with('#'))
        else {
            return true;
        };
        let Some(key) = key_value(line.trim_start_matches(' ').trim_end_matches('\n')) else {
            return true;
        };
        keys.push(key);
    }
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair[0] == pair[1])
}

/// The string value of an entry's key, as the parser reads it; `None` when unsure.
fn key_value(line: &str) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    match line.as_bytes().first()? {
        b'"' => {
            let end = closing_double_quote(line)?;
            let inner = &line[1..end];
            (!inner.contains('\\')).then_some(Cow::Borrowed(inner))
        }
        b'\'' => {
            let end = closing_single_quote(line)?;
            Some(Cow::Owned(line[1..end].replace("''", "'")))
        }
        _ => {
            let colon = line
                .find(": ")
                .or_else(|| line.ends_with(':').then(|| line.len() - 1))?;
            Some(Cow::Borrowed(line[..colon].trim_end_matches(' ')))
        }
    }
}

/// Whether an entry line (without its indentation) starts a mapping key: `name:`, `name: value`,
/// `"quoted name": ...` or `'quoted': ...`, with no other structure on the key.
fn starts_key(line: &str) -> bool {
    let line = line.trim_end_matches('\n');
    let key_end = match line.as_bytes().first() {
        Some(b'"') => closing_double_quote(line),
        Some(b'\'') => closing_single_quote(line),
        Some(b'-' | b'[' | b'{' | b'?' | b'|' | b'>' | b'#' | b'@' | b'`' | b'%') => None,
        Some(_) => {
            // A plain key ends at the first `: ` or a final `:`. An empty key (`: value`) is a
            // null the parser places at the end of the token before it, which is in another piece.
            let colon = line
                .find(": ")
                .or_else(|| line.ends_with(':').then(|| line.len() - 1));
            return colon.is_some_and(|c| c > 0 && !line[..c].contains(" #"));
        }
        None => None,
    };
    match key_end {
        Some(end) => {
            let after = &line[end + 1..];
            after == ":" || after.starts_with(": ")
        }
        None => false,
    }
}

fn closing_double_quote(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn closing_single_quote(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diff, parse_file, FileId, Plan};
    use std::sync::Arc;

    /// The plan read whole and read in pieces say the same, and fail to parse alike.
    #[track_caller]
    fn assert_equivalent(path: &str, text: &str) -> bool {
        let whole = Plan::new(vec![Arc::new(parse_file(FileId(0), path, text))]);
        let Some(pieces) = split(text) else {
            return false;
        };
        let parts = Plan {
            files: pieces
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    Arc::new(parse_file(
                        FileId(i as u32 + 1),
                        &format!("{path}#{i}"),
                        p.as_str(),
                    ))
                })
                .collect(),
        };
        let whole_failure = diff::parse_failure(&whole).is_some();
        let parts_failure = diff::parse_failure(&parts).is_some();
        if whole_failure || parts_failure {
            // The loader parses whole whenever a piece fails; a whole-file failure must show in a
            // piece, or not at all be missed.
            assert!(
                parts_failure || !whole_failure,
                "{path}: whole fails, pieces do not:\n{text}"
            );
            return true;
        }
        assert_eq!(diff::diff(&whole, &parts), Vec::new(), "{path}");
        assert_eq!(diff::diff(&parts, &whole), Vec::new(), "{path}");
        let names = |p: &Plan| {
            let mut v: Vec<String> = p.events().map(|e| e.name.text.clone()).collect();
            v.extend(p.properties().map(|e| e.name.text.clone()));
            v.extend(p.kpis().map(|e| e.id.text.clone()));
            v.extend(p.flows().map(|e| e.id.text.clone()));
            v
        };
        assert_eq!(names(&whole), names(&parts), "{path}");
        true
    }

    #[test]
    fn template_files_split_into_equivalent_pieces() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans");
        let mut split_files = 0;
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let name = path
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .replace("trackplan", "plan");
                    if assert_equivalent(&name, &text) {
                        split_files += 1;
                    }
                }
            }
        }
        assert!(split_files >= 10, "only {split_files} template files split");
    }

    #[test]
    fn tricky_files_split_equivalently_or_not_at_all() {
        let cases = [
            // Comments, blank lines, block scalars, quoted keys, flow values.
            "# head\nevents:\n  # first\n  A:\n    description: >-\n      folded\n      text\n\n  \"B: colon\":\n    properties: {x: required}\n  'C''s': {}\nproperties:\n  x: {type: string}\n",
            // A continuation line at the entry indentation: a syntax error the split must not hide.
            "events:\n  A:\n    description: foo\n  bar\n",
            // Duplicate sections: the whole file reads only the first.
            "events:\n  A: {}\nevents:\n  B: {}\n",
            // Anchors and aliases.
            "properties:\n  a: &x {type: string}\n  b: *x\n",
            // A sequence where a mapping belongs.
            "events:\n  - A\n  - B\n",
            // Deeper first line, then shallower.
            "events:\n    A: {}\n  B: {}\n",
            // A multi-line plain scalar.
            "events:\n  A:\n    description: one\n      two\n  B: {}\n",
            // Root-style keys in a part file, and nothing splittable.
            "name: x\ndescription: y\n",
            // No final newline.
            "events:\n  A: {}\n  B:\n    status: planned",
            // A key with a comment.
            "events: # the events\n  A: {}\n",
            // Tabs and CR.
            "events:\n\tA: {}\n",
            "events:\r\n  A: {}\r\n",
            // Flow section value.
            "events: {A: {}, B: {}}\n",
            // Quoted key with escapes.
            "events:\n  \"A \\\" B\": {}\n  C: {}\n",
            // Unclosed flow collection.
            "events:\n  A:\n    platforms: [web,\n  B: {}\n",
            // Ampersands and exclamation marks in text are not anchors or tags.
            "events:\n  A:\n    description: Terms & Conditions! Read them.\n  B: {}\n",
            // An empty key at the entry indentation (a null placed at the token before it).
            "events:\n  A:\n    properties:\n  :     auth_method:\n        required: false\n",
            // A key given twice in a section (the whole file reads the first), also quoted.
            "flows:\n  f:\n    name: F\n  f:\n    name: F\n    kpis: [k]\n",
            "events:\n  A: {}\n  \"A\": {description: d}\n",
            "events:\n  'A': {}\n  B: {}\n  A: {description: d}\n",
            // A character YAML rejects in a comment before the first key, or after a section key.
            "# a \u{0} comment\nevents:\n  A: {}\n  B: {}\n",
            "events: # a \u{7f} comment\n  A: {}\n  B: {}\n",
            // A section with comments and no entries.
            "events:\n  # none yet \u{0}\nproperties:\n  p: {type: string}\n",
            // Empty entries and an empty file.
            "events:\n  A:\n  B:\n",
            "",
            "# only a comment\n",
        ];
        for (i, text) in cases.iter().enumerate() {
            assert_equivalent(&format!("events/case{i}.yaml"), text);
        }
        // Files of the usual shape do split.
        assert!(split(cases[0]).is_some());
        assert!(split(cases[15]).is_some());
        assert!(split(cases[3]).is_none(), "anchors");
        assert!(split(cases[16]).is_none(), "empty key");
        for repeated in &cases[17..20] {
            assert!(split(repeated).is_none(), "{repeated}");
        }
    }
}
