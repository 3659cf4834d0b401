//! Baselines: the findings a team accepts when it adopts trackplan on an existing plan, so that
//! `check` and the editor report only what is new (`trackplan check --write-baseline FILE`, then
//! `--baseline FILE` or `baseline: FILE` in `trackplan.yaml`).
//!
//! A finding is remembered by what it is about, never by where it is: its rule, the path of keys
//! that leads to it (`events › Order Completed › properties › price`, the same in any file of the
//! plan) and its message. Moving an entity to another file or line keeps it matched. A message that
//! names two entities names them in the order they were read; for matching, the names quoted in a
//! message are taken in sorted order, and so are the paths of the places a finding points to
//! (`similar-names` reports whichever of two names comes second), so the order of files and
//! entities never matters. The file is JSON, written sorted, so that it diffs well in review.

use crate::diagnostic::Diagnostic;
use crate::model::{ParsedFile, Plan};
use crate::span::{FileId, Span};
use crate::syntax::{self, Node, NodeKind, SyntaxTree};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// The version of the file layout.
const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    /// The keys from the top of the file down to the finding.
    pub path: Vec<String>,
    /// The paths of the other places the finding points to (the first definition of a duplicate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Vec<String>>,
    pub message: String,
}

/// What an entry is matched by: its rule, its paths in sorted order, its message's key.
type Key = (String, Vec<Vec<String>>, String);

impl Entry {
    fn key(&self) -> Key {
        let mut paths: Vec<Vec<String>> = std::iter::once(self.path.clone())
            .chain(self.related.iter().cloned())
            .collect();
        paths.sort();
        paths.dedup();
        (self.rule.clone(), paths, message_key(&self.message))
    }

    /// `events › Order Completed › properties`: the path for people.
    pub fn place(&self) -> String {
        if self.path.is_empty() {
            "the plan".to_string()
        } else {
            self.path.join(" › ")
        }
    }
}

/// The message with its `quoted` names in sorted order: the same for "`A` ... `B`" and
/// "`B` ... `A`".
fn message_key(message: &str) -> String {
    let mut template = String::new();
    let mut names: Vec<&str> = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`') else {
            break;
        };
        template.push_str(&rest[..open]);
        template.push_str("`{}`");
        names.push(&rest[open + 1..open + 1 + close]);
        rest = &rest[open + close + 2..];
    }
    template.push_str(rest);
    names.sort_unstable();
    let mut key = template;
    for name in names {
        key.push('\u{1f}');
        key.push_str(name);
    }
    key
}

/// A baseline file's content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// What a baseline file could not be read for.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("not a baseline file: {0}")]
    Json(#[from] serde_json::Error),
    #[error("baseline version {0} is newer than this trackplan reads (1)")]
    Version(u32),
}

/// The findings of a check seen against a baseline.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings the baseline does not hold: what to report.
    pub new: Vec<Diagnostic>,
    /// How many findings the baseline held.
    pub known: usize,
    /// Entries of the baseline that no longer occur (fixed, or changed beyond recognition).
    pub gone: Vec<Entry>,
}

impl Baseline {
    /// The baseline of a check's findings.
    pub fn of(plan: &Plan, diagnostics: &[Diagnostic]) -> Baseline {
        let mut paths = Paths::new(plan);
        let mut entries: Vec<Entry> = diagnostics.iter().map(|d| paths.entry(d)).collect();
        entries.sort();
        Baseline {
            version: VERSION,
            entries,
        }
    }

    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        let baseline: Baseline = serde_json::from_str(text)?;
        if baseline.version > VERSION {
            return Err(BaselineError::Version(baseline.version));
        }
        Ok(baseline)
    }

    /// The file's text: one entry per line, sorted, so that a review shows each finding fixed or
    /// accepted as one line.
    pub fn to_json(&self) -> String {
        let entries: Vec<String> = self
            .entries
            .iter()
            .map(|e| {
                format!(
                    "    {}",
                    serde_json::to_string(e).expect("an entry serializes")
                )
            })
            .collect();
        let list = if entries.is_empty() {
            "[]".to_string()
        } else {
            format!("[\n{}\n  ]", entries.join(",\n"))
        };
        format!(
            "{{\n  \"version\": {},\n  \"entries\": {list}\n}}\n",
            self.version
        )
    }

    /// Splits a check's findings into those the baseline holds and new ones, and lists the
    /// entries that no longer occur. Each entry stands for one finding: two equal findings need
    /// two entries.
    pub fn apply(&self, plan: &Plan, diagnostics: Vec<Diagnostic>) -> Applied {
        let mut remaining: HashMap<Key, Vec<&Entry>> = HashMap::default();
        for entry in &self.entries {
            remaining.entry(entry.key()).or_default().push(entry);
        }
        let mut paths = Paths::new(plan);
        let mut applied = Applied::default();
        for diagnostic in diagnostics {
            let key = paths.entry(&diagnostic).key();
            match remaining.get_mut(&key).and_then(Vec::pop) {
                Some(_) => applied.known += 1,
                None => applied.new.push(diagnostic),
            }
        }
        applied.gone = remaining.into_values().flatten().cloned().collect();
        applied.gone.sort();
        applied
    }
}

/// The paths of keys of spans in a plan's files, reading each file's tree again when it was
/// dropped.
struct Paths<'p> {
    plan: &'p Plan,
    parsed: HashMap<FileId, SyntaxTree>,
}

impl<'p> Paths<'p> {
    fn new(plan: &'p Plan) -> Paths<'p> {
        Paths {
            plan,
            parsed: HashMap::default(),
        }
    }

    fn entry(&mut self, diagnostic: &Diagnostic) -> Entry {
        Entry {
            rule: diagnostic.rule.as_str().to_string(),
            path: self.path(diagnostic.span),
            related: diagnostic
                .related
                .iter()
                .map(|r| self.path(r.span))
                .collect(),
            message: diagnostic.message.clone(),
        }
    }

    /// The keys of the mappings that hold `span`, from the top of its file down to the deepest
    /// one (not into lists: a list item's position is no identity). An empty span stands for the
    /// whole plan (findings at the top of the root file).
    fn path(&mut self, span: Span) -> Vec<String> {
        if span.start == span.end {
            return Vec::new();
        }
        let Some(file) = self.plan.file(span.file) else {
            return Vec::new();
        };
        match &tree_of(file, &mut self.parsed).root {
            Some(root) => path_in(root, span),
            None => Vec::new(),
        }
    }
}

fn tree_of<'a>(
    file: &'a ParsedFile,
    parsed: &'a mut HashMap<FileId, SyntaxTree>,
) -> &'a SyntaxTree {
    match &file.tree {
        Some(tree) => tree,
        None => parsed
            .entry(file.id())
            .or_insert_with(|| syntax::parse(file.id(), &file.source.text)),
    }
}

fn path_in(root: &Node, span: Span) -> Vec<String> {
    let mut path = Vec::new();
    let mut node = root;
    while let NodeKind::Mapping(entries) = &node.kind {
        let Some(entry) = entries.iter().find(|e| e.span().contains_span(span)) else {
            break;
        };
        path.push(entry.key_str().unwrap_or_default().to_string());
        node = &entry.value;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::message_key;

    #[test]
    fn message_keys_ignore_the_order_of_names() {
        assert_eq!(
            message_key("event `Signup` is easily confused with `Sign Up`"),
            message_key("event `Sign Up` is easily confused with `Signup`")
        );
        assert_ne!(
            message_key("event `Signup` has no owner"),
            message_key("event `Signup` has no description")
        );
        assert_eq!(message_key("no quotes here"), "no quotes here");
        assert_eq!(message_key("an `unclosed quote"), "an `unclosed quote");
    }
}
