//! Benchmark of `trackplan changelog` against git's own textual log of the plan folder.
//!
//! Builds (with `git fast-import`) a repository of 10,000 commits, 1,000 of which change a
//! 500-event plan split over 5 files (each such commit edits one or two of them), then times, on
//! the same repository in the same run:
//!
//! - `trackplan changelog --plan plan --format json`
//! - `git log -p --first-parent -- plan`
//!
//! Run with `cargo bench -p trackplan-cli --bench history` (options after `--`: `--commits N`,
//! `--runs N`, `--repo DIR` to build the repository there and keep it, for profiling). The target is `trackplan changelog` within 2x of git.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 5;
const EVENTS_PER_FILE: usize = 100;
const PLATFORMS: [&str; 4] = ["web", "ios", "android", "server"];
const STATUSES: [&str; 3] = ["proposed", "planned", "implemented"];
const PROPERTIES: [&str; 8] = [
    "product_id",
    "cart_id",
    "price",
    "currency",
    "quantity",
    "coupon",
    "list_source",
    "search_term",
];

struct Event {
    name: String,
    description: String,
    status: usize,
    platforms: usize,
    properties: Vec<(usize, bool)>,
}

fn plan_events() -> Vec<Vec<Event>> {
    (0..FILES)
        .map(|f| {
            (0..EVENTS_PER_FILE)
                .map(|e| {
                    let n = f * EVENTS_PER_FILE + e;
                    Event {
                        name: format!("Area {f} Action {e} Completed"),
                        description: format!(
                            "Fired when the user completes action {e} of area {f}, after the server confirms it (event {n})."
                        ),
                        status: n % 3,
                        platforms: 1 + n % 4,
                        properties: (0..3 + n % 3)
                            .map(|p| ((n + p * 3) % PROPERTIES.len(), p == 0))
                            .collect(),
                    }
                })
                .collect()
        })
        .collect()
}

fn render_file(f: usize, events: &[Event]) -> String {
    let mut out = format!("# Events of area {f}.\nevents:\n");
    for e in events {
        let _ = writeln!(out, "  {}:", e.name);
        let _ = writeln!(out, "    description: {}", e.description);
        let _ = writeln!(out, "    owner: growth");
        let _ = writeln!(out, "    status: {}", STATUSES[e.status]);
        let _ = writeln!(
            out,
            "    platforms: [{}]",
            PLATFORMS[..e.platforms].join(", ")
        );
        let _ = writeln!(out, "    properties:");
        let mut seen = std::collections::HashSet::new();
        for (p, required) in &e.properties {
            if seen.insert(*p) {
                let word = if *required { "required" } else { "optional" };
                let _ = writeln!(out, "      {}: {word}", PROPERTIES[*p]);
            }
        }
    }
    out
}

fn root_file() -> String {
    let mut out = String::from(
        "trackplan: 1\nname: Benchmark Shop\nconventions:\n  event_case: title\n  property_case: snake\nteams:\n  growth: {name: Growth}\nsuper_properties: [platform]\nproperties:\n  platform: {type: string, description: The client}\n",
    );
    for p in PROPERTIES {
        let _ = writeln!(
            out,
            "  {p}: {{type: string, description: The {} of the thing}}",
            p.replace('_', " ")
        );
    }
    out
}

/// Writes the fast-import stream: `commits` commits, every tenth changing the plan.
fn stream(commits: usize) -> Vec<u8> {
    let mut events = plan_events();
    let mut out: Vec<u8> = Vec::with_capacity(64 << 20);
    let mut mark = 0usize;
    let mut blob = |out: &mut Vec<u8>, text: &str| -> usize {
        mark += 1;
        let _ = write!(out, "blob\nmark :{mark}\ndata {}\n", text.len());
        out.extend_from_slice(text.as_bytes());
        out.push(b'\n');
        mark
    };
    let mut commit_marks = Vec::with_capacity(commits);
    let mut next_mark = 1_000_000_000usize;
    for c in 0..commits {
        let mut files: Vec<(String, usize)> = Vec::new();
        let message;
        if c == 0 {
            files.push(("plan/trackplan.yaml".into(), blob(&mut out, &root_file())));
            for (f, file_events) in events.iter().enumerate() {
                let text = render_file(f, file_events);
                files.push((format!("plan/events/area-{f}.yaml"), blob(&mut out, &text)));
            }
            message = "Add the tracking plan".to_string();
        } else if c % 10 == 0 {
            let k = c / 10;
            let mut touched = vec![k % FILES];
            if k % 3 == 0 {
                touched.push((k + 2) % FILES);
            }
            for &f in &touched {
                let e = &mut events[f][(k * 7) % EVENTS_PER_FILE];
                match k % 4 {
                    0 => {
                        e.description = format!(
                            "{} Revised in change {k}.",
                            e.description.split(" Revised").next().unwrap_or("")
                        )
                    }
                    1 => e.status = (e.status + 1) % 3,
                    2 => {
                        // Toggle an optional property: every plan commit changes what the plan says.
                        let p = (k + 5) % PROPERTIES.len();
                        if e.properties.iter().skip(1).any(|(q, _)| *q == p) {
                            let first = e.properties[0];
                            e.properties.retain(|(q, _)| *q != p);
                            if e.properties.first() != Some(&first) {
                                e.properties.insert(0, first);
                            }
                        } else if e.properties[0].0 != p {
                            e.properties.push((p, false));
                        } else {
                            e.description.push_str(" Again.");
                        }
                    }
                    _ => e.platforms = 1 + (e.platforms % 4),
                }
                let text = render_file(f, &events[f]);
                files.push((format!("plan/events/area-{f}.yaml"), blob(&mut out, &text)));
            }
            message = format!("Tracking plan change {k}");
        } else {
            let text = format!("// build {c}\n");
            files.push((format!("src/module-{}.js", c % 50), blob(&mut out, &text)));
            message = format!("Code change {c}");
        }
        next_mark += 1;
        let time = 1_700_000_000 + c * 600;
        let _ = write!(
            out,
            "commit refs/heads/main\nmark :{next_mark}\nauthor Bench <bench@example.com> {time} +0000\ncommitter Bench <bench@example.com> {time} +0000\ndata {}\n{message}\n",
            message.len()
        );
        if let Some(previous) = commit_marks.last() {
            let _ = writeln!(out, "from :{previous}");
        }
        for (path, blob) in files {
            let _ = writeln!(out, "M 100644 :{blob} {path}");
        }
        out.push(b'\n');
        commit_marks.push(next_mark);
    }
    out
}

fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    command
}

fn build_repo(dir: &Path, commits: usize) {
    let started = Instant::now();
    assert!(git(dir)
        .args(["init", "-q", "-b", "main"])
        .status()
        .unwrap()
        .success());
    let mut child = git(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&stream(commits))
        .unwrap();
    assert!(child.wait().unwrap().success(), "fast-import failed");
    // Like any clone: packed, with a commit graph.
    assert!(git(dir).args(["gc", "--quiet"]).status().unwrap().success());
    assert!(git(dir)
        .args(["reset", "-q", "--hard", "main"])
        .status()
        .unwrap()
        .success());
    eprintln!(
        "built a repository of {commits} commits in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The best of `runs` timings of a command whose output goes nowhere.
fn time(runs: usize, mut command: impl FnMut() -> Command) -> Duration {
    (0..runs)
        .map(|_| {
            let mut command = command();
            command.stdout(Stdio::null()).stderr(Stdio::piped());
            let started = Instant::now();
            let output = command.output().expect("the command runs");
            let elapsed = started.elapsed();
            assert!(
                output.status.success(),
                "{:?} failed: {}",
                command,
                String::from_utf8_lossy(&output.stderr)
            );
            elapsed
        })
        .min()
        .unwrap()
}

fn main() {
    let mut commits = 10_000;
    let mut runs = 5;
    let mut keep: Option<std::path::PathBuf> = None;
    let args: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--commits" => {
                commits = args[i + 1].parse().expect("a number of commits");
                i += 1;
            }
            "--repo" => {
                keep = Some(args[i + 1].clone().into());
                i += 1;
            }
            "--runs" => {
                runs = args[i + 1].parse().expect("a number of runs");
                i += 1;
            }
            _ => {} // `--bench` and the like, passed by cargo
        }
        i += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = match &keep {
        Some(path) => {
            std::fs::create_dir_all(path).unwrap();
            path.as_path()
        }
        None => dir.path(),
    };
    if !repo.join(".git").exists() {
        build_repo(repo, commits);
    }
    let trackplan = env!("CARGO_BIN_EXE_trackplan");

    // Same answer first: the changelog has an entry per plan-changing commit.
    let output = Command::new(trackplan)
        .current_dir(repo)
        .args(["changelog", "--plan", "plan", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entries = json["plans"][0]["entries"].as_array().unwrap().len();
    eprintln!("trackplan changelog: {entries} entries");

    let ours = time(runs, || {
        let mut c = Command::new(trackplan);
        c.current_dir(repo)
            .args(["changelog", "--plan", "plan", "--format", "json"]);
        c
    });
    let ours_md = time(runs, || {
        let mut c = Command::new(trackplan);
        c.current_dir(repo).args(["changelog", "--plan", "plan"]);
        c
    });
    let theirs = time(runs, || {
        let mut c = git(repo);
        c.args(["log", "-p", "--first-parent", "--", "plan"]);
        c
    });
    let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
    println!(
        "repository: {commits} commits, {} change the plan (500 events in 5 files)",
        commits / 10
    );
    println!(
        "trackplan changelog --plan plan --format json   {:>8.3} s",
        ours.as_secs_f64()
    );
    println!(
        "trackplan changelog --plan plan (markdown)      {:>8.3} s",
        ours_md.as_secs_f64()
    );
    println!(
        "git log -p --first-parent -- plan               {:>8.3} s",
        theirs.as_secs_f64()
    );
    println!("ratio (json / git): {ratio:.2}x (target: at most 2x); best of {runs} runs each");
}
