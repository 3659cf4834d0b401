/**
 * A real VS Code for the end-to-end test: code-server (VS Code served to a browser) installed by
 * scripts/setup-test-deps.sh, in a home of its own inside the test's temporary folder, and Debian's
 * Chromium driven through playwright-core. Everything it starts is stopped with its whole process
 * group.
 */

import * as assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT, WAIT_MS } from './helpers';

/** code-server's entry point: `TRACKPLAN_CODE_SERVER`, else the one the set-up installs. */
const CODE_SERVER =
  process.env.TRACKPLAN_CODE_SERVER ??
  path.join(REPO_ROOT, '.ci', 'cache', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.TRACKPLAN_CHROMIUM ?? '/usr/bin/chromium';
/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The programs the test needs, or `undefined` after a loud skip (never on CI, where the set-up
 * installs them and a skip would hide a broken set-up).
 */
export function editorPrograms(t: TestContext): { codeServer: string; chromium: string } | undefined {
  const missing = [CODE_SERVER, CHROMIUM].filter((file) => !fs.existsSync(file));
  if (missing.length === 0) {
    return { codeServer: CODE_SERVER, chromium: CHROMIUM };
  }
  const message = `${missing.join(' and ')} missing: run scripts/setup-test-deps.sh (or set TRACKPLAN_CODE_SERVER and TRACKPLAN_CHROMIUM)`;
  if (process.env.CI !== undefined && process.env.CI !== '') {
    assert.fail(`${message}; CI must not skip the VS Code end-to-end test`);
  }
  console.error(`\n!!!!!!!! SKIPPED ${t.name}: ${message} !!!!!!!!\n`);
  t.skip(message);
  return undefined;
}

/** A user's machine inside one folder: the home (with its login shell's profile) and VS Code's data. */
export interface Machine {
  readonly home: string;
  readonly userData: string;
  readonly extensions: string;
  readonly env: NodeJS.ProcessEnv;
}

export function machine(root: string): Machine {
  const home = path.join(root, 'home');
  const runtime = path.join(root, 'run');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Variables of an enclosing VS Code would make code-server skip the login shell's environment.
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') {
      env[key] = value;
    }
  }
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: runtime,
    SHELL: '/bin/bash',
  });
  return { home, userData: path.join(root, 'vscode-data'), extensions: path.join(root, 'vscode-extensions'), env };
}

/** Writes the user's settings; VS Code reads them when the page loads, so this comes first. */
export function writeUserSettings(box: Machine, settings: Record<string, unknown>): void {
  const dir = path.join(box.userData, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

export function installExtension(codeServer: string, box: Machine, vsix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [codeServer, '--user-data-dir', box.userData, '--extensions-dir', box.extensions, '--install-extension', vsix],
      { env: box.env, timeout: WAIT_MS },
      (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stdout}${stderr}`))),
    );
  });
}

export interface Served {
  /** The page that opens `folder`. */
  readonly url: string;
  /** What code-server printed. */
  output(): string;
  /** Ends code-server and everything it started (extension host, language server). */
  stop(): Promise<void>;
}

/** Serves VS Code on a free port of 127.0.0.1, with the workspace trusted and no login. */
export async function serve(codeServer: string, box: Machine, folder: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      codeServer,
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:0',
      '--disable-workspace-trust',
      '--disable-telemetry',
      '--disable-update-check',
      '--user-data-dir',
      box.userData,
      '--extensions-dir',
      box.extensions,
      folder,
    ],
    { env: box.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => stopGroup(child, exited);
  try {
    const address = await waitForOutput(() => /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1], child, () => output);
    return { url: `${address}/?folder=${encodeURIComponent(folder)}`, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForOutput(probe: () => string | undefined, child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = probe();
    if (found !== undefined) {
      return found;
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`code-server did not start (exit code ${child.exitCode}):\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) {
    return;
  }
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
  };
  signal('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  // Whatever is left of the group (a language server that ignored SIGTERM) goes too.
  signal('SIGKILL');
}

/**
 * A fresh headless Chromium profile in `profile`, with one page. It runs in the machine's home too:
 * Chromium keeps its crash reports in `~/.config/chromium` whatever the profile.
 */
export async function openBrowser(chromiumPath: string, box: Machine, profile: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    env: box.env,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
    timeout: WAIT_MS,
  });
  context.setDefaultTimeout(WAIT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
