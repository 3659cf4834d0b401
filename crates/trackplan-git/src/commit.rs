//! Commits read from their raw objects.
//!
//! libgit2's commit parser refuses a whole commit over one bad field (an author date that is not a
//! number), and with it every walk and revision that passes through it. git itself shows such a
//! commit, with its date unknown; so does the history reader, which reads the few fields it needs
//! (tree, parents, author, committer date, encoding, message) from the object's bytes.

use git2::Oid;

/// What the history reader needs of a commit.
#[derive(Clone, Debug)]
pub(crate) struct RawCommit {
    pub tree: Oid,
    pub parents: Vec<Oid>,
    pub author: Signature,
    /// Seconds since the Unix epoch: orders a walk of every parent (`None`: not a number).
    pub committer_time: Option<i64>,
    /// The `encoding` header: how the message and names are written (UTF-8 when absent).
    pub encoding: Option<String>,
    pub message: Vec<u8>,
}

/// A name, an email and a date, as written in the commit.
#[derive(Clone, Debug, Default)]
pub(crate) struct Signature {
    pub name: Vec<u8>,
    pub email: Vec<u8>,
    /// Seconds since the Unix epoch and the UTC offset in minutes; `None` when the commit's date
    /// cannot be read.
    pub when: Option<(i64, i32)>,
}

/// Reads a commit object's bytes; `None` when it has no valid tree line (a damaged object).
pub(crate) fn parse(data: &[u8]) -> Option<RawCommit> {
    let (headers, message) = match find(data, b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &b""[..]),
    };
    let mut tree = None;
    let mut parents = Vec::new();
    let mut author = Signature::default();
    let mut committer_time = None;
    let mut encoding = None;
    for line in headers.split(|&b| b == b'\n') {
        // Continuation lines (a signature's, a merged tag's) start with a space.
        let Some(space) = line.iter().position(|&b| b == b' ') else {
            continue;
        };
        let (key, value) = (&line[..space], &line[space + 1..]);
        match key {
            b"tree" if tree.is_none() => tree = Some(oid(value)?),
            b"parent" => parents.push(oid(value)?),
            b"author" => author = signature(value),
            b"committer" => committer_time = signature(value).when.map(|(time, _)| time),
            b"encoding" => encoding = Some(String::from_utf8_lossy(value).trim().to_string()),
            _ => {}
        }
    }
    Some(RawCommit {
        tree: tree?,
        parents,
        author,
        committer_time,
        encoding,
        message: message.to_vec(),
    })
}

fn oid(hex: &[u8]) -> Option<Oid> {
    Oid::from_str(std::str::from_utf8(hex).ok()?.trim()).ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `Name <email> 1709373845 +0100`, read leniently: whatever cannot be read is left out.
fn signature(value: &[u8]) -> Signature {
    let Some(open) = value.iter().position(|&b| b == b'<') else {
        return Signature {
            name: value.trim_ascii().to_vec(),
            ..Signature::default()
        };
    };
    let close = value[open..]
        .iter()
        .rposition(|&b| b == b'>')
        .map_or(value.len(), |at| open + at);
    let name = value[..open].trim_ascii().to_vec();
    let email = value[open + 1..close].to_vec();
    let rest = std::str::from_utf8(value.get(close + 1..).unwrap_or_default()).unwrap_or("");
    let mut fields = rest.split_ascii_whitespace();
    let time = fields.next().and_then(|t| {
        t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'-')
            .then(|| t.parse::<i64>().ok())
            .flatten()
    });
    let offset = fields.next().and_then(offset_minutes);
    Signature {
        name,
        email,
        when: time.map(|time| (time, offset.unwrap_or(0))),
    }
}

/// `+0130` as 90 minutes.
fn offset_minutes(text: &str) -> Option<i32> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    Some(sign * (hours * 60 + minutes))
}

/// Text of a commit written in `encoding` (its header; UTF-8 when absent or unknown), with bytes
/// that do not decode replaced.
pub(crate) fn decode(bytes: &[u8], encoding: Option<&str>) -> String {
    let encoding = encoding
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    const PARENT: &str = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

    #[test]
    fn reads_a_commit_whose_date_is_not_a_number() {
        let text = format!(
            "tree {TREE}\nparent {PARENT}\nauthor Ada <ada@example.com> notatime +0000\ncommitter Ada <ada@example.com> 1709373845 +0100\ngpgsig -----BEGIN-----\n  more\n -----END-----\n\nSubject\n\nBody\n"
        );
        let commit = parse(text.as_bytes()).unwrap();
        assert_eq!(commit.tree.to_string(), TREE);
        assert_eq!(commit.parents.len(), 1);
        assert_eq!(commit.author.name, b"Ada");
        assert_eq!(commit.author.email, b"ada@example.com");
        assert_eq!(commit.author.when, None);
        assert_eq!(commit.committer_time, Some(1_709_373_845));
        assert_eq!(commit.message, b"Subject\n\nBody\n");
    }

    #[test]
    fn signatures_and_encodings() {
        let s = signature(b"Jos\xe9 <j@x> 100 -0530");
        assert_eq!(s.when, Some((100, -330)));
        assert_eq!(decode(&s.name, Some("ISO-8859-1")), "José");
        assert_eq!(decode("José".as_bytes(), None), "José");
        assert_eq!(decode(b"Jos\xe9", None), "Jos\u{fffd}");
        assert_eq!(signature(b"No email").name, b"No email");
        assert_eq!(signature(b"A <a@b>").when, None);
        assert!(parse(b"author A <a@b> 1 +0000\n\nno tree\n").is_none());
    }
}
