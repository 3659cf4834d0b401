/**
 * The platform-specific `.vsix` that scripts/dist.sh builds, with the `trackplan` binary bundled:
 * what it holds, then the extension installed from it (unpacked as VS Code unpacks it) starting the
 * bundled server and running "trackplan: Check the Plan" with no `trackplan` on PATH and no setting.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { activate, copyTemplate, readZip, tempDir, waitFor, type ZipEntry } from './helpers';

/** The `.vsix` under test: TRACKPLAN_PLATFORM_VSIX (scripts/test.sh sets it to dist/'s). */
function platformVsix(t: TestContext): string | undefined {
  const vsix = process.env.TRACKPLAN_PLATFORM_VSIX;
  if (vsix !== undefined && fs.existsSync(vsix)) {
    return vsix;
  }
  const message = `no platform .vsix (${vsix ?? 'TRACKPLAN_PLATFORM_VSIX is not set'}): run scripts/dist.sh and set TRACKPLAN_PLATFORM_VSIX`;
  if (process.env.CI !== undefined && process.env.CI !== '') {
    assert.fail(`${message}; CI must not skip the bundled binary's test`);
  }
  console.error(`\n!!!!!!!! SKIPPED ${t.name}: ${message} !!!!!!!!\n`);
  t.skip(message);
  return undefined;
}

/** Unpacks the `.vsix` as VS Code does: its `extension/` folder, with the files' modes. */
function unpack(entries: Map<string, ZipEntry>, destination: string): string {
  for (const [name, entry] of entries) {
    if (!name.startsWith('extension/')) {
      continue;
    }
    const file = path.join(destination, name.slice('extension/'.length));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, entry.data, { mode: entry.mode === 0 ? 0o644 : entry.mode });
  }
  return destination;
}

test('the platform .vsix bundles the binary, and the extension runs it with nothing on PATH', async (t) => {
  const vsix = platformVsix(t);
  if (vsix === undefined) {
    return;
  }
  const entries = await readZip(vsix);
  assert.deepEqual([...entries.keys()].sort(), [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/LICENSE.txt',
    'extension/bin/trackplan',
    'extension/changelog.md',
    'extension/out/extension.js',
    'extension/package.json',
    'extension/readme.md',
  ]);
  const binary = entries.get('extension/bin/trackplan');
  assert.ok(binary !== undefined && (binary.mode & 0o111) === 0o111, `the binary is executable (mode ${binary?.mode.toString(8)})`);
  const vsixManifest = entries.get('extension.vsixmanifest')?.data.toString('utf8') ?? '';
  assert.match(vsixManifest, /TargetPlatform="linux-x64"/, 'the Marketplace offers it to Linux x64 only');

  const extension = unpack(entries, tempDir('installed-extension'));
  const workspace = tempDir('bundled');
  copyTemplate('ecommerce', path.join(workspace, 'shop'));
  const savedPath = process.env.PATH;
  process.env.PATH = tempDir('empty-path');
  t.after(() => {
    process.env.PATH = savedPath;
  });
  const session = await activate([workspace], {}, extension);
  t.after(() => session.close());
  const { host, api } = session;

  await waitFor('the bundled server to run', () => api.client()?.isRunning());
  const log = host.outputChannel('trackplan');
  assert.ok(log !== undefined);
  assert.ok(
    log.text.includes(`starting ${path.join(extension, 'bin', 'trackplan')} lsp (bundled with the extension)`),
    log.text,
  );
  assert.deepEqual(host.progressNotifications, [], 'no "cannot start" notice');

  await host.executeCommand('trackplan.check');
  const output = host.outputChannel('trackplan check');
  assert.match(output?.text ?? '', /checked shop \(1 plan, 8 files\): no problems found/);
  assert.match(host.messages.at(-1)?.text ?? '', /^trackplan check: checked shop/);
});
