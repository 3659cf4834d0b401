//! The `trackplan` binary against a hostile world: output that cannot be written, plans written on
//! one line or with megabyte names, folders it may not read, odd file names, and symbolic links
//! where files belong. Each test is named after what it protects.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous: turns a hang (or quadratic time) into a failure; never a latency criterion.
const TIMEOUT: Duration = Duration::from_secs(300);

fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trackplan"));
    command
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CI");
    command
}

/// Runs to the end (or fails the test after [`TIMEOUT`]), collecting both outputs.
fn run(mut command: Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("trackplan starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let status = wait(&mut child);
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn wait(child: &mut Child) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("trackplan did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn trackplan(cwd: &Path, args: &[&str]) -> Output {
    run(command(cwd, args))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code, not a signal")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A plan with `events` events, each missing a description and an owner (three findings each).
fn plan_of_tiny_events(dir: &Path, events: usize) {
    let mut text = String::from("trackplan: 1\nname: Tiny\nevents:\n");
    for i in 0..events {
        text.push_str(&format!("  E{i}: {{}}\n"));
    }
    write(&dir.join("trackplan.yaml"), &text);
}

const FORMATS: [&str; 4] = ["human", "json", "github", "sarif"];

// Output that cannot be written.

/// Standard output whose reader is gone: the write fails with a broken pipe.
fn closed_pipe() -> Stdio {
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    drop(ours);
    Stdio::from(std::os::fd::OwnedFd::from(theirs))
}

fn with_stdout(mut command: Command, stdout: Stdio) -> (i32, String) {
    let child = command
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child)
}

/// Waits for the child, reading its standard error: (exit code, standard error).
fn finish(mut child: Child) -> (i32, String) {
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (wait(&mut child).code().expect("an exit code"), stderr)
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_for_every_command_and_format() {
    let dir = tempfile::tempdir().unwrap();
    plan_of_tiny_events(dir.path(), 2000);
    for format in FORMATS {
        let (code, stderr) = with_stdout(
            command(
                dir.path(),
                &["check", "--format", format, "--fail-on", "warning"],
            ),
            closed_pipe(),
        );
        // The findings' exit code, as if the output had been read: not a panic (101).
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
    let quiet = [
        vec!["check", "--format", "json", "--fail-on", "error"],
        vec!["explain", "orphan-event"],
        vec!["rules"],
        vec!["rules", "--markdown"],
        vec!["schema"],
    ];
    for args in quiet {
        let (code, stderr) = with_stdout(command(dir.path(), &args), closed_pipe());
        assert!(code == 0 || code == 1, "{args:?}: {code} {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    // Reading the first line only, as `| head -1` does.
    let mut child = command(dir.path(), &["check", "--fail-on", "warning"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let (code, stderr) = finish(child);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn a_full_disk_is_an_error_with_exit_code_2_for_every_command_and_format() {
    let dir = tempfile::tempdir().unwrap();
    plan_of_tiny_events(dir.path(), 2000);
    let full = || Stdio::from(std::fs::File::create("/dev/full").unwrap());
    let mut cases: Vec<Vec<&str>> = FORMATS
        .iter()
        .map(|format| vec!["check", "--format", format])
        .collect();
    cases.push(vec!["explain", "orphan-event"]);
    cases.push(vec!["rules"]);
    cases.push(vec!["schema", "--root"]);
    for args in cases {
        let (code, stderr) = with_stdout(command(dir.path(), &args), full());
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(
            stderr, "error: cannot write the output: no space left on device\n",
            "{args:?}"
        );
    }
}

// Time and memory in proportion to the size of a plan.

#[test]
fn a_plan_on_one_line_shows_a_window_of_the_line_around_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    let events: Vec<String> = (0..20_000).map(|i| format!("E{i}: {{}}")).collect();
    let line = format!("events: {{{}}}", events.join(", "));
    write(
        &dir.path().join("trackplan.yaml"),
        &format!("trackplan: 1\nname: One line\n{line}\n"),
    );
    let output = trackplan(dir.path(), &["check"]);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    let out = text(&output.stdout);
    // Every finding shows a bounded piece of the 250 KB line, cut with `...` as rustc does.
    assert!(
        out.lines().all(|l| l.chars().count() < 200),
        "a long line shown"
    );
    let at = out
        .find("warning[missing-description]: event `E15000` has no description")
        .expect("the finding of E15000");
    let finding: Vec<&str> = out[at..].lines().take(5).collect();
    // The column is the one in the whole line.
    let column = line.find("E15000:").unwrap() + 1;
    assert_eq!(
        finding[1].trim(),
        format!("--> trackplan.yaml:3:{column}"),
        "{finding:#?}"
    );
    assert!(finding[3].starts_with("3 | ...") && finding[3].ends_with("..."));
    assert!(finding[3].contains("E14999: {}, E15000: {}, E15001"));
    let caret = finding[4].find('^').unwrap();
    assert_eq!(&finding[3][caret..caret + 6], "E15000");
    // The machine formats give the same columns.
    let json = trackplan(dir.path(), &["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let found = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"] == "event `E15000` has no description")
        .unwrap();
    assert_eq!(found["column"], column);
    assert_eq!(found["end_column"], column + 6);
}

#[test]
fn a_huge_unknown_name_is_cut_in_messages_and_not_compared_for_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = String::from("trackplan: 1\nname: Huge\nevents:\n");
    for i in 0..1000 {
        plan.push_str(&format!("  Event number {i}: {{}}\n"));
    }
    let huge = "Event number 1".repeat(70_000);
    plan.push_str(&format!("flows:\n  f:\n    name: F\n    steps: [{huge}]\n"));
    write(&dir.path().join("trackplan.yaml"), &plan);
    for format in FORMATS {
        let output = trackplan(dir.path(), &["check", "--format", format]);
        assert_eq!(code(&output), 1, "{format}");
        // The megabyte name is never printed whole, in any message.
        let out = text(&output.stdout);
        assert!(!out.contains(&huge[..1000]), "{format}");
        assert!(
            out.contains("unknown event `Event number 1Event number 1"),
            "{format}"
        );
        assert!(out.contains("…`"), "{format}");
    }
}

/// The highest resident memory the child reached, read from `/proc` while it runs.
fn peak_memory_kb(mut command: Command) -> (i32, u64) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let started = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap(), peak);
        }
        assert!(started.elapsed() < TIMEOUT, "trackplan did not finish");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_plan_of_many_tiny_events_is_checked_in_bounded_memory_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let events = 60_000;
    plan_of_tiny_events(dir.path(), events);
    for format in FORMATS {
        let (code, peak) = peak_memory_kb(command(dir.path(), &["check", "--format", format]));
        assert_eq!(code, 0, "{format}");
        // About 1.5 KB an event today (the plan, its three findings each, and the output written
        // as it is made); holding the whole output took up to 9 KB an event.
        let per_event = peak * 1024 / events as u64;
        assert!(
            per_event < 3000,
            "{format}: {peak} kB, {per_event} bytes an event"
        );
    }
}

// No silent passes: what the plan could not read is said.

/// Whether the tests run as root, who may read any folder.
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let uids = status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))?
                .to_string();
            Some(uids.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// `trackplan` run as a user whom permissions apply to: as `nobody` (with a copy of the binary it
/// can reach) when the tests run as root, who reads everything.
fn as_ordinary_user(dir: &Path, args: &[&str]) -> Output {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if !is_root() {
        return trackplan(dir, args);
    }
    let bin = tempfile::tempdir().unwrap();
    std::fs::set_permissions(bin.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let copy = bin.path().join("trackplan");
    std::fs::copy(env!("CARGO_BIN_EXE_trackplan"), &copy).unwrap();
    let mut command = Command::new(&copy);
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .uid(65534)
        .gid(65534);
    run(command)
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_symlinked_root_file_is_missing_field_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("real/trackplan.yaml"),
        "trackplan: 1\nname: Real\n",
    );
    std::fs::create_dir(dir.path().join("plan")).unwrap();
    std::os::unix::fs::symlink(
        "../real/trackplan.yaml",
        dir.path().join("plan/trackplan.yaml"),
    )
    .unwrap();
    let output = trackplan(dir.path(), &["check", "plan"]);
    assert_eq!(code(&output), 1, "{}", text(&output.stdout));
    let out = text(&output.stdout);
    assert!(
        out.starts_with(
            "error[missing-field]: the plan has no trackplan.yaml\n--> plan/trackplan.yaml:1:1"
        ),
        "{out}"
    );
    assert!(out.contains("symbolic link"), "{out}");
    for format in ["json", "github", "sarif"] {
        let output = trackplan(dir.path(), &["check", "plan", "--format", format]);
        assert_eq!(code(&output), 1, "{format}");
        assert!(text(&output.stdout).contains("missing-field"), "{format}");
    }
    // With other files, the finding is on the first of them, with the same explanation.
    write(&dir.path().join("plan/events.yaml"), "events:\n  A: {}\n");
    let output = trackplan(dir.path(), &["check", "plan", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let missing: Vec<&serde_json::Value> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "missing-field")
        .collect();
    assert_eq!(missing.len(), 1, "{value}");
    assert_eq!(missing[0]["file"], "plan/events.yaml");
    assert!(missing[0]["help"]
        .as_str()
        .unwrap()
        .contains("symbolic link"));
}

#[test]
fn an_unreadable_folder_of_the_plan_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o755);
    let plan = dir.path().join("plan");
    write(&plan.join("trackplan.yaml"), "trackplan: 1\nname: Locked\n");
    write(&plan.join("events/shop.yaml"), "events:\n  A: {}\n");
    // A folder of the plan the user may not read.
    chmod(&plan.join("events"), 0o000);
    let output = as_ordinary_user(dir.path(), &["check", "plan"]);
    chmod(&plan.join("events"), 0o755);
    assert_eq!(code(&output), 2, "{}", text(&output.stdout));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    let events = plan.canonicalize().unwrap().join("events");
    assert_eq!(
        text(&output.stderr),
        format!(
            "error: cannot read {}: permission denied\n",
            events.display()
        )
    );
    // The plan folder itself cannot be listed (its root file can still be found).
    chmod(&plan, 0o711);
    let output = as_ordinary_user(dir.path(), &["check", "plan"]);
    chmod(&plan, 0o755);
    assert_eq!(code(&output), 2, "{}", text(&output.stdout));
    assert!(
        text(&output.stderr).contains(&format!(
            "cannot read {}: permission denied",
            plan.canonicalize().unwrap().display()
        )),
        "{}",
        text(&output.stderr)
    );
    // A folder with plans below it, one of them unreadable: no plan is passed over.
    write(
        &dir.path().join("more/a/trackplan.yaml"),
        "trackplan: 1\nname: A\n",
    );
    std::fs::create_dir_all(dir.path().join("more/locked")).unwrap();
    chmod(&dir.path().join("more/locked"), 0o000);
    let output = as_ordinary_user(dir.path(), &["check", "more"]);
    chmod(&dir.path().join("more/locked"), 0o755);
    assert_eq!(code(&output), 2, "{}", text(&output.stdout));
    assert!(
        text(&output.stderr).contains("more/locked: permission denied"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_path_longer_than_the_system_allows_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan");
    write(&plan.join("trackplan.yaml"), "trackplan: 1\nname: Deep\n");
    // Folders nested past the system's limit on a path (4096 bytes on Linux): made in two halves
    // below the limit, then one moved into the other.
    let name = "n".repeat(250);
    let mut first = plan.clone();
    let mut second = dir.path().join("elsewhere");
    for i in 0..9 {
        first.push(format!("{name}{i}"));
        second.push(format!("{name}{i}"));
    }
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    std::fs::write(second.join("deep.yaml"), "events:\n  Deep: {}\n").unwrap();
    std::fs::rename(
        dir.path().join("elsewhere").join(format!("{name}0")),
        first.join(format!("{name}0")),
    )
    .unwrap();
    let output = trackplan(dir.path(), &["check", "plan"]);
    assert_eq!(code(&output), 2, "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: cannot read {}/",
            plan.canonicalize().unwrap().display()
        )) && stderr.ends_with(": the path is longer than the system allows\n"),
        "{stderr}"
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_read_and_shown_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("trackplan.yaml"),
        "trackplan: 1\nname: Latin\n",
    );
    let latin1 = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"latin1-\xe9.yaml"));
    std::fs::write(
        &latin1,
        "events:\n  Café Visited: {description: d, ownr: x}\n",
    )
    .unwrap();
    let output = trackplan(dir.path(), &["check"]);
    assert_eq!(code(&output), 1, "{}", text(&output.stderr));
    let out = text(&output.stdout);
    assert!(out.contains(" --> latin1-\\xe9.yaml:2:"), "{out}");
    assert!(out.contains("2 files"), "{out}");
    let json = trackplan(dir.path(), &["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "unknown-key" && d["file"] == "latin1-\\xe9.yaml"));
}

// `init` stays inside its folder.

#[test]
fn init_refuses_to_write_through_a_link_leading_out_of_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(dir.path().join("shop")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("shop/events")).unwrap();
    let output = trackplan(dir.path(), &["init", "shop", "--template", "saas"]);
    assert_eq!(code(&output), 2, "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("refusing to write events/")
            && stderr.contains(&format!(
                "events is a symbolic link to {}",
                elsewhere.display()
            )),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing written outside"
    );
    assert!(
        !dir.path().join("shop/trackplan.yaml").exists(),
        "nothing written at all"
    );
    // A link that stays inside the folder is followed as any folder is.
    std::fs::remove_file(dir.path().join("shop/events")).unwrap();
    std::fs::create_dir_all(dir.path().join("shop/real-events")).unwrap();
    std::os::unix::fs::symlink("real-events", dir.path().join("shop/events")).unwrap();
    let output = trackplan(dir.path(), &["init", "shop", "--template", "saas"]);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
}
