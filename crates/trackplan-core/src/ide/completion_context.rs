//! The completion context of a cursor, found from the text around it.
//!
//! A buffer being edited is usually not valid YAML (`status: ` with nothing after it, an unclosed
//! `[`), so this does not use the parser: it reads the cursor's line and walks up the lines above it by
//! indentation to find the keys that lead to the cursor, the way a person reads YAML. It understands
//! block mappings, block sequences (`- item`), flow sequences and mappings on one line (`[a, b]`,
//! `{type: string}`) and flow sequences spread over lines; inside comments and block scalars it
//! finds nothing. It never panics, whatever the text and offset.

pub use super::locate::Slot;
use crate::span::floor_char_boundary;
use crate::syntax::{comment_start, Quotes};
use std::ops::Range;

/// Where the cursor is, in terms of the plan format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionContext {
    /// The keys from the top of the file down to the cursor (for [`Slot::Value`], the last one is the
    /// key whose value or list item is being typed).
    pub path: Vec<String>,
    pub slot: Slot,
    /// The text the completion replaces: the token being typed, from its start (quote included) to
    /// the end of the word under the cursor.
    pub replace: Range<usize>,
    /// The token's text before the cursor, without an opening quote.
    pub prefix: String,
    /// The quote the token was opened with.
    pub quote: Option<char>,
    /// For [`Slot::Key`]: the other keys of the same mapping, so they are not offered twice.
    pub siblings: Vec<String>,
    /// For [`Slot::Key`] in a block mapping: the key is followed by `:` already.
    pub has_colon: bool,
    /// For [`Slot::Key`] in a block mapping: the column of the key, for values that need lines below.
    pub indent: usize,
    /// The cursor is in a flow collection (`[...]` or `{...}`).
    pub in_flow: bool,
}

/// The completion context at byte `offset` of `text`, or `None` where nothing can be completed
/// (comments, block scalars, free text continued over lines, a broken line).
pub fn completion_context(text: &str, offset: usize) -> Option<CompletionContext> {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let col = offset - line_start;
    let before = &line[..col];
    if before.starts_with("---") || before.starts_with("...") {
        return None;
    }
    if comment_start(before).is_some() {
        return None;
    }
    let indent = leading_spaces(line).min(col);
    let mut content = &before[indent..];
    let mut content_col = indent;
    let mut dash = false;
    if content == "-" || content.starts_with("- ") {
        dash = true;
        let rest = &content[1..];
        let spaces = leading_spaces(rest);
        content_col += 1 + spaces;
        content = &rest[spaces..];
    }
    let above = &text[..line_start];
    match find_key_colon(content) {
        Some(colon) => {
            // `key: value` on this line: the value (maybe a flow collection) is being typed.
            let key = unquote(content[..colon].trim());
            let value_start = content_col + colon + 1;
            let mut path = parents(above, indent, dash)?;
            path.push(key);
            value_context(text, line_start, line, value_start, col, path)
        }
        None if dash => {
            // `- item` in a block sequence.
            let path = parents(above, indent, true)?;
            if path.is_empty() {
                return None;
            }
            let start = line_start + content_col;
            Some(token_context(
                text,
                start,
                offset,
                line_start + line.len(),
                TokenEnd::Line,
                path,
                Slot::Value,
                false,
            ))
        }
        None => {
            if let Some(flow) = open_flow_above(above, indent) {
                // A flow sequence continued from a line above.
                let (path, _) = flow;
                let start = token_start(line, indent, col);
                return Some(token_context(
                    text,
                    line_start + start,
                    offset,
                    line_start + line.len(),
                    TokenEnd::FlowItem,
                    path,
                    Slot::Value,
                    true,
                ));
            }
            if content.contains(['[', '{', ']', '}', ',']) && !content.starts_with(['"', '\'']) {
                return None;
            }
            let path = parents(above, indent, false)?;
            let start = line_start + content_col;
            let mut context = token_context(
                text,
                start,
                offset,
                line_start + line.len(),
                TokenEnd::Key,
                path,
                Slot::Key,
                false,
            );
            let after = &text[context.replace.end..line_start + line.len()];
            context.has_colon = after.trim_start().starts_with(':');
            context.indent = indent;
            context.siblings = siblings(text, line_start, line_end, indent);
            Some(context)
        }
    }
}

/// The context of a value typed after `key:` on a line: a plain value or a place in a flow
/// collection.
fn value_context(
    text: &str,
    line_start: usize,
    line: &str,
    value_start: usize,
    col: usize,
    mut path: Vec<String>,
) -> Option<CompletionContext> {
    let value = &line[value_start..col];
    let trimmed = value.trim_start();
    if trimmed.starts_with(['|', '>', '&', '*', '!']) {
        return None;
    }
    let flow = scan_flow(value)?;
    let line_end = line_start + line.len();
    let offset = line_start + col;
    if flow.frames.is_empty() {
        let start = value_start + leading_spaces(value);
        if value[start - value_start..].starts_with(['[', '{']) {
            return None;
        }
        return Some(token_context(
            text,
            line_start + start,
            offset,
            line_end,
            TokenEnd::Line,
            path,
            Slot::Value,
            false,
        ));
    }
    // Keys of the flow mappings that lead to the innermost frame.
    for frame in &flow.frames[..flow.frames.len() - 1] {
        if let Frame::Map { key: Some(key), .. } = frame {
            path.push(key.clone());
        }
    }
    let innermost = flow.frames.last()?;
    let (slot, segment_start, end) = match innermost {
        Frame::Seq { segment_start } => (Slot::Value, *segment_start, TokenEnd::FlowItem),
        Frame::Map {
            key: Some(key),
            value_start,
            ..
        } => {
            path.push(key.clone());
            (Slot::Value, *value_start, TokenEnd::FlowItem)
        }
        Frame::Map {
            key: None,
            segment_start,
            ..
        } => (Slot::Key, *segment_start, TokenEnd::FlowKey),
    };
    let start = value_start + segment_start;
    let start = start + leading_spaces(&line[start..col]);
    let mut context = token_context(
        text,
        line_start + start,
        offset,
        line_end,
        end,
        path,
        slot,
        true,
    );
    if slot == Slot::Key {
        let after = &text[context.replace.end..line_end];
        context.has_colon = after.trim_start().starts_with(':');
    }
    Some(context)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TokenEnd {
    /// A block value: to the end of the line (before a comment).
    Line,
    /// A block key: to the colon.
    Key,
    /// An item of a flow collection: to the next `,`, `]` or `}`.
    FlowItem,
    /// A key of a flow mapping: to the next `:` , `,` or `}`.
    FlowKey,
}

#[allow(clippy::too_many_arguments)]
fn token_context(
    text: &str,
    start: usize,
    offset: usize,
    line_end: usize,
    end_kind: TokenEnd,
    path: Vec<String>,
    slot: Slot,
    in_flow: bool,
) -> CompletionContext {
    let start = start.min(offset);
    let typed = &text[start..offset];
    let quote = typed.chars().next().filter(|c| *c == '"' || *c == '\'');
    let prefix = match quote {
        Some(q) => typed[1..].replace(if q == '\'' { "''" } else { "\\\"" }, &q.to_string()),
        None => typed.to_string(),
    };
    let rest = &text[offset..line_end];
    let end = match quote {
        Some(q) => {
            // To the closing quote, included.
            let mut chars = rest.char_indices().peekable();
            let mut found = None;
            while let Some((i, c)) = chars.next() {
                if q == '"' && c == '\\' {
                    chars.next();
                    continue;
                }
                if c == q {
                    if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                        continue;
                    }
                    found = Some(i + c.len_utf8());
                    break;
                }
                if matches!(c, ',' | ']' | '}') && in_flow {
                    break;
                }
            }
            found.unwrap_or_else(|| stop_at(rest, end_kind))
        }
        None => stop_at(rest, end_kind),
    };
    CompletionContext {
        path,
        slot,
        replace: start..offset + end,
        prefix,
        quote,
        siblings: Vec::new(),
        has_colon: false,
        indent: 0,
        in_flow,
    }
}

/// How far the token under the cursor reaches into `rest` (the line after the cursor).
fn stop_at(rest: &str, end_kind: TokenEnd) -> usize {
    let mut end = rest.len();
    let bytes = rest.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let stop = match end_kind {
            TokenEnd::Line => b == b'#' && (i == 0 || bytes[i - 1] == b' '),
            TokenEnd::Key => b == b':' && bytes.get(i + 1).is_none_or(|n| *n == b' '),
            TokenEnd::FlowItem => matches!(b, b',' | b']' | b'}' | b'#'),
            TokenEnd::FlowKey => matches!(b, b',' | b'}' | b':' | b'#'),
        };
        if stop {
            end = i;
            break;
        }
    }
    rest[..end].trim_end().len()
}

/// An open flow collection on a line.
#[derive(Clone, Debug)]
enum Frame {
    Seq {
        segment_start: usize,
    },
    Map {
        segment_start: usize,
        key: Option<String>,
        value_start: usize,
    },
}

struct Flow {
    frames: Vec<Frame>,
}

/// The flow collections still open at the end of `value` (offsets relative to `value`); `None`
/// when the brackets do not match up (a `]` with nothing open).
fn scan_flow(value: &str) -> Option<Flow> {
    let mut frames: Vec<Frame> = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    let mut quotes = Quotes::default();
    while i < bytes.len() {
        if let Some(n) = quotes.read(bytes, i, true) {
            i += n;
            continue;
        }
        let b = bytes[i];
        match b {
            b'#' if i == 0 || bytes[i - 1] == b' ' => return Some(Flow { frames }),
            b'[' => frames.push(Frame::Seq {
                segment_start: i + 1,
            }),
            b'{' => frames.push(Frame::Map {
                segment_start: i + 1,
                key: None,
                value_start: i + 1,
            }),
            b']' | b'}' => {
                frames.pop()?;
            }
            b',' => match frames.last_mut() {
                Some(Frame::Seq { segment_start }) => *segment_start = i + 1,
                Some(Frame::Map {
                    segment_start,
                    key,
                    value_start,
                }) => {
                    *segment_start = i + 1;
                    *value_start = i + 1;
                    *key = None;
                }
                None => {}
            },
            b':' if bytes
                .get(i + 1)
                .is_none_or(|n| matches!(n, b' ' | b',' | b'}' | b']')) =>
            {
                if let Some(Frame::Map {
                    segment_start,
                    key,
                    value_start,
                }) = frames.last_mut()
                {
                    if key.is_none() {
                        *key = Some(unquote(value[*segment_start..i].trim()));
                        *value_start = i + 1;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Some(Flow { frames })
}

/// Whether the lines above end inside a flow sequence opened after `key:` at a lower indentation
/// (`steps: [A, B,` with the next items on the following lines); gives the path to that key.
fn open_flow_above(above: &str, indent: usize) -> Option<(Vec<String>, usize)> {
    let mut lines = Lines::new(above);
    let mut continued = 0;
    while let Some((line_start, line)) = lines.next_up() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let line_indent = leading_spaces(line);
        let mut content = &line[line_indent..];
        let mut content_col = line_indent;
        let dash = content.starts_with("- ");
        if dash {
            content_col += 2;
            content = &content[2..];
        }
        if let Some(colon) = find_key_colon(content) {
            if line_indent >= indent {
                return None;
            }
            let value = &content[colon + 1..];
            let flow = scan_flow(value)?;
            if !matches!(flow.frames.as_slice(), [Frame::Seq { .. }]) {
                return None;
            }
            let mut path = parents(&above[..line_start], line_indent, dash)?;
            path.push(unquote(content[..colon].trim()));
            return Some((path, content_col));
        }
        // A continuation line of the flow: keep looking up, but not forever.
        continued += 1;
        if continued > 200 || line.contains([']', '}']) {
            return None;
        }
    }
    None
}

/// The keys of the block mappings that hold a line indented by `indent` (a `- item` when `dash`),
/// read from the text above it; `None` when the line is inside a block scalar or continued text.
fn parents(above: &str, indent: usize, dash: bool) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut target = indent;
    let mut dash = dash;
    let mut lines = Lines::new(above);
    while target > 0 || dash {
        let Some((_, line)) = lines.next_up() else {
            break;
        };
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with("---") {
            break;
        }
        let line_indent = leading_spaces(line);
        let mut content = &line[line_indent..];
        let line_dash = content == "-" || content.starts_with("- ");
        if line_dash {
            content = content[1..].trim_start();
        }
        // A block sequence may stand at the same indentation as its key.
        let candidate = line_indent < target || (dash && line_indent == target && !line_dash);
        if !candidate {
            continue;
        }
        let colon = find_key_colon(content)?;
        let value = strip_comment(&content[colon + 1..]).trim();
        if !value.is_empty() {
            // The line above is `key: value`: the cursor's line continues its value (a block
            // scalar or a plain scalar over several lines), which is text.
            return None;
        }
        path.push(unquote(content[..colon].trim()));
        target = line_indent;
        dash = false;
        if line_dash {
            // `- key:` in a sequence of mappings: not part of the plan format.
            return None;
        }
    }
    path.reverse();
    Some(path)
}

/// The keys at `indent` of the block mapping around the line `line_start..line_end`.
fn siblings(text: &str, line_start: usize, line_end: usize, indent: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut collect = |line: &str| -> bool {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return true;
        }
        let line_indent = leading_spaces(line);
        if line_indent < indent {
            return false;
        }
        if line_indent == indent {
            let content = &line[line_indent..];
            if let Some(colon) = find_key_colon(content) {
                out.push(unquote(content[..colon].trim()));
            }
        }
        true
    };
    let mut up = Lines::new(&text[..line_start]);
    let mut count = 0;
    while let Some((_, line)) = up.next_up() {
        count += 1;
        if !collect(line) || count > 5000 {
            break;
        }
    }
    for (count, line) in text[line_end.min(text.len())..]
        .split(['\n', '\r'])
        .skip(1)
        .enumerate()
    {
        if !collect(line) || count > 5000 {
            break;
        }
    }
    out
}

/// Iterates the lines of a text from the last one up, with their start offsets.
struct Lines<'a> {
    text: &'a str,
    end: usize,
}

impl<'a> Lines<'a> {
    /// `text` ends with the line break before the cursor's line (or is empty).
    fn new(text: &'a str) -> Lines<'a> {
        let end = if text.is_empty() {
            usize::MAX
        } else if text.ends_with("\r\n") {
            text.len() - 2
        } else if text.ends_with(['\n', '\r']) {
            text.len() - 1
        } else {
            text.len()
        };
        Lines { text, end }
    }

    fn next_up(&mut self) -> Option<(usize, &'a str)> {
        if self.end == usize::MAX {
            return None;
        }
        let end = self.end;
        let start = self.text[..end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line = &self.text[start..end];
        self.end = if start == 0 {
            usize::MAX
        } else if start >= 2 && &self.text.as_bytes()[start - 2..start] == b"\r\n" {
            start - 2
        } else {
            start - 1
        };
        Some((start, line))
    }
}

/// The offset of the `:` that ends a block key in `content` (outside quotes and brackets, followed by
/// a space or the end).
fn find_key_colon(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut quotes = Quotes::default();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // A quote opens a scalar at the start of the key, or inside brackets.
        if let Some(n) = quotes.read(bytes, i, i == 0 || depth > 0) {
            i += n;
            continue;
        }
        let b = bytes[i];
        match b {
            b'[' | b'{' if i == 0 || depth > 0 => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'#' if i == 0 || bytes[i - 1] == b' ' => return None,
            b':' if depth == 0 && bytes.get(i + 1).is_none_or(|n| *n == b' ') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn strip_comment(value: &str) -> &str {
    match comment_start(value) {
        Some(i) => &value[..i],
        None => value,
    }
}

/// The start of the token a cursor at `col` is in, for a line continuing a flow sequence.
fn token_start(line: &str, indent: usize, col: usize) -> usize {
    let before = &line[indent..col];
    let start = before.rfind([',', '[']).map_or(indent, |i| indent + i + 1);
    start + leading_spaces(&line[start..col])
}

fn leading_spaces(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

/// A key as read: quotes removed.
fn unquote(key: &str) -> String {
    if key.len() >= 2 && key.starts_with('\'') && key.ends_with('\'') {
        return key[1..key.len() - 1].replace("''", "'");
    }
    if key.len() >= 2 && key.starts_with('"') && key.ends_with('"') {
        let inner = &key[1..key.len() - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    key.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context at the `$0` marker of a fixture.
    fn at(fixture: &str) -> Option<CompletionContext> {
        let offset = fixture.find("$0").expect("fixture has a $0 marker");
        let text = fixture.replacen("$0", "", 1);
        completion_context(&text, offset)
    }

    fn show(fixture: &str) -> String {
        let offset = fixture.find("$0").unwrap();
        let text = fixture.replacen("$0", "", 1);
        match completion_context(&text, offset) {
            None => "none".into(),
            Some(c) => format!(
                "{:?} {:?} prefix={:?} replace={:?}",
                c.slot,
                c.path,
                c.prefix,
                &text[c.replace.clone()]
            ),
        }
    }

    #[test]
    fn top_level_key() {
        assert_eq!(show("ev$0"), r#"Key [] prefix="ev" replace="ev""#);
        assert_eq!(show("name: x\n$0"), r#"Key [] prefix="" replace="""#);
    }

    #[test]
    fn keys_of_an_event() {
        let c = at("events:\n  Order Completed:\n    owner: growth\n    st$0\n").unwrap();
        assert_eq!(c.path, vec!["events", "Order Completed"]);
        assert_eq!(c.slot, Slot::Key);
        assert_eq!(c.prefix, "st");
        assert_eq!(c.siblings, vec!["owner"]);
    }

    #[test]
    fn values_in_block_and_flow() {
        assert_eq!(
            show("events:\n  A:\n    status: imp$0\n"),
            r#"Value ["events", "A", "status"] prefix="imp" replace="imp""#
        );
        assert_eq!(
            show("flows:\n  f:\n    steps: [Product Viewed, Ord$0er Completed]\n"),
            r#"Value ["flows", "f", "steps"] prefix="Ord" replace="Order Completed""#
        );
        assert_eq!(
            show("flows:\n  f:\n    steps: [Product Viewed, \"Ord$0"),
            r#"Value ["flows", "f", "steps"] prefix="Ord" replace="\"Ord""#
        );
        assert_eq!(
            show("properties:\n  p: {type: str$0}\n"),
            r#"Value ["properties", "p", "type"] prefix="str" replace="str""#
        );
        assert_eq!(
            show("properties:\n  p: {type: string, de$0}\n"),
            r#"Key ["properties", "p"] prefix="de" replace="de""#
        );
    }

    #[test]
    fn block_sequences_and_multi_line_flows() {
        assert_eq!(
            show("identity:\n  identify:\n    - Log$0\n"),
            r#"Value ["identity", "identify"] prefix="Log" replace="Log""#
        );
        assert_eq!(
            show("identity:\n  reset:\n  - $0\n"),
            r#"Value ["identity", "reset"] prefix="" replace="""#
        );
        assert_eq!(
            show("flows:\n  f:\n    steps: [A,\n      B, C$0\n"),
            r#"Value ["flows", "f", "steps"] prefix="C" replace="C""#
        );
    }

    #[test]
    fn event_properties_and_alternatives() {
        assert_eq!(
            show("events:\n  A:\n    properties:\n      order_id: required\n      cou$0\n"),
            r#"Key ["events", "A", "properties"] prefix="cou" replace="cou""#
        );
        assert_eq!(
            show("flows:\n  f:\n    alternatives:\n      fast: [X, $0]\n"),
            r#"Value ["flows", "f", "alternatives", "fast"] prefix="" replace="""#
        );
    }

    #[test]
    fn nothing_in_comments_and_text() {
        assert_eq!(show("# a comment $0\n"), "none");
        assert_eq!(
            show("events:\n  A:\n    description: >-\n      Fired wh$0\n"),
            "none"
        );
        assert_eq!(
            show("events:\n  A:\n    description: |\n      x: $0\n"),
            "none"
        );
    }

    #[test]
    fn crlf_and_odd_input_never_panic() {
        assert_eq!(
            show("events:\r\n  A:\r\n    status: $0\r\n"),
            r#"Value ["events", "A", "status"] prefix="" replace="""#
        );
        let text = "é: [\"x\\\n'''\r\r\n- - - :: {[}]\"é😀";
        for offset in 0..=text.len() + 3 {
            let _ = completion_context(text, offset);
        }
    }
}
