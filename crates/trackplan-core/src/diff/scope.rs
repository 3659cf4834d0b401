//! What to look at: the names defined in files that differ between the two plans. Only those can
//! have changed.

use crate::model::{EntityKind, ParsedFile, Plan};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::sync::Arc;

pub(super) struct Scope<'a> {
    /// Some file differs.
    pub any: bool,
    /// The root file differs.
    pub root: bool,
    /// The names defined in files that differ, indexed by `EntityKind as usize`.
    names: Vec<BTreeSet<&'a str>>,
    /// KPIs listed by flows of files that differ: their flows may have changed.
    pub flow_kpis: BTreeSet<&'a str>,
}

fn same_file(a: &Arc<ParsedFile>, b: &Arc<ParsedFile>) -> bool {
    Arc::ptr_eq(a, b) || (a.source.path == b.source.path && a.source.text == b.source.text)
}

impl<'a> Scope<'a> {
    pub fn new(old: &'a Plan, new: &'a Plan) -> Scope<'a> {
        let mut scope = Scope {
            any: false,
            root: false,
            names: vec![BTreeSet::new(); EntityKind::ALL.len()],
            flow_kpis: BTreeSet::new(),
        };
        // The same file object on both sides (a history reader shares them), else the same path
        // and text.
        let pointer = |f: &Arc<ParsedFile>| Arc::as_ptr(f) as usize;
        let old_files: FxHashSet<usize> = old.files.iter().map(pointer).collect();
        let old_by_path: FxHashMap<&str, &Arc<ParsedFile>> = old
            .files
            .iter()
            .map(|f| (f.source.path.as_str(), f))
            .collect();
        let mut shared: FxHashSet<usize> =
            FxHashSet::with_capacity_and_hasher(new.files.len(), Default::default());
        for file in &new.files {
            if old_files.contains(&pointer(file)) {
                shared.insert(pointer(file));
                continue;
            }
            match old_by_path.get(file.source.path.as_str()) {
                Some(o) if same_file(o, file) => {
                    shared.insert(pointer(o));
                }
                _ => scope.add(file),
            }
        }
        for file in &old.files {
            if !shared.contains(&pointer(file)) {
                scope.add(file);
            }
        }
        scope
    }

    /// The names of a kind defined in files that differ.
    pub fn names(&self, kind: EntityKind) -> &BTreeSet<&'a str> {
        &self.names[kind as usize]
    }

    fn add(&mut self, file: &'a ParsedFile) {
        self.any = true;
        self.root |= file.source.is_root();
        for part in file.parts() {
            for &kind in EntityKind::ALL {
                let names = &mut self.names[kind as usize];
                names.extend(part.definitions(kind).map(|d| d.name().text.as_str()));
            }
            for flow in &part.flows {
                self.flow_kpis
                    .extend(flow.kpis.iter().map(|k| k.name.as_str()));
            }
        }
    }
}
