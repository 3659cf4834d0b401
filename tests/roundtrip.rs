//! Round trips between `trackplan export` and `trackplan import`, through the real binary, for
//! every template, every hand-converted real plan and every importer's golden source:
//!
//! - `export → import → export` gives the same bytes,
//! - `import → export → import` gives the same plan (the core's semantic diff is empty),
//!
//! for every format both commands know, with no exception: what a format cannot hold, the first
//! export leaves out (and says so on stderr), and nothing more is lost after it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use trackplan_core::{parse_file, FileId, Plan};

/// The formats both `export --format` and `import --from` know.
const FORMATS: [&str; 6] = [
    "segment",
    "rudderstack",
    "snowplow",
    "json-schema",
    "csv",
    "mixpanel-lexicon",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the binary; Ok(stderr) when it succeeds, Err(what it said) when not.
fn trackplan(args: &[&str]) -> Result<String, String> {
    let output = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run trackplan");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(said)
    } else {
        Err(format!(
            "`trackplan {}` failed ({}):\n{said}",
            args.join(" "),
            output.status
        ))
    }
}

fn export(format: &str, plan: &Path, out: &Path) -> Result<String, String> {
    let (plan, out) = (plan.to_str().unwrap(), out.to_str().unwrap());
    trackplan(&["export", "--format", format, "--plan", plan, "--out", out])
}

fn import(format: &str, input: &Path, out: &Path) -> Result<String, String> {
    let (input, out) = (input.to_str().unwrap(), out.to_str().unwrap());
    trackplan(&["import", "--from", format, input, "--out", out])
}

/// Where an export goes: a folder for the formats that write several files.
fn export_target(dir: &Path, format: &str, name: &str) -> PathBuf {
    match format {
        "rudderstack" | "snowplow" => dir.join(name),
        _ => dir.join(format!("{name}.out")),
    }
}

/// Every file an export wrote, by its path relative to the target, as text.
fn written(target: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    if target.is_file() {
        files.insert(String::new(), std::fs::read_to_string(target).unwrap());
        return files;
    }
    let mut stack = vec![target.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(target).unwrap().display().to_string();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

/// A plan folder read the way the CLI reads it: through the core parser.
fn read_plan(root: &Path) -> Plan {
    let files = trackplan_fs::plan_files(root).complete().unwrap();
    let parsed = files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let text = std::fs::read_to_string(&file.path).unwrap();
            Arc::new(parse_file(FileId(i as u32), &file.name, text))
        })
        .collect();
    Plan::new(parsed)
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let line = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    format!(
        "first difference at line {}:\n  expected: {}\n  actual:   {}",
        line + 1,
        e.get(line).unwrap_or(&"(end of file)"),
        a.get(line).unwrap_or(&"(end of file)")
    )
}

/// `export → import → export → import` of one plan in one format; the differences found.
fn round_trip(plan_dir: &Path, label: &str, format: &str, work: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let fail = |what: String| vec![format!("{label} × {format}: {what}")];
    let first = export_target(work, format, "first");
    if let Err(e) = export(format, plan_dir, &first) {
        return fail(e);
    }
    let imported = work.join("imported");
    if let Err(e) = import(format, &first, &imported) {
        return fail(e);
    }
    let second = export_target(work, format, "second");
    let exported_again = export(format, &imported, &second);
    if let Err(e) = exported_again {
        return fail(e);
    }
    // export → import → export: the same bytes.
    let (before, after) = (written(&first), written(&second));
    let before_names: Vec<&String> = before.keys().collect();
    let after_names: Vec<&String> = after.keys().collect();
    if before_names != after_names {
        problems.push(format!(
            "{label} × {format}: the re-export wrote other files: {before_names:?} then {after_names:?}"
        ));
    }
    for (name, text) in &before {
        if let Some(again) = after.get(name) {
            if again != text {
                problems.push(format!(
                    "{label} × {format}: export → import → export changed {name}: {}",
                    first_difference(text, again)
                ));
            }
        }
    }
    // import → export → import: the same plan.
    let reimported = work.join("reimported");
    if let Err(e) = import(format, &second, &reimported) {
        problems.extend(fail(e));
        return problems;
    }
    let changes = trackplan_core::diff::diff(&read_plan(&imported), &read_plan(&reimported));
    if !changes.is_empty() {
        let listed: Vec<String> = changes.iter().take(10).map(|c| c.summary.clone()).collect();
        problems.push(format!(
            "{label} × {format}: import → export → import changed the plan ({} changes), first: {}",
            changes.len(),
            listed.join("; ")
        ));
    }
    problems
}

/// The plan folders to start from: the templates and the hand conversions of real plans.
fn plan_folders() -> Vec<String> {
    let mut plans: Vec<String> = ["blank", "ecommerce", "fintech", "media", "saas"]
        .iter()
        .map(|p| format!("plans/{p}"))
        .collect();
    for group in ["rudderstack", "segment-typewriter"] {
        let dir = repo().join("tests/fixtures/realdata").join(group);
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("trackplan.yaml").is_file())
            .map(|p| {
                format!(
                    "tests/fixtures/realdata/{group}/{}",
                    p.file_name().unwrap().to_str().unwrap()
                )
            })
            .collect();
        found.sort();
        plans.extend(found);
    }
    plans.push("tests/fixtures/realdata/snowplow-iglu".into());
    plans
}

fn check_all(plans: &[(PathBuf, String)], formats: &[&str]) {
    let mut problems = Vec::new();
    for (dir, label) in plans {
        for format in formats {
            let work = tempfile::tempdir().unwrap();
            problems.extend(round_trip(dir, label, format, work.path()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} round-trip differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn templates_and_real_plans_round_trip_in_every_format() {
    let plans: Vec<(PathBuf, String)> = plan_folders()
        .into_iter()
        .map(|p| (repo().join(&p), p))
        .collect();
    check_all(&plans, &FORMATS);
}

/// The importers' golden sources: imported once from their own format, then round-tripped in it.
#[test]
fn imported_sources_round_trip_in_their_own_format() {
    let sources = repo().join("tests/fixtures/import/sources");
    let mut inputs: Vec<(PathBuf, &str)> = Vec::new();
    for project in ["create", "typer", "update"] {
        inputs.push((sources.join("rudderstack").join(project), "rudderstack"));
    }
    let mut segment: Vec<PathBuf> = std::fs::read_dir(sources.join("segment-typewriter"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    segment.sort();
    inputs.extend(segment.into_iter().map(|p| (p, "segment")));
    inputs.push((sources.join("snowplow-iglu"), "snowplow"));
    let mut problems = Vec::new();
    for (input, format) in inputs {
        let work = tempfile::tempdir().unwrap();
        let plan = work.path().join("plan");
        let label = input
            .strip_prefix(repo())
            .unwrap_or(&input)
            .display()
            .to_string();
        if let Err(e) = import(format, &input, &plan) {
            problems.push(format!("{label}: {e}"));
            continue;
        }
        let trip = work.path().join("trip");
        std::fs::create_dir(&trip).unwrap();
        problems.extend(round_trip(&plan, &label, format, &trip));
    }
    assert!(
        problems.is_empty(),
        "{} round-trip differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
