/** The client's configuration logic, without an editor: settings, finding the binary, plan folders. */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { bundledBinary, INSTALL_COMMANDS, INSTALL_HINT, resolveBinary } from '../src/binary';
import { documentSelector, escapeGlob, planOf, planRoots } from '../src/plans';
import { errorSummary, lastLine } from '../src/run';
import { readSettings, serverSettings } from '../src/settings';
import { REPO_ROOT, tempDir } from './helpers';
import { globMatches } from './stub/host';

function config(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

test('settings: defaults when unset', () => {
  assert.deepEqual(readSettings(config({})), { serverPath: '', extraArgs: [], trace: 'off', docsBaseUrl: '' });
});

test('settings: values are read and hand-edited wrong types fall back to the defaults', () => {
  const settings = readSettings(
    config({ 'server.path': ' /opt/trackplan ', 'server.extraArgs': ['--stdio', 3], 'trace.server': 'verbose', docsBaseUrl: 'https://x/{rule}' }),
  );
  assert.deepEqual(settings, { serverPath: '/opt/trackplan', extraArgs: ['--stdio'], trace: 'verbose', docsBaseUrl: 'https://x/{rule}' });
  const wrong = readSettings(config({ 'server.path': 42, 'server.extraArgs': '--stdio', 'trace.server': 'loud', docsBaseUrl: false }));
  assert.deepEqual(wrong, { serverPath: '', extraArgs: [], trace: 'off', docsBaseUrl: '' });
  assert.equal(readSettings(config({ 'server.path': '   ' })).serverPath, '');
  assert.deepEqual(serverSettings(settings), { docsBaseUrl: 'https://x/{rule}' });
});

function fakeBinaries(): { dir: string; good: string; plain: string } {
  const dir = tempDir('bin');
  const good = path.join(dir, 'trackplan');
  fs.writeFileSync(good, '#!/bin/sh\n', { mode: 0o755 });
  const plain = path.join(dir, 'not-executable');
  fs.writeFileSync(plain, '', { mode: 0o644 });
  fs.mkdirSync(path.join(dir, 'folder'));
  return { dir, good, plain };
}

const base = { env: {}, platform: 'linux' as const, homedir: '/home/someone' };

test('binary: without a setting or a bundled binary, `trackplan` is found on PATH', () => {
  const { dir, good } = fakeBinaries();
  const env = { PATH: ['/nonexistent', '', dir].join(path.delimiter) };
  assert.deepEqual(resolveBinary('', { ...base, env }), { found: true, path: good, source: 'PATH' });
  assert.deepEqual(resolveBinary('', { ...base, env, extensionPath: tempDir('universal-vsix') }), { found: true, path: good, source: 'PATH' });
  assert.deepEqual(resolveBinary('trackplan', { ...base, env }), { found: true, path: good, source: 'setting' }, 'a command set by hand');
});

test('binary: the binary bundled in a platform-specific .vsix comes before PATH, and after the setting', () => {
  const { dir, good } = fakeBinaries();
  const extension = tempDir('extension');
  const bundled = bundledBinary(extension, 'linux');
  assert.equal(bundled, path.join(extension, 'bin', 'trackplan'));
  fs.mkdirSync(path.dirname(bundled));
  // Unzipped by a tool that drops file modes: the extension makes it executable again.
  fs.writeFileSync(bundled, '#!/bin/sh\n', { mode: 0o644 });
  const env = { PATH: dir };
  assert.deepEqual(resolveBinary('', { ...base, env, extensionPath: extension }), { found: true, path: bundled, source: 'bundled' });
  assert.equal(fs.statSync(bundled).mode & 0o111, 0o111);
  assert.deepEqual(resolveBinary(good, { ...base, env, extensionPath: extension }), { found: true, path: good, source: 'setting' });
  assert.equal(bundledBinary(extension, 'win32'), path.join(extension, 'bin', 'trackplan.exe'));
});

test('binary: not found is a plain-text message that shows the PATH searched and how to install', () => {
  const empty = tempDir('empty');
  const result = resolveBinary('', { ...base, env: { PATH: `${empty}:/usr/local/bin` } });
  assert.ok(!result.found);
  assert.equal(
    result.message,
    `trackplan was not found on the PATH of your login shell, which is the one VS Code's extensions get (${empty}:/usr/local/bin). ${INSTALL_HINT}`,
  );
  assert.ok(!result.message.includes('`'), 'VS Code shows notifications without Markdown');
  assert.match(result.message, /or set trackplan\.server\.path to the binary\.$/);
  const unset = resolveBinary('', { ...base, env: {} });
  assert.ok(!unset.found && unset.message.includes('(empty)'));
  const windows = resolveBinary('', { ...base, platform: 'win32', env: { Path: 'C:\\Tools' } });
  assert.ok(!windows.found && windows.message.startsWith('trackplan was not found on PATH (C:\\Tools).'));
  const other = resolveBinary('trackplan-nightly', { ...base, env: {} });
  assert.ok(!other.found && other.message.startsWith('trackplan-nightly (set in trackplan.server.path) was not found on the PATH of your login shell'));
});

test("binary: the install hint gives the README's install commands", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const install = /\n## Install\n([\s\S]*?)\n## /.exec(readme)?.[1];
  assert.ok(install !== undefined, 'the README has an Install section');
  assert.ok(INSTALL_COMMANDS.length > 0);
  for (const command of INSTALL_COMMANDS) {
    assert.ok(install.includes(command), `the README's Install section shows ${command}`);
    assert.ok(INSTALL_HINT.includes(`"${command}"`));
  }
});

test('binary: paths, relative to the workspace, with ~ and ${workspaceFolder}', () => {
  const { dir, good, plain } = fakeBinaries();
  const home = path.dirname(dir);
  const options = { ...base, workspaceFolder: dir, homedir: home };
  const found = { found: true, path: good, source: 'setting' };
  assert.deepEqual(resolveBinary(good, options), found);
  assert.deepEqual(resolveBinary('./trackplan', options), found);
  assert.deepEqual(resolveBinary('${workspaceFolder}/trackplan', options), found);
  assert.deepEqual(resolveBinary(`~/${path.basename(dir)}/trackplan`, options), found);

  const missing = resolveBinary('./bin/trackplan', options);
  assert.ok(!missing.found);
  assert.equal(missing.message.split('. ')[0], `${path.join(dir, 'bin', 'trackplan')} (set in trackplan.server.path) does not exist`);
  const notExecutable = resolveBinary(plain, options);
  assert.ok(!notExecutable.found && notExecutable.message.includes('is not an executable file'));
  const folder = resolveBinary(path.join(dir, 'folder'), options);
  assert.ok(!folder.found && folder.message.includes('is not an executable file'));
});

test('binary: Windows looks for PATHEXT extensions', () => {
  const dir = tempDir('win');
  const exe = path.join(dir, 'trackplan.exe');
  fs.writeFileSync(exe, '');
  const result = resolveBinary('', { ...base, platform: 'win32', env: { Path: dir, PATHEXT: '.COM;.EXE' } });
  assert.deepEqual(result, { found: true, path: exe, source: 'PATH' });
});

test('plan folders: the folders of the trackplan.yaml files, sorted, once each', () => {
  assert.deepEqual(planRoots(['/w/b/trackplan.yaml', '/w/a/trackplan.yaml', '/w/a/trackplan.yaml', '/w/a/other.yaml']), ['/w/a', '/w/b']);
});

test('plan folders: a file belongs to the deepest plan folder holding it', () => {
  const roots = ['/w/plan', '/w/plan/nested', '/w/plan2'];
  assert.equal(planOf('/w/plan/events/a.yaml', roots), '/w/plan');
  assert.equal(planOf('/w/plan/nested/trackplan.yaml', roots), '/w/plan/nested');
  assert.equal(planOf('/w/plan2/x.yaml', roots), '/w/plan2');
  assert.equal(planOf('/w/planets/x.yaml', roots), undefined, 'a prefix of the name is not a parent folder');
  assert.equal(planOf('/elsewhere/x.yaml', roots), undefined);
});

test('document selector: YAML files on disk below each plan folder, and nothing else', () => {
  const selector = documentSelector(['/w/my plan', '/w/odd[1]{x}']);
  assert.deepEqual(selector, [
    { scheme: 'file', language: 'yaml', pattern: '/w/my plan/**/*.{yaml,yml}' },
    { scheme: 'file', language: 'yaml', pattern: '/w/odd[[]1][{]x[}]/**/*.{yaml,yml}' },
  ]);
  const [plain, odd] = selector;
  assert.ok(plain !== undefined && odd !== undefined);
  assert.ok(globMatches(plain.pattern, '/w/my plan/trackplan.yaml'));
  assert.ok(globMatches(plain.pattern, '/w/my plan/events/checkout.yml'));
  assert.ok(!globMatches(plain.pattern, '/w/my plan/notes.md'));
  assert.ok(!globMatches(plain.pattern, '/w/other/trackplan.yaml'));
  assert.ok(globMatches(odd.pattern, '/w/odd[1]{x}/flows.yaml'), 'glob characters in folder names match literally');
  assert.ok(!globMatches(odd.pattern, '/w/odd1x/flows.yaml'));
  assert.equal(escapeGlob('a*b?c'), 'a[*]b[?]c');
});

test('command output: the summary line and the error line', () => {
  assert.equal(lastLine('error[x]: y\n\nchecked shop (1 plan, 2 files): 1 error\n\n'), 'checked shop (1 plan, 2 files): 1 error');
  assert.equal(errorSummary({ code: 2, stdout: '', stderr: 'error: not a git repository\n' }), 'not a git repository');
  assert.equal(errorSummary({ code: undefined, stdout: '', stderr: '', error: 'spawn EACCES' }), 'spawn EACCES');
});
