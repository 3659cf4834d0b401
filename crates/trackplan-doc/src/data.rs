//! What the page's script reads: the plan, its problems and its history as one JSON document.
//!
//! Only forward links are written (an event's flows are found from the flows' steps); the script
//! builds the reverse links when the page opens, which keeps a 5,000-event plan's file small. Empty
//! fields are left out for the same reason.

use serde::Serialize;
use serde_json::Value as Json;

/// The whole document embedded in the page.
#[derive(Debug, Serialize)]
pub struct Data {
    /// The shape of this document; the script refuses documents of another shape.
    pub format: u32,
    /// `trackplan 0.1.0`.
    pub generator: String,
    pub plan: PlanInfo,
    /// The plan's files, relative to the plan folder; locations index into this list.
    pub files: Vec<String>,
    /// Where a file and line, or a commit, can be seen in the repository's web view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceLinks>,
    /// The kinds of entity, from the core's table, in its order.
    pub kinds: Vec<KindInfo>,
    /// The entities of each kind, under the kind's section key (`events`, `kpis`, ...), in plan order.
    #[serde(flatten)]
    pub entities: std::collections::BTreeMap<&'static str, Vec<Record>>,
    /// The plan's findings, as `trackplan check` reports them.
    pub problems: Vec<Problem>,
    /// The commits of properties defined inside events only, by name.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub inline_history: std::collections::BTreeMap<String, Vec<(usize, Vec<usize>)>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
    /// Set when the page is served by `trackplan doc --serve`: the page reloads when the plan changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Live>,
}

/// URL templates of the repository's web view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceLinks {
    /// With `{path}` (relative to the repository root) and `{line}`.
    pub file: String,
    /// With `{id}`, when the host's commit pages are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The plan folder in the repository, which file paths are relative to.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dir: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Live {
    /// The server-sent events endpoint that announces new versions.
    pub events: String,
    /// The version of the plan this page shows.
    pub version: u64,
}

#[derive(Debug, Serialize)]
pub struct KindInfo {
    /// The key in URLs (`#event/...`): the kind's stable name.
    pub key: &'static str,
    /// "event", "user property", "KPI".
    pub noun: &'static str,
    /// "events", "user properties", "KPIs".
    pub plural: &'static str,
    /// "Events", "User properties".
    pub heading: &'static str,
    /// The plan section that defines them (`events`, `user_properties`).
    pub section: &'static str,
    /// Keyed by an id with a display name (KPIs, goals, flows, teams), rather than by the name sent.
    pub by_id: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct PlanInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The plan folder, relative to the repository root (or as given), for people.
    pub dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format_version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_case: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property_case: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub super_properties: Vec<String>,
    /// `[rule, level]` as set in `lint:`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lint: Vec<(String, &'static str)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
    /// The commits that changed plan settings, conventions or identity (as [`Common::history`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<(usize, Vec<usize>)>,
}

#[derive(Debug, Default, Serialize)]
pub struct Identity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_merge: Option<&'static str>,
    pub identify: Vec<String>,
    pub reset: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
}

/// Where something is defined: an index into [`Data::files`] and a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct At(pub usize, pub u32);

/// What every entity may say.
#[derive(Debug, Default, Serialize)]
pub struct Common {
    /// The key: an event or property name as sent, or a KPI, goal, flow or team id.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The owning teams' ids: `owner`, or the teams of `owners`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// `links:` as `[label, url]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
    /// The commits that changed it: `[entry index, [change index, ...]]` into [`History::entries`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<(usize, Vec<usize>)>,
    /// Indexes into [`Data::problems`] of the findings inside its definition.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<usize>,
}

/// One entity: what every entity has, and what its kind has besides.
#[derive(Debug, Serialize)]
pub struct Record {
    #[serde(flatten)]
    pub common: Common,
    /// The display name of an entity keyed by an id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub fields: Fields,
}

/// What a kind of entity says besides the common fields.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Fields {
    Team(Team),
    Kpi(Kpi),
    Flow(Flow),
    Event(Event),
    Property(PropertyDef),
    /// A kind the page knows no more of than the common fields.
    None {},
}

#[derive(Debug, Serialize)]
pub struct Team {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Kpi {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct Flow {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<String>,
    pub steps: Vec<String>,
    /// `[id, steps]`, in the order written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Serialize)]
pub struct Event {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<&'static str>,
    /// The date after which it should no longer be sent (`expires`), as `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The event's properties, in the order written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<PropertyUse>,
}

/// An entry of an event's `properties:`. Written as an array, `[name, required, overrides,
/// definition]` without its trailing empty fields (`["cart_id", true]`): a large plan has a hundred
/// thousand of them, and the page opens faster the less it has to read.
#[derive(Debug)]
pub struct PropertyUse {
    /// The property's name.
    pub n: String,
    /// Required (`true`), optional (`false`), or not said (`null`).
    pub req: Option<bool>,
    /// What the event says over the dictionary's definition.
    pub ov: Option<Overrides>,
    /// A definition local to this event (the entry has a `type`).
    pub def: Option<Box<PropertyDef>>,
}

impl Serialize for PropertyUse {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let len = if self.def.is_some() {
            4
        } else if self.ov.is_some() {
            3
        } else if self.req.is_some() {
            2
        } else {
            1
        };
        let mut seq = serializer.serialize_seq(Some(len))?;
        seq.serialize_element(&self.n)?;
        if len > 1 {
            seq.serialize_element(&self.req)?;
        }
        if len > 2 {
            seq.serialize_element(&self.ov)?;
        }
        if len > 3 {
            seq.serialize_element(&self.def)?;
        }
        seq.end()
    }
}

#[derive(Debug, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Json>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<Json>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What a property definition says (dictionary, user, inline or nested).
#[derive(Debug, Default, Serialize)]
pub struct PropertyDef {
    /// `string`, or `[integer, string]` for a type list.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<Json>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pii: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// A list's items: a type word, or a whole definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Items>,
    /// An object's properties: `[name, definition]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<(String, PropertyDef)>,
    /// For definitions that are not dictionary entries (inline, nested): their own common fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Items {
    Type(&'static str),
    Definition(Box<PropertyDef>),
}

/// A finding of `trackplan check`.
#[derive(Debug, Serialize)]
pub struct Problem {
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub at: At,
    /// The entity whose definition holds it: `[kind key, id]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<(&'static str, String)>,
}

/// The changelog, as `trackplan changelog` computes it.
#[derive(Debug, Serialize)]
pub struct History {
    /// The plan folder in the repository.
    pub dir: String,
    /// The revision the history starts from (`HEAD`), and its commit.
    pub head: String,
    pub head_commit: String,
    pub shallow: bool,
    /// Commits walked, and those that changed only comments, formatting or order.
    pub commits: usize,
    pub unchanged: usize,
    pub entries: Vec<HistoryEntry>,
}

#[derive(Debug, Serialize)]
pub struct HistoryEntry {
    pub commit: String,
    pub short: String,
    pub author: String,
    /// `2024-03-02`, in the author's time zone.
    pub date: String,
    pub subject: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// `changed`, `created`, `removed`, `unreadable` or `shallow-boundary` (as in the JSON changelog).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<String>,
    /// Why the plan does not parse at this commit (`unreadable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub changes: Vec<HistoryChange>,
}

#[derive(Debug, Serialize)]
pub struct HistoryChange {
    pub kind: &'static str,
    pub level: &'static str,
    /// The kind of entity (`event`, `kpi`, `super-property`, `plan`...).
    pub entity: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    pub summary: String,
}
