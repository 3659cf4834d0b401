#!/usr/bin/env bash
# Builds trackplan's packages for one platform into dist/, each with the `trackplan` binary inside:
#
#   trackplan-VERSION-py3-none-PLATFORM.whl    Python wheel (pip install / pipx run trackplan)
#   trackplan-VERSION.tgz                      npm package: the `trackplan` command (npx trackplan)
#   trackplan-cli-NPMPLATFORM-VERSION.tgz      npm package holding the binary, for the one above
#   trackplan-NPMPLATFORM-VERSION.vsix         VS Code extension with the binary bundled
#   trackplan-VERSION-TARGET.tar.gz (.zip)     release archive: the binary, README.md, LICENSE
#   SHA256SUMS                                 the SHA-256 sum of each file above
#
# Usage: scripts/dist.sh [--target TRIPLE]   (default: this machine's; see TARGETS below)
#
# One release build (maturin, which builds the wheel) gives the binary for everything else. Linux
# binaries are linked against glibc 2.17 with zig (maturin --zig; zig from PyPI's ziglang), so they
# run on any current distribution; zlib is built in (libz-sys "static"). maturin and ziglang are
# pinned and installed into .ci/cache/dist-tools. A build whose inputs have not changed is taken
# from .ci/cache/dist (keyed on the content of every input file). .github/workflows/release.yml
# runs this script on each platform.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

maturin_version=1.16.0
ziglang_version=0.17.0

python=python3
command -v "$python" >/dev/null 2>&1 || python=python

host_target() {
  rustc -vV | sed -n 's/^host: //p'
}

target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="${2:?--target needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "dist.sh: unknown argument $1 (usage: scripts/dist.sh [--target TRIPLE])" >&2; exit 2 ;;
  esac
done
target="${target:-$(host_target)}"

# The targets released: Rust's triple -> npm's and VS Code's platform name.
case "$target" in
  x86_64-unknown-linux-gnu) platform=linux-x64 ;;
  aarch64-unknown-linux-gnu) platform=linux-arm64 ;;
  x86_64-apple-darwin) platform=darwin-x64 ;;
  aarch64-apple-darwin) platform=darwin-arm64 ;;
  x86_64-pc-windows-msvc) platform=win32-x64 ;;
  aarch64-pc-windows-msvc) platform=win32-arm64 ;;
  *) echo "dist.sh: no package layout for $target; one of the TARGETS in scripts/dist.sh" >&2; exit 2 ;;
esac
exe=""
case "$target" in *windows*) exe=.exe ;; esac
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
vscode_dir="$root/editors/vscode"
dist="$root/dist"

say() { echo "dist.sh: $*" >&2; }

# ---- cache: the same inputs give the same packages ---------------------------------------------
inputs=(Cargo.toml Cargo.lock crates plans pyproject.toml packaging LICENSE scripts/dist.sh
  editors/vscode/src editors/vscode/package.json editors/vscode/package-lock.json
  editors/vscode/build.mjs editors/vscode/tsconfig.json editors/vscode/.vscodeignore
  editors/vscode/README.md editors/vscode/CHANGELOG.md editors/vscode/LICENSE)
key=""
if git rev-parse --git-dir >/dev/null 2>&1; then
  key="$(git ls-files -z --cached --others --exclude-standard -- "${inputs[@]}" |
    "$python" -c '
import hashlib, os, sys
digest = hashlib.sha256(sys.argv[1].encode())
for name in sorted(set(sys.stdin.read().split("\0")) - {""}):
    if os.path.isfile(name):
        digest.update(name.encode() + b"\0")
        with open(name, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
print(digest.hexdigest())
' "$target $maturin_version $ziglang_version")"
fi
cache="$root/.ci/cache/dist/$target"
if [ -n "$key" ] && [ "$(cat "$cache/.key" 2>/dev/null)" = "$key" ]; then
  rm -rf "$dist"
  mkdir -p "$dist"
  cp "$cache"/* "$dist"/
  say "unchanged inputs: dist/ from .ci/cache/dist ($target)"
  exit 0
fi

# ---- tools --------------------------------------------------------------------------------------
tools="$root/.ci/cache/dist-tools"
tools_version="maturin==$maturin_version ziglang==$ziglang_version"
if [ "$(cat "$tools/.version" 2>/dev/null)" != "$tools_version" ]; then
  say "installing $tools_version (PyPI) into .ci/cache/dist-tools"
  rm -rf "$tools"
  # ziglang is only needed for Linux targets, but small enough to install everywhere.
  # shellcheck disable=SC2086
  "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-compile \
    --only-binary=:all: --target "$tools" $tools_version
  echo "$tools_version" > "$tools/.version"
fi
maturin="$tools/bin/maturin"
[ -x "$maturin" ] || maturin="$tools/Scripts/maturin.exe" # pip's layout on Windows
# maturin --zig runs the zig that PyPI's ziglang ships.
export PATH="$tools/ziglang:$PATH"

# ---- the binary and the wheel -------------------------------------------------------------------
staging="$root/target/dist-staging/$target"
rm -rf "$staging" "$dist"
mkdir -p "$staging" "$dist"
maturin_args=(build --release --locked --target "$target" --out "$dist")
case "$target" in
  *-linux-gnu)
    # glibc 2.17 (manylinux2014): zig links against that version's symbols; maturin checks the
    # binary uses nothing newer.
    maturin_args+=(--zig --compatibility manylinux2014) ;;
esac
say "building trackplan $version for $target (maturin ${maturin_args[*]})"
"$maturin" "${maturin_args[@]}" >&2
binary="$root/target/$target/release/trackplan$exe"
[ -x "$binary" ] || { say "the build left no binary at $binary"; exit 1; }

# ---- the release archive ------------------------------------------------------------------------
archive_name="trackplan-$version-$target"
mkdir -p "$staging/$archive_name"
cp "$binary" README.md LICENSE "$staging/$archive_name/"
if [ -n "$exe" ]; then
  (cd "$staging" && "$python" -m zipfile -c "$dist/$archive_name.zip" "$archive_name")
else
  tar -C "$staging" -czf "$dist/$archive_name.tar.gz" "$archive_name"
fi

# ---- the npm packages ---------------------------------------------------------------------------
node packaging/npm/pack.mjs --version "$version" --out "$dist" --platform "$platform" --binary "$binary" >/dev/null
node packaging/npm/pack.mjs --version "$version" --out "$dist" --main >/dev/null

# ---- the VS Code extension with the binary ------------------------------------------------------
# The extension is built as for the universal .vsix (`npm run package`), then packaged from a
# staging folder that adds bin/trackplan, for this platform only (`vsce package --target`).
lock_hash="$("$python" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$vscode_dir/package-lock.json")"
if [ "$(cat "$vscode_dir/node_modules/.trackplan-lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  say "npm ci in editors/vscode"
  (cd "$vscode_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_hash" > "$vscode_dir/node_modules/.trackplan-lock-hash"
fi
(cd "$vscode_dir" && npm run --silent build >&2)
extension="$staging/vscode"
mkdir -p "$extension/out" "$extension/bin"
cp "$vscode_dir/out/extension.js" "$extension/out/"
cp "$vscode_dir/README.md" "$vscode_dir/CHANGELOG.md" "$vscode_dir/LICENSE" "$extension/"
cp "$binary" "$extension/bin/"
{ cat "$vscode_dir/.vscodeignore"; echo '!bin/**'; } > "$extension/.vscodeignore"
# The manifest as it is, less the build step that ran above (the sources are not staged).
node -e '
const fs = require("fs");
const manifest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
delete manifest.scripts["vscode:prepublish"];
fs.writeFileSync(process.argv[2], JSON.stringify(manifest, null, 2) + "\n");
' "$vscode_dir/package.json" "$extension/package.json"
(cd "$extension" && node "$vscode_dir/node_modules/@vscode/vsce/vsce" package --no-dependencies \
  --target "$platform" --out "$dist/trackplan-$platform-$version.vsix" >&2)

# ---- sums ---------------------------------------------------------------------------------------
(cd "$dist" && "$python" -c '
import hashlib, os
names = sorted(n for n in os.listdir(".") if os.path.isfile(n) and n != "SHA256SUMS")
with open("SHA256SUMS", "w", newline="\n") as out:
    for name in names:
        with open(name, "rb") as f:
            out.write(hashlib.sha256(f.read()).hexdigest() + "  " + name + "\n")
')

if [ -n "$key" ]; then
  rm -rf "$cache"
  mkdir -p "$cache"
  cp "$dist"/* "$cache"/
  echo "$key" > "$cache/.key"
fi
say "built into dist/:"
(cd "$dist" && ls -1 >&2)
