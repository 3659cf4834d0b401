//! Reads one file's syntax tree into its [`FilePart`], recording what does not fit the format as
//! [`ModelIssue`]s as it goes (the rules turn them into diagnostics). Never fails: whatever can be
//! read is kept, so one mistake does not hide the rest of the file.
//!
//! Keys are matched through the schema's typed key sets, so every `match` on keys is exhaustive: a
//! key added to the schema but not read here does not compile.

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
    ($( $kind:ident => $section:ident, $ty:ident, $keyed:ident, $noun:literal, $plural:literal,
        $heading:literal, $stable:literal, $place:ident, $symbol:ident, $doc:literal; )*) => {
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
    fn common_field(&mut self, key: CommonKey, value: &Node, common: &mut Common) {
        match key {
            CommonKey::Description => common.description = self.text(value),
            CommonKey::Notes => common.notes = self.text(value),
            CommonKey::Tags => common.tags = self.text_list(value),
            CommonKey::Owner => {
                common.owner = self.reference(value, EntityKind::Team, RefSite::Owner)
            }
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

    fn event_properties(&mut self, node: &Node) -> Vec<EventProperty> {
        if let NodeKind::Sequence(items) = &node.kind {
            // `properties: [a, b]` is a common slip; read the names as optional references.
            let hint = Some(ShapeHint::PropertiesOneByOne);
            self.wrong_with(node, Expected::EventProperties, hint);
            return items
                .iter()
                .filter_map(|item| self.name(item))
                .map(|name| EventProperty {
                    entry_span: name.span,
                    required: None,
                    kind: EventPropertyKind::Reference {
                        reference: dictionary_reference(&name),
                        overrides: PropertyOverrides::default(),
                    },
                    name,
                })
                .collect();
        }
        let Some(node) = self.mapping_or_report(node, Expected::EventProperties) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(node.as_mapping().map_or(0, <[Entry]>::len));
        for entry in unique_entries(node) {
            let Some(name) = self.name(&entry.key) else {
                continue;
            };
            out.push(self.event_property(name, entry));
        }
        out
    }

    /// One entry of an event's `properties:`: a shorthand word, a reference with overrides, or a
    /// definition of the event's own.
    fn event_property(&mut self, name: Name, entry: &Entry) -> EventProperty {
        let value = &entry.value;
        let entry_span = entry.span();
        let (required, kind) = match &value.kind {
            NodeKind::Mapping(_) if value.get("type").is_some() => {
                let def = self.property(
                    name.clone(),
                    entry,
                    &schema::INLINE_PROPERTY,
                    EntityKind::Property,
                );
                (
                    def.required.clone(),
                    EventPropertyKind::Inline(Box::new(def)),
                )
            }
            NodeKind::Mapping(_) => {
                let mut overrides = OverrideFields::default();
                let mut required = None;
                let whose = Whose::This("property");
                for (key, _, e) in self.known_entries(value, &schema::PROPERTY_REFERENCE, whose) {
                    let value = &e.value;
                    match key {
                        PropertyReferenceKey::Required => required = self.boolean(value),
                        PropertyReferenceKey::Description => {
                            overrides.description = self.text(value)
                        }
                        PropertyReferenceKey::Examples => overrides.examples = self.values(value),
                        PropertyReferenceKey::Enum => {
                            overrides.enum_values = Some(self.values(value))
                        }
                        PropertyReferenceKey::Notes => overrides.notes = self.text(value),
                    }
                }
                let kind = EventPropertyKind::Reference {
                    reference: dictionary_reference(&name),
                    overrides: PropertyOverrides::new(overrides),
                };
                (required, kind)
            }
            _ => {
                let required = match value.scalar_value() {
                    Some(ScalarValue::Str(word)) => Requiredness::parse(word),
                    _ => None,
                };
                if required.is_none() {
                    self.report(ModelIssue::NotAWord {
                        span: value.span,
                        found: Found::of(value),
                        words: Requiredness::WORDS,
                        shorthand: true,
                    });
                }
                let required =
                    required.map(|word| Spanned::new(word == Requiredness::Required, value.span));
                let kind = EventPropertyKind::Reference {
                    reference: dictionary_reference(&name),
                    overrides: PropertyOverrides::default(),
                };
                (required, kind)
            }
        };
        EventProperty {
            name,
            required,
            kind,
            entry_span,
        }
    }

    /// A property definition read with the keys of `set`; `namespace` is where its `replaced_by`
    /// and nested names live.
    fn property(
        &mut self,
        name: Name,
        entry: &Entry,
        set: &KeySet<PropertyKey>,
        namespace: EntityKind,
    ) -> PropertyDef {
        let mut def = PropertyDef {
            name,
            ty: None,
            required: None,
            enum_values: None,
            examples: Vec::new(),
            pattern: None,
            min: None,
            max: None,
            pii: None,
            deprecated: None,
            replaced_by: None,
            items: None,
            properties: Vec::new(),
            common: Self::common(entry),
        };
        for (key, _, field) in self.required_names(entry, set, "property") {
            let value = &field.value;
            match key {
                PropertyKey::Type => def.ty = self.word(value),
                PropertyKey::Required => def.required = self.boolean(value),
                PropertyKey::Enum => def.enum_values = Some(self.values(value)),
                PropertyKey::Examples => def.examples = self.values(value),
                PropertyKey::Pattern => def.pattern = self.text(value),
                PropertyKey::Min => def.min = self.number(value),
                PropertyKey::Max => def.max = self.number(value),
                PropertyKey::Pii => def.pii = self.boolean(value),
                PropertyKey::Deprecated => def.deprecated = self.boolean(value),
                PropertyKey::ReplacedBy => {
                    def.replaced_by = self.reference(value, namespace, RefSite::ReplacedBy)
                }
                PropertyKey::Items => def.items = self.items(value, entry, namespace),
                PropertyKey::Properties => {
                    def.properties = self.collection(value, namespace, |lower, name, entry| {
                        lower.property(name, entry, &schema::PROPERTY, namespace)
                    })
                }
                PropertyKey::Common(key) => self.common_field(key, value, &mut def.common),
            }
        }
        if let (Some(ty), Some(body)) = (&def.ty, entry.value.as_mapping()) {
            self.check_fields_fit_type(set, ty.value, body);
        }
        def
    }

    /// `min` on a string, `items` on an object and the like are recorded: they would be ignored.
    fn check_fields_fit_type(
        &mut self,
        set: &KeySet<PropertyKey>,
        ty: PropertyType,
        body: &[Entry],
    ) {
        for entry in body {
            let Some((_, doc)) = entry.key_str().and_then(|key| set.parse(key)) else {
                continue;
            };
            if !doc.for_types.is_empty() && !doc.for_types.contains(&ty) {
                self.report(ModelIssue::FieldNotForType {
                    span: entry.key.span,
                    field: doc.key,
                    applies_to: doc.for_types,
                    ty,
                });
            }
        }
    }

    fn items(&mut self, node: &Node, owner: &Entry, namespace: EntityKind) -> Option<Items> {
        match &node.kind {
            NodeKind::Mapping(_) => {
                let name = Name {
                    text: format!("{}[]", owner.key_str().unwrap_or_default()),
                    span: node.span,
                };
                let item_entry = Entry {
                    key: owner.key.clone(),
                    value: node.clone(),
                };
                let mut def = self.property(name, &item_entry, &schema::PROPERTY, namespace);
                def.common.entry_span = node.span;
                Some(Items::Definition(Box::new(def)))
            }
            _ => self.word(node).map(Items::Type),
        }
    }
}

impl Lowered for Team {
    fn lower(lower: &mut Lower<'_>, _: EntityKind, id: Name, entry: &Entry) -> Team {
        let mut team = Team {
            id,
            name: None,
            contact: None,
            common: Lower::common(entry),
        };
        for (key, _, field) in lower.required_names(entry, &schema::TEAM, "team") {
            let value = &field.value;
            match key {
                TeamKey::Name => team.name = lower.text(value),
                TeamKey::Contact => team.contact = lower.text(value),
                TeamKey::Common(key) => lower.common_field(key, value, &mut team.common),
            }
        }
        team
    }
}

impl Lowered for Goal {
    fn lower(lower: &mut Lower<'_>, _: EntityKind, id: Name, entry: &Entry) -> Goal {
        let mut goal = Goal {
            id,
            name: None,
            common: Lower::common(entry),
        };
        for (key, _, field) in lower.required_names(entry, &schema::GOAL, "goal") {
            let value = &field.value;
            match key {
                GoalKey::Name => goal.name = lower.text(value),
                GoalKey::Common(key) => lower.common_field(key, value, &mut goal.common),
            }
        }
        goal
    }
}

impl Lowered for Kpi {
    fn lower(lower: &mut Lower<'_>, _: EntityKind, id: Name, entry: &Entry) -> Kpi {
        let mut kpi = Kpi {
            id,
            name: None,
            goal: None,
            definition: None,
            priority: None,
            common: Lower::common(entry),
        };
        for (key, doc, field) in lower.required_names(entry, &schema::KPI, "KPI") {
            let value = &field.value;
            match key {
                KpiKey::Name => kpi.name = lower.text(value),
                KpiKey::Goal => {
                    kpi.goal = lower.reference(value, EntityKind::Goal, RefSite::KpiGoal)
                }
                KpiKey::Definition => kpi.definition = lower.text(value),
                KpiKey::Priority => kpi.priority = lower.integer(value, doc),
                KpiKey::Common(key) => lower.common_field(key, value, &mut kpi.common),
            }
        }
        kpi
    }
}

impl Lowered for Flow {
    fn lower(lower: &mut Lower<'_>, _: EntityKind, id: Name, entry: &Entry) -> Flow {
        let mut flow = Flow {
            id,
            name: None,
            kpis: Vec::new(),
            steps: Vec::new(),
            alternatives: Vec::new(),
            common: Lower::common(entry),
        };
        for (key, _, field) in lower.required_names(entry, &schema::FLOW, "flow") {
            let value = &field.value;
            match key {
                FlowKey::Name => flow.name = lower.text(value),
                FlowKey::Kpis => {
                    flow.kpis = lower.references(value, EntityKind::Kpi, RefSite::FlowKpi)
                }
                FlowKey::Steps => {
                    flow.steps = lower.references(value, EntityKind::Event, RefSite::FlowStep)
                }
                FlowKey::Alternatives => flow.alternatives = lower.alternatives(value),
                FlowKey::Common(key) => lower.common_field(key, value, &mut flow.common),
            }
        }
        flow
    }
}

impl Lower<'_> {
    fn alternatives(&mut self, node: &Node) -> Vec<Alternative> {
        let Some(node) = self.mapping_or_report(node, Expected::Alternatives) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for alt in unique_entries(node) {
            let Some(id) = self.name(&alt.key) else {
                continue;
            };
            self.check_id(&id, "alternative");
            let steps = self.references(&alt.value, EntityKind::Event, RefSite::FlowAlternative);
            out.push(Alternative { id, steps });
        }
        out
    }
}

impl Lowered for Event {
    fn lower(lower: &mut Lower<'_>, _: EntityKind, name: Name, entry: &Entry) -> Event {
        let mut event = Event {
            name,
            status: None,
            platforms: Vec::new(),
            kpis: Vec::new(),
            properties: Vec::new(),
            replaced_by: None,
            common: Lower::common(entry),
        };
        let Some(body) = lower.entity_body(entry, "event") else {
            return event;
        };
        for (key, _, field) in lower.known_entries(body, &schema::EVENT, Whose::This("event")) {
            let value = &field.value;
            match key {
                EventKey::Status => event.status = lower.word(value),
                EventKey::Platforms => {
                    event.platforms = lower
                        .list_items(value, Expected::PlatformList)
                        .iter()
                        .filter_map(|item| lower.word(item))
                        .collect()
                }
                EventKey::Kpis => {
                    event.kpis = lower.references(value, EntityKind::Kpi, RefSite::EventKpi)
                }
                EventKey::Properties => event.properties = lower.event_properties(value),
                EventKey::ReplacedBy => {
                    event.replaced_by =
                        lower.reference(value, EntityKind::Event, RefSite::ReplacedBy)
                }
                EventKey::Common(key) => lower.common_field(key, value, &mut event.common),
            }
        }
        event
    }
}

impl Lowered for PropertyDef {
    fn lower(lower: &mut Lower<'_>, kind: EntityKind, name: Name, entry: &Entry) -> PropertyDef {
        lower.property(name, entry, &schema::PROPERTY, kind)
    }
}

fn dictionary_reference(name: &Name) -> Reference {
    Reference {
        namespace: EntityKind::Property,
        name: name.text.clone(),
        span: name.span,
        site: RefSite::EventProperty,
    }
}
