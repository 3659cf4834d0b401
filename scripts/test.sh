#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-test-deps.sh
cargo test --workspace --locked
# The VS Code extension's tests (node's test runner): its configuration logic, the packaged .vsix,
# its real language client against the `trackplan` that cargo just built, and the .vsix in a real
# VS Code (code-server in Chromium; screenshots in editors/vscode/test-results/).
TRACKPLAN_BIN="$PWD/target/debug/trackplan" npm --prefix editors/vscode test --silent
