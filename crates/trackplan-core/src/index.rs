//! Names of a plan: where each is defined and where it is referenced.
//!
//! [`Index`] borrows the plan and serves the rules; [`Symbols`] owns its data and serves the language
//! server (what is under the cursor, every occurrence of a name, rename edits).

use crate::diagnostic::Edit;
use crate::model::*;
use crate::span::{FileId, Span};
use crate::syntax::requote;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The plan's names, borrowed from the plan.
pub struct Index<'a> {
    pub plan: &'a Plan,
    definitions: HashMap<EntityKind, HashMap<&'a str, Vec<Definition<'a>>>>,
    /// Definitions per namespace in plan order (root file first, then by path; within a file, in
    /// order of appearance).
    ordered: HashMap<EntityKind, Vec<Definition<'a>>>,
    references: HashMap<EntityKind, HashMap<&'a str, Vec<&'a Reference>>>,
    all_references: Vec<&'a Reference>,
    property_definitions: Vec<(PropertySite<'a>, &'a PropertyDef)>,
}

impl<'a> Index<'a> {
    pub fn new(plan: &'a Plan) -> Index<'a> {
        let mut index = Index {
            plan,
            definitions: HashMap::default(),
            ordered: HashMap::default(),
            references: HashMap::default(),
            all_references: plan.references(),
            property_definitions: plan.property_definitions(),
        };
        for part in plan.parts() {
            for &kind in EntityKind::ALL {
                part.definitions(kind).for_each(|d| index.define(d));
            }
        }
        for reference in &index.all_references {
            index
                .references
                .entry(reference.namespace)
                .or_default()
                .entry(reference.name.as_str())
                .or_default()
                .push(reference);
        }
        index
    }

    fn define(&mut self, definition: Definition<'a>) {
        let namespace = definition.namespace();
        self.definitions
            .entry(namespace)
            .or_default()
            .entry(definition.name().text.as_str())
            .or_default()
            .push(definition);
        self.ordered.entry(namespace).or_default().push(definition);
    }

    /// Every definition of a namespace, in plan order (duplicates included).
    pub fn all(&self, namespace: EntityKind) -> &[Definition<'a>] {
        self.ordered.get(&namespace).map_or(&[], Vec::as_slice)
    }

    pub fn definitions(&self, namespace: EntityKind, name: &str) -> &[Definition<'a>] {
        self.definitions
            .get(&namespace)
            .and_then(|names| names.get(name))
            .map_or(&[], Vec::as_slice)
    }

    pub fn is_defined(&self, namespace: EntityKind, name: &str) -> bool {
        !self.definitions(namespace, name).is_empty()
    }

    /// The distinct names defined in a namespace, in plan order.
    pub fn names(&self, namespace: EntityKind) -> impl Iterator<Item = &'a str> + '_ {
        let mut seen = rustc_hash::FxHashSet::default();
        self.all(namespace)
            .iter()
            .map(|d| d.name().text.as_str())
            .filter(move |n| seen.insert(*n))
    }

    pub fn event(&self, name: &str) -> Option<&'a Event> {
        self.definitions(EntityKind::Event, name)
            .first()
            .and_then(Definition::get)
    }

    pub fn property(&self, name: &str) -> Option<&'a PropertyDef> {
        self.definitions(EntityKind::Property, name)
            .first()
            .and_then(Definition::get)
    }

    /// Every property definition: dictionary, user, inline and nested (see
    /// [`Plan::property_definitions`]).
    pub fn property_definitions(&self) -> &[(PropertySite<'a>, &'a PropertyDef)] {
        &self.property_definitions
    }

    pub fn references(&self) -> &[&'a Reference] {
        &self.all_references
    }

    /// The references to one name.
    pub fn references_to(&self, namespace: EntityKind, name: &str) -> &[&'a Reference] {
        self.references
            .get(&namespace)
            .and_then(|names| names.get(name))
            .map_or(&[], Vec::as_slice)
    }

    /// Edits that rename a name everywhere it occurs (definitions and references), keeping each
    /// occurrence's quoting style and quoting where YAML needs it.
    pub fn rename_edits(&self, namespace: EntityKind, name: &str, new_name: &str) -> Vec<Edit> {
        let spans = self
            .definitions(namespace, name)
            .iter()
            .map(|d| d.name().span)
            .chain(self.references_to(namespace, name).iter().map(|r| r.span));
        rename_spans(self.plan, spans, new_name)
    }
}

fn rename_spans(plan: &Plan, spans: impl Iterator<Item = Span>, new_name: &str) -> Vec<Edit> {
    let mut edits: Vec<Edit> = spans
        .filter_map(|span| {
            let file = plan.file(span.file)?;
            Some(Edit {
                span,
                new_text: requote(file.source.slice(span), new_name),
            })
        })
        .collect();
    edits.sort_by_key(|e| (e.span.file, e.span.start));
    edits.dedup_by_key(|e| e.span);
    edits
}

/// One occurrence of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub namespace: EntityKind,
    /// Shared by every occurrence of the same name.
    pub name: Arc<str>,
    pub span: Span,
    /// `None` for a definition.
    pub site: Option<RefSite>,
    /// A property defined inside one event. Mixpanel keeps one namespace of property names, so it
    /// is an occurrence of that name (renamed with it, listed with its references), but not where
    /// a reference to the dictionary goes.
    pub inline: bool,
}

impl Occurrence {
    pub fn is_definition(&self) -> bool {
        self.site.is_none()
    }
}

/// Every occurrence of every name, owned: what the language server keeps between requests.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    /// Sorted by file and start.
    occurrences: Vec<Occurrence>,
    by_name: HashMap<EntityKind, HashMap<Arc<str>, Vec<u32>>>,
}

impl Symbols {
    pub fn new(plan: &Plan) -> Symbols {
        let index = Index::new(plan);
        let mut names: HashMap<EntityKind, HashMap<Arc<str>, Vec<u32>>> = HashMap::default();
        // One shared copy of each distinct name.
        let mut intern = |namespace: EntityKind, name: &str| -> Arc<str> {
            let names = names.entry(namespace).or_default();
            match names.get_key_value(name) {
                Some((shared, _)) => shared.clone(),
                None => {
                    let shared: Arc<str> = Arc::from(name);
                    names.insert(shared.clone(), Vec::new());
                    shared
                }
            }
        };
        let mut occurrences: Vec<Occurrence> = Vec::with_capacity(index.references().len() * 2);
        for &namespace in EntityKind::ALL {
            for definition in index.all(namespace) {
                occurrences.push(Occurrence {
                    namespace,
                    name: intern(namespace, &definition.name().text),
                    span: definition.name().span,
                    site: None,
                    inline: false,
                });
            }
        }
        for &(site, def) in index.property_definitions() {
            if matches!(site, PropertySite::Inline(_)) {
                occurrences.push(Occurrence {
                    namespace: EntityKind::Property,
                    name: intern(EntityKind::Property, &def.name.text),
                    span: def.name.span,
                    site: None,
                    inline: true,
                });
            }
        }
        for reference in index.references() {
            occurrences.push(Occurrence {
                namespace: reference.namespace,
                name: intern(reference.namespace, &reference.name),
                span: reference.span,
                site: Some(reference.site),
                inline: false,
            });
        }
        occurrences.sort_by_key(|o| (o.span.file, o.span.start, o.span.end));
        for (i, o) in occurrences.iter().enumerate() {
            if let Some(ids) = names
                .get_mut(&o.namespace)
                .and_then(|n| n.get_mut(&*o.name))
            {
                ids.push(i as u32);
            }
        }
        Symbols {
            occurrences,
            by_name: names,
        }
    }

    /// The occurrence at a byte offset (the end of a name counts, as an editor cursor after it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        let first = self
            .occurrences
            .partition_point(|o| (o.span.file, o.span.end as usize) < (file, offset));
        self.occurrences[first..]
            .iter()
            .take_while(|o| o.span.file == file && o.span.start as usize <= offset)
            .find(|o| o.span.contains(offset))
    }

    /// Definitions and references of one name, in file order.
    pub fn occurrences(
        &self,
        namespace: EntityKind,
        name: &str,
    ) -> impl Iterator<Item = &Occurrence> {
        self.by_name
            .get(&namespace)
            .and_then(|names| names.get(name))
            .into_iter()
            .flatten()
            .map(|&i| &self.occurrences[i as usize])
    }

    /// Where a name is defined: its definitions in the namespace's section; for a property defined
    /// only inside events, those definitions.
    pub fn definitions(
        &self,
        namespace: EntityKind,
        name: &str,
    ) -> impl Iterator<Item = &Occurrence> {
        let shared = self
            .occurrences(namespace, name)
            .any(|o| o.is_definition() && !o.inline);
        self.occurrences(namespace, name)
            .filter(move |o| o.is_definition() && (!shared || !o.inline))
    }

    pub fn all(&self) -> &[Occurrence] {
        &self.occurrences
    }

    /// Edits that rename a name everywhere (see [`Index::rename_edits`]).
    pub fn rename_edits(
        &self,
        plan: &Plan,
        namespace: EntityKind,
        name: &str,
        new_name: &str,
    ) -> Vec<Edit> {
        rename_spans(
            plan,
            self.occurrences(namespace, name).map(|o| o.span),
            new_name,
        )
    }
}
