//! Golden git repositories built by the tests themselves, with the `git` command: pinned author,
//! committer and dates, so that commit ids (and so snapshots) are the same on every machine.
//! Shared by the git crate's tests and the CLI's end-to-end tests (`tests/history.rs`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct GitRepo {
    dir: tempfile::TempDir,
    /// Commits made so far; each one is a day after the previous.
    tick: u32,
}

/// `git` with no user or system configuration, a fixed identity and a fixed clock.
pub fn git_command(cwd: &Path, tick: u32) -> Command {
    let mut command = Command::new("git");
    // One commit a day, from 2024-03-01, in a UTC+1 zone.
    let date = format!(
        "2024-{:02}-{:02}T10:{:02}:00+01:00",
        3 + tick / 28,
        1 + tick % 28,
        tick % 60
    );
    command
        .current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", cwd)
        .env("GIT_AUTHOR_NAME", "Ada Analyst")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Analyst")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}

/// Runs git and returns its stdout; panics with its stderr when it fails.
pub fn run_git(cwd: &Path, tick: u32, args: &[&str]) -> String {
    let output = git_command(cwd, tick)
        .args(args)
        .output()
        .expect("the git command runs");
    assert!(
        output.status.success(),
        "git {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

impl GitRepo {
    pub fn new() -> GitRepo {
        let dir = tempfile::tempdir().expect("a temporary folder");
        run_git(dir.path(), 0, &["init", "-q", "-b", "main"]);
        run_git(dir.path(), 0, &["config", "commit.gpgsign", "false"]);
        GitRepo { dir, tick: 0 }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.join(relative)).unwrap()
    }

    /// Replaces `from` (which must be there) with `to` in a file.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} has no {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    pub fn remove(&self, relative: &str) {
        let path = self.join(relative);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }

    pub fn git(&self, args: &[&str]) -> String {
        run_git(self.path(), self.tick, args)
    }

    /// Commits everything in the work tree; returns the commit id.
    pub fn commit(&mut self, message: &str) -> String {
        self.tick += 1;
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Merges a branch into the current one with a merge commit.
    pub fn merge(&mut self, branch: &str, message: &str) -> String {
        self.tick += 1;
        self.git(&["merge", "-q", "--no-ff", "-m", message, branch]);
        self.git(&["rev-parse", "HEAD"])
    }

    pub fn tag(&self, name: &str) {
        self.git(&["tag", name]);
    }

    pub fn checkout(&self, args: &[&str]) {
        let mut all = vec!["checkout", "-q"];
        all.extend_from_slice(args);
        self.git(&all);
    }

    /// A shallow clone of this repository (`git clone --depth`), through a file:// URL so that
    /// git really makes it shallow.
    pub fn shallow_clone(&self, depth: u32, extra: &[&str]) -> tempfile::TempDir {
        let target = tempfile::tempdir().unwrap();
        let url = format!("file://{}", self.path().display());
        let depth = depth.to_string();
        let mut args = vec!["clone", "-q", "--depth", &depth];
        args.extend_from_slice(extra);
        args.push(&url);
        args.push("clone");
        run_git(target.path(), self.tick, &args);
        target
    }
}

/// Copies a folder (a plan template, a fixture) and everything below it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
