/**
 * The output channel handed to vscode-languageclient. The client writes two kinds of text into it:
 * the server's stderr (tracing lines that carry their own timestamp and level) and its own messages
 * (`[Error - 10:12:03] …`, also timestamped). A log output channel stamps every `append` with the
 * time and `[info]` and ends it with a newline, so without this adapter every server line showed two
 * timestamps, the wrong level and a blank line after it. Here each line loses its own stamp and is
 * logged once, at its level.
 */

import type * as vscode from 'vscode';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A tracing line: `2026-01-02T10:12:03.123456Z  INFO trackplan_lsp::server: message`. */
const TRACING_LINE =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+(.*)$/;
/** The module a tracing line comes from (`trackplan_lsp::server: `): noise for the reader. */
const TRACING_TARGET = /^[A-Za-z_]\w*(?:::\w+)*: /;
/** A message of the client itself: `[Error - 10:12:03 AM] message` (also `[Trace …]`, `[LSP …]`). */
const CLIENT_LINE = /^\[(Trace|Debug|Info|Warn|Error|LSP)\s*- [^\]]*\] ?(.*)$/s;
/** The client's prefix written alone before the rest of the line (its JSON trace format). */
const CLIENT_PREFIX_ONLY = /^\[(Trace|Debug|Info|Warn|Error|LSP)\s*- [^\]]*\] $/;
/**
 * The client reports every exit of the server process as an error, even the clean one that follows
 * the `shutdown` request of a restart or a window reload.
 */
const CLEAN_EXIT = /^Server process exited with code 0\.?$/;

const TRACING_LEVELS: Record<string, Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
/**
 * `Trace` and `LSP` lines are the protocol trace, which the user asked for with
 * `trackplan.trace.server`: logged at `info` so the channel's default level does not hide them.
 */
const CLIENT_LEVELS: Record<string, Level> = { Trace: 'info', LSP: 'info', Debug: 'debug', Info: 'info', Warn: 'warn', Error: 'error' };

/** Writes what the language client gives it into a log output channel, one entry per line. */
export class ServerLog implements vscode.OutputChannel {
  /** Text written with `append` whose line has not ended yet. */
  private pending = '';
  /** Lines without a level of their own (a message's continuation) take the one before them. */
  private level: Level = 'info';

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get name(): string {
    return this.log.name;
  }

  /** The server's stderr arrives in chunks that may end inside a line. */
  append(value: string): void {
    this.pending += value;
    const lines = this.pending.split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      this.write(line);
    }
  }

  appendLine(value: string): void {
    if (this.pending !== '' && !CLIENT_PREFIX_ONLY.test(this.pending)) {
      this.flush();
    }
    const text = this.pending + value;
    this.pending = '';
    // One message of the client, possibly over several lines (a request's parameters): one entry.
    this.write(text.replace(/\r?\n$/, ''));
  }

  replace(value: string): void {
    this.pending = '';
    this.log.replace(value);
  }

  clear(): void {
    this.pending = '';
    this.log.clear();
  }

  show(preserveFocusOrColumn?: boolean | vscode.ViewColumn, preserveFocus?: boolean): void {
    if (typeof preserveFocusOrColumn === 'boolean' || preserveFocusOrColumn === undefined) {
      this.log.show(preserveFocusOrColumn);
    } else {
      this.log.show(preserveFocusOrColumn, preserveFocus);
    }
  }

  hide(): void {
    this.log.hide();
  }

  /** The channel belongs to the extension, which outlives each client: only the pending text goes. */
  dispose(): void {
    this.flush();
  }

  private flush(): void {
    if (this.pending !== '') {
      const line = this.pending;
      this.pending = '';
      this.write(line);
    }
  }

  private write(line: string): void {
    if (line.trim() === '') {
      return;
    }
    const [level, message] = classify(line, this.level);
    this.level = level;
    this.log[level](message);
  }
}

/** The level and the message of one line, without the timestamp it came with. */
export function classify(line: string, previous: Level): [Level, string] {
  const tracing = TRACING_LINE.exec(line);
  if (tracing !== null) {
    return [TRACING_LEVELS[tracing[1] ?? ''] ?? 'info', (tracing[2] ?? '').replace(TRACING_TARGET, '')];
  }
  const client = CLIENT_LINE.exec(line);
  if (client !== null) {
    const message = client[2] ?? '';
    const level = CLEAN_EXIT.test(message) ? 'info' : (CLIENT_LEVELS[client[1] ?? ''] ?? 'info');
    return [level, message];
  }
  return [previous, line];
}
