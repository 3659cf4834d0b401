//! The packages `scripts/dist.sh` builds, installed the way users install them, each then running
//! `trackplan check` on a template: the wheel into a fresh virtual environment (and through
//! `pipx run`), the npm packages into a fresh folder (`npx trackplan`), the release archive checked
//! against SHA256SUMS and installed by the action's install step from a local stand-in of GitHub's
//! release downloads. The `.vsix` with the bundled binary is tested by the extension's tests
//! (editors/vscode/test/bundled.test.ts), which scripts/test.sh points at dist/.

#[allow(dead_code)]
#[path = "support/fake_github.rs"]
mod fake_github;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn repo_root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .canonicalize()
        .unwrap()
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// dist/, built once per test run by scripts/dist.sh (a no-op when its inputs did not change since
/// the last build, which scripts/test.sh runs before the tests).
fn dist() -> &'static Path {
    static DIST: OnceLock<PathBuf> = OnceLock::new();
    DIST.get_or_init(|| {
        let root = repo_root();
        let output = Command::new("bash")
            .arg(root.join("scripts/dist.sh"))
            .current_dir(&root)
            .output()
            .expect("scripts/dist.sh runs");
        assert!(
            output.status.success(),
            "scripts/dist.sh failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        root.join("dist")
    })
}

fn file_in_dist(name: &str) -> PathBuf {
    let path = dist().join(name);
    assert!(path.is_file(), "dist/ has no {name}");
    path
}

#[track_caller]
fn succeeds(output: Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A copy of the e-commerce template in a fresh folder: the plan `trackplan check` runs on.
fn template(dir: &Path) -> PathBuf {
    let plan = dir.join("shop");
    copy_dir(&repo_root().join("plans/ecommerce"), &plan);
    plan
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `BINARY check` on a fresh copy of the template and expects it clean.
#[track_caller]
fn checks_a_template(binary: &Path, what: &str) {
    let temp = tempfile::tempdir().unwrap();
    let plan = template(temp.path());
    assert_checked(&succeeds(
        Command::new(binary)
            .args(["check", "--color", "never"])
            .arg(&plan)
            .current_dir(temp.path())
            .output()
            .unwrap(),
        what,
    ));
}

#[track_caller]
fn assert_checked(stdout: &str) {
    assert!(
        stdout.contains("(1 plan, 8 files): no problems found"),
        "{stdout}"
    );
}

fn wheel() -> PathBuf {
    let name =
        format!("trackplan-{VERSION}-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl");
    file_in_dist(&name)
}

fn python() -> &'static str {
    "python3"
}

#[test]
fn the_wheel_installs_into_a_fresh_virtual_environment_and_runs() {
    let wheel = wheel();
    let temp = tempfile::tempdir().unwrap();
    let venv = temp.path().join("venv");
    succeeds(
        Command::new(python())
            .args(["-m", "venv"])
            .arg(&venv)
            .output()
            .unwrap(),
        "python3 -m venv",
    );
    // From the wheel alone: no index, no dependency, no compiler.
    succeeds(
        Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--no-index",
                "--disable-pip-version-check",
            ])
            .arg(&wheel)
            .output()
            .unwrap(),
        "pip install the wheel",
    );
    checks_a_template(
        &venv.join("bin/trackplan"),
        "trackplan from the virtual environment",
    );
    let version = succeeds(
        Command::new(venv.join("bin/trackplan"))
            .arg("--version")
            .output()
            .unwrap(),
        "trackplan --version",
    );
    assert_eq!(version.trim(), format!("trackplan {VERSION}"));
}

/// pipx from scripts/setup-test-deps.sh (.ci/cache/pipx).
fn pipx() -> Option<PathBuf> {
    let cached = repo_root().join(".ci/cache/pipx");
    if cached.join("pipx").is_dir() {
        return Some(cached);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "pipx is missing on CI: scripts/setup-test-deps.sh installs it"
    );
    eprintln!("SKIPPED pipx run: pipx is not installed; run scripts/setup-test-deps.sh");
    None
}

#[test]
fn pipx_runs_the_wheel_without_installing_it() {
    let wheel = wheel();
    let Some(pipx) = pipx() else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let plan = template(temp.path());
    let out = succeeds(
        Command::new(python())
            .args(["-m", "pipx", "run", "--spec"])
            .arg(&wheel)
            .args(["trackplan", "check", "--color", "never"])
            .current_dir(&plan)
            .env("PYTHONPATH", &pipx)
            .env("PIPX_HOME", temp.path().join("pipx-home"))
            .env("PIPX_BIN_DIR", temp.path().join("pipx-bin"))
            // pipx's own pip, which it keeps up to date from PyPI, is kept between runs; the
            // wheel is a local file, so nothing of trackplan comes from an index.
            .env("PIPX_SHARED_LIBS", pipx.join("shared-libs"))
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .output()
            .unwrap(),
        "pipx run",
    );
    assert_checked(&out);
}

#[test]
fn the_npm_package_installs_into_a_fresh_folder_and_npx_runs_it() {
    let main = file_in_dist(&format!("trackplan-{VERSION}.tgz"));
    let platform = file_in_dist(&format!("trackplan-cli-linux-x64-{VERSION}.tgz"));
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(
        project.join("package.json"),
        r#"{"name": "analytics", "private": true}"#,
    )
    .unwrap();
    // As from the registry: the small package and the platform package npm picks for it. The
    // other platforms' packages are optional and do not fit this machine, so npm leaves them out.
    succeeds(
        Command::new("npm")
            .args([
                "install",
                "--offline",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .arg(&main)
            .arg(&platform)
            .current_dir(&project)
            .env("npm_config_cache", temp.path().join("npm-cache"))
            .output()
            .unwrap(),
        "npm install",
    );
    let installed = project.join("node_modules");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(installed.join("trackplan/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["bin"]["trackplan"], "bin/trackplan.js");
    let optional = manifest["optionalDependencies"].as_object().unwrap();
    let platforms: Vec<&str> = optional.keys().map(String::as_str).collect();
    assert_eq!(
        platforms,
        [
            "@trackplan/cli-darwin-arm64",
            "@trackplan/cli-darwin-x64",
            "@trackplan/cli-linux-arm64",
            "@trackplan/cli-linux-x64",
            "@trackplan/cli-win32-arm64",
            "@trackplan/cli-win32-x64"
        ]
    );
    assert!(optional.values().all(|v| v == VERSION));
    let platform_manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(installed.join("@trackplan/cli-linux-x64/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(platform_manifest["os"], serde_json::json!(["linux"]));
    assert_eq!(platform_manifest["cpu"], serde_json::json!(["x64"]));
    assert_eq!(platform_manifest["libc"], serde_json::json!(["glibc"]));
    assert!(
        !installed.join("trackplan/bin/trackplan").exists(),
        "the small package holds no binary"
    );

    let plan = template(temp.path());
    let out = succeeds(
        Command::new("npx")
            .args([
                "--offline",
                "--no-install",
                "trackplan",
                "check",
                "--color",
                "never",
            ])
            .arg(&plan)
            .current_dir(&project)
            .env("npm_config_cache", temp.path().join("npm-cache"))
            .output()
            .unwrap(),
        "npx trackplan check",
    );
    assert_checked(&out);
    // Exit codes pass through the Node.js script: an error in the plan is exit 1.
    let flows = plan.join("flows.yaml");
    let text = std::fs::read_to_string(&flows).unwrap();
    std::fs::write(
        &flows,
        text.replacen("Order Completed", "Order Complete", 1),
    )
    .unwrap();
    let failed = Command::new(project.join("node_modules/.bin/trackplan"))
        .args(["check", "--color", "never"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stdout).contains("unknown event `Order Complete`"));
}

/// The sums in dist/SHA256SUMS, by file name.
fn sums() -> Vec<(String, String)> {
    std::fs::read_to_string(file_in_dist("SHA256SUMS"))
        .unwrap()
        .lines()
        .map(|line| {
            let (sum, name) = line.split_once("  ").expect("`SUM  NAME` lines");
            (sum.to_string(), name.to_string())
        })
        .collect()
}

fn sha256(path: &Path) -> String {
    let output = Command::new("sha256sum").arg(path).output().unwrap();
    succeeds(output, "sha256sum")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn every_file_has_its_sum_and_the_archive_holds_a_portable_binary() {
    let sums = sums();
    let mut names: Vec<String> = std::fs::read_dir(dist())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "SHA256SUMS")
        .collect();
    names.sort();
    let listed: Vec<String> = sums.iter().map(|(_, n)| n.clone()).collect();
    assert_eq!(listed, names);
    assert_eq!(
        names,
        [
            format!("trackplan-{VERSION}-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"),
            format!("trackplan-{VERSION}-x86_64-unknown-linux-gnu.tar.gz"),
            format!("trackplan-{VERSION}.tgz"),
            format!("trackplan-cli-linux-x64-{VERSION}.tgz"),
            format!("trackplan-linux-x64-{VERSION}.vsix"),
        ]
    );
    for (sum, name) in &sums {
        assert_eq!(&sha256(&dist().join(name)), sum, "the sum of {name}");
    }

    let temp = tempfile::tempdir().unwrap();
    let archive = file_in_dist(&format!(
        "trackplan-{VERSION}-x86_64-unknown-linux-gnu.tar.gz"
    ));
    succeeds(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(temp.path())
            .output()
            .unwrap(),
        "tar",
    );
    let folder = temp
        .path()
        .join(format!("trackplan-{VERSION}-x86_64-unknown-linux-gnu"));
    for file in ["trackplan", "README.md", "LICENSE"] {
        assert!(folder.join(file).is_file(), "the archive holds {file}");
    }
    let binary = folder.join("trackplan");
    checks_a_template(&binary, "trackplan from the archive");

    // Portable: it asks for no glibc symbol newer than 2.17 and does not link the system's zlib.
    let bytes = std::fs::read(&binary).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let newest = text
        .match_indices("GLIBC_2.")
        .filter_map(|(i, _)| {
            let digits: String = text[i + 8..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .expect("the binary names glibc symbol versions");
    assert!(newest <= 17, "the binary needs GLIBC_2.{newest}");
    assert!(!text.contains("libz.so"), "zlib is built in");
}

#[test]
fn the_action_installs_the_release_archive_checked_against_its_sum() {
    let archive_name = format!("trackplan-{VERSION}-x86_64-unknown-linux-gnu.tar.gz");
    let archive = file_in_dist(&archive_name);
    let tag = format!("v{VERSION}");
    let github = fake_github::FakeGitHub::start();
    {
        let mut state = github.state();
        state.latest = Some(tag.clone());
        state
            .downloads
            .insert((tag.clone(), archive_name.clone()), archive.clone());
        state.downloads.insert(
            (tag.clone(), "SHA256SUMS".to_string()),
            file_in_dist("SHA256SUMS"),
        );
    }
    let temp = tempfile::tempdir().unwrap();
    let run = |runner_temp: &Path| {
        std::fs::create_dir_all(runner_temp).unwrap();
        let github_path = runner_temp.join("github-path");
        std::fs::write(&github_path, "").unwrap();
        let output = Command::new("bash")
            .arg(repo_root().join("action/install.sh"))
            .env("TRACKPLAN_VERSION", "latest")
            .env("GITHUB_TOKEN", "test-token")
            .env("GITHUB_SERVER_URL", &github.url)
            .env("GITHUB_API_URL", &github.url)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", runner_temp)
            .env("GITHUB_PATH", &github_path)
            .output()
            .unwrap();
        (output, std::fs::read_to_string(&github_path).unwrap())
    };
    let (output, github_path) = run(&temp.path().join("runner"));
    let log = succeeds(output, "action/install.sh");
    assert!(log.contains(&format!("trackplan {VERSION}")), "{log}");
    let bin = PathBuf::from(github_path.trim());
    checks_a_template(&bin.join("trackplan"), "the installed trackplan");

    // An archive that does not match its sum is refused and not installed.
    let tampered = temp.path().join("tampered.tar.gz");
    let mut bytes = std::fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&tampered, bytes).unwrap();
    github
        .state()
        .downloads
        .insert((tag, archive_name.clone()), tampered);
    let (output, github_path) = run(&temp.path().join("runner2"));
    assert_eq!(output.status.code(), Some(1));
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(
        log.contains(&format!(
            "::error title=trackplan::{archive_name} does not match its SHA-256 sum"
        )),
        "{log}"
    );
    assert_eq!(github_path, "", "nothing put on PATH");
}
