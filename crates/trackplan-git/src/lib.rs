//! Plan history read from git: the plan at any revision, the changelog of a plan folder, and the
//! revisions a pull request compares.
//!
//! A thin adapter over the core: plan files are found in git trees with the core's
//! [`trackplan_core::plan_files`] (the same decision as on disk), read with
//! [`trackplan_core::Content::parse`] and compared with [`trackplan_core::diff`].
//!
//! - [`Repo::discover`] opens the repository holding a path (work trees, linked worktrees, bare
//!   repositories, shallow clones),
//! - [`Repo::plan_at`] reads a plan folder at a commit,
//! - [`Repo::changelog`] walks history and tells, per commit that changed the plan, what changed.
//!
//! The walk compares the plan folder's tree id with the parent's and skips unchanged commits before
//! any file is read; each blob is parsed at most once per path it appears at (see [`Loader`]).

mod changelog;
mod commit;
mod load;
mod repo;
mod time;

pub use changelog::{Changelog, ChangelogOptions, Entry, Outcome, Release};
pub use load::{Loader, PlanAt};
pub use repo::{CommitInfo, Repo, Revision};
pub use time::civil_date;

use std::path::PathBuf;

/// What can go wrong reading history. Messages are meant for people: they say what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} is not inside a git repository", .0.display())]
    NotARepository(PathBuf),
    #[error("cannot read the git repository at {}: {message}", .path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("the repository has no commits yet")]
    NoCommits,
    #[error("unknown revision `{0}`")]
    UnknownRevision(String),
    #[error("`{0}` does not name a commit")]
    NotACommit(String),
    #[error("revision `{0}` is not in this shallow clone; fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)")]
    NotInShallowClone(String),
    #[error("`{0}` and `{1}` have no common ancestor in this shallow clone; fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)")]
    ShallowMergeBase(String, String),
    #[error("`{0}` and `{1}` have no common ancestor")]
    NoMergeBase(String, String),
    #[error("no default branch to compare with: none of origin/HEAD, main or master exists; name the base revision, for example `trackplan diff origin/develop`")]
    NoDefaultBranch,
    #[error("the repository is missing {what} {id}; it may be damaged (try `git fsck`)")]
    MissingObject { what: &'static str, id: String },
    /// Objects a partial clone (`git clone --filter`) did not fetch. `plan` is the plan folder the
    /// history was read for (relative to the repository root, `.` for the root).
    #[error("the repository is a partial clone (made with `git clone --filter`) and does not have {what}; fetch what the plan's history needs with `git log -p --format= -- {plan} > /dev/null` (git fetches what a partial clone lacks), or clone without `--filter` (with actions/checkout, leave out `filter:`)")]
    PartialClone { what: String, plan: String },
    #[error("reading the repository failed: {0}")]
    Git(String),
}

impl Error {
    /// Names the plan folder being read in the advice of [`Error::PartialClone`].
    pub(crate) fn in_plan(self, plan_dir: &str) -> Error {
        match self {
            Error::PartialClone { what, .. } => Error::PartialClone {
                what: match what.strip_prefix("the contents of ") {
                    Some(file) if !plan_dir.is_empty() => {
                        format!("the contents of {plan_dir}/{file}")
                    }
                    _ => what,
                },
                plan: if plan_dir.is_empty() {
                    ".".to_string()
                } else {
                    plan_dir.to_string()
                },
            },
            other => other,
        }
    }
}

impl From<git2::Error> for Error {
    fn from(error: git2::Error) -> Error {
        Error::Git(error.message().to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reports progress of long walks (the CLI draws a progress bar). Every method may be called from
/// several threads.
pub trait Progress: Sync {
    /// A new phase begins; `total` when the number of steps is known.
    fn phase(&self, _name: &str, _total: Option<u64>) {}
    /// `n` more steps of the current phase are done.
    fn advance(&self, _n: u64) {}
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {}
