/**
 * The extension's real client (vscode-languageclient, from the built bundle) against the real
 * `trackplan lsp`, in the `vscode` stand-in: the server is driven with the capabilities and messages
 * of VS Code's client, and diagnostics, completion and hover arrive where VS Code would show them.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { activate, copyTemplate, locate, recordingWrapper, tempDir, trackplanBinary, waitFor } from './helpers';
import { MarkdownString, Position, Range } from './stub/types';

const DOCS = 'https://github.com/trackplan/trackplan/blob/main/docs/rules.md#';

test('diagnostics, completion and hover reach the editor through vscode-languageclient', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = tempDir('client');
  const plan = copyTemplate('ecommerce', path.join(workspace, 'shop'));
  const elsewhere = path.join(workspace, 'deploy', 'compose.yaml');
  fs.mkdirSync(path.dirname(elsewhere));
  fs.writeFileSync(elsewhere, 'services:\n  web:\n    image: nginx\n');

  const session = await activate([workspace], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host, api } = session;

  assert.deepEqual(api.planRoots(), [plan]);
  const client = await waitFor('the client to run', () => api.client()?.isRunning() === true && api.client());
  const capabilities = client.initializeResult?.capabilities ?? {};
  assert.ok(capabilities.completionProvider, 'the server offers completion');
  assert.equal(capabilities.hoverProvider, true, 'the server offers hover');

  // Type an error into a flow: the diagnostic appears, with its rule linked to the docs.
  const flowsFile = path.join(plan, 'flows.yaml');
  const flows = host.openDocument(flowsFile);
  const name = 'Sign Up Completed';
  const at = locate(flowsFile, `steps: [Sign Up Started, ${name}]`, 'steps: [Sign Up Started, '.length);
  const nameRange = new Range(at.line, at.character, at.line, at.character + name.length);
  host.edit(flows, nameRange, 'Sign Up Complted');
  const unknown = () => host.diagnostics(flows).filter((d) => d.message.includes('unknown event'));
  const [diagnostic] = await waitFor('the typo to be reported', () => unknown().length > 0 && unknown());
  assert.ok(diagnostic !== undefined);
  assert.match(diagnostic.message, /Sign Up Complted/);
  assert.equal(diagnostic.severity, 0, 'an unknown reference is an error');
  assert.equal(diagnostic.source, 'trackplan');
  assert.ok(diagnostic.range.start.isEqual(new Position(at.line, at.character)), 'the diagnostic is on the typo');
  const code = diagnostic.code as { value: string; target: { toString(): string } };
  assert.equal(code.value, 'unknown-reference');
  assert.equal(code.target.toString(), `${DOCS}unknown-reference`);

  // Fix it: the diagnostic goes.
  host.edit(flows, new Range(at.line, at.character, at.line, at.character + 'Sign Up Complted'.length), name);
  await waitFor('the fixed typo to be cleared', () => unknown().length === 0);

  // Completion of event names in a flow's steps.
  const items = await host.completion(flows, new Position(at.line, at.character));
  const labels = items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
  assert.ok(labels.includes('Sign Up Completed'), `completion offers the events: ${labels.join(', ')}`);
  assert.ok(labels.includes('Order Completed'), 'events of other files too');

  // The hover card of the event.
  const hovers = await host.hover(flows, new Position(at.line, at.character + 4));
  const text = hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (content instanceof MarkdownString ? content.value : String(content)))
    .join('\n');
  assert.match(text, /### Sign Up Completed/);

  // A YAML file outside the plan is left to the YAML extension: no provider of ours answers there.
  const compose = host.openDocument(elsewhere);
  assert.deepEqual(host.matchingProviders('completion', compose), []);
  assert.deepEqual(host.matchingProviders('hover', compose), []);
  assert.deepEqual(host.diagnostics(compose), []);
});

test('the server path is looked up on PATH, extra arguments are passed, and the trace level is honoured', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = copyTemplate('blank', tempDir('path'));
  const wrapper = recordingWrapper(binary, tempDir('bin'));
  const savedPath = process.env.PATH;
  process.env.PATH = `${wrapper.dir}${path.delimiter}${savedPath ?? ''}`;
  t.after(() => {
    process.env.PATH = savedPath;
  });

  const session = await activate([workspace], {
    'trackplan.server.extraArgs': ['--stdio'],
    'trackplan.trace.server': 'verbose',
  });
  t.after(() => session.close());
  await waitFor('the client to run', () => session.api.client()?.isRunning());

  assert.equal(fs.readFileSync(wrapper.argsFile, 'utf8').trim(), 'lsp --stdio', 'the default `trackplan` on PATH ran with the extra argument');
  const trace = session.host.outputChannel('trackplan Language Server Trace');
  assert.ok(trace !== undefined, 'the trace has its own output');
  await waitFor('the initialize request in the trace', () => trace.text.includes("Sending request 'initialize"));
  assert.match(trace.text, /Params: \{/, 'verbose traces show message contents');
  assert.deepEqual(session.host.messages, [], 'no notification on a clean start');
  assert.deepEqual(session.host.progressNotifications, [], 'no notice either');
});
