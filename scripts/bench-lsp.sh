#!/usr/bin/env bash
# The language server benchmark (docs/benchmarks.md, "Language server"): installs
# yaml-language-server from npm into .ci/cache/yaml-ls (git-ignored) for the comparison, then runs
# the bench binary of crates/trackplan-lsp. Extra arguments go to `cargo bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${YAML_LS_VERSION:-2.0.0}"
cache=.ci/cache/yaml-ls
server="$cache/node_modules/yaml-language-server/bin/yaml-language-server"
if [ ! -f "$server" ] || ! grep -q "\"version\": \"$version\"" "$cache/node_modules/yaml-language-server/package.json"; then
  echo "bench-lsp: installing yaml-language-server@$version into $cache" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --silent "yaml-language-server@$version" >&2
fi
echo "bench-lsp: node $(node --version), yaml-language-server $version" >&2
# The server measured is the shipped binary (release build, its allocator).
cargo build --release -p trackplan-cli >&2
TRACKPLAN_BIN="$PWD/target/release/trackplan" YAML_LS="$PWD/$server" \
  cargo bench -p trackplan-lsp --bench lsp "$@"
