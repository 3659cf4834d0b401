#!/usr/bin/env node
// The `trackplan` command of the npm package: runs the binary of the per-platform package that npm
// installed beside this one (as esbuild and biome do: each platform package declares its `os`,
// `cpu` and `libc`, and npm installs only the one that fits).
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const PACKAGES = {
  'linux-x64': '@trackplan/cli-linux-x64',
  'linux-arm64': '@trackplan/cli-linux-arm64',
  'darwin-x64': '@trackplan/cli-darwin-x64',
  'darwin-arm64': '@trackplan/cli-darwin-arm64',
  'win32-x64': '@trackplan/cli-win32-x64',
  'win32-arm64': '@trackplan/cli-win32-arm64',
};

function binaryPath() {
  const platform = `${process.platform}-${process.arch}`;
  const name = PACKAGES[platform];
  if (name === undefined) {
    fail(
      `trackplan has no binary for ${platform} in its npm package (there are: ${Object.keys(PACKAGES).join(', ')}); ` +
        'install it with "pipx install trackplan", or build it with "cargo install --locked --git https://github.com/trackplan/trackplan trackplan-cli"',
    );
  }
  const file = process.platform === 'win32' ? 'trackplan.exe' : 'trackplan';
  try {
    return path.join(path.dirname(require.resolve(`${name}/package.json`)), 'bin', file);
  } catch {
    fail(
      `the package ${name}, which holds trackplan's binary for ${platform}, is not installed; ` +
        'npm leaves optional dependencies out with --omit=optional or --no-optional: install again without it',
    );
  }
}

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const result = spawnSync(binaryPath(), process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
if (result.error !== undefined) {
  fail(`cannot run trackplan's binary: ${result.error.message}`);
}
if (result.signal !== null) {
  // End the same way, so that a shell sees the signal (Ctrl-C) and not a plain exit code.
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 1);
