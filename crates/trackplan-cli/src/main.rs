//! The `trackplan` command.

mod audit;
mod check;
mod discover;
mod doc;
mod docs;
mod export;
mod history;
mod import;
mod init;
mod output;
mod publish;
mod render;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use discover::UsageError;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Reading a large plan makes hundreds of thousands of small allocations; mimalloc serves them
// several times faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The language server lives for hours and re-reads files on every keystroke: memory it frees should
/// go back to the system at once, not after mimalloc's default delay (a one-off check does not care).
fn return_freed_memory_promptly() {
    /// `mi_option_purge_delay` in the `mi_option_e` enum of the mimalloc version pinned in the
    /// workspace (libmimalloc-sys 0.1.49, mimalloc v3); it has no named constant in the bindings.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store mimalloc allows at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

#[derive(Parser)]
#[command(
    name = "trackplan",
    version,
    about = "Tracking plans as code: lint, edit, review and version your analytics tracking plan"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check plans and print their problems
    Check(check::CheckArgs),
    /// Check events (files or stdin, Mixpanel, Segment, RudderStack or Snowplow) against the plan
    Audit(audit::AuditArgs),
    /// Compare the plan between two revisions, or a revision and the work tree (pull-request review)
    Diff(history::diff::DiffArgs),
    /// Print the plan's git history as a changelog
    Changelog(history::changelog::ChangelogArgs),
    /// Print the history of one event, property or KPI
    Log(history::log::LogArgs),
    /// Write the plan's documentation as one HTML page (map, entity pages, search, history), or
    /// serve it with --serve
    Doc(doc::DocArgs),
    /// Write the plan in the format of a tool it is sent to (Mixpanel Lexicon, JSON Schema, ...)
    Export(export::ExportArgs),
    /// Upload the plan to a tool's data dictionary (Mixpanel's Lexicon)
    Publish(publish::PublishArgs),
    /// Write a plan folder from another tool's plan (Segment, RudderStack, Snowplow, JSON
    /// Schema, a spreadsheet, Mixpanel's Lexicon) and report what it could not hold
    Import(import::ImportArgs),
    /// Create a plan folder from a template
    Init {
        /// Where to write the plan (default: the current folder)
        dir: Option<PathBuf>,
        /// Which template to start from
        #[arg(long, short, value_enum, default_value_t = Template::Blank)]
        template: Template,
    },
    /// List the rules with their default severity
    Rules {
        /// Print the full documentation of every rule as Markdown (what docs/rules.md holds)
        #[arg(long)]
        markdown: bool,
        /// The rules of `trackplan audit` (events against the plan) instead of the plan's
        #[arg(long)]
        audit: bool,
    },
    /// Print the documentation of a rule
    Explain {
        /// The rule's name, as in `trackplan rules`
        rule: String,
    },
    /// Start the language server on stdin and stdout (for editors)
    Lsp {
        /// Accepted for editors that pass it; stdio is the only transport
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Print the JSON Schema of plan files (for editors without the language server)
    Schema {
        /// The schema of the root file (trackplan.yaml) rather than of the other plan files
        #[arg(long)]
        root: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Template {
    Blank,
    Ecommerce,
    Media,
    Saas,
    Fintech,
}

impl Template {
    fn name(self) -> &'static str {
        match self {
            Template::Blank => "blank",
            Template::Ecommerce => "ecommerce",
            Template::Media => "media",
            Template::Saas => "saas",
            Template::Fintech => "fintech",
        }
    }
}

/// The one plan a command (`doc`, `export`, `publish`) works on: `--plan`, else the current
/// folder's; several plans below the folder are an error that names them.
pub fn one_plan_root(plan: Option<&Path>, cwd: &Path, command: &str) -> Result<PathBuf> {
    let paths: Vec<PathBuf> = plan.map(Path::to_path_buf).into_iter().collect();
    let roots = discover::plan_roots(&paths, cwd)?;
    if roots.len() > 1 {
        let shown: Vec<String> = roots
            .iter()
            .map(|r| crate::render::display_path(r, cwd))
            .collect();
        anyhow::bail!(UsageError(format!(
            "{} plans were found ({}); name one with --plan, for example `trackplan {command} --plan {}`",
            roots.len(),
            shown.join(", "),
            shown[0]
        )));
    }
    Ok(roots
        .into_iter()
        .next()
        .expect("plan_roots finds at least one plan"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            // Bad usage, unreadable paths and no plan found all exit with 2; findings exit with 1.
            output::note(format_args!("error: {error:#}"));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    match cli.command {
        Command::Check(args) => check::run(&args, &cwd),
        Command::Audit(args) => audit::run(&args, &cwd),
        Command::Diff(args) => history::diff::run(&args, &cwd),
        Command::Changelog(args) => history::changelog::run(&args, &cwd),
        Command::Log(args) => history::log::run(&args, &cwd),
        Command::Doc(args) => doc::run(&args, &cwd),
        Command::Export(args) => export::run(&args, &cwd),
        Command::Publish(args) => publish::run(&args, &cwd),
        Command::Import(args) => import::run(&args, &cwd),
        Command::Init { dir, template } => {
            let dir = cwd.join(dir.unwrap_or_default());
            let written = init::run(&dir, template.name())?;
            let shown = render::display_path(&dir, &cwd);
            let shown = if shown.is_empty() {
                "."
            } else {
                shown.as_str()
            };
            let mut text = format!("created a {} plan in {shown}:\n", template.name());
            for file in written {
                text.push_str(&format!("  {file}\n"));
            }
            text.push_str("next: edit the plan, then run `trackplan check`\n");
            output::print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { markdown, audit } => {
            output::print(&match (audit, markdown) {
                (false, true) => docs::rules_markdown(),
                (false, false) => docs::rules_table(),
                (true, true) => docs::audit_rules_markdown(),
                (true, false) => docs::audit_rules_table(),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => {
            let page = match (
                trackplan_core::rules::find(&rule),
                trackplan_audit::rules::find(&rule),
            ) {
                (Some(rule), _) => Some((rule.name(), rule.default_severity(), rule.doc(), "")),
                (None, Some(rule)) => Some((
                    rule.name(),
                    rule.default_severity(),
                    rule.doc(),
                    " (a rule of `trackplan audit`, which checks events against the plan)",
                )),
                (None, None) => None,
            };
            match page {
                Some((name, severity, doc, kind)) => {
                    output::print(&format!(
                        "# {name}\n\nDefault severity: {severity}{kind}\n\n{doc}\n"
                    ))?;
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    let names = trackplan_core::rules::RULES
                        .iter()
                        .map(|r| r.name())
                        .chain(trackplan_audit::AUDIT_RULES.iter().map(|r| r.name()));
                    let hint = match trackplan_core::suggest::did_you_mean(&rule, names) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => "; `trackplan rules` and `trackplan rules --audit` list them"
                            .to_string(),
                    };
                    Err(UsageError(format!("unknown rule `{rule}`{hint}")).into())
                }
            }
        }
        Command::Lsp { .. } => {
            return_freed_memory_promptly();
            let code = trackplan_lsp::run_stdio()?;
            Ok(ExitCode::from(code as u8))
        }
        Command::Schema { root } => {
            let schema = trackplan_core::schema::json_schema(root);
            output::print(&format!("{}\n", serde_json::to_string_pretty(&schema)?))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
