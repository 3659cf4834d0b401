//! Reading plan folders out of git trees: which files form the plan (the core's decision), their
//! blobs, and their parses, cached so that each blob is parsed once however many revisions share it.

use crate::repo::{holds_root_file, Repo};
use crate::{Error, Progress, Result};
use git2::{ObjectType, Oid};
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use trackplan_core::{plan_files, Content, FileId, ParsedFile, Plan};

/// A plan folder at one revision.
#[derive(Debug)]
pub enum PlanAt {
    /// The folder does not exist at that revision.
    Absent,
    Plan(Plan),
}

/// A file of a plan folder in a git tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FileRef {
    /// Relative to the plan folder, `/`-separated.
    pub path: String,
    pub blob: Oid,
}

/// Caches of one history read: the files of each plan tree, and each file parsed.
///
/// A parse depends on the file's text and its path (the root file reads differently), so the cache
/// key is the blob id with the path: a blob is read and parsed once for every path it appears at,
/// which for a plan's history means once. File ids are unique across the whole read, so plans
/// assembled from the cache never share an id. Syntax trees are dropped after parsing (nothing
/// downstream of the model needs them), which keeps long histories small in memory.
///
/// A loader [`for_history`](Loader::for_history) goes further: files other than the root file are
/// read in pieces, one per entry of their collection sections (see `split.rs`), each parsed by the
/// core and cached by its text, so a new version of a file costs the parse of its changed entries
/// only. The plans it assembles have one file per piece; their spans point into the pieces.
#[derive(Default)]
pub struct Loader {
    files: HashMap<(Oid, String), Arc<[Arc<ParsedFile>]>>,
    pieces: FxHashMap<String, Arc<ParsedFile>>,
    listings: HashMap<Oid, Arc<[FileRef]>>,
    next_id: u32,
    parses: usize,
    split: bool,
}

/// A blob's bytes as git read them.
struct Blob<'o>(git2::OdbObject<'o>);

impl AsRef<[u8]> for Blob<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.data()
    }
}

fn parse(id: FileId, path: &str, content: &Content) -> ParsedFile {
    let mut parsed = content.parse(id, path);
    parsed.drop_tree();
    parsed
}

impl Repo {
    /// The plan in `plan_dir` (relative to the repository root, `/`-separated, `""` for the root) at
    /// a commit. (Here rather than in `repo.rs`: reading a plan is the loader's job, and the
    /// repository knows nothing of it.)
    pub fn plan_at(&self, commit: Oid, plan_dir: &str, loader: &mut Loader) -> Result<PlanAt> {
        let mut read = || match self.plan_tree(commit, plan_dir)? {
            None => Ok(PlanAt::Absent),
            Some(tree) => loader.plan(self, tree, &crate::NoProgress),
        };
        read().map_err(|e| e.in_plan(plan_dir))
    }
}

impl Loader {
    /// A loader that parses files whole (plans with exact spans, for `diff` and `plan_at`).
    pub fn new() -> Loader {
        Loader::default()
    }

    /// A loader for long histories: files are parsed in pieces (see the type's documentation).
    pub fn for_history() -> Loader {
        Loader {
            split: true,
            ..Loader::default()
        }
    }

    /// How many times the core's parser ran so far (each whole file or piece at most once).
    pub fn parses(&self) -> usize {
        self.parses
    }

    fn next_id(&mut self) -> FileId {
        let id = FileId(self.next_id);
        self.next_id += 1;
        id
    }

    /// The plan files of a plan folder's tree, sorted by path.
    pub(crate) fn listing(&mut self, repo: &Repo, tree: Oid) -> Result<Arc<[FileRef]>> {
        if let Some(listing) = self.listings.get(&tree) {
            return Ok(listing.clone());
        }
        let root = find_tree(repo, tree)?;
        let mut out = Vec::new();
        let mut nested = HashSet::new();
        walk(repo, &root, "", &mut nested, &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        let listing: Arc<[FileRef]> = out.into();
        self.listings.insert(tree, listing.clone());
        Ok(listing)
    }

    /// Reads and parses the files not read yet, on all cores.
    pub(crate) fn load<'f>(
        &mut self,
        repo: &Repo,
        files: impl IntoIterator<Item = &'f FileRef>,
        progress: &dyn Progress,
    ) -> Result<()> {
        let mut seen = HashSet::new();
        let missing: Vec<&FileRef> = files
            .into_iter()
            .filter(|f| !self.files.contains_key(&(f.blob, f.path.clone())))
            .filter(|f| seen.insert((f.blob, f.path.as_str())))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        progress.phase("reading plan files", Some(missing.len() as u64));
        let odb = repo.repo.odb()?;
        // In batches, so that only a batch of file contents is in memory at once.
        for batch in missing.chunks(256) {
            let mut contents: Vec<(&FileRef, Content)> = Vec::with_capacity(batch.len());
            for &file in batch {
                let missing_blob = |error: git2::Error| {
                    if error.code() != git2::ErrorCode::NotFound {
                        return error.into();
                    }
                    if repo.partial {
                        let short = &file.blob.to_string()[..7];
                        return Error::PartialClone {
                            what: format!("the contents of {} (blob {short})", file.path),
                            plan: ".".to_string(),
                        };
                    }
                    Error::MissingObject {
                        what: "file",
                        id: format!("{} ({})", file.blob, file.path),
                    }
                };
                let (size, _) = odb.read_header(file.blob).map_err(missing_blob)?;
                // Copied once, from git's buffer into the content.
                let content = Content::of_size(size as u64, || {
                    odb.read(file.blob).map(Blob).map_err(missing_blob)
                })?;
                contents.push((file, content));
            }
            // Pieces of the files that split (history loaders only).
            let split = self.split;
            let pieces: Vec<Option<Vec<String>>> =
                trackplan_core::parallel::map(&contents, |(file, content)| match content {
                    Content::Text(text) if split && file.path != trackplan_core::ROOT_FILE_NAME => {
                        trackplan_core::pieces::split(text)
                    }
                    _ => None,
                });
            // Parse, on all cores, whole files and the pieces not seen before.
            enum Job<'a> {
                Whole(usize),
                Piece(&'a str, String),
            }
            let mut jobs: Vec<(FileId, Job)> = Vec::new();
            let mut new_pieces = HashSet::new();
            for (i, pieces) in pieces.iter().enumerate() {
                match pieces {
                    None => {
                        let id = self.next_id();
                        jobs.push((id, Job::Whole(i)));
                    }
                    Some(pieces) => {
                        for (n, piece) in pieces.iter().enumerate() {
                            if !self.pieces.contains_key(piece) && new_pieces.insert(piece.as_str())
                            {
                                let id = self.next_id();
                                let path = format!("{}#{n}", contents[i].0.path);
                                jobs.push((id, Job::Piece(piece, path)));
                            }
                        }
                    }
                }
            }
            let parsed = trackplan_core::parallel::map(&jobs, |(id, job)| {
                let parsed = match job {
                    Job::Whole(i) => parse(*id, &contents[*i].0.path, &contents[*i].1),
                    Job::Piece(text, path) => {
                        let mut parsed = trackplan_core::parse_file(*id, path, *text);
                        parsed.drop_tree();
                        parsed
                    }
                };
                progress.advance(1);
                parsed
            });
            self.parses += parsed.len();
            let mut whole: HashMap<usize, Arc<ParsedFile>> = HashMap::new();
            for ((_, job), parsed) in jobs.iter().zip(parsed) {
                match job {
                    Job::Whole(i) => {
                        whole.insert(*i, Arc::new(parsed));
                    }
                    Job::Piece(text, _) => {
                        self.pieces.insert(text.to_string(), Arc::new(parsed));
                    }
                }
            }
            for (i, pieces) in pieces.into_iter().enumerate() {
                let (file, content) = &contents[i];
                let parts: Arc<[Arc<ParsedFile>]> = match pieces {
                    None => Arc::new([whole.remove(&i).expect("parsed")]),
                    Some(pieces) => {
                        let parts: Vec<Arc<ParsedFile>> =
                            pieces.iter().map(|p| self.pieces[p].clone()).collect();
                        if parts
                            .iter()
                            .any(|p| trackplan_core::diff::file_parse_failure(p).is_some())
                        {
                            // Tell the failure where the whole file has it.
                            let id = self.next_id();
                            self.parses += 1;
                            Arc::new([Arc::new(parse(id, &file.path, content))])
                        } else {
                            parts.into()
                        }
                    }
                };
                self.files.insert((file.blob, file.path.clone()), parts);
            }
        }
        Ok(())
    }

    /// The plan made of files already loaded: the root file first, then the others by path.
    pub(crate) fn assemble(&self, listing: &[FileRef]) -> Plan {
        let parts = |f: &FileRef| {
            self.files
                .get(&(f.blob, f.path.clone()))
                .into_iter()
                .flat_map(|p| p.iter().cloned())
        };
        if !self.split {
            return Plan::new(listing.iter().flat_map(parts).collect());
        }
        let root = listing
            .iter()
            .filter(|f| f.path == trackplan_core::ROOT_FILE_NAME);
        let others = listing
            .iter()
            .filter(|f| f.path != trackplan_core::ROOT_FILE_NAME);
        Plan {
            files: root.chain(others).flat_map(parts).collect(),
        }
    }

    /// The plan in a plan folder's tree: listed, loaded and assembled.
    pub(crate) fn plan(
        &mut self,
        repo: &Repo,
        tree: Oid,
        progress: &dyn Progress,
    ) -> Result<PlanAt> {
        let listing = self.listing(repo, tree)?;
        self.load(repo, listing.iter(), progress)?;
        Ok(PlanAt::Plan(self.assemble(&listing)))
    }
}

fn find_tree(repo: &Repo, id: Oid) -> Result<git2::Tree<'_>> {
    repo.repo
        .find_tree(id)
        .map_err(|error| repo.missing(error, "tree", id))
}

/// Lists the plan's files below `dir` of the plan folder, deciding with the core's
/// [`plan_files`] exactly as the filesystem walk does. Symlinks (mode 120000) and submodules are
/// never followed; folders holding their own `trackplan.yaml` are nested plans and not entered.
fn walk(
    repo: &Repo,
    tree: &git2::Tree<'_>,
    dir: &str,
    nested: &mut HashSet<String>,
    out: &mut Vec<FileRef>,
) -> Result<()> {
    for entry in tree.iter() {
        let name = String::from_utf8_lossy(entry.name_bytes());
        let path = if dir.is_empty() {
            name.into_owned()
        } else {
            format!("{dir}/{name}")
        };
        match entry.kind() {
            Some(ObjectType::Tree) => {
                let sub = find_tree(repo, entry.id())?;
                let holds_root = holds_root_file(&sub);
                if holds_root {
                    nested.insert(path.clone());
                }
                if plan_files::should_enter(&path, holds_root) {
                    walk(repo, &sub, &path, nested, out)?;
                }
            }
            Some(ObjectType::Blob)
                if entry.filemode() != 0o120000
                    && plan_files::belongs_to_plan(&path, |d| nested.contains(d)) =>
            {
                out.push(FileRef {
                    path,
                    blob: entry.id(),
                });
            }
            _ => {}
        }
    }
    Ok(())
}
