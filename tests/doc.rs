//! End-to-end tests of `trackplan doc`: the page written for a plan (what it holds, where it goes,
//! what goes wrong), the plan's history and repository links read from a git repository the test
//! builds, and `--serve` spoken to over real HTTP: the page, its reload announcements when a plan
//! file changes, and the requests it refuses. What the page does in a browser is tested by
//! `tests/doc_browser.rs`.

#[path = "../crates/trackplan-doc/tests/support/mod.rs"]
mod page;
#[path = "../crates/trackplan-git/tests/support/mod.rs"]
mod support;

use page::{embedded, entity, ids};
use serde_json::Value as Json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{copy_dir, GitRepo};

fn repo_root() -> PathBuf {
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
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run trackplan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn succeeds(output: &Output) -> String {
    assert!(
        output.status.success(),
        "trackplan failed:\n{}\n{}",
        text(&output.stderr),
        text(&output.stdout)
    );
    text(&output.stdout)
}

#[test]
fn writes_one_page_for_the_plan_of_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("shop");
    copy_dir(&repo_root().join("plans/ecommerce"), &plan);
    let output = trackplan(&plan.join("events"), &["doc"]);
    let stdout = succeeds(&output);
    assert!(stdout.starts_with("wrote tracking-plan.html ("), "{stdout}");
    assert!(
        stdout.contains(
            "6 teams, 3 goals, 9 KPIs, 6 flows, 35 events, 39 properties, 15 user properties"
        ),
        "{stdout}"
    );
    assert!(text(&output.stderr).contains("not in a git repository"));
    let html = std::fs::read_to_string(plan.join("events/tracking-plan.html")).unwrap();
    let data = embedded(&html);
    assert_eq!(ids(&data, "events").len(), 35);
    assert_eq!(data["plan"]["name"], "Acme Shop");
    assert!(data.get("history").is_none(), "no git, no history");
    assert!(data.get("source").is_none(), "no remote, no links");
    assert_eq!(
        data["problems"],
        serde_json::json!([]),
        "the template checks clean"
    );
}

#[test]
fn writes_where_asked_or_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("saas.html");
    let stdout = succeeds(&trackplan(
        &repo_root(),
        &[
            "doc",
            "--plan",
            "plans/saas",
            "--out",
            out.to_str().unwrap(),
            "--no-history",
        ],
    ));
    assert!(stdout.contains("saas.html"), "{stdout}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(embedded(&written)["plan"]["dir"], "plans/saas");
    assert!(embedded(&written).get("history").is_none(), "--no-history");

    let output = trackplan(
        &repo_root(),
        &[
            "doc",
            "--plan",
            "plans/saas/flows.yaml",
            "--out",
            "-",
            "--no-history",
        ],
    );
    let html = succeeds(&output);
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(
        embedded(&html)["plan"]["name"],
        embedded(&written)["plan"]["name"]
    );
    assert!(
        text(&output.stderr).contains("events"),
        "the summary goes to stderr"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers,
        [std::ffi::OsString::from("saas.html")],
        "no temporary file is left"
    );
}

#[test]
fn usage_errors_are_clear() {
    let output = trackplan(&repo_root(), &["doc", "--plan", "plans", "--out", "-"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("5 plans were found (plans/blank, plans/ecommerce, plans/fintech, plans/media, plans/saas); name one with --plan"), "{stderr}");

    let empty = tempfile::tempdir().unwrap();
    let output = trackplan(empty.path(), &["doc"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("no trackplan.yaml found"),
        "{}",
        text(&output.stderr)
    );

    let output = trackplan(
        &repo_root(),
        &[
            "doc",
            "--plan",
            "plans/blank",
            "--out",
            empty.path().join("no/such/folder.html").to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("cannot write"),
        "{}",
        text(&output.stderr)
    );

    let output = trackplan(&repo_root(), &["doc", "--serve", "--out", "x.html"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "--serve and --out exclude each other"
    );
}

#[test]
fn a_plan_that_does_not_parse_still_gets_its_page_with_the_problems() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trackplan.yaml"),
        "trackplan: 1\nname: Broken\nevents:\n  Signed Up:\n    description: ok\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("more.yaml"), "events:\n  Half Typed: [\n").unwrap();
    let html = succeeds(&trackplan(dir.path(), &["doc", "--out", "-"]));
    let data = embedded(&html);
    assert_eq!(
        ids(&data, "events"),
        ["Signed Up", "Half Typed"],
        "what was read before the error is shown"
    );
    let problems = data["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["rule"] == "yaml-syntax"),
        "{problems:?}"
    );
}

const ROOT: &str = "trackplan: 1
name: History Shop
teams:
  growth: {name: Growth}
goals:
  revenue: {name: Grow revenue}
kpis:
  checkout-conversion:
    name: Checkout conversion
    goal: revenue
    definition: Orders / checkouts.
flows:
  purchase:
    name: Purchase
    kpis: [checkout-conversion]
    steps: [Checkout Started, Order Completed]
";

const EVENTS: &str = "events:
  Checkout Started:
    description: The checkout page was shown.
    owner: growth
    status: implemented
    properties:
      cart_id: required
  Order Completed:
    description: An order was placed.
    owner: growth
    status: implemented
    properties:
      cart_id: required
properties:
  cart_id: {type: string, description: Cart id.}
  coupon: {type: string, description: Coupon code.}
";

fn history_repository() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.write("README.md", "# The shop\n");
    repo.commit("Start");
    repo.write("shop/trackplan.yaml", ROOT);
    repo.write("shop/events.yaml", EVENTS);
    repo.commit("Add the tracking plan");
    repo.edit(
        "shop/events.yaml",
        "  Order Completed:\n    description: An order was placed.\n    owner: growth\n    status: implemented\n",
        "  Order Completed:\n    description: An order was placed.\n    owner: growth\n    status: deprecated\n    replaced_by: Order Placed\n",
    );
    repo.edit(
        "shop/events.yaml",
        "\nproperties:\n",
        "\n  Order Placed:\n    description: An order was placed.\n    owner: growth\n    status: implemented\n    properties:\n      cart_id: required\nproperties:\n",
    );
    repo.edit(
        "shop/trackplan.yaml",
        "[Checkout Started, Order Completed]",
        "[Checkout Started, Order Placed]",
    );
    repo.commit("Rename Order Completed to Order Placed");
    repo.edit(
        "shop/events.yaml",
        "  Order Placed:\n    description: An order was placed.\n    owner: growth\n    status: implemented\n    properties:\n      cart_id: required\n",
        "  Order Placed:\n    description: The order was confirmed by the payment provider.\n    owner: growth\n    status: implemented\n    properties:\n      cart_id: required\n      coupon: optional\n",
    );
    repo.commit("Say when an order is placed; send the coupon");
    repo.git(&[
        "remote",
        "add",
        "origin",
        "https://ci-token:secret@github.com/acme/shop.git",
    ]);
    repo
}

#[test]
fn the_page_of_a_plan_in_git_has_its_history_and_links_to_the_repository() {
    let repo = history_repository();
    let html = succeeds(&trackplan(&repo.join("shop"), &["doc", "--out", "-"]));
    assert!(
        !html.contains("secret"),
        "credentials in the remote never reach the page"
    );
    let data = embedded(&html);
    assert_eq!(
        data["source"],
        serde_json::json!({
            "file": "https://github.com/acme/shop/blob/main/{path}#L{line}",
            "commit": "https://github.com/acme/shop/commit/{id}",
            "dir": "shop",
        })
    );
    let history = &data["history"];
    assert_eq!(history["dir"], "shop");
    let subjects: Vec<&str> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "Say when an order is placed; send the coupon",
            "Rename Order Completed to Order Placed",
            "Add the tracking plan"
        ],
        "newest first, as `trackplan changelog` lists them"
    );
    assert_eq!(history["entries"][2]["status"], "created");

    // The commits of one entity, with only its changes: the new name follows the rename back.
    let commits = |section: &str, id: &str| -> Vec<(usize, Vec<String>)> {
        entity(&data, section, id)["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                let entry = pair[0].as_u64().unwrap() as usize;
                let kinds = pair[1]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        history["entries"][entry]["changes"][c.as_u64().unwrap() as usize]["kind"]
                            .as_str()
                            .unwrap()
                            .to_string()
                    })
                    .collect();
                (entry, kinds)
            })
            .collect()
    };
    assert_eq!(
        commits("events", "Order Placed"),
        [
            (
                0,
                vec![
                    "description-changed".to_string(),
                    "event-property-added".to_string()
                ]
            ),
            (1, vec!["event-renamed".to_string()]),
            (2, vec!["event-added".to_string()]),
        ]
    );
    assert_eq!(
        commits("events", "Order Completed"),
        [
            (1, vec!["event-renamed".to_string()]),
            (2, vec!["event-added".to_string()])
        ]
    );
    let coupon = commits("properties", "coupon");
    assert_eq!(
        coupon[0],
        (0, vec!["event-property-added".to_string()]),
        "a property's page shows the events that started sending it"
    );
    assert_eq!(commits("flows", "purchase")[0].1, ["flow-steps-changed"]);

    // The changelog the page shows is the one `trackplan changelog` computes.
    let changelog: Json = serde_json::from_str(&succeeds(&trackplan(
        &repo.join("shop"),
        &["changelog", "--format", "json"],
    )))
    .unwrap();
    let cli_entries = changelog["plans"][0]["entries"].as_array().unwrap();
    let page_entries = history["entries"].as_array().unwrap();
    assert_eq!(cli_entries.len(), page_entries.len());
    for (cli, page) in cli_entries.iter().zip(page_entries) {
        assert_eq!(cli["commit"], page["commit"]);
        let cli_changes: Vec<(&Json, &Json)> = cli["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (&c["kind"], &c["summary"]))
            .collect();
        let page_changes: Vec<(&Json, &Json)> = page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (&c["kind"], &c["summary"]))
            .collect();
        assert_eq!(cli_changes, page_changes);
    }

    // Links can be given instead of read from the remote; a local path gives none.
    let html = succeeds(&trackplan(
        &repo.join("shop"),
        &[
            "doc",
            "--out",
            "-",
            "--repo-url",
            "https://git.example.com/{path}?line={line}",
        ],
    ));
    assert_eq!(
        embedded(&html)["source"]["file"],
        "https://git.example.com/{path}?line={line}"
    );
    let output = trackplan(
        &repo.join("shop"),
        &["doc", "--out", "-", "--repo-url", "/srv/git/shop.git"],
    );
    assert!(embedded(&succeeds(&output)).get("source").is_none());
    assert!(
        text(&output.stderr).contains("no web address"),
        "{}",
        text(&output.stderr)
    );
}

// ----- --serve --------------------------------------------------------------------------------------

/// Generous: a hang becomes a failure; no latency is judged.
const WAIT: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    port: u16,
    /// Kept open: the server may still write to it.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(plan: &Path, port: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(["doc", "--serve", "--port", port, "--no-history"])
        .current_dir(plan)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start trackplan doc --serve");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let port = line
        .trim()
        .rsplit("http://127.0.0.1:")
        .next()
        .and_then(|rest| rest.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("the server says where it listens: {line:?}"));
    Server {
        child,
        port,
        _stdout: stdout,
    }
}

/// One HTTP request; the response's status line and body.
fn request(port: u16, method: &str, path: &str, host: &str) -> (String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or_default().to_string(),
        body.to_string(),
    )
}

/// The announcement stream: yields each `data:` line as it comes.
struct Announcements {
    reader: BufReader<TcpStream>,
}

impl Announcements {
    fn open(port: u16) -> Announcements {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET /events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        Announcements { reader }
    }

    fn next_version(&mut self) -> u64 {
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(Instant::now() < deadline, "no announcement in time");
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "the stream ended"
            );
            if let Some(version) = line.strip_prefix("data: ") {
                return version.trim().parse().unwrap();
            }
        }
    }
}

#[test]
fn serve_answers_the_page_and_announces_each_change_of_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("plans/saas"), dir.path());
    let server = serve(dir.path(), "0");
    let host = format!("127.0.0.1:{}", server.port);

    let (status, html) = request(server.port, "GET", "/", &host);
    assert_eq!(status, "HTTP/1.1 200 OK");
    let data = embedded(&html);
    assert_eq!(
        data["live"],
        serde_json::json!({"events": "/events", "version": 1})
    );
    assert!(html.contains("connect-src 'self'"));
    assert!(!ids(&data, "events").contains(&"Webhook Created".to_string()));

    let mut announcements = Announcements::open(server.port);
    assert_eq!(
        announcements.next_version(),
        1,
        "the current version at once"
    );
    let events = dir.path().join("events/collaboration.yaml");
    let mut text = std::fs::read_to_string(&events).unwrap();
    text.push_str(
        "  Webhook Created:\n    description: A webhook was set up.\n    status: proposed\n",
    );
    std::fs::write(&events, text).unwrap();
    assert_eq!(
        announcements.next_version(),
        2,
        "a change of a plan file is announced"
    );
    let (_, html) = request(
        server.port,
        "GET",
        "/index.html",
        &format!("localhost:{}", server.port),
    );
    let data = embedded(&html);
    assert_eq!(data["live"]["version"], 2);
    assert!(
        ids(&data, "events").contains(&"Webhook Created".to_string()),
        "the page shows the change"
    );

    // A new file of the plan counts too.
    std::fs::write(
        dir.path().join("extra.yaml"),
        "events:\n  Extra Added:\n    description: Extra.\n",
    )
    .unwrap();
    assert_eq!(announcements.next_version(), 3);

    assert_eq!(
        request(server.port, "GET", "/", "evil.example").0,
        "HTTP/1.1 403 Forbidden",
        "other hosts are refused (DNS rebinding)"
    );
    assert_eq!(
        request(server.port, "POST", "/", &host).0,
        "HTTP/1.1 405 Method Not Allowed"
    );
    assert_eq!(
        request(server.port, "GET", "/plan.yaml", &host).0,
        "HTTP/1.1 404 Not Found"
    );
    let (status, body) = request(server.port, "HEAD", "/", &host);
    assert_eq!((status.as_str(), body.as_str()), ("HTTP/1.1 200 OK", ""));
}

#[test]
fn serve_shows_what_went_wrong_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("plans/blank"), dir.path());
    let server = serve(dir.path(), "0");
    let mut announcements = Announcements::open(server.port);
    assert_eq!(announcements.next_version(), 1);
    let root = dir.path().join("trackplan.yaml");
    let text = std::fs::read_to_string(&root).unwrap();
    std::fs::write(&root, format!("{text}\nevents: [\n")).unwrap();
    assert_eq!(announcements.next_version(), 2);
    let (status, html) = request(
        server.port,
        "GET",
        "/",
        &format!("127.0.0.1:{}", server.port),
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    let problems = embedded(&html)["problems"].as_array().unwrap().clone();
    assert!(
        problems.iter().any(|p| p["rule"] == "yaml-syntax"),
        "{problems:?}"
    );
    std::fs::write(&root, text).unwrap();
    assert_eq!(announcements.next_version(), 3);
}

#[test]
fn serve_on_a_port_in_use_says_so() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = trackplan(
        &repo_root().join("plans/blank"),
        &["doc", "--serve", "--port", &port],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port} is in use")),
        "{stderr}"
    );
}
