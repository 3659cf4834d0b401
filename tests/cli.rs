//! End-to-end tests of the `trackplan` binary: each command, each output format, exit codes, plan
//! discovery on real folders, and the generated documentation kept up to date.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn trackplan(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("run trackplan")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/cli")
}

/// A copy of a fixture or template in a temporary folder.
fn copy_to_temp(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(from, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn every_template_checks_clean() {
    for template in ["blank", "ecommerce", "media", "saas", "fintech"] {
        let output = trackplan(
            &repo(),
            &["check", &format!("plans/{template}"), "--fail-on", "info"],
        );
        assert_eq!(code(&output), 0, "{template}:\n{}", stdout(&output));
        assert!(
            stdout(&output).contains("no problems found"),
            "{}",
            stdout(&output)
        );
        let json = trackplan(
            &repo(),
            &["check", &format!("plans/{template}"), "--format", "json"],
        );
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(
            value["diagnostics"].as_array().unwrap().len(),
            0,
            "{template}"
        );
    }
}

#[test]
fn templates_follow_the_house_rules() {
    for template in ["blank", "ecommerce", "media", "saas", "fintech"] {
        let dir = repo().join("plans").join(template);
        let root = std::fs::read_to_string(dir.join("trackplan.yaml")).unwrap();
        assert!(
            root.contains("event_case:") && root.contains("property_case:"),
            "{template} sets both conventions"
        );
        let mut all = String::new();
        for entry in walk(&dir) {
            all.push_str(&std::fs::read_to_string(entry).unwrap());
        }
        assert!(
            !all.contains("trackplan-ignore"),
            "{template} uses an ignore comment"
        );
        assert!(!all.contains("\nlint:"), "{template} changes rule levels");
    }
    let split = ["ecommerce", "saas"]
        .iter()
        .any(|t| walk(&repo().join("plans").join(t)).len() > 1);
    assert!(split, "at least one template is split over several files");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn human_output_shows_source_carets_and_related_locations() {
    let output = trackplan(&fixtures(), &["check", "broken"]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!("check-human", stdout(&output));
}

#[test]
fn json_output_has_the_documented_shape() {
    let output = trackplan(&fixtures(), &["check", "broken", "--format", "json"]);
    assert_eq!(code(&output), 1);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["version"], 1);
    for d in value["diagnostics"].as_array().unwrap() {
        for key in [
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "related",
        ] {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
    }
    insta::assert_snapshot!("check-json", stdout(&output));
}

#[test]
fn json_columns_count_unicode_characters_and_paths_are_relative_to_the_current_folder() {
    let dir = copy_to_temp(&fixtures().join("broken"));
    write(
        &dir.path().join("events/extra.yaml"),
        "events:\n  Café Visité: {description: « Fired » — with a typo, ownr: growth}\n",
    );
    let output = trackplan(&dir.path().join("events"), &["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let unknown = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "unknown-key")
        .expect("unknown-key");
    assert_eq!(unknown["file"], "extra.yaml");
    assert_eq!(unknown["line"], 2);
    // `  Café Visité: {description: « Fired » — with a typo, ` is 54 characters (more bytes).
    assert_eq!(unknown["column"], 55);
    assert_eq!(unknown["end_column"], 59);
    let plan_wide = trackplan(&dir.path().join("events"), &["check", "--format", "json"]);
    assert_eq!(code(&plan_wide), 1);
}

#[test]
fn github_output_is_workflow_commands_relative_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy_dir(
        &fixtures().join("broken"),
        &dir.path().join("analytics/plan"),
    );
    let output = trackplan(
        &dir.path().join("analytics/plan/events"),
        &["check", "--format", "github"],
    );
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!("check-github", stdout(&output));
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_repository_relative_uris() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy_dir(
        &fixtures().join("broken"),
        &dir.path().join("analytics/plan"),
    );
    let output = trackplan(
        &dir.path().join("analytics"),
        &["check", "plan", "--format", "sarif"],
    );
    assert_eq!(code(&output), 1);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "trackplan");
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("analytics/plan/"), "{uri}");
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][index]["id"],
            result["ruleId"]
        );
    }
}

#[test]
fn exit_codes() {
    // Clean: 0. Errors: 1. Warnings only: 0, or 1 with --fail-on warning.
    assert_eq!(code(&trackplan(&repo(), &["check", "plans/blank"])), 0);
    assert_eq!(code(&trackplan(&fixtures(), &["check", "broken"])), 1);
    assert_eq!(
        code(&trackplan(&fixtures(), &["check", "warnings-only"])),
        0
    );
    assert_eq!(
        code(&trackplan(
            &fixtures(),
            &["check", "warnings-only", "--fail-on", "warning"]
        )),
        1
    );
    // Bad usage, unreadable paths, no plan found: 2.
    let bad_flag = trackplan(&fixtures(), &["check", "--frobnicate"]);
    assert_eq!(code(&bad_flag), 2);
    let bad_format = trackplan(&fixtures(), &["check", "broken", "--format", "xml"]);
    assert_eq!(code(&bad_format), 2);
    let missing = trackplan(&fixtures(), &["check", "no/such/plan"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("no such file or folder"),
        "{}",
        stderr(&missing)
    );
    let empty = tempfile::tempdir().unwrap();
    let nothing = trackplan(empty.path(), &["check"]);
    assert_eq!(code(&nothing), 2);
    assert!(
        stderr(&nothing).contains("no trackplan.yaml found"),
        "{}",
        stderr(&nothing)
    );
    let nothing_below = trackplan(empty.path(), &["check", "."]);
    assert_eq!(code(&nothing_below), 2);
}

/// A plan adopted with a baseline: an error and warnings today, over two files.
fn adopted_plan(dir: &Path) {
    write(
        &dir.join("trackplan.yaml"),
        "trackplan: 1\nname: Adopted\nteams:\n  growth: {name: Growth}\nevents:\n  Order Completed:\n    description: Fired when the payment is confirmed.\n    status: done\n",
    );
    write(
        &dir.join("events/more.yaml"),
        "events:\n  Cart Viewed:\n    description: Fired when the cart is shown.\n  Cart viewed:\n    description: The same, from the app.\n    owner: growth\n",
    );
}

#[test]
fn a_baseline_reports_only_new_findings_and_what_no_longer_occurs() {
    let dir = tempfile::tempdir().unwrap();
    adopted_plan(dir.path());
    assert_eq!(code(&trackplan(dir.path(), &["check"])), 1);

    let written = trackplan(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    assert!(
        stdout(&written).starts_with("wrote 7 findings to baseline.json"),
        "{}",
        stdout(&written)
    );
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(
        !baseline.contains("more.yaml") && !baseline.contains("\"line\""),
        "{baseline}"
    );

    let clean = trackplan(dir.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert!(
        stdout(&clean).ends_with(": no new problems (7 more in the baseline)\n"),
        "{}",
        stdout(&clean)
    );

    // Moving the events to other files, in another order, changes nothing.
    write(
        &dir.path().join("trackplan.yaml"),
        "trackplan: 1\nname: Adopted\nteams:\n  growth: {name: Growth}\nevents:\n  Cart viewed:\n    description: The same, from the app.\n    owner: growth\n",
    );
    write(
        &dir.path().join("events/more.yaml"),
        "events:\n  Cart Viewed:\n    description: Fired when the cart is shown.\n",
    );
    write(
        &dir.path().join("checkout/orders.yaml"),
        "events:\n  Order Completed:\n    description: Fired when the payment is confirmed.\n    status: done\n",
    );
    let moved = trackplan(dir.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(code(&moved), 0, "{}", stdout(&moved));
    assert!(
        stdout(&moved).contains("no new problems"),
        "{}",
        stdout(&moved)
    );

    // Fixing one: the entry is listed as gone; a new problem is reported (and fails the check).
    write(
        &dir.path().join("checkout/orders.yaml"),
        "events:\n  Order Completed:\n    description: Fired when the payment is confirmed.\n    status: implemented\n    platforms: [webb]\n",
    );
    let fixed = trackplan(dir.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(code(&fixed), 1, "{}", stdout(&fixed));
    let out = stdout(&fixed);
    assert!(
        out.contains("note: 1 entry of the baseline baseline.json no longer occurs; `trackplan check --write-baseline baseline.json` removes it:\n  invalid-value at events › Order Completed › status: expected one of `proposed`, `planned`, `implemented`, `deprecated`, found `done`\n"),
        "{out}"
    );
    assert!(out.contains("found `webb`"), "{out}");
    assert!(
        out.ends_with(": 1 error, 0 warnings, 0 infos (6 more in the baseline)\n"),
        "{out}"
    );

    let json = trackplan(
        dir.path(),
        &["check", "--baseline", "baseline.json", "--format", "json"],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(value["baselines"][0]["file"], "baseline.json");
    assert_eq!(value["baselines"][0]["known"], 6);
    assert_eq!(value["baselines"][0]["gone"][0]["rule"], "invalid-value");
    assert_eq!(
        value["baselines"][0]["gone"][0]["path"],
        serde_json::json!(["events", "Order Completed", "status"])
    );
    let github = trackplan(
        dir.path(),
        &["check", "--baseline", "baseline.json", "--format", "github"],
    );
    assert!(
        stdout(&github).contains("::notice title=trackplan baseline::invalid-value at events › Order Completed › status no longer occurs"),
        "{}",
        stdout(&github)
    );
}

#[test]
fn the_plans_baseline_is_used_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    adopted_plan(dir.path());
    let root = dir.path().join("trackplan.yaml");
    let text = std::fs::read_to_string(&root).unwrap();
    write(
        &root,
        &text.replace(
            "name: Adopted\n",
            "name: Adopted\nbaseline: .trackplan/baseline.json\n",
        ),
    );

    let missing = trackplan(dir.path(), &["check"]);
    assert_eq!(code(&missing), 2);
    assert_eq!(
        stderr(&missing),
        "error: cannot read the baseline .trackplan/baseline.json (named by `baseline:` in trackplan.yaml): no such file; write it with `trackplan check --write-baseline .trackplan/baseline.json`\n"
    );
    std::fs::create_dir_all(dir.path().join(".trackplan")).unwrap();
    let written = trackplan(
        dir.path(),
        &["check", "--write-baseline", ".trackplan/baseline.json"],
    );
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    // From a subfolder too: the plan's `baseline:` is relative to the plan folder.
    let from_below = trackplan(&dir.path().join("events"), &["check"]);
    assert_eq!(code(&from_below), 0, "{}", stdout(&from_below));
    assert!(stdout(&from_below).contains("no new problems (7 more in the baseline)"));
    let everything = trackplan(dir.path(), &["check", "--no-baseline"]);
    assert_eq!(code(&everything), 1);
    assert!(
        stdout(&everything).ends_with(": 1 error, 3 warnings, 3 infos\n"),
        "{}",
        stdout(&everything)
    );

    write(
        &dir.path().join(".trackplan/baseline.json"),
        "{\"entries\": 3}",
    );
    let broken = trackplan(dir.path(), &["check"]);
    assert_eq!(code(&broken), 2);
    assert!(
        stderr(&broken).contains("not a baseline file"),
        "{}",
        stderr(&broken)
    );

    let other = tempfile::tempdir().unwrap();
    adopted_plan(&other.path().join("a"));
    adopted_plan(&other.path().join("b"));
    let two = trackplan(other.path(), &["check", ".", "--write-baseline", "x.json"]);
    assert_eq!(code(&two), 2);
    assert!(
        stderr(&two).contains("a baseline file belongs to one plan"),
        "{}",
        stderr(&two)
    );
}

#[test]
fn a_plan_is_found_from_a_subfolder_a_file_or_a_folder_of_plans() {
    let dir = copy_to_temp(&fixtures().join("broken"));
    let events = dir.path().join("events");
    let from_subfolder = trackplan(&events, &["check", "--format", "json"]);
    let from_file = trackplan(
        dir.path(),
        &["check", "events/shop.yaml", "--format", "json"],
    );
    let from_root = trackplan(dir.path(), &["check", "--format", "json"]);
    let count = |o: &Output| {
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["diagnostics"]
            .as_array()
            .unwrap()
            .len()
    };
    assert!(count(&from_root) > 0);
    assert_eq!(count(&from_subfolder), count(&from_root));
    assert_eq!(count(&from_file), count(&from_root));
    // pre-commit passes several files of one plan, and files of no plan: each plan once.
    write(&dir.path().join("../stray.yaml"), "a: 1\n");
    let files = trackplan(
        dir.path(),
        &[
            "check",
            "events/shop.yaml",
            "trackplan.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(count(&files), count(&from_root));
    // A folder with plans below it: each of them.
    let all = trackplan(&repo(), &["check", "plans"]);
    assert_eq!(code(&all), 0, "{}", stdout(&all));
    assert!(stdout(&all).contains("5 plans"), "{}", stdout(&all));
}

#[test]
fn hidden_nested_ignored_and_symlinked_files_are_not_part_of_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .status()
        .unwrap()
        .success());
    copy_dir(&repo().join("plans/blank"), root);
    let broken = "events:\n  Broken: [\n";
    write(&root.join(".drafts/draft.yaml"), broken);
    write(&root.join("generated/out.yaml"), broken);
    write(&root.join(".gitignore"), "generated/\n");
    copy_dir(&repo().join("plans/blank"), &root.join("vendor/other-plan"));
    write(&root.join("vendor/other-plan/extra.yaml"), broken);
    write(&root.join("notes.txt"), "not yaml");
    let outside = tempfile::tempdir().unwrap();
    write(&outside.path().join("linked/bad.yaml"), broken);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("linked"), root.join("linked")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("linked/bad.yaml"),
            root.join("bad-link.yaml"),
        )
        .unwrap();
    }
    let output = trackplan(root, &["check", "."]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).contains("1 file"), "{}", stdout(&output));
    // The nested plan is a plan of its own, with its own problems.
    let nested = trackplan(&root.join("vendor/other-plan"), &["check"]);
    assert_eq!(code(&nested), 1, "{}", stdout(&nested));
}

#[test]
fn init_writes_each_template_and_the_result_checks_clean() {
    for template in ["blank", "ecommerce", "media", "saas", "fintech"] {
        let dir = tempfile::tempdir().unwrap();
        let output = trackplan(dir.path(), &["init", "shop", "--template", template]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let check = trackplan(&dir.path().join("shop"), &["check", "--fail-on", "info"]);
        assert_eq!(code(&check), 0, "{template}: {}", stdout(&check));
        // Byte for byte the template.
        for file in walk(&repo().join("plans").join(template)) {
            let relative = file
                .strip_prefix(repo().join("plans").join(template))
                .unwrap();
            assert_eq!(
                std::fs::read(&file).unwrap(),
                std::fs::read(dir.path().join("shop").join(relative)).unwrap()
            );
        }
    }
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("trackplan.yaml"), "mine\n");
    let output = trackplan(dir.path(), &["init", "--template", "saas"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("refusing to overwrite"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("trackplan.yaml")).unwrap(),
        "mine\n"
    );
    assert!(
        !dir.path().join("flows.yaml").exists(),
        "nothing written when refusing"
    );
    let unknown = trackplan(dir.path(), &["init", "--template", "crypto"]);
    assert_eq!(code(&unknown), 2);
}

#[test]
fn rules_and_explain() {
    let rules = trackplan(&repo(), &["rules"]);
    assert_eq!(code(&rules), 0);
    let listed = stdout(&rules);
    for rule in trackplan_core::rules::RULES {
        assert!(listed.contains(rule.name()), "{} not listed", rule.name());
    }
    let explain = trackplan(&repo(), &["explain", "orphan-event"]);
    assert_eq!(code(&explain), 0);
    let text = stdout(&explain);
    assert!(
        text.contains("## What it does") && text.contains("Default severity: info"),
        "{text}"
    );
    let unknown = trackplan(&repo(), &["explain", "orphan-evnt"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("did you mean `orphan-event`"),
        "{}",
        stderr(&unknown)
    );
}

/// Generated files: compared with what the binary prints; `TRACKPLAN_UPDATE_DOCS=1` rewrites them.
fn assert_generated(path: &str, args: &[&str]) {
    let output = trackplan(&repo(), args);
    assert_eq!(code(&output), 0);
    let expected = stdout(&output);
    let file = repo().join(path);
    if std::env::var_os("TRACKPLAN_UPDATE_DOCS").is_some() {
        std::fs::write(&file, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is stale: run `TRACKPLAN_UPDATE_DOCS=1 cargo test --test cli` and commit it"
    );
}

#[test]
fn rules_doc_is_up_to_date() {
    assert_generated("docs/rules.md", &["rules", "--markdown"]);
}

#[test]
fn json_schemas_are_up_to_date() {
    assert_generated("schemas/trackplan.schema.json", &["schema", "--root"]);
    assert_generated("schemas/plan-file.schema.json", &["schema"]);
}

/// A plan file as JSON, read with the core's own YAML reader.
fn as_json(text: &str) -> serde_json::Value {
    let tree = trackplan_core::syntax::parse(trackplan_core::FileId(0), text);
    trackplan_core::model::Value::from_node(tree.root.as_ref().unwrap()).to_json()
}

#[test]
fn json_schemas_accept_every_template_file_and_reject_what_check_rejects() {
    let load = |name: &str| {
        let text = std::fs::read_to_string(repo().join("schemas").join(name)).unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    };
    let root = load("trackplan.schema.json");
    let part = load("plan-file.schema.json");
    for template in ["blank", "ecommerce", "media", "saas", "fintech"] {
        let dir = repo().join("plans").join(template);
        for file in walk(&dir) {
            let json = as_json(&std::fs::read_to_string(&file).unwrap());
            let validator = if file.ends_with("trackplan.yaml") {
                &root
            } else {
                &part
            };
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        }
    }
    let rejected = [
        (
            &root,
            "trackplan: 1\nname: X\nevents:\n  A: {descripton: typo}\n",
        ),
        (&root, "name: X\n"),
        (
            &root,
            "trackplan: 1\nname: X\nevents:\n  A: {status: done}\n",
        ),
        (
            &root,
            "trackplan: 1\nname: X\nproperties:\n  p: {description: no type}\n",
        ),
        (
            &root,
            "trackplan: 1\nname: X\nevents:\n  A: {properties: {p: sometimes}}\n",
        ),
        (&part, "identity: {identify: [A]}\n"),
        (&part, "flows:\n  f: {name: F, steps: A}\n"),
    ];
    for (validator, text) in rejected {
        assert!(
            !validator.is_valid(&as_json(text)),
            "schema accepts {text:?}"
        );
    }
}
