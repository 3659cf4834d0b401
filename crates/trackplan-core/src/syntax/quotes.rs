//! Scanning a line of YAML outside its quoted scalars, for what reads text that may not parse yet
//! (the editor's completion context) and for finding comments.

/// Whether a scan stands inside a quoted scalar, and which quote opened it.
#[derive(Default)]
pub(crate) struct Quotes(Option<u8>);

impl Quotes {
    /// Reads the byte at `i`. When it belongs to a quoted scalar (its opening quote, where
    /// `may_open` says one may open, its text, an escape, or its closing quote), returns how many
    /// bytes that is; `None` when it stands outside quotes.
    pub(crate) fn read(&mut self, bytes: &[u8], i: usize, may_open: bool) -> Option<usize> {
        let b = bytes[i];
        match self.0 {
            Some(b'"') if b == b'\\' => Some(2),
            Some(b'\'') if b == b'\'' && bytes.get(i + 1) == Some(&b'\'') => Some(2),
            Some(quote) => {
                if b == quote {
                    self.0 = None;
                }
                Some(1)
            }
            None if may_open && (b == b'"' || b == b'\'') => {
                self.0 = Some(b);
                Some(1)
            }
            None => None,
        }
    }
}

/// Where a `#` comment starts in a line: a `#` at the start or after white space, outside quotes
/// (a quote opens a quoted scalar only at the start of a token).
pub fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quotes = Quotes::default();
    let mut i = 0;
    while i < bytes.len() {
        let after = |set: &[u8]| i == 0 || set.contains(&bytes[i - 1]);
        if let Some(n) = quotes.read(bytes, i, after(b" \t[{,:")) {
            i += n;
            continue;
        }
        if bytes[i] == b'#' && after(b" \t") {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_start_outside_quotes() {
        assert_eq!(comment_start("a: b # c"), Some(5));
        assert_eq!(comment_start("# c"), Some(0));
        assert_eq!(comment_start("a: \"b # c\" # d"), Some(11));
        assert_eq!(comment_start("a: 'it''s # x' # d"), Some(15));
        assert_eq!(comment_start("a: \"x\\\" # y\" # z"), Some(13));
        assert_eq!(comment_start("url: http://x#y"), None);
        assert_eq!(comment_start("a: don't # c"), Some(9));
    }
}
