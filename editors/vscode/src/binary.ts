/**
 * Finding the `trackplan` binary before starting it, so that a missing binary is one clear message
 * with a way out instead of a spawn error and a crashed-server notification.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SERVER_PATH } from './settings';

export type Resolution =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly message: string };

export interface ResolveOptions {
  /** Relative paths and `${workspaceFolder}` are taken from this folder. */
  readonly workspaceFolder?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
}

export const INSTALL_HINT =
  'Install it with `cargo install --path crates/trackplan-cli` from a clone of the trackplan repository, ' +
  'or set `trackplan.server.path` to the binary.';

/** Resolves `trackplan.server.path` to an executable file. */
export function resolveBinary(setting: string, options: ResolveOptions): Resolution {
  const expanded = expand(setting, options);
  const isPath = expanded.includes('/') || (options.platform === 'win32' && expanded.includes('\\'));
  if (!isPath) {
    const found = searchPath(expanded, options);
    if (found !== undefined) {
      return { found: true, path: found };
    }
    const configured = setting === DEFAULT_SERVER_PATH ? '' : ' (set in `trackplan.server.path`)';
    return {
      found: false,
      message: `\`${expanded}\`${configured} was not found on PATH. ${INSTALL_HINT}`,
    };
  }
  const base = options.workspaceFolder ?? process.cwd();
  const absolute = path.resolve(base, expanded);
  const candidates = options.platform === 'win32' ? withExtensions(absolute, options) : [absolute];
  for (const candidate of candidates) {
    if (isExecutableFile(candidate, options.platform)) {
      return { found: true, path: candidate };
    }
  }
  const reason = fs.existsSync(absolute) ? 'is not an executable file' : 'does not exist';
  return {
    found: false,
    message: `\`${absolute}\` (set in \`trackplan.server.path\`) ${reason}. ${INSTALL_HINT}`,
  };
}

function expand(setting: string, options: ResolveOptions): string {
  let value = setting;
  if (options.workspaceFolder !== undefined) {
    value = value.split('${workspaceFolder}').join(options.workspaceFolder);
  }
  if (value === '~' || value.startsWith('~/')) {
    value = path.join(options.homedir, value.slice(1));
  }
  return value;
}

function searchPath(command: string, options: ResolveOptions): string | undefined {
  const pathVariable = options.platform === 'win32' ? (options.env.Path ?? options.env.PATH) : options.env.PATH;
  const separator = options.platform === 'win32' ? ';' : ':';
  for (const dir of (pathVariable ?? '').split(separator)) {
    if (dir === '') {
      continue;
    }
    const base = path.join(dir, command);
    const candidates = options.platform === 'win32' ? withExtensions(base, options) : [base];
    const found = candidates.find((candidate) => isExecutableFile(candidate, options.platform));
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

function withExtensions(base: string, options: ResolveOptions): string[] {
  if (path.extname(base) !== '') {
    return [base];
  }
  const extensions = (options.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter((e) => e !== '');
  return [base, ...extensions.map((extension) => base + extension.toLowerCase())];
}

function isExecutableFile(candidate: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(candidate).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(candidate, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
