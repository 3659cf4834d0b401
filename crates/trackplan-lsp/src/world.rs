//! What the server knows: open documents, the plans of the workspace with their files, and the
//! analysis of each plan.
//!
//! Each file of a plan keeps its [`ParsedFile`] until its text changes, so a keystroke re-parses only
//! the edited file; an open file is read in pieces (one per entry of its sections, see
//! `trackplan_core::pieces`), so a keystroke in a large one-file plan re-parses only the entries it
//! touched. The plan-wide analysis (`Plan::new`, `Symbols`, `check`) then runs on the cached parts. Every change bumps the plan's generation; an analysis made for an older generation is not
//! published (stale results are dropped) but stays usable as the last model for completion.

use crate::discover::{self, Stamp};
use crate::document::Document;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tower_lsp::lsp_types::Url;
use trackplan_core::pieces::PieceReader;
use trackplan_core::syntax::SyntaxTree;
use trackplan_core::{ColumnUnit, Content, Diagnostic, FileId, ParsedFile, Plan, Symbols};

/// Locks a mutex, ignoring poisoning: a panic in one request must not take the server down.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Settings from the client.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where rule pages live: `{rule}` is replaced by the rule's name, or the name is appended.
    pub docs_base_url: Option<String>,
}

impl Config {
    pub fn rule_url(&self, rule: &str) -> Option<Url> {
        let base = self.docs_base_url.as_deref()?.trim();
        if base.is_empty() {
            return None;
        }
        let url = if base.contains("{rule}") {
            base.replace("{rule}", rule)
        } else if base.ends_with('/') || base.ends_with('#') {
            format!("{base}{rule}")
        } else {
            format!("{base}/{rule}")
        };
        Url::parse(&url).ok()
    }

    /// Reads `docsBaseUrl` from initialization options or `{"trackplan": {...}}` settings.
    pub fn update(&mut self, value: &serde_json::Value) {
        let value = value.get("trackplan").unwrap_or(value);
        if let Some(url) = value.get("docsBaseUrl") {
            self.docs_base_url = url.as_str().map(str::to_string);
        }
    }
}

/// One file of a plan.
struct Slot {
    id: FileId,
    content: Content,
    /// The document version while the client has the file open.
    open_version: Option<i32>,
    /// The URI the client uses for the file, when it has told us one.
    uri: Url,
    /// The file read with the current content (None: to be parsed).
    parsed: Option<Arc<ParsedFile>>,
    /// The file on disk when last read.
    stamp: Option<Stamp>,
    /// While the file is open: its pieces, kept from one read of its text to the next. Taken out
    /// while an analysis reads the file (analyses of a plan run one at a time).
    pieces: Option<PieceReader>,
}

/// A plan folder and its files.
pub struct PlanState {
    pub root: PathBuf,
    slots: BTreeMap<String, Slot>,
    next_id: u32,
    pub generation: u64,
    current: Option<Arc<Analysis>>,
    last_good: Option<Arc<Analysis>>,
    compute: Arc<Mutex<()>>,
    /// What was last published for each URI: the version and a hash of the diagnostics.
    pub published: HashMap<Url, (Option<i32>, u64)>,
    /// The plan's `trackplan.yaml` is gone: its files belong to no plan (or to an enclosing one).
    removed: bool,
}

/// One plan seen together at one generation.
pub struct Analysis {
    pub plan_index: usize,
    pub generation: u64,
    pub root: PathBuf,
    pub plan: Plan,
    uris: HashMap<FileId, Url>,
    versions: HashMap<FileId, Option<i32>>,
    symbols: OnceLock<Symbols>,
    diagnostics: OnceLock<Vec<Diagnostic>>,
    /// Syntax trees read again for requests, kept while this analysis is the current one.
    trees: Mutex<HashMap<FileId, Arc<SyntaxTree>>>,
}

impl Analysis {
    /// The syntax tree of one of the plan's files (read again on first use).
    pub fn tree(&self, file: &ParsedFile) -> Arc<SyntaxTree> {
        if let Some(tree) = lock(&self.trees).get(&file.id()) {
            return tree.clone();
        }
        let tree = Arc::new(trackplan_core::syntax::parse(file.id(), &file.source.text));
        lock(&self.trees).insert(file.id(), tree.clone());
        tree
    }

    pub fn symbols(&self) -> &Symbols {
        self.symbols.get_or_init(|| Symbols::new(&self.plan))
    }

    /// Exactly what `trackplan check` reports for the plan (less its baseline's findings).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.diagnostics.get_or_init(|| {
            let started = std::time::Instant::now();
            let options = trackplan_core::CheckOptions {
                today: Some(trackplan_core::Date::of(std::time::SystemTime::now())),
            };
            let diagnostics = trackplan_core::check_with(&self.plan, &options);
            let diagnostics = crate::baseline::apply(&self.root, &self.plan, diagnostics);
            tracing::debug!(
                "check: {} finding(s) in {:?}",
                diagnostics.len(),
                started.elapsed()
            );
            diagnostics
        })
    }

    pub fn uri(&self, file: FileId) -> Option<&Url> {
        self.uris.get(&file)
    }

    pub fn version(&self, file: FileId) -> Option<i32> {
        self.versions.get(&file).copied().flatten()
    }

    /// Whether every file parsed without a YAML syntax error.
    fn is_good(&self) -> bool {
        self.plan.files.iter().all(|f| {
            !f.syntax_issues
                .iter()
                .any(|i| matches!(i, trackplan_core::syntax::SyntaxIssue::Error { .. }))
        })
    }
}

/// Everything behind one lock; the analysis itself runs outside it.
#[derive(Default)]
pub struct State {
    pub unit: Option<ColumnUnit>,
    pub docs: HashMap<Url, Document>,
    pub plans: Vec<PlanState>,
    pub config: Config,
    pub folders: Vec<PathBuf>,
    /// How the client takes diagnostics (said at `initialize`).
    pub pull: Pull,
}

/// Whether the client pulls diagnostics (`textDocument/diagnostic`) instead of taking them pushed,
/// and whether it can be asked to pull again (`workspace/diagnostic/refresh`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pull {
    pub pulls: bool,
    pub refresh: bool,
}

impl State {
    pub fn unit(&self) -> ColumnUnit {
        self.unit.unwrap_or(ColumnUnit::Utf16)
    }
}

/// The shared state of the server.
#[derive(Default)]
pub struct World {
    pub state: Mutex<State>,
}

pub fn path_of(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    let path = uri.to_file_path().ok()?;
    // Resolve symlinked folders (a temp dir, say) the same way plan roots are resolved.
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => Some(discover::normalize(parent).join(name)),
        _ => Some(path),
    }
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

impl State {
    /// The plan a path belongs to, with the path relative to the plan folder (the innermost plan
    /// wins; a path in no plan gives `None`).
    pub fn locate(&self, path: &Path) -> Option<(usize, String)> {
        let mut best: Option<(usize, String, usize)> = None;
        for (i, plan) in self.plans.iter().enumerate() {
            if !plan.removed && path.starts_with(&plan.root) {
                let depth = plan.root.components().count();
                let relative = discover::relative_path(&plan.root, path);
                if discover::belongs(&plan.root, &relative)
                    && best.as_ref().is_none_or(|(_, _, d)| depth > *d)
                {
                    best = Some((i, relative, depth));
                }
            }
        }
        best.map(|(i, r, _)| (i, r))
    }

    pub fn locate_uri(&self, uri: &Url) -> Option<(usize, String)> {
        self.locate(&path_of(uri)?)
    }

    /// Adds a plan folder (once) and reads its files from disk; returns its index.
    pub fn add_plan(&mut self, root: PathBuf) -> usize {
        if let Some(i) = self.plans.iter().position(|p| p.root == root) {
            if self.plans[i].removed {
                self.plans[i].removed = false;
                self.refresh_from_disk(i);
            }
            return i;
        }
        let mut plan = PlanState {
            root,
            slots: BTreeMap::new(),
            next_id: 0,
            generation: 1,
            current: None,
            last_good: None,
            compute: Arc::new(Mutex::new(())),
            published: HashMap::new(),
            removed: false,
        };
        for relative in discover::plan_file_paths(&plan.root) {
            let path = plan.root.join(&relative);
            let stamp = discover::stamp(&path);
            let Some(text) = discover::read(&path) else {
                continue;
            };
            let uri = Url::from_file_path(&path).unwrap_or_else(|_| fallback_uri());
            plan.insert_slot(relative, text, uri, stamp);
        }
        self.plans.push(plan);
        let index = self.plans.len() - 1;
        // A plan nested in another takes its files from it.
        for i in 0..self.plans.len() {
            if i != index && self.plans[index].root.starts_with(&self.plans[i].root) {
                self.refresh_from_disk(i);
            }
        }
        // Open documents of the new plan are the truth for their files.
        let open: Vec<(Url, String, i32)> = self
            .docs
            .iter()
            .map(|(uri, doc)| (uri.clone(), doc.text(), doc.version))
            .collect();
        for (uri, text, version) in open {
            if let Some((i, relative)) = self.locate_uri(&uri) {
                if i == index {
                    self.set_open_text(i, &relative, &uri, text.into(), version);
                }
            }
        }
        index
    }

    /// Forgets a plan (its workspace folder was removed): its files are dropped, so publishing it
    /// again clears their diagnostics.
    pub fn forget_plan(&mut self, plan: usize) {
        let plan_state = &mut self.plans[plan];
        plan_state.slots.clear();
        plan_state.removed = true;
        plan_state.generation += 1;
    }

    /// Finds the plan of a YAML file opened by the client, adding it when it is new.
    pub fn plan_for_opened(&mut self, uri: &Url) -> Option<(usize, String)> {
        let path = path_of(uri)?;
        if !is_yaml(&path) {
            return None;
        }
        if let Some(found) = self.locate(&path) {
            return Some(found);
        }
        let root = discover::enclosing_plan(path.parent()?)?;
        self.add_plan(root);
        self.locate(&path)
    }

    /// Sets the text of an open file (on open and on change).
    pub fn set_open_text(
        &mut self,
        plan: usize,
        relative: &str,
        uri: &Url,
        text: Arc<str>,
        version: i32,
    ) {
        let plan = &mut self.plans[plan];
        let content = Content::Text(text);
        match plan.slots.get_mut(relative) {
            Some(slot) => {
                slot.open_version = Some(version);
                slot.pieces.get_or_insert_with(PieceReader::default);
                slot.uri = uri.clone();
                if slot.content != content {
                    slot.content = content;
                    slot.parsed = None;
                }
            }
            None => {
                let stamp = discover::stamp(&plan.root.join(relative));
                plan.insert_slot(relative.to_string(), content, uri.clone(), stamp);
                let slot = plan.slots.get_mut(relative).expect("just inserted");
                slot.open_version = Some(version);
                slot.pieces = Some(PieceReader::default());
            }
        }
        plan.generation += 1;
    }

    /// The client closed a file: the file on disk is the truth again.
    pub fn close(&mut self, plan: usize, relative: &str) {
        let plan_state = &mut self.plans[plan];
        let path = plan_state.root.join(relative);
        match discover::read(&path) {
            Some(text) => {
                if let Some(slot) = plan_state.slots.get_mut(relative) {
                    slot.open_version = None;
                    slot.pieces = None;
                    let content = text;
                    if slot.content != content {
                        slot.content = content;
                        slot.parsed = None;
                    }
                    slot.stamp = discover::stamp(&path);
                }
            }
            None => {
                plan_state.slots.remove(relative);
            }
        }
        plan_state.generation += 1;
    }

    /// Re-reads a plan's file list and the files that changed on disk (not the open ones); returns
    /// whether anything changed.
    pub fn refresh_from_disk(&mut self, plan: usize) -> bool {
        let root = self.plans[plan].root.clone();
        if !root.join(trackplan_core::ROOT_FILE_NAME).is_file() {
            // The plan is gone; publishing its (now empty) analysis clears its diagnostics.
            let plan_state = &mut self.plans[plan];
            let changed = !plan_state.slots.is_empty() || !plan_state.removed;
            plan_state.slots.clear();
            plan_state.removed = true;
            if changed {
                plan_state.generation += 1;
            }
            return changed;
        }
        let paths = discover::plan_file_paths(&root);
        let plan_state = &mut self.plans[plan];
        let mut changed = std::mem::take(&mut plan_state.removed);
        let before: Vec<String> = plan_state.slots.keys().cloned().collect();
        for relative in before {
            let open = plan_state.slots[&relative].open_version.is_some();
            if paths.binary_search(&relative).is_err()
                && (!open || !discover::belongs(&root, &relative))
            {
                plan_state.slots.remove(&relative);
                changed = true;
            }
        }
        for relative in paths {
            let path = root.join(&relative);
            let stamp = discover::stamp(&path);
            match plan_state.slots.get_mut(&relative) {
                Some(slot) if slot.open_version.is_some() => {}
                Some(slot) if slot.stamp == stamp && stamp.is_some() => {}
                Some(slot) => {
                    if let Some(text) = discover::read(&path) {
                        let content = text;
                        if slot.content != content {
                            slot.content = content;
                            slot.parsed = None;
                            changed = true;
                        }
                    }
                    slot.stamp = stamp;
                }
                None => {
                    if let Some(text) = discover::read(&path) {
                        let uri = Url::from_file_path(&path).unwrap_or_else(|_| fallback_uri());
                        plan_state.insert_slot(relative, text, uri, stamp);
                        changed = true;
                    }
                }
            }
        }
        if changed {
            plan_state.generation += 1;
        }
        changed
    }
}

fn fallback_uri() -> Url {
    Url::parse("file:///").expect("a valid URL")
}

impl PlanState {
    fn insert_slot(&mut self, relative: String, content: Content, uri: Url, stamp: Option<Stamp>) {
        let id = FileId(self.next_id);
        self.next_id += 1;
        self.slots.insert(
            relative,
            Slot {
                id,
                content,
                open_version: None,
                uri,
                parsed: None,
                stamp,
                pieces: None,
            },
        );
    }

    pub fn is_fresh(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|a| a.generation == self.generation)
    }

    /// The URIs of the plan's files.
    pub fn uris(&self) -> impl Iterator<Item = &Url> {
        self.slots.values().map(|s| &s.uri)
    }
}

impl World {
    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Whether the files of a plan look different on disk (the file list and each closed file's
    /// size and modification time); the walk runs without holding the lock.
    pub fn disk_differs(&self, plan: usize) -> bool {
        let (root, removed, known) = {
            let state = self.state();
            let Some(p) = state.plans.get(plan) else {
                return false;
            };
            let known: HashMap<String, Option<Stamp>> = p
                .slots
                .iter()
                .filter(|(_, s)| s.open_version.is_none())
                .map(|(r, s)| (r.clone(), s.stamp))
                .collect();
            let open: Vec<String> = p
                .slots
                .iter()
                .filter(|(_, s)| s.open_version.is_some())
                .map(|(r, _)| r.clone())
                .collect();
            (p.root.clone(), p.removed, (known, open))
        };
        let has_root = root.join(trackplan_core::ROOT_FILE_NAME).is_file();
        if removed || !has_root {
            return removed == has_root;
        }
        let (known, open) = known;
        let paths: Vec<String> = discover::plan_file_paths(&root)
            .into_iter()
            .filter(|p| !open.contains(p))
            .collect();
        paths.len() != known.len()
            || paths.iter().any(|relative| match known.get(relative) {
                None => true,
                Some(stamp) => *stamp != discover::stamp(&root.join(relative)),
            })
    }

    /// The analysis of a plan at its current generation, made when needed. Blocking: call it from
    /// a blocking task.
    pub fn analysis(&self, plan: usize) -> Option<Arc<Analysis>> {
        let compute = {
            let state = self.state();
            let plan_state = state.plans.get(plan)?;
            if plan_state.is_fresh() {
                return plan_state.current.clone();
            }
            plan_state.compute.clone()
        };
        // One analysis of a plan at a time; whoever waited finds it made.
        let _computing = lock(&compute);
        let (generation, root, todo, mut done, uris, versions) = {
            let mut state = self.state();
            let plan_state = &mut state.plans[plan];
            if plan_state.is_fresh() {
                return plan_state.current.clone();
            }
            let mut todo = Vec::new();
            let mut done = Vec::new();
            let mut uris = HashMap::new();
            let mut versions = HashMap::new();
            for (relative, slot) in plan_state.slots.iter_mut() {
                uris.insert(slot.id, slot.uri.clone());
                versions.insert(slot.id, slot.open_version);
                match &slot.parsed {
                    Some(parsed) => done.push(parsed.clone()),
                    None => todo.push(ToParse {
                        id: slot.id,
                        relative: relative.clone(),
                        content: slot.content.clone(),
                        pieces: slot.pieces.take(),
                    }),
                }
            }
            (
                plan_state.generation,
                plan_state.root.clone(),
                todo,
                done,
                uris,
                versions,
            )
        };
        let started = std::time::Instant::now();
        let count = todo.len();
        let parsed = parse_all(todo);
        let parse_time = started.elapsed();
        let mut read = Vec::with_capacity(parsed.len());
        {
            let mut state = self.state();
            let plan_state = &mut state.plans[plan];
            for (item, file) in parsed {
                if let Some(slot) = plan_state.slots.get_mut(&item.relative) {
                    if slot.id == file.id() {
                        if slot.content == item.content {
                            slot.parsed = Some(file.clone());
                        }
                        // The pieces go back to a file still open (the next read reuses them).
                        if slot.open_version.is_some() && slot.pieces.is_none() {
                            slot.pieces = item.pieces;
                        }
                    }
                }
                read.push(file);
            }
        }
        done.extend(read);
        let analysis = Arc::new(Analysis {
            plan_index: plan,
            generation,
            root,
            plan: Plan::new(done),
            uris,
            versions,
            symbols: OnceLock::new(),
            diagnostics: OnceLock::new(),
            trees: Mutex::new(HashMap::new()),
        });
        let mut state = self.state();
        let plan_state = &mut state.plans[plan];
        let mut replaced = Vec::with_capacity(2);
        if plan_state
            .current
            .as_ref()
            .is_none_or(|c| c.generation <= generation)
        {
            replaced.extend(plan_state.current.replace(analysis.clone()));
        }
        if analysis.is_good() {
            replaced.extend(plan_state.last_good.replace(analysis.clone()));
        }
        drop(state);
        drop_later(replaced);
        tracing::debug!(
            "plan {} generation {generation}: parsed {count} file(s) in {parse_time:?}, total {:?}",
            analysis.root.display(),
            started.elapsed()
        );
        Some(analysis)
    }

    /// The newest analysis of a plan without making one, and the last one whose files all parsed:
    /// what completion reads while the buffer is half-typed.
    pub fn latest(&self, plan: usize) -> (Option<Arc<Analysis>>, Option<Arc<Analysis>>) {
        let state = self.state();
        match state.plans.get(plan) {
            Some(p) => (p.current.clone(), p.last_good.clone()),
            None => (None, None),
        }
    }

    /// The analysis of the plan a document belongs to, with the document's file id.
    pub fn analysis_for(&self, uri: &Url) -> Option<(Arc<Analysis>, FileId)> {
        let (plan, relative) = self.state().locate_uri(uri)?;
        let analysis = self.analysis(plan)?;
        let id = analysis
            .plan
            .files
            .iter()
            .find(|f| f.source.path == relative)?
            .id();
        Some((analysis, id))
    }
}

/// Drops the analyses a new one replaced on a thread of their own. Freeing the model of a large
/// plan (every name, description and span of it) costs about as much as reading the edited entry
/// and checking the plan; an edit's diagnostics need not wait for it.
fn drop_later(old: Vec<Arc<Analysis>>) {
    static DROPPER: OnceLock<Option<std::sync::mpsc::Sender<Vec<Arc<Analysis>>>>> = OnceLock::new();
    let sender = DROPPER.get_or_init(|| {
        let (send, receive) = std::sync::mpsc::channel::<Vec<Arc<Analysis>>>();
        std::thread::Builder::new()
            .name("trackplan-drop".into())
            .spawn(move || receive.into_iter().for_each(drop))
            .ok()
            .map(|_| send)
    });
    // Without the thread (it could not start), or once it is gone, the caller drops them.
    if let Some(sender) = sender {
        let _ = sender.send(old);
    }
}

/// A file to read, with its pieces when it is open.
struct ToParse {
    id: FileId,
    relative: String,
    content: Content,
    pieces: Option<PieceReader>,
}

/// Parses files in parallel (what the first analysis of a large plan needs); an open file is read
/// in pieces, reusing those of its previous text.
///
/// The syntax tree of each file is dropped once the file is read: it is half the memory of a plan,
/// `check` does not need it, and the few requests that do (hover on keys, the outline, stub
/// definitions) read it again through [`Analysis::tree`].
fn parse_all(todo: Vec<ToParse>) -> Vec<(ToParse, Arc<ParsedFile>)> {
    let parse = |item: &mut ToParse| {
        let file = match (&item.content, &mut item.pieces) {
            (Content::Text(text), Some(pieces)) => {
                let file = pieces.read(item.id, &item.relative, text);
                let stats = pieces.last_read();
                tracing::debug!(
                    "read {} in {} piece(s), {} parsed",
                    item.relative,
                    stats.pieces,
                    stats.parsed
                );
                file
            }
            (content, _) => {
                let mut file = content.parse(item.id, &item.relative);
                file.drop_tree();
                file
            }
        };
        Arc::new(file)
    };
    // Small batches (one edited file) stay on the calling thread.
    let threads = if todo.len() < 4 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    let todo: Vec<Mutex<ToParse>> = todo.into_iter().map(Mutex::new).collect();
    let files = trackplan_core::parallel::map_on(threads, &todo, |item| parse(&mut lock(item)));
    todo.into_iter()
        .map(|item| item.into_inner().unwrap_or_else(|e| e.into_inner()))
        .zip(files)
        .collect()
}
