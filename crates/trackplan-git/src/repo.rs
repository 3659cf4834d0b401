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
    path: PathBuf,
}

/// A commit named on the command line (or chosen for it), with the name as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// What the user wrote (`main`, `HEAD~2`), or how it was chosen (`merge-base(main, HEAD)`).
    pub name: String,
    pub id: Oid,
}

/// What the changelog says about a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub short_id: String,
    pub author: String,
    pub email: String,
    /// Author time: seconds since the Unix epoch and the author's UTC offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    /// The first line of the message.
    pub summary: String,
    pub parents: usize,
}

impl CommitInfo {
    /// `2024-03-02`, in the author's time zone.
    pub fn date(&self) -> String {
        crate::time::date(self.time, self.offset_minutes)
    }

    /// `2024-03-02T10:04:05+01:00`.
    pub fn rfc3339(&self) -> String {
        crate::time::rfc3339(self.time, self.offset_minutes)
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
        Ok(Repo {
            repo,
            shallow,
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

    /// The merge base of two revisions, as a pull request compares them.
    pub fn merge_base(&self, a: &Revision, b: &Revision) -> Result<Revision> {
        match self.repo.merge_base(a.id, b.id) {
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
            let Ok(commit) = reference.peel_to_commit() else {
                continue;
            };
            let short = name
                .strip_prefix("refs/heads/")
                .or_else(|| name.strip_prefix("refs/remotes/"))
                .unwrap_or(name);
            return Ok(Revision {
                name: short.to_string(),
                id: commit.id(),
            });
        }
        Err(Error::NoDefaultBranch)
    }

    /// What the changelog shows about a commit.
    pub fn commit_info(&self, id: Oid) -> Result<CommitInfo> {
        let commit = self.find_commit(id, "commit")?;
        let author = commit.author();
        let short_id = commit
            .as_object()
            .short_id()
            .ok()
            .and_then(|b| b.as_str().ok().map(str::to_string))
            .unwrap_or_else(|| id.to_string()[..7].to_string());
        Ok(CommitInfo {
            id: id.to_string(),
            short_id,
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            time: author.when().seconds(),
            offset_minutes: author.when().offset_minutes(),
            summary: commit
                .summary_bytes()
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default(),
            parents: commit.parent_count(),
        })
    }

    pub(crate) fn find_commit(&self, id: Oid, what: &'static str) -> Result<git2::Commit<'_>> {
        self.repo.find_commit(id).map_err(|error| {
            if is_not_found(&error) {
                Error::MissingObject {
                    what,
                    id: id.to_string(),
                }
            } else {
                error.into()
            }
        })
    }

    /// The id of the plan folder's tree at a commit (`None`: no such folder there).
    pub(crate) fn plan_tree(&self, commit: Oid, plan_dir: &str) -> Result<Option<Oid>> {
        let commit = self.find_commit(commit, "commit")?;
        self.plan_tree_of(&commit, plan_dir)
    }

    /// [`Repo::plan_tree`] of a commit already looked up.
    pub(crate) fn plan_tree_of(
        &self,
        commit: &git2::Commit<'_>,
        plan_dir: &str,
    ) -> Result<Option<Oid>> {
        let tree_id = commit.tree_id();
        if plan_dir.is_empty() {
            return Ok(Some(tree_id));
        }
        let tree = self.repo.find_tree(tree_id).map_err(|error| {
            if is_not_found(&error) {
                Error::MissingObject {
                    what: "tree",
                    id: tree_id.to_string(),
                }
            } else {
                error.into()
            }
        })?;
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
        let commit = self.find_commit(commit, "commit")?;
        let tree = commit.tree()?;
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
            if let Ok(commit) = reference.peel_to_commit() {
                tags.entry(commit.id()).or_default().push(name.to_string());
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

    /// A path inside the work tree, relative to it with `/` (the plan folder as git names it).
    pub fn relative_to_workdir(&self, path: &Path) -> Option<String> {
        let workdir = self.workdir()?;
        let workdir = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let relative = path.strip_prefix(&workdir).ok()?;
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
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
