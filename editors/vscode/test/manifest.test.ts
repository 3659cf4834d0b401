/**
 * The packaged extension (`trackplan.vsix`, built by `npm run package` in the test set-up): what it
 * holds, and what its manifest promises VS Code — when it activates, its settings and commands, and
 * nothing that would step on the YAML extension.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { PACKAGE_DIR, readZip } from './helpers';

const VSIX = process.env.TRACKPLAN_VSIX ?? path.join(PACKAGE_DIR, 'trackplan.vsix');

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  main: string;
  engines: { vscode: string };
  activationEvents?: string[];
  extensionDependencies?: string[];
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { type: string; default: unknown; enum?: string[] }> };
    [point: string]: unknown;
  };
}

let files: Map<string, Buffer>;
let manifest: Manifest;

before(async () => {
  assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: the test set-up runs \`npm ci && npm run build && npm run package\``);
  files = new Map([...(await readZip(VSIX))].map(([name, entry]) => [name, entry.data]));
  const packaged = files.get('extension/package.json');
  assert.ok(packaged !== undefined, 'the .vsix has a manifest');
  manifest = JSON.parse(packaged.toString('utf8')) as Manifest;
});

test('the .vsix holds the bundle, the manifest and the documents, and nothing else', () => {
  const names = [...files.keys()].sort();
  assert.deepEqual(names, [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/LICENSE.txt',
    'extension/changelog.md',
    'extension/out/extension.js',
    'extension/package.json',
    'extension/readme.md',
  ]);
  assert.equal(manifest.main, './out/extension.js');
});

test('the bundle is self-contained: it needs only `vscode` and Node.js built-ins', () => {
  const bundle = files.get('extension/out/extension.js')?.toString('utf8') ?? '';
  const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1] ?? ''));
  const builtins = new Set(require('node:module').builtinModules as string[]);
  const external = [...required].filter((name) => name !== 'vscode' && !builtins.has(name.replace(/^node:/, '')));
  assert.deepEqual(external, [], 'every other module is bundled');
  assert.ok(bundle.includes('vscode-languageclient') || bundle.includes('LanguageClient'), 'the client is in the bundle');
  assert.equal(manifest.dependencies, undefined, 'no run-time dependencies to install: the bundle carries them');
});

test('the packaged manifest is the one in the repository', () => {
  const source = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as Manifest;
  assert.deepEqual(manifest.contributes, source.contributes);
  assert.deepEqual(manifest.activationEvents, source.activationEvents);
  assert.equal(manifest.version, source.version);
});

test('it activates only in workspaces with a plan', () => {
  assert.deepEqual(manifest.activationEvents, ['workspaceContains:**/trackplan.yaml']);
});

test('it never competes with the YAML extension', () => {
  const points = Object.keys(manifest.contributes).sort();
  assert.deepEqual(points, ['commands', 'configuration'], 'no languages, grammars, yamlValidation or jsonValidation');
  assert.equal(manifest.extensionDependencies, undefined, 'it does not require (or pull in) the YAML extension');
});

test('its settings: the server path, extra arguments, trace level, docs links', () => {
  const properties = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(properties).sort(), [
    'trackplan.docsBaseUrl',
    'trackplan.server.extraArgs',
    'trackplan.server.path',
    'trackplan.trace.server',
  ]);
  assert.equal(properties['trackplan.server.path']?.default, '', 'by default the bundled binary, else `trackplan` on PATH');
  assert.deepEqual(properties['trackplan.server.extraArgs']?.default, []);
  assert.equal(properties['trackplan.trace.server']?.default, 'off');
  assert.deepEqual(properties['trackplan.trace.server']?.enum, ['off', 'messages', 'verbose']);
  assert.match(String(properties['trackplan.docsBaseUrl']?.default), /\{rule\}/);
});

test('its commands: check, the diff preview, the dictionary, restart, output', () => {
  const commands = manifest.contributes.commands.map((command) => command.command).sort();
  assert.deepEqual(commands, ['trackplan.check', 'trackplan.diff', 'trackplan.restartServer', 'trackplan.showDictionary', 'trackplan.showOutput']);
  for (const command of manifest.contributes.commands) {
    assert.equal(command.category, 'trackplan');
  }
});

test('the VS Code it asks for is the one whose API it is compiled against', () => {
  const types = manifest.devDependencies['@types/vscode'] ?? '';
  const typesVersion = /(\d+\.\d+)/.exec(types)?.[1];
  const engineVersion = /(\d+\.\d+)/.exec(manifest.engines.vscode)?.[1];
  assert.ok(typesVersion !== undefined && typesVersion === engineVersion, `${types} vs ${manifest.engines.vscode}`);
});
