//! Every span of a file's model ([`HasSpans`]), for moving them all at once: a file read in pieces
//! has each piece's model moved to where the piece stands in the file. Each type is destructured
//! in full, so that a field added later does not compile until it says whether it holds spans.

use super::*;
use crate::schema::entity_kinds;
use crate::span::HasSpans;

impl HasSpans for Name {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Name { text: _, span } = self;
        f(span);
    }
}

impl HasSpans for Reference {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Reference {
            namespace: _,
            name: _,
            span,
            site: _,
        } = self;
        f(span);
    }
}

impl HasSpans for Common {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Common {
            description,
            notes,
            tags,
            owner,
            owners,
            links,
            entry_span,
        } = self;
        description.each_span(f);
        notes.each_span(f);
        tags.each_span(f);
        owner.each_span(f);
        owners.each_span(f);
        links.each_span(f);
        f(entry_span);
    }
}

impl HasSpans for Link {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Link { label, url } = self;
        label.each_span(f);
        url.each_span(f);
    }
}

impl HasSpans for Team {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Team {
            id,
            name,
            contact,
            common,
        } = self;
        id.each_span(f);
        name.each_span(f);
        contact.each_span(f);
        common.each_span(f);
    }
}

impl HasSpans for Goal {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Goal { id, name, common } = self;
        id.each_span(f);
        name.each_span(f);
        common.each_span(f);
    }
}

impl HasSpans for Kpi {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Kpi {
            id,
            name,
            goal,
            definition,
            priority,
            common,
        } = self;
        id.each_span(f);
        name.each_span(f);
        goal.each_span(f);
        definition.each_span(f);
        priority.each_span(f);
        common.each_span(f);
    }
}

impl HasSpans for Alternative {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Alternative { id, steps } = self;
        id.each_span(f);
        steps.each_span(f);
    }
}

impl HasSpans for Flow {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Flow {
            id,
            name,
            kpis,
            steps,
            alternatives,
            common,
        } = self;
        id.each_span(f);
        name.each_span(f);
        kpis.each_span(f);
        steps.each_span(f);
        alternatives.each_span(f);
        common.each_span(f);
    }
}

impl HasSpans for Event {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Event {
            name,
            status,
            platforms,
            kpis,
            properties,
            replaced_by,
            additional_properties,
            expires,
            sensitivity,
            common,
        } = self;
        name.each_span(f);
        status.each_span(f);
        platforms.each_span(f);
        kpis.each_span(f);
        properties.each_span(f);
        replaced_by.each_span(f);
        additional_properties.each_span(f);
        expires.each_span(f);
        sensitivity.each_span(f);
        common.each_span(f);
    }
}

impl HasSpans for EventProperty {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let EventProperty {
            name,
            required,
            kind,
            entry_span,
        } = self;
        name.each_span(f);
        required.each_span(f);
        match kind {
            EventPropertyKind::Reference {
                reference,
                overrides,
            } => {
                reference.each_span(f);
                overrides.each_span(f);
            }
            EventPropertyKind::Inline(def) => def.each_span(f),
        }
        f(entry_span);
    }
}

impl HasSpans for PropertyOverrides {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let PropertyOverrides(fields) = self;
        fields.each_span(f);
    }
}

impl HasSpans for OverrideFields {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let OverrideFields {
            description,
            examples,
            enum_values,
            notes,
        } = self;
        description.each_span(f);
        examples.each_span(f);
        enum_values.each_span(f);
        notes.each_span(f);
    }
}

impl HasSpans for Items {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        match self {
            Items::Type(ty) => ty.each_span(f),
            Items::Definition(def) => def.each_span(f),
        }
    }
}

impl HasSpans for PropertyDef {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let PropertyDef {
            name,
            ty,
            required,
            enum_values,
            examples,
            pattern,
            min,
            max,
            pii,
            deprecated,
            replaced_by,
            items,
            properties,
            nullable,
            min_length,
            max_length,
            format,
            multiple_of,
            min_items,
            max_items,
            unique_items,
            sensitivity,
            expires,
            additional_properties,
            common,
        } = self;
        nullable.each_span(f);
        min_length.each_span(f);
        max_length.each_span(f);
        format.each_span(f);
        multiple_of.each_span(f);
        min_items.each_span(f);
        max_items.each_span(f);
        unique_items.each_span(f);
        sensitivity.each_span(f);
        expires.each_span(f);
        additional_properties.each_span(f);
        name.each_span(f);
        ty.each_span(f);
        required.each_span(f);
        enum_values.each_span(f);
        examples.each_span(f);
        pattern.each_span(f);
        min.each_span(f);
        max.each_span(f);
        pii.each_span(f);
        deprecated.each_span(f);
        replaced_by.each_span(f);
        items.each_span(f);
        properties.each_span(f);
        common.each_span(f);
    }
}

impl HasSpans for Conventions {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Conventions {
            event_case,
            property_case,
        } = self;
        event_case.each_span(f);
        property_case.each_span(f);
    }
}

impl HasSpans for LintSetting {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let LintSetting { rule, level } = self;
        rule.each_span(f);
        level.each_span(f);
    }
}

impl HasSpans for Identity {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Identity {
            id_merge,
            identify,
            reset,
            notes,
        } = self;
        id_merge.each_span(f);
        identify.each_span(f);
        reset.each_span(f);
        notes.each_span(f);
    }
}

impl HasSpans for Suppression {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let Suppression {
            rules,
            comment,
            scope,
        } = self;
        rules.each_span(f);
        f(comment);
        f(scope);
    }
}

impl HasSpans for RootSettings {
    fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
        let RootSettings {
            version,
            name,
            description,
            conventions,
            lint,
            identity,
            identity_span,
            destinations,
            additional_properties,
            baseline,
        } = self;
        destinations.each_span(f);
        additional_properties.each_span(f);
        baseline.each_span(f);
        version.each_span(f);
        name.each_span(f);
        description.each_span(f);
        conventions.each_span(f);
        lint.each_span(f);
        identity.each_span(f);
        identity_span.each_span(f);
    }
}

macro_rules! file_part_spans {
    ($( $kind:ident => $section:ident, $($rest:tt),*; )*) => {
        impl HasSpans for FilePart {
            fn each_span<F: FnMut(&mut Span)>(&mut self, f: &mut F) {
                let FilePart {
                    root,
                    $( $section, )*
                    super_properties,
                    suppressions,
                } = self;
                root.each_span(f);
                $( $section.each_span(f); )*
                super_properties.each_span(f);
                suppressions.each_span(f);
            }
        }
    };
}
entity_kinds!(file_part_spans);
