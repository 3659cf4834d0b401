//! The lowering of each kind of entity ([`Lowered`]), and of what only some kinds hold: an event's
//! properties, property definitions, a flow's alternatives.

use super::*;

impl Lower<'_> {
    /// The entries of an event's (`site`: `EventProperty`) or an object's (`NestedProperty`)
    /// `properties:`; `namespace` is where the `replaced_by` of definitions among them live.
    fn property_entries(
        &mut self,
        node: &Node,
        site: RefSite,
        namespace: EntityKind,
    ) -> Vec<EventProperty> {
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
                        reference: dictionary_reference(&name, site),
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
            out.push(self.property_entry(name, entry, site, namespace));
        }
        out
    }

    /// One entry of a `properties:` mapping: a shorthand word, a reference with overrides, or a
    /// definition of the event's (or object's) own.
    fn property_entry(
        &mut self,
        name: Name,
        entry: &Entry,
        site: RefSite,
        namespace: EntityKind,
    ) -> EventProperty {
        let value = &entry.value;
        let entry_span = entry.span();
        let (required, kind) = match &value.kind {
            NodeKind::Mapping(_) if value.get("type").is_some() => {
                let def = self.property(name.clone(), entry, &schema::INLINE_PROPERTY, namespace);
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
                    reference: dictionary_reference(&name, site),
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
                    reference: dictionary_reference(&name, site),
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
            nullable: None,
            enum_values: None,
            examples: Vec::new(),
            pattern: None,
            min_length: None,
            max_length: None,
            format: None,
            min: None,
            max: None,
            multiple_of: None,
            min_items: None,
            max_items: None,
            unique_items: None,
            pii: None,
            sensitivity: None,
            deprecated: None,
            replaced_by: None,
            expires: None,
            items: None,
            properties: Vec::new(),
            additional_properties: None,
            common: Self::common(entry),
        };
        for (key, doc, field) in self.required_names(entry, set, "property") {
            let value = &field.value;
            match key {
                PropertyKey::Type => def.ty = self.types(value),
                PropertyKey::Required => def.required = self.boolean(value),
                PropertyKey::Nullable => def.nullable = self.boolean(value),
                PropertyKey::Enum => def.enum_values = Some(self.values(value)),
                PropertyKey::Examples => def.examples = self.values(value),
                PropertyKey::Pattern => def.pattern = self.text(value),
                PropertyKey::MinLength => def.min_length = self.integer(value, doc),
                PropertyKey::MaxLength => def.max_length = self.integer(value, doc),
                PropertyKey::Format => def.format = self.word(value),
                PropertyKey::Min => def.min = self.number(value),
                PropertyKey::Max => def.max = self.number(value),
                PropertyKey::MultipleOf => def.multiple_of = self.positive_number(value),
                PropertyKey::MinItems => def.min_items = self.integer(value, doc),
                PropertyKey::MaxItems => def.max_items = self.integer(value, doc),
                PropertyKey::UniqueItems => def.unique_items = self.boolean(value),
                PropertyKey::Pii => def.pii = self.boolean(value),
                PropertyKey::Sensitivity => def.sensitivity = self.word(value),
                PropertyKey::Deprecated => def.deprecated = self.boolean(value),
                PropertyKey::ReplacedBy => {
                    def.replaced_by = self.reference(value, namespace, RefSite::ReplacedBy)
                }
                PropertyKey::Expires => def.expires = self.date(value),
                PropertyKey::Items => def.items = self.items(value, entry, namespace),
                PropertyKey::Properties => {
                    let site = RefSite::NestedProperty;
                    def.properties = self.property_entries(value, site, namespace)
                }
                PropertyKey::AdditionalProperties => {
                    def.additional_properties = self.boolean(value)
                }
                PropertyKey::Common(key) => self.common_field(key, field, &mut def.common),
            }
        }
        if let (Some(ty), Some(body)) = (&def.ty, entry.value.as_mapping()) {
            self.check_fields_fit_type(set, ty.value, body);
        }
        self.check_consistency(&def);
        def
    }

    /// Fields of one definition that contradict each other.
    fn check_consistency(&mut self, def: &PropertyDef) {
        if let (Some(pii), Some(sensitivity)) = (&def.pii, &def.sensitivity) {
            let personal = sensitivity.value >= Sensitivity::Personal;
            if pii.value != personal {
                self.report(ModelIssue::PiiContradictsSensitivity {
                    span: sensitivity.span,
                    pii: pii.value,
                    sensitivity: sensitivity.value,
                });
            }
        }
        let bounds = [
            (&def.min_length, &def.max_length, "min_length", "max_length"),
            (&def.min_items, &def.max_items, "min_items", "max_items"),
        ];
        for (low, high, low_key, high_key) in bounds {
            if let (Some(low), Some(high)) = (low, high) {
                if low.value > high.value {
                    self.report(ModelIssue::BoundsReversed {
                        span: low.span,
                        low: low_key,
                        high: high_key,
                    });
                }
            }
        }
    }

    /// `min` on a string, `items` on an object and the like are recorded: they would be ignored.
    fn check_fields_fit_type(&mut self, set: &KeySet<PropertyKey>, types: TypeSet, body: &[Entry]) {
        for entry in body {
            let Some((_, doc)) = entry.key_str().and_then(|key| set.parse(key)) else {
                continue;
            };
            if !doc.for_types.is_empty() && !types.overlaps(doc.for_types) {
                self.report(ModelIssue::FieldNotForType {
                    span: entry.key.span,
                    field: doc.key,
                    applies_to: doc.for_types,
                    types,
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
                TeamKey::Common(key) => lower.common_field(key, field, &mut team.common),
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
                GoalKey::Common(key) => lower.common_field(key, field, &mut goal.common),
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
                KpiKey::Common(key) => lower.common_field(key, field, &mut kpi.common),
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
                FlowKey::Common(key) => lower.common_field(key, field, &mut flow.common),
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
            additional_properties: None,
            replaced_by: None,
            expires: None,
            sensitivity: None,
            common: Lower::common(entry),
        };
        let Some(body) = lower.entity_body(entry, "event") else {
            return event;
        };
        for (key, _, field) in lower.known_entries(body, &schema::EVENT, Whose::This("event")) {
            let value = &field.value;
            match key {
                EventKey::Status => event.status = lower.word(value),
                EventKey::Platforms => event.platforms = lower.words(value, Expected::PlatformList),
                EventKey::Kpis => {
                    event.kpis = lower.references(value, EntityKind::Kpi, RefSite::EventKpi)
                }
                EventKey::Properties => {
                    let (site, namespace) = (RefSite::EventProperty, EntityKind::Property);
                    event.properties = lower.property_entries(value, site, namespace)
                }
                EventKey::AdditionalProperties => {
                    event.additional_properties = lower.boolean(value)
                }
                EventKey::ReplacedBy => {
                    event.replaced_by =
                        lower.reference(value, EntityKind::Event, RefSite::ReplacedBy)
                }
                EventKey::Expires => event.expires = lower.date(value),
                EventKey::Sensitivity => event.sensitivity = lower.word(value),
                EventKey::Common(key) => lower.common_field(key, field, &mut event.common),
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

/// An entry written by a dictionary property's name, in an event or (`site`) an object.
fn dictionary_reference(name: &Name, site: RefSite) -> Reference {
    Reference {
        namespace: EntityKind::Property,
        name: name.text.clone(),
        span: name.span,
        site,
    }
}
