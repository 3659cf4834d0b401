//! Counters: how often each rule fired for each event and property, with the first examples.
//! A chunk of input is counted into its own [`Tally`]; tallies are merged in input order, so the
//! examples are the first ones of the input however the chunks were spread over threads.

use crate::rules::AuditRule;
use crate::spec::PropId;
use rustc_hash::FxHashMap;
use trackplan_core::Severity;

/// How many examples a finding keeps.
pub const MAX_EXAMPLES: usize = 3;
/// How many distinct findings are kept with their own name; past this, findings about names the
/// plan does not know (unplanned events and properties) are counted under [`OTHER_NAMES`], so a
/// stream of random names cannot fill the memory.
pub const MAX_FINDINGS: usize = 10_000;
/// The name that stands for the unplanned names past [`MAX_FINDINGS`].
pub const OTHER_NAMES: &str = "(other names)";
/// The longest example value kept, in characters; longer ones are cut with `…`.
pub const MAX_VALUE_CHARS: usize = 200;
/// The longest unplanned name kept, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// Which event a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventRef {
    /// A record that is not an event (`malformed-line`).
    None,
    Planned(u32),
    /// A name the plan does not have.
    Unplanned(Box<str>),
    /// Identify calls (their traits are the user's profile).
    Identify,
}

/// Which property a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PropRef {
    None,
    Planned(PropId),
    /// A super property, which is planned for every event.
    Unplanned(Box<str>),
    /// A field of the record itself (`distinct_id`, `userId`).
    Field(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub rule: AuditRule,
    pub event: EventRef,
    pub property: PropRef,
}

/// Where a finding was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The input's number (its place on the command line).
    pub input: u32,
    pub line: u64,
    /// The value as JSON text (cut at [`MAX_VALUE_CHARS`]), or why a line is malformed.
    pub value: String,
}

#[derive(Clone, Debug)]
pub struct Count {
    pub count: u64,
    pub severity: Severity,
    pub examples: Vec<Example>,
}

/// The counts of some part of the input.
#[derive(Debug, Default)]
pub struct Tally {
    /// Records of every kind, malformed ones included.
    pub records: u64,
    pub malformed: u64,
    /// Events and identify calls audited.
    pub events: u64,
    pub identify_calls: u64,
    /// Page, screen, group and alias calls, which are not audited.
    pub other_calls: u64,
    /// Events sent by a destination itself (`$identify`), which are not audited.
    pub automatic_events: u64,
    /// Events seen per planned event (by index).
    pub planned: Vec<u64>,
    /// Events seen per unplanned name.
    pub unplanned: FxHashMap<Box<str>, u64>,
    pub findings: FxHashMap<Key, Count>,
}

impl Tally {
    pub fn new(planned_events: usize) -> Tally {
        Tally {
            planned: vec![0; planned_events],
            ..Tally::default()
        }
    }

    /// Counts one occurrence; `value` is only rendered while examples are still wanted.
    pub fn add(
        &mut self,
        key: Key,
        severity: Severity,
        input: u32,
        line: u64,
        value: impl FnOnce() -> String,
    ) {
        let key = self.bounded(key);
        let count = self.findings.entry(key).or_insert_with(|| Count {
            count: 0,
            severity,
            examples: Vec::new(),
        });
        count.count += 1;
        if count.examples.len() < MAX_EXAMPLES {
            count.examples.push(Example {
                input,
                line,
                value: value(),
            });
        }
    }

    /// The key, with its unplanned names replaced by [`OTHER_NAMES`] once the table is full.
    fn bounded(&self, key: Key) -> Key {
        if self.findings.len() < MAX_FINDINGS || self.findings.contains_key(&key) {
            return key;
        }
        let Key {
            rule,
            mut event,
            mut property,
        } = key;
        if matches!(event, EventRef::Unplanned(_)) {
            event = EventRef::Unplanned(OTHER_NAMES.into());
        }
        if matches!(property, PropRef::Unplanned(_)) {
            property = PropRef::Unplanned(OTHER_NAMES.into());
        }
        Key {
            rule,
            event,
            property,
        }
    }

    pub fn count_unplanned(&mut self, name: &str) {
        if let Some(count) = self.unplanned.get_mut(name) {
            *count += 1;
            return;
        }
        let name = if self.unplanned.len() < MAX_FINDINGS {
            cut(name, MAX_NAME_CHARS)
        } else {
            OTHER_NAMES.to_string()
        };
        *self.unplanned.entry(name.into()).or_insert(0) += 1;
    }

    /// Adds a later part of the input (`later` comes after `self` in the input).
    pub fn merge(&mut self, later: Tally) {
        self.records += later.records;
        self.malformed += later.malformed;
        self.events += later.events;
        self.identify_calls += later.identify_calls;
        self.other_calls += later.other_calls;
        self.automatic_events += later.automatic_events;
        for (mine, theirs) in self.planned.iter_mut().zip(&later.planned) {
            *mine += theirs;
        }
        for (name, count) in later.unplanned {
            let name = if self.unplanned.len() < MAX_FINDINGS || self.unplanned.contains_key(&name)
            {
                name
            } else {
                OTHER_NAMES.into()
            };
            *self.unplanned.entry(name).or_insert(0) += count;
        }
        // In a stable order, so that which names go under OTHER_NAMES does not depend on hashing.
        let mut later_findings: Vec<(Key, Count)> = later.findings.into_iter().collect();
        later_findings.sort_by(|a, b| {
            first_seen(&a.1)
                .cmp(&first_seen(&b.1))
                .then_with(|| a.0.cmp(&b.0))
        });
        for (key, theirs) in later_findings {
            let key = self.bounded(key);
            match self.findings.get_mut(&key) {
                Some(mine) => {
                    mine.count += theirs.count;
                    let room = MAX_EXAMPLES - mine.examples.len();
                    mine.examples.extend(theirs.examples.into_iter().take(room));
                }
                None => {
                    self.findings.insert(key, theirs);
                }
            }
        }
    }
}

fn first_seen(count: &Count) -> (u32, u64) {
    count
        .examples
        .first()
        .map_or((u32::MAX, u64::MAX), |e| (e.input, e.line))
}

/// The first `max` characters of `text`, with `…` when it was longer.
pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
