//! The typed model of a plan, with the source span of every definition and reference.
//!
//! Each file is read on its own into a [`FilePart`] (cacheable per file, which is what keeps the
//! language server fast); a [`Plan`] is the parts of one plan folder seen together.

mod entity;
mod issue;
mod lower;
mod spans;
mod types;
mod value;

pub use crate::date::Date;
pub use crate::schema::{
    Case, Destination, EntityKind, Format, IdMerge, LintLevel, Platform, PropertyType, Sensitivity,
    Status,
};
pub use entity::{Definition, Entity, FilePart, References};
pub use issue::{Expected, Found, ModelIssue, ShapeHint, Whose};
pub use lower::lower_file;
pub use types::TypeSet;
pub use value::Value;

use crate::span::{FileId, Span, Spanned};
use std::sync::{Arc, OnceLock};

/// A defined name: the key as read (unquoted) and the span of the key as written (with quotes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// Where a reference stands; decides the wording of messages and what completion offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefSite {
    FlowStep,
    FlowAlternative,
    Identify,
    Reset,
    FlowKpi,
    EventKpi,
    KpiGoal,
    Owner,
    SuperProperty,
    EventProperty,
    /// An object's nested property written by the dictionary name (`customer: required`).
    NestedProperty,
    ReplacedBy,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub namespace: EntityKind,
    pub name: String,
    pub span: Span,
    pub site: RefSite,
}

/// Fields every entity may carry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Common {
    pub description: Option<Spanned<String>>,
    pub notes: Option<Spanned<String>>,
    pub tags: Vec<Spanned<String>>,
    pub owner: Option<Reference>,
    /// `owners:`, the teams when there are several (an entity says `owner` or `owners`).
    pub owners: Vec<Reference>,
    pub links: Vec<Link>,
    /// The whole entry: key and value.
    pub entry_span: Span,
}

impl Common {
    /// The owning teams, from `owner` or `owners`.
    pub fn owners(&self) -> impl Iterator<Item = &Reference> {
        self.owner.iter().chain(self.owners.iter())
    }

    pub fn has_owner(&self) -> bool {
        self.owner.is_some() || !self.owners.is_empty()
    }
}

/// An entry of `links:`: a label and an absolute URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub label: Spanned<String>,
    pub url: Spanned<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Team {
    pub id: Name,
    pub name: Option<Spanned<String>>,
    pub contact: Option<Spanned<String>>,
    pub common: Common,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub id: Name,
    pub name: Option<Spanned<String>>,
    pub common: Common,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    pub id: Name,
    pub name: Option<Spanned<String>>,
    pub goal: Option<Reference>,
    pub definition: Option<Spanned<String>>,
    pub priority: Option<Spanned<i64>>,
    pub common: Common,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    pub id: Name,
    pub steps: Vec<Reference>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    pub id: Name,
    pub name: Option<Spanned<String>>,
    pub kpis: Vec<Reference>,
    pub steps: Vec<Reference>,
    pub alternatives: Vec<Alternative>,
    pub common: Common,
}

impl Flow {
    /// Every event reference of the flow: steps, then each alternative's.
    pub fn all_steps(&self) -> impl Iterator<Item = &Reference> {
        self.steps
            .iter()
            .chain(self.alternatives.iter().flat_map(|a| a.steps.iter()))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub name: Name,
    pub status: Option<Spanned<Status>>,
    pub platforms: Vec<Spanned<Platform>>,
    pub kpis: Vec<Reference>,
    pub properties: Vec<EventProperty>,
    /// `additional_properties:` as written (the plan-wide default applies when absent).
    pub additional_properties: Option<Spanned<bool>>,
    pub replaced_by: Option<Reference>,
    pub expires: Option<Spanned<Date>>,
    pub sensitivity: Option<Spanned<Sensitivity>>,
    pub common: Common,
}

impl Event {
    pub fn is_deprecated(&self) -> bool {
        matches!(&self.status, Some(s) if s.value == Status::Deprecated)
    }
}

/// An entry of an event's `properties:`, or of an object property's (nested properties are
/// written the same way).
#[derive(Clone, Debug, PartialEq)]
pub struct EventProperty {
    pub name: Name,
    /// `required`, from the shorthand word or the mapping's `required:` (None: not said).
    pub required: Option<Spanned<bool>>,
    pub kind: EventPropertyKind,
    pub entry_span: Span,
}

impl EventProperty {
    pub fn is_required(&self) -> bool {
        self.required.as_ref().is_some_and(|r| r.value)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventPropertyKind {
    /// `name: required|optional`, or a mapping without `type`: the dictionary property of that name.
    /// (The reference's site says whether it stands in an event or in an object.)
    Reference {
        reference: Reference,
        overrides: PropertyOverrides,
    },
    /// A mapping with `type`: a property local to this event (or object).
    Inline(Box<PropertyDef>),
}

/// What an event may say about a dictionary property it uses. Most references say nothing, so the
/// fields live in a box that is absent then (a large plan has a hundred thousand references); read
/// them through `Deref` as if they were inline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PropertyOverrides(Option<Box<OverrideFields>>);

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OverrideFields {
    pub description: Option<Spanned<String>>,
    pub examples: Vec<Spanned<Value>>,
    pub enum_values: Option<Vec<Spanned<Value>>>,
    pub notes: Option<Spanned<String>>,
}

static NO_OVERRIDES: OverrideFields = OverrideFields {
    description: None,
    examples: Vec::new(),
    enum_values: None,
    notes: None,
};

impl PropertyOverrides {
    pub fn new(fields: OverrideFields) -> PropertyOverrides {
        if fields == NO_OVERRIDES {
            PropertyOverrides(None)
        } else {
            PropertyOverrides(Some(Box::new(fields)))
        }
    }
}

impl std::ops::Deref for PropertyOverrides {
    type Target = OverrideFields;

    fn deref(&self) -> &OverrideFields {
        self.0.as_deref().unwrap_or(&NO_OVERRIDES)
    }
}

/// A list's `items`: a bare type word or a whole definition.
#[derive(Clone, Debug, PartialEq)]
pub enum Items {
    Type(Spanned<PropertyType>),
    Definition(Box<PropertyDef>),
}

/// A property definition: in the dictionary, in `user_properties`, inline in an event, or nested.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyDef {
    pub name: Name,
    pub ty: Option<Spanned<TypeSet>>,
    /// Only definitions inline in an event or an object say this.
    pub required: Option<Spanned<bool>>,
    /// `nullable:`: whether the value may be `null` (not whether it is sent: that is `required`).
    pub nullable: Option<Spanned<bool>>,
    pub enum_values: Option<Vec<Spanned<Value>>>,
    pub examples: Vec<Spanned<Value>>,
    pub pattern: Option<Spanned<String>>,
    pub min_length: Option<Spanned<i64>>,
    pub max_length: Option<Spanned<i64>>,
    pub format: Option<Spanned<Format>>,
    pub min: Option<Spanned<f64>>,
    pub max: Option<Spanned<f64>>,
    pub multiple_of: Option<Spanned<f64>>,
    pub min_items: Option<Spanned<i64>>,
    pub max_items: Option<Spanned<i64>>,
    pub unique_items: Option<Spanned<bool>>,
    pub pii: Option<Spanned<bool>>,
    pub sensitivity: Option<Spanned<Sensitivity>>,
    pub deprecated: Option<Spanned<bool>>,
    pub replaced_by: Option<Reference>,
    pub expires: Option<Spanned<Date>>,
    pub items: Option<Items>,
    /// An object's nested properties: definitions of its own and dictionary references.
    pub properties: Vec<EventProperty>,
    /// `additional_properties:` of an object, as written.
    pub additional_properties: Option<Spanned<bool>>,
    pub common: Common,
}

impl PropertyDef {
    /// Personal data: `pii: true`, or a sensitivity of `personal` or above.
    pub fn is_pii(&self) -> bool {
        self.pii.as_ref().is_some_and(|p| p.value)
            || self
                .sensitivity
                .as_ref()
                .is_some_and(|s| s.value >= Sensitivity::Personal)
    }

    /// The plan says whether it holds personal data: `pii` or `sensitivity` is given.
    pub fn says_whether_personal(&self) -> bool {
        self.pii.is_some() || self.sensitivity.is_some()
    }

    pub fn is_nullable(&self) -> bool {
        self.nullable.as_ref().is_some_and(|n| n.value)
    }

    pub fn is_deprecated(&self) -> bool {
        self.deprecated.as_ref().is_some_and(|p| p.value)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conventions {
    pub event_case: Option<Spanned<Case>>,
    pub property_case: Option<Spanned<Case>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LintSetting {
    pub rule: Name,
    pub level: Spanned<LintLevel>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Identity {
    pub id_merge: Option<Spanned<IdMerge>>,
    pub identify: Vec<Reference>,
    pub reset: Vec<Reference>,
    pub notes: Option<Spanned<String>>,
}

/// A `# trackplan-ignore: RULE[, RULE]` comment and the entry it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    pub rules: Vec<Name>,
    pub comment: Span,
    /// The entry (key and value) whose key line holds the comment.
    pub scope: Span,
}

/// What the root file alone may say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RootSettings {
    pub version: Option<Spanned<i64>>,
    pub name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub conventions: Conventions,
    pub lint: Vec<LintSetting>,
    pub identity: Identity,
    /// The `identity:` entry, when present.
    pub identity_span: Option<Span>,
    /// `destinations:` as written (empty: Mixpanel alone).
    pub destinations: Vec<Spanned<Destination>>,
    /// The plan-wide default of `additional_properties`.
    pub additional_properties: Option<Spanned<bool>>,
    /// `baseline:`: the baseline file, relative to the plan folder.
    pub baseline: Option<Spanned<String>>,
}

/// One file read: its text, its syntax tree (while kept), what it defines and the findings made
/// while reading it. Depends on nothing but the file, so callers may cache it by content. Made by
/// [`crate::read`].
#[derive(Debug)]
pub struct ParsedFile {
    pub source: crate::span::SourceFile,
    /// The syntax tree, or `None` once [`ParsedFile::drop_tree`] freed it (it is half the memory of
    /// a plan, and only a few editor requests need it again: they read the text again).
    pub tree: Option<crate::syntax::SyntaxTree>,
    /// What the YAML parser found wrong; kept when the tree is dropped, as it says whether the
    /// file was read to its end.
    pub syntax_issues: Vec<crate::syntax::SyntaxIssue>,
    /// What the file defines; for a file read in pieces (see [`crate::pieces`]), what lies outside
    /// its entries, with every ignore comment of the file.
    pub part: FilePart,
    /// For a file read in pieces, the model of each entry, in file order. They are shared with the
    /// reader, which makes again only those an edit moved, so that a keystroke in a large file
    /// does not copy its whole model. Empty for a file read whole.
    pub pieces: Vec<Arc<FilePart>>,
    /// `part` and `pieces` as one model, put together when first asked for.
    whole: OnceLock<FilePart>,
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
}

impl ParsedFile {
    /// A file read whole.
    pub fn new(
        source: crate::span::SourceFile,
        tree: Option<crate::syntax::SyntaxTree>,
        syntax_issues: Vec<crate::syntax::SyntaxIssue>,
        part: FilePart,
        diagnostics: Vec<crate::diagnostic::Diagnostic>,
    ) -> ParsedFile {
        ParsedFile::in_pieces(source, tree, syntax_issues, part, Vec::new(), diagnostics)
    }

    /// A file read in pieces: `part` outside the entries, `pieces` the entries' models.
    pub fn in_pieces(
        source: crate::span::SourceFile,
        tree: Option<crate::syntax::SyntaxTree>,
        syntax_issues: Vec<crate::syntax::SyntaxIssue>,
        part: FilePart,
        pieces: Vec<Arc<FilePart>>,
        diagnostics: Vec<crate::diagnostic::Diagnostic>,
    ) -> ParsedFile {
        ParsedFile {
            source,
            tree,
            syntax_issues,
            part,
            pieces,
            whole: OnceLock::new(),
            diagnostics,
        }
    }

    pub fn id(&self) -> FileId {
        self.source.id
    }

    /// What the file defines, part by part, in file order (one part for a file read whole).
    pub fn parts(&self) -> impl Iterator<Item = &FilePart> {
        std::iter::once(&self.part).chain(self.pieces.iter().map(|p| &**p))
    }

    /// What the file defines as one model, for what looks at one file's definitions together
    /// (its outline, links, lenses). A file read in pieces puts it together once, when first
    /// asked: the pieces' models follow what lies outside the entries, as in the file.
    pub fn whole_part(&self) -> &FilePart {
        if self.pieces.is_empty() {
            return &self.part;
        }
        self.whole.get_or_init(|| {
            let mut whole = self.part.clone();
            for piece in &self.pieces {
                whole.append((**piece).clone());
            }
            whole
        })
    }

    /// Frees the syntax tree.
    pub fn drop_tree(&mut self) {
        self.tree = None;
    }

    /// Whether the YAML parsed: no syntax error, and not too large or too deep to read whole.
    pub fn parsed_whole(&self) -> bool {
        !self.syntax_issues.iter().any(|issue| issue.stops_reading())
    }
}

/// The files of one plan seen together. The root file, when the plan has one, comes first.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub files: Vec<Arc<ParsedFile>>,
}

impl Plan {
    /// Orders the files: root first, then by path, so that results never depend on directory order.
    pub fn new(mut files: Vec<Arc<ParsedFile>>) -> Plan {
        files.sort_by(|a, b| {
            (!a.source.is_root(), &a.source.path).cmp(&(!b.source.is_root(), &b.source.path))
        });
        Plan { files }
    }

    pub fn root_file(&self) -> Option<&ParsedFile> {
        self.files
            .first()
            .filter(|f| f.source.is_root())
            .map(|f| &**f)
    }

    pub fn file(&self, id: FileId) -> Option<&ParsedFile> {
        self.files.iter().find(|f| f.id() == id).map(|f| &**f)
    }

    /// Where plan-wide findings are reported: the first line of the root file.
    pub fn anchor_span(&self) -> Span {
        self.root_file()
            .or(self.files.first().map(|f| &**f))
            .map(|f| Span::file_start(f.id()))
            .unwrap_or_default()
    }

    pub fn settings(&self) -> RootSettings {
        self.root_file()
            .map(|f| f.part.root.clone())
            .unwrap_or_default()
    }

    pub fn parts(&self) -> impl Iterator<Item = &FilePart> {
        self.files.iter().flat_map(|f| f.parts())
    }

    pub fn super_properties(&self) -> impl Iterator<Item = &Reference> {
        self.parts().flat_map(|p| p.super_properties.iter())
    }

    pub fn identity(&self) -> Option<&Identity> {
        self.root_file().map(|f| &f.part.root.identity)
    }

    pub fn conventions(&self) -> Conventions {
        self.root_file()
            .map(|f| f.part.root.conventions.clone())
            .unwrap_or_default()
    }

    /// The tools the plan's events go to: its `destinations:`, or Mixpanel alone.
    pub fn destinations(&self) -> Vec<Destination> {
        let written: Vec<Destination> = self
            .root_file()
            .map(|f| f.part.root.destinations.iter().map(|d| d.value).collect())
            .unwrap_or_default();
        if written.is_empty() {
            vec![Destination::Mixpanel]
        } else {
            written
        }
    }

    /// Whether events and objects that do not say are closed (`additional_properties: false`
    /// in the root file).
    pub fn closed_by_default(&self) -> bool {
        self.root_file()
            .and_then(|f| f.part.root.additional_properties.as_ref())
            .is_some_and(|a| !a.value)
    }
}

/// Where a property definition stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PropertySite<'a> {
    /// The shared `properties:` dictionary.
    Dictionary,
    /// `user_properties:`.
    User,
    /// Defined inline in this event.
    Inline(&'a Event),
    /// Nested in an object's `properties:` or a list's `items` (of any of the above).
    Nested,
}

impl Plan {
    /// Every property definition of the plan: dictionary, user properties, inline in events, and
    /// nested ones, parents before their nested definitions.
    pub fn property_definitions(&self) -> Vec<(PropertySite<'_>, &PropertyDef)> {
        let mut out = Vec::new();
        for part in self.parts() {
            for def in &part.properties {
                push_with_nested(PropertySite::Dictionary, def, &mut out);
            }
            for def in &part.user_properties {
                push_with_nested(PropertySite::User, def, &mut out);
            }
            for event in &part.events {
                for property in &event.properties {
                    if let EventPropertyKind::Inline(def) = &property.kind {
                        push_with_nested(PropertySite::Inline(event), def, &mut out);
                    }
                }
            }
        }
        out
    }
}

fn push_with_nested<'a>(
    site: PropertySite<'a>,
    def: &'a PropertyDef,
    out: &mut Vec<(PropertySite<'a>, &'a PropertyDef)>,
) {
    out.push((site, def));
    let items = match &def.items {
        Some(Items::Definition(items)) => &items.properties[..],
        _ => &[],
    };
    for entry in def.properties.iter().chain(items) {
        if let EventPropertyKind::Inline(nested) = &entry.kind {
            push_with_nested(PropertySite::Nested, nested, out);
        }
    }
}
