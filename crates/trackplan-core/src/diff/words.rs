//! Word-level differences between two versions of a text (a description, notes): the words
//! removed and added, with a few unchanged words around each change and the rest left out, so that
//! a change at the end of a long text is as visible as one at its start.

/// A part of a word diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Words both versions have.
    Same(String),
    /// Words only the old version has.
    Removed(String),
    /// Words only the new version has.
    Added(String),
    /// Unchanged words left out.
    Elided,
}

/// Above this many word pairs, the middle of two texts (what differs once their common start and
/// end are set aside) is shown as removed and added whole rather than compared word by word.
const MAX_CELLS: usize = 4_000_000;

/// The words of `old` and `new` compared, with `context` unchanged words kept on each side of a
/// change. White space is not compared: words are separated by single spaces in the pieces.
pub fn word_diff(old: &str, new: &str, context: usize) -> Vec<Piece> {
    let old: Vec<&str> = old.split_whitespace().collect();
    let new: Vec<&str> = new.split_whitespace().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut ops: Vec<Op> = vec![Op::Same; prefix];
    ops.extend(middle(old_mid, new_mid));
    ops.extend(std::iter::repeat_n(Op::Same, suffix));
    pieces(&old, &new, &ops, context)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// The edit of the differing middle: a longest common subsequence of words.
fn middle(old: &[&str], new: &[&str]) -> Vec<Op> {
    let (n, m) = (old.len(), new.len());
    if n.saturating_mul(m) > MAX_CELLS {
        let mut ops = vec![Op::Removed; n];
        ops.extend(std::iter::repeat_n(Op::Added, m));
        return ops;
    }
    // lcs[i][j]: the longest common subsequence of old[i..] and new[j..].
    let width = m + 1;
    let mut lcs = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * width + j] = if old[i] == new[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            ops.push(Op::Same);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j]) {
            ops.push(Op::Added);
            j += 1;
        } else {
            ops.push(Op::Removed);
            i += 1;
        }
    }
    // Removed words before added ones within each change, so that it reads "was ... now ...".
    let mut start = 0;
    while start < ops.len() {
        if ops[start] == Op::Same {
            start += 1;
            continue;
        }
        let end = ops[start..]
            .iter()
            .position(|op| *op == Op::Same)
            .map_or(ops.len(), |p| start + p);
        ops[start..end].sort_by_key(|op| *op == Op::Added);
        start = end;
    }
    ops
}

/// The operations as pieces: runs of words of one kind, unchanged runs cut to `context` words on
/// each side of a change.
fn pieces(old: &[&str], new: &[&str], ops: &[Op], context: usize) -> Vec<Piece> {
    let (mut i, mut j) = (0, 0);
    let mut words: Vec<(Op, &str)> = Vec::with_capacity(ops.len());
    for op in ops {
        match op {
            Op::Same => {
                words.push((Op::Same, old[i]));
                i += 1;
                j += 1;
            }
            Op::Removed => {
                words.push((Op::Removed, old[i]));
                i += 1;
            }
            Op::Added => {
                words.push((Op::Added, new[j]));
                j += 1;
            }
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let op = words[start].0;
        let end = words[start..]
            .iter()
            .position(|(o, _)| *o != op)
            .map_or(words.len(), |p| start + p);
        let run: Vec<&str> = words[start..end].iter().map(|(_, w)| *w).collect();
        match op {
            Op::Removed => out.push(Piece::Removed(run.join(" "))),
            Op::Added => out.push(Piece::Added(run.join(" "))),
            Op::Same => same_run(&mut out, &run, start == 0, end == words.len(), context),
        }
        start = end;
    }
    out
}

/// An unchanged run: kept whole when short, else its ends next to changes and `…` between.
fn same_run(out: &mut Vec<Piece>, run: &[&str], first: bool, last: bool, context: usize) {
    let keep_head = if first { 0 } else { context };
    let keep_tail = if last { 0 } else { context };
    if (first && last) || run.len() <= keep_head + keep_tail + 1 {
        out.push(Piece::Same(run.join(" ")));
        return;
    }
    if keep_head > 0 {
        out.push(Piece::Same(run[..keep_head].join(" ")));
    }
    out.push(Piece::Elided);
    if keep_tail > 0 {
        out.push(Piece::Same(run[run.len() - keep_tail..].join(" ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[-removed-]{+added+}`, `…` for what is left out.
    fn show(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Same(t) => t.clone(),
                Piece::Removed(t) => format!("[-{t}-]"),
                Piece::Added(t) => format!("{{+{t}+}}"),
                Piece::Elided => "…".to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_change_at_the_end_of_a_long_text_is_shown() {
        let old = "Fired when the subscription is renewed by the billing provider after the trial. Expires: 112";
        let new = "Fired when the subscription is renewed by the billing provider after the trial. Expires: 118";
        assert_eq!(
            show(&word_diff(old, new, 3)),
            "… the trial. Expires: [-112-] {+118+}"
        );
    }

    #[test]
    fn changes_keep_context_on_each_side() {
        let old = "one two three four five six seven eight nine ten eleven twelve";
        let new = "one two three four five SIX seven eight nine ten eleven twelve";
        assert_eq!(
            show(&word_diff(old, new, 2)),
            "… four five [-six-] {+SIX+} seven eight …"
        );
        assert_eq!(
            show(&word_diff("a b c", "a x c d", 3)),
            "a [-b-] {+x+} c {+d+}"
        );
        assert_eq!(
            show(&word_diff("same words", "same  words", 3)),
            "same words"
        );
        assert_eq!(show(&word_diff("", "new text", 3)), "{+new text+}");
    }

    #[test]
    fn huge_texts_are_replaced_whole_in_the_middle() {
        let old: String = (0..3000).map(|i| format!("w{i} ")).collect();
        let new: String = (0..3000).map(|i| format!("v{i} ")).collect();
        let pieces = word_diff(&old, &new, 3);
        assert!(matches!(
            pieces.as_slice(),
            [Piece::Removed(_), Piece::Added(_)]
        ));
    }
}
