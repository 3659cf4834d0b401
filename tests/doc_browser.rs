//! `trackplan doc` in a real browser: Debian's Chromium, driven by `playwright-core`, loads the page
//! written for each template (one of them in a git repository with history, one served by
//! `--serve`) and checks what a reader sees, with `axe-core` for accessibility. Both npm packages
//! are installed into `tests/browser/node_modules` and Chromium by `scripts/setup-test-deps.sh`.
//!
//! This file writes the pages and works out, from the plan itself (through the core, not through
//! the page's data), what each page must show; `tests/browser/doc.test.mjs` drives the browser.
//! Screenshots go to `target/tmp/doc-screenshots/`; with `TRACKPLAN_UPDATE_DOCS=1` the two the
//! README shows are copied to `docs/images/`.
//!
//! A missing browser, Node or npm package skips the test with a loud message, except on CI (`CI`
//! set), where it fails: the set-up installs them, so a skip there would hide a broken set-up.

#[path = "../crates/trackplan-git/tests/support/mod.rs"]
mod support;

use serde_json::{json, Value as Json};
use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use support::{copy_dir, GitRepo};
use trackplan_core::model::EntityKind;
use trackplan_core::{parse_file, FileId, Index, Plan};

/// Generous: a hang becomes a failure; this is no latency criterion.
const TIMEOUT: Duration = Duration::from_secs(600);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Chromium (`TRACKPLAN_CHROMIUM` overrides), Node, and the npm packages, or why not.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("TRACKPLAN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        return Err(format!("{} is not installed", chromium.display()));
    }
    let modules = repo_root().join("tests/browser/node_modules");
    for package in ["playwright-core", "axe-core"] {
        if !modules.join(package).join("package.json").is_file() {
            return Err(format!(
                "the npm package {package} is not in tests/browser/node_modules"
            ));
        }
    }
    let node = which("node").ok_or("node is not on PATH")?;
    Ok((chromium, node))
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// The plan in a folder, read through the core as `trackplan check` reads it.
fn read_plan(root: &Path) -> Plan {
    let files = trackplan_fs::plan_file_paths(root)
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(root.join(path)).unwrap();
            Arc::new(parse_file(FileId(i as u32), path, text))
        })
        .collect();
    Plan::new(files)
}

/// What the page of a plan must show, worked out from the plan.
fn expectations(plan: &Plan) -> Json {
    let index = Index::new(plan);
    let mut entities = serde_json::Map::new();
    for &kind in EntityKind::ALL {
        let names: Vec<Json> = index
            .names(kind)
            .map(|name| {
                let label = index
                    .definitions(kind, name)
                    .first()
                    .and_then(|d| d.entity.display_name())
                    .map(|n| n.value.clone());
                json!([name, label.unwrap_or_else(|| name.to_string())])
            })
            .collect();
        entities.insert(kind.as_str().to_string(), Json::Array(names));
    }
    // A KPI moved by a flow: the flows that list it, and their events and the events that name it.
    let kpi = plan.kpis().find(|k| {
        plan.flows()
            .any(|f| f.kpis.iter().any(|r| r.name == k.id.text))
    });
    let kpi = kpi.map(|kpi| {
        let flows: Vec<_> = plan
            .flows()
            .filter(|f| f.kpis.iter().any(|r| r.name == kpi.id.text))
            .collect();
        let mut events: BTreeSet<String> = flows
            .iter()
            .flat_map(|f| f.all_steps().map(|r| r.name.clone()))
            .filter(|name| index.event(name).is_some())
            .collect();
        events.extend(
            plan.events()
                .filter(|e| e.kpis.iter().any(|r| r.name == kpi.id.text))
                .map(|e| e.name.text.clone()),
        );
        json!({
            "id": kpi.id.text,
            "flows": flows.iter().map(|f| f.id.text.clone()).collect::<BTreeSet<_>>(),
            "events": events,
        })
    });
    // An event found by a word of its description that is not in its name.
    let search = plan.events().find_map(|event| {
        let description = event.common.description.as_ref()?.value.to_lowercase();
        let name = event.name.text.to_lowercase();
        let word = description
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 6 && !name.contains(*w))
            .max_by_key(|w| w.len())?;
        Some(json!({"word": word, "event": event.name.text}))
    });
    let deep_link = plan
        .events()
        .map(|e| e.name.text.clone())
        .find(|n| n.contains(' '));
    json!({
        "entities": entities,
        "kpi": kpi,
        "search": search,
        "deepLink": deep_link.or_else(|| plan.events().next().map(|e| e.name.text.clone())),
        "flow": plan.flows().find(|f| !f.alternatives.is_empty()).or_else(|| plan.flows().next()).map(|f| f.id.text.clone()),
    })
}

fn write_page(plan: &Path, out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(["doc", "--out", out.to_str().unwrap()])
        .current_dir(plan)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "trackplan doc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The e-commerce template in a repository with three commits: the template, an event renamed
/// (deprecated in favour of a new one), a property added to an event.
fn history_repository() -> (GitRepo, PathBuf) {
    let mut repo = GitRepo::new();
    let plan = repo.join("plan");
    copy_dir(&repo_root().join("plans/ecommerce"), &plan);
    repo.commit("Start the plan from the e-commerce template");
    let checkout = "plan/events/checkout.yaml";
    let text = repo.read(checkout);
    assert!(
        text.contains("  Coupon Applied:\n"),
        "the template has Coupon Applied"
    );
    repo.write(
        checkout,
        &format!("{text}  Promotion Code Applied:\n    description: A promotion code was accepted at checkout.\n    owners: [checkout, growth]\n    links: {{spec: \"https://example.com/specs/promotions\"}}\n    sensitivity: internal\n    status: planned\n    platforms: [web, ios, android]\n    properties:\n      coupon_code: required\n"),
    );
    repo.edit(
        checkout,
        "  Coupon Applied:\n",
        "  Coupon Applied:\n    replaced_by: Promotion Code Applied\n",
    );
    repo.commit("Rename Coupon Applied to Promotion Code Applied");
    repo.edit(
        checkout,
        "    properties:\n      coupon_code: required\n",
        "    properties:\n      coupon_code: required\n      cart_id: optional\n",
    );
    repo.commit("Send the cart with promotion codes");
    repo.git(&[
        "remote",
        "add",
        "origin",
        "https://github.com/acme/shop.git",
    ]);
    (repo, plan)
}

#[test]
fn the_page_of_every_template_works_in_chromium() {
    let (chromium, node) = match tools() {
        Ok(tools) => tools,
        Err(reason) => {
            let message = format!(
                "{reason}: run scripts/setup-test-deps.sh (it installs Debian's chromium and the npm packages of tests/browser)"
            );
            if std::env::var_os("CI").is_some() {
                panic!("{message}; CI must not skip the browser tests");
            }
            eprintln!("\n\n!!!!!!!! SKIPPED the_page_of_every_template_works_in_chromium: {message} !!!!!!!!\n\n");
            return;
        }
    };
    let work = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for template in ["blank", "ecommerce", "media", "saas", "fintech"] {
        let plan = work.path().join(template);
        copy_dir(&repo_root().join("plans").join(template), &plan);
        let out = work.path().join(format!("{template}.html"));
        write_page(&plan, &out);
        let mut page = expectations(&read_plan(&plan));
        page["name"] = json!(template);
        page["file"] = json!(out);
        pages.push(page);
    }
    // The same template again, in git: the changelog and an entity's history.
    let (repo, plan) = history_repository();
    let out = work.path().join("history.html");
    write_page(&plan, &out);
    let mut page = expectations(&read_plan(&plan));
    page["name"] = json!("ecommerce-in-git");
    page["file"] = json!(out);
    page["deepLink"] = json!("Order Completed");
    page["history"] = json!({
        "commits": 3,
        "event": "Promotion Code Applied",
        "eventCommits": 2,
        "renamed": "Coupon Applied",
    });
    pages.push(page);

    // A plan served by `trackplan doc --serve`, edited while the page is open.
    let served = work.path().join("served");
    copy_dir(&repo_root().join("plans/saas"), &served);
    let mut server = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(["doc", "--serve", "--port", "0", "--no-history"])
        .current_dir(&served)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("the server says where it listens: {line:?}"))
        .to_string();

    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("doc-screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let spec = json!({
        "chromium": chromium,
        "screenshots": screenshots,
        "pages": pages,
        "serve": {
            "url": url,
            "file": served.join("events/collaboration.yaml"),
            "append": "  Webhook Created:\n    description: A webhook was set up to receive workspace events.\n    status: proposed\n",
            "event": "Webhook Created",
        },
    });
    let spec_file = work.path().join("spec.json");
    std::fs::write(&spec_file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();

    let mut child = Command::new(node)
        .arg("--test")
        .arg("--test-reporter=spec")
        .arg(repo_root().join("tests/browser/doc.test.mjs"))
        .env("TRACKPLAN_DOC_SPEC", &spec_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = child.wait_with_output().unwrap();
    let _ = server.kill();
    let _ = server.wait();
    drop(repo);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        status.success(),
        "the browser checks failed (screenshots in {}):\n{stdout}\n{stderr}",
        screenshots.display()
    );
    eprintln!("{stdout}");
    if std::env::var_os("TRACKPLAN_UPDATE_DOCS").is_some() {
        let images = repo_root().join("docs/images");
        std::fs::create_dir_all(&images).unwrap();
        for (from, to) in [
            ("ecommerce-map.png", "doc-map.png"),
            ("ecommerce-in-git-event.png", "doc-event.png"),
        ] {
            std::fs::copy(screenshots.join(from), images.join(to)).unwrap();
        }
    }
}
