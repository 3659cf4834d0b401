/**
 * The extension's settings (`trackplan.*`), read and validated in one place so that a hand-edited
 * `settings.json` with a wrong type falls back to the default instead of breaking the server start.
 */

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface Settings {
  /**
   * `trackplan.server.path`: a command looked up on PATH, or a path to the binary; empty (the
   * default) for the binary bundled with the extension, else `trackplan` on PATH.
   */
  readonly serverPath: string;
  /** `trackplan.server.extraArgs`: appended to `trackplan lsp`. */
  readonly extraArgs: readonly string[];
  /** `trackplan.trace.server`: read by vscode-languageclient itself; kept here for display. */
  readonly trace: TraceLevel;
  /** `trackplan.docsBaseUrl`: where a diagnostic's rule name links to (`{rule}` is replaced). */
  readonly docsBaseUrl: string;
}

/** The part of `vscode.WorkspaceConfiguration` the settings are read through. */
export interface ConfigurationLike {
  get<T>(section: string): T | undefined;
}

export const SECTION = 'trackplan';
const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

/** Settings whose change needs a new server process. */
export const RESTART_SETTINGS: readonly string[] = ['trackplan.server.path', 'trackplan.server.extraArgs'];

export function readSettings(config: ConfigurationLike): Settings {
  const path = config.get<unknown>('server.path');
  const extraArgs = config.get<unknown>('server.extraArgs');
  const trace = config.get<unknown>('trace.server');
  const docsBaseUrl = config.get<unknown>('docsBaseUrl');
  return {
    serverPath: typeof path === 'string' ? path.trim() : '',
    extraArgs: Array.isArray(extraArgs) ? extraArgs.filter((a): a is string => typeof a === 'string') : [],
    trace: TRACE_LEVELS.find((level) => level === trace) ?? 'off',
    docsBaseUrl: typeof docsBaseUrl === 'string' ? docsBaseUrl.trim() : '',
  };
}

/** What the server reads from `initializationOptions` and `workspace/didChangeConfiguration`. */
export function serverSettings(settings: Settings): { docsBaseUrl: string } {
  return { docsBaseUrl: settings.docsBaseUrl };
}
