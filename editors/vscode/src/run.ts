/** Running the `trackplan` binary for a command (check, diff) and collecting its output. */

import { execFile } from 'node:child_process';

export interface RunResult {
  /** The exit code; `undefined` when the process could not start or was killed. */
  readonly code: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** Why the process did not run to its end (spawn failure, timeout). */
  readonly error?: string;
}

const TIMEOUT_MS = 120_000;
const MAX_BUFFER = 64 * 1024 * 1024;

export function run(binary: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      binary,
      args,
      { cwd, timeout: TIMEOUT_MS, maxBuffer: MAX_BUFFER, windowsHide: true, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const code = typeof error.code === 'number' ? error.code : undefined;
        const failure = code === undefined ? (error.killed ? `timed out after ${TIMEOUT_MS / 1000} s` : error.message) : undefined;
        resolve({ code, stdout, stderr, ...(failure === undefined ? {} : { error: failure }) });
      },
    );
  });
}

/** The last non-empty line of a text: `check` ends with its summary there. */
export function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.length > 0 ? (lines[lines.length - 1] ?? '').trim() : '';
}

/** The first line of an error output, without the `error: ` prefix the CLI prints. */
export function errorSummary(result: RunResult): string {
  const first = result.stderr.split(/\r?\n/).find((line) => line.trim() !== '')?.trim();
  if (first !== undefined) {
    return first.replace(/^error:\s*/, '');
  }
  return result.error ?? `exit code ${result.code ?? 'unknown'}`;
}
