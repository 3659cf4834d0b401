//! `trackplan export`: the plan in the format of a tool it is sent to, written to a file, a folder
//! or standard output. `trackplan-export` makes the bytes; this module reads the plan and writes.

use crate::discover::{self, LoadedPlan, UsageError};
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;
use trackplan_core::{Date, Severity};
use trackplan_export::{Export, Format, LeftOut};

#[derive(Args)]
pub struct ExportArgs {
    /// The format to write
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: ExportFormat,
    /// The plan folder, or a file in it (default: the plan of the current folder)
    #[arg(long, value_name = "DIR")]
    plan: Option<PathBuf>,
    /// Where to write: a folder for rudderstack and snowplow, a file for the others (standard
    /// output when absent)
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// The Iglu vendor of the Snowplow schemas, your organisation's reversed domain (com.acme)
    #[arg(long, value_name = "VENDOR")]
    vendor: Option<String>,
    /// The SQL dialect of --format sql
    #[arg(long, value_enum, value_name = "DIALECT")]
    dialect: Option<SqlDialect>,
    /// The table of events --format sql reads: a text column `event`, a JSON column `properties`
    #[arg(long, value_name = "TABLE", default_value = "events")]
    table: String,
}

/// The SQL dialects of `--format sql`.
#[derive(Clone, Copy, ValueEnum)]
enum SqlDialect {
    /// DuckDB (`properties` of type JSON or JSON text)
    Duckdb,
    /// Spark SQL 4 or later (`properties` a string of JSON)
    Spark,
    /// BigQuery (`properties` of type JSON)
    Bigquery,
    /// Snowflake (`properties` a VARIANT)
    Snowflake,
}

/// The formats on the command line; each is one of `trackplan_export::Format`.
#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// Mixpanel Lexicon Schemas API batch body (JSON)
    MixpanelLexicon,
    /// Mixpanel Lexicon's CSV layout
    MixpanelLexiconCsv,
    /// One JSON Schema (draft 2020-12) with a definition per event
    JsonSchema,
    /// A Segment Protocols tracking plan (Public API shape)
    Segment,
    /// A rudder-cli data-catalog project (v1 spec), into the folder --out names
    Rudderstack,
    /// Iglu self-describing schemas, one per event, into the folder --out names
    Snowplow,
    /// The Mixpanel tracking-plan spreadsheet, as CSV
    Csv,
    /// A data dictionary for a wiki
    Markdown,
    /// The audit as one SQL query over a table of events (--dialect, --table)
    Sql,
}

impl ExportFormat {
    fn format(self) -> Option<Format> {
        Some(match self {
            ExportFormat::Sql => return None,
            ExportFormat::MixpanelLexicon => Format::MixpanelLexicon,
            ExportFormat::MixpanelLexiconCsv => Format::MixpanelLexiconCsv,
            ExportFormat::JsonSchema => Format::JsonSchema,
            ExportFormat::Segment => Format::Segment,
            ExportFormat::Rudderstack => Format::Rudderstack,
            ExportFormat::Snowplow => Format::Snowplow,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Markdown => Format::Markdown,
        })
    }
}

pub fn run(args: &ExportArgs, cwd: &Path) -> Result<ExitCode> {
    let Some(format) = args.format.format() else {
        return run_sql(args, cwd);
    };
    if args.dialect.is_some() {
        bail!(UsageError("--dialect is for --format sql".to_string()));
    }
    if let Some(vendor) = &args.vendor {
        if !trackplan_export::is_iglu_vendor(vendor) {
            bail!(UsageError(format!(
                "`{vendor}` is no Iglu vendor: write your organisation's reversed domain name, like com.acme"
            )));
        }
    }
    let root = crate::one_plan_root(args.plan.as_deref(), cwd, "export")?;
    let loaded = load_without_errors(&root, cwd)?;
    let options = trackplan_export::Options {
        today: Some(Date::of(SystemTime::now())),
        vendor: args.vendor.clone(),
    };
    let export = trackplan_export::export(&loaded.plan, format, &options);
    match &args.out {
        None if format.is_folder() => bail!(UsageError(format!(
            "{} writes a folder of files: give it with --out DIR",
            format.name()
        ))),
        None => {
            for file in &export.files {
                crate::output::to_stdout(|out| out.write_all(&file.bytes))?;
            }
        }
        Some(out) => write_files(&export, format, &cwd.join(out), out)?,
    }
    for warning in &export.warnings {
        crate::output::note(format_args!("warning: {warning}"));
    }
    say_left_out(format.name(), &export.left_out);
    Ok(ExitCode::SUCCESS)
}

/// `--format sql`: the audit as one query, to standard output or the file --out names.
fn run_sql(args: &ExportArgs, cwd: &Path) -> Result<ExitCode> {
    let Some(dialect) = args.dialect else {
        bail!(UsageError(
            "--format sql needs --dialect (duckdb, spark, bigquery or snowflake)".to_string()
        ));
    };
    if !is_table_name(&args.table) {
        bail!(UsageError(format!(
            "`{}` is no table name: write letters, digits and `_`, parts joined by `.` (analytics.events)",
            args.table
        )));
    }
    let root = crate::one_plan_root(args.plan.as_deref(), cwd, "export")?;
    let loaded = load_without_errors(&root, cwd)?;
    let plan = trackplan_audit::AuditPlan::new(&loaded.plan);
    let dialect = match dialect {
        SqlDialect::Duckdb => trackplan_audit::sql::Dialect::DuckDb,
        SqlDialect::Spark => trackplan_audit::sql::Dialect::Spark,
        SqlDialect::Bigquery => trackplan_audit::sql::Dialect::BigQuery,
        SqlDialect::Snowflake => trackplan_audit::sql::Dialect::Snowflake,
    };
    let sql = trackplan_audit::sql::query(&plan, dialect, &args.table);
    match &args.out {
        None => crate::output::to_stdout(|out| out.write_all(sql.as_bytes()))?,
        Some(out) => {
            std::fs::write(cwd.join(out), sql).map_err(|e| {
                UsageError(format!(
                    "cannot write {}: {}",
                    out.display(),
                    trackplan_fs::io_reason(&e)
                ))
            })?;
            crate::output::note(format_args!("wrote {}", out.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `events`, `analytics.events`, `project.dataset.events`: the table is written into the query
/// as it is, so only plain names are taken.
fn is_table_name(table: &str) -> bool {
    table.split('.').all(|part| {
        !part.is_empty()
            && !part.starts_with(|c: char| c.is_ascii_digit())
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn write_files(export: &Export, format: Format, path: &Path, shown: &Path) -> Result<()> {
    let cannot = |e: std::io::Error, p: &Path| {
        UsageError(format!(
            "cannot write {}: {}",
            p.display(),
            trackplan_fs::io_reason(&e)
        ))
    };
    if format.is_folder() {
        std::fs::create_dir_all(path).map_err(|e| cannot(e, shown))?;
        for file in &export.files {
            let target = path.join(&file.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| cannot(e, parent))?;
            }
            std::fs::write(&target, &file.bytes).map_err(|e| cannot(e, &shown.join(&file.path)))?;
        }
        crate::output::note(format_args!(
            "wrote {} files to {}",
            export.files.len(),
            shown.display()
        ));
    } else {
        let bytes: Vec<u8> = export.files.iter().flat_map(|f| f.bytes.clone()).collect();
        std::fs::write(path, bytes).map_err(|e| cannot(e, shown))?;
        crate::output::note(format_args!("wrote {}", shown.display()));
    }
    Ok(())
}

/// What the format could not hold, with counts, on stderr.
pub fn say_left_out(format: &str, left_out: &[LeftOut]) {
    if left_out.is_empty() {
        return;
    }
    let items: Vec<String> = left_out.iter().map(LeftOut::to_string).collect();
    crate::output::note(format_args!(
        "note: {format} cannot hold everything in the plan; left out: {}",
        items.join(", ")
    ));
}

/// Reads the plan; a plan with errors is not exported (what it means is unsure until they are
/// fixed).
pub fn load_without_errors(root: &Path, cwd: &Path) -> Result<LoadedPlan> {
    let loaded = discover::load_plan(root)?;
    let errors = trackplan_core::check(&loaded.plan)
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        let shown = crate::render::display_path(root, cwd);
        let shown = if shown.is_empty() { "." } else { &shown };
        bail!(UsageError(format!(
            "the plan has {errors} error{}; fix {} first (`trackplan check {shown}` shows {})",
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "it" } else { "them" },
            if errors == 1 { "it" } else { "them" },
        )));
    }
    Ok(loaded)
}
