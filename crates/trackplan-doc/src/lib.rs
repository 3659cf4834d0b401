//! The plan's documentation for people who do not read YAML: one self-contained HTML page with a
//! drawn map of goals, KPIs, flows and events, a page per entity with every link followed both ways,
//! search, filters and the plan's history.
//!
//! Plan and history in, one HTML string out; no IO of its own (the CLI reads the plan, walks the
//! history with `trackplan-git` and writes or serves the page). The page holds its styles, script
//! and data inline and makes no request, so it opens from disk, in a mail attachment or in an editor's
//! web view.
//!
//! - [`read`] is the one module that reads the core's model,
//! - [`history`] turns the changelog into the history of each entity,
//! - [`links`] builds links to the repository's web view,
//! - [`page`] assembles the HTML.

pub mod data;
pub mod history;
pub mod links;
pub mod page;
pub mod read;

pub use data::{Data, Live, SourceLinks};
pub use links::source_links;

use trackplan_core::{Diagnostic, Plan};
use trackplan_git::Changelog;

/// What the page is made of.
pub struct Input<'a> {
    pub plan: &'a Plan,
    /// The plan's findings (`trackplan_core::check`), shown on the overview and on entity pages.
    pub diagnostics: &'a [Diagnostic],
    /// The plan folder as people know it: relative to the repository root when the plan is in git.
    pub plan_dir: &'a str,
    /// The plan's history, when it is in git.
    pub history: Option<HistoryInput<'a>>,
    /// Links to the repository's web view ([`source_links`]); `{path}` is relative to the repository
    /// root.
    pub source: Option<SourceLinks>,
    /// Set by a server that reloads the page when the plan changes.
    pub live: Option<Live>,
    /// What made the page, `trackplan 0.1.0`.
    pub generator: &'a str,
}

/// The changelog of the plan and the revision it was walked from.
#[derive(Clone, Copy)]
pub struct HistoryInput<'a> {
    pub changelog: &'a Changelog,
    /// The revision as named (`HEAD`).
    pub head: &'a str,
}

/// The page's data: what the script shows.
pub fn data(input: &Input<'_>) -> Data {
    let (history, by_entity) = match input.history {
        Some(h) => {
            let (history, by_entity) = history::read(h.changelog, h.head);
            (Some(history), by_entity)
        }
        None => (None, Default::default()),
    };
    let mut plan_history = by_entity
        .get(&(history::PLAN_KEY.to_string(), String::new()))
        .cloned()
        .unwrap_or_default();
    plan_history.sort_by_key(|(entry, _)| *entry);
    let read = read::read(input.plan, input.diagnostics, by_entity);
    let mut plan = read.plan;
    plan.dir = input.plan_dir.to_string();
    plan.history = plan_history;
    // File links are written relative to the repository root; the page knows plan-relative paths.
    let source = input.source.clone().map(|links| SourceLinks {
        dir: input.plan_dir.to_string(),
        ..links
    });
    Data {
        format: 1,
        generator: input.generator.to_string(),
        plan,
        files: read.files,
        source,
        kinds: read.kinds,
        entities: read.entities,
        problems: read.problems,
        inline_history: read.inline_history,
        history,
        live: input.live.clone(),
    }
}

/// The page: one HTML document holding its styles, script and data.
pub fn render(input: &Input<'_>) -> String {
    page::html(&data(input))
}
