//! `trackplan doc`: the plan's documentation as one self-contained HTML page, written to a file or
//! served on 127.0.0.1 with a reload when a plan file changes.
//!
//! This module reads the plan from disk and its history from git; `trackplan-doc` makes the page.

mod serve;

use crate::discover::{self, UsageError};
use crate::history::progress::Bar;
use anyhow::Result;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use trackplan_doc::{HistoryInput, Live, SourceLinks};
use trackplan_git::{Changelog, ChangelogOptions, Repo};

#[derive(Args)]
pub struct DocArgs {
    /// The plan folder, or a file in it (default: the plan of the current folder)
    #[arg(long, value_name = "DIR")]
    plan: Option<PathBuf>,
    /// Where to write the page (default: tracking-plan.html in the current folder; `-` for
    /// standard output)
    #[arg(long, value_name = "FILE", conflicts_with = "serve")]
    out: Option<PathBuf>,
    /// Serve the page on 127.0.0.1 instead, and reload it in the browser when a plan file changes
    #[arg(long)]
    serve: bool,
    /// The port to serve on (0: any free port)
    #[arg(long, value_name = "N", default_value_t = 8080, requires = "serve")]
    port: u16,
    /// The repository's web address, for links to where each entity is defined and to commits
    /// (default: the git remote `origin`); or a template with {path} and {line}
    #[arg(long, value_name = "URL")]
    repo_url: Option<String>,
    /// Leave the git history out of the page
    #[arg(long)]
    no_history: bool,
}

const DEFAULT_OUT: &str = "tracking-plan.html";

/// A line on stderr that never stops the command: the server goes on when its terminal is gone.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub fn run(args: &DocArgs, cwd: &Path) -> Result<ExitCode> {
    let root = crate::one_plan_root(args.plan.as_deref(), cwd, "doc")?;
    let mut source = Source::new(&root, args, cwd);
    if args.serve {
        return serve::run(&mut source, args.port);
    }
    let page = source.page(None)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    if out.as_os_str() == "-" {
        crate::output::print(&page.html)?;
        crate::output::note(format_args!("{}", page.summary));
        return Ok(ExitCode::SUCCESS);
    }
    let path = cwd.join(&out);
    write_atomically(&path, page.html.as_bytes())
        .map_err(|e| UsageError(format!("cannot write {}: {e}", out.display())))?;
    let shown = if out.is_absolute() {
        out.display().to_string()
    } else {
        crate::render::display_path(&path, cwd)
    };
    crate::output::print(&format!(
        "wrote {shown} ({}): {}\nopen it in a browser; it needs no network and no server\n",
        megabytes(page.html.len()),
        page.summary
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes through a temporary file in the same folder, so a browser reloading the page never reads
/// half of it.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

fn megabytes(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{:.0} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// A page made.
pub struct Page {
    pub html: String,
    /// `45 events, 12 KPIs, ...; history of 30 commits` for the terminal.
    pub summary: String,
}

/// Where the page's content comes from: the plan on disk and, when it is in git, its history.
pub struct Source {
    root: PathBuf,
    /// The plan folder as shown: relative to the repository root in git, else to the current folder.
    shown: String,
    repo: Option<Repo>,
    /// The plan folder relative to the repository root.
    repo_dir: Option<String>,
    links: Option<SourceLinks>,
    with_history: bool,
    /// The last history read, with the commit it was read at.
    history: Option<(String, Changelog)>,
    /// Said once: why there is no history.
    warned: bool,
}

impl Source {
    fn new(root: &Path, args: &DocArgs, cwd: &Path) -> Source {
        let repo = Repo::discover(root).ok().filter(|r| r.workdir().is_some());
        let repo_dir = repo.as_ref().and_then(|r| r.relative_to_workdir(root));
        let rev = repo
            .as_ref()
            .and_then(|r| {
                r.head_branch()
                    .or_else(|| r.resolve("HEAD").ok().map(|h| h.id.to_string()))
            })
            .unwrap_or_else(|| "HEAD".to_string());
        let url = args
            .repo_url
            .clone()
            .or_else(|| repo.as_ref().and_then(|r| r.remote_url("origin")));
        let links = url.and_then(|url| trackplan_doc::source_links(&url, &rev));
        if let (Some(url), None) = (&args.repo_url, &links) {
            note!("note: `{url}` is no web address of a repository; the page has no links to it");
        }
        let shown = match &repo_dir {
            Some(dir) if dir.is_empty() => ".".to_string(),
            Some(dir) => dir.clone(),
            None => {
                let shown = crate::render::display_path(root, cwd);
                if shown.is_empty() {
                    ".".to_string()
                } else {
                    shown
                }
            }
        };
        Source {
            root: root.to_path_buf(),
            shown,
            repo,
            repo_dir,
            links,
            with_history: !args.no_history,
            history: None,
            warned: false,
        }
    }

    /// The plan folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The commit HEAD names, when the plan is in git.
    pub fn head(&self) -> Option<String> {
        let repo = self.repo.as_ref()?;
        repo.resolve("HEAD").ok().map(|h| h.id.to_string())
    }

    /// The plan folder for messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Reads the plan (and the history, when HEAD moved) and makes the page.
    pub fn page(&mut self, live: Option<Live>) -> Result<Page> {
        let loaded = discover::load_plan(&self.root)?;
        let diagnostics = trackplan_core::check(&loaded.plan);
        self.refresh_history();
        let history = self.history.as_ref().map(|(_, log)| HistoryInput {
            changelog: log,
            head: "HEAD",
        });
        let generator = format!("trackplan {}", env!("CARGO_PKG_VERSION"));
        let html = trackplan_doc::render(&trackplan_doc::Input {
            plan: &loaded.plan,
            diagnostics: &diagnostics,
            plan_dir: if self.shown == "." { "" } else { &self.shown },
            history,
            source: self.links.clone(),
            live,
            generator: &generator,
        });
        Ok(Page {
            summary: summary(&loaded.plan, self.history.as_ref().map(|(_, l)| l)),
            html,
        })
    }

    fn refresh_history(&mut self) {
        if !self.with_history {
            return;
        }
        let (Some(repo), Some(dir)) = (&self.repo, &self.repo_dir) else {
            if !self.warned {
                self.warned = true;
                note!("note: the plan is not in a git repository; the page has no history");
            }
            return;
        };
        let head = match repo.resolve("HEAD") {
            Ok(head) => head.id.to_string(),
            Err(error) => {
                if !self.warned {
                    self.warned = true;
                    note!("note: no history in the page: {error}");
                }
                self.history = None;
                return;
            }
        };
        if matches!(&self.history, Some((at, _)) if *at == head) {
            return;
        }
        let bar = Bar::stderr();
        let log = repo.changelog(
            &ChangelogOptions {
                plan_dir: dir.clone(),
                ..ChangelogOptions::default()
            },
            &bar,
        );
        bar.finish();
        match log {
            Ok(log) => self.history = Some((head, log)),
            Err(error) => {
                note!("warning: the page has no history: {error}");
                self.history = None;
            }
        }
    }
}

fn summary(plan: &trackplan_core::Plan, history: Option<&Changelog>) -> String {
    let index = trackplan_core::Index::new(plan);
    let mut parts: Vec<String> = Vec::new();
    for &kind in trackplan_core::model::EntityKind::ALL {
        let n = index.names(kind).count();
        if n > 0 {
            let noun = if n == 1 {
                kind.noun()
            } else {
                kind.info().plural
            };
            parts.push(format!("{n} {noun}"));
        }
    }
    let mut out = if parts.is_empty() {
        "an empty plan".to_string()
    } else {
        parts.join(", ")
    };
    if let Some(log) = history {
        let n = log.entries.len();
        out.push_str(&format!(
            "; history of {n} commit{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    out
}
