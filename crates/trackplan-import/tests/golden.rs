//! Golden imports: the real plans in tests/fixtures/import/sources (copied from other tools'
//! repositories with their licences) and a spreadsheet per CSV layout in tests/fixtures/import/csv.
//! Each imported plan checks with no errors under its destination (the core's own check), and its
//! files and report are snapshots.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use trackplan_core::{FileId, Plan, Severity};
use trackplan_import::{import, Format, Imported, Input, Options};

fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import/sources")
}

/// The files below `dir`, with paths relative to it, sorted.
fn read_folder(dir: &Path) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                inputs.push(Input::new(relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    inputs
}

/// The plan's findings by the core's check, as `severity rule: message` lines.
fn check(imported: &Imported) -> Vec<(Severity, String)> {
    let files = imported
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            Arc::new(trackplan_core::parse_file(
                FileId(i as u32),
                &f.path,
                f.text.as_str(),
            ))
        })
        .collect();
    let plan = Plan::new(files);
    trackplan_core::check(&plan)
        .into_iter()
        .map(|d| {
            (
                d.severity,
                format!("{} {}: {}", d.severity, d.rule.as_str(), d.message),
            )
        })
        .collect()
}

fn golden(name: &str, format: Format, inputs: &[Input]) -> Imported {
    let imported = import(format, inputs, &Options::default()).expect("the plan imports");
    let findings = check(&imported);
    let errors: Vec<&String> = findings
        .iter()
        .filter(|(s, _)| *s == Severity::Error)
        .map(|(_, m)| m)
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: the imported plan has errors:\n{errors:#?}"
    );
    let mut text = String::new();
    for file in &imported.files {
        text.push_str(&format!("===== {}\n{}", file.path, file.text));
    }
    text.push_str("===== report\n");
    text.push_str(&imported.report.to_text());
    insta::assert_snapshot!(name, text);
    imported
}

#[test]
fn segment_typewriter_plans() {
    let folder = sources().join("segment-typewriter");
    for input in read_folder(&folder)
        .into_iter()
        .filter(|i| i.path.ends_with(".json"))
    {
        let name = format!("segment__{}", input.path.trim_end_matches(".json"));
        golden(&name, Format::Segment, &[input]);
    }
}

#[test]
fn snowplow_iglu_folder() {
    let inputs: Vec<Input> = read_folder(&sources().join("snowplow-iglu"))
        .into_iter()
        .filter(|i| Format::Snowplow.reads_file(&i.path))
        .collect();
    let imported = golden("snowplow__iglu_central", Format::Snowplow, &inputs);
    assert!(
        imported.report.skipped.is_empty(),
        "{:?}",
        imported.report.skipped
    );
}

#[test]
fn rudderstack_projects() {
    for project in ["create", "update", "typer"] {
        let inputs = read_folder(&sources().join("rudderstack").join(project));
        let imported = golden(
            &format!("rudderstack__{project}"),
            Format::Rudderstack,
            &inputs,
        );
        assert!(
            imported.report.skipped.is_empty(),
            "{:?}",
            imported.report.skipped
        );
    }
}

fn fixture(path: &str) -> Input {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/import")
        .join(path);
    Input::new(
        path.rsplit('/').next().unwrap(),
        std::fs::read(full).unwrap(),
    )
}

#[test]
fn csv_layouts() {
    for (name, files) in [
        (
            "mixpanel_template",
            &[
                "csv/mixpanel-template.csv",
                "csv/super-properties.csv",
                "csv/user-profile-properties.csv",
            ][..],
        ),
        ("avo", &["csv/avo.csv"][..]),
        ("amplitude", &["csv/amplitude.csv"][..]),
        ("lexicon", &["csv/lexicon.csv"][..]),
        ("trackplan_export", &["csv/trackplan-export.csv"][..]),
    ] {
        let inputs: Vec<Input> = files.iter().map(|f| fixture(f)).collect();
        let imported = golden(&format!("csv__{name}"), Format::Csv, &inputs);
        assert!(
            imported.report.skipped.is_empty(),
            "{name}: {:?}",
            imported.report.skipped
        );
    }
}

#[test]
fn json_schema_folder_and_bundle() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/import/json-schema/folder");
    golden(
        "json_schema__folder",
        Format::JsonSchema,
        &read_folder(&folder),
    );
    let imported = golden(
        "json_schema__bundle",
        Format::JsonSchema,
        &[fixture("json-schema/bundle/plan.schema.json")],
    );
    assert!(
        imported
            .report
            .losses
            .iter()
            .any(|l| l.what.contains("`$ref` loop")),
        "{:?}",
        imported.report
    );
}

#[test]
fn mixpanel_lexicon_body() {
    golden(
        "mixpanel_lexicon__schemas",
        Format::MixpanelLexicon,
        &[fixture("mixpanel-lexicon/schemas.json")],
    );
}

/// A value the importer lets through but the format refuses (an enum value shorter than the
/// minimum length) is an error of the imported plan: the report says so.
#[test]
fn errors_left_in_the_plan_are_reported() {
    let schema = r#"{"title": "Coupon Applied", "type": "object",
        "properties": {"code": {"type": "string", "minLength": 3, "enum": ["a", "abcd"]}}}"#;
    let imported = import(
        Format::JsonSchema,
        &[Input::new("coupon.json", schema)],
        &Options::default(),
    )
    .unwrap();
    let errors: Vec<_> = check(&imported)
        .into_iter()
        .filter(|(s, _)| *s == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let loss = imported
        .report
        .losses
        .iter()
        .find(|l| l.what.contains("error in the imported plan"))
        .expect("reported");
    assert!(loss.what.contains("type-mismatch"), "{loss:?}");
}
