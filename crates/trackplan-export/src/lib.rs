//! The plan in the formats of the tools it is sent to: a [`Plan`] in, files as bytes out, with what
//! the format could not hold. No IO: the CLI writes the files and says what was left out.
//!
//! Every format reads the plan through one [`view::View`] (dictionary references resolved, super
//! properties and the destinations' automatic properties known), and writes deterministic bytes:
//! keys sorted, entities in a stable order, so that an exported file diffs well in git.

mod csv;
mod json_schema;
mod left_out;
mod markdown;
mod mixpanel_lexicon;
mod mixpanel_lexicon_csv;
mod rudderstack;
mod segment;
mod snowplow;
mod text;
mod view;

pub use left_out::{Facet, LeftOut};
pub use mixpanel_lexicon::{body as lexicon_body, lexicon_entries, LexiconEntry};
pub use snowplow::is_vendor as is_iglu_vendor;
pub use view::View;

use trackplan_core::{Date, Plan};

/// A format `trackplan export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    MixpanelLexicon,
    MixpanelLexiconCsv,
    JsonSchema,
    Segment,
    Rudderstack,
    Snowplow,
    Csv,
    Markdown,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::MixpanelLexicon,
        Format::MixpanelLexiconCsv,
        Format::JsonSchema,
        Format::Segment,
        Format::Rudderstack,
        Format::Snowplow,
        Format::Csv,
        Format::Markdown,
    ];

    /// The name on the command line (`--format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::MixpanelLexicon => "mixpanel-lexicon",
            Format::MixpanelLexiconCsv => "mixpanel-lexicon-csv",
            Format::JsonSchema => "json-schema",
            Format::Segment => "segment",
            Format::Rudderstack => "rudderstack",
            Format::Snowplow => "snowplow",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }

    /// The format writes a folder of files rather than one file.
    pub fn is_folder(self) -> bool {
        matches!(self, Format::Rudderstack | Format::Snowplow)
    }
}

/// What an export may be told beyond the plan.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Today (UTC), for what depends on `expires` (a deprecated event past its expiry date is
    /// dropped in Lexicon); `None`: nothing has expired.
    pub today: Option<Date>,
    /// The Iglu vendor of Snowplow schemas (`com.acme`); `None`: `com.example`, with a warning.
    pub vendor: Option<String>,
}

/// One file of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// Its path relative to the output folder, with `/` (for one-file formats, the usual name).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// An export: its files, and what the format could not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub files: Vec<File>,
    pub left_out: Vec<LeftOut>,
    /// What the user should know about the export (a default they did not choose).
    pub warnings: Vec<String>,
}

/// Writes the plan in a format.
pub fn export(plan: &Plan, format: Format, options: &Options) -> Export {
    let view = View::new(plan);
    let mut warnings = Vec::new();
    let (files, mut left_out) = match format {
        Format::MixpanelLexicon => one(
            "lexicon-schemas.json",
            mixpanel_lexicon::write(&view, options),
        ),
        Format::MixpanelLexiconCsv => one("lexicon.csv", mixpanel_lexicon_csv::write(&view)),
        Format::JsonSchema => one("tracking-plan.schema.json", json_schema::write(&view)),
        Format::Segment => one("segment-tracking-plan.json", segment::write(&view)),
        Format::Rudderstack => rudderstack::write(&view),
        Format::Snowplow => {
            let (files, left_out, said) = snowplow::write(&view, options);
            warnings = said;
            (files, left_out)
        }
        Format::Csv => one("tracking-plan.csv", csv::write(&view)),
        Format::Markdown => one("tracking-plan.md", markdown::write(&view)),
    };
    left_out.extend(left_out::facets_left_out(&view, keeps(format)));
    Export {
        files,
        left_out: left_out::merge(left_out),
        warnings,
    }
}

fn one(path: &str, (bytes, left_out): (Vec<u8>, Vec<LeftOut>)) -> (Vec<File>, Vec<LeftOut>) {
    (
        vec![File {
            path: path.to_string(),
            bytes,
        }],
        left_out,
    )
}

/// What each format holds of the parts of a plan that not every format can (the rest is counted
/// as left out).
fn keeps(format: Format) -> &'static [Facet] {
    use Facet::*;
    match format {
        Format::MixpanelLexicon => &[EventOwners, Tags, Examples, Pii],
        Format::MixpanelLexiconCsv => &[Tags, Examples, Pii],
        Format::JsonSchema => &[Examples],
        Format::Segment => &[Tags, Examples],
        Format::Rudderstack => &[],
        Format::Snowplow => &[],
        Format::Csv => &[
            Kpis,
            Flows,
            EventOwners,
            Status,
            Pii,
            Examples,
            Platforms,
            Teams,
        ],
        Format::Markdown => Facet::ALL,
    }
}
