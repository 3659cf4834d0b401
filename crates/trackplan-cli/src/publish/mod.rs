//! `trackplan publish mixpanel`: the plan's Lexicon entries uploaded to a Mixpanel project. It
//! reads the current schemas first and sends only what differs, in batches within Mixpanel's rate
//! limits; `--replace` wipes the project's dictionary first (`truncate: true`), `--dry-run` prints
//! the requests instead of sending them.

mod client;
mod compare;

use crate::discover::UsageError;
use anyhow::{bail, Result};
use clap::{Args, Subcommand, ValueEnum};
use client::{Client, Credentials, Failure, UPDATES_PER_WINDOW};
use compare::{Change, Plan as Changes};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};
use trackplan_core::Date;
use trackplan_export::LexiconEntry;

#[derive(Args)]
pub struct PublishArgs {
    #[command(subcommand)]
    target: Target,
}

#[derive(Subcommand)]
enum Target {
    /// Upload the plan's events and user properties to a Mixpanel project's Lexicon, with service
    /// account credentials from MIXPANEL_SERVICE_ACCOUNT_USERNAME and MIXPANEL_SERVICE_ACCOUNT_SECRET
    Mixpanel(MixpanelArgs),
}

#[derive(Args)]
struct MixpanelArgs {
    /// The plan folder, or a file in it (default: the plan of the current folder)
    #[arg(long, value_name = "DIR")]
    plan: Option<PathBuf>,
    /// The Mixpanel project to publish to (required unless --dry-run)
    #[arg(long, value_name = "ID")]
    project_id: Option<String>,
    /// Where the project's data lives
    #[arg(long, value_enum, default_value_t = Region::Us)]
    region: Region,
    /// Send the requests here instead of the region's API (a proxy, a test server)
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
    /// Print the requests instead of sending them
    #[arg(long)]
    dry_run: bool,
    /// Replace the project's whole Lexicon: delete what the plan does not define (truncate)
    #[arg(long)]
    replace: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Region {
    Us,
    Eu,
    In,
}

impl Region {
    fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://mixpanel.com/api/app",
            Region::Eu => "https://eu.mixpanel.com/api/app",
            Region::In => "https://in.mixpanel.com/api/app",
        }
    }
}

const USERNAME: &str = "MIXPANEL_SERVICE_ACCOUNT_USERNAME";
const SECRET: &str = "MIXPANEL_SERVICE_ACCOUNT_SECRET";
/// The length of Mixpanel's rate-limit window in milliseconds (60,000); a proxy or a test server
/// with other limits sets it.
const WINDOW_VARIABLE: &str = "TRACKPLAN_MIXPANEL_RATE_WINDOW_MS";

pub fn run(args: &PublishArgs, cwd: &Path) -> Result<ExitCode> {
    match &args.target {
        Target::Mixpanel(args) => mixpanel(args, cwd),
    }
}

fn mixpanel(args: &MixpanelArgs, cwd: &Path) -> Result<ExitCode> {
    let root = crate::one_plan_root(args.plan.as_deref(), cwd, "publish mixpanel")?;
    let loaded = crate::export::load_without_errors(&root, cwd)?;
    let options = trackplan_export::Options {
        today: Some(Date::of(SystemTime::now())),
        vendor: None,
    };
    let (entries, left_out) = trackplan_export::lexicon_entries(&loaded.plan, &options);
    crate::export::say_left_out("Mixpanel's Lexicon", &left_out);
    let base = args
        .api_url
        .clone()
        .unwrap_or_else(|| args.region.base_url().to_string());
    let credentials = credentials()?;
    let project = match (&args.project_id, args.dry_run) {
        (Some(id), _) => id.clone(),
        (None, true) => "{projectId}".to_string(),
        (None, false) => bail!(UsageError(
            "name the Mixpanel project with --project-id ID (its id is in the project's settings)"
                .into()
        )),
    };
    if credentials.is_none() && !args.dry_run {
        bail!(UsageError(format!(
            "set {USERNAME} and {SECRET} to a service account of the project (trackplan never reads them from the plan)"
        )));
    }
    let window = window()?;
    let mut client = credentials
        .as_ref()
        .filter(|_| args.project_id.is_some())
        .map(|c| Client::new(&base, &project, c, window));
    if let Some(client) = &mut client {
        client.on_wait = Box::new(|message| crate::output::note(format_args!("note: {message}")));
    }
    let changes = match &mut client {
        Some(client) => {
            let current = client.current_schemas().map_err(|failure| {
                anyhow::anyhow!("cannot read the project's current schemas: {failure}")
            })?;
            compare::changes(&entries, &current)
        }
        None => {
            crate::output::note(format_args!(
                "note: without credentials and --project-id the current schemas cannot be read: every entry is shown as sent"
            ));
            compare::all_new(&entries)
        }
    };
    let to_send: Vec<&LexiconEntry> = if args.replace {
        entries.iter().collect()
    } else {
        changes.to_send()
    };
    let batches = batches(&to_send);
    if args.dry_run {
        return dry_run(&base, &project, &batches, args.replace, &changes);
    }
    let client = client.expect("a client when not a dry run");
    send(client, &project, &batches, args.replace, &changes)
}

fn credentials() -> Result<Option<Credentials>> {
    let username = std::env::var(USERNAME).ok().filter(|v| !v.is_empty());
    let secret = std::env::var(SECRET).ok().filter(|v| !v.is_empty());
    match (username, secret) {
        (Some(username), Some(secret)) => Ok(Some(Credentials { username, secret })),
        (None, None) => Ok(None),
        (Some(_), None) => bail!(UsageError(format!("{USERNAME} is set but {SECRET} is not"))),
        (None, Some(_)) => bail!(UsageError(format!("{SECRET} is set but {USERNAME} is not"))),
    }
}

fn window() -> Result<Duration> {
    match std::env::var(WINDOW_VARIABLE) {
        Err(_) => Ok(Duration::from_secs(60)),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(ms) => Ok(Duration::from_millis(ms)),
            Err(_) => bail!(UsageError(format!(
                "{WINDOW_VARIABLE} is `{text}`: write a number of milliseconds"
            ))),
        },
    }
}

/// The entries in batches of at most Mixpanel's 4,000 updated events and properties (an entry
/// larger than that goes alone).
fn batches<'a>(entries: &[&'a LexiconEntry]) -> Vec<Vec<&'a LexiconEntry>> {
    let mut batches: Vec<Vec<&LexiconEntry>> = Vec::new();
    let mut size = 0;
    for entry in entries {
        let updates = entry.updates();
        match batches.last_mut() {
            Some(batch) if size + updates <= UPDATES_PER_WINDOW => {
                batch.push(entry);
                size += updates;
            }
            _ => {
                batches.push(vec![entry]);
                size = updates;
            }
        }
    }
    batches
}

/// The body of a batch: `truncate` only on the first batch of a `--replace` (a later one would
/// wipe what the first sent).
fn body(batch: &[&LexiconEntry], index: usize, replace: bool) -> serde_json::Value {
    let entries: Vec<LexiconEntry> = batch.iter().map(|e| (*e).clone()).collect();
    trackplan_export::lexicon_body(&entries, replace && index == 0)
}

fn dry_run(
    base: &str,
    project: &str,
    batches: &[Vec<&LexiconEntry>],
    replace: bool,
    changes: &Changes,
) -> Result<ExitCode> {
    let url = Client::schemas_url(base, project);
    let mut text = String::new();
    for (i, batch) in batches.iter().enumerate() {
        let body = serde_json::to_string_pretty(&body(batch, i, replace))?;
        text.push_str(&format!(
            "POST {url}\nAuthorization: Basic <credentials>\nContent-Type: application/json\n\n{body}\n\n"
        ));
    }
    text.push_str(&changes.report(replace));
    text.push_str(&format!(
        "dry run: {} request{} not sent\n",
        batches.len(),
        if batches.len() == 1 { "" } else { "s" }
    ));
    crate::output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn send(
    mut client: Client,
    project: &str,
    batches: &[Vec<&LexiconEntry>],
    replace: bool,
    changes: &Changes,
) -> Result<ExitCode> {
    if batches.is_empty() {
        crate::output::print(&format!(
            "Mixpanel project {project} already holds the plan: nothing to send ({} unchanged)\n",
            changes.unchanged
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut sent: Vec<&LexiconEntry> = Vec::new();
    for (i, batch) in batches.iter().enumerate() {
        let updates = batch.iter().map(|e| e.updates()).sum();
        if let Err(failure) = client.post_batch(&body(batch, i, replace), updates) {
            let mut text = String::new();
            if !sent.is_empty() {
                text.push_str(&changes.report_for(&sent, replace));
            }
            let names: Vec<String> = batch.iter().map(|e| describe(e)).collect();
            let left: usize = batches[i + 1..].iter().map(Vec::len).sum();
            crate::output::print(&text)?;
            let unsure = match failure {
                Failure::GaveUp { .. } => "; Mixpanel may or may not have applied it: run publish again, it sends only what still differs",
                _ => "",
            };
            bail!(
                "batch {} of {} ({} entr{}: {}) failed: {failure}{unsure}; {} batch{} ({} entries) sent before it, {} entries after it not sent",
                i + 1,
                batches.len(),
                batch.len(),
                if batch.len() == 1 { "y" } else { "ies" },
                names.join(", "),
                i,
                if i == 1 { "" } else { "es" },
                sent.len(),
                left
            );
        }
        sent.extend(batch.iter().copied());
    }
    let mut text = changes.report(replace);
    text.push_str(&format!(
        "published to Mixpanel project {project} in {} request{}\n",
        batches.len(),
        if batches.len() == 1 { "" } else { "s" }
    ));
    crate::output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn describe(entry: &LexiconEntry) -> String {
    if entry.entity_type == "profile" {
        "user properties".to_string()
    } else {
        format!("event `{}`", entry.name)
    }
}

impl Change {
    fn verb(&self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed(_) => "changed",
        }
    }
}
