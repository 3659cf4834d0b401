//! Opening a repository and naming revisions: HEAD, the default branch, merge bases, tags, and the
//! commits a shallow clone cuts history at.

use crate::{Error, Result};
use git2::{ErrorCode, ObjectType, Oid, Repository};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A git repository holding one or more plans.
pub struct Repo {
    pub(crate) repo: Repository,
    /// Commits whose parents a shallow clone does not have.
    pub(crate) shallow: HashSet<Oid>,
    /// A partial clone (`git clone --filter=...`): objects may be missing on purpose, to be fetched
    /// from a promisor remote.
    pub(crate) partial: bool,
    path: PathBuf,
}

/// A commit named on the command line (or chosen for it), with the name as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// What the user wrote (`main`, `HEAD~2`), or how it was chosen (`merge-base(main, HEAD)`).
    pub name: String,
    pub id: Oid,
}

/// What the changelog says about a commit. Text is decoded from the commit's `encoding` and may
/// hold any character, control characters included: escaping is the renderer's business.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub short_id: String,
    pub author: String,
    pub email: String,
    /// Author time: seconds since the Unix epoch and the author's UTC offset in minutes; `None`
    /// when the commit's date cannot be read (git shows such commits too).
    pub time: Option<(i64, i32)>,
    /// The first paragraph of the message, on one line.
    pub summary: String,
    pub parents: usize,
}

/// What a commit whose date cannot be read shows for it.
pub const UNKNOWN_DATE: &str = "date unknown";

impl CommitInfo {
    /// `2024-03-02`, in the author's time zone, or [`UNKNOWN_DATE`].
    pub fn date(&self) -> String {
        match self.time {
            Some((time, offset)) => crate::time::date(time, offset),
            None => UNKNOWN_DATE.to_string(),
        }
    }

    /// `2024-03-02T10:04:05+01:00`; `None` when the date cannot be read.
    pub fn rfc3339(&self) -> Option<String> {
        self.time
            .map(|(time, offset)| crate::time::rfc3339(time, offset))
    }
}

fn is_not_found(error: &git2::Error) -> bool {
    error.code() == ErrorCode::NotFound
}

impl Repo {
    /// Opens the repository holding `path` (a work tree, a linked worktree, or a bare repository).
    pub fn discover(path: &Path) -> Result<Repo> {
        let repo = match Repository::discover(path) {
            Ok(repo) => repo,
            Err(error) if is_not_found(&error) => {
                return Err(Error::NotARepository(path.to_path_buf()))
            }
            Err(error) => {
                return Err(Error::Unreadable {
                    path: path.to_path_buf(),
                    message: error.message().to_string(),
                })
            }
        };
        Repo::from_repository(repo)
    }

    /// Opens exactly the repository at `path` (its work tree or git directory).
    pub fn open(path: &Path) -> Result<Repo> {
        match Repository::open(path) {
            Ok(repo) => Repo::from_repository(repo),
            Err(error) if is_not_found(&error) => Err(Error::NotARepository(path.to_path_buf())),
            Err(error) => Err(Error::Unreadable {
                path: path.to_path_buf(),
                message: error.message().to_string(),
            }),
        }
    }

    fn from_repository(repo: Repository) -> Result<Repo> {
        // Like git itself, trust the object store instead of hashing every object read again (a
        // third of the time of a long changelog otherwise). A damaged object still fails to
        // inflate or to parse.
        static HASH_CHECKS_OFF: std::sync::Once = std::sync::Once::new();
        HASH_CHECKS_OFF.call_once(|| git2::opts::strict_hash_verification(false));
        let path = repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf();
        let unreadable = |message: String| Error::Unreadable {
            path: path.clone(),
            message,
        };
        // Reading the object database early turns a repository libgit2 cannot read (an unknown
        // format extension, a damaged index of packs) into one clear error here.
        repo.odb()
            .map_err(|e| unreadable(e.message().to_string()))?;
        let mut shallow = HashSet::new();
        if repo.is_shallow() {
            let file = repo.commondir().join("shallow");
            let text = std::fs::read_to_string(&file)
                .map_err(|e| unreadable(format!("cannot read {}: {e}", file.display())))?;
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let id = Oid::from_str(line)
                    .map_err(|_| unreadable(format!("{} is damaged", file.display())))?;
                shallow.insert(id);
            }
        }
        let partial = is_partial_clone(&repo);
        Ok(Repo {
            repo,
            shallow,
            partial,
            path,
        })
    }

    /// The work tree, when the repository has one (linked worktrees have their own).
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The work tree, or the git directory of a bare repository.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_shallow(&self) -> bool {
        !self.shallow.is_empty()
    }

    /// Whether a commit is where a shallow clone cuts history (its parents are not here).
    pub fn is_shallow_boundary(&self, id: Oid) -> bool {
        self.shallow.contains(&id)
    }

    /// The commit `rev` names (`HEAD`, a branch, a tag, `HEAD~2`, an id).
    pub fn resolve(&self, rev: &str) -> Result<Revision> {
        match self.resolve_with_libgit2(rev) {
            // libgit2 could not read a commit on the way (a date that is not a number): read the
            // plain forms (`NAME`, `ID`, then `~N`, `^N`) without it.
            Err(Error::Git(message)) => match self.resolve_plainly(rev)? {
                Some(id) => Ok(Revision {
                    name: rev.to_string(),
                    id,
                }),
                None => Err(Error::Git(message)),
            },
            other => other,
        }
    }

    fn resolve_with_libgit2(&self, rev: &str) -> Result<Revision> {
        let object = match self.repo.revparse_single(rev) {
            Ok(object) => object,
            Err(error) if rev == "HEAD" && error.code() == ErrorCode::UnbornBranch => {
                return Err(Error::NoCommits)
            }
            Err(error)
                if is_not_found(&error)
                    || matches!(
                        error.code(),
                        ErrorCode::InvalidSpec | ErrorCode::Ambiguous | ErrorCode::UnbornBranch
                    ) =>
            {
                if rev == "HEAD" && self.repo.head().is_err() {
                    return Err(Error::NoCommits);
                }
                // `HEAD~30` past the start of a shallow clone, or an id the clone never fetched.
                if self.is_shallow() && looks_historical(rev) {
                    return Err(Error::NotInShallowClone(rev.to_string()));
                }
                return Err(Error::UnknownRevision(rev.to_string()));
            }
            Err(error) => return Err(error.into()),
        };
        let commit = object.peel_to_commit().map_err(|error| {
            if is_not_found(&error) && self.is_shallow() {
                Error::NotInShallowClone(rev.to_string())
            } else if matches!(error.code(), ErrorCode::InvalidSpec | ErrorCode::Peel) {
                Error::NotACommit(rev.to_string())
            } else {
                error.into()
            }
        })?;
        Ok(Revision {
            name: rev.to_string(),
            id: commit.id(),
        })
    }

    /// `NAME` or `ID` followed by `~N`, `^N`, `~` or `^`, read from raw objects; `None` for other
    /// forms.
    fn resolve_plainly(&self, rev: &str) -> Result<Option<Oid>> {
        let end = rev.find(['~', '^']).unwrap_or(rev.len());
        let (base, mut steps) = (&rev[..end], &rev[end..]);
        let start = match self.repo.resolve_reference_from_short_name(base) {
            Ok(reference) => match reference.resolve().ok().and_then(|r| r.target()) {
                Some(id) => id,
                None => return Ok(None),
            },
            Err(_) => {
                let Ok(prefix) = Oid::from_str(base) else {
                    return Ok(None);
                };
                match self.repo.odb()?.exists_prefix(prefix, base.len()) {
                    Ok(id) => id,
                    Err(_) => return Ok(None),
                }
            }
        };
        let mut id = self.peel_to_commit_id(start)?;
        while let Some(step) = steps.chars().next() {
            steps = &steps[1..];
            let digits = steps.bytes().take_while(u8::is_ascii_digit).count();
            let n: usize = if digits == 0 {
                1
            } else {
                match steps[..digits].parse() {
                    Ok(n) => n,
                    Err(_) => return Ok(None),
                }
            };
            steps = &steps[digits..];
            let walk = if step == '~' { n } else { 1 };
            let parent_index = if step == '^' { n } else { 1 };
            if step == '^' && n == 0 {
                continue;
            }
            for _ in 0..walk {
                let parents = self.raw_commit(id)?.parents;
                let Some(parent) = parents.get(parent_index - 1) else {
                    return Err(Error::UnknownRevision(rev.to_string()));
                };
                id = *parent;
            }
        }
        Ok(Some(id))
    }

    /// The commit an object is or points to (through annotated tags), read without libgit2's
    /// commit parser.
    pub(crate) fn peel_to_commit_id(&self, mut id: Oid) -> Result<Oid> {
        let odb = self.repo.odb()?;
        for _ in 0..16 {
            let object = odb.read(id).map_err(|e| self.missing(e, "commit", id))?;
            match object.kind() {
                ObjectType::Commit => return Ok(id),
                ObjectType::Tag => {
                    let target = object
                        .data()
                        .strip_prefix(b"object ")
                        .and_then(|rest| rest.get(..40))
                        .and_then(|hex| std::str::from_utf8(hex).ok())
                        .and_then(|hex| Oid::from_str(hex).ok());
                    match target {
                        Some(target) => id = target,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        Err(Error::NotACommit(id.to_string()))
    }

    /// The merge base of two revisions, as a pull request compares them.
    pub fn merge_base(&self, a: &Revision, b: &Revision) -> Result<Revision> {
        let found = match self.repo.merge_base(a.id, b.id) {
            // libgit2 could not read a commit on the way: find the nearest common ancestor by a
            // walk of raw commits.
            Err(error) if !is_not_found(&error) && error.class() == git2::ErrorClass::Object => {
                self.common_ancestor(a.id, b.id)
                    .map(Ok)
                    .unwrap_or_else(|| Err(error))
            }
            other => other,
        };
        match found {
            Ok(id) => Ok(Revision {
                name: format!("merge-base({}, {})", a.name, b.name),
                id,
            }),
            Err(error) if is_not_found(&error) => {
                if self.is_shallow() {
                    Err(Error::ShallowMergeBase(a.name.clone(), b.name.clone()))
                } else {
                    Err(Error::NoMergeBase(a.name.clone(), b.name.clone()))
                }
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The default branch: `origin/HEAD`, else `main`, else `master` (local or on `origin`).
    pub fn default_branch(&self) -> Result<Revision> {
        for name in [
            "refs/remotes/origin/HEAD",
            "refs/heads/main",
            "refs/remotes/origin/main",
            "refs/heads/master",
            "refs/remotes/origin/master",
        ] {
            let Ok(reference) = self.repo.find_reference(name) else {
                continue;
            };
            let Some(id) = reference.resolve().ok().and_then(|r| r.target()) else {
                continue;
            };
            let Ok(id) = self.peel_to_commit_id(id) else {
                continue;
            };
            let short = name
                .strip_prefix("refs/heads/")
                .or_else(|| name.strip_prefix("refs/remotes/"))
                .unwrap_or(name);
            return Ok(Revision {
                name: short.to_string(),
                id,
            });
        }
        Err(Error::NoDefaultBranch)
    }

    /// What the changelog shows about a commit.
    pub fn commit_info(&self, id: Oid) -> Result<CommitInfo> {
        let commit = self.raw_commit(id)?;
        let text = |bytes: &[u8]| crate::commit::decode(bytes, commit.encoding.as_deref());
        Ok(CommitInfo {
            id: id.to_string(),
            short_id: self.short_id(id),
            author: text(&commit.author.name),
            email: text(&commit.author.email),
            time: commit.author.when,
            summary: text(&summary(&commit.message)),
            parents: commit.parents.len(),
        })
    }

    /// The shortest prefix of a commit id that names it alone, at least 7 characters.
    fn short_id(&self, id: Oid) -> String {
        let hex = id.to_string();
        if let Ok(odb) = self.repo.odb() {
            for len in 7..hex.len() {
                let prefix = Oid::from_str(&hex[..len]).expect("hex digits");
                if odb.exists_prefix(prefix, len).is_ok() {
                    return hex[..len].to_string();
                }
            }
        }
        hex
    }

    /// A commit read from its object (see `commit.rs`); a shallow clone's boundary commits have no
    /// parents, as git shows them.
    pub(crate) fn raw_commit(&self, id: Oid) -> Result<crate::commit::RawCommit> {
        let odb = self.repo.odb()?;
        let object = odb.read(id).map_err(|e| self.missing(e, "commit", id))?;
        let damaged = || Error::Git(format!("commit {id} is damaged"));
        if object.kind() != ObjectType::Commit {
            return Err(Error::NotACommit(id.to_string()));
        }
        let mut commit = crate::commit::parse(object.data()).ok_or_else(damaged)?;
        if self.is_shallow_boundary(id) {
            commit.parents.clear();
        }
        Ok(commit)
    }

    /// A lookup error as [`Error::MissingObject`] when the object is not there, or as
    /// [`Error::PartialClone`] when a partial clone did not fetch it.
    pub(crate) fn missing(&self, error: git2::Error, what: &'static str, id: Oid) -> Error {
        if !is_not_found(&error) {
            return error.into();
        }
        if self.partial {
            return Error::PartialClone {
                what: format!("{what} {id}"),
                plan: ".".to_string(),
            };
        }
        Error::MissingObject {
            what,
            id: id.to_string(),
        }
    }

    /// The nearest commit that is an ancestor of both (by a walk of raw commits, newest first).
    fn common_ancestor(&self, a: Oid, b: Oid) -> Option<Oid> {
        let of_a = self.ancestors(a).ok()?;
        let mut queue = std::collections::VecDeque::from([b]);
        let mut seen = HashSet::from([b]);
        while let Some(id) = queue.pop_front() {
            if of_a.contains(&id) {
                return Some(id);
            }
            for parent in self.raw_commit(id).ok()?.parents {
                if seen.insert(parent) {
                    queue.push_back(parent);
                }
            }
        }
        None
    }

    /// Every commit reachable from `id`, itself included (what `git log ^ID` hides).
    pub(crate) fn ancestors(&self, id: Oid) -> Result<HashSet<Oid>> {
        let mut seen = HashSet::from([id]);
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            for parent in self.raw_commit(id)?.parents {
                if seen.insert(parent) {
                    stack.push(parent);
                }
            }
        }
        Ok(seen)
    }

    /// The id of the plan folder's tree at a commit (`None`: no such folder there).
    pub(crate) fn plan_tree(&self, commit: Oid, plan_dir: &str) -> Result<Option<Oid>> {
        let commit = self.raw_commit(commit)?;
        self.plan_tree_of(&commit, plan_dir)
    }

    /// [`Repo::plan_tree`] of a commit already read.
    pub(crate) fn plan_tree_of(
        &self,
        commit: &crate::commit::RawCommit,
        plan_dir: &str,
    ) -> Result<Option<Oid>> {
        let tree_id = commit.tree;
        if plan_dir.is_empty() {
            return Ok(Some(tree_id));
        }
        let tree = self
            .repo
            .find_tree(tree_id)
            .map_err(|error| self.missing(error, "tree", tree_id))?;
        match tree.get_path(Path::new(plan_dir)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Tree) => Ok(Some(entry.id())),
            Ok(_) => Ok(None),
            Err(error) if is_not_found(&error) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// The plan folders (relative to the repository root) in a commit's tree: every folder holding a
    /// `trackplan.yaml`, not looking inside plans or hidden folders.
    pub fn plans_in(&self, commit: Oid) -> Result<Vec<String>> {
        let commit = self.raw_commit(commit)?;
        let tree = self
            .repo
            .find_tree(commit.tree)
            .map_err(|e| self.missing(e, "tree", commit.tree))?;
        let mut found = Vec::new();
        self.find_plans(&tree, "", &mut found)?;
        Ok(found)
    }

    fn find_plans(&self, tree: &git2::Tree<'_>, dir: &str, out: &mut Vec<String>) -> Result<()> {
        if holds_root_file(tree) {
            out.push(dir.to_string());
            return Ok(());
        }
        for entry in tree.iter() {
            if entry.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let Ok(name) = entry.name() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let sub = self.repo.find_tree(entry.id())?;
            let path = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            self.find_plans(&sub, &path, out)?;
        }
        Ok(())
    }

    /// Tag names per commit they point to (annotated tags peeled), each list sorted.
    pub fn tags(&self) -> Result<HashMap<Oid, Vec<String>>> {
        let mut tags: HashMap<Oid, Vec<String>> = HashMap::new();
        for name in self.repo.tag_names(None)?.iter().flatten().flatten() {
            let Ok(reference) = self.repo.find_reference(&format!("refs/tags/{name}")) else {
                continue;
            };
            let target = reference.resolve().ok().and_then(|r| r.target());
            if let Some(Ok(id)) = target.map(|id| self.peel_to_commit_id(id)) {
                tags.entry(id).or_default().push(name.to_string());
            }
        }
        for names in tags.values_mut() {
            names.sort();
        }
        Ok(tags)
    }

    /// The URL of a remote (`origin`) as configured, when there is one.
    pub fn remote_url(&self, name: &str) -> Option<String> {
        let remote = self.repo.find_remote(name).ok()?;
        remote.url().ok().map(str::to_string)
    }

    /// The branch HEAD is on (`main`); `None` when HEAD is detached or the branch has no commit.
    pub fn head_branch(&self) -> Option<String> {
        let head = self.repo.head().ok()?;
        if !head.is_branch() {
            return None;
        }
        head.shorthand().ok().map(str::to_string)
    }

    /// A path inside the work tree, relative to it with `/` (the plan folder as git names it). The
    /// path need not exist (a plan deleted since is named by where it was): its longest existing
    /// ancestor is resolved as the file system does (symbolic links, `/tmp` against
    /// `/private/tmp`), and the rest, `.` and `..` included, lexically.
    pub fn relative_to_workdir(&self, path: &Path) -> Option<String> {
        let workdir = self.workdir()?;
        let workdir = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
        let existing = path.ancestors().find(|p| p.exists())?;
        let rest = path.strip_prefix(existing).ok()?;
        let mut full = std::fs::canonicalize(existing).ok()?;
        for component in rest.components() {
            match component {
                std::path::Component::ParentDir => {
                    full.pop();
                }
                std::path::Component::CurDir => {}
                other => full.push(other),
            }
        }
        let relative = full.strip_prefix(&workdir).ok()?;
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
}

/// The first paragraph of a message on one line, as `git log --format=%s` shows it.
fn summary(message: &[u8]) -> Vec<u8> {
    let text = message.trim_ascii_start();
    let end = text
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or(text.len());
    let lines: Vec<&[u8]> = text[..end]
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(&b' ')
}

/// Whether objects may be missing on purpose: a remote is a promisor (`git clone --filter`).
fn is_partial_clone(repo: &Repository) -> bool {
    let Ok(config) = repo.config() else {
        return false;
    };
    if config.get_string("extensions.partialclone").is_ok() {
        return true;
    }
    let Ok(mut entries) = config.entries(Some(r"remote\..*\.promisor")) else {
        return false;
    };
    let mut promisor = false;
    while let Some(Ok(entry)) = entries.next() {
        promisor |= entry.value().is_ok_and(|v| v == "true");
    }
    promisor
}

pub(crate) fn holds_root_file(tree: &git2::Tree<'_>) -> bool {
    tree.get_name(trackplan_core::ROOT_FILE_NAME)
        .is_some_and(|e| e.kind() == Some(ObjectType::Blob))
}

/// A revision that names history rather than a ref: an id, or a walk back (`HEAD~3`, `main^2`).
fn looks_historical(rev: &str) -> bool {
    rev.contains('~')
        || rev.contains('^')
        || (rev.len() >= 4 && rev.chars().all(|c| c.is_ascii_hexdigit()))
}
