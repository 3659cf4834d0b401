//! Open documents: their text as a rope, edited incrementally, and position conversion.
//!
//! Positions from the client are clamped: a line past the end is the end of the text, a column past
//! the end of a line is the end of that line, a column inside a character (half a surrogate pair)
//! is the start of that character. No position ever panics.

use ropey::Rope;
use tower_lsp::lsp_types::{Position, TextDocumentContentChangeEvent};
use trackplan_core::ColumnUnit;

/// A document the client has open.
pub struct Document {
    pub rope: Rope,
    pub version: i32,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Document {
        Document {
            rope: Rope::from_str(text),
            version,
        }
    }

    /// Applies the changes of one `didChange`, in order.
    pub fn apply(&mut self, changes: &[TextDocumentContentChangeEvent], unit: ColumnUnit) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let mut start = char_index(&self.rope, range.start, unit);
                    let mut end = char_index(&self.rope, range.end, unit);
                    if end < start {
                        std::mem::swap(&mut start, &mut end);
                    }
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                }
            }
        }
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}

/// The char index of a position in a rope, clamped.
pub fn char_index(rope: &Rope, pos: Position, unit: ColumnUnit) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let slice = rope.line(line);
    let mut len = slice.len_chars();
    // The line break is not part of the line's columns.
    if len > 0 && slice.char(len - 1) == '\n' {
        len -= 1;
        if len > 0 && slice.char(len - 1) == '\r' {
            len -= 1;
        }
    } else if len > 0 && slice.char(len - 1) == '\r' {
        len -= 1;
    }
    let target = pos.character as usize;
    let mut units = 0usize;
    for (i, c) in slice.chars().take(len).enumerate() {
        let width = match unit {
            ColumnUnit::Char => 1,
            ColumnUnit::Utf16 => c.len_utf16(),
            ColumnUnit::Utf8 => c.len_utf8(),
        };
        if units + width > target {
            return line_start + i;
        }
        units += width;
    }
    line_start + len
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp::lsp_types::Range;

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_in_utf16_and_utf8_with_clamping() {
        let mut doc = Document::new("a😀b\r\nc\rd", 1);
        doc.apply(&[change(0, 3, 0, 4, "X")], ColumnUnit::Utf16);
        assert_eq!(doc.text(), "a😀X\r\nc\rd");
        doc.apply(&[change(0, 5, 0, 99, "Y")], ColumnUnit::Utf8);
        assert_eq!(doc.text(), "a😀Y\r\nc\rd");
        doc.apply(&[change(2, 0, 2, 1, "e")], ColumnUnit::Utf16);
        assert_eq!(doc.text(), "a😀Y\r\nc\re");
        doc.apply(&[change(99, 0, 99, 5, "!")], ColumnUnit::Utf16);
        assert_eq!(doc.text(), "a😀Y\r\nc\re!");
        // Inside the surrogate pair: the start of the emoji.
        doc.apply(&[change(0, 2, 0, 2, "_")], ColumnUnit::Utf16);
        assert_eq!(doc.text(), "a_😀Y\r\nc\re!");
        // A reversed range is read the right way round.
        doc.apply(&[change(0, 2, 0, 0, "")], ColumnUnit::Utf16);
        assert_eq!(doc.text(), "😀Y\r\nc\re!");
    }
}
