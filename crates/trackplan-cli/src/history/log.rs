//! `trackplan log ENTITY`: the history of one event, property, KPI (or flow, goal, team): each
//! commit that changed it and how, following renames back in time.

use super::changelog::{entry_json, entry_markdown, walk, PlanLog};
use super::render::{human_change, printable, Paint};
use super::Several;
use crate::discover::UsageError;
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use trackplan_core::diff::{Change, Kind};
use trackplan_git::{Entry, Outcome};

#[derive(Args)]
pub struct LogArgs {
    /// The event, property or KPI (or flow, goal, team) name, exactly as in the plan
    entity: String,
    /// The plan folder, a file in it, or a folder with plans below it (default: the plan of the
    /// current folder, else the one plan below it)
    #[arg(long, value_name = "DIR")]
    plan: Option<PathBuf>,
    /// Leave out this revision and what came before it
    #[arg(long, value_name = "REV")]
    from: Option<String>,
    /// Start from this revision
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    to: String,
    /// Follow every parent of merge commits, not only the first
    #[arg(long)]
    all_parents: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Markdown,
    Json,
}

/// Whether a change is about one of `names`: the entity itself, a property of that name in any
/// event, or something nested in it.
fn mentions(change: &Change, names: &BTreeSet<String>) -> bool {
    if names.contains(&change.name) {
        return true;
    }
    if let Some(path) = &change.property {
        return names.iter().any(|n| {
            path == n || path.starts_with(&format!("{n}.")) || path.starts_with(&format!("{n}[]"))
        });
    }
    false
}

fn is_rename(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::EventRenamed | Kind::PropertyRenamed | Kind::UserPropertyRenamed
    )
}

/// The entries that concern the entity (newest first), each with only its changes; renames add
/// the old name to follow further back.
fn history<'e>(
    log: &'e PlanLog,
    entity: &str,
) -> (Vec<(&'e Entry, Vec<&'e Change>)>, BTreeSet<String>) {
    let mut names = BTreeSet::from([entity.to_string()]);
    let mut out = Vec::new();
    for entry in &log.log.entries {
        let changes = match &entry.outcome {
            Outcome::Changed { changes, .. }
            | Outcome::Created { changes }
            | Outcome::Removed { changes } => changes,
            Outcome::Unreadable(_) | Outcome::ShallowBoundary => continue,
        };
        let mut found = Vec::new();
        let mut renamed_from = Vec::new();
        for change in changes {
            let renamed_to_tracked = is_rename(change.kind)
                && change
                    .new
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .is_some_and(|n| names.contains(n));
            if renamed_to_tracked {
                renamed_from.push(change.name.clone());
            }
            if renamed_to_tracked || mentions(change, &names) {
                found.push(change);
            }
        }
        names.extend(renamed_from);
        if !found.is_empty() {
            out.push((entry, found));
        }
    }
    (out, names)
}

pub fn run(args: &LogArgs, cwd: &Path) -> Result<ExitCode> {
    let logs = walk(
        args.plan.as_deref(),
        args.from.as_deref(),
        &args.to,
        args.all_parents,
        cwd,
        &Several::AskFor(format!("log {}", shell_word(&args.entity))),
    )?;
    let histories: Vec<_> = logs
        .iter()
        .map(|log| (log, history(log, &args.entity)))
        .collect();
    if histories.iter().all(|(_, (entries, _))| entries.is_empty()) {
        let shallow = logs.iter().any(|l| l.log.shallow);
        let hint = if shallow {
            "; this is a shallow clone, so older history may be missing (`git fetch --unshallow`)"
        } else {
            ""
        };
        bail!(UsageError(format!(
            "no commit changed `{}` in the history of {}{hint}",
            args.entity,
            logs.iter()
                .map(|l| l.plan.shown().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let output = match args.format {
        Format::Human => {
            let color = crate::render::Color::Auto.enabled();
            human(&args.entity, &histories, color)
        }
        Format::Markdown => {
            let mut out = String::new();
            for (log, (entries, names)) in &histories {
                let _ = writeln!(
                    out,
                    "# History of `{}` in `{}`\n",
                    args.entity,
                    log.plan.shown()
                );
                if names.len() > 1 {
                    let older: Vec<String> = names
                        .iter()
                        .filter(|n| **n != args.entity)
                        .map(|n| format!("`{n}`"))
                        .collect();
                    let _ = writeln!(out, "Formerly {}.\n", older.join(", "));
                }
                for (entry, changes) in entries {
                    let only = only_these(entry, changes);
                    entry_markdown(&mut out, &log.plan, &only, "##");
                }
            }
            out
        }
        Format::Json => {
            let plans: Vec<_> = histories
                .iter()
                .map(|(log, (entries, names))| {
                    json!({
                        "path": log.plan.dir,
                        "names": names,
                        "entries": entries.iter().map(|(entry, changes)| {
                            entry_json(entry, |c| changes.iter().any(|k| std::ptr::eq(*k, c)))
                        }).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let value = json!({ "version": 1, "entity": args.entity, "plans": plans });
            serde_json::to_string_pretty(&value).expect("JSON values serialize") + "\n"
        }
    };
    crate::output::print(&output)?;
    Ok(ExitCode::SUCCESS)
}

/// A name as one word of a shell command (`'Order Completed'`), for the commands errors suggest.
fn shell_word(name: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./".contains(c);
    if !name.is_empty() && name.chars().all(plain) {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}

/// An entry restricted to some of its changes, shown as a plain change list.
fn only_these(entry: &Entry, changes: &[&Change]) -> Entry {
    Entry {
        commit: entry.commit.clone(),
        tags: entry.tags.clone(),
        release: entry.release.clone(),
        outcome: Outcome::Changed {
            changes: changes.iter().map(|c| (*c).clone()).collect(),
            compared_with: match &entry.outcome {
                Outcome::Changed { compared_with, .. } => compared_with.clone(),
                _ => None,
            },
        },
    }
}

type History<'a> = (Vec<(&'a Entry, Vec<&'a Change>)>, BTreeSet<String>);

fn human(entity: &str, histories: &[(&PlanLog, History<'_>)], color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    for (log, (entries, names)) in histories {
        let mut title = format!("history of `{entity}` in {}", log.plan.shown());
        if names.len() > 1 {
            let older: Vec<String> = names
                .iter()
                .filter(|n| *n != entity)
                .map(|n| format!("`{n}`"))
                .collect();
            let _ = write!(title, " (formerly {})", older.join(", "));
        }
        let _ = writeln!(out, "{}", paint.bold(&title));
        for (entry, changes) in entries {
            let c = &entry.commit;
            let what = match &entry.outcome {
                Outcome::Created { .. } => " (plan created)",
                Outcome::Removed { .. } => " (plan removed)",
                _ => "",
            };
            let _ = writeln!(
                out,
                "\n{} {} {}  {}{what}",
                paint.bold(&c.short_id),
                c.date(),
                printable(&c.author),
                printable(&c.summary)
            );
            for change in changes {
                human_change(&mut out, &paint, change, "  ", None);
            }
        }
        if log.log.shallow {
            let _ = writeln!(
                out,
                "\nthis is a shallow clone: history before {} is not here (`git fetch --unshallow`)",
                log.log
                    .entries
                    .iter()
                    .rev()
                    .find(|e| matches!(e.outcome, Outcome::ShallowBoundary))
                    .map_or("its first commit".to_string(), |e| e.commit.short_id.clone())
            );
        }
    }
    out
}
