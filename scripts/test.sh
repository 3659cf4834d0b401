#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-test-deps.sh
# The packages with the binary inside (wheel, npm, .vsix, archives), for tests/dist.rs and the
# extension's tests; built before the tests so that its release build does not compete with them,
# and taken from .ci/cache/dist when nothing they are built from changed.
scripts/dist.sh
cargo test --workspace --locked
# The VS Code extension's tests (node's test runner): its configuration logic, the packaged .vsix,
# the platform .vsix with its bundled binary, its real language client against the `trackplan`
# that cargo just built, and the .vsix in a real VS Code (code-server in Chromium; screenshots in
# editors/vscode/test-results/).
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
TRACKPLAN_BIN="$PWD/target/debug/trackplan" \
  TRACKPLAN_PLATFORM_VSIX="$PWD/dist/trackplan-linux-x64-$version.vsix" \
  npm --prefix editors/vscode test --silent
