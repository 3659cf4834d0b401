//! A property of the history reader: the changelog, which reads long histories file piece by file
//! piece, says for every commit exactly what `trackplan diff C~1 C` says, which reads whole files.
//!
//! Random histories are generated from a seed: events added, edited, removed and moved between
//! files; keys given twice (and the first copy removed later); syntax errors made and fixed;
//! characters YAML rejects in comments; comment-only and quoting-only edits; files renamed. Each
//! history is written with `git fast-import` and read back both ways. A failure names the seed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use trackplan_core::diff::{self, Change, ParseFailure};
use trackplan_core::Plan;
use trackplan_git::{ChangelogOptions, Loader, NoProgress, Outcome, PlanAt, Repo};

/// Histories generated, and commits in each.
const HISTORIES: u64 = 40;
const COMMITS: usize = 14;

/// A small deterministic generator (SplitMix64), so that a failing seed can be run again.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One entry of a collection section: its key as written and its body lines (already indented).
#[derive(Clone, Debug)]
struct Item {
    name: String,
    /// How the key is written: plain, `"double"` or `'single'` quotes.
    quoting: u8,
    body: Vec<String>,
    /// Comment lines written after the entry.
    comments: Vec<String>,
}

impl Item {
    fn key(&self) -> String {
        match self.quoting {
            1 => format!("\"{}\"", self.name),
            2 => format!("'{}'", self.name.replace('\'', "''")),
            _ => self.name.clone(),
        }
    }
}

/// A plan file other than the root: leading comments, then sections of entries.
#[derive(Clone, Debug, Default)]
struct File {
    leading: Vec<String>,
    /// Section key, the comment after it, and its entries.
    sections: Vec<(String, String, Vec<Item>)>,
    /// Lines that break the YAML, inserted after the first line of the first entry.
    broken: Option<String>,
}

impl File {
    fn render(&self) -> Vec<u8> {
        let mut out = String::new();
        for line in &self.leading {
            out.push_str(line);
            out.push('\n');
        }
        for (key, comment, items) in &self.sections {
            out.push_str(key);
            out.push(':');
            if !comment.is_empty() {
                out.push_str(" # ");
                out.push_str(comment);
            }
            out.push('\n');
            for (i, item) in items.iter().enumerate() {
                out.push_str(&format!("  {}:\n", item.key()));
                if i == 0 {
                    if let Some(broken) = &self.broken {
                        out.push_str(broken);
                        out.push('\n');
                    }
                }
                for line in &item.body {
                    out.push_str(line);
                    out.push('\n');
                }
                for comment in &item.comments {
                    out.push_str(comment);
                    out.push('\n');
                }
            }
        }
        out.into_bytes()
    }

    fn items_mut(&mut self, section: &str) -> Option<&mut Vec<Item>> {
        self.sections
            .iter_mut()
            .find(|(key, _, _)| key == section)
            .map(|(_, _, items)| items)
    }
}

const ROOT: &str = "trackplan: 1\nname: Random\ngoals:\n  g: {name: G}\nkpis:\n  k1: {name: K1, goal: g}\n  k2: {name: K2, goal: g}\nproperties:\n  p1: {type: string, description: P1}\n  p2: {type: number, description: P2}\n";

const PLATFORMS: [&str; 3] = ["web", "ios", "android"];
const STATUSES: [&str; 3] = ["planned", "implemented", "deprecated"];
const BROKEN: [&str; 6] = [
    "    platforms: [web,",
    "   description: misindented",
    "  - a list item where a key belongs",
    "    description: \"unclosed",
    "\tstatus: planned",
    "    note: a NUL \u{0} in a value",
];
const COMMENTS: [&str; 7] = [
    "# a comment",
    "  # an indented comment",
    "# a comment with a NUL \u{0} byte",
    "# a comment with an escape \u{1b}[31m and a bell \u{7}",
    "# é, 日本, 😀",
    "",
    "# events:",
];

fn event_body(random: &mut Random) -> Vec<String> {
    let mut body = Vec::new();
    if random.chance(70) {
        body.push(format!("    description: Event {}.", random.below(5)));
    }
    body.push(format!("    status: {}", random.pick(&STATUSES)));
    let platforms: Vec<&str> = PLATFORMS
        .iter()
        .copied()
        .filter(|_| random.chance(50))
        .collect();
    body.push(format!("    platforms: [{}]", platforms.join(", ")));
    if random.chance(50) {
        body.push("    properties:".into());
        body.push(format!(
            "      p1: {}",
            if random.chance(50) {
                "required"
            } else {
                "optional"
            }
        ));
        if random.chance(50) {
            body.push("      own: {type: boolean}".into());
        }
    }
    if random.chance(30) {
        body.push(format!("    kpis: [{}]", random.pick(&["k1", "k2"])));
    }
    body
}

fn flow_body(random: &mut Random, events: &[String]) -> Vec<String> {
    let mut body = vec![format!("    name: Flow {}", random.below(3))];
    let steps: Vec<String> = (0..random.below(4))
        .map(|_| {
            if events.is_empty() || random.chance(10) {
                "Missing Step".to_string()
            } else {
                random.pick(events).clone()
            }
        })
        .collect();
    body.push(format!("    steps: [{}]", steps.join(", ")));
    if random.chance(60) {
        body.push(format!(
            "    kpis: [{}]",
            random.pick(&["k1", "k2", "k1, k2"])
        ));
    }
    body
}

/// The events section of a file (every file `History::event_file` picks has one).
fn events_of<'a>(files: &'a mut BTreeMap<String, File>, path: &str) -> &'a mut Vec<Item> {
    files
        .get_mut(path)
        .and_then(|f| f.items_mut("events"))
        .expect("a file with events")
}

struct History {
    random: Random,
    /// Plan files other than the root, by path.
    files: BTreeMap<String, File>,
    next_event: usize,
}

impl History {
    fn new(seed: u64) -> History {
        let mut history = History {
            random: Random(seed),
            files: BTreeMap::new(),
            next_event: 0,
        };
        for path in ["events/shop.yaml", "events/account.yaml"] {
            let mut file = File::default();
            let items = (0..3).map(|_| history.new_event()).collect();
            file.sections.push(("events".into(), String::new(), items));
            history.files.insert(path.into(), file);
        }
        let events = history.event_names();
        let mut flows = File::default();
        let items = (0..2)
            .map(|i| Item {
                name: format!("flow-{i}"),
                quoting: 0,
                body: flow_body(&mut history.random, &events),
                comments: Vec::new(),
            })
            .collect();
        flows.sections.push(("flows".into(), String::new(), items));
        history.files.insert("flows.yaml".into(), flows);
        history
    }

    fn new_event(&mut self) -> Item {
        self.next_event += 1;
        Item {
            name: format!("Event {}", self.next_event),
            quoting: 0,
            body: event_body(&mut self.random),
            comments: Vec::new(),
        }
    }

    fn event_names(&self) -> Vec<String> {
        self.files
            .values()
            .flat_map(|f| f.sections.iter())
            .filter(|(key, _, _)| key == "events")
            .flat_map(|(_, _, items)| items.iter().map(|i| i.name.clone()))
            .collect()
    }

    fn event_file(&mut self) -> String {
        let paths: Vec<String> = self
            .files
            .iter()
            .filter(|(_, f)| f.sections.iter().any(|(k, _, _)| k == "events"))
            .map(|(p, _)| p.clone())
            .collect();
        self.random.pick(&paths).clone()
    }

    /// One random change to the plan's files; returns what it did.
    fn mutate(&mut self) -> String {
        let path = self.event_file();
        match self.random.below(13) {
            0 => {
                let item = self.new_event();
                let items = events_of(&mut self.files, &path);
                let at = self.random.below(items.len() + 1);
                items.insert(at, item);
                format!("add an event to {path}")
            }
            1 => {
                let items = events_of(&mut self.files, &path);
                if items.len() > 1 {
                    let at = self.random.below(items.len());
                    items.remove(at);
                }
                format!("remove an event from {path}")
            }
            2 | 3 => {
                let body = event_body(&mut self.random);
                let items = events_of(&mut self.files, &path);
                let at = self.random.below(items.len());
                items[at].body = body;
                format!("edit an event of {path}")
            }
            4 => {
                // Move an event to another file (a new one sometimes).
                let items = events_of(&mut self.files, &path);
                if items.len() < 2 {
                    return "nothing to move".into();
                }
                let at = self.random.below(items.len());
                let item = items.remove(at);
                let target = if self.random.chance(30) {
                    format!("events/more-{}.yaml", self.random.below(3))
                } else {
                    self.event_file()
                };
                let file = self.files.entry(target.clone()).or_default();
                match file.items_mut("events") {
                    Some(items) => items.push(item),
                    None => file
                        .sections
                        .push(("events".into(), String::new(), vec![item])),
                }
                format!("move an event from {path} to {target}")
            }
            5 => {
                // The same key twice in a section; the whole file reads the first.
                let body = event_body(&mut self.random);
                let items = events_of(&mut self.files, &path);
                let at = self.random.below(items.len());
                let mut copy = items[at].clone();
                copy.body = body;
                copy.quoting = (self.random.next() % 3) as u8;
                let to = self.random.below(items.len() + 1);
                items.insert(to, copy);
                format!("give a key twice in {path}")
            }
            6 => {
                let file = self.files.get_mut(&path).unwrap();
                if file.broken.is_some() {
                    file.broken = None;
                    format!("fix the syntax of {path}")
                } else {
                    file.broken = Some(self.random.pick(&BROKEN).to_string());
                    format!("break the syntax of {path}")
                }
            }
            7 | 8 => {
                // Comments only: leading, after a section key, or after an entry.
                let comment = self.random.pick(&COMMENTS).to_string();
                let place = self.random.below(3);
                let file = self.files.get_mut(&path).unwrap();
                match place {
                    0 => {
                        if file.leading.is_empty() || self.random.chance(50) {
                            file.leading.push(comment);
                        } else {
                            file.leading.clear();
                        }
                    }
                    1 => {
                        let text = comment.trim_start_matches([' ', '#']).to_string();
                        file.sections[0].1 = text;
                    }
                    _ => {
                        let items = file.items_mut("events").unwrap();
                        let at = self.random.below(items.len());
                        if items[at].comments.is_empty() {
                            items[at].comments.push(comment);
                        } else {
                            items[at].comments.clear();
                        }
                    }
                }
                format!("change comments in {path}")
            }
            9 => {
                let quoting = (self.random.next() % 3) as u8;
                let items = events_of(&mut self.files, &path);
                let at = self.random.below(items.len());
                items[at].quoting = quoting;
                format!("quote a key differently in {path}")
            }
            10 => {
                let items = events_of(&mut self.files, &path);
                items.reverse();
                format!("reorder the events of {path}")
            }
            11 => {
                let file = self.files.remove(&path).unwrap();
                let target = format!("events/renamed-{}.yaml", self.random.below(5));
                let merged = self.files.entry(target.clone()).or_default();
                for (key, comment, items) in file.sections {
                    match merged.items_mut(&key) {
                        Some(existing) => existing.extend(items),
                        None => merged.sections.push((key, comment, items)),
                    }
                }
                merged.leading.extend(file.leading);
                format!("move {path} to {target}")
            }
            _ => {
                let events = self.event_names();
                let body = flow_body(&mut self.random, &events);
                let flows = self.files.get_mut("flows.yaml").unwrap();
                let items = flows.items_mut("flows").unwrap();
                if self.random.chance(30) {
                    let mut copy = items[0].clone();
                    copy.body = body;
                    items.push(copy);
                    "give a flow twice".into()
                } else {
                    let at = self.random.below(items.len());
                    items[at].body = body;
                    "edit a flow".into()
                }
            }
        }
    }

    /// Every file of the plan at this point.
    fn snapshot(&self) -> Snapshot {
        let mut files = vec![("trackplan.yaml".to_string(), ROOT.as_bytes().to_vec())];
        files.extend(self.files.iter().map(|(p, f)| (p.clone(), f.render())));
        files
    }
}

/// Writes commits (each a full snapshot of the files) with `git fast-import`.
/// The files of a commit: path and bytes.
type Snapshot = Vec<(String, Vec<u8>)>;

fn import(dir: &Path, commits: &[(String, Snapshot)]) {
    let git = |args: &[&str]| {
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
        command
    };
    let status = git(&["init", "-q", "-b", "main"]).status().unwrap();
    assert!(status.success());
    let mut stream = Vec::new();
    for (i, (message, files)) in commits.iter().enumerate() {
        let time = 1_700_000_000 + i as u64 * 86_400;
        writeln!(stream, "commit refs/heads/main").unwrap();
        writeln!(stream, "mark :{}", i + 1).unwrap();
        writeln!(stream, "author Ada <ada@example.com> {time} +0000").unwrap();
        writeln!(stream, "committer Ada <ada@example.com> {time} +0000").unwrap();
        writeln!(stream, "data {}\n{message}", message.len()).unwrap();
        if i > 0 {
            writeln!(stream, "from :{i}").unwrap();
        }
        writeln!(stream, "deleteall").unwrap();
        for (path, bytes) in files {
            writeln!(stream, "M 100644 inline {path}\ndata {}", bytes.len()).unwrap();
            stream.extend_from_slice(bytes);
            writeln!(stream).unwrap();
        }
    }
    let mut child = git(&["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&stream).unwrap();
    assert!(child.wait().unwrap().success());
}

/// The commits of `main`, oldest first.
fn commit_ids(dir: &Path) -> Vec<String> {
    let output = Command::new("git")
        .args(["rev-list", "--reverse", "main"])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The plan at a commit, read whole (as `trackplan diff` reads it).
fn whole(repo: &Repo, id: &str) -> Plan {
    let id = repo.resolve(id).unwrap().id;
    match repo.plan_at(id, "", &mut Loader::new()).unwrap() {
        PlanAt::Plan(plan) => plan,
        PlanAt::Absent => Plan::default(),
    }
}

/// A change list as data, without the spans (which point into pieces on one side).
fn comparable(changes: &[Change]) -> serde_json::Value {
    serde_json::to_value(changes).unwrap()
}

/// What the changelog must say about commit `i` (`None`: no entry).
#[derive(Debug, PartialEq)]
enum Expected {
    Changed {
        changes: serde_json::Value,
        compared_with: Option<String>,
    },
    Created(serde_json::Value),
    Unreadable(ParseFailure),
}

fn expected(repo: &Repo, ids: &[String], i: usize) -> Option<Expected> {
    let new = whole(repo, &ids[i]);
    if let Some(failure) = diff::parse_failure(&new) {
        return Some(Expected::Unreadable(failure));
    }
    // The nearest earlier commit whose plan parses: `diff C~1 C` when it is the parent.
    let base = (0..i)
        .rev()
        .map(|j| (j, whole(repo, &ids[j])))
        .find(|(_, plan)| diff::parse_failure(plan).is_none());
    match base {
        None => Some(Expected::Created(comparable(&diff::diff(
            &Plan::default(),
            &new,
        )))),
        Some((j, old)) => {
            let changes = diff::diff(&old, &new);
            if changes.is_empty() {
                return None;
            }
            let compared_with =
                (j + 1 != i).then(|| repo.commit_info(oid(repo, &ids[j])).unwrap().short_id);
            Some(Expected::Changed {
                changes: comparable(&changes),
                compared_with,
            })
        }
    }
}

fn oid(repo: &Repo, id: &str) -> git2::Oid {
    repo.resolve(id).unwrap().id
}

fn said(outcome: &Outcome) -> Expected {
    match outcome {
        Outcome::Changed {
            changes,
            compared_with,
        } => Expected::Changed {
            changes: comparable(changes),
            compared_with: compared_with.clone(),
        },
        Outcome::Created { changes } => Expected::Created(comparable(changes)),
        Outcome::Unreadable(failure) => Expected::Unreadable(failure.clone()),
        other => panic!("unexpected outcome {other:?}"),
    }
}

#[test]
fn every_changelog_entry_says_what_diff_says_for_its_commit() {
    for seed in 0..HISTORIES {
        let mut history = History::new(seed);
        let mut commits = vec![("start".to_string(), history.snapshot())];
        for _ in 1..COMMITS {
            let steps = 1 + history.random.below(3);
            let message: Vec<String> = (0..steps).map(|_| history.mutate()).collect();
            commits.push((message.join("; "), history.snapshot()));
        }
        let dir = tempfile::tempdir().unwrap();
        import(dir.path(), &commits);
        let repo = Repo::open(dir.path()).unwrap();
        let ids = commit_ids(dir.path());
        assert_eq!(ids.len(), COMMITS);
        let options = ChangelogOptions {
            plan_dir: String::new(),
            ..ChangelogOptions::default()
        };
        let log = repo.changelog(&options, &NoProgress).unwrap();
        for (i, id) in ids.iter().enumerate() {
            let entry = log.entries.iter().find(|e| &e.commit.id == id);
            // A commit that changes no file of the plan is no entry, whatever the plan says.
            let touched = i == 0 || commits[i].1 != commits[i - 1].1;
            let expected = if touched {
                expected(&repo, &ids, i)
            } else {
                None
            };
            let got = entry.map(|e| said(&e.outcome));
            if got != expected {
                let files: Vec<String> = commits[i]
                    .1
                    .iter()
                    .map(|(p, b)| format!("--- {p}\n{}", String::from_utf8_lossy(b)))
                    .collect();
                panic!(
                    "seed {seed}, commit {i} ({}): the changelog says\n{got:#?}\nwhere diff says\n{expected:#?}\nfiles:\n{}",
                    commits[i].0,
                    files.join("\n")
                );
            }
        }
    }
}
