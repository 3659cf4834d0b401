//! `trackplan import` end to end: the real plans of tests/fixtures/import/sources and a sheet per
//! CSV layout, written as plan folders that `trackplan check` finds no errors in; exit codes;
//! hostile inputs (truncated JSON, ragged and non-UTF-8 CSV, `$ref` loops, 50 MB files), each a
//! clear message with a place, never a panic or a half-written folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn trackplan(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Imports, asserts exit 0 and that `check` on the written folder reports no error.
fn import_and_check(from: &str, inputs: &[PathBuf], out: &Path) -> String {
    let mut args = vec!["import", "--from", from];
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    args.extend(inputs.iter().map(String::as_str));
    let out_text = out.display().to_string();
    args.extend(["--out", &out_text]);
    let output = trackplan(out.parent().unwrap(), &args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert!(out.join("trackplan.yaml").is_file());
    let check = trackplan(out, &["check", ".", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&check.stdout).expect("check prints JSON");
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{from} {inputs:?}: errors {errors:#?}");
    assert_eq!(check.status.code(), Some(0));
    text(&output.stdout)
}

#[test]
fn real_plans_import_and_check_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let sources = fixtures().join("sources");
    let mut n = 0;
    for entry in std::fs::read_dir(sources.join("segment-typewriter")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            n += 1;
            import_and_check("segment", &[path], &dir.path().join(format!("segment{n}")));
        }
    }
    for project in ["create", "update", "typer"] {
        import_and_check(
            "rudderstack",
            &[sources.join("rudderstack").join(project)],
            &dir.path().join(project),
        );
    }
    let report = import_and_check(
        "snowplow",
        &[sources.join("snowplow-iglu")],
        &dir.path().join("iglu"),
    );
    assert!(report.contains("imported 181 events"), "{report}");
    assert!(dir.path().join("iglu/events/com.adjust.yaml").is_file());
}

#[test]
fn every_format_imports_its_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixtures();
    import_and_check(
        "json-schema",
        &[f.join("json-schema/folder")],
        &dir.path().join("folder"),
    );
    import_and_check(
        "json-schema",
        &[f.join("json-schema/bundle/plan.schema.json")],
        &dir.path().join("bundle"),
    );
    import_and_check(
        "mixpanel-lexicon",
        &[f.join("mixpanel-lexicon/schemas.json")],
        &dir.path().join("lexicon"),
    );
    for sheet in [
        "mixpanel-template",
        "avo",
        "amplitude",
        "lexicon",
        "trackplan-export",
    ] {
        import_and_check(
            "csv",
            &[f.join(format!("csv/{sheet}.csv"))],
            &dir.path().join(format!("csv-{sheet}")),
        );
    }
    // YAML 1.1 tools read yes and no as booleans: they are written quoted.
    let plan =
        std::fs::read_to_string(dir.path().join("csv-trackplan-export/properties.yaml")).unwrap();
    assert!(
        plan.contains("- \"yes\"\n") && plan.contains("- \"no\"\n"),
        "{plan}"
    );
}

#[test]
fn name_baseline_and_destination() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let output = trackplan(
        dir.path(),
        &[
            "import",
            "--from",
            "rudderstack",
            fixtures()
                .join("sources/rudderstack/typer")
                .to_str()
                .unwrap(),
            "--out",
            "plan",
            "--name",
            "Typer",
            "--baseline",
            "plan/trackplan-baseline.json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let root = std::fs::read_to_string(out.join("trackplan.yaml")).unwrap();
    assert!(
        root.contains("name: Typer\n") && root.contains("- rudderstack\n"),
        "{root}"
    );
    assert!(
        root.contains("baseline: \"trackplan-baseline.json\""),
        "{root}"
    );
    // With the baseline, check reports nothing new.
    let check = trackplan(&out, &["check", "--fail-on", "info"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

/// The `Destinations` column of the trackplan layout gives the plan its destinations (the sheet
/// of a Snowplow plan is no Mixpanel plan, whose reserved `token` would then be an error); a
/// word the format does not know, and events that name other tools, are reported.
#[test]
fn a_sheet_with_destinations_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Entity,Event Name,Event Definition,Platform,Destinations,Property Name,Property Definition,Data Type,Required\n";
    std::fs::write(
        dir.path().join("plan.csv"),
        format!(
            "{header}event,Link Clicked,A link was clicked.,web,\"snowplow, segment\",,,,\n\
             event property,Link Clicked,,,,token,The link's token.,string,yes\n"
        ),
    )
    .unwrap();
    import_and_check(
        "csv",
        &[dir.path().join("plan.csv")],
        &dir.path().join("plan"),
    );
    let root = std::fs::read_to_string(dir.path().join("plan/trackplan.yaml")).unwrap();
    assert!(
        root.contains("destinations:\n- snowplow\n- segment\n"),
        "{root}"
    );
    std::fs::write(
        dir.path().join("other.csv"),
        format!("{header}event,A,,,snowplow,,,,\nevent,B,,,\"amplitude, pigeon\",,,,\n"),
    )
    .unwrap();
    let output = trackplan(
        dir.path(),
        &["import", "--from", "csv", "other.csv", "--out", "other"],
    );
    let said = text(&output.stdout);
    assert!(
        said.contains("destination `pigeon` (the format's are mixpanel, segment, amplitude, rudderstack, snowplow, generic)")
            && said.contains("destinations that differ from an earlier event's"),
        "{said}"
    );
    let root = std::fs::read_to_string(dir.path().join("other/trackplan.yaml")).unwrap();
    assert!(
        root.contains("destinations:\n- snowplow\n- amplitude\n"),
        "{root}"
    );
}

#[test]
fn exit_codes_and_skipped_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixtures().join("mixpanel-lexicon/schemas.json");
    std::fs::write(dir.path().join("broken.json"), "{\"entries\": [").unwrap();
    let args = |out: &str, strict: bool| {
        let mut a = vec![
            "import".to_string(),
            "--from".into(),
            "mixpanel-lexicon".into(),
            good.display().to_string(),
            "broken.json".into(),
            "--out".into(),
            out.into(),
        ];
        if strict {
            a.push("--strict".into());
        }
        a
    };
    let run = |a: Vec<String>| {
        trackplan(
            dir.path(),
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    let lenient = run(args("a", false));
    assert_eq!(lenient.status.code(), Some(0));
    let stdout = text(&lenient.stdout);
    assert!(
        stdout.contains("skipped 1 input file:\n  broken.json:1:13: the JSON ends too early"),
        "{stdout}"
    );
    let strict = run(args("b", true));
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        dir.path().join("b/trackplan.yaml").is_file(),
        "the plan is written even when strict fails"
    );
    // Nothing readable: exit 2, no folder.
    let nothing = trackplan(
        dir.path(),
        &["import", "--from", "segment", "broken.json", "--out", "c"],
    );
    assert_eq!(nothing.status.code(), Some(2));
    assert!(text(&nothing.stderr).contains("nothing could be imported"));
    assert!(!dir.path().join("c").exists());
    // An existing folder is never written into.
    let again = run(args("a", false));
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists and is not an empty folder"));
    let unknown = trackplan(dir.path(), &["import", "--from", "excel", "x.json"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// Every hostile input: a message naming the file and the place, no panic, no folder.
fn refused(dir: &Path, from: &str, file: &str, expected: &str) {
    let output = trackplan(dir, &["import", "--from", from, file, "--out", "out"]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stdout.contains(expected),
        "expected {expected:?} in:\n{stdout}"
    );
    assert!(!dir.join("out").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".import-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "a temporary folder was left: {leftovers:?}"
    );
}

#[test]
fn hostile_inputs_are_refused_with_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("cut.json"),
        "{\"name\": \"Plan\",\n \"events\": [{\"name\": \"A\", \"rules\": {",
    )
    .unwrap();
    refused(
        d,
        "segment",
        "cut.json",
        "cut.json:2:36: the JSON ends too early",
    );
    std::fs::write(
        d.join("ragged.csv"),
        "Event Name,Event Definition,Property Name\nA,Fired.,x\nB,Fired.\n",
    )
    .unwrap();
    refused(
        d,
        "csv",
        "ragged.csv",
        "ragged.csv:3: a row with 2 cells where the header has 3",
    );
    std::fs::write(
        d.join("latin1.csv"),
        b"Event Name,Event Definition\nCaf\xe9 Opened,Fired.\n",
    )
    .unwrap();
    refused(
        d,
        "csv",
        "latin1.csv",
        "latin1.csv:2:4: the file is not UTF-8 (byte 0xe9",
    );
    std::fs::write(d.join("columns.csv"), "Event Name,Colour\nA,red\n").unwrap();
    refused(
        d,
        "csv",
        "columns.csv",
        "column 2 `colour` is not one the csv importer knows; it understood `event name`",
    );
    std::fs::write(d.join("rudder.yaml"), "version: rudder/v1\nkind: [events\n").unwrap();
    refused(
        d,
        "rudderstack",
        "rudder.yaml",
        "rudder.yaml:3:1: invalid YAML",
    );
    // 50 MB: a Segment plan cut off at its end, and a sheet whose last row is ragged.
    let mut big = String::from("{\"events\": [");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(
            "{\"name\": \"Event\", \"description\": \"An event of a very large plan.\"},\n",
        );
    }
    std::fs::write(d.join("big.json"), &big).unwrap();
    let lines = big.matches('\n').count() + 1;
    refused(
        d,
        "segment",
        "big.json",
        &format!("big.json:{lines}:1: the JSON ends too early"),
    );
    let mut sheet = String::from("Event Name,Event Definition\n");
    let mut rows = 1;
    while sheet.len() < 50 * 1024 * 1024 {
        sheet.push_str("Event,An event of a very large sheet.\n");
        rows += 1;
    }
    sheet.push_str("Event,Fired.,extra\n");
    std::fs::write(d.join("big.csv"), &sheet).unwrap();
    refused(
        d,
        "csv",
        "big.csv",
        &format!("big.csv:{}: a row with 3 cells", rows + 1),
    );
    // More than an import reads.
    std::fs::write(d.join("huge.json"), vec![b' '; 65 * 1024 * 1024]).unwrap();
    refused(
        d,
        "mixpanel-lexicon",
        "huge.json",
        "more than the 64 MB an import reads",
    );
}

#[test]
fn ref_loops_and_other_iglu_formats_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let schemas = d.join("iglu/schemas/com.acme/thing");
    std::fs::create_dir_all(schemas.join("jsonschema")).unwrap();
    std::fs::create_dir_all(schemas.join("avro")).unwrap();
    std::fs::write(schemas.join("avro/1-0-0"), "{}").unwrap();
    std::fs::write(
        schemas.join("jsonschema/1-0-0"),
        r##"{"self": {"vendor": "com.acme", "name": "thing", "format": "jsonschema", "version": "1-0-0"},
            "type": "object", "properties": {"a": {"$ref": "#/definitions/a"}},
            "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}}"##,
    )
    .unwrap();
    let report = import_and_check("snowplow", &[d.join("iglu")], &d.join("out"));
    assert!(
        report.contains("schemas/com.acme/thing/avro/1-0-0: an Iglu schema in the `avro` format"),
        "{report}"
    );
    assert!(report.contains("× `$ref` loop"), "{report}");
    let strict = trackplan(
        d,
        &[
            "import", "--from", "snowplow", "iglu", "--out", "strict", "--strict",
        ],
    );
    assert_eq!(strict.status.code(), Some(1));
}
