/**
 * Finding the `trackplan` binary before starting it, so that a missing binary is one clear message
 * with a way out instead of a spawn error and a crashed-server notification.
 *
 * The order: `trackplan.server.path` when it is set; else the binary bundled in a platform-specific
 * `.vsix` (`bin/trackplan`); else `trackplan` on PATH. Messages are plain text: VS Code shows
 * notifications without Markdown (backticks would show as backticks).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

export type Resolution =
  | { readonly found: true; readonly path: string; readonly source: BinarySource }
  | { readonly found: false; readonly message: string };

/** Where the binary came from, for the log. */
export type BinarySource = 'setting' | 'bundled' | 'PATH';

export interface ResolveOptions {
  /** Relative paths and `${workspaceFolder}` are taken from this folder. */
  readonly workspaceFolder?: string | undefined;
  /** The extension's folder: a platform-specific `.vsix` holds the binary in its `bin/`. */
  readonly extensionPath?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
}

/** The command looked up on PATH when nothing else is set or bundled. */
export const DEFAULT_COMMAND = 'trackplan';

/** How to install the binary: the same commands as the README's "Install" section. */
export const INSTALL_COMMANDS: readonly string[] = ['pipx install trackplan', 'npm install -g trackplan'];

export const INSTALL_HINT =
  `Install it with "${INSTALL_COMMANDS[0]}" or "${INSTALL_COMMANDS[1]}", then run "trackplan: Restart the Language Server"; ` +
  'or set trackplan.server.path to the binary.';

/** The binary a platform-specific `.vsix` carries, relative to the extension's folder. */
export function bundledBinary(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, 'bin', platform === 'win32' ? 'trackplan.exe' : 'trackplan');
}

/** Resolves `trackplan.server.path` (empty: not set) to an executable file. */
export function resolveBinary(setting: string, options: ResolveOptions): Resolution {
  if (setting.trim() === '') {
    return resolveDefault(options);
  }
  const expanded = expand(setting.trim(), options);
  if (!isPath(expanded, options.platform)) {
    const found = searchPath(expanded, options);
    if (found !== undefined) {
      return { found: true, path: found, source: 'setting' };
    }
    return {
      found: false,
      message: `${expanded} (set in trackplan.server.path) was not found ${pathDescription(options)}. ${INSTALL_HINT}`,
    };
  }
  const base = options.workspaceFolder ?? process.cwd();
  const absolute = path.resolve(base, expanded);
  const candidates = options.platform === 'win32' ? withExtensions(absolute, options) : [absolute];
  for (const candidate of candidates) {
    if (isExecutableFile(candidate, options.platform)) {
      return { found: true, path: candidate, source: 'setting' };
    }
  }
  const reason = fs.existsSync(absolute) ? 'is not an executable file' : 'does not exist';
  return {
    found: false,
    message: `${absolute} (set in trackplan.server.path) ${reason}. ${INSTALL_HINT}`,
  };
}

/** No setting: the bundled binary, else `trackplan` on PATH. */
function resolveDefault(options: ResolveOptions): Resolution {
  if (options.extensionPath !== undefined) {
    const bundled = bundledBinary(options.extensionPath, options.platform);
    if (fs.existsSync(bundled) && makeExecutable(bundled, options.platform)) {
      return { found: true, path: bundled, source: 'bundled' };
    }
  }
  const found = searchPath(DEFAULT_COMMAND, options);
  if (found !== undefined) {
    return { found: true, path: found, source: 'PATH' };
  }
  return { found: false, message: `trackplan was not found ${pathDescription(options)}. ${INSTALL_HINT}` };
}

/**
 * Which PATH was searched, in words. On Linux and macOS, VS Code gives extensions the environment
 * of the user's login shell (also in remote windows: code-server, Remote-SSH, WSL), not the one of a
 * terminal opened later, so a PATH set only in an interactive shell's start-up file is not seen.
 */
export function pathDescription(options: Pick<ResolveOptions, 'env' | 'platform'>): string {
  const value = pathVariable(options) ?? '';
  const shown = value === '' ? '(empty)' : value;
  return options.platform === 'win32'
    ? `on PATH (${shown})`
    : `on the PATH of your login shell, which is the one VS Code's extensions get (${shown})`;
}

function isPath(value: string, platform: NodeJS.Platform): boolean {
  return value.includes('/') || (platform === 'win32' && value.includes('\\'));
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

function pathVariable(options: Pick<ResolveOptions, 'env' | 'platform'>): string | undefined {
  return options.platform === 'win32' ? (options.env.Path ?? options.env.PATH) : options.env.PATH;
}

function searchPath(command: string, options: ResolveOptions): string | undefined {
  const separator = options.platform === 'win32' ? ';' : ':';
  for (const dir of (pathVariable(options) ?? '').split(separator)) {
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

/**
 * Whether the bundled binary can run, restoring its executable bit if an unzip lost it (an
 * extension folder copied by hand or by a tool that ignores file modes).
 */
function makeExecutable(file: string, platform: NodeJS.Platform): boolean {
  if (isExecutableFile(file, platform)) {
    return true;
  }
  try {
    fs.chmodSync(file, 0o755);
  } catch {
    return false;
  }
  return isExecutableFile(file, platform);
}
