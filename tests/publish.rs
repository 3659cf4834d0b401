//! `trackplan publish mixpanel` against a local stand-in of Mixpanel's Lexicon Schemas API
//! (tests/support/fake_mixpanel.rs), which checks every request: the service account's auth, the
//! body's shape, the batch size and the rate; and answers with the failures Mixpanel documents.

#[path = "support/fake_mixpanel.rs"]
mod fake_mixpanel;

use fake_mixpanel::{FakeMixpanel, Fault, PROJECT, SECRET, USERNAME};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const FIXTURE: &str = "tests/fixtures/export/plan";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn publish(server: &FakeMixpanel, plan: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trackplan"));
    command
        .args(["publish", "mixpanel", "--plan"])
        .arg(plan)
        .args(["--project-id", PROJECT, "--api-url", &server.url])
        .args(extra)
        .env("MIXPANEL_SERVICE_ACCOUNT_USERNAME", USERNAME)
        .env("MIXPANEL_SERVICE_ACCOUNT_SECRET", SECRET)
        .env_remove("TRACKPLAN_MIXPANEL_RATE_WINDOW_MS")
        .current_dir(repo());
    for (key, value) in env {
        command.env(key, value);
    }
    let out: Output = command.output().expect("trackplan runs");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains(SECRET)
            && !run.stderr.contains(SECRET)
            && !run.stdout.contains(&basic()),
        "the secret was printed:\n{}{}",
        run.stdout,
        run.stderr
    );
    run
}

fn basic() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{SECRET}"))
}

fn fixture() -> PathBuf {
    repo().join(FIXTURE)
}

/// A plan folder whose trackplan.yaml holds `text`.
fn plan_with(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trackplan.yaml"), text).unwrap();
    dir
}

/// A copy of the fixture plan that a test may edit.
fn copied_fixture() -> tempfile::TempDir {
    plan_with(&std::fs::read_to_string(fixture().join("trackplan.yaml")).unwrap())
}

#[test]
fn publishes_what_differs_and_says_what_it_added_and_changed() {
    let server = FakeMixpanel::start();
    let plan = copied_fixture();
    let run = publish(&server, plan.path(), &[], &[]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("added event `Order Completed`\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("added user properties\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("6 added, 0 changed, 0 unchanged\n"),
        "{}",
        run.stdout
    );
    let requests = server.requests();
    assert_eq!(
        requests
            .iter()
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>(),
        ["GET", "POST"],
        "compare first, then one batch"
    );
    assert!(
        requests.iter().all(|r| r.authorized),
        "basic auth of the service account"
    );
    assert_eq!(requests[1].body["truncate"], false);
    assert_eq!(requests[1].body["entries"].as_array().unwrap().len(), 6);
    assert_eq!(server.violations(), Vec::<String>::new());

    // Nothing changed: nothing sent.
    let run = publish(&server, plan.path(), &[], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("already holds the plan: nothing to send (6 unchanged)"),
        "{}",
        run.stdout
    );
    assert_eq!(server.posts().len(), 1);

    // One description changed: that entry alone.
    let path = plan.path().join("trackplan.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Fired when the user logs out.", "Fired on log-out."),
    )
    .unwrap();
    let run = publish(&server, plan.path(), &[], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("changed event `Logged Out`: description\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("0 added, 1 changed, 5 unchanged"),
        "{}",
        run.stdout
    );
    let posts = server.posts();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1].body["entries"][0]["name"], "Logged Out");
    assert_eq!(posts[1].body["entries"].as_array().unwrap().len(), 1);
}

#[test]
fn replace_truncates_once_and_says_what_it_deleted() {
    let server = FakeMixpanel::start();
    server.state.lock().unwrap().schemas.insert(
        ("event".into(), "Old Event".into()),
        json!({"description": "made by hand in Lexicon", "properties": {}}),
    );
    let run = publish(&server, &fixture(), &["--replace"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("deleted event `Old Event`\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("6 added, 0 changed, 0 unchanged, 1 deleted"),
        "{}",
        run.stdout
    );
    let posts = server.posts();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].body["truncate"], true);
    let state = server.state.lock().unwrap();
    assert!(!state
        .schemas
        .contains_key(&("event".to_string(), "Old Event".to_string())));
    assert_eq!(state.schemas.len(), 6);
}

/// 55 events of 80 properties each: 4,455 updated events and properties, more than one batch.
fn large_plan() -> tempfile::TempDir {
    let mut text = String::from("trackplan: 1\nname: Large\nproperties:\n");
    for p in 0..80 {
        text.push_str(&format!(
            "  p{p:02}: {{type: string, description: Property {p}., pii: false}}\n"
        ));
    }
    text.push_str("events:\n");
    for e in 0..55 {
        text.push_str(&format!(
            "  Event {e:02} Done:\n    description: Event {e}.\n    properties:\n"
        ));
        for p in 0..80 {
            text.push_str(&format!("      p{p:02}: optional\n"));
        }
    }
    plan_with(&text)
}

#[test]
fn a_failed_batch_is_reported_and_a_rerun_sends_the_rest() {
    let server = FakeMixpanel::start();
    let plan = large_plan();
    let env = [("TRACKPLAN_MIXPANEL_RATE_WINDOW_MS", "1500")];
    {
        // The first batch lands; the second fails on every attempt.
        let mut state = server.state.lock().unwrap();
        state.clean_posts = 1;
        state.post_faults.extend([
            Fault::Status(500, None),
            Fault::Status(429, Some(1)),
            Fault::Status(502, None),
            Fault::Drop,
        ]);
    }
    let run = publish(&server, plan.path(), &[], &env);
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("added event `Event 48 Done`\n49 added, 0 changed, 0 unchanged\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("error: batch 2 of 2 (6 entries: event `Event 49 Done`, ")
            && run
                .stderr
                .contains("1 batch (49 entries) sent before it, 0 entries after it not sent"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "note: 500: {\"error\":\"scripted\",\"status\":\"error\"}; trying again in 1 s"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(server.posts().len(), 5);
    check_rate(&server, 1500);

    let run = publish(&server, plan.path(), &[], &env);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("6 added, 0 changed, 49 unchanged\n"),
        "{}",
        run.stdout
    );
    assert_eq!(server.state.lock().unwrap().schemas.len(), 55);
}

/// No batch larger than 4,000 updates, and within any window no more than 5 requests and 4,000
/// updates.
fn check_rate(server: &FakeMixpanel, window_ms: u64) {
    assert_eq!(server.violations(), Vec::<String>::new());
    let requests = server.requests();
    let window = Duration::from_millis(window_ms);
    for (i, first) in requests.iter().enumerate() {
        let within: Vec<_> = requests[i..]
            .iter()
            .take_while(|r| r.at.duration_since(first.at) < window)
            .collect();
        assert!(
            within.len() <= 5,
            "{} requests within one window",
            within.len()
        );
        let updates: usize = within.iter().map(|r| r.updates).sum();
        assert!(
            updates <= 4000 || within.len() == 1,
            "{updates} updates within one window"
        );
    }
}

#[test]
fn a_large_plan_goes_in_batches_within_the_rate_and_a_dropped_batch_is_sent_again() {
    let server = FakeMixpanel::start();
    let plan = large_plan();
    let env = [("TRACKPLAN_MIXPANEL_RATE_WINDOW_MS", "1500")];
    // The first batch's connection drops once; it is sent again.
    server
        .state
        .lock()
        .unwrap()
        .post_faults
        .push_back(Fault::Drop);
    let run = publish(&server, plan.path(), &[], &env);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("trying again in 1 s"), "{}", run.stderr);
    let posts = server.posts();
    assert_eq!(
        posts.len(),
        3,
        "a dropped batch, its retry, the second batch"
    );
    let sizes: Vec<usize> = posts.iter().map(|p| p.updates).collect();
    assert_eq!(sizes, [3969, 3969, 486]);
    assert!(
        run.stdout.contains(
            "55 added, 0 changed, 0 unchanged\npublished to Mixpanel project 4242 in 2 requests\n"
        ),
        "{}",
        run.stdout
    );
    check_rate(&server, 1500);
    assert!(
        posts[2].at.duration_since(posts[1].at) >= Duration::from_millis(1400),
        "the second batch waits for the window"
    );
}

#[test]
fn failures_are_reported_clearly() {
    // Wrong credentials: 401, no retry.
    let server = FakeMixpanel::start();
    server
        .state
        .lock()
        .unwrap()
        .get_faults
        .push_back(Fault::Status(401, None));
    let run = publish(&server, &fixture(), &[], &[]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains(
            "cannot read the project's current schemas: Mixpanel refused the credentials (401"
        ) && run.stderr.contains("MIXPANEL_SERVICE_ACCOUNT_USERNAME"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 1);

    // The only batch gets no answer, four times: it is named, and may or may not have landed.
    let server = FakeMixpanel::start();
    server.state.lock().unwrap().post_faults.extend([
        Fault::Drop,
        Fault::Status(500, None),
        Fault::Status(503, None),
        Fault::Drop,
    ]);
    let run = publish(&server, &fixture(), &[], &[]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("error: batch 1 of 1 (6 entries: event `Cart Viewed`, ")
            && run
                .stderr
                .contains("no answer from Mixpanel after 4 attempts")
            && run.stderr.contains("may or may not have applied it"),
        "{}",
        run.stderr
    );
    assert_eq!(server.posts().len(), 4);

    // No credentials.
    let out = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args([
            "publish",
            "mixpanel",
            "--plan",
            FIXTURE,
            "--project-id",
            "1",
        ])
        .env_remove("MIXPANEL_SERVICE_ACCOUNT_USERNAME")
        .env_remove("MIXPANEL_SERVICE_ACCOUNT_SECRET")
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("set MIXPANEL_SERVICE_ACCOUNT_USERNAME and MIXPANEL_SERVICE_ACCOUNT_SECRET"));
}

#[test]
fn dry_run_prints_the_requests_and_sends_none() {
    let server = FakeMixpanel::start();
    let run = publish(&server, &fixture(), &["--dry-run"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with(&format!(
        "POST {}/projects/{PROJECT}/schemas\nAuthorization: Basic <credentials>\nContent-Type: application/json\n\n{{\n  \"entries\": [",
        server.url
    )), "{}", run.stdout);
    assert!(
        run.stdout
            .ends_with("6 added, 0 changed, 0 unchanged\ndry run: 1 request not sent\n"),
        "{}",
        run.stdout
    );
    assert!(server.posts().is_empty());
    assert_eq!(server.requests().len(), 1, "the current schemas are read");

    // Without credentials or project: the region's URL, every entry.
    let out = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args([
            "publish",
            "mixpanel",
            "--plan",
            FIXTURE,
            "--region",
            "eu",
            "--dry-run",
        ])
        .env_remove("MIXPANEL_SERVICE_ACCOUNT_USERNAME")
        .env_remove("MIXPANEL_SERVICE_ACCOUNT_SECRET")
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("POST https://eu.mixpanel.com/api/app/projects/{projectId}/schemas\n"),
        "{stdout}"
    );
}
