/**
 * The extension's behaviour around the server, in the `vscode` stand-in: its commands (check, the
 * semantic diff in a Markdown preview), a missing binary, settings changes, workspaces without a
 * plan, and keeping out of the YAML extension's way.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { activate, copyTemplate, gitPlanRepository, tempDir, trackplanBinary, waitFor } from './helpers';
import { Position, Uri } from './stub/types';

test('"trackplan: Check the Plan" runs check on the plans and reports the outcome', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = tempDir('check');
  const plan = copyTemplate('ecommerce', path.join(workspace, 'shop'));
  const session = await activate([workspace], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host } = session;

  await host.executeCommand('trackplan.check');
  const output = host.outputChannel('trackplan check');
  assert.ok(output?.shown, 'the output is shown');
  assert.match(output.text, /\$ trackplan check --color never shop/);
  assert.match(output.text, /checked shop \(1 plan, \d+ files\): no problems found/);
  const clean = host.messages.at(-1);
  assert.equal(clean?.level, 'information');
  assert.match(clean.text, /^trackplan check: checked shop/);

  // An error on disk: the summary becomes a warning with a way to the output.
  const flows = path.join(plan, 'flows.yaml');
  fs.writeFileSync(flows, fs.readFileSync(flows, 'utf8').replace('Sign Up Completed]', 'Sign Up Complted]'));
  host.answer = (message) => (message.items.includes('Show Output') ? 'Show Output' : undefined);
  await host.executeCommand('trackplan.check');
  assert.match(output.text, /error\[unknown-reference\]: unknown event `Sign Up Complted`/);
  const failed = host.messages.at(-1);
  assert.equal(failed?.level, 'warning');
  assert.match(failed.text, /[1-9]\d* errors?/);
  assert.deepEqual(failed.items, ['Show Output']);
});

test('"trackplan: Show Plan Changes" opens the semantic diff against the default branch in a Markdown preview', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const { repo, plan } = gitPlanRepository('ecommerce');
  const events = path.join(plan, 'events');
  // On the branch, not committed (the work tree is compared): an event renamed.
  for (const file of fs.readdirSync(events)) {
    const full = path.join(events, file);
    fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(/^ {2}Order Completed:/m, '  Order Placed:'));
  }
  const session = await activate([repo], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host } = session;
  host.openDocument(path.join(plan, 'flows.yaml'));

  await host.executeCommand('trackplan.diff');
  assert.deepEqual(
    host.messages.filter((message) => message.level === 'error'),
    [],
    'the diff ran (it needs a `trackplan diff` with --format markdown)',
  );
  const preview = host.executed.find((command) => command.command === 'markdown.showPreview');
  assert.ok(preview !== undefined, 'a Markdown preview is opened');
  const uri = preview.args[0];
  assert.ok(uri instanceof Uri && uri.scheme === 'file', 'the preview shows a file');
  assert.ok(uri.fsPath.startsWith(session.storage), "the file is in the extension's storage, not in the workspace");
  assert.ok(uri.fsPath.endsWith('.md'));
  const markdown = fs.readFileSync(uri.fsPath, 'utf8');
  assert.match(markdown, /Order Completed/, 'the removed event is in the diff');
  assert.match(markdown, /Order Placed/, 'the added event is in the diff');
  assert.match(markdown, /breaking/i, 'removing an event is breaking');
});

test('a missing binary is one clear notice with a way out, and it closes once the server starts', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = copyTemplate('blank', tempDir('missing'));
  const emptyPath = tempDir('empty-path');
  const savedPath = process.env.PATH;
  process.env.PATH = emptyPath;
  t.after(() => {
    process.env.PATH = savedPath;
  });
  const session = await activate([workspace]);
  t.after(() => session.close());
  const { host, api } = session;

  assert.equal(api.client(), undefined, 'no server without a binary');
  assert.equal(host.messages.length, 0, 'no error message that would stay after the fix');
  assert.equal(host.progressNotifications.length, 1);
  const [notice] = host.progressNotifications;
  assert.ok(notice !== undefined && notice.open);
  assert.match(notice.text, /^trackplan cannot start the language server: trackplan was not found on the PATH of your login shell/);
  assert.ok(notice.text.includes(`(${emptyPath})`), `the PATH that was searched is shown: ${notice.text}`);
  assert.match(notice.text, /"pipx install trackplan" or "npm install -g trackplan"/);
  assert.ok(!notice.text.includes('`'), `no Markdown backticks in a notification: ${notice.text}`);
  assert.ok(notice.cancellable, 'the user can dismiss it');

  // "Open Settings" opens the User settings at the setting; in a remote window, the Remote settings,
  // where a machine-overridable setting is shown.
  const openSettings = notice.links.get('Open Settings');
  assert.equal(openSettings, 'command:trackplan.openServerPathSetting');
  assert.equal(notice.links.get('How to Install'), 'https://github.com/trackplan/trackplan#install');
  await host.executeCommand('trackplan.openServerPathSetting');
  assert.deepEqual(host.executed.at(-1), { command: 'workbench.action.openSettings', args: ['trackplan.server.path'] });
  host.remoteName = 'ssh-remote';
  await host.executeCommand('trackplan.openServerPathSetting');
  assert.deepEqual(host.executed.at(-1), { command: 'workbench.action.openRemoteSettings', args: [{ query: 'trackplan.server.path' }] });

  // A configured path that does not exist says which one; the first notice makes way for it.
  host.setSetting('trackplan.server.path', path.join(workspace, 'bin', 'trackplan'));
  await waitFor('the second notice', () => host.progressNotifications.length === 2);
  await api.settled();
  const second = host.progressNotifications[1];
  assert.ok(second !== undefined);
  assert.match(second.text, /bin\/trackplan \(set in trackplan\.server\.path\) does not exist/);
  await waitFor('the first notice to close', () => !notice.open);
  assert.ok(second.open);

  // Pointing the setting at the binary starts the server, without reloading the window, and the
  // notice goes away.
  host.setSetting('trackplan.server.path', binary);
  await waitFor('the client to run', () => api.client()?.isRunning());
  await waitFor('the notice to close', () => !second.open);
  assert.equal(host.progressNotifications.length, 2, 'no further notice');
  assert.equal(host.messages.length, 0);

  // A command run while the binary is missing answers with an error message and a way to the setting.
  host.setSetting('trackplan.server.path', path.join(workspace, 'nowhere'));
  await api.settled();
  host.answer = (shown) => (shown.items.includes('Open Settings') ? 'Open Settings' : undefined);
  await host.executeCommand('trackplan.check');
  const [error] = host.messages;
  assert.equal(error?.level, 'error');
  assert.match(error.text, /nowhere \(set in trackplan\.server\.path\) does not exist/);
  assert.ok(!error.text.includes('`'), error.text);
  await waitFor('the Remote settings to open', () => host.executed.filter((c) => c.command === 'workbench.action.openRemoteSettings').length === 2);
  // Dismissed by the user: it closes.
  const third = host.progressNotifications.at(-1);
  assert.ok(third !== undefined && third.open);
  third.cancel();
  await waitFor('the dismissed notice to close', () => !third.open);
});

test('a workspace without a plan starts nothing, and one appears when a trackplan.yaml is created', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = tempDir('noplan');
  fs.writeFileSync(path.join(workspace, 'docker-compose.yaml'), 'services: {}\n');
  const session = await activate([workspace], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host, api } = session;

  assert.deepEqual(api.planRoots(), []);
  assert.equal(api.client(), undefined, 'no server for a workspace without a plan');
  assert.deepEqual(host.messages, [], 'and no message either');
  assert.deepEqual(host.providers, [], 'no provider is registered for YAML files');

  const plan = copyTemplate('blank', path.join(workspace, 'analytics'));
  host.fileEvent('create', path.join(plan, 'trackplan.yaml'));
  await waitFor('the server to start for the new plan', () => api.client()?.isRunning());
  assert.deepEqual(api.planRoots(), [plan]);
});

test('the extension keeps out of the YAML extension: no schema registration, no settings changes, plain `yaml` files', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = copyTemplate('saas', tempDir('yaml'));
  const session = await activate([workspace], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host, api } = session;
  await waitFor('the client to run', () => api.client()?.isRunning());
  const document = host.openDocument(path.join(workspace, 'trackplan.yaml'));

  assert.equal(document.languageId, 'yaml', 'plan files keep the YAML language');
  assert.deepEqual(host.configurationUpdates, [], 'no setting of any extension is written (yaml.schemas among them)');
  assert.deepEqual(host.extensionLookups, [], "the YAML extension's API is not used to register a schema");
  // The language client's collections, named after the server: one for pushed diagnostics and one
  // for pulled ones (the server serves pulls, and then pushes nothing); nothing else.
  const ours = host.diagnosticCollections.map((collection) => collection.name);
  assert.deepEqual(ours, ['trackplan', 'trackplan'], 'only the language server has diagnostic collections');
  assert.ok(host.matchingProviders('completion', document).length > 0, 'our completion works beside any other');
});

test('commands in a workspace without a plan say so', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const session = await activate([tempDir('empty')], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  await session.host.executeCommand('trackplan.diff');
  await session.host.executeCommand('trackplan.check');
  assert.equal(session.host.messages.length, 2);
  for (const message of session.host.messages) {
    assert.equal(message.level, 'information');
    assert.match(message.text, /no plan in this workspace/);
  }
});

test('restarting the server from the command palette gives a new running client', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const session = await activate([copyTemplate('blank', tempDir('restart'))], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const first = await waitFor('the client to run', () => session.api.client()?.isRunning() === true && session.api.client());
  await session.host.executeCommand('trackplan.restartServer');
  const second = await waitFor('the new client to run', () => session.api.client()?.isRunning() === true && session.api.client());
  assert.notEqual(first, second);
  assert.equal(first.isRunning(), false, 'the old server is stopped');
});

test('the diff of a plan outside git says so, naming the plan folder as it is', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const plan = copyTemplate('blank', path.join(tempDir('nogit'), 'shop'));
  const session = await activate([plan], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host } = session;
  await host.executeCommand('trackplan.diff');
  const errors = host.messages.filter((message) => message.level === 'error');
  assert.deepEqual(
    errors.map((message) => message.text),
    [`trackplan diff failed: ${plan} is not inside a git repository`],
  );
  assert.match(host.outputChannel('trackplan')?.text ?? '', new RegExp(`\\[error\\] trackplan diff .* --plan ${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(in `));
});

test("a code lens's command (trackplan.findReferences) runs VS Code's find-references at the name", async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = tempDir('lens');
  const plan = copyTemplate('ecommerce', path.join(workspace, 'shop'));
  const session = await activate([workspace], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host } = session;
  // The arguments as the server sends them: plain JSON.
  const uri = Uri.file(path.join(plan, 'properties.yaml')).toString();
  await host.executeCommand('trackplan.findReferences', uri, { line: 4, character: 2 });
  const find = host.executed.find((command) => command.command === 'editor.action.findReferences');
  assert.ok(find !== undefined, "VS Code's find-references runs");
  const [target, position] = find.args;
  assert.ok(target instanceof Uri && target.fsPath === path.join(plan, 'properties.yaml'), String(target));
  assert.ok(position instanceof Position && position.line === 4 && position.character === 2, JSON.stringify(position));
});
