/**
 * The "trackplan" output as VS Code shows it: a log channel stamps each entry itself, so the lines of
 * the server and of the language client keep one timestamp, their own level and no blank line, and
 * the clean exit of a restarted server is not reported as an error.
 */

import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerLog } from '../src/serverLog';
import { activate, copyTemplate, tempDir, trackplanBinary, waitFor } from './helpers';
import { StubOutputChannel } from './stub/host';

/** One entry of a log channel: `2026-01-02 10:12:03.123 [info] message`. */
const ENTRY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \[(trace|debug|info|warning|error)\] (.*)$/;
const TIME = /\d{1,2}:\d{2}:\d{2}/g;

function entries(channel: StubOutputChannel): { level: string; message: string }[] {
  return channel.text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const entry = ENTRY.exec(line);
      assert.ok(entry !== null, `every line of the output is one entry, stamped once: ${JSON.stringify(line)}`);
      return { level: entry[1] ?? '', message: entry[2] ?? '' };
    });
}

function assertClean(channel: StubOutputChannel): void {
  for (const { message } of entries(channel)) {
    assert.equal(message.trim() === '', false, 'no blank entry');
    assert.equal((message.match(TIME) ?? []).length, 0, `no second timestamp in ${JSON.stringify(message)}`);
  }
}

test("the server's log lines show once each in the output, at their level, and a restart logs no error", async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const session = await activate([copyTemplate('ecommerce', tempDir('output'))], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host, api } = session;
  const output = host.outputChannel('trackplan');
  assert.ok(output?.log, 'the output is a log channel');
  const ready = () => entries(output).filter((entry) => entry.message.startsWith('trackplan language server ready'));

  await waitFor('the server to log that it is ready', () => ready().length === 1);
  assert.deepEqual(ready(), [{ level: 'info', message: 'trackplan language server ready: 1 plan(s)' }]);

  await session.host.executeCommand('trackplan.restartServer');
  await waitFor('the restarted server to log that it is ready', () => ready().length === 2);
  await waitFor('the exit of the first server to be logged', () =>
    entries(output).some((entry) => entry.message.startsWith('Server process exited')),
  );
  assertClean(output);
  const exits = entries(output).filter((entry) => entry.message.startsWith('Server process exited'));
  assert.deepEqual(exits, [{ level: 'info', message: 'Server process exited with code 0.' }]);
  assert.deepEqual(
    entries(output).filter((entry) => entry.level === 'error'),
    [],
    `no error in the output of a clean start and restart:\n${output.text}`,
  );
  assert.ok(api.client()?.isRunning());
});

test('server stderr arriving in pieces becomes one entry per line, at the level tracing gave it', () => {
  const channel = new StubOutputChannel('trackplan', true);
  const log = new ServerLog(channel as never);
  log.append('2026-01-02T10:12:03.123456Z  INFO trackplan_lsp::server: trackplan language server re');
  log.append('ady: 1 plan(s)\n2026-01-02T10:12:04.000001Z  WARN trackplan_lsp::server: the client refused');
  log.append(' to watch files (no); polling instead\n2026-01-02T10:12:05.5Z ERROR trackplan_lsp: panic: boom\n');
  log.append('  at crates/trackplan-lsp/src/server.rs:12\n\n');
  log.append('2026-01-02T10:12:06.000001Z DEBUG trackplan_lsp::world: below the channel level\n');
  assertClean(channel);
  assert.deepEqual(entries(channel), [
    { level: 'info', message: 'trackplan language server ready: 1 plan(s)' },
    { level: 'warning', message: 'the client refused to watch files (no); polling instead' },
    { level: 'error', message: 'panic: boom' },
    { level: 'error', message: '  at crates/trackplan-lsp/src/server.rs:12' },
  ]);
});

test("the language client's own messages lose their timestamp; only an unclean exit is an error", () => {
  const channel = new StubOutputChannel('trackplan', true);
  const log = new ServerLog(channel as never);
  log.append('2026-01-02T10:12:03Z  INFO trackplan_lsp: a line whose end never came');
  log.appendLine('[Error - 10:12:03 AM] Server process exited with code 0.');
  log.appendLine('[Info  - 10:12:04] Connection to server got closed. Server will restart.');
  log.appendLine('[Error - 22:12:05] Server process exited with code 101.');
  log.appendLine('[Warn  - 22:12:05] Request textDocument/hover failed.');
  log.appendLine('  Message: Request cancelled\n  Code: -32800 ');
  log.append('[LSP   - 22:12:06] ');
  log.appendLine('{"isLSPMessage":true,"type":"send-request"}');
  log.appendLine('[Trace - 22:12:07] Sending request \'initialize - (0)\'.');
  log.appendLine('Params: {\n    "processId": 12\n}\n');
  assert.deepEqual(
    channel.text.split('\n').map((line) => line.replace(/^[\d-]+ [\d:.]+ /, '')),
    [
      '[info] a line whose end never came',
      '[info] Server process exited with code 0.',
      '[info] Connection to server got closed. Server will restart.',
      '[error] Server process exited with code 101.',
      '[warning] Request textDocument/hover failed.',
      '[warning]   Message: Request cancelled',
      '  Code: -32800 ',
      '[info] {"isLSPMessage":true,"type":"send-request"}',
      "[info] Sending request 'initialize - (0)'.",
      '[info] Params: {',
      '    "processId": 12',
      '}',
      '',
    ],
  );
});

test('the trace output keeps the protocol messages, stamped once', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const session = await activate([copyTemplate('blank', tempDir('trace'))], { 'trackplan.server.path': binary, 'trackplan.trace.server': 'messages' });
  t.after(() => session.close());
  const trace = session.host.outputChannel('trackplan Language Server Trace');
  assert.ok(trace !== undefined);
  await waitFor('the initialize request in the trace', () => trace.text.includes("Sending request 'initialize"));
  const first = trace.text.split('\n').find((line) => line.includes("Sending request 'initialize"));
  assert.match(first ?? '', /^[\d-]+ [\d:.]+ \[info\] Sending request 'initialize - \(0\)'\.$/);
  assert.equal((first?.match(TIME) ?? []).length, 1, 'one timestamp');
});
