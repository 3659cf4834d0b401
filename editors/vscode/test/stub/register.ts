/**
 * Makes `require('vscode')` load the stand-in, as VS Code's extension host provides its own module
 * of that name. Import this module before loading the extension bundle.
 */

import Module = require('node:module');

type Resolve = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
const standIn = require.resolve('./vscode');

loader._resolveFilename = function (request, parent, isMain, options) {
  return request === 'vscode' ? standIn : original.call(this, request, parent, isMain, options);
};
