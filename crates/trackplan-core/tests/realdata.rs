//! The rules on real tracking plans: the plans of Segment Typewriter, RudderStack's rudder-cli and
//! Snowplow's Iglu Central, converted by hand into the plan format (`tests/fixtures/realdata/`,
//! with their licences), checked as `trackplan check` does.
//!
//! Rules that judge names and values (`JUDGED`) have each finding labelled in
//! `tests/fixtures/realdata/labels.tsv` as a true finding or a false alarm, with why; the other
//! rules state facts (no owner, no description, in no flow), true whenever they are reported. The
//! test fails when a finding has no label or a label no finding (a rule changed: judge again), when
//! a rule raises more than 10% false alarms, and when the table of findings in
//! `docs/benchmarks.md` is not the one measured here (`TRACKPLAN_UPDATE_DOCS=1` rewrites it).

#[path = "../../../tests/support/labels.rs"]
mod labels;
mod support;

use labels::{read_labels, Finding, JUDGED};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use trackplan_core::baseline::Baseline;
use trackplan_core::{parse_file, FileId, Plan};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn realdata() -> PathBuf {
    repo().join("tests/fixtures/realdata")
}

/// The plan folders below a folder (those holding a `trackplan.yaml`), sorted.
fn plans(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("trackplan.yaml").is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for entry in entries {
        plans(&entry, out);
    }
}

fn yaml_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let relative = path.strip_prefix(root).unwrap();
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn load(root: &Path) -> Plan {
    let mut paths = Vec::new();
    yaml_files(root, root, &mut paths);
    paths.sort();
    Plan::new(
        paths
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let text = std::fs::read_to_string(root.join(path)).unwrap();
                Arc::new(parse_file(FileId(i as u32), path, text))
            })
            .collect(),
    )
}

/// Per rule: findings, false alarms.
type Counts = BTreeMap<String, (usize, usize)>;

fn measure() -> (Vec<Finding>, Counts, usize, usize) {
    let mut roots = Vec::new();
    plans(&realdata(), &mut roots);
    let mut findings = Vec::new();
    let mut counts = Counts::new();
    let (mut events, mut properties) = (0, 0);
    for root in &roots {
        let name = root
            .strip_prefix(realdata())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let plan = load(root);
        events += plan.events().count();
        properties += plan.property_definitions().len();
        let diagnostics = support::check(&plan);
        for entry in Baseline::of(&plan, &diagnostics).entries {
            counts.entry(entry.rule.clone()).or_default().0 += 1;
            if JUDGED.contains(&entry.rule.as_str()) {
                findings.push((
                    name.clone(),
                    entry.rule,
                    entry.path.join(" › "),
                    entry.message,
                ));
            }
        }
    }
    (findings, counts, events, properties)
}

fn labels() -> BTreeMap<Finding, (bool, String)> {
    read_labels(&realdata().join("labels.tsv"))
}

fn table(counts: &Counts, events: usize, properties: usize) -> String {
    let mut out = String::from("| Rule | Findings | False alarms | Rate |\n|---|---:|---:|---:|\n");
    let (mut all, mut alarms) = (0, 0);
    for (rule, (found, false_alarms)) in counts {
        let judged = if JUDGED.contains(&rule.as_str()) {
            ""
        } else {
            " (a fact)"
        };
        out.push_str(&format!(
            "| `{rule}`{judged} | {found} | {false_alarms} | {:.1}% |\n",
            100.0 * *false_alarms as f64 / *found as f64
        ));
        all += found;
        alarms += false_alarms;
    }
    let mut roots = Vec::new();
    plans(&realdata(), &mut roots);
    out.push_str(&format!(
        "| all rules | {all} | {alarms} | {:.1}% |\n\n{} plans, {events} events, {properties} property definitions.\n",
        100.0 * alarms as f64 / all.max(1) as f64,
        roots.len()
    ));
    out
}

#[test]
fn rules_hold_on_real_plans() {
    let (findings, mut counts, events, properties) = measure();
    let mut labels = labels();
    let mut unlabelled = Vec::new();
    for finding in &findings {
        match labels.remove(finding) {
            Some((true, _)) => counts.get_mut(&finding.1).unwrap().1 += 1,
            Some((false, _)) => {}
            None => unlabelled.push(finding.clone()),
        }
    }
    let lines = |items: Vec<Finding>| {
        items
            .into_iter()
            .map(|(plan, rule, path, message)| format!("{plan}\t{rule}\t{path}\t{message}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        unlabelled.is_empty(),
        "findings labels.tsv does not judge:\n{}",
        lines(unlabelled)
    );
    let stale: Vec<Finding> = labels.into_keys().collect();
    assert!(
        stale.is_empty(),
        "labels of findings that no longer occur:\n{}",
        lines(stale)
    );

    let measured = table(&counts, events, properties);
    println!("{measured}");
    for (rule, (found, alarms)) in &counts {
        assert!(
            *alarms * 10 <= *found,
            "{rule}: {alarms} false alarms in {found} findings, above 10%"
        );
    }
    let path = repo().join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    const START: &str = "<!-- realdata -->\n";
    const END: &str = "<!-- /realdata -->";
    let (Some(start), Some(end)) = (doc.find(START), doc.find(END)) else {
        panic!("docs/benchmarks.md has no {START:?} ... {END:?} block");
    };
    let current = &doc[start + START.len()..end];
    if current != measured {
        if std::env::var_os("TRACKPLAN_UPDATE_DOCS").is_some() {
            let updated = format!("{}{START}{measured}{}", &doc[..start], &doc[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!("docs/benchmarks.md is stale (TRACKPLAN_UPDATE_DOCS=1 rewrites it); measured:\n{measured}");
        }
    }
}
