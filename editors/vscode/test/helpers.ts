/** Shared set-up of the extension tests: the binary, temporary plans, activation in the stand-in. */

import './stub/register';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { type Host, resetHost } from './stub/host';
import * as yauzl from 'yauzl';
import { Uri } from './stub/types';

export const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
export const REPO_ROOT = path.resolve(PACKAGE_DIR, '..', '..');
export const BUNDLE = path.join(PACKAGE_DIR, 'out', 'extension.js');
/** Generous: a hang becomes a failure; no latency is judged. */
export const WAIT_MS = 60_000;

/**
 * The `trackplan` binary under test: `TRACKPLAN_BIN`, else the workspace's debug build. Without it
 * the test is skipped loudly, except on CI, where the set-up builds it and a skip would hide a gap.
 */
export function trackplanBinary(t: TestContext): string | undefined {
  const candidate = process.env.TRACKPLAN_BIN ?? path.join(REPO_ROOT, 'target', 'debug', 'trackplan');
  if (fs.existsSync(candidate)) {
    return candidate;
  }
  const message = `the trackplan binary is missing (${candidate}): run \`cargo build\` or set TRACKPLAN_BIN`;
  if (process.env.CI !== undefined && process.env.CI !== '') {
    assert.fail(`${message}; CI must not skip the extension's end-to-end tests`);
  }
  console.error(`\n!!!!!!!! SKIPPED ${t.name}: ${message} !!!!!!!!\n`);
  t.skip(message);
  return undefined;
}

const temporary: string[] = [];
process.on('exit', () => {
  for (const dir of temporary) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A new temporary folder, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trackplan-vscode-${prefix}-`));
  temporary.push(dir);
  return dir;
}

/** A copy of one of the repository's plan templates. */
export function copyTemplate(template: string, destination: string): string {
  fs.cpSync(path.join(REPO_ROOT, 'plans', template), destination, { recursive: true });
  return destination;
}

/** A folder holding a script named `trackplan` that records its arguments and runs the real binary. */
export function recordingWrapper(binary: string, dir: string): { dir: string; argsFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  const argsFile = path.join(dir, 'args.txt');
  const script = path.join(dir, 'trackplan');
  fs.writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argsFile}'\nexec '${binary}' "$@"\n`, { mode: 0o755 });
  return { dir, argsFile };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeout = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The part of the extension's exports the tests use (the bundle is plain JavaScript). */
export interface LoadedExtension {
  activate(context: unknown): {
    planRoots(): readonly string[];
    client(): { isRunning(): boolean; initializeResult?: { capabilities: Record<string, unknown> } } | undefined;
    settled(): Promise<void>;
  };
  deactivate(): Thenable<void> | undefined;
}

export interface Session {
  readonly host: Host;
  readonly api: ReturnType<LoadedExtension['activate']>;
  readonly storage: string;
  /** Deactivates as VS Code does: `deactivate()`, then the subscriptions are disposed. */
  close(): Promise<void>;
}

/**
 * Opens a window on the given folders with the given settings (as VS Code would, defaults from the
 * manifest) and activates the extension from its built bundle (or from an installed extension's
 * folder, as unpacked from a `.vsix`).
 */
export async function activate(
  folders: readonly string[],
  settings: Record<string, unknown> = {},
  extensionDir: string = PACKAGE_DIR,
): Promise<Session> {
  const host = resetHost();
  host.loadManifestDefaults(path.join(extensionDir, 'package.json'));
  host.setWorkspaceFolders(folders);
  for (const [key, value] of Object.entries(settings)) {
    host.settings.set(key, value);
  }
  const extension = require(path.join(extensionDir, 'out', 'extension.js')) as LoadedExtension;
  const storage = tempDir('storage');
  const subscriptions: { dispose(): unknown }[] = [];
  const context = {
    subscriptions,
    extensionPath: extensionDir,
    extensionUri: Uri.file(extensionDir),
    storageUri: Uri.file(path.join(storage, 'workspace')),
    globalStorageUri: Uri.file(path.join(storage, 'global')),
    logUri: Uri.file(path.join(storage, 'log')),
    asAbsolutePath: (relative: string) => path.join(extensionDir, relative),
  };
  const api = extension.activate(context);
  await api.settled();
  return {
    host,
    api,
    storage,
    async close() {
      await extension.deactivate();
      for (const subscription of subscriptions) {
        subscription.dispose();
      }
      assert.deepEqual(host.missing, [], 'the extension used parts of the vscode API the stand-in lacks');
    },
  };
}

/** A git repository with the template committed on `main`, then checked out on a branch. */
export function gitPlanRepository(template: string): { repo: string; plan: string } {
  const repo = tempDir('git');
  const plan = copyTemplate(template, path.join(repo, 'plan'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
        GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
        GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: repo,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'plan');
  git('checkout', '-q', '-b', 'feature');
  return { repo, plan };
}

/** The 0-based line and the character of the first occurrence of `text` in a file. */
export function locate(file: string, text: string, offsetInText = 0): { line: number; character: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((candidate) => candidate.includes(text));
  assert.ok(line >= 0, `${text} is in ${file}`);
  return { line, character: (lines[line] ?? '').indexOf(text) + offsetInText };
}

/** A file of a zip archive (a `.vsix`): its content and its Unix mode, as an unzip restores it. */
export interface ZipEntry {
  readonly data: Buffer;
  readonly mode: number;
}

/** Every file of a zip archive, by name. */
export function readZip(file: string): Promise<Map<string, ZipEntry>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error !== null || zip === undefined) {
        reject(error ?? new Error(`cannot open ${file}`));
        return;
      }
      const entries = new Map<string, ZipEntry>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError !== null || stream === undefined) {
            reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, { data: Buffer.concat(chunks), mode: (entry.externalFileAttributes >>> 16) & 0o7777 });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
