#!/usr/bin/env bash
# The action's first step: installs a released `trackplan` binary for the runner (Linux, macOS or
# Windows, x86-64 or arm64) and puts it on PATH. The archive is checked against the release's
# SHA256SUMS before it is unpacked. No Rust toolchain is involved.
#
# Environment: TRACKPLAN_VERSION (`latest` or a version), GITHUB_TOKEN (to ask for the latest
# release), and the runner's RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH, GITHUB_SERVER_URL,
# GITHUB_API_URL.
set -euo pipefail

repository=trackplan/trackplan
server="${GITHUB_SERVER_URL:-https://github.com}"
api="${GITHUB_API_URL:-https://api.github.com}"
version="${TRACKPLAN_VERSION:-latest}"

fail() {
  echo "::error title=trackplan::$*"
  exit 1
}

case "${RUNNER_OS:-}-${RUNNER_ARCH:-}" in
  Linux-X64) target=x86_64-unknown-linux-gnu ;;
  Linux-ARM64) target=aarch64-unknown-linux-gnu ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  Windows-X64) target=x86_64-pc-windows-msvc ;;
  Windows-ARM64) target=aarch64-pc-windows-msvc ;;
  *) fail "trackplan has no release for ${RUNNER_OS:-this system} on ${RUNNER_ARCH:-this processor}" ;;
esac

if [ "$version" = latest ]; then
  auth=()
  if [ -n "${GITHUB_TOKEN:-}" ]; then
    auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
  fi
  release="$(curl -fsSL --retry 3 ${auth[@]+"${auth[@]}"} -H "Accept: application/vnd.github+json" \
    "$api/repos/$repository/releases/latest")" || fail "cannot find the latest trackplan release; set the action's version input"
  tag="$(printf '%s' "$release" | tr ',' '\n' | sed -n 's/^ *"tag_name": *"\([^"]*\)".*/\1/p' | head -n 1)"
  [ -n "$tag" ] || fail "the latest trackplan release has no tag; set the action's version input"
else
  tag="v${version#v}"
fi
version="${tag#v}"

case "$target" in
  *windows*) archive="trackplan-$version-$target.zip" ;;
  *) archive="trackplan-$version-$target.tar.gz" ;;
esac
dir="${RUNNER_TEMP:?}/trackplan-$version"
rm -rf "$dir"
mkdir -p "$dir"
download="$server/$repository/releases/download/$tag"
echo "trackplan: downloading $download/$archive"
curl -fsSL --retry 3 -o "$dir/$archive" "$download/$archive" || fail "cannot download $download/$archive (is $version a trackplan release?)"
curl -fsSL --retry 3 -o "$dir/SHA256SUMS" "$download/SHA256SUMS" || fail "cannot download $download/SHA256SUMS"

expected="$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$dir/SHA256SUMS")"
[ -n "$expected" ] || fail "SHA256SUMS of $tag has no sum for $archive"
if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum "$dir/$archive" | cut -d' ' -f1)"
else
  actual="$(shasum -a 256 "$dir/$archive" | cut -d' ' -f1)"
fi
[ "$actual" = "$expected" ] || fail "$archive does not match its SHA-256 sum in SHA256SUMS (expected $expected, got $actual); not installed"

case "$archive" in
  *.zip) (cd "$dir" && unzip -q "$archive") ;;
  *) tar -xzf "$dir/$archive" -C "$dir" ;;
esac
bin="$dir/trackplan-$version-$target"
[ -f "$bin/trackplan" ] || [ -f "$bin/trackplan.exe" ] || fail "$archive holds no trackplan binary"
echo "$bin" >> "${GITHUB_PATH:?}"
"$bin/trackplan" --version
