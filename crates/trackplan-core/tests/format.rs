//! Format 1.1, key by key (one test each, so one failing key hides no other):
//! `fixtures/format/<key>/valid.yaml` must check clean, and the hover cards of its events and
//! properties (snapshot `format__<key>-valid`) show what the key says; `invalid.yaml` must be
//! reported (snapshot `format__<key>-invalid` of every diagnostic). Fixtures use the `# file:`
//! lines of [`support::plan_from_fixture`].

mod support;

use std::path::{Path, PathBuf};
use trackplan_core::ide::{card, inline_property_card};
use trackplan_core::model::{EntityKind, EventPropertyKind};

macro_rules! format_tests {
    ($($key:ident,)*) => {
        /// The keys the tests below were generated for.
        const TESTED_KEYS: &[&str] = &[$(stringify!($key),)*];

        $(
            #[test]
            fn $key() {
                check_key(&stringify!($key).replace('_', "-"));
            }
        )*
    };
}

format_tests! {
    nullable,
    string_length,
    format,
    list_size,
    multiple_of,
    type_list,
    type_any,
    additional_properties,
    nested_required,
    nested_by_name,
    owners,
    links,
    expires,
    sensitivity,
    destinations,
    baseline,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format")
}

#[test]
fn every_fixture_folder_is_tested() {
    let mut folders: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace('-', "_"))
        .collect();
    folders.sort();
    let mut tested: Vec<String> = TESTED_KEYS.iter().map(|k| k.to_string()).collect();
    tested.sort();
    assert_eq!(
        folders, tested,
        "`format_tests!` must list every folder of fixtures/format"
    );
}

/// The cards of every event and property definition of a plan, and of the properties events
/// define for themselves, one after another.
fn cards(plan: &trackplan_core::Plan) -> String {
    let mut out = String::new();
    for kind in [
        EntityKind::Event,
        EntityKind::Property,
        EntityKind::UserProperty,
    ] {
        for definition in plan.definitions(kind) {
            let name = &definition.name().text;
            out.push_str(&card(plan, kind, name).unwrap_or_default());
            out.push_str("\n\n---\n\n");
        }
    }
    for event in plan.events() {
        for property in &event.properties {
            if let EventPropertyKind::Inline(def) = &property.kind {
                out.push_str(&inline_property_card(event, def, plan));
                out.push_str("\n\n---\n\n");
            }
        }
    }
    out
}

fn check_key(key: &str) {
    let dir = fixtures().join(key);
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("cannot read {}/{name}: {e}", dir.display()))
    };

    let valid = read("valid.yaml");
    let (diagnostics, rendered) = support::check_fixture(&valid);
    assert!(
        diagnostics.is_empty(),
        "{key}/valid.yaml is not clean:\n{rendered}"
    );
    let plan = support::plan_from_fixture(&valid);
    insta::assert_snapshot!(format!("{key}-valid"), cards(&plan));

    let (diagnostics, rendered) = support::check_fixture(&read("invalid.yaml"));
    assert!(!diagnostics.is_empty(), "{key}/invalid.yaml raises nothing");
    insta::assert_snapshot!(format!("{key}-invalid"), rendered);
}
