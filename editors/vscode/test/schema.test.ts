/**
 * The JSON Schemas for users of the YAML extension alone (editors/README.md, "JSON Schema with the YAML
 * extension only"): `yaml-language-server`, the server inside that extension, runs with exactly the
 * `yaml.schemas` setting documented there, on a template plan and on a broken copy of it.
 */

import * as assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { copyTemplate, PACKAGE_DIR, REPO_ROOT, tempDir, trackplanBinary, waitFor } from './helpers';

/** The `.vscode/settings.json` block of editors/README.md. */
function documentedSettings(): { 'yaml.schemas': Record<string, string | string[]> } {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'editors', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## JSON Schema with the YAML extension only'));
  const block = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '').find((text) => text.includes('yaml.schemas'));
  assert.ok(block !== undefined, 'editors/README.md documents a yaml.schemas setting');
  return JSON.parse(block) as { 'yaml.schemas': Record<string, string | string[]> };
}

/** The commands of the README's `sh` block that generate the schemas, run with the binary under test. */
function generateSchemas(binary: string, workspace: string): void {
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'trackplan.schema.json'), execFileSync(binary, ['schema', '--root']));
  fs.writeFileSync(path.join(workspace, '.vscode', 'plan-file.schema.json'), execFileSync(binary, ['schema']));
}

class YamlLanguageServer {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly process: ChildProcess;
  private readonly connection: ProtocolConnection;
  private version = 0;

  constructor(private readonly settings: Record<string, unknown>) {
    const main = path.join(PACKAGE_DIR, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
    this.process = spawn(process.execPath, [main, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const { stdin, stdout } = this.process;
    assert.ok(stdin !== null && stdout !== null);
    this.connection = createProtocolConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === undefined ? null : (this.settings[item.section] ?? null))),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async start(workspace: string): Promise<void> {
    const uri = pathToFileURL(workspace).toString();
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(workspace) }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true }, synchronization: { dynamicRegistration: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: this.settings });
  }

  /** Opens a file and waits for its diagnostics (the server always publishes, if only an empty list). */
  async check(file: string, text = fs.readFileSync(file, 'utf8')): Promise<Diagnostic[]> {
    const uri = pathToFileURL(file).toString();
    this.diagnostics.delete(uri);
    this.version += 1;
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: this.version, text },
    });
    const diagnostics = await waitFor(`diagnostics of ${file}`, () => this.diagnostics.get(uri));
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return diagnostics;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }
}

test('the documented yaml.schemas setting validates plan files with yaml-language-server', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = tempDir('schema');
  const plan = copyTemplate('ecommerce', path.join(workspace, 'analytics'));
  generateSchemas(binary, workspace);
  const documented = documentedSettings();
  const server = new YamlLanguageServer({ yaml: { validate: true, completion: true, hover: true, schemas: documented['yaml.schemas'] } });
  t.after(() => server.stop());
  await server.start(workspace);

  // The template is clean under both schemas: the root file is not also checked as an ordinary file.
  const root = path.join(plan, 'trackplan.yaml');
  const flows = path.join(plan, 'flows.yaml');
  assert.deepEqual(await server.check(root), [], 'trackplan.yaml is valid');
  assert.deepEqual(await server.check(flows), [], 'flows.yaml is valid');
  assert.deepEqual(await server.check(path.join(plan, 'events', 'checkout.yaml')), [], 'files in subfolders are valid');

  // A misspelt key is reported, in both kinds of file.
  const brokenFlows = fs.readFileSync(flows, 'utf8').replace(/^( {4})steps:/m, '$1stpes:');
  const flowProblems = await server.check(flows, brokenFlows);
  assert.deepEqual(
    flowProblems.map((d) => [d.message, d.source]),
    [['Property stpes is not allowed.', 'yaml-schema: trackplan plan file (any other *.yaml of a plan folder), format 1']],
  );
  const brokenRoot = fs.readFileSync(root, 'utf8').replace(/^name:/m, 'nmae:');
  const rootProblems = await server.check(root, brokenRoot);
  assert.ok(
    rootProblems.some((d) => d.message === 'Property nmae is not allowed.' && /trackplan root file/.test(d.source ?? '')),
    `the misspelt root key is reported: ${JSON.stringify(rootProblems)}`,
  );

  // Root-only sections are refused in the other files: the second schema applies there.
  const rootOnly = `conventions: {event_case: title}\n${fs.readFileSync(flows, 'utf8')}`;
  const rootOnlyProblems = await server.check(flows, rootOnly);
  assert.ok(rootOnlyProblems.length > 0, 'a root-only section in flows.yaml is reported');

  // YAML files outside the plan are not given the plan's schemas.
  const elsewhere = path.join(workspace, 'deploy.yaml');
  fs.writeFileSync(elsewhere, 'services:\n  web: {image: nginx}\n');
  assert.deepEqual(await server.check(elsewhere), [], 'other YAML is left alone');
});
