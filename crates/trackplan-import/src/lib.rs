//! Importers: other tools' tracking plans in, a trackplan plan (its files as YAML text) and a report
//! of what the plan could not hold out.
//!
//! Pure: the caller reads the input files and writes the plan folder. Each source format has its
//! module; they share one mapping from JSON Schema to property definitions (`schema.rs`) and one
//! plan builder (`plan.rs`), which writes YAML through serde_yaml.

mod csv;
mod input;
mod json_schema;
mod mixpanel_lexicon;
mod plan;
mod report;
mod rudderstack;
mod schema;
mod segment;
mod snowplow;
mod yaml;

pub use input::{Input, MAX_INPUT_BYTES};
pub use plan::PlanFile;
pub use report::{Loss, Report, Skipped};

/// The source formats `trackplan import --from` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Segment,
    Rudderstack,
    Snowplow,
    JsonSchema,
    Csv,
    MixpanelLexicon,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Segment,
        Format::Rudderstack,
        Format::Snowplow,
        Format::JsonSchema,
        Format::Csv,
        Format::MixpanelLexicon,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Segment => "segment",
            Format::Rudderstack => "rudderstack",
            Format::Snowplow => "snowplow",
            Format::JsonSchema => "json-schema",
            Format::Csv => "csv",
            Format::MixpanelLexicon => "mixpanel-lexicon",
        }
    }

    /// The format of a command-line name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Which input files of a folder this format reads (the others are not its files).
    pub fn reads_file(self, path: &str) -> bool {
        let lower = path.to_ascii_lowercase();
        let file = lower.rsplit('/').next().unwrap_or(&lower);
        if file.starts_with('.')
            || file == "license"
            || file.ends_with(".md")
            || file.ends_with(".tsv")
        {
            return false;
        }
        match self {
            Format::Segment | Format::JsonSchema | Format::MixpanelLexicon => {
                file.ends_with(".json")
            }
            Format::Rudderstack => file.ends_with(".yaml") || file.ends_with(".yml"),
            // Iglu schemas have no extension: schemas/VENDOR/NAME/FORMAT/1-0-0.
            Format::Snowplow => !file.contains('.') || file.ends_with(".json"),
            Format::Csv => file.ends_with(".csv"),
        }
    }
}

/// What the command line adds to the sources.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The plan's name (`--name`); else the source's, else "Imported plan".
    pub name: Option<String>,
}

/// A plan imported: its files (root file first) and the report.
#[derive(Debug)]
pub struct Imported {
    pub files: Vec<PlanFile>,
    pub report: Report,
}

impl Imported {
    /// The plan as the core reads its files (to check it, or to write its baseline).
    pub fn plan(&self) -> trackplan_core::Plan {
        let files = self
            .files
            .iter()
            .enumerate()
            .map(|(i, file)| {
                std::sync::Arc::new(trackplan_core::parse_file(
                    trackplan_core::FileId(i as u32),
                    &file.path,
                    file.text.as_str(),
                ))
            })
            .collect();
        trackplan_core::Plan::new(files)
    }
}

/// Nothing could be read: every input failed (the report says why, file by file).
#[derive(Debug, thiserror::Error)]
#[error("nothing could be imported from the {} input{}", .report.skipped.len(), if .report.skipped.len() == 1 { "" } else { "s" })]
pub struct NothingImported {
    pub report: Report,
}

/// Imports `inputs` (files with their paths, as the caller found them) of one format.
pub fn import(
    format: Format,
    inputs: &[Input],
    options: &Options,
) -> Result<Imported, NothingImported> {
    let mut report = Report::default();
    let built = match format {
        Format::Segment => segment::import(inputs, &mut report),
        Format::Rudderstack => rudderstack::import(inputs, &mut report),
        Format::Snowplow => snowplow::import(inputs, &mut report),
        Format::JsonSchema => json_schema::import(inputs, &mut report),
        Format::Csv => csv::import(inputs, &mut report),
        Format::MixpanelLexicon => mixpanel_lexicon::import(inputs, &mut report),
    };
    let Some(mut plan) = built else {
        return Err(NothingImported { report });
    };
    if let Some(name) = &options.name {
        plan.name = Some(name.clone());
    }
    let files = plan.files(&mut report);
    let mut imported = Imported { files, report };
    // The importers aim at a plan without errors; one they did not foresee is said, not hidden.
    for diagnostic in trackplan_core::check(&imported.plan()) {
        if diagnostic.severity == trackplan_core::Severity::Error {
            imported.report.loss(
                format!(
                    "error in the imported plan, to fix by hand (`{}`)",
                    diagnostic.rule.as_str()
                ),
                diagnostic.message,
            );
        }
    }
    Ok(imported)
}
