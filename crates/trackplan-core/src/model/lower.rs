//! Reads one file's syntax tree into its [`FilePart`], reporting what does not fit the format
//! (`unknown-key`, `invalid-value`, `missing-field`) as it goes. Never fails: whatever can be read is
//! kept, so one mistake does not hide the rest of the file.

use super::*;
use crate::diagnostic::Diagnostic;
use crate::rules::{invalid_value, missing_field, unknown_key};
use crate::schema::{self, Place};
use crate::span::{SourceFile, Span, Spanned};
use crate::syntax::{Entry, Node, NodeKind, ScalarValue, SyntaxTree};
use rustc_hash::FxHashSet as HashSet;

/// Reads a file's tree into what it defines, with the findings of the per-file rules.
pub fn lower_file(source: &SourceFile, tree: &SyntaxTree) -> (FilePart, Vec<Diagnostic>) {
    let mut lower = Lower {
        file: source,
        diagnostics: Vec::new(),
    };
    crate::rules::check_file(source, tree, &mut lower.diagnostics);
    let mut part = FilePart::default();
    let is_root = source.is_root();
    // In a file that was not read to its end, entities may be cut short: whatever they seem to lack
    // is no finding.
    let broken = tree.issues.iter().any(|issue| {
        matches!(
            issue,
            crate::syntax::SyntaxIssue::Error { .. }
                | crate::syntax::SyntaxIssue::TooLarge { .. }
                | crate::syntax::SyntaxIssue::TooDeep { .. }
        )
    });
    match &tree.root {
        Some(node) if node.as_mapping().is_some() => lower.top(node, is_root, broken, &mut part),
        Some(node) if matches!(node.scalar_value(), Some(ScalarValue::Null)) => {
            lower.top_missing(is_root, broken)
        }
        Some(node) => lower.report(invalid_value::wrong_shape(
            node,
            "a mapping of sections (`events:`, `properties:`, ...)",
        )),
        None => lower.top_missing(is_root, broken),
    }
    part.suppressions = crate::suppress::collect(source, tree);
    if broken {
        lower.diagnostics.retain(|d| d.rule != missing_field::NAME);
    }
    (part, lower.diagnostics)
}

struct Lower<'a> {
    file: &'a SourceFile,
    diagnostics: Vec<Diagnostic>,
}

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

impl Lower<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn top_missing(&mut self, is_root: bool, broken: bool) {
        if is_root && !broken {
            let at = Span::file_start(self.file.id);
            for key in schema::keys(Place::Root).iter().filter(|k| k.required) {
                self.report(missing_field::diagnostic(at, key.key, "the root file"));
            }
        }
    }

    /// Checks a mapping's keys against the format and reports missing required keys; returns the
    /// entries whose keys are known, first occurrence only.
    fn known_entries<'n>(
        &mut self,
        node: &'n Node,
        place: Place,
        what: &str,
        broken: bool,
    ) -> Vec<(&'static str, &'n Entry)> {
        let mut known = Vec::new();
        for entry in unique_entries(node) {
            let Some(key) = self.key_text(&entry.key) else {
                continue;
            };
            match schema::key_doc(place, key) {
                Some(doc) => known.push((doc.key, entry)),
                None => self.report(unknown_key::diagnostic(&entry.key, key, place)),
            }
        }
        if !broken {
            for doc in schema::keys(place).iter().filter(|k| k.required) {
                let given = known.iter().find(|(k, _)| *k == doc.key);
                if let Some((_, entry)) = given {
                    if matches!(entry.value.scalar_value(), Some(ScalarValue::Null)) {
                        self.report(missing_field::empty(entry.key.span, doc.key, what));
                    }
                    continue;
                }
                let at = match node.as_mapping() {
                    Some([first, ..]) => first.key.span,
                    _ => node.span,
                };
                self.report(missing_field::diagnostic(at, doc.key, what));
            }
        }
        known
    }

    /// A key's text; keys that are not strings are reported.
    fn key_text<'n>(&mut self, key: &'n Node) -> Option<&'n str> {
        match &key.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => {
                self.report(invalid_value::wrong_shape(key, "a string key"));
                None
            }
        }
    }

    fn top(&mut self, node: &Node, is_root: bool, broken: bool, part: &mut FilePart) {
        let place = if is_root {
            Place::Root
        } else {
            Place::PartFile
        };
        let what = if is_root {
            "the root file"
        } else {
            "a plan file"
        };
        for (key, entry) in self.known_entries(node, place, what, broken) {
            let value = &entry.value;
            match key {
                "trackplan" => part.root.version = self.version(value),
                "name" => part.root.name = self.text(value),
                "description" => part.root.description = self.text(value),
                "conventions" => part.root.conventions = self.conventions(value),
                "lint" => part.root.lint = self.lint(value),
                "identity" => {
                    part.root.identity = self.identity(value);
                    part.root.identity_span = Some(entry.span());
                }
                "teams" => part.teams = self.collection(value, EntityKind::Team, Lower::team),
                "goals" => part.goals = self.collection(value, EntityKind::Goal, Lower::goal),
                "kpis" => part.kpis = self.collection(value, EntityKind::Kpi, Lower::kpi),
                "flows" => part.flows = self.collection(value, EntityKind::Flow, Lower::flow),
                "events" => part.events = self.collection(value, EntityKind::Event, Lower::event),
                "properties" => {
                    part.properties = self.collection(value, EntityKind::Property, |l, n, e| {
                        l.property(n, e, Place::Property, EntityKind::Property)
                    })
                }
                "user_properties" => {
                    part.user_properties =
                        self.collection(value, EntityKind::UserProperty, |l, n, e| {
                            l.property(n, e, Place::Property, EntityKind::UserProperty)
                        })
                }
                "super_properties" => {
                    part.super_properties =
                        self.references(value, EntityKind::Property, RefSite::SuperProperty)
                }
                _ => unreachable!("every schema key is read: {key}"),
            }
        }
    }

    // ----- scalars -------------------------------------------------------------------------------

    fn version(&mut self, node: &Node) -> Option<Spanned<i64>> {
        match node.scalar_value() {
            Some(ScalarValue::Int(1)) => Some(Spanned::new(1, node.span)),
            Some(ScalarValue::Int(v)) => {
                self.report(invalid_value::unsupported_version(node, &v.to_string()));
                Some(Spanned::new(v, node.span))
            }
            _ => {
                self.report(invalid_value::wrong_shape(node, "the format version `1`"));
                None
            }
        }
    }

    /// Free text. Numbers and booleans are reported (YAML reads them as such, JSON Schema readers
    /// reject them) but still taken as written; null is no text.
    fn text(&mut self, node: &Node) -> Option<Spanned<String>> {
        match &node.kind {
            NodeKind::Scalar { value, .. } => match node.scalar_value() {
                Some(ScalarValue::Null) => None,
                Some(ScalarValue::Str(_)) => Some(Spanned::new(value.to_string(), node.span)),
                _ => {
                    self.report(
                        invalid_value::wrong_shape(node, "text")
                            .with_help(format!("quote it to make it text: \"{value}\"")),
                    );
                    Some(Spanned::new(value.to_string(), node.span))
                }
            },
            _ => {
                self.report(invalid_value::wrong_shape(node, "text"));
                None
            }
        }
    }

    fn text_list(&mut self, node: &Node) -> Vec<Spanned<String>> {
        self.list_items(node, "a list of strings")
            .iter()
            .filter_map(|item| self.text(item))
            .collect()
    }

    fn boolean(&mut self, node: &Node) -> Option<Spanned<bool>> {
        match node.scalar_value() {
            Some(ScalarValue::Bool(b)) => Some(Spanned::new(b, node.span)),
            _ => {
                self.report(invalid_value::wrong_shape(node, "`true` or `false`"));
                None
            }
        }
    }

    fn number(&mut self, node: &Node) -> Option<Spanned<f64>> {
        match node.scalar_value().and_then(|v| v.as_f64()) {
            Some(n) => Some(Spanned::new(n, node.span)),
            None => {
                self.report(invalid_value::wrong_shape(node, "a number"));
                None
            }
        }
    }

    fn integer(&mut self, node: &Node, min: i64) -> Option<Spanned<i64>> {
        match node.scalar_value() {
            Some(ScalarValue::Int(i)) if i >= min => Some(Spanned::new(i, node.span)),
            _ => {
                self.report(invalid_value::wrong_shape(
                    node,
                    &format!("an integer of at least {min}"),
                ));
                None
            }
        }
    }

    /// One of a fixed set of words.
    fn word(
        &mut self,
        node: &Node,
        words: &'static [&'static str],
    ) -> Option<Spanned<&'static str>> {
        if let Some(ScalarValue::Str(text)) = node.scalar_value() {
            if let Some(word) = words.iter().find(|w| **w == text) {
                return Some(Spanned::new(*word, node.span));
            }
        }
        self.report(invalid_value::not_a_word(node, words));
        None
    }

    /// The items of a list. A single scalar where a list belongs is reported and read as a list of one.
    fn list_items<'n>(&mut self, node: &'n Node, expected: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Sequence(items) => items,
            NodeKind::Scalar { .. } if node.is_empty_scalar() => &[],
            NodeKind::Scalar { .. } => {
                self.report(
                    invalid_value::wrong_shape(node, expected)
                        .with_help(format!("write a list: `[{}]`", self.file.slice(node.span))),
                );
                std::slice::from_ref(node)
            }
            _ => {
                self.report(invalid_value::wrong_shape(node, expected));
                &[]
            }
        }
    }

    /// A name that must be a string: a key or a list item. YAML's numbers, booleans and null are
    /// reported with a hint to quote them, and still read as the text written.
    fn name(&mut self, node: &Node) -> Option<Name> {
        match node.scalar_value() {
            None => {
                self.report(invalid_value::wrong_shape(node, "a name"));
                None
            }
            Some(ScalarValue::Str(text)) => {
                if text.trim() != text {
                    self.report(invalid_value::padded_name(node, text));
                }
                Some(Name {
                    text: text.to_string(),
                    span: node.span,
                })
            }
            Some(_) => {
                self.report(invalid_value::name_not_string(node));
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
            self.report(invalid_value::wrong_shape(
                node,
                &format!("{} name", article(namespace.noun())),
            ));
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
        let expected = format!("a list of {} names", namespace.noun());
        self.list_items(node, &expected)
            .iter()
            .filter_map(|item| self.reference(item, namespace, site))
            .collect()
    }

    fn values(&mut self, node: &Node) -> Vec<Spanned<Value>> {
        self.list_items(node, "a list of values")
            .iter()
            .map(|item| Spanned::new(Value::from_node(item), item.span))
            .collect()
    }

    // ----- root-only sections ----------------------------------------------------------------------

    fn mapping_or_report<'n>(&mut self, node: &'n Node, expected: &str) -> Option<&'n Node> {
        match &node.kind {
            NodeKind::Mapping(_) => Some(node),
            _ if node.is_empty_scalar() => None,
            _ => {
                self.report(invalid_value::wrong_shape(node, expected));
                None
            }
        }
    }

    fn conventions(&mut self, node: &Node) -> Conventions {
        let mut conventions = Conventions::default();
        let Some(node) =
            self.mapping_or_report(node, "a mapping with `event_case` and `property_case`")
        else {
            return conventions;
        };
        for (key, entry) in self.known_entries(node, Place::Conventions, "conventions", false) {
            let case = self
                .word(&entry.value, schema::CASES)
                .and_then(|w| Case::parse(w.value).map(|c| Spanned::new(c, w.span)));
            match key {
                "event_case" => conventions.event_case = case,
                _ => conventions.property_case = case,
            }
        }
        conventions
    }

    fn lint(&mut self, node: &Node) -> Vec<LintSetting> {
        let mut settings = Vec::new();
        let Some(node) = self.mapping_or_report(node, "a mapping of rule names to severities")
        else {
            return settings;
        };
        for entry in unique_entries(node) {
            let Some(rule) = self.name(&entry.key) else {
                continue;
            };
            if crate::rules::find(&rule.text).is_none() {
                self.report(unknown_key::unknown_rule(&entry.key, &rule.text));
                continue;
            }
            let level = match entry.value.scalar_value() {
                Some(ScalarValue::Bool(false)) => Some(LintLevel::Off),
                Some(ScalarValue::Str("error")) => Some(LintLevel::Error),
                Some(ScalarValue::Str("warning")) => Some(LintLevel::Warning),
                Some(ScalarValue::Str("info")) => Some(LintLevel::Info),
                Some(ScalarValue::Str("off")) => Some(LintLevel::Off),
                _ => {
                    self.report(invalid_value::not_a_word(&entry.value, schema::SEVERITIES));
                    None
                }
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
        let Some(node) =
            self.mapping_or_report(node, "a mapping with `identify`, `reset`, `id_merge`")
        else {
            return identity;
        };
        for (key, entry) in self.known_entries(node, Place::Identity, "identity", false) {
            let value = &entry.value;
            match key {
                "id_merge" => {
                    identity.id_merge = self
                        .word(value, schema::ID_MERGE)
                        .map(|w| Spanned::new(w.value.to_string(), w.span))
                }
                "identify" => {
                    identity.identify = self.references(value, EntityKind::Event, RefSite::Identify)
                }
                "reset" => {
                    identity.reset = self.references(value, EntityKind::Event, RefSite::Reset)
                }
                _ => identity.notes = self.text(value),
            }
        }
        identity
    }

    // ----- collections -------------------------------------------------------------------------------

    /// A section keyed by names: each entry read by `read`.
    fn collection<T>(
        &mut self,
        node: &Node,
        namespace: EntityKind,
        mut read: impl FnMut(&mut Self, Name, &Entry) -> T,
    ) -> Vec<T> {
        let expected = format!("a mapping of {} names to definitions", namespace.noun());
        let Some(node) = self.mapping_or_report(node, &expected) else {
            return Vec::new();
        };
        // Sized up front: a model lives as long as its file, and growth slack adds up over a plan.
        let mut out = Vec::with_capacity(node.as_mapping().map_or(0, <[Entry]>::len));
        for entry in unique_entries(node) {
            let Some(name) = self.name(&entry.key) else {
                continue;
            };
            if namespace.is_id() {
                self.check_id(&name, namespace.noun());
            }
            out.push(read(self, name, entry));
        }
        out
    }

    fn check_id(&mut self, name: &Name, noun: &str) {
        if !crate::case::is_kebab_id(&name.text) {
            self.report(invalid_value::not_kebab_id(name, noun));
        }
    }

    /// The mapping of an entity, or nothing (with a finding) when it is written as something else.
    fn entity_body<'n>(&mut self, entry: &'n Entry, what: &str) -> Option<&'n Node> {
        match &entry.value.kind {
            NodeKind::Mapping(_) => Some(&entry.value),
            _ if entry.value.is_empty_scalar() => None,
            _ => {
                self.report(invalid_value::wrong_shape(
                    &entry.value,
                    &format!("a mapping with the {what}'s fields"),
                ));
                None
            }
        }
    }

    /// Reads the fields every entity may have; returns whether the key was one of them.
    fn common_field(&mut self, key: &str, value: &Node, common: &mut Common) -> bool {
        match key {
            "description" => common.description = self.text(value),
            "notes" => common.notes = self.text(value),
            "tags" => common.tags = self.text_list(value),
            "owner" => common.owner = self.reference(value, EntityKind::Team, RefSite::Owner),
            _ => return false,
        }
        true
    }

    fn common(entry: &Entry) -> Common {
        Common {
            entry_span: entry.span(),
            ..Common::default()
        }
    }

    fn required_names<'n>(
        &mut self,
        entry: &'n Entry,
        place: Place,
        what: &str,
    ) -> Vec<(&'static str, &'n Node)> {
        match self.entity_body(entry, what) {
            Some(body) => self
                .known_entries(body, place, &format!("this {what}"), false)
                .into_iter()
                .map(|(k, e)| (k, &e.value))
                .collect(),
            None if !entry.value.is_empty_scalar() => Vec::new(),
            None => {
                // `my-team:` with nothing under it still lacks its required fields.
                for doc in schema::keys(place).iter().filter(|k| k.required) {
                    self.report(missing_field::diagnostic(
                        entry.key.span,
                        doc.key,
                        &format!("this {what}"),
                    ));
                }
                Vec::new()
            }
        }
    }

    fn team(&mut self, id: Name, entry: &Entry) -> Team {
        let mut team = Team {
            id,
            name: None,
            contact: None,
            common: Self::common(entry),
        };
        for (key, value) in self.required_names(entry, Place::Team, "team") {
            if self.common_field(key, value, &mut team.common) {
                continue;
            }
            match key {
                "name" => team.name = self.text(value),
                _ => team.contact = self.text(value),
            }
        }
        team
    }

    fn goal(&mut self, id: Name, entry: &Entry) -> Goal {
        let mut goal = Goal {
            id,
            name: None,
            common: Self::common(entry),
        };
        for (key, value) in self.required_names(entry, Place::Goal, "goal") {
            if !self.common_field(key, value, &mut goal.common) {
                goal.name = self.text(value);
            }
        }
        goal
    }

    fn kpi(&mut self, id: Name, entry: &Entry) -> Kpi {
        let mut kpi = Kpi {
            id,
            name: None,
            goal: None,
            definition: None,
            priority: None,
            common: Self::common(entry),
        };
        for (key, value) in self.required_names(entry, Place::Kpi, "KPI") {
            if self.common_field(key, value, &mut kpi.common) {
                continue;
            }
            match key {
                "name" => kpi.name = self.text(value),
                "goal" => kpi.goal = self.reference(value, EntityKind::Goal, RefSite::KpiGoal),
                "definition" => kpi.definition = self.text(value),
                _ => kpi.priority = self.integer(value, 1),
            }
        }
        kpi
    }

    fn flow(&mut self, id: Name, entry: &Entry) -> Flow {
        let mut flow = Flow {
            id,
            name: None,
            kpis: Vec::new(),
            steps: Vec::new(),
            alternatives: Vec::new(),
            common: Self::common(entry),
        };
        for (key, value) in self.required_names(entry, Place::Flow, "flow") {
            if self.common_field(key, value, &mut flow.common) {
                continue;
            }
            match key {
                "name" => flow.name = self.text(value),
                "kpis" => flow.kpis = self.references(value, EntityKind::Kpi, RefSite::FlowKpi),
                "steps" => {
                    flow.steps = self.references(value, EntityKind::Event, RefSite::FlowStep)
                }
                _ => {
                    let Some(node) = self.mapping_or_report(
                        value,
                        "a mapping of alternative ids to lists of events",
                    ) else {
                        continue;
                    };
                    for alt in unique_entries(node) {
                        let Some(id) = self.name(&alt.key) else {
                            continue;
                        };
                        self.check_id(&id, "alternative");
                        let steps = self.references(
                            &alt.value,
                            EntityKind::Event,
                            RefSite::FlowAlternative,
                        );
                        flow.alternatives.push(Alternative { id, steps });
                    }
                }
            }
        }
        flow
    }

    fn event(&mut self, name: Name, entry: &Entry) -> Event {
        let mut event = Event {
            name,
            status: None,
            platforms: Vec::new(),
            kpis: Vec::new(),
            properties: Vec::new(),
            replaced_by: None,
            common: Self::common(entry),
        };
        let Some(body) = self.entity_body(entry, "event") else {
            return event;
        };
        for (key, entry) in self.known_entries(body, Place::Event, "this event", false) {
            let value = &entry.value;
            if self.common_field(key, value, &mut event.common) {
                continue;
            }
            match key {
                "status" => {
                    event.status = self
                        .word(value, schema::STATUSES)
                        .and_then(|w| Status::parse(w.value).map(|s| Spanned::new(s, w.span)))
                }
                "platforms" => {
                    event.platforms = self
                        .list_items(value, "a list of platforms")
                        .iter()
                        .filter_map(|item| self.word(item, schema::PLATFORMS))
                        .map(|w| Spanned::new(w.value.to_string(), w.span))
                        .collect()
                }
                "kpis" => event.kpis = self.references(value, EntityKind::Kpi, RefSite::EventKpi),
                "replaced_by" => {
                    event.replaced_by =
                        self.reference(value, EntityKind::Event, RefSite::ReplacedBy)
                }
                _ => event.properties = self.event_properties(value),
            }
        }
        event
    }

    fn event_properties(&mut self, node: &Node) -> Vec<EventProperty> {
        if let NodeKind::Sequence(items) = &node.kind {
            // `properties: [a, b]` is a common slip; read the names as optional references.
            self.report(
                invalid_value::wrong_shape(node, "a mapping of property names").with_help(
                    "write each property on its own line as `name: required` or `name: optional`",
                ),
            );
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
        let Some(node) = self.mapping_or_report(node, "a mapping of property names") else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(node.as_mapping().map_or(0, <[Entry]>::len));
        for entry in unique_entries(node) {
            let Some(name) = self.name(&entry.key) else {
                continue;
            };
            let value = &entry.value;
            let entry_span = entry.span();
            let property = match &value.kind {
                NodeKind::Mapping(_) if value.get("type").is_some() => {
                    let def = self.property(
                        name.clone(),
                        entry,
                        Place::InlineProperty,
                        EntityKind::Property,
                    );
                    EventProperty {
                        required: def.required.clone(),
                        kind: EventPropertyKind::Inline(Box::new(def)),
                        name,
                        entry_span,
                    }
                }
                NodeKind::Mapping(_) => {
                    let mut overrides = OverrideFields::default();
                    let mut required = None;
                    for (key, e) in
                        self.known_entries(value, Place::PropertyReference, "this property", false)
                    {
                        match key {
                            "required" => required = self.boolean(&e.value),
                            "description" => overrides.description = self.text(&e.value),
                            "examples" => overrides.examples = self.values(&e.value),
                            "enum" => overrides.enum_values = Some(self.values(&e.value)),
                            _ => overrides.notes = self.text(&e.value),
                        }
                    }
                    EventProperty {
                        kind: EventPropertyKind::Reference {
                            reference: dictionary_reference(&name),
                            overrides: PropertyOverrides::new(overrides),
                        },
                        required,
                        name,
                        entry_span,
                    }
                }
                _ => {
                    let required = match value.scalar_value() {
                        Some(ScalarValue::Str("required")) => Some(Spanned::new(true, value.span)),
                        Some(ScalarValue::Str("optional")) => Some(Spanned::new(false, value.span)),
                        _ => {
                            self.report(invalid_value::not_a_word(value, schema::REQUIREDNESS).with_help(
                                "use `required` or `optional` for a dictionary property, or a mapping with `type` to define one here",
                            ));
                            None
                        }
                    };
                    EventProperty {
                        kind: EventPropertyKind::Reference {
                            reference: dictionary_reference(&name),
                            overrides: PropertyOverrides::default(),
                        },
                        required,
                        name,
                        entry_span,
                    }
                }
            };
            out.push(property);
        }
        out
    }

    /// A property definition; `namespace` is where its `replaced_by` and nested names live.
    fn property(
        &mut self,
        name: Name,
        entry: &Entry,
        place: Place,
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
        for (key, value) in self.required_names(entry, place, "property") {
            if self.common_field(key, value, &mut def.common) {
                continue;
            }
            match key {
                "type" => def.ty = self.property_type(value),
                "required" => def.required = self.boolean(value),
                "enum" => def.enum_values = Some(self.values(value)),
                "examples" => def.examples = self.values(value),
                "pattern" => def.pattern = self.text(value),
                "min" => def.min = self.number(value),
                "max" => def.max = self.number(value),
                "pii" => def.pii = self.boolean(value),
                "deprecated" => def.deprecated = self.boolean(value),
                "replaced_by" => {
                    def.replaced_by = self.reference(value, namespace, RefSite::ReplacedBy)
                }
                "items" => def.items = self.items(value, entry, namespace),
                _ => {
                    def.properties = self.collection(value, namespace, |l, n, e| {
                        l.property(n, e, Place::Property, namespace)
                    })
                }
            }
        }
        if let (Some(ty), Some(body)) = (&def.ty, entry.value.as_mapping()) {
            self.check_fields_fit_type(ty.value, body);
        }
        def
    }

    /// `min` on a string, `items` on an object and the like are reported: they would be ignored.
    fn check_fields_fit_type(&mut self, ty: PropertyType, body: &[Entry]) {
        use PropertyType::*;
        for entry in body {
            let (types, described): (&[PropertyType], &str) = match entry.key_str() {
                Some("min" | "max") => (&[Number, Integer], "`number` and `integer`"),
                Some("pattern") => (&[String], "`string`"),
                Some("items") => (&[List], "`list`"),
                Some("properties") => (&[Object], "`object`"),
                _ => continue,
            };
            if !types.contains(&ty) {
                let field = entry.key_str().unwrap_or_default();
                self.report(invalid_value::field_not_for_type(
                    &entry.key,
                    field,
                    described,
                    ty.as_str(),
                ));
            }
        }
    }

    fn property_type(&mut self, node: &Node) -> Option<Spanned<PropertyType>> {
        self.word(node, schema::TYPES)
            .and_then(|w| PropertyType::parse(w.value).map(|t| Spanned::new(t, w.span)))
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
                let mut def = self.property(name, &item_entry, Place::Property, namespace);
                def.common.entry_span = node.span;
                Some(Items::Definition(Box::new(def)))
            }
            _ => self.property_type(node).map(Items::Type),
        }
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

fn article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'K']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}
