//! Source files of a plan and byte spans into them.
//!
//! Every definition, reference and diagnostic points into the source through a [`Span`]: a file id and
//! a byte range. Turning a span into lines and columns (Unicode characters or UTF-16 units) happens in
//! one place, [`LineIndex`], so that the CLI and the language server agree on positions.

use std::sync::Arc;

/// Identifies one file of a plan. The caller (CLI, server, history) assigns ids; they only need to be
/// unique within one analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one file; `end` is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// An empty span at the start of a file: where plan-wide findings are reported.
    pub fn file_start(file: FileId) -> Span {
        Span::new(file, 0, 0)
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn contains(&self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset <= (self.end as usize)
    }

    pub fn contains_span(&self, other: Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        debug_assert_eq!(self.file, other.file);
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// What holds spans, visited all at once: a file read in pieces moves each piece's spans to where
/// the piece stands in the file (see `pieces`). Implementations destructure their type in full, so
/// a new field must say whether it holds spans.
pub trait HasSpans {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F);
}

impl HasSpans for Span {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        f(self)
    }
}

/// A spanned value holds no span of its own besides its place (its values are words, numbers,
/// text and YAML values).
impl<T> HasSpans for Spanned<T> {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        f(&mut self.span)
    }
}

impl<T: HasSpans> HasSpans for Option<T> {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        if let Some(value) = self {
            value.each_span(f);
        }
    }
}

impl<T: HasSpans> HasSpans for Vec<T> {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        for value in self {
            value.each_span(f);
        }
    }
}

impl<T: HasSpans> HasSpans for Box<T> {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        (**self).each_span(f)
    }
}

/// One YAML file of a plan: its path relative to the plan root (always with `/`) and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub id: FileId,
    pub path: String,
    pub text: Arc<str>,
    lines: Arc<LineIndex>,
}

impl SourceFile {
    pub fn new(id: FileId, path: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let lines = Arc::new(LineIndex::new(&text));
        SourceFile {
            id,
            path: path.into(),
            text,
            lines,
        }
    }

    /// The file is the plan's root file (`trackplan.yaml` at the top of the plan folder).
    pub fn is_root(&self) -> bool {
        self.path == crate::ROOT_FILE_NAME
    }

    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The text a span covers (empty when the span is out of range, never a panic).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// A 0-based line and column; the column unit depends on the call (characters, UTF-16 units or bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Which unit a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Unicode scalar values (what the CLI prints).
    Char,
    /// UTF-16 code units (the LSP default).
    Utf16,
    /// Bytes of UTF-8 (the LSP `utf-8` position encoding).
    Utf8,
}

/// Line starts of a text, for converting byte offsets to lines and columns and back.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as in ropey with `cr_lines`, so that the CLI and the
/// editor count lines the same way.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    len: u32,
    ascii: bool,
    /// Made on the first column asked far into a long line of a text that is not all ASCII, so
    /// that a column costs the same however long its line is.
    checkpoints: std::sync::OnceLock<Box<[Checkpoint]>>,
}

/// Characters and UTF-16 units before a byte offset of the text.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    byte: u32,
    chars: u32,
    utf16: u32,
}

/// Bytes between checkpoints: a column is counted over at most about this many bytes.
const CHECKPOINT_BYTES: usize = 1024;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        let mut after_cr = false;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' && after_cr && i > 0 && bytes[i - 1] == b'\r' {
                // The `\n` of a `\r\n`: the line started after it, not after the `\r`.
                *starts.last_mut().expect("a line start") = i as u32 + 1;
            } else {
                starts.push(i as u32 + 1);
            }
            after_cr = bytes[i] == b'\r';
        }
        LineIndex {
            starts,
            len: text.len() as u32,
            ascii: text.is_ascii(),
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    /// Columns (in `unit`) of the text before a byte offset, counted from the nearest checkpoint.
    fn units_before(&self, text: &str, offset: usize, unit: ColumnUnit) -> usize {
        let checkpoints = self.checkpoints.get_or_init(|| {
            let mut out = vec![Checkpoint {
                byte: 0,
                chars: 0,
                utf16: 0,
            }];
            let (mut chars, mut utf16) = (0u32, 0u32);
            let mut next = CHECKPOINT_BYTES;
            for (byte, ch) in text.char_indices() {
                if byte >= next {
                    out.push(Checkpoint {
                        byte: byte as u32,
                        chars,
                        utf16,
                    });
                    next = byte + CHECKPOINT_BYTES;
                }
                chars += 1;
                utf16 += ch.len_utf16() as u32;
            }
            out.into_boxed_slice()
        });
        let at = checkpoints.partition_point(|c| c.byte as usize <= offset) - 1;
        let checkpoint = checkpoints[at];
        let rest = &text[checkpoint.byte as usize..offset];
        match unit {
            ColumnUnit::Char => checkpoint.chars as usize + rest.chars().count(),
            ColumnUnit::Utf16 => {
                checkpoint.utf16 as usize + rest.chars().map(char::len_utf16).sum::<usize>()
            }
            ColumnUnit::Utf8 => offset,
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where a 0-based line starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)] as usize
    }

    /// The 0-based line holding a byte offset (offsets past the end land on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte range of a 0-based line without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = if line + 1 < self.starts.len() {
            self.starts[line + 1] as usize
        } else {
            text.len()
        };
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Line and column of a byte offset. An offset inside a multi-byte character counts from the
    /// character's start; offsets past the end are clamped.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let prefix = &text[start..offset];
        let col = match unit {
            _ if self.ascii && text.len() == self.len as usize => prefix.len(),
            ColumnUnit::Utf8 => prefix.len(),
            _ if prefix.len() > 2 * CHECKPOINT_BYTES && text.len() == self.len as usize => {
                self.units_before(text, offset, unit) - self.units_before(text, start, unit)
            }
            ColumnUnit::Char => prefix.chars().count(),
            ColumnUnit::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Byte offset of a line and column. Lines past the end clamp to the end of the text, columns
    /// past the end of a line clamp to its end, and a column inside a character lands on its start.
    pub fn offset(&self, text: &str, pos: LineCol, unit: ColumnUnit) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let line_text = &text[range.clone()];
        let mut units = 0usize;
        for (byte, ch) in line_text.char_indices() {
            let width = match unit {
                ColumnUnit::Char => 1,
                ColumnUnit::Utf16 => ch.len_utf16(),
                ColumnUnit::Utf8 => ch.len_utf8(),
            };
            if units + width > pos.col as usize {
                return range.start + byte;
            }
            units += width;
        }
        range.end
    }
}

/// The nearest character boundary at or before `offset`.
pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(
            index.line_col(text, 7, ColumnUnit::Char),
            LineCol { line: 3, col: 0 }
        );
        assert_eq!(&text[index.line_range(text, 1)], "b");
    }

    #[test]
    fn columns_far_into_long_lines_count_like_a_scan_from_the_line_start() {
        let mut text = String::from("ab\n");
        for i in 0..3000 {
            text.push_str(["é", "😀", "x", "日本", " "][i % 5]);
        }
        text.push_str("\nend é\n");
        let index = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(7).chain([text.len()]) {
            let offset = floor_char_boundary(&text, offset);
            let start = index.line_start(index.line_of(offset));
            let prefix = &text[start..offset];
            let at = |unit| index.line_col(&text, offset, unit).col as usize;
            assert_eq!(at(ColumnUnit::Char), prefix.chars().count(), "{offset}");
            let utf16: usize = prefix.chars().map(char::len_utf16).sum();
            assert_eq!(at(ColumnUnit::Utf16), utf16, "{offset}");
            assert_eq!(at(ColumnUnit::Utf8), prefix.len(), "{offset}");
        }
    }

    #[test]
    fn columns_count_chars_utf16_and_bytes() {
        let text = "é😀x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x, ColumnUnit::Char).col, 2);
        assert_eq!(index.line_col(text, x, ColumnUnit::Utf16).col, 3);
        assert_eq!(index.line_col(text, x, ColumnUnit::Utf8).col, 6);
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 3 }, ColumnUnit::Utf16),
            x
        );
        // Inside the surrogate pair: the start of the emoji, never a panic.
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 2 }, ColumnUnit::Utf16),
            2
        );
        assert_eq!(
            index.offset(text, LineCol { line: 9, col: 9 }, ColumnUnit::Utf16),
            text.len()
        );
        assert_eq!(index.line_col(text, 999, ColumnUnit::Char).col, 3);
    }
}
