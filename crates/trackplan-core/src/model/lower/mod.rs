//! Reads one file's syntax tree into its [`FilePart`], recording what does not fit the format as
//! [`ModelIssue`]s as it goes (the rules turn them into diagnostics). Never fails: whatever can be
//! read is kept, so one mistake does not hide the rest of the file.
//!
//! Keys are matched through the schema's typed key sets, so every `match` on keys is exhaustive: a
//! key added to the schema but not read here does not compile.

mod entities;

use super::issue::{Expected, Found, ModelIssue, ShapeHint, Whose};
use super::*;
use crate::schema::{
    self, entity_kinds, CommonKey, ConventionsKey, EventKey, FlowKey, GoalKey, IdentityKey, KeyDoc,
    KeySet, KpiKey, PropertyKey, PropertyReferenceKey, Requiredness, RootKey, Shape, TeamKey, Word,
};
use crate::span::{SourceFile, Span, Spanned};
use crate::syntax::{Entry, Node, NodeKind, ScalarValue, SyntaxTree};
use rustc_hash::FxHashSet as HashSet;

/// Reads a file's tree into what it defines, with what did not fit the format.
pub fn lower_file(source: &SourceFile, tree: &SyntaxTree) -> (FilePart, Vec<ModelIssue>) {
    let mut lower = Lower {
        file: source,
        issues: Vec::new(),
    };
    let mut part = FilePart::default();
    let is_root = source.is_root();
    match &tree.root {
        Some(node) if node.as_mapping().is_some() => lower.top(node, is_root, &mut part),
        Some(node) if matches!(node.scalar_value(), Some(ScalarValue::Null)) => {
            lower.top_missing(is_root)
        }
        Some(node) => lower.wrong(node, Expected::Sections),
        None => lower.top_missing(is_root),
    }
    (part, lower.issues)
}

/// Reads one entity of a kind from its entry in the kind's section.
trait Lowered: Sized {
    fn lower(lower: &mut Lower<'_>, kind: EntityKind, name: Name, entry: &Entry) -> Self;
}

struct Lower<'a> {
    file: &'a SourceFile,
    issues: Vec<ModelIssue>,
}

/// A key of a place with its documentation and its entry.
type Known<'n, K> = (K, &'static KeyDoc, &'n Entry);

/// The first entry of each key: later duplicates are reported by `duplicate-key` and not read again.
fn unique_entries(node: &Node) -> impl Iterator<Item = &Entry> {
    let entries = node.as_mapping().unwrap_or_default();
    // Most mappings are small: comparing with the keys before is cheaper than hashing.
    let mut seen: Option<HashSet<&str>> = (entries.len() > 16).then(HashSet::default);
    entries
        .iter()
        .enumerate()
        .filter(move |(i, e)| {
            let Some(key) = e.key_str() else { return true };
            match &mut seen {
                Some(seen) => seen.insert(key),
                None => !entries[..*i]
                    .iter()
                    .any(|earlier| earlier.key_str() == Some(key)),
            }
        })
        .map(|(_, e)| e)
}

macro_rules! lower_sections {
    ($( $kind:ident => $section:ident, $ty:ident, $($rest:tt),*; )*) => {
        impl Lower<'_> {
            /// A section of entities, each read by its kind's lowering.
            fn section(&mut self, kind: EntityKind, node: &Node, part: &mut FilePart) {
                match kind {
                    $( EntityKind::$kind => {
                        part.$section = self.collection(node, kind, |lower, name, entry| {
                            <$ty as Lowered>::lower(lower, kind, name, entry)
                        })
                    } )*
                }
            }
        }
    };
}
entity_kinds!(lower_sections);

impl Lower<'_> {
    fn report(&mut self, issue: ModelIssue) {
        self.issues.push(issue);
    }

    fn wrong(&mut self, node: &Node, expected: Expected) {
        self.wrong_with(node, expected, None);
    }

    fn wrong_with(&mut self, node: &Node, expected: Expected, hint: Option<ShapeHint>) {
        self.report(ModelIssue::WrongShape {
            span: node.span,
            found: Found::of(node),
            expected,
            hint,
        });
    }

    fn top_missing(&mut self, is_root: bool) {
        if is_root {
            let at = Span::file_start(self.file.id);
            for doc in schema::ROOT.docs().filter(|k| k.required) {
                self.report(ModelIssue::MissingField {
                    at,
                    key: doc.key,
                    whose: Whose::RootFile,
                });
            }
        }
    }

    /// Checks a mapping's keys against a place and records missing required keys; returns the
    /// entries whose keys the place allows, first occurrence only.
    fn known_entries<'n, K: Copy + PartialEq>(
        &mut self,
        node: &'n Node,
        set: &KeySet<K>,
        whose: Whose,
    ) -> Vec<Known<'n, K>> {
        let mut known = Vec::new();
        for entry in unique_entries(node) {
            let Some(text) = self.key_text(&entry.key) else {
                continue;
            };
            match set.parse(text) {
                Some((key, doc)) => known.push((key, doc, entry)),
                None => self.report(ModelIssue::UnknownKey {
                    span: entry.key.span,
                    key: text.into(),
                    place: set.place,
                }),
            }
        }
        // Of two keys that say the same thing, the second written is reported.
        for (i, (_, doc, entry)) in known.iter().enumerate() {
            let earlier = known[..i]
                .iter()
                .find(|(_, d, _)| doc.excludes.contains(&d.key));
            if let Some((_, other, _)) = earlier {
                self.report(ModelIssue::ExclusiveKeys {
                    span: entry.key.span,
                    key: doc.key,
                    other: other.key,
                });
            }
        }
        for doc in set.docs().filter(|k| k.required) {
            match known.iter().find(|(_, d, _)| d.key == doc.key) {
                Some((_, _, entry)) => {
                    if matches!(entry.value.scalar_value(), Some(ScalarValue::Null)) {
                        self.report(ModelIssue::EmptyField {
                            at: entry.key.span,
                            key: doc.key,
                            whose,
                        });
                    }
                }
                None => {
                    let at = match node.as_mapping() {
                        Some([first, ..]) => first.key.span,
                        _ => node.span,
                    };
                    self.report(ModelIssue::MissingField {
                        at,
                        key: doc.key,
                        whose,
                    });
                }
            }
        }
        known
    }

    /// A key's text; keys that are not strings are recorded.
    fn key_text<'n>(&mut self, key: &'n Node) -> Option<&'n str> {
        match &key.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => {
                self.wrong(key, Expected::StringKey);
                None
            }
        }
    }

    fn top(&mut self, node: &Node, is_root: bool, part: &mut FilePart) {
        let (set, whose) = if is_root {
            (&schema::ROOT, Whose::RootFile)
        } else {
            (&schema::PART_FILE, Whose::PlanFile)
        };
        for (key, _, entry) in self.known_entries(node, set, whose) {
            let value = &entry.value;
            match key {
                RootKey::Trackplan => part.root.version = self.version(value),
                RootKey::Name => part.root.name = self.text(value),
                RootKey::Description => part.root.description = self.text(value),
                RootKey::Conventions => part.root.conventions = self.conventions(value),
                RootKey::Lint => part.root.lint = self.lint(value),
                RootKey::Identity => {
                    part.root.identity = self.identity(value);
                    part.root.identity_span = Some(entry.span());
                }
                RootKey::Destinations => {
                    part.root.destinations = self.words(value, Expected::DestinationList)
                }
                RootKey::AdditionalProperties => {
                    part.root.additional_properties = self.boolean(value)
                }
                RootKey::Baseline => part.root.baseline = self.text(value),
                RootKey::Section(kind) => self.section(kind, value, part),
                RootKey::SuperProperties => {
                    part.super_properties =
                        self.references(value, EntityKind::Property, RefSite::SuperProperty)
                }
            }
        }
    }

    // ----- scalars -------------------------------------------------------------------------------

    fn version(&mut self, node: &Node) -> Option<Spanned<i64>> {
        match node.scalar_value() {
            Some(ScalarValue::Int(1)) => Some(Spanned::new(1, node.span)),
            Some(ScalarValue::Int(found)) => {
                self.report(ModelIssue::UnsupportedVersion {
                    span: node.span,
                    found,
                });
                Some(Spanned::new(found, node.span))
            }
            _ => {
                self.wrong(node, Expected::Version);
                None
            }
        }
    }

    /// Free text. Numbers and booleans are recorded (YAML reads them as such, JSON Schema readers
    /// reject them) but still taken as written; null is no text.
    fn text(&mut self, node: &Node) -> Option<Spanned<String>> {
        match &node.kind {
            NodeKind::Scalar { value, .. } => match node.scalar_value() {
                Some(ScalarValue::Null) => None,
                Some(ScalarValue::Str(_)) => Some(Spanned::new(value.to_string(), node.span)),
                _ => {
                    let hint = ShapeHint::QuoteAsText(value.clone());
                    self.wrong_with(node, Expected::Text, Some(hint));
                    Some(Spanned::new(value.to_string(), node.span))
                }
            },
            _ => {
                self.wrong(node, Expected::Text);
                None
            }
        }
    }

    fn text_list(&mut self, node: &Node) -> Vec<Spanned<String>> {
        self.list_items(node, Expected::TextList)
            .iter()
            .filter_map(|item| self.text(item))
            .collect()
    }

    fn boolean(&mut self, node: &Node) -> Option<Spanned<bool>> {
        match node.scalar_value() {
            Some(ScalarValue::Bool(b)) => Some(Spanned::new(b, node.span)),
            _ => {
                self.wrong(node, Expected::Boolean);
                None
            }
        }
    }

    fn number(&mut self, node: &Node) -> Option<Spanned<f64>> {
        match node.scalar_value().and_then(|v| v.as_f64()) {
            Some(n) => Some(Spanned::new(n, node.span)),
            None => {
                self.wrong(node, Expected::Number);
                None
            }
        }
    }

    /// A number above zero (`multiple_of`).
    fn positive_number(&mut self, node: &Node) -> Option<Spanned<f64>> {
        match node.scalar_value().and_then(|v| v.as_f64()) {
            Some(n) if n > 0.0 && n.is_finite() => Some(Spanned::new(n, node.span)),
            _ => {
                self.wrong(node, Expected::PositiveNumber);
                None
            }
        }
    }

    /// A calendar date, `YYYY-MM-DD`.
    fn date(&mut self, node: &Node) -> Option<Spanned<Date>> {
        match node.scalar_value() {
            Some(ScalarValue::Str(text)) => match Date::parse(text) {
                Some(date) => return Some(Spanned::new(date, node.span)),
                None => self.wrong(node, Expected::Date),
            },
            Some(ScalarValue::Null) => {}
            _ => self.wrong(node, Expected::Date),
        }
        None
    }

    /// `links:`: labels to absolute URLs.
    fn links(&mut self, node: &Node) -> Vec<Link> {
        let Some(node) = self.mapping_or_report(node, Expected::Links) else {
            return Vec::new();
        };
        let mut links = Vec::new();
        for entry in unique_entries(node) {
            let Some(label) = self.name(&entry.key) else {
                continue;
            };
            let value = &entry.value;
            let url = match value.scalar_value() {
                Some(ScalarValue::Str(text)) => Spanned::new(text.to_string(), value.span),
                _ => {
                    self.wrong(value, Expected::Url);
                    continue;
                }
            };
            if !crate::formats::is_absolute_url(&url.value) {
                self.report(ModelIssue::NotAnAbsoluteUrl {
                    span: url.span,
                    text: url.value.as_str().into(),
                });
            }
            links.push(Link {
                label: Spanned::new(label.text, label.span),
                url,
            });
        }
        links
    }

    /// An integer of the key's shape (`Shape::Integer(min)`: at least `min`).
    fn integer(&mut self, node: &Node, doc: &KeyDoc) -> Option<Spanned<i64>> {
        let min = match doc.shape {
            Shape::Integer(min) => min,
            _ => i64::MIN,
        };
        match node.scalar_value() {
            Some(ScalarValue::Int(i)) if i >= min => Some(Spanned::new(i, node.span)),
            _ => {
                self.wrong(node, Expected::IntegerFrom(min));
                None
            }
        }
    }

    /// One of a closed set of words.
    fn word<W: Word>(&mut self, node: &Node) -> Option<Spanned<W>> {
        if let Some(ScalarValue::Str(text)) = node.scalar_value() {
            if let Some(word) = W::parse(text) {
                return Some(Spanned::new(word, node.span));
            }
        }
        self.report(ModelIssue::NotAWord {
            span: node.span,
            found: Found::of(node),
            words: W::WORDS,
            shorthand: false,
        });
        None
    }

    /// A property's `type`: a word, a list of words, or `any`.
    fn types(&mut self, node: &Node) -> Option<Spanned<TypeSet>> {
        let mut types = TypeSet::default();
        match &node.kind {
            NodeKind::Sequence(items) => {
                for item in items {
                    match item.scalar_value() {
                        Some(ScalarValue::Null | ScalarValue::Str("null")) => {
                            self.report(ModelIssue::NullInTypeList { span: item.span })
                        }
                        _ => {
                            if let Some(word) = self.word::<PropertyType>(item) {
                                types.insert(word.value);
                            }
                        }
                    }
                }
                if items.is_empty() {
                    self.wrong(node, Expected::Types);
                }
            }
            _ => types.insert(self.word::<PropertyType>(node)?.value),
        }
        (!types.is_empty()).then(|| Spanned::new(types, node.span))
    }

    /// A list of words of one set.
    fn words<W: Word>(&mut self, node: &Node, expected: Expected) -> Vec<Spanned<W>> {
        self.list_items(node, expected)
            .iter()
            .filter_map(|item| self.word(item))
            .collect()
    }

    /// The items of a list. A single scalar where a list belongs is recorded and read as a list of
    /// one.
    fn list_items<'n>(&mut self, node: &'n Node, expected: Expected) -> &'n [Node] {
        match &node.kind {
            NodeKind::Sequence(items) => items,
            NodeKind::Scalar { .. } if node.is_empty_scalar() => &[],
            NodeKind::Scalar { .. } => {
                let written = self.file.slice(node.span).into();
                self.wrong_with(node, expected, Some(ShapeHint::WriteAList(written)));
                std::slice::from_ref(node)
            }
            _ => {
                self.wrong(node, expected);
                &[]
            }
        }
    }

    /// A name that must be a string: a key or a list item. YAML's numbers, booleans and null are
    /// recorded (the rule hints to quote them), and still read as the text written.
    fn name(&mut self, node: &Node) -> Option<Name> {
        match node.scalar_value() {
            None => {
                self.wrong(node, Expected::Name);
                None
            }
            Some(ScalarValue::Str(text)) => {
                if text.trim() != text {
                    self.report(ModelIssue::PaddedName {
                        span: node.span,
                        text: text.into(),
                    });
                }
                Some(Name {
                    text: text.to_string(),
                    span: node.span,
                })
            }
            Some(_) => {
                self.report(ModelIssue::NameNotString {
                    span: node.span,
                    found: Found::of(node),
                });
                let text = node.as_str().unwrap_or_default();
                (!text.is_empty()).then(|| Name {
                    text: text.to_string(),
                    span: node.span,
                })
            }
        }
    }

    fn reference(
        &mut self,
        node: &Node,
        namespace: EntityKind,
        site: RefSite,
    ) -> Option<Reference> {
        if node.is_empty_scalar() {
            self.wrong(node, Expected::NameOf(namespace));
            return None;
        }
        self.name(node).map(|name| Reference {
            namespace,
            name: name.text,
            span: name.span,
            site,
        })
    }

    fn references(&mut self, node: &Node, namespace: EntityKind, site: RefSite) -> Vec<Reference> {
        self.list_items(node, Expected::NameList(namespace))
            .iter()
            .filter_map(|item| self.reference(item, namespace, site))
            .collect()
    }

    fn values(&mut self, node: &Node) -> Vec<Spanned<Value>> {
        self.list_items(node, Expected::ValueList)
            .iter()
            .map(|item| Spanned::new(Value::from_node(item), item.span))
            .collect()
    }

    // ----- root-only sections ----------------------------------------------------------------------

    fn mapping_or_report<'n>(&mut self, node: &'n Node, expected: Expected) -> Option<&'n Node> {
        match &node.kind {
            NodeKind::Mapping(_) => Some(node),
            _ if node.is_empty_scalar() => None,
            _ => {
                self.wrong(node, expected);
                None
            }
        }
    }

    fn conventions(&mut self, node: &Node) -> Conventions {
        let mut conventions = Conventions::default();
        let Some(node) = self.mapping_or_report(node, Expected::Conventions) else {
            return conventions;
        };
        let whose = Whose::Section("conventions");
        for (key, _, entry) in self.known_entries(node, &schema::CONVENTIONS, whose) {
            let case = self.word(&entry.value);
            match key {
                ConventionsKey::EventCase => conventions.event_case = case,
                ConventionsKey::PropertyCase => conventions.property_case = case,
            }
        }
        conventions
    }

    fn lint(&mut self, node: &Node) -> Vec<LintSetting> {
        let mut settings = Vec::new();
        let Some(node) = self.mapping_or_report(node, Expected::Lint) else {
            return settings;
        };
        for entry in unique_entries(node) {
            let Some(rule) = self.name(&entry.key) else {
                continue;
            };
            // The keys of `lint:` are the rule names: the format's closed set of them.
            if crate::rule_names::RuleName::parse(&rule.text).is_none() {
                self.report(ModelIssue::UnknownRule {
                    span: entry.key.span,
                    name: rule.text.into(),
                });
                continue;
            }
            let level = match entry.value.scalar_value() {
                Some(ScalarValue::Bool(false)) => Some(LintLevel::Off),
                _ => self.word(&entry.value).map(|w| w.value),
            };
            if let Some(level) = level {
                settings.push(LintSetting {
                    rule,
                    level: Spanned::new(level, entry.value.span),
                });
            }
        }
        settings
    }

    fn identity(&mut self, node: &Node) -> Identity {
        let mut identity = Identity::default();
        let Some(node) = self.mapping_or_report(node, Expected::Identity) else {
            return identity;
        };
        let whose = Whose::Section("identity");
        for (key, _, entry) in self.known_entries(node, &schema::IDENTITY, whose) {
            let value = &entry.value;
            match key {
                IdentityKey::IdMerge => identity.id_merge = self.word(value),
                IdentityKey::Identify => {
                    identity.identify = self.references(value, EntityKind::Event, RefSite::Identify)
                }
                IdentityKey::Reset => {
                    identity.reset = self.references(value, EntityKind::Event, RefSite::Reset)
                }
                IdentityKey::Notes => identity.notes = self.text(value),
            }
        }
        identity
    }

    // ----- collections -------------------------------------------------------------------------------

    /// A section keyed by names of a kind: each entry read by `read`.
    fn collection<T>(
        &mut self,
        node: &Node,
        kind: EntityKind,
        mut read: impl FnMut(&mut Self, Name, &Entry) -> T,
    ) -> Vec<T> {
        let Some(node) = self.mapping_or_report(node, Expected::Definitions(kind)) else {
            return Vec::new();
        };
        // Sized up front: a model lives as long as its file, and growth slack adds up over a plan.
        let mut out = Vec::with_capacity(node.as_mapping().map_or(0, <[Entry]>::len));
        for entry in unique_entries(node) {
            let Some(name) = self.name(&entry.key) else {
                continue;
            };
            if kind.is_id() {
                self.check_id(&name, kind.noun());
            }
            out.push(read(self, name, entry));
        }
        out
    }

    fn check_id(&mut self, name: &Name, noun: &'static str) {
        if !crate::case::is_kebab_id(&name.text) {
            self.report(ModelIssue::NotKebabId {
                span: name.span,
                id: name.text.as_str().into(),
                noun,
            });
        }
    }

    /// The mapping of an entity, or nothing (recorded) when it is written as something else.
    fn entity_body<'n>(&mut self, entry: &'n Entry, noun: &'static str) -> Option<&'n Node> {
        match &entry.value.kind {
            NodeKind::Mapping(_) => Some(&entry.value),
            _ if entry.value.is_empty_scalar() => None,
            _ => {
                self.wrong(&entry.value, Expected::EntityFields(noun));
                None
            }
        }
    }

    /// Reads a field every entity may have.
    fn common_field(&mut self, key: CommonKey, field: &Entry, common: &mut Common) {
        let value = &field.value;
        match key {
            CommonKey::Description => common.description = self.text(value),
            CommonKey::Notes => common.notes = self.text(value),
            CommonKey::Tags => common.tags = self.text_list(value),
            CommonKey::Owner => {
                common.owner = self.reference(value, EntityKind::Team, RefSite::Owner)
            }
            CommonKey::Owners => {
                common.owners = self.references(value, EntityKind::Team, RefSite::Owner)
            }
            CommonKey::Links => common.links = self.links(value),
        }
    }

    fn common(entry: &Entry) -> Common {
        Common {
            entry_span: entry.span(),
            ..Common::default()
        }
    }

    /// The known entries of an entity whose place has required keys; an entity written with
    /// nothing under it (`my-team:`) still lacks them.
    fn required_names<'n, K: Copy + PartialEq>(
        &mut self,
        entry: &'n Entry,
        set: &KeySet<K>,
        noun: &'static str,
    ) -> Vec<Known<'n, K>> {
        match self.entity_body(entry, noun) {
            Some(body) => self.known_entries(body, set, Whose::This(noun)),
            None if !entry.value.is_empty_scalar() => Vec::new(),
            None => {
                for doc in set.docs().filter(|k| k.required) {
                    self.report(ModelIssue::MissingField {
                        at: entry.key.span,
                        key: doc.key,
                        whose: Whose::This(noun),
                    });
                }
                Vec::new()
            }
        }
    }
}
