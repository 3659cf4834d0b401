//! The rules on the real plans as `trackplan import` writes them (tests/fixtures/import/sources):
//! findings per rule, each finding of a rule that judges names and values labelled a true finding
//! or a false alarm, with why. Labels are those of the hand conversions of the same plans
//! (`tests/fixtures/realdata/labels.tsv`, same plan names and paths) and, for findings only the
//! imports make, `tests/fixtures/import/labels.tsv`. The test fails on an unlabelled finding, on a
//! stale label of the import's own file, on a rule above 10% false alarms, and when the table in
//! `docs/benchmarks.md` is not the one measured (`TRACKPLAN_UPDATE_DOCS=1` rewrites it).

#[path = "../../../tests/support/labels.rs"]
mod labels;

use labels::{read_labels, Finding, JUDGED};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use trackplan_core::baseline::Baseline;
use trackplan_core::{check_with, CheckOptions, Date};
use trackplan_import::{import, Format, Input, Options};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_folder(dir: &Path, base: &Path, out: &mut Vec<Input>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_folder(&path, base, out);
        } else {
            let relative = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Input::new(relative, std::fs::read(&path).unwrap()));
        }
    }
}

/// The real plans as imported: (name as labels.tsv gives it, format, inputs).
fn real_plans() -> Vec<(String, Format, Vec<Input>)> {
    let sources = repo().join("tests/fixtures/import/sources");
    let mut plans = Vec::new();
    let mut segment = Vec::new();
    read_folder(
        &sources.join("segment-typewriter"),
        &sources.join("segment-typewriter"),
        &mut segment,
    );
    segment.retain(|i| i.path.ends_with(".json"));
    segment.sort_by(|a, b| a.path.cmp(&b.path));
    for input in segment {
        let name = format!(
            "segment-typewriter/{}",
            input.path.trim_end_matches(".json")
        );
        plans.push((name, Format::Segment, vec![input]));
    }
    for project in ["create", "typer", "update"] {
        let dir = sources.join("rudderstack").join(project);
        let mut inputs = Vec::new();
        read_folder(&dir, &dir, &mut inputs);
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        plans.push((
            format!("rudderstack/{project}"),
            Format::Rudderstack,
            inputs,
        ));
    }
    let dir = sources.join("snowplow-iglu");
    let mut inputs = Vec::new();
    read_folder(&dir, &dir, &mut inputs);
    inputs.retain(|i| Format::Snowplow.reads_file(&i.path));
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    plans.push(("snowplow-iglu".into(), Format::Snowplow, inputs));
    plans
}

/// A labels file: each finding with whether it is a false alarm.
fn labels(path: &Path) -> BTreeMap<Finding, bool> {
    read_labels(path)
        .into_iter()
        .map(|(finding, (alarm, _why))| (finding, alarm))
        .collect()
}

#[test]
fn rules_hold_on_imported_real_plans() {
    let hand = labels(&repo().join("tests/fixtures/realdata/labels.tsv"));
    let mut own = labels(&repo().join("tests/fixtures/import/labels.tsv"));
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unlabelled = Vec::new();
    let (mut events, mut properties, mut plans) = (0, 0, 0);
    let mut per_plan = String::from("| Plan | Events | Findings | False alarms | Findings by rule |\n|---|---:|---:|---:|---|\n");
    let today = Date::parse("2025-06-01").unwrap();
    for (name, format, inputs) in real_plans() {
        let imported = import(format, &inputs, &Options::default()).unwrap();
        let plan = imported.plan();
        plans += 1;
        events += plan.events().count();
        properties += plan.property_definitions().len();
        let diagnostics = check_with(&plan, &CheckOptions { today: Some(today) });
        let entries = Baseline::of(&plan, &diagnostics).entries;
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for entry in &entries {
            *by_rule.entry(entry.rule.as_str()).or_default() += 1;
        }
        let by_rule = by_rule
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let alarms_before: usize = counts.values().map(|c| c.1).sum();
        let found = entries.len();
        for entry in entries {
            let count = counts.entry(entry.rule.clone()).or_default();
            count.0 += 1;
            if !JUDGED.contains(&entry.rule.as_str()) {
                continue;
            }
            let finding = (
                name.clone(),
                entry.rule.clone(),
                entry.path.join(" › "),
                entry.message,
            );
            match own.remove(&finding).or_else(|| hand.get(&finding).copied()) {
                Some(true) => count.1 += 1,
                Some(false) => {}
                None => unlabelled.push(finding),
            }
        }
        let plan_alarms = counts.values().map(|c| c.1).sum::<usize>() - alarms_before;
        per_plan.push_str(&format!(
            "| {name} | {} | {found} | {plan_alarms} | {by_rule} |\n",
            plan.events().count()
        ));
    }
    let lines = |items: &[Finding]| {
        items
            .iter()
            .map(|(plan, rule, path, message)| format!("{plan}\t{rule}\t{path}\t{message}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        unlabelled.is_empty(),
        "findings no label judges:\n{}",
        lines(&unlabelled)
    );
    let stale: Vec<Finding> = own.into_keys().collect();
    assert!(
        stale.is_empty(),
        "labels of findings that no longer occur:\n{}",
        lines(&stale)
    );

    let mut measured =
        String::from("| Rule | Findings | False alarms | Rate |\n|---|---:|---:|---:|\n");
    let (mut all, mut alarms) = (0, 0);
    for (rule, (found, false_alarms)) in &counts {
        let fact = if JUDGED.contains(&rule.as_str()) {
            ""
        } else {
            " (a fact)"
        };
        measured.push_str(&format!(
            "| `{rule}`{fact} | {found} | {false_alarms} | {:.1}% |\n",
            100.0 * *false_alarms as f64 / *found as f64
        ));
        all += found;
        alarms += false_alarms;
        assert!(
            false_alarms * 10 <= *found,
            "{rule}: {false_alarms} false alarms in {found} findings, above 10%"
        );
    }
    measured.push_str(&format!(
        "| all rules | {all} | {alarms} | {:.1}% |\n\n{plans} plans, {events} events, {properties} property definitions.\n",
        100.0 * alarms as f64 / all.max(1) as f64
    ));
    measured.push('\n');
    measured.push_str(&per_plan);
    println!("{measured}");
    let path = repo().join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    const START: &str = "<!-- import-realdata -->\n";
    const END: &str = "<!-- /import-realdata -->";
    let (Some(start), Some(end)) = (doc.find(START), doc.find(END)) else {
        panic!("docs/benchmarks.md has no {START:?} ... {END:?} block");
    };
    if doc[start + START.len()..end] != measured {
        if std::env::var_os("TRACKPLAN_UPDATE_DOCS").is_some() {
            std::fs::write(
                &path,
                format!("{}{START}{measured}{}", &doc[..start], &doc[end..]),
            )
            .unwrap();
        } else {
            panic!("docs/benchmarks.md is stale (TRACKPLAN_UPDATE_DOCS=1 rewrites it); measured:\n{measured}");
        }
    }
}
